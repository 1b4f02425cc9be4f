//! Rent: the per-block settlement of the rent clock, the price, and pool income.

use crate::{pallet::*, pricing, weights::WeightInfo as _, CreditOf};
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{fungible::Balanced, OnUnbalanced, Time},
	},
	sp_runtime::traits::Saturating,
};

impl<T: Config> Pallet<T> {
	/// Moves the rent clock to the previous block's timestamp (at most
	/// `MaxBucketsPerBlock` expiry boundaries at once), consuming `ActiveMiB · Δt` of `B`
	/// and releasing `M · consumed / B` of the pool as rent.
	pub(crate) fn settle_rent() -> Weight {
		let now = T::Time::now();
		let mut clock = RentClock::<T>::get();
		if clock == 0 {
			// First block with a timestamp: the clock starts.
			if now > 0 {
				RentClock::<T>::put(now);
			}
			return T::WeightInfo::settle_rent(0);
		}
		if now <= clock {
			return T::WeightInfo::settle_rent(0);
		}
		let bucket = T::ExpiryBucketMs::get().max(1);
		let mut active = ActiveMiB::<T>::get();
		let mut consumed: u128 = 0;
		let mut boundaries = 0u32;
		let mut caught_up = true;
		let mut boundary = pricing::bucket_end(clock.saturating_add(1), bucket);
		while boundary <= now {
			if boundaries >= T::MaxBucketsPerBlock::get() {
				caught_up = false;
				break;
			}
			consumed.saturating_accrue(
				u128::from(active).saturating_mul(u128::from(boundary.saturating_sub(clock))),
			);
			clock = boundary;
			let expiring = ExpiringMiB::<T>::take(boundary);
			if expiring > 0 {
				active.saturating_reduce(expiring);
				let spaces = ExpiryBuckets::<T>::decode_len(boundary).unwrap_or(0) as u32;
				let tail = LockedQueueTail::<T>::get();
				LockedQueue::<T>::insert(tail, boundary);
				LockedQueueTail::<T>::put(tail.saturating_add(1));
				Self::deposit_event(Event::SpacesLocked { at: boundary, spaces, mib: expiring });
			}
			boundaries = boundaries.saturating_add(1);
			boundary = boundary.saturating_add(bucket);
		}
		if caught_up {
			consumed.saturating_accrue(
				u128::from(active).saturating_mul(u128::from(now.saturating_sub(clock))),
			);
			clock = now;
		}
		let sold = SoldUnconsumed::<T>::get();
		let consumed = consumed.min(sold);
		let rent = pricing::pro_rata(Self::pool_funds(), consumed, sold);
		let prepaid = PrepaidRent::<T>::get();
		PrepaidRent::<T>::put(prepaid.saturating_sub(pricing::pro_rata(prepaid, consumed, sold)));
		SoldUnconsumed::<T>::put(sold.saturating_sub(consumed));
		RoundRent::<T>::mutate(|r| r.saturating_accrue(rent));
		ActiveMiB::<T>::put(active);
		RentClock::<T>::put(clock);
		if consumed > 0 {
			Self::deposit_event(Event::RentReleased { consumed_mib_ms: consumed, rent });
		}
		T::WeightInfo::settle_rent(boundaries)
	}

	/// Fixes this block's price `p = M / (c · R)`; none before the rent clock starts (the
	/// first block with a timestamp), since spaces' times are on that clock.
	pub(crate) fn update_price() {
		if RentClock::<T>::get() == 0 {
			BlockPrice::<T>::kill();
			return;
		}
		let price = pricing::price(
			Self::pool_funds(),
			Parameters::<T>::get().reserve_ratio,
			Self::remaining_mib_ms(),
		);
		BlockPrice::<T>::set(price);
	}

