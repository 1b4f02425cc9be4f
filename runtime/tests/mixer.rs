//! The mixing pool through the real runtime: deposits as signed extrinsics, a withdrawal as an
//! authorized general transaction (no signer, no fee) validated by `AuthorizeCall` with the
//! ring signature, paying exactly; the same transaction again is invalid.

use crate::common::{preset_ext, signed, start_block};
use kmcc_privacy::{mixer, ring};
use kmcc_runtime::{
	pallet_mixer, tx_extension, AccountId, Executive, GenericUncheckedExtrinsic, Mixer, Runtime,
	RuntimeCall, UncheckedExtrinsic, KMCC,
};
use polkadot_sdk::{
	frame_support::traits::fungible::Inspect,
	pallet_balances,
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{
		generic::Era,
		transaction_validity::{InvalidTransaction, TransactionValidityError},
	},
};

type Balances = pallet_balances::Pallet<Runtime>;

const DENOMINATION: u128 = 10 * KMCC;
const SEED: [u8; 32] = [3; 32];

fn secret(counter: u32) -> ring::Scalar {
	mixer::deposit_secret(&SEED, &[0; 32], DENOMINATION, counter)
}

#[test]
fn a_withdrawal_is_an_authorized_transaction_that_pays_exactly_once() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1, 1);
		let depositors = [
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			Sr25519Keyring::Charlie,
			Sr25519Keyring::Dave,
		];
		for counter in 0..8u32 {
			let who = depositors[counter as usize % 4];
			let call: RuntimeCall = pallet_mixer::Call::deposit {
				denomination: DENOMINATION,
				key: mixer::deposit_key(&secret(counter)),
			}
			.into();
			let xt = signed(who, call, counter / 4, 0);
			assert_eq!(Executive::apply_extrinsic(xt).expect("valid"), Ok(()));
		}
		let pool = Mixer::account_id();
		assert_eq!(Balances::balance(&pool), 8 * DENOMINATION);

		// Deposit 5 withdraws to a fresh account through Ferdie as relayer.
		let recipient = AccountId::new([77; 32]);
		let relayer = Sr25519Keyring::Ferdie.to_account_id();
		let relayer_before = Balances::balance(&relayer);
		let indices: Vec<u32> = vec![0, 2, 3, 5, 6, 7];
		let withdrawal = pallet_mixer::Withdrawal {
			denomination: DENOMINATION,
			ring: indices.clone().try_into().unwrap(),
			recipient: recipient.clone(),
			relayer: Some(relayer.clone()),
			fee: KMCC / 10,
			announcement: None,
		};
		let keys: Vec<[u8; 32]> = indices.iter().map(|i| mixer::deposit_key(&secret(*i))).collect();
		let message = Mixer::withdrawal_message(&withdrawal);
		let mut counter = 0u8;
		let signature = ring::sign(&keys, 3, &secret(5), &message, || {
			counter += 1;
			[counter; 64]
		})
		.unwrap();
		let call: RuntimeCall =
			pallet_mixer::Call::withdraw { withdrawal, signature: signature.try_into().unwrap() }
				.into();
		// A general transaction: extensions but no signer; the nonce and tip are ignored.
		let xt: UncheckedExtrinsic =
			GenericUncheckedExtrinsic::new_transaction(call, tx_extension(Era::Immortal, 0, 0))
				.into();

		assert_eq!(Executive::apply_extrinsic(xt.clone()).expect("authorized"), Ok(()));
		assert_eq!(Balances::balance(&recipient), DENOMINATION - KMCC / 10);
		assert_eq!(Balances::balance(&relayer), relayer_before + KMCC / 10);
		assert_eq!(Balances::balance(&pool), 7 * DENOMINATION);
		let image = ring::key_image(&secret(5), &mixer::deposit_key(&secret(5)));
		assert!(pallet_mixer::SpentKeyImages::<Runtime>::contains_key(image));

		// The same transaction again: its key image is spent.
		let spent = pallet_mixer::Error::<Runtime>::module_error_index(
			&pallet_mixer::Error::<Runtime>::KeyImageSpent,
		);
		assert_eq!(
			Executive::apply_extrinsic(xt),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(spent)))
		);
		assert_eq!(Balances::balance(&pool), 7 * DENOMINATION);
	});
}

