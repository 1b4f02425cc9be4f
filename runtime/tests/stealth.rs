//! Stealth payments through the real runtime: Bob publishes a meta-address, Alice pays it with
//! `kmcc-privacy`, Bob finds the payment through the runtime API with his view key and spends
//! it with an ordinary signed extrinsic of the one-time account.

use codec::Encode;

use crate::common::{preset_ext, signed, start_block};
use kmcc_privacy::{
	schnorrkel::{ExpansionMode, Keypair, MiniSecretKey},
	MetaAddress,
};
use kmcc_runtime::{
	tx_extension, AccountId, BalancesCall, Executive, GenericUncheckedExtrinsic, Runtime,
	RuntimeCall, SignedPayload, Stealth, UncheckedExtrinsic, KMCC,
};
use polkadot_sdk::{
	frame_support::traits::fungible::Inspect,
	pallet_balances,
	sp_core::{sr25519, Pair},
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_keyring::Sr25519Keyring,
	sp_runtime::generic::Era,
};

type Balances = pallet_balances::Pallet<Runtime>;

fn keypair(seed: [u8; 32]) -> Keypair {
	MiniSecretKey::from_bytes(&seed).unwrap().expand_to_keypair(ExpansionMode::Ed25519)
}

fn apply(xt: UncheckedExtrinsic) {
	let result = Executive::apply_extrinsic(xt).expect("valid transaction");
	assert_eq!(result, Ok(()), "dispatch");
}

#[test]
fn a_stealth_payment_is_found_with_the_view_key_and_spent_by_the_one_time_account() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1, 1);
		let (view, spend) = (keypair([11; 32]), keypair([12; 32]));
		let bob = Sr25519Keyring::Bob.to_account_id();

		apply(signed(
			Sr25519Keyring::Bob,
			kmcc_runtime::pallet_stealth::Call::register_meta_address {
				view: view.public.to_bytes(),
				spend: spend.public.to_bytes(),
			}
			.into(),
			0,
			0,
		));
		// Alice looks Bob's meta-address up by account and pays it twice.
		let (view_key, spend_key) = Stealth::meta_address(&bob).map(|m| (m.view, m.spend)).unwrap();
		let meta = MetaAddress { view: view_key, spend: spend_key };
		let mut one_time_accounts = Vec::new();
		for (nonce, r) in [(0u32, [21u8; 64]), (1, [22; 64])] {
			let announcement = kmcc_privacy::announce(&meta, &r, 0).unwrap();
			let one_time = AccountId::from(announcement.one_time);
			apply(signed(
				Sr25519Keyring::Alice,
				kmcc_runtime::pallet_stealth::Call::transfer_stealth {
					one_time: one_time.clone(),
					ephemeral: announcement.ephemeral,
					view_tag: announcement.view_tag,
					amount: 10 * KMCC,
				}
				.into(),
				nonce,
				0,
			));
			one_time_accounts.push(one_time);
		}
		assert_ne!(one_time_accounts[0], one_time_accounts[1]);
		assert!(!one_time_accounts.contains(&bob));

		// Bob scans the index with the view secret only: exactly his two payments.
		let page = Stealth::announcements(0, 100);
		let found: Vec<(AccountId, [u8; 32])> = page
			.items
			.iter()
			.filter_map(|(_, record)| {
				let announcement = kmcc_privacy::Announcement {
					ephemeral: record.ephemeral,
					one_time: record.one_time.clone().into(),
					view_tag: record.view_tag,
				};
				kmcc_privacy::scan(&view.secret, &spend_key, &announcement, 0)
					.map(|chain_code| (record.one_time.clone(), chain_code))
			})
			.collect();
		assert_eq!(found.iter().map(|(a, _)| a.clone()).collect::<Vec<_>>(), one_time_accounts);
		// Another view key finds nothing.
		let charlie_view = keypair([31; 32]);
		assert!(page.items.iter().all(|(_, record)| {
			let announcement = kmcc_privacy::Announcement {
				ephemeral: record.ephemeral,
				one_time: record.one_time.clone().into(),
				view_tag: record.view_tag,
			};
			kmcc_privacy::scan(&charlie_view.secret, &spend_key, &announcement, 0).is_none()
		}));

		// The one-time account signs an ordinary transfer with its derived secret.
		let (one_time, chain_code) = found[0].clone();
		let pair = sr25519::Pair::from(kmcc_privacy::one_time_secret(&spend, chain_code).unwrap());
		assert_eq!(AccountId::from(pair.public()), one_time);
		let call: RuntimeCall = BalancesCall::transfer_keep_alive {
			dest: Sr25519Keyring::Charlie.to_account_id().into(),
			value: 4 * KMCC,
		}
		.into();
		let extension = tx_extension(Era::Immortal, 0, 0);
		let payload = SignedPayload::new(call.clone(), extension.clone()).unwrap();
		let signature = payload.using_encoded(|bytes| pair.sign(bytes));
		let charlie_before = Balances::balance(&Sr25519Keyring::Charlie.to_account_id());
		apply(
			GenericUncheckedExtrinsic::new_signed(
				call,
				one_time.clone().into(),
				signature.into(),
				extension,
			)
			.into(),
		);
		assert_eq!(
			Balances::balance(&Sr25519Keyring::Charlie.to_account_id()),
			charlie_before + 4 * KMCC
		);
		assert!(Balances::balance(&one_time) < 6 * KMCC, "the fee came from the one-time account");
	});
}
