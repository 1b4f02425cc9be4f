//! SS58 addresses (the format every Substrate wallet shows): KMCC's prefix is 7788.

use blake2::{Blake2b512, Digest};

/// KMCC Chain's SS58 prefix.
pub const KMCC_SS58_PREFIX: u16 = 7788;

/// What is wrong with an address string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
	/// Not base58.
	#[error("not base58")]
	Base58,
	/// Wrong length, prefix encoding or checksum.
	#[error("not an SS58 address of a 32-byte account")]
	Format,
}

fn checksum(data: &[u8]) -> [u8; 2] {
	let mut hasher = Blake2b512::new();
	hasher.update(b"SS58PRE");
	hasher.update(data);
	let digest = hasher.finalize();
	[digest[0], digest[1]]
}

/// The SS58 address of the 32-byte account `public` under `prefix`.
pub fn encode(public: &[u8; 32], prefix: u16) -> String {
	let mut data = match prefix {
		0..=63 => vec![prefix as u8],
		_ => vec![
			(((prefix & 0b1111_1100) >> 2) as u8) | 0b0100_0000,
			((prefix >> 8) as u8) | (((prefix & 0b11) as u8) << 6),
		],
	};
	data.extend_from_slice(public);
	let sum = checksum(&data);
	data.extend_from_slice(&sum);
	bs58::encode(data).into_string()
}

/// The account and prefix of an SS58 address (any prefix).
pub fn decode(address: &str) -> Result<([u8; 32], u16), AddressError> {
	let data = bs58::decode(address).into_vec().map_err(|_| AddressError::Base58)?;
	let (prefix, prefix_len) = match data.first() {
		Some(&first) if first < 64 => (u16::from(first), 1),
		Some(&first) if first < 128 && data.len() > 1 => {
			let second = data[1];
			let lower = ((first << 2) | (second >> 6)) as u16;
			let upper = (second & 0b0011_1111) as u16;
			(lower | (upper << 8), 2)
		}
		_ => return Err(AddressError::Format),
	};
	if data.len() != prefix_len + 32 + 2 {
		return Err(AddressError::Format);
	}
	let (body, sum) = data.split_at(prefix_len + 32);
	if checksum(body) != sum {
		return Err(AddressError::Format);
	}
	let mut public = [0u8; 32];
	public.copy_from_slice(&body[prefix_len..]);
	Ok((public, prefix))
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::sp_core::{
		crypto::{Ss58AddressFormat, Ss58Codec},
		sr25519,
	};

	#[test]
	fn matches_sp_core_for_kmcc_and_generic_prefixes() {
		for seed in 0u8..20 {
			let public = sr25519::Public::from_raw([seed.wrapping_mul(37); 32]);
			for prefix in [0u16, 2, 42, 63, 64, 7788, 16_383] {
				let expected = public.to_ss58check_with_version(Ss58AddressFormat::custom(prefix));
				assert_eq!(encode(&public.0, prefix), expected, "prefix {prefix}");
				assert_eq!(decode(&expected), Ok((public.0, prefix)));
			}
		}
	}

	#[test]
	fn rejects_corrupt_addresses() {
		let address = encode(&[7; 32], KMCC_SS58_PREFIX);
		let mut corrupt = address.clone().into_bytes();
		let last = corrupt.len() - 1;
		corrupt[last] = if corrupt[last] == b'a' { b'b' } else { b'a' };
		assert!(decode(core::str::from_utf8(&corrupt).unwrap()).is_err());
		assert_eq!(decode("0OIl"), Err(AddressError::Base58));
		assert_eq!(decode(&address[..address.len() - 2]), Err(AddressError::Format));
	}
}
