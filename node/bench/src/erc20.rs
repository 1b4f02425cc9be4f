//! The ERC-20 workload: `transfer(to, 1)` calls of an ERC-20 contract, pre-signed as
//! Ethereum transactions (legacy, EIP-155 with the chain's `eth_chainId`) and submitted with
//! `eth_sendRawTransaction` to the Ethereum JSON-RPC adapter (`eth-rpc`) in front of the node.
//!
//! Set-up, before the measured run (every step waits for the chain):
//! 1. The Ethereum keys are the secp256k1 keys `<dev phrase>//kmcc-bench-eth//<i>`; bench
//!    account `i` funds key `i`'s account (its address followed by twelve `0xEE` bytes, as
//!    `pallet-revive` maps Ethereum addresses) with a native transfer, unless already funded.
//! 2. Key 0 deploys the token from the given creation bytecode with the constructor argument
//!    `uint256 supply` (OpenZeppelin's ERC-20 minting it to the deployer, as
//!    `tests/e2e/contracts/KmccTestToken.sol`), then transfers every other key its share.
//! 3. A probe transfer measures one ERC-20 transfer: its gas, and its weight as the chain
//!    recorded it (`System.ExtrinsicSuccess` of its extrinsic), which the weight-model limit
//!    uses.
//!
//! An Ethereum transaction lands in a block as `Revive::eth_transact { payload }`; the
//! follower ([`crate::chain::tracking_hash`]) keys it by keccak-256 of the payload, which is
//! its Ethereum transaction hash.

use std::{thread, time::Duration};

use anyhow::{bail, ensure, Context, Result};
use codec::Decode;
use kmcc_primitives::{
	bench_accounts::{bench_pair, bench_root},
	currency::KMCC,
	AccountId, Balance,
};
use kmcc_runtime::{configs::RuntimeBlockWeights, RuntimeEvent};
use polkadot_sdk::{
	frame_support::dispatch::DispatchClass,
	frame_system::{self, EventRecord, Phase},
	pallet_revive::evm::{
		Account, Bytes, TransactionLegacyUnsigned, TransactionUnsigned, H160, U256,
	},
	sp_core::{
		crypto::{DeriveJunction, Pair as _, DEV_PHRASE},
		ecdsa, sr25519, H256,
	},
	sp_io::hashing::{keccak_256, twox_128},
};
use serde::Serialize;
use serde_json::{json, Value};

use crate::{
	chain::{next_nonces, signed_transfer, tracking_hash, ChainInfo, PreparedTx},
	limit::TxCost,
	rpc::{from_hex, to_hex, RpcClient},
};

/// First hard junction of the Ethereum keys' derivation path.
pub const ETH_JUNCTION: &str = "kmcc-bench-eth";

/// Native balance each Ethereum key is funded with (gas for thousands of transfers).
pub const ETH_FUNDING: Balance = 100 * KMCC;

/// Tokens (smallest unit) each Ethereum key holds after the set-up.
pub const TOKENS_PER_KEY: u128 = 1_000_000_000_000_000_000_000_000;

/// Gas limit headroom over `eth_estimateGas`, percent.
const GAS_HEADROOM_PERCENT: u64 = 25;

/// Gas price headroom over `eth_gasPrice`: the fee multiplier may rise under load, and a
/// transaction priced below the base fee is refused.
const GAS_PRICE_FACTOR: u64 = 4;

/// `transfer(address,uint256)`.
const TRANSFER_SELECTOR: [u8; 4] = [0xa9, 0x05, 0x9c, 0xbb];

/// `balanceOf(address)`.
const BALANCE_OF_SELECTOR: [u8; 4] = [0x70, 0xa0, 0x82, 0x31];

/// The Ethereum key `index` of the bench.
pub fn eth_key(root: &ecdsa::Pair, index: u32) -> Account {
	let path = [DeriveJunction::hard(ETH_JUNCTION), DeriveJunction::hard(u64::from(index))];
	let pair = root
		.derive(path.into_iter(), None)
		.map(|(pair, _)| pair)
		.unwrap_or_else(|_| panic!("hard ecdsa derivation cannot fail"));
	Account::from_secret_key(pair.seed())
}

