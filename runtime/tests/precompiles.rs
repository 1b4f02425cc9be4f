//! The DPoS precompile (`runtime/src/precompiles/IDpos.sol`) through the real runtime: called
//! directly by a KMCC account through `Revive`, and from Solidity (`fixtures/LeasingPool.sol`),
//! it leases the caller's own KMCC as `Dpos.lease` does; every refusal reverts with the DPoS
//! error's name and leaves state unchanged, and a static call cannot lease.

// `ReviveApi`'s unversioned functions are the ones the Ethereum JSON-RPC adapter calls.
#![allow(deprecated)]

use crate::{
	common::{preset_ext, signed, start_block},
	evm::{
		address_of, address_word, apply, deploy, discarded, dry_run, revive_call, selector, unhex,
		word, Mapper, REVERT_FLAG,
	},
};
use kmcc_runtime::{
	pallet_dpos, precompiles::DposPrecompile, Balances, Runtime, RuntimeHoldReason, KMCC,
};
use polkadot_sdk::{
	frame_support::traits::fungible::InspectHold,
	pallet_revive::{runtime_decl_for_revive_api::ReviveApiV2, AddressMapper, H160, U256},
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_keyring::Sr25519Keyring,
	sp_runtime::AccountId32,
};

fn lease_call(candidate: &AccountId32, amount: U256) -> Vec<u8> {
	let mut input = selector("lease(bytes32,uint256)").to_vec();
	input.extend(AsRef::<[u8; 32]>::as_ref(candidate));
	input.extend(word(amount));
	input
}

fn leased(holder: &AccountId32, candidate: &AccountId32) -> u128 {
	pallet_dpos::Leases::<Runtime>::get(holder, candidate).map(|l| l.amount).unwrap_or_default()
}

fn lease_hold(holder: &AccountId32) -> u128 {
	Balances::balance_on_hold(&RuntimeHoldReason::Dpos(pallet_dpos::HoldReason::Lease), holder)
}

/// The string of a Solidity `Error(string)` revert.
fn revert_reason(data: &[u8]) -> String {
	assert_eq!(data[..4], selector("Error(string)"), "an Error(string) revert: {data:?}");
	let length = U256::from_big_endian(&data[36..68]).as_usize();
	String::from_utf8(data[68..68 + length].to_vec()).expect("utf-8")
}

#[test]
fn the_precompile_leases_the_callers_kmcc_and_reads_the_lease() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1, 1);
		let dpos = DposPrecompile::<Runtime>::address();
		assert_eq!(dpos, H160::from_low_u64_be(0x0800_0000));
		let (alice, bob) = (Sr25519Keyring::Alice.to_account_id(), Sr25519Keyring::Bob);
		assert!(pallet_dpos::Candidates::<Runtime>::contains_key(&alice));

		// `isCandidate`.
		let mut is_candidate = selector("isCandidate(bytes32)").to_vec();
		is_candidate.extend(AsRef::<[u8; 32]>::as_ref(&alice));
		assert_eq!(
			dry_run(bob.to_account_id(), dpos, is_candidate),
			(false, word(U256::one()).to_vec())
		);

		// Bob leases 100 KMCC to Alice through the precompile: his own KMCC, held as a lease.
		apply(signed(bob, revive_call(dpos, 0, lease_call(&alice, U256::from(100 * KMCC))), 0, 0))
			.expect("lease");
		assert_eq!(leased(&bob.to_account_id(), &alice), 100 * KMCC);
		assert_eq!(lease_hold(&bob.to_account_id()), 100 * KMCC);
		let summaries = pallet_dpos::Pallet::<Runtime>::lease_summaries(&bob.to_account_id());
		assert_eq!(summaries.len(), 1);
		assert_eq!(
			(summaries[0].candidate.clone(), summaries[0].amount),
			(alice.clone(), 100 * KMCC)
		);

		// `leaseOf` reads it, by Bob's Ethereum address.
		let mut lease_of = selector("leaseOf(address,bytes32)").to_vec();
		lease_of.extend(address_word(address_of(bob)));
		lease_of.extend(AsRef::<[u8; 32]>::as_ref(&alice));
		let (reverted, data) = dry_run(bob.to_account_id(), dpos, lease_of);
		assert!(!reverted);
		assert_eq!(data[..32], word(U256::from(100 * KMCC)));
		assert_eq!(data.len(), 64);

		// Unleasing 40 KMCC keeps them held for the unbonding period.
		let mut unlease = selector("unlease(bytes32,uint256)").to_vec();
		unlease.extend(AsRef::<[u8; 32]>::as_ref(&alice));
		unlease.extend(word(U256::from(40 * KMCC)));
		apply(signed(bob, revive_call(dpos, 0, unlease), 1, 0)).expect("unlease");
		assert_eq!(leased(&bob.to_account_id(), &alice), 60 * KMCC);
	});
}

