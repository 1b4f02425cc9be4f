//! Storage migrations.

use crate::{Config, GenesisIssuance};
use polkadot_sdk::{
	frame_support::{
		traits::{fungible::Inspect, Get, OnRuntimeUpgrade},
		weights::Weight,
	},
	frame_system,
};

/// Starts the ledger on a chain that adds this pallet by a runtime upgrade rather than at
/// genesis: records the current total issuance as [`GenesisIssuance`]; the split and the fee
/// burn share take their defaults and the foundation account is set later with
/// `set_foundation_account`. Does nothing where the ledger already exists.
///
/// Emission follows block numbers, so on such a chain it starts at the upgrade block's
/// reward: the blocks before it are never paid and the chain emits less than 4.5 B in total.
pub struct InitializeLedger<T>(core::marker::PhantomData<T>);

impl<T: Config> OnRuntimeUpgrade for InitializeLedger<T> {
	fn on_runtime_upgrade() -> Weight {
		let db = <T as frame_system::Config>::DbWeight::get();
		if GenesisIssuance::<T>::exists() {
			return db.reads(1);
		}
		GenesisIssuance::<T>::put(T::Currency::total_issuance());
		db.reads_writes(2, 1)
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(
		_state: alloc::vec::Vec<u8>,
	) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		crate::Pallet::<T>::check_ledger()
	}
}
