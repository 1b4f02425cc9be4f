//! Storage migrations.

use crate::{Config, Pallet, RetentionPeriod};
use polkadot_sdk::{
	frame_support::{
		traits::{Get, GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
		weights::Weight,
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
};

/// On a chain that adds this pallet by a runtime upgrade: sets the retention period genesis
/// would have set and records storage version 1. Otherwise does nothing.
pub struct Initialize<T, Retention>(core::marker::PhantomData<(T, Retention)>);

impl<T: Config, Retention: Get<BlockNumberFor<T>>> OnRuntimeUpgrade for Initialize<T, Retention> {
	fn on_runtime_upgrade() -> Weight {
		let db = <T as frame_system::Config>::DbWeight::get();
		if Pallet::<T>::on_chain_storage_version() != 0 {
			return db.reads(1);
		}
		StorageVersion::new(1).put::<Pallet<T>>();
		RetentionPeriod::<T>::put(Retention::get());
		db.reads_writes(1, 2)
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(
		_: alloc::vec::Vec<u8>,
	) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use polkadot_sdk::sp_runtime::traits::Zero;
		polkadot_sdk::frame_support::ensure!(
			Pallet::<T>::on_chain_storage_version() == 1,
			"Stealth storage version is not 1"
		);
		polkadot_sdk::frame_support::ensure!(
			!RetentionPeriod::<T>::get().is_zero(),
			"Stealth has no retention period"
		);
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::mock::*;
	use polkadot_sdk::frame_support::parameter_types;

	parameter_types! {
		pub const Retention: u64 = 77;
	}

	#[test]
	fn initializes_a_new_pallet_once() {
		build_and_execute(|| {
			// A chain with the pallet since genesis (the runtime's genesis records version 1).
			StorageVersion::new(1).put::<Pallet<Test>>();
			Initialize::<Test, Retention>::on_runtime_upgrade();
			assert_eq!(RetentionPeriod::<Test>::get(), RETENTION);
			// A chain without the pallet.
			StorageVersion::new(0).put::<Pallet<Test>>();
			RetentionPeriod::<Test>::kill();
			Initialize::<Test, Retention>::on_runtime_upgrade();
			assert_eq!(Pallet::<Test>::on_chain_storage_version(), 1);
			assert_eq!(RetentionPeriod::<Test>::get(), 77);
			// Run again: nothing changes.
			RetentionPeriod::<Test>::put(5);
			Initialize::<Test, Retention>::on_runtime_upgrade();
			assert_eq!(RetentionPeriod::<Test>::get(), 5);
		});
	}
}
