//! Placeholder until `scripts/bench-runtime.sh pallets pallet_conviction_voting` runs.
pub type WeightInfo<T> = polkadot_sdk::pallet_conviction_voting::weights::SubstrateWeight<T>;
