//! Benchmarks: every call at its worst case (first key deposit, full mailboxes, paid
//! attachments that make and revoke a read grant).

use super::*;
use alloc::vec;
use alloc::vec::Vec;
use kmcc_primitives::{currency::KMCC, storage::SpaceId};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		traits::{fungible::Mutate, EnsureOrigin, Get},
		BoundedVec,
	},
	frame_system::{self, RawOrigin},
	sp_core::H256,
	sp_runtime::traits::{One, Saturating},
};

/// Makes storage spaces for the benchmarks.
pub trait BenchmarkHelper<AccountId> {
	/// A space of `size_mib` MiB owned by `owner`, that `owner` may grant access to.
	fn create_space(owner: &AccountId, size_mib: u32) -> SpaceId;
}

const KEY: [u8; 32] = [9; 32];

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, 1_000_000 * KMCC);
	who
}

/// An account with a published key.
fn mailable<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who = funded::<T>(name, index);
	Pallet::<T>::set_encryption_key(RawOrigin::Signed(who.clone()).into(), KEY)
		.expect("benchmark key");
	who
}

fn alias(n: u32) -> Vec<u8> {
	let mut name = b"benchmark-alias-".to_vec();
	name.extend_from_slice(alloc::format!("{n:08}").as_bytes());
	name
}

/// Fills `who`'s mailbox to one below its bound with ids of no message (a send only reads
/// and writes the list).
fn nearly_full<T: Config>(who: &T::AccountId) {
	let ids: BoundedVec<MessageId, T::MaxMailboxLen> = (0..T::MaxMailboxLen::get()
		.saturating_sub(1))
		.map(|i| u64::MAX - u64::from(i))
		.collect::<Vec<_>>()
		.try_into()
		.expect("within the bound");
	Mailboxes::<T>::insert(who, ids);
}

fn paid_attachment<T: Config>(from: &T::AccountId) -> Attachment {
	Attachment {
		space: T::BenchmarkHelper::create_space(from, 4),
		offset: 0,
		length: 3 << 20,
		content_hash: H256::repeat_byte(1),
		terms: Some(PaidTerms { price: KMCC, key_commitment: key_commitment(&[5; 32]) }),
	}
}

/// A message from `from` to `to` with a paid attachment; returns its id.
fn sent<T: Config>(from: &T::AccountId, to: &T::AccountId) -> MessageId {
	nearly_full::<T>(to);
	let attachment = paid_attachment::<T>(from);
	let postage = Pallet::<T>::required_postage(to);
	Pallet::<T>::send(
		RawOrigin::Signed(from.clone()).into(),
		Recipient::Account(to.clone()),
		vec![1; T::MaxMessageLen::get() as usize],
		Some(attachment),
		postage,
	)
	.expect("benchmark message");
	NextMessageId::<T>::get() - 1
}

