//! Candidate deposits and leases (holds) and unbonding.

use crate::{pallet::*, Candidate, CandidateStatus, Lease, UnbondingChunk, UnbondingKind};
use kmcc_primitives::Balance;
use polkadot_sdk::{
	frame_support::{
		ensure,
		pallet_prelude::*,
		traits::{
			fungible::{InspectHold, MutateHold},
			tokens::Precision,
			Contains,
		},
	},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_runtime::{traits::Saturating, DispatchResult, Perbill},
};

impl<T: Config> Pallet<T> {
	/// Registers `who` as a candidate holding `deposit`.
	pub(crate) fn do_register(
		who: &T::AccountId,
		deposit: Balance,
		commission: Perbill,
		require_keys: bool,
	) -> DispatchResult {
		let p = Self::parameters()?;
		if let Some(existing) = Candidates::<T>::get(who) {
			ensure!(existing.status != CandidateStatus::Slashed, Error::<T>::CandidateSlashed);
			return Err(Error::<T>::AlreadyCandidate.into());
		}
		ensure!(deposit >= p.min_candidate_deposit, Error::<T>::DepositTooLow);
		ensure!(commission <= p.max_commission, Error::<T>::CommissionTooHigh);
		ensure!(!require_keys || T::HasSessionKeys::contains(who), Error::<T>::NoSessionKeys);
		ensure!(Self::holdable(who) >= deposit, Error::<T>::InsufficientBalance);
		let mut list = CandidateList::<T>::get();
		list.try_push(who.clone()).map_err(|_| Error::<T>::TooManyCandidates)?;
		T::Currency::hold(&HoldReason::CandidateDeposit.into(), who, deposit)?;
		CandidateList::<T>::put(list);
		Candidates::<T>::insert(
			who,
			Candidate {
				deposit,
				leased: 0,
				commission,
				reward_per_lease: 0,
				status: CandidateStatus::Active,
			},
		);
		Self::deposit_event(Event::CandidateRegistered {
			candidate: who.clone(),
			deposit,
			commission,
		});
		Ok(())
	}

	/// Raises (holds more) or lowers (unbonds the difference) a candidate's deposit.
	pub(crate) fn do_set_deposit(who: &T::AccountId, deposit: Balance) -> DispatchResult {
		let p = Self::parameters()?;
		let mut candidate = Candidates::<T>::get(who).ok_or(Error::<T>::NotCandidate)?;
		ensure!(candidate.status == CandidateStatus::Active, Error::<T>::CandidateNotActive);
		ensure!(deposit >= p.min_candidate_deposit, Error::<T>::DepositTooLow);
		if deposit > candidate.deposit {
			let extra = deposit.saturating_sub(candidate.deposit);
			ensure!(Self::holdable(who) >= extra, Error::<T>::InsufficientBalance);
			T::Currency::hold(&HoldReason::CandidateDeposit.into(), who, extra)?;
		} else if deposit < candidate.deposit {
			let less = candidate.deposit.saturating_sub(deposit);
			Self::push_unbonding(who, less, UnbondingKind::Deposit, &p.unbonding_period)?;
		}
		candidate.deposit = deposit;
		Candidates::<T>::insert(who, candidate);
		Self::deposit_event(Event::DepositChanged { candidate: who.clone(), deposit });
		Ok(())
	}

	/// Makes an Active candidate Leaving and unbonds its whole deposit. A slashed candidate
	/// may unbond what the slash left, and stays Slashed.
	pub(crate) fn do_withdraw_candidacy(who: &T::AccountId) -> DispatchResult {
		let p = Self::parameters()?;
		let mut candidate = Candidates::<T>::get(who).ok_or(Error::<T>::NotCandidate)?;
		match candidate.status {
			CandidateStatus::Active => {}
			CandidateStatus::Leaving => return Err(Error::<T>::AlreadyLeaving.into()),
			CandidateStatus::Slashed => {
				ensure!(candidate.deposit > 0, Error::<T>::CandidateNotActive)
			}
		}
		let unlock_at = Self::unlock_block(&p.unbonding_period);
		if candidate.deposit > 0 {
			Self::push_unbonding(
				who,
				candidate.deposit,
				UnbondingKind::Deposit,
				&p.unbonding_period,
			)?;
		}
		candidate.deposit = 0;
		if candidate.status == CandidateStatus::Active {
			candidate.status = CandidateStatus::Leaving;
		}
		Candidates::<T>::insert(who, candidate);
		CandidateList::<T>::mutate(|list| list.retain(|a| a != who));
		Self::deposit_event(Event::CandidacyWithdrawn { candidate: who.clone(), unlock_at });
		Self::prune_candidate(who);
		Ok(())
	}

