//! `kmcc-storage`: the landlord daemon (see the crate documentation).

use anyhow::{anyhow, Context, Result};
use clap::{Parser, Subcommand};
use kmcc_chain::{Chain, Sr25519Signer};
use kmcc_privacy::schnorrkel::Keypair;
use kmcc_storage::{
	daemon::Daemon,
	follow::{landlord_of, read_view, register, ChainSink},
	store::Store,
};
use std::{
	path::PathBuf,
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
	time::Duration,
};

#[derive(Parser)]
#[command(name = "kmcc-storage", version, about = "The KMCC Chain storage landlord daemon")]
struct Cli {
	/// The node's WebSocket endpoint.
	#[arg(long, global = true, default_value = "ws://127.0.0.1:9944", env = "KMCC_URL")]
	url: String,
	/// The daemon's node key (`stor`): a secret URI (mnemonic, `0x` seed, `//Name` on dev
	/// chains).
	#[arg(long, global = true, env = "KMCC_STORAGE_NODE_KEY")]
	node_key: Option<String>,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Serves the landlord's copy groups.
	Run {
		/// Where the replicas and the write-ahead log are kept.
		#[arg(long)]
		data_dir: PathBuf,
		/// Address to listen on for clients and the group's daemons (the registered
		/// endpoint must reach it).
		#[arg(long, default_value = "127.0.0.1:7070")]
		listen: String,
		/// The account that submits space proofs and pays their fees until refunded
		/// (default: the node key's own account, which needs a small balance).
		#[arg(long)]
		submitter: Option<String>,
	},
	/// Registers a landlord account served by this node key (`register_landlord`, with the
	/// node key's proof of possession).
	Register {
		/// The landlord account's secret URI (holds the collateral).
		#[arg(long)]
		account: String,
		/// Capacity in MiB (copy groups of 64 MiB).
		#[arg(long)]
		capacity_mib: u32,
		/// Where clients and peers reach the daemon (`host:port`).
		#[arg(long)]
		endpoint: String,
	},
	/// Prints the node key's public key.
	NodeId,
}

fn keypair(suri: &str) -> Result<Keypair> {
	use polkadot_sdk::sp_core::{sr25519, Pair};
	let pair =
		sr25519::Pair::from_string(suri, None).map_err(|e| anyhow!("not a secret URI: {e:?}"))?;
	Ok(Keypair::from(pair))
}

#[tokio::main]
async fn main() -> Result<()> {
	env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
	let cli = Cli::parse();
	let node = keypair(cli.node_key.as_deref().ok_or_else(|| anyhow!("--node-key is required"))?)?;
	match cli.command {
		Command::NodeId => {
			println!("0x{}", hex(&node.public.to_bytes()));
			Ok(())
		}
		Command::Register { account, capacity_mib, endpoint } => {
			let chain = Chain::connect(&cli.url).await?;
			let account = Sr25519Signer(keypair(&account)?);
			register(&chain, &account, &node, capacity_mib, &endpoint).await?;
			println!(
				"registered 0x{} with {capacity_mib} MiB at {endpoint}",
				hex(&account.0.public.to_bytes())
			);
			Ok(())
		}
		Command::Run { data_dir, listen, submitter } => {
			run(&cli.url, node, data_dir, listen, submitter).await
		}
	}
}

fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn run(
	url: &str,
	node: Keypair,
	data_dir: PathBuf,
	listen: String,
	submitter: Option<String>,
) -> Result<()> {
	let chain = Arc::new(Chain::connect(url).await?);
	let store = Store::open(&data_dir)
		.with_context(|| format!("cannot open the store in {}", data_dir.display()))?;
	let node_id = node.public.to_bytes();
	let landlord = loop {
		let at = chain.api().at_current_block().await?;
		if let Some(landlord) = landlord_of(&at, node_id).await? {
			break landlord;
		}
		log::info!("node key 0x{} is not registered yet; waiting", hex(&node_id));
		tokio::time::sleep(Duration::from_secs(2)).await;
	};
	let submitter = match submitter {
		Some(suri) => keypair(&suri)?,
		None => node.clone(),
	};
	let daemon = Daemon::new(landlord, node, store);
	let listener = tokio::net::TcpListener::bind(&listen)
		.await
		.with_context(|| format!("cannot listen on {listen}"))?;
	log::info!("serving landlord 0x{} on {listen}", hex(&landlord));
	tokio::spawn(daemon.clone().serve(listener));
	let sink = Arc::new(ChainSink { chain: chain.clone(), signer: Sr25519Signer(submitter) });
	let proving = Arc::new(AtomicBool::new(false));
	// Only the newest finalized block matters: a backlog (a slow read, a restart) is skipped.
	let (latest, mut newest) = tokio::sync::watch::channel(None);
	let mut blocks = chain.api().stream_blocks().await?;
	let reader = tokio::spawn(async move {
		while let Some(block) = blocks.next().await {
			match block {
				Ok(block) => latest.send_replace(Some(block)),
				Err(e) => {
					log::error!("finalized-block stream: {e}");
					break;
				}
			};
		}
	});
	while newest.changed().await.is_ok() {
		let Some(block) = newest.borrow_and_update().clone() else { continue };
		let at = block.at().await?;
		match read_view(&at, landlord).await {
			Ok(view) => {
				if daemon.set_view(view).await? {
					let daemon = daemon.clone();
					tokio::spawn(async move {
						let copied = daemon.reconcile().await;
						if copied > 0 {
							log::info!("reconciled: {copied} chunks copied from the group");
						}
					});
				}
			}
			Err(e) => {
				log::warn!("cannot read block {}: {e:#}", block.number());
				continue;
			}
		}
		if !proving.swap(true, Ordering::SeqCst) {
			let (daemon, sink, proving) = (daemon.clone(), sink.clone(), proving.clone());
			tokio::spawn(async move {
				daemon.prove_due(&*sink).await;
				proving.store(false, Ordering::SeqCst);
			});
		}
	}
	reader.abort();
	Err(anyhow!("the node closed the finalized-block stream"))
}
