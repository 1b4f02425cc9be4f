//! Placeholder until `scripts/bench-runtime.sh pallets pallet_proxy` runs.
pub type WeightInfo<T> = polkadot_sdk::pallet_proxy::weights::SubstrateWeight<T>;
