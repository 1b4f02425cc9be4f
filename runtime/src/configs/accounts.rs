//! Account tools (design §11): identities and usernames, social recovery, multisig and
//! proxies.
//!
//! ## Deposits
//!
//! Storage a user creates is paid for with a deposit held until the user removes it:
//! [`deposit`]`(items, bytes)` = 1 KMCC per storage item + 1 mKMCC per byte (the mail alias of
//! design §10 is one item too: 1 KMCC).
//!
//! ## Identity and usernames
//!
//! `Identity` keeps an account's display name, contacts and registrars' judgements. Usernames
//! (`name.suffix`) are granted by username authorities that root (a referendum) appoints with
//! a suffix, e.g. a `kmcc` authority that checks names against the mail aliases of
//! `Mail` (design §10). Mail aliases stay in `Mail`: an alias is bound to an encryption key and
//! its deposit, and needs no authority.
//!
//! ## Proxies
//!
//! [`ProxyType`] limits what a proxy may do for its delegator:
//!
//! | type | may call |
//! | --- | --- |
//! | `Any` | everything |
//! | `NonTransfer` | everything that cannot move the delegator's funds to another account |
//! | `Governance` | referenda, conviction voting, preimages, whitelist, technical committee, treasury |
//! | `Staking` | DPoS (candidacy, leases, rewards, unbonding) and session keys |
//! | `Masternode` | masternode registration, heartbeats, revival, collateral |
//!
//! Every type may also batch its calls with `utility` (the proxy's filter applies to each).

use crate::{
	weights, AccountId, Balance, Balances, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason,
	Signature, System, Treasury,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use kmcc_primitives::{
	currency::{KMCC, MILLI_KMCC},
	time::DAYS,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{
			fungible::HoldConsideration, tokens::imbalance::ResolveTo, ConstU32, InstanceFilter,
			LinearStoragePrice,
		},
	},
	frame_system::EnsureRoot,
	pallet_identity::{self, legacy::IdentityInfo},
	pallet_multisig, pallet_proxy, pallet_recovery, pallet_session, pallet_utility,
	sp_runtime::traits::{BlakeTwo256, Verify},
};
use scale_info::TypeInfo;

/// The deposit for `items` storage items holding `bytes` bytes.
pub const fn deposit(items: u32, bytes: u32) -> Balance {
	items as Balance * KMCC + bytes as Balance * MILLI_KMCC
}

parameter_types! {
	/// An identity: one item of up to 258 bytes before its fields.
	pub const BasicDeposit: Balance = deposit(1, 258);
	pub const ByteDeposit: Balance = deposit(0, 1);
	pub const UsernameDeposit: Balance = deposit(0, 32);
	pub const SubAccountDeposit: Balance = deposit(1, 53);
}

impl pallet_identity::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type BasicDeposit = BasicDeposit;
	type ByteDeposit = ByteDeposit;
	type UsernameDeposit = UsernameDeposit;
	type SubAccountDeposit = SubAccountDeposit;
	type MaxSubAccounts = ConstU32<100>;
	type IdentityInformation = IdentityInfo<ConstU32<100>>;
	type MaxRegistrars = ConstU32<20>;
	/// Deposits of identities a registrar finds fraudulent (`kill_identity`).
	type Slashed = Treasury;
	type ForceOrigin = EnsureRoot<AccountId>;
	type RegistrarOrigin = EnsureRoot<AccountId>;
	type OffchainSignature = Signature;
	type SigningPublicKey = <Signature as Verify>::Signer;
	type UsernameAuthorityOrigin = EnsureRoot<AccountId>;
	type PendingUsernameExpiration = ConstU32<{ 7 * DAYS }>;
	type UsernameGracePeriod = ConstU32<{ 30 * DAYS }>;
	type MaxSuffixLength = ConstU32<7>;
	type MaxUsernameLength = ConstU32<32>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
	type WeightInfo = weights::pallet_identity::WeightInfo<Runtime>;
}

