//! The authoring schedule with its liveness fallback (design §3): which key may seal a
//! block at each slot after a given block. Pure functions; the pallet feeds them its state.
//!
//! After a block at slot `p`, slot `p + j` belongs to
//! - the session's **group** `G` (`g` keys) while `j ≤ a`, the slot going to `G[s mod g]`,
//!   which is Aura's own rule, so a healthy group authors exactly as without the fallback;
//! - otherwise, once `a` slots passed without a block, to the **fallback** authors `F`
//!   (`f` keys, the committee members outside the group): slot `s` goes to `F[s mod f]`.
//!
//! The pattern repeats every `L = f·(⌈a/f⌉ + 1)` slots: `a` group slots, then a fallback
//! window of `L − a ∈ [f, 2f − 1]` slots, in which every fallback author has a turn. The node
//! takes Aura's authority list from the parent block's state and seals slot `s` with entry
//! `s mod L`, so [`slots`] writes the pattern as such a list. `L` is a multiple of `f`, so a
//! fallback slot's author is `F[s mod f]` in whichever cycle the slot falls.

use alloc::vec::Vec;

/// The cycle length `L = f·(⌈a/f⌉ + 1)` for `a` group slots and `f` fallback authors
/// (saturating; `f = 0` gives `a`, a cycle without fallback slots).
pub fn cycle_len(after: u64, fallback: u64) -> u64 {
	if fallback == 0 {
		return after;
	}
	fallback.saturating_mul(after.div_ceil(fallback).saturating_add(1))
}

/// Whether slot `slot` after a block at `parent_slot` is a fallback slot: the `a` slots
/// after the parent had no block, in this cycle of the pattern.
pub fn is_fallback_slot(parent_slot: u64, slot: u64, after: u64, fallback: u64) -> bool {
	if fallback == 0 || slot <= parent_slot {
		return false;
	}
	let cycle = cycle_len(after, fallback);
	// `slot > parent_slot` and `cycle > after ≥ 0`, so neither side underflows.
	(slot - parent_slot - 1) % cycle >= after
}

/// Aura's authority list for the slots after a block at `parent_slot`: entry `s mod L` is
/// the author of slot `s`. Without fallback authors (or without a group) it is the group
/// itself (plain Aura).
pub fn slots<A: Clone>(group: &[A], fallback: &[A], parent_slot: u64, after: u64) -> Vec<A> {
	if group.is_empty() || fallback.is_empty() {
		return group.to_vec();
	}
	let f = fallback.len() as u64;
	let g = group.len() as u64;
	let cycle = cycle_len(after, f);
	// Entry `i` is for the slot `s ∈ (p, p + L]` with `s ≡ i (mod L)`: `s = p + 1 + j` with
	// `j = (i − p − 1) mod L`. In u128, so that no slot near `u64::MAX` overflows.
	let (p, l) = (u128::from(parent_slot), u128::from(cycle));
	(0..l)
		.map(|i| {
			let j = (i + l - (p + 1) % l) % l;
			let s = p + 1 + j;
			if j < u128::from(after) {
				group[(s % u128::from(g)) as usize].clone()
			} else {
				fallback[(s % u128::from(f)) as usize].clone()
			}
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	fn author(list: &[u32], slot: u64) -> u32 {
		list[(slot % list.len() as u64) as usize]
	}

	/// A group `0..g`, fallback authors `100..100 + f`, and the list after a block at `parent`.
	fn fixture(g: usize, f: usize, parent: u64, after: u64) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
		let group: Vec<u32> = (0..g as u32).collect();
		let fallback: Vec<u32> = (100..100 + f as u32).collect();
		let list = slots(&group, &fallback, parent, after);
		(group, fallback, list)
	}

	#[test]
	fn two_groups_of_two() {
		// Group {10, 11}, fallback {20, 21}, 3 group slots: L = 2·(2 + 1) = 6.
		let list = slots(&[10, 11], &[20, 21], 100, 3);
		assert_eq!(list.len(), 6);
		let authors: Vec<u32> = (101..=112).map(|s| author(&list, s)).collect();
		// Slots 101–103 as plain Aura (s mod 2), 104–106 the fallback (s mod 2), repeat.
		assert_eq!(authors, [11, 10, 11, 20, 21, 20, 11, 10, 11, 20, 21, 20]);
		assert!(!is_fallback_slot(100, 103, 3, 2));
		assert!(is_fallback_slot(100, 104, 3, 2));
		assert!(is_fallback_slot(100, 106, 3, 2));
		assert!(!is_fallback_slot(100, 107, 3, 2));
	}

	#[test]
	fn without_fallback_authors_the_group_is_the_list() {
		assert_eq!(slots(&[1, 2, 3], &[], 7, 5), vec![1, 2, 3]);
		assert_eq!(slots::<u32>(&[], &[4, 5], 7, 5), Vec::<u32>::new());
		assert!(!is_fallback_slot(7, 100, 5, 0));
		assert!(!is_fallback_slot(7, 7, 5, 2), "not after the parent");
	}

	#[test]
	fn no_overflow_near_the_largest_slot() {
		let list = slots(&[1, 2], &[3, 4, 5], u64::MAX - 2, 4);
		assert_eq!(list.len() as u64, cycle_len(4, 3));
		assert!(!is_fallback_slot(u64::MAX - 2, u64::MAX, 4, 3));
		assert_eq!(cycle_len(u64::MAX, 2), u64::MAX);
	}

	proptest! {
		#[test]
		fn the_list_is_the_pattern(
			g in 1usize..8,
			f in 1usize..12,
			after in 0u64..40,
			parent in 0u64..1_000_000,
			offset in 1u64..200,
		) {
			let (group, fallback, list) = fixture(g, f, parent, after);
			let cycle = cycle_len(after, f as u64);
			prop_assert_eq!(list.len() as u64, cycle);
			prop_assert!(cycle > after && cycle.is_multiple_of(f as u64) && cycle - after >= f as u64);
			let slot = parent + offset;
			let who = author(&list, slot);
			if offset <= after {
				// Plain Aura for the group right after a block.
				prop_assert_eq!(who, group[(slot % g as u64) as usize]);
			}
			// The classifier agrees with the list, and fallback slots follow `s mod f`.
			if is_fallback_slot(parent, slot, after, f as u64) {
				prop_assert_eq!(who, fallback[(slot % f as u64) as usize]);
			} else {
				prop_assert!(group.contains(&who));
			}
		}

		#[test]
		fn every_fallback_author_gets_a_turn_in_the_first_window(
			g in 1usize..8,
			f in 1usize..12,
			after in 0u64..40,
			parent in 0u64..1_000_000,
		) {
			let (_, fallback, list) = fixture(g, f, parent, after);
			let window = cycle_len(after, f as u64) - after;
			let mut seen: Vec<u32> =
				(parent + after + 1..=parent + after + window).map(|s| author(&list, s)).collect();
			seen.sort();
			seen.dedup();
			prop_assert_eq!(seen, fallback);
		}
	}
}
