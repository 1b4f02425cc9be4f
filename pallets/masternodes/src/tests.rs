//! Unit and property tests: registration, the payment queue, PoSe, unbonding, heartbeat
//! authorization and the offchain worker.

use crate::{
	mock::*, Call, Error, Event, Heartbeat, MasternodeStatus, Masternodes as MasternodeRecords,
	OperatorIndex, PaymentQueue,
};
use kmcc_primitives::currency::KMCC;
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{fungible::InspectHold, Authorize, Hooks},
	},
	frame_system::RawOrigin,
	sp_runtime::transaction_validity::{InvalidTransaction, TransactionSource},
};
use proptest::prelude::*;

fn register(owner: AccountId, seed: u8) -> u32 {
	let id = crate::NextMasternodeId::<Test>::get();
	assert_ok!(Masternodes::register(
		RuntimeOrigin::signed(owner),
		operator(seed),
		owner,
		endpoint(),
		ownership(seed, owner)
	));
	id
}

/// Delivers a heartbeat of `id` now, as an authorized transaction would.
fn beat(id: u32) {
	let heartbeat = Heartbeat { masternode: id, block_number: System::block_number() };
	let seed = seed_of(id);
	assert_ok!(Masternodes::heartbeat(
		RawOrigin::Authorized.into(),
		heartbeat.clone(),
		sign(seed, &heartbeat)
	));
}

fn seed_of(id: u32) -> u8 {
	id as u8 + 1
}

fn held(who: AccountId) -> u128 {
	<Balances as InspectHold<AccountId>>::balance_on_hold(
		&RuntimeHoldReason::Masternodes(crate::HoldReason::Collateral),
		&who,
	)
}

fn paid_events() -> Vec<u32> {
	events()
		.into_iter()
		.filter_map(|e| match e {
			Event::Paid { id, .. } => Some(id),
			_ => None,
		})
		.collect()
}

#[test]
fn register_holds_collateral_and_queues() {
	build_and_execute(|| {
		let id = register(1, 1);
		assert_eq!(held(1), COLLATERAL);
		assert_eq!(free(1), 10_000 * KMCC - COLLATERAL);
		assert_eq!(OperatorIndex::<Test>::get(operator(1)), Some(id));
		assert_eq!(PaymentQueue::<Test>::get().len(), 1);
		assert!(events().contains(&Event::Registered {
			id,
			owner: 1,
			operator: operator(1),
			payout: 1,
			collateral: COLLATERAL
		}));
		// n of t: the same account runs a second masternode with another key.
		register(1, 2);
		assert_eq!(held(1), 2 * COLLATERAL);
	});
}

#[test]
fn register_rejects_bad_input_without_changing_state() {
	build_and_execute(|| {
		register(1, 1);
		assert_noop!(
			Masternodes::register(
				RuntimeOrigin::signed(2),
				operator(1),
				2,
				endpoint(),
				ownership(1, 2)
			),
			Error::<Test>::OperatorKeyInUse
		);
		assert_noop!(
			Masternodes::register(
				RuntimeOrigin::signed(9),
				operator(9),
				9,
				endpoint(),
				ownership(9, 9)
			),
			Error::<Test>::InsufficientBalance
		);
		for seed in 2..=16 {
			register(2 + u64::from(seed) % 4, seed);
		}
		assert_noop!(
			Masternodes::register(
				RuntimeOrigin::signed(3),
				operator(30),
				3,
				endpoint(),
				ownership(30, 3)
			),
			Error::<Test>::TooManyMasternodes
		);
	});
}

#[test]
fn only_the_holder_of_an_operator_key_can_name_it() {
	build_and_execute(|| {
		// A front-runner names the victim's operator key: without the key it can only copy
		// the victim's proof, which is over the victim's account.
		assert_noop!(
			Masternodes::register(
				RuntimeOrigin::signed(2),
				operator(1),
				2,
				endpoint(),
				ownership(1, 1)
			),
			Error::<Test>::InvalidOwnershipProof
		);
		// A proof by another key, and a proof with a trailing byte in its payload.
		assert_noop!(
			Masternodes::register(
				RuntimeOrigin::signed(2),
				operator(1),
				2,
				endpoint(),
				ownership(2, 2)
			),
			Error::<Test>::InvalidOwnershipProof
		);
		let mut payload = crate::operator_ownership_payload(&2u64);
		payload.push(0);
		use polkadot_sdk::sp_runtime::RuntimeAppPublic;
		let padded = operator(1).sign(&payload).unwrap();
		assert_noop!(
			Masternodes::register(RuntimeOrigin::signed(2), operator(1), 2, endpoint(), padded),
			Error::<Test>::InvalidOwnershipProof
		);
		// The victim registers its own key.
		register(1, 1);
		assert_eq!(OperatorIndex::<Test>::get(operator(1)), Some(0));
	});
}

