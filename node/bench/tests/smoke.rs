//! A short, slow load run against a real `kmcc-node --chain bench`: every transfer the
//! generator signs is accepted, included and finalized, the report is consistent, the
//! senders' nonces moved on chain by exactly what they sent, and the JSON and PNG outputs
//! are written. No timing is asserted.

use std::{
	net::TcpListener,
	path::PathBuf,
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

use kmcc_bench::{chain::next_nonces, chart, rpc::RpcClient, run, Scenario};
use kmcc_primitives::bench_accounts::bench_accounts;

/// The node binary: `KMCC_NODE_BIN`, or `kmcc-node` next to this test's profile directory
/// (`scripts/test.sh` builds it first).
fn node_binary() -> PathBuf {
	if let Ok(bin) = std::env::var("KMCC_NODE_BIN") {
		return bin.into();
	}
	let exe = std::env::current_exe().expect("test binary path");
	let profile_dir = exe.parent().and_then(|deps| deps.parent()).expect("target/<profile>/deps");
	profile_dir.join("kmcc-node")
}

fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

struct Node(Child);

impl Drop for Node {
	fn drop(&mut self) {
		let _ = self.0.kill();
		let _ = self.0.wait();
	}
}

#[test]
fn smoke_run_includes_every_transfer_and_reports_consistently() {
	let bin = node_binary();
	assert!(bin.exists(), "kmcc-node not built at {} (scripts/test.sh builds it)", bin.display());
	let (rpc_port, p2p_port, prom_port) = (free_port(), free_port(), free_port());
	let log = std::env::temp_dir().join(format!("kmcc-bench-smoke-{rpc_port}.log"));
	let _node = Node(
		Command::new(&bin)
			.args(["--chain", "bench", "--alice", "--validator", "--force-authoring", "--tmp"])
			.arg("--unsafe-force-node-key-generation")
			.args(["--rpc-port", &rpc_port.to_string(), "--port", &p2p_port.to_string()])
			.args(["--prometheus-port", &prom_port.to_string(), "--no-telemetry", "--no-mdns"])
			.stdout(Stdio::null())
			.stderr(std::fs::File::create(&log).expect("log file"))
			.spawn()
			.expect("kmcc-node starts"),
	);
	let url = format!("http://127.0.0.1:{rpc_port}");
	let rpc = RpcClient::new(&url);
	// Wait for block #1 (genesis with 10,000 accounts takes a moment).
	let deadline = Instant::now() + Duration::from_secs(120);
	loop {
		let best: Option<kmcc_bench::chain::RpcHeader> =
			rpc.call("chain_getHeader", serde_json::json!([])).ok();
		if best.and_then(|h| h.number().ok()).is_some_and(|n| n >= 1) {
			break;
		}
		assert!(Instant::now() < deadline, "no block within 120 s; see {}", log.display());
		std::thread::sleep(Duration::from_millis(500));
	}

	let senders = 40;
	let accounts = bench_accounts(senders);
	let before = next_nonces(&rpc, &accounts).expect("nonces");
	let scenario = Scenario {
		label: "smoke".into(),
		url: url.clone(),
		rate: Some(20.0),
		duration: 6.0,
		warmup: 1.0,
		senders,
		batch: 10,
		threads: 2,
		drain: 60.0,
		prometheus: Some(format!("http://127.0.0.1:{prom_port}/metrics")),
		..Scenario::default()
	};
	let report = run(&scenario).expect("the run completes");
	print!("{}", report.table());

	let c = report.counts;
	assert_eq!(c.prepared, 120);
	assert_eq!(c.submitted, c.prepared, "every pre-signed transfer was sent");
	assert_eq!(c.rejected, 0, "rejections: {:?}", report.rejections);
	assert_eq!(c.included, c.accepted, "every accepted transfer was included");
	assert_eq!(c.finalized, c.included, "every included transfer was finalized");
	assert!(report.is_consistent());
	assert!(report.follower_errors.is_empty(), "{:?}", report.follower_errors);
	assert_eq!(report.series.included.iter().sum::<u64>() as usize, c.included);
	assert_eq!(report.inclusion_latency_s.count, report.finality_latency_s.count);
	assert!(report.blocks.count > 0 && report.blocks.max_transfers > 0);
	assert!(report.tx_cost.dispatch_ref_time > 0 && report.limit.per_block > 0);
	let metrics = report.node_metrics.as_ref().expect("prometheus scraped");
	assert!(metrics.blocks_constructed > 0.0);

	// On chain: each sender's nonce moved by exactly the transfers it sent (3 each).
	let after = next_nonces(&rpc, &accounts).expect("nonces");
	for (b, a) in before.iter().zip(&after) {
		assert_eq!(a - b, 3);
	}

	let dir = std::env::temp_dir().join(format!("kmcc-bench-smoke-{rpc_port}"));
	std::fs::create_dir_all(&dir).expect("dir");
	let png = dir.join("chart.png");
	chart::draw(&report, &png).expect("chart");
	let bytes = std::fs::read(&png).expect("png written");
	assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
	let json = serde_json::to_value(&report).expect("serializes");
	assert_eq!(json["counts"]["finalized"], c.finalized);
}
