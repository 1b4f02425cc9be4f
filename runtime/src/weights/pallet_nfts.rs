//! Placeholder until `scripts/bench-runtime.sh pallets pallet_nfts` runs.
pub type WeightInfo<T> = polkadot_sdk::pallet_nfts::weights::SubstrateWeight<T>;
