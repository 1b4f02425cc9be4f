//! Storage migrations.

use crate::{Config, HeartbeatPeriod, MasternodeCollateral, Pallet, UnbondingPeriod};
use kmcc_primitives::Balance;
use polkadot_sdk::{
	frame_support::{
		traits::{Get, GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
		weights::Weight,
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
};

/// Sets the parameters genesis would have set, on a chain that adds this pallet by a runtime
/// upgrade, and records storage version 1 where none is recorded (genesis records it; chains
/// that ran this migration before spec 106 did not). Otherwise does nothing.
pub struct InitializeParameters<T, Collateral, Period, Unbonding>(
	core::marker::PhantomData<(T, Collateral, Period, Unbonding)>,
);

impl<T, Collateral, Period, Unbonding> OnRuntimeUpgrade
	for InitializeParameters<T, Collateral, Period, Unbonding>
where
	T: Config,
	Collateral: Get<Balance>,
	Period: Get<BlockNumberFor<T>>,
	Unbonding: Get<BlockNumberFor<T>>,
{
	fn on_runtime_upgrade() -> Weight {
		let db = <T as frame_system::Config>::DbWeight::get();
		let mut writes = 0;
		if Pallet::<T>::on_chain_storage_version() == 0 {
			StorageVersion::new(1).put::<Pallet<T>>();
			writes += 1;
		}
		if !HeartbeatPeriod::<T>::exists() {
			MasternodeCollateral::<T>::put(Collateral::get());
			HeartbeatPeriod::<T>::put(Period::get());
			UnbondingPeriod::<T>::put(Unbonding::get());
			writes += 3;
		}
		db.reads_writes(2, writes)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::mock::*;
	use polkadot_sdk::frame_support::parameter_types;

	parameter_types! {
		pub const Collateral: Balance = 7;
		pub const Period: u64 = 9;
		pub const Unbonding: u64 = 11;
	}
	type Migration = InitializeParameters<Test, Collateral, Period, Unbonding>;

	#[test]
	fn records_version_1_once_with_or_without_parameters() {
		build_and_execute(|| {
			// A chain that ran this migration before spec 106: parameters, no version.
			StorageVersion::new(0).put::<Pallet<Test>>();
			Migration::on_runtime_upgrade();
			assert_eq!(Pallet::<Test>::on_chain_storage_version(), 1);
			assert_eq!(MasternodeCollateral::<Test>::get(), COLLATERAL);
			// A chain without the pallet: parameters and version.
			StorageVersion::new(0).put::<Pallet<Test>>();
			HeartbeatPeriod::<Test>::kill();
			Migration::on_runtime_upgrade();
			assert_eq!(Pallet::<Test>::on_chain_storage_version(), 1);
			assert_eq!(
				(MasternodeCollateral::<Test>::get(), HeartbeatPeriod::<Test>::get()),
				(7, 9)
			);
			assert_eq!(UnbondingPeriod::<Test>::get(), 11);
		});
	}
}
