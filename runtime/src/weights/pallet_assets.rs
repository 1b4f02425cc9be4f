//! Placeholder until `scripts/bench-runtime.sh pallets pallet_assets` runs.
pub type WeightInfo<T> = polkadot_sdk::pallet_assets::weights::SubstrateWeight<T>;
