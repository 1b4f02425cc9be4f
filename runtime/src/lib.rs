//! # KMCC runtime
//!
//! The state transition function of KMCC Chain (design §1): compiled natively for tests and
//! tools, and to WASM, which is the on-chain code that `system.set_code` replaces (forkless
//! upgrade).
//!
//! ## Composition
//!
//! | index | pallet | why |
//! | --- | --- | --- |
//! | 0 | `System` | accounts, events, `set_code` |
//! | 1 | `Timestamp` | 2 s slots |
//! | 2 | `Aura` | slot authorship |
//! | 3 | `Grandpa` | finality |
//! | 4 | `Authorship` | who authored the block (its candidate gets the fees and the producer share) |
//! | 10 | `Balances` | KMCC, 18 decimals |
//! | 11 | `TransactionPayment` | fees and tips to the author's DPoS candidate and its lessors (design §2) |
//! | 12 | `Vesting` | team unlock schedules, visible in polkadot.js |
//! | 13 | `GenesisAllocation` | the design §2 genesis table and its step unlocks |
//! | 14 | `Issuance` | halving block emission, hard cap, burns (design §2) |
//! | 15 | `Masternodes` | collateral, heartbeats, PoSe, payment queue (design §4) |
//! | 16 | `StorageSpaces` | landlords, Bancor-priced spaces, rent, proof of spacetime (design §5) |
//! | 17 | `Dpos` | candidates, leases, era elections, authoring groups, reward sharing, slashing (design §3) |
//! | 18 | `Session` | Aura and GRANDPA keys; the validator set is `Dpos`' committee |
//! | 19 | `Historical` | per-session validator key roots: key-ownership proofs for equivocation reports |
//! | 20 | `Utility` | batches |
//! | 21 | `Offences` | proven GRANDPA equivocations, handed to `Dpos` to slash and pay the reporter |
//! | 22 | `Stealth` | payments to one-time accounts, the announcement index wallets scan (design §8) |
//! | 23 | `Mixer` | fixed-denomination pools withdrawn by linkable ring signatures, the spent key-image list (design §8) |
//! | 24 | `Mail` | aliases, encrypted mailboxes with postage, attachments in spaces, paid attachments by key escrow (design §10) |
//! | 30 | `Sudo` | dev/test networks only: `mainnet-template` has no sudo key |
//! | 40 | `Preimage` | calls noted for referenda, paid by a hold |
//! | 41 | `Scheduler` | enacts approved referenda |
//! | 42 | `Referenda` | OpenGov referenda on the KMCC tracks ([`governance::tracks`]) |
//! | 43 | `ConvictionVoting` | conviction-weighted votes and delegations |
//! | 44 | `Origins` | the track origins (`IssuanceAdmin`, `StakingAdmin`, …) and the tracks' timing profile |
//! | 45 | `Whitelist` | the fast track: calls the technical committee whitelisted |
//! | 46 | `TechnicalCommittee` | experts who whitelist urgent fixes (2/3) |
//! | 47 | `Treasury` | funds spent by referendum |
//! | 50 | `Identity` | identities, registrars' judgements, usernames |
//! | 51 | `Recovery` | social recovery of lost accounts by friend groups |
//! | 52 | `Multisig` | k-of-n accounts |
//! | 53 | `Proxy` | delegation with KMCC proxy types |
//! | 54 | `Assets` | third-party fungible tokens |
//! | 55 | `Nfts` | non-fungible tokens |
//! | 60 | `Htlc` | hash-time-locked swaps of KMCC and assets: one side of an atomic swap with another chain (design §12) |
//! | 61 | `Mmr` | one Merkle Mountain Range leaf per block: proofs of past blocks (design §13) |
//! | 62 | `Beefy` | the committee's secp256k1 keys and signed checkpoints (design §13) |
//! | 63 | `BeefyMmrLeaf` | the MMR leaf's content: the next BEEFY set (design §13) |
//! | 70 | `Revive` | Ethereum contracts: EVM bytecode, Ethereum transactions, KMCC as ether ([`configs::evm`], design §9) |
//!
//! Genesis is built and hooks run in pallet-index order. `Session` moved from index 5 to 18
//! in spec 104 (`transaction_version` 2): `Dpos` holds candidate deposits (after `Balances`)
//! and elects the committee that the session genesis asks for (before `Session`), and the
//! session rotation in `on_initialize` runs after `Authorship` has found the block's author.
//!
//! Block time is 2 s ([`kmcc_primitives::time::MILLISECS_PER_BLOCK`]); see
//! [`configs::system`] for how weight and length limits follow from it.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime`/`impl_runtime_apis` need a higher recursion limit.
#![recursion_limit = "512"]

