use crate::{mock::*, *};
use polkadot_sdk::frame_system;
use polkadot_sdk::{
	frame_support::{
		assert_noop,
		traits::{fungible::Inspect, UnfilteredDispatchable},
	},
	sp_runtime::{traits::Zero, DispatchError},
};

/// Eight deposits of `SMALL` (keys 0..8); the signer is key 5.
fn eight_deposits() {
	deposits(SMALL, 0, 8);
}

const RING: [u32; 5] = [1, 2, 5, 6, 7];

fn relayed() -> WithdrawalOf<Test> {
	withdrawal(SMALL, &RING, NOBODY, Some(RELAYER), UNIT / 4)
}

#[test]
fn a_relayed_withdrawal_pays_recipient_and_relayer_exactly_once() {
	build_and_execute(|| {
		eight_deposits();
		let issuance = Balances::total_issuance();
		let relayer_before = Balances::balance(&RELAYER);
		let w = relayed();
		let signature = sign(&w, 5);
		let image = Mixer::claimed_key_image(&signature).unwrap();
		assert_eq!(image, kmcc_privacy::ring::key_image(&secret(5), &key(5)));
		System::reset_events();

		assert_eq!(submit(w.clone(), signature.clone()), Ok(()));

		assert_eq!(Balances::balance(&NOBODY), SMALL - UNIT / 4);
		assert_eq!(Balances::balance(&RELAYER), relayer_before + UNIT / 4);
		assert_eq!(Balances::balance(&Mixer::account_id()), 7 * SMALL);
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(Pools::<Test>::get(SMALL), Some(PoolInfo { deposits: 8, withdrawals: 1 }));
		assert_eq!(SpentKeyImages::<Test>::get(image), Some(1));
		assert_eq!(
			mixer_events(),
			vec![Event::Withdrawn {
				denomination: SMALL,
				key_image: image,
				recipient: NOBODY,
				amount: SMALL - UNIT / 4,
				relayer: Some(RELAYER),
				fee: UNIT / 4,
				ring_size: 5,
				announced: false,
			}]
		);
		// The same proof again, and a new proof by the same key (another ring, recipient,
		// no relayer): the key image is spent.
		assert_eq!(submit(w, signature), Err(code(Error::KeyImageSpent)));
		let again = withdrawal(SMALL, &[0, 3, 5], BOB, None, 0);
		assert_eq!(submit(again.clone(), sign(&again, 5)), Err(code(Error::KeyImageSpent)));
		// Another member of the same ring withdraws its own deposit.
		let other = withdrawal(SMALL, &RING, CHARLIE, None, 0);
		assert_eq!(submit(other.clone(), sign(&other, 6)), Ok(()));
		assert_eq!(Pools::<Test>::get(SMALL).map(|p| p.withdrawals), Some(2));
	});
}

#[test]
fn the_pool_tag_is_the_key_image() {
	build_and_execute(|| {
		eight_deposits();
		use polkadot_sdk::frame_support::traits::Authorize;
		let validity = |w: WithdrawalOf<Test>, n| {
			let call = withdraw_call(w.clone(), sign(&w, n));
			call.authorize(
				polkadot_sdk::sp_runtime::transaction_validity::TransactionSource::External,
			)
			.unwrap()
			.unwrap()
			.0
		};
		// Two withdrawals of one deposit (different recipients) provide the same tag: the pool
		// keeps one of them.
		let first = validity(relayed(), 5);
		let second = validity(withdrawal(SMALL, &[0, 5, 7], BOB, None, 0), 5);
		assert_eq!(first.provides, second.provides);
		assert!(first.requires.is_empty());
		assert_eq!(first.longevity, 64);
		// Another deposit's withdrawal does not conflict.
		assert_ne!(validity(relayed(), 6).provides, first.provides);
	});
}

#[test]
fn a_withdrawal_needs_the_authorized_origin() {
	build_and_execute(|| {
		eight_deposits();
		let w = relayed();
		let call = withdraw_call(w.clone(), sign(&w, 5));
		for origin in [RuntimeOrigin::none(), RuntimeOrigin::signed(ALICE), RuntimeOrigin::root()] {
			assert_noop!(call.clone().dispatch_bypass_filter(origin), DispatchError::BadOrigin);
		}
	});
}