/// The root of the Ethereum keys: the dev phrase as a secp256k1 key.
pub fn eth_root() -> ecdsa::Pair {
	ecdsa::Pair::from_phrase(DEV_PHRASE, None)
		.map(|(pair, _)| pair)
		.unwrap_or_else(|e| panic!("the dev phrase is a valid BIP-39 phrase: {e:?}"))
}

/// ABI encoding of `transfer(to, amount)`.
pub fn transfer_calldata(to: H160, amount: U256) -> Vec<u8> {
	let mut data = Vec::with_capacity(68);
	data.extend_from_slice(&TRANSFER_SELECTOR);
	data.extend_from_slice(&address_word(to));
	data.extend_from_slice(&amount.to_big_endian());
	data
}

fn address_word(a: H160) -> [u8; 32] {
	let mut word = [0u8; 32];
	word[12..].copy_from_slice(a.as_bytes());
	word
}

/// Gas parameters shared by the run's transactions.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct GasTerms {
	/// EIP-155 chain id.
	pub chain_id: u64,
	/// Gas price, wei per gas.
	pub gas_price: U256,
}

/// A signed legacy transaction from `from` with `nonce` to `to` (`None`: create) carrying
/// `input`, as raw bytes and its Ethereum hash.
pub fn signed_eth_tx(
	from: &Account,
	terms: &GasTerms,
	nonce: u64,
	gas: U256,
	to: Option<H160>,
	input: Vec<u8>,
) -> PreparedTx {
	let unsigned = TransactionLegacyUnsigned {
		chain_id: Some(U256::from(terms.chain_id)),
		gas,
		gas_price: terms.gas_price,
		input: Bytes(input),
		nonce: U256::from(nonce),
		to,
		value: U256::zero(),
		..Default::default()
	};
	let raw = from
		.sign_transaction(TransactionUnsigned::TransactionLegacyUnsigned(unsigned))
		.signed_payload();
	PreparedTx { hash: keccak_256(&raw), len: raw.len() as u32, hex: to_hex(&raw) }
}

/// What the set-up left for the run, and what the probe measured.
#[derive(Clone, Debug, Serialize)]
pub struct Erc20Info {
	/// The token contract.
	pub token: H160,
	/// Gas terms of every transaction.
	pub terms: GasTerms,
	/// Gas limit of each transfer (estimate plus headroom).
	pub gas_limit: U256,
	/// Gas the probe transfer used (its receipt).
	pub probe_gas_used: U256,
	/// Fee the probe transfer paid, wei (its receipt: gas used × effective gas price).
	pub probe_fee_wei: U256,
	/// Its Ethereum transaction hash.
	pub probe_tx: H256,
	/// Weight the chain recorded for the probe, and its encoded length.
	pub probe_cost: TxCost,
}

/// The run's Ethereum keys and where the set-up left them.
pub struct Erc20Setup {
	/// Sending keys.
	pub keys: Vec<Account>,
	/// Next nonce of each key.
	pub nonces: Vec<u64>,
	/// The token and the probe.
	pub info: Erc20Info,
}

fn u256_of(v: &Value) -> Result<U256> {
	let s = v.as_str().with_context(|| format!("expected a hex quantity, got {v}"))?;
	U256::from_str_radix(s.trim_start_matches("0x"), 16)
		.with_context(|| format!("bad quantity {s}"))
}

fn eth_request(eth: &RpcClient, method: &str, params: Value) -> Result<Value> {
	eth.call::<Value>(method, params)
}

/// Polls until `done` holds or `timeout` passes.
fn wait_until(what: &str, timeout: Duration, mut done: impl FnMut() -> Result<bool>) -> Result<()> {
	let deadline = std::time::Instant::now() + timeout;
	loop {
		if done()? {
			return Ok(());
		}
		if std::time::Instant::now() >= deadline {
			bail!("timed out after {} s waiting for {what}", timeout.as_secs());
		}
		thread::sleep(Duration::from_millis(500));
	}
}

