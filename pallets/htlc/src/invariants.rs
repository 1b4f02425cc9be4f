//! The pallet's invariants, checked by `try_state` (the runtime's `try-runtime` build) and
//! after every mock test.
//!
//! 1. Every swap is stored under its own id, with a sender that is not its recipient and a
//!    non-zero amount.
//! 2. Each account's `Swap` hold is the sum of its open KMCC swaps, and its `SwapRecord` hold
//!    the sum of its open swaps' deposits.
//! 3. The escrow account holds at least the sum of the open swaps of each asset.
//! 4. The counter of [`Swaps`] is its number of entries.

use crate::pallet::*;
use crate::{swap_id, AssetIdOf, HoldReason, SwapAsset};
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use kmcc_primitives::{
	invariants::{bad, check},
	Balance,
};
use polkadot_sdk::{
	frame_support::traits::{fungible::InspectHold, fungibles},
	sp_runtime::TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the module doc; the first broken one is the error.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut locked: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		let mut deposits: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		// Asset ids need not be ordered: a list.
		let mut escrowed: Vec<(AssetIdOf<T>, Balance)> = Vec::new();
		let mut count = 0u32;
		for (id, swap) in Swaps::<T>::iter() {
			count = count.saturating_add(1);
			let terms = &swap.terms;
			check(swap_id(terms) == id, "a swap is stored under another id")?;
			check(terms.sender != terms.recipient, "a swap to its own sender")?;
			check(terms.amount > 0, "a swap of nothing")?;
			let deposit = deposits.entry(terms.sender.clone()).or_default();
			*deposit = deposit.checked_add(swap.deposit).ok_or(bad("deposits overflow"))?;
			match &terms.asset {
				SwapAsset::Native => {
					let sum = locked.entry(terms.sender.clone()).or_default();
					*sum = sum.checked_add(terms.amount).ok_or(bad("locked KMCC overflows"))?;
				}
				SwapAsset::Asset(asset) => match escrowed.iter_mut().find(|(a, _)| a == asset) {
					Some((_, sum)) => {
						*sum = sum.checked_add(terms.amount).ok_or(bad("escrow overflows"))?
					}
					None => escrowed.push((asset.clone(), terms.amount)),
				},
			}
		}
		check(Swaps::<T>::count() == count, "the swap counter is wrong")?;
		for (who, amount) in &locked {
			check(
				T::Currency::balance_on_hold(&HoldReason::Swap.into(), who) == *amount,
				"a Swap hold is not the sum of the account's KMCC swaps",
			)?;
		}
		for (who, amount) in &deposits {
			check(
				T::Currency::balance_on_hold(&HoldReason::SwapRecord.into(), who) == *amount,
				"a SwapRecord hold is not the sum of the account's swap deposits",
			)?;
		}
		let escrow = Self::escrow_account();
		for (asset, amount) in escrowed {
			check(
				<T::Assets as fungibles::Inspect<T::AccountId>>::balance(asset, &escrow) >= amount,
				"the escrow holds less of an asset than its open swaps",
			)?;
		}
		Ok(())
	}
}
