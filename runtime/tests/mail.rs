//! Mail through the real runtime (design §10): an alias, a message with a paid attachment in
//! the sender's space, the postage burned and paid to the storage pool through `Issuance`,
//! the escrow released by the committed key; and the migration that adds the pallet.

use crate::common::{finish_block, preset_ext, signed, start_block};
use kmcc_runtime::{
	pallet_kmcc_issuance, pallet_mail, pallet_storage_spaces, Balances, Executive, Mail, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeHoldReason, StorageSpaces, System,
};
use polkadot_sdk::{
	frame_support::traits::fungible::InspectHold,
	sp_core::{sr25519, Pair, H256},
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_keyring::Sr25519Keyring,
};

const LANDLORDS: [Sr25519Keyring; 4] =
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Dave];

fn apply(xt: kmcc_runtime::UncheckedExtrinsic) {
	let outcome = Executive::apply_extrinsic(xt).expect("valid transaction");
	assert!(outcome.is_ok(), "{outcome:?}");
}

fn node_pair(who: Sr25519Keyring) -> sr25519::Pair {
	sr25519::Pair::from_string(&format!("//{who:?}//storage"), None).unwrap()
}

fn held(reason: pallet_mail::HoldReason, who: Sr25519Keyring) -> u128 {
	Balances::balance_on_hold(&RuntimeHoldReason::Mail(reason), &who.to_account_id())
}

#[test]
fn a_paid_attachment_on_the_dev_chain() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let (alice, bob) = (Sr25519Keyring::Alice, Sr25519Keyring::Bob);
		start_block(1, 1);
		for who in LANDLORDS {
			let call = RuntimeCall::StorageSpaces(pallet_storage_spaces::Call::register_landlord {
				node: pallet_storage_spaces::crypto::NodeId::from(node_pair(who).public()),
				capacity_mib: 64,
				endpoint: b"/ip4/127.0.0.1/tcp/4000".to_vec().try_into().unwrap(),
				ownership: node_pair(who)
					.sign(&pallet_storage_spaces::node_ownership_payload(&who.to_account_id()))
					.into(),
			});
			apply(signed(who, call, 0, 0));
		}
		finish_block(1);
		start_block(2, 2);
		let buy = RuntimeCall::StorageSpaces(pallet_storage_spaces::Call::buy_space {
			size_mib: 8,
			days: 1,
			max_price: u128::MAX,
		});
		apply(signed(bob, buy, 1, 0));
		let space = StorageSpaces::spaces_of(bob.to_account_id())[0].id;
		let register = RuntimeCall::Mail(pallet_mail::Call::register_alias {
			name: b"alice".to_vec(),
			encryption_key: [5; 32],
		});
		apply(signed(alice, register, 1, 0));
		assert_eq!(held(pallet_mail::HoldReason::Alias, alice), kmcc_runtime::KMCC);

		// Bob sends Alice a message with a 3 MiB paid attachment.
		let k2 = [0x42; 32];
		let price = 5 * kmcc_runtime::KMCC;
		let postage = Mail::required_postage(&alice.to_account_id());
		let pool = StorageSpaces::pool_account();
		let (pool_before, burned_before) =
			(Balances::free_balance(&pool), pallet_kmcc_issuance::Burned::<Runtime>::get());
		let send = RuntimeCall::Mail(pallet_mail::Call::send {
			to: pallet_mail::Recipient::Alias(b"alice".to_vec()),
			ciphertext: vec![9; 300],
			attachment: Some(pallet_mail::Attachment {
				space,
				offset: 0,
				length: 3 << 20,
				content_hash: H256::repeat_byte(1),
				terms: Some(pallet_mail::PaidTerms {
					price,
					key_commitment: pallet_mail::key_commitment(&k2),
				}),
			}),
			postage,
		});
		apply(signed(bob, send, 2, 0));
		// `Issuance` burns 80 % of the postage, as far as the 1 B floor allows (a young chain
		// is below it, so the floor keeps it all), and the rest goes to the storage pool (the
		// transaction fee goes to the author).
		let burned = pallet_kmcc_issuance::Burned::<Runtime>::get() - burned_before;
		assert!(System::events().iter().any(|r| matches!(&r.event,
			RuntimeEvent::Issuance(pallet_kmcc_issuance::Event::FeesBurned {
				fee, burn_requested, burned: b, held_by_floor
			}) if *fee == postage && *burn_requested == postage * 8 / 10 && *b == burned
				&& *held_by_floor == burn_requested - burned)));
		assert_eq!(Balances::free_balance(&pool) - pool_before, postage - burned);
		assert_eq!(held(pallet_mail::HoldReason::MessageDeposit, bob), Mail::deposit_for(300));
		// The recipient may read the space already: the outer layer hides the content.
		assert!(pallet_storage_spaces::SpaceAccess::<Runtime>::contains_key(
			space,
			alice.to_account_id()
		));
		let page = Mail::mailbox(alice.to_account_id(), 0, 10);
		let id = page.messages[0].id;
		assert_eq!(page.messages[0].timestamp, 2_000);
		finish_block(2);

		start_block(3, 3);
		apply(signed(alice, RuntimeCall::Mail(pallet_mail::Call::pay_attachment { id }), 2, 0));
		assert_eq!(held(pallet_mail::HoldReason::AttachmentEscrow, alice), price);
		let bob_before = Balances::free_balance(bob.to_account_id());
		apply(signed(bob, RuntimeCall::Mail(pallet_mail::Call::deliver_key { id, key: k2 }), 3, 0));
		assert_eq!(held(pallet_mail::HoldReason::AttachmentEscrow, alice), 0);
		let fee = System::events()
			.iter()
			.rev()
			.find_map(|r| match &r.event {
				RuntimeEvent::TransactionPayment(
					polkadot_sdk::pallet_transaction_payment::Event::TransactionFeePaid {
						actual_fee,
						..
					},
				) => Some(*actual_fee),
				_ => None,
			})
			.unwrap();
		assert_eq!(Balances::free_balance(bob.to_account_id()), bob_before + price - fee);
		assert!(System::events().iter().any(|r| matches!(&r.event,
			RuntimeEvent::Mail(pallet_mail::Event::KeyDelivered { key, amount, .. })
				if *key == k2 && *amount == price)));
		finish_block(3);
	});
}

/// Spec 112 on a chain that ran spec 111 (no `Mail` storage): the runtime's migrations set
/// mainnet's mail parameters, once.
#[test]
fn the_upgrade_to_spec_112_sets_the_mail_parameters() {
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		pallet_mail::Parameters::<Runtime>::kill();
		StorageVersion::new(0).put::<Mail>();

		kmcc_runtime::migrations::SingleBlockMigrations::on_runtime_upgrade();

		assert_eq!(Mail::on_chain_storage_version(), 1);
		assert_eq!(
			pallet_mail::Parameters::<Runtime>::get(),
			kmcc_runtime::configs::mail::MAINNET_MAIL_PARAMETERS
		);
		pallet_mail::Parameters::<Runtime>::mutate(|p| p.delivery_timeout = 3);
		kmcc_runtime::migrations::SingleBlockMigrations::on_runtime_upgrade();
		assert_eq!(pallet_mail::Parameters::<Runtime>::get().delivery_timeout, 3);
	});
}
