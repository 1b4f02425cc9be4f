//! `MasternodesApi`: masternode list and income estimates for wallets and operators.
//!
//! From `@polkadot/api`: `api.call.masternodesApi.masternodes()` and
//! `api.call.masternodesApi.estimatedIncome(n)`.

use crate::{IncomeEstimate, MasternodeId};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use core::fmt::Debug;
use scale_info::TypeInfo;

/// A masternode as a wallet shows it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct MasternodeInfo<AccountId, BlockNumber> {
	/// Its id.
	pub id: MasternodeId,
	/// Its owner.
	pub owner: AccountId,
	/// Where rewards go.
	pub payout: AccountId,
	/// Whether it is enabled (paid), else banned or unbonding.
	pub enabled: bool,
	/// Banned by PoSe (revive to be paid again).
	pub banned: bool,
	/// Deregistered, collateral unbonding.
	pub unbonding: bool,
	/// PoSe score now.
	pub pose_score: u32,
	/// Last block it was paid (registration or revive block before its first payment);
	/// `None` once deregistered.
	pub last_paid: Option<BlockNumber>,
	/// Last heartbeat block.
	pub last_heartbeat: BlockNumber,
	/// Enabled masternodes ahead of it in the payment queue (0 = paid next block).
	pub queue_position: Option<u32>,
}

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Masternodes of KMCC Chain.
	pub trait MasternodesApi<AccountId, BlockNumber> where
		AccountId: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// Every masternode with its status and queue position.
		fn masternodes() -> Vec<MasternodeInfo<AccountId, BlockNumber>>;
		/// Daily income and annual ROI of `n` masternodes from live chain values.
		fn estimated_income(n: u32) -> IncomeEstimate;
	}
}
