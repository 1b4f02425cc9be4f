//! SS58 addresses (the format every Substrate wallet shows): KMCC's prefix is 7788.

use polkadot_sdk::sp_core::crypto::{AccountId32, PublicError, Ss58AddressFormat, Ss58Codec};

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

/// The SS58 address of the 32-byte account `public` under `prefix` (`sp_core`'s encoding).
pub fn encode(public: &[u8; 32], prefix: u16) -> String {
	AccountId32::new(*public).to_ss58check_with_version(Ss58AddressFormat::custom(prefix))
}

/// The account and prefix of an SS58 address (any prefix).
pub fn decode(address: &str) -> Result<([u8; 32], u16), AddressError> {
	AccountId32::from_ss58check_with_version(address)
		.map(|(account, format)| (account.into(), format.prefix()))
		.map_err(|error| match error {
			PublicError::BadBase58 => AddressError::Base58,
			_ => AddressError::Format,
		})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn known_addresses_round_trip() {
		// Alice's sr25519 key, under the generic prefix 42 every Substrate tool shows.
		let alice: [u8; 32] =
			hex::decode("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
				.unwrap()
				.try_into()
				.unwrap();
		assert_eq!(encode(&alice, 42), "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
		assert!(encode(&alice, KMCC_SS58_PREFIX).starts_with("h8"));
		for prefix in [0u16, 2, 42, 63, 64, 7788, 16_383] {
			assert_eq!(decode(&encode(&alice, prefix)), Ok((alice, prefix)), "prefix {prefix}");
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
