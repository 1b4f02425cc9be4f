//! `IssuanceApi`: the supply figures wallets and explorers show (design §2).
//!
//! From `@polkadot/api`: `await api.call.issuanceApi.issuanceInfo()`.

use crate::EmissionSplit;
use codec::{Decode, Encode};
use core::fmt::Debug;
use polkadot_sdk::sp_runtime::Perbill;
use scale_info::TypeInfo;

/// The state of the KMCC supply at a block.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct IssuanceInfo<BlockNumber, Balance> {
	/// The block these figures describe.
	pub block: BlockNumber,
	/// The halving period of the next block (0-based), `None` once emission has ended.
	pub current_period: Option<u32>,
	/// The scheduled reward of the next block.
	pub reward_per_block: Balance,
	/// The first block of the next halving period, `None` in the last period and after.
	pub next_halving_block: Option<BlockNumber>,
	/// The last block that emits anything.
	pub last_emission_block: BlockNumber,
	/// Emitted by block rewards so far.
	pub minted: Balance,
	/// Still to be emitted: the schedule's remainder, limited by the hard cap.
	pub remaining_to_mint: Balance,
	/// Burned so far (buy-back burns and fee burns).
	pub burned: Balance,
	/// Total issuance at genesis (or when the pallet was added).
	pub genesis_issuance: Balance,
	/// Total issuance now; always `genesis_issuance + minted − burned`.
	pub total_issuance: Balance,
	/// The hard cap.
	pub max_supply: Balance,
	/// No burn takes total issuance below this.
	pub burn_floor: Balance,
	/// How each block's emission is shared.
	pub split: EmissionSplit,
	/// Share of storage and mail fees that is burned.
	pub fee_burn_share: Perbill,
}

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Supply figures of the KMCC token.
	pub trait IssuanceApi<BlockNumber, Balance> where
		BlockNumber: codec::Codec,
		Balance: codec::Codec,
	{
		/// Emission schedule position, minted, burned and remaining supply, and the split.
		fn issuance_info() -> IssuanceInfo<BlockNumber, Balance>;
	}
}
