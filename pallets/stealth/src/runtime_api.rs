//! `StealthApi`: the announcement index and published meta-addresses, for wallets.
//!
//! From `@polkadot/api`: `api.call.stealthApi.announcements(fromId, limit)`; from the `kmcc`
//! wallet, the same call through subxt.

use crate::{AnnouncementId, AnnouncementsPage};
use codec::Codec;

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Stealth payments of KMCC Chain.
	pub trait StealthApi<AccountId, BlockNumber> where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// Up to `limit` (at most 1,024) kept announcements from id `from_id` on, and the id
		/// to continue from.
		fn announcements(from_id: AnnouncementId, limit: u32) -> AnnouncementsPage<AccountId, BlockNumber>;

		/// The meta-address `who` published: `(view key, spend key)`.
		fn meta_address(who: AccountId) -> Option<([u8; 32], [u8; 32])>;
	}
}