#[test]
fn the_share_goes_to_the_longest_unpaid_enabled_masternode() {
	build_and_execute(|| {
		let ids: Vec<u32> = (1..=3).map(|s| register(s as u64, s)).collect();
		let before: Vec<u128> = (1..=3).map(free).collect();
		System::reset_events();
		for _ in 0..9 {
			run_to_block(System::block_number() + 1);
			let n = System::block_number();
			if n.is_multiple_of(4) {
				ids.iter().for_each(|id| beat(*id));
			}
		}
		assert_eq!(paid_events(), vec![0, 1, 2, 0, 1, 2, 0, 1, 2]);
		for (i, owner) in (1..=3u64).enumerate() {
			assert_eq!(free(owner) - before[i], 3 * SHARE);
		}
	});
}

#[test]
fn without_enabled_masternodes_the_share_goes_to_the_pot() {
	build_and_execute(|| {
		let pot = free(POT);
		run_to_block(3);
		assert_eq!(free(POT) - pot, 2 * SHARE);
		assert!(events().contains(&Event::PaidToPot { amount: SHARE }));
	});
}

#[test]
fn a_silent_masternode_is_banned_at_the_second_missed_check_and_revived() {
	build_and_execute(|| {
		let silent = register(1, 1);
		let alive = register(2, 2);
		// Registered at block 1; checks at 10, 20, 30. Block 10: 9 blocks since registration,
		// no miss yet. Block 20: first miss (55 points). Block 30: second miss, banned.
		let mut banned_at = None;
		while System::block_number() < 40 {
			run_to_block(System::block_number() + 1);
			if System::block_number().is_multiple_of(4) {
				beat(alive);
			}
			if banned_at.is_none()
				&& events().iter().any(|e| matches!(e, Event::Banned { id, .. } if *id == silent))
			{
				banned_at = Some(System::block_number());
			}
		}
		assert_eq!(banned_at, Some(30));
		assert!(events().contains(&Event::HeartbeatMissed {
			id: silent,
			score: 55,
			threshold: 100
		}));
		assert!(matches!(
			MasternodeRecords::<Test>::get(silent).unwrap().status,
			MasternodeStatus::Banned { since: 30 }
		));
		// After the ban only the live one is paid.
		System::reset_events();
		run_to_block(45);
		assert_eq!(paid_events(), vec![alive; 5]);

		assert_noop!(
			Masternodes::revive(RuntimeOrigin::signed(2), silent),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Masternodes::revive(RuntimeOrigin::signed(2), alive),
			Error::<Test>::NotBanned
		);
		assert_ok!(Masternodes::revive(RuntimeOrigin::signed(1), silent));
		assert_eq!(Masternodes::current_score(&MasternodeRecords::<Test>::get(silent).unwrap()), 0);
		// Revived at 45, as the live one was paid at 45: ties go by registration.
		System::reset_events();
		run_to_block(49);
		assert_eq!(paid_events(), vec![silent, alive, silent, alive]);
	});
}

#[test]
fn deregister_unbonds_then_releases_the_collateral_once() {
	build_and_execute(|| {
		let id = register(1, 1);
		assert_noop!(
			Masternodes::deregister(RuntimeOrigin::signed(2), id),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Masternodes::withdraw_collateral(RuntimeOrigin::signed(1), id),
			Error::<Test>::NotDeregistered
		);
		assert_ok!(Masternodes::deregister(RuntimeOrigin::signed(1), id));
		assert!(PaymentQueue::<Test>::get().is_empty());
		assert_eq!(OperatorIndex::<Test>::get(operator(1)), None);
		assert_noop!(
			Masternodes::deregister(RuntimeOrigin::signed(1), id),
			Error::<Test>::AlreadyDeregistered
		);
		assert_noop!(
			Masternodes::withdraw_collateral(RuntimeOrigin::signed(1), id),
			Error::<Test>::StillUnbonding
		);
		run_to_block(21);
		assert_eq!(held(1), COLLATERAL);
		assert_ok!(Masternodes::withdraw_collateral(RuntimeOrigin::signed(1), id));
		assert_eq!(held(1), 0);
		assert_eq!(free(1), 10_000 * KMCC);
		assert_noop!(
			Masternodes::withdraw_collateral(RuntimeOrigin::signed(1), id),
			Error::<Test>::UnknownMasternode
		);
		// The operator key is free again.
		register(1, 1);
	});
}