/// Sends pre-signed Ethereum transactions in order, in batches; fails on the first refusal.
fn send_all(eth: &RpcClient, txs: &[PreparedTx]) -> Result<()> {
	for chunk in txs.chunks(200) {
		let calls: Vec<(&str, Value)> =
			chunk.iter().map(|t| ("eth_sendRawTransaction", json!([t.hex]))).collect();
		for (r, t) in eth.batch(&calls)?.into_iter().zip(chunk) {
			r.map_err(|e| anyhow::anyhow!("eth_sendRawTransaction {}: {e}", to_hex(&t.hash)))?;
		}
	}
	Ok(())
}

/// The receipt of `hash` once it is in a block, checked successful.
fn wait_receipt(eth: &RpcClient, hash: &[u8; 32], timeout: Duration) -> Result<Value> {
	let mut receipt = Value::Null;
	wait_until(&format!("the receipt of {}", to_hex(hash)), timeout, || {
		receipt = eth_request(eth, "eth_getTransactionReceipt", json!([to_hex(hash)]))?;
		Ok(!receipt.is_null())
	})?;
	ensure!(receipt["status"] == json!("0x1"), "transaction {} failed: {receipt}", to_hex(hash));
	Ok(receipt)
}

fn nonce_of(eth: &RpcClient, address: H160, tag: &str) -> Result<u64> {
	let n = u256_of(&eth_request(eth, "eth_getTransactionCount", json!([address, tag]))?)?;
	u64::try_from(n).map_err(|_| anyhow::anyhow!("nonce out of range"))
}

fn estimate(eth: &RpcClient, from: H160, to: Option<H160>, input: &[u8]) -> Result<U256> {
	let mut tx = json!({ "from": from, "data": to_hex(input) });
	if let Some(to) = to {
		tx["to"] = json!(to);
	}
	let gas = u256_of(&eth_request(eth, "eth_estimateGas", json!([tx]))?)?;
	Ok(gas + gas * U256::from(GAS_HEADROOM_PERCENT) / U256::from(100))
}

/// The token balance of `holder` (`balanceOf` through `eth_call`).
pub fn token_balance(eth: &RpcClient, token: H160, holder: H160) -> Result<U256> {
	let mut data = BALANCE_OF_SELECTOR.to_vec();
	data.extend_from_slice(&address_word(holder));
	u256_of(&eth_request(
		eth,
		"eth_call",
		json!([{ "to": token, "data": to_hex(&data) }, "latest"]),
	)?)
}

