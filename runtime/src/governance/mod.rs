//! On-chain governance (design §11): Polkadot's OpenGov with KMCC tracks.
//!
//! ## How a change is made
//!
//! 1. Anyone notes the call's preimage (`preimage.note_preimage`, a deposit per byte held
//!    until it is unnoted) and submits a referendum on the track of the origin the call needs
//!    (`referenda.submit`, 10 KMCC submission deposit).
//! 2. After the track's prepare period, once someone places the track's decision deposit
//!    (`referenda.place_decision_deposit`), the referendum is decided.
//! 3. Holders vote with conviction (`convictionVoting.vote`): conviction *c* multiplies the vote
//!    by 0.1 (no lock), 1, 2, …, 6 and locks it for 2^(c−1) vote-locking periods after the
//!    referendum ends. *Approval* is the share of conviction-weighted ayes; *support* the share
//!    of active issuance that voted aye (without conviction).
//! 4. While approval and support stay above the track's curves (which fall over the decision
//!    period) for the whole confirm period, the referendum is approved and its call is
//!    scheduled with the track's origin no sooner than the minimum enactment period.
//!
//! The technical committee (`TechnicalCommittee`, a collective of experts) may whitelist a
//! call's hash with a 2/3 majority; a referendum on the `whitelisted_caller` track, whose
//! periods and curves are far shorter, may then dispatch that call with root rights
//! (`whitelist.dispatch_whitelisted_call_with_preimage`). A call enacted before the committee
//! whitelisted it is deferred: once whitelisted (within 28 days), anyone may dispatch it, once.
//! This is the path for urgent fixes; the committee cannot enact anything alone.
//!
//! Parameter tracks (`issuance_admin`, `staking_admin`, `storage_admin`, `privacy_admin`)
//! dispatch with origins that only the matching pallet's admin calls accept, so a parameter
//! referendum cannot replace the runtime. Treasury spends go through the spender tracks.
//!
//! ## Treasury
//!
//! `Treasury` holds what holders decide to spend together. It is funded by what belongs to
//! nobody: the share of DPoS slashes no reporter claimed (and rewards of blocks without a known
//! author), the deposits of killed referenda, identities a registrar finds fraudulent and
//! malicious recovery attempts; and by transfers, e.g. from the foundation's 3 % allocation
//! (design §2). The emission split (45/35/20) and fees to the author stay as design §2 fixes
//! them. The treasury never mints and never burns: the emission schedule and the 1 B burn floor
//! stay with `Issuance`.

pub mod origins;
pub mod tracks;

pub use origins::{
	pallet_custom_origins, IssuanceAdmin, PrivacyAdmin, ReferendumCanceller, ReferendumKiller,
	Spender, StakingAdmin, StorageAdmin, Treasurer, WhitelistedCaller,
};

use crate::{
	configs::system::MAXIMUM_BLOCK_WEIGHT, weights, AccountId, Balance, Balances, BlockNumber,
	OriginCaller, Preimage, Referenda, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason,
	RuntimeOrigin, Scheduler, System, Treasury,
};
use kmcc_primitives::{
	currency::{KMCC, MILLI_KMCC},
	time::DAYS,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{
			fungible::HoldConsideration,
			tokens::{pay::PayFromAccount, UnityAssetBalanceConversion},
			ConstU32, EitherOf, EitherOfDiverse, EqualPrivilegeOnly, LinearStoragePrice,
		},
		weights::Weight,
		PalletId,
	},
	frame_system::{EnsureRoot, EnsureRootWithSuccess},
	pallet_collective, pallet_conviction_voting, pallet_preimage, pallet_referenda,
	pallet_scheduler, pallet_treasury, pallet_whitelist,
	sp_runtime::{traits::AccountIdLookup, Perbill, Permill},
};

/// The technical committee's collective instance.
pub type TechnicalCollective = pallet_collective::Instance1;

/// Root, or at least two thirds of the technical committee.
pub type TechnicalCommitteeTwoThirds = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, TechnicalCollective, 2, 3>,
>;

