//! Adversarial double-authoring reports: only two different unsealed headers of this chain,
//! sealed by one key for one slot, slash that key's owner in the headers' session.

use super::*;

fn status(who: AccountId) -> CandidateStatus {
	Candidates::<Test>::get(who).unwrap().status
}

#[test]
fn a_genuine_header_with_a_byte_appended_to_its_seal_is_not_a_second_header() {
	ExtBuilder::default().build_and_execute(|| {
		let genuine = sealed_header(1, 42, UintAuthorityId(4), 1);
		let mut padded = genuine.clone();
		match padded.digest_mut().logs.last_mut() {
			Some(DigestItem::Seal(_, seal)) => seal.push(0),
			_ => unreachable!("sealed"),
		}
		// The sealed hashes differ, the signature still verifies when decoded loosely.
		assert_ne!(genuine.hash(), padded.hash());
		assert_noop!(report(4, &genuine, &padded), Error::<Test>::InvalidSeal);
		assert_noop!(report(4, &padded, &genuine), Error::<Test>::InvalidSeal);
		assert_eq!(status(4), CandidateStatus::Active);
	});
}

#[test]
fn the_same_unsealed_header_twice_is_one_header() {
	ExtBuilder::default().build_and_execute(|| {
		let genuine = sealed_header(1, 42, UintAuthorityId(4), 1);
		// Same header, its seal moved behind an extra digest item: a different sealed hash,
		// and the seal no longer last.
		let mut reordered = genuine.clone();
		let seal = reordered.digest_mut().pop().unwrap();
		reordered.digest_mut().push(DigestItem::Other(vec![]));
		reordered.digest_mut().push(seal.clone());
		assert_noop!(report(4, &genuine, &reordered), Error::<Test>::InvalidSeal);
		// Same unsealed header, sealed again: one block, not two.
		let mut resealed = genuine.clone();
		resealed.digest_mut().pop();
		resealed.digest_mut().push(seal);
		assert_noop!(report(4, &genuine, &resealed), Error::<Test>::SameHeader);
	});
}

#[test]
fn a_header_must_carry_exactly_one_slot_decoded_exactly() {
	ExtBuilder::default().build_and_execute(|| {
		let genuine = sealed_header(1, 42, UintAuthorityId(4), 1);
		let with_logs = |logs: Vec<DigestItem>| {
			let mut h = Header::new(
				1,
				Default::default(),
				Default::default(),
				block_hash(0),
				Digest { logs },
			);
			let sig = UintAuthorityId(4).sign(&h.hash().as_ref()).unwrap();
			h.digest_mut().push(DigestItem::Seal(AURA_ENGINE_ID, sig.encode()));
			h
		};
		let slot = |s: u64| DigestItem::PreRuntime(AURA_ENGINE_ID, AuraSlot::from(s).encode());
		// Two slots: which one counts is ambiguous.
		let two_slots = with_logs(vec![slot(42), slot(43)]);
		assert_noop!(report(4, &genuine, &two_slots), Error::<Test>::MissingSlot);
		// A slot with a trailing byte.
		let mut padded = AuraSlot::from(42).encode();
		padded.push(7);
		let padded_slot = with_logs(vec![DigestItem::PreRuntime(AURA_ENGINE_ID, padded)]);
		assert_noop!(report(4, &genuine, &padded_slot), Error::<Test>::MissingSlot);
		// Exactly one slot, decoded exactly: a valid report.
		let other = with_logs(vec![slot(42), DigestItem::Other(vec![9])]);
		assert_ok!(report(4, &genuine, &other));
		assert_eq!(status(4), CandidateStatus::Slashed);
	});
}

#[test]
fn headers_of_another_chain_or_too_old_for_the_block_hashes_prove_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let ours = sealed_header(1, 42, UintAuthorityId(4), 1);
		// Another chain where the same key authors at the same slot: its parent is unknown.
		let theirs = sealed_on(H256::repeat_byte(0xee), 1, 42, UintAuthorityId(4), 2);
		assert_noop!(report(4, &ours, &theirs), Error::<Test>::UnknownParent);
		assert_noop!(report(4, &theirs, &ours), Error::<Test>::UnknownParent);
		// A header whose parent is not a block yet (the current block's child), and block 0.
		let future = sealed_header(5, 42, UintAuthorityId(4), 3);
		assert_noop!(report(4, &ours, &future), Error::<Test>::UnknownParent);
		let genesis = sealed_on(H256::zero(), 0, 42, UintAuthorityId(4), 4);
		assert_noop!(report(4, &ours, &genesis), Error::<Test>::UnknownParent);
		assert_eq!(status(4), CandidateStatus::Active);
	});
}

