//! Ethereum contracts through the real runtime (design §9): EVM bytecode (`fixtures/Vault.sol`,
//! compiled by npm's `solc`) instantiated and called through `Revive` by KMCC accounts, with
//! value moving 1:1 (1 KMCC = 1 ether), `msg.sender` mapped back to the KMCC account that
//! called, accounts mapped when created, the migration that adds the pallet, and signed
//! Ethereum transactions (`Revive::eth_transact`) refused with trailing bytes, an extra field,
//! another chain's id, a changed signature or a nonce already used.

// `ReviveApi`'s unversioned functions are the ones the Ethereum JSON-RPC adapter calls.
#![allow(deprecated)]

use crate::common::{finish_block, preset_ext, signed, start_block};
use kmcc_runtime::{
	configs::evm::{is_canonical_eth_transaction, EVM_CHAIN_ID, GAS_SCALE},
	migrations::AddRevive,
	Balances, Executive, Revive, Runtime, RuntimeCall, RuntimeEvent, System, KMCC,
};
use polkadot_sdk::{
	frame_support::{
		traits::{
			fungible::{Inspect as _, Mutate},
			Get, OnRuntimeUpgrade,
		},
		weights::Weight,
	},
	pallet_balances, pallet_revive,
	pallet_revive::{
		evm::{
			rlp::{Rlp, RlpStream},
			Account as EthAccount, Bytes, GenericTransaction, TYPE_EIP1559, TYPE_LEGACY,
		},
		runtime_decl_for_revive_api::ReviveApiV2,
		AddressMapper, H160, U256,
	},
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_io::hashing::keccak_256,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{
		generic::UncheckedExtrinsic as GenericUncheckedExtrinsic,
		traits::Dispatchable,
		transaction_validity::{InvalidTransaction, TransactionValidityError},
		AccountId32, ApplyExtrinsicResult, DispatchError,
	},
};
use proptest::prelude::*;

/// `ReturnFlags::REVERT` of the contract API (`pallet-revive-uapi`): the call reverted.
pub(crate) const REVERT_FLAG: u32 = 1;

pub(crate) type Mapper = <Runtime as pallet_revive::Config>::AddressMapper;

/// Bytes of a hex fixture (`fixtures/*.bin`: creation bytecode).
pub(crate) fn unhex(hex: &str) -> Vec<u8> {
	let hex = hex.trim();
	(0..hex.len())
		.step_by(2)
		.map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
		.collect()
}

/// `Vault`'s creation bytecode (`fixtures/Vault.bin`).
pub(crate) fn vault_code() -> Vec<u8> {
	unhex(include_str!("fixtures/Vault.bin"))
}

/// The ABI selector of `signature`.
pub(crate) fn selector(signature: &str) -> [u8; 4] {
	let hash = keccak_256(signature.as_bytes());
	[hash[0], hash[1], hash[2], hash[3]]
}

/// An ABI word: a `uint256` or an `address`.
pub(crate) fn word(value: U256) -> [u8; 32] {
	value.to_big_endian()
}

pub(crate) fn address_word(address: H160) -> [u8; 32] {
	let mut word = [0u8; 32];
	word[12..].copy_from_slice(address.as_bytes());
	word
}

/// Enough weight for any call of these tests (100 ms; proof size is unlimited on this chain).
pub(crate) const WEIGHT_LIMIT: Weight = Weight::from_parts(100_000_000_000, 10 * 1024 * 1024);

pub(crate) fn address_of(who: Sr25519Keyring) -> H160 {
	Mapper::to_address(&who.to_account_id())
}

pub(crate) fn apply(xt: kmcc_runtime::UncheckedExtrinsic) -> Result<(), DispatchError> {
	let n = System::block_number();
	Executive::apply_extrinsic(xt).unwrap_or_else(|e| panic!("block {n}: {e:?}"))
}

pub(crate) fn next_block() {
	let n = System::block_number();
	finish_block(u64::from(n));
	start_block(n + 1, u64::from(n + 1));
}

