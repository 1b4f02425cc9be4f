//! One load run: prepare and pre-sign the transfers, submit them at the target rate (or as
//! fast as the node takes them, keeping at most `max_pending` accepted but not yet included
//! so that the pool never drops a link of a sender's nonce chain), follow the chain until
//! every accepted transfer is finalized or the drain time is over, and report.

use std::{
	collections::{BTreeMap, HashMap},
	sync::{
		atomic::{AtomicBool, AtomicUsize, Ordering},
		Arc, Mutex,
	},
	thread,
	time::{Duration, Instant},
};

use anyhow::{ensure, Context, Result};
use kmcc_primitives::{
	bench_accounts::{bench_pair, bench_root, BENCH_ACCOUNT_COUNT},
	currency::{KMCC, MILLI_KMCC},
	AccountId, Balance,
};
use polkadot_sdk::sp_core::{crypto::Pair as _, sr25519};
use serde_json::json;

use crate::{
	chain::{
		block_capacity, next_nonces, query_tx_cost, signed_lease, signed_transfer, ChainInfo,
		PreparedTx,
	},
	erc20::{self, Erc20Info},
	follow::{lock, Follower, Observations},
	limit::limit,
	metrics,
	report::{BlockSummary, Counts, Rates, Report, Series},
	rpc::RpcClient,
	stats::{per_second, LatencySummary, Window},
};

/// What to run.
#[derive(Clone, Debug)]
pub struct Scenario {
	/// A name for the run (`dev`, `local-4`, …).
	pub label: String,
	/// Node JSON-RPC endpoint (HTTP or WS URL of the same port).
	pub url: String,
	/// Target submission rate, transfers/s; `None` submits as fast as the node accepts.
	pub rate: Option<f64>,
	/// Submission phase, seconds.
	pub duration: f64,
	/// Start of the measurement window, seconds into the submission phase.
	pub warmup: f64,
	/// Sending accounts (bench accounts `0..senders`).
	pub senders: u32,
	/// Transfers pre-signed in the unlimited mode; default 1.25 × limit × duration.
	pub max_txs: Option<usize>,
	/// `author_submitExtrinsic` calls per HTTP batch.
	pub batch: usize,
	/// Submitting threads (concurrent batches).
	pub threads: usize,
	/// Accepted-but-not-included transfers above which submission waits.
	pub max_pending: usize,
	/// After the submission phase, how long to wait for inclusion and finality, seconds.
	pub drain: f64,
	/// Chain poll interval, milliseconds.
	pub poll_ms: u64,
	/// Planck per transfer.
	pub value: Balance,
	/// The node's Prometheus endpoint, scraped before and after.
	pub prometheus: Option<String>,
	/// Percent of the transactions that are `dpos.lease(lease_to, lease_value)` instead of
	/// transfers (the mixed workload); 0 for transfers only.
	pub lease_percent: u32,
	/// The candidate the mixed workload leases to (the dev chain's Alice by default).
	pub lease_to: Option<AccountId>,
	/// Planck per lease (at least the chain's `min_lease`).
	pub lease_value: Balance,
	/// The ERC-20 workload instead of native transfers ([`crate::erc20`]).
	pub erc20: Option<Erc20Scenario>,
}

/// The ERC-20 workload's inputs.
#[derive(Clone, Debug)]
pub struct Erc20Scenario {
	/// The Ethereum JSON-RPC adapter's endpoint.
	pub eth_url: String,
	/// Creation bytecode of an ERC-20 whose constructor takes `uint256 supply` and mints it
	/// to the deployer.
	pub bytecode: Vec<u8>,
}

impl Default for Scenario {
	fn default() -> Self {
		Self {
			label: "dev".into(),
			url: "http://127.0.0.1:9944".into(),
			rate: None,
			duration: 60.0,
			warmup: 10.0,
			senders: BENCH_ACCOUNT_COUNT,
			max_txs: None,
			batch: 250,
			threads: 4,
			max_pending: 6_000,
			drain: 60.0,
			poll_ms: 50,
			value: MILLI_KMCC,
			prometheus: None,
			lease_percent: 0,
			lease_to: None,
			lease_value: KMCC,
			erc20: None,
		}
	}
}

/// What submitting one transaction gave.
#[derive(Clone, Debug)]
struct Submission {
	index: usize,
	sent_at: f64,
	error: Option<String>,
}

