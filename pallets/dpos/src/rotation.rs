//! Eras and sessions: the election at era boundaries (`SessionManager`), the authoring group
//! of each session and its voting-right order.

use crate::{
	economics, pallet::*, CandidateStatus, CommitteeOf, GroupsOf, SessionAuthoringKeys, WeightInfo,
};
use alloc::vec::Vec;
use codec::Encode;
use kmcc_primitives::Balance;
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{Get, Randomness},
	},
	sp_io::hashing::blake2_256,
	sp_staking::SessionIndex,
};

impl<T: Config> Pallet<T> {
	/// Splits `committee` (highest backing first) into `group_count` snake-order groups.
	pub(crate) fn bounded_groups(
		committee: &[(T::AccountId, Balance)],
		group_count: u32,
	) -> GroupsOf<T> {
		BoundedVec::truncate_from(
			economics::snake_groups(committee, group_count as usize)
				.into_iter()
				.map(|g| BoundedVec::truncate_from(g.into_iter().map(|(a, _)| a).collect()))
				.collect(),
		)
	}

	/// Elects the committee from the Active candidates and splits it into groups.
	pub(crate) fn elect_committee() -> (CommitteeOf<T>, GroupsOf<T>) {
		let Some(p) = Parameters::<T>::get() else { return Default::default() };
		let candidates: Vec<(T::AccountId, Balance)> = CandidateList::<T>::get()
			.into_iter()
			.filter_map(|who| {
				let c = Candidates::<T>::get(&who)?;
				(c.status == CandidateStatus::Active).then(|| (who, c.backing()))
			})
			.collect();
		let seats = (p.committee_size.min(T::MaxCommitteeSize::get())) as usize;
		let committee = economics::elect(candidates, seats);
		let groups = Self::bounded_groups(&committee, p.group_count);
		(BoundedVec::truncate_from(committee), groups)
	}

	/// Plans session `index`: at an era boundary elects the next committee; after a slash
	/// drops the offender. Returns the new validator set, if it changes.
	pub(crate) fn plan_session(index: SessionIndex) -> Option<Vec<T::AccountId>> {
		let p = Parameters::<T>::get()?;
		let era_start = EraStartSession::<T>::get();
		let next_era_start = era_start.saturating_add(p.sessions_per_era);
		if index >= next_era_start && PlannedEra::<T>::get().is_none() {
			let (committee, groups) = Self::elect_committee();
			if committee.is_empty() {
				// No electable candidate: keep the current committee rather than halt.
				return None;
			}
			let total_backing = committee.iter().fold(0u128, |sum, (_, b)| sum.saturating_add(*b));
			Self::deposit_event(Event::CommitteeElected {
				era: CurrentEra::<T>::get().saturating_add(1),
				first_session: index,
				members: committee.len() as u32,
				groups: groups.len() as u32,
				total_backing,
			});
			let validators = committee.iter().map(|(a, _)| a.clone()).collect();
			PlannedEra::<T>::put((index, committee, groups));
			CommitteeChanged::<T>::kill();
			let weight = T::WeightInfo::elect(CandidateList::<T>::decode_len().unwrap_or(0) as u32);
			polkadot_sdk::frame_system::Pallet::<T>::register_extra_weight_unchecked(
				weight,
				DispatchClass::Mandatory,
			);
			return Some(validators);
		}
		if CommitteeChanged::<T>::take() {
			let validators: Vec<T::AccountId> = Committee::<T>::get()
				.into_iter()
				.map(|(a, _)| a)
				.filter(|a| Self::is_active(a))
				.collect();
			if !validators.is_empty() {
				return Some(validators);
			}
		}
		None
	}

	/// Starts session `index`: installs a planned era that begins now and orders the
	/// session's authoring group.
	pub(crate) fn begin_session(index: SessionIndex) {
		if let Some((first, committee, groups)) = PlannedEra::<T>::get() {
			if index >= first {
				PlannedEra::<T>::kill();
				Committee::<T>::put(committee);
				Groups::<T>::put(groups);
				EraStartSession::<T>::put(first);
				CurrentEra::<T>::mutate(|e| *e = e.saturating_add(1));
			}
		}
		Self::start_session_authors(index);
		Self::record_session_keys(index);
	}