/// A dry run (`ReviveApi::call`, what `eth_call` does) of `input` to `dest` from `origin`:
/// whether it reverted, and what it returned.
/// Its changes are discarded, as the node discards a runtime API call's.
pub(crate) fn dry_run(origin: AccountId32, dest: H160, input: Vec<u8>) -> (bool, Vec<u8>) {
	let output = discarded(|| {
		<Runtime as ReviveApiV2<_, _, _, _, _, _>>::call(origin, dest, 0, None, None, input)
	})
	.result
	.expect("the call runs");
	(output.flags.bits() & REVERT_FLAG != 0, output.data)
}

/// Runs `f` and discards its storage changes.
pub(crate) fn discarded<R>(f: impl FnOnce() -> R) -> R {
	use polkadot_sdk::frame_support::storage::{with_transaction, TransactionOutcome};
	with_transaction(|| TransactionOutcome::Rollback(Ok::<_, DispatchError>(f())))
		.expect("rolled back")
}

/// `Vault.balanceOf(owner)`, read by a dry run, in wei.
fn vault_balance_of(vault: H160, owner: H160) -> U256 {
	let mut input = selector("balanceOf(address)").to_vec();
	input.extend(address_word(owner));
	let (reverted, data) = dry_run(Sr25519Keyring::Ferdie.to_account_id(), vault, input);
	assert!(!reverted, "balanceOf reverted");
	U256::from_big_endian(&data)
}

pub(crate) fn revive_events() -> Vec<pallet_revive::Event<Runtime>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Revive(e) => Some(e),
			_ => None,
		})
		.collect()
}

pub(crate) fn transfers() -> Vec<(AccountId32, AccountId32, u128)> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Balances(pallet_balances::Event::Transfer { from, to, amount }) => {
				Some((from, to, amount))
			}
			_ => None,
		})
		.collect()
}

pub(crate) fn revive_call(dest: H160, value: u128, data: Vec<u8>) -> RuntimeCall {
	RuntimeCall::Revive(pallet_revive::Call::call {
		dest,
		value,
		weight_limit: WEIGHT_LIMIT,
		storage_deposit_limit: 10 * KMCC,
		data,
	})
}

/// Deploys `Vault` from Alice with `value` and returns its address.
fn deploy_vault(value: u128) -> H160 {
	deploy(vault_code(), value)
}

/// Deploys `code` from Alice with `value` and returns its address.
pub(crate) fn deploy(code: Vec<u8>, value: u128) -> H160 {
	let call = RuntimeCall::Revive(pallet_revive::Call::instantiate_with_code {
		value,
		weight_limit: WEIGHT_LIMIT,
		storage_deposit_limit: 100 * KMCC,
		code,
		data: vec![],
		salt: None,
	});
	let alice_nonce = System::account_nonce(Sr25519Keyring::Alice.to_account_id());
	apply(signed(Sr25519Keyring::Alice, call, alice_nonce, 0)).expect("Vault deploys");
	revive_events()
		.into_iter()
		.find_map(|e| match e {
			pallet_revive::Event::Instantiated { deployer, contract } => {
				assert_eq!(deployer, address_of(Sr25519Keyring::Alice));
				Some(contract)
			}
			_ => None,
		})
		.expect("an Instantiated event")
}

