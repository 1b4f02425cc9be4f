//! Transaction fees and tips go to the block author's candidate (design §2, §3; no lessors
//! here, so the author keeps them whole), collected during the block and paid when it
//! finalizes.

use crate::common::{finish_block, preset_ext, signed, start_block};
use kmcc_runtime::{
	configs::dpos::AuraKeyOwner, currency::KMCC, pallet_dpos, Balances, BalancesCall, Executive,
	Runtime, RuntimeEvent, System,
};
use polkadot_sdk::{
	frame_system, pallet_transaction_payment, sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	sp_keyring::Sr25519Keyring,
};

/// The fee the author was paid, from the `TransactionFeePaid` event of `who`.
fn fee_paid(who: &kmcc_runtime::AccountId) -> (u128, u128) {
	System::events()
		.into_iter()
		.find_map(|r| match r.event {
			RuntimeEvent::TransactionPayment(
				pallet_transaction_payment::Event::TransactionFeePaid { who: w, actual_fee, tip },
			) if &w == who => Some((actual_fee, tip)),
			_ => None,
		})
		.expect("fee event")
}

#[test]
fn fees_and_tips_are_paid_to_the_slot_author() {
	preset_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		// Four validators; session 0 is authored by the group {Alice, Dave}: slot 6 belongs
		// to the owner of Aura's authority 6 mod 2.
		let validators = polkadot_sdk::pallet_session::Validators::<Runtime>::get();
		assert_eq!(validators.len(), 4);
		let authorities = polkadot_sdk::pallet_aura::Authorities::<Runtime>::get();
		assert_eq!(authorities.len(), 2);
		let slot = 6u64;
		let author = AuraKeyOwner::owner(&authorities[(slot % 2) as usize]).expect("owned key");
		assert!([Sr25519Keyring::Alice, Sr25519Keyring::Dave]
			.iter()
			.any(|k| k.to_account_id() == author));
		start_block(1, slot);
		assert_eq!(
			polkadot_sdk::pallet_authorship::Pallet::<Runtime>::author(),
			Some(author.clone())
		);

		let sender = Sr25519Keyring::Eve;
		let dest = Sr25519Keyring::Ferdie.to_account_id();
		let issuance = Balances::total_issuance();
		let author_before = Balances::free_balance(&author);
		let sender_before = Balances::free_balance(sender.to_account_id());
		let dest_before = Balances::free_balance(&dest);
		let tip = KMCC / 100;

		let call = BalancesCall::transfer_keep_alive { dest: dest.clone().into(), value: 5 * KMCC };
		let xt = signed(sender, call.into(), 0, tip);
		assert_eq!(Executive::apply_extrinsic(xt), Ok(Ok(())));
		let second = BalancesCall::transfer_keep_alive { dest: dest.clone().into(), value: KMCC };
		assert_eq!(Executive::apply_extrinsic(signed(sender, second.into(), 1, 0)), Ok(Ok(())));

		let fees: Vec<(u128, u128)> = System::events()
			.into_iter()
			.filter_map(|r| match r.event {
				RuntimeEvent::TransactionPayment(
					pallet_transaction_payment::Event::TransactionFeePaid {
						actual_fee, tip, ..
					},
				) => Some((actual_fee, tip)),
				_ => None,
			})
			.collect();
		let (fee, paid_tip) = fee_paid(&sender.to_account_id());
		assert_eq!(paid_tip, tip);
		assert!(fee > tip, "the fee includes the tip and a positive inclusion fee");
		let total: u128 = fees.iter().map(|(f, _)| f).sum();
		// Collected during the block, paid once when it finalizes.
		assert_eq!(Balances::free_balance(&author), author_before);
		finish_block(slot);
		assert_eq!(Balances::free_balance(&author), author_before + total);
		assert!(System::events().into_iter().any(|r| r.event
			== RuntimeEvent::Dpos(pallet_dpos::Event::BlockFeesShared {
				author: author.clone(),
				to_candidate: total,
				to_lessors: 0
			})));
		assert_eq!(
			Balances::free_balance(sender.to_account_id()),
			sender_before - 6 * KMCC - total
		);
		assert_eq!(Balances::free_balance(&dest), dest_before + 6 * KMCC);
		// Nothing is burned or minted by fees.
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(frame_system::Pallet::<Runtime>::account_nonce(sender.to_account_id()), 2);
	});
}

#[test]
fn a_simple_transfer_costs_a_few_thousandths_of_a_kmcc() {
	preset_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		start_block(1, 1);
		let call = BalancesCall::transfer_keep_alive {
			dest: Sr25519Keyring::Ferdie.to_account_id().into(),
			value: KMCC,
		};
		let xt = signed(Sr25519Keyring::Eve, call.into(), 0, 0);
		assert_eq!(Executive::apply_extrinsic(xt), Ok(Ok(())));
		let (fee, _) = fee_paid(&Sr25519Keyring::Eve.to_account_id());
		// `configs::monetary` documents 0.0078 KMCC, measured end to end.
		assert!(fee > KMCC / 1_000 && fee < KMCC / 100, "fee {fee}");
	});
}
