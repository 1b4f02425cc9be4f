//! Built-in chain specifications, one per runtime genesis preset.
//!
//! `kmcc-node build-spec --chain <id>` prints them; `chain-specs/` holds the committed
//! testnet (raw) and mainnet template (plain) built from them by
//! `scripts/build-chain-specs.sh`.

use kmcc_primitives::{
	bench_accounts::{bench_accounts, BENCH_ACCOUNT_COUNT, BENCH_ENDOWMENT},
	currency::{DECIMALS, TOKEN_SYMBOL},
};
use kmcc_runtime::{
	configs::SS58_PREFIX,
	genesis_config_presets::{DEV_ENDOWMENT, MAINNET_TEMPLATE_PRESET, TESTNET_PRESET},
	WASM_BINARY,
};
use polkadot_sdk::{
	sc_service::{ChainType, Properties},
	sp_core::crypto::{Ss58AddressFormatRegistry, Ss58Codec},
	sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
	sp_keyring::Sr25519Keyring,
};

/// The chain specification type of KMCC Chain (no client extensions).
pub type ChainSpec = polkadot_sdk::sc_service::GenericChainSpec;

/// libp2p protocol id, distinct from other Substrate chains.
const PROTOCOL_ID: &str = "kmcc";

/// Chain properties wallets read: token symbol, decimals and SS58 prefix.
pub fn chain_properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

fn from_preset(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
	patched_preset(name, id, chain_type, preset, serde_json::json!({}))
}

/// The runtime preset `preset` with the JSON `patch` merged into it (`{}`: unchanged).
fn patched_preset(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
	patch: serde_json::Value,
) -> Result<ChainSpec, String> {
	let code = WASM_BINARY.ok_or_else(|| "the runtime WASM binary was not built".to_string())?;
	Ok(ChainSpec::builder(code, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_protocol_id(PROTOCOL_ID)
		.with_genesis_config_preset_name(preset)
		.with_genesis_config_patch(patch)
		.with_properties(chain_properties())
		.build())
}

/// `--dev`: one validator (Alice), dev accounts endowed, Alice is sudo.
pub fn development() -> Result<ChainSpec, String> {
	from_preset("KMCC Development", "kmcc_dev", ChainType::Development, DEV_RUNTIME_PRESET)
}

/// `--chain local`: Alice, Bob, Charlie and Dave validate on one machine.
pub fn local_testnet() -> Result<ChainSpec, String> {
	from_preset("KMCC Local Testnet", "kmcc_local", ChainType::Local, LOCAL_TESTNET_RUNTIME_PRESET)
}

/// `--chain testnet`: the public testnet (4 validators).
pub fn testnet() -> Result<ChainSpec, String> {
	from_preset("KMCC Testnet", "kmcc_testnet", ChainType::Live, TESTNET_PRESET)
}

/// The `dev` or `local` preset with [`BENCH_ACCOUNT_COUNT`] more accounts endowed with
/// [`BENCH_ENDOWMENT`] each (see [`kmcc_primitives::bench_accounts`]), so `kmcc-bench` can
/// sign from thousands of senders without funding them first.
///
/// The accounts are derived natively here (sr25519 derivation is not available to the
/// runtime's `no_std` preset code) and merged into the preset's `balances` as a patch.
fn bench_spec(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
	let dev_accounts = Sr25519Keyring::iter().map(|k| (k.to_account_id(), DEV_ENDOWMENT));
	let bench = bench_accounts(BENCH_ACCOUNT_COUNT).into_iter().map(|a| (a, BENCH_ENDOWMENT));
	// Addresses in the generic format (prefix 42): the runtime's JSON parser accepts it,
	// while the node's default format here is KMCC's own 7788, unknown to `no_std` code.
	let balances: Vec<_> = dev_accounts
		.chain(bench)
		.map(|(account, amount)| {
			(
				account
					.to_ss58check_with_version(Ss58AddressFormatRegistry::SubstrateAccount.into()),
				amount,
			)
		})
		.collect();
	let patch = serde_json::json!({ "balances": { "balances": balances } });
	patched_preset(name, id, chain_type, preset, patch)
}

/// `--chain bench`: the dev chain (Alice validates) with the bench accounts endowed.
pub fn bench_dev() -> Result<ChainSpec, String> {
	bench_spec("KMCC Bench", "kmcc_bench", ChainType::Development, DEV_RUNTIME_PRESET)
}

/// `--chain bench-local`: the 4-validator local network with the bench accounts endowed.
pub fn bench_local() -> Result<ChainSpec, String> {
	bench_spec(
		"KMCC Bench Local",
		"kmcc_bench_local",
		ChainType::Local,
		LOCAL_TESTNET_RUNTIME_PRESET,
	)
}

/// `--chain mainnet-template`: the design §2 genesis allocation on placeholder accounts, to be
/// edited before launch.
pub fn mainnet_template() -> Result<ChainSpec, String> {
	from_preset("KMCC", "kmcc_mainnet", ChainType::Live, MAINNET_TEMPLATE_PRESET)
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::sp_runtime::BuildStorage;

	/// Every built-in spec builds its genesis by running the runtime WASM's preset (the
	/// `no_std` code path the node really uses), and carries the wallet properties.
	#[test]
	fn built_in_specs_build_genesis_in_wasm() {
		for spec in [
			development(),
			local_testnet(),
			testnet(),
			mainnet_template(),
			bench_dev(),
			bench_local(),
		] {
			let spec = spec.expect("spec");
			let storage = spec.build_storage().expect("genesis builds");
			assert!(storage
				.top
				.contains_key(polkadot_sdk::sp_core::storage::well_known_keys::CODE));
			let props = spec.properties();
			assert_eq!(props["tokenSymbol"], "KMCC");
			assert_eq!(props["tokenDecimals"], 18);
			assert_eq!(props["ss58Format"], SS58_PREFIX);
		}
	}

	/// The bench chain endows every bench account on top of the dev accounts.
	#[test]
	fn bench_chain_endows_the_bench_accounts() {
		let storage = bench_dev().expect("spec").build_storage().expect("genesis builds");
		let last = bench_accounts(BENCH_ACCOUNT_COUNT).pop().expect("accounts");
		let key = [
			polkadot_sdk::sp_io::hashing::twox_128(b"System").as_slice(),
			&polkadot_sdk::sp_io::hashing::twox_128(b"Account"),
			&polkadot_sdk::sp_io::hashing::blake2_128(last.as_ref()),
			last.as_ref(),
		]
		.concat();
		let account = storage.top.get(&key).expect("the last bench account exists");
		// AccountInfo: nonce, consumers, providers, sufficients (4 × u32), then free.
		let free = u128::from_le_bytes(account[16..32].try_into().expect("16 bytes"));
		assert_eq!(free, BENCH_ENDOWMENT);
	}
}
