//! `MixerApi`: the pools, their keys (for ring selection) and the invalid list, for wallets.
//!
//! From `@polkadot/api`: `api.call.mixerApi.pools()`; from the `kmcc` wallet, the same calls
//! through subxt.

use crate::{DepositIndex, KeysPage, MixerParameters, PoolStatus};
use codec::Codec;
use kmcc_primitives::Balance;

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// The mixing pool of KMCC Chain.
	pub trait MixerApi<BlockNumber> where
		BlockNumber: Codec,
	{
		/// Every pool: denomination, deposits (the anonymity set) and withdrawals.
		fn pools() -> alloc::vec::Vec<PoolStatus>;

		/// Up to `limit` (at most 1,024) keys of `denomination`'s pool from index `from` on,
		/// with their deposit blocks, and the index to continue from.
		fn keys(denomination: Balance, from: DepositIndex, limit: u32) -> KeysPage<BlockNumber>;

		/// Whether `key_image` is on the invalid list (its deposit was withdrawn).
		fn is_spent(key_image: [u8; 32]) -> bool;

		/// Where a deposited key is: `(denomination, index)`.
		fn deposit_of(key: [u8; 32]) -> Option<(Balance, DepositIndex)>;

		/// The ring-size bounds and the relayer-fee cap.
		fn parameters() -> MixerParameters;
	}
}
