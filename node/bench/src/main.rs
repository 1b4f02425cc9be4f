//! `kmcc-bench`: measure a running node's throughput and latency (see the crate doc).

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Parser;
use kmcc_bench::{chart, run, Erc20Scenario, Scenario};

/// Loads a running kmcc-node (started with `--chain bench` or `bench-local`) with pre-signed
/// transfers (native, or ERC-20 through the Ethereum JSON-RPC adapter with `--erc20`) and
/// reports throughput, latency, block fullness and the weight-model limit.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
	/// Node JSON-RPC endpoint.
	#[arg(long, default_value = "http://127.0.0.1:9944")]
	url: String,
	/// Target rate in transfers/s; 0 submits as fast as the node accepts.
	#[arg(long, default_value_t = 0.0)]
	rate: f64,
	/// Submission phase, seconds.
	#[arg(long, default_value_t = 60.0)]
	duration: f64,
	/// Warm-up excluded from the sustained figures, seconds.
	#[arg(long, default_value_t = 10.0)]
	warmup: f64,
	/// Sending accounts (at most the bench chain's 10,000).
	#[arg(long, default_value_t = 10_000)]
	senders: u32,
	/// Transfers to pre-sign in the max-rate mode (default 1.25 × limit × duration).
	#[arg(long)]
	max_txs: Option<usize>,
	/// Transfers per HTTP batch.
	#[arg(long, default_value_t = 250)]
	batch: usize,
	/// Concurrent submitting threads.
	#[arg(long, default_value_t = 4)]
	threads: usize,
	/// Accepted-but-not-included transfers above which submission waits: above two full blocks
	/// (2 × 2,321 transfers), so the pool never runs dry while the harness is still reading the
	/// last block, and with the blocks awaiting finality (the fork-aware pool keeps them) below
	/// kmcc-node's 16,384-transaction pool, so no link of a sender's nonce chain is dropped.
	#[arg(long, default_value_t = 6_000)]
	max_pending: usize,
	/// Seconds to wait for inclusion and finality after the submission phase.
	#[arg(long, default_value_t = 60.0)]
	drain: f64,
	/// The node's Prometheus endpoint, e.g. http://127.0.0.1:9615/metrics.
	#[arg(long)]
	prometheus: Option<String>,
	/// Mixed workload: percent of the transactions that lease `--lease-value` KMCC-planck to
	/// Alice's candidacy (`dpos.lease`) instead of transferring.
	#[arg(long, default_value_t = 0)]
	lease_percent: u32,
	/// Planck per lease in the mixed workload (at least the chain's `min_lease`).
	#[arg(long, default_value_t = kmcc_primitives::currency::KMCC)]
	lease_value: u128,
	/// ERC-20 workload: the hex creation bytecode (solc's `.bin`) of an ERC-20 whose
	/// constructor takes `uint256 supply` and mints it to the deployer, e.g.
	/// `tests/e2e/contracts/KmccTestToken.sol`; its transfers go through `--eth-url`.
	#[arg(long, value_name = "BIN")]
	erc20: Option<PathBuf>,
	/// The Ethereum JSON-RPC adapter (`eth-rpc`) in front of `--url`'s node.
	#[arg(long, default_value = "http://127.0.0.1:8545")]
	eth_url: String,
	/// Name of the run in the report.
	#[arg(long, default_value = "dev")]
	label: String,
	/// Where to write the JSON report.
	#[arg(long, default_value = "kmcc-bench-report.json")]
	json: PathBuf,
	/// Where to draw the PNG chart.
	#[arg(long, default_value = "kmcc-bench.png")]
	png: PathBuf,
}

fn main() -> Result<()> {
	let args = Args::parse();
	let erc20 = match &args.erc20 {
		Some(path) => {
			let text = std::fs::read_to_string(path)
				.with_context(|| format!("reading {}", path.display()))?;
			let bytecode = hex::decode(text.trim().trim_start_matches("0x"))
				.with_context(|| format!("{} is not hex bytecode", path.display()))?;
			Some(Erc20Scenario { eth_url: args.eth_url.clone(), bytecode })
		}
		None => None,
	};
	let scenario = Scenario {
		label: args.label,
		url: args.url,
		rate: (args.rate > 0.0).then_some(args.rate),
		duration: args.duration,
		warmup: args.warmup,
		senders: args.senders,
		max_txs: args.max_txs,
		batch: args.batch,
		threads: args.threads,
		max_pending: args.max_pending,
		drain: args.drain,
		prometheus: args.prometheus,
		lease_percent: args.lease_percent,
		lease_value: args.lease_value,
		erc20,
		..Scenario::default()
	};
	let report = run(&scenario)?;
	print!("{}", report.table());
	std::fs::write(&args.json, serde_json::to_string_pretty(&report)?)
		.with_context(|| format!("writing {}", args.json.display()))?;
	chart::draw(&report, &args.png).with_context(|| format!("drawing {}", args.png.display()))?;
	eprintln!("wrote {} and {}", args.json.display(), args.png.display());
	Ok(())
}
