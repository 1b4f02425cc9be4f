//! The report of a run: a human table, JSON, and the numbers behind the chart.

use std::{collections::BTreeMap, fmt::Write as _};

use serde::Serialize;

use crate::{
	erc20::Erc20Info,
	limit::{BlockCapacity, Limit, TxCost},
	metrics::MetricsDelta,
	stats::{LatencySummary, Window},
};

/// How many transfers reached each stage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Counts {
	/// Pre-signed.
	pub prepared: usize,
	/// Sent to the node.
	pub submitted: usize,
	/// Accepted into the pool.
	pub accepted: usize,
	/// Refused by the pool (or the request failed).
	pub rejected: usize,
	/// Seen in a best block.
	pub included: usize,
	/// Seen in a finalized block.
	pub finalized: usize,
	/// Accepted but never seen in a block before the drain ended.
	pub not_included: usize,
}

/// Sustained rates over the measurement window, per second.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Rates {
	/// Sent.
	pub submitted_per_s: f64,
	/// Accepted by the pool.
	pub accepted_per_s: f64,
	/// Seen included.
	pub included_per_s: f64,
	/// Seen finalized.
	pub finalized_per_s: f64,
}

/// Blocks of the canonical chain first seen in the window.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct BlockSummary {
	/// Blocks.
	pub count: usize,
	/// First block number.
	pub first: Option<u32>,
	/// Last block number.
	pub last: Option<u32>,
	/// Mean of the run's transfers per block.
	pub mean_transfers: f64,
	/// Most of the run's transfers in one block.
	pub max_transfers: u64,
	/// Mean `Normal` weight used, % of `max_total`.
	pub mean_normal_weight_pct: f64,
	/// Highest `Normal` weight used, %.
	pub max_normal_weight_pct: f64,
	/// Mean length, % of the `Normal` length limit.
	pub mean_length_pct: f64,
	/// Highest length, %.
	pub max_length_pct: f64,
	/// Mean operational + mandatory weight (hooks, inherents), ms of ref_time.
	pub mean_other_ref_time_ms: f64,
}

/// Per-second counts from the start of the run, for the chart.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Series {
	/// Sent.
	pub submitted: Vec<u64>,
	/// Seen included.
	pub included: Vec<u64>,
	/// Seen finalized.
	pub finalized: Vec<u64>,
}

/// Everything a run measured.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
	/// Name of the run.
	pub label: String,
	/// Node endpoint.
	pub node: String,
	/// Runtime spec name and version.
	pub runtime: String,
	/// Target rate, or `None` for as fast as the node accepts.
	pub target_rate: Option<f64>,
	/// Submission phase, seconds.
	pub duration_s: f64,
	/// Warm-up, seconds.
	pub warmup_s: f64,
	/// Sending accounts.
	pub senders: u32,
	/// Percent of the transactions that are DPoS leases (the rest are transfers).
	pub lease_percent: u32,
	/// Measurement window (seconds since start).
	pub window: Window,
	/// Stage counts over the whole run.
	pub counts: Counts,
	/// Rejections by kind.
	pub rejections: BTreeMap<String, usize>,
	/// Sustained rates in the window.
	pub rates: Rates,
	/// Submission → first seen in a best block, for transfers sent in the window.
	pub inclusion_latency_s: LatencySummary,
	/// Submission → first seen finalized, for transfers sent in the window.
	pub finality_latency_s: LatencySummary,
	/// Block fullness in the window.
	pub blocks: BlockSummary,
	/// The runtime's block capacity.
	pub capacity: BlockCapacity,
	/// Weight-model cost of one transfer.
	pub tx_cost: TxCost,
	/// The weight-model limit.
	pub limit: Limit,
	/// Included/s ÷ limit TPS.
	pub achieved_over_limit: f64,
	/// The node's counters over the run, if its Prometheus endpoint was given.
	pub node_metrics: Option<MetricsDelta>,
	/// The first errors of the chain follower.
	pub follower_errors: Vec<String>,
	/// Per-second series.
	pub series: Series,
	/// The ERC-20 workload's token and probe, if it ran.
	pub erc20: Option<Erc20Info>,
}

fn opt(v: Option<f64>) -> String {
	v.map_or("–".into(), |v| format!("{v:.3}"))
}

impl Report {
	/// Whether the counts are consistent: every stage is a subset of the one before it.
	pub fn is_consistent(&self) -> bool {
		let c = &self.counts;
		c.submitted <= c.prepared
			&& c.accepted + c.rejected == c.submitted
			&& c.included <= c.accepted
			&& c.finalized <= c.included
			&& c.not_included == c.accepted - c.included
	}

