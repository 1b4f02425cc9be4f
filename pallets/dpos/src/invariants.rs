//! The pallet's invariants, checked by `try_state` (the runtime's `try-runtime` build) and
//! after every mock test.
//!
//! 1. Every account's `Lease` hold equals its leases plus its unbonding leases, and no
//!    account keeps a `Leased` freeze (storage version 2's).
//! 2. Every candidate's `leased` equals the sum of the leases to it.
//! 3. Every account's `CandidateDeposit` hold equals its candidate deposit plus its unbonding
//!    deposit.
//! 4. `CandidateList` holds each Active candidate exactly once, and nothing else.
//! 5. The reward pot holds at least the existential deposit plus every pending reward (or
//!    nothing, when nothing is owed).
//! 6. The groups partition the committee.
//! 7. `RecordedSessions` is ascending and each recorded session has its keys.
//! 8. No fees are pending between blocks (`BlockFees` is shared in `on_finalize`).

use crate::{pallet::*, CandidateStatus, UnbondingKind};
use alloc::{collections::BTreeMap, vec::Vec};
use kmcc_primitives::Balance;
use polkadot_sdk::{
	frame_support::traits::fungible::{Inspect, InspectFreeze},
	sp_runtime::TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the module doc; the first broken one is the error.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut leases_of: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		let mut leased_to: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		let mut owed: Balance = 0;
		for (holder, candidate, lease) in Leases::<T>::iter() {
			let sum = leases_of.entry(holder.clone()).or_default();
			*sum = sum.saturating_add(lease.amount);
			let sum = leased_to.entry(candidate.clone()).or_default();
			*sum = sum.saturating_add(lease.amount);
			owed = owed.saturating_add(Self::pending_rewards(&holder, &candidate));
			ensure_that(
				HolderLeases::<T>::get(&holder).contains(&candidate),
				"a lease is missing from its holder's list",
			)?;
		}
		let mut deposit_unbonding: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		for (who, chunks) in Unbonding::<T>::iter() {
			for chunk in chunks {
				let map = match chunk.kind {
					UnbondingKind::Lease => &mut leases_of,
					UnbondingKind::Deposit => &mut deposit_unbonding,
				};
				let sum = map.entry(who.clone()).or_default();
				*sum = sum.saturating_add(chunk.amount);
			}
		}
		for (who, expected) in &leases_of {
			ensure_that(
				Self::held_leases(who) == *expected,
				"a holder's lease hold differs from its leases plus unbonding leases",
			)?;
			ensure_that(
				T::Currency::balance_frozen(&FreezeReason::Leased.into(), who) == 0,
				"a lease is still frozen",
			)?;
		}

		let list = CandidateList::<T>::get();
		for (i, who) in list.iter().enumerate() {
			ensure_that(!list.iter().skip(i + 1).any(|a| a == who), "a listed candidate twice")?;
			ensure_that(
				Candidates::<T>::get(who).is_some_and(|c| c.status == CandidateStatus::Active),
				"a listed candidate is not Active",
			)?;
		}
		for (who, c) in Candidates::<T>::iter() {
			ensure_that(
				(c.status == CandidateStatus::Active) == list.contains(&who),
				"an Active candidate is missing from the list",
			)?;
			ensure_that(
				c.leased == leased_to.get(&who).copied().unwrap_or(0),
				"a candidate's `leased` differs from the sum of its leases",
			)?;
			let held = Self::held_deposit(&who);
			let unbonding = deposit_unbonding.remove(&who).unwrap_or(0);
			ensure_that(
				held == c.deposit.saturating_add(unbonding),
				"a candidate's hold differs from its deposit plus unbonding deposit",
			)?;
		}
		// Former candidates whose record was pruned hold exactly their unbonding deposit.
		for (who, unbonding) in deposit_unbonding {
			let held = Self::held_deposit(&who);
			ensure_that(held == unbonding, "an unbonding deposit differs from its hold")?;
		}

		let pot = T::Currency::balance(&Self::reward_pot());
		if pot > 0 {
			let floor = T::Currency::minimum_balance().saturating_add(owed);
			ensure_that(pot >= floor, "the reward pot cannot pay what is owed")?;
		} else {
			ensure_that(owed == 0, "rewards are owed from an empty pot")?;
		}

		let committee: Vec<T::AccountId> =
			Committee::<T>::get().into_iter().map(|(a, _)| a).collect();
		let mut grouped: Vec<T::AccountId> = Groups::<T>::get().into_iter().flatten().collect();
		let mut members = committee.clone();
		grouped.sort();
		members.sort();
		ensure_that(grouped == members, "the groups do not partition the committee")?;

		let recorded = RecordedSessions::<T>::get();
		ensure_that(
			recorded.windows(2).all(|w| matches!(w, [a, b] if a.0 < b.0 && a.1 <= b.1)),
			"recorded sessions are not ascending",
		)?;
		ensure_that(
			AuthoringKeys::<T>::iter_keys().count() == recorded.len()
				&& recorded.iter().all(|(s, _)| AuthoringKeys::<T>::contains_key(s)),
			"recorded sessions and their keys differ",
		)?;
		ensure_that(
			FallbackSession::<T>::get().is_none_or(|s| s <= CurrentSession::<T>::get()),
			"the fallback session is in the future",
		)?;
		ensure_that(BlockFees::<T>::get().is_none(), "a block's fees were not shared")?;
		Ok(())
	}
}

fn ensure_that(condition: bool, message: &'static str) -> Result<(), TryRuntimeError> {
	if condition {
		Ok(())
	} else {
		Err(TryRuntimeError::Other(message))
	}
}
