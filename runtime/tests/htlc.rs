//! Hash-time-locked swaps through the real runtime (design §12): a KMCC swap claimed with the
//! sha256 secret by a third party, an asset swap refunded after its expiry, bad claims and
//! refunds refused with state unchanged, and the migration that adds the pallet.

use crate::common::{finish_block, preset_ext, signed, start_block};
use kmcc_runtime::{
	configs::cross_chain::SwapDeposit,
	pallet_htlc::{self, HashAlgorithm, SwapAsset, SwapTerms},
	Assets, Balances, Executive, Htlc, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason,
	System, KMCC,
};
use polkadot_sdk::{
	frame_support::traits::fungible::{Inspect as _, InspectHold},
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_io::hashing::sha2_256,
	sp_io::storage,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{DispatchError, ModuleError, StateVersion},
};

const SECRET: [u8; 32] = *b"the secret that opens both locks";

fn apply(xt: kmcc_runtime::UncheckedExtrinsic) -> Result<(), DispatchError> {
	let n = System::block_number();
	Executive::apply_extrinsic(xt).unwrap_or_else(|e| panic!("block {n}: {e:?}"))
}

/// The name of the `Htlc` error a dispatch failed with.
fn htlc_error(result: Result<(), DispatchError>) -> &'static str {
	let Err(DispatchError::Module(ModuleError { index, error, .. })) = result else {
		panic!("expected a module error, got {result:?}");
	};
	assert_eq!(index, 60, "Htlc's index");
	let error: pallet_htlc::Error<Runtime> =
		codec::Decode::decode(&mut &error[..]).expect("an Htlc error");
	error.into()
}

fn held(reason: pallet_htlc::HoldReason, who: Sr25519Keyring) -> u128 {
	Balances::balance_on_hold(&RuntimeHoldReason::Htlc(reason), &who.to_account_id())
}

fn next_block() {
	let n = System::block_number();
	finish_block(u64::from(n));
	start_block(n + 1, u64::from(n + 1));
}

fn htlc_events() -> Vec<pallet_htlc::Event<Runtime>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Htlc(e) => Some(e),
			_ => None,
		})
		.collect()
}

#[test]
fn a_kmcc_swap_is_claimed_with_the_sha256_secret_and_pays_the_recipient() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let (alice, bob, charlie) =
			(Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie);
		start_block(1, 1);
		let terms = SwapTerms {
			sender: alice.to_account_id(),
			recipient: bob.to_account_id(),
			asset: SwapAsset::Native,
			amount: 100 * KMCC,
			hashlock: sha2_256(&SECRET),
			algorithm: HashAlgorithm::Sha256,
			expiry: 21,
		};
		let lock = RuntimeCall::Htlc(pallet_htlc::Call::lock {
			recipient: terms.recipient.clone(),
			asset: terms.asset,
			amount: terms.amount,
			hashlock: terms.hashlock,
			algorithm: terms.algorithm,
			expiry: terms.expiry,
		});
		apply(signed(alice, lock, 0, 0)).expect("lock");
		let id = pallet_htlc::swap_id(&terms);
		assert!(matches!(
			htlc_events().as_slice(),
			[pallet_htlc::Event::Locked { id: i, hashlock, .. }] if *i == id && *hashlock == terms.hashlock
		));
		assert_eq!(held(pallet_htlc::HoldReason::Swap, alice), 100 * KMCC);
		assert_eq!(held(pallet_htlc::HoldReason::SwapRecord, alice), SwapDeposit::get());
		let bob_before = Balances::balance(&bob.to_account_id());

		next_block();
		// A wrong secret, and the right one with a byte appended, fail and change nothing.
		let swap = pallet_htlc::Swaps::<Runtime>::get(id).expect("open");
		let mut longer = SECRET.to_vec();
		longer.push(0);
		for (nonce, preimage) in [(0, b"not the secret".to_vec()), (1, longer)] {
			let claim = pallet_htlc::Call::claim { id, preimage };
			assert_eq!(htlc_error(apply(signed(charlie, claim.into(), nonce, 0))), "WrongPreimage");
		}
		// Only Charlie's fees and nonce moved.
		assert_eq!(pallet_htlc::Swaps::<Runtime>::get(id), Some(swap));
		assert_eq!(held(pallet_htlc::HoldReason::Swap, alice), 100 * KMCC);
		assert_eq!(Balances::balance(&bob.to_account_id()), bob_before);

		// Charlie, a watcher with no stake in the swap, submits the claim: Bob gets the funds.
		let claim = pallet_htlc::Call::claim { id, preimage: SECRET.to_vec() };
		apply(signed(charlie, claim.clone().into(), 2, 0)).expect("claim");
		assert_eq!(Balances::balance(&bob.to_account_id()), bob_before + 100 * KMCC);
		assert_eq!(held(pallet_htlc::HoldReason::Swap, alice), 0);
		assert_eq!(held(pallet_htlc::HoldReason::SwapRecord, alice), 0);
		assert!(htlc_events().iter().any(|e| matches!(
			e,
			pallet_htlc::Event::Claimed { id: i, preimage, amount, .. }
				if *i == id && preimage[..] == SECRET[..] && *amount == 100 * KMCC
		)));
		// The same claim again finds no swap.
		assert_eq!(htlc_error(apply(signed(charlie, claim.into(), 3, 0))), "UnknownSwap");
		assert_eq!(pallet_htlc::Swaps::<Runtime>::count(), 0);
	});
}

