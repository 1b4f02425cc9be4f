//! Test runtime: System, Timestamp, Balances and this pallet. Blocks are 2 s apart; the
//! storage share of emission is paid by calling the pallet's `OnUnbalanced` as `Issuance`
//! does.

use crate::{self as pallet_storage_spaces, crypto::NodeId, EndpointOf, ParametersOf};
use codec::Encode;
use kmcc_primitives::{
	currency::{EXISTENTIAL_DEPOSIT, KMCC},
	Balance,
};
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{
			fungible::Balanced, ConstU128, ConstU32, ConstU64, Hooks, OnUnbalanced, Randomness,
		},
		PalletId,
	},
	frame_system, pallet_balances, pallet_timestamp,
	sp_core::H256,
	sp_io::hashing::blake2_256,
	sp_runtime::{traits::IdentityLookup, BuildStorage, Perbill},
};

pub type AccountId = u64;
type Block = frame_system::mocking::MockBlock<Test>;

/// Milliseconds per block.
pub const BLOCK_MS: u64 = 2_000;
/// Genesis time.
pub const GENESIS_MS: u64 = 1_000_000;
/// Collateral per GiB in tests.
pub const PER_GIB: Balance = 100 * KMCC;
thread_local! {
	/// Storage share of emission per block in tests (0 unless set).
	pub static SUBSIDY: core::cell::Cell<Balance> = const { core::cell::Cell::new(0) };
}

/// Pays `amount` of subsidy into the pool every block from now on.
pub fn set_subsidy(amount: Balance) {
	SUBSIDY.with(|s| s.set(amount));
}

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
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(3)]
	pub type StorageSpaces = pallet_storage_spaces;
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
}

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = ConstU64<1>;
	type WeightInfo = ();
}

/// Randomness from the block number (tests only).
pub struct TestRandomness;
impl Randomness<H256, u64> for TestRandomness {
	fn random(subject: &[u8]) -> (H256, u64) {
		let n = System::block_number();
		(H256::from(blake2_256(&(subject, n).encode())), n)
	}
}

parameter_types! {
	pub const StoragePalletId: PalletId = PalletId(*b"kmcc/ssp");
}

impl crate::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Time = Timestamp;
	type Randomness = TestRandomness;
	type NodeId = NodeId;
	type Frozen = kmcc_primitives::funds::SystemAccountFrozen<Test>;
	type AdminOrigin = frame_system::EnsureRoot<AccountId>;
	type PalletId = StoragePalletId;
	type ChallengePeriod = ConstU64<20>;
	type ChallengeLength = ConstU32<4096>;
	type ExpiryBucketMs = ConstU64<60_000>;
	type MaxBucketsPerBlock = ConstU32<8>;
	type MaxLandlords = ConstU32<16>;
	type MaxGroupsPerLandlord = ConstU32<16>;
	type MaxCopyGroups = ConstU32<64>;
	type MaxReplicas = ConstU32<8>;
	type MaxChunkSetsPerSpace = ConstU32<8>;
	type MaxSpacesPerBucket = ConstU32<4>;
	type MaxReclaimsPerOrder = ConstU32<4>;
	type MaxGrantsPerSpace = ConstU32<2>;
	type MaxEndpointLength = ConstU32<64>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = SetTimestamp;
}

/// Sets the timestamp in benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct SetTimestamp;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper for SetTimestamp {
	fn set_time(ms: u64) {
		pallet_timestamp::Now::<Test>::put(ms);
	}
}

/// Test parameters: 4 replicas, 100 KMCC per GiB, c = 20 %, unbonding 10 blocks,
/// 3 faults in 5 rounds blacklist, 100 % slashed, reports cost 1 KMCC.
pub fn parameters() -> ParametersOf<Test> {
	crate::StorageParameters {
		replica_count: 4,
		collateral_per_gib: PER_GIB,
		reserve_ratio: Perbill::from_percent(20),
		unbonding_period: 10,
		max_faults: 3,
		fault_window: 5,
		fault_slash: Perbill::one(),
		report_fee: KMCC,
	}
}

/// Genesis: accounts 1..=9 hold 1,000,000 KMCC, the pool exists with the ED.
pub fn new_test_ext() -> polkadot_sdk::sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut balances: Vec<(AccountId, Balance)> = (1..=9).map(|a| (a, 1_000_000 * KMCC)).collect();
	balances.push((pool(), EXISTENTIAL_DEPOSIT));
	pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	pallet_storage_spaces::GenesisConfig::<Test> { parameters: parameters() }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = polkadot_sdk::sp_io::TestExternalities::new(storage);
	ext.register_extension(polkadot_sdk::sp_keystore::KeystoreExt::new(
		polkadot_sdk::sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| {
		set_subsidy(0);
		System::set_block_number(1);
		pallet_timestamp::Now::<Test>::put(GENESIS_MS);
		StorageSpaces::on_initialize(1);
	});
	ext
}

/// Runs `test` on [`new_test_ext`], then checks every invariant of the pallet (`try_state`).
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		StorageSpaces::check_invariants().expect("invariants hold after the test");
	});
}

/// The pool account.
pub fn pool() -> AccountId {
	use polkadot_sdk::sp_runtime::traits::AccountIdConversion;
	StoragePalletId::get().into_account_truncating()
}

/// A deterministic node key, also put in the test keystore.
pub fn node(seed: u64) -> NodeId {
	let suri = format!("//Storage{seed}").into_bytes();
	NodeId::from(polkadot_sdk::sp_io::crypto::sr25519_generate(crate::crypto::KEY_TYPE, Some(suri)))
}

/// Node key `seed`'s proof that it serves `landlord`.
pub fn ownership(seed: u64, landlord: AccountId) -> crate::NodeSignatureOf<Test> {
	use polkadot_sdk::sp_runtime::RuntimeAppPublic;
	node(seed).sign(&crate::node_ownership_payload(&landlord)).expect("key in the keystore")
}

/// An endpoint.
pub fn endpoint(seed: u64) -> EndpointOf<Test> {
	format!("/dns/landlord{seed}.example/tcp/4000").into_bytes().try_into().unwrap()
}

/// Runs blocks up to `n`, each 2 s after the previous; the timestamp of a block is set after
/// its `on_initialize` (as the inherent does), and the storage share is paid first.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		let subsidy = SUBSIDY.with(|s| s.get());
		if subsidy > 0 {
			let credit = <Balances as Balanced<AccountId>>::issue(subsidy);
			<StorageSpaces as OnUnbalanced<_>>::on_unbalanced(credit);
		}
		StorageSpaces::on_initialize(next);
		pallet_timestamp::Now::<Test>::mutate(|now| *now += BLOCK_MS);
	}
}

/// This pallet's events so far.
pub fn events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::StorageSpaces(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// Free balance.
pub fn free(who: AccountId) -> Balance {
	pallet_balances::Pallet::<Test>::free_balance(who)
}

/// Jumps the chain's time forward by `ms` (a stall), then runs blocks until the rent clock
/// caught up.
pub fn jump(ms: u64) {
	pallet_timestamp::Now::<Test>::mutate(|now| *now += ms);
	loop {
		run_to_block(System::block_number() + 1);
		if crate::RentClock::<Test>::get() + BLOCK_MS >= pallet_timestamp::Now::<Test>::get() {
			break;
		}
	}
}
