//! Scan throughput: how many announcements a wallet checks per second with the view tag, and,
//! as the baseline measured in the same run, without it (deriving every one-time key).
//!
//! `cargo run --release -p kmcc-privacy --example scan-speed [announcements]` (default 20,000;
//! 1 in 100 pays the scanning wallet).

use kmcc_privacy::{
	announce, chain_code, one_time_public, scan,
	schnorrkel::{ExpansionMode, Keypair, MiniSecretKey},
	shared_point, Announcement, MetaAddress,
};
use rand::RngCore;
use std::time::Instant;

fn keypair(rng: &mut impl RngCore) -> Keypair {
	let mut seed = [0u8; 32];
	rng.fill_bytes(&mut seed);
	MiniSecretKey::from_bytes(&seed).unwrap().expand_to_keypair(ExpansionMode::Ed25519)
}

fn main() {
	let count: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(20_000);
	let mut rng = rand::thread_rng();
	let (view, spend) = (keypair(&mut rng), keypair(&mut rng));
	let ours = MetaAddress { view: view.public.to_bytes(), spend: spend.public.to_bytes() };
	let (other_view, other_spend) = (keypair(&mut rng), keypair(&mut rng));
	let theirs =
		MetaAddress { view: other_view.public.to_bytes(), spend: other_spend.public.to_bytes() };

	let started = Instant::now();
	let announcements: Vec<Announcement> = (0..count)
		.map(|i| {
			let mut r = [0u8; 64];
			rng.fill_bytes(&mut r);
			announce(if i % 100 == 0 { &ours } else { &theirs }, &r, 0).unwrap()
		})
		.collect();
	let expected = count.div_ceil(100);
	println!("prepared {count} announcements ({expected} ours) in {:.2?}", started.elapsed());

	let started = Instant::now();
	let found =
		announcements.iter().filter(|a| scan(&view.secret, &ours.spend, a, 0).is_some()).count();
	let with_tags = started.elapsed();
	assert_eq!(found, expected);

	let started = Instant::now();
	let found = announcements
		.iter()
		.filter(|a| {
			let shared = shared_point(&view.secret, &a.ephemeral).unwrap();
			one_time_public(&ours.spend, chain_code(&shared, 0)).unwrap() == a.one_time
		})
		.count();
	let without_tags = started.elapsed();
	assert_eq!(found, expected);

	let rate = |d: std::time::Duration| count as f64 / d.as_secs_f64();
	println!(
		"with view tags:    {:>9.0} announcements/s ({:.2?} for {count})",
		rate(with_tags),
		with_tags
	);
	println!(
		"without (baseline): {:>8.0} announcements/s ({:.2?} for {count})",
		rate(without_tags),
		without_tags
	);
	println!("speed-up: {:.2}×", without_tags.as_secs_f64() / with_tags.as_secs_f64());
}
