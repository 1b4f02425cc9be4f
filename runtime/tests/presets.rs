//! Every genesis preset builds, and the presets hold what the node's chain specs promise.

use crate::common::preset_ext;
use kmcc_runtime::{
	genesis_config_presets::{
		get_preset, preset_names, DEV_ENDOWMENT, MAINNET_TEMPLATE_PRESET, TESTNET_PRESET,
	},
	Runtime,
};
use polkadot_sdk::{
	pallet_grandpa, pallet_session, pallet_sudo,
	sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
	sp_keyring::Sr25519Keyring,
};

#[test]
fn all_presets_are_listed_and_serialize() {
	let names = preset_names();
	for id in
		[DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET, TESTNET_PRESET, MAINNET_TEMPLATE_PRESET]
	{
		assert!(names.contains(&PresetId::from(id)), "{id} listed");
		let json = get_preset(&PresetId::from(id)).expect("preset exists");
		let value: serde_json::Value = serde_json::from_slice(&json).expect("valid JSON");
		assert!(value.get("balances").is_some(), "{id} has balances");
	}
	assert!(get_preset(&PresetId::from("nonexistent")).is_none());
}

#[test]
fn dev_has_one_validator_and_endowed_accounts() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert_eq!(pallet_session::Validators::<Runtime>::get(), vec![alice.clone()]);
		assert_eq!(polkadot_sdk::pallet_aura::Authorities::<Runtime>::get().len(), 1);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 1);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice));
		assert_eq!(
			kmcc_runtime::Balances::free_balance(Sr25519Keyring::Bob.to_account_id()),
			DEV_ENDOWMENT
		);
	});
}

#[test]
fn local_and_testnet_have_four_validators() {
	for preset in [LOCAL_TESTNET_RUNTIME_PRESET, TESTNET_PRESET] {
		preset_ext(preset).execute_with(|| {
			let expected: Vec<_> = [
				Sr25519Keyring::Alice,
				Sr25519Keyring::Bob,
				Sr25519Keyring::Charlie,
				Sr25519Keyring::Dave,
			]
			.iter()
			.map(|k| k.to_account_id())
			.collect();
			// The DPoS committee, highest backing first; all four vote in GRANDPA, the first
			// group {Alice, Dave} authors the first session.
			assert_eq!(pallet_session::Validators::<Runtime>::get(), expected);
			assert_eq!(polkadot_sdk::pallet_aura::Authorities::<Runtime>::get().len(), 2);
			assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 4);
			let groups: Vec<Vec<_>> = kmcc_runtime::Dpos::committee_summary().groups;
			assert_eq!(
				groups,
				vec![
					vec![expected[0].clone(), expected[3].clone()],
					vec![expected[1].clone(), expected[2].clone()]
				]
			);
		});
	}
}

#[test]
fn dev_beefy_keys_are_the_keyring_seeds() {
	use kmcc_runtime::genesis_config_presets::dev_beefy_key;
	use polkadot_sdk::{
		sp_consensus_beefy::ecdsa_crypto,
		sp_core::{ecdsa, Pair},
		sp_keyring::Sr25519Keyring,
	};
	use Sr25519Keyring::*;
	for who in [Alice, Bob, Charlie, Dave, Eve, Ferdie] {
		let pair = ecdsa::Pair::from_string(&who.to_seed(), None).expect("dev seed");
		let derived: ecdsa_crypto::AuthorityId = pair.public().into();
		assert_eq!(dev_beefy_key(who), derived, "{}", who.to_seed());
	}
	// A member without a listed key gets the unusable placeholder (`0x00` ‖ account).
	let one = dev_beefy_key(Sr25519Keyring::One);
	let raw: &[u8] = one.as_ref();
	assert_eq!(raw[0], 0);
	assert_eq!(&raw[1..], Sr25519Keyring::One.to_account_id().as_ref() as &[u8]);
}
