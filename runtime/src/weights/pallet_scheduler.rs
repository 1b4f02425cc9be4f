//! Placeholder until `scripts/bench-runtime.sh pallets pallet_scheduler` runs.
pub type WeightInfo<T> = polkadot_sdk::pallet_scheduler::weights::SubstrateWeight<T>;
