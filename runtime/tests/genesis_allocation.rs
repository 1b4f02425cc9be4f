//! design §2 genesis allocation in the `mainnet-template` preset, and the team unlocks.

use crate::common::preset_ext;
use kmcc_runtime::{
	currency::MILLION_KMCC,
	genesis_config_presets::{
		role_account, team_unlock, GENESIS_ISSUANCE, MAINNET_TEMPLATE_PRESET,
	},
	pallet_genesis_allocation::{AllocationRole, Allocations},
	time::MONTHS,
	Balances, Runtime, RuntimeOrigin, System, Vesting,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{
			fungible::Inspect,
			tokens::{Fortitude, Preservation},
		},
	},
	pallet_sudo,
	sp_runtime::TokenError,
};

const ROLES: [(AllocationRole, u128); 4] = [
	(AllocationRole::OperationTeam, 150),
	(AllocationRole::TechnicalTeam, 100),
	(AllocationRole::ExchangeLiquidity, 100),
	(AllocationRole::Foundation, 150),
];

fn transferable(role: AllocationRole) -> u128 {
	<Balances as Inspect<_>>::reducible_balance(
		&role_account(role),
		Preservation::Expendable,
		Fortitude::Polite,
	)
}

#[test]
fn genesis_issuance_is_exactly_500_million() {
	preset_ext(MAINNET_TEMPLATE_PRESET).execute_with(|| {
		assert_eq!(GENESIS_ISSUANCE, 500 * MILLION_KMCC);
		// The table, and the existential deposits of the treasury pot and `Revive`'s account.
		assert_eq!(
			Balances::total_issuance(),
			GENESIS_ISSUANCE + 2 * kmcc_runtime::EXISTENTIAL_DEPOSIT
		);
		for (role, millions) in ROLES {
			let account = role_account(role);
			// Free plus held: the foundation holds its genesis DPoS deposit.
			assert_eq!(Balances::total_balance(&account), millions * MILLION_KMCC, "{role:?}");
			let record = Allocations::<Runtime>::get(role).expect("recorded");
			assert_eq!(record.account, account);
			assert_eq!(record.amount, millions * MILLION_KMCC);
		}
		// No sudo: the template is governed by referenda.
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
	});
}

#[test]
fn exchange_and_foundation_are_liquid() {
	preset_ext(MAINNET_TEMPLATE_PRESET).execute_with(|| {
		assert_eq!(transferable(AllocationRole::ExchangeLiquidity), 100 * MILLION_KMCC);
		// All of it but the 100,000 KMCC bonded as the template's one DPoS candidate (and the
		// existential deposit an account with held funds keeps).
		assert_eq!(
			transferable(AllocationRole::Foundation),
			150 * MILLION_KMCC
				- 100_000 * kmcc_runtime::currency::KMCC
				- kmcc_runtime::EXISTENTIAL_DEPOSIT
		);
		assert_eq!(Allocations::<Runtime>::get(AllocationRole::Foundation).unwrap().unlock, None);
	});
}

#[test]
fn team_funds_unlock_20_percent_a_month_from_month_24() {
	for (role, millions) in
		[(AllocationRole::OperationTeam, 150u128), (AllocationRole::TechnicalTeam, 100)]
	{
		preset_ext(MAINNET_TEMPLATE_PRESET).execute_with(|| {
			let team = role_account(role);
			let total = millions * MILLION_KMCC;
			let fifth = total / 5;
			let recipient = role_account(AllocationRole::ExchangeLiquidity);
			assert_eq!(Allocations::<Runtime>::get(role).unwrap().unlock, Some(team_unlock()));

			// At genesis and up to the last block before month 24 nothing is transferable.
			for block in [1, 12 * MONTHS, 24 * MONTHS - 1] {
				System::set_block_number(block);
				assert_ok!(Vesting::vest(RuntimeOrigin::signed(team.clone())));
				assert_eq!(transferable(role), 0, "{role:?} at block {block}");
				assert_noop!(
					Balances::transfer_allow_death(
						RuntimeOrigin::signed(team.clone()),
						recipient.clone().into(),
						1,
					),
					TokenError::Frozen
				);
			}

			// Month 24: exactly 20 % can move, not a planck more.
			System::set_block_number(24 * MONTHS);
			assert_ok!(Vesting::vest(RuntimeOrigin::signed(team.clone())));
			assert_eq!(transferable(role), fifth);
			assert_noop!(
				Balances::transfer_allow_death(
					RuntimeOrigin::signed(team.clone()),
					recipient.clone().into(),
					fifth + 1,
				),
				TokenError::Frozen
			);
			assert_ok!(Balances::transfer_allow_death(
				RuntimeOrigin::signed(team.clone()),
				recipient.clone().into(),
				fifth,
			));

			// Months 25..27: one more fifth each.
			for month in 25..=27u32 {
				System::set_block_number(month * MONTHS);
				assert_ok!(Vesting::vest(RuntimeOrigin::signed(team.clone())));
				assert_eq!(transferable(role), fifth, "{role:?} month {month}");
				assert_ok!(Balances::transfer_allow_death(
					RuntimeOrigin::signed(team.clone()),
					recipient.clone().into(),
					fifth,
				));
			}
			// Just before month 28 the last fifth is still locked.
			System::set_block_number(28 * MONTHS - 1);
			assert_ok!(Vesting::vest(RuntimeOrigin::signed(team.clone())));
			assert_eq!(transferable(role), 0);

			// After month 28 everything is free and the schedules are gone.
			System::set_block_number(28 * MONTHS);
			assert_ok!(Vesting::vest(RuntimeOrigin::signed(team.clone())));
			assert!(polkadot_sdk::pallet_vesting::Vesting::<Runtime>::get(&team).is_none());
			assert_ok!(Balances::transfer_all(
				RuntimeOrigin::signed(team.clone()),
				recipient.clone().into(),
				false,
			));
			assert_eq!(Balances::free_balance(&team), 0);
			// The table, and the existential deposits of the treasury pot and `Revive`'s
			// account.
			assert_eq!(
				Balances::total_issuance(),
				GENESIS_ISSUANCE + 2 * kmcc_runtime::EXISTENTIAL_DEPOSIT
			);
		});
	}
}
