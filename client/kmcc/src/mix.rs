//! The mixing pool on the wallet side: the deposits a wallet made, decoy selection for rings,
//! and the request a relayer accepts.
//!
//! ## Deposit keys
//!
//! Every deposit key is derived from the wallet's mixing seed (`<wallet>/mix/seed.json`, a
//! keystore file) with `kmcc_privacy::mixer::deposit_secret(seed, genesis, denomination,
//! counter)`, so the seed alone recovers every deposit. `<wallet>/mix/deposits.json` lists
//! them (public data: denomination, counter, key, pool index) and whether they were withdrawn.
//!
//! ## Decoys
//!
//! A ring is the real deposit plus `n − 1` decoys from the same pool. If decoys were drawn
//! uniformly, the real member would stand out by age: people withdraw soon after depositing
//! more often than late. [`select_ring`] therefore draws each decoy's *age* from Monero's
//! spend-age distribution (Möser et al. 2018, Monero since v0.13): `ln(age in seconds) ~
//! Gamma(shape 19.28, rate 1.61)`, median ≈ 1.8 days. The age becomes a target block (2 s
//! blocks) and the decoy is the newest deposit made at or before it. An age older than the
//! pool is drawn again; after 100 such draws (a young pool, where every deposit is "recent")
//! the decoy is uniform over the pool. Indices are sent sorted, so the position in the ring
//! says nothing either. The real member is thus hidden among decoys distributed like real
//! spends, which is what the distribution was fitted for.

use anyhow::{bail, Result};
use rand::Rng;
use rand_distr::{Distribution, Gamma};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Shape of Monero's decoy-age distribution (of the logarithm of the age in seconds).
pub const GAMMA_SHAPE: f64 = 19.28;
/// Rate of Monero's decoy-age distribution.
pub const GAMMA_RATE: f64 = 1.61;
/// Seconds per block.
pub const BLOCK_SECONDS: f64 = 2.0;
/// Draws of an age before falling back to a uniform decoy.
const AGE_DRAWS: usize = 100;

/// A deposit this wallet made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositEntry {
	/// Its number in this wallet.
	pub id: u32,
	/// The pool (planck, as a string).
	pub denomination: String,
	/// Which derivation of the seed (per denomination).
	pub counter: u32,
	/// The ring key (hex).
	pub key: String,
	/// Its index in the pool (none while the deposit was not confirmed).
	pub index: Option<u32>,
	/// The account that paid it.
	pub from: String,
	/// The block hash of the withdrawal, once withdrawn.
	pub withdrawn: Option<String>,
}

/// `<wallet>/mix/deposits.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deposits {
	/// Every deposit, by id.
	pub deposits: Vec<DepositEntry>,
}

impl Deposits {
	/// The next seed counter for `denomination`.
	pub fn next_counter(&self, denomination: u128) -> u32 {
		let denomination = denomination.to_string();
		self.deposits
			.iter()
			.filter(|d| d.denomination == denomination)
			.map(|d| d.counter + 1)
			.max()
			.unwrap_or(0)
	}

	/// The next deposit id.
	pub fn next_id(&self) -> u32 {
		self.deposits.iter().map(|d| d.id + 1).max().unwrap_or(0)
	}
}

/// A withdrawal as a relayer receives it (JSON over JSON-RPC `mix_relay`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayRequest {
	/// The pool (planck, as a string).
	pub denomination: String,
	/// The ring's pool indices, strictly increasing.
	pub ring: Vec<u32>,
	/// The recipient (SS58).
	pub recipient: String,
	/// The relayer (SS58): must be the relayer's own account.
	pub relayer: String,
	/// The relayer's fee (planck, as a string).
	pub fee: String,
	/// The stealth announcement of a one-time recipient: `(R hex, view tag)`.
	pub announcement: Option<(String, u8)>,
	/// The ring signature (hex).
	pub signature: String,
}

/// What a relayer charges and where the fee goes (JSON-RPC `mix_relayerInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayerInfo {
	/// The relayer's account (SS58).
	pub account: String,
	/// Its fee per withdrawal (planck, as a string).
	pub fee: String,
}

/// A relayed withdrawal's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayReceipt {
	/// The finalized block that includes it.
	pub block: String,
	/// The spent key image (hex).
	pub key_image: String,
}

