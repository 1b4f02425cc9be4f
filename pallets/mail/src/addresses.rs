//! Addresses: published keys, recipients' settings, resolving a recipient.

use crate::{pallet::*, types::*};
use polkadot_sdk::{
	frame_support::{ensure, pallet_prelude::*, traits::fungible::MutateHold},
	sp_runtime::DispatchError,
};

impl<T: Config> Pallet<T> {
	/// Publishes `key` for `who`, holding the key deposit the first time.
	pub(crate) fn publish_key(who: &T::AccountId, key: EncryptionKey) -> DispatchResult {
		let deposit = match EncryptionKeys::<T>::get(who) {
			Some(existing) => existing.deposit,
			None => {
				let deposit = T::KeyDeposit::get();
				T::Currency::hold(&HoldReason::EncryptionKey.into(), who, deposit)
					.map_err(|_| Error::<T>::InsufficientBalance)?;
				deposit
			}
		};
		EncryptionKeys::<T>::insert(who, PublishedKey { key, deposit });
		Self::deposit_event(Event::EncryptionKeySet { who: who.clone(), key });
		Ok(())
	}

	/// Updates `who`'s settings, removing the entry when it is back to the default.
	pub(crate) fn put_settings(who: &T::AccountId, change: impl FnOnce(&mut MailSettings)) {
		let mut settings = Settings::<T>::get(who);
		change(&mut settings);
		if settings == MailSettings::default() {
			Settings::<T>::remove(who);
		} else {
			Settings::<T>::insert(who, settings);
		}
	}

	/// The account `to` names.
	pub fn resolve(to: &Recipient<T::AccountId>) -> Result<T::AccountId, DispatchError> {
		match to {
			Recipient::Account(account) => Ok(account.clone()),
			Recipient::Alias(name) => {
				ensure!(is_valid_alias(name), Error::<T>::BadAlias);
				let alias = AliasName::try_from(name.clone()).map_err(|_| Error::<T>::BadAlias)?;
				Ok(Aliases::<T>::get(alias).ok_or(Error::<T>::UnknownAlias)?.owner)
			}
		}
	}
}