#[test]
fn an_asset_swap_is_refunded_to_the_sender_after_expiry_only() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		const GOLD: u32 = 7;
		let (alice, bob) = (Sr25519Keyring::Alice, Sr25519Keyring::Bob);
		start_block(1, 1);
		let admin = alice.to_account_id();
		let create = polkadot_sdk::pallet_assets::Call::create {
			id: GOLD.into(),
			admin: admin.clone().into(),
			min_balance: 10,
		};
		apply(signed(alice, create.into(), 0, 0)).expect("create");
		let mint = polkadot_sdk::pallet_assets::Call::mint {
			id: GOLD.into(),
			beneficiary: admin.clone().into(),
			amount: 1_000,
		};
		apply(signed(alice, mint.into(), 1, 0)).expect("mint");

		// Below the asset's minimum balance: refused.
		let lock = |amount| {
			RuntimeCall::Htlc(pallet_htlc::Call::lock {
				recipient: bob.to_account_id(),
				asset: SwapAsset::Asset(GOLD),
				amount,
				hashlock: sha2_256(&SECRET),
				algorithm: HashAlgorithm::Sha256,
				expiry: 13,
			})
		};
		assert_eq!(htlc_error(apply(signed(alice, lock(9), 2, 0))), "BelowMinimumBalance");
		apply(signed(alice, lock(250), 3, 0)).expect("lock");
		let escrow = Htlc::escrow_account();
		assert_eq!(Assets::balance(GOLD, &escrow), 250);
		assert_eq!(Assets::balance(GOLD, &admin), 750);
		let id = pallet_htlc::Swaps::<Runtime>::iter_keys().next().expect("the swap");

		// Block 12: not expired; Bob refunds too early. (Not block 10: `pallet-session` charges
		// the whole block's weight when it rotates the dev session there.)
		while System::block_number() < 12 {
			next_block();
		}
		let refund = pallet_htlc::Call::refund { id };
		assert_eq!(htlc_error(apply(signed(bob, refund.clone().into(), 0, 0))), "NotExpired");
		// Block 13: expired. Alice's claim with the secret comes too late; Bob's refund pays
		// Alice.
		next_block();
		let claim = pallet_htlc::Call::claim { id, preimage: SECRET.to_vec() };
		assert_eq!(htlc_error(apply(signed(alice, claim.into(), 4, 0))), "Expired");
		apply(signed(bob, refund.into(), 1, 0)).expect("refund");
		assert_eq!(Assets::balance(GOLD, &admin), 1_000);
		assert_eq!(Assets::balance(GOLD, &escrow), 0);
		assert_eq!(Assets::balance(GOLD, bob.to_account_id()), 0);
		assert!(htlc_events()
			.iter()
			.any(|e| matches!(e, pallet_htlc::Event::Refunded { id: i, .. } if *i == id)));
	});
}

#[test]
fn the_spec_114_migration_records_the_storage_version() {
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		StorageVersion::new(0).put::<Htlc>();
		kmcc_runtime::migrations::SingleBlockMigrations::on_runtime_upgrade();
		assert_eq!(Htlc::on_chain_storage_version(), Htlc::in_code_storage_version());
		assert_eq!(Htlc::on_chain_storage_version(), 1);
		let before = storage::root(StateVersion::V1);
		kmcc_runtime::migrations::SingleBlockMigrations::on_runtime_upgrade();
		assert_eq!(storage::root(StateVersion::V1), before);
	});
}
