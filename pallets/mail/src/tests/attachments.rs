//! Attachments, read grants and the paid-attachment exchange.

use crate::{
	key_commitment, mock::*, AttachmentsBySpace, Error, Event, Exchange, HoldReason, MailGrants,
	Messages,
};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	sp_core::H256,
};

const MIB: u64 = 1 << 20;
const PRICE: u128 = 50 * UNIT;

fn hex_literal(hex: &str) -> [u8; 32] {
	let mut out = [0u8; 32];
	for (i, byte) in out.iter_mut().enumerate() {
		*byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex");
	}
	out
}

fn exchange(id: u64) -> Option<Exchange<u64>> {
	Messages::<Test>::get(id).and_then(|m| m.exchange)
}

#[test]
fn the_key_commitment_is_the_documented_hash() {
	// The `kmcc` wallet computes the same value (client/kmcc/src/mail.rs).
	assert_eq!(
		key_commitment(&[0x11; 32]),
		H256(polkadot_sdk::sp_io::hashing::blake2_256(
			&[&b"kmcc/mail/key/v1"[..], &[0x11; 32][..]].concat()
		))
	);
	assert_eq!(
		key_commitment(&[0x11; 32]),
		H256(hex_literal("bf99c76e7daabebe90b9879a1ef534a5fe0bda78370da2424891d20b7d7729c9"))
	);
	assert_ne!(key_commitment(&[0x11; 32]), key_commitment(&[0x12; 32]));
}

#[test]
fn a_free_attachment_grants_read_access_until_its_last_message_goes() {
	build_and_execute(|| {
		publish(ALICE);
		let space = add_space(BOB, 4 * MIB);
		assert_ok!(send(BOB, ALICE, 64, Some(attachment(space, 0, MIB, 0, 1))));
		let first = last_id();
		assert!(readable(space, ALICE));
		assert_eq!(MailGrants::<Test>::get(space, ALICE), Some(1));
		assert_eq!(AttachmentsBySpace::<Test>::get(space, first), Some((0, MIB)));
		assert_eq!(Mail::attachments_in_space(space), vec![(first, 0, MIB)]);
		assert_ok!(send(BOB, ALICE, 64, Some(attachment(space, MIB, MIB, 0, 2))));
		let second = last_id();
		assert_eq!(MailGrants::<Test>::get(space, ALICE), Some(2));
		assert!(Mail::attachment_status(second).expect("status").readable);
		assert_eq!(exchange(second), None);
		assert_ok!(Mail::delete(RuntimeOrigin::signed(ALICE), first));
		assert!(readable(space, ALICE));
		assert_ok!(Mail::delete(RuntimeOrigin::signed(ALICE), second));
		assert!(!readable(space, ALICE));
		assert!(MailGrants::<Test>::get(space, ALICE).is_none());
		assert!(Mail::attachments_in_space(space).is_empty());
	});
}

#[test]
fn access_the_owner_granted_by_hand_is_left_alone() {
	build_and_execute(|| {
		publish(ALICE);
		let space = add_space(BOB, 4 * MIB);
		GRANTS.with(|g| g.borrow_mut().insert((space, ALICE)));
		assert_ok!(send(BOB, ALICE, 64, Some(attachment(space, 0, MIB, 0, 1))));
		assert!(MailGrants::<Test>::get(space, ALICE).is_none());
		assert_ok!(Mail::delete(RuntimeOrigin::signed(ALICE), last_id()));
		assert!(readable(space, ALICE));
	});
}

#[test]
fn a_grant_the_owner_revoked_is_made_again_by_the_next_attachment() {
	build_and_execute(|| {
		publish(ALICE);
		let space = add_space(BOB, 4 * MIB);
		assert_ok!(send(BOB, ALICE, 64, Some(attachment(space, 0, MIB, 0, 1))));
		GRANTS.with(|g| g.borrow_mut().clear());
		assert!(!readable(space, ALICE));
		assert_ok!(send(BOB, ALICE, 64, Some(attachment(space, MIB, MIB, 0, 2))));
		assert!(readable(space, ALICE));
		assert_eq!(MailGrants::<Test>::get(space, ALICE), Some(2));
	});
}

#[test]
fn a_grant_the_owner_revoked_meanwhile_does_not_block_deletion() {
	build_and_execute(|| {
		publish(ALICE);
		let space = add_space(BOB, 4 * MIB);
		assert_ok!(send(BOB, ALICE, 64, Some(attachment(space, 0, MIB, 0, 1))));
		GRANTS.with(|g| g.borrow_mut().clear());
		SPACES.with(|s| s.borrow_mut().clear());
		assert_ok!(Mail::delete(RuntimeOrigin::signed(ALICE), last_id()));
		assert!(MailGrants::<Test>::get(space, ALICE).is_none());
	});
}

