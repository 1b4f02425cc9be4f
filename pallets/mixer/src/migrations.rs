//! Storage migrations.

use crate::{Config, MixerParameters, Pallet, Parameters};
use kmcc_primitives::Balance;
use polkadot_sdk::{
	frame_support::{
		traits::{Get, GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
		weights::Weight,
	},
	frame_system,
};

/// On a chain that adds this pallet by a runtime upgrade: opens the pools and sets the
/// parameters genesis would have set, and records storage version 1. Otherwise does nothing.
pub struct Initialize<T, Denominations, Params>(
	core::marker::PhantomData<(T, Denominations, Params)>,
);

impl<T, Denominations, Params> OnRuntimeUpgrade for Initialize<T, Denominations, Params>
where
	T: Config,
	Denominations: Get<alloc::vec::Vec<Balance>>,
	Params: Get<MixerParameters>,
{
	fn on_runtime_upgrade() -> Weight {
		let db = <T as frame_system::Config>::DbWeight::get();
		if Pallet::<T>::on_chain_storage_version() != 0 {
			return db.reads(1);
		}
		StorageVersion::new(1).put::<Pallet<T>>();
		let parameters = Params::get();
		let mut writes = 1u64;
		if Pallet::<T>::check_parameters(&parameters).is_ok() {
			Parameters::<T>::put(parameters);
			writes += 1;
		}
		let denominations = Denominations::get();
		for denomination in &denominations {
			if Pallet::<T>::open_pool(*denomination).is_ok() {
				writes += 2;
			}
		}
		db.reads_writes(2 + 2 * denominations.len() as u64, writes)
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(
		_: alloc::vec::Vec<u8>,
	) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use polkadot_sdk::frame_support::ensure;
		ensure!(Pallet::<T>::on_chain_storage_version() == 1, "Mixer storage version is not 1");
		ensure!(
			Pallet::<T>::check_parameters(&Parameters::<T>::get()).is_ok(),
			"Mixer parameters are not set"
		);
		ensure!(crate::Pools::<T>::count() > 0, "Mixer has no pool");
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{mock::*, Pools};
	use polkadot_sdk::{frame_support::parameter_types, sp_runtime::Permill};

	parameter_types! {
		pub Denominations: alloc::vec::Vec<Balance> = alloc::vec![7 * UNIT, 70 * UNIT];
		pub Params: MixerParameters =
			MixerParameters { min_ring: 3, max_ring: 5, max_fee: Permill::from_percent(1) };
	}

	#[test]
	fn initializes_a_new_pallet_once() {
		build_and_execute(|| {
			// A chain with the pallet since genesis (the runtime's genesis records version 1).
			StorageVersion::new(1).put::<Pallet<Test>>();
			Initialize::<Test, Denominations, Params>::on_runtime_upgrade();
			assert!(!Pools::<Test>::contains_key(7 * UNIT));
			// A chain without the pallet.
			StorageVersion::new(0).put::<Pallet<Test>>();
			let _ = Pools::<Test>::clear(u32::MAX, None);
			Parameters::<Test>::kill();
			Initialize::<Test, Denominations, Params>::on_runtime_upgrade();
			assert_eq!(Pallet::<Test>::on_chain_storage_version(), 1);
			assert_eq!(Parameters::<Test>::get(), Params::get());
			assert_eq!(Pools::<Test>::count(), 2);
			// Run again: nothing changes.
			Parameters::<Test>::put(MixerParameters { min_ring: 2, ..Params::get() });
			Initialize::<Test, Denominations, Params>::on_runtime_upgrade();
			assert_eq!(Parameters::<Test>::get().min_ring, 2);
		});
	}
}