/// Whether transaction `k` of a run with `lease_percent` % leases is a lease: `lease_percent`
/// of every 100 consecutive transactions, spread evenly.
fn is_lease(k: usize, lease_percent: u32) -> bool {
	let p = lease_percent.min(100) as usize;
	(k * p) / 100 != ((k + 1) * p) / 100
}

/// Signs `count` transactions: transaction `k` is sent by sender `k mod S` with its next
/// nonce plus `k div S`, so every sender's nonces arrive in order and each round over the
/// senders is ready at once. It transfers `value` to the next sender, or (see [`is_lease`])
/// leases `lease_value` to `lease_to`.
fn presign(
	chain: &ChainInfo,
	pairs: &[sr25519::Pair],
	nonces: &[u32],
	count: usize,
	scenario: &Scenario,
	lease_to: &AccountId,
) -> Vec<PreparedTx> {
	let (value, lease_value, lease_percent) =
		(scenario.value, scenario.lease_value, scenario.lease_percent);
	let senders = pairs.len();
	let threads = thread::available_parallelism().map_or(2, |n| n.get()).max(1);
	let per_thread = count.div_ceil(threads).max(1);
	let dest = |s: usize| -> AccountId { pairs[(s + 1) % senders].public().into() };
	thread::scope(|scope| {
		let handles: Vec<_> = (0..count)
			.step_by(per_thread)
			.map(|first| {
				let last = (first + per_thread).min(count);
				scope.spawn(move || {
					(first..last)
						.map(|k| {
							let s = k % senders;
							let nonce = nonces[s] + (k / senders) as u32;
							if is_lease(k, lease_percent) {
								signed_lease(chain, &pairs[s], nonce, lease_to.clone(), lease_value)
							} else {
								signed_transfer(chain, &pairs[s], nonce, dest(s), value)
							}
						})
						.collect::<Vec<_>>()
				})
			})
			.collect();
		handles.into_iter().flat_map(|h| h.join().expect("signing threads do not panic")).collect()
	})
}

/// A rejection's kind, for counting: the error with its detail, hashes and numbers cut.
fn rejection_kind(message: &str) -> String {
	let kind: String = message.chars().take(120).collect();
	kind.split(" (0x").next().unwrap_or(&kind).trim().to_string()
}

