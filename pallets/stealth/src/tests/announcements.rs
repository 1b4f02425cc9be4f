//! Paying one-time accounts and announcing payments: ids, records, events, the page bound and
//! every refused input (state unchanged).

use crate::{mock::*, AnnouncementRecord, Announcements, Error, Event, NextAnnouncementId};
use kmcc_primitives::currency::{EXISTENTIAL_DEPOSIT, KMCC};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::fungible::Inspect},
	sp_runtime::{DispatchError, TokenError},
};

const ONE_TIME: AccountId = 100;

#[test]
fn a_stealth_transfer_pays_the_new_account_and_is_announced() {
	build_and_execute(|| {
		assert_ok!(Stealth::transfer_stealth(
			RuntimeOrigin::signed(ALICE),
			ONE_TIME,
			G,
			42,
			5 * KMCC
		));
		assert_eq!(Balances::balance(&ONE_TIME), 5 * KMCC);
		assert_eq!(Balances::balance(&ALICE), 995 * KMCC);
		assert_eq!(
			Announcements::<Test>::get(0),
			Some(AnnouncementRecord { block: 1, ephemeral: G, one_time: ONE_TIME, view_tag: 42 })
		);
		assert_eq!(NextAnnouncementId::<Test>::get(), 1);
		assert_eq!(
			stealth_events(),
			vec![Event::StealthTransfer {
				id: 0,
				from: ALICE,
				one_time: ONE_TIME,
				amount: 5 * KMCC,
				ephemeral: G,
				view_tag: 42,
			}]
		);
	});
}

#[test]
fn announcements_get_consecutive_ids_across_blocks() {
	build_and_execute(|| {
		assert_ok!(Stealth::transfer_stealth(RuntimeOrigin::signed(ALICE), 100, G, 1, KMCC));
		assert_ok!(Stealth::announce(RuntimeOrigin::signed(BOB), 101, G, 2));
		run_to_block(2);
		assert_ok!(Stealth::transfer_stealth(RuntimeOrigin::signed(BOB), 102, G, 3, KMCC));
		let ids: Vec<_> = (0..3)
			.map(|id| Announcements::<Test>::get(id).map(|r| (r.block, r.one_time)))
			.collect();
		assert_eq!(ids, vec![Some((1, 100)), Some((1, 101)), Some((2, 102))]);
		assert_eq!(
			stealth_events(),
			vec![Event::StealthTransfer {
				id: 2,
				from: BOB,
				one_time: 102,
				amount: KMCC,
				ephemeral: G,
				view_tag: 3,
			}]
		);
		// `announce` moves no funds.
		assert_eq!(Balances::balance(&101), 0);
	});
}

#[test]
fn a_full_page_is_refused_until_the_next_block() {
	build_and_execute(|| {
		for i in 0..PAGE {
			assert_ok!(Stealth::announce(RuntimeOrigin::signed(ALICE), 200 + u64::from(i), G, 0));
		}
		assert_noop!(
			Stealth::transfer_stealth(RuntimeOrigin::signed(ALICE), 300, G, 0, KMCC),
			Error::<Test>::PageFull
		);
		assert_noop!(
			Stealth::announce(RuntimeOrigin::signed(ALICE), 300, G, 0),
			Error::<Test>::PageFull
		);
		run_to_block(2);
		assert_ok!(Stealth::transfer_stealth(RuntimeOrigin::signed(ALICE), 300, G, 0, KMCC));
	});
}

#[test]
fn bad_ephemeral_keys_are_refused() {
	build_and_execute(|| {
		// Not a canonical point; the identity (r = 0: the shared point would be public).
		for bad in [[0xff; 32], [0; 32], {
			let mut non_canonical = G;
			non_canonical[31] |= 0x80;
			non_canonical
		}] {
			assert_noop!(
				Stealth::transfer_stealth(RuntimeOrigin::signed(ALICE), ONE_TIME, bad, 0, KMCC),
				Error::<Test>::InvalidEphemeralKey
			);
			assert_noop!(
				Stealth::announce(RuntimeOrigin::signed(ALICE), ONE_TIME, bad, 0),
				Error::<Test>::InvalidEphemeralKey
			);
		}
	});
}

#[test]
fn a_one_time_account_is_never_reused() {
	build_and_execute(|| {
		assert_ok!(Stealth::transfer_stealth(RuntimeOrigin::signed(ALICE), ONE_TIME, G, 0, KMCC));
		assert_noop!(
			Stealth::transfer_stealth(RuntimeOrigin::signed(BOB), ONE_TIME, G, 0, KMCC),
			Error::<Test>::OneTimeAccountInUse
		);
		assert_noop!(
			Stealth::announce(RuntimeOrigin::signed(BOB), ONE_TIME, G, 0),
			Error::<Test>::OneTimeAccountInUse
		);
		// An ordinary existing account is no one-time account either.
		assert_noop!(
			Stealth::transfer_stealth(RuntimeOrigin::signed(ALICE), BOB, G, 0, KMCC),
			Error::<Test>::OneTimeAccountInUse
		);
	});
}

#[test]
fn amounts_must_open_the_account_and_leave_the_payer_alive() {
	build_and_execute(|| {
		assert_noop!(
			Stealth::transfer_stealth(RuntimeOrigin::signed(ALICE), ONE_TIME, G, 0, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Stealth::transfer_stealth(
				RuntimeOrigin::signed(ALICE),
				ONE_TIME,
				G,
				0,
				EXISTENTIAL_DEPOSIT - 1
			),
			Error::<Test>::BelowExistentialDeposit
		);
		// POOR has 1 KMCC: sending all of it would reap the payer.
		assert_noop!(
			Stealth::transfer_stealth(RuntimeOrigin::signed(POOR), ONE_TIME, G, 0, KMCC),
			DispatchError::Token(TokenError::NotExpendable)
		);
		assert_noop!(
			Stealth::transfer_stealth(RuntimeOrigin::signed(POOR), ONE_TIME, G, 0, 2 * KMCC),
			DispatchError::Token(TokenError::FundsUnavailable)
		);
		assert_eq!(NextAnnouncementId::<Test>::get(), 0);
	});
}

#[test]
fn only_signed_origins_pay_or_announce() {
	build_and_execute(|| {
		assert_noop!(
			Stealth::transfer_stealth(RuntimeOrigin::none(), ONE_TIME, G, 0, KMCC),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Stealth::announce(RuntimeOrigin::root(), ONE_TIME, G, 0),
			DispatchError::BadOrigin
		);
	});
}
