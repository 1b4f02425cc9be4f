//! Who seals each slot: the session's group, and the rest of the committee when the group
//! leaves `FallbackAfterSlots` slots empty (design §3, [`crate::schedule`]).
//!
//! Sessions rotate by block number, so a group that is wholly offline would stop the chain:
//! no block, no rotation, no other group. The runtime gives the node
//! [`Pallet::authoring_schedule`] as Aura's authority list; it is computed from the parent
//! block's state (the group, the session's recorded keys, [`LastBlockSlot`],
//! [`FallbackSession`]), which the node and every block executing on it see alike, and the
//! node checks each seal against it. The first fallback block of a session switches the rest
//! of that session to the fallback authors alone, so a stopped group costs `a` empty slots
//! once per session, not before every block.

use crate::{pallet::*, schedule, Config, WeightInfo};
use alloc::vec::Vec;
use polkadot_sdk::frame_support::{traits::Get, weights::Weight};

/// A committee member with the authoring key recorded for the session.
pub type SlotAuthor<T> =
	(<T as polkadot_sdk::frame_system::Config>::AccountId, <T as Config>::AuthorityId);

impl<T: Config> Pallet<T> {
	/// The group (in slot order) and the fallback authors of the current session, each with
	/// its recorded authoring key. A group without recorded keys is replaced by every
	/// validator, as the runtime does for Aura (and then there is no fallback).
	pub(crate) fn session_slot_authors() -> (Vec<SlotAuthor<T>>, Vec<SlotAuthor<T>>) {
		let keys = AuthoringKeys::<T>::get(CurrentSession::<T>::get()).into_inner();
		let group: Vec<_> = SessionAuthors::<T>::get()
			.iter()
			.filter_map(|who| keys.iter().find(|(v, _)| v == who).cloned())
			.collect();
		if group.is_empty() {
			return (keys, Vec::new());
		}
		let fallback =
			keys.into_iter().filter(|(v, _)| !group.iter().any(|(g, _)| g == v)).collect();
		(group, fallback)
	}

	/// The group slots `a` that must pass without a block before a fallback author may seal:
	/// `FallbackAfterSlots`, and at least the group's size.
	fn group_slots(group: usize) -> u64 {
		T::FallbackAfterSlots::get().max(group as u64)
	}

	/// The authors of the slots after the current block, with their keys: entry `s mod len`
	/// seals slot `s`. The runtime returns the keys as Aura's authorities (the node asks at
	/// the parent of the block it builds or imports). Empty if the session has no recorded
	/// keys.
	pub fn authoring_schedule() -> Vec<SlotAuthor<T>> {
		let (group, fallback) = Self::session_slot_authors();
		if fallback.is_empty() || T::FallbackAfterSlots::get() == 0 {
			return group;
		}
		if FallbackSession::<T>::get() == Some(CurrentSession::<T>::get()) {
			return fallback;
		}
		match LastBlockSlot::<T>::get() {
			Some(parent) => {
				schedule::slots(&group, &fallback, parent, Self::group_slots(group.len()))
			}
			None => group,
		}
	}

	/// The account that may seal `slot` after the current block (`None` without recorded
	/// keys).
	pub fn slot_author(slot: u64) -> Option<T::AccountId> {
		let list = Self::authoring_schedule();
		let len = list.len() as u64;
		(len > 0).then(|| list.get((slot % len) as usize).map(|(who, _)| who.clone())).flatten()
	}

	/// `on_initialize`: if this block sealed a fallback slot of its parent's schedule, the
	/// session switches to the fallback authors. Runs before the session pallet, so
	/// [`CurrentSession`] is still the parent's session; returns the weight with
	/// `on_finalize`'s.
	pub(crate) fn note_block_slot() -> Weight {
		let in_turn = T::WeightInfo::note_block_slot_in_turn();
		let after = T::FallbackAfterSlots::get();
		let Some(parent) = LastBlockSlot::<T>::get() else { return in_turn };
		let slot = T::CurrentSlot::get();
		// The common case: a block within `after` slots of its parent is the group's.
		if after == 0 || slot <= parent.saturating_add(after) {
			return in_turn;
		}
		let session = CurrentSession::<T>::get();
		if FallbackSession::<T>::get() == Some(session) {
			return T::WeightInfo::note_block_slot_fallback();
		}
		let (group, fallback) = Self::session_slot_authors();
		let a = Self::group_slots(group.len());
		if schedule::is_fallback_slot(parent, slot, a, fallback.len() as u64) {
			FallbackSession::<T>::put(session);
			Self::deposit_event(Event::AuthoringFallback {
				session,
				slot,
				// `slot > parent + after` here.
				empty_slots: slot.saturating_sub(parent).saturating_sub(1),
				author: T::BlockAuthor::get(),
			});
		}
		T::WeightInfo::note_block_slot_fallback()
	}
}
