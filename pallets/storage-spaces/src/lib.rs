//! # Storage spaces
//!
//! design §5 (Contattract ch. 3): writable space rented by the MiB-day from landlords, priced
//! by a Bancor curve against a fund pool that pays the rent. This pallet is the on-chain half;
//! storage daemons use it through its extrinsics, events and `StorageSpacesApi`.
//!
//! ## Landlords and the world disk
//!
//! A landlord registers capacity (MiB), a node key (signs space proofs) and an endpoint,
//! holding [`StorageParameters::collateral_per_gib`] per started GiB
//! ([`HoldReason::LandlordCollateral`]). Capacity is used in **copy groups** of
//! [`GROUP_CHUNKS`] = 64 chunks of 1 MiB: group `g` is chunks `[64g, 64g + 64)` of the world
//! disk, stored in full by each of its `replica_count` (4) members, all distinct landlords.
//! The chain forms groups itself: while `replica_count` landlords have a free 64 MiB slot,
//! the ones with the most free slots (ties: lower account) form a new group. Taking the `r`
//! largest every time is the greedy that packs the most groups, and it keeps landlords
//! loaded in proportion to their capacity. Then each member of the new group swaps places
//! with a random member of a random older group (on-chain randomness), so that the capacity
//! registered last does not form groups of its own: where a party's replicas land does not
//! depend on when it registered. The **world disk** is `W = 64 · groups` MiB: the logical
//! space that can be sold (each MiB is stored `r` times).
//!
//! A landlord that leaves ([`Pallet::leave`]) or is blacklisted hands each of its replicas to
//! a landlord drawn at random among those with a free slot outside that group; a voluntary
//! leave is refused if some group would have no replacement, a blacklisted landlord's group is left
//! *degraded* (fewer replicas) until capacity arrives. The collateral is released
//! `unbonding_period` blocks after leaving.
//!
//! ## Price (Bancor, Contattract 3.3.4)
//!
//! With `T = 365 · W` MiB-days sellable, `B` sold and not yet consumed, `R = T − B` and `M` the
//! pool's balance (less rent already released to landlords), the price of a MiB-day is
//! `p = M / (c · R)`, `c` = [`StorageParameters::reserve_ratio`] (20 %). It is computed once in
//! `on_initialize` ([`BlockPrice`]) and fixed within the block. Cheap while the disk is
//! empty, it grows as `1/R`: at half sold twice the empty price, at 90 % ten times. The pool
//! receives the storage share of each block's emission (`pallet-kmcc-issuance`, via this
//! pallet's `OnUnbalanced`), donations ([`Pallet::donate`]), slashed collateral and report
//! fees, so `p > 0` from genesis. Fixed-point integers only; prices and costs round up,
//! payouts down: every rounding favours the pool.
//!
//! ## Spaces
//!
//! [`Pallet::buy_space`] `(size, days, max_price)` pays `p · size · duration` into the pool,
//! refuses above `max_price` or if `size · duration > R`, and takes free chunks first, then
//! the chunks of the earliest-expired locked spaces (which are then reclaimed and gone).
//! Times run on the **rent clock** ([`RentClock`]: the previous block's timestamp, the time
//! up to which rent is settled), and expiries are rounded up to the next
//! [`Config::ExpiryBucketMs`] boundary, so a space expires together with others in one
//! bucket and `on_initialize` handles expiries per bucket, not per space. `duration` is
//! `expiry − clock`: at least `days`, less than `days` + one bucket (up to three more when
//! nearby buckets are full, `MaxSpacesPerBucket`), and that is what is paid.
//! At expiry a space is **locked** (not readable or writable, the runtime API says so);
//! [`Pallet::unlock`] brings back a locked space not yet reclaimed by paying the locked
//! interval plus a new period; [`Pallet::extend`] and [`Pallet::resize`] pay for the
//! difference at the current price (shrinking refunds nothing). Owners grant read or write
//! access to other accounts ([`Pallet::grant_access`]).
//!
//! ## Rent (design §5 interpretation of Contattract 3.3.5)
//!
//! The whitepaper releases `M₋₁ · Δt / B₋₁` per block, which mixes units (MiB-days and days).
//! Here each block settles the rent clock from `t₋₁` to `t`: the active spaces consume
//! `consumed = ActiveMiB · Δt` MiB-ms (split at expiry boundaries), `B` drops by `consumed`,
//! and the same fraction of the pool, `M · consumed / B`, is released as rent. Released rent
//! is kept in the pool account as [`RoundRent`] and paid at the end of the proof round to the
//! landlords that proved their groups in that round, pro rata to the replicas proven. The
//! purchases still unconsumed, [`PrepaidRent`] `P`, shrink by the same fraction
//! `P · consumed / B`; since `M ≥ P` before and both lose the same fraction (rounded down),
//! `M ≥ P` after: **the pool always holds the prepaid, unconsumed rent**, plus the subsidy
//! and donations, which are paid out along with it.
//!
//! ## Proof of spacetime (Contattract 3.1.3, 3.2)
//!
//! Every [`Config::ChallengePeriod`] blocks a round closes and a new challenge is derived
//! from on-chain randomness ([`Challenge`]); for each group it names a window (chunk, byte
//! offset, [`Config::ChallengeLength`] bytes, [`Pallet::challenge_window`]). The members hash
//! that window, cross-check, and one of them submits a *space verification transaction*
//! ([`Pallet::submit_space_proof`]) carrying each member's node-key signature over
//! `blake2_256(("kmcc/pos", round, group, seed, node key, data hash))`
//! ([`Pallet::proof_payload`]). It counts when `⌈2r/3⌉` members sign the same data hash; it
//! is free when it carries a vote of every member and pays the fee otherwise. Until the round
//! closes, members left out of a counted proof add their votes for its hash, for free, so no
//! one can fault an honest member by submitting a quorum without it. When the round closes,
//! landlords with a group they did not prove (outside the majority, or the group has no
//! counted proof) get no rent for those groups and **one** fault for the round, however many
//! groups they serve (groups whose membership changed in the round are not judged). `max_faults` faults within `fault_window` rounds slash
//! `fault_slash` of the collateral into the pool and blacklist the landlord; its replicas are
//! reassigned. Owners of a space may also report a landlord of their space as unavailable
//! ([`Pallet::report_unavailable`], `report_fee` into the pool, one counted report per
//! landlord per round): a fault as well.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod landlords;
pub mod migrations;
pub mod pricing;
mod proofs;
mod rent;
pub mod runtime_api;
mod spaces;
mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use pricing::{DAY_MS, GROUP_CHUNKS, MAX_ORDER_DAYS};
pub use spaces::MAX_STALE_SKIPS;
pub use types::*;
pub use weights::WeightInfo;

