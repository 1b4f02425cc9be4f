//! The wire protocol between clients and daemons and between the daemons of a copy group.
//!
//! One TCP connection carries length-prefixed SCALE frames: a `u32` little-endian length, then
//! the bytes. The daemon speaks first ([`Hello`]: its landlord account, node key and a fresh
//! nonce); the peer answers with one [`Auth`] (an sr25519 signature over
//! [`auth_message`] under the signing context [`AUTH_CONTEXT`], which no transaction uses, so
//! a signature given to a daemon cannot be replayed as a transaction); after that every frame
//! is a [`Tagged`] [`Request`] or [`Response`], answered by id, so many requests are in flight
//! on one connection and answers may come back out of order.

use codec::{Decode, DecodeAll, Encode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A 32-byte account id (sr25519 public key).
pub type AccountId = [u8; 32];
/// A chunk of the world disk.
pub type ChunkId = u64;
/// A space (order) id.
pub type SpaceId = u64;
/// A copy group: chunks `[64·g, 64·g + 64)`.
pub type GroupId = u32;

/// Bytes of a chunk (1 MiB).
pub const CHUNK_BYTES: u32 = 1 << 20;
/// Chunks of a copy group.
pub const GROUP_CHUNKS: u64 = 64;
/// The largest frame: a whole chunk plus its header.
pub const MAX_FRAME: u32 = CHUNK_BYTES + 4096;
/// Signing context of connection authentication.
pub const AUTH_CONTEXT: &[u8] = b"kmcc/storage/auth";

/// The copy group of a chunk.
pub fn group_of(chunk: ChunkId) -> GroupId {
	(chunk / GROUP_CHUNKS) as GroupId
}

/// A proposal number of the per-chunk log: one executor per ballot. Ordered by round (the
/// chain's proof round, which rotates the executor), then by rank in that round's rotation
/// (a fail-over executor outranks an unreachable one), then by account (unique per proposer
/// even when two daemons' views of the group differ).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, Decode)]
pub struct Ballot {
	/// The proof round.
	pub round: u32,
	/// Position in the round's rotation.
	pub rank: u32,
	/// The executor.
	pub executor: AccountId,
}

/// What a replica of a chunk holds: the space that owns it (the chunk restarts from zeroes
/// when the chain hands it to another space) and the last log entry applied, `(ballot, seq)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Encode, Decode)]
pub struct Version {
	/// The owning space (`None`: never sold while this replica held it).
	pub space: Option<SpaceId>,
	/// The ballot of the last entry applied.
	pub ballot: Ballot,
	/// Its sequence number in the chunk's log.
	pub seq: u64,
}

impl Version {
	/// The log position, compared like Raft's "more up to date": ballot, then sequence.
	pub fn position(&self) -> (Ballot, u64) {
		(self.ballot, self.seq)
	}

	/// Whether `self` is later than `other` in the same space's log.
	pub fn is_after(&self, other: &Version) -> bool {
		self.space == other.space && self.position() > other.position()
	}
}

/// A change of a chunk.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Op {
	/// Bytes at the entry's offset.
	Write(Vec<u8>),
	/// This many zero bytes at the entry's offset (trim, write-zeroes).
	Zero(u32),
}

impl Op {
	/// Bytes it covers.
	pub fn len(&self) -> u32 {
		match self {
			Op::Write(data) => data.len() as u32,
			Op::Zero(n) => *n,
		}
	}

	/// Whether it covers nothing.
	pub fn is_empty(&self) -> bool {
		self.len() == 0
	}
}

/// An entry of a chunk's log: applies only on top of `prev`, and makes the chunk `version`.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Entry {
	/// The chunk.
	pub chunk: ChunkId,
	/// The version it applies on.
	pub prev: Version,
	/// The version it makes.
	pub version: Version,
	/// Byte offset in the chunk.
	pub offset: u32,
	/// The change.
	pub op: Op,
}

/// The daemon's greeting.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Hello {
	/// Protocol version.
	pub protocol: u32,
	/// The landlord it serves.
	pub landlord: AccountId,
	/// Its node key.
	pub node: AccountId,
	/// A fresh nonce to sign.
	pub nonce: [u8; 32],
}

/// This protocol's version.
pub const PROTOCOL_VERSION: u32 = 1;

/// Who the connecting side is.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Auth {
	/// A user: the account's signature.
	Account { account: AccountId, signature: [u8; 64] },
	/// Another daemon: its node key's signature.
	Node { node: AccountId, signature: [u8; 64] },
}

/// What an [`Auth`] signs: the context's domain, the daemon's node key, its nonce, the kind
/// (0 account, 1 node) and the signer.
pub fn auth_message(
	daemon_node: &AccountId,
	nonce: &[u8; 32],
	kind: u8,
	who: &AccountId,
) -> Vec<u8> {
	(daemon_node, nonce, kind, who).encode()
}

/// A request.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Request {
	/// Reads `length` bytes of a chunk of `space` (owner or grantee).
	Read {
		space: SpaceId,
		chunk: ChunkId,
		offset: u32,
		length: u32,
		/// Members the client could not reach (they are skipped in the executor rotation).
		unreachable: Vec<AccountId>,
	},
	/// Changes a chunk of `space` (owner or write grantee); answered once a quorum of the
	/// group persisted it.
	Write { space: SpaceId, chunk: ChunkId, offset: u32, op: Op, unreachable: Vec<AccountId> },
	/// Executor → member: promise to ignore entries of lower ballots for the chunk.
	Prepare { chunk: ChunkId, space: SpaceId, ballot: Ballot },
	/// Executor → member: persist and apply an entry.
	Append(Entry),
	/// Executor → member: replace the chunk (catch-up by copy).
	Install { chunk: ChunkId, version: Version, data: Vec<u8> },
	/// Member → member: the chunk's bytes and version.
	Fetch { chunk: ChunkId },
	/// Member → member: versions of the group's chunks (anti-entropy).
	Versions { group: GroupId },
	/// Coordinator → member: hash the group's challenged window of the open round (as the
	/// member's own view of the chain names it) and sign a proof vote.
	Vote { group: GroupId, round: u32 },
}

