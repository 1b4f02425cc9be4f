//! What the harness reads from the node (over JSON-RPC only) and how it signs transfers.
//!
//! Transactions are built with the runtime crate's own types (`RuntimeCall`,
//! `tx_extension`, `SignedPayload`), so they match the chain's encoding by construction;
//! the genesis hash, runtime version, nonces, slot duration and per-transaction weight come
//! from the running node. The block limits are the runtime's `BlockWeights` and
//! `BlockLength`; the harness refuses a node whose `spec_version` differs from the runtime
//! it was built with, so those constants are the node's.

use anyhow::{bail, Context, Result};
use codec::{Decode, Encode};
use kmcc_runtime::pallet_dpos;
use kmcc_runtime::{
	configs::{system::BlockHashCount, RuntimeBlockLength, RuntimeBlockWeights},
	AccountId, Balance, BalancesCall, GenericUncheckedExtrinsic, RuntimeCall, Signature,
	SignedPayload, UncheckedExtrinsic,
};
use polkadot_sdk::{
	frame_support::{
		dispatch::{DispatchClass, PerDispatchClass},
		weights::Weight,
	},
	pallet_revive,
	pallet_transaction_payment::RuntimeDispatchInfo,
	sp_core::{
		crypto::{Pair as _, Ss58Codec},
		sr25519, H256,
	},
	sp_io::hashing::{blake2_256, keccak_256, twox_128},
	sp_runtime::generic::Era,
};
use serde::Deserialize;
use serde_json::json;

use crate::{
	limit::{BlockCapacity, TxCost},
	rpc::{from_hex, to_hex, RpcClient},
};

/// A header as `chain_getHeader` returns it.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RpcHeader {
	/// Parent block hash.
	pub parent_hash: H256,
	/// Block number, `0x…` hex.
	pub number: String,
}

impl RpcHeader {
	/// The block number.
	pub fn number(&self) -> Result<u32> {
		u32::from_str_radix(self.number.trim_start_matches("0x"), 16)
			.with_context(|| format!("bad block number {}", self.number))
	}
}

#[derive(Deserialize)]
struct RpcBlockBody {
	header: RpcHeader,
	extrinsics: Vec<String>,
}

#[derive(Deserialize)]
struct RpcSignedBlock {
	block: RpcBlockBody,
}

