//! The pallet's invariants, checked by `try_state` (the runtime's `try-runtime` build) and
//! after every mock test.
//!
//! 1. Every id in a mailbox is a message to that mailbox's owner, each message is in its
//!    recipient's mailbox exactly once, and every id is below [`NextMessageId`].
//! 2. Each account's holds equal what they back: its alias's deposit, its key's deposit,
//!    the deposits of the messages it sent and the escrows of attachments it paid.
//! 3. [`Aliases`] and [`AliasOf`] are inverse maps of valid names.
//! 4. Each recipient's `blocked` count is the size of its block list, within the bound.
//! 5. [`AttachmentsBySpace`] indexes exactly the messages with attachments, and
//!    [`MailGrants`] counts exactly the messages that hold a grant.
//! 6. An exchange exists exactly for paid attachments.

use crate::pallet::*;
use crate::{Exchange, HoldReason};
use alloc::collections::btree_map::BTreeMap;
use kmcc_primitives::{
	invariants::{bad, check},
	Balance,
};
use polkadot_sdk::{
	frame_support::traits::{fungible::InspectHold, Get},
	sp_runtime::TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the module doc; the first broken one is the error.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next = NextMessageId::<T>::get();
		let mut in_mailboxes = 0usize;
		for (owner, ids) in Mailboxes::<T>::iter() {
			check(!ids.is_empty(), "an empty mailbox is stored")?;
			for id in ids.iter() {
				check(*id < next, "a message id beyond the counter")?;
				let message = Messages::<T>::get(id).ok_or(bad("a mailbox names no message"))?;
				check(message.to == owner, "a message in another account's mailbox")?;
			}
			let mut sorted = ids.clone().into_inner();
			sorted.sort_unstable();
			sorted.dedup();
			check(sorted.len() == ids.len(), "a message twice in a mailbox")?;
			in_mailboxes += ids.len();
		}
		let mut deposits: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		let mut escrows: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		let mut grants: BTreeMap<(u64, T::AccountId), u32> = BTreeMap::new();
		let mut with_attachment = 0usize;
		let mut messages = 0usize;
		for (id, message) in Messages::<T>::iter() {
			messages += 1;
			let deposit = deposits.entry(message.from.clone()).or_default();
			*deposit = deposit.saturating_add(message.deposit);
			let paid = message.attachment.and_then(|a| a.terms).is_some();
			check(paid == message.exchange.is_some(), "an exchange without paid terms")?;
			if let Some(Exchange::Paid { amount, .. }) = message.exchange {
				let escrow = escrows.entry(message.to.clone()).or_default();
				*escrow = escrow.saturating_add(amount);
			}
			match message.attachment {
				Some(attachment) => {
					with_attachment += 1;
					check(
						AttachmentsBySpace::<T>::get(attachment.space, id)
							== Some((attachment.offset, attachment.length)),
						"an attachment is not indexed by its space",
					)?;
					if message.holds_grant {
						*grants.entry((attachment.space, message.to.clone())).or_default() += 1;
					}
				}
				None => check(!message.holds_grant, "a grant without an attachment")?,
			}
		}
		check(messages == in_mailboxes, "a message outside its recipient's mailbox")?;
		check(
			AttachmentsBySpace::<T>::iter().count() == with_attachment,
			"the space index names messages without attachments",
		)?;
		for ((space, who), count) in MailGrants::<T>::iter().map(|(s, w, c)| ((s, w), c)) {
			check(grants.remove(&(space, who)) == Some(count), "a grant count is wrong")?;
		}
		check(grants.is_empty(), "messages hold grants that are not counted")?;

		for (alias, record) in Aliases::<T>::iter() {
			check(crate::is_valid_alias(&alias), "an invalid alias is registered")?;
			check(AliasOf::<T>::get(&record.owner) == Some(alias), "an alias's owner lost it")?;
		}
		check(
			AliasOf::<T>::iter().count() == Aliases::<T>::iter().count(),
			"an account names an alias it does not own",
		)?;

		let mut holders: alloc::vec::Vec<T::AccountId> = deposits.keys().cloned().collect();
		holders.extend(escrows.keys().cloned());
		holders.extend(Aliases::<T>::iter_values().map(|r| r.owner));
		holders.extend(EncryptionKeys::<T>::iter_keys());
		for who in holders {
			let held = |reason: HoldReason| T::Currency::balance_on_hold(&reason.into(), &who);
			check(
				held(HoldReason::MessageDeposit) == deposits.get(&who).copied().unwrap_or(0),
				"message deposits differ from the hold",
			)?;
			check(
				held(HoldReason::AttachmentEscrow) == escrows.get(&who).copied().unwrap_or(0),
				"escrows differ from the hold",
			)?;
			let alias =
				AliasOf::<T>::get(&who).and_then(Aliases::<T>::get).map(|r| r.deposit).unwrap_or(0);
			check(held(HoldReason::Alias) == alias, "the alias deposit differs from the hold")?;
			let key = EncryptionKeys::<T>::get(&who).map(|k| k.deposit).unwrap_or(0);
			check(held(HoldReason::EncryptionKey) == key, "the key deposit differs from the hold")?;
		}

		let mut blocked: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (who, _) in Blocked::<T>::iter_keys() {
			*blocked.entry(who).or_default() += 1;
		}
		for (who, settings) in Settings::<T>::iter() {
			check(
				blocked.remove(&who).unwrap_or(0) == settings.blocked,
				"a block count differs from the block list",
			)?;
			check(settings.blocked <= T::MaxBlockedSenders::get(), "too many senders blocked")?;
		}
		check(blocked.is_empty(), "blocked senders without settings")?;
		Ok(())
	}
}
