//! Unit and property tests on the mock runtime.

use crate::{mock::*, pallet::*, CandidateStatus, Event, HoldReason, UnbondingKind};
use codec::Encode;
use kmcc_primitives::{
	currency::{EXISTENTIAL_DEPOSIT, KMCC},
	Balance,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{
			fungible::{Inspect, InspectHold, Mutate},
			tokens::Preservation,
		},
	},
	pallet_session,
	sp_consensus_aura::{Slot as AuraSlot, AURA_ENGINE_ID},
	sp_core::H256,
	sp_runtime::{
		testing::{Header, UintAuthorityId},
		traits::{BadOrigin, Header as _},
		Digest, DigestItem, DispatchResult, Perbill, RuntimeAppPublic, TokenError,
	},
	sp_staking::offence::{OffenceDetails, OnOffenceHandler},
};

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn leased_hold(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::Lease.into(), &who)
}

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::CandidateDeposit.into(), &who)
}

/// Candidate 1 (300 KMCC deposit, `commission` %) alone in the committee, with lessors 10
/// (100 KMCC) and 11 (600 KMCC): the lessors hold 700 of 1,000 staked.
fn one_candidate_with_two_lessors(commission: u32) -> ExtBuilder {
	ExtBuilder::default()
		.candidates(vec![(1, 300 * KMCC, Perbill::from_percent(commission))])
		.parameters(|p| {
			p.committee_size = 1;
			p.group_count = 1;
		})
		.leases(vec![(10, 1, 100 * KMCC), (11, 1, 600 * KMCC)])
}

fn committee() -> Vec<AccountId> {
	Committee::<Test>::get().into_iter().map(|(a, _)| a).collect()
}

fn groups() -> Vec<Vec<AccountId>> {
	Groups::<Test>::get().into_iter().map(|g| g.into_inner()).collect()
}

/// A header of block `number` (a child of the mock chain's block `number − 1`) for Aura slot
/// `slot`, sealed by `key`.
fn sealed_header(number: u64, slot: u64, key: UintAuthorityId, extra: u8) -> Header {
	sealed_on(block_hash(number - 1), number, slot, key, extra)
}

/// A header of block `number` with parent `parent` for Aura slot `slot`, sealed by `key`.
fn sealed_on(parent: H256, number: u64, slot: u64, key: UintAuthorityId, extra: u8) -> Header {
	let digest = Digest {
		logs: vec![
			DigestItem::PreRuntime(AURA_ENGINE_ID, AuraSlot::from(slot).encode()),
			DigestItem::Other(vec![extra]),
		],
	};
	let mut header = Header::new(number, Default::default(), Default::default(), parent, digest);
	let signature = key.sign(&header.hash().as_ref()).unwrap();
	header.digest_mut().push(DigestItem::Seal(AURA_ENGINE_ID, signature.encode()));
	header
}

/// Reports `first` and `second` as sealed by `key`, from account 12.
fn report(key: u64, first: &Header, second: &Header) -> DispatchResult {
	Dpos::report_double_authoring(
		signed(12),
		UintAuthorityId(key),
		Box::new(first.clone()),
		Box::new(second.clone()),
	)
}

#[test]
fn genesis_elects_the_committee_into_snake_groups() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(committee(), vec![1, 2, 3, 4]);
		// Backing 400, 300, 200, 100 in snake order: {1, 4} and {2, 3}, 500 each.
		assert_eq!(groups(), vec![vec![1, 4], vec![2, 3]]);
		assert_eq!(pallet_session::Validators::<Test>::get(), vec![1, 2, 3, 4]);
		assert_eq!(ActiveGroup::<Test>::get(), 0);
		let mut authors = SessionAuthors::<Test>::get().into_inner();
		authors.sort();
		assert_eq!(authors, vec![1, 4]);
		assert_eq!(held(1), 400 * KMCC);
		assert_eq!(Balances::balance(&1), ENDOWMENT - 400 * KMCC);
	});
}