/// The weight of one ring-16 withdrawal (base extrinsic, extensions with the authorization,
/// the call with a stealth announcement) and how many fit the normal class of a block; the
/// figure the README quotes.
#[test]
fn a_block_holds_over_a_hundred_ring_16_withdrawals() {
	use polkadot_sdk::frame_support::dispatch::{DispatchClass, GetDispatchInfo};
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let ring: Vec<u32> = (0..16).collect();
		let call: RuntimeCall = pallet_mixer::Call::withdraw {
			withdrawal: pallet_mixer::Withdrawal {
				denomination: DENOMINATION,
				ring: ring.try_into().unwrap(),
				recipient: AccountId::new([1; 32]),
				relayer: Some(AccountId::new([2; 32])),
				fee: 1,
				announcement: Some(pallet_mixer::StealthNote {
					ephemeral: kmcc_privacy::BASEPOINT,
					view_tag: 0,
				}),
			},
			signature: vec![0u8; 32 * 18].try_into().unwrap(),
		}
		.into();
		let xt: UncheckedExtrinsic =
			GenericUncheckedExtrinsic::new_transaction(call, tx_extension(Era::Immortal, 0, 0)).into();
		let info = xt.get_dispatch_info();
		let weights = <Runtime as polkadot_sdk::frame_system::Config>::BlockWeights::get();
		let normal = weights.get(DispatchClass::Normal);
		let one = info.total_weight().saturating_add(normal.base_extrinsic);
		let per_block = normal.max_total.unwrap().ref_time() / one.ref_time();
		println!(
			"ring-16 withdrawal: call {} µs, extensions with authorization {} µs, total {} µs; {} per block",
			info.call_weight.ref_time() / 1_000_000,
			info.extension_weight.ref_time() / 1_000_000,
			one.ref_time() / 1_000_000,
			per_block
		);
		// The authorization (the ring signature) is part of the extensions' weight.
		let authorize = <pallet_mixer::weights::SubstrateWeight<Runtime> as pallet_mixer::WeightInfo>::authorize_withdraw(16);
		assert!(info.extension_weight.ref_time() >= authorize.ref_time());
		assert!(per_block >= 100, "{per_block} ring-16 withdrawals per block");
	});
}

/// Spec 111 on a chain that ran spec 110 (no `Mixer` storage): the runtime's migrations open
/// the four pools with mainnet's parameters, once.
#[test]
fn the_upgrade_to_spec_111_opens_the_pools_with_mainnet_parameters() {
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let _ = pallet_mixer::Pools::<Runtime>::clear(u32::MAX, None);
		pallet_mixer::Parameters::<Runtime>::kill();
		StorageVersion::new(0).put::<Mixer>();

		kmcc_runtime::migrations::SingleBlockMigrations::on_runtime_upgrade();

		assert_eq!(Mixer::on_chain_storage_version(), 1);
		assert_eq!(
			pallet_mixer::Parameters::<Runtime>::get(),
			kmcc_runtime::configs::privacy::MAINNET_MIXER_PARAMETERS
		);
		let denominations: Vec<u128> = Mixer::pools().iter().map(|p| p.denomination).collect();
		assert_eq!(denominations, kmcc_runtime::configs::privacy::mixer_denominations());
		// A second run changes nothing.
		pallet_mixer::Parameters::<Runtime>::mutate(|p| p.min_ring = 20);
		kmcc_runtime::migrations::SingleBlockMigrations::on_runtime_upgrade();
		assert_eq!(pallet_mixer::Parameters::<Runtime>::get().min_ring, 20);
	});
}
