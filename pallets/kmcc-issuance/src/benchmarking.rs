//! Benchmarks: `on_initialize` with and without emission, and every call.

use super::*;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::traits::{fungible::Mutate, EnsureOrigin, Hooks},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_runtime::{traits::StaticLookup, Perbill, SaturatedConversion},
};

/// Funds a foundation account with 2 B KMCC, so total issuance is far above the burn floor
/// and a buy-back burns in full (the worst case).
fn funded_foundation<T: Config>() -> T::AccountId {
	let foundation: T::AccountId = account("foundation", 0, 0);
	let amount = 2_000_000_000 * kmcc_primitives::currency::KMCC;
	T::Currency::set_balance(&foundation, amount);
	FoundationAccount::<T>::put(&foundation);
	foundation
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Block 1: a period start (halving event), issue and share the reward, create both pots.
	#[benchmark]
	fn on_initialize_emission() {
		let block: BlockNumberFor<T> = 1u32.into();
		frame_system::Pallet::<T>::set_block_number(block);
		T::BenchmarkHelper::prepare_block_author();
		let before = Minted::<T>::get();

		#[block]
		{
			Pallet::<T>::on_initialize(block);
		}

		assert_eq!(Minted::<T>::get(), before + T::Schedule::get().reward_at(1));
	}

	/// The first block after the schedule: the `EmissionEnded` event and nothing else.
	#[benchmark]
	fn on_initialize_after_emission() {
		let end = T::Schedule::get().last_emission_block().saturating_add(1);
		let block: BlockNumberFor<T> = end.saturated_into();
		frame_system::Pallet::<T>::set_block_number(block);
		let issuance = T::Currency::total_issuance();

		#[block]
		{
			Pallet::<T>::on_initialize(block);
		}

		assert_eq!(T::Currency::total_issuance(), issuance);
	}

	#[benchmark]
	fn buyback_burn() -> Result<(), BenchmarkError> {
		let origin =
			T::BuybackOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let foundation = funded_foundation::<T>();
		let amount = 1_000_000 * kmcc_primitives::currency::KMCC;
		let before = T::Currency::balance(&foundation);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, amount);

		assert_eq!(T::Currency::balance(&foundation), before - T::BuybackBurnShare::get() * amount);
		Ok(())
	}

	#[benchmark]
	fn set_split() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let split = EmissionSplit {
			masternodes: Perbill::from_percent(40),
			producer: Perbill::from_percent(40),
			storage: Perbill::from_percent(20),
		};

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, split);

		assert_eq!(Split::<T>::get(), split);
		Ok(())
	}

	#[benchmark]
	fn set_fee_burn_share() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, Perbill::from_percent(50));

		assert_eq!(FeeBurnShare::<T>::get(), Perbill::from_percent(50));
		Ok(())
	}

	#[benchmark]
	fn set_foundation_account() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let account: T::AccountId = account("foundation", 1, 0);
		let source = T::Lookup::unlookup(account.clone());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, source);

		assert_eq!(FoundationAccount::<T>::get(), Some(account));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
