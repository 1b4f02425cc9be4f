//! The pallet's invariants, checked by `try_state` (the runtime's `try-runtime` build) and
//! after every mock test.
//!
//! 1. [`Announcements`] holds exactly the ids `OldestAnnouncementId..NextAnnouncementId`, in
//!    non-decreasing block order, none from a future block.
//! 2. This block's page count never exceeds `MaxAnnouncementsPerBlock`.
//! 3. Each published meta-address holds its deposit: the account's `MetaAddress` hold is
//!    exactly its record's deposit (removing the record releases it, see the tests).

use crate::pallet::*;
use kmcc_primitives::invariants::{bad, check};
use polkadot_sdk::{
	frame_support::traits::{fungible::InspectHold, Get},
	sp_runtime::TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the module doc; the first broken one is the error.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let oldest = OldestAnnouncementId::<T>::get();
		let end = NextAnnouncementId::<T>::get();
		check(oldest <= end, "the oldest id is past the next id")?;
		let now = polkadot_sdk::frame_system::Pallet::<T>::block_number();
		let mut previous = None;
		for id in oldest..end {
			let record = Announcements::<T>::get(id).ok_or(bad("a kept id has no record"))?;
			check(record.block <= now, "an announcement from a future block")?;
			check(previous.is_none_or(|p| p <= record.block), "announcements out of block order")?;
			previous = Some(record.block);
		}
		check(
			Announcements::<T>::iter_keys().count() as u64 == end.saturating_sub(oldest),
			"a record outside the kept ids",
		)?;
		check(
			BlockPage::<T>::get().1 <= T::MaxAnnouncementsPerBlock::get(),
			"a page over the per-block maximum",
		)?;
		for (who, published) in MetaAddresses::<T>::iter() {
			let held = T::Currency::balance_on_hold(&HoldReason::MetaAddress.into(), &who);
			check(held == published.deposit, "a meta-address hold differs from its deposit")?;
		}
		Ok(())
	}
}
