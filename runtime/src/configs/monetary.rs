//! Money: balances, fees (to the block author, design §2), vesting, the genesis allocation and
//! the halving emission (`Issuance`).
//!
//! ## Fees
//!
//! `fee = base + WEIGHT_FEE · ref_time · multiplier + ByteFee · length + tip`, where
//! - [`WEIGHT_FEE`] = 10^7 planck per picosecond of reference compute: a full block
//!   (6.7·10^11 ps) costs ~6.7 KMCC, so filling blocks with spam costs over 3 KMCC per
//!   second of chain time;
//! - [`TRANSACTION_BYTE_FEE`] = 10^13 planck per byte;
//! - the multiplier adjusts to congestion as on Polkadot (target 25 % full blocks), and
//!   never goes below 1 (the list price; since spec 116, when Ethereum gas was priced by it).
//!
//! A `transfer_keep_alive` (280.8 µs of weight, 149 bytes) pays 0.0043 KMCC at multiplier 1
//! (`tests/e2e/dev-chain.test.mjs` prints it; 0.0078 KMCC before the weights were measured
//! for this node).
//!
//! Fees and tips go to the block author's DPoS candidate (`Dpos`, design §2/§3): its
//! commission and the share of its own deposit to the candidate, the rest to its lessors pro
//! rata ([`crate::configs::dpos`]); collected into the reward pot during the block and shared
//! once when it finalizes (`pallet_dpos::FeeCollector`).
//!
//! ## Emission (design §2)
//!
//! Each block mints its scheduled reward (≈ 427.79 KMCC in the first 4 months, halving every
//! 4 months for 20 years, never past the 5 B cap) and shares it 45/35/20 %:
//! - masternodes → `Masternodes`' payment queue ([`crate::configs::masternodes`]), or the
//!   [`MasternodeRewardPot`] (`PalletId(*b"kmcc/mnp")`) when no masternode is enabled;
//! - block producer → the author's candidate and its lessors (`Dpos`), like fees;
//! - storage landlords → `StorageSpaces`' fund pool, the [`StorageSubsidyPool`]
//!   (`PalletId(*b"kmcc/ssp")`), which backs the storage price and pays rent
//!   ([`crate::configs::storage`]).
//!
//! Nothing is burned by accident, so the ledger `genesis + minted − burned = total issuance`
//! holds exactly: dust of reaped accounts and fees of blocks without a known author go to the
//! storage subsidy pool, and `Balances::burn` is not callable ([`crate::configs::system`]):
//! the only burns are `Issuance`'s, which respect the 1 B floor.

use kmcc_primitives::pallet_ids::{MASTERNODE_REWARD_POT, STORAGE_SUBSIDY_POOL};
use pallet_kmcc_issuance::{EmissionSchedule, KMCC_EMISSION_SCHEDULE};
use pallet_transaction_payment::{FungibleAdapter, Multiplier, TargetedFeeAdjustment};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{
			tokens::imbalance::ResolveTo, ConstU128, ConstU32, EitherOf, VariantCountOf,
			WithdrawReasons,
		},
		weights::ConstantMultiplier,
		PalletId,
	},
	frame_system::EnsureRoot,
	pallet_balances,
	pallet_revive::evm::fees::BlockRatioFee,
	pallet_transaction_payment, pallet_vesting,
	sp_runtime::{
		traits::{AccountIdConversion, Bounded, ConvertInto},
		FixedPointNumber, Perbill, Perquintill,
	},
};

use crate::{
	currency::{EXISTENTIAL_DEPOSIT, KMCC},
	AccountId, Balance, Balances, Runtime, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason,
	System, Vesting,
};

parameter_types! {
	/// Receives the masternode share of each block's emission (design §4).
	pub MasternodeRewardPot: AccountId =
		PalletId(MASTERNODE_REWARD_POT).into_account_truncating();
	/// Receives the storage landlord share of each block's emission (design §5).
	pub StorageSubsidyPool: AccountId = PalletId(STORAGE_SUBSIDY_POOL).into_account_truncating();
}

