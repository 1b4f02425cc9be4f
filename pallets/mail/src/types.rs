//! Records the pallet stores, takes and returns, and the pure rules (alias syntax, the key
//! commitment, the message deposit).

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use kmcc_primitives::{storage::SpaceId, Balance};
use polkadot_sdk::{
	frame_support::{traits::ConstU32, BoundedVec},
	sp_core::H256,
};
use scale_info::TypeInfo;

/// Identifier of a message: a counter over the whole chain, never reused.
pub type MessageId = u64;

/// An x25519 public key (NaCl `crypto_box`), to which senders encrypt.
pub type EncryptionKey = [u8; 32];

/// A symmetric key of an attachment layer (the outer layer's key `K2` is revealed on chain).
pub type LayerKey = [u8; 32];

/// Shortest alias.
pub const MIN_ALIAS_LEN: u32 = 3;
/// Longest alias.
pub const MAX_ALIAS_LEN: u32 = 32;

/// An alias as stored: 3–32 bytes of `a-z 0-9 . _ -` ([`is_valid_alias`]).
pub type AliasName = BoundedVec<u8, ConstU32<MAX_ALIAS_LEN>>;

/// Most messages one mailbox page of the runtime API returns.
pub const MAX_PAGE: u32 = 256;

/// Domain of [`key_commitment`].
pub const KEY_COMMITMENT_CONTEXT: &[u8; 16] = b"kmcc/mail/key/v1";

/// Whether `name` is a valid alias: 3 to 32 characters, each a lowercase ASCII letter, a
/// digit, `.`, `_` or `-`.
pub fn is_valid_alias(name: &[u8]) -> bool {
	(MIN_ALIAS_LEN as usize..=MAX_ALIAS_LEN as usize).contains(&name.len())
		&& name.iter().all(|c| matches!(c, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-'))
}

/// Whether `key` may be published: not the all-zero or the `u = 1` encoding, the two
/// low-order points every x25519 implementation agrees are degenerate (a box to them is
/// readable by anyone).
pub fn is_valid_encryption_key(key: &EncryptionKey) -> bool {
	let mut one = [0u8; 32];
	one[0] = 1;
	key != &[0u8; 32] && key != &one
}

/// The commitment to an outer-layer key: `blake2_256("kmcc/mail/key/v1" ‖ key)`.
pub fn key_commitment(key: &LayerKey) -> H256 {
	let mut preimage = [0u8; 48];
	preimage[..16].copy_from_slice(KEY_COMMITMENT_CONTEXT);
	preimage[16..].copy_from_slice(key);
	H256(polkadot_sdk::sp_io::hashing::blake2_256(&preimage))
}

/// The storage deposit of a message of `len` ciphertext bytes: `base + per_byte · len`.
pub fn message_deposit(base: Balance, per_byte: Balance, len: u32) -> Balance {
	base.saturating_add(per_byte.saturating_mul(Balance::from(len)))
}

/// A recipient: an account or an alias.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub enum Recipient<AccountId> {
	/// The account itself.
	Account(AccountId),
	/// The alias's current owner (checked by [`is_valid_alias`]).
	Alias(Vec<u8>),
}

/// The terms of a paid attachment.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct PaidTerms {
	/// What the recipient pays for the outer-layer key.
	pub price: Balance,
	/// [`key_commitment`] of the outer-layer key `K2`.
	pub key_commitment: H256,
}

/// An attachment: bytes in the sender's space.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct Attachment {
	/// The sender's space.
	pub space: SpaceId,
	/// First byte in the space.
	pub offset: u64,
	/// Bytes.
	pub length: u64,
	/// `blake2_256` of the bytes as stored (encrypted).
	pub content_hash: H256,
	/// `Some` for a paid attachment.
	pub terms: Option<PaidTerms>,
}

/// Where a paid attachment's exchange stands.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum Exchange<BlockNumber> {
	/// Offered: the recipient has not paid.
	Offered,
	/// The recipient paid `amount` (held from it); the sender's key is due by `deadline`,
	/// after which anyone may refund.
	Paid {
		/// The escrowed price.
		amount: Balance,
		/// The block from which a refund is allowed.
		deadline: BlockNumber,
	},
	/// The sender revealed `key`, which matched the commitment; the price went to it.
	Delivered {
		/// The outer-layer key `K2`.
		key: LayerKey,
	},
	/// No key arrived in time; the price went back to the recipient.
	Refunded,
}

