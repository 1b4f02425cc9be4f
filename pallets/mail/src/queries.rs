//! Read-only views for the runtime API.

use crate::{pallet::*, types::*, MessageOf, MessageViewOf};
use alloc::vec::Vec;
use kmcc_primitives::storage::{SpaceId, SpaceReadAccess};
use polkadot_sdk::frame_system::pallet_prelude::BlockNumberFor;

impl<T: Config> Pallet<T> {
	/// A message as the runtime API shows it.
	pub fn view(id: MessageId, message: MessageOf<T>) -> MessageViewOf<T> {
		MessageView {
			id,
			from_alias: AliasOf::<T>::get(&message.from).map(|a| a.into_inner()),
			from: message.from,
			to: message.to,
			sent_at: message.sent_at,
			timestamp: message.timestamp,
			expires_at: message.expires_at,
			postage: message.postage,
			deposit: message.deposit,
			ciphertext: message.ciphertext.into_inner(),
			attachment: message.attachment,
			exchange: message.exchange,
		}
	}

	/// Where `account` can be mailed.
	pub fn address(account: T::AccountId) -> MailAddress<T::AccountId> {
		MailAddress {
			alias: AliasOf::<T>::get(&account).map(|a| a.into_inner()),
			encryption_key: EncryptionKeys::<T>::get(&account).map(|k| k.key),
			settings: Settings::<T>::get(&account),
			account,
		}
	}

	/// `resolve_alias` of the runtime API.
	pub fn resolve_alias(name: Vec<u8>) -> Option<MailAddress<T::AccountId>> {
		let alias = AliasName::try_from(name).ok()?;
		Aliases::<T>::get(alias).map(|record| Self::address(record.owner))
	}

	/// `mailbox` of the runtime API: up to `limit` (at most [`MAX_PAGE`]) messages from
	/// position `from`.
	pub fn mailbox(
		account: T::AccountId,
		from: u32,
		limit: u32,
	) -> MailboxPage<T::AccountId, BlockNumberFor<T>> {
		let ids = Mailboxes::<T>::get(&account);
		let messages = ids
			.iter()
			.skip(from as usize)
			.take(limit.min(MAX_PAGE) as usize)
			.filter_map(|id| Messages::<T>::get(id).map(|m| Self::view(*id, m)))
			.collect();
		MailboxPage { total: ids.len() as u32, messages }
	}

	/// `attachment_status` of the runtime API.
	pub fn attachment_status(id: MessageId) -> Option<AttachmentStatus<BlockNumberFor<T>>> {
		let message = Messages::<T>::get(id)?;
		let attachment = message.attachment?;
		Some(AttachmentStatus {
			message: id,
			readable: T::Spaces::can_read(attachment.space, &message.to),
			attachment,
			exchange: message.exchange,
		})
	}

	/// `attachments_in_space` of the runtime API: `(message, offset, length)`.
	pub fn attachments_in_space(space: SpaceId) -> Vec<(MessageId, u64, u64)> {
		AttachmentsBySpace::<T>::iter_prefix(space)
			.map(|(id, (offset, length))| (id, offset, length))
			.collect()
	}
}
