//! A test runtime: `System`, `Balances` and `Mixer` with pools of 10 and 100 units, rings of
//! 3 to 8 keys and a 5 % fee cap; helpers that make real deposit keys and ring signatures.

use crate::{self as pallet_mixer, MixerParameters, PoolKeys, Withdrawal, WithdrawalOf};
use kmcc_primitives::Balance;
use kmcc_privacy::{ring, Point};
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{Authorize, ConstU128, ConstU32},
		PalletId,
	},
	frame_system, pallet_balances,
	sp_runtime::{
		traits::IdentityLookup,
		transaction_validity::{TransactionSource, TransactionValidityError},
		BuildStorage, DispatchError, DispatchResult, Permill,
	},
};

pub use kmcc_privacy::ring::Scalar;

pub type AccountId = u64;
type Block = frame_system::mocking::MockBlock<Test>;

/// One unit of the mock currency (existential deposit 1 unit).
pub const UNIT: Balance = 1_000_000;
pub const SMALL: Balance = 10 * UNIT;
pub const LARGE: Balance = 100 * UNIT;
pub const MIN_RING: u32 = 3;
pub const MAX_RING: u32 = 8;

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
	pub type Mixer = pallet_mixer;
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

parameter_types! {
	pub const MixerPalletId: PalletId = PalletId(*b"kmcc/mix");
}

thread_local! {
	/// What the mock announcer recorded: `(by, one_time, ephemeral, view_tag)`.
	pub static ANNOUNCED: core::cell::RefCell<Vec<(AccountId, AccountId, Point, u8)>> =
		const { core::cell::RefCell::new(Vec::new()) };
}

/// Refuses what `pallet-stealth` refuses (an invalid key, an existing account) and records
/// the rest.
pub struct MockAnnouncer;

impl kmcc_primitives::privacy::StealthAnnouncer<AccountId> for MockAnnouncer {
	fn can_announce(one_time: &AccountId, ephemeral: &Point) -> DispatchResult {
		if !kmcc_privacy::is_valid_ephemeral(ephemeral) || System::account_exists(one_time) {
			return Err(DispatchError::Other("refused"));
		}
		Ok(())
	}
	fn announce(by: AccountId, one_time: AccountId, ephemeral: Point, tag: u8) -> DispatchResult {
		Self::can_announce(&one_time, &ephemeral)?;
		ANNOUNCED.with(|a| a.borrow_mut().push((by, one_time, ephemeral, tag)));
		Ok(())
	}
}

impl crate::Config for Test {
	type Currency = Balances;
	type Announcer = MockAnnouncer;
	type AdminOrigin = frame_system::EnsureRoot<AccountId>;
	type PalletId = MixerPalletId;
	type MaxRingSize = ConstU32<16>;
	type MaxDenominations = ConstU32<3>;
	type WithdrawalPriority = ConstU64Priority;
	type WithdrawalLongevity = ConstU64Priority;
	type WeightInfo = ();
}

/// 64, as a priority and as a longevity.
pub type ConstU64Priority = polkadot_sdk::frame_support::traits::ConstU64<64>;

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const RELAYER: AccountId = 4;
/// Has no account.
pub const NOBODY: AccountId = 99;

pub fn new_test_ext() -> polkadot_sdk::sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(ALICE, 10_000 * UNIT),
			(BOB, 10_000 * UNIT),
			(CHARLIE, 10_000 * UNIT),
			(RELAYER, UNIT),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_mixer::GenesisConfig::<Test> {
		denominations: vec![SMALL, LARGE],
		parameters: MixerParameters {
			min_ring: MIN_RING,
			max_ring: MAX_RING,
			max_fee: Permill::from_percent(5),
		},
		_marker: Default::default(),
	}
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
		Mixer::do_try_state().expect("invariants hold after the test");
	});
}

/// The secret of test deposit `n` (never zero).
pub fn secret(n: u64) -> Scalar {
	let mut bytes = [0u8; 64];
	bytes[..8].copy_from_slice(&(n + 1).to_le_bytes());
	bytes[8] = 0x5a;
	Scalar::from_bytes_mod_order_wide(&bytes)
}

pub fn key(n: u64) -> Point {
	kmcc_privacy::mixer::deposit_key(&secret(n))
}

/// `who` deposits `denomination` with test key `n`.
pub fn deposit(who: AccountId, denomination: Balance, n: u64) {
	Mixer::deposit(RuntimeOrigin::signed(who), denomination, key(n)).expect("deposit");
}

/// `count` deposits of `denomination` with test keys `first..first + count`, from Alice, Bob
/// and Charlie in turn.
pub fn deposits(denomination: Balance, first: u64, count: u64) {
	for n in first..first + count {
		deposit([ALICE, BOB, CHARLIE][(n % 3) as usize], denomination, n);
	}
}

fn random64() -> [u8; 64] {
	let mut bytes = [0u8; 64];
	rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut bytes);
	bytes
}

pub fn withdrawal(
	denomination: Balance,
	ring: &[u32],
	recipient: AccountId,
	relayer: Option<AccountId>,
	fee: Balance,
) -> WithdrawalOf<Test> {
	Withdrawal {
		denomination,
		ring: ring.to_vec().try_into().expect("ring within MaxRingSize"),
		recipient,
		relayer,
		fee,
		announcement: None,
	}
}

/// Signs `withdrawal` with test secret `n`, whose key must be in the ring.
pub fn sign(withdrawal: &WithdrawalOf<Test>, n: u64) -> Vec<u8> {
	let keys: Vec<Point> = withdrawal
		.ring
		.iter()
		.map(|i| PoolKeys::<Test>::get(withdrawal.denomination, i).expect("ring key").key)
		.collect();
	let index = keys.iter().position(|k| *k == key(n)).expect("the signer is in the ring");
	let message = Mixer::withdrawal_message(withdrawal);
	ring::sign(&keys, index, &secret(n), &message, random64).expect("sign")
}

/// The call for a withdrawal.
pub fn withdraw_call(withdrawal: WithdrawalOf<Test>, signature: Vec<u8>) -> crate::Call<Test> {
	crate::Call::withdraw {
		withdrawal,
		signature: signature.try_into().expect("signature within the bound"),
	}
}

/// What the transaction pool (and the block) says about a withdrawal.
pub fn authorize(call: &crate::Call<Test>) -> Result<(), TransactionValidityError> {
	call.authorize(TransactionSource::External).expect("withdraw has authorize logic").map(|_| ())
}

/// The custom invalidity code of `error`.
pub fn code(error: crate::Error<Test>) -> TransactionValidityError {
	polkadot_sdk::sp_runtime::transaction_validity::InvalidTransaction::Custom(
		crate::Error::<Test>::module_error_index(&error),
	)
	.into()
}

/// Authorizes and then dispatches a withdrawal as the runtime would.
pub fn submit(
	withdrawal: WithdrawalOf<Test>,
	signature: Vec<u8>,
) -> Result<(), TransactionValidityError> {
	use polkadot_sdk::frame_support::traits::UnfilteredDispatchable;
	let call = withdraw_call(withdrawal, signature);
	authorize(&call)?;
	call.dispatch_bypass_filter(frame_system::RawOrigin::Authorized.into())
		.expect("an authorized withdrawal dispatches");
	Ok(())
}

pub fn mixer_events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Mixer(event) => Some(event),
			_ => None,
		})
		.collect()
}
