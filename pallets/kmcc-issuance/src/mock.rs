//! Test runtime: System, Balances and this pallet, with a schedule, cap and floor the tests
//! can change.

use crate::{self as pallet_kmcc_issuance, CreditOf, EmissionSchedule, EmissionSplit};
use kmcc_primitives::{
	currency::{EXISTENTIAL_DEPOSIT, KMCC},
	Balance,
};
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{
			fungible::Balanced, tokens::imbalance::ResolveTo, ConstU128, Hooks, OnUnbalanced,
		},
	},
	frame_system::{self, EnsureRoot},
	pallet_balances,
	sp_runtime::{BuildStorage, Perbill},
};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;

/// Receives the masternode share.
pub const MASTERNODE_POT: AccountId = 100;
/// Receives the storage subsidy share.
pub const STORAGE_POOL: AccountId = 101;
/// The foundation account of the default genesis.
pub const FOUNDATION: AccountId = 7;
/// The block author of the default genesis.
pub const AUTHOR: AccountId = 1;

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
	pub type Issuance = pallet_kmcc_issuance;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = polkadot_sdk::sp_runtime::traits::IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
}

parameter_types! {
	/// A short schedule by default so tests can run through all of it.
	pub storage Schedule: EmissionSchedule =
		EmissionSchedule { total: 4_500 * KMCC, period_blocks: 10, periods: 4 };
	pub storage MaxSupply: Balance = 5_000_000_000 * KMCC;
	pub storage BurnFloor: Balance = 1_000_000_000 * KMCC;
	pub storage BlockAuthor: Option<AccountId> = Some(AUTHOR);
	pub const BuybackBurnShare: Perbill = Perbill::from_percent(80);
	pub const MasternodePot: AccountId = MASTERNODE_POT;
	pub const StoragePool: AccountId = STORAGE_POOL;
}

/// Pays the producer share to [`BlockAuthor`], as the runtime's `ToBlockAuthor` does.
pub struct ToAuthor;
impl OnUnbalanced<CreditOf<Test>> for ToAuthor {
	fn on_nonzero_unbalanced(credit: CreditOf<Test>) {
		if let Some(author) = BlockAuthor::get() {
			let _ = <Balances as Balanced<AccountId>>::resolve(&author, credit);
		}
	}
}

impl crate::Config for Test {
	type Currency = Balances;
	type Schedule = Schedule;
	type MaxSupply = MaxSupply;
	type BurnFloor = BurnFloor;
	type BuybackBurnShare = BuybackBurnShare;
	type MasternodeReward = ResolveTo<MasternodePot, Balances>;
	type ProducerReward = ToAuthor;
	type StorageSubsidy = ResolveTo<StoragePool, Balances>;
	type BuybackOrigin = EnsureRoot<AccountId>;
	type AdminOrigin = EnsureRoot<AccountId>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

/// Genesis with the given balances, split and foundation.
pub fn new_test_ext_with(
	balances: Vec<(AccountId, Balance)>,
	split: EmissionSplit,
	foundation: Option<AccountId>,
) -> polkadot_sdk::sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	// The pots exist from genesis (as in the runtime), so shares below the existential
	// deposit can be paid into them.
	let mut balances = balances;
	balances.extend([(MASTERNODE_POT, EXISTENTIAL_DEPOSIT), (STORAGE_POOL, EXISTENTIAL_DEPOSIT)]);
	pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	pallet_kmcc_issuance::GenesisConfig::<Test> {
		split,
		fee_burn_share: Perbill::from_percent(80),
		foundation,
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = polkadot_sdk::sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(0));
	ext
}

/// Default genesis: 1.2 B KMCC in total, the foundation holding 150 M.
pub fn new_test_ext() -> polkadot_sdk::sp_io::TestExternalities {
	new_test_ext_with(
		vec![(AUTHOR, 1_000 * KMCC), (2, 1_049_999_000 * KMCC), (FOUNDATION, 150_000_000 * KMCC)],
		EmissionSplit::default(),
		Some(FOUNDATION),
	)
}

/// Runs `test` on [`new_test_ext`], then checks the pallet's invariants (`try_state`).
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Issuance::check_ledger().expect("invariants hold after the test");
	});
}

/// Runs `on_initialize` and `on_finalize` of blocks up to and including `n`.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::reset_events();
		System::set_block_number(next);
		Issuance::on_initialize(next);
		Issuance::on_finalize(next);
	}
}

/// Starts block 1 (events are not recorded in block 0) and clears its events.
pub fn start_at_block_1() {
	run_to_block(1);
	System::reset_events();
}

/// Balance of `who`.
pub fn balance(who: AccountId) -> Balance {
	pallet_balances::Pallet::<Test>::free_balance(who)
}

/// Total issuance.
pub fn total_issuance() -> Balance {
	pallet_balances::Pallet::<Test>::total_issuance()
}

/// This pallet's events since the last `reset_events`.
pub fn issuance_events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Issuance(e) => Some(e),
			_ => None,
		})
		.collect()
}
