//! Checkpoints (design §13): the committee signs this chain's history, so that another chain
//! or a light client can verify any past block or event without following GRANDPA.
//!
//! - `Mmr` appends one leaf per block to a Merkle Mountain Range (keccak256 nodes). Leaf `n`
//!   is written by block `n + 1` and describes block `n` ([`pallet_beefy_mmr`]'s leaf:
//!   version, parent number and hash, the *next* BEEFY authority set's size and Merkle root,
//!   and `leaf_extra`). Each block's root goes into its header as a BEEFY digest.
//! - `Beefy` is the BEEFY authority set: the DPoS committee, one secp256k1 key each (the
//!   `beefy` session key). Every session it changes with the session's validators; a
//!   committee change is therefore signed off by the set that precedes it, and the MMR leaf
//!   announces the next set before it takes over.
//! - In the node, the BEEFY voter signs `keccak256(SCALE(Commitment))` for finalized blocks:
//!   the commitment holds the block number, the validator set id and the MMR root (payload id
//!   `mh`). A commitment with signatures of more than 2/3 of the set is a *checkpoint*
//!   (`beefy_subscribeJustifications`, `beefy_getFinalizedHead`). Every session's first
//!   block is checkpointed; between them at least every [`MIN_BLOCK_DELTA`] blocks.
//! - `BeefyMmrLeaf` keeps the current and next authority sets' Merkle roots (of their
//!   Ethereum addresses, `keccak256` of the uncompressed key's last 20 bytes) for light
//!   clients, and answers `BeefyMmrApi`.
//!
//! BEEFY equivocations (two different votes for one block, a vote for a block of another
//! fork, a vote for a future block) are reported like GRANDPA's: a key-ownership proof from
//! `Historical`, an offence in `Offences`, whose handler `Dpos` slashes the voter's
//! candidate deposit and pays the reporter (design §3).

use polkadot_sdk::{
	frame_support::{parameter_types, traits::KeyOwnerProofSystem, weights::Weight},
	pallet_beefy, pallet_beefy_mmr, pallet_mmr,
	sp_consensus_beefy::{
		ecdsa_crypto::AuthorityId as BeefyId,
		mmr::{BeefyDataProvider, MmrLeafVersion},
	},
	sp_core::{crypto::KeyTypeId, H256},
	sp_runtime::traits::Keccak256,
};

use super::consensus::{ReportLongevity, MAX_AUTHORITIES, SLASHABLE_SESSIONS};
use crate::{Historical, Offences, Runtime};

/// The fewest blocks between two checkpoints the BEEFY voter starts a round for (16 s of
/// 2 s blocks); it checkpoints every session's first block in addition. The node reads it
/// from here.
pub const MIN_BLOCK_DELTA: u32 = 8;

parameter_types! {
	/// Version 0.0 of the MMR leaf layout (`pallet_beefy_mmr::MmrLeaf`); a change to
	/// `leaf_extra`'s meaning bumps the minor version, a change of layout the major one.
	pub LeafVersion: MmrLeafVersion = MmrLeafVersion::new(0, 0);
	/// How many BEEFY set ids stay mapped to their session: as many as GRANDPA's, so a BEEFY
	/// equivocation is slashable as long as the offender's deposit is bonded.
	pub const BeefySetIdSessionEntries: u64 = SLASHABLE_SESSIONS as u64;
}

impl pallet_beefy::Config for Runtime {
	type BeefyId = BeefyId;
	type MaxAuthorities = polkadot_sdk::frame_support::traits::ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = polkadot_sdk::frame_support::traits::ConstU32<0>;
	type MaxSetIdSessionEntries = BeefySetIdSessionEntries;
	/// `BeefyMmrLeaf` records each new set's Merkle root for the MMR leaves.
	type OnNewValidatorSet = crate::BeefyMmrLeaf;
	/// Fork-voting proofs are checked against the MMR (an ancestry proof of the canonical
	/// chain).
	type AncestryHelper = crate::BeefyMmrLeaf;
	type WeightInfo = BeefyWeights;
	type KeyOwnerProof = <Historical as KeyOwnerProofSystem<(KeyTypeId, BeefyId)>>::Proof;
	type EquivocationReportSystem =
		pallet_beefy::EquivocationReportSystem<Self, Offences, Historical, ReportLongevity>;
}

impl pallet_mmr::Config for Runtime {
	const INDEXING_PREFIX: &'static [u8] = polkadot_sdk::sp_mmr_primitives::INDEXING_PREFIX;
	/// keccak256, as BEEFY's light clients (and Ethereum contracts) expect.
	type Hashing = Keccak256;
	type LeafData = crate::BeefyMmrLeaf;
	/// Each block's MMR root goes into its header (`ConsensusLog::MmrRoot`).
	type OnNewRoot = pallet_beefy_mmr::DepositBeefyDigest<Runtime>;
	type BlockHashProvider = pallet_mmr::DefaultBlockHashProvider<Runtime>;
	type WeightInfo = crate::weights::pallet_mmr::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

impl pallet_beefy_mmr::Config for Runtime {
	type LeafVersion = LeafVersion;
	/// Authorities enter the leaf's set root as Ethereum addresses (20 bytes), which a
	/// contract checks with `ecrecover`.
	type BeefyAuthorityToMerkleLeaf = pallet_beefy_mmr::BeefyEcdsaToEthereum;
	type LeafExtra = H256;
	type BeefyDataProvider = MessageRoot;
	type WeightInfo = crate::weights::pallet_beefy_mmr::WeightInfo<Runtime>;
}

/// `leaf_extra` of every MMR leaf: the Merkle root of the cross-chain messages this chain
/// sent in the block. No messages are sent yet, so it is the zero hash; the message lanes
/// fill it, which a leaf-version bump will announce.
pub struct MessageRoot;
impl BeefyDataProvider<H256> for MessageRoot {
	fn extra_data() -> H256 {
		H256::zero()
	}
}

/// BEEFY's weights: the SDK's cost of checking an equivocation (both signatures, the
/// key-ownership proof, the offence record; there is no BEEFY benchmark to run), plus the
/// generated weight of `Dpos`' slash with one reporter, which that model does not include.
pub struct BeefyWeights;
impl pallet_beefy::WeightInfo for BeefyWeights {
	fn report_voting_equivocation(
		votes_count: u32,
		validator_count: u32,
		max_nominators_per_validator: u32,
	) -> Weight {
		use pallet_dpos::WeightInfo as _;
		<() as pallet_beefy::WeightInfo>::report_voting_equivocation(
			votes_count,
			validator_count,
			max_nominators_per_validator,
		)
		.saturating_add(pallet_dpos::weights::SubstrateWeight::<Runtime>::slash(1))
	}

	fn set_new_genesis() -> Weight {
		<() as pallet_beefy::WeightInfo>::set_new_genesis()
	}
}

/// The BEEFY key that the spec 115 migration gives a validator registered before BEEFY
/// existed: `0x00` ‖ its account id. It is unique per validator (as `Session` requires) and
/// no key at all (a compressed secp256k1 key starts with 2 or 3), so nobody can sign with it:
/// the validator replaces it with `session.set_keys`.
pub fn placeholder_beefy_key(account: &crate::AccountId) -> BeefyId {
	let account: &[u8; 32] = account.as_ref();
	let mut raw = [0u8; 33];
	raw[1..].copy_from_slice(account);
	BeefyId::from(polkadot_sdk::sp_core::ecdsa::Public::from_raw(raw))
}
