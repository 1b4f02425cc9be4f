//! Block rewards and fees: the author's candidate keeps its part, the lessors' part goes into
//! the pot and raises the candidate's accumulator (O(1) per block, see the module doc).
//!
//! The block's emission is shared as it comes ([`Pallet`] as `OnUnbalanced`). Transaction fees
//! go through [`FeeCollector`]: each fee is split with exactly the arithmetic of an immediate
//! share (same floors, same existential-deposit top-up of the pot), but the credit is only
//! resolved into the pot and the parts are added up in [`BlockFees`]; `on_finalize` (or any
//! call that could change the author's terms or read the pot, before it runs) pays the
//! candidate's part from the pot and raises the accumulator once. Every account ends the block
//! with the same balance to the planck as with one share per fee, while a transaction touches
//! only the pot's account and one storage value that stays in the block's overlay.

use crate::{economics, pallet::*, CreditOf, PendingFees};
use core::marker::PhantomData;
use kmcc_primitives::Balance;
use polkadot_sdk::frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Balanced, Inspect, Mutate},
		tokens::Preservation,
		Imbalance, OnUnbalanced,
	},
};

impl<T: Config> OnUnbalanced<CreditOf<T>> for Pallet<T> {
	fn on_nonzero_unbalanced(amount: CreditOf<T>) {
		match T::BlockAuthor::get() {
			Some(author) => Self::distribute(&author, amount),
			None => T::SlashDestination::on_unbalanced(amount),
		}
	}
}

/// The runtime's destination for transaction fees and tips: collects them for one share at the
/// end of the block (see the module doc).
pub struct FeeCollector<T>(PhantomData<T>);

impl<T: Config> OnUnbalanced<CreditOf<T>> for FeeCollector<T> {
	fn on_nonzero_unbalanced(fee: CreditOf<T>) {
		Pallet::<T>::collect_fee(fee)
	}
}

impl<T: Config> Pallet<T> {
	/// Collects one fee of the current block into the pot, adding its split to [`BlockFees`].
	pub(crate) fn collect_fee(fee: CreditOf<T>) {
		let mut pending = match BlockFees::<T>::get() {
			Some(pending) => pending,
			None => {
				let Some(author) = T::BlockAuthor::get() else {
					return T::SlashDestination::on_unbalanced(fee);
				};
				let Some(candidate) = Candidates::<T>::get(&author) else {
					// Not a candidate: the author gets it all, as it comes.
					return Self::resolve_or_forward(&author, fee);
				};
				Self::note_author(&author);
				PendingFees {
					author,
					deposit: candidate.deposit,
					leased: candidate.leased,
					commission: candidate.commission,
					to_candidate: 0,
					to_lessors: 0,
					per_lease_increase: 0,
				}
			}
		};
		let amount = fee.peek();
		let split =
			economics::split_reward(amount, pending.deposit, pending.leased, pending.commission);
		let pot = Self::reward_pot();
		// The pot as an immediate share would have left it: without the candidate's parts.
		let pot_now = T::Currency::balance(&pot).saturating_sub(pending.to_candidate);
		let ed = T::Currency::minimum_balance();
		if let Err(fee) = T::Currency::resolve(&pot, fee) {
			// The pot cannot take it (a new pot below the existential deposit): share this fee
			// as it comes, after whatever is pending.
			return Self::distribute(&pending.author, fee);
		}
		// An immediate share puts the lessors' part into the pot only if the pot can take it.
		if split.to_lessors > 0 && (pot_now > 0 || split.to_lessors >= ed) {
			let shortfall = ed.saturating_sub(pot_now).min(split.to_lessors);
			let shared = split.to_lessors.saturating_sub(shortfall);
			pending.per_lease_increase = pending.per_lease_increase.saturating_add(
				economics::mul_div(shared, economics::REWARD_SCALE, pending.leased),
			);
			pending.to_candidate = pending.to_candidate.saturating_add(split.to_candidate);
			pending.to_lessors = pending.to_lessors.saturating_add(split.to_lessors);
		} else {
			pending.to_candidate = pending.to_candidate.saturating_add(amount);
		}
		BlockFees::<T>::put(pending);
	}