	/// The human table.
	pub fn table(&self) -> String {
		let mut t = String::new();
		let c = &self.counts;
		let r = &self.rates;
		let b = &self.blocks;
		let _ = writeln!(
			t,
			"kmcc-bench · {} · {} · {} · window {:.0}–{:.0} s · {} senders · {}{}",
			self.label,
			self.node,
			self.runtime,
			self.window.from,
			self.window.to,
			self.senders,
			self.target_rate.map_or("max rate".into(), |r| format!("target {r} tx/s")),
			if self.erc20.is_some() {
				" · ERC-20 transfers through eth-rpc".to_string()
			} else if self.lease_percent > 0 {
				format!(" · {} % DPoS leases", self.lease_percent)
			} else {
				String::new()
			}
		);
		let _ = writeln!(t, "| metric | value |\n| --- | --- |");
		let mut row = |k: &str, v: String| {
			let _ = writeln!(t, "| {k} | {v} |");
		};
		row(
			"transfers prepared / submitted / accepted",
			format!("{} / {} / {}", c.prepared, c.submitted, c.accepted),
		);
		row("rejected by the pool", format!("{} {:?}", c.rejected, self.rejections));
		row(
			"included / finalized / never included",
			format!("{} / {} / {}", c.included, c.finalized, c.not_included),
		);
		row("submitted/s (sustained)", format!("{:.1}", r.submitted_per_s));
		row("included/s (sustained)", format!("{:.1}", r.included_per_s));
		row("finalized/s (sustained)", format!("{:.1}", r.finalized_per_s));
		let l = &self.inclusion_latency_s;
		row(
			"inclusion latency p50 / p95 / p99 (s)",
			format!("{} / {} / {}", opt(l.p50), opt(l.p95), opt(l.p99)),
		);
		let f = &self.finality_latency_s;
		row(
			"finality latency p50 / p95 / p99 (s)",
			format!("{} / {} / {}", opt(f.p50), opt(f.p95), opt(f.p99)),
		);
		row(
			"blocks in window (numbers)",
			format!("{} (#{}–#{})", b.count, b.first.unwrap_or(0), b.last.unwrap_or(0)),
		);
		row(
			"transfers per block mean / max",
			format!("{:.1} / {}", b.mean_transfers, b.max_transfers),
		);
		row(
			"block weight (normal) mean / max",
			format!("{:.1} % / {:.1} %", b.mean_normal_weight_pct, b.max_normal_weight_pct),
		);
		row(
			"block length mean / max",
			format!("{:.2} % / {:.2} %", b.mean_length_pct, b.max_length_pct),
		);
		if let Some(e) = &self.erc20 {
			row(
				"token · one transfer's gas used / limit · fee",
				format!(
					"{:?} · {} / {} · {} wei at {} wei/gas",
					e.token, e.probe_gas_used, e.gas_limit, e.probe_fee_wei, e.terms.gas_price
				),
			);
		}
		row(
			if self.erc20.is_some() {
				"one ERC-20 transfer (weight the chain recorded)"
			} else if self.lease_percent > 0 {
				"one transaction, mean (weight model)"
			} else {
				"one transfer (weight model)"
			},
			format!(
				"{:.1} µs incl. base extrinsic {:.1} µs, {} bytes",
				self.limit.tx_ref_time as f64 / 1e6,
				self.capacity.base_extrinsic_ref_time as f64 / 1e6,
				self.tx_cost.encoded_len
			),
		);
		row(
			"limit (weight model)",
			format!(
				"{} per block (by length {}) / {} ms = {:.1} tx/s",
				self.limit.per_block_by_weight,
				self.limit.per_block_by_length,
				self.capacity.block_time_ms,
				self.limit.tps
			),
		);
		row("achieved ÷ limit", format!("{:.3}", self.achieved_over_limit));
		if let Some(m) = &self.node_metrics {
			row("node: proposals ended by", format!("{:?}", m.end_proposal_reasons));
			row(
				"node: blocks built, mean build / proposal time (s)",
				format!(
					"{} / {} / {}",
					m.blocks_constructed,
					opt(m.mean_block_construction_s),
					opt(m.mean_block_proposal_s)
				),
			);
		}
		if !self.follower_errors.is_empty() {
			row("follower errors", format!("{:?}", self.follower_errors));
		}
		t
	}
}
