//! Storage migrations.

use crate::{
	CandidateList, CandidateStatus, Candidates, Committee, Config, EraStartSession, Groups, Pallet,
	Parameters, ParametersOf,
};
use alloc::vec::Vec;
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

/// Version 1 → 2: `CandidateList` keeps the Active candidates only (leaving and slashed ones
/// used to stay listed while any lease remained, taking slots new candidates need).
pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
	fn on_runtime_upgrade() -> Weight {
		let list = CandidateList::<T>::get();
		let read = list.len() as u64;
		let kept: Vec<T::AccountId> = list
			.into_iter()
			.filter(|who| {
				Candidates::<T>::get(who).is_some_and(|c| c.status == CandidateStatus::Active)
			})
			.collect();
		CandidateList::<T>::put(BoundedVec::truncate_from(kept));
		<T as frame_system::Config>::DbWeight::get().reads_writes(read.saturating_add(1), 1)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
		use codec::Encode;
		let active = Candidates::<T>::iter_values()
			.filter(|c| c.status == CandidateStatus::Active)
			.count() as u32;
		Ok(active.encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
		use codec::Decode;
		let active = u32::decode(&mut state.as_slice())
			.map_err(|_| TryRuntimeError::Other("pre-upgrade state"))?;
		let list = CandidateList::<T>::get();
		if list.len() as u32 != active {
			return Err(TryRuntimeError::Other("CandidateList differs from the Active candidates"));
		}
		Pallet::<T>::do_try_state()
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
mod tests {
	use super::*;
	use crate::{mock::*, SessionAuthors};
	use polkadot_sdk::frame_support::{assert_ok, parameter_types};

	parameter_types! {
		pub TestParams: ParametersOf<Test> = parameters();
		pub Running: Vec<AccountId> = vec![7, 8, 9];
		pub const AtSession: SessionIndex = 12;
	}

	#[test]
	fn adopts_the_running_validators_once() {
		ExtBuilder::default().build_and_execute(|| {
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

	#[test]
	fn v2_lists_only_active_candidates_once() {
		ExtBuilder::default().build_and_execute(|| {
			// A version-1 chain: candidate 4 withdrew and stayed listed.
			assert_ok!(Pallet::<Test>::withdraw_candidacy(RuntimeOrigin::signed(4)));
			CandidateList::<Test>::mutate(|l| l.try_push(4).unwrap());
			StorageVersion::new(1).put::<Pallet<Test>>();
			#[cfg(feature = "try-runtime")]
			let state = InnerMigrateV1ToV2::<Test>::pre_upgrade().unwrap();
			MigrateV1ToV2::<Test>::on_runtime_upgrade();
			#[cfg(feature = "try-runtime")]
			InnerMigrateV1ToV2::<Test>::post_upgrade(state).unwrap();
			assert_eq!(CandidateList::<Test>::get().into_inner(), vec![1, 2, 3]);
			assert_eq!(Pallet::<Test>::on_chain_storage_version(), 2);
			// Once only: a later listing is not touched again.
			CandidateList::<Test>::mutate(|l| l.try_push(4).unwrap());
			MigrateV1ToV2::<Test>::on_runtime_upgrade();
			assert_eq!(CandidateList::<Test>::get().len(), 4);
			CandidateList::<Test>::mutate(|l| l.retain(|a| *a != 4));
		});
	}
}