#[test]
fn registration_checks_every_input() {
	ExtBuilder::default().build_and_execute(|| {
		let ten = Perbill::from_percent(10);
		assert_noop!(
			Dpos::register_candidate(signed(1), 100 * KMCC, ten),
			Error::<Test>::AlreadyCandidate
		);
		assert_noop!(
			Dpos::register_candidate(signed(5), 99 * KMCC, ten),
			Error::<Test>::DepositTooLow
		);
		assert_noop!(
			Dpos::register_candidate(signed(5), 100 * KMCC, Perbill::from_percent(51)),
			Error::<Test>::CommissionTooHigh
		);
		assert_noop!(
			Dpos::register_candidate(signed(21), 100 * KMCC, ten),
			Error::<Test>::NoSessionKeys
		);
		assert_noop!(
			Dpos::register_candidate(signed(5), ENDOWMENT, ten),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Dpos::register_candidate(signed(5), 150 * KMCC, ten));
		assert_eq!(held(5), 150 * KMCC);
		assert_eq!(Balances::total_balance(&5), ENDOWMENT);
		assert!(dpos_events().contains(&Event::CandidateRegistered {
			candidate: 5,
			deposit: 150 * KMCC,
			commission: ten
		}));
	});
}

#[test]
fn leasing_holds_in_place_and_never_moves_funds() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Dpos::lease(signed(10), 4, 1_000 * KMCC));
		assert_ok!(Dpos::lease(signed(10), 3, 500 * KMCC));
		// Still the holder's: same total balance, held for the lease, nothing at the
		// candidates.
		assert_eq!(Balances::total_balance(&10), ENDOWMENT);
		assert_eq!(leased_hold(10), 1_500 * KMCC);
		assert_eq!(Balances::balance(&10), ENDOWMENT - 1_500 * KMCC);
		assert_eq!(Balances::total_balance(&4), ENDOWMENT);
		assert_eq!(Candidates::<Test>::get(4).unwrap().backing(), 1_100 * KMCC);
		// Leased funds cannot leave the account.
		assert_noop!(
			<Balances as Mutate<_>>::transfer(&10, &11, 9_000 * KMCC, Preservation::Expendable),
			TokenError::FundsUnavailable
		);
		// The minimum applies to a lease's total: a new lease of 5 KMCC is too small, 5 more
		// on an existing lease is fine.
		assert_noop!(Dpos::lease(signed(11), 4, 5 * KMCC), Error::<Test>::LeaseTooSmall);
		assert_noop!(Dpos::lease(signed(11), 4, 0), Error::<Test>::LeaseTooSmall);
		assert_noop!(Dpos::lease(signed(10), 7, 50 * KMCC), Error::<Test>::NotCandidate);
		assert_noop!(Dpos::lease(signed(10), 2, 8_600 * KMCC), Error::<Test>::InsufficientBalance);
		// MaxLeasesPerHolder = 4.
		assert_ok!(Dpos::lease(signed(10), 2, 10 * KMCC));
		assert_ok!(Dpos::lease(signed(10), 1, 10 * KMCC));
		assert_ok!(Dpos::register_candidate(signed(5), 100 * KMCC, Perbill::zero()));
		assert_noop!(Dpos::lease(signed(10), 5, 10 * KMCC), Error::<Test>::TooManyLeases);
	});
}

#[test]
fn a_lease_and_a_deposit_never_share_funds() {
	ExtBuilder::default().build_and_execute(|| {
		// Candidate 4 (100 KMCC deposit) leases 9,000 KMCC to 3, then raises its own deposit
		// with what is left: 750 more.
		assert_ok!(Dpos::lease(signed(4), 3, 9_000 * KMCC));
		assert_noop!(
			Dpos::set_deposit(signed(4), 1_000 * KMCC),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Dpos::set_deposit(signed(4), 850 * KMCC));
		assert_eq!(leased_hold(4), 9_000 * KMCC);
		assert_eq!(held(4), 850 * KMCC);
		// Only the 150 KMCC neither leased nor deposited can leave, less the existential
		// deposit (a frozen lease would have let the deposit cover it and 1,000 KMCC go).
		assert_noop!(
			<Balances as Mutate<_>>::transfer(&4, &11, 151 * KMCC, Preservation::Expendable),
			TokenError::FundsUnavailable
		);
		assert_ok!(<Balances as Mutate<_>>::transfer(
			&4,
			&11,
			150 * KMCC - EXISTENTIAL_DEPOSIT,
			Preservation::Preserve
		));
		assert_eq!(Balances::total_balance(&4), 9_850 * KMCC + EXISTENTIAL_DEPOSIT);
	});
}