parameter_types! {
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
	/// A preimage holds 1 KMCC plus 1 mKMCC per byte (a 1 MiB runtime: about 1,050 KMCC,
	/// returned when it is unnoted or used).
	pub const PreimageBaseDeposit: Balance = KMCC;
	pub const PreimageByteDeposit: Balance = MILLI_KMCC;
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = weights::pallet_preimage::WeightInfo<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

parameter_types! {
	/// Scheduled calls may use 80 % of a block.
	pub MaximumSchedulerWeight: Weight = Perbill::from_percent(80) * MAXIMUM_BLOCK_WEIGHT;
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	/// Referenda schedule their calls themselves; users cannot.
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = weights::pallet_scheduler::WeightInfo<Runtime>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

parameter_types! {
	/// After a referendum ends, a conviction-1 vote stays locked this long (conviction *c*:
	/// 2^(c−1) times as long).
	pub const VoteLockingPeriod: BlockNumber = 7 * DAYS;
}

impl pallet_conviction_voting::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = weights::pallet_conviction_voting::WeightInfo<Runtime>;
	type Currency = Balances;
	type Polls = Referenda;
	/// Support is measured against the KMCC in circulation.
	type MaxTurnout = polkadot_sdk::frame_support::traits::tokens::currency::ActiveIssuanceOf<
		Balances,
		AccountId,
	>;
	type MaxVotes = ConstU32<512>;
	type VoteLockingPeriod = VoteLockingPeriod;
	type BlockNumberProvider = System;
	type VotingHooks = ();
}

parameter_types! {
	/// Held from the proposer until the referendum ends (returned unless it is killed).
	pub const SubmissionDeposit: Balance = 10 * KMCC;
	/// A referendum that never gets its decision deposit may be closed after this.
	pub const UndecidingTimeout: BlockNumber = 14 * DAYS;
}

impl pallet_referenda::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = weights::pallet_referenda::WeightInfo<Runtime>;
	type RuntimeCall = RuntimeCall;
	type Scheduler = Scheduler;
	type Currency = Balances;
	type SubmitOrigin = polkadot_sdk::frame_system::EnsureSigned<AccountId>;
	type CancelOrigin = EitherOf<EnsureRoot<AccountId>, ReferendumCanceller>;
	type KillOrigin = EitherOf<EnsureRoot<AccountId>, ReferendumKiller>;
	/// Deposits of killed referenda go to the treasury.
	type Slash = Treasury;
	type Votes = pallet_conviction_voting::VotesOf<Runtime>;
	type Tally = pallet_conviction_voting::TallyOf<Runtime>;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxQueued = ConstU32<100>;
	type UndecidingTimeout = UndecidingTimeout;
	type AlarmInterval = ConstU32<1>;
	type Tracks = tracks::TracksInfo;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

impl pallet_custom_origins::Config for Runtime {}

impl pallet_whitelist::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WhitelistOrigin = TechnicalCommitteeTwoThirds;
	type DispatchWhitelistedOrigin = EitherOf<EnsureRoot<AccountId>, WhitelistedCaller>;
	type Preimages = Preimage;
	type DeferredDispatchExpiration = ConstU32<{ 28 * DAYS }>;
	type BlockNumberProvider = System;
	type WeightInfo = weights::pallet_whitelist::WeightInfo<Runtime>;
}

parameter_types! {
	pub const TechnicalMotionDuration: BlockNumber = 3 * DAYS;
	pub MaxCollectiveProposalWeight: Weight = Perbill::from_percent(50) * MAXIMUM_BLOCK_WEIGHT;
}

impl pallet_collective::Config<TechnicalCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = TechnicalMotionDuration;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = ConstU32<30>;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = weights::pallet_collective::WeightInfo<Runtime>;
	/// Membership changes by referendum (root).
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxCollectiveProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	/// Members propose for free: there are at most 30 and the motion count is bounded.
	type Consideration = ();
}

parameter_types! {
	pub const TreasuryPalletId: PalletId = PalletId(*b"py/trsry");
	pub TreasuryAccount: AccountId = Treasury::account_id();
	pub const SpendPeriod: BlockNumber = 6 * DAYS;
	/// Nothing is burned from the pot: burns belong to `Issuance` and its 1 B floor.
	pub const TreasuryBurn: Permill = Permill::zero();
	/// An approved spend may be claimed for this long.
	pub const PayoutPeriod: BlockNumber = 30 * DAYS;
	pub const MaxBalance: Balance = Balance::MAX;
}

impl pallet_treasury::Config for Runtime {
	type Currency = Balances;
	type RejectOrigin = EitherOfDiverse<EnsureRoot<AccountId>, Treasurer>;
	type RuntimeEvent = RuntimeEvent;
	type SpendPeriod = SpendPeriod;
	type Burn = TreasuryBurn;
	type PalletId = TreasuryPalletId;
	type BurnDestination = ();
	type WeightInfo = weights::pallet_treasury::WeightInfo<Runtime>;
	type SpendFunds = ();
	type MaxApprovals = ConstU32<100>;
	type SpendOrigin = EitherOf<EnsureRootWithSuccess<AccountId, MaxBalance>, Spender>;
	/// KMCC only.
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = AccountIdLookup<AccountId, ()>;
	type Paymaster = PayFromAccount<Balances, TreasuryAccount>;
	type BalanceConverter = UnityAssetBalanceConversion;
	type PayoutPeriod = PayoutPeriod;
	type BlockNumberProvider = System;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TreasuryBenchmarkArguments;
}

/// Benchmark arguments of `Treasury.spend`: the native asset, a seed-derived beneficiary.
#[cfg(feature = "runtime-benchmarks")]
pub struct TreasuryBenchmarkArguments;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_treasury::ArgumentsFactory<(), AccountId> for TreasuryBenchmarkArguments {
	fn create_asset_kind(_seed: u32) {}
	/// The benchmarks pay 100 planck, below the existential deposit: the beneficiary already
	/// holds the deposit, as any account that can receive so little must.
	fn create_beneficiary(seed: [u8; 32]) -> AccountId {
		use polkadot_sdk::frame_support::traits::fungible::Mutate;
		let beneficiary = AccountId::new(seed);
		let _ = Balances::mint_into(&beneficiary, kmcc_primitives::currency::EXISTENTIAL_DEPOSIT);
		beneficiary
	}
}
