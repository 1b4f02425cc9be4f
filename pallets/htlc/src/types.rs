//! The swap record, the hash functions a hashlock may use, and the swap id.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_io::hashing::{blake2_256, keccak_256, sha2_256};
use scale_info::TypeInfo;

/// A 32-byte hashlock: `H(preimage)` for the swap's [`HashAlgorithm`].
pub type Hashlock = [u8; 32];

/// A swap's id: [`swap_id`] of its terms.
pub type SwapId = [u8; 32];

/// The hash function of a hashlock. `Sha256` is what Bitcoin scripts (`OP_SHA256`) and the
/// common Ethereum HTLC contracts use, so a swap can pair with either; `Keccak256` is
/// Solidity's `keccak256`; `Blake2_256` is Substrate's.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum HashAlgorithm {
	/// SHA-256 (FIPS 180-4).
	Sha256,
	/// Keccak-256 (Ethereum's `keccak256`, not FIPS SHA3-256).
	Keccak256,
	/// BLAKE2b with a 256-bit output.
	Blake2_256,
}

impl HashAlgorithm {
	/// `H(data)`.
	pub fn digest(self, data: &[u8]) -> Hashlock {
		match self {
			HashAlgorithm::Sha256 => sha2_256(data),
			HashAlgorithm::Keccak256 => keccak_256(data),
			HashAlgorithm::Blake2_256 => blake2_256(data),
		}
	}

	/// Whether `preimage` opens `hashlock`.
	pub fn opens(self, preimage: &[u8], hashlock: &Hashlock) -> bool {
		&self.digest(preimage) == hashlock
	}
}

/// What a swap locks: KMCC (held on the sender's account) or units of a `pallet-assets`
/// asset (kept in the pallet's escrow account).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum SwapAsset<AssetId> {
	/// KMCC.
	Native,
	/// A `pallet-assets` asset.
	Asset(AssetId),
}

/// A swap's terms, as [`Pallet::lock`](crate::Pallet::lock) takes them and as the swap id
/// commits to them.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct SwapTerms<AccountId, AssetId, Balance, BlockNumber> {
	/// Who locked the funds, and gets them back after `expiry`.
	pub sender: AccountId,
	/// Who gets the funds for the preimage before `expiry`.
	pub recipient: AccountId,
	/// What is locked.
	pub asset: SwapAsset<AssetId>,
	/// How much is locked.
	pub amount: Balance,
	/// `H(preimage)`.
	pub hashlock: Hashlock,
	/// `H`.
	pub algorithm: HashAlgorithm,
	/// The first block at which the swap can no longer be claimed and can be refunded.
	pub expiry: BlockNumber,
}

/// A swap as stored: its terms, the block it was locked in and the record deposit held on
/// the sender.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Swap<AccountId, AssetId, Balance, BlockNumber> {
	/// The terms.
	pub terms: SwapTerms<AccountId, AssetId, Balance, BlockNumber>,
	/// The block of the lock.
	pub locked_at: BlockNumber,
	/// The KMCC deposit held for the record, returned to the sender when the swap ends.
	pub deposit: Balance,
}

/// The domain of swap ids.
pub const SWAP_ID_CONTEXT: &[u8] = b"kmcc/htlc/v1";

/// A swap's id: `blake2_256("kmcc/htlc/v1" ‖ SCALE(terms))`. Both parties compute it from
/// the terms they agreed, so the counterparty finds (and audits) the swap without trusting
/// the sender's word; the same terms cannot be locked twice while a swap with them is open.
pub fn swap_id<AccountId: Encode, AssetId: Encode, Balance: Encode, BlockNumber: Encode>(
	terms: &SwapTerms<AccountId, AssetId, Balance, BlockNumber>,
) -> SwapId {
	let mut data = SWAP_ID_CONTEXT.to_vec();
	terms.encode_to(&mut data);
	blake2_256(&data)
}
