//! The hash functions against published test vectors, and the swap id.

use crate::{swap_id, HashAlgorithm, SwapAsset, SwapTerms};

fn hex(bytes: [u8; 32]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn each_algorithm_matches_its_published_test_vector() {
	// FIPS 180-4 "abc"; Ethereum's keccak256(""); BLAKE2b-256("").
	assert_eq!(
		hex(HashAlgorithm::Sha256.digest(b"abc")),
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	);
	assert_eq!(
		hex(HashAlgorithm::Keccak256.digest(b"")),
		"c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
	);
	assert_eq!(
		hex(HashAlgorithm::Blake2_256.digest(b"")),
		"0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"
	);
}

#[test]
fn a_preimage_opens_only_its_own_algorithms_hashlock() {
	let s = b"secret";
	for a in [HashAlgorithm::Sha256, HashAlgorithm::Keccak256, HashAlgorithm::Blake2_256] {
		assert!(a.opens(s, &a.digest(s)));
		assert!(!a.opens(b"secreT", &a.digest(s)));
		// A preimage with a trailing byte is another preimage.
		assert!(!a.opens(b"secret\0", &a.digest(s)));
		for b in [HashAlgorithm::Sha256, HashAlgorithm::Keccak256, HashAlgorithm::Blake2_256] {
			assert_eq!(a == b, b.opens(s, &a.digest(s)));
		}
	}
}

#[test]
fn the_swap_id_commits_to_every_term() {
	let terms = SwapTerms {
		sender: 1u64,
		recipient: 2u64,
		asset: SwapAsset::<u32>::Native,
		amount: 10u128,
		hashlock: [7; 32],
		algorithm: HashAlgorithm::Sha256,
		expiry: 50u64,
	};
	let id = swap_id(&terms);
	assert_eq!(id, swap_id(&terms.clone()));
	let changed = [
		SwapTerms { sender: 3, ..terms.clone() },
		SwapTerms { recipient: 3, ..terms.clone() },
		SwapTerms { asset: SwapAsset::Asset(0), ..terms.clone() },
		SwapTerms { amount: 11, ..terms.clone() },
		SwapTerms { hashlock: [8; 32], ..terms.clone() },
		SwapTerms { algorithm: HashAlgorithm::Keccak256, ..terms.clone() },
		SwapTerms { expiry: 51, ..terms.clone() },
	];
	for other in changed {
		assert_ne!(swap_id(&other), id, "{other:?}");
	}
}