fn authorize(
	heartbeat: Heartbeat<u64>,
	signature: crate::crypto::OperatorSignature,
) -> Result<(), InvalidTransaction> {
	let call = Call::<Test>::heartbeat { heartbeat, signature };
	match call.authorize(TransactionSource::External) {
		Some(Ok(_)) => Ok(()),
		Some(Err(e)) => Err(e.into_invalid().unwrap_or(InvalidTransaction::Call)),
		None => panic!("heartbeat has authorize logic"),
	}
}

trait IntoInvalid {
	fn into_invalid(self) -> Option<InvalidTransaction>;
}

impl IntoInvalid for polkadot_sdk::sp_runtime::transaction_validity::TransactionValidityError {
	fn into_invalid(self) -> Option<InvalidTransaction> {
		match self {
			Self::Invalid(i) => Some(i),
			Self::Unknown(_) => None,
		}
	}
}

#[test]
fn heartbeats_are_authorized_only_when_signed_fresh_and_due() {
	build_and_execute(|| {
		let id = register(1, 1);
		run_to_block(6);
		let hb = |n: u64| Heartbeat { masternode: id, block_number: n };
		assert_eq!(authorize(hb(6), sign(1, &hb(6))), Ok(()));
		// Forged: signed by another key.
		assert_eq!(authorize(hb(6), sign(2, &hb(6))), Err(InvalidTransaction::BadProof));
		// Unknown masternode.
		let unknown = Heartbeat { masternode: 7, block_number: 6 };
		assert_eq!(
			authorize(unknown.clone(), sign(1, &unknown)),
			Err(InvalidTransaction::BadProof)
		);
		// From the future, or older than half a period.
		assert_eq!(authorize(hb(7), sign(1, &hb(7))), Err(InvalidTransaction::Future));
		assert_eq!(authorize(hb(1), sign(1, &hb(1))), Err(InvalidTransaction::Stale));
		// Too early: half a period has not passed since the last heartbeat.
		beat(id);
		run_to_block(8);
		assert_eq!(authorize(hb(8), sign(1, &hb(8))), Err(InvalidTransaction::Stale));
		run_to_block(11);
		assert_eq!(authorize(hb(11), sign(1, &hb(11))), Ok(()));
	});
}

#[test]
fn the_offchain_worker_submits_a_signed_heartbeat() {
	use polkadot_sdk::sp_core::offchain::{
		testing, OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
	};
	let mut ext = new_test_ext();
	let (offchain, _) = testing::TestOffchainExt::new();
	let (pool, pool_state) = testing::TestTransactionPoolExt::new();
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.execute_with(|| {
		let id = register(1, 1);
		// Too early at block 3 (registered at 1, half period 5).
		run_to_block(3);
		Masternodes::offchain_worker(3);
		assert!(pool_state.read().transactions.is_empty());
		run_to_block(6);
		Masternodes::offchain_worker(6);
		// Not twice in the same half period.
		Masternodes::offchain_worker(6);
		let txs = pool_state.read().transactions.clone();
		assert_eq!(txs.len(), 1);
		let xt: Extrinsic = codec::Decode::decode(&mut &txs[0][..]).unwrap();
		let RuntimeCall::Masternodes(call) = xt.function else { panic!("a masternodes call") };
		let Call::heartbeat { heartbeat, signature } = call.clone() else { panic!("a heartbeat") };
		assert_eq!(heartbeat, Heartbeat { masternode: id, block_number: 6 });
		assert_eq!(authorize(heartbeat, signature), Ok(()));
	});
}

