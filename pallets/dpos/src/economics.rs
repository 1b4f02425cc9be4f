//! Pure functions of the DPoS economics: election, snake grouping, voting right, the reward
//! split and the slash split. No storage access, so each is property-tested on its own.

use alloc::vec::Vec;
use kmcc_primitives::Balance;
use polkadot_sdk::sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding, Perbill, Rounding,
};

/// Fixed-point scale of the per-lease reward accumulator: rewards per planck leased are kept
/// in units of 10⁻²⁷ planck, so the rounding loss of one distribution is below one planck for
/// any lease total under 10⁹ KMCC, and 20 years of blocks cannot overflow a `u128`.
pub const REWARD_SCALE: u128 = 1_000_000_000_000_000_000_000_000_000;

/// `a · b / c`, rounded down, with a 256-bit intermediate; `0` when `c = 0`.
pub fn mul_div(a: u128, b: u128, c: u128) -> u128 {
	if c == 0 {
		return 0;
	}
	multiply_by_rational_with_rounding(a, b, c, Rounding::Down).unwrap_or(u128::MAX)
}

/// The top `seats` of `candidates` (account, backing) by backing, highest first; equal
/// backing is ordered by account (ascending), so every node computes the same committee.
pub fn elect<A: Ord + Clone>(mut candidates: Vec<(A, Balance)>, seats: usize) -> Vec<(A, Balance)> {
	candidates.sort_by(|(a, x), (b, y)| y.cmp(x).then_with(|| a.cmp(b)));
	candidates.truncate(seats);
	candidates
}

/// Splits an elected committee (highest backing first) into `groups` groups in snake order:
/// members 0, 1, …, g−1 go to groups 0, 1, …, g−1, members g, …, 2g−1 to groups g−1, …, 0,
/// and so on. Each group gets one member of every "round" of `g`, alternately from the strong
/// and the weak end, which keeps the groups' total backing close. `groups` is clamped to
/// `1..=committee.len()`, so no group is empty.
pub fn snake_groups<A: Clone>(committee: &[(A, Balance)], groups: usize) -> Vec<Vec<(A, Balance)>> {
	let g = groups.clamp(1, committee.len().max(1));
	let mut out: Vec<Vec<(A, Balance)>> = (0..g).map(|_| Vec::new()).collect();
	for (i, member) in committee.iter().enumerate() {
		let (round, pos) = (i / g, i % g);
		let group = if round % 2 == 0 { pos } else { g.saturating_sub(1).saturating_sub(pos) };
		if let Some(slot) = out.get_mut(group) {
			slot.push(member.clone());
		}
	}
	out.retain(|group| !group.is_empty());
	out
}

/// The voting right of a group member for ordering the session's authors:
///
/// `f(b, w, u) = b · (1 + w) + b · u / 8192`, with `b` the member's backing, `w` the sessions
/// since it last authored a block, and `u ∈ [0, 1024)` ten bits of on-chain randomness.
///
/// Backing counts linearly, waiting multiplies it (a member with a quarter of the backing
/// overtakes after waiting three sessions more), and randomness adds up to 12.5 % of `b`, so
/// near-equal members swap places unpredictably but a clearly stronger one is not overtaken
/// by chance alone.
pub fn voting_right(backing: Balance, waited: u32, entropy: u16) -> u128 {
	let jitter = mul_div(backing, u128::from(entropy % 1024), 8192);
	backing.saturating_mul(u128::from(waited).saturating_add(1)).saturating_add(jitter)
}

/// How one reward for a candidate's block is divided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RewardSplit {
	/// Commission plus the share of the candidate's own deposit: paid to the candidate now.
	pub to_candidate: Balance,
	/// The lessors' share, pro rata to their leases: put into the reward pot.
	pub to_lessors: Balance,
	/// Increase of the candidate's reward-per-planck-leased accumulator (× [`REWARD_SCALE`]).
	pub per_lease_increase: u128,
}

