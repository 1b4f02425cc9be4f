//! Unit and property tests: the schedule's arithmetic, the split, emission, burns and the
//! ledger.

use crate::{
	migrations::InitializeLedger, mock::*, Burned, EmissionSchedule, EmissionSplit, Error, Event,
	FeeBurnShare, FoundationAccount, GenesisIssuance, Minted, Pallet, Split,
	KMCC_EMISSION_SCHEDULE,
};
use kmcc_primitives::{currency::KMCC, Balance};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{
			fungible::{Balanced, Mutate},
			tokens::{Fortitude, Precision, Preservation},
			OnRuntimeUpgrade,
		},
	},
	sp_runtime::{DispatchError, Perbill},
};
use proptest::prelude::*;

const T: Balance = 4_500_000_000 * KMCC;
const P: u64 = 5_259_600;
const S: EmissionSchedule = KMCC_EMISSION_SCHEDULE;

// ---- the schedule ------------------------------------------------------------------------

#[test]
fn kmcc_schedule_is_the_spec_schedule() {
	assert_eq!(S.total, T);
	assert_eq!(S.period_blocks, P);
	assert_eq!(S.periods, 60);
	// 60 periods of 4 months are 20 years of 365.25 days.
	assert_eq!(S.last_emission_block() * 2, 20 * 31_557_600);
}

#[test]
fn the_sixty_periods_emit_exactly_4_5_billion() {
	let sum: Balance = (0..60).map(|k| S.period_emission(k)).sum();
	assert_eq!(sum, T);
	assert_eq!(S.total_emission(), T);
	assert_eq!(S.minted_through(S.last_emission_block()), T);
	assert_eq!(S.minted_through(S.last_emission_block() + 1), T);
	assert_eq!(S.minted_through(u64::MAX), T);
	// Periods 0..=58 are exact halvings of the total; period 59 takes the remainder.
	for k in 0..59 {
		assert_eq!(S.period_emission(k), T >> (k + 1));
	}
	assert_eq!(S.period_emission(59), 7_806_255_653);
	assert_eq!(S.period_emission(60), 0);
}

#[test]
fn initial_reward_is_427_79_kmcc() {
	let base = 427_789_185_489_390_828_199;
	let remainder = 4_539_600;
	assert_eq!((T / 2) / u128::from(P), base);
	assert_eq!((T / 2) % u128::from(P), remainder);
	assert_eq!(S.reward_at(1), base + 1);
	assert_eq!(S.reward_at(remainder as u64), base + 1);
	assert_eq!(S.reward_at(remainder as u64 + 1), base);
	assert_eq!(S.reward_at(P), base);
	assert_eq!(S.minted_through(P), T / 2);
}

#[test]
fn reward_halves_at_each_boundary() {
	for k in 1..59u32 {
		let start = S.period_start(k);
		let before = S.reward_at(start - 1);
		let after = S.reward_at(start);
		// The last block of a period gets the base reward, the first block of the next one
		// half of it (plus the spread remainder's planck): halving up to rounding.
		assert!(before.abs_diff(2 * after) <= 2, "period {k}: {before} vs {after}");
		assert_eq!(S.position(start).unwrap().period, k);
		assert_eq!(S.position(start).unwrap().offset, 0);
		assert_eq!(S.next_halving_block(start - 1), Some(start));
		assert_eq!(S.next_halving_block(start), Some(S.period_start(k + 1)));
	}
	// Period 59 takes the remainder: about as much as period 58, no further halving.
	assert_eq!(S.next_halving_block(S.period_start(59)), None);
	assert_eq!(S.next_halving_block(0), Some(P + 1));
}

#[test]
fn nothing_is_emitted_outside_the_schedule() {
	assert_eq!(S.reward_at(0), 0);
	assert_eq!(S.minted_through(0), 0);
	let end = S.last_emission_block();
	assert!(S.reward_at(end) > 0);
	assert_eq!(S.reward_at(end), 1_484);
	assert_eq!(S.reward_at(end + 1), 0);
	assert_eq!(S.reward_at(u64::MAX), 0);
	assert_eq!(S.position(end + 1), None);
	assert_eq!(S.next_halving_block(end + 1), None);
}

