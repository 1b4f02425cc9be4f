//! Slashing that pays the reporter: GRANDPA equivocations arrive through `pallet-offences`
//! (this pallet is its `OnOffenceHandler`), Aura double authoring through
//! [`Pallet::report_double_authoring`], verified here from two sealed headers.
//!
//! A double-authoring proof counts only if it cannot be made from honest data:
//! - each seal decodes exactly (no trailing bytes) and verifies against the hash of its header
//!   *without* the seal, which has exactly one Aura slot (what Aura nodes check on import);
//! - the two unsealed headers differ (re-encoding or re-signing one header proves nothing);
//! - both headers build on a block of this chain (`frame_system`'s recent block hashes), so a
//!   header of another chain signed with the same key is not evidence here;
//! - the key's owner is resolved as of the header's session from [`AuthoringKeys`], recorded
//!   when that session started, so rotating or purging keys afterwards changes nothing.

use crate::{economics, pallet::*, CandidateStatus, HeaderOf, UnbondingKind, WeightInfo};
use alloc::vec::Vec;
use codec::DecodeAll;
use kmcc_primitives::Balance;
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Balanced, BalancedHold},
			Imbalance, OnUnbalanced,
		},
	},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_consensus_aura::{Slot, AURA_ENGINE_ID},
	sp_runtime::{
		traits::{CheckedSub, Header as _, One},
		DigestItem, Perbill, RuntimeAppPublic,
	},
	sp_staking::{
		offence::{OffenceDetails, OnOffenceHandler},
		SessionIndex,
	},
};

/// The authoring keys of the session that is starting (the session pallet's queued keys).
pub trait SessionAuthoringKeys<AccountId, AuthorityId> {
	/// Every validator of the session being started, with its authoring key.
	fn starting() -> Vec<(AccountId, AuthorityId)>;
}

/// A header's verified seal: its slot, unsealed hash and number.
struct VerifiedSeal<T: Config> {
	slot: Slot,
	pre_hash: T::Hash,
	number: BlockNumberFor<T>,
}

impl<T: Config> Pallet<T> {
	/// Slashes `fraction` of `offender`'s held deposit and pays the reporters their share.
	/// Returns the amount slashed. Lessors' leased funds are not touched.
	pub(crate) fn slash_and_pay(
		offender: &T::AccountId,
		fraction: Perbill,
		reporters: &[T::AccountId],
	) -> Balance {
		// The offender's candidate record changes: share the block's fees first.
		Self::share_block_fees();
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
		// Not electable any more: its list slot is free for new candidates.
		CandidateList::<T>::mutate(|list| list.retain(|a| a != offender));
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
		let first = Self::verified_seal(&authority, first)?;
		let second = Self::verified_seal(&authority, second)?;
		ensure!(first.pre_hash != second.pre_hash, Error::<T>::SameHeader);
		ensure!(first.slot == second.slot, Error::<T>::DifferentSlots);
		let recorded = RecordedSessions::<T>::get();
		let session = Self::session_of_block(&recorded, first.number)?;
		let offender = Self::key_owner_in(session, &authority)?;
		// Headers of one slot are nearly always of one session: its keys are read once.
		let other = Self::session_of_block(&recorded, second.number)?;
		if other != session {
			ensure!(
				Self::key_owner_in(other, &authority)? == offender,
				Error::<T>::UnknownAuthority
			);
		}
		ensure!(Candidates::<T>::contains_key(&offender), Error::<T>::OffenderNotCandidate);
		let key = (offender.clone(), u64::from(first.slot));
		ensure!(!DoubleAuthoringReports::<T>::contains_key(&key), Error::<T>::DuplicateReport);
		let fraction = Self::parameters()?.slash_fraction;
		DoubleAuthoringReports::<T>::insert(
			key,
			polkadot_sdk::frame_system::Pallet::<T>::block_number(),
		);
		Self::slash_and_pay(&offender, fraction, &[reporter]);
		Ok(())
	}

	/// Checks `header`'s Aura seal as Aura nodes do on import, and that it builds on a block
	/// of this chain.
	///
	/// The seal must be the last digest item and decode exactly into a signature by
	/// `authority` of the header's hash without the seal; the rest must carry exactly one Aura
	/// slot, decoded exactly; the parent must be the recorded hash of block `number − 1`.
	fn verified_seal(
		authority: &T::AuthorityId,
		mut header: HeaderOf<T>,
	) -> Result<VerifiedSeal<T>, Error<T>> {
		let seal = match header.digest_mut().pop() {
			Some(DigestItem::Seal(id, seal)) if id == AURA_ENGINE_ID => seal,
			_ => return Err(Error::<T>::MissingSeal),
		};
		let signature =
			<T::AuthorityId as RuntimeAppPublic>::Signature::decode_all(&mut seal.as_slice())
				.map_err(|_| Error::<T>::InvalidSeal)?;
		let mut slots = header.digest().logs().iter().filter_map(|item| match item {
			DigestItem::PreRuntime(id, data) if *id == AURA_ENGINE_ID => Some(data),
			_ => None,
		});
		let slot_data = slots.next().ok_or(Error::<T>::MissingSlot)?;
		ensure!(slots.next().is_none(), Error::<T>::MissingSlot);
		let slot =
			Slot::decode_all(&mut slot_data.as_slice()).map_err(|_| Error::<T>::MissingSlot)?;
		let pre_hash = header.hash();
		ensure!(authority.verify(&pre_hash.as_ref(), &signature), Error::<T>::InvalidSeal);
		let number = *header.number();
		let parent = number.checked_sub(&One::one()).ok_or(Error::<T>::UnknownParent)?;
		let known = polkadot_sdk::frame_system::BlockHash::<T>::try_get(parent)
			.map_err(|_| Error::<T>::UnknownParent)?;
		ensure!(known == *header.parent_hash(), Error::<T>::UnknownParent);
		Ok(VerifiedSeal { slot, pre_hash, number })
	}

	/// The owner of authoring key `key` in the session block `number` belongs to: the last
	/// recorded session that started before it (a session's first block is still authored
	/// by the previous session's keys, because the rotation runs inside that block).
	pub fn authoring_key_owner(
		number: BlockNumberFor<T>,
		key: &T::AuthorityId,
	) -> Result<T::AccountId, Error<T>> {
		let session = Self::session_of_block(&RecordedSessions::<T>::get(), number)?;
		Self::key_owner_in(session, key)
	}

	/// The recorded session block `number` was authored in.
	fn session_of_block(
		recorded: &[(SessionIndex, BlockNumberFor<T>)],
		number: BlockNumberFor<T>,
	) -> Result<SessionIndex, Error<T>> {
		recorded
			.iter()
			.rev()
			.find(|(_, first_block)| *first_block < number)
			.map(|(session, _)| *session)
			.ok_or(Error::<T>::SessionNotRecorded)
	}

	/// The validator that had authoring key `key` in recorded session `session`.
	fn key_owner_in(session: SessionIndex, key: &T::AuthorityId) -> Result<T::AccountId, Error<T>> {
		AuthoringKeys::<T>::get(session)
			.into_iter()
			.find_map(|(who, k)| (k == *key).then_some(who))
			.ok_or(Error::<T>::UnknownAuthority)
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