#[cfg(all(feature = "std", not(feature = "upgrade-test")))]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));
#[cfg(all(feature = "std", feature = "upgrade-test"))]
include!(concat!(env!("OUT_DIR"), "/kmcc_runtime_upgrade_test"));

extern crate alloc;

pub mod apis;
pub mod configs;
pub mod genesis_config_presets;
pub mod governance;
pub mod migrations;
pub mod precompiles;
#[cfg(feature = "runtime-benchmarks")]
pub mod session_benchmarking;
pub mod spam;
pub mod weights;

use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support, frame_system, pallet_assets, pallet_aura, pallet_authorship, pallet_balances,
	pallet_beefy, pallet_beefy_mmr, pallet_collective, pallet_conviction_voting, pallet_grandpa,
	pallet_identity, pallet_mmr, pallet_multisig, pallet_nfts, pallet_offences, pallet_preimage,
	pallet_proxy, pallet_recovery, pallet_referenda, pallet_revive, pallet_scheduler,
	pallet_session, pallet_sudo, pallet_timestamp, pallet_transaction_payment, pallet_treasury,
	pallet_utility, pallet_vesting, pallet_whitelist,
	sp_runtime::{generic, impl_opaque_keys, traits::BlakeTwo256},
	sp_version::{runtime_version, RuntimeVersion},
};

pub use frame_system::Call as SystemCall;
pub use kmcc_primitives::{
	currency::{self, EXISTENTIAL_DEPOSIT, KMCC, MILLI_KMCC},
	time, AccountId, Balance, BlockNumber, Hash, Nonce, Signature,
};
pub use pallet_balances::Call as BalancesCall;
pub use pallet_dpos;
pub use pallet_genesis_allocation;
pub use pallet_htlc;
pub use pallet_kmcc_issuance;
pub use pallet_mail;
pub use pallet_masternodes;
pub use pallet_mixer;
pub use pallet_stealth;
pub use pallet_storage_spaces;

use pallet_session::historical as pallet_session_historical;
#[cfg(feature = "std")]
pub use polkadot_sdk::sp_runtime::BuildStorage;

/// Opaque types: what the node needs to know of blocks without knowing the runtime's
/// extrinsic format, so that it keeps syncing across upgrades that change it.
pub mod opaque {
	use super::*;
	pub use polkadot_sdk::sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
}

impl_opaque_keys! {
	/// The session keys of a validator: an Aura key to author, a GRANDPA key to vote on
	/// finality and a BEEFY (secp256k1) key to sign checkpoints.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
		pub beefy: Beefy,
	}
}

/// Declares [`VERSION`] with the given `spec_version` (`#[runtime_version]` needs a literal).
macro_rules! kmcc_runtime_version {
	($spec_version:tt) => {
		/// The runtime version. `spec_version` decides whether a node treats a WASM as an
		/// upgrade: bump it with every runtime change that goes on chain, and carry a
		/// migration for every storage layout change (`migrations.rs`).
		#[runtime_version]
		pub const VERSION: RuntimeVersion = RuntimeVersion {
			spec_name: alloc::borrow::Cow::Borrowed("kmcc"),
			impl_name: alloc::borrow::Cow::Borrowed("kmcc-node"),
			authoring_version: 1,
			spec_version: $spec_version,
			impl_version: 1,
			apis: apis::RUNTIME_API_VERSIONS,
			// 2 since spec 104: `Session` moved to index 18 (its calls' encoding changed);
			// 3 since spec 106: `masternodes.register` and `storageSpaces.registerLandlord`
			// take a proof of possession of the key they name.
			transaction_version: 3,
			system_version: 1,
		};
	};
}

#[cfg(not(feature = "upgrade-test"))]
kmcc_runtime_version!(116);
// The forkless-upgrade test enacts this build (always the normal one + 1) on a chain running
// the normal one.
#[cfg(feature = "upgrade-test")]
kmcc_runtime_version!(117);