parameter_types! {
	pub const RecoveryFriendGroupsHold: RuntimeHoldReason =
		RuntimeHoldReason::Recovery(pallet_recovery::HoldReason::FriendGroupsStorage);
	pub const RecoveryAttemptHold: RuntimeHoldReason =
		RuntimeHoldReason::Recovery(pallet_recovery::HoldReason::AttemptStorage);
	pub const RecoveryInheritorHold: RuntimeHoldReason =
		RuntimeHoldReason::Recovery(pallet_recovery::HoldReason::InheritorStorage);
	pub const RecoveryItemDeposit: Balance = deposit(1, 0);
	pub const RecoveryByteDeposit: Balance = deposit(0, 1);
	/// Held from a friend who starts a recovery attempt; the lost account's owner may slash
	/// it (`slash_attempt`) if the attempt is malicious.
	pub const RecoverySecurityDeposit: Balance = 10 * KMCC;
}

/// Recovery storage is paid for with holds: 1 KMCC per item and 1 mKMCC per byte.
type RecoveryStoragePrice = LinearStoragePrice<RecoveryItemDeposit, RecoveryByteDeposit, Balance>;

impl pallet_recovery::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeHoldReason = RuntimeHoldReason;
	type BlockNumberProvider = System;
	type Currency = Balances;
	type FriendGroupsConsideration =
		HoldConsideration<AccountId, Balances, RecoveryFriendGroupsHold, RecoveryStoragePrice>;
	type AttemptConsideration =
		HoldConsideration<AccountId, Balances, RecoveryAttemptHold, RecoveryStoragePrice>;
	type InheritorConsideration =
		HoldConsideration<AccountId, Balances, RecoveryInheritorHold, RecoveryStoragePrice>;
	type SecurityDeposit = RecoverySecurityDeposit;
	type MaxFriendsPerConfig = ConstU32<16>;
	/// Slashed security deposits go to the treasury (burning would bypass `Issuance`).
	type Slash = ResolveTo<crate::governance::TreasuryAccount, Balances>;
	type WeightInfo = weights::pallet_recovery::WeightInfo<Runtime>;
}

parameter_types! {
	/// A pending multisig operation: one item of 88 bytes.
	pub const MultisigDepositBase: Balance = deposit(1, 88);
	/// Each signatory beyond the first.
	pub const MultisigDepositFactor: Balance = deposit(0, 32);
}

impl pallet_multisig::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type DepositBase = MultisigDepositBase;
	type DepositFactor = MultisigDepositFactor;
	type MaxSignatories = ConstU32<100>;
	type WeightInfo = weights::pallet_multisig::WeightInfo<Runtime>;
	type BlockNumberProvider = System;
}

/// What a proxy may do for its delegator (see the module doc).
#[derive(
	Copy,
	Clone,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Debug,
	MaxEncodedLen,
	TypeInfo,
	Default,
)]
pub enum ProxyType {
	/// Every call.
	#[default]
	Any,
	/// Every call that cannot move the delegator's funds to another account.
	NonTransfer,
	/// Governance: referenda, votes, preimages, whitelist, technical committee, treasury.
	Governance,
	/// DPoS candidacy and leases, and session keys.
	Staking,
	/// Masternode operation.
	Masternode,
}

fn is_governance(call: &RuntimeCall) -> bool {
	matches!(
		call,
		RuntimeCall::Referenda(..)
			| RuntimeCall::ConvictionVoting(..)
			| RuntimeCall::Preimage(..)
			| RuntimeCall::Whitelist(..)
			| RuntimeCall::TechnicalCommittee(..)
			| RuntimeCall::Treasury(..)
	)
}

fn is_staking(call: &RuntimeCall) -> bool {
	matches!(
		call,
		RuntimeCall::Dpos(..)
			| RuntimeCall::Session(
				pallet_session::Call::set_keys { .. } | pallet_session::Call::purge_keys { .. }
			)
	)
}

