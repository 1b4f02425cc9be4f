//! The client side of a space: a byte-addressed disk over the chunks' copy groups.
//!
//! Byte `o` of a space is byte `o mod 1 MiB` of its chunk number `⌊o / 1 MiB⌋`, in the order
//! the chain lists the space's chunks. Each request goes to the chunk's executor: the client
//! asks any member, follows its redirect and remembers the executor; a member it cannot
//! reach is named in the next request (`unreachable`), so the group fails over to the next
//! member of the rotation. Requests spanning chunks run concurrently. Writes return when a
//! quorum of the group has them on disk.

use crate::{
	conn::{Pool, Signer},
	crypto::{SpaceCipher, SECTOR},
	protocol::{
		group_of, AccountId, ChunkId, ErrorKind, GroupId, Op, Request, Response, SpaceId,
		CHUNK_BYTES,
	},
};
use futures::future::try_join_all;
use std::{
	collections::HashMap,
	io,
	sync::Mutex,
	time::{Duration, Instant},
};

/// How long a request keeps retrying (fail-over, a group without quorum) before failing.
pub const RETRY_FOR: Duration = Duration::from_secs(30);
/// How long one answer may take.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(15);

/// Where a space lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
	/// The space.
	pub space: SpaceId,
	/// Its owner.
	pub owner: AccountId,
	/// Its chunks in order: byte `o` is in chunk `chunks[o / 1 MiB]`.
	pub chunks: Vec<ChunkId>,
	/// Members of each group: landlord and endpoint.
	pub members: HashMap<GroupId, Vec<(AccountId, String)>>,
	/// Expired.
	pub locked: bool,
}

impl Layout {
	/// Bytes.
	pub fn size(&self) -> u64 {
		self.chunks.len() as u64 * u64::from(CHUNK_BYTES)
	}
}

/// A space opened for reading and writing.
pub struct SpaceClient {
	layout: Layout,
	pool: Pool,
	cipher: Option<SpaceCipher>,
	executors: Mutex<HashMap<ChunkId, AccountId>>,
	down: Mutex<HashMap<AccountId, Instant>>,
	retry_for: Duration,
}

fn err(kind: io::ErrorKind, message: impl Into<String>) -> io::Error {
	io::Error::new(kind, message.into())
}

/// One piece of a request inside one chunk.
struct Piece {
	chunk: ChunkId,
	offset: u32,
	length: u32,
	/// Position in the request's buffer.
	at: usize,
}

impl SpaceClient {
	/// Opens `layout` as `signer` (owner or grantee), encrypting with `cipher` if given.
	pub fn new(layout: Layout, signer: Signer, cipher: Option<SpaceCipher>) -> Self {
		SpaceClient {
			layout,
			pool: Pool::new(signer),
			cipher,
			executors: Default::default(),
			down: Default::default(),
			retry_for: RETRY_FOR,
		}
	}

	/// Gives up on a request after `retry_for` instead of [`RETRY_FOR`].
	pub fn with_retry(mut self, retry_for: Duration) -> Self {
		self.retry_for = retry_for;
		self
	}

	/// The space's size in bytes.
	pub fn size(&self) -> u64 {
		self.layout.size()
	}

	/// The layout.
	pub fn layout(&self) -> &Layout {
		&self.layout
	}

	fn pieces(&self, offset: u64, length: u64) -> io::Result<Vec<Piece>> {
		if offset.checked_add(length).is_none_or(|end| end > self.size()) {
			return Err(err(io::ErrorKind::InvalidInput, "beyond the end of the space"));
		}
		let chunk = u64::from(CHUNK_BYTES);
		let mut out = Vec::new();
		let mut pos = offset;
		while pos < offset + length {
			let index = (pos / chunk) as usize;
			let within = (pos % chunk) as u32;
			let take = (chunk - u64::from(within)).min(offset + length - pos) as u32;
			out.push(Piece {
				chunk: self.layout.chunks[index],
				offset: within,
				length: take,
				at: (pos - offset) as usize,
			});
			pos += u64::from(take);
		}
		Ok(out)
	}