use kmcc_primitives::Balance;
use polkadot_sdk::{
	frame_support::{traits::fungible::Credit, BoundedVec},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_core::H256,
};

/// The landlord node key: sr25519 under key type `stor`.
pub mod crypto {
	use polkadot_sdk::{
		sp_application_crypto::{app_crypto, sr25519},
		sp_core::crypto::KeyTypeId,
	};

	/// Key type of storage node keys in a keystore.
	pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"stor");

	app_crypto!(sr25519, KEY_TYPE);

	/// A storage node's public key.
	pub type NodeId = Public;
	/// A storage node's signature.
	pub type NodeSignature = Signature;
}

/// Signing context of space proofs.
pub const PROOF_CONTEXT: [u8; 8] = *b"kmcc/pos";

/// Signing context of a node key's proof of possession.
pub const NODE_OWNERSHIP_CONTEXT: [u8; 15] = *b"kmcc/storage/nd";

/// What a node key signs to prove it consents to serve `landlord`: the context followed by
/// the landlord's SCALE encoding (for `AccountId32`, its 32 bytes).
pub fn node_ownership_payload<AccountId: codec::Encode>(
	landlord: &AccountId,
) -> alloc::vec::Vec<u8> {
	codec::Encode::encode(&(NODE_OWNERSHIP_CONTEXT, landlord))
}

/// A bounded endpoint.
pub type EndpointOf<T> = BoundedVec<u8, <T as Config>::MaxEndpointLength>;
/// The landlord record.
pub type LandlordOf<T> = Landlord<
	<T as Config>::NodeId,
	BlockNumberFor<T>,
	EndpointOf<T>,
	<T as Config>::MaxGroupsPerLandlord,
>;
/// The copy-group record.
pub type CopyGroupOf<T> =
	CopyGroup<<T as polkadot_sdk::frame_system::Config>::AccountId, <T as Config>::MaxReplicas>;
