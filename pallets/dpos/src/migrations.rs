//! Storage migrations.

use crate::{Committee, Config, EraStartSession, Groups, Pallet, Parameters, ParametersOf};
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{
		traits::{Get, GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
		weights::Weight,
		BoundedVec,
	},
	frame_system,
	sp_staking::SessionIndex,
};

/// On a chain that adds this pallet by a runtime upgrade: writes `Params` and storage version
/// 1, and adopts the running validators (`Validators`) as the committee of an era starting at
/// `Session`, with zero backing, so blocks and finality go on unchanged until candidates
/// register and the first election with candidates replaces them. Does nothing where the
/// pallet is already initialised.
pub struct Initialize<T, Params, Validators, Session>(
	core::marker::PhantomData<(T, Params, Validators, Session)>,
);

impl<T, Params, Validators, Session> OnRuntimeUpgrade for Initialize<T, Params, Validators, Session>
where
	T: Config,
	Params: Get<ParametersOf<T>>,
	Validators: Get<Vec<T::AccountId>>,
	Session: Get<SessionIndex>,
{
	fn on_runtime_upgrade() -> Weight {
		let db = <T as frame_system::Config>::DbWeight::get();
		if Pallet::<T>::on_chain_storage_version() >= 1 || Parameters::<T>::exists() {
			return db.reads(2);
		}
		let params = Params::get();
		let members: Vec<(T::AccountId, kmcc_primitives::Balance)> =
			Validators::get().into_iter().map(|v| (v, 0)).collect();
		let groups = Pallet::<T>::bounded_groups(&members, params.group_count);
		let session = Session::get();
		Parameters::<T>::put(params);
		Committee::<T>::put(BoundedVec::truncate_from(members));
		Groups::<T>::put(groups);
		EraStartSession::<T>::put(session);
		Pallet::<T>::start_session_authors(session);
		StorageVersion::new(1).put::<Pallet<T>>();
		db.reads_writes(5, 8)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{mock::*, SessionAuthors};
	use polkadot_sdk::frame_support::parameter_types;

	parameter_types! {
		pub TestParams: ParametersOf<Test> = parameters();
		pub Running: Vec<AccountId> = vec![7, 8, 9];
		pub const AtSession: SessionIndex = 12;
	}

	#[test]
	fn adopts_the_running_validators_once() {
		ExtBuilder::default().build().execute_with(|| {
			type Migration = Initialize<Test, TestParams, Running, AtSession>;
			// Genesis initialised the pallet: untouched.
			Migration::on_runtime_upgrade();
			assert_eq!(Committee::<Test>::get().len(), 4);
			// A chain without the pallet's storage.
			Parameters::<Test>::kill();
			StorageVersion::new(0).put::<Pallet<Test>>();
			Migration::on_runtime_upgrade();
			assert_eq!(Parameters::<Test>::get(), Some(parameters()));
			assert_eq!(Committee::<Test>::get().into_inner(), vec![(7, 0), (8, 0), (9, 0)]);
			assert_eq!(Groups::<Test>::get().len(), 2);
			assert_eq!(EraStartSession::<Test>::get(), 12);
			assert!(!SessionAuthors::<Test>::get().is_empty());
			assert_eq!(Pallet::<Test>::on_chain_storage_version(), 1);
		});
	}
}