	/// Sends a chunk request to its executor, following redirects and failing over.
	async fn call(
		&self,
		chunk: ChunkId,
		make: impl Fn(Vec<AccountId>) -> Request,
	) -> io::Result<Response> {
		let members = self.layout.members.get(&group_of(chunk)).cloned().unwrap_or_default();
		if members.is_empty() {
			return Err(err(io::ErrorKind::NotFound, "the chunk's group has no members"));
		}
		let started = Instant::now();
		let mut unreachable: Vec<AccountId> = self
			.down
			.lock()
			.map(|d| {
				d.iter()
					.filter(|(_, at)| at.elapsed() < Duration::from_secs(3))
					.map(|(a, _)| *a)
					.collect()
			})
			.unwrap_or_default();
		unreachable.retain(|a| members.iter().any(|(m, _)| m == a));
		let mut target = self
			.executors
			.lock()
			.ok()
			.and_then(|e| e.get(&chunk).copied())
			.unwrap_or(members[(chunk % members.len() as u64) as usize].0);
		let mut last_error = String::new();
		loop {
			if started.elapsed() > self.retry_for {
				return Err(err(io::ErrorKind::TimedOut, format!("chunk {chunk}: {last_error}")));
			}
			if unreachable.contains(&target) {
				match members.iter().find(|(m, _)| !unreachable.contains(m)) {
					Some((m, _)) => target = *m,
					None => {
						// Everyone failed: wait and start over.
						tokio::time::sleep(Duration::from_millis(300)).await;
						unreachable.clear();
						target = members[0].0;
					}
				}
			}
			let endpoint = members
				.iter()
				.find(|(m, _)| *m == target)
				.map(|(_, e)| e.clone())
				.unwrap_or_default();
			let answer = match self.pool.get(target, &endpoint).await {
				Ok(conn) => conn.request(make(unreachable.clone()), ANSWER_TIMEOUT).await,
				Err(e) => Err(e),
			};
			match answer {
				Err(e) => {
					last_error = format!("{}: {e}", crate::daemon::hex(&target));
					if let Ok(mut d) = self.down.lock() {
						d.insert(target, Instant::now());
					}
					unreachable.push(target);
				}
				Ok(Response::Redirect { to }) => {
					if to == target || !members.iter().any(|(m, _)| *m == to) {
						tokio::time::sleep(Duration::from_millis(50)).await;
					}
					if unreachable.contains(&to) {
						// It names a member we could not reach: it will be skipped.
						tokio::time::sleep(Duration::from_millis(100)).await;
					}
					target = to;
				}
				Ok(Response::Error { kind, message }) => match kind {
					ErrorKind::Unavailable | ErrorKind::UnknownChunk | ErrorKind::Io => {
						last_error = message;
						tokio::time::sleep(Duration::from_millis(200)).await;
					}
					ErrorKind::Unauthorized | ErrorKind::Locked => {
						return Err(err(
							io::ErrorKind::PermissionDenied,
							format!("{kind:?}: {message}"),
						))
					}
					ErrorKind::OutOfRange | ErrorKind::BadRequest => {
						return Err(err(io::ErrorKind::InvalidInput, message))
					}
				},
				Ok(other) => {
					if let Ok(mut e) = self.executors.lock() {
						e.insert(chunk, target);
					}
					return Ok(other);
				}
			}
		}
	}

	async fn read_raw(&self, offset: u64, length: usize) -> io::Result<Vec<u8>> {
		let pieces = self.pieces(offset, length as u64)?;
		let space = self.layout.space;
		let parts = try_join_all(pieces.iter().map(|p| async move {
			match self
				.call(p.chunk, |unreachable| Request::Read {
					space,
					chunk: p.chunk,
					offset: p.offset,
					length: p.length,
					unreachable,
				})
				.await?
			{
				Response::Data(d) if d.len() == p.length as usize => Ok(d),
				other => {
					Err(err(io::ErrorKind::InvalidData, format!("unexpected answer {other:?}")))
				}
			}
		}))
		.await?;
		let mut out = vec![0u8; length];
		for (p, d) in pieces.iter().zip(parts) {
			out[p.at..p.at + d.len()].copy_from_slice(&d);
		}
		Ok(out)
	}