/// Runs `scenario` against its node.
pub fn run(scenario: &Scenario) -> Result<Report> {
	ensure!(scenario.senders >= 2, "at least 2 senders (each sends to the next)");
	ensure!(scenario.senders <= BENCH_ACCOUNT_COUNT, "at most {BENCH_ACCOUNT_COUNT} senders");
	ensure!(scenario.batch > 0 && scenario.threads > 0, "batch and threads must be positive");
	ensure!(scenario.duration > scenario.warmup, "the warm-up must end before the run does");
	let rpc = RpcClient::new(&scenario.url);
	let chain = ChainInfo::fetch(&rpc).context("reading the chain (is the node running?)")?;
	let capacity = block_capacity(&rpc)?;

	ensure!(scenario.lease_percent <= 100, "at most 100 % leases");
	let pre_count = |limit: &crate::limit::Limit| match scenario.rate {
		Some(rate) => (rate * scenario.duration).ceil() as usize,
		None => scenario.max_txs.unwrap_or((limit.tps * scenario.duration * 1.25).ceil() as usize),
	};
	let (tx_cost, limit, count, txs, erc20_info, submit_url, submit_method) = if let Some(erc20) =
		&scenario.erc20
	{
		ensure!(scenario.lease_percent == 0, "the ERC-20 workload has no leases");
		let eth = RpcClient::new(&erc20.eth_url);
		let setup = erc20::setup(&rpc, &eth, &chain, scenario.senders, &erc20.bytecode)
			.context("setting up the ERC-20 workload")?;
		let tx_cost = setup.info.probe_cost;
		let limit = limit(&capacity, &tx_cost);
		let count = pre_count(&limit);
		eprintln!("pre-signing {count} ERC-20 transfers from {} keys", scenario.senders);
		let txs = erc20::presign(&setup, count);
		(
			tx_cost,
			limit,
			count,
			txs,
			Some(setup.info),
			erc20.eth_url.clone(),
			"eth_sendRawTransaction",
		)
	} else {
		eprintln!("deriving {} bench accounts and reading their nonces", scenario.senders);
		let root = bench_root();
		let pairs: Vec<sr25519::Pair> =
			(0..scenario.senders).map(|i| bench_pair(&root, i)).collect();
		let accounts: Vec<AccountId> = pairs.iter().map(|p| p.public().into()).collect();
		let nonces = next_nonces(&rpc, &accounts)?;
		let lease_to = scenario.lease_to.clone().unwrap_or_else(|| {
			sr25519::Pair::from_string("//Alice", None).expect("a valid dev seed").public().into()
		});
		let sample =
			signed_transfer(&chain, &pairs[0], nonces[0], accounts[1].clone(), scenario.value);
		let mut tx_cost = query_tx_cost(&rpc, &sample)?;
		if scenario.lease_percent > 0 {
			let lease =
				signed_lease(&chain, &pairs[0], nonces[0], lease_to.clone(), scenario.lease_value);
			tx_cost = tx_cost.mixed(&query_tx_cost(&rpc, &lease)?, scenario.lease_percent);
		}
		let limit = limit(&capacity, &tx_cost);
		let count = pre_count(&limit);
		eprintln!(
			"pre-signing {count} transactions ({} % leases) from {} senders",
			scenario.lease_percent, scenario.senders
		);
		let txs = presign(&chain, &pairs, &nonces, count, scenario, &lease_to);
		(tx_cost, limit, count, txs, None, scenario.url.clone(), "author_submitExtrinsic")
	};
	let txs = Arc::new(txs);
	let hashes: Arc<HashMap<[u8; 32], usize>> =
		Arc::new(txs.iter().enumerate().map(|(i, t)| (t.hash, i)).collect());

	let metrics_before = scenario.prometheus.as_deref().map(metrics::scrape).transpose()?;
	let observations = Arc::new(Mutex::new(Observations::default()));
	let stop = Arc::new(AtomicBool::new(false));
	let start = Instant::now();
	let follower = {
		let follower = Follower::new(&scenario.url, start, hashes.clone(), observations.clone());
		let stop = stop.clone();
		let interval = Duration::from_millis(scenario.poll_ms);
		thread::spawn(move || follower.run(interval, stop))
	};

	eprintln!(
		"submitting for {} s ({})",
		scenario.duration,
		scenario.rate.map_or("as fast as the node accepts".into(), |r| format!("{r} transfers/s"))
	);
	// At a target rate a batch holds at most 50 ms of transfers, so pacing stays smooth.
	let batch = match scenario.rate {
		Some(rate) => scenario.batch.min((rate / 20.0).ceil() as usize).max(1),
		None => scenario.batch,
	};
	let next = Arc::new(AtomicUsize::new(0));
	let accepted = Arc::new(AtomicUsize::new(0));
	let submitters: Vec<_> = (0..scenario.threads)
		.map(|_| {
			let (txs, next, accepted, observations) =
				(txs.clone(), next.clone(), accepted.clone(), observations.clone());
			let scenario = Scenario { batch, ..scenario.clone() };
			let url = submit_url.clone();
			thread::spawn(move || {
				let rpc = RpcClient::new(&url);
				let submit = Submitter { rpc: &rpc, method: submit_method };
				submit_loop(&scenario, &submit, start, &txs, &next, &accepted, &observations)
			})
		})
		.collect();
	let mut submissions = Vec::with_capacity(count);
	for s in submitters {
		submissions.extend(s.join().map_err(|_| anyhow::anyhow!("a submitter panicked"))??);
	}
	let submit_end = start.elapsed().as_secs_f64();

	// Drain: until every accepted transfer is finalized, or the drain time is over.
	let accepted_total = submissions.iter().filter(|s| s.error.is_none()).count();
	let drain_deadline = Instant::now() + Duration::from_secs_f64(scenario.drain);
	while Instant::now() < drain_deadline && lock(&observations).finalized.len() < accepted_total {
		thread::sleep(Duration::from_millis(100));
	}
	stop.store(true, Ordering::Relaxed);
	follower.join().map_err(|_| anyhow::anyhow!("the follower panicked"))?;
	let metrics_after = scenario.prometheus.as_deref().map(metrics::scrape).transpose()?;
	let node_metrics = metrics_before.zip(metrics_after).map(|(b, a)| metrics::delta(&b, &a));

	let observations = Arc::try_unwrap(observations)
		.map_err(|_| anyhow::anyhow!("observations still shared"))?
		.into_inner()
		.unwrap_or_else(|p| p.into_inner());
	let window = Window { from: scenario.warmup, to: scenario.duration.min(submit_end) };
	Ok(build_report(
		scenario,
		&chain,
		capacity,
		tx_cost,
		limit,
		count,
		&submissions,
		&observations,
		window,
		node_metrics,
		erc20_info,
	))
}

