//! Tests of the storage migrations.

use super::*;
use crate::mock::*;

#[test]
fn initializes_once() {
	build_and_execute(|| {
		// The mock's genesis set the test parameters: untouched.
		Initialize::<Test>::on_runtime_upgrade();
		assert_eq!(Parameters::<Test>::get(), parameters());
		// A chain without the pallet's storage gets the production values.
		Parameters::<Test>::kill();
		StorageVersion::new(0).put::<Pallet<Test>>();
		Initialize::<Test>::on_runtime_upgrade();
		assert_eq!(Parameters::<Test>::get(), ParametersOf::<Test>::default());
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), 1);
		StorageVersion::new(2).put::<Pallet<Test>>();
	});
}

#[test]
fn v2_keeps_every_group_proof_with_a_zero_hash() {
	use codec::Encode;
	build_and_execute(|| {
		// A version-1 entry: (round, passed).
		let old: (Round, BoundedVec<AccountId, <Test as Config>::MaxReplicas>) =
			(3, BoundedVec::truncate_from(vec![1, 2, 3]));
		let key = GroupProofs::<Test>::hashed_key_for(0);
		polkadot_sdk::frame_support::storage::unhashed::put_raw(&key, &old.encode());
		StorageVersion::new(1).put::<Pallet<Test>>();
		#[cfg(feature = "try-runtime")]
		let state = InnerMigrateV1ToV2::<Test>::pre_upgrade().unwrap();
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		#[cfg(feature = "try-runtime")]
		InnerMigrateV1ToV2::<Test>::post_upgrade(state).unwrap();
		let proof = GroupProofs::<Test>::get(0).unwrap();
		assert_eq!((proof.round, proof.data_hash), (3, H256::zero()));
		assert_eq!(proof.passed.into_inner(), vec![1, 2, 3]);
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), 2);
		GroupProofs::<Test>::remove(0);
	});
}
