//! # DPoS committees
//!
//! design §3 (Komandor 5.1, 3.1; KOMA 5.3): candidates bond a deposit, holders lease stake to
//! them without transferring it, and every era the best-backed candidates form a committee
//! whose groups take turns authoring blocks while the whole committee finalizes.
//!
//! ## Candidates and leases
//!
//! [`Pallet::register_candidate`] holds a deposit ≥ `min_candidate_deposit`
//! ([`HoldReason::CandidateDeposit`]) from an account that has registered session keys, with a
//! commission ≤ `max_commission`. [`Pallet::lease`] holds part of a holder's balance
//! ([`HoldReason::Lease`]): the funds stay in the holder's account (polkadot.js shows them as
//! reserved), never move to the candidate and only count as backing. A lease is a hold, not a
//! freeze, because `pallet-balances` applies freezes to free plus held funds: a frozen lease
//! would be covered again by any later hold (masternode or landlord collateral), so one balance
//! would back two commitments. Like every hold of this chain, a lease takes only funds that no
//! freeze or lock claims. Unleasing and lowering a deposit start an unbonding
//! chunk of `unbonding_period` blocks; [`Pallet::withdraw_unbonded`] frees matured chunks.
//! A deposit stays held (and slashable) while it unbonds.
//!
//! ## Election and groups
//!
//! Every `sessions_per_era` sessions [`pallet_session::SessionManager::new_session`] elects
//! the `committee_size` Active candidates with the highest backing `b = deposit + leased`
//! (ties by account), [`economics::elect`], and splits them into `group_count` groups in snake
//! order ([`economics::snake_groups`]): member `i` of round `r = i / g` joins group
//! `i mod g` for even `r` and `g − 1 − (i mod g)` for odd `r`, so every group gets one
//! strong and one weak member per two rounds. The committee is the session's validator set:
//! all members vote in GRANDPA. The groups author in turns: session `s` is authored by group
//! `s mod G` ([`Pallet::session_authors`]; the runtime passes only those keys to Aura). The
//! turn follows the global session index, so it continues across eras and every group gets
//! the same share of sessions whatever the era length.
//!
//! Inside the group the authors are ordered by voting right ([`economics::voting_right`])
//! `f(b, w, u) = b·(1 + w) + b·u/8192`, with `w` the sessions since the member last authored
//! and `u` ten bits of on-chain randomness per member; Aura assigns slot `k` to author
//! `k mod n`, and the list is rotated so that the highest voting right gets the first slot
//! after the change. Everyone in the group authors equally often; the order decides who goes
//! first, and members that waited longest move up.
//!
//! ## Liveness fallback
//!
//! Sessions rotate by block number, so a wholly offline group would stop the chain. The
//! runtime gives the node [`Pallet::authoring_schedule`] as Aura's authority list: after a
//! block at slot `p`, the group keeps slots `p + 1 ..= p + a` (`a = max(FallbackAfterSlots,
//! g)`, in Aura's own order), then the committee members outside the group get a window of
//! slots ([`schedule`]). The first block sealed in such a window emits
//! [`Event::AuthoringFallback`] and hands every slot of the rest of the session to them
//! ([`FallbackSession`]); the next session starts with its own group.
//!
//! ## Rewards (lazy, O(1) per block)
//!
//! The runtime routes the producer share of each block's emission and the block's fees here
//! (`OnUnbalanced`). For the author's candidate with deposit `d`, leases `L` and commission
//! `c`, a reward `R` is split ([`economics::split_reward`]): the lessors get
//! `⌊(R − ⌊c·R⌋) · L / (d + L)⌋` into the reward pot and the candidate the rest, now. The
//! lessors' part raises the candidate's accumulator `A += ⌊part · 10²⁷ / L⌋`; a lease of `l`
//! with snapshot `a` is owed `⌊l · (A − a) / 10²⁷⌋`. Every lease change pays what is owed and
//! resets the snapshot, and [`Pallet::claim_rewards`] pays it any time, in one step however
//! many blocks passed: no era loop, no unbounded work. Rounding dust stays in the pot.
//!
//! ## Slashing that pays the reporter
//!
//! A proven offence (GRANDPA equivocation through `pallet-offences`, which calls this
//! pallet's `OnOffenceHandler`, or an Aura double-authoring report,
//! [`Pallet::report_double_authoring`]) slashes `slash_fraction` of the offender's held
//! deposit (including unbonding deposit), pays `reporter_share` of it to the reporters and
//! the rest to [`Config::SlashDestination`]. Lessors' funds are held for their leases only and are
//! never touched. The offender is marked Slashed: it is not electable, it leaves the
//! authoring order from the next session and the validator set at the next planned session.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod economics;
#[cfg(any(test, feature = "try-runtime"))]
mod invariants;
mod ledger;
pub mod migrations;
mod rewards;
mod rotation;
pub mod runtime_api;
pub mod schedule;
mod slashing;
mod slots;
pub use slots::SlotAuthor;
mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use rewards::FeeCollector;
pub use slashing::SessionAuthoringKeys;
pub use types::*;
pub use weights::WeightInfo;

