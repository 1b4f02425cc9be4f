//! Linkable ring signatures (bLSAG, "Zero to Monero" 2.0 §3.4) over ristretto255: a signer
//! proves it holds the secret of one key in a ring without saying which, and every signature
//! by the same key carries the same **key image**, so a second use is recognised.
//!
//! ## Scheme
//!
//! Ring `K_0 … K_{n−1}` (compressed ristretto points), signer `π` with `K_π = k·G`, message `m`:
//!
//! ```text
//! Hp(K)  = from_uniform_bytes(blake2b-512("kmcc/ring/v1/hash-to-point" ‖ K))
//! I      = k·Hp(K_π)                                        key image
//! Hn(L, R) = blake2b-512("kmcc/ring/v1/challenge" ‖ n as u32 LE ‖ K_0 ‖ … ‖ K_{n−1} ‖ I ‖
//!                        len(m) as u32 LE ‖ m ‖ L ‖ R) mod ℓ
//! sign:   α, r_i (i ≠ π) random;  c_{π+1} = Hn(α·G, α·Hp(K_π));
//!         c_{i+1} = Hn(r_i·G + c_i·K_i, r_i·Hp(K_i) + c_i·I) around the ring;  r_π = α − c_π·k
//! verify: recompute c_1 … c_n from c_0 and every r_i; accept iff c_n = c_0
//! ```
//!
//! The challenge binds the whole ring, the key image and the message, so a signature cannot be
//! moved to another ring, another message or another key image.
//!
//! **No torsion check.** Monero checks `ℓ·I = 0` because ed25519 has a cofactor of 8: a key
//! image plus a small-order point would verify and look like a new key image. Ristretto255 is
//! a prime-order group — every encoding decodes to one element of the order-ℓ group, and the
//! encoding is canonical — so there is no small-order component to add and each key image has
//! exactly one encoding. The verifier still refuses the identity as a key image or ring key.
//!
//! ## Encoding
//!
//! `c_0 (32) ‖ r_0 (32) ‖ … ‖ r_{n−1} (32) ‖ I (32)`: exactly `32·(n + 2)` bytes, canonical
//! scalars and points only; anything else (a trailing byte included) does not decode.

use blake2::{Blake2b512, Digest};
use curve25519_dalek::{
	constants::RISTRETTO_BASEPOINT_POINT,
	ristretto::{CompressedRistretto, RistrettoPoint},
	traits::{Identity, VartimeMultiscalarMul},
};

/// The scalars of ristretto255 (secrets, challenges, responses).
pub use curve25519_dalek::scalar::Scalar;

use crate::Point;

/// Domain of the hash to a point.
pub const HASH_TO_POINT_DOMAIN: &[u8] = b"kmcc/ring/v1/hash-to-point";
/// Domain of the challenge hash.
pub const CHALLENGE_DOMAIN: &[u8] = b"kmcc/ring/v1/challenge";

/// Why a ring signature does not verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RingError {
	/// Fewer than two keys, or a key that is not a canonical non-identity point.
	InvalidRing,
	/// Not `32·(n + 2)` bytes of canonical scalars and a canonical non-identity key image.
	Malformed,
	/// The ring of challenges does not close.
	Invalid,
	/// The signer's secret is not the secret of the ring key at its index (signing only).
	NotInRing,
}

/// `Hp(K)`.
pub fn hash_to_point(key: &Point) -> RistrettoPoint {
	let mut hasher = Blake2b512::new();
	hasher.update(HASH_TO_POINT_DOMAIN);
	hasher.update(key);
	RistrettoPoint::from_uniform_bytes(&hasher.finalize().into())
}

/// The key image `I = k·Hp(K)` of the secret `k` of `K`.
pub fn key_image(secret: &Scalar, key: &Point) -> Point {
	(secret * hash_to_point(key)).compress().to_bytes()
}

fn decompress_nonzero(bytes: &Point) -> Option<RistrettoPoint> {
	CompressedRistretto(*bytes).decompress().filter(|p| *p != RistrettoPoint::identity())
}

/// The challenge prefix shared by every step: domain, ring, key image and message.
fn challenge_prefix(ring: &[Point], image: &Point, message: &[u8]) -> Blake2b512 {
	let mut hasher = Blake2b512::new();
	hasher.update(CHALLENGE_DOMAIN);
	hasher.update((ring.len() as u32).to_le_bytes());
	for key in ring {
		hasher.update(key);
	}
	hasher.update(image);
	hasher.update((message.len() as u32).to_le_bytes());
	hasher.update(message);
	hasher
}

