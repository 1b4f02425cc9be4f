//! Spaces: buying, extending, resizing, unlocking, chunk allocation and reclaiming.

use crate::{pallet::*, pricing, Access, ChunkSet, SpaceId, SpaceOf};
use alloc::vec::Vec;
use kmcc_primitives::Balance;
use polkadot_sdk::{
	frame_support::{
		ensure,
		pallet_prelude::*,
		traits::{fungible::Mutate, tokens::Preservation},
	},
	sp_runtime::traits::{Saturating, Zero},
};

/// Expiry buckets tried after the natural one when it is full.
const EXPIRY_BUCKETS_TRIED: u64 = 4;

/// Stale [`LockedQueue`] entries one reclaim skips at most, and that `on_initialize` prunes
/// per block.
pub const MAX_STALE_SKIPS: u32 = 16;

/// The `count` lowest set bits of `mask`.
fn lowest_bits(mask: u64, count: u32) -> u64 {
	let mut taken = 0u64;
	let mut rest = mask;
	for _ in 0..count.min(rest.count_ones()) {
		let bit = rest & rest.wrapping_neg();
		taken |= bit;
		rest &= !bit;
	}
	taken
}

/// The `count` highest set bits of `mask`.
fn highest_bits(mask: u64, count: u32) -> u64 {
	let mut taken = 0u64;
	let mut rest = mask;
	for _ in 0..count.min(rest.count_ones()) {
		let bit = 1u64 << (63 - rest.leading_zeros());
		taken |= bit;
		rest &= !bit;
	}
	taken
}

impl<T: Config> Pallet<T> {
	/// This block's price if it is at most `max_price`.
	fn price_within(max_price: Balance) -> Result<Balance, DispatchError> {
		let price = BlockPrice::<T>::get().ok_or(Error::<T>::NoPrice)?;
		ensure!(price <= max_price, Error::<T>::PriceAboveLimit);
		Ok(price)
	}

	/// The first expiry bucket with room at or after `from + days`.
	fn place_expiry(from: u64, days: u32) -> Result<u64, DispatchError> {
		ensure!(!days.is_zero(), Error::<T>::Zero);
		ensure!(days <= pricing::MAX_ORDER_DAYS, Error::<T>::TermTooLong);
		let bucket = T::ExpiryBucketMs::get();
		let natural = pricing::bucket_end(
			from.saturating_add(u64::from(days).saturating_mul(pricing::DAY_MS)),
			bucket,
		);
		let max = T::MaxSpacesPerBucket::get() as usize;
		(0..EXPIRY_BUCKETS_TRIED)
			.map(|k| natural.saturating_add(k.saturating_mul(bucket)))
			.find(|b| ExpiryBuckets::<T>::decode_len(b).unwrap_or(0) < max)
			.ok_or(Error::<T>::ExpiryBucketFull.into())
	}

	/// Checks `size · duration ≤ R` and returns the MiB-ms.
	fn check_remaining(size_mib: u32, duration_ms: u64) -> Result<u128, DispatchError> {
		let mib_ms = u128::from(size_mib).saturating_mul(u128::from(duration_ms));
		ensure!(mib_ms <= Self::remaining_mib_ms(), Error::<T>::InsufficientRemaining);
		Ok(mib_ms)
	}

