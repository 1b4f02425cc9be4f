use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::fungible::Inspect},
	sp_runtime::TokenError,
};

#[test]
fn a_deposit_moves_the_denomination_and_appends_the_key() {
	build_and_execute(|| {
		let issuance = Balances::total_issuance();
		assert_ok!(Mixer::deposit(RuntimeOrigin::signed(ALICE), SMALL, key(0)));
		assert_ok!(Mixer::deposit(RuntimeOrigin::signed(BOB), SMALL, key(1)));
		assert_ok!(Mixer::deposit(RuntimeOrigin::signed(ALICE), LARGE, key(2)));
		assert_eq!(Balances::balance(&ALICE), 10_000 * UNIT - SMALL - LARGE);
		assert_eq!(Balances::balance(&Mixer::account_id()), 2 * SMALL + LARGE);
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(Pools::<Test>::get(SMALL), Some(PoolInfo { deposits: 2, withdrawals: 0 }));
		assert_eq!(PoolKeys::<Test>::get(SMALL, 1).map(|r| r.key), Some(key(1)));
		assert_eq!(DepositOf::<Test>::get(key(2)), Some((LARGE, 0)));
		assert_eq!(
			mixer_events(),
			vec![
				Event::Deposited { who: ALICE, denomination: SMALL, index: 0, key: key(0) },
				Event::Deposited { who: BOB, denomination: SMALL, index: 1, key: key(1) },
				Event::Deposited { who: ALICE, denomination: LARGE, index: 0, key: key(2) },
			]
		);
	});
}

#[test]
fn bad_deposits_change_nothing() {
	build_and_execute(|| {
		deposit(ALICE, SMALL, 0);
		// Not a pool's denomination.
		assert_noop!(
			Mixer::deposit(RuntimeOrigin::signed(ALICE), SMALL + 1, key(1)),
			Error::<Test>::UnknownDenomination
		);
		// The identity, and bytes that are not a canonical point.
		assert_noop!(
			Mixer::deposit(RuntimeOrigin::signed(ALICE), SMALL, [0; 32]),
			Error::<Test>::InvalidKey
		);
		assert_noop!(
			Mixer::deposit(RuntimeOrigin::signed(ALICE), SMALL, [0xff; 32]),
			Error::<Test>::InvalidKey
		);
		// A key already deposited, in this pool or another.
		assert_noop!(
			Mixer::deposit(RuntimeOrigin::signed(BOB), SMALL, key(0)),
			Error::<Test>::KeyInUse
		);
		assert_noop!(
			Mixer::deposit(RuntimeOrigin::signed(BOB), LARGE, key(0)),
			Error::<Test>::KeyInUse
		);
		// Not enough funds (the relayer has only the existential deposit).
		assert_noop!(
			Mixer::deposit(RuntimeOrigin::signed(RELAYER), SMALL, key(1)),
			TokenError::FundsUnavailable
		);
		// Unsigned.
		assert_noop!(
			Mixer::deposit(RuntimeOrigin::none(), SMALL, key(1)),
			polkadot_sdk::sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn the_keys_api_pages_through_a_pool() {
	build_and_execute(|| {
		deposits(SMALL, 0, 5);
		let first = Mixer::keys(SMALL, 0, 2);
		assert_eq!(
			first.items.iter().map(|(i, k, _)| (*i, *k)).collect::<Vec<_>>(),
			vec![(0, key(0)), (1, key(1))]
		);
		assert_eq!((first.next, first.end), (2, 5));
		let rest = Mixer::keys(SMALL, first.next, 1_000_000);
		assert_eq!(rest.items.len(), 3);
		assert_eq!(rest.next, 5);
		assert!(Mixer::keys(SMALL, 9, 3).items.is_empty());
		assert!(Mixer::keys(7, 0, 3).items.is_empty());
		assert_eq!(
			Mixer::pools(),
			vec![
				PoolStatus { denomination: SMALL, deposits: 5, withdrawals: 0 },
				PoolStatus { denomination: LARGE, deposits: 0, withdrawals: 0 },
			]
		);
	});
}