#[test]
fn income_estimate_uses_live_values() {
	build_and_execute(|| {
		for s in 1..=4 {
			register(s as u64, s);
		}
		let e = Masternodes::estimated_income(1);
		assert_eq!(e.enabled_masternodes, 4);
		assert_eq!(e.daily_income, SHARE * 43_200 / 4);
		let infos = Masternodes::masternode_infos();
		let mut positions: Vec<_> = infos.iter().map(|i| (i.id, i.queue_position)).collect();
		positions.sort();
		assert_eq!(positions, vec![(0, Some(0)), (1, Some(1)), (2, Some(2)), (3, Some(3))]);
	});
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(48))]

	/// With t enabled masternodes (all heartbeating), each is paid once in every t
	/// consecutive blocks, and the payments add up to the shares paid in.
	#[test]
	fn payment_is_fair_and_exact(t in 1u8..=8, blocks in 1u64..=120) {
		new_test_ext().execute_with(|| -> Result<(), TestCaseError> {
			let ids: Vec<u32> = (1..=t).map(|s| register(1 + (s as u64 % 5), s)).collect();
			let held_before: u128 = (1..=5).map(held).sum();
			let free_before: u128 = (1..=5).map(free).sum();
			System::reset_events();
			for _ in 0..blocks {
				run_to_block(System::block_number() + 1);
				if System::block_number().is_multiple_of(4) {
					ids.iter().for_each(|id| beat(*id));
				}
			}
			let paid = paid_events();
			prop_assert_eq!(paid.len() as u64, blocks);
			for window in paid.windows(t as usize) {
				let mut w = window.to_vec();
				w.sort();
				w.dedup();
				prop_assert_eq!(w.len(), t as usize, "every masternode paid within t blocks");
			}
			prop_assert_eq!((1..=5).map(free).sum::<u128>() - free_before, SHARE * blocks as u128);
			// Collateral is held once per masternode and never moves.
			prop_assert_eq!((1..=5).map(held).sum::<u128>(), held_before);
			prop_assert_eq!(held_before, COLLATERAL * t as u128);
			Ok(())
		})?;
	}
}

#[test]
fn the_parameter_migration_runs_once() {
	use polkadot_sdk::frame_support::traits::{ConstU128, ConstU64, OnRuntimeUpgrade};
	build_and_execute(|| {
		type Init =
			crate::migrations::InitializeParameters<Test, ConstU128<7>, ConstU64<20>, ConstU64<30>>;
		Init::on_runtime_upgrade();
		assert_eq!(crate::MasternodeCollateral::<Test>::get(), COLLATERAL);
		crate::HeartbeatPeriod::<Test>::kill();
		Init::on_runtime_upgrade();
		assert_eq!(crate::MasternodeCollateral::<Test>::get(), 7);
		assert_eq!(crate::HeartbeatPeriod::<Test>::get(), 20);
		assert_eq!(crate::UnbondingPeriod::<Test>::get(), 30);
	});
}

#[test]
fn a_heartbeat_signed_for_another_network_is_rejected() {
	build_and_execute(|| {
		let id = register(1, 1);
		run_to_block(6);
		let heartbeat = Heartbeat { masternode: id, block_number: 6 };
		let valid = sign(1, &heartbeat);
		// The same heartbeat signed over another genesis hash.
		let other =
			(crate::HEARTBEAT_CONTEXT, polkadot_sdk::sp_core::H256::repeat_byte(7), &heartbeat);
		let foreign = codec::Encode::using_encoded(&other, |bytes| {
			polkadot_sdk::sp_runtime::RuntimeAppPublic::sign(&operator(1), &bytes)
		})
		.unwrap();
		assert_eq!(authorize(heartbeat.clone(), foreign), Err(InvalidTransaction::BadProof));
		assert_eq!(authorize(heartbeat, valid), Ok(()));
	});
}

#[test]
fn a_payout_account_that_cannot_receive_does_not_block_the_queue() {
	build_and_execute(|| {
		// Masternode 0 pays out to a fresh account; the share (45 planck) is below the
		// existential deposit, so it cannot be created.
		assert_ok!(Masternodes::register(
			RuntimeOrigin::signed(1),
			operator(1),
			77,
			endpoint(),
			ownership(1, 1)
		));
		let other = register(2, 2);
		System::reset_events();
		let pot = free(POT);
		for n in 2..=3u64 {
			System::set_block_number(n);
			let share = <Balances as polkadot_sdk::frame_support::traits::fungible::Balanced<
				AccountId,
			>>::issue(45);
			<Masternodes as polkadot_sdk::frame_support::traits::OnUnbalanced<_>>::on_unbalanced(
				share,
			);
		}
		assert_eq!(free(77), 0);
		assert_eq!(free(POT) - pot, 45, "masternode 0's turn went to the pot");
		assert_eq!(paid_events(), vec![other], "then masternode 1 was paid");
	});
}
