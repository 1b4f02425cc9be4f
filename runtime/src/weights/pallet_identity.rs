//! Placeholder until `scripts/bench-runtime.sh pallets pallet_identity` runs.
pub type WeightInfo<T> = polkadot_sdk::pallet_identity::weights::SubstrateWeight<T>;
