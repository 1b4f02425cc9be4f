//! The economics as pure functions (property-tested without a runtime).
//!
//! Units: sizes in MiB, time in milliseconds of the chain's rent clock, capacities to sell
//! and sold in **MiB-ms** (1 MiB-day = [`DAY_MS`] MiB-ms), so the per-block consumption
//! `ActiveMiB · Δt` is an exact integer. Prices are planck per MiB-day. Every rounding is in
//! favour of the pool: prices and costs round up, releases from the pool round down.

use kmcc_primitives::Balance;
use polkadot_sdk::sp_arithmetic::{
	helpers_128bit::multiply_by_rational_with_rounding, per_things::Rounding, PerThing, Perbill,
};

/// One day in milliseconds: 1 MiB-day = `DAY_MS` MiB-ms.
pub const DAY_MS: u64 = 86_400_000;
/// Longest order: spaces are bought for at most a year (Contattract 3.3.4), so the world
/// disk sells at most `T = 365 · W` MiB-days at any time.
pub const MAX_ORDER_DAYS: u32 = 365;
/// Chunks of 1 MiB are assigned to landlords in groups of 64 (one bit each in a `u64` mask):
/// a copy group stores 64 MiB on each member.
pub const GROUP_CHUNKS: u32 = 64;
/// Bytes of a chunk (1 MiB): a space of `n` MiB holds `n · CHUNK_BYTES` bytes.
pub const CHUNK_BYTES: u64 = 1 << 20;
/// 1 GiB in MiB: collateral is priced per started GiB of capacity.
pub const MIB_PER_GIB: u32 = 1024;

/// `T`, the MiB-ms the world disk of `world_disk_mib` can sell: `365 · W` MiB-days.
pub fn sellable(world_disk_mib: u64) -> u128 {
	u128::from(world_disk_mib)
		.saturating_mul(u128::from(MAX_ORDER_DAYS))
		.saturating_mul(u128::from(DAY_MS))
}

/// The Bancor price `p = M / (c · R)` in planck per MiB-day, `R` given in MiB-ms:
/// `p = ⌈M · DAY_MS / (c · R)⌉`, at least 1 planck.
///
/// `None` when nothing is left to sell (`R = 0`) or `c = 0`.
pub fn price(pool: Balance, reserve_ratio: Perbill, remaining_mib_ms: u128) -> Option<Balance> {
	let parts = u128::from(reserve_ratio.deconstruct());
	let denominator = parts.checked_mul(remaining_mib_ms).filter(|d| *d > 0)?;
	let scale = u128::from(DAY_MS).saturating_mul(u128::from(Perbill::ACCURACY));
	// A pool so large that the price does not fit in a `u128` makes space unaffordable.
	let p = multiply_by_rational_with_rounding(pool, scale, denominator, Rounding::Up)
		.unwrap_or(Balance::MAX);
	Some(p.max(1))
}

/// The cost of `size_mib` MiB for `duration_ms` at `price` per MiB-day, rounded up.
///
/// `None` on overflow.
pub fn cost(price: Balance, size_mib: u32, duration_ms: u64) -> Option<Balance> {
	let per_ms_day = price.checked_mul(u128::from(size_mib))?;
	multiply_by_rational_with_rounding(
		per_ms_day,
		u128::from(duration_ms),
		u128::from(DAY_MS),
		Rounding::Up,
	)
}

/// `⌊amount · part / whole⌋`, 0 when `whole = 0`; `part ≤ whole` keeps it ≤ `amount`.
///
/// Rent released from the pool is `pro_rata(M, consumed, B)`; the prepaid part of the pool
/// shrinks by `pro_rata(P, consumed, B)`; a landlord's rent is `pro_rata(pot, held, total)`.
pub fn pro_rata(amount: Balance, part: u128, whole: u128) -> Balance {
	if whole == 0 {
		return 0;
	}
	multiply_by_rational_with_rounding(amount, part.min(whole), whole, Rounding::Down).unwrap_or(0)
}

/// Collateral for `capacity_mib`: `per_gib` for every started GiB.
pub fn collateral_for(capacity_mib: u32, per_gib: Balance) -> Balance {
	per_gib.saturating_mul(u128::from(capacity_mib.div_ceil(MIB_PER_GIB)))
}

