//! Ethereum contracts (design §9): `Revive` runs EVM bytecode, and Ethereum tools (MetaMask,
//! ethers, viem, Hardhat) use the chain through the Ethereum JSON-RPC adapter (`eth-rpc`).
//!
//! ## Accounts
//!
//! Every KMCC account has an Ethereum address and every Ethereum address a KMCC account
//! (`AccountId32Mapper`):
//!
//! - a KMCC (sr25519/ed25519) account `a` has the address `keccak256(a)[12..32]`;
//! - an Ethereum key's address `h` is the account `h ‖ 0xEE × 12`, so what an Ethereum wallet
//!   signs moves that account's KMCC.
//!
//! Going back from an address to a KMCC account needs the pair in `OriginalAccount`
//! ("mapping"). **`AutoMap` is on**: every account is mapped when it is created
//! (`frame_system::Config::OnNewAccount`), and unmapped when it is reaped. A KMCC account is
//! therefore usable from Ethereum tools at once, without a `map_account` call, and a contract
//! that pays `msg.sender` pays the KMCC account that called it. Mappings made this way carry
//! no deposit (the account's existential deposit already pays for its storage);
//! `map_account`/`unmap_account` are disabled. Accounts that existed before `Revive` was added
//! are mapped by the spec-116 migration ([`crate::migrations::MapExistingAccounts`]).
//!
//! ## Value and gas
//!
//! `NativeToEthRatio` is 1: KMCC has 18 decimals, so 1 KMCC is 1 ether and 1 planck is 1 wei
//! in every Ethereum tool, and `eth_getBalance` is the account's spendable KMCC.
//!
//! An Ethereum transaction pays the same fee as any KMCC transaction: weight and length
//! priced by `TransactionPayment` (`BlockRatioFee`, the one `WeightToFee` `Revive` accepts,
//! prices reference time exactly as before and proof size at the block's ratio of the two).
//! Gas is that fee in units of the gas price, which is
//! `fee multiplier × NativeToEthRatio × GasScale` = **1 gwei × the fee multiplier** (at least 1:
//! see `MinimumMultiplier` in [`super::monetary`]). Storage a contract creates is paid by a
//! deposit ([`DEPOSIT_PER_ITEM`], [`DEPOSIT_PER_BYTE`], [`DEPOSIT_PER_CHILD_TRIE_ITEM`]),
//! charged inside the gas limit and refunded when the storage is freed.
//!
//! ## Chain id
//!
//! [`EVM_CHAIN_ID`] (EIP-155) is in every Ethereum transaction's signature: a transaction
//! signed for another chain is refused.
//!
//! ## Ethereum transactions
//!
//! `Revive::eth_transact(payload)` carries a signed Ethereum transaction; the runtime's
//! extrinsic type checks it as a signed KMCC transaction of its signer ([`EthExtraImpl`]). A
//! payload is accepted only in the canonical encoding of the transaction it decodes to, so that
//! its Ethereum hash is the transaction's only hash.

use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{tokens::imbalance::ResolveTo, ConstBool, ConstU32, ConstU64},
	},
	frame_system::EnsureSigned,
	pallet_revive::{
		self,
		evm::{runtime::EthExtra, TransactionSigned},
		AccountId32Mapper,
	},
	sp_runtime::{
		generic::{CheckedExtrinsic, Era},
		traits::InvalidVersion,
		transaction_validity::InvalidTransaction,
		FixedU128, Perbill,
	},
};

use super::monetary::StorageSubsidyPool;
use crate::{
	currency::{KMCC, MILLI_KMCC},
	AccountId, Address, Balance, Balances, Nonce, Runtime, RuntimeCall, Signature, Timestamp,
	TxExtension,
};

/// The EIP-155 chain id of KMCC Chain's Ethereum interface: 5622, "KMCC" on a phone keypad.
/// Not taken in the public registry (ethereum-lists/chains, chainid.network) when chosen;
/// to be registered there before mainnet.
pub const EVM_CHAIN_ID: u64 = 5622;

/// The deposit for a storage item of the main trie a contract creates (its account info, its
/// code's info): as an identity's or a multisig's item ([`super::accounts::deposit`]).
pub const DEPOSIT_PER_ITEM: Balance = KMCC;
/// The deposit per byte of contract code and contract storage.
pub const DEPOSIT_PER_BYTE: Balance = MILLI_KMCC;
/// The deposit for one storage slot of a contract (a Solidity state variable or mapping
/// entry): 1/100 of a main-trie item, as the SDK's runtimes price child-trie items, so that
/// an ERC-20 balance costs 0.01 KMCC + 0.064 KMCC for its 64 bytes.
pub const DEPOSIT_PER_CHILD_TRIE_ITEM: Balance = KMCC / 100;

/// The gas price's unit: 10⁹ wei = 1 gwei, at a fee multiplier of 1.
pub const GAS_SCALE: u32 = 1_000_000_000;

parameter_types! {
	pub const DepositPerItem: Balance = DEPOSIT_PER_ITEM;
	pub const DepositPerByte: Balance = DEPOSIT_PER_BYTE;
	pub const DepositPerChildTrieItem: Balance = DEPOSIT_PER_CHILD_TRIE_ITEM;
	/// Instantiating a contract locks 30 % of its code's deposit, so that code in use cannot
	/// be removed (the SDK's value).
	pub CodeHashLockupDepositPercent: Perbill = Perbill::from_percent(30);
	/// An Ethereum transaction may use up to 90 % of a transaction's weight limit (what its
	/// gas limit is capped to).
	pub MaxEthExtrinsicWeight: FixedU128 = FixedU128::from_rational(9, 10);
}

