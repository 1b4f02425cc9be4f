//! polkadot.js JSON keystore files (version 3): what `@polkadot/keyring`'s `toJson` writes and
//! `addFromJson` imports, so a key of this wallet — a one-time stealth account included — can
//! be used in polkadot.js apps or the browser extension.
//!
//! Format: `encoded` is base64 of `salt (32) ‖ N ‖ p ‖ r (u32 LE each) ‖ nonce (24) ‖
//! secretbox(pkcs8)`; the box key is scrypt(password, salt, N = 2^15, p = 1, r = 8) and the box
//! is NaCl's xsalsa20-poly1305. `pkcs8` is polkadot.js's 117-byte layout: a 16-byte header, the
//! sr25519 secret key in its 64-byte "ed25519" form (schnorrkel's `to_ed25519_bytes`), a 5-byte
//! divider and the public key.

use base64::Engine;
use crypto_secretbox::{
	aead::{Aead, KeyInit},
	Key, Nonce, XSalsa20Poly1305,
};
use kmcc_privacy::schnorrkel::{Keypair, SecretKey};
use rand::RngCore;
use serde::{Deserialize, Serialize};

const PKCS8_HEADER: [u8; 16] = [48, 83, 2, 1, 1, 48, 5, 6, 3, 43, 101, 112, 4, 34, 4, 32];
const PKCS8_DIVIDER: [u8; 5] = [161, 35, 3, 33, 0];
const PKCS8_LEN: usize = 16 + 64 + 5 + 32;
/// scrypt parameters polkadot.js writes (and the only ones this module reads).
const SCRYPT_LOG_N: u8 = 15;
const SCRYPT_P: u32 = 1;
const SCRYPT_R: u32 = 8;

/// What can go wrong with a keystore file.
#[derive(Debug, thiserror::Error)]
pub enum KeystoreError {
	/// Not the JSON of a keystore file.
	#[error("not a polkadot.js keystore file: {0}")]
	Json(#[from] serde_json::Error),
	/// Another encoding than pkcs8 + sr25519 under scrypt + xsalsa20-poly1305, version 3.
	#[error("unsupported keystore encoding (sr25519, scrypt, xsalsa20-poly1305, version 3 only)")]
	Unsupported,
	/// The password does not open it, or the file is damaged.
	#[error("wrong password or damaged keystore file")]
	Decrypt,
	/// The decrypted key does not match the file's address.
	#[error("the keystore's key does not match its address")]
	Mismatch,
}

/// The `encoding` object of a keystore file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Encoding {
	/// `["pkcs8", "sr25519"]`.
	pub content: Vec<String>,
	/// `["scrypt", "xsalsa20-poly1305"]`.
	#[serde(rename = "type")]
	pub kind: Vec<String>,
	/// `"3"`.
	pub version: String,
}

/// The `meta` object (what polkadot.js shows).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
	/// The account's name.
	pub name: String,
	/// Milliseconds since the Unix epoch.
	pub when_created: u64,
	/// `0x…` genesis hash of the chain the account is for, or empty.
	#[serde(default)]
	pub genesis_hash: String,
}

/// A polkadot.js keystore file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeystoreFile {
	/// The encrypted key.
	pub encoded: String,
	/// How it is encoded.
	pub encoding: Encoding,
	/// The account's SS58 address.
	pub address: String,
	/// Name and creation time.
	pub meta: Meta,
}

fn scrypt_key(password: &str, salt: &[u8]) -> Key {
	let params = scrypt::Params::new(SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P, 32)
		.expect("constant scrypt parameters are valid");
	let mut key = Key::default();
	scrypt::scrypt(password.as_bytes(), salt, &params, &mut key)
		.expect("a 32-byte output is valid for scrypt");
	key
}

/// Encrypts `secret` under `password` as a keystore file for `address`.
pub fn encrypt(secret: &SecretKey, address: String, password: &str, meta: Meta) -> KeystoreFile {
	let mut pkcs8 = Vec::with_capacity(PKCS8_LEN);
	pkcs8.extend_from_slice(&PKCS8_HEADER);
	pkcs8.extend_from_slice(&secret.to_ed25519_bytes());
	pkcs8.extend_from_slice(&PKCS8_DIVIDER);
	pkcs8.extend_from_slice(&secret.to_public().to_bytes());

	let mut salt = [0u8; 32];
	let mut nonce = [0u8; 24];
	rand::thread_rng().fill_bytes(&mut salt);
	rand::thread_rng().fill_bytes(&mut nonce);
	let sealed = XSalsa20Poly1305::new(&scrypt_key(password, &salt))
		.encrypt(Nonce::from_slice(&nonce), pkcs8.as_slice())
		.expect("xsalsa20-poly1305 encrypts any length");

	let mut encoded = Vec::with_capacity(68 + sealed.len());
	encoded.extend_from_slice(&salt);
	encoded.extend_from_slice(&(1u32 << SCRYPT_LOG_N).to_le_bytes());
	encoded.extend_from_slice(&SCRYPT_P.to_le_bytes());
	encoded.extend_from_slice(&SCRYPT_R.to_le_bytes());
	encoded.extend_from_slice(&nonce);
	encoded.extend_from_slice(&sealed);
	KeystoreFile {
		encoded: base64::engine::general_purpose::STANDARD.encode(encoded),
		encoding: Encoding {
			content: vec!["pkcs8".into(), "sr25519".into()],
			kind: vec!["scrypt".into(), "xsalsa20-poly1305".into()],
			version: "3".into(),
		},
		address,
		meta,
	}
}