/// The end of the expiry bucket containing `at` (spaces expire on bucket boundaries, so
/// expiries are processed per bucket, not per space).
pub fn bucket_end(at: u64, bucket_ms: u64) -> u64 {
	if bucket_ms == 0 {
		return at;
	}
	at.div_ceil(bucket_ms).saturating_mul(bucket_ms)
}

/// Votes needed for a copy group of `members` to count a proof: `⌈2 · members / 3⌉`.
pub fn quorum(members: u32) -> u32 {
	members.saturating_mul(2).div_ceil(3)
}

#[cfg(test)]
mod tests {
	use super::*;
	use kmcc_primitives::currency::KMCC;

	#[test]
	fn price_matches_hand_computed_values() {
		let day = u128::from(DAY_MS);
		// M = 1,000 KMCC, c = 20 %, R = 1,000 MiB-days: p = 1000 / (0.2 · 1000) = 5 KMCC.
		assert_eq!(price(1_000 * KMCC, Perbill::from_percent(20), 1_000 * day), Some(5 * KMCC));
		// R = 365 · 64 MiB-days (one empty copy group), M = 73 KMCC:
		// p = 73 / (0.2 · 23,360) = 0.015625 KMCC.
		assert_eq!(
			price(73 * KMCC, Perbill::from_percent(20), 365 * 64 * day),
			Some(15_625_000_000_000_000)
		);
		// Rounds up: 1 planck / (0.2 · 3 MiB-days) = 1.67 → 2.
		assert_eq!(price(1, Perbill::from_percent(20), 3 * day), Some(2));
		// Sold out, or no reserve ratio: no price.
		assert_eq!(price(KMCC, Perbill::from_percent(20), 0), None);
		assert_eq!(price(KMCC, Perbill::zero(), day), None);
		// An empty pool still charges 1 planck.
		assert_eq!(price(0, Perbill::from_percent(20), day), Some(1));
	}

	#[test]
	fn price_rises_as_space_sells() {
		let day = u128::from(DAY_MS);
		let total = 365 * 1_024 * day;
		let m = 10_000 * KMCC;
		let c = Perbill::from_percent(20);
		// A missing price reads as 0 and fails the first assertion.
		let at = |remaining: u128| price(m, c, remaining).unwrap_or_default();
		let (empty, half, ninety) = (at(total), at(total / 2), at(total / 10));
		assert!(empty > 0);
		// Twice and ten times the empty price, within the rounding up of each.
		assert!(half.abs_diff(2 * empty) <= 1);
		assert!(ninety.abs_diff(10 * empty) <= 9);
	}

	/// The README's price curve (M = 100,000 KMCC, W = 1 TiB, c = 20 %).
	#[test]
	fn readme_price_curve() {
		let t = sellable(1_048_576);
		let c = Perbill::from_percent(20);
		let m = 100_000 * KMCC;
		assert_eq!(price(m, c, t), Some(1_306_403_173_159_247));
		assert_eq!(price(m, c, t / 2), Some(2_612_806_346_318_494));
		assert_eq!(price(m, c, t / 10), Some(13_064_031_731_592_466));
	}

	#[test]
	fn cost_and_pro_rata_round_in_favour_of_the_pool() {
		// 3 MiB for a day and a millisecond at 1,000 planck per MiB-day: 3,000.0000347 → 3,001.
		assert_eq!(cost(1_000, 3, DAY_MS + 1), Some(3_001));
		assert_eq!(cost(5 * KMCC, 10, 30 * DAY_MS), Some(1_500 * KMCC));
		assert_eq!(cost(Balance::MAX, 2, DAY_MS), None);
		// 10 / 3 → 3, never more than the whole.
		assert_eq!(pro_rata(10, 1, 3), 3);
		assert_eq!(pro_rata(10, 5, 3), 10);
		assert_eq!(pro_rata(10, 1, 0), 0);
	}

	#[test]
	fn collateral_buckets_and_quorum() {
		assert_eq!(collateral_for(64, 10), 10);
		assert_eq!(collateral_for(1_024, 10), 10);
		assert_eq!(collateral_for(1_025, 10), 20);
		assert_eq!(bucket_end(0, 60_000), 0);
		assert_eq!(bucket_end(1, 60_000), 60_000);
		assert_eq!(bucket_end(60_000, 60_000), 60_000);
		assert_eq!(quorum(4), 3);
		assert_eq!(quorum(3), 2);
		assert_eq!(quorum(2), 2);
		assert_eq!(quorum(1), 1);
		assert_eq!(sellable(64), 64 * 365 * u128::from(DAY_MS));
	}
}