#[test]
fn unleasing_keeps_funds_held_until_the_unbonding_delay() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Dpos::lease(signed(10), 4, 1_000 * KMCC));
		assert_noop!(Dpos::unlease(signed(10), 4, 995 * KMCC), Error::<Test>::InvalidUnleaseAmount);
		assert_noop!(
			Dpos::unlease(signed(10), 4, 1_001 * KMCC),
			Error::<Test>::InvalidUnleaseAmount
		);
		assert_noop!(Dpos::unlease(signed(11), 4, 10 * KMCC), Error::<Test>::NoLease);
		assert_ok!(Dpos::unlease(signed(10), 4, 400 * KMCC));
		assert_eq!(Candidates::<Test>::get(4).unwrap().leased, 600 * KMCC);
		// Unbonding: still held.
		assert_eq!(leased_hold(10), 1_000 * KMCC);
		assert_noop!(Dpos::withdraw_unbonded(signed(10)), Error::<Test>::NothingToWithdraw);
		run_to_block(1 + UNBONDING - 1);
		assert_noop!(Dpos::withdraw_unbonded(signed(10)), Error::<Test>::NothingToWithdraw);
		run_to_block(1 + UNBONDING);
		assert_ok!(Dpos::withdraw_unbonded(signed(10)));
		assert_eq!(leased_hold(10), 600 * KMCC);
		assert_eq!(Balances::total_balance(&10), ENDOWMENT);
		assert_eq!(Balances::balance(&10), ENDOWMENT - 600 * KMCC);
		// Unlease the rest: the lease disappears and the hold is gone after the delay.
		assert_ok!(Dpos::unlease(signed(10), 4, 600 * KMCC));
		assert!(Leases::<Test>::get(10, 4).is_none());
		assert!(HolderLeases::<Test>::get(10).is_empty());
		run_to_block(1 + 2 * UNBONDING);
		assert_ok!(Dpos::withdraw_unbonded(signed(10)));
		assert_eq!(leased_hold(10), 0);
		assert_eq!(Balances::balance(&10), ENDOWMENT);
		assert!(Unbonding::<Test>::get(10).is_empty());
	});
}

#[test]
fn deposits_rise_at_once_and_fall_after_unbonding() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Dpos::set_deposit(signed(4), 300 * KMCC));
		assert_eq!(held(4), 300 * KMCC);
		assert_ok!(Dpos::set_deposit(signed(4), 150 * KMCC));
		assert_eq!(Candidates::<Test>::get(4).unwrap().deposit, 150 * KMCC);
		// The lowered part stays held (slashable) while it unbonds.
		assert_eq!(held(4), 300 * KMCC);
		assert_noop!(Dpos::set_deposit(signed(4), 99 * KMCC), Error::<Test>::DepositTooLow);
		assert_noop!(Dpos::set_deposit(signed(9), 200 * KMCC), Error::<Test>::NotCandidate);
		run_to_block(1 + UNBONDING);
		assert_ok!(Dpos::withdraw_unbonded(signed(4)));
		assert_eq!(held(4), 150 * KMCC);
		assert_ok!(Dpos::set_commission(signed(4), Perbill::from_percent(20)));
		assert_noop!(
			Dpos::set_commission(signed(4), Perbill::from_percent(60)),
			Error::<Test>::CommissionTooHigh
		);
	});
}

