//! Placeholder until `scripts/bench-pallets.sh storage-spaces` generates this file.

use core::marker::PhantomData;
use polkadot_sdk::frame_support::weights::Weight;

pub trait WeightInfo {
	fn register_landlord(l: u32, g: u32) -> Weight;
	fn add_capacity(l: u32, g: u32) -> Weight;
	fn leave(l: u32, g: u32) -> Weight;
	fn withdraw_collateral() -> Weight;
	fn donate() -> Weight;
	fn buy_space(r: u32, s: u32) -> Weight;
	fn extend() -> Weight;
	fn resize(r: u32, s: u32) -> Weight;
	fn unlock() -> Weight;
	fn grant_access() -> Weight;
	fn revoke_access() -> Weight;
	fn submit_space_proof(v: u32) -> Weight;
	fn report_unavailable() -> Weight;
	fn set_parameters() -> Weight;
	fn settle_rent(b: u32) -> Weight;
	fn close_round(g: u32, l: u32) -> Weight;
	fn update_price() -> Weight;
}
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T> WeightInfo for SubstrateWeight<T> {
	fn register_landlord(_l: u32, _g: u32) -> Weight {
		Weight::zero()
	}
	fn add_capacity(_l: u32, _g: u32) -> Weight {
		Weight::zero()
	}
	fn leave(_l: u32, _g: u32) -> Weight {
		Weight::zero()
	}
	fn withdraw_collateral() -> Weight {
		Weight::zero()
	}
	fn donate() -> Weight {
		Weight::zero()
	}
	fn buy_space(_r: u32, _s: u32) -> Weight {
		Weight::zero()
	}
	fn extend() -> Weight {
		Weight::zero()
	}
	fn resize(_r: u32, _s: u32) -> Weight {
		Weight::zero()
	}
	fn unlock() -> Weight {
		Weight::zero()
	}
	fn grant_access() -> Weight {
		Weight::zero()
	}
	fn revoke_access() -> Weight {
		Weight::zero()
	}
	fn submit_space_proof(_v: u32) -> Weight {
		Weight::zero()
	}
	fn report_unavailable() -> Weight {
		Weight::zero()
	}
	fn set_parameters() -> Weight {
		Weight::zero()
	}
	fn settle_rent(_b: u32) -> Weight {
		Weight::zero()
	}
	fn close_round(_g: u32, _l: u32) -> Weight {
		Weight::zero()
	}
	fn update_price() -> Weight {
		Weight::zero()
	}
}
impl WeightInfo for () {
	fn register_landlord(_l: u32, _g: u32) -> Weight {
		Weight::zero()
	}
	fn add_capacity(_l: u32, _g: u32) -> Weight {
		Weight::zero()
	}
	fn leave(_l: u32, _g: u32) -> Weight {
		Weight::zero()
	}
	fn withdraw_collateral() -> Weight {
		Weight::zero()
	}
	fn donate() -> Weight {
		Weight::zero()
	}
	fn buy_space(_r: u32, _s: u32) -> Weight {
		Weight::zero()
	}
	fn extend() -> Weight {
		Weight::zero()
	}
	fn resize(_r: u32, _s: u32) -> Weight {
		Weight::zero()
	}
	fn unlock() -> Weight {
		Weight::zero()
	}
	fn grant_access() -> Weight {
		Weight::zero()
	}
	fn revoke_access() -> Weight {
		Weight::zero()
	}
	fn submit_space_proof(_v: u32) -> Weight {
		Weight::zero()
	}
	fn report_unavailable() -> Weight {
		Weight::zero()
	}
	fn set_parameters() -> Weight {
		Weight::zero()
	}
	fn settle_rent(_b: u32) -> Weight {
		Weight::zero()
	}
	fn close_round(_g: u32, _l: u32) -> Weight {
		Weight::zero()
	}
	fn update_price() -> Weight {
		Weight::zero()
	}
}
