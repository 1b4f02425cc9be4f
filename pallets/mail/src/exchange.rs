//! Paid attachments: the escrow and the key exchange (module doc, "a fair exchange").

use crate::{pallet::*, types::*};
use kmcc_primitives::funds::FrozenBalance;
use polkadot_sdk::{
	frame_support::{
		ensure,
		pallet_prelude::*,
		traits::{
			fungible::MutateHold,
			tokens::{Fortitude, Precision, Restriction},
		},
	},
	frame_system,
	sp_runtime::traits::Saturating,
};

impl<T: Config> Pallet<T> {
	/// The recipient `who` pays message `id`'s attachment price into escrow.
	pub(crate) fn do_pay_attachment(who: T::AccountId, id: MessageId) -> DispatchResult {
		let mut message = Messages::<T>::get(id).ok_or(Error::<T>::UnknownMessage)?;
		ensure!(message.to == who, Error::<T>::NotRecipient);
		let terms =
			message.attachment.and_then(|a| a.terms).ok_or(Error::<T>::NotPaidAttachment)?;
		ensure!(message.exchange == Some(Exchange::Offered), Error::<T>::AlreadyPaid);
		ensure!(T::Frozen::unencumbered(&who) >= terms.price, Error::<T>::InsufficientBalance);
		T::Currency::hold(&HoldReason::AttachmentEscrow.into(), &who, terms.price)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		let deadline = frame_system::Pallet::<T>::block_number()
			.saturating_add(Parameters::<T>::get().delivery_timeout);
		message.exchange = Some(Exchange::Paid { amount: terms.price, deadline });
		Messages::<T>::insert(id, message);
		Self::deposit_event(Event::AttachmentPaid {
			id,
			payer: who,
			amount: terms.price,
			deadline,
		});
		Ok(())
	}

	/// The sender `who` delivers `key` for message `id`; the escrow goes to it if the key
	/// matches the commitment.
	pub(crate) fn do_deliver_key(
		who: T::AccountId,
		id: MessageId,
		key: LayerKey,
	) -> DispatchResult {
		let mut message = Messages::<T>::get(id).ok_or(Error::<T>::UnknownMessage)?;
		ensure!(message.from == who, Error::<T>::NotSender);
		let terms =
			message.attachment.and_then(|a| a.terms).ok_or(Error::<T>::NotPaidAttachment)?;
		let Some(Exchange::Paid { amount, .. }) = message.exchange else {
			return Err(Error::<T>::NotPaid.into());
		};
		ensure!(key_commitment(&key) == terms.key_commitment, Error::<T>::KeyMismatch);
		let paid = T::Currency::transfer_on_hold(
			&HoldReason::AttachmentEscrow.into(),
			&message.to,
			&who,
			amount,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Polite,
		)?;
		message.exchange = Some(Exchange::Delivered { key });
		Messages::<T>::insert(id, message);
		Self::deposit_event(Event::KeyDelivered { id, key, amount: paid });
		Ok(())
	}

	/// Returns message `id`'s escrow to its payer once the deadline passed without a key.
	pub(crate) fn do_refund(id: MessageId) -> DispatchResult {
		let mut message = Messages::<T>::get(id).ok_or(Error::<T>::UnknownMessage)?;
		let Some(Exchange::Paid { amount, deadline }) = message.exchange else {
			return Err(Error::<T>::NotPaid.into());
		};
		ensure!(frame_system::Pallet::<T>::block_number() >= deadline, Error::<T>::DeliveryPending);
		let refunded = T::Currency::release(
			&HoldReason::AttachmentEscrow.into(),
			&message.to,
			amount,
			Precision::BestEffort,
		)?;
		message.exchange = Some(Exchange::Refunded);
		let payer = message.to.clone();
		Messages::<T>::insert(id, message);
		Self::deposit_event(Event::AttachmentRefunded { id, payer, amount: refunded });
		Ok(())
	}
}
