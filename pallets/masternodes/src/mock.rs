//! Test runtime: System, Balances and this pallet; the share is paid by calling the pallet's
//! `OnUnbalanced` as `Issuance` does.

use crate::{self as pallet_masternodes, crypto::OperatorId, EndpointOf};
use kmcc_primitives::{
	currency::{EXISTENTIAL_DEPOSIT, KMCC},
	Balance,
};
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{fungible::Balanced, ConstU128, ConstU32, ConstU64, Hooks, OnUnbalanced},
	},
	frame_system, pallet_balances,
	sp_runtime::{testing::TestXt, traits::IdentityLookup, BuildStorage, RuntimeAppPublic},
};

pub type AccountId = u64;
type TxExtension = frame_system::AuthorizeCall<Test>;
pub type Extrinsic = TestXt<RuntimeCall, TxExtension>;
type Block = frame_system::mocking::MockBlock<Test>;

/// Receives the share when no masternode is enabled.
pub const POT: AccountId = 100;
/// Collateral in the default genesis.
pub const COLLATERAL: Balance = 1_000 * KMCC;
/// Heartbeat period in the default genesis.
pub const PERIOD: u64 = 10;
/// The share paid per block in tests.
pub const SHARE: Balance = 45 * KMCC;

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
	pub type Masternodes = pallet_masternodes;
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

parameter_types! {
	pub const Pot: AccountId = POT;
	pub const SharePerBlock: Balance = SHARE;
}

impl crate::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OperatorId = OperatorId;
	type Pot = Pot;
	type SharePerBlock = SharePerBlock;
	type BlocksPerDay = ConstU32<43_200>;
	type MaxMasternodes = ConstU32<16>;
	type MaxEndpointLength = ConstU32<64>;
	type HeartbeatPriority = ConstU64<{ u64::MAX / 2 }>;
	type Frozen = kmcc_primitives::funds::SystemAccountFrozen<Test>;
	type WeightInfo = ();
}

impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	type RuntimeCall = RuntimeCall;
	type Extrinsic = Extrinsic;
}

impl<LocalCall> frame_system::offchain::CreateTransaction<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	type Extension = TxExtension;
	fn create_transaction(call: RuntimeCall, extension: Self::Extension) -> Extrinsic {
		Extrinsic::new_transaction(call, extension)
	}
}

impl<LocalCall> frame_system::offchain::CreateAuthorizedTransaction<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	fn create_extension() -> Self::Extension {
		TxExtension::new()
	}
}

/// Genesis: accounts 1..=5 hold 10,000 KMCC, the pot exists.
pub fn new_test_ext() -> polkadot_sdk::sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut balances: Vec<(AccountId, Balance)> = (1..=5).map(|a| (a, 10_000 * KMCC)).collect();
	balances.push((POT, EXISTENTIAL_DEPOSIT));
	pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	pallet_masternodes::GenesisConfig::<Test> {
		collateral: COLLATERAL,
		heartbeat_period: PERIOD,
		unbonding_period: 20,
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = polkadot_sdk::sp_io::TestExternalities::new(storage);
	ext.register_extension(polkadot_sdk::sp_keystore::KeystoreExt::new(
		polkadot_sdk::sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` on [`new_test_ext`], then checks every invariant of the pallet (`try_state`).
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Masternodes::do_try_state().expect("invariants hold after the test");
	});
}

/// A deterministic operator key, also put in the test keystore.
pub fn operator(seed: u8) -> OperatorId {
	let suri = format!("//Operator{seed}").into_bytes();
	OperatorId::from(polkadot_sdk::sp_io::crypto::sr25519_generate(
		crate::crypto::KEY_TYPE,
		Some(suri),
	))
}

/// Operator key `seed`'s proof that it serves `owner`'s masternode.
pub fn ownership(seed: u8, owner: AccountId) -> crate::OperatorSignatureOf<Test> {
	use polkadot_sdk::sp_runtime::RuntimeAppPublic;
	operator(seed).sign(&crate::operator_ownership_payload(&owner)).expect("key in the keystore")
}

/// Signs `heartbeat` with operator key `seed`.
pub fn sign(seed: u8, heartbeat: &crate::Heartbeat<u64>) -> crate::crypto::OperatorSignature {
	let key = operator(seed);
	key.sign(&Masternodes::heartbeat_payload(heartbeat)).expect("key in keystore")
}

/// An endpoint.
pub fn endpoint() -> EndpointOf<Test> {
	b"/dns/mn.example/tcp/30333".to_vec().try_into().unwrap()
}

/// Runs blocks up to `n`: `on_initialize` with the share paid as `Issuance` would.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		let share = <Balances as Balanced<AccountId>>::issue(SHARE);
		<Masternodes as OnUnbalanced<_>>::on_unbalanced(share);
		Masternodes::on_initialize(next);
	}
}

/// This pallet's events so far.
pub fn events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Masternodes(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// Free balance.
pub fn free(who: AccountId) -> Balance {
	pallet_balances::Pallet::<Test>::free_balance(who)
}