#[test]
fn attachments_must_lie_in_the_senders_space() {
	build_and_execute(|| {
		publish(ALICE);
		let space = add_space(BOB, 4 * MIB);
		let alices = add_space(ALICE, 4 * MIB);
		let cases = [
			(attachment(space + 100, 0, MIB, 0, 1), Error::<Test>::UnknownSpace),
			(attachment(alices, 0, MIB, 0, 1), Error::<Test>::NotSpaceOwner),
			(attachment(space, 0, 0, 0, 1), Error::<Test>::AttachmentOutOfBounds),
			(attachment(space, 3 * MIB, MIB + 1, 0, 1), Error::<Test>::AttachmentOutOfBounds),
			(attachment(space, u64::MAX, 2, 0, 1), Error::<Test>::AttachmentOutOfBounds),
		];
		for (bad, error) in cases {
			assert_noop!(send(BOB, ALICE, 64, Some(bad)), error);
		}
		let mut free_of_charge = attachment(space, 0, MIB, PRICE, 1);
		free_of_charge.terms.as_mut().unwrap().price = 0;
		assert_noop!(send(BOB, ALICE, 64, Some(free_of_charge)), Error::<Test>::ZeroPrice);
		assert_ok!(send(BOB, ALICE, 64, Some(attachment(space, 3 * MIB, MIB, 0, 1))));
	});
}

/// Bob sends Alice a paid attachment; returns the message id.
fn offered() -> u64 {
	publish(ALICE);
	let space = add_space(BOB, 4 * MIB);
	assert_ok!(send(BOB, ALICE, 64, Some(attachment(space, 0, 3 * MIB, PRICE, 7))));
	let id = last_id();
	assert_eq!(exchange(id), Some(Exchange::Offered));
	// The grant comes with the message: Alice can fetch and hash the (outer-layer) bytes
	// before paying.
	assert!(readable(space, ALICE));
	id
}