#[test]
fn groups_take_turns_and_an_election_at_the_era_boundary_admits_a_leased_candidate() {
	ExtBuilder::default().build_and_execute(|| {
		let mut seen = Vec::new();
		for session in 1..=2 {
			run_to_session(session);
			seen.push(ActiveGroup::<Test>::get());
			let mut authors = SessionAuthors::<Test>::get().into_inner();
			authors.sort();
			assert_eq!(authors, groups()[ActiveGroup::<Test>::get() as usize]);
		}
		assert_eq!(seen, vec![1, 0]);
		// A candidate registered now (session 2) misses the election for session 3, which
		// the session pallet planned when session 2 began: it enters at the era after.
		assert_ok!(Dpos::register_candidate(signed(5), 100 * KMCC, Perbill::zero()));
		assert_ok!(Dpos::lease(signed(11), 5, 1_000 * KMCC));
		run_to_session(3);
		assert_eq!(CurrentEra::<Test>::get(), 1);
		assert_eq!(committee(), vec![1, 2, 3, 4]);
		// Turns continue across the era boundary (group 1 authored session 1, group 0
		// session 2): a new era does not hand group 0 a second session in a row.
		assert_eq!(ActiveGroup::<Test>::get(), 1);
		run_to_session(6);
		assert_eq!(CurrentEra::<Test>::get(), 2);
		assert_eq!(EraStartSession::<Test>::get(), 6);
		assert_eq!(committee(), vec![5, 1, 2, 3]);
		assert_eq!(groups(), vec![vec![5, 3], vec![1, 2]]);
		assert_eq!(ActiveGroup::<Test>::get(), 0);
		assert_eq!(pallet_session::Validators::<Test>::get(), vec![5, 1, 2, 3]);
		assert!(dpos_events().iter().any(|e| matches!(
			e,
			Event::CommitteeElected { era: 2, first_session: 6, members: 4, groups: 2, .. }
		)));
		run_to_session(7);
		assert_eq!(ActiveGroup::<Test>::get(), 1);
	});
}

#[test]
fn author_order_is_deterministic_and_lets_waiting_members_move_up() {
	let order = |seed: u8, authored_by_1: bool| {
		let mut out = Vec::new();
		ExtBuilder::default()
			.candidates(vec![(1, 1_000 * KMCC, Perbill::zero()), (2, 900 * KMCC, Perbill::zero())])
			.parameters(|p| {
				p.committee_size = 2;
				p.group_count = 1;
			})
			.build_and_execute(|| {
				Seed::set(seed);
				Slot::set(1); // the first slot after the change is 2 = 0 mod 2: no rotation
				if authored_by_1 {
					reward(1, KMCC);
				}
				run_to_session(1);
				out = SessionAuthors::<Test>::get().into_inner();
			});
		out
	};
	// Same seed, same order: deterministic.
	assert_eq!(order(3, false), order(3, false));
	// Nobody authored yet: both waited equally, the higher backing goes first for seeds
	// where the 12.5 % randomness does not swap them.
	let firsts: Vec<AccountId> = (0..32).map(|s| order(s, false)[0]).collect();
	assert!(firsts.iter().filter(|a| **a == 1).count() > firsts.len() / 2);
	// 1 authored in session 0: 2 waited one session longer and goes first for every seed.
	for seed in 0..32 {
		assert_eq!(order(seed, true), vec![2, 1], "seed {seed}");
	}
}

