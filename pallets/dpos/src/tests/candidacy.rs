//! Leaving and slashed candidates: out of the list at once, out of the authoring order and
//! the validator set whatever they call, never registered again after a slash.

use super::*;

fn slash(who: AccountId) {
	<Dpos as OnOffenceHandler<AccountId, (AccountId, ()), _>>::on_offence(
		&[OffenceDetails { offender: (who, ()), reporters: vec![12] }],
		&[Perbill::zero()],
		0,
	);
}

#[test]
fn a_slashed_candidate_that_withdraws_stays_slashed_and_leaves_the_validators() {
	ExtBuilder::default()
		.parameters(|p| p.slash_fraction = Perbill::from_percent(50))
		.build_and_execute(|| {
			assert_ok!(Dpos::lease(signed(10), 4, 50 * KMCC));
			slash(4);
			assert_eq!(held(4), 50 * KMCC);
			// Withdrawing unbonds what the slash left; the status does not turn into Leaving.
			assert_ok!(Dpos::withdraw_candidacy(signed(4)));
			let c = Candidates::<Test>::get(4).unwrap();
			assert_eq!((c.status, c.deposit), (CandidateStatus::Slashed, 0));
			assert_noop!(Dpos::withdraw_candidacy(signed(4)), Error::<Test>::CandidateNotActive);
			// Out of the authoring order now and of the validator set at the next planned
			// session, whatever the lessor does.
			assert!(!SessionAuthors::<Test>::get().contains(&4));
			assert_ok!(Dpos::unlease(signed(10), 4, 50 * KMCC));
			run_to_session(2);
			assert_eq!(pallet_session::Validators::<Test>::get(), vec![1, 2, 3]);
			run_to_block(System::block_number() + UNBONDING + 1);
			assert_ok!(Dpos::withdraw_unbonded(signed(4)));
			assert_ok!(Dpos::withdraw_unbonded(signed(10)));
			// Nothing refers to the record any more, and it stays: no second registration.
			assert_eq!(held(4), 0);
			assert_eq!(Candidates::<Test>::get(4).unwrap().status, CandidateStatus::Slashed);
			assert_noop!(
				Dpos::register_candidate(signed(4), 500 * KMCC, Perbill::zero()),
				Error::<Test>::CandidateSlashed
			);
			for s in 3..6 {
				run_to_session(s);
				assert!(!pallet_session::Validators::<Test>::get().contains(&4));
				assert!(!SessionAuthors::<Test>::get().contains(&4));
			}
		});
}

#[test]
fn leaving_and_slashed_candidates_free_their_list_slots_at_once() {
	CandidateBound::set(5);
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Dpos::register_candidate(signed(5), 100 * KMCC, Perbill::zero()));
		assert_noop!(
			Dpos::register_candidate(signed(6), 100 * KMCC, Perbill::zero()),
			Error::<Test>::TooManyCandidates
		);
		// A withdrawn candidate with a lease left: listed no more, its record kept.
		assert_ok!(Dpos::lease(signed(10), 5, 10 * KMCC));
		assert_ok!(Dpos::withdraw_candidacy(signed(5)));
		assert!(!CandidateList::<Test>::get().contains(&5));
		assert!(Candidates::<Test>::get(5).is_some());
		assert_ok!(Dpos::register_candidate(signed(6), 100 * KMCC, Perbill::zero()));
		// A slashed candidate's slot is free too.
		slash(6);
		assert!(!CandidateList::<Test>::get().contains(&6));
		assert_ok!(Dpos::register_candidate(signed(7), 100 * KMCC, Perbill::zero()));
		// The lessor of the leaving candidate still unbonds normally; then the record goes.
		assert_ok!(Dpos::unlease(signed(10), 5, 10 * KMCC));
		run_to_block(System::block_number() + UNBONDING);
		assert_ok!(Dpos::withdraw_unbonded(signed(10)));
		assert_ok!(Dpos::withdraw_unbonded(signed(5)));
		assert_eq!(leased_hold(10), 0);
		assert!(Candidates::<Test>::get(5).is_none());
	});
	CandidateBound::set(32);
}
