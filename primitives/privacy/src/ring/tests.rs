use super::*;
use proptest::prelude::*;
use rand::RngCore;

fn random64() -> [u8; 64] {
	let mut bytes = [0u8; 64];
	rand::thread_rng().fill_bytes(&mut bytes);
	bytes
}

/// A ring of `n` keys with their secrets (never zero: `i + 1` in the low bytes, so a zero
/// seed does not make the identity key, which `sign` refuses).
fn ring(n: usize, seed: u8) -> (Vec<Point>, Vec<Scalar>) {
	let secrets: Vec<Scalar> = (0..n)
		.map(|i| {
			let mut bytes = [seed; 64];
			bytes[..8].copy_from_slice(&(i as u64 + 1).to_le_bytes());
			Scalar::from_bytes_mod_order_wide(&bytes)
		})
		.collect();
	let keys =
		secrets.iter().map(|k| (k * RISTRETTO_BASEPOINT_POINT).compress().to_bytes()).collect();
	(keys, secrets)
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(32))]

	/// Any member signs, the signature verifies for that ring and message only, and its key
	/// image is the member's (the same for every signature it makes).
	#[test]
	fn members_sign_and_key_images_link(
		n in 2usize..12,
		signer in any::<prop::sample::Index>(),
		seed in any::<u8>(),
		message in prop::collection::vec(any::<u8>(), 0..100),
	) {
		let (keys, secrets) = ring(n, seed);
		let index = signer.index(n);
		let signature = sign(&keys, index, &secrets[index], &message, random64).unwrap();
		let image = verify(&keys, &message, &signature).unwrap();
		prop_assert_eq!(image, key_image(&secrets[index], &keys[index]));
		let again = sign(&keys, index, &secrets[index], b"another", random64).unwrap();
		prop_assert_ne!(&again, &signature);
		prop_assert_eq!(verify(&keys, b"another", &again).unwrap(), image);
		// Another member's image differs.
		let other = (index + 1) % n;
		let theirs = sign(&keys, other, &secrets[other], &message, random64).unwrap();
		prop_assert_ne!(verify(&keys, &message, &theirs).unwrap(), image);
	}
}

fn fixture() -> (Vec<Point>, Vec<Scalar>, Vec<u8>) {
	let (keys, secrets) = ring(5, 9);
	let signature = sign(&keys, 2, &secrets[2], b"withdraw", random64).unwrap();
	(keys, secrets, signature)
}

#[test]
fn another_message_ring_order_or_subset_does_not_verify() {
	let (keys, _, signature) = fixture();
	assert_eq!(verify(&keys, b"withdraw!", &signature), Err(RingError::Invalid));
	let mut reordered = keys.clone();
	reordered.swap(0, 4);
	assert_eq!(verify(&reordered, b"withdraw", &signature), Err(RingError::Invalid));
	// A subset of the ring (the signer's key kept) does not even have the right length.
	assert_eq!(verify(&keys[..4], b"withdraw", &signature), Err(RingError::Malformed));
	// Nor does a ring with one key replaced after the fact (a key "rotated").
	let mut rotated = keys.clone();
	rotated[0] = ring(1, 77).0[0];
	assert_eq!(verify(&rotated, b"withdraw", &signature), Err(RingError::Invalid));
}

#[test]
fn trailing_or_missing_bytes_and_non_canonical_values_do_not_decode() {
	let (keys, _, signature) = fixture();
	let mut longer = signature.clone();
	longer.push(0);
	assert_eq!(verify(&keys, b"withdraw", &longer), Err(RingError::Malformed));
	assert_eq!(
		verify(&keys, b"withdraw", &signature[..signature.len() - 1]),
		Err(RingError::Malformed)
	);
	// r_0 + ℓ: the same scalar, non-canonically encoded.
	let mut non_canonical = signature.clone();
	let r0 = Scalar::from_canonical_bytes(signature[32..64].try_into().unwrap()).unwrap();
	let mut plus_l = r0.to_bytes();
	// ℓ = 2^252 + 27742317777372353535851937790883648493, little-endian.
	let l: [u8; 32] = [
		0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
		0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
	];
	let mut carry = 0u16;
	for i in 0..32 {
		let sum = u16::from(plus_l[i]) + u16::from(l[i]) + carry;
		plus_l[i] = sum as u8;
		carry = sum >> 8;
	}
	// r_0 < ℓ < 2^253, so r_0 + ℓ < 2^254 fits in 32 bytes.
	assert_eq!(carry, 0);
	non_canonical[32..64].copy_from_slice(&plus_l);
	assert_eq!(verify(&keys, b"withdraw", &non_canonical), Err(RingError::Malformed));
	// The identity, or garbage, as the key image.
	let n = keys.len();
	for image in [[0u8; 32], [0xff; 32]] {
		let mut bad = signature.clone();
		bad[32 * (n + 1)..].copy_from_slice(&image);
		assert_eq!(verify(&keys, b"withdraw", &bad), Err(RingError::Malformed));
	}
}