/// The address format for describing accounts.
pub type Address = polkadot_sdk::sp_runtime::MultiAddress<AccountId, ()>;
/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A block signed by its author (used by the node and tests).
pub type SignedBlock = generic::SignedBlock<Block>;

/// The transaction extensions, checked in this order for every signed transaction.
///
/// `CheckNonZeroTransfer` refuses zero-value transfers before they reach the pool ([`spam`]);
/// it carries no data, so wallets sign the same payload as without it. `CheckMetadataHash` lets offline signers (hardware wallets, polkadot.js with a metadata
/// hash) verify that the metadata they were shown is the chain's; the WASM embeds the hash
/// when built with the `metadata-hash` feature (the node's default).
/// `EthSetOrigin` carries no data either: it is on only in the extensions the runtime gives an
/// Ethereum transaction, where it makes the call run as the Ethereum signer.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	spam::CheckNonZeroTransfer,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	polkadot_sdk::frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	// A pair, so that the tuple stays within the 12 elements `Debug` and `Eq` are derived for;
	// the extensions' metadata and encoding are those of the flat list.
	(pallet_revive::evm::tx_extension::SetOrigin<Runtime>, frame_system::WeightReclaim<Runtime>),
);

/// The extensions a wallet attaches to a signed transaction: lifetime `era`, `nonce`, `tip`;
/// the metadata-hash check is off (signers that verify metadata switch it on themselves).
pub fn tx_extension(era: generic::Era, nonce: Nonce, tip: Balance) -> TxExtension {
	tx_extension_with_origin(era, nonce, tip, Default::default())
}

/// [`tx_extension`] with `EthSetOrigin` given: switched on only for Ethereum transactions
/// ([`configs::evm::EthExtraImpl`]); a signer cannot switch it on (it carries no data).
pub(crate) fn tx_extension_with_origin(
	era: generic::Era,
	nonce: Nonce,
	tip: Balance,
	set_origin: pallet_revive::evm::tx_extension::SetOrigin<Runtime>,
) -> TxExtension {
	(
		frame_system::AuthorizeCall::<Runtime>::new(),
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		spam::CheckNonZeroTransfer,
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(era),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(tip),
		polkadot_sdk::frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
		(set_origin, frame_system::WeightReclaim::<Runtime>::new()),
	)
}

/// Unchecked extrinsic type as expected by this runtime: the generic one (same encoding), which
/// also turns an Ethereum transaction (`Revive::eth_transact`, bare) into a transaction
/// checked with the Ethereum signer's nonce and fee ([`configs::evm::EthExtraImpl`]).
pub type UncheckedExtrinsic =
	pallet_revive::evm::runtime::UncheckedExtrinsic<Address, Signature, configs::evm::EthExtraImpl>;
