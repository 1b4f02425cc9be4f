//! The mixing pool's byte formats: what a withdrawal signs, and how a wallet derives its
//! deposit keys.
//!
//! ## The withdrawal message
//!
//! A withdrawal is a ring signature ([`crate::ring`]) over the pool's keys at `ring` (indices
//! into the denomination's key list, strictly increasing) of
//!
//! ```text
//! m = "kmcc/mix/v1/withdraw" ‖ genesis hash (32) ‖ denomination (u128 LE) ‖
//!     n (u32 LE) ‖ ring[0] … ring[n−1] (u32 LE each) ‖
//!     len(recipient) (u32 LE) ‖ recipient ‖ 0x00 | 0x01 ‖ len(relayer) (u32 LE) ‖ relayer ‖
//!     fee (u128 LE) ‖ 0x00 | 0x01 ‖ R (32) ‖ view tag (1)
//! ```
//!
//! with accounts in their SCALE encoding (32 bytes for KMCC accounts), the relayer part only
//! after its `0x01`, and the stealth announcement `(R, view tag)` only after its `0x01` (a
//! withdrawal to a stealth one-time account announces it, so the recipient's scan finds it). The domain names the pallet and the format version, the genesis hash the
//! chain; everything the pallet pays out is in `m`, so a relayer (or anyone who sees the
//! request) cannot change the recipient, its own account or the fee without the signature
//! failing. The ring's keys themselves are bound by the ring signature's challenge.
//!
//! ## Deposit keys
//!
//! A wallet derives the secret of its `counter`-th deposit of a denomination from one seed, so
//! the seed alone recovers every deposit:
//!
//! ```text
//! k = blake2b-512("kmcc/mix/v1/deposit-secret" ‖ seed (32) ‖ genesis hash (32) ‖
//!                 denomination (u128 LE) ‖ counter (u32 LE)) mod ℓ
//! K = k·G                                                     the deposited key
//! ```

use alloc::vec::Vec;
use blake2::{Blake2b512, Digest};
use curve25519_dalek::{constants::RISTRETTO_BASEPOINT_POINT, scalar::Scalar};

use crate::Point;

/// Domain of the withdrawal message.
pub const WITHDRAW_DOMAIN: &[u8] = b"kmcc/mix/v1/withdraw";
/// Domain of deposit secrets.
pub const DEPOSIT_SECRET_DOMAIN: &[u8] = b"kmcc/mix/v1/deposit-secret";

/// What a withdrawal pays and to whom, as signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WithdrawalTerms<'a> {
	/// The chain's genesis hash.
	pub genesis: &'a [u8; 32],
	/// The pool's denomination.
	pub denomination: u128,
	/// The ring: indices into the denomination's key list.
	pub ring: &'a [u32],
	/// The recipient's encoded account.
	pub recipient: &'a [u8],
	/// The relayer's encoded account, if a relayer submits the withdrawal.
	pub relayer: Option<&'a [u8]>,
	/// What the relayer gets (out of the denomination).
	pub fee: u128,
	/// The stealth announcement `(R, view tag)` of a recipient that is a one-time account.
	pub announcement: Option<(&'a Point, u8)>,
}

fn put_bytes(message: &mut Vec<u8>, bytes: &[u8]) {
	message.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
	message.extend_from_slice(bytes);
}

/// The message a withdrawal's ring signature signs (see the module doc).
pub fn withdrawal_message(terms: &WithdrawalTerms) -> Vec<u8> {
	let mut message = Vec::with_capacity(
		WITHDRAW_DOMAIN.len() + 32 + 16 + 4 + 4 * terms.ring.len() + 2 * (4 + 32) + 1 + 16 + 34,
	);
	message.extend_from_slice(WITHDRAW_DOMAIN);
	message.extend_from_slice(terms.genesis);
	message.extend_from_slice(&terms.denomination.to_le_bytes());
	message.extend_from_slice(&(terms.ring.len() as u32).to_le_bytes());
	for index in terms.ring {
		message.extend_from_slice(&index.to_le_bytes());
	}
	put_bytes(&mut message, terms.recipient);
	match terms.relayer {
		Some(relayer) => {
			message.push(1);
			put_bytes(&mut message, relayer);
		}
		None => message.push(0),
	}
	message.extend_from_slice(&terms.fee.to_le_bytes());
	match terms.announcement {
		Some((ephemeral, view_tag)) => {
			message.push(1);
			message.extend_from_slice(ephemeral);
			message.push(view_tag);
		}
		None => message.push(0),
	}
	message
}