/// Funds the first `senders` Ethereum keys from the bench accounts, deploys the token from
/// `bytecode`, hands out its supply and measures a probe transfer (see the module doc).
pub fn setup(
	node: &RpcClient,
	eth: &RpcClient,
	chain: &ChainInfo,
	senders: u32,
	bytecode: &[u8],
) -> Result<Erc20Setup> {
	let root = eth_root();
	let keys: Vec<Account> = (0..senders).map(|i| eth_key(&root, i)).collect();
	let addresses: Vec<H160> = keys.iter().map(Account::address).collect();

	let chain_id = u256_of(&eth_request(eth, "eth_chainId", json!([]))?)?;
	let chain_id = u64::try_from(chain_id).map_err(|_| anyhow::anyhow!("chain id out of range"))?;
	let gas_price = u256_of(&eth_request(eth, "eth_gasPrice", json!([]))?)?;
	let terms = GasTerms { chain_id, gas_price: gas_price * U256::from(GAS_PRICE_FACTOR) };
	eprintln!("eth-rpc at {}: chain id {chain_id}, gas price {gas_price} wei", eth.url());

	// 1. Native funding of the keys not yet funded (a rerun on the same chain skips them).
	let balances = |eth: &RpcClient| -> Result<Vec<U256>> {
		let mut out = Vec::with_capacity(addresses.len());
		for chunk in addresses.chunks(500) {
			let calls: Vec<(&str, Value)> =
				chunk.iter().map(|a| ("eth_getBalance", json!([a, "latest"]))).collect();
			for r in eth.batch(&calls)? {
				out.push(u256_of(&r.map_err(|e| anyhow::anyhow!("eth_getBalance: {e}"))?)?);
			}
		}
		Ok(out)
	};
	let funded = |b: &U256| *b >= U256::from(ETH_FUNDING / 2);
	let unfunded: Vec<u32> = balances(eth)?
		.iter()
		.enumerate()
		.filter(|(_, b)| !funded(b))
		.map(|(i, _)| i as u32)
		.collect();
	if !unfunded.is_empty() {
		eprintln!("funding {} Ethereum keys with {} KMCC each", unfunded.len(), ETH_FUNDING / KMCC);
		let bench = bench_root();
		let pairs: Vec<sr25519::Pair> = unfunded.iter().map(|&i| bench_pair(&bench, i)).collect();
		let accounts: Vec<AccountId> = pairs.iter().map(|p| p.public().into()).collect();
		let nonces = next_nonces(node, &accounts)?;
		let txs: Vec<PreparedTx> = unfunded
			.iter()
			.zip(&pairs)
			.zip(nonces)
			.map(|((&i, pair), nonce)| {
				let dest = keys[i as usize].substrate_account();
				signed_transfer(chain, pair, nonce, dest, ETH_FUNDING)
			})
			.collect();
		for chunk in txs.chunks(250) {
			let calls: Vec<(&str, Value)> =
				chunk.iter().map(|t| ("author_submitExtrinsic", json!([t.hex]))).collect();
			for r in node.batch(&calls)? {
				r.map_err(|e| anyhow::anyhow!("funding transfer: {e}"))?;
			}
		}
		wait_until("the funding transfers", Duration::from_secs(180), || {
			Ok(balances(eth)?.iter().all(funded))
		})?;
	}

	// 2. The token: deployed by key 0 with the whole supply, then shared out.
	let deployer = &keys[0];
	let supply = U256::from(TOKENS_PER_KEY) * U256::from(senders);
	let mut create = bytecode.to_vec();
	create.extend_from_slice(&supply.to_big_endian());
	let mut nonce = nonce_of(eth, addresses[0], "pending")?;
	let gas = estimate(eth, addresses[0], None, &create)?;
	let deploy = signed_eth_tx(deployer, &terms, nonce, gas, None, create);
	send_all(eth, std::slice::from_ref(&deploy))?;
	let receipt = wait_receipt(eth, &deploy.hash, Duration::from_secs(60))?;
	let token: H160 = serde_json::from_value(receipt["contractAddress"].clone())
		.context("the deployment receipt's contractAddress")?;
	eprintln!(
		"deployed the token at {token:?} (tx {}, gas used {})",
		to_hex(&deploy.hash),
		u256_of(&receipt["gasUsed"])?
	);
	nonce += 1;

	let share = U256::from(TOKENS_PER_KEY);
	let gas = estimate(eth, addresses[0], Some(token), &transfer_calldata(addresses[1], share))?;
	let shares: Vec<PreparedTx> = addresses[1..]
		.iter()
		.enumerate()
		.map(|(k, &to)| {
			let calldata = transfer_calldata(to, share);
			signed_eth_tx(deployer, &terms, nonce + k as u64, gas, Some(token), calldata)
		})
		.collect();
	eprintln!("sending {} token shares", shares.len());
	send_all(eth, &shares)?;
	nonce += shares.len() as u64;
	wait_until("the token shares", Duration::from_secs(600), || {
		Ok(nonce_of(eth, addresses[0], "latest")? >= nonce)
	})?;
	for &i in &[1usize, addresses.len() / 2, addresses.len() - 1] {
		let held = token_balance(eth, token, addresses[i])?;
		ensure!(held == share, "key {i} holds {held} tokens after the set-up, not {share}");
	}

	// 3. The probe: one transfer between two holders, as the run's.
	let gas_limit =
		estimate(eth, addresses[0], Some(token), &transfer_calldata(addresses[1], U256::one()))?;
	let probe = signed_eth_tx(
		deployer,
		&terms,
		nonce,
		gas_limit,
		Some(token),
		transfer_calldata(addresses[1], U256::one()),
	);
	send_all(eth, std::slice::from_ref(&probe))?;
	let receipt = wait_receipt(eth, &probe.hash, Duration::from_secs(60))?;
	let probe_gas_used = u256_of(&receipt["gasUsed"])?;
	let probe_fee_wei = probe_gas_used * u256_of(&receipt["effectiveGasPrice"])?;
	let block_number = u32::try_from(u256_of(&receipt["blockNumber"])?)
		.map_err(|_| anyhow::anyhow!("block number out of range"))?;
	let probe_cost = recorded_cost(node, block_number, &probe.hash)?;
	eprintln!(
		"probe transfer {}: gas used {probe_gas_used}, fee {probe_fee_wei} wei, weight {:.1} µs, \
		 {} bytes",
		to_hex(&probe.hash),
		probe_cost.dispatch_ref_time as f64 / 1e6,
		probe_cost.encoded_len
	);

	let nonces = {
		let calls: Vec<(&str, Value)> =
			addresses.iter().map(|a| ("eth_getTransactionCount", json!([a, "pending"]))).collect();
		let mut out = Vec::with_capacity(calls.len());
		for chunk in calls.chunks(500) {
			for r in eth.batch(chunk)? {
				let n = u256_of(&r.map_err(|e| anyhow::anyhow!("eth_getTransactionCount: {e}"))?)?;
				out.push(u64::try_from(n).map_err(|_| anyhow::anyhow!("nonce out of range"))?);
			}
		}
		out
	};
	Ok(Erc20Setup {
		keys,
		nonces,
		info: Erc20Info {
			token,
			terms,
			gas_limit,
			probe_gas_used,
			probe_fee_wei,
			probe_tx: H256(probe.hash),
			probe_cost,
		},
	})
}