/// The generic extrinsic inside [`UncheckedExtrinsic`], for building one
/// (`GenericUncheckedExtrinsic::new_signed(..).into()`).
pub type GenericUncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Executive: dispatches calls to the pallets and runs the migrations in
/// [`migrations::SingleBlockMigrations`] (wired through `frame_system::Config`).
pub type Executive = polkadot_sdk::frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(4)]
	pub type Authorship = pallet_authorship;

	#[runtime::pallet_index(10)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(11)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(12)]
	pub type Vesting = pallet_vesting;
	#[runtime::pallet_index(13)]
	pub type GenesisAllocation = pallet_genesis_allocation;
	#[runtime::pallet_index(14)]
	pub type Issuance = pallet_kmcc_issuance;
	#[runtime::pallet_index(15)]
	pub type Masternodes = pallet_masternodes;
	#[runtime::pallet_index(16)]
	pub type StorageSpaces = pallet_storage_spaces;
	#[runtime::pallet_index(17)]
	pub type Dpos = pallet_dpos;
	// After `Balances` and `Dpos` (genesis and hooks run in index order): see the module doc.
	#[runtime::pallet_index(18)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(19)]
	pub type Historical = pallet_session_historical;

	#[runtime::pallet_index(20)]
	pub type Utility = pallet_utility;
	#[runtime::pallet_index(21)]
	pub type Offences = pallet_offences;
	#[runtime::pallet_index(22)]
	pub type Stealth = pallet_stealth;
	#[runtime::pallet_index(23)]
	pub type Mixer = pallet_mixer;
	#[runtime::pallet_index(24)]
	pub type Mail = pallet_mail;

	#[runtime::pallet_index(30)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(40)]
	pub type Preimage = pallet_preimage;
	#[runtime::pallet_index(41)]
	pub type Scheduler = pallet_scheduler;
	#[runtime::pallet_index(42)]
	pub type Referenda = pallet_referenda;
	#[runtime::pallet_index(43)]
	pub type ConvictionVoting = pallet_conviction_voting;
	#[runtime::pallet_index(44)]
	pub type Origins = governance::pallet_custom_origins;
	#[runtime::pallet_index(45)]
	pub type Whitelist = pallet_whitelist;
	#[runtime::pallet_index(46)]
	pub type TechnicalCommittee = pallet_collective<Instance1>;
	#[runtime::pallet_index(47)]
	pub type Treasury = pallet_treasury;

	#[runtime::pallet_index(50)]
	pub type Identity = pallet_identity;
	#[runtime::pallet_index(51)]
	pub type Recovery = pallet_recovery;
	#[runtime::pallet_index(52)]
	pub type Multisig = pallet_multisig;
	#[runtime::pallet_index(53)]
	pub type Proxy = pallet_proxy;
	#[runtime::pallet_index(54)]
	pub type Assets = pallet_assets;
	#[runtime::pallet_index(55)]
	pub type Nfts = pallet_nfts;

	#[runtime::pallet_index(60)]
	pub type Htlc = pallet_htlc;
	// After `Session`: a block's MMR leaf names the next BEEFY set as its session change left it.
	#[runtime::pallet_index(61)]
	pub type Mmr = pallet_mmr;
	#[runtime::pallet_index(62)]
	pub type Beefy = pallet_beefy;
	#[runtime::pallet_index(63)]
	pub type BeefyMmrLeaf = pallet_beefy_mmr;

	#[runtime::pallet_index(70)]
	pub type Revive = pallet_revive;
}

#[cfg(feature = "runtime-benchmarks")]
mod benches {
	use polkadot_sdk::frame_support::traits::{fungible::Balanced, OnUnbalanced};

	/// A fee in a block's steady state: the author known and the block's first fee already
	/// collected (that one's extra cost is `Dpos`'s `share_block_fees`, charged once per block).
	impl polkadot_sdk::pallet_transaction_payment::BenchmarkConfig for super::Runtime {
		fn setup_benchmark_environment() {
			use pallet_dpos::BenchmarkHelper as _;
			crate::configs::dpos::BenchmarkSessionKeys::prepare_block_author();
			let first =
				<super::Balances as Balanced<super::AccountId>>::issue(super::currency::KMCC);
			<pallet_dpos::FeeCollector<super::Runtime> as OnUnbalanced<_>>::on_unbalanced(first);
		}
	}

	polkadot_sdk::frame_benchmarking::define_benchmarks!(
		[frame_benchmarking, BaselineBench::<Runtime>]
		[frame_system, SystemBench::<Runtime>]
		[frame_system_extensions, SystemExtensionsBench::<Runtime>]
		[pallet_balances, Balances]
		[pallet_timestamp, Timestamp]
		[pallet_transaction_payment, TransactionPayment]
		[pallet_vesting, Vesting]
		[pallet_utility, Utility]
		[pallet_sudo, Sudo]
		[pallet_preimage, Preimage]
		[pallet_scheduler, Scheduler]
		[pallet_referenda, Referenda]
		[pallet_conviction_voting, ConvictionVoting]
		[pallet_whitelist, Whitelist]
		[pallet_collective, TechnicalCommittee]
		[pallet_treasury, Treasury]
		[pallet_identity, Identity]
		[pallet_recovery, Recovery]
		[pallet_multisig, Multisig]
		[pallet_proxy, Proxy]
		[pallet_assets, Assets]
		[pallet_nfts, Nfts]
		[pallet_session, SessionBench::<Runtime>]
		[pallet_kmcc_issuance, Issuance]
		[pallet_masternodes, Masternodes]
		[pallet_storage_spaces, StorageSpaces]
		[pallet_dpos, Dpos]
		[pallet_stealth, Stealth]
		[pallet_mixer, Mixer]
		[pallet_mail, Mail]
		[pallet_htlc, Htlc]
		[pallet_mmr, Mmr]
		[pallet_beefy_mmr, BeefyMmrLeaf]
	);
}
