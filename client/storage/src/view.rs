//! What a daemon knows of the chain: its copy groups, the spaces on their chunks, grants,
//! locks and the open challenge, as of the last finalized block it read ([`crate::follow`]).

use crate::protocol::{group_of, AccountId, ChunkId, GroupId, SpaceId};
use std::collections::HashMap;

/// Access granted to a non-owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
	/// May read.
	Read,
	/// May read and write.
	Write,
}

/// A member of a copy group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
	/// The landlord account.
	pub account: AccountId,
	/// Its daemon's node key.
	pub node: AccountId,
	/// Its daemon's endpoint.
	pub endpoint: String,
}

/// A space on chunks this daemon stores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpaceView {
	/// Owner.
	pub owner: AccountId,
	/// Expired (neither readable nor writable).
	pub locked: bool,
	/// Grants.
	pub grants: HashMap<AccountId, Access>,
}

/// The challenge window of a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
	/// Chunk of the world disk.
	pub chunk: ChunkId,
	/// Offset in it.
	pub offset: u32,
	/// Bytes.
	pub length: u32,
}

/// The chain as of one finalized block.
#[derive(Clone, Debug, Default)]
pub struct View {
	/// The block's number.
	pub block: u32,
	/// The open proof round.
	pub round: u32,
	/// Its seed.
	pub seed: [u8; 32],
	/// The block it was issued at.
	pub issued_at: u32,
	/// Groups this daemon's landlord serves, members in chain order.
	pub groups: HashMap<GroupId, Vec<Member>>,
	/// Challenge windows of those groups.
	pub windows: HashMap<GroupId, Window>,
	/// Groups whose proof of the open round counted: the data hash and the members that
	/// passed.
	pub proven: HashMap<GroupId, ([u8; 32], Vec<AccountId>)>,
	/// Sold chunks of those groups and their spaces.
	pub chunk_space: HashMap<ChunkId, SpaceId>,
	/// Those spaces.
	pub spaces: HashMap<SpaceId, SpaceView>,
}

impl View {
	/// Members of the chunk's group in the executor rotation of the open round: the
	/// executor first (`(chunk + round) mod r`), then the fail-over order.
	pub fn rotation(&self, chunk: ChunkId) -> Vec<Member> {
		let Some(members) = self.groups.get(&group_of(chunk)) else { return Vec::new() };
		let r = members.len() as u64;
		if r == 0 {
			return Vec::new();
		}
		let start = (chunk.wrapping_add(u64::from(self.round))) % r;
		(0..r).map(|k| members[((start + k) % r) as usize].clone()).collect()
	}

	/// The member with this node key in any of the daemon's groups.
	pub fn member_by_node(&self, node: &AccountId) -> Option<&Member> {
		self.groups.values().flatten().find(|m| &m.node == node)
	}

	/// Whether `who` serves the chunk's group.
	pub fn is_member(&self, chunk: ChunkId, who: &AccountId) -> bool {
		self.groups.get(&group_of(chunk)).is_some_and(|m| m.iter().any(|m| &m.account == who))
	}

	/// Checks that `who` may read (`write = false`) or write `space`'s `chunk`.
	pub fn check_access(
		&self,
		who: &AccountId,
		space: SpaceId,
		chunk: ChunkId,
		write: bool,
	) -> Result<(), crate::protocol::ErrorKind> {
		use crate::protocol::ErrorKind;
		if self.chunk_space.get(&chunk) != Some(&space) {
			return Err(ErrorKind::UnknownChunk);
		}
		let s = self.spaces.get(&space).ok_or(ErrorKind::UnknownChunk)?;
		let allowed = &s.owner == who
			|| match s.grants.get(who) {
				Some(Access::Write) => true,
				Some(Access::Read) => !write,
				None => false,
			};
		if !allowed {
			return Err(ErrorKind::Unauthorized);
		}
		if s.locked {
			return Err(ErrorKind::Locked);
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::protocol::ErrorKind;

	fn view() -> View {
		let members = (1..=4u8)
			.map(|i| Member { account: [i; 32], node: [i + 10; 32], endpoint: String::new() })
			.collect();
		let mut v = View { round: 3, ..Default::default() };
		v.groups.insert(0, members);
		v.chunk_space.insert(5, 9);
		v.spaces.insert(
			9,
			SpaceView {
				owner: [100; 32],
				locked: false,
				grants: [([101; 32], Access::Read), ([102; 32], Access::Write)].into(),
			},
		);
		v
	}

	#[test]
	fn the_executor_rotates_with_the_round() {
		let mut v = view();
		let first: Vec<_> = v.rotation(5).iter().map(|m| m.account[0]).collect();
		assert_eq!(first, vec![1, 2, 3, 4], "(5 + 3) mod 4 = 0");
		v.round = 4;
		assert_eq!(v.rotation(5)[0].account[0], 2);
		assert!(v.rotation(64).is_empty(), "a group the daemon does not serve");
	}

	#[test]
	fn access_follows_owner_grants_and_locks() {
		let mut v = view();
		assert_eq!(v.check_access(&[100; 32], 9, 5, true), Ok(()));
		assert_eq!(v.check_access(&[101; 32], 9, 5, false), Ok(()));
		assert_eq!(v.check_access(&[101; 32], 9, 5, true), Err(ErrorKind::Unauthorized));
		assert_eq!(v.check_access(&[102; 32], 9, 5, true), Ok(()));
		assert_eq!(v.check_access(&[103; 32], 9, 5, false), Err(ErrorKind::Unauthorized));
		assert_eq!(
			v.check_access(&[100; 32], 8, 5, false),
			Err(ErrorKind::UnknownChunk),
			"another space's id"
		);
		assert_eq!(
			v.check_access(&[100; 32], 9, 6, false),
			Err(ErrorKind::UnknownChunk),
			"a chunk not in the space"
		);
		v.spaces.get_mut(&9).unwrap().locked = true;
		assert_eq!(v.check_access(&[100; 32], 9, 5, false), Err(ErrorKind::Locked));
	}
}
