//! Aliases and encryption keys.

use crate::{mock::*, AliasOf, Aliases, EncryptionKeys, Error, Event, HoldReason, Recipient};
use polkadot_sdk::frame_support::{assert_noop, assert_ok};

#[test]
fn alias_syntax() {
	for good in [&b"bob"[..], b"alice.smith", b"a_b-c.0", &[b'z'; 32]] {
		assert!(crate::is_valid_alias(good), "{good:?}");
	}
	for bad in [&b"ab"[..], &[b'z'; 33], b"Alice", b"al ice", b"al@ce", b"caf\xc3\xa9", b""] {
		assert!(!crate::is_valid_alias(bad), "{bad:?}");
	}
}

#[test]
fn registering_an_alias_holds_both_deposits_and_publishes_the_key() {
	build_and_execute(|| {
		assert_ok!(Mail::register_alias(
			RuntimeOrigin::signed(ALICE),
			b"alice".to_vec(),
			enc_key(ALICE)
		));
		assert_eq!(held(HoldReason::Alias, ALICE), ALIAS_DEPOSIT);
		assert_eq!(held(HoldReason::EncryptionKey, ALICE), KEY_DEPOSIT);
		assert_eq!(free(ALICE), INITIAL - ALIAS_DEPOSIT - KEY_DEPOSIT);
		assert_eq!(Mail::resolve(&Recipient::Alias(b"alice".to_vec())), Ok(ALICE));
		assert_eq!(EncryptionKeys::<Test>::get(ALICE).map(|k| k.key), Some(enc_key(ALICE)));
		assert!(mail_events().contains(&Event::AliasRegistered {
			alias: b"alice".to_vec().try_into().unwrap(),
			owner: ALICE,
			deposit: ALIAS_DEPOSIT,
		}));
		let address = Mail::resolve_alias(b"alice".to_vec()).expect("resolves");
		assert_eq!(address.account, ALICE);
		assert_eq!(address.encryption_key, Some(enc_key(ALICE)));
	});
}

#[test]
fn an_account_with_a_key_pays_only_the_alias_deposit() {
	build_and_execute(|| {
		publish(BOB);
		assert_ok!(Mail::register_alias(RuntimeOrigin::signed(BOB), b"bob".to_vec(), [3; 32]));
		assert_eq!(held(HoldReason::EncryptionKey, BOB), KEY_DEPOSIT);
		assert_eq!(EncryptionKeys::<Test>::get(BOB).map(|k| k.key), Some([3; 32]));
	});
}

