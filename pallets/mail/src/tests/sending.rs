//! Sending, postage, deposits, mailboxes, deletion, expiry and anti-spam.

use crate::{
	mock::*, Error, Event, HoldReason, MailParameters, Mailboxes, Messages, Parameters, Recipient,
	Settings,
};
use polkadot_sdk::frame_support::{assert_noop, assert_ok};

fn deposit(len: u32) -> u128 {
	DEPOSIT_BASE + DEPOSIT_PER_BYTE * u128::from(len)
}

#[test]
fn a_message_pays_postage_and_holds_its_deposit() {
	build_and_execute(|| {
		assert_ok!(Mail::register_alias(
			RuntimeOrigin::signed(ALICE),
			b"alice".to_vec(),
			enc_key(ALICE)
		));
		NOW.with(|n| *n.borrow_mut() = 1_800_000_000_000);
		let issuance = Balances::total_issuance();
		assert_ok!(Mail::send(
			RuntimeOrigin::signed(BOB),
			Recipient::Alias(b"alice".to_vec()),
			vec![1; 600],
			None,
			BASE_POSTAGE,
		));
		let id = last_id();
		let message = Messages::<Test>::get(id).expect("stored");
		assert_eq!((message.from, message.to), (BOB, ALICE));
		assert_eq!(message.sent_at, 1);
		assert_eq!(message.timestamp, 1_800_000_000_000);
		assert_eq!(message.expires_at, 1 + RETENTION);
		assert_eq!(message.deposit, deposit(600));
		assert_eq!(held(HoldReason::MessageDeposit, BOB), deposit(600));
		assert_eq!(free(BOB), INITIAL - BASE_POSTAGE - deposit(600));
		// 80 % of the postage burned, 20 % to the pool.
		assert_eq!(burned(), BASE_POSTAGE * 8 / 10);
		assert_eq!(free(POOL), UNIT + BASE_POSTAGE * 2 / 10);
		assert_eq!(Balances::total_issuance(), issuance - burned());
		assert_eq!(Mailboxes::<Test>::get(ALICE).into_inner(), vec![id]);
		assert!(mail_events().contains(&Event::MessageSent {
			id,
			from: BOB,
			to: ALICE,
			postage: BASE_POSTAGE,
			deposit: deposit(600),
			attachment: None,
		}));
		let page = Mail::mailbox(ALICE, 0, 10);
		assert_eq!(page.total, 1);
		assert_eq!(page.messages[0].ciphertext, vec![1; 600]);
		assert_eq!(page.messages[0].from_alias, None);
	});
}

#[test]
fn bad_messages_are_refused_without_a_change() {
	build_and_execute(|| {
		publish(ALICE);
		assert_noop!(send(BOB, ALICE, 0, None), Error::<Test>::EmptyMessage);
		assert_noop!(
			send(BOB, ALICE, MAX_MESSAGE as usize + 1, None),
			Error::<Test>::MessageTooLong
		);
		assert_ok!(send(BOB, ALICE, MAX_MESSAGE as usize, None));
		assert_noop!(send(BOB, CHARLIE, 10, None), Error::<Test>::NoEncryptionKey);
		assert_noop!(
			Mail::send(
				RuntimeOrigin::signed(BOB),
				Recipient::Alias(b"nobody".to_vec()),
				vec![1],
				None,
				BASE_POSTAGE
			),
			Error::<Test>::UnknownAlias
		);
		assert_noop!(
			Mail::send(
				RuntimeOrigin::signed(BOB),
				Recipient::Alias(b"No Body".to_vec()),
				vec![1],
				None,
				BASE_POSTAGE
			),
			Error::<Test>::BadAlias
		);
		assert_noop!(
			Mail::send(
				RuntimeOrigin::signed(BOB),
				Recipient::Account(ALICE),
				vec![1],
				None,
				BASE_POSTAGE - 1
			),
			Error::<Test>::PostageTooLow
		);
		assert_noop!(send(NOBODY, ALICE, 10, None), Error::<Test>::InsufficientBalance);
	});
}

#[test]
fn mailboxes_are_bounded() {
	build_and_execute(|| {
		publish(ALICE);
		for _ in 0..MAX_MAILBOX {
			assert_ok!(send(BOB, ALICE, 10, None));
		}
		assert_noop!(send(CHARLIE, ALICE, 10, None), Error::<Test>::MailboxFull);
		// Deleting one makes room.
		let first = Mailboxes::<Test>::get(ALICE)[0];
		assert_ok!(Mail::delete(RuntimeOrigin::signed(ALICE), first));
		assert_ok!(send(CHARLIE, ALICE, 10, None));
		assert_eq!(Mail::mailbox(ALICE, 1, 2).messages.len(), 2);
		assert_eq!(Mail::mailbox(ALICE, 3, 10).messages.len(), 1);
	});
}

