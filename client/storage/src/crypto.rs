//! Client-side encryption of a space: XTS-AES-256 (IEEE 1619, the mode of dm-crypt/LUKS,
//! BitLocker and FileVault) over 512-byte sectors, tweaked by the sector's number in the
//! space, so any sector can be read or rewritten alone and landlords only hold ciphertext.
//!
//! The 512-bit key is derived from the owner's wallet account secret, the chain's genesis
//! hash and the space id ([`space_key`]), so the wallet re-derives it on any machine and
//! each space has its own. A sector whose stored bytes are all zero reads as zeroes: trim and
//! write-zeroes store zero ciphertext, like thin-provisioned disks with discards passed
//! through dm-crypt (landlords learn which sectors were zeroed, nothing else). XTS does not
//! authenticate: a landlord that changes ciphertext garbles the sector instead of being
//! detected (the same as every disk encryption; proofs of storage catch lost data).

use aes::{
	cipher::{generic_array::GenericArray, BlockDecrypt, BlockEncrypt, KeyInit},
	Aes256,
};

type Block = aes::Block;
use blake2::{Blake2b512, Digest};

/// Bytes of an encryption sector.
pub const SECTOR: usize = 512;

/// The space key: `blake2b_512("kmcc/space/xts" ‖ account secret ‖ genesis ‖ space id LE)`.
pub fn space_key(account_secret: &[u8], genesis: &[u8; 32], space: u64) -> [u8; 64] {
	let mut h = Blake2b512::new();
	h.update(b"kmcc/space/xts");
	h.update(account_secret);
	h.update(genesis);
	h.update(space.to_le_bytes());
	h.finalize().into()
}

/// XTS-AES-256 with 512-byte sectors.
pub struct SpaceCipher {
	data: Aes256,
	tweak: Aes256,
}

/// Multiplies the tweak by α in GF(2¹²⁸) (little-endian, reduction 0x87).
fn times_alpha(t: &mut [u8; 16]) {
	let mut carry = 0u8;
	for b in t.iter_mut() {
		let next = *b >> 7;
		*b = (*b << 1) | carry;
		carry = next;
	}
	if carry != 0 {
		t[0] ^= 0x87;
	}
}

impl SpaceCipher {
	/// A cipher with a 512-bit key (data key ‖ tweak key).
	pub fn new(key: &[u8; 64]) -> Self {
		SpaceCipher {
			data: Aes256::new(GenericArray::from_slice(&key[..32])),
			tweak: Aes256::new(GenericArray::from_slice(&key[32..])),
		}
	}

	/// Encrypts or decrypts whole sectors in place, the first being sector `first`, eight
	/// or more AES blocks at a time (what AES-NI pipelines): the tweaks of all sectors first,
	/// then `T_j = T·α^j` per 16-byte block, `C = E(P ⊕ T_j) ⊕ T_j`.
	fn sectors(&self, first: u64, data: &mut [u8], encrypt: bool, skip_zero: bool) {
		const BLOCKS: usize = SECTOR / 16;
		let mut tweaks: Vec<Block> = (0..(data.len() / SECTOR) as u64)
			.map(|i| {
				let mut t = [0u8; 16];
				t[..8].copy_from_slice(&first.wrapping_add(i).to_le_bytes());
				Block::from(t)
			})
			.collect();
		self.tweak.encrypt_blocks(&mut tweaks);
		let mut masks = vec![Block::default(); BLOCKS];
		let mut blocks = vec![Block::default(); BLOCKS];
		for (sector, tweak) in data.chunks_exact_mut(SECTOR).zip(tweaks) {
			if skip_zero && sector.iter().all(|b| *b == 0) {
				continue;
			}
			let mut t: [u8; 16] = tweak.into();
			for (j, chunk) in sector.chunks_exact(16).enumerate() {
				masks[j] = Block::from(t);
				for ((b, p), k) in blocks[j].iter_mut().zip(chunk).zip(t.iter()) {
					*b = p ^ k;
				}
				times_alpha(&mut t);
			}
			if encrypt {
				self.data.encrypt_blocks(&mut blocks);
			} else {
				self.data.decrypt_blocks(&mut blocks);
			}
			for (j, chunk) in sector.chunks_exact_mut(16).enumerate() {
				for ((out, b), k) in chunk.iter_mut().zip(blocks[j].iter()).zip(masks[j].iter()) {
					*out = b ^ k;
				}
			}
		}
	}

	/// Encrypts whole sectors in place, the first being sector `first`.
	pub fn encrypt(&self, first: u64, data: &mut [u8]) {
		self.sectors(first, data, true, false);
	}

	/// Decrypts whole sectors in place; an all-zero stored sector stays zeroes.
	pub fn decrypt(&self, first: u64, data: &mut [u8]) {
		self.sectors(first, data, false, true);
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	fn hex(b: &[u8]) -> String {
		b.iter().map(|x| format!("{x:02x}")).collect()
	}

	/// Known answers from an independent implementation (Python `cryptography`, OpenSSL's
	/// XTS): key 00..3f, plaintext byte i = (7i + 3) mod 256, tweak = sector number LE.
	#[test]
	fn matches_openssl_xts_aes_256() {
		let key: [u8; 64] = core::array::from_fn(|i| i as u8);
		let cipher = SpaceCipher::new(&key);
		for (sector, first, last) in [
			(0u64, "3f1f187c64e5cc3f3ee91069219b1238", "ba421be3864fb9c596e8cd055479c757"),
			(5, "f89e38302834fc8d2523b7497fed0181", "68c02a05f33a661f20f92b6eb095b86c"),
			(1 << 40, "7cbdf04b060da3735d90620bc556f109", "29277edfbff48eccce592d2f7d14d3f4"),
		] {
			let mut data: Vec<u8> = (0..512).map(|i| ((i * 7 + 3) % 256) as u8).collect();
			cipher.encrypt(sector, &mut data);
			assert_eq!(hex(&data[..16]), first);
			assert_eq!(hex(&data[496..]), last);
		}
	}

	#[test]
	fn keys_differ_per_space_account_and_chain() {
		let a = space_key(b"secret", &[1; 32], 0);
		assert_ne!(a, space_key(b"secret", &[1; 32], 1));
		assert_ne!(a, space_key(b"secreT", &[1; 32], 0));
		assert_ne!(a, space_key(b"secret", &[2; 32], 0));
	}

	proptest! {
		#[test]
		fn decrypt_inverts_encrypt_and_sectors_are_independent(seed in any::<u8>(), first in 0u64..1 << 50, sectors in 1usize..8) {
			let key: [u8; 64] = core::array::from_fn(|i| (i as u8).wrapping_mul(seed | 1));
			let cipher = SpaceCipher::new(&key);
			let plain: Vec<u8> = (0..sectors * SECTOR).map(|i| (i as u8) ^ seed).collect();
			let mut data = plain.clone();
			cipher.encrypt(first, &mut data);
			prop_assert_ne!(&data, &plain);
			// The last sector alone, at its own number, decrypts the same.
			let mut last = data[(sectors - 1) * SECTOR..].to_vec();
			cipher.decrypt(first + sectors as u64 - 1, &mut last);
			prop_assert_eq!(&last[..], &plain[(sectors - 1) * SECTOR..]);
			cipher.decrypt(first, &mut data);
			prop_assert_eq!(data, plain);
		}
	}

	#[test]
	fn zero_ciphertext_reads_as_zeroes() {
		let cipher = SpaceCipher::new(&[9; 64]);
		let mut data = vec![0u8; 2 * SECTOR];
		cipher.decrypt(3, &mut data);
		assert!(data.iter().all(|b| *b == 0));
	}
}