#[test]
fn minted_through_is_the_running_sum_of_rewards_on_a_small_schedule() {
	// Odd sizes so every period has a rounding remainder.
	let small = EmissionSchedule { total: 1_000_003, period_blocks: 7, periods: 5 };
	let mut sum = 0;
	for n in 0..=40 {
		sum += small.reward_at(n);
		assert_eq!(small.minted_through(n), sum, "block {n}");
	}
	assert_eq!(sum, 1_000_003);
}

proptest! {
	#[test]
	fn minted_through_steps_by_reward_at(n in 1u64..=(60 * P + 10)) {
		prop_assert_eq!(S.minted_through(n) - S.minted_through(n - 1), S.reward_at(n));
	}

	#[test]
	fn the_split_neither_loses_nor_creates_planck(
		reward in any::<u128>(),
		masternodes in 0u32..=1_000_000_000,
		storage_seed in any::<u32>(),
	) {
		let storage = storage_seed % (1_000_000_001 - masternodes);
		let producer = 1_000_000_000 - masternodes - storage;
		let split = EmissionSplit {
			masternodes: Perbill::from_parts(masternodes),
			producer: Perbill::from_parts(producer),
			storage: Perbill::from_parts(storage),
		};
		prop_assert!(split.is_complete());
		let shares = split.apportion(reward);
		prop_assert_eq!(shares.total(), reward);
		prop_assert_eq!(shares.masternodes, split.masternodes.mul_floor(reward));
		prop_assert_eq!(shares.storage, split.storage.mul_floor(reward));
		// The producer's rounding bonus is at most the two floored planck.
		prop_assert!(shares.producer - split.producer.mul_floor(reward) <= 2);
	}
}

#[test]
fn default_split_is_45_35_20() {
	let shares = EmissionSplit::default().apportion(S.reward_at(1));
	assert_eq!(shares.masternodes, 192_505_133_470_225_872_690);
	assert_eq!(shares.storage, 85_557_837_097_878_165_640);
	assert_eq!(shares.producer, 149_726_214_921_286_789_870);
	assert_eq!(shares.total(), S.reward_at(1));
	let bad = EmissionSplit { storage: Perbill::from_percent(19), ..Default::default() };
	assert!(!bad.is_complete());
}

// ---- emission ----------------------------------------------------------------------------

#[test]
fn each_block_pays_the_three_destinations_their_exact_shares() {
	build_and_execute(|| {
		let genesis = total_issuance();
		let author_before = balance(AUTHOR);
		let schedule = Schedule::get();
		let mut expected = crate::EmissionShares::default();
		for n in 1..=25u64 {
			run_to_block(n);
			let shares = EmissionSplit::default().apportion(schedule.reward_at(n));
			expected.masternodes += shares.masternodes;
			expected.producer += shares.producer;
			expected.storage += shares.storage;
			assert!(issuance_events().contains(&Event::BlockEmission {
				period: schedule.position(n).unwrap().period,
				reward: schedule.reward_at(n),
				masternodes: shares.masternodes,
				producer: shares.producer,
				storage: shares.storage,
			}));
			assert_ok!(Pallet::<Test>::check_ledger());
		}
		let ed = kmcc_primitives::currency::EXISTENTIAL_DEPOSIT;
		assert_eq!(balance(MASTERNODE_POT) - ed, expected.masternodes);
		assert_eq!(balance(STORAGE_POOL) - ed, expected.storage);
		assert_eq!(balance(AUTHOR) - author_before, expected.producer);
		assert_eq!(Minted::<Test>::get(), schedule.minted_through(25));
		assert_eq!(total_issuance(), genesis + schedule.minted_through(25));
		assert_eq!(GenesisIssuance::<Test>::get(), genesis);
	});
}

#[test]
fn halving_events_mark_each_period_and_emission_ends() {
	build_and_execute(|| {
		let schedule = Schedule::get();
		for k in 0..4u32 {
			run_to_block(schedule.period_start(k));
			assert!(issuance_events().contains(&Event::HalvingPeriodStarted {
				period: k,
				period_emission: schedule.period_emission(k),
				reward_per_block: schedule.reward_at(schedule.period_start(k)),
			}));
		}
		run_to_block(schedule.last_emission_block());
		assert_eq!(Minted::<Test>::get(), 4_500 * KMCC);
		run_to_block(schedule.last_emission_block() + 1);
		assert_eq!(issuance_events(), vec![Event::EmissionEnded { minted: 4_500 * KMCC }]);
		let issuance = total_issuance();
		run_to_block(schedule.last_emission_block() + 20);
		assert_eq!(total_issuance(), issuance);
		assert_eq!(Minted::<Test>::get(), 4_500 * KMCC);
		assert_ok!(Pallet::<Test>::check_ledger());
	});
}

