//! Publishing meta-addresses: the deposit is held once, from free funds only, and released.

use crate::{mock::*, Error, Event, HoldReason, MetaAddresses, PublishedMetaAddress};
use kmcc_primitives::currency::KMCC;
use polkadot_sdk::frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};

/// Another valid point: `2·G`.
const G2: [u8; 32] = [
	0x6a, 0x49, 0x32, 0x10, 0xf7, 0x49, 0x9c, 0xd1, 0x7f, 0xec, 0xb5, 0x10, 0xae, 0x0c, 0xea, 0x23,
	0xa1, 0x10, 0xe8, 0xd5, 0xb9, 0x01, 0xf8, 0xac, 0xad, 0xd3, 0x09, 0x5c, 0x73, 0xa3, 0xb9, 0x19,
];

fn held(who: AccountId) -> u128 {
	Balances::balance_on_hold(&RuntimeHoldReason::Stealth(HoldReason::MetaAddress), &who)
}

#[test]
fn publishing_holds_the_deposit_once_and_removing_releases_it() {
	build_and_execute(|| {
		assert_ok!(Stealth::register_meta_address(RuntimeOrigin::signed(ALICE), G, G2));
		assert_eq!(held(ALICE), DEPOSIT);
		assert_eq!(
			MetaAddresses::<Test>::get(ALICE),
			Some(PublishedMetaAddress { view: G, spend: G2, deposit: DEPOSIT })
		);
		assert_eq!(
			Stealth::meta_address(&ALICE),
			Some(kmcc_privacy::MetaAddress { view: G, spend: G2 })
		);
		// Replacing the keys keeps the one deposit.
		assert_ok!(Stealth::register_meta_address(RuntimeOrigin::signed(ALICE), G2, G));
		assert_eq!(held(ALICE), DEPOSIT);
		assert_eq!(
			stealth_events().last(),
			Some(&Event::MetaAddressPublished { who: ALICE, view: G2, spend: G, deposit: DEPOSIT })
		);
		assert_ok!(Stealth::remove_meta_address(RuntimeOrigin::signed(ALICE)));
		assert_eq!(held(ALICE), 0);
		assert_eq!(MetaAddresses::<Test>::get(ALICE), None);
		assert_eq!(
			stealth_events().last(),
			Some(&Event::MetaAddressRemoved { who: ALICE, deposit: DEPOSIT })
		);
		assert_noop!(
			Stealth::remove_meta_address(RuntimeOrigin::signed(ALICE)),
			Error::<Test>::NoMetaAddress
		);
	});
}

#[test]
fn invalid_keys_are_refused() {
	build_and_execute(|| {
		for (view, spend) in [([0xff; 32], G), (G, [0xff; 32]), ([0; 32], G), (G, [0; 32])] {
			assert_noop!(
				Stealth::register_meta_address(RuntimeOrigin::signed(ALICE), view, spend),
				Error::<Test>::InvalidMetaAddress
			);
		}
	});
}

#[test]
fn the_deposit_never_comes_from_frozen_funds() {
	build_and_execute(|| {
		// Bob's balance frozen down to 5 KMCC free (what a lease or vesting freeze leaves):
		// the 10 KMCC deposit does not fit.
		polkadot_sdk::frame_system::Account::<Test>::mutate(BOB, |account| {
			account.data.frozen = 995 * KMCC;
		});
		assert_noop!(
			Stealth::register_meta_address(RuntimeOrigin::signed(BOB), G, G2),
			Error::<Test>::InsufficientBalance
		);
		polkadot_sdk::frame_system::Account::<Test>::mutate(BOB, |account| {
			account.data.frozen = 990 * KMCC - kmcc_primitives::currency::EXISTENTIAL_DEPOSIT;
		});
		assert_ok!(Stealth::register_meta_address(RuntimeOrigin::signed(BOB), G, G2));
		assert_eq!(held(BOB), DEPOSIT);
	});
}
