//! A test runtime: `System`, `Balances` and `Mail`, with mock storage spaces (a table of
//! spaces and read grants) and postage that burns 80 % and pays 20 % to a pool account.

use crate::{self as pallet_mail, key_commitment, Attachment, MailParameters, PaidTerms};
use core::cell::RefCell;
use kmcc_primitives::{storage::SpaceId, Balance};
use polkadot_sdk::{
	frame_support::{
		derive_impl,
		traits::{
			fungible::{Balanced, Credit},
			tokens::imbalance::OnUnbalanced,
			ConstU128, ConstU32, Imbalance, Time,
		},
	},
	frame_system, pallet_balances,
	sp_core::H256,
	sp_runtime::{traits::IdentityLookup, BuildStorage, DispatchError, DispatchResult},
};
use std::collections::{BTreeMap, BTreeSet};

pub type AccountId = u64;
type Block = frame_system::mocking::MockBlock<Test>;

/// One unit of the mock currency (existential deposit 1 unit).
pub const UNIT: Balance = 1_000_000;
pub const ALIAS_DEPOSIT: Balance = 10 * UNIT;
pub const KEY_DEPOSIT: Balance = UNIT;
pub const DEPOSIT_BASE: Balance = UNIT;
pub const DEPOSIT_PER_BYTE: Balance = 1_000;
pub const BASE_POSTAGE: Balance = UNIT / 10;
pub const RETENTION: u64 = 100;
pub const TIMEOUT: u64 = 10;
pub const MAX_MESSAGE: u32 = 1_024;
pub const MAX_MAILBOX: u32 = 4;
pub const MAX_BLOCKED: u32 = 2;

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
	pub type Mail = pallet_mail;
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
}

/// Receives the unburned postage.
pub const POOL: AccountId = 1_000;

thread_local! {
	/// Spaces: id → (owner, size in bytes).
	pub static SPACES: RefCell<BTreeMap<SpaceId, (AccountId, u64)>> = const { RefCell::new(BTreeMap::new()) };
	/// Read grants: (space, account).
	pub static GRANTS: RefCell<BTreeSet<(SpaceId, AccountId)>> = const { RefCell::new(BTreeSet::new()) };
	/// Postage burned so far.
	pub static BURNED: RefCell<Balance> = const { RefCell::new(0) };
	/// Milliseconds of the mock clock.
	pub static NOW: RefCell<u64> = const { RefCell::new(1_700_000_000_000) };
}

pub struct MockSpaces;

impl kmcc_primitives::storage::SpaceReadAccess<AccountId> for MockSpaces {
	fn space(space: SpaceId) -> Option<(AccountId, u64)> {
		SPACES.with(|s| s.borrow().get(&space).copied())
	}
	fn can_read(space: SpaceId, who: &AccountId) -> bool {
		Self::space(space).is_some_and(|(owner, _)| owner == *who)
			|| GRANTS.with(|g| g.borrow().contains(&(space, *who)))
	}
	fn grant_read(owner: &AccountId, space: SpaceId, who: &AccountId) -> DispatchResult {
		match Self::space(space) {
			Some((o, _)) if o == *owner => {
				GRANTS.with(|g| g.borrow_mut().insert((space, *who)));
				Ok(())
			}
			_ => Err(DispatchError::Other("not the owner")),
		}
	}
	fn revoke(owner: &AccountId, space: SpaceId, who: &AccountId) -> DispatchResult {
		match Self::space(space) {
			Some((o, _)) if o == *owner => GRANTS
				.with(|g| g.borrow_mut().remove(&(space, *who)))
				.then_some(())
				.ok_or(DispatchError::Other("no grant")),
			_ => Err(DispatchError::Other("not the owner")),
		}
	}
}

/// Burns 80 % of the postage and pays the rest to [`POOL`].
pub struct Postage;

impl OnUnbalanced<Credit<AccountId, Balances>> for Postage {
	fn on_nonzero_unbalanced(credit: Credit<AccountId, Balances>) {
		let (rest, burn) = credit.ration(20, 80);
		BURNED.with(|b| *b.borrow_mut() += burn.peek());
		drop(burn);
		let _ = <Balances as Balanced<AccountId>>::resolve(&POOL, rest);
	}
}

pub struct MockTime;

impl Time for MockTime {
	type Moment = u64;
	fn now() -> u64 {
		NOW.with(|n| *n.borrow())
	}
}

