//! Masternodes (design §4): 45 % of each block's emission through Dash's payment queue.
//!
//! `Issuance` hands the masternode share to `Masternodes` (its `MasternodeReward`); with no
//! enabled masternode the share goes to the masternode reward pot. Heartbeats are submitted
//! by the offchain worker of any node holding an operator key (`kmcc-node key insert
//! --key-type mnod`) as *authorized* transactions: no signer, no fee, validated by
//! `pallet-masternodes`' `authorize` (the `AuthorizeCall` extension).

use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstU32, Get},
	},
	frame_system,
	sp_runtime::{generic::Era, transaction_validity::TransactionPriority},
};

use crate::{
	configs::monetary::MasternodeRewardPot, time::DAYS, tx_extension, Balance, Balances, Runtime,
	RuntimeCall, RuntimeHoldReason, TxExtension, UncheckedExtrinsic,
};

/// The masternode share of the next block's emission, for income estimates.
pub struct MasternodeSharePerBlock;

impl Get<Balance> for MasternodeSharePerBlock {
	fn get() -> Balance {
		pallet_kmcc_issuance::Pallet::<Runtime>::next_block_shares().masternodes
	}
}

parameter_types! {
	/// Heartbeats go ahead of ordinary transactions of the same length.
	pub const HeartbeatPriority: TransactionPriority = TransactionPriority::MAX / 2;
}

impl pallet_masternodes::Config for Runtime {
	type Currency = Balances;
	/// Collateral never reuses frozen funds (vesting); leases are holds, so it cannot take them.
	type Frozen = kmcc_primitives::funds::SystemAccountFrozen<Runtime>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OperatorId = pallet_masternodes::crypto::OperatorId;
	type Pot = MasternodeRewardPot;
	type SharePerBlock = MasternodeSharePerBlock;
	type BlocksPerDay = ConstU32<DAYS>;
	/// Bounds the per-block queue scan and the PoSe check (both benchmarked at this size).
	type MaxMasternodes = ConstU32<1_024>;
	type MaxEndpointLength = ConstU32<128>;
	type HeartbeatPriority = HeartbeatPriority;
	type WeightInfo = pallet_masternodes::weights::SubstrateWeight<Runtime>;
}

impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type RuntimeCall = RuntimeCall;
	type Extrinsic = UncheckedExtrinsic;
}

impl<LocalCall> frame_system::offchain::CreateTransaction<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type Extension = TxExtension;

	fn create_transaction(call: RuntimeCall, extension: TxExtension) -> UncheckedExtrinsic {
		crate::GenericUncheckedExtrinsic::new_transaction(call, extension).into()
	}
}

impl<LocalCall> frame_system::offchain::CreateAuthorizedTransaction<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	/// Authorized transactions have no signer: nonce and fee checks do not apply; the era is
	/// immortal, the heartbeat itself expires through its `longevity`.
	fn create_extension() -> TxExtension {
		tx_extension(Era::Immortal, 0, 0)
	}
}