/// What the benchmarks need from the runtime.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, AuthorityId> {
	/// Registers session keys for `who` with `authority` as its authoring key.
	fn set_session_keys(who: &AccountId, authority: &AuthorityId);
	/// Makes `slot` the current block's slot ([`Config::CurrentSlot`]).
	fn set_current_slot(slot: u64);
	/// Makes [`Config::BlockAuthor`] find an author that is an Active candidate for the
	/// current block.
	fn prepare_block_author();
}

use kmcc_primitives::Balance;
use polkadot_sdk::{
	frame_support::{traits::fungible::Credit, BoundedVec},
	frame_system::pallet_prelude::BlockNumberFor,
};

/// The parameters type of a runtime.
pub type ParametersOf<T> = DposParameters<BlockNumberFor<T>>;
/// An unbonding chunk of a runtime.
pub type UnbondingChunkOf<T> = UnbondingChunk<BlockNumberFor<T>>;
/// A credit of the pallet's currency.
pub type CreditOf<T> =
	Credit<<T as polkadot_sdk::frame_system::Config>::AccountId, <T as Config>::Currency>;
/// A header of the runtime's blocks.
pub type HeaderOf<T> = polkadot_sdk::frame_system::pallet_prelude::HeaderFor<T>;
/// A committee: members with the backing they were elected with, highest first.
pub type CommitteeOf<T> = BoundedVec<
	(<T as polkadot_sdk::frame_system::Config>::AccountId, Balance),
	<T as Config>::MaxCommitteeSize,
>;
/// A committee's authoring groups.
pub type GroupsOf<T> = BoundedVec<
	BoundedVec<
		<T as polkadot_sdk::frame_system::Config>::AccountId,
		<T as Config>::MaxCommitteeSize,
	>,
	<T as Config>::MaxGroups,
