//! Placeholder until `scripts/bench-runtime.sh pallets pallet_multisig` runs.
pub type WeightInfo<T> = polkadot_sdk::pallet_multisig::weights::SubstrateWeight<T>;
