//! Storage migrations.

use crate::{Config, Pallet, Parameters, ParametersOf};
use polkadot_sdk::{
	frame_support::{
		traits::{Get, GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
		weights::Weight,
	},
	frame_system,
};

/// On a chain that adds this pallet by a runtime upgrade: writes the production
/// [`crate::StorageParameters`] (the `mainnet-template` values) and the storage version 1.
/// Does nothing where the pallet is already initialised.
pub struct Initialize<T>(core::marker::PhantomData<T>);

impl<T: Config> OnRuntimeUpgrade for Initialize<T> {
	fn on_runtime_upgrade() -> Weight {
		let db = <T as frame_system::Config>::DbWeight::get();
		if Pallet::<T>::on_chain_storage_version() >= 1 || Parameters::<T>::exists() {
			return db.reads(2);
		}
		Parameters::<T>::put(ParametersOf::<T>::default());
		StorageVersion::new(1).put::<Pallet<T>>();
		db.reads_writes(2, 2)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::mock::*;

	#[test]
	fn initializes_once() {
		new_test_ext().execute_with(|| {
			// The mock's genesis set the test parameters: untouched.
			Initialize::<Test>::on_runtime_upgrade();
			assert_eq!(Parameters::<Test>::get(), parameters());
			// A chain without the pallet's storage gets the production values.
			Parameters::<Test>::kill();
			StorageVersion::new(0).put::<Pallet<Test>>();
			Initialize::<Test>::on_runtime_upgrade();
			assert_eq!(Parameters::<Test>::get(), ParametersOf::<Test>::default());
			assert_eq!(Pallet::<Test>::on_chain_storage_version(), 1);
		});
	}
}