/// Where transactions go: the node (`author_submitExtrinsic`) or the Ethereum JSON-RPC
/// adapter (`eth_sendRawTransaction`).
struct Submitter<'a> {
	rpc: &'a RpcClient,
	method: &'static str,
}

/// One submitting thread: claims batches of transfers in order, paced by the target rate
/// and held back while `max_pending` accepted transfers are not yet included.
fn submit_loop(
	scenario: &Scenario,
	submit: &Submitter,
	start: Instant,
	txs: &[PreparedTx],
	next: &AtomicUsize,
	accepted: &AtomicUsize,
	observations: &Mutex<Observations>,
) -> Result<Vec<Submission>> {
	let mut out = Vec::new();
	let end = Duration::from_secs_f64(scenario.duration);
	loop {
		// Back-pressure: the pool keeps at most `max_pending` of ours.
		while accepted.load(Ordering::Relaxed).saturating_sub(lock(observations).included.len())
			>= scenario.max_pending
		{
			if start.elapsed() >= end {
				return Ok(out);
			}
			thread::sleep(Duration::from_millis(10));
		}
		let first = next.fetch_add(scenario.batch, Ordering::Relaxed);
		if first >= txs.len() || start.elapsed() >= end {
			return Ok(out);
		}
		let last = (first + scenario.batch).min(txs.len());
		if let Some(rate) = scenario.rate {
			// The batch goes when its last transfer is due.
			let due = Duration::from_secs_f64(last as f64 / rate);
			if let Some(wait) = due.checked_sub(start.elapsed()) {
				thread::sleep(wait);
			}
		}
		let calls: Vec<(&str, serde_json::Value)> =
			txs[first..last].iter().map(|t| (submit.method, json!([t.hex]))).collect();
		let sent_at = start.elapsed().as_secs_f64();
		let results = match submit.rpc.batch(&calls) {
			Ok(r) => r.into_iter().map(|r| r.err().map(|e| e.to_string())).collect(),
			Err(e) => vec![Some(format!("request failed: {e:#}")); calls.len()],
		};
		let ok = results.iter().filter(|r: &&Option<String>| r.is_none()).count();
		accepted.fetch_add(ok, Ordering::Relaxed);
		out.extend(results.into_iter().enumerate().map(|(i, error)| Submission {
			index: first + i,
			sent_at,
			error,
		}));
	}
}

