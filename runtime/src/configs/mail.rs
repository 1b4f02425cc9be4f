//! Mail (design §10): aliases, encrypted mailboxes, attachments in storage spaces, paid
//! attachments by key escrow.
//!
//! Postage goes through `Issuance`'s `BurnFeeShare` (80 % burned, within the 1 B floor) and
//! the rest into the storage subsidy pool through `StorageSpaces`, so mail pays landlords.
//!
//! Sizes: a message is at most 1 KiB of ciphertext; a mailbox holds at most 256 messages, so
//! `send` and `delete` read and write at most 2 KiB of ids; an account blocks at most 256
//! senders. State costs deposits: 1 KMCC for an alias, 0.1 KMCC for a published key, and
//! 0.1 KMCC + 0.1 milli-KMCC per ciphertext byte for a message (≈ 0.2 KMCC for 1 KiB), all
//! returned when the item goes.

use polkadot_sdk::{
	frame_support::{parameter_types, traits::ConstU32},
	frame_system,
};

use crate::{
	currency::{MICRO_KMCC, MILLI_KMCC},
	time::DAYS,
	Balance, Balances, BlockNumber, Runtime, RuntimeHoldReason, StorageSpaces, Timestamp, KMCC,
};

/// Mainnet's mail parameters: 0.01 KMCC base postage, messages kept 30 days before anyone
/// may clean them up, a day for the sender of a paid attachment to deliver its key.
pub const MAINNET_MAIL_PARAMETERS: pallet_mail::MailParameters<BlockNumber> =
	pallet_mail::MailParameters {
		base_postage: 10 * MILLI_KMCC,
		message_retention: 30 * DAYS,
		delivery_timeout: DAYS,
	};

/// Mail parameters of dev/test networks: mainnet's postage, one hour of retention and 15
/// blocks (30 s) to deliver a key, so tests see refunds.
pub const DEV_MAIL_PARAMETERS: pallet_mail::MailParameters<BlockNumber> =
	pallet_mail::MailParameters {
		base_postage: 10 * MILLI_KMCC,
		message_retention: crate::time::HOURS,
		delivery_timeout: 15,
	};

parameter_types! {
	pub const AliasDeposit: Balance = KMCC;
	pub const KeyDeposit: Balance = 100 * MILLI_KMCC;
	pub const MessageDepositBase: Balance = 100 * MILLI_KMCC;
	pub const MessageDepositPerByte: Balance = 100 * MICRO_KMCC;
}

impl pallet_mail::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// Deposits and escrows never reuse frozen funds (vesting).
	type Frozen = kmcc_primitives::funds::SystemAccountFrozen<Runtime>;
	type OnPostage = pallet_kmcc_issuance::BurnFeeShare<Runtime, StorageSpaces>;
	type Spaces = StorageSpaces;
	type Time = Timestamp;
	/// Root, or a referendum on the `storage_admin` track.
	type AdminOrigin = polkadot_sdk::frame_support::traits::EitherOf<
		frame_system::EnsureRoot<crate::AccountId>,
		crate::governance::StorageAdmin,
	>;
	type AliasDeposit = AliasDeposit;
	type KeyDeposit = KeyDeposit;
	type MessageDepositBase = MessageDepositBase;
	type MessageDepositPerByte = MessageDepositPerByte;
	type MaxMessageLen = ConstU32<1024>;
	type MaxMailboxLen = ConstU32<256>;
	type MaxBlockedSenders = ConstU32<256>;
	type WeightInfo = pallet_mail::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkSpaces;
}

/// Benchmark spaces: written straight into `StorageSpaces` (an owner, a size, no chunks),
/// which is all that mail reads of them.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkSpaces;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_mail::benchmarking::BenchmarkHelper<crate::AccountId> for BenchmarkSpaces {
	fn create_space(owner: &crate::AccountId, size_mib: u32) -> kmcc_primitives::storage::SpaceId {
		use pallet_storage_spaces::{NextSpaceId, Space, Spaces, SpacesByOwner};
		let id = NextSpaceId::<Runtime>::get();
		NextSpaceId::<Runtime>::put(id.saturating_add(1));
		Spaces::<Runtime>::insert(
			id,
			Space {
				owner: owner.clone(),
				size_mib,
				chunks: Default::default(),
				expires_at: u64::MAX,
				grants: 0,
			},
		);
		SpacesByOwner::<Runtime>::insert(owner, id, ());
		id
	}
}