#[test]
fn rewards_split_exactly_and_lessors_claim_any_time() {
	one_candidate_with_two_lessors(10).build_and_execute(|| {
		let pot = Dpos::reward_pot();
		let candidate_before = Balances::balance(&1);
		// 10 % commission, then the lessors hold 700 of 1,000 staked: 63 of 100 KMCC.
		reward(1, 100 * KMCC);
		assert_eq!(Balances::balance(&pot), 63 * KMCC);
		assert_eq!(Balances::balance(&1) - candidate_before, 37 * KMCC);
		// The first reward keeps the existential deposit in the pot for good.
		let first = Dpos::pending_rewards(&10, &1) + Dpos::pending_rewards(&11, &1);
		assert!(first <= 63 * KMCC - EXISTENTIAL_DEPOSIT);
		assert!(first + 2 >= 63 * KMCC - EXISTENTIAL_DEPOSIT);
		// From then on, to the planck: 9 and 54 KMCC of the next 100 KMCC block.
		let (p10, p11) = (Dpos::pending_rewards(&10, &1), Dpos::pending_rewards(&11, &1));
		reward(1, 100 * KMCC);
		assert_eq!(Dpos::pending_rewards(&10, &1), p10 + 9 * KMCC);
		assert_eq!(Dpos::pending_rewards(&11, &1), p11 + 54 * KMCC);
		let before = Balances::balance(&10);
		assert_ok!(Dpos::claim_rewards(signed(10), 1));
		assert_eq!(Balances::balance(&10) - before, p10 + 9 * KMCC);
		assert!(dpos_events().contains(&Event::RewardsPaid {
			holder: 10,
			candidate: 1,
			amount: p10 + 9 * KMCC
		}));
		assert_noop!(Dpos::claim_rewards(signed(10), 1), Error::<Test>::NoRewards);
		assert_noop!(Dpos::claim_rewards(signed(12), 1), Error::<Test>::NoLease);
		// A lease change pays what is owed first.
		let before = Balances::balance(&11);
		assert_ok!(Dpos::unlease(signed(11), 1, 600 * KMCC));
		assert_eq!(Balances::balance(&11) - before, p11 + 54 * KMCC);
		// The pot kept the existential deposit plus rounding dust.
		assert!(Balances::balance(&pot) >= EXISTENTIAL_DEPOSIT);
		assert!(Balances::balance(&pot) <= EXISTENTIAL_DEPOSIT + 2);
		let api = Dpos::lease_summaries(&10);
		assert_eq!(api.len(), 1);
		assert_eq!((api[0].candidate, api[0].amount, api[0].pending_rewards), (1, 100 * KMCC, 0));
	});
}

#[test]
fn a_block_of_a_non_candidate_pays_its_author_and_no_author_pays_the_treasury() {
	ExtBuilder::default().build_and_execute(|| {
		let before = Balances::balance(&9);
		reward(9, 5 * KMCC);
		assert_eq!(Balances::balance(&9) - before, 5 * KMCC);
		let before = Balances::balance(&TREASURY);
		Author::set(None);
		use polkadot_sdk::frame_support::traits::{fungible::Balanced, OnUnbalanced};
		<Dpos as OnUnbalanced<_>>::on_unbalanced(Balances::issue(3 * KMCC));
		assert_eq!(Balances::balance(&TREASURY) - before, 3 * KMCC);
	});
}

#[test]
fn double_authoring_slashes_the_deposit_pays_the_reporter_and_spares_lessors() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Dpos::lease(signed(10), 4, 1_000 * KMCC));
		assert_ok!(Dpos::set_deposit(signed(4), 150 * KMCC));
		assert_ok!(Dpos::set_deposit(signed(4), 120 * KMCC)); // 30 unbonding, still held
		let a = sealed_header(1, 42, UintAuthorityId(4), 1);
		let b = sealed_header(1, 42, UintAuthorityId(4), 2);
		let reporter_before = Balances::balance(&12);
		assert_ok!(Dpos::report_double_authoring(
			signed(12),
			UintAuthorityId(4),
			Box::new(a.clone()),
			Box::new(b.clone())
		));
		// All 150 KMCC held (deposit and unbonding deposit) go to the reporter.
		assert_eq!(Balances::balance(&12) - reporter_before, 150 * KMCC);
		assert_eq!(held(4), 0);
		assert!(Unbonding::<Test>::get(4).iter().all(|c| c.kind != UnbondingKind::Deposit));
		let c = Candidates::<Test>::get(4).unwrap();
		assert_eq!((c.deposit, c.status), (0, CandidateStatus::Slashed));
		// The lessor keeps everything.
		assert_eq!(Balances::total_balance(&10), ENDOWMENT);
		assert_eq!(leased_hold(10), 1_000 * KMCC);
		assert!(dpos_events().contains(&Event::Slashed {
			offender: 4,
			amount: 150 * KMCC,
			to_reporters: 150 * KMCC
		}));
		// Out of the authoring order now, out of the validator set at the next planned
		// session (the session pallet has already queued the following one).
		assert!(!SessionAuthors::<Test>::get().contains(&4));
		run_to_session(2);
		assert_eq!(pallet_session::Validators::<Test>::get(), vec![1, 2, 3]);
		assert!(!SessionAuthors::<Test>::get().contains(&4));
		// Not electable.
		run_to_session(3);
		assert_eq!(committee(), vec![1, 2, 3]);
		// The same offence again.
		assert_noop!(
			Dpos::report_double_authoring(signed(13), UintAuthorityId(4), Box::new(a), Box::new(b)),
			Error::<Test>::DuplicateReport
		);
	});
}

