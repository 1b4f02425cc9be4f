//! Placeholder until `scripts/bench-runtime.sh pallets pallet_treasury` runs.
pub type WeightInfo<T> = polkadot_sdk::pallet_treasury::weights::SubstrateWeight<T>;
