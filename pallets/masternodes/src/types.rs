//! Masternode records and the pure arithmetic of PoSe scores and income estimates.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt::Debug;
use kmcc_primitives::Balance;
use polkadot_sdk::sp_runtime::{
	traits::{Bounded, Zero},
	FixedPointNumber, FixedU128,
};
use scale_info::TypeInfo;

/// Index of a masternode, assigned at registration, never reused.
pub type MasternodeId = u32;

/// The floor of the PoSe ban threshold (Dash: `max(100, number of masternodes)`).
pub const MIN_BAN_THRESHOLD: u32 = 100;

/// The longest heartbeat period (blocks), so that one missed period never bans.
pub const MAX_HEARTBEAT_PERIOD: u64 = 50;

/// Whether a masternode earns.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen, Debug)]
pub enum MasternodeStatus<BlockNumber> {
	/// Proving service; in the payment queue.
	Enabled,
	/// PoSe score reached the threshold at `since`; not paid until revived.
	Banned { since: BlockNumber },
	/// Deregistered; the collateral is released from block `unlocks_at`.
	Unbonding { unlocks_at: BlockNumber },
}

/// A registered masternode.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen, Debug)]
pub struct Masternode<AccountId, OperatorId, BlockNumber, Endpoint> {
	/// Who registered it and whose collateral is held.
	pub owner: AccountId,
	/// The key its node signs heartbeats with (key type `mnod`).
	pub operator: OperatorId,
	/// Where its rewards go.
	pub payout: AccountId,
	/// Its service endpoint (e.g. `/dns/mn1.example.com/tcp/30333` or a URL).
	pub endpoint: Endpoint,
	/// Collateral held at registration.
	pub collateral: Balance,
	/// Block of registration.
	pub registered_at: BlockNumber,
	/// Last block a heartbeat (or registration/revive) proved service.
	pub last_heartbeat: BlockNumber,
	/// PoSe score as of `score_updated_at` (decays by one per block).
	pub pose_score: u32,
	/// Block `pose_score` was last written.
	pub score_updated_at: BlockNumber,
	/// Enabled, banned or unbonding.
	pub status: MasternodeStatus<BlockNumber>,
}

/// A masternode's entry in the payment queue, which is ordered by `(last_paid, id)`: paid
/// longest ago first, ties by registration. Banned masternodes keep their place but are
/// skipped.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen, Debug)]
pub struct QueueEntry<BlockNumber> {
	/// The masternode.
	pub id: MasternodeId,
	/// Its last payment (registration or revive block before the first); kept only here,
	/// the one place the queue order needs it.
	pub last_paid: BlockNumber,
	/// Whether it is enabled (so payment needs no extra read).
	pub enabled: bool,
}

/// What a masternode's node signs to prove service.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug,
)]
pub struct Heartbeat<BlockNumber> {
	/// The masternode.
	pub masternode: MasternodeId,
	/// The block the heartbeat was made at; only recent heartbeats are accepted.
	pub block_number: BlockNumber,
}

/// `max(100, t)`: the score at which a masternode is banned, `t` registered masternodes.
pub fn ban_threshold(registered: u32) -> u32 {
	registered.max(MIN_BAN_THRESHOLD)
}

/// The penalty for one missed heartbeat period of `period` blocks: `⌈(threshold + period) / 2⌉`.
///
/// Checks come every `period` blocks and the score decays by `period` in between, so two
/// consecutive misses reach `2p − period ≥ threshold` (ban), while one miss stays below the
/// threshold (`p < threshold` because `period ≤ 50 < threshold`, enforced at genesis) and
/// decays away after `p` blocks.
pub fn miss_penalty(threshold: u32, period: u32) -> u32 {
	threshold.saturating_add(period).div_ceil(2)
}

/// The score `elapsed` blocks after it was `score`: it decays by one per block.
pub fn decayed_score(score: u32, elapsed: u64) -> u32 {
	let elapsed = u32::try_from(elapsed).unwrap_or(u32::MAX);
	score.saturating_sub(elapsed)
}

/// Expected income of an operator with `n` of `t` enabled masternodes.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct IncomeEstimate {
	/// Masternodes counted (`n`).
	pub masternodes: u32,
	/// Enabled masternodes on chain (`t`).
	pub enabled_masternodes: u32,
	/// The masternode share of a block's emission now (`r · a`).
	pub share_per_block: Balance,
	/// Blocks per day (`b`).
	pub blocks_per_day: u32,
	/// `(n / t) · r · b · a`, in planck per day.
	pub daily_income: Balance,
	/// `(n/t · r · b · a · 365) / (n · collateral)`: yearly income over the collateral locked.
	pub annual_roi: FixedU128,
}

/// The design §4 formulas. `t` counts `n` itself if the operator's masternodes are not yet
/// enabled, so the estimate never divides by zero or exceeds the whole share.
pub fn estimate_income(
	n: u32,
	enabled: u32,
	share_per_block: Balance,
	blocks_per_day: u32,
	collateral: Balance,
) -> IncomeEstimate {
	let t = enabled.max(n).max(1);
	let daily_share = share_per_block.saturating_mul(u128::from(blocks_per_day));
	let daily_income =
		daily_share.saturating_mul(u128::from(n)).checked_div(u128::from(t)).unwrap_or(0);
	let locked = collateral.saturating_mul(u128::from(n));
	let annual_roi = if locked == 0 {
		FixedU128::zero()
	} else {
		FixedU128::checked_from_rational(daily_income.saturating_mul(365), locked)
			.unwrap_or_else(FixedU128::max_value)
	};
	IncomeEstimate {
		masternodes: n,
		enabled_masternodes: enabled,
		share_per_block,
		blocks_per_day,
		daily_income,
		annual_roi,
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn two_consecutive_misses_ban_and_one_decays() {
		for period in [2u32, 10, 50] {
			for t in [1u32, 100, 250, 1_000] {
				let threshold = ban_threshold(t);
				let penalty = miss_penalty(threshold, period);
				let after_first = penalty;
				assert!(after_first < threshold, "one miss does not ban");
				let after_second = decayed_score(after_first, period.into()) + penalty;
				assert!(after_second >= threshold, "period {period}, t {t}");
				// An isolated miss is forgotten after `penalty` blocks.
				assert_eq!(decayed_score(penalty, penalty.into()), 0);
			}
		}
		assert_eq!(ban_threshold(7), 100);
		assert_eq!(ban_threshold(300), 300);
		assert_eq!(miss_penalty(100, 10), 55);
	}

	#[test]
	fn income_follows_the_spec_formula() {
		let share = 192_505_133_470_225_872_690u128; // 45 % of block 1's reward
		let e = estimate_income(2, 8, share, 43_200, 1_000 * 10u128.pow(18));
		assert_eq!(e.daily_income, share * 43_200 * 2 / 8);
		let expected =
			FixedU128::checked_from_rational(e.daily_income * 365, 2_000 * 10u128.pow(18));
		assert_eq!(Some(e.annual_roi), expected);
		// n alone, nothing enabled yet: the whole share.
		assert_eq!(estimate_income(1, 0, 10, 5, 1).daily_income, 50);
		assert_eq!(estimate_income(0, 3, 10, 5, 1).daily_income, 0);
		assert_eq!(estimate_income(1, 1, 10, 5, 0).annual_roi, FixedU128::zero());
	}
}