/// A block's extrinsics and what the runtime recorded of it.
#[derive(Clone, Debug)]
pub struct BlockData {
	/// Header.
	pub header: RpcHeader,
	/// [`tracking_hash`] of each extrinsic.
	pub extrinsic_hashes: Vec<[u8; 32]>,
	/// Σ encoded length of the extrinsics, bytes (what `CheckWeight` counts).
	pub length: u64,
	/// `System::BlockWeight` after the block: ref_time per class, picoseconds.
	pub normal_ref_time: u64,
	/// Operational + mandatory ref_time (inherents, hooks), picoseconds.
	pub other_ref_time: u64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RpcRuntimeVersion {
	spec_name: String,
	spec_version: u32,
	transaction_version: u32,
}

/// What signing needs from the node.
#[derive(Clone, Debug)]
pub struct ChainInfo {
	/// Genesis hash.
	pub genesis_hash: H256,
	/// Runtime `spec_name`.
	pub spec_name: String,
	/// Runtime `spec_version`.
	pub spec_version: u32,
	/// Runtime `transaction_version`.
	pub transaction_version: u32,
	/// Best block at start (the mortality checkpoint).
	pub best_number: u32,
	/// Its hash.
	pub best_hash: H256,
}

impl ChainInfo {
	/// Reads the chain's identity and best block; fails if the node runs another runtime
	/// than the one this harness was built with.
	pub fn fetch(rpc: &RpcClient) -> Result<Self> {
		let genesis_hash: H256 = rpc.call("chain_getBlockHash", json!([0]))?;
		let version: RpcRuntimeVersion = rpc.call("state_getRuntimeVersion", json!([]))?;
		let best_hash: H256 = rpc.call("chain_getBlockHash", json!([]))?;
		let header: RpcHeader = rpc.call("chain_getHeader", json!([best_hash]))?;
		let native = kmcc_runtime::VERSION;
		if version.spec_name != native.spec_name.as_ref()
			|| version.spec_version != native.spec_version
		{
			bail!(
				"the node runs {} {}, this kmcc-bench was built for {} {}: rebuild it from the \
				 node's sources",
				version.spec_name,
				version.spec_version,
				native.spec_name,
				native.spec_version
			);
		}
		Ok(Self {
			genesis_hash,
			spec_name: version.spec_name,
			spec_version: version.spec_version,
			transaction_version: version.transaction_version,
			best_number: header.number()?,
			best_hash,
		})
	}
}

/// A signed transaction ready to submit.
#[derive(Clone, Debug)]
pub struct PreparedTx {
	/// `0x…` hex of the encoded extrinsic.
	pub hex: String,
	/// Its `blake2_256` hash.
	pub hash: [u8; 32],
	/// Encoded length.
	pub len: u32,
}

/// Mortality period of the harness's transactions: half the `BlockHashCount`, as wallets do.
pub fn mortality_period() -> u64 {
	u64::from(BlockHashCount::get()).checked_next_power_of_two().map_or(64, |p| p / 2)
}

/// A signed `balances.transfer_keep_alive(dest, value)` from `signer` with `nonce`, mortal
/// from `chain`'s best block, no tip.
pub fn signed_transfer(
	chain: &ChainInfo,
	signer: &sr25519::Pair,
	nonce: u32,
	dest: AccountId,
	value: Balance,
) -> PreparedTx {
	let call =
		RuntimeCall::Balances(BalancesCall::transfer_keep_alive { dest: dest.into(), value });
	signed_call(chain, signer, nonce, call)
}

/// A signed `dpos.lease(candidate, amount)` from `signer` with `nonce` (the mixed workload's
/// call of the chain's own: a hold, the candidate's backing, the lessor's reward snapshot).
pub fn signed_lease(
	chain: &ChainInfo,
	signer: &sr25519::Pair,
	nonce: u32,
	candidate: AccountId,
	amount: Balance,
) -> PreparedTx {
	let call = RuntimeCall::Dpos(pallet_dpos::Call::lease { candidate, amount });
	signed_call(chain, signer, nonce, call)
}

/// `call` signed by `signer` with `nonce`, mortal from `chain`'s best block, no tip.
pub fn signed_call(
	chain: &ChainInfo,
	signer: &sr25519::Pair,
	nonce: u32,
	call: RuntimeCall,
) -> PreparedTx {
	let era = Era::mortal(mortality_period(), u64::from(chain.best_number));
	let extension = kmcc_runtime::tx_extension(era, nonce, 0);
	// Implicit data of each extension, in `TxExtension` order: the chain's versions, the
	// genesis and mortality checkpoint hashes, and no metadata hash (mode disabled).
	let payload = SignedPayload::from_raw(
		call.clone(),
		extension.clone(),
		(
			(),
			(),
			(),
			chain.spec_version,
			chain.transaction_version,
			chain.genesis_hash,
			chain.best_hash,
			(),
			(),
			(),
			None,
			((), ()),
		),
	);
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	let extrinsic = GenericUncheckedExtrinsic::new_signed(
		call,
		AccountId::from(signer.public()).into(),
		Signature::Sr25519(signature),
		extension,
	);
	let encoded = extrinsic.encode();
	PreparedTx { hash: blake2_256(&encoded), len: encoded.len() as u32, hex: to_hex(&encoded) }
}

/// Next nonces of `accounts` (`system_accountNextIndex`, pool included), in batches.
pub fn next_nonces(rpc: &RpcClient, accounts: &[AccountId]) -> Result<Vec<u32>> {
	let mut nonces = Vec::with_capacity(accounts.len());
	for chunk in accounts.chunks(1_000) {
		let calls: Vec<(&str, serde_json::Value)> =
			chunk.iter().map(|a| ("system_accountNextIndex", json!([a.to_ss58check()]))).collect();
		for result in rpc.batch(&calls)? {
			let value = result.map_err(|e| anyhow::anyhow!("system_accountNextIndex: {e}"))?;
			nonces.push(serde_json::from_value(value).context("nonce")?);
		}
	}
	Ok(nonces)
}

/// Calls runtime API `method` with SCALE `args` at the best block and decodes the result.
pub fn state_call<T: Decode>(rpc: &RpcClient, method: &str, args: &[u8]) -> Result<T> {
	let hex: String = rpc.call("state_call", json!([method, to_hex(args)]))?;
	T::decode(&mut &from_hex(&hex)?[..]).with_context(|| format!("decoding {method}"))
}

/// The weight-model cost of `tx` according to the node (`TransactionPaymentApi_query_info`:
/// call weight plus extension weight).
pub fn query_tx_cost(rpc: &RpcClient, tx: &PreparedTx) -> Result<TxCost> {
	let extrinsic = from_hex(&tx.hex)?;
	let args = (UncheckedExtrinsic::decode(&mut &extrinsic[..])?, tx.len).encode();
	let info: RuntimeDispatchInfo<Balance, Weight> =
		state_call(rpc, "TransactionPaymentApi_query_info", &args)?;
	Ok(TxCost { dispatch_ref_time: info.weight.ref_time(), encoded_len: tx.len })
}

/// The runtime's block capacity for `Normal` transactions, with the node's slot duration.
pub fn block_capacity(rpc: &RpcClient) -> Result<BlockCapacity> {
	let weights = RuntimeBlockWeights::get();
	let normal = weights.get(DispatchClass::Normal);
	let length = RuntimeBlockLength::get();
	let block_time_ms: u64 = state_call(rpc, "AuraApi_slot_duration", &[])?;
	Ok(BlockCapacity {
		max_normal_ref_time: normal.max_total.unwrap_or(weights.max_block).ref_time(),
		base_extrinsic_ref_time: normal.base_extrinsic.ref_time(),
		max_normal_length: *length.max.get(DispatchClass::Normal),
		block_time_ms,
	})
}

/// Storage key of `System::BlockWeight`.
fn block_weight_key() -> String {
	to_hex(&[twox_128(b"System"), twox_128(b"BlockWeight")].concat())
}

/// The hash the harness tracks an extrinsic by: keccak-256 of the payload of a
/// `Revive::eth_transact` (its Ethereum transaction hash, what `eth_sendRawTransaction`
/// returns), `blake2_256` of the encoded extrinsic otherwise (what the pool reports).
pub fn tracking_hash(encoded: &[u8]) -> [u8; 32] {
	if let Ok(xt) = UncheckedExtrinsic::decode(&mut &encoded[..]) {
		if let RuntimeCall::Revive(pallet_revive::Call::eth_transact { payload }) = &xt.0.function {
			return keccak_256(payload);
		}
	}
	blake2_256(encoded)
}

/// Fetches block `hash` with its weight record.
pub fn fetch_block(rpc: &RpcClient, hash: H256) -> Result<BlockData> {
	let calls = [
		("chain_getBlock", json!([hash])),
		("state_getStorage", json!([block_weight_key(), hash])),
	];
	let mut results = rpc.batch(&calls)?.into_iter();
	let block = results
		.next()
		.context("no block answer")?
		.map_err(|e| anyhow::anyhow!("chain_getBlock: {e}"))?;
	let block: RpcSignedBlock = serde_json::from_value(block).context("chain_getBlock")?;
	let weight = results
		.next()
		.context("no weight answer")?
		.map_err(|e| anyhow::anyhow!("state_getStorage: {e}"))?;
	let weight: PerDispatchClass<Weight> = match weight.as_str() {
		Some(hex) => Decode::decode(&mut &from_hex(hex)?[..]).context("System::BlockWeight")?,
		None => PerDispatchClass::default(),
	};
	let mut length = 0u64;
	let mut extrinsic_hashes = Vec::with_capacity(block.block.extrinsics.len());
	for x in &block.block.extrinsics {
		let bytes = from_hex(x)?;
		length += bytes.len() as u64;
		extrinsic_hashes.push(tracking_hash(&bytes));
	}
	Ok(BlockData {
		header: block.block.header,
		extrinsic_hashes,
		length,
		normal_ref_time: weight.get(DispatchClass::Normal).ref_time(),
		other_ref_time: weight
			.get(DispatchClass::Operational)
			.ref_time()
			.saturating_add(weight.get(DispatchClass::Mandatory).ref_time()),
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use kmcc_primitives::bench_accounts::{bench_pair, bench_root};

	fn chain() -> ChainInfo {
		ChainInfo {
			genesis_hash: H256::repeat_byte(1),
			spec_name: "kmcc".into(),
			spec_version: kmcc_runtime::VERSION.spec_version,
			transaction_version: kmcc_runtime::VERSION.transaction_version,
			best_number: 7,
			best_hash: H256::repeat_byte(2),
		}
	}

	#[test]
	fn transfers_decode_as_signed_extrinsics_of_the_runtime() {
		let root = bench_root();
		let signer = bench_pair(&root, 0);
		let dest: AccountId = bench_pair(&root, 1).public().into();
		let tx = signed_transfer(&chain(), &signer, 5, dest.clone(), 1_000);
		let bytes = from_hex(&tx.hex).expect("hex");
		assert_eq!(bytes.len() as u32, tx.len);
		assert_eq!(tx.hash, blake2_256(&bytes));
		let decoded = UncheckedExtrinsic::decode(&mut &bytes[..]).expect("decodes");
		assert_eq!(
			decoded.0.function,
			RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
				dest: dest.into(),
				value: 1_000
			})
		);
		// Another nonce is another transaction.
		let other =
			signed_transfer(&chain(), &signer, 6, bench_pair(&root, 1).public().into(), 1_000);
		assert_ne!(other.hash, tx.hash);
	}

	#[test]
	fn ethereum_transactions_are_tracked_by_their_ethereum_hash() {
		let payload = vec![0xf8, 0x6b, 1, 2, 3];
		let call =
			RuntimeCall::Revive(pallet_revive::Call::eth_transact { payload: payload.clone() });
		let eth = GenericUncheckedExtrinsic::new_bare(call).encode();
		assert_eq!(tracking_hash(&eth), keccak_256(&payload));
		let root = bench_root();
		let dest: AccountId = bench_pair(&root, 1).public().into();
		let transfer = signed_transfer(&chain(), &bench_pair(&root, 0), 0, dest, 1);
		assert_eq!(tracking_hash(&from_hex(&transfer.hex).expect("hex")), transfer.hash);
		assert_eq!(tracking_hash(&[0xff, 0x00]), blake2_256(&[0xff, 0x00]));
	}

	#[test]
	fn mortality_is_half_the_block_hash_count() {
		assert_eq!(mortality_period(), 2_048);
	}
}