#[test]
fn deleting_refunds_the_deposit_to_the_sender() {
	build_and_execute(|| {
		publish(ALICE);
		assert_ok!(send(BOB, ALICE, 100, None));
		let id = last_id();
		assert_noop!(Mail::delete(RuntimeOrigin::signed(BOB), id), Error::<Test>::NotRecipient);
		assert_noop!(
			Mail::delete(RuntimeOrigin::signed(ALICE), id + 1),
			Error::<Test>::UnknownMessage
		);
		assert_ok!(Mail::delete(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(held(HoldReason::MessageDeposit, BOB), 0);
		assert_eq!(free(BOB), INITIAL - BASE_POSTAGE);
		assert!(Messages::<Test>::get(id).is_none());
		assert!(!Mailboxes::<Test>::contains_key(ALICE));
		assert!(mail_events().contains(&Event::MessageDeleted { id, refunded: deposit(100) }));
	});
}

#[test]
fn anyone_cleans_up_an_expired_message() {
	build_and_execute(|| {
		publish(ALICE);
		assert_ok!(send(BOB, ALICE, 100, None));
		let id = last_id();
		run_to(RETENTION);
		assert_noop!(Mail::cleanup(RuntimeOrigin::signed(CHARLIE), id), Error::<Test>::NotExpired);
		run_to(1 + RETENTION);
		assert_ok!(Mail::cleanup(RuntimeOrigin::signed(CHARLIE), id));
		assert_eq!(free(BOB), INITIAL - BASE_POSTAGE);
		assert!(mail_events().contains(&Event::MessageExpired {
			id,
			by: CHARLIE,
			refunded: deposit(100)
		}));
	});
}

#[test]
fn blocked_senders_and_minimum_postage() {
	build_and_execute(|| {
		publish(ALICE);
		assert_ok!(Mail::block_sender(RuntimeOrigin::signed(ALICE), BOB));
		assert_noop!(
			Mail::block_sender(RuntimeOrigin::signed(ALICE), BOB),
			Error::<Test>::AlreadyBlocked
		);
		assert_noop!(send(BOB, ALICE, 10, None), Error::<Test>::SenderBlocked);
		assert_ok!(send(CHARLIE, ALICE, 10, None));
		assert_ok!(Mail::block_sender(RuntimeOrigin::signed(ALICE), CHARLIE));
		assert_noop!(
			Mail::block_sender(RuntimeOrigin::signed(ALICE), DAVE),
			Error::<Test>::TooManyBlocked
		);
		assert_ok!(Mail::unblock_sender(RuntimeOrigin::signed(ALICE), BOB));
		assert_noop!(
			Mail::unblock_sender(RuntimeOrigin::signed(ALICE), BOB),
			Error::<Test>::NotBlocked
		);
		assert_ok!(send(BOB, ALICE, 10, None));

		assert_ok!(Mail::set_min_postage(RuntimeOrigin::signed(ALICE), UNIT));
		assert_eq!(Mail::required_postage(&ALICE), UNIT);
		assert_noop!(send(BOB, ALICE, 10, None), Error::<Test>::PostageTooLow);
		assert_ok!(Mail::send(
			RuntimeOrigin::signed(BOB),
			Recipient::Account(ALICE),
			vec![1],
			None,
			UNIT
		));
		// A minimum below the base postage leaves the base in force.
		assert_ok!(Mail::set_min_postage(RuntimeOrigin::signed(ALICE), 1));
		assert_eq!(Mail::required_postage(&ALICE), BASE_POSTAGE);
		assert_ok!(Mail::unblock_sender(RuntimeOrigin::signed(ALICE), CHARLIE));
		assert_ok!(Mail::set_min_postage(RuntimeOrigin::signed(ALICE), 0));
		assert!(!Settings::<Test>::contains_key(ALICE));
	});
}

#[test]
fn parameters_are_set_by_the_admin_only() {
	build_and_execute(|| {
		let parameters =
			MailParameters { base_postage: UNIT, message_retention: 5, delivery_timeout: 2 };
		assert_noop!(
			Mail::set_parameters(RuntimeOrigin::signed(ALICE), parameters),
			polkadot_sdk::sp_runtime::DispatchError::BadOrigin
		);
		assert_noop!(
			Mail::set_parameters(
				RuntimeOrigin::root(),
				MailParameters { delivery_timeout: 0, ..parameters }
			),
			Error::<Test>::InvalidParameters
		);
		assert_noop!(
			Mail::set_parameters(
				RuntimeOrigin::root(),
				MailParameters { message_retention: 0, ..parameters }
			),
			Error::<Test>::InvalidParameters
		);
		assert_ok!(Mail::set_parameters(RuntimeOrigin::root(), parameters));
		assert_eq!(Parameters::<Test>::get(), parameters);
	});
}
