//! PLACEHOLDER until scripts/bench-pallets.sh generates this file.
#![allow(missing_docs)]
use core::marker::PhantomData;
use polkadot_sdk::frame_support::weights::Weight;
pub trait WeightInfo {
	fn register() -> Weight;
	fn heartbeat() -> Weight;
	fn authorize_heartbeat() -> Weight;
	fn revive(q: u32) -> Weight;
	fn deregister(q: u32) -> Weight;
	fn withdraw_collateral() -> Weight;
	fn pay_share(q: u32) -> Weight;
	fn check_heartbeats(q: u32) -> Weight;
}
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register() -> Weight {
		Weight::from_parts(1, 1)
	}
	fn heartbeat() -> Weight {
		Weight::from_parts(1, 1)
	}
	fn authorize_heartbeat() -> Weight {
		Weight::from_parts(1, 1)
	}
	fn revive(_q: u32) -> Weight {
		Weight::from_parts(1, 1)
	}
	fn deregister(_q: u32) -> Weight {
		Weight::from_parts(1, 1)
	}
	fn withdraw_collateral() -> Weight {
		Weight::from_parts(1, 1)
	}
	fn pay_share(_q: u32) -> Weight {
		Weight::from_parts(1, 1)
	}
	fn check_heartbeats(_q: u32) -> Weight {
		Weight::from_parts(1, 1)
	}
}
impl WeightInfo for () {
	fn register() -> Weight {
		Weight::from_parts(1, 1)
	}
	fn heartbeat() -> Weight {
		Weight::from_parts(1, 1)
	}
	fn authorize_heartbeat() -> Weight {
		Weight::from_parts(1, 1)
	}
	fn revive(_q: u32) -> Weight {
		Weight::from_parts(1, 1)
	}
	fn deregister(_q: u32) -> Weight {
		Weight::from_parts(1, 1)
	}
	fn withdraw_collateral() -> Weight {
		Weight::from_parts(1, 1)
	}
	fn pay_share(_q: u32) -> Weight {
		Weight::from_parts(1, 1)
	}
	fn check_heartbeats(_q: u32) -> Weight {
		Weight::from_parts(1, 1)
	}
}
