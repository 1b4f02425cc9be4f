//! Block rewards and fees: the author's candidate keeps its part now, the lessors' part goes
//! into the pot and raises the candidate's accumulator (O(1) per block, see the module doc).

use crate::{economics, pallet::*, CreditOf};
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

impl<T: Config> Pallet<T> {
	/// Shares a reward (emission or fees) of a block authored by `author`.
	pub(crate) fn distribute(author: &T::AccountId, reward: CreditOf<T>) {
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
	fn note_author(author: &T::AccountId) {
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
