//! Messages: deposits, postage, attachments and their read grants, removal.

use crate::{pallet::*, types::*, MessageOf};
use alloc::vec::Vec;
use kmcc_primitives::{funds::FrozenBalance, storage::SpaceReadAccess, Balance};
use polkadot_sdk::{
	frame_support::{
		ensure,
		pallet_prelude::*,
		traits::{
			fungible::{Balanced, MutateHold},
			tokens::{Fortitude, Precision, Preservation},
			OnUnbalanced, Time,
		},
	},
	frame_system,
	sp_runtime::traits::{Saturating, Zero},
};

impl<T: Config> Pallet<T> {
	/// The deposit of a message of `len` ciphertext bytes.
	pub fn deposit_for(len: u32) -> Balance {
		message_deposit(T::MessageDepositBase::get(), T::MessageDepositPerByte::get(), len)
	}

	/// The least postage `to` accepts.
	pub fn required_postage(to: &T::AccountId) -> Balance {
		Self::postage_floor(&Parameters::<T>::get(), to)
	}

	/// `max(base_postage, to's min_postage)` under `parameters`.
	fn postage_floor(parameters: &crate::ParametersOf<T>, to: &T::AccountId) -> Balance {
		parameters.base_postage.max(Settings::<T>::get(to).min_postage)
	}

	/// Checks an attachment against the sender's space.
	pub(crate) fn check_attachment(from: &T::AccountId, attachment: &Attachment) -> DispatchResult {
		let (owner, size) = T::Spaces::space(attachment.space).ok_or(Error::<T>::UnknownSpace)?;
		ensure!(&owner == from, Error::<T>::NotSpaceOwner);
		let end = attachment.offset.checked_add(attachment.length);
		ensure!(
			attachment.length > 0 && end.is_some_and(|end| end <= size),
			Error::<T>::AttachmentOutOfBounds
		);
		if let Some(terms) = attachment.terms {
			ensure!(!terms.price.is_zero(), Error::<T>::ZeroPrice);
		}
		Ok(())
	}

	/// Sends a message from `from` (see [`Pallet::send`]).
	pub(crate) fn do_send(
		from: T::AccountId,
		to: Recipient<T::AccountId>,
		ciphertext: Vec<u8>,
		attachment: Option<Attachment>,
		postage: Balance,
	) -> DispatchResult {
		let to = Self::resolve(&to)?;
		ensure!(!ciphertext.is_empty(), Error::<T>::EmptyMessage);
		let ciphertext: BoundedVec<u8, T::MaxMessageLen> =
			ciphertext.try_into().map_err(|_| Error::<T>::MessageTooLong)?;
		ensure!(EncryptionKeys::<T>::contains_key(&to), Error::<T>::NoEncryptionKey);
		ensure!(!Blocked::<T>::contains_key(&to, &from), Error::<T>::SenderBlocked);
		let parameters = Parameters::<T>::get();
		ensure!(postage >= Self::postage_floor(&parameters, &to), Error::<T>::PostageTooLow);
		let mut mailbox = Mailboxes::<T>::get(&to);
		ensure!((mailbox.len() as u32) < T::MaxMailboxLen::get(), Error::<T>::MailboxFull);
		if let Some(attachment) = &attachment {
			Self::check_attachment(&from, attachment)?;
		}
		let deposit = Self::deposit_for(ciphertext.len() as u32);
		ensure!(
			T::Frozen::unencumbered(&from) >= deposit.saturating_add(postage),
			Error::<T>::InsufficientBalance
		);

		let id = NextMessageId::<T>::get();
		let mut holds_grant = false;
		if let Some(attachment) = &attachment {
			let space = attachment.space;
			let counted = MailGrants::<T>::get(space, &to);
			let readable = T::Spaces::can_read(space, &to);
			if !readable {
				// No access yet, or the owner revoked the one mail made.
				T::Spaces::grant_read(&from, space, &to)?;
			}
			// Access the owner granted by hand is the owner's to manage: not counted.
			if counted.is_some() || !readable {
				MailGrants::<T>::insert(space, &to, counted.unwrap_or(0).saturating_add(1));
				holds_grant = true;
			}
			AttachmentsBySpace::<T>::insert(
				attachment.space,
				id,
				(attachment.offset, attachment.length),
			);
		}
		let credit = T::Currency::withdraw(
			&from,
			postage,
			Precision::Exact,
			Preservation::Preserve,
			Fortitude::Polite,
		)
		.map_err(|_| Error::<T>::InsufficientBalance)?;
		T::OnPostage::on_unbalanced(credit);
		T::Currency::hold(&HoldReason::MessageDeposit.into(), &from, deposit)
			.map_err(|_| Error::<T>::InsufficientBalance)?;

		mailbox.try_push(id).map_err(|_| Error::<T>::MailboxFull)?;
		Mailboxes::<T>::insert(&to, mailbox);
		NextMessageId::<T>::put(id.saturating_add(1));
		let now = frame_system::Pallet::<T>::block_number();
		let exchange = attachment.and_then(|a| a.terms).map(|_| Exchange::Offered);
		Messages::<T>::insert(
			id,
			Message {
				from: from.clone(),
				to: to.clone(),
				sent_at: now,
				timestamp: T::Time::now(),
				expires_at: now.saturating_add(parameters.message_retention),
				postage,
				deposit,
				ciphertext,
				attachment,
				exchange,
				holds_grant,
			},
		);
		Self::deposit_event(Event::MessageSent { id, from, to, postage, deposit, attachment });
		Ok(())
	}

	/// Removes a message whose exchange is not in escrow: out of the mailbox, its
	/// attachment index and grant, and its deposit back to the sender.
	pub(crate) fn remove_message(
		id: MessageId,
		message: MessageOf<T>,
	) -> Result<Balance, DispatchError> {
		ensure!(
			!matches!(message.exchange, Some(Exchange::Paid { .. })),
			Error::<T>::EscrowPending
		);
		Mailboxes::<T>::mutate_exists(&message.to, |mailbox| {
			if let Some(ids) = mailbox {
				ids.retain(|m| *m != id);
				if ids.is_empty() {
					*mailbox = None;
				}
			}
		});
		if let Some(attachment) = message.attachment {
			AttachmentsBySpace::<T>::remove(attachment.space, id);
			if message.holds_grant {
				let count = MailGrants::<T>::get(attachment.space, &message.to).unwrap_or(0);
				if count <= 1 {
					MailGrants::<T>::remove(attachment.space, &message.to);
					// The space may be gone or the owner may have revoked it already.
					let _ = T::Spaces::revoke(&message.from, attachment.space, &message.to);
				} else {
					MailGrants::<T>::insert(attachment.space, &message.to, count - 1);
				}
			}
		}
		Messages::<T>::remove(id);
		T::Currency::release(
			&HoldReason::MessageDeposit.into(),
			&message.from,
			message.deposit,
			Precision::BestEffort,
		)
	}
}
