//! Statistics of a load run: latency percentiles, sustained rates over a window, and
//! per-second series for the chart. Pure functions over seconds since the run started.

use serde::Serialize;

/// The `p`-th percentile (0 < p ≤ 100) of `sorted` by the nearest-rank method: the smallest
/// value with at least `p` % of the samples at or below it. `None` for no samples.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
	if sorted.is_empty() || !(p > 0.0 && p <= 100.0) {
		return None;
	}
	let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
	sorted.get(rank.clamp(1, sorted.len()) - 1).copied()
}

/// Latency distribution in seconds.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LatencySummary {
	/// Samples.
	pub count: usize,
	/// Median.
	pub p50: Option<f64>,
	/// 95th percentile.
	pub p95: Option<f64>,
	/// 99th percentile.
	pub p99: Option<f64>,
	/// Arithmetic mean.
	pub mean: Option<f64>,
	/// Largest sample.
	pub max: Option<f64>,
}

impl LatencySummary {
	/// Summarises `samples` (any order; NaNs are dropped).
	pub fn of(samples: &[f64]) -> Self {
		let mut sorted: Vec<f64> = samples.iter().copied().filter(|s| !s.is_nan()).collect();
		sorted.sort_by(f64::total_cmp);
		let count = sorted.len();
		let mean = (count > 0).then(|| sorted.iter().sum::<f64>() / count as f64);
		Self {
			count,
			p50: percentile(&sorted, 50.0),
			p95: percentile(&sorted, 95.0),
			p99: percentile(&sorted, 99.0),
			mean,
			max: sorted.last().copied(),
		}
	}
}

/// A half-open time window `[from, to)` in seconds since the start of the run.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Window {
	/// Start (end of the warm-up).
	pub from: f64,
	/// End (end of the submission phase).
	pub to: f64,
}

impl Window {
	/// Length in seconds (0 for an empty or inverted window).
	pub fn length(&self) -> f64 {
		(self.to - self.from).max(0.0)
	}

	/// Whether `t` falls in the window.
	pub fn contains(&self, t: f64) -> bool {
		t >= self.from && t < self.to
	}

	/// Events per second of `times` inside the window; 0 for an empty window.
	pub fn rate(&self, times: impl IntoIterator<Item = f64>) -> f64 {
		let length = self.length();
		if length <= 0.0 {
			return 0.0;
		}
		times.into_iter().filter(|t| self.contains(*t)).count() as f64 / length
	}
}

/// Counts of `times` per whole second, from second 0 to `seconds - 1`; later events are
/// dropped.
pub fn per_second(times: impl IntoIterator<Item = f64>, seconds: usize) -> Vec<u64> {
	let mut buckets = vec![0u64; seconds];
	for t in times {
		if t >= 0.0 {
			if let Some(b) = buckets.get_mut(t as usize) {
				*b += 1;
			}
		}
	}
	buckets
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn nearest_rank_percentiles() {
		let sorted: Vec<f64> = (1..=10).map(f64::from).collect();
		assert_eq!(percentile(&sorted, 50.0), Some(5.0));
		assert_eq!(percentile(&sorted, 95.0), Some(10.0));
		assert_eq!(percentile(&sorted, 10.0), Some(1.0));
		assert_eq!(percentile(&sorted, 11.0), Some(2.0));
		assert_eq!(percentile(&sorted, 100.0), Some(10.0));
		assert_eq!(percentile(&sorted, 0.0), None);
		assert_eq!(percentile(&[], 50.0), None);
		assert_eq!(percentile(&[7.0], 99.0), Some(7.0));
		// 100 samples: p99 is the 99th value, not the maximum.
		let hundred: Vec<f64> = (1..=100).map(f64::from).collect();
		assert_eq!(percentile(&hundred, 99.0), Some(99.0));
	}

	#[test]
	fn summary_sorts_and_ignores_nan() {
		let s = LatencySummary::of(&[3.0, f64::NAN, 1.0, 2.0, 4.0]);
		assert_eq!(s.count, 4);
		assert_eq!(s.p50, Some(2.0));
		assert_eq!(s.p95, Some(4.0));
		assert_eq!(s.mean, Some(2.5));
		assert_eq!(s.max, Some(4.0));
		assert_eq!(LatencySummary::of(&[]), LatencySummary::default());
	}

	#[test]
	fn sustained_rate_counts_only_the_window() {
		// 10 events/s for 20 s; a warm-up burst in the first second and a tail after 15 s.
		let mut times: Vec<f64> = (0..200).map(|i| f64::from(i) / 10.0).collect();
		times.extend(std::iter::repeat_n(0.5, 1_000));
		let window = Window { from: 5.0, to: 15.0 };
		assert_eq!(window.length(), 10.0);
		assert!((window.rate(times.iter().copied()) - 10.0).abs() < 1e-9);
		assert!(window.contains(5.0) && !window.contains(15.0));
		assert_eq!(Window { from: 3.0, to: 2.0 }.rate(times), 0.0);
	}

	#[test]
	fn per_second_buckets() {
		assert_eq!(per_second([0.0, 0.99, 1.0, 2.5, 9.0, -1.0], 3), vec![2, 1, 1]);
	}
}