#[test]
fn an_evm_contract_is_deployed_and_called_and_value_moves_one_to_one() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1, 1);
		let (alice, bob) = (Sr25519Keyring::Alice, Sr25519Keyring::Bob);

		// Deployed with 5 KMCC: the contract holds 5 ether, Alice's first deposit.
		let vault = deploy_vault(5 * KMCC);
		let vault_account = Mapper::to_account_id(&vault);
		assert_eq!(Revive::evm_balance(&vault), U256::from(5 * KMCC));
		assert_eq!(
			<Runtime as ReviveApiV2<_, _, _, _, _, _>>::balance(vault),
			U256::from(5_000_000_000_000_000_000u128),
			"5 KMCC is 5 * 10^18 wei"
		);
		assert_eq!(vault_balance_of(vault, address_of(alice)), U256::from(5 * KMCC));
		next_block();

		// Bob deposits 3 KMCC: his account pays exactly 3 KMCC to the contract's account,
		// besides the fee and the deposit for his new storage slot.
		System::reset_events();
		let mut deposit = selector("deposit()").to_vec();
		apply(signed(bob, revive_call(vault, 3 * KMCC, deposit.clone()), 0, 0)).expect("deposit");
		assert!(transfers().contains(&(bob.to_account_id(), vault_account.clone(), 3 * KMCC)));
		assert_eq!(Revive::evm_balance(&vault), U256::from(8 * KMCC));
		assert_eq!(vault_balance_of(vault, address_of(bob)), U256::from(3 * KMCC));
		// The event names Bob's mapped address and the amount in wei.
		let emitted = revive_events()
			.into_iter()
			.find_map(|e| match e {
				pallet_revive::Event::ContractEmitted { contract, data, topics } => {
					assert_eq!(contract, vault);
					Some((data, topics))
				}
				_ => None,
			})
			.expect("Deposited is emitted");
		assert_eq!(emitted.0, word(U256::from(3 * KMCC)).to_vec());
		assert_eq!(emitted.1[0].0, keccak_256(b"Deposited(address,uint256)"));
		assert_eq!(emitted.1[1].0, address_word(address_of(bob)));

		// Withdrawing pays `msg.sender`, which is Bob's own KMCC account (mapped), 1:1.
		System::reset_events();
		let mut withdraw = selector("withdraw(uint256)").to_vec();
		withdraw.extend(word(U256::from(KMCC)));
		apply(signed(bob, revive_call(vault, 0, withdraw), 1, 0)).expect("withdraw");
		assert!(
			transfers().contains(&(vault_account.clone(), bob.to_account_id(), KMCC)),
			"{:?}",
			transfers()
		);
		assert_eq!(vault_balance_of(vault, address_of(bob)), U256::from(2 * KMCC));
		assert_eq!(Revive::evm_balance(&vault), U256::from(7 * KMCC));

		// Withdrawing more than deposited reverts: the extrinsic fails and nothing moves.
		let bob_before = Balances::balance(&bob.to_account_id());
		let mut too_much = selector("withdraw(uint256)").to_vec();
		too_much.extend(word(U256::from(10 * KMCC)));
		let result = apply(signed(bob, revive_call(vault, 0, too_much), 2, 0));
		assert!(matches!(result, Err(DispatchError::Module(ref e)) if e.index == 70), "{result:?}");
		assert_eq!(vault_balance_of(vault, address_of(bob)), U256::from(2 * KMCC));
		assert_eq!(Revive::evm_balance(&vault), U256::from(7 * KMCC));
		assert!(Balances::balance(&bob.to_account_id()) < bob_before, "only the fee is paid");

		// A deposit whose value the caller does not have is refused with state unchanged.
		deposit.truncate(4);
		let dave = Sr25519Keyring::Dave;
		let dave_balance = Balances::balance(&dave.to_account_id());
		let result = apply(signed(dave, revive_call(vault, dave_balance + KMCC, deposit), 0, 0));
		assert!(result.is_err(), "{result:?}");
		assert_eq!(Revive::evm_balance(&vault), U256::from(7 * KMCC));
		assert_eq!(vault_balance_of(vault, address_of(dave)), U256::zero());
	});
}

#[test]
fn ether_sent_to_an_accounts_address_reaches_its_kmcc_account() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1, 1);
		let (alice, charlie) = (Sr25519Keyring::Alice, Sr25519Keyring::Charlie);
		// Every account of the preset is mapped from genesis on.
		for who in Sr25519Keyring::iter() {
			assert!(Mapper::is_mapped(&who.to_account_id()), "{who:?} is mapped");
		}
		let charlie_before = Balances::balance(&charlie.to_account_id());
		System::reset_events();
		apply(signed(alice, revive_call(address_of(charlie), 2 * KMCC, vec![]), 0, 0))
			.expect("a plain transfer");
		assert_eq!(Balances::balance(&charlie.to_account_id()), charlie_before + 2 * KMCC);
		// `eth_getBalance` is the spendable balance: what the account can send and keep alive.
		assert_eq!(
			<Runtime as ReviveApiV2<_, _, _, _, _, _>>::balance(address_of(charlie)),
			U256::from(charlie_before + 2 * KMCC - kmcc_runtime::EXISTENTIAL_DEPOSIT)
		);
	});
}

