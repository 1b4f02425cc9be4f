//! Mail cryptography of the `kmcc` wallet (design §10): the account's x25519 mail key, the
//! message envelope sealed with NaCl `crypto_box_seal`, and the attachment layers.
//!
//! ## Keys
//!
//! An account's mail key is x25519, derived from its sr25519 secret:
//! `x25519 secret = blake2b-256("kmcc/mail/x25519/v1" ‖ sr25519 secret key)`, so the wallet
//! keeps no extra file and a restored account reads its old mail. The public key is what
//! `Mail.set_encryption_key` / `register_alias` publish.
//!
//! ## Messages
//!
//! A message on chain is `crypto_box_seal(envelope, recipient key)`: libsodium's sealed box,
//! `ephemeral public key (32) ‖ crypto_box(envelope)` with a fresh ephemeral key per message
//! and the nonce `blake2b-192(ephemeral public ‖ recipient public)`. Any libsodium
//! (`crypto_box_seal_open`) or TweetNaCl (`nacl.box.open` with that nonce) opens it. The
//! envelope is compact JSON:
//!
//! ```text
//! {"v":1,"from":"<ss58>","subject":"…","body":"…",
//!  "attachment":{"name":"…","size":<plaintext bytes>,"k1":"<hex 32>"}}
//! ```
//!
//! `from` repeats the signer of the transaction; the wallet shows a message whose envelope
//! names another account as forged (a copied ciphertext, or a lie).
//!
//! ## Attachments
//!
//! `layer(K, data) = nonce (24) ‖ XSalsa20-Poly1305(K, nonce, data)` (NaCl `secretbox`). A
//! free attachment is stored as `layer(K1, file)`, a paid one as `layer(K2, layer(K1, file))`;
//! `K1` is random and travels in the envelope. `K2 = blake2b-256("kmcc/mail/k2/v1" ‖ sender
//! secret ‖ outer nonce)`: the sender's wallet re-derives it from the first 24 bytes of the
//! stored attachment, so delivering the key needs no local state. The chain holds
//! `blake2_256(stored bytes)` and `blake2_256("kmcc/mail/key/v1" ‖ K2)`.

use anyhow::{anyhow, bail, Result};
use blake2::{
	digest::{consts::U32, Digest},
	Blake2b,
};
use crypto_box::{PublicKey, SecretKey};
use crypto_secretbox::{
	aead::{Aead, KeyInit},
	Key, Nonce, XSalsa20Poly1305,
};
use rand::RngCore;
use serde::{Deserialize, Serialize};

/// Domain of the mail key derivation.
pub const MAIL_KEY_CONTEXT: &[u8] = b"kmcc/mail/x25519/v1";
/// Domain of the outer-layer key derivation.
pub const OUTER_KEY_CONTEXT: &[u8] = b"kmcc/mail/k2/v1";
/// Domain of the on-chain key commitment (the runtime's `pallet_mail::key_commitment`).
pub const KEY_COMMITMENT_CONTEXT: &[u8] = b"kmcc/mail/key/v1";
/// Bytes a sealed box adds to its plaintext: ephemeral key (32) and Poly1305 tag (16).
pub const SEAL_OVERHEAD: usize = 48;
/// Bytes a layer adds: nonce (24) and tag (16).
pub const LAYER_OVERHEAD: usize = 40;

fn blake2b_256(parts: &[&[u8]]) -> [u8; 32] {
	let mut hasher = Blake2b::<U32>::new();
	for part in parts {
		hasher.update(part);
	}
	hasher.finalize().into()
}

/// `blake2_256` of `data` (the content hash of an attachment), as the storage daemons hash.
pub use kmcc_storage::daemon::blake2_256 as content_hash;

/// The chain's commitment to an outer-layer key.
pub fn key_commitment(key: &[u8; 32]) -> [u8; 32] {
	blake2b_256(&[KEY_COMMITMENT_CONTEXT, key])
}

/// The mail secret key of an account with the sr25519 secret key `secret` (its 64 bytes).
pub fn mail_secret(secret: &[u8]) -> SecretKey {
	SecretKey::from(blake2b_256(&[MAIL_KEY_CONTEXT, secret]))
}

/// The mail public key of that account.
pub fn mail_public(secret: &[u8]) -> [u8; 32] {
	*mail_secret(secret).public_key().as_bytes()
}

/// Seals `plaintext` to `recipient` (libsodium `crypto_box_seal`).
pub fn seal(recipient: &[u8; 32], plaintext: &[u8]) -> Result<Vec<u8>> {
	PublicKey::from(*recipient)
		.seal(&mut rand::rngs::OsRng, plaintext)
		.map_err(|_| anyhow!("cannot seal the message"))
}

/// Opens a sealed box with the mail secret key.
pub fn open(secret: &SecretKey, sealed: &[u8]) -> Result<Vec<u8>> {
	secret.unseal(sealed).map_err(|_| anyhow!("this message is not sealed to this account's key"))
}

/// `nonce ‖ secretbox(key, nonce, data)` with a random nonce.
pub fn layer(key: &[u8; 32], data: &[u8]) -> Result<Vec<u8>> {
	let mut nonce = [0u8; 24];
	rand::rngs::OsRng.fill_bytes(&mut nonce);
	layer_with_nonce(key, &nonce, data)
}

fn layer_with_nonce(key: &[u8; 32], nonce: &[u8; 24], data: &[u8]) -> Result<Vec<u8>> {
	let sealed = XSalsa20Poly1305::new(Key::from_slice(key))
		.encrypt(Nonce::from_slice(nonce), data)
		.map_err(|_| anyhow!("cannot encrypt"))?;
	Ok([&nonce[..], &sealed].concat())
}

