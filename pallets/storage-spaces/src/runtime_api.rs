//! `StorageSpacesApi`: the market, quotes, spaces with their landlords, landlord status and
//! the open challenge, for wallets and storage daemons.
//!
//! From `@polkadot/api`: `api.call.storageSpacesApi.market()`, `.quote(size, days)`,
//! `.spacesOf(account)`, `.landlord(account)`, `.challenge()`, `.challengeWindow(group)`.

use crate::{pallet::*, pricing, Access, ChallengeWindow, GroupId, LandlordStatus, Round, SpaceId};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use kmcc_primitives::Balance;
use polkadot_sdk::{
	frame_support::traits::Get, frame_system::pallet_prelude::BlockNumberFor, sp_core::H256,
	sp_runtime::traits::Saturating,
};
use scale_info::TypeInfo;

/// The market now. MiB-days are given in MiB-ms (1 MiB-day = 86,400,000 MiB-ms).
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct MarketInfo {
	/// This block's price, planck per MiB-day (`None`: nothing to sell).
	pub price: Option<Balance>,
	/// `W`, MiB.
	pub world_disk_mib: u64,
	/// `T = 365 · W`, MiB-ms.
	pub sellable_mib_ms: u128,
	/// `B`, sold and unconsumed, MiB-ms.
	pub sold_mib_ms: u128,
	/// `R = T − B`, MiB-ms.
	pub remaining_mib_ms: u128,
	/// `M`, planck.
	pub pool: Balance,
	/// `P`, the prepaid unconsumed rent in the pool.
	pub prepaid_rent: Balance,
	/// Rent released this round, to be paid at its end.
	pub round_rent: Balance,
	/// MiB of active spaces.
	pub active_mib: u64,
	/// Unsold chunks (MiB), not counting locked spaces.
	pub free_mib: u64,
	/// The rent clock, ms.
	pub rent_clock: u64,
}

/// What an order would cost now.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct Quote {
	/// Price, planck per MiB-day.
	pub price: Balance,
	/// Total cost, planck.
	pub cost: Balance,
	/// Expiry on the rent clock (ms).
	pub expires_at: u64,
	/// Whether `R` and the free or reclaimable chunks suffice.
	pub available: bool,
}

/// A landlord of a chunk group, as a client connects to it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct Replica<AccountId> {
	/// The landlord.
	pub landlord: AccountId,
	/// Its endpoint.
	pub endpoint: Vec<u8>,
}

/// Chunks of a space in one copy group.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct SpaceChunks<AccountId> {
	/// The group.
	pub group: GroupId,
	/// Chunk indexes of the world disk.
	pub chunks: Vec<u64>,
	/// Where they are stored.
	pub replicas: Vec<Replica<AccountId>>,
}

/// A space as its owner sees it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct SpaceInfo<AccountId> {
	/// Its id.
	pub id: SpaceId,
	/// Size, MiB.
	pub size_mib: u32,
	/// Expiry on the rent clock (ms).
	pub expires_at: u64,
	/// Expired: neither readable nor writable until unlocked.
	pub locked: bool,
	/// Its chunks and their landlords.
	pub chunks: Vec<SpaceChunks<AccountId>>,
	/// Accounts granted access.
	pub grants: Vec<(AccountId, Access)>,
}

/// A landlord's status.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct LandlordInfo<BlockNumber> {
	/// Registered capacity, MiB.
	pub capacity_mib: u32,
	/// Collateral held.
	pub collateral: Balance,
	/// Copy groups it serves.
	pub groups: Vec<GroupId>,
	/// Active, leaving or blacklisted.
	pub status: LandlordStatus<BlockNumber>,
	/// Faults in the current window.
	pub faults: u32,
	/// Endpoint.
	pub endpoint: Vec<u8>,
	/// Replicas proven in the open round (MiB).
	pub proven_this_round: u64,
}

/// The open challenge.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ChallengeInfo<BlockNumber> {
	/// The round.
	pub round: Round,
	/// Its seed.
	pub seed: H256,
	/// Issued at.
	pub issued_at: BlockNumber,
	/// Proofs are accepted until this block (exclusive).
	pub closes_at: BlockNumber,
}

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Storage spaces of KMCC Chain.
	pub trait StorageSpacesApi<AccountId, BlockNumber> where
		AccountId: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// `W`, `T`, `B`, `R`, `M` and the price.
		fn market() -> MarketInfo;
		/// The cost of `size_mib` for `days` now.
		fn quote(size_mib: u32, days: u32) -> Option<Quote>;
		/// Spaces of `owner` with chunk → landlord endpoints.
		fn spaces_of(owner: AccountId) -> Vec<SpaceInfo<AccountId>>;
		/// A landlord's status.
		fn landlord(who: AccountId) -> Option<LandlordInfo<BlockNumber>>;
		/// The open challenge.
		fn challenge() -> ChallengeInfo<BlockNumber>;
		/// The window the open challenge asks of `group`.
		fn challenge_window(group: GroupId) -> ChallengeWindow;
	}
}