#[test]
fn invalid_double_authoring_reports_are_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		let key = UintAuthorityId(3);
		let a = sealed_header(1, 42, key.clone(), 1);
		let report = |k: UintAuthorityId, x: &Header, y: &Header| {
			Dpos::report_double_authoring(signed(12), k, Box::new(x.clone()), Box::new(y.clone()))
		};
		assert_noop!(report(key.clone(), &a, &a), Error::<Test>::SameHeader);
		let other_slot = sealed_header(1, 43, key.clone(), 2);
		assert_noop!(report(key.clone(), &a, &other_slot), Error::<Test>::DifferentSlots);
		// Sealed by another key than the one reported.
		let by_2 = sealed_header(1, 42, UintAuthorityId(2), 2);
		assert_noop!(report(key.clone(), &a, &by_2), Error::<Test>::InvalidSeal);
		// A seal that is not a signature at all.
		let mut garbage = sealed_header(1, 42, key.clone(), 3);
		garbage.digest_mut().pop();
		garbage.digest_mut().push(DigestItem::Seal(AURA_ENGINE_ID, vec![1, 2, 3]));
		assert_noop!(report(key.clone(), &a, &garbage), Error::<Test>::InvalidSeal);
		let mut unsealed = sealed_header(1, 42, key.clone(), 4);
		unsealed.digest_mut().pop();
		assert_noop!(report(key.clone(), &a, &unsealed), Error::<Test>::MissingSeal);
		let no_slot = {
			let mut h = Header::new(
				1,
				Default::default(),
				Default::default(),
				block_hash(0),
				Digest::default(),
			);
			let sig = key.sign(&h.hash().as_ref()).unwrap();
			h.digest_mut().push(DigestItem::Seal(AURA_ENGINE_ID, sig.encode()));
			h
		};
		assert_noop!(report(key.clone(), &a, &no_slot), Error::<Test>::MissingSlot);
		// A key nobody registered, and the key of an account that is not a validator.
		let stranger = UintAuthorityId(77);
		let (s1, s2) =
			(sealed_header(1, 42, stranger.clone(), 1), sealed_header(1, 42, stranger.clone(), 2));
		assert_noop!(report(stranger, &s1, &s2), Error::<Test>::UnknownAuthority);
		let holder = UintAuthorityId(9);
		let (h1, h2) =
			(sealed_header(1, 42, holder.clone(), 1), sealed_header(1, 42, holder.clone(), 2));
		assert_noop!(report(holder, &h1, &h2), Error::<Test>::UnknownAuthority);
		// A validator without a candidate record (one adopted by the migration).
		Candidates::<Test>::remove(3);
		CandidateList::<Test>::mutate(|l| l.retain(|a| *a != 3));
		let (v1, v2) = (sealed_header(1, 42, key.clone(), 5), sealed_header(1, 42, key.clone(), 6));
		assert_noop!(report(key.clone(), &v1, &v2), Error::<Test>::OffenderNotCandidate);
		// Restore the record so the invariants hold at the end.
		Candidates::<Test>::insert(
			3,
			crate::Candidate {
				deposit: 200 * KMCC,
				leased: 0,
				commission: Perbill::from_percent(10),
				reward_per_lease: 0,
				status: CandidateStatus::Active,
			},
		);
		CandidateList::<Test>::mutate(|l| l.try_push(3).unwrap());
	});
}

