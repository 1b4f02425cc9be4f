//! One balance never backs two commitments: funds leased to a DPoS candidate (held in the
//! holder's account) cannot also be masternode or landlord collateral (held), held collateral
//! cannot be leased, and no transfer takes what either holds.

use crate::common::{preset_ext, start_block};
use kmcc_runtime::{
	currency::KMCC,
	pallet_dpos::{self, HoldReason as DposHold},
	pallet_masternodes::{self, crypto::OperatorId},
	pallet_storage_spaces::{self, crypto::NodeId},
	AccountId, Balances, Dpos, Masternodes, Runtime, RuntimeOrigin, StorageSpaces,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::fungible::{Inspect, InspectHold},
	},
	frame_system,
	sp_core::{sr25519, Pair},
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_keyring::Sr25519Keyring,
	sp_runtime::DispatchResult,
};
use proptest::prelude::*;

fn origin(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

fn register_masternode(owner: &AccountId, seed: u32) -> DispatchResult {
	let key = sr25519::Pair::from_string(&format!("//FundsMN{seed}"), None).unwrap();
	Masternodes::register(
		origin(owner),
		OperatorId::from(key.public()),
		owner.clone().into(),
		b"/dns/mn.example/tcp/30333".to_vec().try_into().unwrap(),
		key.sign(&pallet_masternodes::operator_ownership_payload(owner)).into(),
	)
}

fn register_landlord(owner: &AccountId, seed: u32, gib: u32) -> DispatchResult {
	let key = sr25519::Pair::from_string(&format!("//FundsNode{seed}"), None).unwrap();
	StorageSpaces::register_landlord(
		origin(owner),
		NodeId::from(key.public()),
		gib * 1024,
		b"/dns/landlord.example/tcp/4000".to_vec().try_into().unwrap(),
		key.sign(&pallet_storage_spaces::node_ownership_payload(owner)).into(),
	)
	.map(|_| ())
	.map_err(|e| e.error)
}

/// The account's freezes are covered by its free balance (none leans on held funds), its
/// reserved balance is exactly what the pallets hold, and its lease hold is its leases.
fn nothing_counted_twice(who: &AccountId) -> Result<(), String> {
	let leases: u128 =
		pallet_dpos::Leases::<Runtime>::iter_prefix_values(who).map(|l| l.amount).sum();
	let lease_hold =
		<Balances as InspectHold<AccountId>>::balance_on_hold(&DposHold::Lease.into(), who);
	if lease_hold != leases {
		return Err(format!("lease hold {lease_hold} differs from leases {leases}"));
	}
	let data = frame_system::Account::<Runtime>::get(who).data;
	if data.frozen > data.free {
		return Err(format!(
			"frozen {} above free {}: a freeze uses held funds",
			data.frozen, data.free
		));
	}
	let held = <Balances as InspectHold<AccountId>>::total_balance_on_hold(who);
	if held != data.reserved {
		return Err(format!("held {held} differs from reserved {}", data.reserved));
	}
	Ok(())
}

#[test]
fn leased_funds_are_no_collateral_and_collateral_is_not_leasable() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1, 1);
		let ferdie = Sr25519Keyring::Ferdie.to_account_id();
		let alice = Sr25519Keyring::Alice.to_account_id();
		let free = Balances::free_balance(&ferdie);
		// All but 100 KMCC leased (held in Ferdie's account).
		assert_ok!(Dpos::lease(origin(&ferdie), alice.clone(), free - 100 * KMCC));
		// 1,000 KMCC of masternode collateral, 160 KMCC for a 16 GiB landlord: not from
		// leased funds.
		assert_noop!(
			register_masternode(&ferdie, 0),
			pallet_masternodes::Error::<Runtime>::InsufficientBalance
		);
		assert_noop!(
			register_landlord(&ferdie, 0, 16),
			pallet_storage_spaces::Error::<Runtime>::InsufficientBalance
		);
		// What is neither leased nor held still serves: a 1 GiB landlord (10 KMCC).
		assert_ok!(register_landlord(&ferdie, 1, 1));
		nothing_counted_twice(&ferdie).unwrap();

		// The reverse: Dave holds masternode collateral, then cannot lease it.
		let dave = Sr25519Keyring::Dave.to_account_id();
		assert_ok!(register_masternode(&dave, 1));
		let free = Balances::free_balance(&dave);
		assert_noop!(
			Dpos::lease(origin(&dave), alice.clone(), free + KMCC),
			pallet_dpos::Error::<Runtime>::InsufficientBalance
		);
		assert_ok!(Dpos::lease(origin(&dave), alice, free - KMCC));
		nothing_counted_twice(&dave).unwrap();
	});
}

/// The case that broke when leases were freezes: `pallet-balances` counts held funds towards a
/// freeze, so after collateral was held the lease's funds could be transferred away.
#[test]
fn a_lease_then_collateral_leaves_only_the_rest_transferable() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1, 1);
		let ferdie = Sr25519Keyring::Ferdie.to_account_id();
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let total = <Balances as Inspect<AccountId>>::total_balance(&ferdie);
		assert_ok!(Dpos::lease(origin(&ferdie), alice, 128_770 * KMCC));
		assert_ok!(register_masternode(&ferdie, 0));
		let held = <Balances as InspectHold<AccountId>>::total_balance_on_hold(&ferdie);
		assert!(held > 128_770 * KMCC);
		// Everything not held, and not a planck more, can leave.
		let free = Balances::free_balance(&ferdie);
		assert_eq!(free, total - held);
		assert!(Balances::transfer_keep_alive(origin(&ferdie), bob.clone().into(), free).is_err());
		let ed = <Balances as Inspect<AccountId>>::minimum_balance();
		assert_ok!(Balances::transfer_keep_alive(origin(&ferdie), bob.into(), free - ed));
		assert_eq!(<Balances as Inspect<AccountId>>::total_balance(&ferdie), held + ed);
		nothing_counted_twice(&ferdie).unwrap();
	});
}

#[derive(Clone, Debug)]
enum Op {
	Lease(u128),
	Masternode,
	Landlord(u32),
	Transfer(u128),
}

fn op() -> impl Strategy<Value = Op> {
	prop_oneof![
		(1u128..1_200_000).prop_map(|k| Op::Lease(k * KMCC)),
		Just(Op::Masternode),
		(1u32..20).prop_map(Op::Landlord),
		(1u128..1_200_000).prop_map(|k| Op::Transfer(k * KMCC)),
	]
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(24))]
	/// Any sequence of leases, registrations and transfers of one account keeps every freeze
	/// on free funds and every hold recorded: no balance is counted twice across DPoS,
	/// masternodes and storage.
	#[test]
	fn no_sequence_counts_a_balance_twice(ops in proptest::collection::vec(op(), 1..16)) {
		preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
			start_block(1, 1);
			let ferdie = Sr25519Keyring::Ferdie.to_account_id();
			let alice = Sr25519Keyring::Alice.to_account_id();
			let bob = Sr25519Keyring::Bob.to_account_id();
			for (i, op) in ops.into_iter().enumerate() {
				let i = i as u32;
				let _ = match op {
					Op::Lease(a) => Dpos::lease(origin(&ferdie), alice.clone(), a),
					Op::Masternode => register_masternode(&ferdie, i),
					Op::Landlord(gib) => register_landlord(&ferdie, i, gib),
					Op::Transfer(a) => Balances::transfer_keep_alive(origin(&ferdie), bob.clone().into(), a),
				};
				prop_assert_eq!(nothing_counted_twice(&ferdie), Ok(()));
			}
			Ok(())
		})?;
	}
}