	/// Checks the pool's books: `pool ≥ P + RoundRent` (solvency), `B` equals the active
	/// spaces' remaining MiB-ms, `ActiveMiB` their size, and the chunk counts agree.
	#[cfg(any(test, feature = "try-runtime"))]
	pub fn check_invariants() -> Result<(), &'static str> {
		use polkadot_sdk::frame_support::traits::{
			fungible::Inspect,
			tokens::{Fortitude, Preservation},
		};
		let pool: kmcc_primitives::Balance = T::Currency::reducible_balance(
			&Self::pool_account(),
			Preservation::Preserve,
			Fortitude::Polite,
		);
		if pool < PrepaidRent::<T>::get().saturating_add(RoundRent::<T>::get()) {
			return Err("pool below prepaid rent");
		}
		let clock = RentClock::<T>::get();
		let (mut sold, mut active, mut used) = (0u128, 0u64, 0u64);
		for (_, space) in Spaces::<T>::iter() {
			used.saturating_accrue(u64::from(space.size_mib));
			let chunks: u32 = space.chunks.iter().map(|s| s.mask.count_ones()).sum();
			if chunks != space.size_mib {
				return Err("space chunks differ from its size");
			}
			if space.expires_at > clock {
				active.saturating_accrue(u64::from(space.size_mib));
				sold.saturating_accrue(
					u128::from(space.size_mib)
						.saturating_mul(u128::from(space.expires_at.saturating_sub(clock))),
				);
			}
		}
		if sold != SoldUnconsumed::<T>::get() {
			return Err("B differs from the active spaces' remaining MiB-ms");
		}
		if active != ActiveMiB::<T>::get() {
			return Err("ActiveMiB differs from the active spaces");
		}
		let group_used: u64 =
			CopyGroups::<T>::iter().map(|(_, g)| u64::from(g.used.count_ones())).sum();
		if group_used != used {
			return Err("chunks used by groups differ from the spaces' chunks");
		}
		if FreeChunks::<T>::get().saturating_add(used) != Self::world_disk_mib() {
			return Err("free + used chunks differ from the world disk");
		}
		if SoldUnconsumed::<T>::get() > pricing::sellable(Self::world_disk_mib()) {
			return Err("B above T");
		}
		if LockedQueueHead::<T>::get() > LockedQueueTail::<T>::get() {
			return Err("locked queue head past its tail");
		}
		Self::check_landlords()
	}

	/// Checks landlords against copy groups: each group's members are distinct active
	/// landlords that list the group, each active landlord's groups list it as a member, the
	/// collateral held is the record's (none once blacklisted), node keys map back to their
	/// landlords, `ActiveLandlords` lists exactly the active ones, and a counted proof's
	/// members belong to the group.
	#[cfg(any(test, feature = "try-runtime"))]
	pub fn check_landlords() -> Result<(), &'static str> {
		use crate::{HoldReason, LandlordStatus};
		use polkadot_sdk::frame_support::traits::fungible::InspectHold;
		let active = ActiveLandlords::<T>::get();
		for (g, group) in CopyGroups::<T>::iter() {
			for (i, member) in group.members.iter().enumerate() {
				if group.members.iter().skip(i + 1).any(|m| m == member) {
					return Err("a landlord twice in one copy group");
				}
				let record = Landlords::<T>::get(member).ok_or("a group member is no landlord")?;
				if record.status != LandlordStatus::Active || !record.groups.contains(&g) {
					return Err("a group member is not active or does not list the group");
				}
			}
			if let Some(proof) = GroupProofs::<T>::get(g) {
				// A group whose members changed this round (a landlord left, or replicas were
				// scattered) keeps the votes its former members cast before the change.
				let round = CurrentChallenge::<T>::get().round;
				if proof.passed.iter().any(|p| !group.members.contains(p))
					&& proof.round == round
					&& group.changed_round < round
				{
					return Err("a counted vote of a non-member");
				}
			}
		}
		for (who, record) in Landlords::<T>::iter() {
			let is_active = record.status == LandlordStatus::Active;
			if is_active != active.contains(&who) {
				return Err("ActiveLandlords differs from the active landlords");
			}
			for g in record.groups.iter() {
				if !CopyGroups::<T>::get(g).is_some_and(|group| group.members.contains(&who)) {
					return Err("a landlord lists a group it is not a member of");
				}
			}
			let held = T::Currency::balance_on_hold(&HoldReason::LandlordCollateral.into(), &who);
			let expected = match record.status {
				LandlordStatus::Blacklisted => 0,
				_ => record.collateral,
			};
			if held != expected {
				return Err("a landlord's collateral hold differs from its record");
			}
			if NodeOwners::<T>::get(&record.node).as_ref() != Some(&who)
				&& record.status != LandlordStatus::Blacklisted
			{
				return Err("a landlord's node key does not map back to it");
			}
		}
		if active.len() as u64
			!= Landlords::<T>::iter_values().filter(|r| r.status == LandlordStatus::Active).count()
				as u64
		{
			return Err("ActiveLandlords lists a landlord twice");
		}
		Ok(())
	}
}

/// Pool income from outside the pallet (the storage share of emission, dust): resolved
/// into the pool account.
impl<T: Config> OnUnbalanced<CreditOf<T>> for Pallet<T> {
	fn on_nonzero_unbalanced(amount: CreditOf<T>) {
		// Resolving fails only below the existential deposit into a dead pool; the credit is
		// then dropped and un-issued, which the issuance ledger reports.
		let _ = T::Currency::resolve(&Self::pool_account(), amount);
	}
}
