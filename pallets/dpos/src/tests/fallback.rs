//! The liveness fallback: a group that leaves its slots empty hands the session to the rest of
//! the committee, a healthy group authors exactly as plain Aura, and the next session gives
//! the next group its turn.
//!
//! Default genesis: groups {1, 4} and {2, 3}, keys `UintAuthorityId(a)`, `FALLBACK_AFTER` = 3
//! group slots (groups of 2), so the cycle is `2·(⌈3/2⌉ + 1)` = 6 slots.

use super::*;
use crate::schedule;

/// The accounts of the current session's group.
fn group() -> Vec<AccountId> {
	SessionAuthors::<Test>::get().into_inner()
}

fn author_of(slot: u64) -> AccountId {
	Dpos::slot_author(slot).expect("the session has recorded keys")
}

fn fallback_events() -> Vec<(u32, u64, u64, Option<AccountId>)> {
	dpos_events()
		.into_iter()
		.filter_map(|e| match e {
			Event::AuthoringFallback { session, slot, empty_slots, author } => {
				Some((session, slot, empty_slots, author))
			}
			_ => None,
		})
		.collect()
}

/// Produces blocks at consecutive slots from `first`, each sealed by its scheduled author,
/// until `n` blocks were made; returns the next free slot.
fn blocks_in_turn(first: u64, n: u64) -> u64 {
	for slot in first..first + n {
		run_block_at_slot(slot, Some(author_of(slot)));
	}
	first + n
}

#[test]
fn before_the_first_block_the_schedule_is_the_group() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(LastBlockSlot::<Test>::get(), None);
		let keys: Vec<AccountId> = Dpos::authoring_schedule().into_iter().map(|(a, _)| a).collect();
		assert_eq!(keys, group());
		// Whatever the gap, the first block is the group's and notes nothing.
		run_block_at_slot(1_000, Some(group()[0]));
		assert!(fallback_events().is_empty());
		assert_eq!(LastBlockSlot::<Test>::get(), Some(1_000));
	});
}

#[test]
fn a_healthy_group_authors_as_plain_aura() {
	ExtBuilder::default().build_and_execute(|| {
		run_block_at_slot(100, None);
		let g = group();
		assert_eq!(g.len(), 2);
		// The next `a` slots go to `group[s mod 2]`, Aura's own rule.
		for slot in 101..=100 + FALLBACK_AFTER {
			assert_eq!(author_of(slot), g[(slot % 2) as usize]);
		}
		// One member missing its turns leaves gaps of at most one slot: never a fallback.
		let next = 100 + FALLBACK_AFTER;
		let present = g[(next % 2) as usize];
		run_block_at_slot(next, Some(present));
		run_block_at_slot(next + 2, Some(present));
		assert!(fallback_events().is_empty());
		assert_eq!(FallbackSession::<Test>::get(), None);
	});
}

#[test]
fn a_silent_group_hands_over_after_its_slots() {
	ExtBuilder::default().build_and_execute(|| {
		let next = blocks_in_turn(100, 2);
		let session = CurrentSession::<Test>::get();
		let g = group();
		let parent = next - 1;
		// Slots parent+1 ..= parent+3 are the group's, parent+4 the first fallback slot.
		for slot in parent + 1..=parent + FALLBACK_AFTER {
			assert!(g.contains(&author_of(slot)));
		}
		let slot = parent + FALLBACK_AFTER + 1;
		let stand_in = author_of(slot);
		assert!(!g.contains(&stand_in), "the fallback author is outside the group");
		run_block_at_slot(slot, Some(stand_in));
		assert_eq!(
			fallback_events(),
			vec![(session, slot, FALLBACK_AFTER, Some(stand_in))],
			"one AuthoringFallback event with the empty slots and the author"
		);
		assert_eq!(FallbackSession::<Test>::get(), Some(session));
		// For the rest of the session only the other group authors, every slot.
		let others: Vec<AccountId> =
			Dpos::authoring_schedule().into_iter().map(|(a, _)| a).collect();
		assert_eq!(others.len(), 2);
		assert!(others.iter().all(|a| !g.contains(a)));
		for s in slot + 1..slot + 10 {
			assert_eq!(author_of(s), others[(s % 2) as usize]);
		}
		// A further fallback block in the same session notes nothing new.
		run_block_at_slot(slot + 1, Some(author_of(slot + 1)));
		assert_eq!(fallback_events().len(), 1);
	});
}