/// Draws one age in blocks from Monero's decoy-age distribution.
pub fn draw_age_blocks(rng: &mut impl Rng) -> u64 {
	// Both parameters are positive constants, so the distribution exists.
	let gamma = Gamma::new(GAMMA_SHAPE, 1.0 / GAMMA_RATE).expect("valid gamma parameters");
	let seconds = gamma.sample(rng).exp();
	(seconds / BLOCK_SECONDS).min(u64::MAX as f64) as u64
}

/// Picks a ring of `size` pool indices containing `real`, from a pool whose deposits were
/// made at `blocks[i]` (non-decreasing, index `i`), at block `now`; see the module doc.
/// Returns the indices sorted.
pub fn select_ring(
	blocks: &[u32],
	real: u32,
	size: usize,
	now: u32,
	rng: &mut impl Rng,
) -> Result<Vec<u32>> {
	let pool = blocks.len();
	if (real as usize) >= pool {
		bail!("deposit {real} is not in the pool of {pool}");
	}
	if size < 2 || size > pool {
		bail!("a ring of {size} needs at least {size} deposits in the pool; it has {pool}");
	}
	let mut ring = BTreeSet::from([real]);
	while ring.len() < size {
		let mut chosen = None;
		for _ in 0..AGE_DRAWS {
			let age = draw_age_blocks(rng);
			let Some(target) = u64::from(now).checked_sub(age) else { continue };
			// The newest deposit made at or before `target`.
			let newer = blocks.partition_point(|b| u64::from(*b) <= target);
			if newer == 0 {
				continue;
			}
			let candidate = (newer - 1) as u32;
			if !ring.contains(&candidate) {
				chosen = Some(candidate);
			}
			break;
		}
		let decoy = chosen.unwrap_or_else(|| rng.gen_range(0..pool as u32));
		ring.insert(decoy);
	}
	Ok(ring.into_iter().collect())
}

#[cfg(test)]
mod tests {
	use super::*;
	use rand::{rngs::StdRng, SeedableRng};

	#[test]
	fn rings_have_the_real_member_and_distinct_sorted_indices() {
		let mut rng = StdRng::seed_from_u64(7);
		let blocks: Vec<u32> = (0..40).map(|i| i * 3).collect();
		for real in [0, 17, 39] {
			for size in [2, 16, 40] {
				let ring = select_ring(&blocks, real, size, 200, &mut rng).unwrap();
				assert_eq!(ring.len(), size);
				assert!(ring.contains(&real));
				assert!(ring.windows(2).all(|p| p[0] < p[1]));
			}
		}
		assert!(select_ring(&blocks, 40, 2, 200, &mut rng).is_err());
		assert!(select_ring(&blocks, 0, 41, 200, &mut rng).is_err());
		assert!(select_ring(&blocks, 0, 1, 200, &mut rng).is_err());
	}

	#[test]
	fn ages_follow_the_monero_distribution() {
		let mut rng = StdRng::seed_from_u64(11);
		let mut ages: Vec<u64> = (0..20_000).map(|_| draw_age_blocks(&mut rng)).collect();
		ages.sort();
		// The median of ln(age) is ≈ (shape − 1/3) / rate = 11.77, i.e. about 129,000 s.
		let median_seconds = ages[ages.len() / 2] as f64 * BLOCK_SECONDS;
		assert!((100_000.0..170_000.0).contains(&median_seconds), "{median_seconds}");
	}

	#[test]
	fn decoys_in_an_old_pool_favour_recent_deposits() {
		// A deposit every 10 minutes for 60 days: 8,640 deposits.
		let step = 300u32;
		let blocks: Vec<u32> = (0..8_640u32).map(|i| i * step).collect();
		let now = 8_640 * step;
		let mut rng = StdRng::seed_from_u64(3);
		let mut last_week = 0usize;
		let mut total = 0usize;
		for _ in 0..200 {
			for index in select_ring(&blocks, 0, 16, now, &mut rng).unwrap() {
				if index == 0 {
					continue;
				}
				total += 1;
				if blocks[index as usize] + 7 * 43_200 >= now {
					last_week += 1;
				}
			}
		}
		// Uniform would put 7/60 ≈ 12 % of decoys in the last week; the spend-age
		// distribution puts most of them there.
		assert!(last_week * 2 > total, "{last_week} of {total}");
	}
}