#[allow(clippy::too_many_arguments)]
fn build_report(
	scenario: &Scenario,
	chain: &ChainInfo,
	capacity: crate::limit::BlockCapacity,
	tx_cost: crate::limit::TxCost,
	limit: crate::limit::Limit,
	prepared: usize,
	submissions: &[Submission],
	observations: &Observations,
	window: Window,
	node_metrics: Option<metrics::MetricsDelta>,
	erc20: Option<Erc20Info>,
) -> Report {
	let mut rejections: BTreeMap<String, usize> = BTreeMap::new();
	for s in submissions {
		if let Some(e) = &s.error {
			*rejections.entry(rejection_kind(e)).or_default() += 1;
		}
	}
	let accepted: Vec<&Submission> = submissions.iter().filter(|s| s.error.is_none()).collect();
	let included = accepted.iter().filter(|s| observations.included.contains_key(&s.index)).count();
	let finalized =
		accepted.iter().filter(|s| observations.finalized.contains_key(&s.index)).count();

	let in_window: Vec<&&Submission> =
		accepted.iter().filter(|s| window.contains(s.sent_at)).collect();
	let inclusion: Vec<f64> = in_window
		.iter()
		.filter_map(|s| observations.included.get(&s.index).map(|t| t - s.sent_at))
		.collect();
	let finality: Vec<f64> = in_window
		.iter()
		.filter_map(|s| observations.finalized.get(&s.index).map(|t| t - s.sent_at))
		.collect();

	let rates = Rates {
		submitted_per_s: window.rate(submissions.iter().map(|s| s.sent_at)),
		accepted_per_s: window.rate(accepted.iter().map(|s| s.sent_at)),
		included_per_s: window.rate(observations.included.values().copied()),
		finalized_per_s: window.rate(observations.finalized.values().copied()),
	};

	// Blocks of the canonical chain first seen inside the window.
	let mut blocks: Vec<_> = observations
		.blocks
		.values()
		.filter(|b| b.finalized_at.is_some() && window.contains(b.seen_at))
		.collect();
	blocks.sort_by_key(|b| b.number);
	let pct = |num: f64, den: f64| if den > 0.0 { 100.0 * num / den } else { 0.0 };
	let weight_pct: Vec<f64> = blocks
		.iter()
		.map(|b| pct(b.normal_ref_time as f64, capacity.max_normal_ref_time as f64))
		.collect();
	let length_pct: Vec<f64> = blocks
		.iter()
		.map(|b| pct(b.length as f64, f64::from(capacity.max_normal_length)))
		.collect();
	let ours: Vec<f64> = blocks.iter().map(|b| b.ours as f64).collect();
	let mean = |v: &[f64]| if v.is_empty() { 0.0 } else { v.iter().sum::<f64>() / v.len() as f64 };
	let max = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
	let block_summary = BlockSummary {
		count: blocks.len(),
		first: blocks.first().map(|b| b.number),
		last: blocks.last().map(|b| b.number),
		mean_transfers: mean(&ours),
		max_transfers: max(&ours) as u64,
		mean_normal_weight_pct: mean(&weight_pct),
		max_normal_weight_pct: max(&weight_pct),
		mean_length_pct: mean(&length_pct),
		max_length_pct: max(&length_pct),
		mean_other_ref_time_ms: mean(
			&blocks.iter().map(|b| b.other_ref_time as f64 / 1e9).collect::<Vec<_>>(),
		),
	};

	let seconds = (window.to + scenario.drain).ceil().max(1.0) as usize;
	let last_event = observations
		.finalized
		.values()
		.chain(observations.included.values())
		.copied()
		.fold(window.to, f64::max);
	let seconds = seconds.min(last_event.ceil() as usize + 1);
	let series = Series {
		submitted: per_second(submissions.iter().map(|s| s.sent_at), seconds),
		included: per_second(observations.included.values().copied(), seconds),
		finalized: per_second(observations.finalized.values().copied(), seconds),
	};

	Report {
		label: scenario.label.clone(),
		node: scenario.url.clone(),
		runtime: format!("{} {}", chain.spec_name, chain.spec_version),
		target_rate: scenario.rate,
		duration_s: scenario.duration,
		warmup_s: scenario.warmup,
		senders: scenario.senders,
		lease_percent: scenario.lease_percent,
		window,
		counts: Counts {
			prepared,
			submitted: submissions.len(),
			accepted: accepted.len(),
			rejected: submissions.len() - accepted.len(),
			included,
			finalized,
			not_included: accepted.len() - included,
		},
		rejections,
		rates,
		inclusion_latency_s: LatencySummary::of(&inclusion),
		finality_latency_s: LatencySummary::of(&finality),
		blocks: block_summary,
		capacity,
		tx_cost,
		limit,
		achieved_over_limit: if limit.tps > 0.0 { rates.included_per_s / limit.tps } else { 0.0 },
		node_metrics,
		follower_errors: observations.errors.iter().take(10).cloned().collect(),
		series,
		erc20,
	}
}

#[cfg(test)]
mod tests {
	use super::is_lease;

	#[test]
	fn leases_are_the_given_share_of_every_hundred_spread_evenly() {
		for percent in [0u32, 1, 10, 33, 50, 100] {
			for start in [0usize, 100, 5_300] {
				let leases = (start..start + 100).filter(|&k| is_lease(k, percent)).count();
				assert_eq!(leases, percent as usize, "{percent} % from {start}");
			}
		}
		// 10 %: one in every ten consecutive transactions.
		assert!((0..1_000)
			.step_by(10)
			.all(|k| (k..k + 10).filter(|&j| is_lease(j, 10)).count() == 1));
		assert!(!(0..1_000).any(|k| is_lease(k, 0)));
		assert!((0..1_000).all(|k| is_lease(k, 250)));
	}
}
