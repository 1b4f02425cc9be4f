//! Swaps of `pallet-assets` units: kept in the escrow account, paid out by claim or refund.

use crate::{mock::*, Error, HashAlgorithm, HoldReason, SwapAsset};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::fungibles::Create},
	frame_system,
};

fn try_lock(
	asset: AssetId,
	recipient: AccountId,
	amount: u128,
) -> polkadot_sdk::sp_runtime::DispatchResult {
	Htlc::lock(
		RuntimeOrigin::signed(ALICE),
		recipient,
		SwapAsset::Asset(asset),
		amount,
		hashlock(HashAlgorithm::Sha256),
		HashAlgorithm::Sha256,
		20,
	)
}

#[test]
fn asset_units_wait_in_the_escrow_and_go_to_the_recipient() {
	test(|| {
		let escrow = Htlc::escrow_account();
		let id = lock(SwapAsset::Asset(GOLD), 300 * UNIT, 20);
		assert_eq!((gold(ALICE), gold(escrow)), (700 * UNIT, 300 * UNIT));
		// Only the record deposit is held in KMCC.
		assert_eq!(held(HoldReason::Swap, ALICE), 0);
		assert_eq!(held(HoldReason::SwapRecord, ALICE), DEPOSIT);
		// The escrow exists by the pallet's provider reference, with no KMCC.
		assert_eq!(free(escrow), 0);
		assert!(frame_system::Pallet::<Test>::account_exists(&escrow));
		assert_ok!(Htlc::claim(RuntimeOrigin::signed(BOB), id, SECRET.to_vec()));
		assert_eq!((gold(BOB), gold(escrow)), (1_300 * UNIT, 0));
		assert_eq!(held(HoldReason::SwapRecord, ALICE), 0);
	});
}

#[test]
fn an_expired_asset_swap_returns_the_units() {
	test(|| {
		let escrow = Htlc::escrow_account();
		let id = lock(SwapAsset::Asset(GOLD), 300 * UNIT, 20);
		// A second swap keeps the escrow's balance above the minimum after the refund.
		lock(SwapAsset::Asset(GOLD), 5 * UNIT, 30);
		run_to(20);
		assert_ok!(Htlc::refund(RuntimeOrigin::signed(ALICE), id));
		assert_eq!((gold(ALICE), gold(escrow)), (995 * UNIT, 5 * UNIT));
	});
}

#[test]
fn units_the_sender_lacks_or_an_unknown_asset_are_refused() {
	test(|| {
		assert_noop!(try_lock(GOLD, BOB, 1_001 * UNIT), Error::<Test>::AssetUnavailable);
		assert_noop!(try_lock(GOLD + 1, BOB, UNIT), Error::<Test>::AssetUnavailable);
		// All of it may be locked.
		assert_ok!(try_lock(GOLD, BOB, 1_000 * UNIT));
	});
}

#[test]
fn an_asset_swap_below_the_assets_minimum_balance_is_refused() {
	test(|| {
		assert_noop!(try_lock(GOLD, BOB, UNIT - 1), Error::<Test>::BelowMinimumBalance);
		// Also once the escrow holds the asset: paying the larger swap would leave dust.
		assert_ok!(try_lock(GOLD, BOB, 300 * UNIT));
		assert_noop!(try_lock(GOLD, CHARLIE, UNIT / 2), Error::<Test>::BelowMinimumBalance);
		assert_ok!(try_lock(GOLD, CHARLIE, UNIT));
	});
}

#[test]
fn a_recipient_that_cannot_hold_the_asset_is_refused() {
	test(|| {
		// GOLD is not sufficient: a holder needs a KMCC account, and Nobody has none.
		assert_noop!(try_lock(GOLD, NOBODY, 10 * UNIT), Error::<Test>::CannotReceive);
	});
}

#[test]
fn the_record_deposit_is_kmcc_even_for_asset_swaps() {
	test(|| {
		// Charlie holds GOLD but only the existential deposit of KMCC.
		let spare = free(CHARLIE) - UNIT;
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(CHARLIE), ALICE, spare));
		assert_noop!(
			Htlc::lock(
				RuntimeOrigin::signed(CHARLIE),
				BOB,
				SwapAsset::Asset(GOLD),
				10 * UNIT,
				hashlock(HashAlgorithm::Sha256),
				HashAlgorithm::Sha256,
				20,
			),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn a_sufficient_asset_reaches_a_recipient_without_kmcc() {
	test(|| {
		const SILVER: AssetId = 8;
		assert_ok!(<Assets as Create<AccountId>>::create(SILVER, ALICE, true, UNIT));
		assert_ok!(<Assets as polkadot_sdk::frame_support::traits::fungibles::Mutate<AccountId>>::mint_into(
			SILVER,
			&ALICE,
			100 * UNIT
		));
		assert_ok!(try_lock(SILVER, NOBODY, 10 * UNIT));
		assert_ok!(Htlc::claim(RuntimeOrigin::signed(BOB), last_id(), SECRET.to_vec()));
		assert_eq!(Assets::balance(SILVER, NOBODY), 10 * UNIT);
	});
}