#[test]
fn accounts_are_mapped_when_created_and_unmapped_when_reaped() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1, 1);
		let fresh = AccountId32::new([7; 32]);
		assert!(!Mapper::is_mapped(&fresh));
		let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_allow_death {
			dest: fresh.clone().into(),
			value: KMCC,
		});
		apply(signed(Sr25519Keyring::Alice, transfer, 0, 0)).expect("funds a new account");
		assert!(Mapper::is_mapped(&fresh));
		assert_eq!(Mapper::to_account_id(&Mapper::to_address(&fresh)), fresh);

		// An Ethereum-derived account (`h ‖ 0xEE × 12`) needs no mapping.
		let mut eth_derived = [0xEE; 32];
		eth_derived[..20].copy_from_slice(&[0x42; 20]);
		let eth_derived = AccountId32::new(eth_derived);
		let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_allow_death {
			dest: eth_derived.clone().into(),
			value: KMCC,
		});
		apply(signed(Sr25519Keyring::Alice, transfer, 1, 0)).expect("funds an Ethereum account");
		// It counts as mapped (its address is in it) without a mapping entry.
		assert!(Mapper::is_mapped(&eth_derived));
		assert_eq!(Mapper::to_address(&eth_derived), H160([0x42; 20]));
		assert_eq!(Mapper::to_account_id(&H160([0x42; 20])), eth_derived);

		// `map_account` is switched off under `AutoMap`: it succeeds and changes nothing. (The
		// pallet's `runtime-benchmarks` build leaves it on, so that it can be benchmarked.)
		if cfg!(not(feature = "runtime-benchmarks")) {
			let root =
				|| polkadot_sdk::sp_io::storage::root(polkadot_sdk::sp_runtime::StateVersion::V1);
			let before = root();
			RuntimeCall::Revive(pallet_revive::Call::map_account {})
				.dispatch(kmcc_runtime::RuntimeOrigin::signed(eth_derived.clone()))
				.expect("a no-op");
			assert_eq!(root(), before);
		}
	});
}

#[test]
fn the_gas_price_is_one_gwei_times_the_fee_multiplier_and_the_chain_id_is_kmccs() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1, 1);
		assert_eq!(
			<Runtime as ReviveApiV2<_, _, _, _, _, _>>::gas_price(),
			U256::from(GAS_SCALE),
			"1 gwei at multiplier 1"
		);
		assert_eq!(GAS_SCALE, 1_000_000_000);
		assert_eq!(<<Runtime as pallet_revive::Config>::ChainId as Get<u64>>::get(), EVM_CHAIN_ID);
		assert_eq!(
			polkadot_sdk::pallet_transaction_payment::NextFeeMultiplier::<Runtime>::get(),
			polkadot_sdk::sp_runtime::FixedU128::from_u32(1)
		);
		// Empty blocks lower the multiplier no further than 1.
		for _ in 0..20 {
			next_block();
		}
		assert_eq!(
			polkadot_sdk::pallet_transaction_payment::NextFeeMultiplier::<Runtime>::get(),
			polkadot_sdk::sp_runtime::FixedU128::from_u32(1)
		);
		assert_eq!(<Runtime as ReviveApiV2<_, _, _, _, _, _>>::gas_price(), U256::from(GAS_SCALE));
	});
}

