//! Storage migrations.

use crate::{Config, GroupProof, GroupProofs, Pallet, Parameters, ParametersOf, Round};
#[cfg(feature = "try-runtime")]
use polkadot_sdk::sp_runtime::TryRuntimeError;
use polkadot_sdk::{
	frame_support::{
		migrations::VersionedMigration,
		traits::{
			Get, GetStorageVersion, OnRuntimeUpgrade, StorageVersion, UncheckedOnRuntimeUpgrade,
		},
		weights::Weight,
		BoundedVec,
	},
	frame_system,
	sp_core::H256,
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

/// Version 1 → 2: [`GroupProofs`] records the counted data hash (late votes must match it).
/// Proofs of version 1 did not keep it: they get the zero hash, so only the round in progress
/// at the upgrade accepts no late votes.
pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
	fn on_runtime_upgrade() -> Weight {
		let mut translated = 0u64;
		GroupProofs::<T>::translate::<(Round, BoundedVec<T::AccountId, T::MaxReplicas>), _>(
			|_, (round, passed)| {
				translated = translated.saturating_add(1);
				Some(GroupProof { round, data_hash: H256::zero(), passed })
			},
		);
		<T as frame_system::Config>::DbWeight::get().reads_writes(translated, translated)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, TryRuntimeError> {
		use codec::Encode;
		Ok((GroupProofs::<T>::iter_keys().count() as u32).encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), TryRuntimeError> {
		use codec::Decode;
		let before = u32::decode(&mut state.as_slice())
			.map_err(|_| TryRuntimeError::Other("pre-upgrade state"))?;
		// Every entry decodes in the new layout.
		if GroupProofs::<T>::iter_values().count() as u32 != before {
			return Err(TryRuntimeError::Other("a group proof was lost"));
		}
		Pallet::<T>::check_invariants().map_err(TryRuntimeError::Other)
	}
}

/// [`InnerMigrateV1ToV2`], run once: only at on-chain storage version 1, then records 2.
pub type MigrateV1ToV2<T> = VersionedMigration<
	1,
	2,
	InnerMigrateV1ToV2<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

#[cfg(test)]
mod tests;
