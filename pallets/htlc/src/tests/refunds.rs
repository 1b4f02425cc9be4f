//! `refund`: after the expiry the sender gets its funds back, once; before it, nothing.

use crate::{mock::*, Error, Event, HashAlgorithm, HoldReason, SwapAsset, Swaps};
use polkadot_sdk::frame_support::{assert_noop, assert_ok};

#[test]
fn after_the_expiry_the_sender_is_refunded() {
	test(|| {
		let id = lock(SwapAsset::Native, 100 * UNIT, 20);
		run_to(20);
		// Anyone may submit it; the funds go to the sender.
		assert_ok!(Htlc::refund(RuntimeOrigin::signed(CHARLIE), id));
		assert_eq!(free(ALICE), 1_000 * UNIT);
		assert_eq!(held(HoldReason::Swap, ALICE), 0);
		assert_eq!(held(HoldReason::SwapRecord, ALICE), 0);
		assert_eq!((free(BOB), free(CHARLIE)), (1_000 * UNIT, 1_000 * UNIT));
		assert!(!Swaps::<Test>::contains_key(id));
		System::assert_last_event(
			Event::Refunded {
				id,
				sender: ALICE,
				asset: SwapAsset::Native,
				amount: 100 * UNIT,
				hashlock: hashlock(HashAlgorithm::Sha256),
			}
			.into(),
		);
	});
}

#[test]
fn before_the_expiry_there_is_no_refund() {
	test(|| {
		let id = lock(SwapAsset::Native, 100 * UNIT, 20);
		for now in [1, 10, 19] {
			run_to(now);
			assert_noop!(Htlc::refund(RuntimeOrigin::signed(ALICE), id), Error::<Test>::NotExpired);
		}
	});
}

#[test]
fn a_swap_is_refunded_once_and_a_claimed_swap_not_at_all() {
	test(|| {
		let refunded = lock(SwapAsset::Native, 100 * UNIT, 20);
		let claimed = lock(SwapAsset::Native, 10 * UNIT, 21);
		assert_ok!(Htlc::claim(RuntimeOrigin::signed(BOB), claimed, SECRET.to_vec()));
		run_to(30);
		assert_ok!(Htlc::refund(RuntimeOrigin::signed(ALICE), refunded));
		assert_noop!(
			Htlc::refund(RuntimeOrigin::signed(ALICE), refunded),
			Error::<Test>::UnknownSwap
		);
		assert_noop!(
			Htlc::refund(RuntimeOrigin::signed(ALICE), claimed),
			Error::<Test>::UnknownSwap
		);
		assert_eq!(free(ALICE), 990 * UNIT);
		assert_eq!(free(BOB), 1_010 * UNIT);
	});
}

#[test]
fn the_refund_does_not_depend_on_the_senders_freezes() {
	test(|| {
		let id = lock(SwapAsset::Native, 100 * UNIT, 20);
		freeze(ALICE, 1_000 * UNIT);
		run_to(20);
		assert_ok!(Htlc::refund(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(held(HoldReason::Swap, ALICE), 0);
	});
}
