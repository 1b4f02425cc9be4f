//! A test runtime: `System`, `Balances` and `Stealth` with a short retention period.

use crate::{self as pallet_stealth};
use kmcc_primitives::{
	currency::{EXISTENTIAL_DEPOSIT, KMCC},
	Balance,
};
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{ConstU128, ConstU32, Hooks},
	},
	frame_system, pallet_balances,
	sp_runtime::{traits::IdentityLookup, BuildStorage},
};

pub type AccountId = u64;
type Block = frame_system::mocking::MockBlock<Test>;

pub const DEPOSIT: Balance = 10 * KMCC;
pub const RETENTION: u64 = 10;
pub const PAGE: u32 = 4;

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
	pub type Stealth = pallet_stealth;
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
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type MaxFreezes = ConstU32<4>;
}

parameter_types! {
	pub const MetaAddressDeposit: Balance = DEPOSIT;
}

impl crate::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Frozen = kmcc_primitives::funds::SystemAccountFrozen<Test>;
	type MetaAddressDeposit = MetaAddressDeposit;
	type MaxAnnouncementsPerBlock = ConstU32<PAGE>;
	type MaxPrunedPerBlock = ConstU32<{ PAGE + 2 }>;
	type WeightInfo = ();
}

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
/// An account with only the existential deposit... plus a little.
pub const POOR: AccountId = 3;

pub fn new_test_ext() -> polkadot_sdk::sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, 1_000 * KMCC), (BOB, 1_000 * KMCC), (POOR, KMCC)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_stealth::GenesisConfig::<Test> { retention_period: RETENTION }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = polkadot_sdk::sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` and then checks the pallet's invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Stealth::do_try_state().expect("invariants hold after the test");
	});
}

/// Moves to block `n`, running `Stealth`'s `on_initialize` (each block starts without events).
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		System::reset_events();
		Stealth::on_initialize(next);
	}
}

/// A valid ephemeral key: the base point `G`.
pub const G: [u8; 32] = kmcc_privacy::BASEPOINT;

/// Stealth events of the current block.
pub fn stealth_events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Stealth(event) => Some(event),
			_ => None,
		})
		.collect()
}
