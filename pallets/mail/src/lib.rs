//! # Mail
//!
//! design §10 (Contattract 4.1, 2.3.2): encrypted mail between accounts. Short messages live
//! in the recipient's mailbox in chain state; larger content is an attachment kept in the
//! sender's storage space. The chain sees who wrote to whom and when, never what: every
//! message is a NaCl `crypto_box` ciphertext made by the sender's wallet to the recipient's
//! published x25519 key (the envelope format is the `kmcc` wallet's, not this pallet's).
//!
//! ## Addresses
//!
//! An account receives mail once it has published an **encryption key**
//! ([`Pallet::set_encryption_key`], [`Config::KeyDeposit`] held). It may also hold one
//! **alias** ([`Pallet::register_alias`]: 3–32 characters of `a-z 0-9 . _ -`, unique,
//! [`Config::AliasDeposit`] held), which senders use instead of the account. An alias can be
//! handed to another account that has a key ([`Pallet::transfer_alias`]; its deposit moves
//! with it, held on the new owner) or released ([`Pallet::release_alias`], deposit back).
//!
//! ## Sending
//!
//! [`Pallet::send`] `(to, ciphertext ≤ MaxMessageLen, attachment, postage)` appends a message
//! to the recipient's mailbox (at most [`Config::MaxMailboxLen`]). The sender pays:
//!
//! - **postage**, at least `max(base_postage, recipient's min_postage)`, which is spent:
//!   [`Config::OnPostage`] (in KMCC's runtime `Issuance`'s `BurnFeeShare`) burns 80 % and
//!   gives the rest to the storage subsidy pool, so mail volume pays the landlords and
//!   shrinks the supply;
//! - a **deposit** `message_deposit_base + message_deposit_per_byte · len`, held until the
//!   recipient deletes the message ([`Pallet::delete`]) or, once it is
//!   `message_retention` blocks old, anyone removes it ([`Pallet::cleanup`]); either way it
//!   goes back to the sender. The deposit prices the state a message occupies; the postage
//!   prices the recipient's attention.
//!
//! A recipient fights garbage mail with [`Pallet::set_min_postage`] and
//! [`Pallet::block_sender`] (at most [`Config::MaxBlockedSenders`]).
//!
//! ## Attachments
//!
//! An attachment is `(space, offset, length, content hash)` inside one of the sender's
//! spaces (`pallet-storage-spaces`, reached through
//! [`kmcc_primitives::storage::SpaceReadAccess`]). Sending grants the recipient read access to
//! that space; the grant is counted in [`MailGrants`] and revoked when the last message that
//! needed it is removed (access the owner granted by hand is left alone). The wallet encrypts
//! the content before it writes it, so landlords and grantees of the space only see
//! ciphertext, and the recipient checks the content hash after fetching.
//!
//! ## Paid attachments: a fair exchange
//!
//! The sender of a paid attachment chooses two fresh keys. The content is encrypted twice,
//! first with `K1` and then with `K2`; `K1` travels inside the encrypted message (only the
//! recipient can read it), and the message carries the price and the commitment
//! `c = blake2_256("kmcc/mail/key/v1" ‖ K2)` ([`key_commitment`]).
//!
//! 1. [`Pallet::pay_attachment`]: the recipient puts the price in escrow (held from its
//!    account) and the sender has `delivery_timeout` blocks to answer.
//! 2. [`Pallet::deliver_key`]`(K2)`: the chain checks `H(K2) = c`; only then does the escrow go
//!    to the sender, and `K2` is kept with the message.
//! 3. [`Pallet::refund`]: past the deadline without a valid key, anyone returns the escrow to
//!    the recipient.
//!
//! Why this is fair: the sender is paid only by publishing the key it committed to when it
//! sent the message, and publishing it gives the recipient everything it needs (it already
//! has `K1`, and the read grant came with the message, so it can download and hash the
//! content before paying). The recipient cannot obtain `K2` without paying, and cannot take
//! the price back once `K2` is on chain (a refund needs the exchange still `Paid`). `K2`
//! becomes public, so landlords and observers can remove the outer layer, but they never
//! learn `K1`, so the content stays private.
//!
//! What the chain cannot judge: whether the content is worth its price, or whether a sender
//! encrypted it with a key other than the one it committed to. Both are visible to the
//! recipient right after delivery and are public evidence against the sender (the key, the
//! content hash and the bytes are all verifiable by anyone the recipient shows them to), but
//! they do not move money back.
//!
//! ## Invariants
//!
//! Checked by `try_state` ([`Pallet::do_try_state`]) and after every mock test: mailboxes and
//! messages agree; every hold of this pallet equals the sum of what it backs (aliases, keys,
//! message deposits, escrows); aliases and their owners are a bijection; block counts match
//! the block list; [`AttachmentsBySpace`] and [`MailGrants`] match the messages.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod addresses;
mod exchange;
#[cfg(any(test, feature = "try-runtime"))]
mod invariants;
mod messages;
mod queries;