#[test]
fn the_migration_maps_existing_accounts_and_creates_revives_account_from_the_pool() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1, 1);
		// A state from before spec 116: no mappings, no account for `Revive`.
		let pallet_account = pallet_revive::Pallet::<Runtime>::account_id();
		let pool = kmcc_runtime::configs::monetary::StorageSubsidyPool::get();
		Balances::mint_into(&pool, 10 * KMCC).expect("the pool has received emission");
		let accounts: Vec<_> =
			polkadot_sdk::frame_system::Account::<Runtime>::iter_keys().collect();
		for who in &accounts {
			if Mapper::is_mapped(who) {
				Mapper::unmap(who).expect("unmaps");
			}
		}
		let ed = kmcc_runtime::EXISTENTIAL_DEPOSIT;
		let revive_balance = Balances::balance(&pallet_account);
		Balances::burn_from(
			&pallet_account,
			revive_balance,
			polkadot_sdk::frame_support::traits::tokens::Preservation::Expendable,
			polkadot_sdk::frame_support::traits::tokens::Precision::Exact,
			polkadot_sdk::frame_support::traits::tokens::Fortitude::Force,
		)
		.expect("empties Revive's account");
		assert!(!System::account_exists(&pallet_account));
		let issuance = Balances::total_issuance();
		let pool_before = Balances::balance(&pool);

		AddRevive::on_runtime_upgrade();
		for who in &accounts {
			if *who != pallet_account {
				assert!(Mapper::is_mapped(who), "{who:?} is mapped");
			}
		}
		assert!(Mapper::is_mapped(&pallet_account), "mapped as it was created");
		assert_eq!(Balances::balance(&pallet_account), ed);
		assert_eq!(Balances::balance(&pool), pool_before - ed);
		assert_eq!(Balances::total_issuance(), issuance, "nothing minted");

		// Once is enough: a second run (or a genesis-born chain) changes nothing.
		let root = polkadot_sdk::sp_io::storage::root(polkadot_sdk::sp_runtime::StateVersion::V1);
		AddRevive::on_runtime_upgrade();
		assert_eq!(
			polkadot_sdk::sp_io::storage::root(polkadot_sdk::sp_runtime::StateVersion::V1),
			root
		);
	});
}

/// A transfer of 1 KMCC from `signer` to `to`, gas and gas price from a dry run, as the
/// Ethereum JSON-RPC adapter's `eth_estimateGas` and `eth_gasPrice` give them.
fn eth_transfer(signer: &EthAccount, to: H160, nonce: u64) -> GenericTransaction {
	let mut tx = GenericTransaction {
		from: Some(signer.address()),
		to: Some(to),
		value: Some(U256::from(KMCC)),
		nonce: Some(nonce.into()),
		chain_id: Some(EVM_CHAIN_ID.into()),
		..Default::default()
	};
	let estimate = discarded(|| Revive::dry_run_eth_transact(tx.clone(), None, true, None))
		.expect("the transfer estimates");
	tx.gas = Some(estimate.eth_gas);
	tx.gas_price = Some(Revive::evm_base_fee());
	tx
}

fn sign(signer: &EthAccount, tx: GenericTransaction) -> Vec<u8> {
	signer.sign_transaction(tx.try_into_unsigned().expect("a legacy transaction")).signed_payload()
}

fn eth_transact(payload: Vec<u8>) -> ApplyExtrinsicResult {
	let call = RuntimeCall::Revive(pallet_revive::Call::eth_transact { payload });
	Executive::apply_extrinsic(GenericUncheckedExtrinsic::new_bare(call).into())
}