/// The weight and length the chain recorded for the Ethereum transaction `eth_hash` in block
/// `number`: its extrinsic's `System.ExtrinsicSuccess` weight (call and extensions, after
/// refunds, without `base_extrinsic`) and encoded length.
fn recorded_cost(node: &RpcClient, number: u32, eth_hash: &[u8; 32]) -> Result<TxCost> {
	let hash: H256 = node.call("chain_getBlockHash", json!([number]))?;
	let block: Value = node.call("chain_getBlock", json!([hash]))?;
	let extrinsics = block["block"]["extrinsics"].as_array().context("block extrinsics")?;
	let (index, len) = extrinsics
		.iter()
		.enumerate()
		.find_map(|(i, x)| {
			let bytes = from_hex(x.as_str()?).ok()?;
			(tracking_hash(&bytes) == *eth_hash).then_some((i as u32, bytes.len() as u32))
		})
		.with_context(|| format!("no extrinsic of {} in block #{number}", to_hex(eth_hash)))?;
	let key = to_hex(&[twox_128(b"System"), twox_128(b"Events")].concat());
	let events: String = node.call("state_getStorage", json!([key, hash]))?;
	let events = Vec::<EventRecord<RuntimeEvent, H256>>::decode(&mut &from_hex(&events)?[..])
		.context("decoding System.Events")?;
	let weight = events
		.iter()
		.find_map(|e| match (&e.phase, &e.event) {
			(
				Phase::ApplyExtrinsic(i),
				RuntimeEvent::System(frame_system::Event::ExtrinsicSuccess { dispatch_info }),
			) if *i == index => Some(dispatch_info.weight),
			_ => None,
		})
		.with_context(|| format!("no ExtrinsicSuccess for extrinsic {index} of #{number}"))?;
	// The event's weight includes the class's `base_extrinsic`, which the limit adds itself.
	let base = RuntimeBlockWeights::get().get(DispatchClass::Normal).base_extrinsic;
	Ok(TxCost { dispatch_ref_time: weight.saturating_sub(base).ref_time(), encoded_len: len })
}