pub mod migrations;
pub mod runtime_api;
mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use kmcc_primitives::Balance;
use polkadot_sdk::frame_system::pallet_prelude::BlockNumberFor;

/// A message as stored.
pub type MessageOf<T> = Message<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
	BlockNumberFor<T>,
	<T as Config>::MaxMessageLen,
>;
/// The parameters with this runtime's block number.
pub type ParametersOf<T> = MailParameters<BlockNumberFor<T>>;
/// A message as the runtime API returns it.
pub type MessageViewOf<T> =
	MessageView<<T as polkadot_sdk::frame_system::Config>::AccountId, BlockNumberFor<T>>;

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use kmcc_primitives::{
		funds::FrozenBalance,
		storage::{SpaceId, SpaceReadAccess},
	};
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::{
				fungible::{Balanced, Credit, InspectHold, Mutate, MutateHold},
				tokens::{Fortitude, Precision, Restriction},
				OnUnbalanced, Time,
			},
		},
		frame_system::{self, pallet_prelude::*},
		sp_runtime::traits::Zero,
	};

	/// The in-code storage version.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// An alias's deposit.
		#[codec(index = 0)]
		Alias,
		/// A published encryption key's deposit.
		#[codec(index = 1)]
		EncryptionKey,
		/// A message's storage deposit, held from its sender.
		#[codec(index = 2)]
		MessageDeposit,
		/// A paid attachment's price, held from the recipient until the key or the refund.
		#[codec(index = 3)]
		AttachmentEscrow,
	}

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The KMCC currency.
		type Currency: Mutate<Self::AccountId, Balance = Balance>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ InspectHold<Self::AccountId, Balance = Balance>
			+ Balanced<Self::AccountId, Balance = Balance>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The frozen part of an account's balance: deposits and escrows are held only from
		/// funds that no freeze claims.
		type Frozen: kmcc_primitives::funds::FrozenBalance<Self::AccountId>;

		/// Where postage goes (KMCC: burn 80 %, the rest to the storage subsidy pool).
		type OnPostage: OnUnbalanced<Credit<Self::AccountId, Self::Currency>>;

		/// Storage spaces: attachments live in the sender's space, read by grant.
		type Spaces: SpaceReadAccess<Self::AccountId>;

		/// Block time (timestamps of messages).
		type Time: Time<Moment = u64>;

		/// May change [`MailParameters`].
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Held while an alias is registered.
		#[pallet::constant]
		type AliasDeposit: Get<Balance>;

		/// Held while an encryption key is published.
		#[pallet::constant]
		type KeyDeposit: Get<Balance>;

		/// Part of a message's deposit independent of its size.
		#[pallet::constant]
		type MessageDepositBase: Get<Balance>;

		/// Part of a message's deposit per ciphertext byte.
		#[pallet::constant]
		type MessageDepositPerByte: Get<Balance>;

		/// Longest ciphertext of a message, in bytes (1 KiB).
		#[pallet::constant]
		type MaxMessageLen: Get<u32>;

		/// Most messages in one mailbox.
		#[pallet::constant]
		type MaxMailboxLen: Get<u32>;

		/// Most senders one account blocks.
		#[pallet::constant]
		type MaxBlockedSenders: Get<u32>;

		/// Weights generated by `scripts/bench-pallets.sh`.
		type WeightInfo: WeightInfo;

		/// Creates spaces for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	/// Postage, retention and delivery timeout (genesis, then [`Config::AdminOrigin`]).
	#[pallet::storage]
	pub type Parameters<T: Config> = StorageValue<_, ParametersOf<T>, ValueQuery>;

	/// Aliases by name.
	#[pallet::storage]
	pub type Aliases<T: Config> =
		StorageMap<_, Blake2_128Concat, AliasName, AliasRecord<T::AccountId>>;

	/// The alias of each account that has one.
	#[pallet::storage]
	pub type AliasOf<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, AliasName>;

	/// Published encryption keys.
	#[pallet::storage]
	pub type EncryptionKeys<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, PublishedKey>;

	/// The id the next message gets.
	#[pallet::storage]
	pub type NextMessageId<T> = StorageValue<_, MessageId, ValueQuery>;

	/// Every message, by id.
	#[pallet::storage]
	pub type Messages<T: Config> = StorageMap<_, Twox64Concat, MessageId, MessageOf<T>>;

	/// Each account's mailbox: its messages' ids, oldest first.
	#[pallet::storage]
	pub type Mailboxes<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<MessageId, T::MaxMailboxLen>,
		ValueQuery,
	>;

	/// Anti-spam settings of each recipient that set any.
	#[pallet::storage]
	pub type Settings<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, MailSettings, ValueQuery>;

	/// `(recipient, sender)` pairs the recipient blocks.
	#[pallet::storage]
	pub type Blocked<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		(),
		OptionQuery,
	>;

	/// Attachments by space: `(offset, length)` of each message's bytes, so the sender's
	/// wallet knows which part of its space is still referenced.
	#[pallet::storage]
	pub type AttachmentsBySpace<T: Config> =
		StorageDoubleMap<_, Twox64Concat, SpaceId, Twox64Concat, MessageId, (u64, u64)>;

	/// Read grants mail made: how many messages to `who` need its grant on `space`.
	#[pallet::storage]
	pub type MailGrants<T: Config> =
		StorageDoubleMap<_, Twox64Concat, SpaceId, Blake2_128Concat, T::AccountId, u32>;

	#[pallet::genesis_config]
	#[derive(polkadot_sdk::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The network's mail parameters.
		pub parameters: ParametersOf<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Parameters::<T>::put(self.parameters);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `owner` registered `alias`; `deposit` is held.
		AliasRegistered { alias: AliasName, owner: T::AccountId, deposit: Balance },
		/// `alias` moved from `from` to `to`, with its deposit.
		AliasTransferred { alias: AliasName, from: T::AccountId, to: T::AccountId },
		/// `owner` released `alias`; `deposit` went back to it.
		AliasReleased { alias: AliasName, owner: T::AccountId, deposit: Balance },
		/// `who` published (or replaced) its encryption key.
		EncryptionKeySet { who: T::AccountId, key: EncryptionKey },
		/// `who` withdrew its encryption key; `deposit` went back to it.
		EncryptionKeyRemoved { who: T::AccountId, deposit: Balance },
		/// Message `id` from `from` is in `to`'s mailbox.
		MessageSent {
			id: MessageId,
			from: T::AccountId,
			to: T::AccountId,
			postage: Balance,
			deposit: Balance,
			attachment: Option<Attachment>,
		},
		/// The recipient deleted message `id`; `refunded` went back to the sender.
		MessageDeleted { id: MessageId, refunded: Balance },
		/// `by` removed expired message `id`; `refunded` went back to the sender.
		MessageExpired { id: MessageId, by: T::AccountId, refunded: Balance },
		/// The recipient paid `amount` into escrow for message `id`'s attachment; the key is
		/// due before block `deadline`.
		AttachmentPaid {
			id: MessageId,
			payer: T::AccountId,
			amount: Balance,
			deadline: BlockNumberFor<T>,
		},
		/// The sender delivered the key of message `id`'s attachment and received `amount`.
		KeyDelivered { id: MessageId, key: LayerKey, amount: Balance },
		/// No key came in time: `amount` went back to `payer`.
		AttachmentRefunded { id: MessageId, payer: T::AccountId, amount: Balance },
		/// `who` blocks mail from `sender`.
		SenderBlocked { who: T::AccountId, sender: T::AccountId },
		/// `who` accepts mail from `sender` again.
		SenderUnblocked { who: T::AccountId, sender: T::AccountId },
		/// `who` accepts only messages with at least `amount` of postage.
		MinPostageSet { who: T::AccountId, amount: Balance },
		/// The mail parameters changed.
		ParametersSet { parameters: ParametersOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// An alias is 3–32 characters of `a-z 0-9 . _ -`.
		BadAlias,
		/// Another account holds this alias.
		AliasTaken,
		/// The account already holds an alias (one per account).
		AlreadyHasAlias,
		/// The account holds no alias.
		NoAlias,
		/// No account holds this alias.
		UnknownAlias,
		/// Not a usable x25519 public key (all zero or `u = 1`).
		InvalidEncryptionKey,
		/// The account has published no encryption key, so it cannot receive mail.
		NoEncryptionKey,
		/// Not enough funds free of holds and freezes for the deposit, escrow or postage.
		InsufficientBalance,
		/// The ciphertext is empty.
		EmptyMessage,
		/// The ciphertext is longer than `MaxMessageLen`.
		MessageTooLong,
		/// The recipient's mailbox holds `MaxMailboxLen` messages.
		MailboxFull,
		/// The recipient blocks the sender.
		SenderBlocked,
		/// The postage is below the network's base postage or the recipient's minimum.
		PostageTooLow,
		/// The attachment's space does not exist.
		UnknownSpace,
		/// The attachment's space is not the sender's.
		NotSpaceOwner,
		/// The attachment is empty or does not lie inside its space.
		AttachmentOutOfBounds,
		/// A paid attachment's price is zero.
		ZeroPrice,
		/// No message has this id.
		UnknownMessage,
		/// Only the message's recipient may do this.
		NotRecipient,
		/// Only the message's sender may do this.
		NotSender,
		/// The message has no paid attachment.
		NotPaidAttachment,
		/// The attachment was already paid (or settled).
		AlreadyPaid,
		/// The attachment has not been paid, or its exchange is settled.
		NotPaid,
		/// The key does not match the sender's commitment.
		KeyMismatch,
		/// The sender may still deliver the key: no refund before the deadline.
		DeliveryPending,
		/// The attachment's price is in escrow: deliver or refund first.
		EscrowPending,
		/// The message is younger than the retention period.
		NotExpired,
		/// The account blocks `MaxBlockedSenders` senders.
		TooManyBlocked,
		/// The sender is already blocked.
		AlreadyBlocked,
		/// The sender is not blocked.
		NotBlocked,
		/// Parameters with a zero retention or delivery timeout.
		InvalidParameters,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxMessageLen::get() > 0);
			assert!(T::MaxMailboxLen::get() > 0);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers `name` as the caller's alias and publishes `encryption_key` as its key.
		/// Holds [`Config::AliasDeposit`] (and [`Config::KeyDeposit`] if no key was published).
		///
		/// Origin: signed. Emits [`Event::AliasRegistered`] and [`Event::EncryptionKeySet`].
		/// Complexity: O(1).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_alias())]
		pub fn register_alias(
			origin: OriginFor<T>,
			name: Vec<u8>,
			encryption_key: EncryptionKey,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(is_valid_alias(&name), Error::<T>::BadAlias);
			let alias = AliasName::try_from(name).map_err(|_| Error::<T>::BadAlias)?;
			ensure!(!Aliases::<T>::contains_key(&alias), Error::<T>::AliasTaken);
			ensure!(!AliasOf::<T>::contains_key(&who), Error::<T>::AlreadyHasAlias);
			ensure!(is_valid_encryption_key(&encryption_key), Error::<T>::InvalidEncryptionKey);
			let deposit = T::AliasDeposit::get();
			let key_deposit =
				if EncryptionKeys::<T>::contains_key(&who) { 0 } else { T::KeyDeposit::get() };
			ensure!(
				T::Frozen::unencumbered(&who) >= deposit.saturating_add(key_deposit),
				Error::<T>::InsufficientBalance
			);
			T::Currency::hold(&HoldReason::Alias.into(), &who, deposit)?;
			Self::publish_key(&who, encryption_key)?;
			Aliases::<T>::insert(&alias, AliasRecord { owner: who.clone(), deposit });
			AliasOf::<T>::insert(&who, &alias);
			Self::deposit_event(Event::AliasRegistered { alias, owner: who, deposit });
			Ok(())
		}

		/// Publishes (or replaces) the caller's encryption key; the first publication holds
		/// [`Config::KeyDeposit`].
		///
		/// Origin: signed. Emits [`Event::EncryptionKeySet`]. Complexity: O(1).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_encryption_key())]
		pub fn set_encryption_key(origin: OriginFor<T>, key: EncryptionKey) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(is_valid_encryption_key(&key), Error::<T>::InvalidEncryptionKey);
			if !EncryptionKeys::<T>::contains_key(&who) {
				ensure!(
					T::Frozen::unencumbered(&who) >= T::KeyDeposit::get(),
					Error::<T>::InsufficientBalance
				);
			}
			Self::publish_key(&who, key)
		}

		/// Withdraws the caller's encryption key (it can no longer receive mail) and releases
		/// its deposit. Messages already in its mailbox stay.
		///
		/// Origin: signed. Emits [`Event::EncryptionKeyRemoved`]. Complexity: O(1).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::remove_encryption_key())]
		pub fn remove_encryption_key(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let published = EncryptionKeys::<T>::take(&who).ok_or(Error::<T>::NoEncryptionKey)?;
			let deposit = T::Currency::release(
				&HoldReason::EncryptionKey.into(),
				&who,
				published.deposit,
				Precision::BestEffort,
			)?;
			Self::deposit_event(Event::EncryptionKeyRemoved { who, deposit });
			Ok(())
		}

		/// Hands the caller's alias to `to`, which must have published an encryption key and
		/// hold no alias. The deposit moves with the alias (held on `to`).
		///
		/// Origin: signed, the alias's owner. Emits [`Event::AliasTransferred`].
		/// Complexity: O(1).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::transfer_alias())]
		pub fn transfer_alias(origin: OriginFor<T>, to: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let alias = AliasOf::<T>::get(&who).ok_or(Error::<T>::NoAlias)?;
			ensure!(!AliasOf::<T>::contains_key(&to), Error::<T>::AlreadyHasAlias);
			ensure!(EncryptionKeys::<T>::contains_key(&to), Error::<T>::NoEncryptionKey);
			let mut record = Aliases::<T>::get(&alias).ok_or(Error::<T>::UnknownAlias)?;
			record.deposit = T::Currency::transfer_on_hold(
				&HoldReason::Alias.into(),
				&who,
				&to,
				record.deposit,
				Precision::BestEffort,
				Restriction::OnHold,
				Fortitude::Polite,
			)?;
			record.owner = to.clone();
			Aliases::<T>::insert(&alias, record);
			AliasOf::<T>::remove(&who);
			AliasOf::<T>::insert(&to, &alias);
			Self::deposit_event(Event::AliasTransferred { alias, from: who, to });
			Ok(())
		}

		/// Releases the caller's alias (anyone may register it again) and its deposit.
		///
		/// Origin: signed, the alias's owner. Emits [`Event::AliasReleased`]. Complexity: O(1).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::release_alias())]
		pub fn release_alias(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let alias = AliasOf::<T>::take(&who).ok_or(Error::<T>::NoAlias)?;
			let record = Aliases::<T>::take(&alias).ok_or(Error::<T>::UnknownAlias)?;
			let deposit = T::Currency::release(
				&HoldReason::Alias.into(),
				&who,
				record.deposit,
				Precision::BestEffort,
			)?;
			Self::deposit_event(Event::AliasReleased { alias, owner: who, deposit });
			Ok(())
		}

		/// Sends `ciphertext` (a `crypto_box` to the recipient's key, at most
		/// [`Config::MaxMessageLen`] bytes) with an optional attachment in one of the caller's
		/// spaces, paying `postage` and holding the message deposit.
		///
		/// Origin: signed. Emits [`Event::MessageSent`]. Complexity: O(`MaxMailboxLen`) (the
		/// recipient's mailbox is read and written).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::send(
			(ciphertext.len() as u32).min(T::MaxMessageLen::get()),
		))]
		pub fn send(
			origin: OriginFor<T>,
			to: Recipient<T::AccountId>,
			ciphertext: Vec<u8>,
			attachment: Option<Attachment>,
			#[pallet::compact] postage: Balance,
		) -> DispatchResult {
			let from = ensure_signed(origin)?;
			Self::do_send(from, to, ciphertext, attachment, postage)
		}

		/// Deletes message `id` from the caller's mailbox; its deposit goes back to the sender.
		///
		/// Origin: signed, the recipient. Emits [`Event::MessageDeleted`]. Complexity:
		/// O(`MaxMailboxLen`).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::delete())]
		pub fn delete(origin: OriginFor<T>, id: MessageId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let message = Messages::<T>::get(id).ok_or(Error::<T>::UnknownMessage)?;
			ensure!(message.to == who, Error::<T>::NotRecipient);
			let refunded = Self::remove_message(id, message)?;
			Self::deposit_event(Event::MessageDeleted { id, refunded });
			Ok(())
		}

		/// Removes message `id` once it is `message_retention` blocks old; its deposit goes
		/// back to the sender.
		///
		/// Origin: signed, anyone. Emits [`Event::MessageExpired`]. Complexity:
		/// O(`MaxMailboxLen`).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::delete())]
		pub fn cleanup(origin: OriginFor<T>, id: MessageId) -> DispatchResult {
			let by = ensure_signed(origin)?;
			let message = Messages::<T>::get(id).ok_or(Error::<T>::UnknownMessage)?;
			ensure!(
				frame_system::Pallet::<T>::block_number() >= message.expires_at,
				Error::<T>::NotExpired
			);
			let refunded = Self::remove_message(id, message)?;
			Self::deposit_event(Event::MessageExpired { id, by, refunded });
			Ok(())
		}

		/// Pays message `id`'s attachment price into escrow (held from the caller); the
		/// sender then has `delivery_timeout` blocks to deliver the key.
		///
		/// Origin: signed, the recipient. Emits [`Event::AttachmentPaid`]. Complexity: O(1).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::pay_attachment())]
		pub fn pay_attachment(origin: OriginFor<T>, id: MessageId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_pay_attachment(who, id)
		}

		/// Delivers the outer-layer key of message `id`'s paid attachment. If it matches the
		/// commitment, the escrowed price goes to the caller and the key is kept with the
		/// message. Accepted while the exchange is paid, also after the deadline as long as
		/// no one has refunded.
		///
		/// Origin: signed, the sender. Emits [`Event::KeyDelivered`]. Complexity: O(1).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::deliver_key())]
		pub fn deliver_key(origin: OriginFor<T>, id: MessageId, key: LayerKey) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deliver_key(who, id, key)
		}

		/// Returns message `id`'s escrowed price to the recipient when the sender delivered
		/// no valid key by the deadline.
		///
		/// Origin: signed, anyone. Emits [`Event::AttachmentRefunded`]. Complexity: O(1).
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::refund())]
		pub fn refund(origin: OriginFor<T>, id: MessageId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_refund(id)
		}

		/// Refuses mail from `sender` to the caller.
		///
		/// Origin: signed. Emits [`Event::SenderBlocked`]. Complexity: O(1).
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::block_sender())]
		pub fn block_sender(origin: OriginFor<T>, sender: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!Blocked::<T>::contains_key(&who, &sender), Error::<T>::AlreadyBlocked);
			let mut settings = Settings::<T>::get(&who);
			ensure!(settings.blocked < T::MaxBlockedSenders::get(), Error::<T>::TooManyBlocked);
			settings.blocked = settings.blocked.saturating_add(1);
			Settings::<T>::insert(&who, settings);
			Blocked::<T>::insert(&who, &sender, ());
			Self::deposit_event(Event::SenderBlocked { who, sender });
			Ok(())
		}

		/// Accepts mail from `sender` again.
		///
		/// Origin: signed. Emits [`Event::SenderUnblocked`]. Complexity: O(1).
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::unblock_sender())]
		pub fn unblock_sender(origin: OriginFor<T>, sender: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(Blocked::<T>::take(&who, &sender).is_some(), Error::<T>::NotBlocked);
			Self::put_settings(&who, |s| s.blocked = s.blocked.saturating_sub(1));
			Self::deposit_event(Event::SenderUnblocked { who, sender });
			Ok(())
		}

		/// Accepts only messages with at least `amount` of postage (zero: the network's base
		/// postage).
		///
		/// Origin: signed. Emits [`Event::MinPostageSet`]. Complexity: O(1).
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::set_min_postage())]
		pub fn set_min_postage(
			origin: OriginFor<T>,
			#[pallet::compact] amount: Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::put_settings(&who, |s| s.min_postage = amount);
			Self::deposit_event(Event::MinPostageSet { who, amount });
			Ok(())
		}

		/// Sets the network's mail parameters.
		///
		/// Origin: [`Config::AdminOrigin`]. Emits [`Event::ParametersSet`]. Complexity: O(1).
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::set_parameters())]
		pub fn set_parameters(origin: OriginFor<T>, parameters: ParametersOf<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(
				!parameters.message_retention.is_zero() && !parameters.delivery_timeout.is_zero(),
				Error::<T>::InvalidParameters
			);
			Parameters::<T>::put(parameters);
			Self::deposit_event(Event::ParametersSet { parameters });
			Ok(())
		}
	}
}