fn is_masternode(call: &RuntimeCall) -> bool {
	matches!(call, RuntimeCall::Masternodes(..))
}

fn is_utility(call: &RuntimeCall) -> bool {
	matches!(
		call,
		RuntimeCall::Utility(
			pallet_utility::Call::batch { .. }
				| pallet_utility::Call::batch_all { .. }
				| pallet_utility::Call::force_batch { .. }
		)
	)
}

/// Calls that cannot move the caller's funds to another account. Managing proxies is in, but
/// not `proxy.proxy`: through it the caller's own proxies could move other accounts' funds.
fn is_non_transfer(call: &RuntimeCall) -> bool {
	let managing_proxies = matches!(
		call,
		RuntimeCall::Proxy(inner) if !matches!(
			inner,
			pallet_proxy::Call::proxy { .. } | pallet_proxy::Call::proxy_announced { .. }
		)
	);
	managing_proxies
		|| is_governance(call)
		|| is_staking(call)
		|| is_masternode(call)
		|| is_utility(call)
		|| matches!(
			call,
			RuntimeCall::System(..)
				| RuntimeCall::Identity(..)
				| RuntimeCall::Vesting(
					polkadot_sdk::pallet_vesting::Call::vest { .. }
						| polkadot_sdk::pallet_vesting::Call::vest_other { .. }
				) | RuntimeCall::Recovery(
				pallet_recovery::Call::set_friend_groups { .. }
					| pallet_recovery::Call::initiate_attempt { .. }
					| pallet_recovery::Call::approve_attempt { .. }
					| pallet_recovery::Call::finish_attempt { .. }
					| pallet_recovery::Call::cancel_attempt { .. }
					| pallet_recovery::Call::slash_attempt { .. }
					| pallet_recovery::Call::revoke_inheritor { .. }
			) | RuntimeCall::Htlc(
				// They pay only the swap's recipient (claim) or sender (refund).
				pallet_htlc::Call::claim { .. } | pallet_htlc::Call::refund { .. }
			)
		)
}

impl InstanceFilter<RuntimeCall> for ProxyType {
	fn filter(&self, call: &RuntimeCall) -> bool {
		match self {
			ProxyType::Any => true,
			ProxyType::NonTransfer => is_non_transfer(call),
			ProxyType::Governance => is_governance(call) || is_utility(call),
			ProxyType::Staking => is_staking(call) || is_utility(call),
			ProxyType::Masternode => is_masternode(call) || is_utility(call),
		}
	}

	fn is_superset(&self, other: &Self) -> bool {
		match (self, other) {
			(x, y) if x == y => true,
			(ProxyType::Any, _) => true,
			(_, ProxyType::Any) => false,
			(ProxyType::NonTransfer, _) => true,
			_ => false,
		}
	}
}

parameter_types! {
	/// A delegator's proxy list: one item.
	pub const ProxyDepositBase: Balance = deposit(1, 8);
	/// Each proxy in it (account and type).
	pub const ProxyDepositFactor: Balance = deposit(0, 33);
	pub const AnnouncementDepositBase: Balance = deposit(1, 8);
	pub const AnnouncementDepositFactor: Balance = deposit(0, 66);
}

impl pallet_proxy::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type ProxyType = ProxyType;
	type ProxyDepositBase = ProxyDepositBase;
	type ProxyDepositFactor = ProxyDepositFactor;
	type MaxProxies = ConstU32<32>;
	type WeightInfo = weights::pallet_proxy::WeightInfo<Runtime>;
	type MaxPending = ConstU32<32>;
	type CallHasher = BlakeTwo256;
	type AnnouncementDepositBase = AnnouncementDepositBase;
	type AnnouncementDepositFactor = AnnouncementDepositFactor;
	type BlockNumberProvider = System;
}