	/// Moves `amount` from `who` into the pool.
	fn charge(who: &T::AccountId, amount: Balance) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::transfer(who, &Self::pool_account(), amount, Preservation::Preserve)
			.map(|_| ())
			.map_err(|_| Error::<T>::InsufficientBalance.into())
	}

	/// Records a sale: `B += mib_ms`, `P += cost`, and the space active until `expires_at`.
	fn record_sale(space: SpaceId, size_mib: u32, expires_at: u64, mib_ms: u128, cost: Balance) {
		SoldUnconsumed::<T>::mutate(|b| b.saturating_accrue(mib_ms));
		PrepaidRent::<T>::mutate(|p| p.saturating_accrue(cost));
		ActiveMiB::<T>::mutate(|a| a.saturating_accrue(u64::from(size_mib)));
		Self::enter_bucket(space, size_mib, expires_at);
	}

	fn enter_bucket(space: SpaceId, size_mib: u32, expires_at: u64) {
		// `place_expiry` checked the room.
		ExpiryBuckets::<T>::mutate(expires_at, |ids| {
			let _ = ids.try_push(space);
		});
		ExpiringMiB::<T>::mutate(expires_at, |m| m.saturating_accrue(u64::from(size_mib)));
	}

	fn leave_bucket(space: SpaceId, expires_at: u64) {
		ExpiryBuckets::<T>::mutate_exists(expires_at, |ids| {
			if let Some(list) = ids {
				list.retain(|s| *s != space);
				if list.is_empty() {
					*ids = None;
				}
			}
		});
	}

	fn owned_space(who: &T::AccountId, id: SpaceId) -> Result<SpaceOf<T>, DispatchError> {
		let space = Spaces::<T>::get(id).ok_or(Error::<T>::UnknownSpace)?;
		ensure!(&space.owner == who, Error::<T>::NotOwner);
		Ok(space)
	}

	pub(crate) fn do_buy(
		who: T::AccountId,
		size_mib: u32,
		days: u32,
		max_price: Balance,
	) -> DispatchResult {
		ensure!(!size_mib.is_zero(), Error::<T>::Zero);
		ensure!(
			size_mib <= T::MaxChunkSetsPerSpace::get().saturating_mul(pricing::GROUP_CHUNKS),
			Error::<T>::TooFragmented
		);
		let price = Self::price_within(max_price)?;
		let clock = RentClock::<T>::get();
		let expires_at = Self::place_expiry(clock, days)?;
		let duration = expires_at.saturating_sub(clock);
		let mib_ms = Self::check_remaining(size_mib, duration)?;
		let cost = pricing::cost(price, size_mib, duration).ok_or(Error::<T>::Overflow)?;
		Self::charge(&who, cost)?;
		let chunks = Self::allocate(size_mib, BoundedVec::new())?;
		let id = NextSpaceId::<T>::mutate(|n| {
			let id = *n;
			*n = n.saturating_add(1);
			id
		});
		Spaces::<T>::insert(
			id,
			SpaceOf::<T> { owner: who.clone(), size_mib, chunks, expires_at, grants: 0 },
		);
		SpacesByOwner::<T>::insert(&who, id, ());
		Self::record_sale(id, size_mib, expires_at, mib_ms, cost);
		Self::deposit_event(Event::SpaceBought {
			space: id,
			owner: who,
			size_mib,
			expires_at,
			price,
			cost,
		});
		Ok(())
	}

	pub(crate) fn do_extend(
		who: T::AccountId,
		id: SpaceId,
		days: u32,
		max_price: Balance,
	) -> DispatchResult {
		let mut space = Self::owned_space(&who, id)?;
		let clock = RentClock::<T>::get();
		ensure!(space.expires_at > clock, Error::<T>::SpaceLocked);
		ensure!(!days.is_zero(), Error::<T>::Zero);
		let term_left = space.expires_at.saturating_sub(clock);
		let max_term = u64::from(pricing::MAX_ORDER_DAYS).saturating_mul(pricing::DAY_MS);
		ensure!(
			term_left.saturating_add(u64::from(days).saturating_mul(pricing::DAY_MS)) <= max_term,
			Error::<T>::TermTooLong
		);
		let price = Self::price_within(max_price)?;
		let expires_at = Self::place_expiry(space.expires_at, days)?;
		let extra = expires_at.saturating_sub(space.expires_at);
		let mib_ms = Self::check_remaining(space.size_mib, extra)?;
		let cost = pricing::cost(price, space.size_mib, extra).ok_or(Error::<T>::Overflow)?;
		Self::charge(&who, cost)?;
		// Still active: B and P grow, the space moves to its new expiry bucket.
		Self::leave_bucket(id, space.expires_at);
		ExpiringMiB::<T>::mutate(space.expires_at, |m| {
			m.saturating_reduce(u64::from(space.size_mib))
		});
		Self::enter_bucket(id, space.size_mib, expires_at);
		SoldUnconsumed::<T>::mutate(|b| b.saturating_accrue(mib_ms));
		PrepaidRent::<T>::mutate(|p| p.saturating_accrue(cost));
		space.expires_at = expires_at;
		Spaces::<T>::insert(id, space);
		Self::deposit_event(Event::SpaceExtended { space: id, expires_at, cost });
		Ok(())
	}

	pub(crate) fn do_resize(
		who: T::AccountId,
		id: SpaceId,
		size_mib: u32,
		max_price: Balance,
	) -> DispatchResult {
		let mut space = Self::owned_space(&who, id)?;
		let clock = RentClock::<T>::get();
		ensure!(space.expires_at > clock, Error::<T>::SpaceLocked);
		ensure!(!size_mib.is_zero(), Error::<T>::Zero);
		ensure!(
			size_mib <= T::MaxChunkSetsPerSpace::get().saturating_mul(pricing::GROUP_CHUNKS),
			Error::<T>::TooFragmented
		);
		let term_left = space.expires_at.saturating_sub(clock);
		let mut cost = 0;
		if size_mib > space.size_mib {
			let added = size_mib.saturating_sub(space.size_mib);
			let price = Self::price_within(max_price)?;
			let mib_ms = Self::check_remaining(added, term_left)?;
			cost = pricing::cost(price, added, term_left).ok_or(Error::<T>::Overflow)?;
			Self::charge(&who, cost)?;
			space.chunks = Self::allocate(added, space.chunks)?;
			SoldUnconsumed::<T>::mutate(|b| b.saturating_accrue(mib_ms));
			PrepaidRent::<T>::mutate(|p| p.saturating_accrue(cost));
			ActiveMiB::<T>::mutate(|a| a.saturating_accrue(u64::from(added)));
			ExpiringMiB::<T>::mutate(space.expires_at, |m| m.saturating_accrue(u64::from(added)));
		} else if size_mib < space.size_mib {
			// No refund: the unconsumed rent of the freed MiB stays in the pool.
			let removed = space.size_mib.saturating_sub(size_mib);
			let freed = Self::take_highest(&mut space.chunks, removed);
			Self::free_chunks(&freed);
			let mib_ms = u128::from(removed).saturating_mul(u128::from(term_left));
			SoldUnconsumed::<T>::mutate(|b| b.saturating_reduce(mib_ms));
			ActiveMiB::<T>::mutate(|a| a.saturating_reduce(u64::from(removed)));
			ExpiringMiB::<T>::mutate(space.expires_at, |m| m.saturating_reduce(u64::from(removed)));
		} else {
			return Ok(());
		}
		space.size_mib = size_mib;
		Spaces::<T>::insert(id, space);
		Self::deposit_event(Event::SpaceResized { space: id, size_mib, cost });
		Ok(())
	}

	pub(crate) fn do_unlock(
		who: T::AccountId,
		id: SpaceId,
		days: u32,
		max_price: Balance,
	) -> DispatchResult {
		let mut space = Self::owned_space(&who, id)?;
		let clock = RentClock::<T>::get();
		ensure!(space.expires_at <= clock, Error::<T>::NotLocked);
		let price = Self::price_within(max_price)?;
		let expires_at = Self::place_expiry(clock, days)?;
		let duration = expires_at.saturating_sub(clock);
		let mib_ms = Self::check_remaining(space.size_mib, duration)?;
		let locked = clock.saturating_sub(space.expires_at);
		let back_payment =
			pricing::cost(price, space.size_mib, locked).ok_or(Error::<T>::Overflow)?;
		let cost = pricing::cost(price, space.size_mib, duration).ok_or(Error::<T>::Overflow)?;
		Self::charge(&who, back_payment.saturating_add(cost))?;
		// The back payment is for time already past: it joins the pool, not `P`.
		Self::leave_bucket(id, space.expires_at);
		Self::record_sale(id, space.size_mib, expires_at, mib_ms, cost);
		space.expires_at = expires_at;
		Spaces::<T>::insert(id, space);
		Self::deposit_event(Event::SpaceUnlocked { space: id, expires_at, back_payment, cost });
		Ok(())
	}

	pub(crate) fn do_grant(
		owner: T::AccountId,
		id: SpaceId,
		who: T::AccountId,
		access: Access,
	) -> DispatchResult {
		let mut space = Self::owned_space(&owner, id)?;
		if !SpaceAccess::<T>::contains_key(id, &who) {
			ensure!(space.grants < T::MaxGrantsPerSpace::get(), Error::<T>::TooManyGrants);
			space.grants = space.grants.saturating_add(1);
			Spaces::<T>::insert(id, space);
		}
		SpaceAccess::<T>::insert(id, &who, access);
		Self::deposit_event(Event::AccessGranted { space: id, who, access });
		Ok(())
	}

	pub(crate) fn do_revoke(owner: T::AccountId, id: SpaceId, who: T::AccountId) -> DispatchResult {
		let mut space = Self::owned_space(&owner, id)?;
		ensure!(SpaceAccess::<T>::take(id, &who).is_some(), Error::<T>::NoSuchGrant);
		space.grants = space.grants.saturating_sub(1);
		Spaces::<T>::insert(id, space);
		Self::deposit_event(Event::AccessRevoked { space: id, who });
		Ok(())
	}

	/// Takes `count` chunks, reclaiming locked spaces (earliest expired first) when the free
	/// chunks do not suffice, and adds them to `sets`.
	pub(crate) fn allocate(
		count: u32,
		mut sets: BoundedVec<ChunkSet, T::MaxChunkSetsPerSpace>,
	) -> Result<BoundedVec<ChunkSet, T::MaxChunkSetsPerSpace>, DispatchError> {
		let need = u64::from(count);
		let mut steps = 0u32;
		while FreeChunks::<T>::get() < need {
			ensure!(
				steps < T::MaxReclaimsPerOrder::get() && Self::reclaim_oldest(),
				Error::<T>::InsufficientChunks
			);
			steps = steps.saturating_add(1);
		}
		let mut left = count;
		let mut with_free = GroupsWithFreeChunks::<T>::get();
		let mut full = Vec::new();
		for &g in with_free.iter() {
			if left == 0 {
				break;
			}
			let Some(mut group) = CopyGroups::<T>::get(g) else { continue };
			let taken = lowest_bits(!group.used, left);
			if taken == 0 {
				full.push(g);
				continue;
			}
			group.used |= taken;
			left = left.saturating_sub(taken.count_ones());
			if group.used == u64::MAX {
				full.push(g);
			}
			CopyGroups::<T>::insert(g, group);
			match sets.iter_mut().find(|s| s.group == g) {
				Some(set) => set.mask |= taken,
				None => sets
					.try_push(ChunkSet { group: g, mask: taken })
					.map_err(|_| Error::<T>::TooFragmented)?,
			}
		}
		ensure!(left == 0, Error::<T>::InsufficientChunks);
		with_free.retain(|g| !full.contains(g));
		GroupsWithFreeChunks::<T>::put(with_free);
		FreeChunks::<T>::mutate(|f| f.saturating_reduce(need));
		Ok(sets)
	}

	/// Removes the `count` highest chunks from `sets`; returns them.
	fn take_highest(
		sets: &mut BoundedVec<ChunkSet, T::MaxChunkSetsPerSpace>,
		count: u32,
	) -> Vec<ChunkSet> {
		let mut left = count;
		let mut freed = Vec::new();
		sets.sort_by_key(|s| s.group);
		for set in sets.iter_mut().rev() {
			if left == 0 {
				break;
			}
			let taken = highest_bits(set.mask, left);
			set.mask &= !taken;
			left = left.saturating_sub(taken.count_ones());
			freed.push(ChunkSet { group: set.group, mask: taken });
		}
		sets.retain(|s| s.mask != 0);
		freed
	}

	/// Returns chunks to their groups.
	pub(crate) fn free_chunks(sets: &[ChunkSet]) {
		let mut with_free = GroupsWithFreeChunks::<T>::get();
		let mut freed = 0u64;
		for set in sets {
			CopyGroups::<T>::mutate(set.group, |group| {
				if let Some(group) = group {
					let mask = set.mask & group.used;
					group.used &= !mask;
					freed.saturating_accrue(u64::from(mask.count_ones()));
				}
			});
			if let Err(pos) = with_free.binary_search(&set.group) {
				// At most `MaxCopyGroups` distinct groups.
				let _ = with_free.try_insert(pos, set.group);
			}
		}
		GroupsWithFreeChunks::<T>::put(with_free);
		FreeChunks::<T>::mutate(|f| f.saturating_accrue(freed));
	}

	/// Reclaims the locked space that expired first; `false` if there is none within
	/// [`MAX_STALE_SKIPS`] stale queue entries.
	fn reclaim_oldest() -> bool {
		let mut head = LockedQueueHead::<T>::get();
		let tail = LockedQueueTail::<T>::get();
		Self::skip_stale(&mut head, tail, MAX_STALE_SKIPS);
		let mut found = None;
		if head < tail {
			if let Some(bucket) = LockedQueue::<T>::get(head) {
				let mut ids = ExpiryBuckets::<T>::get(bucket);
				if !ids.is_empty() {
					found = Some(ids.remove(0));
				}
				if ids.is_empty() {
					ExpiryBuckets::<T>::remove(bucket);
					LockedQueue::<T>::remove(head);
					head = head.saturating_add(1);
				} else {
					ExpiryBuckets::<T>::insert(bucket, ids);
				}
			}
		}
		LockedQueueHead::<T>::put(head);
		let Some(id) = found else { return false };
		Self::reclaim(id);
		true
	}

	/// Removes up to `limit` stale entries at the head of [`LockedQueue`] (buckets emptied by
	/// `unlock` or `extend`, which cannot find their queue entry); returns how many.
	fn skip_stale(head: &mut u64, tail: u64, limit: u32) -> u32 {
		let mut skipped = 0u32;
		while *head < tail && skipped < limit {
			let stale = LockedQueue::<T>::get(*head)
				.is_none_or(|bucket| ExpiryBuckets::<T>::decode_len(bucket).unwrap_or(0) == 0);
			if !stale {
				break;
			}
			LockedQueue::<T>::remove(*head);
			*head = head.saturating_add(1);
			skipped = skipped.saturating_add(1);
		}
		skipped
	}

	/// Storage work of skipping stale queue entries in an order's reclaims, at most
	/// [`MAX_STALE_SKIPS`] per reclaim (added to the benchmarked weight of the calls that
	/// reclaim).
	pub fn stale_skips_weight() -> Weight {
		let skips = u64::from(MAX_STALE_SKIPS)
			.saturating_mul(u64::from(T::MaxReclaimsPerOrder::get()).saturating_add(1));
		T::DbWeight::get().reads_writes(skips.saturating_mul(2), skips)
	}

	/// Prunes up to [`MAX_STALE_SKIPS`] stale entries at the head of the locked queue (every
	/// block, so that stale entries never pile up in front of reclaimable spaces).
	pub(crate) fn prune_locked_queue() -> Weight {
		let db = T::DbWeight::get();
		let mut head = LockedQueueHead::<T>::get();
		let tail = LockedQueueTail::<T>::get();
		if head >= tail {
			return db.reads(2);
		}
		let pruned = u64::from(Self::skip_stale(&mut head, tail, MAX_STALE_SKIPS));
		if pruned > 0 {
			LockedQueueHead::<T>::put(head);
		}
		// Each step reads the entry and its bucket's length and removes the entry.
		db.reads_writes(3u64.saturating_add(pruned.saturating_mul(2)), pruned.saturating_add(1))
	}

	/// Deletes a locked space and frees its chunks.
	fn reclaim(id: SpaceId) {
		let Some(space) = Spaces::<T>::take(id) else { return };
		Self::free_chunks(&space.chunks);
		SpacesByOwner::<T>::remove(&space.owner, id);
		let _ = SpaceAccess::<T>::clear_prefix(id, T::MaxGrantsPerSpace::get(), None);
		Self::deposit_event(Event::SpaceReclaimed { space: id, owner: space.owner });
	}
}

