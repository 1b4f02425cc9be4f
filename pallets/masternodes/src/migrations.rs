//! Storage migrations.

use crate::{Config, HeartbeatPeriod, MasternodeCollateral, UnbondingPeriod};
use kmcc_primitives::Balance;
use polkadot_sdk::{
	frame_support::{
		traits::{Get, OnRuntimeUpgrade},
		weights::Weight,
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
};

/// Sets the parameters genesis would have set, on a chain that adds this pallet by a runtime
/// upgrade. Does nothing where they are set.
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
		if HeartbeatPeriod::<T>::exists() {
			return db.reads(1);
		}
		MasternodeCollateral::<T>::put(Collateral::get());
		HeartbeatPeriod::<T>::put(Period::get());
		UnbondingPeriod::<T>::put(Unbonding::get());
		db.reads_writes(1, 3)
	}
}
