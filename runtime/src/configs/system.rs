//! System-level configuration: block limits for 2 s blocks, timestamp, utility, sudo.
//!
//! ## Block limits
//!
//! A 2 s block leaves the author about 2/3 of the slot to build and every other validator
//! the rest to import before the next slot starts. As on Polkadot (2 s of compute in 6 s
//! blocks), a block may use **one third of the block time** of reference compute:
//! 666 ms of `ref_time`. 75 % of it is open to normal transactions, the rest is kept for
//! operational ones (e.g. `set_code`). PoV size is irrelevant on a solo chain.
//!
//! Length: 5 MiB per block (the SDK's default), 3.75 MiB of it open to normal transactions.
//! A governance upgrade notes `system.set_code(code)` as a preimage in a normal extrinsic, and
//! the compressed runtime (1.65 MB with `pallet-revive`) must fit in it with room to grow: at
//! 2 MiB per block the normal share (1.5 MiB) was already too small.
//!
//! ## Weights of this node
//!
//! Every weight the runtime charges is measured for this node (`scripts/bench-runtime.sh`,
//! `runtime/src/weights/`): storage reads and writes on ParityDB with a state of realistic size
//! (`DbWeight`), the fixed cost of a block and of an extrinsic (`BlockExecutionWeight`,
//! `ExtrinsicBaseWeight`), and the SDK pallets' calls and transaction extensions.

use polkadot_sdk::{
	frame_support::{
		derive_impl,
		dispatch::DispatchClass,
		parameter_types,
		traits::{ConstU32, Contains},
		weights::{constants::WEIGHT_REF_TIME_PER_SECOND, Weight},
	},
	frame_system::{
		self,
		limits::{BlockLength, BlockWeights},
	},
	pallet_balances, pallet_sudo, pallet_timestamp, pallet_utility,
	sp_runtime::Perbill,
};

use crate::weights::{
	self, block_weights::BlockExecutionWeight, extrinsic_weights::ExtrinsicBaseWeight,
	paritydb_weights::constants::ParityDbWeight,
};
use crate::{
	migrations::SingleBlockMigrations, AccountId, Aura, Balance, Block, BlockNumber, Hash, Nonce,
	OriginCaller, PalletInfo, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, RuntimeTask,
	VERSION,
};
use kmcc_primitives::time::{MILLISECS_PER_BLOCK, SLOT_DURATION};

/// Share of a block's weight and length open to `Normal` transactions.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// Reference compute per block: one third of the block time (see the module doc).
pub const MAXIMUM_BLOCK_REF_TIME: u64 =
	WEIGHT_REF_TIME_PER_SECOND * MILLISECS_PER_BLOCK / 1_000 / 3;

/// Reference compute (and unlimited proof size: a solo chain) per block.
pub const MAXIMUM_BLOCK_WEIGHT: Weight = Weight::from_parts(MAXIMUM_BLOCK_REF_TIME, u64::MAX);

/// Maximum block length in bytes (see the module doc).
pub const MAXIMUM_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

/// SS58 address prefix of KMCC Chain accounts (free in `ss58-registry` 1.51; to be
/// registered before mainnet).
pub const SS58_PREFIX: u16 = 7788;

parameter_types! {
	/// Block hashes kept: bounds the longest mortality era a transaction may use
	/// (4096 blocks, 2.3 h at 2 s).
	pub const BlockHashCount: BlockNumber = 4096;
	pub const Version: polkadot_sdk::sp_version::RuntimeVersion = VERSION;
	/// The SDK's sensible defaults (10 % of a block for `on_initialize`, 25 % kept for
	/// operational extrinsics) with this node's measured block and extrinsic costs.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
		.base_block(BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |weights| {
			weights.base_extrinsic = ExtrinsicBaseWeight::get();
		})
		.for_class(DispatchClass::Normal, |weights| {
			weights.max_total = Some(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.for_class(DispatchClass::Operational, |weights| {
			weights.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			weights.reserved =
				Some(MAXIMUM_BLOCK_WEIGHT.saturating_sub(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT));
		})
		.avg_block_initialization(Perbill::from_percent(10))
		.build_or_panic();
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAXIMUM_BLOCK_LENGTH)
		.modify_max_length_for_class(DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO * *max
		})
		.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;
}

/// Every call except `Balances::burn`: a holder burning their own KMCC would bypass the
/// issuance ledger and the 1 B burn floor (design §2); burns go through `Issuance`. Root
/// (governance) is not filtered.
pub struct KmccCallFilter;

impl Contains<RuntimeCall> for KmccCallFilter {
	fn contains(call: &RuntimeCall) -> bool {
		!matches!(call, RuntimeCall::Balances(pallet_balances::Call::burn { .. }))
	}
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type BaseCallFilter = KmccCallFilter;
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// The node stores state in ParityDB (RocksDB is not built): read and write costs measured
	/// on it.
	type DbWeight = ParityDbWeight;
	type SystemWeightInfo = weights::frame_system::WeightInfo<Runtime>;
	type ExtensionsWeightInfo = weights::frame_system_extensions::WeightInfo<Runtime>;
	type Version = Version;
	type AccountData = polkadot_sdk::pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
	type SingleBlockMigrations = SingleBlockMigrations;
	/// Every account gets its Ethereum address mapping when created, and loses it when
	/// reaped ([`super::evm`], `AutoMap`).
	type OnNewAccount = polkadot_sdk::pallet_revive::AutoMapper<Runtime>;
	type OnKilledAccount = polkadot_sdk::pallet_revive::AutoMapper<Runtime>;
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	/// Aura's slot duration is twice this.
	type MinimumPeriod = polkadot_sdk::frame_support::traits::ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = weights::pallet_timestamp::WeightInfo<Runtime>;
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = weights::pallet_utility::WeightInfo<Runtime>;
}

/// Sudo is for dev/test networks and for a network's launch phase until governance lands; a
/// chain spec without a `sudo.key` disables it.
impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = weights::pallet_sudo::WeightInfo<Runtime>;
}
