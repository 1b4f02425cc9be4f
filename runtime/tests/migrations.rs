//! Runtime-level migrations of spec 106 on state shaped like older networks'.

use crate::common::preset_ext;
use codec::Encode;
use kmcc_runtime::{
	migrations::{RemapSessionKeyHolds, SessionHoldsRemapped, OLD_SESSION_INDEX},
	pallet_dpos, AccountId, Runtime, RuntimeHoldReason, KMCC,
};
use polkadot_sdk::{
	frame_support::{storage::unhashed, traits::OnRuntimeUpgrade},
	pallet_balances::Holds,
	pallet_session,
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_keyring::Sr25519Keyring,
};

#[test]
fn session_key_deposits_held_at_index_5_decode_again_once() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let bob: AccountId = Sr25519Keyring::Bob.to_account_id();
		let key = Holds::<Runtime>::hashed_key_for(&bob);
		// Before spec 104: the session-key deposit at `[5, 0]` next to a DPoS deposit.
		let dpos = RuntimeHoldReason::Dpos(pallet_dpos::HoldReason::CandidateDeposit).encode();
		let old: Vec<([u8; 2], u128)> =
			vec![([OLD_SESSION_INDEX, 0], KMCC), ([dpos[0], dpos[1]], 5 * KMCC)];
		unhashed::put_raw(&key, &old.encode());
		assert!(Holds::<Runtime>::get(&bob).is_empty(), "undecodable before the migration");

		RemapSessionKeyHolds::on_runtime_upgrade();
		let holds: Vec<(RuntimeHoldReason, u128)> =
			Holds::<Runtime>::get(&bob).into_iter().map(|h| (h.id, h.amount)).collect();
		assert_eq!(
			holds,
			vec![
				(RuntimeHoldReason::Session(pallet_session::HoldReason::Keys), KMCC),
				(RuntimeHoldReason::Dpos(pallet_dpos::HoldReason::CandidateDeposit), 5 * KMCC),
			]
		);
		assert!(SessionHoldsRemapped::get());

		// Once only: a later upgrade does not read every account's holds again.
		unhashed::put_raw(&key, &old.encode());
		RemapSessionKeyHolds::on_runtime_upgrade();
		assert!(Holds::<Runtime>::get(&bob).is_empty());
	});
}
