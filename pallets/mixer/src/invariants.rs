//! The pallet's invariants, checked by `try_state` (the runtime's `try-runtime` build) and
//! after every mock test.
//!
//! 1. Every pool's key list holds exactly the indices `0..deposits`, in non-decreasing block
//!    order, and `withdrawals ≤ deposits`.
//! 2. [`DepositOf`] indexes exactly the deposited keys, each at its position.
//! 3. The invalid list has exactly one key image per withdrawal.
//! 4. The pool account holds at least `Σ denomination × (deposits − withdrawals)`.
//! 5. The parameters are valid (`2 ≤ min_ring ≤ max_ring ≤ MaxRingSize`).

use crate::pallet::*;
use kmcc_primitives::invariants::{bad, check};
use kmcc_primitives::Balance;
use polkadot_sdk::{frame_support::traits::fungible::Inspect, sp_runtime::TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the module doc; the first broken one is the error.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut owed: Balance = 0;
		let mut deposits_total: u64 = 0;
		let mut withdrawals_total: u64 = 0;
		for (denomination, pool) in Pools::<T>::iter() {
			check(pool.withdrawals <= pool.deposits, "more withdrawals than deposits")?;
			let mut previous = None;
			for index in 0..pool.deposits {
				let record = PoolKeys::<T>::get(denomination, index)
					.ok_or(bad("a deposited index has no key"))?;
				check(
					DepositOf::<T>::get(record.key) == Some((denomination, index)),
					"a key is not indexed at its position",
				)?;
				check(previous.is_none_or(|p| p <= record.block), "keys out of block order")?;
				previous = Some(record.block);
			}
			check(
				PoolKeys::<T>::iter_prefix(denomination).count() as u64 == u64::from(pool.deposits),
				"a key outside the deposited indices",
			)?;
			let outstanding = Balance::from(pool.deposits - pool.withdrawals);
			owed = owed
				.checked_add(denomination.checked_mul(outstanding).ok_or(bad("overflow"))?)
				.ok_or(bad("overflow"))?;
			deposits_total += u64::from(pool.deposits);
			withdrawals_total += u64::from(pool.withdrawals);
		}
		check(
			PoolKeys::<T>::iter_keys()
				.all(|(denomination, _)| Pools::<T>::contains_key(denomination)),
			"keys of a pool that does not exist",
		)?;
		check(
			DepositOf::<T>::iter_keys().count() as u64 == deposits_total,
			"the key index differs from the deposits",
		)?;
		check(
			SpentKeyImages::<T>::iter_keys().count() as u64 == withdrawals_total,
			"the invalid list differs from the withdrawals",
		)?;
		check(
			T::Currency::balance(&Self::account_id()) >= owed,
			"the pool account holds less than it owes",
		)?;
		check(Self::check_parameters(&Parameters::<T>::get()).is_ok(), "invalid parameters")?;
		Ok(())
	}
}
