//! Benchmarks: each call for KMCC and for an asset, the claim with the preimage length as
//! the component. The asset paths are the expensive ones: the escrow account's provider is
//! added on the first asset lock, and each asset transfer touches two asset accounts.

use super::*;
use alloc::{vec, vec::Vec};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::traits::{fungible::Mutate, Get},
	frame_system::{self, RawOrigin},
	sp_runtime::traits::Saturating,
};

const AMOUNT: Balance = 1_000 * kmcc_primitives::currency::KMCC;

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	T::Currency::set_balance(&who, 1_000_000 * kmcc_primitives::currency::KMCC);
	who
}

/// A recipient with a KMCC account (so it may hold any asset).
fn recipient<T: Config>() -> T::AccountId {
	funded::<T>("recipient")
}

fn asset_of<T: Config>(kind: bool, sender: &T::AccountId) -> SwapAsset<AssetIdOf<T>> {
	if kind {
		SwapAsset::Asset(T::BenchmarkHelper::funded_asset(sender, AMOUNT.saturating_mul(10)))
	} else {
		SwapAsset::Native
	}
}

/// An open swap of `asset` with a `p`-byte secret, expiring as early as allowed; its id, the
/// secret and its terms.
fn open_swap<T: Config>(asset: bool, p: u32) -> (SwapId, Vec<u8>, SwapTermsOf<T>) {
	let secret = vec![7u8; p as usize];
	let terms = SwapTerms {
		hashlock: HashAlgorithm::Sha256.digest(&secret),
		expiry: frame_system::Pallet::<T>::block_number().saturating_add(T::MinLockPeriod::get()),
		..lock_terms::<T>(asset)
	};
	let id = Pallet::<T>::do_lock(terms.clone()).expect("benchmark swap");
	(id, secret, terms)
}

/// Terms of a new swap of `asset` from a funded sender, expiring as late as allowed.
fn lock_terms<T: Config>(asset: bool) -> SwapTermsOf<T> {
	let sender = funded::<T>("sender");
	SwapTerms {
		asset: asset_of::<T>(asset, &sender),
		sender,
		recipient: recipient::<T>(),
		amount: AMOUNT,
		hashlock: [1; 32],
		algorithm: HashAlgorithm::Sha256,
		expiry: frame_system::Pallet::<T>::block_number().saturating_add(T::MaxLockPeriod::get()),
	}
}

/// `lock` with `t`'s terms, from its sender.
fn call_lock<T: Config>(t: &SwapTermsOf<T>) {
	Pallet::<T>::lock(
		RawOrigin::Signed(t.sender.clone()).into(),
		t.recipient.clone(),
		t.asset.clone(),
		t.amount,
		t.hashlock,
		t.algorithm,
		t.expiry,
	)
	.expect("benchmark lock");
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn lock_native() {
		let t = lock_terms::<T>(false);
		#[block]
		{
			call_lock::<T>(&t);
		}
		assert!(Swaps::<T>::contains_key(swap_id(&t)));
	}

	#[benchmark]
	fn lock_asset() {
		let t = lock_terms::<T>(true);
		#[block]
		{
			call_lock::<T>(&t);
		}
		assert!(Swaps::<T>::contains_key(swap_id(&t)));
	}

	#[benchmark]
	fn claim_native(p: Linear<0, { T::MaxPreimageLen::get() }>) {
		let (id, secret, terms) = open_swap::<T>(false, p);
		#[extrinsic_call]
		claim(RawOrigin::Signed(terms.recipient.clone()), id, secret);
		assert!(!Swaps::<T>::contains_key(id));
	}

	#[benchmark]
	fn claim_asset(p: Linear<0, { T::MaxPreimageLen::get() }>) {
		let (id, secret, terms) = open_swap::<T>(true, p);
		#[extrinsic_call]
		claim(RawOrigin::Signed(terms.recipient.clone()), id, secret);
		assert!(!Swaps::<T>::contains_key(id));
	}

	#[benchmark]
	fn refund_native() {
		let (id, _, terms) = open_swap::<T>(false, 32);
		frame_system::Pallet::<T>::set_block_number(terms.expiry);
		#[extrinsic_call]
		refund(RawOrigin::Signed(terms.sender.clone()), id);
		assert!(!Swaps::<T>::contains_key(id));
	}

	#[benchmark]
	fn refund_asset() {
		let (id, _, terms) = open_swap::<T>(true, 32);
		frame_system::Pallet::<T>::set_block_number(terms.expiry);
		#[extrinsic_call]
		refund(RawOrigin::Signed(terms.sender.clone()), id);
		assert!(!Swaps::<T>::contains_key(id));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