/// Why a request failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum ErrorKind {
	/// The signer is neither the owner nor a grantee (or a peer is not in the group).
	Unauthorized,
	/// The space is locked (expired).
	Locked,
	/// The chunk does not belong to that space here (unknown, or this daemon's view lags).
	UnknownChunk,
	/// Offset or length outside the chunk.
	OutOfRange,
	/// No quorum of the group answered.
	Unavailable,
	/// A disk error.
	Io,
	/// A malformed request.
	BadRequest,
}

/// A response.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Response {
	/// Done.
	Ok,
	/// Bytes read.
	Data(Vec<u8>),
	/// Ask this member, the chunk's executor.
	Redirect { to: AccountId },
	/// A promise, with the member's version of the chunk.
	Promise { version: Version },
	/// A higher ballot was promised: the executor steps down.
	Rejected { promised: Ballot },
	/// The entry does not follow the member's version: it needs a catch-up.
	Behind { version: Version },
	/// A chunk's bytes and version.
	Snapshot { version: Version, data: Vec<u8> },
	/// Versions of a group's chunks.
	Versions(Vec<(ChunkId, Version)>),
	/// A signed proof vote and the version it hashed.
	Vote { data_hash: [u8; 32], signature: [u8; 64], version: Version },
	/// A failure.
	Error { kind: ErrorKind, message: String },
}

impl Response {
	/// An error response.
	pub fn error(kind: ErrorKind, message: impl Into<String>) -> Self {
		Response::Error { kind, message: message.into() }
	}
}

/// A request or response with its id.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Tagged<T> {
	/// Chosen by the requester, echoed by the answer.
	pub id: u64,
	/// The message.
	pub body: T,
}

/// Writes one frame.
pub async fn write_frame<W: AsyncWriteExt + Unpin>(
	w: &mut W,
	value: &impl Encode,
) -> std::io::Result<()> {
	w.write_all(&frame(value)?).await
}

/// A value as one frame: its length (`u32` LE), then its SCALE bytes.
pub fn frame(value: &impl Encode) -> std::io::Result<Vec<u8>> {
	let mut buf = Vec::with_capacity(value.size_hint() + 4);
	buf.extend_from_slice(&[0; 4]);
	value.encode_to(&mut buf);
	let len = u32::try_from(buf.len() - 4).map_err(|_| invalid("frame too large"))?;
	if len > MAX_FRAME {
		return Err(invalid("frame too large"));
	}
	buf[..4].copy_from_slice(&len.to_le_bytes());
	Ok(buf)
}

/// Reads one frame; `None` at a clean end of stream.
pub async fn read_frame<R: AsyncReadExt + Unpin, T: Decode>(
	r: &mut R,
) -> std::io::Result<Option<T>> {
	let mut len = [0u8; 4];
	match r.read_exact(&mut len).await {
		Ok(_) => {}
		Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
		Err(e) => return Err(e),
	}
	let len = u32::from_le_bytes(len);
	if len > MAX_FRAME {
		return Err(invalid("frame too large"));
	}
	let mut buf = vec![0u8; len as usize];
	r.read_exact(&mut buf).await?;
	T::decode_all(&mut &buf[..]).map(Some).map_err(|_| invalid("undecodable frame"))
}

fn invalid(message: &str) -> std::io::Error {
	std::io::Error::new(std::io::ErrorKind::InvalidData, message.to_string())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[tokio::test]
	async fn frames_round_trip_and_trailing_bytes_are_refused() {
		let request = Tagged { id: 7, body: Request::Fetch { chunk: 3 } };
		let mut buf = Vec::new();
		write_frame(&mut buf, &request).await.unwrap();
		let back: Tagged<Request> = read_frame(&mut &buf[..]).await.unwrap().unwrap();
		assert_eq!(back, request);
		// A valid frame with one byte more inside its length is refused.
		let mut body = request.encode();
		body.push(0);
		let mut bad = (body.len() as u32).to_le_bytes().to_vec();
		bad.extend_from_slice(&body);
		assert!(read_frame::<_, Tagged<Request>>(&mut &bad[..]).await.is_err());
		// Oversized lengths are refused before allocating.
		let huge = (MAX_FRAME + 1).to_le_bytes();
		assert!(read_frame::<_, Tagged<Request>>(&mut &huge[..]).await.is_err());
		// End of stream between frames is not an error.
		assert!(read_frame::<_, Tagged<Request>>(&mut &[][..]).await.unwrap().is_none());
	}

	#[test]
	fn ballots_order_by_round_then_rank_then_executor() {
		let b = |round, rank, e| Ballot { round, rank, executor: [e; 32] };
		assert!(b(2, 0, 0) > b(1, 3, 9));
		assert!(b(2, 1, 0) > b(2, 0, 9));
		assert!(b(2, 1, 1) > b(2, 1, 0));
		let v = |space, ballot, seq| Version { space: Some(space), ballot, seq };
		assert!(v(1, b(1, 0, 0), 5).is_after(&v(1, b(1, 0, 0), 4)));
		assert!(v(1, b(2, 0, 0), 1).is_after(&v(1, b(1, 0, 0), 9)));
		assert!(!v(2, b(2, 0, 0), 1).is_after(&v(1, b(1, 0, 0), 0)), "other space: not comparable");
	}
}