#[test]
fn forged_or_altered_signatures_fail() {
	let (keys, secrets, signature) = fixture();
	// Every single-byte change: of the signature (c_0, each r_i and the key image), of the
	// message, and of every ring key.
	for position in 0..signature.len() {
		let mut altered = signature.clone();
		altered[position] ^= 1;
		assert!(verify(&keys, b"withdraw", &altered).is_err(), "signature byte {position}");
	}
	for position in 0..b"withdraw".len() {
		let mut message = b"withdraw".to_vec();
		message[position] ^= 1;
		assert!(verify(&keys, &message, &signature).is_err(), "message byte {position}");
	}
	for (member, position) in (0..keys.len()).flat_map(|m| (0..32).map(move |p| (m, p))) {
		let mut altered = keys.clone();
		altered[member][position] ^= 1;
		assert!(verify(&altered, b"withdraw", &signature).is_err(), "key {member} byte {position}");
	}
	// Another key image (a second "spend" by the same signer under a fresh image) fails.
	let mut swapped = signature.clone();
	let n = keys.len();
	swapped[32 * (n + 1)..].copy_from_slice(&key_image(&secrets[3], &keys[3]));
	assert_eq!(verify(&keys, b"withdraw", &swapped), Err(RingError::Invalid));
	// A secret outside the ring cannot sign for it.
	let outsider = ring(1, 55).1[0];
	assert_eq!(sign(&keys, 0, &outsider, b"withdraw", random64), Err(RingError::NotInRing));
}

#[test]
fn degenerate_rings_are_refused() {
	let (keys, secrets) = ring(1, 3);
	assert_eq!(sign(&keys, 0, &secrets[0], b"m", random64), Err(RingError::InvalidRing));
	assert_eq!(verify(&keys, b"m", &[0u8; 96]), Err(RingError::InvalidRing));
	let (mut keys, _) = ring(3, 4);
	keys[1] = [0u8; 32];
	assert_eq!(verify(&keys, b"m", &[0u8; 160]), Err(RingError::InvalidRing));
}

/// A fixed signature: ring `(1·G, 2·G, 3·G)`, signer 1, deterministic randomness. Another
/// implementation of this spec must verify it and, with the same randomness, produce it.
#[test]
fn test_vector_is_stable() {
	let secrets: Vec<Scalar> = (1u64..=3).map(Scalar::from).collect();
	let keys: Vec<Point> =
		secrets.iter().map(|k| (k * RISTRETTO_BASEPOINT_POINT).compress().to_bytes()).collect();
	let message = b"kmcc ring test vector";
	let mut counter = 0u8;
	let signature = sign(&keys, 1, &secrets[1], message, || {
		counter += 1;
		[counter; 64]
	})
	.unwrap();
	assert_eq!(hex::encode(&signature), VECTOR);
	assert_eq!(verify(&keys, message, &signature), Ok(key_image(&secrets[1], &keys[1])));
}

/// `c_0 ‖ r_0 ‖ r_1 ‖ r_2 ‖ I`.
const VECTOR: &str = concat!(
	"8eef75c6890421c93231586f2b76f86f7ebbb50abb21a7bb5de3b233571b1b01",
	"00d3fe3087513f537cc231f801af8414e3a7c67e08ade77ac1f260ec99d60a00",
	"ccfa53f22807eeaa879000922bc5749297365e5021ce4d831961a90fe9d9be0c",
	"9ec44d09c1cd8bc7e1941b12ebc5971b42c5d9a9051e45a72bf7959d66e4b10a",
	"1a2b5a5a23d0c9982f06fbb2b93b5366a52eff908463d8277c7daf6864324966",
);
