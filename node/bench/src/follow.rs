//! Follows the node's best and finalized chains by polling, and records when each of the
//! run's transactions was first seen in a best block and in a finalized block.
//!
//! Times are the harness's observation times (seconds since the run started), so latencies
//! include the node's import and RPC delay, as a wallet sees them. The poll interval bounds
//! their resolution.

use std::{
	collections::{HashMap, HashSet},
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc, Mutex,
	},
	time::{Duration, Instant},
};

use anyhow::Result;
use polkadot_sdk::sp_core::H256;
use serde_json::json;

use crate::{
	chain::{fetch_block, BlockData},
	rpc::RpcClient,
};

/// One block of the best chain as the follower saw it.
#[derive(Clone, Debug)]
pub struct SeenBlock {
	/// Block number.
	pub number: u32,
	/// When it was first seen as (part of) the best chain.
	pub seen_at: f64,
	/// When it was seen finalized, if it was.
	pub finalized_at: Option<f64>,
	/// Extrinsics in it (inherents included).
	pub extrinsics: usize,
	/// Of which this run's transactions.
	pub ours: usize,
	/// Σ encoded length of its extrinsics, bytes.
	pub length: u64,
	/// `Normal` ref_time consumed, picoseconds.
	pub normal_ref_time: u64,
	/// Operational and mandatory ref_time consumed, picoseconds.
	pub other_ref_time: u64,
}

/// Inclusion and finality times per transaction index, and the blocks seen.
#[derive(Debug, Default)]
pub struct Observations {
	/// Transaction index → first time seen in a best block.
	pub included: HashMap<usize, f64>,
	/// Transaction index → first time seen in a finalized block.
	pub finalized: HashMap<usize, f64>,
	/// Blocks by hash.
	pub blocks: HashMap<H256, SeenBlock>,
	/// Errors the follower hit (it keeps polling).
	pub errors: Vec<String>,
}

/// Locks `observations`, also after a panic elsewhere (the data stays usable).
pub fn lock(observations: &Mutex<Observations>) -> std::sync::MutexGuard<'_, Observations> {
	observations.lock().unwrap_or_else(|p| p.into_inner())
}

/// State of a follower thread.
pub struct Follower {
	rpc: RpcClient,
	start: Instant,
	hashes: Arc<HashMap<[u8; 32], usize>>,
	observations: Arc<Mutex<Observations>>,
	known: HashMap<H256, (u32, H256, Vec<usize>)>,
	best: Option<H256>,
	finalized_number: Option<u32>,
	finalized_seen: HashSet<H256>,
}

impl Follower {
	/// A follower of `url` matching extrinsic hashes against `hashes` (hash → index).
	pub fn new(
		url: &str,
		start: Instant,
		hashes: Arc<HashMap<[u8; 32], usize>>,
		observations: Arc<Mutex<Observations>>,
	) -> Self {
		Self {
			rpc: RpcClient::new(url),
			start,
			hashes,
			observations,
			known: HashMap::new(),
			best: None,
			finalized_number: None,
			finalized_seen: HashSet::new(),
		}
	}

	fn now(&self) -> f64 {
		self.start.elapsed().as_secs_f64()
	}

	fn lock(&self) -> std::sync::MutexGuard<'_, Observations> {
		lock(&self.observations)
	}

	/// Fetches `hash` once; records our transactions in it and the block's figures.
	fn learn(&mut self, hash: H256) -> Result<(u32, H256)> {
		if let Some((number, parent, _)) = self.known.get(&hash) {
			return Ok((*number, *parent));
		}
		let BlockData { header, extrinsic_hashes, length, normal_ref_time, other_ref_time } =
			fetch_block(&self.rpc, hash)?;
		let number = header.number()?;
		let ours: Vec<usize> =
			extrinsic_hashes.iter().filter_map(|h| self.hashes.get(h).copied()).collect();
		let seen_at = self.now();
		self.lock().blocks.insert(
			hash,
			SeenBlock {
				number,
				seen_at,
				finalized_at: None,
				extrinsics: extrinsic_hashes.len(),
				ours: ours.len(),
				length,
				normal_ref_time,
				other_ref_time,
			},
		);
		self.known.insert(hash, (number, header.parent_hash, ours));
		Ok((number, header.parent_hash))
	}

	/// The chain from `head` back to (excluding) the first block at or below `floor` or
	/// already known, oldest first.
	fn new_path(
		&mut self,
		head: H256,
		floor: Option<u32>,
		stop_at_known: bool,
	) -> Result<Vec<H256>> {
		let mut path = Vec::new();
		let mut cursor = head;
		loop {
			if stop_at_known && self.known.contains_key(&cursor) && !path.is_empty() {
				break;
			}
			let (number, parent) = self.learn(cursor)?;
			if floor.is_some_and(|f| number <= f) {
				break;
			}
			path.push(cursor);
			if number == 0 || (stop_at_known && self.known.contains_key(&parent)) {
				break;
			}
			cursor = parent;
		}
		path.reverse();
		Ok(path)
	}

	/// One poll of the best and finalized heads.
	pub fn poll(&mut self) -> Result<()> {
		let best_hash: H256 = self.rpc.call("chain_getBlockHash", json!([]))?;
		if self.best != Some(best_hash) {
			let first = self.best.is_none();
			// On the first poll only the head is learnt: earlier blocks are not the run's.
			let path = if first { vec![best_hash] } else { self.new_path(best_hash, None, true)? };
			for hash in path {
				self.learn(hash)?;
				let now = self.now();
				if let Some((_, _, ours)) = self.known.get(&hash) {
					let mut obs = self.lock();
					for i in ours {
						obs.included.entry(*i).or_insert(now);
					}
				}
			}
			self.best = Some(best_hash);
		}
		let finalized: H256 = self.rpc.call("chain_getFinalizedHead", json!([]))?;
		if !self.finalized_seen.contains(&finalized) {
			let (number, _) = self.learn(finalized)?;
			let floor = match self.finalized_number {
				Some(f) => Some(f),
				// First poll: blocks finalized before the run are not walked.
				None => Some(number.saturating_sub(1)),
			};
			if floor.is_some_and(|f| number > f) {
				let path = self.new_path(finalized, floor, false)?;
				let now = self.now();
				let mut obs = lock(&self.observations);
				for hash in path {
					if let Some((_, _, ours)) = self.known.get(&hash) {
						for i in ours {
							obs.included.entry(*i).or_insert(now);
							obs.finalized.entry(*i).or_insert(now);
						}
					}
					if let Some(b) = obs.blocks.get_mut(&hash) {
						b.finalized_at.get_or_insert(now);
					}
					self.finalized_seen.insert(hash);
				}
				self.finalized_number = Some(number);
			}
		}
		Ok(())
	}

	/// Polls every `interval` until `stop` is set.
	pub fn run(mut self, interval: Duration, stop: Arc<AtomicBool>) {
		while !stop.load(Ordering::Relaxed) {
			let started = Instant::now();
			if let Err(e) = self.poll() {
				let message = format!("{:.1}s: {e:#}", self.now());
				self.lock().errors.push(message);
			}
			if let Some(rest) = interval.checked_sub(started.elapsed()) {
				std::thread::sleep(rest);
			}
		}
	}
}