/// Read grants for other pallets (mail attachments), with the same checks as
/// [`Pallet::grant_access`] and [`Pallet::revoke_access`].
impl<T: Config> kmcc_primitives::storage::SpaceReadAccess<T::AccountId> for Pallet<T> {
	fn space(space: SpaceId) -> Option<(T::AccountId, u64)> {
		Spaces::<T>::get(space)
			.map(|s| (s.owner, u64::from(s.size_mib).saturating_mul(pricing::CHUNK_BYTES)))
	}

	fn can_read(space: SpaceId, who: &T::AccountId) -> bool {
		Spaces::<T>::get(space).is_some_and(|s| &s.owner == who)
			|| SpaceAccess::<T>::contains_key(space, who)
	}

	fn grant_read(owner: &T::AccountId, space: SpaceId, who: &T::AccountId) -> DispatchResult {
		if SpaceAccess::<T>::contains_key(space, who) {
			Self::owned_space(owner, space)?;
			return Ok(());
		}
		Self::do_grant(owner.clone(), space, who.clone(), Access::Read)
	}

	fn revoke(owner: &T::AccountId, space: SpaceId, who: &T::AccountId) -> DispatchResult {
		Self::do_revoke(owner.clone(), space, who.clone())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn bit_picking() {
		assert_eq!(lowest_bits(0b1011_0100, 2), 0b0001_0100);
		assert_eq!(lowest_bits(0b1, 5), 0b1);
		assert_eq!(highest_bits(0b1011_0100, 2), 0b1010_0000);
		assert_eq!(highest_bits(u64::MAX, 1), 1 << 63);
		assert_eq!(lowest_bits(0, 3), 0);
	}
}