	/// Shares the fees collected so far in this block: pays the candidate's part from the pot
	/// and raises the candidate's accumulator by the lessors' parts. Runs in `on_finalize` and
	/// first thing in every call that could change the author's terms or the pot.
	pub(crate) fn share_block_fees() {
		let Some(pending) = BlockFees::<T>::take() else { return };
		if pending.per_lease_increase > 0 {
			Candidates::<T>::mutate(&pending.author, |candidate| {
				if let Some(candidate) = candidate {
					candidate.reward_per_lease =
						candidate.reward_per_lease.saturating_add(pending.per_lease_increase);
				}
			});
		}
		// The pot keeps at least the existential deposit or is empty, as after immediate
		// shares, so paying the candidate may reap it only when nothing else is in it.
		if pending.to_candidate > 0
			&& T::Currency::transfer(
				&Self::reward_pot(),
				&pending.author,
				pending.to_candidate,
				Preservation::Expendable,
			)
			.is_err()
		{
			// Unreachable (the pot holds every pending part); the part stays in the pot.
			polkadot_sdk::frame_support::defensive!("the pot could not pay the block's fees");
		}
		Self::deposit_event(Event::BlockFeesShared {
			author: pending.author,
			to_candidate: pending.to_candidate,
			to_lessors: pending.to_lessors,
		});
	}

	/// Shares a reward of a block authored by `author` as it comes (after the block's pending
	/// fees, so that the shares keep their order).
	pub(crate) fn distribute(author: &T::AccountId, reward: CreditOf<T>) {
		Self::share_block_fees();
		let Some(mut candidate) = Candidates::<T>::get(author) else {
			// Not a candidate (e.g. a validator outside DPoS): the author gets it all.
			return Self::resolve_or_forward(author, reward);
		};
		Self::note_author(author);
		let split = economics::split_reward(
			reward.peek(),
			candidate.deposit,
			candidate.leased,
			candidate.commission,
		);
		let (to_lessors, to_candidate) = reward.split(split.to_lessors);
		if to_lessors.peek() > 0 {
			let pot = Self::reward_pot();
			// The pot keeps the existential deposit on top of what it owes, so that paying
			// the last lessor never reaps it: the first reward tops it up.
			let ed = T::Currency::minimum_balance();
			let shortfall = ed.saturating_sub(T::Currency::balance(&pot)).min(to_lessors.peek());
			let shared = to_lessors.peek().saturating_sub(shortfall);
			match T::Currency::resolve(&pot, to_lessors) {
				Ok(()) => {
					let increase =
						economics::mul_div(shared, economics::REWARD_SCALE, candidate.leased);
					candidate.reward_per_lease =
						candidate.reward_per_lease.saturating_add(increase);
					Candidates::<T>::insert(author, candidate);
				}
				Err(unpaid) => Self::resolve_or_forward(author, unpaid),
			}
		}
		Self::resolve_or_forward(author, to_candidate);
	}

	/// Credits `who`, or forwards the credit to the slash destination if `who` cannot
	/// receive it (below the existential deposit on a new account).
	fn resolve_or_forward(who: &T::AccountId, credit: CreditOf<T>) {
		if credit.peek() == 0 {
			return;
		}
		if let Err(unpaid) = T::Currency::resolve(who, credit) {
			T::SlashDestination::on_unbalanced(unpaid);
		}
	}

	/// Records that candidate `author` authored in the current session (for the voting
	/// right).
	pub(crate) fn note_author(author: &T::AccountId) {
		let session = CurrentSession::<T>::get();
		if LastAuthoredSession::<T>::get(author) != Some(session) {
			LastAuthoredSession::<T>::insert(author, session);
		}
	}

	/// Pays `amount` from the pot, keeping the pot alive.
	pub(crate) fn pay_from_pot(to: &T::AccountId, amount: Balance) -> DispatchResult {
		T::Currency::transfer(&Self::reward_pot(), to, amount, Preservation::Preserve)
			.map(|_| ())
			.map_err(|_| Error::<T>::RewardPotInsufficient.into())
	}

	/// Pays the pending rewards of `holder`'s lease to `candidate`; returns the amount.
	pub(crate) fn settle_rewards(
		holder: &T::AccountId,
		candidate_id: &T::AccountId,
	) -> Result<Balance, DispatchError> {
		let candidate = Candidates::<T>::get(candidate_id).ok_or(Error::<T>::NotCandidate)?;
		let mut lease = Leases::<T>::get(holder, candidate_id).ok_or(Error::<T>::NoLease)?;
		let paid = Self::pay_pending(holder, candidate_id, &candidate, &mut lease)?;
		Leases::<T>::insert(holder, candidate_id, lease);
		Ok(paid)
	}

	/// Rewards `holder` could claim now on its lease to `candidate`.
	pub fn pending_rewards(holder: &T::AccountId, candidate_id: &T::AccountId) -> Balance {
		match (Candidates::<T>::get(candidate_id), Leases::<T>::get(holder, candidate_id)) {
			(Some(c), Some(l)) => {
				economics::pending_reward(l.amount, c.reward_per_lease, l.reward_snapshot)
			}
			_ => 0,
		}
	}
}
