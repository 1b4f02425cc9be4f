//! The throughput limit of the runtime's weight model.
//!
//! A block admits `Normal` transactions until their weight reaches the class's
//! `max_total` (75 % of the block's ref_time on KMCC) or their length its share of the
//! block length. Each transaction costs its call weight, the weight of its transaction
//! extensions, and the class's `base_extrinsic` weight. So
//!
//! ```text
//! per block = min(⌊max_total / (base_extrinsic + call + extensions)⌋, ⌊max_length / len⌋)
//! limit TPS = per block / block time
//! ```
//!
//! Achieved ÷ limit says how much of the weight model a run realised; the rest is lost
//! outside the runtime's accounting (pool validation, the author's deadline, networking,
//! the database).

use serde::Serialize;

/// What the runtime allows a block to hold.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct BlockCapacity {
	/// `max_total` of the `Normal` class, ref_time in picoseconds.
	pub max_normal_ref_time: u64,
	/// `base_extrinsic` of the `Normal` class, ref_time in picoseconds.
	pub base_extrinsic_ref_time: u64,
	/// Maximum total length of `Normal` transactions, bytes.
	pub max_normal_length: u32,
	/// Block time (Aura slot duration), milliseconds.
	pub block_time_ms: u64,
}

/// The cost of one transaction in the weight model.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TxCost {
	/// Call weight plus extension weight (`payment_queryInfo`'s weight), picoseconds.
	pub dispatch_ref_time: u64,
	/// Encoded length, bytes.
	pub encoded_len: u32,
}

impl TxCost {
	/// The mean cost of a workload where `percent` % of the transactions cost `other` and the
	/// rest `self` (rounded down).
	pub fn mixed(&self, other: &TxCost, percent: u32) -> TxCost {
		let p = u128::from(percent.min(100));
		let mean = |a: u64, b: u64| -> u64 {
			((u128::from(a) * (100 - p) + u128::from(b) * p) / 100) as u64
		};
		TxCost {
			dispatch_ref_time: mean(self.dispatch_ref_time, other.dispatch_ref_time),
			encoded_len: mean(u64::from(self.encoded_len), u64::from(other.encoded_len)) as u32,
		}
	}
}

/// The limit of a block full of one kind of transaction.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Limit {
	/// Weight of one transaction including `base_extrinsic`, picoseconds.
	pub tx_ref_time: u64,
	/// Transactions per block the weight allows.
	pub per_block_by_weight: u64,
	/// Transactions per block the length allows.
	pub per_block_by_length: u64,
	/// The smaller of the two.
	pub per_block: u64,
	/// `per_block` per second of block time.
	pub tps: f64,
}

/// The limit of `capacity` for transactions costing `tx` (see the module doc).
pub fn limit(capacity: &BlockCapacity, tx: &TxCost) -> Limit {
	let tx_ref_time = tx.dispatch_ref_time.saturating_add(capacity.base_extrinsic_ref_time);
	let per_block_by_weight =
		capacity.max_normal_ref_time.checked_div(tx_ref_time).unwrap_or(u64::MAX);
	let per_block_by_length = u64::from(capacity.max_normal_length)
		.checked_div(u64::from(tx.encoded_len))
		.unwrap_or(u64::MAX);
	let per_block = per_block_by_weight.min(per_block_by_length);
	let tps = if capacity.block_time_ms == 0 {
		0.0
	} else {
		per_block as f64 * 1_000.0 / capacity.block_time_ms as f64
	};
	Limit { tx_ref_time, per_block_by_weight, per_block_by_length, per_block, tps }
}

#[cfg(test)]
mod tests {
	use super::*;

	fn kmcc_like() -> BlockCapacity {
		// 75 % of 666 ms, Polkadot-like base extrinsic, 75 % of 2 MiB, 2 s blocks.
		BlockCapacity {
			max_normal_ref_time: 499_999_999_999,
			base_extrinsic_ref_time: 100_000_000,
			max_normal_length: 1_572_864,
			block_time_ms: 2_000,
		}
	}

	#[test]
	fn weight_bound_limit() {
		let l = limit(&kmcc_like(), &TxCost { dispatch_ref_time: 150_000_000, encoded_len: 145 });
		assert_eq!(l.tx_ref_time, 250_000_000);
		// ⌊499,999,999,999 / 250,000,000⌋ = 1,999 (rounds down, never up).
		assert_eq!(l.per_block_by_weight, 1_999);
		assert_eq!(l.per_block_by_length, 1_572_864 / 145);
		assert_eq!(l.per_block, 1_999);
		assert!((l.tps - 999.5).abs() < 1e-9);
	}

	#[test]
	fn length_bound_limit() {
		let l = limit(&kmcc_like(), &TxCost { dispatch_ref_time: 1, encoded_len: 100_000 });
		assert_eq!(l.per_block_by_length, 15);
		assert_eq!(l.per_block, 15);
		assert!((l.tps - 7.5).abs() < 1e-9);
	}

	#[test]
	fn a_mixed_workload_costs_the_weighted_mean() {
		let transfer = TxCost { dispatch_ref_time: 100, encoded_len: 150 };
		let lease = TxCost { dispatch_ref_time: 300, encoded_len: 170 };
		assert_eq!(transfer.mixed(&lease, 0), transfer);
		assert_eq!(transfer.mixed(&lease, 100), lease);
		assert_eq!(transfer.mixed(&lease, 10), TxCost { dispatch_ref_time: 120, encoded_len: 152 });
		assert_eq!(transfer.mixed(&lease, 250), lease);
	}

	#[test]
	fn degenerate_inputs_do_not_panic() {
		let zero = BlockCapacity {
			max_normal_ref_time: 0,
			base_extrinsic_ref_time: 0,
			max_normal_length: 0,
			block_time_ms: 0,
		};
		let l = limit(&zero, &TxCost { dispatch_ref_time: 0, encoded_len: 0 });
		assert_eq!(l.per_block, u64::MAX);
		assert_eq!(l.tps, 0.0);
		let l = limit(&zero, &TxCost { dispatch_ref_time: 10, encoded_len: 10 });
		assert_eq!(l.per_block, 0);
	}
}