#[test]
fn bad_aliases_are_refused_without_a_change() {
	build_and_execute(|| {
		let origin = || RuntimeOrigin::signed(ALICE);
		for bad in [&b"al"[..], b"ALICE", b"al!ce", &[b'a'; 40]] {
			assert_noop!(
				Mail::register_alias(origin(), bad.to_vec(), enc_key(ALICE)),
				Error::<Test>::BadAlias
			);
		}
		assert_noop!(
			Mail::register_alias(origin(), b"alice".to_vec(), [0; 32]),
			Error::<Test>::InvalidEncryptionKey
		);
		let mut one = [0u8; 32];
		one[0] = 1;
		assert_noop!(
			Mail::register_alias(origin(), b"alice".to_vec(), one),
			Error::<Test>::InvalidEncryptionKey
		);
		assert_ok!(Mail::register_alias(origin(), b"alice".to_vec(), enc_key(ALICE)));
		assert_noop!(
			Mail::register_alias(RuntimeOrigin::signed(BOB), b"alice".to_vec(), enc_key(BOB)),
			Error::<Test>::AliasTaken
		);
		assert_noop!(
			Mail::register_alias(origin(), b"alice2".to_vec(), enc_key(ALICE)),
			Error::<Test>::AlreadyHasAlias
		);
		assert_noop!(
			Mail::register_alias(RuntimeOrigin::signed(POOR), b"poor".to_vec(), enc_key(POOR)),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn releasing_an_alias_returns_its_deposit_and_frees_the_name() {
	build_and_execute(|| {
		assert_ok!(Mail::register_alias(
			RuntimeOrigin::signed(ALICE),
			b"alice".to_vec(),
			enc_key(ALICE)
		));
		assert_ok!(Mail::release_alias(RuntimeOrigin::signed(ALICE)));
		assert_eq!(held(HoldReason::Alias, ALICE), 0);
		assert!(AliasOf::<Test>::get(ALICE).is_none());
		assert_noop!(Mail::release_alias(RuntimeOrigin::signed(ALICE)), Error::<Test>::NoAlias);
		// The key stays published; the name is free for anyone.
		assert_eq!(held(HoldReason::EncryptionKey, ALICE), KEY_DEPOSIT);
		assert_ok!(Mail::register_alias(
			RuntimeOrigin::signed(BOB),
			b"alice".to_vec(),
			enc_key(BOB)
		));
		assert_eq!(Mail::resolve(&Recipient::Alias(b"alice".to_vec())), Ok(BOB));
	});
}

#[test]
fn a_transferred_alias_takes_its_deposit_along() {
	build_and_execute(|| {
		assert_ok!(Mail::register_alias(
			RuntimeOrigin::signed(ALICE),
			b"alice".to_vec(),
			enc_key(ALICE)
		));
		assert_noop!(
			Mail::transfer_alias(RuntimeOrigin::signed(ALICE), BOB),
			Error::<Test>::NoEncryptionKey
		);
		assert_noop!(
			Mail::transfer_alias(RuntimeOrigin::signed(BOB), ALICE),
			Error::<Test>::NoAlias
		);
		publish(BOB);
		assert_ok!(Mail::transfer_alias(RuntimeOrigin::signed(ALICE), BOB));
		assert_eq!(Mail::resolve(&Recipient::Alias(b"alice".to_vec())), Ok(BOB));
		assert_eq!(held(HoldReason::Alias, ALICE), 0);
		assert_eq!(held(HoldReason::Alias, BOB), ALIAS_DEPOSIT);
		assert_eq!(free(ALICE), INITIAL - ALIAS_DEPOSIT - KEY_DEPOSIT);
		// Bob releases it and gets the deposit Alice paid.
		assert_ok!(Mail::release_alias(RuntimeOrigin::signed(BOB)));
		assert_eq!(free(BOB), INITIAL - KEY_DEPOSIT + ALIAS_DEPOSIT);
		// A holder of an alias cannot receive another.
		assert_ok!(Mail::register_alias(
			RuntimeOrigin::signed(ALICE),
			b"alice".to_vec(),
			enc_key(ALICE)
		));
		assert_ok!(Mail::register_alias(RuntimeOrigin::signed(BOB), b"bob".to_vec(), enc_key(BOB)));
		assert_noop!(
			Mail::transfer_alias(RuntimeOrigin::signed(ALICE), BOB),
			Error::<Test>::AlreadyHasAlias
		);
		assert_eq!(Aliases::<Test>::iter().count(), 2);
	});
}

#[test]
fn keys_are_replaced_without_a_second_deposit_and_removed_with_a_refund() {
	build_and_execute(|| {
		publish(ALICE);
		assert_ok!(Mail::set_encryption_key(RuntimeOrigin::signed(ALICE), [4; 32]));
		assert_eq!(held(HoldReason::EncryptionKey, ALICE), KEY_DEPOSIT);
		assert_ok!(Mail::remove_encryption_key(RuntimeOrigin::signed(ALICE)));
		assert_eq!(free(ALICE), INITIAL);
		assert_noop!(
			Mail::remove_encryption_key(RuntimeOrigin::signed(ALICE)),
			Error::<Test>::NoEncryptionKey
		);
		assert_noop!(
			Mail::set_encryption_key(RuntimeOrigin::signed(ALICE), [0; 32]),
			Error::<Test>::InvalidEncryptionKey
		);
		assert_noop!(
			Mail::set_encryption_key(RuntimeOrigin::signed(NOBODY), [4; 32]),
			Error::<Test>::InsufficientBalance
		);
		// Without a key, no mail.
		assert_noop!(send(BOB, ALICE, 10, None), Error::<Test>::NoEncryptionKey);
	});
}