fn challenge(prefix: &Blake2b512, left: &RistrettoPoint, right: &RistrettoPoint) -> Scalar {
	let mut hasher = prefix.clone();
	hasher.update(left.compress().as_bytes());
	hasher.update(right.compress().as_bytes());
	Scalar::from_bytes_mod_order_wide(&hasher.finalize().into())
}

fn decode_scalar(bytes: &[u8]) -> Option<Scalar> {
	let bytes: [u8; 32] = bytes.try_into().ok()?;
	Option::from(Scalar::from_canonical_bytes(bytes))
}

/// Verifies `signature` of `message` by one key of `ring`; returns its key image, which the
/// caller records to refuse a second signature by the same key.
pub fn verify(ring: &[Point], message: &[u8], signature: &[u8]) -> Result<Point, RingError> {
	let n = ring.len();
	if n < 2 {
		return Err(RingError::InvalidRing);
	}
	let keys: Option<alloc::vec::Vec<RistrettoPoint>> =
		ring.iter().map(decompress_nonzero).collect();
	let keys = keys.ok_or(RingError::InvalidRing)?;
	if signature.len() != 32 * (n + 2) {
		return Err(RingError::Malformed);
	}
	let c0 = decode_scalar(&signature[..32]).ok_or(RingError::Malformed)?;
	let mut image_bytes = [0u8; 32];
	image_bytes.copy_from_slice(&signature[32 * (n + 1)..]);
	let image = decompress_nonzero(&image_bytes).ok_or(RingError::Malformed)?;
	let prefix = challenge_prefix(ring, &image_bytes, message);
	let mut c = c0;
	for (i, key) in keys.iter().enumerate() {
		let r =
			decode_scalar(&signature[32 * (i + 1)..32 * (i + 2)]).ok_or(RingError::Malformed)?;
		// Everything here is public, so variable-time multiplication is safe (and about twice
		// as fast as two constant-time ones).
		let left = RistrettoPoint::vartime_double_scalar_mul_basepoint(&c, key, &r);
		let right =
			RistrettoPoint::vartime_multiscalar_mul([r, c], [hash_to_point(&ring[i]), image]);
		c = challenge(&prefix, &left, &right);
	}
	if c == c0 {
		Ok(image_bytes)
	} else {
		Err(RingError::Invalid)
	}
}

/// Signs `message` with `secret`, the secret of `ring[index]`; `random` supplies 64 uniform
/// bytes per call (α and the decoy responses). Works without `std` (the runtime's benchmarks
/// sign inside the runtime), but the caller must supply real randomness: a repeated `α`
/// reveals the secret.
pub fn sign(
	ring: &[Point],
	index: usize,
	secret: &Scalar,
	message: &[u8],
	mut random: impl FnMut() -> [u8; 64],
) -> Result<alloc::vec::Vec<u8>, RingError> {
	let n = ring.len();
	if n < 2 || index >= n || ring.iter().any(|k| decompress_nonzero(k).is_none()) {
		return Err(RingError::InvalidRing);
	}
	if (secret * RISTRETTO_BASEPOINT_POINT).compress().to_bytes() != ring[index] {
		return Err(RingError::NotInRing);
	}
	let image_bytes = key_image(secret, &ring[index]);
	let image = decompress_nonzero(&image_bytes).ok_or(RingError::NotInRing)?;
	let prefix = challenge_prefix(ring, &image_bytes, message);
	let mut responses = alloc::vec![Scalar::ZERO; n];
	let mut challenges = alloc::vec![Scalar::ZERO; n];
	let alpha = Scalar::from_bytes_mod_order_wide(&random());
	let next = (index + 1) % n;
	challenges[next] = challenge(
		&prefix,
		&(alpha * RISTRETTO_BASEPOINT_POINT),
		&(alpha * hash_to_point(&ring[index])),
	);
	let mut i = next;
	while i != index {
		responses[i] = Scalar::from_bytes_mod_order_wide(&random());
		let key = decompress_nonzero(&ring[i]).ok_or(RingError::InvalidRing)?;
		let left = responses[i] * RISTRETTO_BASEPOINT_POINT + challenges[i] * key;
		let right = responses[i] * hash_to_point(&ring[i]) + challenges[i] * image;
		challenges[(i + 1) % n] = challenge(&prefix, &left, &right);
		i = (i + 1) % n;
	}
	responses[index] = alpha - challenges[index] * secret;
	let mut signature = alloc::vec::Vec::with_capacity(32 * (n + 2));
	signature.extend_from_slice(challenges[0].as_bytes());
	for r in &responses {
		signature.extend_from_slice(r.as_bytes());
	}
	signature.extend_from_slice(&image_bytes);
	Ok(signature)
}

#[cfg(test)]
mod tests;