impl crate::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Frozen = kmcc_primitives::funds::SystemAccountFrozen<Test>;
	type OnPostage = Postage;
	type Spaces = MockSpaces;
	type Time = MockTime;
	type AdminOrigin = frame_system::EnsureRoot<AccountId>;
	type AliasDeposit = ConstU128<ALIAS_DEPOSIT>;
	type KeyDeposit = ConstU128<KEY_DEPOSIT>;
	type MessageDepositBase = ConstU128<DEPOSIT_BASE>;
	type MessageDepositPerByte = ConstU128<DEPOSIT_PER_BYTE>;
	type MaxMessageLen = ConstU32<MAX_MESSAGE>;
	type MaxMailboxLen = ConstU32<MAX_MAILBOX>;
	type MaxBlockedSenders = ConstU32<MAX_BLOCKED>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockSpaceHelper;
}

/// Benchmarks make spaces in the mock table.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockSpaceHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId> for MockSpaceHelper {
	fn create_space(owner: &AccountId, size_mib: u32) -> SpaceId {
		add_space(*owner, u64::from(size_mib) << 20)
	}
}

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const DAVE: AccountId = 4;
/// Holds four units: a key and a message, nothing more.
pub const POOR: AccountId = 5;
/// Has no account.
pub const NOBODY: AccountId = 99;

pub const INITIAL: Balance = 10_000 * UNIT;

pub fn parameters() -> MailParameters<u64> {
	MailParameters {
		base_postage: BASE_POSTAGE,
		message_retention: RETENTION,
		delivery_timeout: TIMEOUT,
	}
}

pub fn new_test_ext() -> polkadot_sdk::sp_io::TestExternalities {
	SPACES.with(|s| s.borrow_mut().clear());
	GRANTS.with(|g| g.borrow_mut().clear());
	BURNED.with(|b| *b.borrow_mut() = 0);
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(ALICE, INITIAL),
			(BOB, INITIAL),
			(CHARLIE, INITIAL),
			(DAVE, INITIAL),
			(POOR, 4 * UNIT),
			(POOL, UNIT),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_mail::GenesisConfig::<Test> { parameters: parameters() }
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
		Mail::do_try_state().expect("invariants hold after the test");
	});
}

/// The test encryption key of account `who`.
pub fn enc_key(who: AccountId) -> [u8; 32] {
	let mut key = [7u8; 32];
	key[..8].copy_from_slice(&who.to_le_bytes());
	key
}

/// `who` publishes its test key.
pub fn publish(who: AccountId) {
	Mail::set_encryption_key(RuntimeOrigin::signed(who), enc_key(who)).expect("publish");
}

/// Adds a space of `size` bytes owned by `owner`; returns its id.
pub fn add_space(owner: AccountId, size: u64) -> SpaceId {
	SPACES.with(|s| {
		let mut spaces = s.borrow_mut();
		let id = spaces.keys().next_back().map_or(0, |k| k + 1);
		spaces.insert(id, (owner, size));
		id
	})
}

pub fn readable(space: SpaceId, who: AccountId) -> bool {
	<MockSpaces as kmcc_primitives::storage::SpaceReadAccess<AccountId>>::can_read(space, &who)
}

/// The outer-layer key of test attachment `n`.
pub fn layer_key(n: u8) -> [u8; 32] {
	[n; 32]
}

/// An attachment of `length` bytes at `offset` of `space`; paid at `price` with
/// [`layer_key`]`(n)` when `price > 0`.
pub fn attachment(space: SpaceId, offset: u64, length: u64, price: Balance, n: u8) -> Attachment {
	Attachment {
		space,
		offset,
		length,
		content_hash: H256::repeat_byte(n),
		terms: (price > 0)
			.then(|| PaidTerms { price, key_commitment: key_commitment(&layer_key(n)) }),
	}
}

/// `from` sends `to` a message of `len` bytes with `attachment`, at the base postage.
pub fn send(
	from: AccountId,
	to: AccountId,
	len: usize,
	attachment: Option<Attachment>,
) -> DispatchResult {
	Mail::send(
		RuntimeOrigin::signed(from),
		crate::Recipient::Account(to),
		vec![0xab; len],
		attachment,
		BASE_POSTAGE,
	)
}

/// The id the last message got.
pub fn last_id() -> u64 {
	crate::NextMessageId::<Test>::get() - 1
}

pub fn held(reason: crate::HoldReason, who: AccountId) -> Balance {
	use polkadot_sdk::frame_support::traits::fungible::InspectHold;
	Balances::balance_on_hold(&RuntimeHoldReason::Mail(reason), &who)
}

pub fn free(who: AccountId) -> Balance {
	Balances::free_balance(who)
}

pub fn run_to(block: u64) {
	System::set_block_number(block);
}

pub fn burned() -> Balance {
	BURNED.with(|b| *b.borrow())
}

pub fn mail_events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Mail(event) => Some(event),
			_ => None,
		})
		.collect()
}
