//! Records the pallet stores, takes and returns.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use kmcc_primitives::Balance;
use kmcc_privacy::Point;
use polkadot_sdk::sp_runtime::Permill;
use scale_info::TypeInfo;

/// Position of a deposit in its denomination's key list.
pub type DepositIndex = u32;

/// Most keys one runtime-API page returns.
pub const MAX_PAGE: u32 = 1_024;

/// The counters of one denomination's pool.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct PoolInfo {
	/// Keys deposited (the key list holds indices `0..deposits`): the anonymity set.
	pub deposits: u32,
	/// Withdrawals made (key images spent); the pool owes `denomination × (deposits −
	/// withdrawals)`.
	pub withdrawals: u32,
}

/// A deposited key.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct DepositRecord<BlockNumber> {
	/// The one-time ring key `K = k·G`.
	pub key: Point,
	/// The block of the deposit (wallets pick decoys by age).
	pub block: BlockNumber,
}

/// The pool's limits (genesis, then the admin origin).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Default,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct MixerParameters {
	/// Smallest ring a withdrawal may use (the least anonymity set it may claim).
	pub min_ring: u32,
	/// Largest ring (at most the runtime's `MaxRingSize`, which bounds the weight).
	pub max_ring: u32,
	/// Most of the denomination a relayer fee may take.
	pub max_fee: Permill,
}

/// What a withdrawal pays and to whom; its ring signature signs exactly this (with the genesis
/// hash), see `kmcc_privacy::mixer`.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Withdrawal<AccountId, Ring> {
	/// The pool.
	pub denomination: Balance,
	/// Indices of the ring's keys in the pool's key list, strictly increasing.
	pub ring: Ring,
	/// Who receives `denomination − fee`.
	pub recipient: AccountId,
	/// Who submitted it and receives `fee` (none: `fee` is 0).
	pub relayer: Option<AccountId>,
	/// The relayer's fee.
	pub fee: Balance,
	/// For a recipient that is a stealth one-time account: its announcement, recorded so the
	/// recipient's wallet finds the payment.
	pub announcement: Option<StealthNote>,
}

/// A stealth announcement carried by a withdrawal.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct StealthNote {
	/// The ephemeral key `R`.
	pub ephemeral: Point,
	/// The view tag.
	pub view_tag: u8,
}

/// One page of a pool's keys (the runtime API).
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct KeysPage<BlockNumber> {
	/// `(index, key, deposit block)` in index order.
	pub items: Vec<(DepositIndex, Point, BlockNumber)>,
	/// The index to ask for next (`end` once everything was read).
	pub next: DepositIndex,
	/// The pool's number of deposits.
	pub end: DepositIndex,
}

/// A pool as wallets see it (the runtime API).
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct PoolStatus {
	/// The denomination.
	pub denomination: Balance,
	/// Keys deposited: the anonymity set a ring is drawn from.
	pub deposits: u32,
	/// Withdrawals made.
	pub withdrawals: u32,
}