#[test]
fn a_block_in_a_group_slot_is_no_fallback_whatever_the_gap() {
	ExtBuilder::default().build_and_execute(|| {
		run_block_at_slot(100, None);
		let cycle = schedule::cycle_len(FALLBACK_AFTER, 2);
		assert_eq!(cycle, 6);
		// `a` slots later, and one whole cycle later: group slots again.
		let late = 100 + FALLBACK_AFTER;
		assert!(group().contains(&author_of(late)));
		run_block_at_slot(late, Some(author_of(late)));
		let wrapped = late + cycle + 1;
		assert!(group().contains(&author_of(wrapped)));
		run_block_at_slot(wrapped, Some(author_of(wrapped)));
		assert!(fallback_events().is_empty());
		assert_eq!(FallbackSession::<Test>::get(), None);
	});
}

#[test]
fn the_next_session_gives_the_next_group_its_turn() {
	ExtBuilder::default().build_and_execute(|| {
		let mut slot = blocks_in_turn(100, 1);
		let session = CurrentSession::<Test>::get();
		let silent = group();
		slot += FALLBACK_AFTER;
		run_block_at_slot(slot, Some(author_of(slot)));
		assert_eq!(FallbackSession::<Test>::get(), Some(session));
		// The other group carries the chain to the session's last block.
		while CurrentSession::<Test>::get() == session {
			slot += 1;
			let who = author_of(slot);
			assert!(!silent.contains(&who));
			run_block_at_slot(slot, Some(who));
		}
		// The new session's group authors in turn, and the old flag no longer applies.
		assert_eq!(CurrentSession::<Test>::get(), session + 1);
		assert_ne!(group(), silent);
		assert_ne!(FallbackSession::<Test>::get(), Some(session + 1));
		for s in slot + 1..=slot + FALLBACK_AFTER {
			assert!(group().contains(&author_of(s)));
		}
		assert_eq!(fallback_events().len(), 1);
	});
}

#[test]
fn a_fallback_block_that_starts_a_session_marks_only_the_old_one() {
	ExtBuilder::default().build_and_execute(|| {
		// Blocks up to the last of session 0 (the next block rotates).
		let mut slot = 100;
		while System::block_number() + 1 < PERIOD {
			run_block_at_slot(slot, Some(author_of(slot)));
			slot += 1;
		}
		let old = CurrentSession::<Test>::get();
		let fallback_slot = slot + FALLBACK_AFTER;
		run_block_at_slot(fallback_slot, Some(author_of(fallback_slot)));
		assert_eq!(CurrentSession::<Test>::get(), old + 1, "this block rotated");
		assert_eq!(FallbackSession::<Test>::get(), Some(old));
		// The new group gets plain Aura turns.
		let g = group();
		for s in fallback_slot + 1..=fallback_slot + FALLBACK_AFTER {
			assert_eq!(author_of(s), g[(s % g.len() as u64) as usize]);
		}
	});
}

#[test]
fn one_group_has_no_fallback() {
	ExtBuilder::default().parameters(|p| p.group_count = 1).build_and_execute(|| {
		run_block_at_slot(100, None);
		assert_eq!(group().len(), 4);
		// Four group slots (the group's size) and no one outside the group: the list is the
		// group, whatever the gap.
		let keys: Vec<AccountId> = Dpos::authoring_schedule().into_iter().map(|(a, _)| a).collect();
		assert_eq!(keys, group());
		run_block_at_slot(200, Some(author_of(200)));
		assert!(fallback_events().is_empty());
	});
}

#[test]
fn the_group_slots_are_at_least_the_group_size() {
	// Groups of 4 (committee 8, two groups) with `FALLBACK_AFTER` = 3: every member keeps its
	// turn before the fallback, so the first fallback slot is parent + 5.
	let candidates = (1..=8).map(|a| (a, (1_000 - a as u128) * KMCC, Perbill::zero())).collect();
	ExtBuilder::default()
		.candidates(candidates)
		.parameters(|p| p.committee_size = 8)
		.build_and_execute(|| {
			run_block_at_slot(100, None);
			let g = group();
			assert_eq!(g.len(), 4);
			for slot in 101..=104 {
				assert_eq!(author_of(slot), g[(slot % 4) as usize]);
			}
			assert!(!g.contains(&author_of(105)));
			run_block_at_slot(104, Some(author_of(104)));
			assert!(fallback_events().is_empty());
		});
}

#[test]
fn authors_keep_the_keys_recorded_for_the_session() {
	ExtBuilder::default().build_and_execute(|| {
		run_block_at_slot(100, None);
		let before = Dpos::authoring_schedule();
		// A member sets new keys mid-session: the node sealed with the recorded key, and the
		// schedule (and the author it names) stays as the session started.
		let member = group()[0];
		pallet_session::NextKeys::<Test>::insert(member, UintAuthorityId(999));
		pallet_session::KeyOwner::<Test>::remove((
			polkadot_sdk::sp_runtime::key_types::DUMMY,
			UintAuthorityId(member).encode(),
		));
		assert_eq!(Dpos::authoring_schedule(), before);
		assert!(before.iter().any(|(a, k)| *a == member && *k == UintAuthorityId(member)));
	});
}