fn paid<T: Config>(from: &T::AccountId, to: &T::AccountId) -> MessageId {
	let id = sent::<T>(from, to);
	Pallet::<T>::pay_attachment(RawOrigin::Signed(to.clone()).into(), id).expect("paid");
	id
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_alias() {
		let who = funded::<T>("owner", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), alias(0), KEY);

		assert!(AliasOf::<T>::contains_key(&who));
	}

	#[benchmark]
	fn set_encryption_key() {
		let who = funded::<T>("owner", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), KEY);

		assert!(EncryptionKeys::<T>::contains_key(&who));
	}

	#[benchmark]
	fn remove_encryption_key() {
		let who = mailable::<T>("owner", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!EncryptionKeys::<T>::contains_key(&who));
	}

	#[benchmark]
	fn transfer_alias() {
		let who = funded::<T>("owner", 0);
		Pallet::<T>::register_alias(RawOrigin::Signed(who.clone()).into(), alias(0), KEY)
			.expect("alias");
		let to = mailable::<T>("new-owner", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), to.clone());

		assert!(AliasOf::<T>::contains_key(&to));
	}

	#[benchmark]
	fn release_alias() {
		let who = funded::<T>("owner", 0);
		Pallet::<T>::register_alias(RawOrigin::Signed(who.clone()).into(), alias(0), KEY)
			.expect("alias");

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!AliasOf::<T>::contains_key(&who));
	}

	/// A paid attachment that makes a new read grant, to a nearly full mailbox with a
	/// minimum postage, from a sender with an alias; `n` ciphertext bytes.
	#[benchmark]
	fn send(n: Linear<1, { T::MaxMessageLen::get() }>) {
		let from = funded::<T>("sender", 0);
		Pallet::<T>::register_alias(RawOrigin::Signed(from.clone()).into(), alias(1), KEY)
			.expect("alias");
		let to = mailable::<T>("recipient", 0);
		Pallet::<T>::set_min_postage(RawOrigin::Signed(to.clone()).into(), KMCC).expect("settings");
		nearly_full::<T>(&to);
		let attachment = paid_attachment::<T>(&from);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(from.clone()),
			Recipient::Account(to.clone()),
			vec![1; n as usize],
			Some(attachment),
			KMCC,
		);

		assert_eq!(Mailboxes::<T>::get(&to).len() as u32, T::MaxMailboxLen::get());
	}

	/// The last message of a full mailbox, whose removal revokes its read grant.
	#[benchmark]
	fn delete() {
		let from = funded::<T>("sender", 0);
		let to = mailable::<T>("recipient", 0);
		let id = sent::<T>(&from, &to);

		#[extrinsic_call]
		_(RawOrigin::Signed(to.clone()), id);

		assert!(!Messages::<T>::contains_key(id));
	}

	#[benchmark]
	fn pay_attachment() {
		let from = funded::<T>("sender", 0);
		let to = mailable::<T>("recipient", 0);
		let id = sent::<T>(&from, &to);

		#[extrinsic_call]
		_(RawOrigin::Signed(to.clone()), id);

		assert!(matches!(
			Messages::<T>::get(id).and_then(|m| m.exchange),
			Some(Exchange::Paid { .. })
		));
	}

	#[benchmark]
	fn deliver_key() {
		let from = funded::<T>("sender", 0);
		let to = mailable::<T>("recipient", 0);
		let id = paid::<T>(&from, &to);

		#[extrinsic_call]
		_(RawOrigin::Signed(from.clone()), id, [5; 32]);

		assert!(matches!(
			Messages::<T>::get(id).and_then(|m| m.exchange),
			Some(Exchange::Delivered { .. })
		));
	}

	#[benchmark]
	fn refund() {
		let from = funded::<T>("sender", 0);
		let to = mailable::<T>("recipient", 0);
		let id = paid::<T>(&from, &to);
		let later = frame_system::Pallet::<T>::block_number()
			.saturating_add(Parameters::<T>::get().delivery_timeout)
			.saturating_add(One::one());
		frame_system::Pallet::<T>::set_block_number(later);

		#[extrinsic_call]
		_(RawOrigin::Signed(from.clone()), id);

		assert_eq!(Messages::<T>::get(id).and_then(|m| m.exchange), Some(Exchange::Refunded));
	}

	#[benchmark]
	fn block_sender() {
		let who = funded::<T>("recipient", 0);
		let sender = funded::<T>("sender", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), sender.clone());

		assert!(Blocked::<T>::contains_key(&who, &sender));
	}

	#[benchmark]
	fn unblock_sender() {
		let who = funded::<T>("recipient", 0);
		let sender = funded::<T>("sender", 0);
		Pallet::<T>::block_sender(RawOrigin::Signed(who.clone()).into(), sender.clone())
			.expect("blocked");

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), sender.clone());

		assert!(!Blocked::<T>::contains_key(&who, &sender));
	}

	#[benchmark]
	fn set_min_postage() {
		let who = funded::<T>("recipient", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), KMCC);

		assert_eq!(Settings::<T>::get(&who).min_postage, KMCC);
	}

	#[benchmark]
	fn set_parameters() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let parameters = MailParameters {
			base_postage: KMCC,
			message_retention: 1_000u32.into(),
			delivery_timeout: 100u32.into(),
		};

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, parameters);

		assert_eq!(Parameters::<T>::get(), parameters);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
