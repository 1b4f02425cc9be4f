//! A test runtime: `System`, `Balances`, `Assets` and `Htlc`, with lock periods of 5 to 100
//! blocks, a 1-unit record deposit and secrets of at most 64 bytes.

use crate::{self as pallet_htlc, HashAlgorithm, SwapAsset, SwapId};
use kmcc_primitives::Balance;
use polkadot_sdk::{
	frame_support::{
		assert_ok, derive_impl, parameter_types,
		traits::{fungible::InspectHold, AsEnsureOriginWithArg, ConstU128, ConstU32, ConstU64},
		PalletId,
	},
	frame_system::{self, EnsureRoot, EnsureSigned},
	pallet_assets, pallet_balances,
	sp_runtime::{traits::IdentityLookup, BuildStorage},
};

pub type AccountId = u64;
pub type AssetId = u32;
type Block = frame_system::mocking::MockBlock<Test>;

/// One unit of the mock currency (existential deposit 1 unit).
pub const UNIT: Balance = 1_000_000;
pub const DEPOSIT: Balance = UNIT;
pub const MIN_PERIOD: u64 = 5;
pub const MAX_PERIOD: u64 = 100;
pub const MAX_PREIMAGE: u32 = 64;
/// An asset everyone holds; its minimum balance is 1 unit.
pub const GOLD: AssetId = 7;

#[polkadot_sdk::frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeTask
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Assets = pallet_assets;
	#[runtime::pallet_index(3)]
	pub type Htlc = pallet_htlc;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type ExistentialDeposit = ConstU128<UNIT>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type MaxFreezes = ConstU32<4>;
	type FreezeIdentifier = RuntimeFreezeReason;
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Test {
	type Balance = Balance;
	type AssetId = AssetId;
	type AssetIdParameter = AssetId;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Freezer = ();
	type Holder = ();
}

parameter_types! {
	pub const HtlcPalletId: PalletId = PalletId(*b"kmcc/htl");
}

impl crate::Config for Test {
	type Currency = Balances;
	type Assets = Assets;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Frozen = kmcc_primitives::funds::SystemAccountFrozen<Test>;
	type PalletId = HtlcPalletId;
	type MaxPreimageLen = ConstU32<MAX_PREIMAGE>;
	type MinLockPeriod = ConstU64<MIN_PERIOD>;
	type MaxLockPeriod = ConstU64<MAX_PERIOD>;
	type SwapDeposit = ConstU128<DEPOSIT>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = AssetsHelper;
}

/// Creates asset `GOLD` (if needed) and mints into the account.
#[cfg(feature = "runtime-benchmarks")]
pub struct AssetsHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, AssetId> for AssetsHelper {
	fn funded_asset(who: &AccountId, amount: Balance) -> AssetId {
		if !pallet_assets::Asset::<Test>::contains_key(GOLD) {
			assert_ok!(<Assets as polkadot_sdk::frame_support::traits::fungibles::Create<
				AccountId,
			>>::create(GOLD, ALICE, true, UNIT));
		}
		assert_ok!(<Assets as polkadot_sdk::frame_support::traits::fungibles::Mutate<AccountId>>::mint_into(GOLD, who, amount));
		GOLD
	}
}

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
/// Has no account.
pub const NOBODY: AccountId = 99;

/// Every named account starts with 1,000 units of KMCC and (but `NOBODY`) 1,000 of `GOLD`.
pub fn new_test_ext() -> polkadot_sdk::sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [ALICE, BOB, CHARLIE].iter().map(|a| (*a, 1_000 * UNIT)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_assets::GenesisConfig::<Test> {
		// Not sufficient: a holder needs a KMCC account, as on the runtime.
		assets: vec![(GOLD, ALICE, false, UNIT)],
		metadata: vec![],
		accounts: [ALICE, BOB, CHARLIE].iter().map(|a| (GOLD, *a, 1_000 * UNIT)).collect(),
		next_asset_id: None,
		reserves: vec![],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext: polkadot_sdk::sp_io::TestExternalities = storage.into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// `new_test_ext` that checks the invariants after `test`.
pub fn test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Htlc::do_try_state().expect("invariants hold");
	});
}

/// Moves to block `n` (the pallet has no per-block hooks).
pub fn run_to(n: u64) {
	System::set_block_number(n);
}

/// The secret of the tests and its hashlock.
pub const SECRET: &[u8] = b"a 32-byte secret for the swaps!!";

pub fn hashlock(algorithm: HashAlgorithm) -> [u8; 32] {
	algorithm.digest(SECRET)
}

/// Alice locks `amount` of `asset` for Bob under sha256(SECRET) until `expiry`; the id.
pub fn lock(asset: SwapAsset<AssetId>, amount: Balance, expiry: u64) -> SwapId {
	assert_ok!(Htlc::lock(
		RuntimeOrigin::signed(ALICE),
		BOB,
		asset,
		amount,
		hashlock(HashAlgorithm::Sha256),
		HashAlgorithm::Sha256,
		expiry,
	));
	last_id()
}

/// The id in the last `Locked` event.
pub fn last_id() -> SwapId {
	System::events()
		.iter()
		.rev()
		.find_map(|r| match &r.event {
			RuntimeEvent::Htlc(crate::Event::Locked { id, .. }) => Some(*id),
			_ => None,
		})
		.expect("a Locked event")
}

/// Free KMCC of `who`.
pub fn free(who: AccountId) -> Balance {
	Balances::free_balance(who)
}

/// KMCC `who` has on hold for `reason`.
pub fn held(reason: crate::HoldReason, who: AccountId) -> Balance {
	Balances::balance_on_hold(&reason.into(), &who)
}

/// `GOLD` units of `who`.
pub fn gold(who: AccountId) -> Balance {
	Assets::balance(GOLD, who)
}

/// Freezes `amount` of `who`'s KMCC, as a lock or freeze of another pallet would.
pub fn freeze(who: AccountId, amount: Balance) {
	frame_system::Account::<Test>::mutate(who, |a| a.data.frozen = amount);
}
