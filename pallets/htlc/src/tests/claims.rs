//! `claim`: the preimage before the expiry pays the recipient, once; everything else is
//! refused with the state unchanged.

use crate::{mock::*, Error, Event, HashAlgorithm, HoldReason, SwapAsset, Swaps};
use polkadot_sdk::frame_support::{assert_noop, assert_ok};

fn claim(
	by: AccountId,
	id: crate::SwapId,
	preimage: &[u8],
) -> polkadot_sdk::sp_runtime::DispatchResult {
	Htlc::claim(RuntimeOrigin::signed(by), id, preimage.to_vec())
}

#[test]
fn the_preimage_pays_the_recipient_and_ends_the_swap() {
	test(|| {
		let id = lock(SwapAsset::Native, 100 * UNIT, 20);
		run_to(19);
		assert_ok!(claim(BOB, id, SECRET));
		assert_eq!(free(BOB), 1_100 * UNIT);
		assert_eq!(free(ALICE), 900 * UNIT);
		assert_eq!(held(HoldReason::Swap, ALICE), 0);
		assert_eq!(held(HoldReason::SwapRecord, ALICE), 0);
		assert!(!Swaps::<Test>::contains_key(id));
		System::assert_last_event(
			Event::Claimed {
				id,
				recipient: BOB,
				asset: SwapAsset::Native,
				amount: 100 * UNIT,
				hashlock: hashlock(HashAlgorithm::Sha256),
				preimage: SECRET.to_vec().try_into().unwrap(),
			}
			.into(),
		);
	});
}

#[test]
fn anyone_may_submit_the_claim_and_the_funds_still_go_to_the_recipient() {
	test(|| {
		let id = lock(SwapAsset::Native, 100 * UNIT, 20);
		assert_ok!(claim(CHARLIE, id, SECRET));
		assert_eq!(free(BOB), 1_100 * UNIT);
		assert_eq!(free(CHARLIE), 1_000 * UNIT);
	});
}

#[test]
fn a_swap_is_claimed_once() {
	test(|| {
		let id = lock(SwapAsset::Native, 100 * UNIT, 20);
		assert_ok!(claim(BOB, id, SECRET));
		assert_noop!(claim(BOB, id, SECRET), Error::<Test>::UnknownSwap);
		assert_eq!(free(BOB), 1_100 * UNIT);
	});
}

#[test]
fn a_wrong_preimage_is_refused() {
	test(|| {
		let id = lock(SwapAsset::Native, 100 * UNIT, 20);
		let mut trailing = SECRET.to_vec();
		trailing.push(0);
		for bad in [&b""[..], &SECRET[1..], &trailing, b"another 32-byte secret for swaps"] {
			assert_noop!(claim(BOB, id, bad), Error::<Test>::WrongPreimage);
		}
		// The hashlock's preimage is the secret, not the hashlock.
		assert_noop!(
			claim(BOB, id, &hashlock(HashAlgorithm::Sha256)),
			Error::<Test>::WrongPreimage
		);
	});
}

#[test]
fn the_preimage_must_match_the_swaps_own_algorithm() {
	test(|| {
		for algorithm in [HashAlgorithm::Keccak256, HashAlgorithm::Blake2_256] {
			// A sha256 hashlock named as another algorithm opens with no preimage.
			assert_ok!(Htlc::lock(
				RuntimeOrigin::signed(ALICE),
				BOB,
				SwapAsset::Native,
				UNIT,
				hashlock(HashAlgorithm::Sha256),
				algorithm,
				20,
			));
			assert_noop!(claim(BOB, last_id(), SECRET), Error::<Test>::WrongPreimage);
			// Its own algorithm's hashlock opens.
			assert_ok!(Htlc::lock(
				RuntimeOrigin::signed(ALICE),
				BOB,
				SwapAsset::Native,
				UNIT,
				hashlock(algorithm),
				algorithm,
				20,
			));
			assert_ok!(claim(BOB, last_id(), SECRET));
		}
	});
}

#[test]
fn a_preimage_longer_than_the_bound_is_refused() {
	test(|| {
		let long = vec![1u8; MAX_PREIMAGE as usize + 1];
		let h = HashAlgorithm::Sha256.digest(&long);
		assert_ok!(Htlc::lock(
			RuntimeOrigin::signed(ALICE),
			BOB,
			SwapAsset::Native,
			UNIT,
			h,
			HashAlgorithm::Sha256,
			20
		));
		let id = last_id();
		assert_noop!(claim(BOB, id, &long), Error::<Test>::PreimageTooLong);
		// The longest allowed preimage works.
		let longest = vec![2u8; MAX_PREIMAGE as usize];
		assert_ok!(Htlc::lock(
			RuntimeOrigin::signed(ALICE),
			BOB,
			SwapAsset::Native,
			UNIT,
			HashAlgorithm::Sha256.digest(&longest),
			HashAlgorithm::Sha256,
			20
		));
		assert_ok!(claim(BOB, last_id(), &longest));
	});
}

#[test]
fn the_expiry_block_is_too_late_to_claim() {
	test(|| {
		let id = lock(SwapAsset::Native, 100 * UNIT, 20);
		run_to(20);
		assert_noop!(claim(BOB, id, SECRET), Error::<Test>::Expired);
		run_to(500);
		assert_noop!(claim(BOB, id, SECRET), Error::<Test>::Expired);
	});
}

#[test]
fn an_unknown_swap_cannot_be_claimed() {
	test(|| {
		assert_noop!(claim(BOB, [9; 32], SECRET), Error::<Test>::UnknownSwap);
	});
}

#[test]
fn a_freeze_the_sender_adds_after_the_lock_cannot_stop_the_claim() {
	test(|| {
		let id = lock(SwapAsset::Native, 100 * UNIT, 20);
		// Locks and freezes overlap holds: the sender freezes its whole balance.
		freeze(ALICE, 1_000 * UNIT);
		assert_ok!(claim(BOB, id, SECRET));
		assert_eq!(free(BOB), 1_100 * UNIT);
	});
}

#[test]
fn a_new_recipient_is_created_by_the_claim() {
	test(|| {
		assert_ok!(Htlc::lock(
			RuntimeOrigin::signed(ALICE),
			NOBODY,
			SwapAsset::Native,
			5 * UNIT,
			hashlock(HashAlgorithm::Sha256),
			HashAlgorithm::Sha256,
			20
		));
		assert_ok!(claim(BOB, last_id(), SECRET));
		assert_eq!(free(NOBODY), 5 * UNIT);
	});
}
