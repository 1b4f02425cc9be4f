//! Benchmarks: every call and the pruning in `on_initialize`, with the number pruned as its
//! component.

use super::*;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::traits::{
		fungible::{Inspect, Mutate},
		Get, Hooks,
	},
	frame_system::{self, RawOrigin},
	sp_runtime::traits::{One, Saturating},
};

use kmcc_privacy::BASEPOINT;

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	T::Currency::set_balance(&who, 1_000 * kmcc_primitives::currency::KMCC);
	who
}

/// Fills this block's page up to one below the maximum (the page is read and written either way;
/// a fuller page costs nothing more).
fn nearly_full_page<T: Config>() {
	let now = frame_system::Pallet::<T>::block_number();
	BlockPage::<T>::put((now, T::MaxAnnouncementsPerBlock::get().saturating_sub(1)));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn transfer_stealth() {
		let from = funded::<T>("payer");
		let one_time: T::AccountId = account("one-time", 0, 0);
		nearly_full_page::<T>();
		let amount = kmcc_primitives::currency::KMCC;

		#[extrinsic_call]
		_(RawOrigin::Signed(from), one_time.clone(), BASEPOINT, 7, amount);

		assert_eq!(T::Currency::balance(&one_time), amount);
		assert_eq!(NextAnnouncementId::<T>::get(), 1);
	}

	#[benchmark]
	fn announce() {
		let by = funded::<T>("payer");
		let one_time: T::AccountId = account("one-time", 0, 0);
		nearly_full_page::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(by), one_time, BASEPOINT, 7);

		assert_eq!(NextAnnouncementId::<T>::get(), 1);
	}

	#[benchmark]
	fn register_meta_address() {
		let who = funded::<T>("recipient");

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), BASEPOINT, BASEPOINT);

		assert!(MetaAddresses::<T>::contains_key(&who));
	}

	#[benchmark]
	fn remove_meta_address() {
		let who = funded::<T>("recipient");
		Pallet::<T>::register_meta_address(
			RawOrigin::Signed(who.clone()).into(),
			BASEPOINT,
			BASEPOINT,
		)
		.expect("benchmark registration");

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!MetaAddresses::<T>::contains_key(&who));
	}

	/// `n` announcements past the retention period, all pruned.
	#[benchmark]
	fn on_initialize(n: Linear<0, { T::MaxPrunedPerBlock::get() }>) {
		let one_time: T::AccountId = account("one-time", 0, 0);
		let recorded = frame_system::Pallet::<T>::block_number();
		for id in 0..u64::from(n) {
			Announcements::<T>::insert(
				id,
				AnnouncementRecord {
					block: recorded,
					ephemeral: BASEPOINT,
					one_time: one_time.clone(),
					view_tag: 0,
				},
			);
		}
		NextAnnouncementId::<T>::put(u64::from(n));
		let now = recorded.saturating_add(RetentionPeriod::<T>::get()).saturating_add(One::one());
		frame_system::Pallet::<T>::set_block_number(now);

		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}

		assert_eq!(OldestAnnouncementId::<T>::get(), u64::from(n));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
