//! Records the pallet stores and returns.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use kmcc_primitives::Balance;
use kmcc_privacy::Point;
use scale_info::TypeInfo;

/// Consecutive number of an announcement.
pub type AnnouncementId = u64;

/// Most announcements one runtime-API page returns.
pub const MAX_PAGE: u32 = 1_024;

/// A stealth payment as a wallet scans it.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct AnnouncementRecord<AccountId, BlockNumber> {
	/// The block that recorded it.
	pub block: BlockNumber,
	/// `R = r·G`.
	pub ephemeral: Point,
	/// The one-time account `P`.
	pub one_time: AccountId,
	/// The view tag: skip unless it matches.
	pub view_tag: u8,
}

/// A published meta-address and the deposit it holds.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct PublishedMetaAddress {
	/// The view key `A`.
	pub view: Point,
	/// The spend key `B`.
	pub spend: Point,
	/// Held while published.
	pub deposit: Balance,
}

/// One page of announcements (the runtime API).
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct AnnouncementsPage<AccountId, BlockNumber> {
	/// `(id, announcement)` in id order.
	pub items: Vec<(AnnouncementId, AnnouncementRecord<AccountId, BlockNumber>)>,
	/// The id to ask for next (`end_id` once everything was read).
	pub next_id: AnnouncementId,
	/// The oldest id still kept: a wallet that last scanned below it missed pruned entries.
	pub oldest_id: AnnouncementId,
	/// The id the next announcement will get.
	pub end_id: AnnouncementId,
}
