//! Tests of the storage migrations.

use super::*;
use crate::mock::*;

#[test]
fn records_version_1_once_with_or_without_a_ledger() {
	new_test_ext().execute_with(|| {
		// A chain that ran this migration before spec 106: ledger, no version.
		StorageVersion::new(0).put::<Pallet<Test>>();
		let genesis = GenesisIssuance::<Test>::get();
		InitializeLedger::<Test>::on_runtime_upgrade();
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), 1);
		assert_eq!(GenesisIssuance::<Test>::get(), genesis);
		// A chain without the pallet: ledger and version.
		StorageVersion::new(0).put::<Pallet<Test>>();
		GenesisIssuance::<Test>::kill();
		InitializeLedger::<Test>::on_runtime_upgrade();
		assert!(GenesisIssuance::<Test>::exists());
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), 1);
		Pallet::<Test>::check_ledger().unwrap();
	});
}
