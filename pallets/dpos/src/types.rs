//! Records stored by the pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt::Debug as RuntimeDebug;
use kmcc_primitives::Balance;
use polkadot_sdk::sp_runtime::Perbill;
use scale_info::TypeInfo;

/// The chain's DPoS parameters, set at genesis (and by root).
#[derive(
	Clone,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	RuntimeDebug,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DposParameters<BlockNumber> {
	/// Smallest deposit a candidate may bond (100,000 KMCC on mainnet).
	pub min_candidate_deposit: Balance,
	/// Smallest lease, so that lease records cannot be spammed.
	pub min_lease: Balance,
	/// Committee members elected each era (21 on mainnet).
	pub committee_size: u32,
	/// Groups the committee is split into; they author in turns (3 on mainnet).
	pub group_count: u32,
	/// Blocks per session: each session one group authors (the runtime's session pallet
	/// rotates at multiples of it).
	pub session_length: BlockNumber,
	/// Sessions per era: the committee is re-elected every `sessions_per_era` sessions.
	pub sessions_per_era: u32,
	/// Blocks between unleasing (or lowering a deposit) and the funds becoming free.
	pub unbonding_period: BlockNumber,
	/// Highest commission a candidate may set.
	pub max_commission: Perbill,
	/// Part of the offender's deposit a proven offence slashes (100 % by default).
	pub slash_fraction: Perbill,
	/// Part of the slashed amount paid to the reporters (100 % by default).
	pub reporter_share: Perbill,
}

/// Where a candidate stands.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	RuntimeDebug,
)]
pub enum CandidateStatus {
	/// Electable.
	Active,
	/// Withdrew: not electable; its deposit is unbonding.
	Leaving,
	/// Proven to have misbehaved: slashed, removed from the committee, not electable.
	Slashed,
}

/// A candidate: its own deposit (held), the total leased to it, its commission and the
/// lessors' reward accumulator.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, RuntimeDebug)]
pub struct Candidate {
	/// The candidate's own bonded deposit (held under `CandidateDeposit`).
	pub deposit: Balance,
	/// Sum of all leases to this candidate (held in the lessors' accounts).
	pub leased: Balance,
	/// Part of each reward the candidate keeps before sharing.
	pub commission: Perbill,
	/// Reward per planck leased since registration, × `REWARD_SCALE`.
	pub reward_per_lease: u128,
	/// Electable, leaving or slashed.
	pub status: CandidateStatus,
}

impl Candidate {
	/// Deposit plus leases: what the election ranks by.
	pub fn backing(&self) -> Balance {
		self.deposit.saturating_add(self.leased)
	}
}

/// One lease of a holder to a candidate.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, RuntimeDebug, Default)]
pub struct Lease {
	/// Leased amount (held in the holder's account).
	pub amount: Balance,
	/// The candidate's `reward_per_lease` when this lease's rewards were last settled.
	pub reward_snapshot: u128,
}

/// The current block's fees, collected into the reward pot as they come and shared once, at
/// the end of the block ([`crate::FeeCollector`]). The author's terms are read once, at the
/// first fee; any call that could change them shares the pending fees first.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, RuntimeDebug)]
pub struct PendingFees<AccountId> {
	/// The block's author, a candidate.
	pub author: AccountId,
	/// Its deposit when the first fee came.
	pub deposit: Balance,
	/// The leases to it when the first fee came.
	pub leased: Balance,
	/// Its commission when the first fee came.
	pub commission: Perbill,
	/// The candidate's part so far (in the pot until shared).
	pub to_candidate: Balance,
	/// The lessors' part so far (in the pot for good).
	pub to_lessors: Balance,
	/// The lessors' parts so far: the increase of the candidate's accumulator.
	pub per_lease_increase: u128,
}

/// What unbonds: a lease or a candidate deposit (both held).
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, RuntimeDebug)]
pub enum UnbondingKind {
	/// Unleased funds: stay held until `unlock_at`.
	Lease,
	/// A lowered or withdrawn candidate deposit: stays held (and slashable) until `unlock_at`.
	Deposit,
}

/// Funds on their way back to free balance.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, RuntimeDebug)]
pub struct UnbondingChunk<BlockNumber> {
	/// Amount unbonding.
	pub amount: Balance,
	/// First block at which `withdraw_unbonded` frees it.
	pub unlock_at: BlockNumber,
	/// Lease or deposit.
	pub kind: UnbondingKind,
}

/// Candidate information for wallets (runtime API).
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, RuntimeDebug)]
pub struct CandidateSummary<AccountId> {
	/// The candidate's account (also its validator id).
	pub account: AccountId,
	/// Own deposit.
	pub deposit: Balance,
	/// Sum of leases.
	pub leased: Balance,
	/// Deposit + leases.
	pub backing: Balance,
	/// Commission.
	pub commission: Perbill,
	/// Electable, leaving or slashed.
	pub status: CandidateStatus,
	/// Whether it sits in the current committee.
	pub in_committee: bool,
}

/// A holder's lease for wallets (runtime API).
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, RuntimeDebug)]
pub struct LeaseSummary<AccountId> {
	/// The candidate leased to.
	pub candidate: AccountId,
	/// Leased amount.
	pub amount: Balance,
	/// Rewards accrued and not yet paid (`claim_rewards` pays them; every lease change does).
	pub pending_rewards: Balance,
}

/// The committee of the current era for wallets (runtime API).
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, RuntimeDebug)]
pub struct CommitteeSummary<AccountId> {
	/// Era index.
	pub era: u32,
	/// First session of the era.
	pub era_start_session: u32,
	/// Members with the backing they were elected with, highest first.
	pub members: alloc::vec::Vec<(AccountId, Balance)>,
	/// The groups (snake order of the members).
	pub groups: alloc::vec::Vec<alloc::vec::Vec<AccountId>>,
	/// Index of the group authoring in the current session.
	pub active_group: u32,
	/// This session's authors in voting-right order.
	pub session_authors: alloc::vec::Vec<AccountId>,
}
