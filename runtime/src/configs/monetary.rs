//! Money: balances, fees (to the block author, SPEC §2), vesting and the genesis allocation.
//!
//! ## Fees
//!
//! `fee = base + WeightFee · ref_time · multiplier + ByteFee · length + tip`, where
//! - [`WEIGHT_FEE`] = 10^7 planck per picosecond of reference compute: a full block
//!   (6.7·10^11 ps) costs ~6.7 KMCC, so filling blocks with spam costs over 3 KMCC per
//!   second of chain time;
//! - [`TRANSACTION_BYTE_FEE`] = 10^13 planck per byte;
//! - the multiplier adjusts to congestion as on Polkadot (target 25 % full blocks).
//!
//! Measured on the dev chain (`tests/e2e/dev-chain.test.mjs`): a `transfer_keep_alive`
//! pays 0.0078 KMCC.
//!
//! Fees and tips are paid in full to the block author ([`ToBlockAuthor`]); the DPoS pallet
//! will later share them with the author's lessors.

use pallet_transaction_payment::{FungibleAdapter, Multiplier, TargetedFeeAdjustment};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{
			fungible::{Balanced, Credit},
			ConstU128, ConstU32, OnUnbalanced, VariantCountOf, WithdrawReasons,
		},
		weights::ConstantMultiplier,
	},
	pallet_authorship, pallet_balances, pallet_transaction_payment, pallet_vesting,
	sp_runtime::{
		traits::{Bounded, ConvertInto},
		FixedPointNumber, Perquintill,
	},
};

use crate::{
	currency::{EXISTENTIAL_DEPOSIT, KMCC},
	AccountId, Balance, Balances, Runtime, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason,
	System, Vesting,
};

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
	/// Dust from reaped accounts is burned.
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

/// Pays fees and tips to the author of the current block (SPEC §2, Komandor 5.1 (1)).
///
/// If the block has no known author (only possible outside block production, e.g. in
/// `query_info`) or the author account cannot receive the credit (a new account and an amount
/// below the existential deposit), the credit is dropped, which burns it.
pub struct ToBlockAuthor;

impl OnUnbalanced<Credit<AccountId, Balances>> for ToBlockAuthor {
	fn on_nonzero_unbalanced(amount: Credit<AccountId, Balances>) {
		if let Some(author) = pallet_authorship::Pallet::<Runtime>::author() {
			// On failure the returned credit is dropped: burned, as documented above.
			let _ = <Balances as Balanced<AccountId>>::resolve(&author, amount);
		}
	}
}

parameter_types! {
	pub const TransactionByteFee: Balance = TRANSACTION_BYTE_FEE;
	pub const WeightFee: Balance = WEIGHT_FEE;
	/// Polkadot's fee-adjustment parameters: aim for blocks 25 % full.
	pub const TargetBlockFullness: Perquintill = Perquintill::from_percent(25);
	pub AdjustmentVariable: Multiplier = Multiplier::saturating_from_rational(75, 1_000_000);
	pub MinimumMultiplier: Multiplier = Multiplier::saturating_from_rational(1, 10u128);
	pub MaximumMultiplier: Multiplier = Bounded::max_value();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ToBlockAuthor>;
	/// Operational transactions (e.g. `set_code` through sudo) pay 5x priority.
	type OperationalFeeMultiplier = polkadot_sdk::frame_support::traits::ConstU8<5>;
	type WeightToFee = ConstantMultiplier<Balance, WeightFee>;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = TargetedFeeAdjustment<
		Self,
		TargetBlockFullness,
		AdjustmentVariable,
		MinimumMultiplier,
		MaximumMultiplier,
	>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
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
	type WeightInfo = pallet_vesting::weights::SubstrateWeight<Runtime>;
	type UnvestedFundsAllowedWithdrawReasons = UnvestedFundsAllowedWithdrawReasons;
	type BlockNumberProvider = System;
	/// Team allocations use 5 step schedules each (SPEC §2); 28 is the SDK's usual bound.
	const MAX_VESTING_SCHEDULES: u32 = 28;
}

impl pallet_genesis_allocation::Config for Runtime {
	type Currency = Balances;
	type Vesting = Vesting;
	type MaxUnlockSteps = ConstU32<12>;
}
