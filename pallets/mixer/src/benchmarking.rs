//! Benchmarks: every call, and the authorization of a withdrawal (the ring-signature check),
//! with the ring size as the component.

use super::*;
use kmcc_privacy::{mixer, ring, Point};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		pallet_prelude::TransactionSource,
		traits::{fungible::Mutate, Authorize, Get},
	},
	frame_system::RawOrigin,
	sp_runtime::Permill,
};

const SEED: [u8; 32] = [42; 32];

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, 1_000_000 * kmcc_primitives::currency::KMCC);
	who
}

/// A pool to benchmark: the smallest existing denomination, or a new one of 10 KMCC.
fn denomination<T: Config>() -> Balance {
	Pools::<T>::iter_keys().min().unwrap_or_else(|| {
		let denomination = 10 * kmcc_primitives::currency::KMCC;
		Pallet::<T>::open_pool(denomination).expect("benchmark pool");
		denomination
	})
}

fn secret(denomination: Balance, i: u32) -> ring::Scalar {
	mixer::deposit_secret(&SEED, &[0; 32], denomination, i)
}

/// `n` deposits of `denomination` (indices `0..n` if the pool was empty) and every ring size
/// allowed up to `MaxRingSize`.
fn deposits<T: Config>(denomination: Balance, n: u32) -> alloc::vec::Vec<DepositIndex> {
	Parameters::<T>::put(MixerParameters {
		min_ring: 2,
		max_ring: T::MaxRingSize::get(),
		max_fee: Permill::from_percent(5),
	});
	let depositor = funded::<T>("depositor", 0);
	(0..n)
		.map(|i| {
			let index = Pools::<T>::get(denomination).map(|p| p.deposits).unwrap_or_default();
			let key = mixer::deposit_key(&secret(denomination, i));
			Pallet::<T>::deposit(RawOrigin::Signed(depositor.clone()).into(), denomination, key)
				.expect("benchmark deposit");
			index
		})
		.collect()
}

/// A withdrawal over the `n` deposits, signed by the last one, paying a new recipient (the
/// most expensive payee, announced as a stealth one-time account) and a relayer.
fn signed_withdrawal<T: Config>(n: u32) -> (WithdrawalOf<T>, RingSignatureOf<T>) {
	let denomination = denomination::<T>();
	let indices = deposits::<T>(denomination, n);
	let keys: alloc::vec::Vec<Point> = indices
		.iter()
		.map(|i| PoolKeys::<T>::get(denomination, i).expect("deposited").key)
		.collect();
	let withdrawal = Withdrawal {
		denomination,
		ring: indices.try_into().expect("n ≤ MaxRingSize"),
		recipient: account("recipient", 0, 0),
		relayer: Some(funded::<T>("relayer", 0)),
		fee: denomination / 100,
		announcement: Some(StealthNote { ephemeral: kmcc_privacy::BASEPOINT, view_tag: 0 }),
	};
	let message = Pallet::<T>::withdrawal_message(&withdrawal);
	let mut counter = 0u8;
	let random = || {
		counter = counter.wrapping_add(1);
		[counter; 64]
	};
	let signer = n.saturating_sub(1);
	let signature =
		ring::sign(&keys, signer as usize, &secret(denomination, signer), &message, random)
			.expect("benchmark signature");
	(withdrawal, signature.try_into().expect("within the bound"))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn deposit() {
		let denomination = denomination::<T>();
		deposits::<T>(denomination, 1);
		let who = funded::<T>("depositor", 1);
		let key = mixer::deposit_key(&secret(denomination, 1));

		#[extrinsic_call]
		_(RawOrigin::Signed(who), denomination, key);

		assert!(DepositOf::<T>::contains_key(key));
	}

	#[benchmark]
	fn withdraw(n: Linear<2, { T::MaxRingSize::get() }>) {
		let (withdrawal, signature) = signed_withdrawal::<T>(n);
		let denomination = withdrawal.denomination;

		#[extrinsic_call]
		_(RawOrigin::Authorized, withdrawal, signature);

		assert_eq!(Pools::<T>::get(denomination).map(|p| p.withdrawals), Some(1));
	}

	#[benchmark]
	fn authorize_withdraw(n: Linear<2, { T::MaxRingSize::get() }>) -> Result<(), BenchmarkError> {
		let (withdrawal, signature) = signed_withdrawal::<T>(n);
		let call = Call::<T>::withdraw { withdrawal, signature };

		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or("withdraw has authorize logic")?
				.map_err(|_| "a valid withdrawal is authorized")?;
		}
		Ok(())
	}

	#[benchmark]
	fn add_denomination() {
		let denomination = 777 * kmcc_primitives::currency::KMCC;

		#[extrinsic_call]
		_(RawOrigin::Root, denomination);

		assert!(Pools::<T>::contains_key(denomination));
	}

	#[benchmark]
	fn set_parameters() {
		let parameters = MixerParameters {
			min_ring: 2,
			max_ring: T::MaxRingSize::get(),
			max_fee: Permill::from_percent(1),
		};

		#[extrinsic_call]
		_(RawOrigin::Root, parameters);

		assert_eq!(Parameters::<T>::get(), parameters);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
