//! Consensus: Aura authors in 2 s slots, GRANDPA finalizes, Session rotates their keys.
//!
//! The validator set is the DPoS committee (`SessionManager = Dpos`, design §3): every member
//! votes in GRANDPA, and each session only its authoring group's Aura keys are Aura
//! authorities ([`crate::configs::dpos::AuraGroup`]). Sessions last `Dpos`' `session_length`.
//!
//! GRANDPA equivocations are slashable: `Historical` commits to each session's validator
//! keys (a trie root per session, kept for [`SLASHABLE_SESSIONS`]), so a report carries a
//! key-ownership proof (`MembershipProof`) against the session of the vote's authority set;
//! `Grandpa` verifies both signed votes and the proof and reports the offence to `Offences`,
//! whose handler `Dpos` slashes the offender's candidate deposit and pays the reporter.

use pallet_session::historical as pallet_session_historical;
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstBool, ConstU32, ConstU64, KeyOwnerProofSystem},
		weights::Weight,
	},
	pallet_aura, pallet_authorship, pallet_grandpa, pallet_offences,
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_consensus_grandpa::AuthorityId as GrandpaId,
	sp_core::crypto::KeyTypeId,
	sp_runtime::traits::{Convert, ConvertInto},
};

use crate::{
	configs::dpos::{AuraGroup, AuraKeyAuthor, DposSessionHistory, DposSessionLength},
	time::MINUTES,
	AccountId, Balance, Balances, BlockNumber, Grandpa, Historical, Offences, Runtime,
	RuntimeEvent, SessionKeys,
};

/// Most validators a set may hold (Aura authorities and GRANDPA voters). design §3 plans a
/// 21-member committee; 100 leaves room to grow without a migration.
pub const MAX_AUTHORITIES: u32 = 100;

/// Blocks per session before `Dpos` has parameters: 10 minutes of 2 s blocks (the mainnet
/// session length).
pub const SESSION_PERIOD: BlockNumber = 10 * MINUTES;

/// Sessions for which a GRANDPA equivocation stays reportable: the historical validator
/// roots and GRANDPA's set-id → session map keep this many entries. 1,008 sessions are the
/// 7-day unbonding period of `mainnet-template` (144 sessions a day), so an offender cannot
/// withdraw its deposit before its offence expires; on dev networks (20 s sessions) it is
/// 5.6 hours.
pub const SLASHABLE_SESSIONS: u32 = 1_008;

parameter_types! {
	pub const SessionOffset: BlockNumber = 0;
	/// How long an unsigned equivocation report stays in the pool: one session of blocks.
	pub ReportLongevity: u64 =
		u64::from(<DposSessionLength as polkadot_sdk::frame_support::traits::Get<BlockNumber>>::get());
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
	type WeightInfo = GrandpaWeights;
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<{ SLASHABLE_SESSIONS as u64 }>;
	type KeyOwnerProof = <Historical as KeyOwnerProofSystem<(KeyTypeId, GrandpaId)>>::Proof;
	type EquivocationReportSystem =
		pallet_grandpa::EquivocationReportSystem<Self, Offences, Historical, ReportLongevity>;
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
	/// The DPoS committee, elected every era; each planned set's keys are committed to in
	/// `Historical` for equivocation proofs.
	type SessionManager = pallet_session_historical::NoteHistoricalRoot<Self, DposSessionHistory>;
	/// GRANDPA and BEEFY get the whole committee, Aura the session's authoring group.
	type SessionHandler = (AuraGroup, Grandpa, crate::Beefy);
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = crate::weights::pallet_session::WeightInfo<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

impl pallet_session_historical::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Slashing needs only the validator's account (its candidate deposit is read when the
	/// offence is handled, not when the session was planned).
	type FullIdentification = ();
	type FullIdentificationOf = UnitIdentification;
}

/// Every validator is identified by its account alone.
pub struct UnitIdentification;
impl Convert<AccountId, Option<()>> for UnitIdentification {
	fn convert(_: AccountId) -> Option<()> {
		Some(())
	}
}

impl pallet_offences::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type IdentificationTuple = pallet_session_historical::IdentificationTuple<Self>;
	/// `Dpos` slashes the offender's candidate deposit and pays the reporters.
	type OnOffenceHandler = crate::Dpos;
}

/// GRANDPA's weights: the SDK's cost of checking the key-ownership proof, both signatures and
/// recording the offence (priced at RocksDB costs, at least 100 validators), plus the
/// generated weight of `Dpos`' slash with one reporter, which that model does not include.
pub struct GrandpaWeights;
impl pallet_grandpa::WeightInfo for GrandpaWeights {
	fn report_equivocation(validator_count: u32, max_nominators_per_validator: u32) -> Weight {
		use pallet_dpos::WeightInfo as _;
		<() as pallet_grandpa::WeightInfo>::report_equivocation(
			validator_count,
			max_nominators_per_validator,
		)
		.saturating_add(pallet_dpos::weights::SubstrateWeight::<Runtime>::slash(1))
	}

	fn note_stalled() -> Weight {
		<() as pallet_grandpa::WeightInfo>::note_stalled()
	}
}

/// GRANDPA's voter submits the equivocations it sees as bare (unsigned) extrinsics, admitted
/// only from the local node or inside a block (`pallet_grandpa`'s `ValidateUnsigned`).
impl<LocalCall> polkadot_sdk::frame_system::offchain::CreateBare<LocalCall> for Runtime
where
	crate::RuntimeCall: From<LocalCall>,
{
	fn create_bare(call: crate::RuntimeCall) -> crate::UncheckedExtrinsic {
		crate::GenericUncheckedExtrinsic::new_bare(call).into()
	}
}
