//! Third-party tokens and NFTs (design §11; Komandor "third-party asset issuance",
//! Contattract "one-click token issuance").
//!
//! `Assets`: anyone creates a fungible token with `assets.create(id, admin, min_balance)`
//! (10 KMCC deposit), names it with `set_metadata` (name, symbol, decimals; a deposit per
//! byte), mints to holders and manages it with the issuer/admin/freezer roles. Each holder's
//! account in an asset is kept alive by a small KMCC deposit (paid by whoever creates the
//! holder's account, e.g. the minter or sender) or by holding the asset's `min_balance`.
//!
//! `Nfts`: collections and items with metadata, attributes, approvals and atomic swaps; a
//! collection holds 10 KMCC, an item 0.1 KMCC.
//!
//! Fees stay in KMCC: paying fees in a third-party token would need a price for it. The
//! SDK's `pallet-asset-tx-payment` takes that price from the ratio of the asset's
//! `min_balance` to KMCC's existential deposit, which the asset's creator chooses freely (a
//! creator setting `min_balance` to 1 would make transactions nearly free: a spam vector);
//! `pallet-asset-conversion-tx-payment` needs an on-chain exchange with liquidity pools,
//! which this chain does not have. A holder of only a third-party token first needs a little
//! KMCC, as on Asset Hub for assets without a pool.

use super::accounts::deposit;
use crate::{
	weights, AccountId, Balance, Balances, BlockNumber, Runtime, RuntimeEvent, Signature, System,
};
use kmcc_primitives::{
	currency::{EXISTENTIAL_DEPOSIT, KMCC},
	time::DAYS,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{AsEnsureOriginWithArg, ConstU32},
	},
	frame_system::{EnsureRoot, EnsureSigned},
	pallet_assets,
	pallet_nfts::{self, PalletFeatures},
	sp_runtime::traits::Verify,
};

parameter_types! {
	pub const AssetDeposit: Balance = 10 * KMCC;
	/// A holder's account in an asset: one item of 16 bytes.
	pub const AssetAccountDeposit: Balance = deposit(1, 16);
	pub const AssetMetadataDepositBase: Balance = deposit(1, 68);
	pub const AssetMetadataDepositPerByte: Balance = deposit(0, 1);
	pub const AssetApprovalDeposit: Balance = EXISTENTIAL_DEPOSIT;
}

impl pallet_assets::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type RemoveItemsLimit = ConstU32<1_000>;
	type AssetId = u32;
	type AssetIdParameter = codec::Compact<u32>;
	type ReserveData = ();
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type AssetDeposit = AssetDeposit;
	type AssetAccountDeposit = AssetAccountDeposit;
	type MetadataDepositBase = AssetMetadataDepositBase;
	type MetadataDepositPerByte = AssetMetadataDepositPerByte;
	type ApprovalDeposit = AssetApprovalDeposit;
	type StringLimit = ConstU32<50>;
	type Freezer = ();
	type Holder = ();
	type Extra = ();
	type CallbackHandle = ();
	/// The creator picks any free id.
	type AssetIdAllocator = ();
	type WeightInfo = weights::pallet_assets::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

parameter_types! {
	pub NftsPalletFeatures: PalletFeatures = PalletFeatures::all_enabled();
	pub const NftsCollectionDeposit: Balance = 10 * KMCC;
	pub const NftsItemDeposit: Balance = KMCC / 10;
	pub const NftsMetadataDepositBase: Balance = deposit(1, 129);
	pub const NftsAttributeDepositBase: Balance = deposit(1, 0);
	pub const NftsDepositPerByte: Balance = deposit(0, 1);
	pub const NftsMaxDeadlineDuration: BlockNumber = 365 * DAYS;
}

impl pallet_nfts::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type CollectionId = u32;
	type ItemId = u32;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Locker = ();
	type CollectionDeposit = NftsCollectionDeposit;
	type ItemDeposit = NftsItemDeposit;
	type MetadataDepositBase = NftsMetadataDepositBase;
	type AttributeDepositBase = NftsAttributeDepositBase;
	type DepositPerByte = NftsDepositPerByte;
	type StringLimit = ConstU32<256>;
	type KeyLimit = ConstU32<64>;
	type ValueLimit = ConstU32<256>;
	type ApprovalsLimit = ConstU32<20>;
	type ItemAttributesApprovalsLimit = ConstU32<30>;
	type MaxTips = ConstU32<10>;
	type MaxDeadlineDuration = NftsMaxDeadlineDuration;
	type MaxAttributesPerCall = ConstU32<10>;
	type Features = NftsPalletFeatures;
	type OffchainSignature = Signature;
	type OffchainPublic = <Signature as Verify>::Signer;
	#[cfg(feature = "runtime-benchmarks")]
	type Helper = ();
	type WeightInfo = weights::pallet_nfts::WeightInfo<Runtime>;
	type BlockNumberProvider = System;
}
