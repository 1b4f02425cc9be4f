//! Scrapes the node's Prometheus endpoint before and after a run and reports how the
//! author's counters moved: why block proposals ended (deadline, weight or length limit, no
//! more transactions) and how long building a block took. This is the evidence for where a
//! run's throughput was lost.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use serde::Serialize;

/// Metric families the report keeps.
const KEPT: [&str; 4] = [
	"substrate_proposer_",
	"substrate_sub_txpool_",
	"substrate_ready_transactions_number",
	"substrate_block_height",
];

/// Samples of one scrape: `name{labels}` → value.
pub type Samples = BTreeMap<String, f64>;

/// `name{labels}` without the `chain` label the node adds to every sample.
fn normalize(key: &str) -> String {
	let Some((name, labels)) = key.split_once('{') else { return key.to_string() };
	let labels: Vec<&str> = labels
		.trim_end_matches('}')
		.split(',')
		.filter(|l| !l.is_empty() && !l.starts_with("chain="))
		.collect();
	if labels.is_empty() {
		name.to_string()
	} else {
		format!("{name}{{{}}}", labels.join(","))
	}
}

/// Parses the Prometheus text format, keeping the families in [`KEPT`] (bucket lines
/// dropped).
pub fn parse(text: &str) -> Samples {
	text.lines()
		.filter(|l| !l.starts_with('#'))
		.filter_map(|l| {
			let (key, value) = l.rsplit_once(' ')?;
			let keep = KEPT.iter().any(|p| key.starts_with(p)) && !key.contains("_bucket");
			keep.then(|| Some((normalize(key), value.trim().parse::<f64>().ok()?)))?
		})
		.collect()
}

/// Scrapes `url` (e.g. `http://127.0.0.1:9615/metrics`).
pub fn scrape(url: &str) -> Result<Samples> {
	let text = ureq::get(url)
		.call()
		.with_context(|| format!("GET {url}"))?
		.into_string()
		.context("reading metrics")?;
	Ok(parse(&text))
}

/// How the node's counters moved over a run.
#[derive(Clone, Debug, Default, Serialize)]
pub struct MetricsDelta {
	/// Proposals ended per reason (`hit_deadline`, `hit_block_weight_limit`,
	/// `hit_block_size_limit`, `no_more_transactions`).
	pub end_proposal_reasons: BTreeMap<String, f64>,
	/// Blocks the node built.
	pub blocks_constructed: f64,
	/// Mean time to build one, seconds.
	pub mean_block_construction_s: Option<f64>,
	/// Mean time from proposal start to the block, seconds.
	pub mean_block_proposal_s: Option<f64>,
	/// Every kept sample's change (after − before).
	pub deltas: BTreeMap<String, f64>,
}

/// The change of every kept sample from `before` to `after`.
pub fn delta(before: &Samples, after: &Samples) -> MetricsDelta {
	let deltas: BTreeMap<String, f64> =
		after.iter().map(|(k, v)| (k.clone(), v - before.get(k).copied().unwrap_or(0.0))).collect();
	let get = |k: &str| deltas.get(k).copied().unwrap_or(0.0);
	let mean = |name: &str| {
		let count = get(&format!("{name}_count"));
		(count > 0.0).then(|| get(&format!("{name}_sum")) / count)
	};
	let end_proposal_reasons = deltas
		.iter()
		.filter_map(|(k, v)| {
			let reason = k.strip_prefix("substrate_proposer_end_proposal_reason{reason=\"")?;
			Some((reason.trim_end_matches("\"}").to_string(), *v))
		})
		.collect();
	MetricsDelta {
		end_proposal_reasons,
		blocks_constructed: get("substrate_proposer_block_constructed_count"),
		mean_block_construction_s: mean("substrate_proposer_block_constructed"),
		mean_block_proposal_s: mean("substrate_proposer_block_proposal_time"),
		deltas,
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const BEFORE: &str = "# HELP x\n\
		substrate_proposer_block_constructed_bucket{le=\"0.005\"} 1\n\
		substrate_proposer_block_constructed_sum{chain=\"kmcc_bench\"} 0.5\n\
		substrate_proposer_block_constructed_count{chain=\"kmcc_bench\"} 2\n\
		substrate_proposer_end_proposal_reason{reason=\"no_more_transactions\"} 2\n\
		substrate_tasks_spawned_total{task_name=\"x\"} 9\n";
	const AFTER: &str = "substrate_proposer_block_constructed_sum 4.5\n\
		substrate_proposer_block_constructed_count 10\n\
		substrate_proposer_end_proposal_reason{reason=\"no_more_transactions\"} 3\n\
		substrate_proposer_end_proposal_reason{chain=\"kmcc_bench\",reason=\"hit_deadline\"} 7\n";

	#[test]
	fn parses_kept_families_without_buckets() {
		let s = parse(BEFORE);
		assert_eq!(s.len(), 3);
		assert_eq!(s["substrate_proposer_block_constructed_count"], 2.0);
	}

	#[test]
	fn deltas_and_means() {
		let d = delta(&parse(BEFORE), &parse(AFTER));
		assert_eq!(d.blocks_constructed, 8.0);
		assert_eq!(d.mean_block_construction_s, Some(0.5));
		assert_eq!(d.end_proposal_reasons["hit_deadline"], 7.0);
		assert_eq!(d.end_proposal_reasons["no_more_transactions"], 1.0);
		assert_eq!(d.mean_block_proposal_s, None);
	}
}
