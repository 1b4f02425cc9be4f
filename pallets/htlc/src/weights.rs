//! Weights for `pallet_htlc`.
//!
//! Not generated yet: these are estimates (the storage accesses of each call, with execution
//! times of comparable calls of this runtime) until `scripts/bench-pallets.sh htlc` runs
//! with the pallet in the runtime and overwrites this file.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};

/// Weight functions needed for `pallet_htlc`.
pub trait WeightInfo {
	fn lock_native() -> Weight;
	fn lock_asset() -> Weight;
	fn claim_native(p: u32, ) -> Weight;
	fn claim_asset(p: u32, ) -> Weight;
	fn refund_native() -> Weight;
	fn refund_asset() -> Weight;
}

/// Estimated weights for `pallet_htlc`, priced with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn lock_native() -> Weight {
		Weight::from_parts(80_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn lock_asset() -> Weight {
		Weight::from_parts(110_000_000, 7_000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(7_u64))
	}
	fn claim_native(p: u32, ) -> Weight {
		Weight::from_parts(90_000_000, 6_000)
			.saturating_add(Weight::from_parts(5_000, 0).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn claim_asset(p: u32, ) -> Weight {
		Weight::from_parts(110_000_000, 7_000)
			.saturating_add(Weight::from_parts(5_000, 0).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn refund_native() -> Weight {
		Weight::from_parts(70_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn refund_asset() -> Weight {
		Weight::from_parts(110_000_000, 7_000)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
}

impl WeightInfo for () {
	fn lock_native() -> Weight { Weight::from_parts(80_000_000, 4_000).saturating_add(ParityDbWeight::get().reads_writes(4, 4)) }
	fn lock_asset() -> Weight { Weight::from_parts(110_000_000, 7_000).saturating_add(ParityDbWeight::get().reads_writes(8, 7)) }
	fn claim_native(p: u32, ) -> Weight { Weight::from_parts(90_000_000 + 5_000 * p as u64, 6_000).saturating_add(ParityDbWeight::get().reads_writes(5, 5)) }
	fn claim_asset(p: u32, ) -> Weight { Weight::from_parts(110_000_000 + 5_000 * p as u64, 7_000).saturating_add(ParityDbWeight::get().reads_writes(7, 6)) }
	fn refund_native() -> Weight { Weight::from_parts(70_000_000, 4_000).saturating_add(ParityDbWeight::get().reads_writes(4, 4)) }
	fn refund_asset() -> Weight { Weight::from_parts(110_000_000, 7_000).saturating_add(ParityDbWeight::get().reads_writes(7, 6)) }
}