>;

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use kmcc_primitives::Balance;
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::{
				fungible::{self, BalancedHold, InspectFreeze, MutateFreeze, MutateHold},
				Contains, OnUnbalanced, Randomness,
			},
			PalletId,
		},
		frame_system::pallet_prelude::*,
		sp_runtime::{
			traits::{AccountIdConversion, Zero},
			Perbill, RuntimeAppPublic,
		},
		sp_staking::SessionIndex,
	};

	/// The in-code storage version (2: `CandidateList` holds Active candidates only; 3: leases
	/// are holds, not freezes).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A candidate's deposit (including unbonding deposit): slashable.
		CandidateDeposit,
		/// Leased to candidates (including unbonding leases): stays in the holder's account,
		/// never slashed.
		Lease,
	}

	/// Why this pallet froze funds. Only storage version 2 froze leases; the v2 → v3 migration
	/// ([`crate::migrations::MigrateV2ToV3`]) thaws them into [`HoldReason::Lease`], and no
	/// freeze is taken any more.
	#[pallet::composite_enum]
	pub enum FreezeReason {
		/// Leases of storage version 2 (thawed by the migration).
		Leased,
	}

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// KMCC: holds deposits and leases, pays rewards and slashes (freezes only to thaw the
		/// leases of storage version 2).
		type Currency: fungible::Mutate<Self::AccountId, Balance = Balance>
			+ fungible::Balanced<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ BalancedHold<Self::AccountId>
			+ MutateFreeze<Self::AccountId, Id = Self::RuntimeFreezeReason>
			+ InspectFreeze<Self::AccountId>;
		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;
		/// The runtime's freeze reasons.
		type RuntimeFreezeReason: From<FreezeReason>;
		/// The frozen part of an account's balance: deposits and leases are held only from
		/// funds that no freeze or lock claims (e.g. a vesting lock).
		type Frozen: kmcc_primitives::funds::FrozenBalance<Self::AccountId>;
		/// The block-authoring key (Aura), whose seals a double-authoring report checks.
		type AuthorityId: Member + Parameter + RuntimeAppPublic + MaxEncodedLen;
		/// The validators' authoring keys of each session as it starts (the session pallet's
		/// queued keys in the runtime). Recorded in [`AuthoringKeys`], so that a double-authoring
		/// report finds a key's owner as of the reported block, whatever keys were set since.
		type SessionKeys: SessionAuthoringKeys<Self::AccountId, Self::AuthorityId>;
		/// Accounts with session keys registered: only they can become candidates.
		type HasSessionKeys: Contains<Self::AccountId>;
		/// The author of the current block (`pallet-authorship` in the runtime).
		type BlockAuthor: Get<Option<Self::AccountId>>;
		/// The slot of the current block, to put the highest voting right first and to see
		/// slots without blocks.
		type CurrentSlot: Get<u64>;
		/// Slots without a block after which the committee members outside the session's
		/// group may author (the liveness fallback, [`schedule`]); at least the group's size
		/// is used, so every member of the group had its turn. 0 disables the fallback.
		#[pallet::constant]
		type FallbackAfterSlots: Get<u64>;
		/// On-chain randomness for the author order inside a group.
		type Randomness: Randomness<Self::Hash, BlockNumberFor<Self>>;
		/// Receives slashes not paid to reporters and rewards nobody can receive.
		type SlashDestination: OnUnbalanced<CreditOf<Self>>;
		/// The reward pot's id; the pot holds lessors' unpaid rewards.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Most candidates at once (bounds the election).
		#[pallet::constant]
		type MaxCandidates: Get<u32>;
		/// Most committee members (bounds `committee_size`).
		#[pallet::constant]
		type MaxCommitteeSize: Get<u32>;
		/// Most groups (bounds `group_count`).
		#[pallet::constant]
		type MaxGroups: Get<u32>;
		/// Most candidates one holder may lease to.
		#[pallet::constant]
		type MaxLeasesPerHolder: Get<u32>;
		/// Most unbonding chunks per account.
		#[pallet::constant]
		type MaxUnbondingChunks: Get<u32>;
		/// Sessions whose authoring keys are kept: a double-authoring report must come within
		/// this many sessions (and within `frame_system`'s `BlockHashCount` blocks).
		#[pallet::constant]
		type ReportableSessions: Get<u32>;
		/// May replace the parameters ([`Pallet::set_parameters`]): root, or a governance
		/// track's origin.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Generated weights.
		type WeightInfo: WeightInfo;
		/// Session keys for benchmark accounts.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::AuthorityId>;
	}

	/// The DPoS parameters.
	#[pallet::storage]
	pub type Parameters<T: Config> = StorageValue<_, ParametersOf<T>, OptionQuery>;

	/// Registered candidates (Active, Leaving or Slashed), by account. A Leaving record is
	/// pruned once nothing refers to it; a Slashed record stays, so the account cannot register
	/// again.
	#[pallet::storage]
	pub type Candidates<T: Config> = StorageMap<_, Twox64Concat, T::AccountId, Candidate>;

	/// The Active candidates' accounts: what the election iterates. Leaving and slashed
	/// candidates leave it at once, so they never take a slot a new candidate needs.
	#[pallet::storage]
	pub type CandidateList<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxCandidates>, ValueQuery>;

	/// Leases: holder → candidate → lease.
	#[pallet::storage]
	pub type Leases<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, T::AccountId, Lease>;

	/// The candidates each holder leases to (bounds a holder's leases).
	#[pallet::storage]
	pub type HolderLeases<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<T::AccountId, T::MaxLeasesPerHolder>,
		ValueQuery,
	>;

	/// Funds unbonding, per account.
	#[pallet::storage]
	pub type Unbonding<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<UnbondingChunkOf<T>, T::MaxUnbondingChunks>,
		ValueQuery,
	>;

	/// The current era.
	#[pallet::storage]
	pub type CurrentEra<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// First session of the current era.
	#[pallet::storage]
	pub type EraStartSession<T: Config> = StorageValue<_, SessionIndex, ValueQuery>;

	/// The current era's committee with the backing each member was elected with.
	#[pallet::storage]
	pub type Committee<T: Config> = StorageValue<_, CommitteeOf<T>, ValueQuery>;

	/// The current era's groups.
	#[pallet::storage]
	pub type Groups<T: Config> = StorageValue<_, GroupsOf<T>, ValueQuery>;

	/// The next era, elected at planning and installed when its first session starts:
	/// (first session, committee, groups).
	#[pallet::storage]
	pub type PlannedEra<T: Config> = StorageValue<_, (SessionIndex, CommitteeOf<T>, GroupsOf<T>)>;

	/// The current session (mirrors the session pallet's index).
	#[pallet::storage]
	pub type CurrentSession<T: Config> = StorageValue<_, SessionIndex, ValueQuery>;

	/// The group authoring in the current session.
	#[pallet::storage]
	pub type ActiveGroup<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// The current session's authors in voting-right order (rotated for Aura's slot order).
	#[pallet::storage]
	pub type SessionAuthors<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxCommitteeSize>, ValueQuery>;

	/// The last session in which each committee member authored a block.
	#[pallet::storage]
	pub type LastAuthoredSession<T: Config> =
		StorageMap<_, Twox64Concat, T::AccountId, SessionIndex>;

	/// Set when a member was slashed: the next planned session drops it from the validators.
	#[pallet::storage]
	pub type CommitteeChanged<T: Config> = StorageValue<_, bool, ValueQuery>;

	/// Double-authoring offences already punished: (offender, slot) → block of the report.
	#[pallet::storage]
	pub type DoubleAuthoringReports<T: Config> =
		StorageMap<_, Twox64Concat, (T::AccountId, u64), BlockNumberFor<T>>;

	/// The sessions whose authoring keys are recorded, oldest first: (session, the block in
	/// which it started). At most `ReportableSessions`.
	#[pallet::storage]
	pub type RecordedSessions<T: Config> = StorageValue<
		_,
		BoundedVec<(SessionIndex, BlockNumberFor<T>), T::ReportableSessions>,
		ValueQuery,
	>;

	/// A recorded session's validators with the authoring keys they had in it.
	#[pallet::storage]
	pub type AuthoringKeys<T: Config> = StorageMap<
		_,
		Twox64Concat,
		SessionIndex,
		BoundedVec<(T::AccountId, T::AuthorityId), T::MaxCommitteeSize>,
		ValueQuery,
	>;

	/// The slot of the last block, written when it finalizes: during a block it is the
	/// parent's slot, from which the authoring schedule counts. `None` before the first block
	/// (the schedule is then the group alone).
	#[pallet::storage]
	pub type LastBlockSlot<T: Config> = StorageValue<_, u64, OptionQuery>;

	/// The session in which a block was authored by a fallback author: for the rest of it the
	/// fallback authors take every slot ([`Pallet::authoring_schedule`]).
	#[pallet::storage]
	pub type FallbackSession<T: Config> = StorageValue<_, SessionIndex, OptionQuery>;

	/// The current block's fees, collected but not yet shared ([`FeeCollector`]); always empty
	/// between blocks. Whitelisted for benchmarks: every fee-paying transaction reads and
	/// writes it, so after the block's first fee it is in the block's overlay, and the one
	/// database access it costs is charged to `on_initialize` (`share_block_fees`).
	#[pallet::storage]
	#[pallet::whitelist_storage]
	pub type BlockFees<T: Config> = StorageValue<_, PendingFees<T::AccountId>, OptionQuery>;

	#[pallet::genesis_config]
	#[derive(polkadot_sdk::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The DPoS parameters (required).
		pub parameters: Option<ParametersOf<T>>,
		/// Initial candidates: (account, deposit, commission). They need session keys in the
		/// session pallet's genesis and are elected into the genesis committee.
		pub candidates: alloc::vec::Vec<(T::AccountId, Balance, Perbill)>,
		/// Initial leases: (holder, candidate, amount).
		pub leases: alloc::vec::Vec<(T::AccountId, T::AccountId, Balance)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// A chain spec with invalid DPoS genesis must not start: there is no error channel
			// here, so the build stops with the reason (this runs when a spec is built, never
			// in a block).
			let Some(parameters) = self.parameters.clone() else {
				// No DPoS on this chain yet (e.g. a default genesis): nothing to build.
				if !self.candidates.is_empty() || !self.leases.is_empty() {
					panic!("pallet-dpos genesis: candidates and leases need `parameters`");
				}
				return;
			};
			if let Err(e) = Pallet::<T>::validate_parameters(&parameters) {
				panic!("pallet-dpos genesis: invalid parameters: {e:?}");
			}
			Parameters::<T>::put(&parameters);
			for (who, deposit, commission) in &self.candidates {
				if let Err(e) = Pallet::<T>::do_register(who, *deposit, *commission, false) {
					panic!("pallet-dpos genesis: candidate {who:?}: {e:?}");
				}
			}
			for (holder, candidate, amount) in &self.leases {
				if let Err(e) = Pallet::<T>::do_lease(holder, candidate, *amount) {
					panic!("pallet-dpos genesis: lease {holder:?} → {candidate:?}: {e:?}");
				}
			}
			let (committee, groups) = Pallet::<T>::elect_committee();
			if committee.is_empty() {
				panic!("pallet-dpos genesis: no candidate to elect");
			}
			Committee::<T>::put(committee);
			Groups::<T>::put(groups);
			Pallet::<T>::start_session_authors(0);
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Notes a block sealed by a fallback author (it switches the session to the
		/// fallback); the weight includes `on_finalize`.
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			// The fee share at the end of the block, and the reward pot's account, which
			// runtime benchmarks treat as warm (every fee and emission share touches it).
			Self::note_block_slot()
				.saturating_add(T::WeightInfo::share_block_fees())
				.saturating_add(T::DbWeight::get().reads_writes(1, 1))
		}

		/// Shares the block's fees; keeps this block's slot for the next block's schedule.
		fn on_finalize(_n: BlockNumberFor<T>) {
			Self::share_block_fees();
			LastBlockSlot::<T>::put(T::CurrentSlot::get());
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A candidate registered with its deposit held.
		CandidateRegistered { candidate: T::AccountId, deposit: Balance, commission: Perbill },
		/// A candidate's deposit changed (a decrease unbonds).
		DepositChanged { candidate: T::AccountId, deposit: Balance },
		/// A candidate's commission changed.
		CommissionChanged { candidate: T::AccountId, commission: Perbill },
		/// A candidate withdrew: not electable; its deposit unbonds until `unlock_at`.
		CandidacyWithdrawn { candidate: T::AccountId, unlock_at: BlockNumberFor<T> },
		/// A holder leased (more) to a candidate; the amount is held in its account.
		Leased { holder: T::AccountId, candidate: T::AccountId, amount: Balance },
		/// A holder unleased; the amount stays held until `unlock_at`.
		Unleased {
			holder: T::AccountId,
			candidate: T::AccountId,
			amount: Balance,
			unlock_at: BlockNumberFor<T>,
		},
		/// Unbonded funds became free.
		Withdrawn { who: T::AccountId, leases: Balance, deposit: Balance },
		/// A lessor's rewards were paid from the pot.
		RewardsPaid { holder: T::AccountId, candidate: T::AccountId, amount: Balance },
		/// An era's committee was elected (installed at `first_session`).
		CommitteeElected {
			era: u32,
			first_session: SessionIndex,
			members: u32,
			groups: u32,
			total_backing: Balance,
		},
		/// A session's authoring group started.
		GroupRotated { session: SessionIndex, group: u32, authors: u32 },
		/// No block came for `empty_slots` slots and `author`, a committee member outside the
		/// group, sealed this one at `slot`: the fallback authors take every slot until the
		/// session ends.
		AuthoringFallback {
			session: SessionIndex,
			slot: u64,
			empty_slots: u64,
			author: Option<T::AccountId>,
		},
		/// A committee member's deposit was slashed for an offence and the reporters paid.
		Slashed { offender: T::AccountId, amount: Balance, to_reporters: Balance },
		/// A reporter received its part of a slash.
		ReporterPaid { reporter: T::AccountId, amount: Balance },
		/// Root changed the parameters.
		ParametersChanged,
		/// When leases became holds (storage version 3), `amount` of this lease (or, with
		/// `candidate` `None`, of the holder's unbonding leases) was not covered by funds free
		/// of other holds and freezes, so it was cut instead of backing two commitments.
		LeaseCut { holder: T::AccountId, candidate: Option<T::AccountId>, amount: Balance },
		/// The block's transaction fees and tips were shared: `to_candidate` paid to the
		/// author's candidate, `to_lessors` added to its lessors' rewards in the pot.
		BlockFeesShared { author: T::AccountId, to_candidate: Balance, to_lessors: Balance },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a candidate.
		AlreadyCandidate,
		/// The account is not a candidate.
		NotCandidate,
		/// The deposit is below `min_candidate_deposit`.
		DepositTooLow,
		/// The commission is above `max_commission`.
		CommissionTooHigh,
		/// Register session keys (`session.setKeys`) before becoming a candidate.
		NoSessionKeys,
		/// `MaxCandidates` candidates are registered.
		TooManyCandidates,
		/// The candidate is leaving or slashed: it accepts no deposit change or new leases.
		CandidateNotActive,
		/// The candidate already withdrew.
		AlreadyLeaving,
		/// The balance is too low for this deposit or lease (free balance minus what is
		/// already leased or unbonding).
		InsufficientBalance,
		/// The lease is below `min_lease`.
		LeaseTooSmall,
		/// No lease of this holder to this candidate.
		NoLease,
		/// Unleasing more than is leased, or leaving a remainder below `min_lease`.
		InvalidUnleaseAmount,
		/// The holder leases to `MaxLeasesPerHolder` candidates.
		TooManyLeases,
		/// `MaxUnbondingChunks` chunks are unbonding: withdraw matured ones first.
		TooManyUnbondingChunks,
		/// Nothing has finished unbonding.
		NothingToWithdraw,
		/// No rewards are pending.
		NoRewards,
		/// The reward pot cannot pay (should not happen: the pot is funded by the rewards).
		RewardPotInsufficient,
		/// Parameters out of range (zero sizes, more groups than members, above the bounds).
		InvalidParameters,
		/// A header of the report has no Aura slot (pre-runtime digest), more than one, or one
		/// that does not decode exactly.
		MissingSlot,
		/// A header of the report has no Aura seal.
		MissingSeal,
		/// The two headers are for different slots: not an equivocation.
		DifferentSlots,
		/// The two headers are the same block (their unsealed hashes are equal).
		SameHeader,
		/// A seal is not exactly one valid signature of the reported key.
		InvalidSeal,
		/// No validator of the header's session had the reported key.
		UnknownAuthority,
		/// The key's owner is not a candidate: nothing to slash.
		OffenderNotCandidate,
		/// This offence was already reported.
		DuplicateReport,
		/// The pallet has no parameters (genesis missing).
		NotConfigured,
		/// A header's parent is not one of this chain's last `BlockHashCount` blocks: a header
		/// of another chain, or too old to report.
		UnknownParent,
		/// The header's session is older than the recorded ones (`ReportableSessions`).
		SessionNotRecorded,
		/// The account was slashed: it may not register again.
		CandidateSlashed,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Become a candidate: hold `deposit` (≥ `min_candidate_deposit`) and set the
		/// commission (≤ `max_commission`). Requires registered session keys.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_candidate(T::MaxCandidates::get()).saturating_add(T::WeightInfo::share_block_fees()))]
		pub fn register_candidate(
			origin: OriginFor<T>,
			deposit: Balance,
			commission: Perbill,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::share_block_fees();
			Self::do_register(&who, deposit, commission, true)
		}

		/// Raise (held now) or lower (unbonds) the caller's candidate deposit; it must stay
		/// ≥ `min_candidate_deposit`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_deposit().saturating_add(T::WeightInfo::share_block_fees()))]
		pub fn set_deposit(origin: OriginFor<T>, deposit: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::share_block_fees();
			Self::do_set_deposit(&who, deposit)
		}

		/// Change the caller's commission (≤ `max_commission`); applies to the next reward.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_commission().saturating_add(T::WeightInfo::share_block_fees()))]
		pub fn set_commission(origin: OriginFor<T>, commission: Perbill) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::share_block_fees();
			let max = Self::parameters()?.max_commission;
			ensure!(commission <= max, Error::<T>::CommissionTooHigh);
			Candidates::<T>::try_mutate(&who, |c| -> DispatchResult {
				let c = c.as_mut().ok_or(Error::<T>::NotCandidate)?;
				c.commission = commission;
				Ok(())
			})?;
			Self::deposit_event(Event::CommissionChanged { candidate: who, commission });
			Ok(())
		}

		/// Stop being electable: the whole deposit unbonds (stays held and slashable until
		/// `unbonding_period` has passed) and the candidate leaves `CandidateList` at once.
		/// Leases stay until their holders unlease. A slashed candidate may unbond what the
		/// slash left; it stays Slashed (out of the authoring order, never electable).
		///
		/// Origin: signed, a candidate. Emits `CandidacyWithdrawn`. Complexity: O(C) in the
		/// candidates listed.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::withdraw_candidacy(T::MaxCandidates::get()).saturating_add(T::WeightInfo::share_block_fees()))]
		pub fn withdraw_candidacy(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::share_block_fees();
			Self::do_withdraw_candidacy(&who)
		}

		/// Lease `amount` of the caller's free balance to `candidate`: held in the caller's
		/// account (hold reason `Lease`), counted as the candidate's backing, earning a share of
		/// its rewards. Only funds no freeze or lock claims can be leased. Pays the rewards
		/// pending on an existing lease first.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::lease().saturating_add(T::WeightInfo::share_block_fees()))]
		pub fn lease(
			origin: OriginFor<T>,
			candidate: T::AccountId,
			amount: Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::share_block_fees();
			Self::do_lease(&who, &candidate, amount)
		}

		/// Unlease `amount` from `candidate` (all of it, or leaving ≥ `min_lease`): pays the
		/// pending rewards; the amount stays held for `unbonding_period`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::unlease(T::MaxCandidates::get()).saturating_add(T::WeightInfo::share_block_fees()))]
		pub fn unlease(
			origin: OriginFor<T>,
			candidate: T::AccountId,
			amount: Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::share_block_fees();
			Self::do_unlease(&who, &candidate, amount)
		}

		/// Pay the caller's pending rewards on its lease to `candidate`, however many blocks
		/// they accrued over, in one step.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::claim_rewards().saturating_add(T::WeightInfo::share_block_fees()))]
		pub fn claim_rewards(origin: OriginFor<T>, candidate: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::share_block_fees();
			let paid = Self::settle_rewards(&who, &candidate)?;
			ensure!(paid > 0, Error::<T>::NoRewards);
			Ok(())
		}

		/// Free every matured unbonding chunk of the caller (leases are thawed, deposits
		/// released).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::withdraw_unbonded(
			T::MaxUnbondingChunks::get(),
			T::MaxCandidates::get()
		).saturating_add(T::WeightInfo::share_block_fees()))]
		pub fn withdraw_unbonded(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::share_block_fees();
			Self::do_withdraw_unbonded(&who)
		}

		/// Prove that the owner of authoring key `authority` sealed two different headers for
		/// the same slot: slashes its deposit and pays the caller. Invalid reports fail with a
		/// named error and the caller pays the fee.
		///
		/// Both headers must build on blocks of this chain (within `BlockHashCount`), carry
		/// exactly one Aura slot (the same), and be sealed by `authority` over their unsealed
		/// hashes, which differ; the key's owner is the validator that had it in the headers'
		/// session (within `ReportableSessions`), whatever keys it set since.
		///
		/// Origin: signed, anyone. Emits `Slashed` and `ReporterPaid`. Complexity: O(1) (two
		/// signature checks, one committee's keys read).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::report_double_authoring().saturating_add(T::WeightInfo::share_block_fees()))]
		pub fn report_double_authoring(
			origin: OriginFor<T>,
			authority: T::AuthorityId,
			first: alloc::boxed::Box<HeaderOf<T>>,
			second: alloc::boxed::Box<HeaderOf<T>>,
		) -> DispatchResult {
			let reporter = ensure_signed(origin)?;
			Self::share_block_fees();
			Self::do_report_double_authoring(reporter, authority, *first, *second)
		}

		/// Replace the parameters ([`Config::AdminOrigin`]). Applies from the next election;
		/// lowering the minimum deposit does not release anything.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::set_parameters())]
		pub fn set_parameters(origin: OriginFor<T>, parameters: ParametersOf<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::validate_parameters(&parameters)?;
			Parameters::<T>::put(parameters);
			Self::deposit_event(Event::ParametersChanged);
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The parameters, or [`Error::NotConfigured`].
		pub(crate) fn parameters() -> Result<ParametersOf<T>, Error<T>> {
			Parameters::<T>::get().ok_or(Error::<T>::NotConfigured)
		}

		/// Checks parameters against the bounds.
		pub fn validate_parameters(p: &ParametersOf<T>) -> Result<(), Error<T>> {
			let ok = p.min_candidate_deposit > 0
				&& p.committee_size >= 1
				&& p.committee_size <= T::MaxCommitteeSize::get()
				&& p.group_count >= 1
				&& p.group_count <= T::MaxGroups::get()
				&& p.group_count <= p.committee_size
				&& p.sessions_per_era >= 1
				&& !p.session_length.is_zero();
			ensure!(ok, Error::<T>::InvalidParameters);
			Ok(())
		}

		/// Blocks per session, for the runtime's session rotation (`None` before genesis).
		pub fn session_length() -> Option<BlockNumberFor<T>> {
			Parameters::<T>::get().map(|p| p.session_length)
		}

		/// The reward pot: holds the lessors' unpaid rewards.
		pub fn reward_pot() -> T::AccountId {
			T::PalletId::get().into_account_truncating()
		}
	}
}