impl<T: Config> Pallet<T> {
	/// For `StorageSpacesApi::market`.
	pub fn market_info() -> MarketInfo {
		MarketInfo {
			price: BlockPrice::<T>::get(),
			world_disk_mib: Self::world_disk_mib(),
			sellable_mib_ms: pricing::sellable(Self::world_disk_mib()),
			sold_mib_ms: SoldUnconsumed::<T>::get(),
			remaining_mib_ms: Self::remaining_mib_ms(),
			pool: Self::pool_funds(),
			prepaid_rent: PrepaidRent::<T>::get(),
			round_rent: RoundRent::<T>::get(),
			active_mib: ActiveMiB::<T>::get(),
			free_mib: FreeChunks::<T>::get(),
			rent_clock: RentClock::<T>::get(),
		}
	}

	/// For `StorageSpacesApi::quote`: `None` for zero or over-long terms, or no price.
	pub fn quote(size_mib: u32, days: u32) -> Option<Quote> {
		if size_mib == 0 || days == 0 || days > pricing::MAX_ORDER_DAYS {
			return None;
		}
		let price = BlockPrice::<T>::get()?;
		let clock = RentClock::<T>::get();
		let expires_at = pricing::bucket_end(
			clock.saturating_add(u64::from(days).saturating_mul(pricing::DAY_MS)),
			T::ExpiryBucketMs::get(),
		);
		let duration = expires_at.saturating_sub(clock);
		let cost = pricing::cost(price, size_mib, duration)?;
		let mib_ms = u128::from(size_mib).saturating_mul(u128::from(duration));
		let locked_mib: u64 = (LockedQueueHead::<T>::get()..LockedQueueTail::<T>::get())
			.filter_map(LockedQueue::<T>::get)
			.flat_map(|b| ExpiryBuckets::<T>::get(b).into_inner())
			.filter_map(Spaces::<T>::get)
			.map(|s| u64::from(s.size_mib))
			.sum();
		let available = mib_ms <= Self::remaining_mib_ms()
			&& FreeChunks::<T>::get().saturating_add(locked_mib) >= u64::from(size_mib);
		Some(Quote { price, cost, expires_at, available })
	}

	/// For `StorageSpacesApi::spaces_of`.
	pub fn spaces_of(owner: T::AccountId) -> Vec<SpaceInfo<T::AccountId>> {
		let clock = RentClock::<T>::get();
		SpacesByOwner::<T>::iter_key_prefix(&owner)
			.filter_map(|id| Spaces::<T>::get(id).map(|s| (id, s)))
			.map(|(id, space)| SpaceInfo {
				id,
				size_mib: space.size_mib,
				expires_at: space.expires_at,
				locked: space.expires_at <= clock,
				chunks: space
					.chunks
					.iter()
					.map(|set| SpaceChunks {
						group: set.group,
						chunks: (0..64u64)
							.filter(|i| set.mask & (1u64 << i) != 0)
							.map(|i| {
								u64::from(set.group)
									.saturating_mul(u64::from(pricing::GROUP_CHUNKS))
									.saturating_add(i)
							})
							.collect(),
						replicas: CopyGroups::<T>::get(set.group)
							.map(|g| g.members.into_inner())
							.unwrap_or_default()
							.into_iter()
							.map(|landlord| Replica {
								endpoint: Landlords::<T>::get(&landlord)
									.map(|l| l.endpoint.into_inner())
									.unwrap_or_default(),
								landlord,
							})
							.collect(),
					})
					.collect(),
				grants: SpaceAccess::<T>::iter_prefix(id).collect(),
			})
			.collect()
	}

	/// For `StorageSpacesApi::landlord`.
	pub fn landlord_info(who: T::AccountId) -> Option<LandlordInfo<BlockNumberFor<T>>> {
		let proven = RoundProven::<T>::get(&who).unwrap_or(0);
		Landlords::<T>::get(who).map(|l| LandlordInfo {
			capacity_mib: l.capacity_mib,
			collateral: l.collateral,
			groups: l.groups.into_inner(),
			status: l.status,
			faults: l.faults,
			endpoint: l.endpoint.into_inner(),
			proven_this_round: proven,
		})
	}

	/// For `StorageSpacesApi::challenge`.
	pub fn challenge_info() -> ChallengeInfo<BlockNumberFor<T>> {
		let c = CurrentChallenge::<T>::get();
		let period = <T as Config>::ChallengePeriod::get();
		let now = frame_system_block::<T>();
		let closes_at = if period == 0u32.into() {
			now
		} else {
			now.saturating_sub(now % period).saturating_add(period)
		};
		ChallengeInfo { round: c.round, seed: c.seed, issued_at: c.issued_at, closes_at }
	}
}

fn frame_system_block<T: Config>() -> BlockNumberFor<T> {
	polkadot_sdk::frame_system::Pallet::<T>::block_number()
}