#[test]
fn the_hard_cap_limits_emission() {
	build_and_execute(|| {
		// Put total issuance 1,000 planck under the cap.
		MaxSupply::set(&(total_issuance() + 1_000));
		run_to_block(1);
		assert_eq!(total_issuance(), MaxSupply::get());
		assert!(issuance_events().contains(&Event::CapReached {
			scheduled: Schedule::get().reward_at(1),
			minted: 1_000,
		}));
		assert_eq!(Minted::<Test>::get(), 1_000);
		run_to_block(5);
		assert_eq!(total_issuance(), MaxSupply::get());
		assert_eq!(Minted::<Test>::get(), 1_000);
		assert_ok!(Pallet::<Test>::check_ledger());
	});
}

#[test]
fn pots_accept_shares_below_the_existential_deposit() {
	build_and_execute(|| {
		// A late period's reward: a few thousand planck, far below the 0.001 KMCC deposit.
		Schedule::set(&EmissionSchedule { total: 10_000, period_blocks: 1, periods: 1 });
		let (pot, pool) = (balance(MASTERNODE_POT), balance(STORAGE_POOL));
		run_to_block(1);
		assert_eq!(balance(MASTERNODE_POT) - pot, 4_500);
		assert_eq!(balance(STORAGE_POOL) - pool, 2_000);
		assert_eq!(Minted::<Test>::get(), 10_000);
		assert_ok!(Pallet::<Test>::check_ledger());
	});
}

#[test]
fn a_share_no_destination_can_take_is_not_issued() {
	build_and_execute(|| {
		// The producer share (3,500 planck) goes to an account that does not exist and cannot
		// be created with less than the existential deposit.
		Schedule::set(&EmissionSchedule { total: 10_000, period_blocks: 1, periods: 1 });
		BlockAuthor::set(&Some(999));
		let issuance = total_issuance();
		run_to_block(1);
		assert_eq!(balance(999), 0);
		assert_eq!(Minted::<Test>::get(), 6_500);
		assert_eq!(total_issuance(), issuance + 6_500);
		assert!(issuance_events().contains(&Event::EmissionNotPaid { amount: 3_500 }));
		assert_ok!(Pallet::<Test>::check_ledger());
	});
}

#[test]
fn set_split_changes_the_next_blocks_shares() {
	build_and_execute(|| {
		start_at_block_1();
		let split = EmissionSplit {
			masternodes: Perbill::from_percent(50),
			producer: Perbill::from_percent(50),
			storage: Perbill::zero(),
		};
		assert_ok!(Issuance::set_split(RuntimeOrigin::root(), split));
		assert_eq!(issuance_events(), vec![Event::SplitChanged { split }]);
		let (pot, pool) = (balance(MASTERNODE_POT), balance(STORAGE_POOL));
		run_to_block(2);
		let reward = Schedule::get().reward_at(2);
		assert_eq!(balance(MASTERNODE_POT) - pot, reward / 2);
		assert_eq!(balance(STORAGE_POOL), pool);
	});
}

