//! Masternodes in the real runtime (design §4): `Issuance`'s masternode share goes through the
//! payment queue.

use crate::common::{finish_block, preset_ext, start_block};
use kmcc_runtime::{
	configs::monetary::MasternodeRewardPot,
	genesis_config_presets::DEV_MASTERNODE_COLLATERAL,
	pallet_kmcc_issuance::{EmissionSplit, KMCC_EMISSION_SCHEDULE},
	pallet_masternodes::{self, crypto::OperatorId},
	Balances, Masternodes, RuntimeOrigin,
};
use polkadot_sdk::{
	frame_support::traits::fungible::InspectHold,
	sp_core::{sr25519, Pair},
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_keyring::Sr25519Keyring,
};

fn operator(seed: &str) -> sr25519::Pair {
	sr25519::Pair::from_string(seed, None).unwrap()
}

#[test]
fn the_masternode_share_pays_the_queue_in_turn() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1, 1);
		let owners = [Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Dave];
		for (i, owner) in owners.iter().enumerate() {
			let who = owner.to_account_id();
			let key = operator(&format!("//MN{i}"));
			assert!(Masternodes::register(
				RuntimeOrigin::signed(who.clone()),
				OperatorId::from(key.public()),
				who.clone().into(),
				b"/dns/mn.example/tcp/30333".to_vec().try_into().unwrap(),
				key.sign(&pallet_masternodes::operator_ownership_payload(&who)).into(),
			)
			.is_ok());
			let held = <Balances as InspectHold<_>>::balance_on_hold(
				&kmcc_runtime::RuntimeHoldReason::Masternodes(
					pallet_masternodes::HoldReason::Collateral,
				),
				&who,
			);
			assert_eq!(held, DEV_MASTERNODE_COLLATERAL);
		}
		finish_block(1);
		let before: Vec<u128> =
			owners.iter().map(|o| Balances::free_balance(o.to_account_id())).collect();
		let pot = Balances::free_balance(MasternodeRewardPot::get());
		let mut expected = [0u128; 3];
		for n in 2..=7u32 {
			start_block(n, u64::from(n));
			let share = EmissionSplit::default()
				.apportion(KMCC_EMISSION_SCHEDULE.reward_at(n.into()))
				.masternodes;
			// Registered in block 1 in order: paid 0, 1, 2, 0, 1, 2.
			expected[((n - 2) % 3) as usize] += share;
			finish_block(u64::from(n));
		}
		for (i, owner) in owners.iter().enumerate() {
			assert_eq!(Balances::free_balance(owner.to_account_id()) - before[i], expected[i]);
		}
		assert_eq!(Balances::free_balance(MasternodeRewardPot::get()), pot);
		let estimate = Masternodes::estimated_income(1);
		assert_eq!(estimate.enabled_masternodes, 3);
		assert_eq!(
			estimate.daily_income,
			estimate.share_per_block * u128::from(kmcc_runtime::time::DAYS) / 3
		);
	});
}
