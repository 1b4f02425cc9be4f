//! Stealth payments (design §8): transfers to one-time sr25519 accounts and the announcement
//! index wallets scan.
//!
//! At most 128 announcements a block (64 stealth payments a second, far above the chain's
//! expected privacy traffic) kept for [`ANNOUNCEMENT_RETENTION`] on mainnet: the index never
//! exceeds 14 days × 43,200 blocks × 128 × 105 bytes ≈ 8.1 GB, and filling it costs one
//! transaction fee per entry. Pruning removes up to 256 a block, twice the intake.

use polkadot_sdk::frame_support::{parameter_types, traits::ConstU32};

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
