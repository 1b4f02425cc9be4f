//! Placeholder until `scripts/bench-runtime.sh pallets pallet_collective` runs.
pub type WeightInfo<T> = polkadot_sdk::pallet_collective::weights::SubstrateWeight<T>;