#[test]
fn a_signed_ethereum_transaction_runs_once_and_only_in_its_canonical_encoding_for_this_chain() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1, 1);
		let signer = EthAccount::from_secret_key([0x42; 32]);
		let sender = Mapper::to_fallback_account_id(&signer.address());
		let recipient = H160::repeat_byte(0x77);
		let recipient_id = Mapper::to_fallback_account_id(&recipient);
		<Balances as Mutate<_>>::set_balance(&sender, 100 * KMCC);
		let payload = sign(&signer, eth_transfer(&signer, recipient, 0));
		assert!(is_canonical_eth_transaction(&payload));
		let untouched = || {
			assert_eq!(Balances::balance(&sender), 100 * KMCC);
			assert_eq!(System::account_nonce(&sender), 0);
			assert_eq!(Balances::balance(&recipient_id), 0);
		};

		// Trailing bytes after the signed transaction: the same signature, another hash.
		for tail in [&[0u8][..], &[0x80][..], &payload[..]] {
			let longer = [&payload[..], tail].concat();
			assert!(!is_canonical_eth_transaction(&longer));
			assert_eq!(
				eth_transact(longer),
				Err(TransactionValidityError::Invalid(InvalidTransaction::Call))
			);
		}
		// An extra item inside the transaction's list.
		let items: Vec<Vec<u8>> = Rlp::new(&payload).iter().map(|i| i.as_raw().to_vec()).collect();
		assert_eq!(items.len(), 9, "a legacy transaction has nine fields");
		let mut stream = RlpStream::new_list(items.len() + 1);
		for item in &items {
			stream.append_raw(item, 1);
		}
		stream.append_empty_data();
		assert_eq!(
			eth_transact(stream.out().to_vec()),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Call))
		);
		// The same transaction signed for another chain (Ethereum's), and with its signature
		// changed (it then recovers another signer, who has no funds).
		let mut other_chain = eth_transfer(&signer, recipient, 0);
		other_chain.chain_id = Some(1u64.into());
		assert!(matches!(
			eth_transact(sign(&signer, other_chain)),
			Err(TransactionValidityError::Invalid(_))
		));
		let mut forged = payload.clone();
		let last = forged.len() - 1;
		forged[last] ^= 1;
		assert!(eth_transact(forged).is_err());
		untouched();

		// The canonical payload runs once (the new account's existential deposit on top, paid
		// by the sender: the recipient's balance shows the whole ether value).
		assert_eq!(eth_transact(payload.clone()), Ok(Ok(())));
		let received = KMCC + Balances::minimum_balance();
		assert_eq!(Balances::balance(&recipient_id), received);
		assert_eq!(System::account_nonce(&sender), 1);
		let after_first = Balances::balance(&sender);
		assert!(after_first < 99 * KMCC, "1 KMCC and the fee left");
		assert_eq!(
			eth_transact(payload),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Stale))
		);
		assert_eq!(Balances::balance(&recipient_id), received);
		assert_eq!(Balances::balance(&sender), after_first);
	});
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(64))]
	/// Every signed transaction (legacy or EIP-1559, any fields) is canonical in the encoding
	/// a wallet sends, and no longer or shorter payload is.
	#[test]
	fn only_the_encoding_a_wallet_signs_is_canonical(
		secret in proptest::array::uniform32(any::<u8>()),
		eip1559 in any::<bool>(),
		nonce in any::<u64>(),
		value in any::<u128>(),
		gas in 21_000u64..u64::MAX,
		gas_price in 1u64..u64::MAX,
		to in proptest::option::of(proptest::array::uniform20(any::<u8>())),
		input in proptest::collection::vec(any::<u8>(), 0..200),
		suffix in proptest::collection::vec(any::<u8>(), 1..40),
	) {
		// A valid secp256k1 secret: non-zero and below the group order.
		let mut secret = secret;
		secret[0] &= 0x7f;
		secret[31] |= 1;
		let signer = EthAccount::from_secret_key(secret);
		let tx = GenericTransaction {
			r#type: Some(if eip1559 { TYPE_EIP1559 } else { TYPE_LEGACY }.into()),
			chain_id: Some(EVM_CHAIN_ID.into()),
			nonce: Some(nonce.into()),
			value: Some(value.into()),
			gas: Some(gas.into()),
			gas_price: Some(gas_price.into()),
			max_fee_per_gas: Some(gas_price.into()),
			max_priority_fee_per_gas: Some(0u8.into()),
			to: to.map(H160::from),
			input: Bytes(input).into(),
			..Default::default()
		};
		let payload = sign(&signer, tx);
		prop_assert!(is_canonical_eth_transaction(&payload));
		prop_assert!(!is_canonical_eth_transaction(&[&payload[..], &suffix[..]].concat()));
		prop_assert!(!is_canonical_eth_transaction(&payload[..payload.len() - 1]));
	}
}