#[test]
fn a_solidity_contract_leases_through_the_precompile() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1, 1);
		let alice = Sr25519Keyring::Alice.to_account_id();
		let pool = deploy(unhex(include_str!("fixtures/LeasingPool.bin")), 0);
		let pool_account = Mapper::to_account_id(&pool);

		// Charlie sends 50 KMCC to `leaseAll`: the contract's account leases them.
		let mut lease_all = selector("leaseAll(bytes32)").to_vec();
		lease_all.extend(AsRef::<[u8; 32]>::as_ref(&alice));
		apply(signed(Sr25519Keyring::Charlie, revive_call(pool, 50 * KMCC, lease_all), 0, 0))
			.expect("leaseAll");
		assert_eq!(leased(&pool_account, &alice), 50 * KMCC);
		assert_eq!(lease_hold(&pool_account), 50 * KMCC);
		assert_eq!(leased(&Sr25519Keyring::Charlie.to_account_id(), &alice), 0);

		// The contract reads its lease through the precompile.
		let mut read = selector("leased(bytes32)").to_vec();
		read.extend(AsRef::<[u8; 32]>::as_ref(&alice));
		let (reverted, data) = dry_run(alice.clone(), pool, read);
		assert!(!reverted);
		assert_eq!(data[..32], word(U256::from(50 * KMCC)));

		// A lease in a static call fails inside the contract: the contract returns `false`,
		// and submitted for real, the transaction succeeds without leasing anything.
		let mut in_static_call = selector("leaseInStaticCall(bytes32,uint256)").to_vec();
		in_static_call.extend(AsRef::<[u8; 32]>::as_ref(&alice));
		in_static_call.extend(word(U256::from(KMCC)));
		let (reverted, data) = dry_run(alice.clone(), pool, in_static_call.clone());
		assert!(!reverted, "the contract itself returns");
		assert_eq!(data[..32], word(U256::zero()), "the static call failed");
		let charlie = Sr25519Keyring::Charlie;
		apply(signed(charlie, revive_call(pool, 0, in_static_call), 1, 0)).expect("returns");
		assert_eq!(leased(&pool_account, &alice), 50 * KMCC);
	});
}

#[test]
fn bad_leases_revert_with_the_dpos_error_and_change_nothing() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1, 1);
		let dpos = DposPrecompile::<Runtime>::address();
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob;
		let not_a_candidate = Sr25519Keyring::Dave.to_account_id();
		let reason = |input: Vec<u8>| {
			let (reverted, data) = dry_run(bob.to_account_id(), dpos, input);
			assert!(reverted);
			revert_reason(&data)
		};
		let mut unlease_all = selector("unlease(bytes32,uint256)").to_vec();
		unlease_all.extend(AsRef::<[u8; 32]>::as_ref(&alice));
		unlease_all.extend(word(U256::from(KMCC)));
		let mut claim = selector("claimRewards(bytes32)").to_vec();
		claim.extend(AsRef::<[u8; 32]>::as_ref(&alice));
		let cases = [
			(lease_call(&alice, U256::from(KMCC / 2)), "lease: LeaseTooSmall"),
			(lease_call(&not_a_candidate, U256::from(10 * KMCC)), "lease: NotCandidate"),
			(lease_call(&alice, U256::MAX), "lease: amount exceeds the KMCC supply"),
			(lease_call(&alice, U256::from(u128::MAX)), "lease: InsufficientBalance"),
			(unlease_all, "unlease: NoLease"),
			(claim, "claimRewards: NoLease"),
		];
		for (nonce, (input, expected)) in cases.into_iter().enumerate() {
			assert_eq!(reason(input.clone()), expected);
			// Submitted for real, the transaction fails and only its fee is paid.
			let result = apply(signed(bob, revive_call(dpos, 0, input), nonce as u32, 0));
			assert!(result.is_err(), "{expected}: {result:?}");
			assert_eq!(leased(&bob.to_account_id(), &alice), 0);
			assert_eq!(lease_hold(&bob.to_account_id()), 0);
		}
		// Calls the interface does not have, or with missing arguments, revert.
		let mut truncated = lease_call(&alice, U256::from(10 * KMCC));
		truncated.truncate(40);
		for input in [truncated, selector("stake(uint256)").to_vec(), vec![]] {
			let result = discarded(|| {
				<Runtime as ReviveApiV2<_, _, _, _, _, _>>::call(
					bob.to_account_id(),
					dpos,
					0,
					None,
					None,
					input.clone(),
				)
			});
			let failed =
				result.result.map_or(true, |output| output.flags.bits() & REVERT_FLAG != 0);
			assert!(failed, "{input:?} is refused");
		}
		assert_eq!(leased(&bob.to_account_id(), &alice), 0);
	});
}
