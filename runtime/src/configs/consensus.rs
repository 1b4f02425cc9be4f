//! Consensus: Aura authors in 2 s slots, GRANDPA finalizes, Session rotates their keys.
//!
//! The validator set is the DPoS committee (`SessionManager = Dpos`, SPEC §3): every member
//! votes in GRANDPA, and each session only its authoring group's Aura keys are Aura
//! authorities ([`crate::configs::dpos::AuraGroup`]). Sessions last `Dpos`' `session_length`.

use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstBool, ConstU32, ConstU64},
	},
	pallet_aura, pallet_authorship, pallet_grandpa, pallet_session,
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_runtime::traits::ConvertInto,
};

use crate::{
	configs::dpos::{AuraGroup, AuraKeyAuthor, DposSessionLength},
	time::MINUTES,
	AccountId, Balance, Balances, BlockNumber, Dpos, Grandpa, Runtime, RuntimeEvent, SessionKeys,
};

/// Most validators a set may hold (Aura authorities and GRANDPA voters). SPEC §3 plans a
/// 21-member committee; 100 leaves room to grow without a migration.
pub const MAX_AUTHORITIES: u32 = 100;

/// Blocks per session before `Dpos` has parameters: 10 minutes of 2 s blocks (the mainnet
/// session length).
pub const SESSION_PERIOD: BlockNumber = 10 * MINUTES;

parameter_types! {
	pub const SessionOffset: BlockNumber = 0;
	/// Deposit held while an account has session keys registered, so that `set_keys` cannot
	/// be used to fill state for free. Genesis keys carry no deposit.
	pub const SessionKeyDeposit: Balance = crate::KMCC;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	// Equivocation reporting (with historical key-ownership proofs and slashing) arrives
	// with the DPoS pallet (SPEC §3).
	type KeyOwnerProof = polkadot_sdk::sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_authorship::Config for Runtime {
	/// The author is found from the Aura pre-runtime digest and mapped to the account that
	/// owns that Aura key (Aura's authorities are the session's group, not the validator
	/// list, so an index into the validators would be wrong).
	type FindAuthor = AuraKeyAuthor;
	type EventHandler = ();
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = pallet_session::PeriodicSessions<DposSessionLength, SessionOffset>;
	type NextSessionRotation = pallet_session::PeriodicSessions<DposSessionLength, SessionOffset>;
	/// The DPoS committee, elected every era.
	type SessionManager = Dpos;
	/// GRANDPA gets the whole committee, Aura the session's authoring group.
	type SessionHandler = (AuraGroup, Grandpa);
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}