/// Opens a keystore file with `password`; the key must match the file's address.
pub fn decrypt(file: &KeystoreFile, password: &str) -> Result<Keypair, KeystoreError> {
	let encoding = &file.encoding;
	let has = |list: &[String], item: &str| list.iter().any(|x| x == item);
	if encoding.version != "3"
		|| !has(&encoding.content, "pkcs8")
		|| !has(&encoding.content, "sr25519")
		|| !has(&encoding.kind, "scrypt")
		|| !has(&encoding.kind, "xsalsa20-poly1305")
	{
		return Err(KeystoreError::Unsupported);
	}
	let encoded = base64::engine::general_purpose::STANDARD
		.decode(&file.encoded)
		.map_err(|_| KeystoreError::Decrypt)?;
	if encoded.len() < 68 {
		return Err(KeystoreError::Decrypt);
	}
	let u32_at = |at: usize| u32::from_le_bytes([0, 1, 2, 3].map(|i| encoded[at + i]));
	if (u32_at(32), u32_at(36), u32_at(40)) != (1 << SCRYPT_LOG_N, SCRYPT_P, SCRYPT_R) {
		return Err(KeystoreError::Unsupported);
	}
	let pkcs8 = XSalsa20Poly1305::new(&scrypt_key(password, &encoded[..32]))
		.decrypt(Nonce::from_slice(&encoded[44..68]), &encoded[68..])
		.map_err(|_| KeystoreError::Decrypt)?;
	if pkcs8.len() != PKCS8_LEN || pkcs8[..16] != PKCS8_HEADER || pkcs8[80..85] != PKCS8_DIVIDER {
		return Err(KeystoreError::Decrypt);
	}
	let secret =
		SecretKey::from_ed25519_bytes(&pkcs8[16..80]).map_err(|_| KeystoreError::Decrypt)?;
	let public = secret.to_public();
	let (address_key, _) =
		crate::address::decode(&file.address).map_err(|_| KeystoreError::Mismatch)?;
	if public.to_bytes()[..] != pkcs8[85..] || public.to_bytes() != address_key {
		return Err(KeystoreError::Mismatch);
	}
	Ok(Keypair { secret, public })
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::address::{encode, KMCC_SS58_PREFIX};
	use kmcc_privacy::schnorrkel::{ExpansionMode, MiniSecretKey};

	fn keypair(seed: u8) -> Keypair {
		MiniSecretKey::from_bytes(&[seed; 32]).unwrap().expand_to_keypair(ExpansionMode::Ed25519)
	}

	fn file_for(pair: &Keypair, password: &str) -> KeystoreFile {
		let address = encode(&pair.public.to_bytes(), KMCC_SS58_PREFIX);
		encrypt(&pair.secret, address, password, Meta { name: "test".into(), ..Meta::default() })
	}

	#[test]
	fn a_file_opens_with_its_password_only() {
		let pair = keypair(1);
		let file = file_for(&pair, "correct horse");
		let opened = decrypt(&file, "correct horse").unwrap();
		assert_eq!(opened.public, pair.public);
		assert_eq!(opened.secret.to_bytes()[..32], pair.secret.to_bytes()[..32]);
		assert!(matches!(decrypt(&file, "wrong"), Err(KeystoreError::Decrypt)));
	}

	/// subxt-signer's polkadot.js loader (independent code, tested against files polkadot.js
	/// wrote) opens our files and finds the same key.
	#[test]
	fn subxt_signers_polkadot_js_loader_reads_our_files() {
		let pair = keypair(2);
		let json = serde_json::to_string(&file_for(&pair, "pw")).unwrap();
		let opened = subxt_signer::polkadot_js_compat::decrypt_json(&json, "pw").unwrap();
		assert_eq!(opened.public_key().0, pair.public.to_bytes());
	}

	#[test]
	fn tampered_files_are_refused() {
		let pair = keypair(3);
		let mut file = file_for(&pair, "pw");
		file.address = encode(&keypair(4).public.to_bytes(), KMCC_SS58_PREFIX);
		assert!(matches!(decrypt(&file, "pw"), Err(KeystoreError::Mismatch)));
		let mut file = file_for(&pair, "pw");
		file.encoding.version = "2".into();
		assert!(matches!(decrypt(&file, "pw"), Err(KeystoreError::Unsupported)));
		let mut file = file_for(&pair, "pw");
		file.encoded.replace_range(100..104, "AAAA");
		assert!(matches!(decrypt(&file, "pw"), Err(KeystoreError::Decrypt)));
	}
}
