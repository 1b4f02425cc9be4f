//! Cross-chain exchange (design §12): hash-time-locked swaps of KMCC or `Assets` tokens
//! (`Htlc`), the on-chain half of an atomic swap with another chain (Bitcoin, Ethereum, or a
//! second KMCC network) under the same sha256, keccak256 or blake2 hashlock.
//!
//! A swap's expiry is 10 blocks (20 s) to 30 days after its lock. The classic atomic-swap
//! tools use 48 h for the initiator and 24 h for the participant; the 20 s floor lets a
//! recipient's watcher see the lock before it can already be refunded.

use polkadot_sdk::frame_support::{parameter_types, PalletId};

use super::accounts::deposit;
use crate::{time::DAYS, Assets, Balance, Balances, BlockNumber, Runtime, RuntimeHoldReason};

parameter_types! {
	/// The escrow account of asset swaps is `modl` ‖ `kmcc/htl`.
	pub const HtlcPalletId: PalletId = PalletId(*b"kmcc/htl");
	/// A swap record: one item of about 180 bytes (the terms, the lock block and the deposit,
	/// with the key).
	pub const SwapDeposit: Balance = deposit(1, 180);
	/// The shortest lock: the recipient's watcher has 20 s to see it before a refund.
	pub const MinSwapLockPeriod: BlockNumber = 10;
	/// The longest lock: funds (and a record) are tied up for at most 30 days.
	pub const MaxSwapLockPeriod: BlockNumber = 30 * DAYS;
}

impl pallet_htlc::Config for Runtime {
	type Currency = Balances;
	type Assets = Assets;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// Swaps and their deposits never reuse frozen funds (vesting, conviction votes).
	type Frozen = kmcc_primitives::funds::SystemAccountFrozen<Runtime>;
	type PalletId = HtlcPalletId;
	/// 32-byte secrets are the norm (Bitcoin and Ethereum HTLCs); 64 leaves room for others.
	type MaxPreimageLen = polkadot_sdk::frame_support::traits::ConstU32<64>;
	type MinLockPeriod = MinSwapLockPeriod;
	type MaxLockPeriod = MaxSwapLockPeriod;
	type SwapDeposit = SwapDeposit;
	type WeightInfo = pallet_htlc::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkAssets;
}

/// Creates the benchmarks' asset.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkAssets;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_htlc::BenchmarkHelper<crate::AccountId, u32> for BenchmarkAssets {
	fn funded_asset(who: &crate::AccountId, amount: Balance) -> u32 {
		use polkadot_sdk::frame_support::traits::fungibles::{Create, Inspect, Mutate};
		const ASSET: u32 = 1_000_001;
		if !<Assets as Inspect<crate::AccountId>>::asset_exists(ASSET) {
			// The benchmark's own asset: a failure shows up as the benchmark's failed lock.
			let _ = <Assets as Create<crate::AccountId>>::create(ASSET, who.clone(), true, 1);
		}
		let _ = <Assets as Mutate<crate::AccountId>>::mint_into(ASSET, who, amount);
		ASSET
	}
}