impl<BlockNumber> Exchange<BlockNumber> {
	/// The escrowed amount while paid.
	pub fn escrowed(&self) -> Balance {
		match self {
			Self::Paid { amount, .. } => *amount,
			_ => 0,
		}
	}
}

/// A message in a mailbox.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen, Debug)]
#[scale_info(skip_type_params(MaxLen))]
#[codec(mel_bound(AccountId: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Message<AccountId, BlockNumber, MaxLen: polkadot_sdk::frame_support::traits::Get<u32>> {
	/// The sender.
	pub from: AccountId,
	/// The recipient (the mailbox's owner).
	pub to: AccountId,
	/// Block of sending.
	pub sent_at: BlockNumber,
	/// Unix time of sending, in milliseconds (the block's timestamp).
	pub timestamp: u64,
	/// From this block anyone may clean it up.
	pub expires_at: BlockNumber,
	/// Postage paid (burned and given to the storage pool).
	pub postage: Balance,
	/// Storage deposit held from the sender until the message is removed.
	pub deposit: Balance,
	/// The `crypto_box` ciphertext (the envelope; see the `kmcc` wallet).
	pub ciphertext: BoundedVec<u8, MaxLen>,
	/// The attachment, if any.
	pub attachment: Option<Attachment>,
	/// The paid attachment's exchange (`Some` iff the attachment has terms).
	pub exchange: Option<Exchange<BlockNumber>>,
	/// Whether this message holds one of the read grants mail made ([`crate::MailGrants`]).
	pub holds_grant: bool,
}

/// An alias.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug,
)]
pub struct AliasRecord<AccountId> {
	/// Its owner.
	pub owner: AccountId,
	/// Deposit held from the owner.
	pub deposit: Balance,
}

/// A published encryption key.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Debug,
)]
pub struct PublishedKey {
	/// The x25519 public key.
	pub key: EncryptionKey,
	/// Deposit held while it is published.
	pub deposit: Balance,
}

/// A recipient's anti-spam settings.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Debug,
)]
pub struct MailSettings {
	/// Least postage it accepts (the network's base postage applies when higher).
	pub min_postage: Balance,
	/// Senders it blocks.
	pub blocked: u32,
}

/// The network's mail parameters (genesis, then the admin origin).
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct MailParameters<BlockNumber> {
	/// Least postage of any message.
	pub base_postage: Balance,
	/// Blocks after which anyone may remove a message (its deposit goes back to the sender).
	pub message_retention: BlockNumber,
	/// Blocks the sender has to deliver a paid attachment's key before a refund is allowed.
	pub delivery_timeout: BlockNumber,
}

/// A message as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct MessageView<AccountId, BlockNumber> {
	/// Its id.
	pub id: MessageId,
	/// The sender.
	pub from: AccountId,
	/// The sender's alias, if it has one.
	pub from_alias: Option<Vec<u8>>,
	/// The recipient.
	pub to: AccountId,
	/// Block of sending.
	pub sent_at: BlockNumber,
	/// Unix time of sending (ms).
	pub timestamp: u64,
	/// From this block anyone may clean it up.
	pub expires_at: BlockNumber,
	/// Postage paid.
	pub postage: Balance,
	/// Deposit held from the sender.
	pub deposit: Balance,
	/// The ciphertext.
	pub ciphertext: Vec<u8>,
	/// The attachment.
	pub attachment: Option<Attachment>,
	/// The paid attachment's exchange.
	pub exchange: Option<Exchange<BlockNumber>>,
}

/// One page of a mailbox, newest last.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct MailboxPage<AccountId, BlockNumber> {
	/// Messages in the mailbox.
	pub total: u32,
	/// The messages from position `from` on.
	pub messages: Vec<MessageView<AccountId, BlockNumber>>,
}

/// Where an account can be mailed: its key and alias.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct MailAddress<AccountId> {
	/// The account.
	pub account: AccountId,
	/// Its alias, if any.
	pub alias: Option<Vec<u8>>,
	/// Its published encryption key (none: it cannot receive mail).
	pub encryption_key: Option<EncryptionKey>,
	/// Its settings.
	pub settings: MailSettings,
}

/// A message's attachment as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct AttachmentStatus<BlockNumber> {
	/// The message.
	pub message: MessageId,
	/// The attachment.
	pub attachment: Attachment,
	/// The exchange, for a paid attachment.
	pub exchange: Option<Exchange<BlockNumber>>,
	/// Whether the recipient may read the space now.
	pub readable: bool,
}