/// Signs `count` ERC-20 transfers of one token unit: transfer `k` is sent by key `k mod S`
/// with its next nonce plus `k div S`, to the next key, so that every key's nonces arrive in
/// order (as [`crate::load`]'s native transfers).
pub fn presign(setup: &Erc20Setup, count: usize) -> Vec<PreparedTx> {
	let senders = setup.keys.len();
	let addresses: Vec<H160> = setup.keys.iter().map(Account::address).collect();
	let info = &setup.info;
	let threads = thread::available_parallelism().map_or(2, |n| n.get()).max(1);
	let per_thread = count.div_ceil(threads).max(1);
	thread::scope(|scope| {
		let handles: Vec<_> = (0..count)
			.step_by(per_thread)
			.map(|first| {
				let addresses = &addresses;
				scope.spawn(move || {
					(first..(first + per_thread).min(count))
						.map(|k| {
							let s = k % senders;
							let nonce = setup.nonces[s] + (k / senders) as u64;
							let to = addresses[(s + 1) % senders];
							signed_eth_tx(
								&setup.keys[s],
								&info.terms,
								nonce,
								info.gas_limit,
								Some(info.token),
								transfer_calldata(to, U256::one()),
							)
						})
						.collect::<Vec<_>>()
				})
			})
			.collect();
		handles.into_iter().flat_map(|h| h.join().expect("signing threads do not panic")).collect()
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::pallet_revive::evm::TransactionSigned;

	#[test]
	fn transfer_calldata_is_the_abi_encoding() {
		let to = H160([0x11; 20]);
		let data = transfer_calldata(to, U256::from(258u32));
		assert_eq!(data.len(), 4 + 32 + 32);
		assert_eq!(&data[..4], &TRANSFER_SELECTOR);
		assert_eq!(&data[4..16], &[0u8; 12]);
		assert_eq!(&data[16..36], &[0x11; 20]);
		assert_eq!(&data[36..66], &[0u8; 30]);
		assert_eq!(&data[66..], &[1, 2]);
		// The selectors are keccak-256 of the signatures.
		assert_eq!(keccak_256(b"transfer(address,uint256)")[..4], TRANSFER_SELECTOR);
		assert_eq!(keccak_256(b"balanceOf(address)")[..4], BALANCE_OF_SELECTOR);
	}

	#[test]
	fn signed_transactions_recover_their_sender_and_carry_the_chain_id() {
		let root = eth_root();
		let key = eth_key(&root, 3);
		assert_ne!(key.address(), eth_key(&root, 4).address());
		let terms = GasTerms { chain_id: 5622, gas_price: U256::from(4_000_000_000u64) };
		let tx = signed_eth_tx(&key, &terms, 7, U256::from(100_000), Some(H160([9; 20])), vec![1]);
		let raw = from_hex(&tx.hex).expect("hex");
		assert_eq!(tx.hash, keccak_256(&raw));
		let signed = TransactionSigned::decode(&raw).expect("valid RLP");
		assert_eq!(signed.recover_eth_address(), Ok(key.address()));
		let TransactionSigned::TransactionLegacySigned(legacy) = signed else {
			panic!("a legacy transaction")
		};
		let unsigned = legacy.transaction_legacy_unsigned;
		assert_eq!(unsigned.chain_id, Some(U256::from(5622)));
		assert_eq!(unsigned.nonce, U256::from(7));
		// EIP-155: v = 2 × chain id + 35 + recovery id.
		assert!(legacy.v == U256::from(2 * 5622 + 35) || legacy.v == U256::from(2 * 5622 + 36));
	}
}