#[test]
fn grandpa_offences_slash_and_pay_the_reporters_or_the_treasury() {
	ExtBuilder::default()
		.parameters(|p| p.reporter_share = Perbill::from_percent(50))
		.build_and_execute(|| {
			let details = |who: AccountId, reporters: Vec<AccountId>| OffenceDetails {
				offender: (who, ()),
				reporters,
			};
			let (r1, r2) = (Balances::balance(&12), Balances::balance(&13));
			let treasury = Balances::balance(&TREASURY);
			<Dpos as OnOffenceHandler<AccountId, (AccountId, ()), _>>::on_offence(
				&[details(2, vec![12, 13])],
				&[Perbill::zero()],
				0,
			);
			// 300 KMCC slashed: 75 + 75 to the reporters, 150 to the treasury.
			assert_eq!(Balances::balance(&12) - r1, 75 * KMCC);
			assert_eq!(Balances::balance(&13) - r2, 75 * KMCC);
			assert_eq!(Balances::balance(&TREASURY) - treasury, 150 * KMCC);
			// An unsigned (reporter-less) report: everything to the treasury.
			<Dpos as OnOffenceHandler<AccountId, (AccountId, ()), _>>::on_offence(
				&[details(3, vec![])],
				&[Perbill::zero()],
				0,
			);
			assert_eq!(Balances::balance(&TREASURY) - treasury, 350 * KMCC);
			assert_eq!(Candidates::<Test>::get(3).unwrap().status, CandidateStatus::Slashed);
		});
}

#[test]
fn withdrawn_candidates_leave_at_the_next_era_and_are_pruned_when_empty() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Dpos::lease(signed(10), 4, 50 * KMCC));
		assert_ok!(Dpos::withdraw_candidacy(signed(4)));
		assert_noop!(Dpos::withdraw_candidacy(signed(4)), Error::<Test>::AlreadyLeaving);
		assert_noop!(Dpos::lease(signed(11), 4, 50 * KMCC), Error::<Test>::CandidateNotActive);
		assert_eq!(Candidates::<Test>::get(4).unwrap().status, CandidateStatus::Leaving);
		run_to_session(3);
		assert_eq!(committee(), vec![1, 2, 3]);
		// Deposit unbonds, lessor unleases: then the record goes.
		assert_ok!(Dpos::withdraw_unbonded(signed(4)));
		assert_eq!(held(4), 0);
		assert!(Candidates::<Test>::get(4).is_some());
		assert_ok!(Dpos::unlease(signed(10), 4, 50 * KMCC));
		assert!(Candidates::<Test>::get(4).is_none());
		assert!(!CandidateList::<Test>::get().contains(&4));
	});
}

#[test]
fn parameters_are_root_only_and_validated() {
	ExtBuilder::default().build_and_execute(|| {
		let mut p = parameters();
		assert_noop!(Dpos::set_parameters(signed(1), p.clone()), BadOrigin);
		p.group_count = 5;
		assert_noop!(
			Dpos::set_parameters(RuntimeOrigin::root(), p.clone()),
			Error::<Test>::InvalidParameters
		);
		p.group_count = 1;
		p.committee_size = 17; // above MaxCommitteeSize
		assert_noop!(
			Dpos::set_parameters(RuntimeOrigin::root(), p.clone()),
			Error::<Test>::InvalidParameters
		);
		p.committee_size = 3;
		assert_ok!(Dpos::set_parameters(RuntimeOrigin::root(), p));
		run_to_session(3);
		assert_eq!(committee(), vec![1, 2, 3]);
		assert_eq!(groups(), vec![vec![1, 2, 3]]);
	});
}

mod candidacy;
mod double_authoring;
mod fallback;
mod fees;

mod properties {
	use super::*;
	use proptest::prelude::*;