#[test]
fn set_split_rejects_incomplete_splits_and_bad_origins() {
	build_and_execute(|| {
		let short = EmissionSplit { producer: Perbill::from_percent(34), ..Default::default() };
		assert_noop!(
			Issuance::set_split(RuntimeOrigin::root(), short),
			Error::<Test>::SplitNotComplete
		);
		assert_noop!(
			Issuance::set_split(RuntimeOrigin::signed(FOUNDATION), EmissionSplit::default()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Issuance::set_fee_burn_share(RuntimeOrigin::signed(2), Perbill::zero()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Issuance::set_foundation_account(RuntimeOrigin::signed(2), 2),
			DispatchError::BadOrigin
		);
		assert_eq!(Split::<Test>::get(), EmissionSplit::default());
	});
}

#[test]
#[should_panic(expected = "does not sum to 100 %")]
fn genesis_rejects_an_incomplete_split() {
	let split = EmissionSplit { masternodes: Perbill::from_percent(46), ..Default::default() };
	new_test_ext_with(vec![(1, KMCC)], split, None);
}

#[test]
#[should_panic(expected = "exceeds the hard cap")]
fn genesis_rejects_issuance_above_the_cap() {
	new_test_ext_with(vec![(1, 5_000_000_001 * KMCC)], EmissionSplit::default(), None);
}

// ---- burns -------------------------------------------------------------------------------

#[test]
fn buyback_burns_80_percent_and_keeps_20() {
	build_and_execute(|| {
		start_at_block_1();
		let issuance = total_issuance();
		assert_ok!(Issuance::buyback_burn(RuntimeOrigin::root(), 10_000_000 * KMCC));
		assert_eq!(balance(FOUNDATION), 142_000_000 * KMCC);
		assert_eq!(total_issuance(), issuance - 8_000_000 * KMCC);
		assert_eq!(Burned::<Test>::get(), 8_000_000 * KMCC);
		assert_eq!(
			issuance_events(),
			vec![Event::BuybackBurned {
				foundation: FOUNDATION,
				amount: 10_000_000 * KMCC,
				burn_requested: 8_000_000 * KMCC,
				burned: 8_000_000 * KMCC,
				held_by_floor: 0,
				retained: 2_000_000 * KMCC,
			}]
		);
		assert_ok!(Pallet::<Test>::check_ledger());
	});
}

#[test]
fn buyback_never_takes_issuance_below_the_floor() {
	build_and_execute(|| {
		start_at_block_1();
		// Only 200 M may be burned.
		let floor = total_issuance() - 200_000_000 * KMCC;
		BurnFloor::set(&floor);
		assert_ok!(Issuance::buyback_burn(RuntimeOrigin::root(), 100_000_000 * KMCC));
		assert_ok!(Issuance::buyback_burn(RuntimeOrigin::root(), 49_000_000 * KMCC));
		// 80 M + 39.2 M burned; 80.8 M above the floor remain. Ask for 80 % of 130 M = 104 M.
		System::reset_events();
		let before = total_issuance();
		assert_ok!(Issuance::set_foundation_account(RuntimeOrigin::root(), 2));
		assert_ok!(Issuance::buyback_burn(RuntimeOrigin::root(), 130_000_000 * KMCC));
		assert_eq!(total_issuance(), floor);
		assert_eq!(before - floor, 80_800_000 * KMCC);
		assert!(issuance_events().contains(&Event::BuybackBurned {
			foundation: 2,
			amount: 130_000_000 * KMCC,
			burn_requested: 104_000_000 * KMCC,
			burned: 80_800_000 * KMCC,
			held_by_floor: 23_200_000 * KMCC,
			retained: 26_000_000 * KMCC,
		}));
		// At the floor a buy-back burns nothing and says so.
		System::reset_events();
		let balance_before = balance(2);
		assert_ok!(Issuance::buyback_burn(RuntimeOrigin::root(), KMCC));
		assert_eq!(total_issuance(), floor);
		assert_eq!(balance(2), balance_before);
		assert_eq!(
			issuance_events(),
			vec![Event::BuybackBurned {
				foundation: 2,
				amount: KMCC,
				burn_requested: KMCC * 4 / 5,
				burned: 0,
				held_by_floor: KMCC * 4 / 5,
				retained: KMCC / 5,
			}]
		);
		assert_ok!(Pallet::<Test>::check_ledger());
	});
}

#[test]
fn buyback_rejects_bad_origins_and_amounts_without_changing_state() {
	build_and_execute(|| {
		assert_noop!(
			Issuance::buyback_burn(RuntimeOrigin::signed(FOUNDATION), KMCC),
			DispatchError::BadOrigin
		);
		assert_noop!(Issuance::buyback_burn(RuntimeOrigin::root(), 0), Error::<Test>::ZeroAmount);
		// The foundation must keep its existential deposit.
		assert_noop!(
			Issuance::buyback_burn(RuntimeOrigin::root(), 150_000_000 * KMCC),
			Error::<Test>::InsufficientFoundationBalance
		);
		assert_noop!(
			Issuance::buyback_burn(RuntimeOrigin::root(), 200_000_000 * KMCC),
			Error::<Test>::InsufficientFoundationBalance
		);
		FoundationAccount::<Test>::kill();
		assert_noop!(
			Issuance::buyback_burn(RuntimeOrigin::root(), KMCC),
			Error::<Test>::NoFoundationAccount
		);
	});
}

/// Withdraws `amount` from `who` as a fee-charging pallet would.
fn withdraw_fee(who: AccountId, amount: Balance) -> crate::CreditOf<Test> {
	<Balances as Balanced<AccountId>>::withdraw(
		&who,
		amount,
		Precision::Exact,
		Preservation::Preserve,
		Fortitude::Polite,
	)
	.unwrap()
}

#[test]
fn fee_burn_burns_its_share_and_passes_on_the_rest() {
	build_and_execute(|| {
		start_at_block_1();
		let (issuance, pool) = (total_issuance(), balance(STORAGE_POOL));
		let fee = withdraw_fee(2, 1_000 * KMCC);
		let rest = Pallet::<Test>::burn_fee_share(fee);
		assert_eq!(rest.peek_amount(), 200 * KMCC);
		rest.forget_into_pot();
		assert_eq!(balance(STORAGE_POOL) - pool, 200 * KMCC);
		assert_eq!(total_issuance(), issuance - 800 * KMCC);
		assert_eq!(
			issuance_events(),
			vec![Event::FeesBurned {
				fee: 1_000 * KMCC,
				burn_requested: 800 * KMCC,
				burned: 800 * KMCC,
				held_by_floor: 0,
			}]
		);
		assert_ok!(Issuance::set_fee_burn_share(RuntimeOrigin::root(), Perbill::zero()));
		let rest = Pallet::<Test>::burn_fee_share(withdraw_fee(2, 10 * KMCC));
		assert_eq!(rest.peek_amount(), 10 * KMCC);
		rest.forget_into_pot();
		assert_ok!(Pallet::<Test>::check_ledger());
	});
}

#[test]
fn fee_burn_respects_the_floor() {
	build_and_execute(|| {
		start_at_block_1();
		BurnFloor::set(&(total_issuance() - 100 * KMCC));
		let rest = Pallet::<Test>::burn_fee_share(withdraw_fee(2, 1_000 * KMCC));
		assert_eq!(rest.peek_amount(), 900 * KMCC);
		rest.forget_into_pot();
		assert_eq!(total_issuance(), BurnFloor::get());
		assert_eq!(
			issuance_events(),
			vec![Event::FeesBurned {
				fee: 1_000 * KMCC,
				burn_requested: 800 * KMCC,
				burned: 100 * KMCC,
				held_by_floor: 700 * KMCC,
			}]
		);
		assert_ok!(Pallet::<Test>::check_ledger());
	});
}

/// Test helpers on credits.
trait CreditExt {
	fn peek_amount(&self) -> Balance;
	/// Pays the credit into the storage pool (so it is not burned by being dropped).
	fn forget_into_pot(self);
}

impl CreditExt for crate::CreditOf<Test> {
	fn peek_amount(&self) -> Balance {
		polkadot_sdk::frame_support::traits::Imbalance::peek(self)
	}
	fn forget_into_pot(self) {
		<polkadot_sdk::frame_support::traits::tokens::imbalance::ResolveTo<StoragePool, Balances> as polkadot_sdk::frame_support::traits::OnUnbalanced<_>>::on_unbalanced(self);
	}
}

// ---- runtime API and migration -----------------------------------------------------------

#[test]
fn issuance_info_reports_the_schedule_and_the_ledger() {
	build_and_execute(|| {
		let schedule = Schedule::get();
		run_to_block(12);
		assert_ok!(Issuance::buyback_burn(RuntimeOrigin::root(), 1_000 * KMCC));
		let info = Pallet::<Test>::issuance_info();
		assert_eq!(info.block, 12);
		assert_eq!(info.current_period, Some(1));
		assert_eq!(info.reward_per_block, schedule.reward_at(13));
		assert_eq!(info.next_halving_block, Some(21));
		assert_eq!(info.last_emission_block, 40);
		assert_eq!(info.minted, schedule.minted_through(12));
		assert_eq!(info.remaining_to_mint, 4_500 * KMCC - schedule.minted_through(12));
		assert_eq!(info.burned, 800 * KMCC);
		assert_eq!(info.total_issuance, info.genesis_issuance + info.minted - info.burned);
		assert_eq!(info.max_supply, 5_000_000_000 * KMCC);
		assert_eq!(info.burn_floor, 1_000_000_000 * KMCC);
		assert_eq!(info.split, EmissionSplit::default());
		assert_eq!(info.fee_burn_share, Perbill::from_percent(80));
		run_to_block(41);
		let info = Pallet::<Test>::issuance_info();
		assert_eq!((info.current_period, info.reward_per_block), (None, 0));
		assert_eq!((info.next_halving_block, info.remaining_to_mint), (None, 0));
	});
}

#[test]
fn the_ledger_migration_starts_the_ledger_once() {
	build_and_execute(|| {
		GenesisIssuance::<Test>::kill();
		<Balances as Mutate<AccountId>>::mint_into(&2, 5 * KMCC).unwrap();
		InitializeLedger::<Test>::on_runtime_upgrade();
		assert_eq!(GenesisIssuance::<Test>::get(), total_issuance());
		assert_ok!(Pallet::<Test>::check_ledger());
		// A second run (or a chain that had the pallet at genesis) changes nothing.
		run_to_block(3);
		let genesis = GenesisIssuance::<Test>::get();
		InitializeLedger::<Test>::on_runtime_upgrade();
		assert_eq!(GenesisIssuance::<Test>::get(), genesis);
		assert_ok!(Pallet::<Test>::check_ledger());
		assert_eq!(FeeBurnShare::<Test>::get(), Perbill::from_percent(80));
	});
}

// ---- property test over random operations ------------------------------------------------

#[derive(Clone, Debug)]
enum Op {
	Blocks(u64),
	Buyback(Balance),
	FeeBurn(Balance),
	Transfer(AccountId, AccountId, Balance),
	SetSplit(u32, u32),
}

fn op() -> impl Strategy<Value = Op> {
	let amount = prop_oneof![1u128..=1_000 * KMCC, 1u128..=400_000_000 * KMCC];
	prop_oneof![
		(1u64..=8).prop_map(Op::Blocks),
		amount.clone().prop_map(Op::Buyback),
		amount.clone().prop_map(Op::FeeBurn),
		(1u64..=3, 1u64..=3, amount).prop_map(|(a, b, x)| Op::Transfer(a, b, x)),
		(0u32..=100, 0u32..=100).prop_map(|(a, b)| Op::SetSplit(a, b)),
	]
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(64))]

	/// Under any sequence of blocks, buy-backs, fee burns, transfers and split changes: total
	/// issuance stays within the cap, burns never cross the floor, and
	/// genesis + minted − burned = total issuance.
	#[test]
	fn supply_invariants_hold(
		near_cap in any::<bool>(),
		ops in proptest::collection::vec(op(), 1..40),
	) {
		// Either just above the floor, or close enough to the cap that emission hits it.
		let bulk = if near_cap { 4_849_000_000 * KMCC } else { 1_050_000_000 * KMCC };
		let mut ext = new_test_ext_with(
			vec![(1, 1_000 * KMCC), (2, bulk), (3, 150_000_000 * KMCC)],
			EmissionSplit::default(),
			Some(3),
		);
		ext.execute_with(|| -> Result<(), TestCaseError> {
			// Half a billion KMCC over 40 blocks.
			Schedule::set(&EmissionSchedule { total: 500_000_000 * KMCC, period_blocks: 10, periods: 4 });
			let cap = MaxSupply::get();
			let floor = BurnFloor::get();
			for op in ops {
				let before = total_issuance();
				match op {
					Op::Blocks(k) => run_to_block(System::block_number() + k),
					Op::Buyback(amount) => {
						let _ = Issuance::buyback_burn(RuntimeOrigin::root(), amount);
					},
					Op::FeeBurn(amount) => {
						let spendable = balance(2).saturating_sub(KMCC);
						let fee = withdraw_fee(2, amount.min(spendable));
						Pallet::<Test>::burn_fee_share(fee).forget_into_pot();
					},
					Op::Transfer(from, to, amount) => {
						let _ = Balances::transfer_keep_alive(RuntimeOrigin::signed(from), to, amount);
					},
					Op::SetSplit(a, b) => {
						let (m, p) = (a.min(100), b.min(100 - a.min(100)));
						let split = EmissionSplit {
							masternodes: Perbill::from_percent(m),
							producer: Perbill::from_percent(p),
							storage: Perbill::from_percent(100 - m - p),
						};
						prop_assert!(Issuance::set_split(RuntimeOrigin::root(), split).is_ok());
					},
				}
				let after = total_issuance();
				prop_assert!(after <= cap, "issuance {} above the cap", after);
				if after < before {
					prop_assert!(after >= floor, "a burn crossed the floor: {} -> {}", before, after);
				}
				prop_assert!(Pallet::<Test>::check_ledger().is_ok());
			}
			Ok(())
		})?;
	}
}