#[test]
fn bad_terms_are_refused_by_the_pool_with_their_error() {
	build_and_execute(|| {
		eight_deposits();
		// A denomination of exactly the existential deposit, for the "cannot receive" case.
		Mixer::add_denomination(RuntimeOrigin::root(), UNIT).unwrap();
		deposits(UNIT, 100, 3);
		let cases: Vec<(WithdrawalOf<Test>, Error<Test>)> = vec![
			(withdrawal(SMALL, &[1, 5], NOBODY, None, 0), Error::RingTooSmall),
			(withdrawal(SMALL, &[0, 1, 2, 3, 4, 5, 6, 7, 7], NOBODY, None, 0), Error::RingTooLarge),
			(withdrawal(SMALL, &[1, 5, 5], NOBODY, None, 0), Error::RingNotSorted),
			(withdrawal(SMALL, &[5, 1, 6], NOBODY, None, 0), Error::RingNotSorted),
			(withdrawal(SMALL, &[1, 5, 8], NOBODY, None, 0), Error::UnknownKey),
			(withdrawal(SMALL + 1, &[1, 5, 6], NOBODY, None, 0), Error::UnknownDenomination),
			// 5 % of 10 units is the cap.
			(withdrawal(SMALL, &RING, NOBODY, Some(RELAYER), SMALL / 20 + 1), Error::FeeTooHigh),
			(withdrawal(SMALL, &RING, NOBODY, None, 1), Error::FeeWithoutRelayer),
			// A new account would get less than the existential deposit.
			(withdrawal(UNIT, &[0, 1, 2], NOBODY, Some(RELAYER), 1), Error::CannotReceive),
			// A new relayer account would get less than the existential deposit.
			(withdrawal(SMALL, &RING, ALICE, Some(NOBODY + 1), 1), Error::CannotReceive),
		];
		for (w, error) in cases {
			// The signer's key is in every ring that names index 5, or the pool's first key.
			let signer = if w.denomination == UNIT { 100 } else { 5 };
			let mut signature = vec![1u8; 32 * (w.ring.len() + 2)];
			if w.ring.iter().all(|i| *i < 8)
				&& w.ring.windows(2).all(|p| p[0] < p[1])
				&& Pools::<Test>::contains_key(w.denomination)
			{
				signature = sign(&w, signer);
			}
			let call = withdraw_call(w.clone(), signature.clone());
			let expected =
				polkadot_sdk::sp_runtime::transaction_validity::InvalidTransaction::Custom(
					Error::<Test>::module_error_index(&error),
				);
			assert_eq!(authorize(&call), Err(expected.into()), "{w:?}");
			// The call itself refuses the same terms with the named error, changing nothing.
			assert_noop!(
				call.dispatch_bypass_filter(frame_system::RawOrigin::Authorized.into()),
				error
			);
		}
	});
}

#[test]
fn a_proof_for_other_terms_or_a_tampered_proof_does_not_authorize() {
	build_and_execute(|| {
		eight_deposits();
		deposits(LARGE, 8, 5);
		let w = relayed();
		let signature = sign(&w, 5);
		let bad = |w: WithdrawalOf<Test>, signature: Vec<u8>| {
			assert_eq!(authorize(&withdraw_call(w, signature)), Err(code(Error::BadSignature)));
		};
		// Redirected by the relayer: another recipient, relayer, fee; dropped relayer.
		bad(WithdrawalOf::<Test> { recipient: RELAYER, ..w.clone() }, signature.clone());
		bad(WithdrawalOf::<Test> { relayer: Some(ALICE), ..w.clone() }, signature.clone());
		bad(WithdrawalOf::<Test> { fee: UNIT / 2, ..w.clone() }, signature.clone());
		bad(WithdrawalOf::<Test> { relayer: None, fee: 0, ..w.clone() }, signature.clone());
		// Another ring of the same size, and the same indices in another pool.
		bad(
			withdrawal(SMALL, &[0, 2, 5, 6, 7], NOBODY, Some(RELAYER), UNIT / 4),
			signature.clone(),
		);
		bad(
			withdrawal(LARGE, &[0, 1, 2, 3, 4], NOBODY, Some(RELAYER), UNIT / 4),
			signature.clone(),
		);
		// A subset of the ring (the signer kept), and a superset.
		bad(withdrawal(SMALL, &[2, 5, 6, 7], NOBODY, Some(RELAYER), UNIT / 4), signature.clone());
		bad(
			withdrawal(SMALL, &[1, 2, 3, 5, 6, 7], NOBODY, Some(RELAYER), UNIT / 4),
			signature.clone(),
		);
		// Trailing bytes, a missing byte.
		let mut longer = signature.clone();
		longer.push(0);
		bad(w.clone(), longer);
		bad(w.clone(), signature[..signature.len() - 1].to_vec());
		// Every single-byte change of the signature (challenge, responses, key image).
		for position in 0..signature.len() {
			let mut changed = signature.clone();
			changed[position] ^= 0x01;
			let result = authorize(&withdraw_call(w.clone(), changed));
			assert!(
				result == Err(code(Error::BadSignature))
					|| result == Err(code(Error::KeyImageSpent)),
				"byte {position}: {result:?}"
			);
		}
		// Another deposit's key image put in place of the signer's.
		let mut swapped = signature.clone();
		let len = swapped.len();
		swapped[len - 32..].copy_from_slice(&kmcc_privacy::ring::key_image(&secret(6), &key(6)));
		bad(w.clone(), swapped);
		// A proof made for another chain (another genesis hash).
		let genesis = frame_system::BlockHash::<Test>::get(0);
		frame_system::BlockHash::<Test>::insert(0, polkadot_sdk::sp_core::H256::repeat_byte(9));
		let elsewhere = sign(&w, 5);
		frame_system::BlockHash::<Test>::insert(0, genesis);
		bad(w.clone(), elsewhere);
		// Signed by a key that is not in the ring: signing refuses, and a signature over the
		// ring with the signer's key swapped in (a "rotated" key) does not verify for the
		// deposited ring.
		let not_member = withdrawal(SMALL, &[1, 2, 6], NOBODY, None, 0);
		let message = Mixer::withdrawal_message(&not_member);
		let forged_ring = vec![key(1), key(5), key(6)];
		let forged =
			kmcc_privacy::ring::sign(&forged_ring, 1, &secret(5), &message, || [7u8; 64]).unwrap();
		bad(not_member, forged);
		// Nothing was paid.
		assert!(Balances::balance(&NOBODY).is_zero());
		assert_eq!(Pools::<Test>::get(SMALL).map(|p| p.withdrawals), Some(0));
		// The original still goes through.
		assert_eq!(submit(w, signature), Ok(()));
	});
}

