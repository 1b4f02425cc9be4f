//! Storage migrations.

use crate::{Config, MailParameters, Pallet, Parameters};
use polkadot_sdk::{
	frame_support::{
		traits::{Get, GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
		weights::Weight,
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
};

/// On a chain that adds this pallet by a runtime upgrade: sets the parameters genesis would
/// have set and records storage version 1. Otherwise does nothing.
pub struct Initialize<T, Params>(core::marker::PhantomData<(T, Params)>);

impl<T, Params> OnRuntimeUpgrade for Initialize<T, Params>
where
	T: Config,
	Params: Get<MailParameters<BlockNumberFor<T>>>,
{
	fn on_runtime_upgrade() -> Weight {
		let db = <T as frame_system::Config>::DbWeight::get();
		if Pallet::<T>::on_chain_storage_version() != 0 {
			return db.reads(1);
		}
		StorageVersion::new(1).put::<Pallet<T>>();
		Parameters::<T>::put(Params::get());
		db.reads_writes(1, 2)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
		use codec::Encode;
		Ok(Pallet::<T>::on_chain_storage_version().encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(
		before: alloc::vec::Vec<u8>,
	) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use codec::Decode;
		use polkadot_sdk::frame_support::ensure;
		let before = StorageVersion::decode(&mut &before[..])
			.map_err(|_| "Mail pre-upgrade state does not decode")?;
		ensure!(Pallet::<T>::on_chain_storage_version() == 1, "Mail storage version is not 1");
		if before == 0 {
			ensure!(Parameters::<T>::get() == Params::get(), "Mail parameters are not set");
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::mock::*;
	use polkadot_sdk::frame_support::parameter_types;

	parameter_types! {
		pub Params: MailParameters<u64> =
			MailParameters { base_postage: 7, message_retention: 70, delivery_timeout: 7 };
	}

	#[test]
	fn initializes_a_new_pallet_once() {
		build_and_execute(|| {
			// A chain with the pallet since genesis (genesis records version 1).
			StorageVersion::new(1).put::<Pallet<Test>>();
			Initialize::<Test, Params>::on_runtime_upgrade();
			assert_eq!(Parameters::<Test>::get(), parameters());
			// A chain without the pallet.
			StorageVersion::new(0).put::<Pallet<Test>>();
			Parameters::<Test>::kill();
			Initialize::<Test, Params>::on_runtime_upgrade();
			assert_eq!(Pallet::<Test>::on_chain_storage_version(), 1);
			assert_eq!(Parameters::<Test>::get(), Params::get());
			// Run again: nothing changes.
			Parameters::<Test>::put(parameters());
			Initialize::<Test, Params>::on_runtime_upgrade();
			assert_eq!(Parameters::<Test>::get(), parameters());
		});
	}
}
