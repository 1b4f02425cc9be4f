//! The halving emission schedule as pure functions of the block number.
//!
//! Emission starts at block 1 (the genesis block has no author). With `P` blocks per period,
//! block `n ≥ 1` has the zero-based index `i = n − 1` and lies in period `k = ⌊i / P⌋` at
//! offset `o = i mod P`. Period `k < N − 1` emits `E_k = ⌊T / 2^(k+1)⌋`; the last period emits
//! what is left, `E_(N−1) = T − Σ_(j<N−1) E_j`, so the whole schedule emits exactly `T`. Inside a
//! period every block gets `⌊E_k / P⌋` and the first `E_k mod P` blocks one planck more:
//!
//! ```text
//! reward_at(n)       = ⌊E_k / P⌋ + [o < E_k mod P]                  (0 for n = 0 or k ≥ N)
//! minted_through(n)  = Σ_(j<k) E_j + (o+1)·⌊E_k / P⌋ + min(o+1, E_k mod P)
//! ```
//!
//! Nothing here touches storage, so tests can ask about any block of the 20 years without
//! running it, and the runtime computes a block's reward in a few dozen integer operations.

use codec::{Decode, Encode, MaxEncodedLen};
use core::fmt::Debug;
use kmcc_primitives::{currency::KMCC, time::MILLISECS_PER_BLOCK, Balance};
use scale_info::TypeInfo;

/// Length of a halving period: a third of a 365.25-day year, 10,519,200 s (design §2).
pub const HALVING_PERIOD_MILLISECS: u64 = 10_519_200_000;

/// The KMCC schedule (design §2): 4.5 B KMCC over 60 periods of 5,259,600 blocks (20 years).
pub const KMCC_EMISSION_SCHEDULE: EmissionSchedule = EmissionSchedule {
	total: 4_500_000_000 * KMCC,
	period_blocks: HALVING_PERIOD_MILLISECS / MILLISECS_PER_BLOCK,
	periods: 60,
};

/// A halving schedule: `total` planck over `periods` periods of `period_blocks` blocks.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen, Debug)]
pub struct EmissionSchedule {
	/// Planck emitted over the whole schedule.
	pub total: Balance,
	/// Blocks per halving period (`P`).
	pub period_blocks: u64,
	/// Number of periods (`N`); the last one emits the remainder.
	pub periods: u32,
}

/// Where a block lies in the schedule.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SchedulePosition {
	/// The halving period (`k`).
	pub period: u32,
	/// Blocks since the start of the period (`o`), 0 for its first block.
	pub offset: u64,
}

impl EmissionSchedule {
	/// The schedule's period and offset of block `n`, or `None` for the genesis block and
	/// every block after the last period.
	pub fn position(&self, n: u64) -> Option<SchedulePosition> {
		let index = n.checked_sub(1)?;
		let period = index.checked_div(self.period_blocks)?;
		let offset = index.checked_rem(self.period_blocks)?;
		let period = u32::try_from(period).ok().filter(|k| *k < self.periods)?;
		Some(SchedulePosition { period, offset })
	}

	/// `E_k`, the planck period `k` emits; 0 for `k ≥ N`.
	pub fn period_emission(&self, period: u32) -> Balance {
		let last = self.periods.saturating_sub(1);
		if period < last {
			self.halved(period)
		} else if period == last {
			self.total.saturating_sub(self.emitted_before(last))
		} else {
			0
		}
	}

	/// The reward of block `n`.
	pub fn reward_at(&self, n: u64) -> Balance {
		let Some(SchedulePosition { period, offset }) = self.position(n) else { return 0 };
		let (base, remainder) = self.per_block(period);
		let extra = u128::from(u128::from(offset) < remainder);
		base.saturating_add(extra)
	}

	/// The planck emitted by blocks `1..=n`.
	pub fn minted_through(&self, n: u64) -> Balance {
		if n == 0 {
			return 0;
		}
		let Some(SchedulePosition { period, offset }) = self.position(n) else {
			return self.total_emission();
		};
		let (base, remainder) = self.per_block(period);
		let blocks = u128::from(offset.saturating_add(1));
		self.emitted_before(period)
			.saturating_add(blocks.saturating_mul(base))
			.saturating_add(blocks.min(remainder))
	}

	/// The sum of all periods: `total` unless the schedule is degenerate (no periods).
	pub fn total_emission(&self) -> Balance {
		self.emitted_before(self.periods)
	}

	/// The first block of period `period`.
	pub fn period_start(&self, period: u32) -> u64 {
		u64::from(period).saturating_mul(self.period_blocks).saturating_add(1)
	}

	/// The last block that emits anything.
	pub fn last_emission_block(&self) -> u64 {
		u64::from(self.periods).saturating_mul(self.period_blocks)
	}

	/// The first block after `n` whose reward is a new period's (the next halving), or `None`
	/// once `n` is in the last period.
	pub fn next_halving_block(&self, n: u64) -> Option<u64> {
		let current = match self.position(n) {
			Some(position) => position.period,
			// Before block 1 the next boundary is period 1's start.
			None if n == 0 => 0,
			None => return None,
		};
		let next = current.checked_add(1).filter(|k| *k < self.periods)?;
		Some(self.period_start(next))
	}

	/// `Σ_(j<k) E_j`.
	fn emitted_before(&self, period: u32) -> Balance {
		let halved = period.min(self.periods.saturating_sub(1));
		let mut sum = (0..halved).fold(0u128, |sum, j| sum.saturating_add(self.halved(j)));
		if period >= self.periods && self.periods > 0 {
			// The last period tops the sum up to `total`.
			sum = self.total.max(sum);
		}
		sum
	}

	/// `⌊T / 2^(k+1)⌋`.
	fn halved(&self, period: u32) -> Balance {
		period.checked_add(1).and_then(|shift| self.total.checked_shr(shift)).unwrap_or(0)
	}

	/// `(⌊E_k / P⌋, E_k mod P)`.
	fn per_block(&self, period: u32) -> (Balance, Balance) {
		let emission = self.period_emission(period);
		let blocks = u128::from(self.period_blocks);
		(emission.checked_div(blocks).unwrap_or(0), emission.checked_rem(blocks).unwrap_or(0))
	}
}
