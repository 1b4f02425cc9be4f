//! Stealth payments: meta-addresses, announcements, scanning and one-time keys (see the crate
//! documentation for the formulas and byte formats).

use blake2::{digest::consts::U32, Blake2b, Digest};
use curve25519_dalek::{
	constants::{RISTRETTO_BASEPOINT_COMPRESSED, RISTRETTO_BASEPOINT_POINT},
	ristretto::{CompressedRistretto, RistrettoPoint},
	scalar::Scalar,
};
use schnorrkel::{
	derive::{ChainCode, Derivation},
	PublicKey, SecretKey,
};

type Blake2b256 = Blake2b<U32>;

/// Domain of the chain code hash.
pub const CHAIN_CODE_DOMAIN: &[u8] = b"kmcc/stealth/v1/chain-code";
/// Domain of the view-tag hash.
pub const VIEW_TAG_DOMAIN: &[u8] = b"kmcc/stealth/v1/view-tag";
/// Domain of the meta-address checksum.
pub const META_ADDRESS_DOMAIN: &[u8] = b"kmcc/stealth/v1/meta-address";
/// Domain of a one-time secret key's signing nonce.
pub const NONCE_DOMAIN: &[u8] = b"kmcc/stealth/v1/nonce";
/// Prefix of a meta-address string.
pub const META_ADDRESS_PREFIX: &str = "kmst";
/// Version byte of the meta-address encoding.
pub const META_ADDRESS_VERSION: u8 = 1;

/// A compressed ristretto255 point: an sr25519 public key.
pub type Point = [u8; 32];

/// The ristretto255 base point `G`, compressed (a valid key wherever one is needed in tests
/// and benchmarks).
pub const BASEPOINT: Point = RISTRETTO_BASEPOINT_COMPRESSED.0;

/// What can be wrong with stealth input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
	/// 32 bytes that are not a canonical ristretto255 point.
	InvalidPoint,
	/// An ephemeral secret that reduces to zero (the shared point would be public).
	ZeroScalar,
	/// A meta-address string with the wrong prefix, length, version or checksum.
	InvalidMetaAddress,
}

/// A recipient's published keys: payments are found with the view key's secret and spent
/// with the spend key's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MetaAddress {
	/// `A = a·G`.
	pub view: Point,
	/// `B = b·G`.
	pub spend: Point,
}

/// What a stealth payment publishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Announcement {
	/// `R = r·G`.
	pub ephemeral: Point,
	/// `P`, the one-time account.
	pub one_time: Point,
	/// The first byte of the view-tag hash.
	pub view_tag: u8,
}

/// Whether `bytes` is a canonical ristretto255 point (what the runtime accepts as an
/// ephemeral key).
pub fn is_valid_point(bytes: &Point) -> bool {
	decompress(bytes).is_ok()
}

/// Whether `bytes` can be a payment's ephemeral key `R`: a canonical point other than the
/// identity (`r = 0` would make the shared point public).
pub fn is_valid_ephemeral(bytes: &Point) -> bool {
	decompress(bytes).is_ok_and(|point| point != RistrettoPoint::default())
}

fn decompress(bytes: &Point) -> Result<RistrettoPoint, Error> {
	CompressedRistretto(*bytes).decompress().ok_or(Error::InvalidPoint)
}

fn hash(domain: &[u8], shared: &Point, index: u32) -> [u8; 32] {
	let mut hasher = Blake2b256::new();
	hasher.update(domain);
	hasher.update(shared);
	hasher.update(index.to_le_bytes());
	hasher.finalize().into()
}

/// The soft-derivation chain code of output `index` for the shared point `S`.
pub fn chain_code(shared: &Point, index: u32) -> [u8; 32] {
	hash(CHAIN_CODE_DOMAIN, shared, index)
}

/// The view tag of output `index` for the shared point `S`.
pub fn view_tag(shared: &Point, index: u32) -> u8 {
	hash(VIEW_TAG_DOMAIN, shared, index)[0]
}

/// `P = B.derive(Soft(cc))`: sr25519 soft derivation of the spend key (schnorrkel's
/// `derived_key_simple` with an empty index, as `sp_core` does for a soft junction).
pub fn one_time_public(spend: &Point, chain_code: [u8; 32]) -> Result<Point, Error> {
	let spend = PublicKey::from_bytes(spend).map_err(|_| Error::InvalidPoint)?;
	Ok(spend.derived_key_simple(ChainCode(chain_code), []).0.to_bytes())
}

