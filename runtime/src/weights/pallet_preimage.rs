//! Placeholder until `scripts/bench-runtime.sh pallets pallet_preimage` runs.
pub type WeightInfo<T> = polkadot_sdk::pallet_preimage::weights::SubstrateWeight<T>;
