//! Placeholder until `scripts/bench-runtime.sh pallets pallet_recovery` runs.
pub type WeightInfo<T> = polkadot_sdk::pallet_recovery::weights::SubstrateWeight<T>;