	async fn write_raw(&self, offset: u64, data: Option<&[u8]>, length: u64) -> io::Result<()> {
		let pieces = self.pieces(offset, length)?;
		let space = self.layout.space;
		try_join_all(pieces.iter().map(|p| async move {
			let op = match data {
				Some(d) => Op::Write(d[p.at..p.at + p.length as usize].to_vec()),
				None => Op::Zero(p.length),
			};
			match self
				.call(p.chunk, |unreachable| Request::Write {
					space,
					chunk: p.chunk,
					offset: p.offset,
					op: op.clone(),
					unreachable,
				})
				.await?
			{
				Response::Ok => Ok(()),
				other => {
					Err(err(io::ErrorKind::InvalidData, format!("unexpected answer {other:?}")))
				}
			}
		}))
		.await?;
		Ok(())
	}

	/// Reads `length` bytes at `offset`.
	pub async fn read(&self, offset: u64, length: usize) -> io::Result<Vec<u8>> {
		let Some(cipher) = &self.cipher else { return self.read_raw(offset, length).await };
		let (start, end) = aligned(offset, length as u64);
		let mut data = self.read_raw(start, (end - start) as usize).await?;
		cipher.decrypt(start / SECTOR as u64, &mut data);
		let from = (offset - start) as usize;
		Ok(data[from..from + length].to_vec())
	}

	/// Writes `data` at `offset`; durable on a quorum of each group when it returns.
	pub async fn write(&self, offset: u64, data: &[u8]) -> io::Result<()> {
		let Some(cipher) = &self.cipher else {
			return self.write_raw(offset, Some(data), data.len() as u64).await;
		};
		let (start, end) = aligned(offset, data.len() as u64);
		let mut buf = if start == offset && end == offset + data.len() as u64 {
			data.to_vec()
		} else {
			// Partial sectors: read, change, re-encrypt the whole sectors.
			let mut b = self.read(start, (end - start) as usize).await?;
			let from = (offset - start) as usize;
			b[from..from + data.len()].copy_from_slice(data);
			b
		};
		cipher.encrypt(start / SECTOR as u64, &mut buf);
		self.write_raw(start, Some(&buf), end - start).await
	}

	/// [`SpaceClient::write`] of a buffer the caller gives up: sector-aligned data is
	/// encrypted in place, without a copy.
	pub async fn write_owned(&self, offset: u64, mut data: Vec<u8>) -> io::Result<()> {
		let sector = SECTOR as u64;
		match &self.cipher {
			Some(cipher) if offset.is_multiple_of(sector) && data.len().is_multiple_of(SECTOR) => {
				cipher.encrypt(offset / sector, &mut data);
				self.write_raw(offset, Some(&data), data.len() as u64).await
			}
			_ => self.write(offset, &data).await,
		}
	}

	/// Zeroes `length` bytes at `offset` (trim and write-zeroes).
	pub async fn write_zeroes(&self, offset: u64, length: u64) -> io::Result<()> {
		if self.cipher.is_none() {
			return self.write_raw(offset, None, length).await;
		}
		// Whole sectors become zero ciphertext; partial sectors at the edges are rewritten.
		let first_full = offset.div_ceil(SECTOR as u64) * SECTOR as u64;
		let last_full = (offset + length) / SECTOR as u64 * SECTOR as u64;
		if first_full >= last_full {
			return self.write(offset, &vec![0u8; length as usize]).await;
		}
		if offset < first_full {
			self.write(offset, &vec![0u8; (first_full - offset) as usize]).await?;
		}
		self.write_raw(first_full, None, last_full - first_full).await?;
		if last_full < offset + length {
			self.write(last_full, &vec![0u8; (offset + length - last_full) as usize]).await?;
		}
		Ok(())
	}
}

/// The sector-aligned range covering `[offset, offset + length)`.
fn aligned(offset: u64, length: u64) -> (u64, u64) {
	let s = SECTOR as u64;
	(offset / s * s, (offset + length).div_ceil(s) * s)
}
