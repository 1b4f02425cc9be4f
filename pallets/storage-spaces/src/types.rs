//! Records kept by the pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use kmcc_primitives::currency::KMCC;
use kmcc_primitives::Balance;
use polkadot_sdk::{
	frame_support::{pallet_prelude::Get, BoundedVec},
	sp_core::H256,
	sp_runtime::Perbill,
};
use scale_info::TypeInfo;

/// Id of a copy group: the 64 chunks `[64·g, 64·g + 64)` of the world disk.
pub type GroupId = u32;
/// Id of a space (an order).
pub type SpaceId = u64;
/// A proof-of-spacetime round (`ChallengePeriod` blocks).
pub type Round = u32;

/// Parameters set at genesis (and by `AdminOrigin` with `set_parameters`).
#[derive(
	Clone,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct StorageParameters<BlockNumber> {
	/// Landlords per copy group (distinct accounts), 4 by default.
	pub replica_count: u32,
	/// Collateral held per started GiB of registered capacity.
	pub collateral_per_gib: Balance,
	/// Bancor reserve ratio `c` (20 %).
	pub reserve_ratio: Perbill,
	/// Blocks from `leave` to `withdraw_collateral`.
	pub unbonding_period: BlockNumber,
	/// Faults within `fault_window` rounds that blacklist a landlord.
	pub max_faults: u32,
	/// Length of the fault window in rounds.
	pub fault_window: u32,
	/// Share of the collateral slashed to the pool on blacklisting.
	pub fault_slash: Perbill,
	/// Fee of an availability report, paid into the pool.
	pub report_fee: Balance,
}

impl<BlockNumber: From<u32>> Default for StorageParameters<BlockNumber> {
	/// Production values (the `mainnet-template` preset): 4 replicas, 100 KMCC per GiB,
	/// `c` = 20 %, 7 days unbonding, blacklisting at 432 faults (10 % of the rounds) in a
	/// 4,320-round (48 h) window with the whole collateral slashed, reports cost 10 KMCC.
	fn default() -> Self {
		Self {
			replica_count: 4,
			collateral_per_gib: 100 * KMCC,
			reserve_ratio: Perbill::from_percent(20),
			unbonding_period: kmcc_primitives::time::DAYS.saturating_mul(7).into(),
			max_faults: 432,
			fault_window: 4_320,
			fault_slash: Perbill::one(),
			report_fee: 10 * KMCC,
		}
	}
}

/// Where a landlord stands.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen, Debug)]
pub enum LandlordStatus<BlockNumber> {
	/// Serving copy groups and earning rent.
	Active,
	/// Left its groups; the collateral is released at `unlocks_at`.
	Leaving { unlocks_at: BlockNumber },
	/// Slashed for repeated faults; may not register again with this account.
	Blacklisted,
}

/// A storage provider.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen, Debug)]
#[scale_info(skip_type_params(MaxGroups))]
#[codec(mel_bound(NodeId: MaxEncodedLen, BlockNumber: MaxEncodedLen, Endpoint: MaxEncodedLen))]
pub struct Landlord<NodeId, BlockNumber, Endpoint, MaxGroups: Get<u32>> {
	/// The storage daemon's signing key (signs space proofs).
	pub node: NodeId,
	/// Where clients reach the daemon.
	pub endpoint: Endpoint,
	/// Registered capacity; used in whole copy groups of 64 MiB.
	pub capacity_mib: u32,
	/// Collateral held.
	pub collateral: Balance,
	/// Copy groups it is a member of.
	pub groups: BoundedVec<GroupId, MaxGroups>,
	/// Active, leaving or blacklisted.
	pub status: LandlordStatus<BlockNumber>,
	/// Faults in the current window.
	pub faults: u32,
	/// First round of the current fault window.
	pub fault_window_start: Round,
}

/// 64 chunks of the world disk stored by each of its members.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen, Debug)]
#[scale_info(skip_type_params(MaxReplicas))]
#[codec(mel_bound(AccountId: MaxEncodedLen))]
pub struct CopyGroup<AccountId, MaxReplicas: Get<u32>> {
	/// Landlords storing a replica (distinct).
	pub members: BoundedVec<AccountId, MaxReplicas>,
	/// Chunks sold to spaces: bit `i` is chunk `64·g + i`.
	pub used: u64,
	/// Last round in which its membership changed (no faults for that round).
	pub changed_round: Round,
}

/// A copy group's counted proof of a round: the data hash its quorum signed and the members
/// whose votes for that hash counted (late votes join until the round closes).
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen, Debug)]
#[scale_info(skip_type_params(MaxReplicas))]
#[codec(mel_bound(AccountId: MaxEncodedLen))]
pub struct GroupProof<AccountId, MaxReplicas: Get<u32>> {
	/// The round proven.
	pub round: Round,
	/// The data hash of the challenged window the quorum signed.
	pub data_hash: H256,
	/// Members whose votes for `data_hash` counted.
	pub passed: BoundedVec<AccountId, MaxReplicas>,
}

/// Access granted on a space to another account (a slice user, e.g. a mail recipient).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Debug,
)]
pub enum Access {
	/// May read.
	Read,
	/// May read and write.
	Write,
}

/// Chunks of one copy group held by a space: bit `i` of `mask` is chunk `64·group + i`.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen, Debug)]
pub struct ChunkSet {
	/// The copy group.
	pub group: GroupId,
	/// Chunks of the group.
	pub mask: u64,
}

/// A rented, writable space (a virtual disk).
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen, Debug)]
#[scale_info(skip_type_params(MaxSets))]
#[codec(mel_bound(AccountId: MaxEncodedLen))]
pub struct Space<AccountId, MaxSets: Get<u32>> {
	/// Who paid for it and may write it.
	pub owner: AccountId,
	/// Size in MiB (= chunks).
	pub size_mib: u32,
	/// Its chunks.
	pub chunks: BoundedVec<ChunkSet, MaxSets>,
	/// Rent-clock time (ms) when it locks; always a bucket boundary.
	pub expires_at: u64,
	/// Accounts granted access.
	pub grants: u32,
}

/// The current proof-of-spacetime challenge.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen, Debug, Default)]
pub struct Challenge<BlockNumber> {
	/// The round it opens.
	pub round: Round,
	/// Randomness it was derived from.
	pub seed: H256,
	/// Block it was issued at.
	pub issued_at: BlockNumber,
}

/// The window of a copy group's data that a challenge asks for.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ChallengeWindow {
	/// Chunk of the world disk (in the group).
	pub chunk: u64,
	/// Byte offset in the chunk.
	pub offset: u32,
	/// Bytes to hash.
	pub length: u32,
}

/// One member's answer in a space verification transaction.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct ProofVote<AccountId, Signature> {
	/// The landlord.
	pub landlord: AccountId,
	/// Hash of the challenged window it holds.
	pub data_hash: H256,
	/// Its node key's signature over [`crate::Pallet::proof_payload`].
	pub signature: Signature,
}
