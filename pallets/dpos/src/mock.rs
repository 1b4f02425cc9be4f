//! Test runtime: System, Balances, this pallet and Session (with this pallet as its
//! `SessionManager`), so elections and rotations run through the real session pallet.

use crate::{self as pallet_dpos, DposParameters, SessionAuthoringKeys};
use codec::Encode;
use kmcc_primitives::{
	currency::{EXISTENTIAL_DEPOSIT, KMCC},
	Balance,
};
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{fungible::Credit, ConstU128, ConstU32, Hooks, OnUnbalanced, Randomness},
		PalletId,
	},
	frame_system, pallet_balances, pallet_session,
	sp_core::H256,
	sp_runtime::{
		testing::UintAuthorityId,
		traits::{ConvertInto, IdentityLookup},
		BuildStorage, Perbill,
	},
};

pub type AccountId = u64;
type Block = frame_system::mocking::MockBlock<Test>;

/// Receives slashes not paid to reporters.
pub const TREASURY: AccountId = 99;
/// Blocks per session.
pub const PERIOD: u64 = 5;
/// Unbonding period in blocks.
pub const UNBONDING: u64 = 10;
/// Starting balance of accounts 1..=20.
pub const ENDOWMENT: Balance = 10_000 * KMCC;

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
	// Before Session: its genesis elects the committee the session genesis asks for.
	#[runtime::pallet_index(2)]
	pub type Dpos = pallet_dpos;
	#[runtime::pallet_index(3)]
	pub type Session = pallet_session;
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
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = ConstU32<4>;
}

parameter_types! {
	pub const Period: u64 = PERIOD;
	pub const Offset: u64 = 0;
	pub const DposPalletId: PalletId = PalletId(*b"kmcc/dps");
	/// The current block's author, set by tests.
	pub static Author: Option<AccountId> = None;
	/// The current Aura slot, set by tests.
	pub static Slot: u64 = 0;
	/// Randomness seed, set by tests.
	pub static Seed: u8 = 0;
	/// `MaxCandidates`, lowered by tests that fill the list.
	pub static CandidateBound: u32 = 32;
}

/// `FallbackAfterSlots` of the mock: 3 slots (groups of 2).
pub const FALLBACK_AFTER: u64 = 3;

impl pallet_session::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = pallet_session::PeriodicSessions<Period, Offset>;
	type NextSessionRotation = pallet_session::PeriodicSessions<Period, Offset>;
	type SessionManager = Dpos;
	type SessionHandler = pallet_session::TestSessionHandler;
	type Keys = UintAuthorityId;
	type DisablingStrategy = ();
	type WeightInfo = ();
	type Currency = Balances;
	type KeyDeposit = ConstU128<0>;
}

/// Accounts with session keys in the session pallet.
pub struct WithSessionKeys;
impl polkadot_sdk::frame_support::traits::Contains<AccountId> for WithSessionKeys {
	fn contains(who: &AccountId) -> bool {
		pallet_session::NextKeys::<Test>::contains_key(who)
	}
}

/// The session pallet's queued keys: the validators of the session that is starting.
pub struct QueuedSessionKeys;
impl SessionAuthoringKeys<AccountId, UintAuthorityId> for QueuedSessionKeys {
	fn starting() -> Vec<(AccountId, UintAuthorityId)> {
		pallet_session::QueuedKeys::<Test>::get()
	}
}

/// Sessions whose keys are recorded.
pub const REPORTABLE_SESSIONS: u32 = 4;

/// Randomness from the test's seed.
pub struct TestRandomness;
impl Randomness<H256, u64> for TestRandomness {
	fn random(subject: &[u8]) -> (H256, u64) {
		(H256(polkadot_sdk::sp_io::hashing::blake2_256(&(subject, Seed::get()).encode())), 0)
	}
}

/// Slashes and unpayable rewards go to [`TREASURY`].
pub struct ToTreasury;
impl OnUnbalanced<Credit<AccountId, Balances>> for ToTreasury {
	fn on_nonzero_unbalanced(amount: Credit<AccountId, Balances>) {
		use polkadot_sdk::frame_support::traits::fungible::Balanced;
		let _ = Balances::resolve(&TREASURY, amount);
	}
}

impl crate::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type Frozen = kmcc_primitives::funds::SystemAccountFrozen<Test>;
	type AuthorityId = UintAuthorityId;
	type SessionKeys = QueuedSessionKeys;
	type HasSessionKeys = WithSessionKeys;
	type BlockAuthor = Author;
	type CurrentSlot = Slot;
	type FallbackAfterSlots = polkadot_sdk::frame_support::traits::ConstU64<FALLBACK_AFTER>;
	type Randomness = TestRandomness;
	type SlashDestination = ToTreasury;
	type PalletId = DposPalletId;
	type MaxCandidates = CandidateBound;
	type MaxCommitteeSize = ConstU32<16>;
	type MaxGroups = ConstU32<4>;
	type MaxLeasesPerHolder = ConstU32<4>;
	type MaxUnbondingChunks = ConstU32<4>;
	type ReportableSessions = ConstU32<REPORTABLE_SESSIONS>;
	type AdminOrigin = polkadot_sdk::frame_system::EnsureRoot<AccountId>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = SessionKeysForBenchmarks;
}