/// The transaction extensions an Ethereum transaction (`Revive::eth_transact`) is checked
/// with: the KMCC ones, with the Ethereum transaction's nonce and tip, immortal, and
/// `EthSetOrigin` switched on so that the call runs as the signer of the Ethereum transaction.
///
/// Only the canonical encoding of a signed transaction is accepted: the SDK's RLP decoder
/// reads the fields it knows and ignores anything after them (trailing bytes, extra list
/// items), so without this check one signed transaction has many payloads, each with its own
/// Ethereum hash, and a wallet tracking its hash could see a different one included.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EthExtraImpl;

/// The SDK's conversion of an Ethereum transaction into a checked extrinsic, which
/// [`EthExtraImpl`] runs once the payload is known to be canonical.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SdkEthExtra;

impl EthExtra for SdkEthExtra {
	type Config = Runtime;
	type ExtensionV0 = TxExtension;
	type ExtensionOtherVersions = InvalidVersion;

	fn get_eth_extension(nonce: Nonce, tip: Balance) -> TxExtension {
		crate::tx_extension_with_origin(
			Era::Immortal,
			nonce,
			tip,
			pallet_revive::evm::tx_extension::SetOrigin::<Runtime>::new_from_eth_transaction(),
		)
	}
}

/// Whether `payload` is exactly the encoding of the signed transaction it decodes to.
pub fn is_canonical_eth_transaction(payload: &[u8]) -> bool {
	TransactionSigned::decode(payload).is_ok_and(|tx| tx.signed_payload() == payload)
}

impl EthExtra for EthExtraImpl {
	type Config = Runtime;
	type ExtensionV0 = TxExtension;
	type ExtensionOtherVersions = InvalidVersion;

	fn get_eth_extension(nonce: Nonce, tip: Balance) -> TxExtension {
		SdkEthExtra::get_eth_extension(nonce, tip)
	}

	/// Refuses a non-canonical payload as the SDK refuses an undecodable one
	/// (`InvalidTransaction::Call`), before anything is charged.
	fn try_into_checked_extrinsic(
		payload: &[u8],
		encoded_len: usize,
	) -> Result<
		CheckedExtrinsic<AccountId, RuntimeCall, TxExtension, InvalidVersion>,
		InvalidTransaction,
	> {
		if !is_canonical_eth_transaction(payload) {
			return Err(InvalidTransaction::Call);
		}
		SdkEthExtra::try_into_checked_extrinsic(payload, encoded_len)
	}
}

impl pallet_revive::Config for Runtime {
	type Time = Timestamp;
	type Balance = Balance;
	type Currency = Balances;
	/// Rounding of gas to whole gas units: to the storage subsidy pool, as reaped dust (a
	/// burn would bypass the issuance ledger and its floor).
	type OnBurn = ResolveTo<StorageSubsidyPool, Balances>;
	type RuntimeEvent = crate::RuntimeEvent;
	type RuntimeCall = crate::RuntimeCall;
	type RuntimeOrigin = crate::RuntimeOrigin;
	type RuntimeHoldReason = crate::RuntimeHoldReason;
	/// The SDK's weights: the pallet's benchmarks need its fixture contracts, which are built
	/// with a RISC-V Rust toolchain and `resolc` (see docs/benchmarks.md).
	type WeightInfo = pallet_revive::weights::SubstrateWeight<Runtime>;
	/// KMCC's own precompiles ([`crate::precompiles`]): DPoS leasing at `0x…08000000`.
	type Precompiles = (crate::precompiles::DposPrecompile<Runtime>,);
	/// `block.coinbase`: the block author's account.
	type FindAuthor = <Runtime as polkadot_sdk::pallet_authorship::Config>::FindAuthor;
	type DepositPerByte = DepositPerByte;
	type DepositPerItem = DepositPerItem;
	type DepositPerChildTrieItem = DepositPerChildTrieItem;
	type CodeHashLockupDepositPercent = CodeHashLockupDepositPercent;
	type AddressMapper = AccountId32Mapper<Runtime>;
	type AllowEVMBytecode = ConstBool<true>;
	/// Anyone may upload and instantiate contracts; deposits price the storage.
	type UploadOrigin = EnsureSigned<AccountId>;
	type InstantiateOrigin = EnsureSigned<AccountId>;
	/// The node's runtime memory (the SDK's values, checked by the pallet's integrity test).
	type RuntimeMemory = ConstU32<{ 128 * 1024 * 1024 }>;
	type PVFMemory = ConstU32<{ 512 * 1024 * 1024 }>;
	type ChainId = ConstU64<EVM_CHAIN_ID>;
	type NativeToEthRatio = ConstU32<1>;
	type FeeInfo = pallet_revive::evm::fees::Info<Address, Signature, EthExtraImpl>;
	type Deposit = ();
	type MaxEthExtrinsicWeight = MaxEthExtrinsicWeight;
	/// No unlimited contract sizes or other debug settings on a public chain.
	type DebugEnabled = ConstBool<false>;
	type AutoMap = ConstBool<true>;
	type GasScale = ConstU32<GAS_SCALE>;
}