#[test]
fn paid_then_delivered_pays_the_sender_once() {
	build_and_execute(|| {
		let id = offered();
		let bob_before = free(BOB);
		assert_noop!(
			Mail::deliver_key(RuntimeOrigin::signed(BOB), id, layer_key(7)),
			Error::<Test>::NotPaid
		);
		assert_noop!(
			Mail::pay_attachment(RuntimeOrigin::signed(CHARLIE), id),
			Error::<Test>::NotRecipient
		);
		assert_ok!(Mail::pay_attachment(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(held(HoldReason::AttachmentEscrow, ALICE), PRICE);
		assert_eq!(exchange(id), Some(Exchange::Paid { amount: PRICE, deadline: 1 + TIMEOUT }));
		assert_noop!(
			Mail::pay_attachment(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::AlreadyPaid
		);
		// A wrong key, the right key from someone else: nothing moves.
		assert_noop!(
			Mail::deliver_key(RuntimeOrigin::signed(BOB), id, layer_key(8)),
			Error::<Test>::KeyMismatch
		);
		assert_noop!(
			Mail::deliver_key(RuntimeOrigin::signed(ALICE), id, layer_key(7)),
			Error::<Test>::NotSender
		);
		// The escrow blocks deletion and refunds before the deadline.
		assert_noop!(Mail::delete(RuntimeOrigin::signed(ALICE), id), Error::<Test>::EscrowPending);
		assert_noop!(
			Mail::refund(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::DeliveryPending
		);
		assert_ok!(Mail::deliver_key(RuntimeOrigin::signed(BOB), id, layer_key(7)));
		assert_eq!(free(BOB), bob_before + PRICE);
		assert_eq!(held(HoldReason::AttachmentEscrow, ALICE), 0);
		assert_eq!(exchange(id), Some(Exchange::Delivered { key: layer_key(7) }));
		assert!(mail_events().contains(&Event::KeyDelivered {
			id,
			key: layer_key(7),
			amount: PRICE
		}));
		// No second release, no refund, no second payment.
		assert_noop!(
			Mail::deliver_key(RuntimeOrigin::signed(BOB), id, layer_key(7)),
			Error::<Test>::NotPaid
		);
		run_to(1 + TIMEOUT);
		assert_noop!(Mail::refund(RuntimeOrigin::signed(ALICE), id), Error::<Test>::NotPaid);
		assert_noop!(
			Mail::pay_attachment(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::AlreadyPaid
		);
		assert_ok!(Mail::delete(RuntimeOrigin::signed(ALICE), id));
	});
}

#[test]
fn paid_then_refunded_after_the_timeout() {
	build_and_execute(|| {
		let id = offered();
		assert_ok!(Mail::pay_attachment(RuntimeOrigin::signed(ALICE), id));
		let alice_paid = free(ALICE);
		run_to(TIMEOUT);
		assert_noop!(
			Mail::refund(RuntimeOrigin::signed(CHARLIE), id),
			Error::<Test>::DeliveryPending
		);
		run_to(1 + TIMEOUT);
		// Anyone may trigger the refund; the money goes to the payer.
		assert_ok!(Mail::refund(RuntimeOrigin::signed(CHARLIE), id));
		assert_eq!(free(ALICE), alice_paid + PRICE);
		assert_eq!(exchange(id), Some(Exchange::Refunded));
		assert!(mail_events().contains(&Event::AttachmentRefunded {
			id,
			payer: ALICE,
			amount: PRICE
		}));
		assert_noop!(Mail::refund(RuntimeOrigin::signed(ALICE), id), Error::<Test>::NotPaid);
		assert_noop!(
			Mail::deliver_key(RuntimeOrigin::signed(BOB), id, layer_key(7)),
			Error::<Test>::NotPaid
		);
		assert_noop!(
			Mail::pay_attachment(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::AlreadyPaid
		);
	});
}

#[test]
fn a_key_after_the_deadline_still_counts_until_someone_refunds() {
	build_and_execute(|| {
		let id = offered();
		assert_ok!(Mail::pay_attachment(RuntimeOrigin::signed(ALICE), id));
		run_to(5 + TIMEOUT);
		assert_ok!(Mail::deliver_key(RuntimeOrigin::signed(BOB), id, layer_key(7)));
		assert_noop!(Mail::refund(RuntimeOrigin::signed(ALICE), id), Error::<Test>::NotPaid);
	});
}

#[test]
fn escrow_is_refused_without_the_funds_and_for_unpaid_attachments() {
	build_and_execute(|| {
		publish(POOR);
		let space = add_space(BOB, 4 * MIB);
		assert_ok!(send(BOB, POOR, 64, Some(attachment(space, 0, MIB, PRICE, 3))));
		assert_noop!(
			Mail::pay_attachment(RuntimeOrigin::signed(POOR), last_id()),
			Error::<Test>::InsufficientBalance
		);
		publish(ALICE);
		assert_ok!(send(BOB, ALICE, 64, Some(attachment(space, 0, MIB, 0, 3))));
		assert_noop!(
			Mail::pay_attachment(RuntimeOrigin::signed(ALICE), last_id()),
			Error::<Test>::NotPaidAttachment
		);
		assert_noop!(
			Mail::deliver_key(RuntimeOrigin::signed(BOB), last_id(), layer_key(3)),
			Error::<Test>::NotPaidAttachment
		);
		assert_noop!(Mail::refund(RuntimeOrigin::signed(BOB), 999), Error::<Test>::UnknownMessage);
	});
}

#[test]
fn an_expired_message_in_escrow_waits_for_the_exchange() {
	build_and_execute(|| {
		let id = offered();
		assert_ok!(Mail::pay_attachment(RuntimeOrigin::signed(ALICE), id));
		run_to(1 + RETENTION);
		assert_noop!(
			Mail::cleanup(RuntimeOrigin::signed(CHARLIE), id),
			Error::<Test>::EscrowPending
		);
		assert_ok!(Mail::refund(RuntimeOrigin::signed(CHARLIE), id));
		assert_ok!(Mail::cleanup(RuntimeOrigin::signed(CHARLIE), id));
		assert!(!readable(0, ALICE));
	});
}

#[test]
fn a_key_is_good_for_its_own_message_only() {
	build_and_execute(|| {
		let first = offered();
		let space = add_space(BOB, 4 * MIB);
		assert_ok!(send(BOB, ALICE, 64, Some(attachment(space, 0, MIB, PRICE, 9))));
		let second = last_id();
		assert_ok!(Mail::pay_attachment(RuntimeOrigin::signed(ALICE), first));
		assert_ok!(Mail::pay_attachment(RuntimeOrigin::signed(ALICE), second));
		// The second message's key, or the right key with one bit flipped, does not release
		// the first message's escrow.
		assert_noop!(
			Mail::deliver_key(RuntimeOrigin::signed(BOB), first, layer_key(9)),
			Error::<Test>::KeyMismatch
		);
		let mut shifted = layer_key(7);
		shifted[31] ^= 1;
		assert_noop!(
			Mail::deliver_key(RuntimeOrigin::signed(BOB), first, shifted),
			Error::<Test>::KeyMismatch
		);
		assert_ok!(Mail::deliver_key(RuntimeOrigin::signed(BOB), first, layer_key(7)));
		assert_ok!(Mail::deliver_key(RuntimeOrigin::signed(BOB), second, layer_key(9)));
		assert_eq!(held(HoldReason::AttachmentEscrow, ALICE), 0);
	});
}