/// Registers session keys directly in the session pallet's maps.
#[cfg(feature = "runtime-benchmarks")]
pub struct SessionKeysForBenchmarks;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, UintAuthorityId> for SessionKeysForBenchmarks {
	fn set_session_keys(who: &AccountId, authority: &UintAuthorityId) {
		pallet_session::NextKeys::<Test>::insert(who, authority.clone());
		pallet_session::KeyOwner::<Test>::insert(
			(polkadot_sdk::sp_runtime::key_types::DUMMY, authority.encode()),
			who,
		);
	}
	fn set_current_slot(slot: u64) {
		Slot::set(slot);
	}
	fn prepare_block_author() {
		Author::set(Some(1));
	}
}

/// Parameters of the default genesis: committee of 4 in 2 groups, 3 sessions per era.
pub fn parameters() -> DposParameters<u64> {
	DposParameters {
		min_candidate_deposit: 100 * KMCC,
		min_lease: 10 * KMCC,
		committee_size: 4,
		group_count: 2,
		session_length: PERIOD,
		sessions_per_era: 3,
		unbonding_period: UNBONDING,
		max_commission: Perbill::from_percent(50),
		slash_fraction: Perbill::from_percent(100),
		reporter_share: Perbill::from_percent(100),
	}
}

/// Builds the test externalities.
pub struct ExtBuilder {
	candidates: Vec<(AccountId, Balance, Perbill)>,
	leases: Vec<(AccountId, AccountId, Balance)>,
	parameters: DposParameters<u64>,
}

impl Default for ExtBuilder {
	/// Candidates 1–4 with deposits 400, 300, 200, 100 KMCC and 10 % commission; accounts
	/// 1..=20 hold 10,000 KMCC and have session keys.
	fn default() -> Self {
		let candidates = [(1, 400), (2, 300), (3, 200), (4, 100)]
			.into_iter()
			.map(|(a, d)| (a, d * KMCC, Perbill::from_percent(10)))
			.collect();
		Self { candidates, leases: Vec::new(), parameters: parameters() }
	}
}

impl ExtBuilder {
	/// Replaces the genesis candidates.
	pub fn candidates(mut self, candidates: Vec<(AccountId, Balance, Perbill)>) -> Self {
		self.candidates = candidates;
		self
	}

	/// Adds genesis leases.
	pub fn leases(mut self, leases: Vec<(AccountId, AccountId, Balance)>) -> Self {
		self.leases = leases;
		self
	}

	/// Changes the parameters.
	pub fn parameters(mut self, f: impl FnOnce(&mut DposParameters<u64>)) -> Self {
		f(&mut self.parameters);
		self
	}

	pub fn build(self) -> polkadot_sdk::sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut balances: Vec<(AccountId, Balance)> = (1..=20).map(|a| (a, ENDOWMENT)).collect();
		balances.push((TREASURY, EXISTENTIAL_DEPOSIT));
		pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		pallet_dpos::GenesisConfig::<Test> {
			parameters: Some(self.parameters),
			candidates: self.candidates,
			leases: self.leases,
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		pallet_session::GenesisConfig::<Test> {
			keys: (1..=20).map(|a| (a, a, UintAuthorityId(a))).collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = polkadot_sdk::sp_io::TestExternalities::new(storage);
		ext.execute_with(|| {
			frame_system::BlockHash::<Test>::insert(0, block_hash(0));
			System::set_block_number(1);
			Author::set(None);
			Slot::set(0);
			Seed::set(0);
		});
		ext
	}
}

impl ExtBuilder {
	/// Builds, runs `test`, then checks every invariant of the pallet (`try_state`).
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Dpos::do_try_state().expect("invariants hold after the test");
		});
	}
}

/// Runs blocks up to `n`, rotating sessions as the session pallet does, and records each
/// block's parent hash as `frame_system` does (double-authoring reports check it).
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		frame_system::BlockHash::<Test>::insert(next - 1, block_hash(next - 1));
		System::set_block_number(next);
		Session::on_initialize(next);
	}
}

/// Executes the next block at Aura slot `slot` with author `author` as the runtime does:
/// `Dpos` initializes before the session pallet (which may rotate), and finalizes.
pub fn run_block_at_slot(slot: u64, author: Option<AccountId>) {
	let next = System::block_number() + 1;
	frame_system::BlockHash::<Test>::insert(next - 1, block_hash(next - 1));
	System::set_block_number(next);
	Slot::set(slot);
	Author::set(author);
	Dpos::on_initialize(next);
	Session::on_initialize(next);
	Dpos::on_finalize(next);
}

/// The hash the mock chain gives block `n`.
pub fn block_hash(n: u64) -> H256 {
	H256(polkadot_sdk::sp_io::hashing::blake2_256(&(b"mock block", n).encode()))
}

/// Runs to the first block of session `index`.
pub fn run_to_session(index: u32) {
	run_to_block(u64::from(index) * PERIOD);
}

/// Pays `amount` of fresh KMCC as a block reward of `author` (as `Issuance` and the fee
/// handler do).
pub fn reward(author: AccountId, amount: Balance) {
	use polkadot_sdk::frame_support::traits::fungible::Balanced;
	Author::set(Some(author));
	let credit = Balances::issue(amount);
	<Dpos as OnUnbalanced<_>>::on_unbalanced(credit);
}

/// The events of this pallet since genesis.
pub fn dpos_events() -> Vec<pallet_dpos::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Dpos(e) => Some(e),
			_ => None,
		})
		.collect()
}
