use crate::{
	locked_at, mock::*, unlock_steps, Allocation, AllocationRole, Allocations, ScheduleError,
	StepUnlock,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{fungible::Inspect, tokens::Preservation},
	},
	pallet_vesting,
	sp_runtime::TokenError,
};
use proptest::prelude::*;

const TEAM: AccountId = 10;
const OTHER: AccountId = 20;
const CLIFF: u64 = 100;
const STEP: u64 = 10;

fn five_steps() -> StepUnlock<u64> {
	StepUnlock { first_unlock: CLIFF, steps: 5, step_period: STEP }
}

/// Runs `test` on `team_ext(amount)`, then checks the pallet's invariants (`try_state`).
fn with_team(amount: Balance, test: impl FnOnce()) {
	team_ext(amount).execute_with(|| {
		test();
		crate::Pallet::<Test>::do_try_state().expect("invariants hold after the test");
	});
}

fn team_ext(amount: Balance) -> polkadot_sdk::sp_io::TestExternalities {
	new_test_ext(
		vec![(OTHER, 1_000)],
		vec![
			(AllocationRole::OperationTeam, TEAM, amount, Some(five_steps())),
			(AllocationRole::Foundation, OTHER + 1, 7_000, None),
		],
	)
}

fn transferable(who: AccountId) -> Balance {
	<Balances as Inspect<AccountId>>::reducible_balance(
		&who,
		Preservation::Expendable,
		polkadot_sdk::frame_support::traits::tokens::Fortitude::Polite,
	)
}

#[test]
fn genesis_mints_records_and_locks() {
	with_team(1_000_000, || {
		assert_eq!(Balances::free_balance(TEAM), 1_000_000);
		assert_eq!(Balances::total_issuance(), 1_000 + 1_000_000 + 7_000);
		assert_eq!(
			Allocations::<Test>::get(AllocationRole::OperationTeam),
			Some(Allocation { account: TEAM, amount: 1_000_000, unlock: Some(five_steps()) })
		);
		assert_eq!(
			Allocations::<Test>::get(AllocationRole::Foundation),
			Some(Allocation { account: OTHER + 1, amount: 7_000, unlock: None })
		);
		assert_eq!(pallet_vesting::Vesting::<Test>::get(TEAM).map(|v| v.len()), Some(5));
		// The whole allocation is locked, not just the last step.
		assert_eq!(transferable(TEAM), 0);
		assert_eq!(transferable(OTHER + 1), 7_000);
	});
}

#[test]
fn steps_unlock_one_fifth_at_a_time() {
	with_team(1_000_000, || {
		System::set_block_number(CLIFF - 1);
		assert_ok!(Vesting::vest(RuntimeOrigin::signed(TEAM)));
		assert_eq!(transferable(TEAM), 0);
		assert_noop!(
			Balances::transfer_allow_death(RuntimeOrigin::signed(TEAM), OTHER, 1),
			TokenError::Frozen
		);

		for step in 1..=5u64 {
			System::set_block_number(CLIFF + (step - 1) * STEP);
			assert_ok!(Vesting::vest(RuntimeOrigin::signed(TEAM)));
			assert_eq!(transferable(TEAM), 200_000 * step as u128, "step {step}");
		}
		assert!(pallet_vesting::Vesting::<Test>::get(TEAM).is_none());
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(TEAM), OTHER, 1_000_000));
	});
}

#[test]
#[should_panic(expected = "invalid genesis allocation OperationTeam: DuplicateRole")]
fn duplicate_role_is_rejected() {
	new_test_ext(
		vec![],
		vec![
			(AllocationRole::OperationTeam, TEAM, 10, None),
			(AllocationRole::OperationTeam, OTHER, 10, None),
		],
	);
}

#[test]
#[should_panic(expected = "invalid genesis allocation Foundation: ZeroAmount")]
fn zero_amount_is_rejected() {
	new_test_ext(vec![], vec![(AllocationRole::Foundation, TEAM, 0, None)]);
}

#[test]
#[should_panic(expected = "Schedule(TooManySteps)")]
fn too_many_steps_are_rejected() {
	let unlock = StepUnlock { first_unlock: 1, steps: 7, step_period: 1 };
	new_test_ext(vec![], vec![(AllocationRole::TechnicalTeam, TEAM, 700, Some(unlock))]);
}

#[test]
fn schedule_errors() {
	let u = |first_unlock, steps, step_period| StepUnlock { first_unlock, steps, step_period };
	assert_eq!(unlock_steps::<u128, u32>(10, &u(1, 0, 1), 6), Err(ScheduleError::ZeroSteps));
	assert_eq!(unlock_steps::<u128, u32>(10, &u(0, 1, 1), 6), Err(ScheduleError::UnlockAtGenesis));
	assert_eq!(unlock_steps::<u128, u32>(10, &u(1, 2, 0), 6), Err(ScheduleError::ZeroStepPeriod));
	assert_eq!(unlock_steps::<u128, u32>(1, &u(1, 2, 1), 6), Err(ScheduleError::AmountTooSmall));
	assert_eq!(
		unlock_steps::<u128, u32>(10, &u(u32::MAX, 2, 1), 6),
		Err(ScheduleError::UnlockOverflow)
	);
	// One step with no period is a plain cliff.
	assert_eq!(unlock_steps::<u128, u32>(10, &u(5, 1, 0), 6).map(|p| p.len()), Ok(1));
}

proptest! {
	/// The parts sum to the amount exactly, unlock in order one period apart, and the locked
	/// amount never rises, reaching zero at the last step.
	#[test]
	fn steps_conserve_the_amount(
		amount in 1u128..=u128::MAX / 2,
		first_unlock in 1u32..1_000_000,
		steps in 1u32..=28,
		step_period in 1u32..100_000,
	) {
		let unlock = StepUnlock { first_unlock, steps, step_period };
		prop_assume!(amount >= steps as u128);
		let parts = unlock_steps::<u128, u32>(amount, &unlock, 28).unwrap();
		prop_assert_eq!(parts.len() as u32, steps);
		prop_assert_eq!(parts.iter().map(|p| p.amount).sum::<u128>(), amount);
		prop_assert_eq!(locked_at(&parts, first_unlock - 1), amount);
		let mut previous = amount;
		for (i, p) in parts.iter().enumerate() {
			prop_assert_eq!(p.unlocks_at, first_unlock + i as u32 * step_period);
			let locked = locked_at(&parts, p.unlocks_at);
			prop_assert!(locked < previous);
			previous = locked;
		}
		prop_assert_eq!(previous, 0);
	}
}
