//! Placeholder until `scripts/bench-runtime.sh pallets pallet_referenda` runs.
pub type WeightInfo<T> = polkadot_sdk::pallet_referenda::weights::SubstrateWeight<T>;
