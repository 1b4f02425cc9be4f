//! PLACEHOLDER until scripts/bench-pallets.sh generates this file.
#![allow(missing_docs)]
use core::marker::PhantomData;
use polkadot_sdk::frame_support::weights::Weight;
pub trait WeightInfo {
	fn on_initialize_emission() -> Weight;
	fn on_initialize_after_emission() -> Weight;
	fn buyback_burn() -> Weight;
	fn set_split() -> Weight;
	fn set_fee_burn_share() -> Weight;
	fn set_foundation_account() -> Weight;
}
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn on_initialize_emission() -> Weight {
		Weight::from_parts(1, 1)
	}
	fn on_initialize_after_emission() -> Weight {
		Weight::from_parts(1, 1)
	}
	fn buyback_burn() -> Weight {
		Weight::from_parts(1, 1)
	}
	fn set_split() -> Weight {
		Weight::from_parts(1, 1)
	}
	fn set_fee_burn_share() -> Weight {
		Weight::from_parts(1, 1)
	}
	fn set_foundation_account() -> Weight {
		Weight::from_parts(1, 1)
	}
}
impl WeightInfo for () {
	fn on_initialize_emission() -> Weight {
		Weight::from_parts(1, 1)
	}
	fn on_initialize_after_emission() -> Weight {
		Weight::from_parts(1, 1)
	}
	fn buyback_burn() -> Weight {
		Weight::from_parts(1, 1)
	}
	fn set_split() -> Weight {
		Weight::from_parts(1, 1)
	}
	fn set_fee_burn_share() -> Weight {
		Weight::from_parts(1, 1)
	}
	fn set_foundation_account() -> Weight {
		Weight::from_parts(1, 1)
	}
}
