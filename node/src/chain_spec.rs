//! Built-in chain specifications, one per runtime genesis preset.
//!
//! `kmcc-node build-spec --chain <id>` prints them; `chain-specs/` holds the committed
//! testnet (raw) and mainnet template (plain) built from them by
//! `scripts/build-chain-specs.sh`.

use kmcc_primitives::currency::{DECIMALS, TOKEN_SYMBOL};
use kmcc_runtime::{
	configs::SS58_PREFIX,
	genesis_config_presets::{MAINNET_TEMPLATE_PRESET, TESTNET_PRESET},
	WASM_BINARY,
};
use polkadot_sdk::{
	sc_service::{ChainType, Properties},
	sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
};

/// The chain specification type of KMCC Chain (no client extensions).
pub type ChainSpec = polkadot_sdk::sc_service::GenericChainSpec;

/// libp2p protocol id, distinct from other Substrate chains.
const PROTOCOL_ID: &str = "kmcc";

/// Chain properties wallets read: token symbol, decimals and SS58 prefix (SPEC §11).
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
	let code = WASM_BINARY.ok_or_else(|| "the runtime WASM binary was not built".to_string())?;
	Ok(ChainSpec::builder(code, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_protocol_id(PROTOCOL_ID)
		.with_genesis_config_preset_name(preset)
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

/// `--chain mainnet-template`: the SPEC §2 genesis allocation on placeholder accounts, to be
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
		for spec in [development(), local_testnet(), testnet(), mainnet_template()] {
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
}
