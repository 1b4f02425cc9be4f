//! Regression tests: one fault per landlord per round, votes left out of a counted proof,
//! bounded reclaiming behind stale queue entries.

use super::*;
use polkadot_sdk::frame_support::dispatch::Pays;

fn faults(who: AccountId) -> u32 {
	Landlords::<Test>::get(who).unwrap().faults
}

#[test]
fn a_missed_round_is_one_fault_however_many_groups_a_landlord_serves() {
	build_and_execute(|| {
		// Four landlords of 256 MiB: four groups, each of all four.
		for who in 1..=4 {
			register(who, 256);
		}
		assert_eq!(GroupCount::<Test>::get(), 4);
		assert_eq!(Landlords::<Test>::get(1).unwrap().groups.len(), 4);
		// Round 0 formed the groups (not judged); round 1 has no proof at all.
		run_to_round_end();
		run_to_round_end();
		for who in 1..=4 {
			assert_eq!(faults(who), 1, "landlord {who}");
		}
		let faulted = events()
			.into_iter()
			.filter(|e| matches!(e, Event::LandlordFaulted { round: 1, .. }))
			.count();
		assert_eq!(faulted, 4);
		// Still far from `max_faults`: nobody is blacklisted after one missed round.
		assert!(
			(1..=4).all(|w| Landlords::<Test>::get(w).unwrap().status == LandlordStatus::Active)
		);
	});
}

#[test]
fn a_member_left_out_of_a_counted_proof_adds_its_vote_and_is_not_faulted() {
	build_and_execute(|| {
		one_group();
		donate(1_000 * KMCC);
		next_block();
		buy(6, 32, 30);
		run_to_round_end();
		let round = CurrentChallenge::<Test>::get().round;
		let data = H256::repeat_byte(7);
		// Someone submits a quorum subset that leaves landlord 4 out: counted, not free.
		let subset = StorageSpaces::submit_space_proof(
			RuntimeOrigin::signed(9),
			0,
			round,
			votes(vec![vote(1, 0, round, data), vote(2, 0, round, data), vote(3, 0, round, data)]),
		)
		.unwrap();
		assert_eq!(subset.pays_fee, Pays::Yes);
		// Landlord 4 adds its vote for the counted hash before the round closes: free.
		let added = StorageSpaces::submit_space_proof(
			RuntimeOrigin::signed(4),
			0,
			round,
			votes(vec![vote(4, 0, round, data)]),
		)
		.unwrap();
		assert_eq!(added.pays_fee, Pays::No);
		assert!(events().contains(&Event::ProofVotesAdded { group: 0, round, added: vec![4] }));
		// Adding it again, or a vote for another hash, counts nothing.
		assert_noop!(
			StorageSpaces::submit_space_proof(
				RuntimeOrigin::signed(4),
				0,
				round,
				votes(vec![vote(4, 0, round, data)])
			),
			Error::<Test>::AlreadyProven
		);
		assert_noop!(
			StorageSpaces::submit_space_proof(
				RuntimeOrigin::signed(4),
				0,
				round,
				votes(vec![vote(3, 0, round, H256::repeat_byte(8))])
			),
			Error::<Test>::AlreadyProven
		);
		assert_eq!(RoundProvenTotal::<Test>::get(), 4 * 64);
		run_to_round_end();
		assert!((1..=4).all(|w| faults(w) == 0));
		let paid: Vec<AccountId> = events()
			.into_iter()
			.filter_map(|e| match e {
				Event::RentPaid { landlord, round: r, .. } if r == round => Some(landlord),
				_ => None,
			})
			.collect();
		let mut paid = paid;
		paid.sort();
		assert_eq!(paid, vec![1, 2, 3, 4]);
	});
}

#[test]
fn a_proof_with_every_members_vote_is_free() {
	build_and_execute(|| {
		one_group();
		run_to_round_end();
		let post = prove(0, &[1, 2, 3, 4]).unwrap();
		assert_eq!(post.pays_fee, Pays::No);
	});
}

#[test]
fn reclaiming_skips_a_bounded_number_of_stale_queue_entries_and_blocks_prune_them() {
	build_and_execute(|| {
		lenient();
		one_group();
		donate(1_000 * KMCC);
		next_block();
		let a = buy(6, 64, 1);
		jump(DAY_MS + 10 * 60_000);
		assert_eq!(LockedQueueTail::<Test>::get() - LockedQueueHead::<Test>::get(), 1);
		// Three times the skip bound of stale entries (emptied buckets) in front of `a`.
		let stale = 3 * u64::from(MAX_STALE_SKIPS);
		let head = LockedQueueHead::<Test>::get();
		let bucket = LockedQueue::<Test>::take(head).unwrap();
		for i in 0..stale {
			LockedQueue::<Test>::insert(head + i, 1_000 + i);
		}
		LockedQueue::<Test>::insert(head + stale, bucket);
		LockedQueueTail::<Test>::put(head + stale + 1);
		// An order cannot walk them all in one call.
		assert_noop!(
			StorageSpaces::buy_space(RuntimeOrigin::signed(7), 8, 1, u128::MAX),
			Error::<Test>::InsufficientChunks
		);
		// Each block prunes up to the bound; after three, `a` is first and gets reclaimed.
		for _ in 0..3 {
			next_block();
		}
		assert_eq!(LockedQueueHead::<Test>::get(), head + stale);
		buy(7, 8, 1);
		assert!(Spaces::<Test>::get(a).is_none());
	});
}

