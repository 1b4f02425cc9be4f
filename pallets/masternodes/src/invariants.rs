//! The pallet's invariants, checked by `try_state` (the runtime's `try-runtime` build) and
//! after every mock test.
//!
//! 1. The payment queue lists each enabled or banned masternode exactly once, in
//!    `(last_paid, id)` order, with `enabled` matching its status, and nothing else.
//! 2. `OperatorIndex` maps exactly the operator keys of enabled and banned masternodes.
//! 3. Each owner's `Collateral` hold is the sum of its masternodes' collateral: collateral is
//!    held once per masternode and never released early.

use crate::{pallet::*, MasternodeStatus};
use alloc::{collections::BTreeMap, vec::Vec};
use kmcc_primitives::invariants::{bad, check};
use kmcc_primitives::Balance;
use polkadot_sdk::{frame_support::traits::fungible::InspectHold, sp_runtime::TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the module doc; the first broken one is the error.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let queue = PaymentQueue::<T>::get();
		let order: Vec<_> = queue.iter().map(|e| (e.last_paid, e.id)).collect();
		check(order.windows(2).all(|w| matches!(w, [a, b] if a < b)), "queue out of order")?;
		for entry in queue.iter() {
			let record = Masternodes::<T>::get(entry.id).ok_or(bad("a queued id has no record"))?;
			let enabled = match record.status {
				MasternodeStatus::Enabled => true,
				MasternodeStatus::Banned { .. } => false,
				MasternodeStatus::Unbonding { .. } => return Err(bad("an unbonding id is queued")),
			};
			check(entry.enabled == enabled, "a queue entry's flag differs from its status")?;
			check(
				OperatorIndex::<T>::get(&record.operator) == Some(entry.id),
				"a queued masternode's operator key is not indexed",
			)?;
		}
		let mut collateral: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		let mut serving = 0usize;
		for (id, record) in Masternodes::<T>::iter() {
			if !matches!(record.status, MasternodeStatus::Unbonding { .. }) {
				serving = serving.saturating_add(1);
				check(queue.iter().any(|e| e.id == id), "a serving masternode is not queued")?;
			}
			let sum = collateral.entry(record.owner.clone()).or_default();
			*sum = sum.saturating_add(record.collateral);
		}
		check(queue.len() == serving, "the queue lists a masternode twice")?;
		check(
			OperatorIndex::<T>::iter().count() == serving,
			"an operator key is indexed for no serving masternode",
		)?;
		for (owner, expected) in collateral {
			let held = T::Currency::balance_on_hold(&HoldReason::Collateral.into(), &owner);
			check(held == expected, "an owner's hold differs from its masternodes' collateral")?;
		}
		Ok(())
	}
}