/// Fee per picosecond of reference compute, in planck.
pub const WEIGHT_FEE: Balance = 10_000_000;
/// Fee per byte of transaction, in planck.
pub const TRANSACTION_BYTE_FEE: Balance = 10_000_000_000_000;

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ConstU32<50>;
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	/// Dust from reaped accounts goes to the storage subsidy pool (burning it would bypass
	/// the issuance ledger and its floor).
	type DustRemoval = ResolveTo<StorageSubsidyPool, Balances>;
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = crate::weights::pallet_balances::WeightInfo<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	pub const TransactionByteFee: Balance = TRANSACTION_BYTE_FEE;
	/// Polkadot's fee-adjustment parameters: aim for blocks 25 % full.
	pub const TargetBlockFullness: Perquintill = Perquintill::from_percent(25);
	pub AdjustmentVariable: Multiplier = Multiplier::saturating_from_rational(75, 1_000_000);
	/// The fee never falls below the list price: the Ethereum gas price is this multiplier
	/// × 1 gwei ([`super::evm`]), and `Revive` requires it to stay above 0 wei.
	pub MinimumMultiplier: Multiplier = Multiplier::from_u32(1);
	pub MaximumMultiplier: Multiplier = Bounded::max_value();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Fees and tips: collected into the DPoS reward pot and shared by the author's candidate
	/// and its lessors once per block.
	type OnChargeTransaction = FungibleAdapter<Balances, pallet_dpos::FeeCollector<Runtime>>;
	/// Operational transactions (e.g. `set_code` through sudo) pay 5x priority.
	type OperationalFeeMultiplier = polkadot_sdk::frame_support::traits::ConstU8<5>;
	/// [`WEIGHT_FEE`] per picosecond of reference time, or the same price for proof size at
	/// the block's ratio of the two if that is more (never on this solo chain, whose proof
	/// size is unlimited). `Revive` maps gas to fees through this type only.
	type WeightToFee = BlockRatioFee<WEIGHT_FEE, 1, Runtime, Balance>;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = TargetedFeeAdjustment<
		Self,
		TargetBlockFullness,
		AdjustmentVariable,
		MinimumMultiplier,
		MaximumMultiplier,
	>;
	type WeightInfo = crate::weights::pallet_transaction_payment::WeightInfo<Runtime>;
}

parameter_types! {
	/// Smallest amount a `vested_transfer` may lock, so schedules cannot be spammed.
	pub const MinVestedTransfer: Balance = KMCC;
	/// Locked (unvested) funds may still pay transaction fees; they may not be transferred
	/// or reserved.
	pub UnvestedFundsAllowedWithdrawReasons: WithdrawReasons =
		WithdrawReasons::except(WithdrawReasons::TRANSFER | WithdrawReasons::RESERVE);
}

impl pallet_vesting::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type BlockNumberToBalance = ConvertInto;
	type MinVestedTransfer = MinVestedTransfer;
	type WeightInfo = crate::weights::pallet_vesting::WeightInfo<Runtime>;
	type UnvestedFundsAllowedWithdrawReasons = UnvestedFundsAllowedWithdrawReasons;
	type BlockNumberProvider = System;
	/// Team allocations use 5 step schedules each (design §2); 28 is the SDK's usual bound.
	const MAX_VESTING_SCHEDULES: u32 = 28;
}

impl pallet_genesis_allocation::Config for Runtime {
	type Currency = Balances;
	type Vesting = Vesting;
	type MaxUnlockSteps = ConstU32<12>;
}

parameter_types! {
	/// design §2: 4.5 B KMCC over 60 four-month halving periods.
	pub const EmissionScheduleOf: EmissionSchedule = KMCC_EMISSION_SCHEDULE;
	/// design §2: the hard cap, 5 B KMCC.
	pub const MaxSupply: Balance = 5_000_000_000 * KMCC;
	/// design §2: no burn takes total issuance below 1 B KMCC.
	pub const BurnFloor: Balance = 1_000_000_000 * KMCC;
	/// design §2: a buy-back burns 80 % and the foundation keeps 20 %.
	pub const BuybackBurnShare: Perbill = Perbill::from_percent(80);
}

impl pallet_kmcc_issuance::Config for Runtime {
	type Currency = Balances;
	type Schedule = EmissionScheduleOf;
	type MaxSupply = MaxSupply;
	type BurnFloor = BurnFloor;
	type BuybackBurnShare = BuybackBurnShare;
	/// The Dash payment queue; the pot when no masternode is enabled.
	type MasternodeReward = crate::Masternodes;
	/// Shared by the author's candidate and its lessors.
	type ProducerReward = crate::Dpos;
	type StorageSubsidy = crate::StorageSpaces;
	/// Root, or a referendum on the `issuance_admin` track.
	type BuybackOrigin = EitherOf<EnsureRoot<AccountId>, crate::governance::IssuanceAdmin>;
	type AdminOrigin = EitherOf<EnsureRoot<AccountId>, crate::governance::IssuanceAdmin>;
	type WeightInfo = pallet_kmcc_issuance::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = AuraBlockAuthor;
}

/// Benchmarks `on_initialize` with an author the runtime finds: a pre-runtime Aura digest for
/// slot 0, i.e. the first genesis authority.
#[cfg(feature = "runtime-benchmarks")]
pub struct AuraBlockAuthor;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_kmcc_issuance::BenchmarkHelper for AuraBlockAuthor {
	fn prepare_block_author() {
		use codec::Encode;
		use polkadot_sdk::{sp_consensus_aura::AURA_ENGINE_ID, sp_runtime::DigestItem};
		let slot = polkadot_sdk::sp_consensus_aura::Slot::from(0u64);
		System::deposit_log(DigestItem::PreRuntime(AURA_ENGINE_ID, slot.encode()));
	}
}
