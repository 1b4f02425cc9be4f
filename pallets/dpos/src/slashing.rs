//! Slashing that pays the reporter: GRANDPA equivocations arrive through `pallet-offences`
//! (this pallet is its `OnOffenceHandler`), Aura double authoring through
//! [`Pallet::report_double_authoring`], verified here from two sealed headers.

use crate::{economics, pallet::*, CandidateStatus, HeaderOf, UnbondingKind, WeightInfo};
use alloc::vec::Vec;
use codec::Decode;
use kmcc_primitives::Balance;
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Balanced, BalancedHold},
			Imbalance, OnUnbalanced,
		},
	},
	sp_consensus_aura::{Slot, AURA_ENGINE_ID},
	sp_runtime::{traits::Header as _, DigestItem, Perbill, RuntimeAppPublic},
	sp_staking::{
		offence::{OffenceDetails, OnOffenceHandler},
		SessionIndex,
	},
};

/// Finds the account that owns an authoring key.
pub trait AuthorityOwner<AuthorityId, AccountId> {
	/// The owner of `key`, if it is a registered session key.
	fn owner(key: &AuthorityId) -> Option<AccountId>;
}

impl<T: Config> Pallet<T> {
	/// Slashes `fraction` of `offender`'s held deposit and pays the reporters their share.
	/// Returns the amount slashed. Lessors' frozen funds are not touched.
	pub(crate) fn slash_and_pay(
		offender: &T::AccountId,
		fraction: Perbill,
		reporters: &[T::AccountId],
	) -> Balance {
		let Some(mut candidate) = Candidates::<T>::get(offender) else { return 0 };
		let Some(p) = Parameters::<T>::get() else { return 0 };
		let amount = fraction.mul_floor(Self::held_deposit(offender));
		let (credit, _) = <T::Currency as BalancedHold<T::AccountId>>::slash(
			&HoldReason::CandidateDeposit.into(),
			offender,
			amount,
		);
		let slashed = credit.peek();
		// Take it from the active deposit first, then from unbonding deposit chunks.
		let from_deposit = slashed.min(candidate.deposit);
		candidate.deposit = candidate.deposit.saturating_sub(from_deposit);
		let mut left = slashed.saturating_sub(from_deposit);
		if left > 0 {
			Unbonding::<T>::mutate(offender, |chunks| {
				for chunk in chunks.iter_mut().filter(|c| c.kind == UnbondingKind::Deposit) {
					let cut = left.min(chunk.amount);
					chunk.amount = chunk.amount.saturating_sub(cut);
					left = left.saturating_sub(cut);
				}
				chunks.retain(|c| c.amount > 0);
			});
		}
		if candidate.status == CandidateStatus::Active {
			candidate.status = CandidateStatus::Slashed;
		}
		Candidates::<T>::insert(offender, candidate);
		CommitteeChanged::<T>::put(true);
		SessionAuthors::<T>::mutate(|authors| authors.retain(|a| a != offender));

		let (parts, _rest) = economics::split_slash(slashed, p.reporter_share, reporters.len());
		let mut remaining = credit;
		let mut to_reporters: Balance = 0;
		for (reporter, part) in reporters.iter().zip(parts) {
			let (share, rest) = remaining.split(part);
			remaining = rest;
			let paid = share.peek();
			match T::Currency::resolve(reporter, share) {
				Ok(()) => {
					to_reporters = to_reporters.saturating_add(paid);
					Self::deposit_event(Event::ReporterPaid {
						reporter: reporter.clone(),
						amount: paid,
					});
				}
				Err(unpaid) => remaining = remaining.merge(unpaid),
			}
		}
		T::SlashDestination::on_unbalanced(remaining);
		Self::deposit_event(Event::Slashed {
			offender: offender.clone(),
			amount: slashed,
			to_reporters,
		});
		slashed
	}

	/// Verifies a double-authoring proof and slashes the key's owner.
	pub(crate) fn do_report_double_authoring(
		reporter: T::AccountId,
		authority: T::AuthorityId,
		first: HeaderOf<T>,
		second: HeaderOf<T>,
	) -> DispatchResult {
		ensure!(first.hash() != second.hash(), Error::<T>::SameHeader);
		let slot = Self::verified_slot(&authority, first)?;
		ensure!(slot == Self::verified_slot(&authority, second)?, Error::<T>::DifferentSlots);
		let offender = T::AuthorityOwner::owner(&authority).ok_or(Error::<T>::UnknownAuthority)?;
		ensure!(Candidates::<T>::contains_key(&offender), Error::<T>::OffenderNotCandidate);
		let key = (offender.clone(), u64::from(slot));
		ensure!(!DoubleAuthoringReports::<T>::contains_key(&key), Error::<T>::DuplicateReport);
		let fraction = Self::parameters()?.slash_fraction;
		DoubleAuthoringReports::<T>::insert(
			key,
			polkadot_sdk::frame_system::Pallet::<T>::block_number(),
		);
		Self::slash_and_pay(&offender, fraction, &[reporter]);
		Ok(())
	}

	/// The Aura slot of `header` if its seal is `authority`'s signature of the unsealed
	/// header's hash (what Aura nodes check on import).
	fn verified_slot(
		authority: &T::AuthorityId,
		mut header: HeaderOf<T>,
	) -> Result<Slot, Error<T>> {
		let seal = match header.digest_mut().pop() {
			Some(DigestItem::Seal(id, seal)) if id == AURA_ENGINE_ID => seal,
			_ => return Err(Error::<T>::MissingSeal),
		};
		let signature =
			<T::AuthorityId as RuntimeAppPublic>::Signature::decode(&mut seal.as_slice())
				.map_err(|_| Error::<T>::InvalidSeal)?;
		let slot = header
			.digest()
			.logs()
			.iter()
			.find_map(|item| match item {
				DigestItem::PreRuntime(id, data) if *id == AURA_ENGINE_ID => {
					Slot::decode(&mut data.as_slice()).ok()
				}
				_ => None,
			})
			.ok_or(Error::<T>::MissingSlot)?;
		let pre_hash = header.hash();
		ensure!(authority.verify(&pre_hash.as_ref(), &signature), Error::<T>::InvalidSeal);
		Ok(slot)
	}
}

impl<T: Config, Identification>
	OnOffenceHandler<T::AccountId, (T::AccountId, Identification), Weight> for Pallet<T>
{
	fn on_offence(
		offenders: &[OffenceDetails<T::AccountId, (T::AccountId, Identification)>],
		slash_fraction: &[Perbill],
		_session: SessionIndex,
	) -> Weight {
		let configured = Parameters::<T>::get().map(|p| p.slash_fraction).unwrap_or_default();
		let mut weight = Weight::zero();
		for (details, offence_fraction) in offenders.iter().zip(slash_fraction) {
			// The chain's slash fraction applies to any proven offence; the offence's own
			// fraction (by how many validators offended at once) can only raise it.
			let fraction = configured.max(*offence_fraction);
			let reporters: Vec<T::AccountId> = details.reporters.clone();
			Self::slash_and_pay(&details.offender.0, fraction, &reporters);
			weight = weight.saturating_add(T::WeightInfo::slash(reporters.len() as u32));
		}
		weight
	}
}