/// The sender's side: the announcement of output `index` to `meta`, with the ephemeral
/// secret `r` given as 64 uniformly random bytes (reduced mod ℓ).
pub fn announce(
	meta: &MetaAddress,
	ephemeral_secret: &[u8; 64],
	index: u32,
) -> Result<Announcement, Error> {
	let r = Scalar::from_bytes_mod_order_wide(ephemeral_secret);
	if r == Scalar::ZERO {
		return Err(Error::ZeroScalar);
	}
	let view = decompress(&meta.view)?;
	decompress(&meta.spend)?;
	let shared = (r * view).compress().to_bytes();
	let chain_code = chain_code(&shared, index);
	Ok(Announcement {
		ephemeral: (r * RISTRETTO_BASEPOINT_POINT).compress().to_bytes(),
		one_time: one_time_public(&meta.spend, chain_code)?,
		view_tag: view_tag(&shared, index),
	})
}

/// The scalar of an sr25519 secret key.
fn secret_scalar(secret: &SecretKey) -> Scalar {
	let bytes = secret.to_bytes();
	let mut key = [0u8; 32];
	key.copy_from_slice(&bytes[..32]);
	Scalar::from_bytes_mod_order(key)
}

/// The shared point `S = a·R` the recipient computes for an announcement.
pub fn shared_point(view_secret: &SecretKey, ephemeral: &Point) -> Result<Point, Error> {
	Ok((secret_scalar(view_secret) * decompress(ephemeral)?).compress().to_bytes())
}

/// The recipient's side: whether `announcement` (output `index`) pays the meta-address of
/// `view_secret` and `spend`, and if so the chain code that derives its one-time key. Needs
/// only the view secret; a wrong view tag is rejected after one hash.
pub fn scan(
	view_secret: &SecretKey,
	spend: &Point,
	announcement: &Announcement,
	index: u32,
) -> Option<[u8; 32]> {
	let shared = shared_point(view_secret, &announcement.ephemeral).ok()?;
	if view_tag(&shared, index) != announcement.view_tag {
		return None;
	}
	let chain_code = chain_code(&shared, index);
	(one_time_public(spend, chain_code).ok()? == announcement.one_time).then_some(chain_code)
}

/// The one-time secret key `x = b + h` for a found payment, with a nonce derived from `x` (see
/// the crate doc), so the same payment always gives the same 64-byte secret. `x·G` is the
/// one-time account.
#[cfg(feature = "std")]
pub fn one_time_secret(
	spend: &schnorrkel::Keypair,
	chain_code: [u8; 32],
) -> Result<SecretKey, Error> {
	let (derived, _) = spend.derived_key_simple(ChainCode(chain_code), []);
	let mut bytes = derived.secret.to_bytes();
	let mut hasher = Blake2b256::new();
	hasher.update(NONCE_DOMAIN);
	hasher.update(&bytes[..32]);
	bytes[32..].copy_from_slice(&hasher.finalize());
	SecretKey::from_bytes(&bytes).map_err(|_| Error::InvalidPoint)
}

#[cfg(feature = "std")]
fn meta_address_checksum(payload: &[u8]) -> [u8; 4] {
	let mut hasher = Blake2b256::new();
	hasher.update(META_ADDRESS_DOMAIN);
	hasher.update(payload);
	let digest: [u8; 32] = hasher.finalize().into();
	[digest[0], digest[1], digest[2], digest[3]]
}

#[cfg(feature = "std")]
impl MetaAddress {
	/// `kmst` + base58(`0x01 ‖ A ‖ B ‖ checksum`).
	pub fn encode(&self) -> String {
		let mut payload = Vec::with_capacity(69);
		payload.push(META_ADDRESS_VERSION);
		payload.extend_from_slice(&self.view);
		payload.extend_from_slice(&self.spend);
		let checksum = meta_address_checksum(&payload);
		payload.extend_from_slice(&checksum);
		format!("{META_ADDRESS_PREFIX}{}", bs58::encode(payload).into_string())
	}

	/// Parses [`MetaAddress::encode`]'s output; both keys must be valid points.
	pub fn decode(text: &str) -> Result<Self, Error> {
		let body = text.strip_prefix(META_ADDRESS_PREFIX).ok_or(Error::InvalidMetaAddress)?;
		let payload = bs58::decode(body).into_vec().map_err(|_| Error::InvalidMetaAddress)?;
		if payload.len() != 69 || payload[0] != META_ADDRESS_VERSION {
			return Err(Error::InvalidMetaAddress);
		}
		if meta_address_checksum(&payload[..65]) != payload[65..] {
			return Err(Error::InvalidMetaAddress);
		}
		let mut meta = MetaAddress { view: [0; 32], spend: [0; 32] };
		meta.view.copy_from_slice(&payload[1..33]);
		meta.spend.copy_from_slice(&payload[33..65]);
		if !is_valid_point(&meta.view) || !is_valid_point(&meta.spend) {
			return Err(Error::InvalidMetaAddress);
		}
		Ok(meta)
	}
}

#[cfg(test)]
mod tests;
