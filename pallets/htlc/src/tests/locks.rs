//! `lock`: what it holds and records, and every refusal with the state unchanged.

use crate::{mock::*, Error, Event, HashAlgorithm, HoldReason, SwapAsset, Swaps};
use polkadot_sdk::frame_support::{assert_noop, assert_ok};

fn try_lock(
	recipient: AccountId,
	amount: u128,
	expiry: u64,
) -> polkadot_sdk::sp_runtime::DispatchResult {
	Htlc::lock(
		RuntimeOrigin::signed(ALICE),
		recipient,
		SwapAsset::Native,
		amount,
		hashlock(HashAlgorithm::Sha256),
		HashAlgorithm::Sha256,
		expiry,
	)
}

#[test]
fn a_kmcc_lock_holds_the_amount_and_the_record_deposit() {
	test(|| {
		let id = lock(SwapAsset::Native, 100 * UNIT, 20);
		assert_eq!(held(HoldReason::Swap, ALICE), 100 * UNIT);
		assert_eq!(held(HoldReason::SwapRecord, ALICE), DEPOSIT);
		assert_eq!(free(ALICE), 1_000 * UNIT - 100 * UNIT - DEPOSIT);
		assert_eq!(free(BOB), 1_000 * UNIT);
		let swap = Swaps::<Test>::get(id).unwrap();
		assert_eq!((swap.terms.sender, swap.terms.recipient, swap.terms.expiry), (ALICE, BOB, 20));
		assert_eq!((swap.locked_at, swap.deposit), (1, DEPOSIT));
		System::assert_last_event(
			Event::Locked {
				id,
				sender: ALICE,
				recipient: BOB,
				asset: SwapAsset::Native,
				amount: 100 * UNIT,
				hashlock: hashlock(HashAlgorithm::Sha256),
				algorithm: HashAlgorithm::Sha256,
				expiry: 20,
			}
			.into(),
		);
	});
}

#[test]
fn two_swaps_of_one_sender_add_up_on_the_hold() {
	test(|| {
		lock(SwapAsset::Native, 100 * UNIT, 20);
		lock(SwapAsset::Native, 50 * UNIT, 21);
		assert_eq!(held(HoldReason::Swap, ALICE), 150 * UNIT);
		assert_eq!(held(HoldReason::SwapRecord, ALICE), 2 * DEPOSIT);
		assert_eq!(Swaps::<Test>::count(), 2);
	});
}

#[test]
fn the_expiry_must_be_within_the_lock_periods() {
	test(|| {
		run_to(10);
		// In the past, now, and one block short of the minimum.
		for expiry in [0, 9, 10, 10 + MIN_PERIOD - 1] {
			assert_noop!(try_lock(BOB, UNIT, expiry), Error::<Test>::ExpiryTooSoon);
		}
		assert_noop!(try_lock(BOB, UNIT, 10 + MAX_PERIOD + 1), Error::<Test>::ExpiryTooFar);
		assert_noop!(try_lock(BOB, UNIT, u64::MAX), Error::<Test>::ExpiryTooFar);
		// Both bounds are allowed.
		assert_ok!(try_lock(BOB, UNIT, 10 + MIN_PERIOD));
		assert_ok!(try_lock(BOB, UNIT, 10 + MAX_PERIOD));
	});
}

#[test]
fn nothing_and_oneself_are_refused() {
	test(|| {
		assert_noop!(try_lock(BOB, 0, 20), Error::<Test>::ZeroAmount);
		assert_noop!(try_lock(ALICE, UNIT, 20), Error::<Test>::SelfSwap);
	});
}

#[test]
fn the_same_terms_cannot_be_open_twice() {
	test(|| {
		assert_ok!(try_lock(BOB, UNIT, 20));
		assert_noop!(try_lock(BOB, UNIT, 20), Error::<Test>::SwapExists);
		// Any other term makes another swap.
		assert_ok!(try_lock(BOB, UNIT, 21));
	});
}

#[test]
fn a_lock_never_takes_frozen_funds_or_the_existential_deposit() {
	test(|| {
		// 1,000 free: 1 is the existential deposit and 1 the record deposit.
		assert_noop!(try_lock(BOB, 999 * UNIT, 20), Error::<Test>::InsufficientBalance);
		assert_ok!(try_lock(BOB, 998 * UNIT, 20));
	});
	test(|| {
		// A lock or freeze of 500 (e.g. a conviction vote).
		freeze(ALICE, 500 * UNIT);
		// 500 unfrozen: the amount and the record deposit must fit in it.
		assert_noop!(try_lock(BOB, 500 * UNIT, 20), Error::<Test>::InsufficientBalance);
		assert_ok!(try_lock(BOB, 500 * UNIT - DEPOSIT, 20));
	});
}

#[test]
fn a_recipient_that_cannot_receive_the_amount_is_refused() {
	test(|| {
		// Nobody has no account: less than the existential deposit could not create it.
		assert_noop!(try_lock(NOBODY, UNIT - 1, 20), Error::<Test>::CannotReceive);
		assert_ok!(try_lock(NOBODY, UNIT, 20));
	});
}

#[test]
fn an_unsigned_lock_is_refused() {
	test(|| {
		assert_noop!(
			Htlc::lock(
				RuntimeOrigin::none(),
				BOB,
				SwapAsset::Native,
				UNIT,
				[0; 32],
				HashAlgorithm::Sha256,
				20
			),
			polkadot_sdk::sp_runtime::DispatchError::BadOrigin
		);
	});
}