/// Splits `reward` between a candidate with `deposit` and `commission` and its lessors with
/// `leased` in total: `commission · reward` to the candidate, the rest pro rata to stake, the
/// candidate's own deposit counting as its own lease. All rounding favours the candidate's
/// part, so the lessors' part never exceeds what their accumulator entitles them to.
pub fn split_reward(
	reward: Balance,
	deposit: Balance,
	leased: Balance,
	commission: Perbill,
) -> RewardSplit {
	if leased == 0 {
		return RewardSplit { to_candidate: reward, to_lessors: 0, per_lease_increase: 0 };
	}
	let commission_part = commission.mul_floor(reward);
	let rest = reward.saturating_sub(commission_part);
	let stake = deposit.saturating_add(leased);
	let to_lessors = mul_div(rest, leased, stake);
	let per_lease_increase = mul_div(to_lessors, REWARD_SCALE, leased);
	RewardSplit { to_candidate: reward.saturating_sub(to_lessors), to_lessors, per_lease_increase }
}

/// A lessor's reward accrued on `lease` since its accumulator snapshot, rounded down.
pub fn pending_reward(lease: Balance, accumulator: u128, snapshot: u128) -> Balance {
	mul_div(lease, accumulator.saturating_sub(snapshot), REWARD_SCALE)
}

/// Divides a slashed amount: `reporter_share` of it among the `reporters` in equal parts (the
/// first reporter also gets the remainder of the division), the rest to the slash destination.
/// Returns (per-reporter amounts, rest); without reporters everything is the rest.
pub fn split_slash(
	slashed: Balance,
	reporter_share: Perbill,
	reporters: usize,
) -> (Vec<Balance>, Balance) {
	if reporters == 0 {
		return (Vec::new(), slashed);
	}
	let to_reporters = reporter_share.mul_floor(slashed);
	let count = reporters as u128;
	let each = to_reporters / count;
	let first = each.saturating_add(to_reporters % count);
	let mut parts = Vec::with_capacity(reporters);
	parts.push(first);
	parts.extend(core::iter::repeat_n(each, reporters.saturating_sub(1)));
	(parts, slashed.saturating_sub(to_reporters))
}

#[cfg(test)]
mod tests {
	use super::*;
	use kmcc_primitives::currency::KMCC;
	use proptest::prelude::*;

	#[test]
	fn election_takes_the_top_by_backing_and_breaks_ties_by_account() {
		let elected = elect(vec![(3u64, 50), (1, 70), (2, 50), (4, 90), (5, 10)], 3);
		assert_eq!(elected, vec![(4, 90), (1, 70), (2, 50)]);
		assert_eq!(elect(vec![(1u64, 5)], 3), vec![(1, 5)]);
	}

	#[test]
	fn snake_order_balances_the_groups() {
		let committee: Vec<(u64, Balance)> = (1..=6).map(|i| (i, 100 - i as u128 * 10)).collect();
		let groups = snake_groups(&committee, 3);
		let ids: Vec<Vec<u64>> =
			groups.iter().map(|g| g.iter().map(|(a, _)| *a).collect()).collect();
		assert_eq!(ids, vec![vec![1, 6], vec![2, 5], vec![3, 4]]);
		// 90 + 40, 80 + 50, 70 + 60: equal totals.
		let totals: Vec<Balance> = groups.iter().map(|g| g.iter().map(|(_, b)| b).sum()).collect();
		assert_eq!(totals, vec![130, 130, 130]);
		// More groups than members: one member per group, none empty.
		assert_eq!(snake_groups(&committee[..2], 3).len(), 2);
		assert!(snake_groups::<u64>(&[], 3).is_empty());
	}

	#[test]
	fn voting_right_favours_backing_and_waiting_and_is_deterministic() {
		assert_eq!(voting_right(1000, 0, 0), 1000);
		assert_eq!(voting_right(1000, 2, 0), 3000);
		assert_eq!(voting_right(8192, 0, 1023), 8192 + 1023);
		// The randomness term wraps at 1024 and never exceeds 12.5 %.
		assert_eq!(voting_right(8192, 0, 1024), 8192);
		// A member with a quarter of the backing overtakes after waiting 3 sessions more.
		assert!(voting_right(250, 4, 0) > voting_right(1000, 0, 1023));
		assert!(voting_right(250, 2, 1023) < voting_right(1000, 0, 0));
	}