	/// Records the authoring keys of session `index`, which starts in this block, and forgets
	/// the oldest recorded session beyond `ReportableSessions`.
	pub(crate) fn record_session_keys(index: SessionIndex) {
		let bound = T::ReportableSessions::get() as usize;
		if bound == 0 {
			return;
		}
		let now = polkadot_sdk::frame_system::Pallet::<T>::block_number();
		let mut recorded = RecordedSessions::<T>::get().into_inner();
		// A session recorded twice (a re-run genesis) keeps one record.
		recorded.retain(|(s, _)| *s != index);
		// `bound ≥ 1`, so `excess ≤ len`.
		let excess = recorded.len().saturating_add(1).saturating_sub(bound);
		for (expired, _) in recorded.drain(..excess) {
			AuthoringKeys::<T>::remove(expired);
		}
		recorded.push((index, now));
		RecordedSessions::<T>::put(BoundedVec::truncate_from(recorded));
		AuthoringKeys::<T>::insert(index, BoundedVec::truncate_from(T::SessionKeys::starting()));
	}

	/// Sets [`CurrentSession`], [`ActiveGroup`] and [`SessionAuthors`] for session `index`.
	pub(crate) fn start_session_authors(index: SessionIndex) {
		CurrentSession::<T>::put(index);
		let groups = Groups::<T>::get();
		let count = groups.len() as u32;
		if count == 0 {
			return;
		}
		// Turns follow the global session index, so they continue across eras and no group
		// is favoured when an era's length is not a multiple of the group count.
		let group = index % count;
		ActiveGroup::<T>::put(group);
		let members = groups.get(group as usize).cloned().unwrap_or_default();
		let (seed, _) = T::Randomness::random(b"kmcc/dpos/author-order");
		let committee = Committee::<T>::get();
		let era_start = EraStartSession::<T>::get();
		let mut ordered: Vec<(u128, T::AccountId)> = members
			.into_iter()
			.filter(|who| Self::is_active(who))
			.map(|who| {
				let backing = committee.iter().find(|(a, _)| *a == who).map_or(0, |(_, b)| *b);
				// Never authored: as if it last authored just before its era began.
				let waited = match LastAuthoredSession::<T>::get(&who) {
					Some(last) => index.saturating_sub(last),
					None => index.saturating_sub(era_start).saturating_add(1),
				};
				let entropy = blake2_256(&(seed, &who).encode());
				let entropy = u16::from_le_bytes([entropy[0], entropy[1]]);
				(economics::voting_right(backing, waited, entropy), who)
			})
			.collect();
		ordered.sort_by(|(x, a), (y, b)| y.cmp(x).then_with(|| a.cmp(b)));
		let mut authors: Vec<T::AccountId> = ordered.into_iter().map(|(_, a)| a).collect();
		if !authors.is_empty() {
			// Aura gives slot k to author k mod n: the highest voting right takes the first
			// slot after this block.
			let first_slot = T::CurrentSlot::get().saturating_add(1);
			let shift = (first_slot % authors.len() as u64) as usize;
			authors.rotate_right(shift);
		}
		Self::deposit_event(Event::GroupRotated {
			session: index,
			group,
			authors: authors.len() as u32,
		});
		SessionAuthors::<T>::put(BoundedVec::truncate_from(authors));
	}

	/// Whether committee member `who` may author: not slashed (validators adopted by the
	/// migration have no candidate record and may; slashed records are never pruned).
	pub(crate) fn is_active(who: &T::AccountId) -> bool {
		Candidates::<T>::get(who).is_none_or(|c| c.status != CandidateStatus::Slashed)
	}

	/// The authors of the current session, in slot order.
	pub fn session_authors() -> Vec<T::AccountId> {
		SessionAuthors::<T>::get().into_inner()
	}
}

impl<T: Config> polkadot_sdk::pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		Self::plan_session(new_index)
	}

	fn new_session_genesis(_new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		let validators: Vec<T::AccountId> =
			Committee::<T>::get().into_iter().map(|(a, _)| a).collect();
		(!validators.is_empty()).then_some(validators)
	}

	fn end_session(_end_index: SessionIndex) {}

	fn start_session(start_index: SessionIndex) {
		Self::begin_session(start_index)
	}
}