	#[derive(Clone, Debug)]
	enum Op {
		Lease(AccountId, AccountId, u128),
		Unlease(AccountId, AccountId, u128),
		Claim(AccountId, AccountId),
		Reward(AccountId, u128),
		Withdraw(AccountId),
		Blocks(u64),
		Slash(AccountId),
	}

	fn op() -> impl Strategy<Value = Op> {
		let holder = 10u64..14;
		let candidate = 1u64..5;
		prop_oneof![
			(holder.clone(), candidate.clone(), 1u128..3_000).prop_map(|(h, c, a)| Op::Lease(
				h,
				c,
				a * KMCC
			)),
			(holder.clone(), candidate.clone(), 1u128..3_000).prop_map(|(h, c, a)| Op::Unlease(
				h,
				c,
				a * KMCC
			)),
			(holder.clone(), candidate.clone()).prop_map(|(h, c)| Op::Claim(h, c)),
			(candidate.clone(), 1u128..1_000_000)
				.prop_map(|(c, r)| Op::Reward(c, r * KMCC / 1000 + 7)),
			(10u64..14).prop_map(Op::Withdraw),
			(1u64..8).prop_map(Op::Blocks),
			candidate.prop_map(Op::Slash),
		]
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(48))]
		/// After every operation: supply = start + rewards minted; each holder's lease hold equals
		/// its leases plus unbonding leases and its balance never falls below what it holds
		/// (leases never move funds); each candidate's `leased` is the sum of its leases; the
		/// pot holds the existential deposit plus everything owed.
		#[test]
		fn leases_rewards_and_slashes_keep_the_books(ops in proptest::collection::vec(op(), 1..60)) {
			ExtBuilder::default().build().execute_with(|| {
				let start = Balances::total_issuance();
				let mut minted = 0u128;
				for op in ops {
					match op {
						Op::Lease(h, c, a) => { let _ = Dpos::lease(signed(h), c, a); },
						Op::Unlease(h, c, a) => { let _ = Dpos::unlease(signed(h), c, a); },
						Op::Claim(h, c) => { let _ = Dpos::claim_rewards(signed(h), c); },
						Op::Reward(c, r) => { reward(c, r); minted += r; },
						Op::Withdraw(h) => { let _ = Dpos::withdraw_unbonded(signed(h)); },
						Op::Blocks(n) => run_to_block(System::block_number() + n),
						Op::Slash(c) => {
							<Dpos as OnOffenceHandler<AccountId, (AccountId, ()), _>>::on_offence(
								&[OffenceDetails { offender: (c, ()), reporters: vec![15] }],
								&[Perbill::zero()],
								0,
							);
						},
					}
					prop_assert_eq!(Dpos::do_try_state(), Ok(()));
					prop_assert_eq!(Balances::total_issuance(), start + minted);
					let mut owed = 0u128;
					for h in 10u64..14 {
						let leases: u128 = (1u64..5).filter_map(|c| Leases::<Test>::get(h, c)).map(|l| l.amount).sum();
						let unbonding: u128 = Unbonding::<Test>::get(h).iter().map(|c| c.amount).sum();
						prop_assert_eq!(leased_hold(h), leases + unbonding);
						// Holders only ever gain (rewards): leasing and slashing never take.
						prop_assert!(Balances::total_balance(&h) >= ENDOWMENT);
						owed += (1u64..5).map(|c| Dpos::pending_rewards(&h, &c)).sum::<u128>();
					}
					for c in 1u64..5 {
						if let Some(info) = Candidates::<Test>::get(c) {
							let sum: u128 = (10u64..14).filter_map(|h| Leases::<Test>::get(h, c)).map(|l| l.amount).sum();
							prop_assert_eq!(info.leased, sum);
						}
					}
					let pot = Balances::balance(&Dpos::reward_pot());
					if pot > 0 {
						prop_assert!(pot >= EXISTENTIAL_DEPOSIT + owed, "pot {} owed {}", pot, owed);
					} else {
						prop_assert_eq!(owed, 0);
					}
				}
				Ok(())
			})?;
		}
	}
}