/// The space record.
pub type SpaceOf<T> = Space<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
	<T as Config>::MaxChunkSetsPerSpace,
>;
/// A node-key signature.
pub type NodeSignatureOf<T> =
	<<T as Config>::NodeId as polkadot_sdk::sp_runtime::RuntimeAppPublic>::Signature;
/// One member's vote in a space proof.
pub type ProofVoteOf<T> =
	ProofVote<<T as polkadot_sdk::frame_system::Config>::AccountId, NodeSignatureOf<T>>;
/// A credit of the currency.
pub type CreditOf<T> =
	Credit<<T as polkadot_sdk::frame_system::Config>::AccountId, <T as Config>::Currency>;
/// The parameters with this runtime's block number.
pub type ParametersOf<T> = StorageParameters<BlockNumberFor<T>>;

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::{
				fungible::{Inspect, InspectHold, Mutate, MutateHold},
				tokens::{Fortitude, Precision, Preservation},
				Randomness, Time,
			},
			PalletId,
		},
		frame_system::{self, pallet_prelude::*},
		sp_runtime::{
			traits::{AccountIdConversion, Zero},
			RuntimeAppPublic,
		},
	};

	/// The in-code storage version.
	/// The in-code storage version (2: `GroupProofs` records the counted data hash).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A landlord's collateral.
		#[codec(index = 0)]
		LandlordCollateral,
	}

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The KMCC currency.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason, Balance = Balance>
			+ InspectHold<Self::AccountId, Balance = Balance>
			+ Mutate<Self::AccountId>
			+ polkadot_sdk::frame_support::traits::fungible::Balanced<
				Self::AccountId,
				Balance = Balance,
			>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Block time in milliseconds (the timestamp pallet).
		type Time: Time<Moment = u64>;

		/// On-chain randomness for challenges.
		type Randomness: Randomness<Self::Hash, BlockNumberFor<Self>>;

		/// The frozen part of an account's balance: collateral is held only from funds that no
		/// freeze or lock claims (a lease, a vesting lock).
		type Frozen: kmcc_primitives::funds::FrozenBalance<Self::AccountId>;
		/// Landlord node keys (the runtime uses [`crypto::NodeId`]).
		type NodeId: Member + Parameter + RuntimeAppPublic + Ord + MaxEncodedLen;

		/// May change [`StorageParameters`].
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The fund pool's account (the runtime's storage subsidy pool).
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Blocks per proof round (20).
		#[pallet::constant]
		type ChallengePeriod: Get<BlockNumberFor<Self>>;

		/// Bytes of a chunk hashed per challenge.
		#[pallet::constant]
		type ChallengeLength: Get<u32>;

		/// Expiries are rounded up to multiples of this many milliseconds.
		#[pallet::constant]
		type ExpiryBucketMs: Get<u64>;

		/// Most expiry buckets `on_initialize` settles in one block (after a stall the rent
		/// clock catches up over several blocks).
		#[pallet::constant]
		type MaxBucketsPerBlock: Get<u32>;

		/// Most landlords registered at once.
		#[pallet::constant]
		type MaxLandlords: Get<u32>;

		/// Most copy groups a landlord joins (capacity above `64 ·` this is refused).
		#[pallet::constant]
		type MaxGroupsPerLandlord: Get<u32>;

		/// Most copy groups on the world disk.
		#[pallet::constant]
		type MaxCopyGroups: Get<u32>;

		/// Bound of `replica_count`.
		#[pallet::constant]
		type MaxReplicas: Get<u32>;

		/// Most copy groups one space spans (a space is at most `64 ·` this MiB).
		#[pallet::constant]
		type MaxChunkSetsPerSpace: Get<u32>;

		/// Most spaces expiring in one bucket.
		#[pallet::constant]
		type MaxSpacesPerBucket: Get<u32>;

		/// Most locked spaces one order reclaims.
		#[pallet::constant]
		type MaxReclaimsPerOrder: Get<u32>;

		/// Most accounts granted access to one space.
		#[pallet::constant]
		type MaxGrantsPerSpace: Get<u32>;

		/// Longest endpoint, in bytes.
		#[pallet::constant]
		type MaxEndpointLength: Get<u32>;

		/// Weights generated by `scripts/bench-pallets.sh`.
		type WeightInfo: WeightInfo;

		/// Sets the time in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper;
	}

	/// Parameters (genesis; `set_parameters`).
	#[pallet::storage]
	pub type Parameters<T: Config> = StorageValue<_, ParametersOf<T>, ValueQuery>;

	/// Landlords by account.
	#[pallet::storage]
	pub type Landlords<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, LandlordOf<T>>;

	/// Active landlords (candidates for copy groups), in registration order.
	#[pallet::storage]
	pub type ActiveLandlords<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxLandlords>, ValueQuery>;

	/// Landlord of each node key (a key serves one landlord, also after it left).
	#[pallet::storage]
	pub type NodeOwners<T: Config> = StorageMap<_, Blake2_128Concat, T::NodeId, T::AccountId>;

	/// Copy groups; ids `0..GroupCount`, never removed.
	#[pallet::storage]
	pub type CopyGroups<T: Config> = StorageMap<_, Twox64Concat, GroupId, CopyGroupOf<T>>;

	/// Number of copy groups: the world disk is `64 ·` this MiB.
	#[pallet::storage]
	pub type GroupCount<T> = StorageValue<_, u32, ValueQuery>;

	/// Groups with fewer than `replica_count` members, waiting for capacity.
	#[pallet::storage]
	pub type DegradedGroups<T: Config> =
		StorageValue<_, BoundedVec<GroupId, T::MaxCopyGroups>, ValueQuery>;

	/// Groups with unsold chunks, ascending.
	#[pallet::storage]
	pub type GroupsWithFreeChunks<T: Config> =
		StorageValue<_, BoundedVec<GroupId, T::MaxCopyGroups>, ValueQuery>;

	/// Unsold chunks (not counting those of locked spaces).
	#[pallet::storage]
	pub type FreeChunks<T> = StorageValue<_, u64, ValueQuery>;

	/// Spaces by id.
	#[pallet::storage]
	pub type Spaces<T: Config> = StorageMap<_, Twox64Concat, SpaceId, SpaceOf<T>>;

	/// Spaces of each owner.
	#[pallet::storage]
	pub type SpacesByOwner<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, SpaceId, ()>;

	/// Next space id.
	#[pallet::storage]
	pub type NextSpaceId<T> = StorageValue<_, SpaceId, ValueQuery>;

	/// Access granted on spaces.
	#[pallet::storage]
	pub type SpaceAccess<T: Config> =
		StorageDoubleMap<_, Twox64Concat, SpaceId, Blake2_128Concat, T::AccountId, Access>;

	/// Spaces expiring at each bucket boundary (rent-clock ms).
	#[pallet::storage]
	pub type ExpiryBuckets<T: Config> =
		StorageMap<_, Twox64Concat, u64, BoundedVec<SpaceId, T::MaxSpacesPerBucket>, ValueQuery>;

	/// MiB of active spaces expiring at each bucket boundary.
	#[pallet::storage]
	pub type ExpiringMiB<T> = StorageMap<_, Twox64Concat, u64, u64, ValueQuery>;

	/// Expired buckets in expiry order (`LockedQueueHead..LockedQueueTail`): reclaim order.
	#[pallet::storage]
	pub type LockedQueue<T> = StorageMap<_, Twox64Concat, u64, u64>;

	/// First entry of [`LockedQueue`].
	#[pallet::storage]
	pub type LockedQueueHead<T> = StorageValue<_, u64, ValueQuery>;

	/// One past the last entry of [`LockedQueue`].
	#[pallet::storage]
	pub type LockedQueueTail<T> = StorageValue<_, u64, ValueQuery>;

	/// The rent clock (ms): rent is settled up to here; spaces' times are on this clock.
	#[pallet::storage]
	pub type RentClock<T> = StorageValue<_, u64, ValueQuery>;

	/// MiB of active (not locked) spaces.
	#[pallet::storage]
	pub type ActiveMiB<T> = StorageValue<_, u64, ValueQuery>;

	/// `B`: MiB-ms sold and not yet consumed.
	#[pallet::storage]
	pub type SoldUnconsumed<T> = StorageValue<_, u128, ValueQuery>;

	/// `P`: the part of the pool paid for space not yet consumed.
	#[pallet::storage]
	pub type PrepaidRent<T> = StorageValue<_, Balance, ValueQuery>;

	/// Rent released this round, held in the pool until the round closes.
	#[pallet::storage]
	pub type RoundRent<T> = StorageValue<_, Balance, ValueQuery>;

	/// This block's price in planck per MiB-day; `None` when nothing can be sold.
	#[pallet::storage]
	pub type BlockPrice<T> = StorageValue<_, Balance, OptionQuery>;

	/// The open proof round's challenge.
	#[pallet::storage]
	pub type CurrentChallenge<T: Config> =
		StorageValue<_, Challenge<BlockNumberFor<T>>, ValueQuery>;

	/// Last counted proof of each group: its round, data hash and the members that passed.
	#[pallet::storage]
	pub type GroupProofs<T: Config> =
		StorageMap<_, Twox64Concat, GroupId, GroupProof<T::AccountId, T::MaxReplicas>>;

	/// Replicas (MiB) each landlord proved in the open round.
	#[pallet::storage]
	pub type RoundProven<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u64>;

	/// Replicas proven in the open round, all landlords.
	#[pallet::storage]
	pub type RoundProvenTotal<T> = StorageValue<_, u64, ValueQuery>;

	/// Round of the last counted availability report against each landlord.
	#[pallet::storage]
	pub type LastReport<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Round>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A landlord registered capacity and its collateral was held.
		LandlordRegistered { landlord: T::AccountId, capacity_mib: u32, collateral: Balance },
		/// A landlord added capacity.
		CapacityAdded { landlord: T::AccountId, capacity_mib: u32, collateral: Balance },
		/// A copy group was formed: the world disk grew by 64 MiB.
		CopyGroupFormed { group: GroupId, members: Vec<T::AccountId> },
		/// A replica moved (`to = None`: no landlord could take it, the group is degraded).
		ReplicaMoved { group: GroupId, from: Option<T::AccountId>, to: Option<T::AccountId> },
		/// A landlord left its groups; its collateral unlocks at `unlocks_at`.
		LandlordLeaving { landlord: T::AccountId, unlocks_at: BlockNumberFor<T> },
		/// A landlord's collateral was released.
		CollateralReleased { landlord: T::AccountId, amount: Balance },
		/// Someone donated to the pool.
		Donated { who: T::AccountId, amount: Balance },
		/// A space was bought.
		SpaceBought {
			space: SpaceId,
			owner: T::AccountId,
			size_mib: u32,
			expires_at: u64,
			price: Balance,
			cost: Balance,
		},
		/// A space's term was extended.
		SpaceExtended { space: SpaceId, expires_at: u64, cost: Balance },
		/// A space was resized.
		SpaceResized { space: SpaceId, size_mib: u32, cost: Balance },
		/// A locked space was unlocked: `back_payment` for the locked interval, `cost` for the
		/// new term.
		SpaceUnlocked { space: SpaceId, expires_at: u64, back_payment: Balance, cost: Balance },
		/// Spaces of `mib` MiB expired at `at` and are locked.
		SpacesLocked { at: u64, spaces: u32, mib: u64 },
		/// A locked space was reclaimed for a new order; it is gone.
		SpaceReclaimed { space: SpaceId, owner: T::AccountId },
		/// Access granted.
		AccessGranted { space: SpaceId, who: T::AccountId, access: Access },
		/// Access revoked.
		AccessRevoked { space: SpaceId, who: T::AccountId },
		/// The block consumed `consumed_mib_ms` of sold space and released `rent` from the pool.
		RentReleased { consumed_mib_ms: u128, rent: Balance },
		/// A copy group's space proof counted.
		SpaceProven { group: GroupId, round: Round, data_hash: H256, passed: Vec<T::AccountId> },
		/// Members left out of a counted proof added their votes for its data hash before the
		/// round closed.
		ProofVotesAdded { group: GroupId, round: Round, added: Vec<T::AccountId> },
		/// A landlord missed a proof or was reported: `faults` in the window.
		LandlordFaulted { landlord: T::AccountId, round: Round, faults: u32 },
		/// A landlord reached `max_faults`: `slashed` went to the pool, it is blacklisted.
		LandlordBlacklisted { landlord: T::AccountId, slashed: Balance },
		/// A user reported a landlord unavailable.
		AvailabilityReported { reporter: T::AccountId, landlord: T::AccountId, space: SpaceId },
		/// Rent of a round paid to a landlord.
		RentPaid { landlord: T::AccountId, round: Round, amount: Balance },
		/// A round closed: `rent` released during it, `paid` to landlords (the rest stays in
		/// the pool).
		RoundClosed { round: Round, rent: Balance, paid: Balance, groups_proven: u32 },
		/// A new challenge opens `round`.
		ChallengeIssued { round: Round, seed: H256 },
		/// Parameters changed.
		ParametersSet { parameters: ParametersOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a landlord (or was blacklisted).
		AlreadyLandlord,
		/// The account is not a landlord.
		NotLandlord,
		/// The node key serves another landlord.
		NodeKeyInUse,
		/// Capacity below one copy group (64 MiB).
		CapacityTooSmall,
		/// Capacity above `64 · MaxGroupsPerLandlord` MiB.
		CapacityTooLarge,
		/// The caller cannot hold the collateral or pay.
		InsufficientBalance,
		/// `MaxLandlords` are registered.
		TooManyLandlords,
		/// The landlord is not active (leaving or blacklisted).
		NotActive,
		/// Some copy group of the landlord would have no replacement: add capacity first.
		NoReplacement,
		/// The landlord is not leaving.
		NotLeaving,
		/// The unbonding period has not passed.
		StillUnbonding,
		/// Zero size, days or amount.
		Zero,
		/// More than 365 days of term.
		TermTooLong,
		/// Nothing can be sold now (no capacity or everything sold).
		NoPrice,
		/// The price is above the caller's `max_price`.
		PriceAboveLimit,
		/// Not enough unsold MiB-days (`R`).
		InsufficientRemaining,
		/// Not enough free or reclaimable chunks.
		InsufficientChunks,
		/// The space would span more than `MaxChunkSetsPerSpace` copy groups.
		TooFragmented,
		/// Every nearby expiry bucket is full; retry later or with other days.
		ExpiryBucketFull,
		/// The cost does not fit in a balance.
		Overflow,
		/// No such space (never bought, or reclaimed).
		UnknownSpace,
		/// The caller does not own the space.
		NotOwner,
		/// The space is locked (expired): unlock it first.
		SpaceLocked,
		/// The space is not locked.
		NotLocked,
		/// `MaxGrantsPerSpace` accounts already have access.
		TooManyGrants,
		/// The account has no access to revoke.
		NoSuchGrant,
		/// The proof is not for the open round.
		WrongRound,
		/// No such copy group.
		UnknownGroup,
		/// The group's proof of this round already counts every vote given for its data hash.
		AlreadyProven,
		/// A vote is from a landlord outside the group.
		NotAMember,
		/// Two votes from one landlord.
		DuplicateVote,
		/// A vote's signature does not verify with the landlord's node key.
		BadSignature,
		/// Fewer than `⌈2r/3⌉` members signed the same data hash.
		NoQuorum,
		/// The landlord does not serve the space.
		NotServing,
		/// The landlord was already reported this round.
		AlreadyReported,
		/// Parameters out of range (replica count 1..=MaxReplicas, positive collateral).
		InvalidParameters,
		/// The ownership proof is not the node key's signature of the caller's account.
		InvalidOwnershipProof,
	}

	#[pallet::genesis_config]
	#[derive(polkadot_sdk::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The parameters.
		pub parameters: ParametersOf<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// Genesis building cannot return an error: a bad chain spec is refused here.
			assert!(
				Pallet::<T>::parameters_valid(&self.parameters),
				"StorageSpaces genesis: replica_count must be in 1..=MaxReplicas, \
				 collateral_per_gib, max_faults and fault_window positive"
			);
			Parameters::<T>::put(&self.parameters);
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			let mut weight = Self::settle_rent();
			weight.saturating_accrue(Self::prune_locked_queue());
			if Self::is_round_end(n) {
				weight.saturating_accrue(Self::close_round(n));
			}
			Self::update_price();
			weight.saturating_add(T::WeightInfo::update_price())
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::check_invariants().map_err(Into::into)
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers the caller as a landlord of `capacity_mib` (used in 64 MiB copy groups)
		/// served by the daemon with `node` key at `endpoint`, holding the collateral from
		/// funds that are neither held nor frozen.
		///
		/// `ownership` is the node key's signature of [`node_ownership_payload`]`(caller)`:
		/// only the holder of the key can name it, so nobody can claim another daemon's key
		/// and be paid for its proofs.
		///
		/// Origin: signed. Emits `LandlordRegistered`, then `CopyGroupFormed` for the groups
		/// its capacity completes (after their members swapped places with random members of
		/// older groups, each swap a `ReplicaMoved`). Complexity: O(L + g) in the landlords and
		/// the groups formed. Charged for the largest registration, refunded to what it did
		/// (the groups formed, the older groups drawn and swapped).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_landlord(
			T::MaxLandlords::get(),
			T::MaxGroupsPerLandlord::get()
		).saturating_add(Pallet::<T>::scatter_weight(T::MaxGroupsPerLandlord::get())))]
		pub fn register_landlord(
			origin: OriginFor<T>,
			node: T::NodeId,
			capacity_mib: u32,
			endpoint: EndpointOf<T>,
			ownership: NodeSignatureOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			ensure!(
				node.verify(&node_ownership_payload(&who), &ownership),
				Error::<T>::InvalidOwnershipProof
			);
			let assigned = Self::do_register(who, node, capacity_mib, endpoint)?;
			Ok(Some(assigned.weight::<T>(T::WeightInfo::register_landlord)).into())
		}

		/// Adds `extra_mib` of capacity (and collateral); new groups form as in
		/// [`Pallet::register_landlord`], and the weight is refunded the same way.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::add_capacity(
			T::MaxLandlords::get(),
			T::MaxGroupsPerLandlord::get()
		).saturating_add(Pallet::<T>::scatter_weight(T::MaxGroupsPerLandlord::get())))]
		pub fn add_capacity(origin: OriginFor<T>, extra_mib: u32) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let assigned = Self::do_add_capacity(who, extra_mib)?;
			Ok(Some(assigned.weight::<T>(T::WeightInfo::add_capacity)).into())
		}

		/// Leaves: every replica moves to another landlord, the collateral unbonds.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::leave(
			T::MaxLandlords::get(),
			T::MaxGroupsPerLandlord::get()
		))]
		pub fn leave(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_leave(who)
		}

		/// Releases the collateral of a landlord that left, after the unbonding period.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::withdraw_collateral())]
		pub fn withdraw_collateral(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw(who)
		}

		/// Gives `amount` to the pool (raises the price and the rent).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::donate())]
		pub fn donate(origin: OriginFor<T>, amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::Zero);
			T::Currency::transfer(&who, &Self::pool_account(), amount, Preservation::Preserve)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			Self::deposit_event(Event::Donated { who, amount });
			Ok(())
		}

		/// Buys `size_mib` MiB for at least `days` days at this block's price, if it is at most
		/// `max_price` (planck per MiB-day).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::buy_space(
			T::MaxReclaimsPerOrder::get(),
			T::MaxChunkSetsPerSpace::get()
		).saturating_add(Pallet::<T>::stale_skips_weight()))]
		pub fn buy_space(
			origin: OriginFor<T>,
			size_mib: u32,
			days: u32,
			max_price: Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_buy(who, size_mib, days, max_price)
		}

		/// Extends an active space by at least `days` days.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::extend())]
		pub fn extend(
			origin: OriginFor<T>,
			space: SpaceId,
			days: u32,
			max_price: Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_extend(who, space, days, max_price)
		}

		/// Resizes an active space to `size_mib`; growing pays the added MiB for the rest of
		/// the term, shrinking frees the highest chunks without refund.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::resize(
			T::MaxReclaimsPerOrder::get(),
			T::MaxChunkSetsPerSpace::get()
		).saturating_add(Pallet::<T>::stale_skips_weight()))]
		pub fn resize(
			origin: OriginFor<T>,
			space: SpaceId,
			size_mib: u32,
			max_price: Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_resize(who, space, size_mib, max_price)
		}

		/// Unlocks a locked space not yet reclaimed: pays the locked interval and a new term
		/// of at least `days` days.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::unlock())]
		pub fn unlock(
			origin: OriginFor<T>,
			space: SpaceId,
			days: u32,
			max_price: Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unlock(who, space, days, max_price)
		}

		/// Grants `who` read or write access to a space.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::grant_access())]
		pub fn grant_access(
			origin: OriginFor<T>,
			space: SpaceId,
			who: T::AccountId,
			access: Access,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_grant(owner, space, who, access)
		}

		/// Revokes `who`'s access to a space.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::revoke_access())]
		pub fn revoke_access(
			origin: OriginFor<T>,
			space: SpaceId,
			who: T::AccountId,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_revoke(owner, space, who)
		}

		/// A copy group's space verification for the open round: each vote is a member's
		/// data hash of the challenged window, signed by its node key.
		///
		/// The first proof of a round counts when `⌈2r/3⌉` votes agree on a data hash; it is
		/// free when it carries every member's vote and pays the fee otherwise (leaving out an
		/// available vote would fault that member). Until the round closes, members left out
		/// may add their votes for the counted hash, for free.
		///
		/// Origin: signed, anyone. Emits `SpaceProven` or `ProofVotesAdded`. Complexity:
		/// O(r²) in the votes (`r ≤ MaxReplicas`), one signature check per vote.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::submit_space_proof(T::MaxReplicas::get()))]
		pub fn submit_space_proof(
			origin: OriginFor<T>,
			group: GroupId,
			round: Round,
			votes: BoundedVec<ProofVoteOf<T>, T::MaxReplicas>,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let pays = Self::do_submit_proof(group, round, votes)?;
			Ok(pays.into())
		}

		/// Reports a landlord of the caller's space as unavailable (a fault), paying
		/// `report_fee` into the pool.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::report_unavailable())]
		pub fn report_unavailable(
			origin: OriginFor<T>,
			space: SpaceId,
			landlord: T::AccountId,
		) -> DispatchResult {
			let reporter = ensure_signed(origin)?;
			Self::do_report(reporter, space, landlord)
		}

		/// Sets the parameters (`AdminOrigin`). A lower replica count applies to new groups.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::set_parameters())]
		pub fn set_parameters(origin: OriginFor<T>, parameters: ParametersOf<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(Self::parameters_valid(&parameters), Error::<T>::InvalidParameters);
			Parameters::<T>::put(&parameters);
			Self::deposit_event(Event::ParametersSet { parameters });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The pool's account.
		pub fn pool_account() -> T::AccountId {
			T::PalletId::get().into_account_truncating()
		}

		/// `M`: what the pool can pay, less rent already released this round.
		pub fn pool_funds() -> Balance {
			T::Currency::reducible_balance(
				&Self::pool_account(),
				Preservation::Preserve,
				Fortitude::Polite,
			)
			.saturating_sub(RoundRent::<T>::get())
		}

		/// `W` in MiB.
		pub fn world_disk_mib() -> u64 {
			u64::from(GroupCount::<T>::get()).saturating_mul(u64::from(GROUP_CHUNKS))
		}

		/// `R` in MiB-ms.
		pub fn remaining_mib_ms() -> u128 {
			pricing::sellable(Self::world_disk_mib()).saturating_sub(SoldUnconsumed::<T>::get())
		}

		pub(crate) fn parameters_valid(p: &ParametersOf<T>) -> bool {
			(1..=T::MaxReplicas::get()).contains(&p.replica_count)
				&& !p.collateral_per_gib.is_zero()
				&& p.max_faults > 0
				&& p.fault_window > 0
		}

		/// Holds `amount` more collateral of `who`, from funds no hold, freeze or lock claims.
		pub(crate) fn hold_collateral(who: &T::AccountId, amount: Balance) -> DispatchResult {
			use kmcc_primitives::funds::FrozenBalance;
			ensure!(T::Frozen::unencumbered(who) >= amount, Error::<T>::InsufficientBalance);
			T::Currency::hold(&HoldReason::LandlordCollateral.into(), who, amount)
				.map_err(|_| Error::<T>::InsufficientBalance.into())
		}

		/// Releases up to `amount` of `who`'s collateral; returns what was released.
		pub(crate) fn release_collateral(who: &T::AccountId, amount: Balance) -> Balance {
			T::Currency::release(
				&HoldReason::LandlordCollateral.into(),
				who,
				amount,
				Precision::BestEffort,
			)
			.unwrap_or_default()
		}

		pub(crate) fn now_block() -> BlockNumberFor<T> {
			frame_system::Pallet::<T>::block_number()
		}

		pub(crate) fn current_round() -> Round {
			CurrentChallenge::<T>::get().round
		}

		pub(crate) fn is_round_end(n: BlockNumberFor<T>) -> bool {
			let period = T::ChallengePeriod::get();
			!period.is_zero() && !n.is_zero() && (n % period).is_zero()
		}
	}
}
