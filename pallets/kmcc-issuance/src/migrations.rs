//! Storage migrations.

use crate::{Config, GenesisIssuance, Pallet};
use polkadot_sdk::{
	frame_support::{
		traits::{fungible::Inspect, Get, GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
		weights::Weight,
	},
	frame_system,
};

/// Starts the ledger on a chain that adds this pallet by a runtime upgrade rather than at
/// genesis: records the current total issuance as [`GenesisIssuance`]; the split and the fee
/// burn share take their defaults and the foundation account is set later with
/// `set_foundation_account`. Records storage version 1 where none is recorded (genesis
/// records it; chains that ran this migration before spec 106 did not), so later versioned
/// migrations see the layout the pallet has. Otherwise does nothing.
///
/// Emission follows block numbers, so on such a chain it starts at the upgrade block's
/// reward: the blocks before it are never paid and the chain emits less than 4.5 B in total.
pub struct InitializeLedger<T>(core::marker::PhantomData<T>);

impl<T: Config> OnRuntimeUpgrade for InitializeLedger<T> {
	fn on_runtime_upgrade() -> Weight {
		let db = <T as frame_system::Config>::DbWeight::get();
		let mut writes = 0;
		if Pallet::<T>::on_chain_storage_version() == 0 {
			StorageVersion::new(1).put::<Pallet<T>>();
			writes += 1;
		}
		if !GenesisIssuance::<T>::exists() {
			GenesisIssuance::<T>::put(T::Currency::total_issuance());
			writes += 1;
		}
		db.reads_writes(3, writes)
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(
		_state: alloc::vec::Vec<u8>,
	) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		crate::Pallet::<T>::check_ledger()
	}
}

#[cfg(test)]
mod tests;
