//! Fees shared once per block ([`crate::FeeCollector`]) leave every account and every
//! candidate record exactly where one share per fee leaves them.

use super::*;
use crate::FeeCollector;
use polkadot_sdk::frame_support::traits::{fungible::Balanced, Hooks, OnUnbalanced};
use proptest::prelude::*;

/// What happens in the block, in order.
#[derive(Clone, Debug)]
enum Step {
	/// A transaction's fee (fee plus tip), in planck.
	Fee(Balance),
	/// A lessor claims its rewards from the author (shares the pending fees first).
	Claim(AccountId),
	/// A lessor leases more to the author (changes its terms).
	Lease(AccountId, Balance),
	/// The author changes its commission.
	Commission(u32),
}

/// Everything the shares can touch: balances of the author, the pot and the lessors, total
/// issuance, the author's record and the leases.
fn books() -> (Vec<Balance>, Balance, Option<crate::Candidate>, Vec<Option<crate::Lease>>) {
	let accounts = [1u64, 10, 11, 12, Dpos::reward_pot()];
	(
		accounts.iter().map(Balances::total_balance).collect(),
		Balances::total_issuance(),
		Candidates::<Test>::get(1),
		[10u64, 11, 12].iter().map(|h| Leases::<Test>::get(h, 1)).collect(),
	)
}

/// Runs one block of `steps` with candidate 1 as the author; `per_block` sends the fees
/// through the fee collector (shared at `on_finalize`), otherwise each is shared as it comes.
fn run_block(
	pot_start: Balance,
	commission: u32,
	steps: &[Step],
	per_block: bool,
) -> (Vec<Balance>, Balance, Option<crate::Candidate>, Vec<Option<crate::Lease>>) {
	let mut ext = one_candidate_with_two_lessors(commission).build();
	ext.execute_with(|| {
		if pot_start > 0 {
			assert_ok!(Balances::mint_into(&Dpos::reward_pot(), pot_start));
		}
		Author::set(Some(1));
		for step in steps {
			match step {
				Step::Fee(amount) => {
					let fee = Balances::issue(*amount);
					if per_block {
						<FeeCollector<Test> as OnUnbalanced<_>>::on_unbalanced(fee);
					} else {
						<Dpos as OnUnbalanced<_>>::on_unbalanced(fee);
					}
				}
				Step::Claim(holder) => {
					let _ = Dpos::claim_rewards(signed(*holder), 1);
				}
				Step::Lease(holder, amount) => {
					let _ = Dpos::lease(signed(*holder), 1, *amount);
				}
				Step::Commission(percent) => {
					let _ = Dpos::set_commission(signed(1), Perbill::from_percent(*percent));
				}
			}
		}
		Dpos::on_finalize(1);
		assert!(BlockFees::<Test>::get().is_none());
		Dpos::do_try_state().expect("invariants hold after the block");
		books()
	})
}

#[test]
fn a_block_of_fees_ends_as_with_one_share_per_fee() {
	// Fees that do not divide evenly (every floor matters), a claim and a new lease between
	// them, on a pot that does not exist yet (the first lessors' part tops it up to the
	// existential deposit).
	let steps = vec![
		Step::Fee(1_234_567_891_234_567),
		Step::Fee(7),
		Step::Fee(3 * KMCC + 1),
		Step::Claim(10),
		Step::Fee(999_999_999_999_999_999),
		Step::Lease(12, 50 * KMCC + 3),
		Step::Fee(13 * KMCC / 7),
		Step::Commission(3),
		Step::Fee(KMCC + 11),
	];
	let one_by_one = run_block(0, 10, &steps, false);
	let per_block = run_block(0, 10, &steps, true);
	assert_eq!(per_block, one_by_one);
	// The shares did something: the pot exists and the accumulator moved.
	assert!(per_block.0[4] > 0);
	assert!(per_block.2.as_ref().is_some_and(|c| c.reward_per_lease > 0));
}

#[test]
fn the_share_is_one_event_at_the_end_of_the_block() {
	one_candidate_with_two_lessors(10).build_and_execute(|| {
		assert_ok!(Balances::mint_into(&Dpos::reward_pot(), KMCC));
		Author::set(Some(1));
		let before = Balances::total_balance(&1);
		for _ in 0..3 {
			<FeeCollector<Test> as OnUnbalanced<_>>::on_unbalanced(Balances::issue(100 * KMCC));
		}
		// Collected, not yet shared.
		assert_eq!(Balances::total_balance(&1), before);
		assert!(BlockFees::<Test>::get().is_some());
		Dpos::on_finalize(1);
		// 10 % commission, then the lessors hold 700 of 1,000 staked: 37 and 63 per 100.
		assert_eq!(Balances::total_balance(&1) - before, 111 * KMCC);
		assert_eq!(
			dpos_events().last(),
			Some(&Event::BlockFeesShared {
				author: 1,
				to_candidate: 111 * KMCC,
				to_lessors: 189 * KMCC
			})
		);
	});
}

#[test]
fn fees_without_a_candidate_author_are_paid_as_they_come() {
	ExtBuilder::default().build_and_execute(|| {
		// 20 is no candidate: it gets each fee at once, nothing is pending.
		Author::set(Some(20));
		let before = Balances::total_balance(&20);
		<FeeCollector<Test> as OnUnbalanced<_>>::on_unbalanced(Balances::issue(5 * KMCC));
		assert_eq!(Balances::total_balance(&20) - before, 5 * KMCC);
		assert!(BlockFees::<Test>::get().is_none());
		// No author: the slash destination, as before.
		Author::set(None);
		<FeeCollector<Test> as OnUnbalanced<_>>::on_unbalanced(Balances::issue(5 * KMCC));
		assert!(BlockFees::<Test>::get().is_none());
	});
}

fn step() -> impl Strategy<Value = Step> {
	prop_oneof![
		6 => (1u128..5_000 * KMCC).prop_map(Step::Fee),
		2 => (1u128..EXISTENTIAL_DEPOSIT * 2).prop_map(Step::Fee),
		1 => prop::sample::select(vec![10u64, 11, 12]).prop_map(Step::Claim),
		1 => (prop::sample::select(vec![10u64, 11, 12]), 10 * KMCC..500 * KMCC)
			.prop_map(|(h, a)| Step::Lease(h, a)),
		1 => (0u32..=20).prop_map(Step::Commission),
	]
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(64))]
	/// Any block of fees (tiny and large), claims, new leases and commission changes, on an
	/// empty or a funded pot: shared once per block = shared once per fee, to the planck.
	#[test]
	fn fee_sharing_once_per_block_is_exact(
		pot_start in prop_oneof![Just(0u128), EXISTENTIAL_DEPOSIT..10 * KMCC],
		commission in 0u32..=20,
		steps in proptest::collection::vec(step(), 1..40),
	) {
		prop_assert_eq!(
			run_block(pot_start, commission, &steps, true),
			run_block(pot_start, commission, &steps, false)
		);
	}
}
