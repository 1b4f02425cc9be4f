//! Consensus: Aura authors in 2 s slots, GRANDPA finalizes, Session rotates their keys.
//!
//! The validator set is fixed at genesis for now (`SessionManager = ()` keeps the genesis
//! set); the DPoS committee pallet (SPEC §3) becomes the `SessionManager` later without a
//! change to the other pallets here.

use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstBool, ConstU32, ConstU64},
	},
	pallet_aura, pallet_authorship, pallet_grandpa, pallet_session,
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_runtime::traits::{ConvertInto, OpaqueKeys},
};

use crate::{
	time::MINUTES, AccountId, Aura, Balance, Balances, BlockNumber, Runtime, RuntimeEvent,
	SessionKeys,
};

/// Most validators a set may hold (Aura authorities and GRANDPA voters). SPEC §3 plans a
/// 21-member committee; 100 leaves room to grow without a migration.
pub const MAX_AUTHORITIES: u32 = 100;

/// Blocks per session: 10 minutes of 2 s blocks.
pub const SESSION_PERIOD: BlockNumber = 10 * MINUTES;

parameter_types! {
	pub const SessionPeriod: BlockNumber = SESSION_PERIOD;
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
	/// The author is found from the Aura pre-runtime digest, mapped to the validator's
	/// account through its session keys.
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Aura>;
	type EventHandler = ();
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	type NextSessionRotation = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	/// Keeps the genesis validator set; replaced by the DPoS committee pallet.
	type SessionManager = ();
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}