/// Removes a layer; fails unless `key` is the layer's key and the bytes are intact.
pub fn unlayer(key: &[u8; 32], data: &[u8]) -> Result<Vec<u8>> {
	if data.len() < LAYER_OVERHEAD {
		bail!("too short to be an encrypted attachment");
	}
	let (nonce, sealed) = data.split_at(24);
	XSalsa20Poly1305::new(Key::from_slice(key))
		.decrypt(Nonce::from_slice(nonce), sealed)
		.map_err(|_| anyhow!("the key does not open this layer"))
}

/// The outer-layer key of a paid attachment whose stored bytes start with `nonce`.
pub fn outer_key(sender_secret: &[u8], nonce: &[u8; 24]) -> [u8; 32] {
	blake2b_256(&[OUTER_KEY_CONTEXT, sender_secret, nonce])
}

/// An attachment ready to be written: the bytes to store and what the message carries.
pub struct SealedAttachment {
	/// The bytes to store in the space.
	pub stored: Vec<u8>,
	/// The inner key (in the envelope).
	pub k1: [u8; 32],
	/// The outer key of a paid attachment (revealed on payment).
	pub k2: Option<[u8; 32]>,
}

/// Encrypts `file` for an attachment: one layer, or two when `paid`.
pub fn seal_attachment(sender_secret: &[u8], file: &[u8], paid: bool) -> Result<SealedAttachment> {
	let mut k1 = [0u8; 32];
	rand::rngs::OsRng.fill_bytes(&mut k1);
	let inner = layer(&k1, file)?;
	if !paid {
		return Ok(SealedAttachment { stored: inner, k1, k2: None });
	}
	let mut nonce = [0u8; 24];
	rand::rngs::OsRng.fill_bytes(&mut nonce);
	let k2 = outer_key(sender_secret, &nonce);
	Ok(SealedAttachment { stored: layer_with_nonce(&k2, &nonce, &inner)?, k1, k2: Some(k2) })
}

/// The envelope's attachment part.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvelopeAttachment {
	/// The file's name.
	pub name: String,
	/// Plaintext bytes.
	pub size: u64,
	/// The inner key, hex.
	pub k1: String,
}

/// What a message says (sealed to the recipient).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
	/// Format version (1).
	pub v: u8,
	/// The sender's address.
	pub from: String,
	/// The subject.
	pub subject: String,
	/// The body.
	pub body: String,
	/// The attachment's name, size and inner key.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub attachment: Option<EnvelopeAttachment>,
}

impl Envelope {
	/// The envelope's bytes.
	pub fn encode(&self) -> Vec<u8> {
		serde_json::to_vec(self).expect("an envelope serializes")
	}

	/// Reads an envelope.
	pub fn decode(bytes: &[u8]) -> Result<Self> {
		let envelope: Envelope =
			serde_json::from_slice(bytes).map_err(|e| anyhow!("not a mail envelope: {e}"))?;
		if envelope.v != 1 {
			bail!("unknown envelope version {}", envelope.v);
		}
		Ok(envelope)
	}

	/// The inner key of the attachment.
	pub fn k1(&self) -> Result<[u8; 32]> {
		let a = self.attachment.as_ref().ok_or_else(|| anyhow!("the message has no attachment"))?;
		hex::decode(&a.k1)
			.ok()
			.and_then(|k| k.try_into().ok())
			.ok_or_else(|| anyhow!("the envelope's attachment key is not 32 bytes of hex"))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn sealed_messages_open_only_with_the_recipients_key() {
		let (alice, eve) = ([1u8; 64], [2u8; 64]);
		let envelope = Envelope {
			v: 1,
			from: "5Bob".into(),
			subject: "hi".into(),
			body: "see attached".into(),
			attachment: None,
		};
		let sealed = seal(&mail_public(&alice), &envelope.encode()).unwrap();
		assert_eq!(sealed.len(), envelope.encode().len() + SEAL_OVERHEAD);
		let opened = open(&mail_secret(&alice), &sealed).unwrap();
		assert_eq!(Envelope::decode(&opened).unwrap(), envelope);
		assert!(open(&mail_secret(&eve), &sealed).is_err());
		// A fresh ephemeral key per message: the same envelope seals differently.
		assert_ne!(sealed, seal(&mail_public(&alice), &envelope.encode()).unwrap());
	}

	#[test]
	fn a_paid_attachment_needs_both_keys_and_the_sender_rederives_k2() {
		let sender = [7u8; 64];
		let file: Vec<u8> = (0..100_000u32).map(|i| i as u8).collect();
		let sealed = seal_attachment(&sender, &file, true).unwrap();
		assert_eq!(sealed.stored.len(), file.len() + 2 * LAYER_OVERHEAD);
		let k2 = sealed.k2.unwrap();
		let nonce: [u8; 24] = sealed.stored[..24].try_into().unwrap();
		assert_eq!(outer_key(&sender, &nonce), k2);
		assert!(unlayer(&sealed.k1, &sealed.stored).is_err());
		let inner = unlayer(&k2, &sealed.stored).unwrap();
		assert_eq!(unlayer(&sealed.k1, &inner).unwrap(), file);
		let mut damaged = sealed.stored.clone();
		damaged[1_000] ^= 1;
		assert!(unlayer(&k2, &damaged).is_err());
		let free = seal_attachment(&sender, &file, false).unwrap();
		assert!(free.k2.is_none());
		assert_eq!(unlayer(&free.k1, &free.stored).unwrap(), file);
	}

	#[test]
	fn the_commitment_matches_the_runtimes() {
		// The vector `pallet_mail`'s tests check against the runtime's hashing.
		assert_eq!(
			hex::encode(key_commitment(&[0x11; 32])),
			"bf99c76e7daabebe90b9879a1ef534a5fe0bda78370da2424891d20b7d7729c9"
		);
	}
}