	/// Leases `amount` of `holder`'s balance to `candidate` (a hold, no transfer).
	pub(crate) fn do_lease(
		holder: &T::AccountId,
		candidate_id: &T::AccountId,
		amount: Balance,
	) -> DispatchResult {
		let p = Self::parameters()?;
		let mut candidate = Candidates::<T>::get(candidate_id).ok_or(Error::<T>::NotCandidate)?;
		ensure!(candidate.status == CandidateStatus::Active, Error::<T>::CandidateNotActive);
		let existing = Leases::<T>::get(holder, candidate_id);
		ensure!(
			existing.as_ref().map_or(0, |l| l.amount).saturating_add(amount) >= p.min_lease
				&& amount > 0,
			Error::<T>::LeaseTooSmall
		);
		ensure!(Self::holdable(holder) >= amount, Error::<T>::InsufficientBalance);
		if existing.is_none() {
			HolderLeases::<T>::try_mutate(holder, |list| list.try_push(candidate_id.clone()))
				.map_err(|_| Error::<T>::TooManyLeases)?;
		}
		let mut lease = existing.unwrap_or_default();
		Self::pay_pending(holder, candidate_id, &candidate, &mut lease)?;
		lease.amount = lease.amount.saturating_add(amount);
		candidate.leased = candidate.leased.saturating_add(amount);
		Leases::<T>::insert(holder, candidate_id, lease);
		Candidates::<T>::insert(candidate_id, candidate);
		T::Currency::hold(&HoldReason::Lease.into(), holder, amount)?;
		Self::deposit_event(Event::Leased {
			holder: holder.clone(),
			candidate: candidate_id.clone(),
			amount,
		});
		Ok(())
	}

	/// Unleases `amount`: pays pending rewards, moves the amount to an unbonding chunk.
	pub(crate) fn do_unlease(
		holder: &T::AccountId,
		candidate_id: &T::AccountId,
		amount: Balance,
	) -> DispatchResult {
		let p = Self::parameters()?;
		let mut candidate = Candidates::<T>::get(candidate_id).ok_or(Error::<T>::NotCandidate)?;
		let mut lease = Leases::<T>::get(holder, candidate_id).ok_or(Error::<T>::NoLease)?;
		let remaining = lease.amount.checked_sub(amount).ok_or(Error::<T>::InvalidUnleaseAmount)?;
		ensure!(
			amount > 0 && (remaining == 0 || remaining >= p.min_lease),
			Error::<T>::InvalidUnleaseAmount
		);
		Self::pay_pending(holder, candidate_id, &candidate, &mut lease)?;
		Self::push_unbonding(holder, amount, UnbondingKind::Lease, &p.unbonding_period)?;
		candidate.leased = candidate.leased.saturating_sub(amount);
		if remaining == 0 {
			Leases::<T>::remove(holder, candidate_id);
			HolderLeases::<T>::mutate(holder, |list| list.retain(|c| c != candidate_id));
		} else {
			lease.amount = remaining;
			Leases::<T>::insert(holder, candidate_id, lease);
		}
		Candidates::<T>::insert(candidate_id, candidate);
		Self::prune_candidate(candidate_id);
		Self::deposit_event(Event::Unleased {
			holder: holder.clone(),
			candidate: candidate_id.clone(),
			amount,
			unlock_at: Self::unlock_block(&p.unbonding_period),
		});
		Ok(())
	}

