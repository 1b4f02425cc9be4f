//! The payment queue: the masternode share of each block goes to the enabled masternode paid
//! longest ago.

use crate::{
	pallet::{Event, Masternodes, PaymentQueue},
	Config, CreditOf, MasternodeId, Pallet,
};
use polkadot_sdk::{
	frame_support::traits::{fungible::Balanced, Get, Imbalance, OnUnbalanced},
	frame_system,
};

impl<T: Config> Pallet<T> {
	/// Pays `share` to the head of the queue (the first enabled entry) and moves it to the
	/// back; with no enabled masternode, or if the head's payout account cannot take the
	/// amount (a new account and less than the existential deposit), pays the pot.
	pub(crate) fn pay_share(share: CreditOf<T>) {
		let amount = share.peek();
		let mut queue = PaymentQueue::<T>::get();
		let Some(position) = queue.iter().position(|e| e.enabled) else {
			return Self::pay_pot(share);
		};
		let mut entry = queue.remove(position);
		let id: MasternodeId = entry.id;
		let Some(payout) = Masternodes::<T>::get(id).map(|m| m.payout) else {
			return Self::pay_pot(share);
		};
		// It has its turn either way, so a payout account that cannot receive does not block
		// the queue: it goes last. Cannot fail: an entry was just removed.
		entry.last_paid = frame_system::Pallet::<T>::block_number();
		let _ = queue.try_push(entry);
		PaymentQueue::<T>::put(queue);
		match T::Currency::resolve(&payout, share) {
			Ok(()) => Self::deposit_event(Event::Paid { id, payout, amount }),
			Err(unpaid) => Self::pay_pot(unpaid),
		}
	}

	fn pay_pot(share: CreditOf<T>) {
		let amount = share.peek();
		// The pot exists from the first block's issuance on; should it refuse, the credit is
		// dropped and `Issuance` reports it as not paid.
		let _ = T::Currency::resolve(&T::Pot::get(), share);
		Self::deposit_event(Event::PaidToPot { amount });
	}
}

/// `Issuance` hands the masternode share of each block's emission to this pallet.
impl<T: Config> OnUnbalanced<CreditOf<T>> for Pallet<T> {
	fn on_nonzero_unbalanced(share: CreditOf<T>) {
		Self::pay_share(share);
	}
}