/// The secret of a wallet's `counter`-th deposit of `denomination` (see the module doc).
pub fn deposit_secret(
	seed: &[u8; 32],
	genesis: &[u8; 32],
	denomination: u128,
	counter: u32,
) -> Scalar {
	let mut hasher = Blake2b512::new();
	hasher.update(DEPOSIT_SECRET_DOMAIN);
	hasher.update(seed);
	hasher.update(genesis);
	hasher.update(denomination.to_le_bytes());
	hasher.update(counter.to_le_bytes());
	Scalar::from_bytes_mod_order_wide(&hasher.finalize().into())
}

/// The public key `k·G` of a deposit secret.
pub fn deposit_key(secret: &Scalar) -> Point {
	(secret * RISTRETTO_BASEPOINT_POINT).compress().to_bytes()
}

#[cfg(test)]
mod tests {
	use super::*;

	fn terms<'a>(ring: &'a [u32], relayer: Option<&'a [u8]>) -> WithdrawalTerms<'a> {
		WithdrawalTerms {
			genesis: &[7; 32],
			denomination: 10u128.pow(19),
			ring,
			recipient: &[1; 32],
			relayer,
			fee: 5,
			announcement: None,
		}
	}

	#[test]
	fn message_layout_is_stable() {
		let message = withdrawal_message(&terms(&[0, 3], Some(&[2; 32])));
		assert_eq!(
			hex::encode(blake2::Blake2b512::digest(&message)),
			hex::encode(blake2::Blake2b512::digest(
				[
					WITHDRAW_DOMAIN,
					&[7; 32],
					&10u128.pow(19).to_le_bytes(),
					&2u32.to_le_bytes(),
					&0u32.to_le_bytes(),
					&3u32.to_le_bytes(),
					&32u32.to_le_bytes(),
					&[1; 32],
					&[1],
					&32u32.to_le_bytes(),
					&[2; 32],
					&5u128.to_le_bytes(),
					&[0],
				]
				.concat()
			))
		);
	}

	#[test]
	fn every_term_changes_the_message() {
		let ring = [0u32, 3];
		let base = terms(&ring, Some(&[2; 32]));
		let message = withdrawal_message(&base);
		let variants = [
			WithdrawalTerms { genesis: &[8; 32], ..base },
			WithdrawalTerms { denomination: 10u128.pow(20), ..base },
			WithdrawalTerms { ring: &[0, 4], ..base },
			WithdrawalTerms { ring: &[0, 3, 5], ..base },
			WithdrawalTerms { recipient: &[3; 32], ..base },
			WithdrawalTerms { relayer: Some(&[3; 32]), ..base },
			WithdrawalTerms { relayer: None, ..base },
			WithdrawalTerms { fee: 6, ..base },
			WithdrawalTerms { announcement: Some((&[4; 32], 0)), ..base },
		];
		for variant in variants {
			assert_ne!(withdrawal_message(&variant), message, "{variant:?}");
		}
	}

	#[test]
	fn deposit_secrets_differ_per_counter_denomination_and_chain() {
		let seed = [9; 32];
		let a = deposit_secret(&seed, &[1; 32], 10, 0);
		assert_eq!(a, deposit_secret(&seed, &[1; 32], 10, 0));
		assert_ne!(a, deposit_secret(&seed, &[1; 32], 10, 1));
		assert_ne!(a, deposit_secret(&seed, &[1; 32], 100, 0));
		assert_ne!(a, deposit_secret(&seed, &[2; 32], 10, 0));
		assert_ne!(a, deposit_secret(&[8; 32], &[1; 32], 10, 0));
		assert_eq!(
			hex::encode(deposit_key(&a)),
			hex::encode(deposit_key(&deposit_secret(&seed, &[1; 32], 10, 0)))
		);
	}
}
