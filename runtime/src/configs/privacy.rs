//! Privacy (design §8): stealth payments (transfers to one-time sr25519 accounts and the
//! announcement index wallets scan) and the mixing pool.
//!
//! At most 128 announcements a block (64 stealth payments a second, far above the chain's
//! expected privacy traffic) kept for [`ANNOUNCEMENT_RETENTION`] on mainnet: the index never
//! exceeds 14 days × 43,200 blocks × 128 × 105 bytes ≈ 8.1 GB, and filling it costs one
//! transaction fee per entry. Pruning removes up to 256 a block, twice the intake.

use polkadot_sdk::{
	frame_support::{parameter_types, traits::ConstU32, PalletId},
	sp_runtime::{transaction_validity::TransactionPriority, Permill},
};

use crate::{time::DAYS, Balance, Balances, BlockNumber, Runtime, RuntimeHoldReason, KMCC};

/// How long mainnet keeps announcements: a wallet offline for two weeks still finds its
/// payments without an archive node.
pub const ANNOUNCEMENT_RETENTION: BlockNumber = 14 * DAYS;

parameter_types! {
	/// Held while a meta-address is published (one storage item of 80 bytes).
	pub const MetaAddressDeposit: Balance = KMCC;
}

impl pallet_stealth::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// Deposits never reuse frozen funds (vesting); leases are holds, so they cannot take them.
	type Frozen = kmcc_primitives::funds::SystemAccountFrozen<Runtime>;
	type MetaAddressDeposit = MetaAddressDeposit;
	type MaxAnnouncementsPerBlock = ConstU32<128>;
	type MaxPrunedPerBlock = ConstU32<256>;
	type WeightInfo = pallet_stealth::weights::SubstrateWeight<Runtime>;
}

/// Mixing-pool denominations of every network: 10, 100, 1,000 and 10,000 KMCC.
pub fn mixer_denominations() -> alloc::vec::Vec<Balance> {
	alloc::vec![10 * KMCC, 100 * KMCC, 1_000 * KMCC, 10_000 * KMCC]
}

/// Mainnet's mixing parameters: rings of 16 to 64 keys (16 is Monero's ring size), relayer
/// fees up to 1 % of the denomination.
pub const MAINNET_MIXER_PARAMETERS: pallet_mixer::MixerParameters =
	pallet_mixer::MixerParameters { min_ring: 16, max_ring: 64, max_fee: Permill::from_percent(1) };

parameter_types! {
	/// The pool account is `modl` ‖ `kmcc/mix`.
	pub const MixerPalletId: PalletId = PalletId(*b"kmcc/mix");
	/// Withdrawals rank with ordinary transactions of a moderate tip: they pay no fee, so
	/// they get no fee-based priority.
	pub const WithdrawalPriority: TransactionPriority = TransactionPriority::MAX / 4;
	/// A withdrawal waits at most 5 minutes in the pool.
	pub const WithdrawalLongevity: u64 = 150;
}

impl pallet_mixer::Config for Runtime {
	type Currency = Balances;
	type Announcer = crate::Stealth;
	/// Root, or a referendum on the `privacy_admin` track.
	type AdminOrigin = polkadot_sdk::frame_support::traits::EitherOf<
		polkadot_sdk::frame_system::EnsureRoot<crate::AccountId>,
		crate::governance::PrivacyAdmin,
	>;
	type PalletId = MixerPalletId;
	/// Bounds the weight of one withdrawal (see the README for the cost per ring member).
	type MaxRingSize = ConstU32<64>;
	type MaxDenominations = ConstU32<16>;
	type WithdrawalPriority = WithdrawalPriority;
	type WithdrawalLongevity = WithdrawalLongevity;
	type WeightInfo = pallet_mixer::weights::SubstrateWeight<Runtime>;
}