	/// Frees matured chunks: releases leases and deposits.
	pub(crate) fn do_withdraw_unbonded(who: &T::AccountId) -> DispatchResult {
		let now = polkadot_sdk::frame_system::Pallet::<T>::block_number();
		let mut chunks = Unbonding::<T>::get(who);
		let (mut leases, mut deposit) = (0u128, 0u128);
		chunks.retain(|c| {
			if c.unlock_at > now {
				return true;
			}
			match c.kind {
				UnbondingKind::Lease => leases = leases.saturating_add(c.amount),
				UnbondingKind::Deposit => deposit = deposit.saturating_add(c.amount),
			}
			false
		});
		ensure!(leases > 0 || deposit > 0, Error::<T>::NothingToWithdraw);
		if chunks.is_empty() {
			Unbonding::<T>::remove(who);
		} else {
			Unbonding::<T>::insert(who, chunks);
		}
		if deposit > 0 {
			// A slash may have taken part of the unbonding deposit: release what is held.
			T::Currency::release(
				&HoldReason::CandidateDeposit.into(),
				who,
				deposit,
				Precision::BestEffort,
			)?;
		}
		if leases > 0 {
			T::Currency::release(&HoldReason::Lease.into(), who, leases, Precision::Exact)?;
		}
		Self::prune_candidate(who);
		Self::deposit_event(Event::Withdrawn { who: who.clone(), leases, deposit });
		Ok(())
	}

	/// What `who` may put on hold as a deposit or a lease: free balance that no freeze or lock
	/// claims (so a hold never reuses vesting or otherwise frozen funds; held funds are not
	/// free, so no two holds share funds either).
	pub(crate) fn holdable(who: &T::AccountId) -> Balance {
		use kmcc_primitives::funds::FrozenBalance;
		T::Frozen::unencumbered(who)
	}

	/// The leases held for `who` (active plus unbonding).
	#[cfg(any(feature = "try-runtime", test))]
	pub(crate) fn held_leases(who: &T::AccountId) -> Balance {
		T::Currency::balance_on_hold(&HoldReason::Lease.into(), who)
	}

	fn unlock_block(period: &BlockNumberFor<T>) -> BlockNumberFor<T> {
		polkadot_sdk::frame_system::Pallet::<T>::block_number().saturating_add(*period)
	}

	fn push_unbonding(
		who: &T::AccountId,
		amount: Balance,
		kind: UnbondingKind,
		period: &BlockNumberFor<T>,
	) -> DispatchResult {
		let unlock_at = Self::unlock_block(period);
		Unbonding::<T>::try_mutate(who, |chunks| {
			chunks
				.try_push(UnbondingChunk { amount, unlock_at, kind })
				.map_err(|_| Error::<T>::TooManyUnbondingChunks.into())
		})
	}

	/// Removes a Leaving candidate's record once nothing refers to it any more: no deposit,
	/// no leases, no unbonding deposit. Slashed records stay (the account may not register
	/// again, and stays out of the authoring order while its committee lasts).
	pub(crate) fn prune_candidate(who: &T::AccountId) {
		let Some(c) = Candidates::<T>::get(who) else { return };
		let deposit_unbonding =
			Unbonding::<T>::get(who).iter().any(|c| c.kind == UnbondingKind::Deposit);
		if c.status == CandidateStatus::Leaving
			&& c.deposit == 0
			&& c.leased == 0
			&& !deposit_unbonding
		{
			Candidates::<T>::remove(who);
		}
	}

	/// The deposit held for `who` (active plus unbonding).
	pub(crate) fn held_deposit(who: &T::AccountId) -> Balance {
		T::Currency::balance_on_hold(&HoldReason::CandidateDeposit.into(), who)
	}

	/// Pays `lease`'s pending rewards and moves its snapshot to the candidate's accumulator.
	pub(crate) fn pay_pending(
		holder: &T::AccountId,
		candidate_id: &T::AccountId,
		candidate: &Candidate,
		lease: &mut Lease,
	) -> Result<Balance, DispatchError> {
		let owed = crate::economics::pending_reward(
			lease.amount,
			candidate.reward_per_lease,
			lease.reward_snapshot,
		);
		lease.reward_snapshot = candidate.reward_per_lease;
		if owed > 0 {
			Self::pay_from_pot(holder, owed)?;
			Self::deposit_event(Event::RewardsPaid {
				holder: holder.clone(),
				candidate: candidate_id.clone(),
				amount: owed,
			});
		}
		Ok(owed)
	}
}