	#[test]
	fn reward_split_is_exact_to_the_planck() {
		// 100 KMCC reward, 10 % commission, deposit 300, leases 100 + 600 = 700.
		let split = split_reward(100 * KMCC, 300 * KMCC, 700 * KMCC, Perbill::from_percent(10));
		// Rest 90 KMCC; lessors hold 70 % of the stake: 63 KMCC.
		assert_eq!(split.to_lessors, 63 * KMCC);
		assert_eq!(split.to_candidate, 37 * KMCC);
		assert_eq!(pending_reward(100 * KMCC, split.per_lease_increase, 0), 9 * KMCC);
		assert_eq!(pending_reward(600 * KMCC, split.per_lease_increase, 0), 54 * KMCC);
		// No lessors: everything to the candidate.
		let alone = split_reward(7, 5, 0, Perbill::from_percent(50));
		assert_eq!(alone, RewardSplit { to_candidate: 7, to_lessors: 0, per_lease_increase: 0 });
	}

	#[test]
	fn slash_split_pays_reporters_and_sends_the_rest_on() {
		assert_eq!(split_slash(100, Perbill::from_percent(100), 1), (vec![100], 0));
		assert_eq!(split_slash(100, Perbill::from_percent(50), 3), (vec![18, 16, 16], 50));
		assert_eq!(split_slash(100, Perbill::from_percent(100), 0), (vec![], 100));
	}

	proptest! {
		#[test]
		fn election_is_the_sorted_prefix(
			backing in proptest::collection::vec(0u128..1_000, 0..40),
			seats in 0usize..30,
		) {
			let candidates: Vec<(u32, Balance)> =
				backing.iter().enumerate().map(|(i, b)| (i as u32, *b)).collect();
			let elected = elect(candidates.clone(), seats);
			prop_assert_eq!(elected.len(), seats.min(candidates.len()));
			// Nobody left out has more backing than anybody elected.
			if let Some(min_in) = elected.iter().map(|(_, b)| *b).min() {
				for (a, b) in &candidates {
					if !elected.iter().any(|(e, _)| e == a) {
						prop_assert!(*b <= min_in);
					}
				}
			}
			prop_assert_eq!(elect(candidates.into_iter().rev().collect(), seats), elected);
		}

		#[test]
		fn snake_groups_partition_and_stay_balanced(
			backing in proptest::collection::vec(1u128..1_000_000, 1..40),
			groups in 1usize..8,
		) {
			let committee = elect(
				backing.iter().enumerate().map(|(i, b)| (i as u32, *b)).collect(),
				backing.len(),
			);
			let split = snake_groups(&committee, groups);
			prop_assert_eq!(split.len(), groups.min(committee.len()));
			let mut members: Vec<u32> = split.iter().flatten().map(|(a, _)| *a).collect();
			members.sort();
			prop_assert_eq!(members, (0..committee.len() as u32).collect::<Vec<_>>());
			// Sizes differ by at most one, totals by at most the largest backing.
			let sizes: Vec<usize> = split.iter().map(|g| g.len()).collect();
			let (largest, smallest) = (sizes.iter().max().copied(), sizes.iter().min().copied());
			prop_assert!(largest.unwrap_or(0) - smallest.unwrap_or(0) <= 1);
			let totals: Vec<u128> = split.iter().map(|g| g.iter().map(|(_, b)| b).sum()).collect();
			let top = committee.first().map(|(_, b)| *b).unwrap_or(0);
			let (most, least) = (totals.iter().max().copied(), totals.iter().min().copied());
			prop_assert!(most.unwrap_or(0) - least.unwrap_or(0) <= top);
		}

		#[test]
		fn reward_split_conserves_and_pays_lessors_pro_rata(
			reward in 0u128..1_000_000 * KMCC,
			deposit in 1u128..1_000_000 * KMCC,
			leases in proptest::collection::vec(1u128..1_000_000 * KMCC, 1..10),
			commission in 0u32..=1_000_000_000,
		) {
			let leased: u128 = leases.iter().sum();
			let commission = Perbill::from_parts(commission);
			let split = split_reward(reward, deposit, leased, commission);
			prop_assert_eq!(split.to_candidate + split.to_lessors, reward);
			let paid: u128 =
				leases.iter().map(|l| pending_reward(*l, split.per_lease_increase, 0)).sum();
			// Lessors never get more than their part, and lose less than a planck each.
			prop_assert!(paid <= split.to_lessors);
			prop_assert!(split.to_lessors - paid <= leases.len() as u128);
			// The candidate got at least its commission.
			prop_assert!(split.to_candidate >= commission.mul_floor(reward));
		}
	}
}