#[test]
fn rotating_or_purging_keys_after_the_fact_does_not_escape_the_report() {
	ExtBuilder::default().build_and_execute(|| {
		let a = sealed_header(1, 42, UintAuthorityId(4), 1);
		let b = sealed_header(1, 42, UintAuthorityId(4), 2);
		// Right after sealing both headers, 4 moves to a new key and 9 takes the old one.
		assert_ok!(Session::set_keys(signed(4), UintAuthorityId(44), vec![]));
		assert_ok!(Session::purge_keys(signed(9)));
		assert_ok!(Session::set_keys(signed(9), UintAuthorityId(4), vec![]));
		run_to_session(2);
		assert_ok!(report(4, &a, &b));
		// The owner in the headers' session pays, not the account holding the key now.
		assert_eq!(status(4), CandidateStatus::Slashed);
		assert_eq!(held(4), 0);
		assert!(dpos_events().contains(&Event::Slashed {
			offender: 4,
			amount: 100 * KMCC,
			to_reporters: 100 * KMCC
		}));
	});
}

#[test]
fn a_key_is_owned_by_whoever_had_it_in_the_headers_session() {
	ExtBuilder::default().build_and_execute(|| {
		// 4 leaves the key behind; 9 cannot take it while 4 holds it, so 4 purges first.
		assert_ok!(Session::purge_keys(signed(4)));
		assert_ok!(Session::set_keys(signed(9), UintAuthorityId(4), vec![]));
		assert_ok!(Dpos::register_candidate(signed(9), 500 * KMCC, Perbill::zero()));
		// Session 1 was queued at genesis with 4's key; from session 3 (the era elected at the
		// start of session 2) 9 is a validator with that key, and 4 is not.
		run_to_session(3);
		let recorded = AuthoringKeys::<Test>::get(3);
		assert!(recorded.iter().any(|(who, k)| *who == 9 && *k == UintAuthorityId(4)));
		assert!(!recorded.iter().any(|(who, _)| *who == 4));
		// Headers of block 16 (session 3): 9 sealed them.
		run_to_block(17);
		let (a, b) = (
			sealed_header(16, 99, UintAuthorityId(4), 1),
			sealed_header(16, 99, UintAuthorityId(4), 2),
		);
		assert_ok!(report(4, &a, &b));
		assert_eq!(status(9), CandidateStatus::Slashed);
		assert_eq!(status(4), CandidateStatus::Active);
	});
}

#[test]
fn reports_older_than_the_recorded_sessions_are_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let a = sealed_header(1, 42, UintAuthorityId(4), 1);
		let b = sealed_header(1, 42, UintAuthorityId(4), 2);
		// Sessions 0..=REPORTABLE_SESSIONS started: session 0 is forgotten.
		run_to_session(REPORTABLE_SESSIONS);
		assert_eq!(RecordedSessions::<Test>::get().len() as u32, REPORTABLE_SESSIONS);
		assert!(!AuthoringKeys::<Test>::contains_key(0));
		assert_noop!(report(4, &a, &b), Error::<Test>::SessionNotRecorded);
	});
}

#[test]
fn a_sessions_first_block_belongs_to_the_previous_session() {
	ExtBuilder::default().build_and_execute(|| {
		// 4 moves to key 44 in session 0: the session pallet queues it for session 2.
		assert_ok!(Session::set_keys(signed(4), UintAuthorityId(44), vec![]));
		run_to_session(2);
		let recorded = RecordedSessions::<Test>::get();
		assert_eq!(recorded.into_inner(), vec![(0, 0), (1, 5), (2, 10)]);
		let owner = |n: u64, key: u64| Dpos::authoring_key_owner(n, &UintAuthorityId(key)).ok();
		// Block 10 started session 2 but was sealed under session 1's keys.
		assert_eq!(owner(10, 4), Some(4));
		assert_eq!(owner(10, 44), None);
		assert_eq!(owner(11, 44), Some(4));
		assert_eq!(owner(11, 4), None);
		assert!(matches!(
			Dpos::authoring_key_owner(0, &UintAuthorityId(4)),
			Err(Error::<Test>::SessionNotRecorded)
		));
	});
}