#[test]
fn a_second_withdrawal_of_one_deposit_in_the_same_block_fails_at_dispatch() {
	build_and_execute(|| {
		eight_deposits();
		let first = relayed();
		let second = withdrawal(SMALL, &[0, 5, 7], BOB, None, 0);
		let first_call = withdraw_call(first.clone(), sign(&first, 5));
		let second_call = withdraw_call(second.clone(), sign(&second, 5));
		// Both were authorized before either was applied (a block author ignoring tags).
		assert_eq!(authorize(&first_call), Ok(()));
		assert_eq!(authorize(&second_call), Ok(()));
		first_call.dispatch_bypass_filter(frame_system::RawOrigin::Authorized.into()).unwrap();
		assert_noop!(
			second_call.dispatch_bypass_filter(frame_system::RawOrigin::Authorized.into()),
			Error::<Test>::KeyImageSpent
		);
	});
}

#[test]
fn a_withdrawal_to_a_one_time_account_announces_it() {
	build_and_execute(|| {
		eight_deposits();
		let note = StealthNote { ephemeral: kmcc_privacy::BASEPOINT, view_tag: 9 };
		let w = WithdrawalOf::<Test> { announcement: Some(note), ..relayed() };
		let signature = sign(&w, 5);
		// The announcement is signed: another `R` or tag, or none, does not verify.
		for other in [
			Some(StealthNote { view_tag: 10, ..note }),
			Some(StealthNote { ephemeral: key(0), ..note }),
			None,
		] {
			let changed = WithdrawalOf::<Test> { announcement: other, ..w.clone() };
			assert_eq!(
				authorize(&withdraw_call(changed, signature.clone())),
				Err(code(Error::BadSignature))
			);
		}
		// A recipient that exists is no one-time account; an invalid `R` is refused.
		let existing = WithdrawalOf::<Test> { recipient: BOB, ..w.clone() };
		let invalid = WithdrawalOf::<Test> {
			announcement: Some(StealthNote { ephemeral: [0; 32], ..note }),
			..w.clone()
		};
		for refused in [existing, invalid] {
			let signature = sign(&refused, 5);
			assert_eq!(
				authorize(&withdraw_call(refused, signature)),
				Err(code(Error::CannotAnnounce))
			);
		}
		assert_eq!(submit(w, signature), Ok(()));
		assert_eq!(
			ANNOUNCED.with(|a| a.borrow().clone()),
			vec![(Mixer::account_id(), NOBODY, kmcc_privacy::BASEPOINT, 9)]
		);
		assert!(matches!(
			mixer_events().last(),
			Some(Event::Withdrawn { announced: true, recipient: NOBODY, .. })
		));
	});
}
