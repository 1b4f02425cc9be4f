//! `MailApi`: addresses, mailboxes, messages and attachments, for mail clients.
//!
//! From `@polkadot/api`: `api.call.mailApi.mailbox(account, 0, 50)`; from the `kmcc`
//! wallet, the same calls through subxt.

use crate::{AttachmentStatus, MailAddress, MailParameters, MailboxPage, MessageId, MessageView};
use alloc::vec::Vec;
use codec::Codec;
use kmcc_primitives::storage::SpaceId;

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Encrypted mail of KMCC Chain.
	pub trait MailApi<AccountId, BlockNumber> where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// The owner of alias `name`, its key and settings.
		fn resolve_alias(name: Vec<u8>) -> Option<MailAddress<AccountId>>;

		/// `account`'s alias, key and settings.
		fn address(account: AccountId) -> MailAddress<AccountId>;

		/// Up to `limit` (at most 256) messages of `account`'s mailbox from position `from`,
		/// oldest first, and the mailbox's size.
		fn mailbox(account: AccountId, from: u32, limit: u32) -> MailboxPage<AccountId, BlockNumber>;

		/// Message `id`.
		fn message(id: MessageId) -> Option<MessageView<AccountId, BlockNumber>>;

		/// Message `id`'s attachment, its exchange and whether the recipient can read it.
		fn attachment_status(id: MessageId) -> Option<AttachmentStatus<BlockNumber>>;

		/// Attachments stored in `space`: `(message, offset, length)`.
		fn attachments_in_space(space: SpaceId) -> Vec<(MessageId, u64, u64)>;

		/// The network's postage, retention and delivery timeout.
		fn parameters() -> MailParameters<BlockNumber>;
	}
}
