//! Storage spaces (design §5): landlords, the world disk priced by a Bancor curve, rent from
//! the fund pool, proof of spacetime.
//!
//! The fund pool is the storage subsidy pool (`PalletId(*b"kmcc/ssp")`): `Issuance` pays the
//! 20 % landlord share of each block's emission into it through `StorageSpaces`, and dust and
//! fees of author-less blocks land there too. Proof rounds are 20 blocks (40 s); expiries are
//! rounded up to the minute.
//!
//! First-release bounds (raised by runtime upgrade as the network grows): 256 landlords of
//! up to 16 GiB (256 copy groups of 64 MiB), a world disk of up to 2,048 groups (128 GiB),
//! spaces of up to 16 groups (1 GiB), replica count up to 8.

use kmcc_primitives::pallet_ids::STORAGE_SUBSIDY_POOL;
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstU32, ConstU64, Randomness},
		PalletId,
	},
	frame_system,
	sp_io::hashing::blake2_256,
};

use crate::{Balances, BlockNumber, Hash, Runtime, RuntimeHoldReason, Timestamp};

parameter_types! {
	pub const StoragePoolId: PalletId = PalletId(STORAGE_SUBSIDY_POOL);
}

/// Challenge randomness: `blake2_256(subject ‖ parent hash)`.
///
/// The parent hash is known to the author of the block that closes a round, who could only
/// bias a challenge by withholding its block (losing its reward); challenges only pick which
/// 4 KiB window of each group a daemon hashes, so biasing them gains nothing against a
/// landlord that stores its replicas.
pub struct ParentHashRandomness;

impl Randomness<Hash, BlockNumber> for ParentHashRandomness {
	fn random(subject: &[u8]) -> (Hash, BlockNumber) {
		let parent = frame_system::Pallet::<Runtime>::parent_hash();
		let number = frame_system::Pallet::<Runtime>::block_number().saturating_sub(1);
		let mut input = subject.to_vec();
		input.extend_from_slice(parent.as_ref());
		(Hash::from(blake2_256(&input)), number)
	}
}

impl pallet_storage_spaces::Config for Runtime {
	type Currency = Balances;
	/// Collateral never reuses frozen funds (vesting); leases are holds, so it cannot take them.
	type Frozen = kmcc_primitives::funds::SystemAccountFrozen<Runtime>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Time = Timestamp;
	type Randomness = ParentHashRandomness;
	type NodeId = pallet_storage_spaces::crypto::NodeId;
	/// Root, or a referendum on the `storage_admin` track.
	type AdminOrigin = polkadot_sdk::frame_support::traits::EitherOf<
		frame_system::EnsureRoot<crate::AccountId>,
		crate::governance::StorageAdmin,
	>;
	type PalletId = StoragePoolId;
	type ChallengePeriod = ConstU32<20>;
	type ChallengeLength = ConstU32<4096>;
	type ExpiryBucketMs = ConstU64<60_000>;
	type MaxBucketsPerBlock = ConstU32<8>;
	type MaxLandlords = ConstU32<256>;
	type MaxGroupsPerLandlord = ConstU32<256>;
	type MaxCopyGroups = ConstU32<2048>;
	type MaxReplicas = ConstU32<8>;
	type MaxChunkSetsPerSpace = ConstU32<16>;
	type MaxSpacesPerBucket = ConstU32<256>;
	type MaxReclaimsPerOrder = ConstU32<16>;
	type MaxGrantsPerSpace = ConstU32<32>;
	type MaxEndpointLength = ConstU32<128>;
	type WeightInfo = pallet_storage_spaces::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = SetTimestamp;
}

/// Sets the timestamp in benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct SetTimestamp;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_storage_spaces::benchmarking::BenchmarkHelper for SetTimestamp {
	fn set_time(ms: u64) {
		polkadot_sdk::pallet_timestamp::Now::<Runtime>::put(ms);
	}
}
