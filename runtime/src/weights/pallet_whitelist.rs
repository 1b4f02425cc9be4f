//! Placeholder until `scripts/bench-runtime.sh pallets pallet_whitelist` runs.
pub type WeightInfo<T> = polkadot_sdk::pallet_whitelist::weights::SubstrateWeight<T>;