#[test]
fn only_the_holder_of_a_node_key_can_name_it() {
	build_and_execute(|| {
		// A front-runner copies the victim's registration: the proof is over the victim.
		assert_noop!(
			StorageSpaces::register_landlord(
				RuntimeOrigin::signed(2),
				node(1),
				64,
				endpoint(2),
				ownership(1, 1)
			),
			Error::<Test>::InvalidOwnershipProof
		);
		// Signed by another key.
		assert_noop!(
			StorageSpaces::register_landlord(
				RuntimeOrigin::signed(2),
				node(1),
				64,
				endpoint(2),
				ownership(2, 2)
			),
			Error::<Test>::InvalidOwnershipProof
		);
		// The victim's own registration.
		register(1, 64);
		assert_eq!(NodeOwners::<Test>::get(node(1)), Some(1));
	});
}

/// Landlords 1..=8 (one slot each: groups 0 and 1), then one party's four landlords with two
/// slots each (groups 2 and 3), all in block `block` (the mock's randomness follows the block
/// number). Returns how many groups hold only the party's nodes.
fn groups_of_a_late_party(block: u64) -> usize {
	let mut own = 0;
	new_test_ext().execute_with(|| {
		System::set_block_number(block);
		for who in 1..=8 {
			register(who, 64);
		}
		let party = [21, 22, 23, 24];
		for who in party {
			<Balances as polkadot_sdk::frame_support::traits::fungible::Mutate<_>>::set_balance(
				&who,
				1_000_000 * KMCC,
			);
			register(who, 128);
		}
		assert_eq!(GroupCount::<Test>::get(), 4);
		own = (0..4)
			.filter(|&g| {
				CopyGroups::<Test>::get(g).unwrap().members.iter().all(|m| party.contains(m))
			})
			.count();
		StorageSpaces::check_invariants().expect("invariants hold");
	});
	own
}

#[test]
fn a_party_that_adds_capacity_last_does_not_get_groups_of_its_own_nodes() {
	// Formed greedily, groups 2 and 3 would be {21, 22, 23, 24} in every run: 32 groups of
	// 16 runs whose agreeing proofs prove nothing. Scattered, the party's replicas land in
	// random older groups and theirs in the new ones: with half of all replicas, the party
	// fills a group alone with probability about (1/2)⁴, 4 of 64 groups expected.
	let own: usize = (1..=16).map(groups_of_a_late_party).sum();
	assert!(own <= 4, "{own} of 64 groups hold only the party's nodes");
}

#[test]
fn a_replacement_is_drawn_among_the_landlords_with_a_free_slot() {
	// Landlords 1..=4 form group 0; 5, 6 and 7 have a free slot each (three: no new group).
	// When 4 leaves, its replica goes to one of them, not always the same one.
	let mut chosen = alloc::collections::BTreeSet::new();
	for block in 1..=12 {
		new_test_ext().execute_with(|| {
			System::set_block_number(block);
			for who in 1..=4 {
				register(who, 64);
			}
			for who in 5..=7 {
				register(who, 64);
			}
			assert_eq!(GroupCount::<Test>::get(), 1);
			assert_ok!(StorageSpaces::leave(RuntimeOrigin::signed(4)));
			let members = CopyGroups::<Test>::get(0).unwrap().members.into_inner();
			let to = members.iter().copied().find(|m| *m >= 5).expect("a replacement");
			chosen.insert(to);
			StorageSpaces::check_invariants().expect("invariants hold");
		});
	}
	assert!(chosen.len() >= 2, "replacements: {chosen:?}");
}

#[test]
fn a_registration_is_charged_for_the_largest_and_refunded_to_what_it_formed() {
	use crate::WeightInfo;
	use polkadot_sdk::frame_support::dispatch::GetDispatchInfo;
	build_and_execute(|| {
		for who in 1..=3 {
			register(who, 64);
		}
		let call = crate::Call::<Test>::register_landlord {
			node: node(4),
			capacity_mib: 64,
			endpoint: endpoint(4),
			ownership: ownership(4, 4),
		};
		let declared = call.get_dispatch_info().call_weight;
		let post = StorageSpaces::register_landlord(
			RuntimeOrigin::signed(4),
			node(4),
			64,
			endpoint(4),
			ownership(4, 4),
		)
		.unwrap();
		// One group formed, the first (nothing older to scatter into): the benchmarked
		// weight for 4 landlords and 1 group, not for 256 of each.
		assert_eq!(GroupCount::<Test>::get(), 1);
		assert_eq!(post.actual_weight, Some(<() as WeightInfo>::register_landlord(4, 1)));
		assert!(post.actual_weight.unwrap().ref_time() < declared.ref_time());
	});
}
