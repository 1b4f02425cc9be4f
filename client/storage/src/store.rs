//! The replica store: chunk images on disk, a write-ahead log, crash recovery.
//!
//! A daemon keeps one 64 MiB image per copy group it serves (`groups/<g>.img`, allocated up
//! front) and one write-ahead log (`wal`) for all of them. Every change — a log entry, a chunk
//! copy, a reset to zeroes, a ballot promise — is appended to the log as `[length u32][crc32
//! u32][generation u32][SCALE record]` (the CRC covers generation and record), and the log is
//! `fdatasync`ed **before** the change is applied to the image and before anyone is told it
//! happened. One thread owns the log and the chunk versions; it takes every job waiting in its
//! queue as one batch, so many concurrent writes share one `fdatasync` (group commit).
//!
//! The log is a file of fixed size ([`WAL_BYTES`], zeroes written once), rewritten from the
//! start after each checkpoint: syncing it never changes file metadata, so an `fdatasync` is
//! one data write, not a journal commit that would also flush the images. When the next batch
//! might not fit, the images are synced, `state` (versions, promises and the log's
//! generation, now one more) is replaced atomically (write, sync, rename) and writing restarts
//! at offset 0; records of older generations left behind are not replayed.
//!
//! Recovery: `state` holds the versions and promises as of the last checkpoint; on start the
//! log is replayed on top of it in order and stops at the first record that is torn, corrupt,
//! of another generation, or (for a log entry) does not follow the chunk's version — a write
//! that was never completed, hence never acknowledged. Replaying is idempotent (records are
//! absolute writes), so the store comes back exactly at its last acknowledged change or
//! later, never earlier.

use crate::protocol::{
	group_of, Ballot, ChunkId, Entry, GroupId, Op, SpaceId, Version, CHUNK_BYTES, GROUP_CHUNKS,
};
use codec::{Decode, DecodeAll, Encode};
use std::{
	collections::HashMap,
	fs::{File, OpenOptions},
	io::{self, Read, Seek, SeekFrom, Write},
	os::unix::fs::FileExt,
	path::{Path, PathBuf},
	sync::{mpsc, Arc, RwLock},
};
use tokio::sync::oneshot;

/// Size of the write-ahead log.
pub const WAL_BYTES: u64 = 64 << 20;
/// Jobs taken as one batch at most.
const MAX_BATCH: usize = 512;
/// Bytes of a record's header.
const HEADER: usize = 12;
/// Largest piece of one image write.
const PIECE: u64 = 64 << 10;

/// What the store knows of a chunk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode)]
pub struct ChunkMeta {
	/// Its version.
	pub version: Version,
	/// The highest ballot promised for it.
	pub promised: Ballot,
}

/// A change, as logged.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
enum Record {
	Apply(Entry),
	Install { chunk: ChunkId, version: Version, data: Vec<u8> },
	Reset { chunk: ChunkId, space: Option<SpaceId> },
	Promise { chunk: ChunkId, ballot: Ballot },
}

/// What became of an appended entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppendOutcome {
	/// Persisted and applied.
	Applied,
	/// Already applied (a retransmission).
	Duplicate,
	/// It does not follow this replica's version: catch up first.
	Behind(Version),
	/// A higher ballot was promised.
	Rejected(Ballot),
	/// The chunk belongs to another space here.
	WrongSpace(Version),
}

/// The answer to a promise request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromiseOutcome {
	/// Promised; the replica's version.
	Promised(Version),
	/// A higher ballot was promised.
	Rejected(Ballot),
	/// The chunk belongs to another space here.
	WrongSpace(Version),
}

type Reply<T> = oneshot::Sender<io::Result<T>>;

enum Job {
	Append(Entry, Reply<AppendOutcome>),
	Install {
		chunk: ChunkId,
		version: Version,
		data: Vec<u8>,
		min_ballot: Option<Ballot>,
		reply: Reply<bool>,
	},
	Promise {
		chunk: ChunkId,
		space: SpaceId,
		ballot: Ballot,
		reply: Reply<PromiseOutcome>,
	},
	Reset {
		chunk: ChunkId,
		space: Option<SpaceId>,
		reply: Reply<bool>,
	},
	Snapshot {
		chunk: ChunkId,
		reply: Reply<(Version, Vec<u8>)>,
	},
	Window {
		chunk: ChunkId,
		offset: u32,
		length: u32,
		reply: Reply<(Version, Vec<u8>)>,
	},
	Metas {
		group: GroupId,
		reply: Reply<Vec<(ChunkId, ChunkMeta)>>,
	},
	#[cfg(test)]
	TornWrite(Entry, usize),
}

/// Images of the groups, shared by the store thread (writes) and readers.
struct Images {
	dir: PathBuf,
	files: RwLock<HashMap<GroupId, Arc<File>>>,
}

impl Images {
	fn file(&self, group: GroupId) -> io::Result<Arc<File>> {
		if let Some(f) = self.files.read().map_err(|_| poisoned())?.get(&group) {
			return Ok(f.clone());
		}
		let path = self.dir.join("groups").join(format!("{group}.img"));
		let file =
			OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path)?;
		let size = u64::from(CHUNK_BYTES) * GROUP_CHUNKS;
		use std::os::fd::AsRawFd;
		if file.metadata()?.len() < size {
			// Blocks allocated now: writes never allocate later, so syncing the log never
			// waits for the images (ext4's ordered mode would flush newly allocated data).
			// SAFETY: a valid open descriptor; the call only reads its arguments.
			let err = unsafe { libc::posix_fallocate(file.as_raw_fd(), 0, size as libc::off_t) };
			if err != 0 {
				file.set_len(size)?;
			}
		}
		// Random access: no readahead filling the cache with large folios.
		// SAFETY: a valid open descriptor; advice only.
		unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_RANDOM) };
		let file = Arc::new(file);
		self.files.write().map_err(|_| poisoned())?.insert(group, file.clone());
		Ok(file)
	}

	fn at(chunk: ChunkId, offset: u32) -> u64 {
		(chunk % GROUP_CHUNKS) * u64::from(CHUNK_BYTES) + u64::from(offset)
	}

	fn read(&self, chunk: ChunkId, offset: u32, length: u32) -> io::Result<Vec<u8>> {
		let mut buf = vec![0u8; length as usize];
		self.file(group_of(chunk))?.read_exact_at(&mut buf, Self::at(chunk, offset))?;
		Ok(buf)
	}

	/// Writes in pieces of at most [`PIECE`] bytes on `PIECE` boundaries: the page cache then
	/// holds small folios, and a later 4 KiB write does not walk a 1 MiB folio's blocks.
	fn write(&self, chunk: ChunkId, offset: u32, data: &[u8]) -> io::Result<()> {
		let file = self.file(group_of(chunk))?;
		let mut at = Self::at(chunk, offset);
		let mut rest = data;
		while !rest.is_empty() {
			let room = (PIECE - at % PIECE) as usize;
			let (piece, tail) = rest.split_at(room.min(rest.len()));
			file.write_all_at(piece, at)?;
			at += piece.len() as u64;
			rest = tail;
		}
		Ok(())
	}

	/// Zeroes a range: whole pages with `FALLOC_FL_ZERO_RANGE` (blocks stay allocated, no
	/// page cache filled), the edges by writing zeroes.
	fn zero(&self, chunk: ChunkId, offset: u32, length: u32) -> io::Result<()> {
		use std::os::fd::AsRawFd;
		const PAGE: u64 = 4096;
		let start = Self::at(chunk, offset);
		let end = start + u64::from(length);
		let (inner_start, inner_end) = (start.div_ceil(PAGE) * PAGE, end / PAGE * PAGE);
		if inner_start >= inner_end {
			return self.write(chunk, offset, &vec![0u8; length as usize]);
		}
		let file = self.file(group_of(chunk))?;
		// SAFETY: a valid open descriptor; the call only reads its arguments.
		let done = unsafe {
			libc::fallocate(
				file.as_raw_fd(),
				libc::FALLOC_FL_ZERO_RANGE | libc::FALLOC_FL_KEEP_SIZE,
				inner_start as libc::off_t,
				(inner_end - inner_start) as libc::off_t,
			)
		} == 0;
		if !done {
			return self.write(chunk, offset, &vec![0u8; length as usize]);
		}
		if start < inner_start {
			file.write_all_at(&vec![0u8; (inner_start - start) as usize], start)?;
		}
		if inner_end < end {
			file.write_all_at(&vec![0u8; (end - inner_end) as usize], inner_end)?;
		}
		Ok(())
	}

	fn sync(&self) -> io::Result<()> {
		for file in self.files.read().map_err(|_| poisoned())?.values() {
			file.sync_data()?;
		}
		Ok(())
	}
}

fn poisoned() -> io::Error {
	io::Error::other("the store failed earlier")
}

/// A queued job's answer.
pub struct Pending<T>(Result<Option<io::Result<T>>, oneshot::Receiver<io::Result<T>>>);

impl<T> Pending<T> {
	fn failed(kind: io::ErrorKind, message: &str) -> Self {
		Pending(Ok(Some(Err(io::Error::new(kind, message.to_string())))))
	}

	/// Waits for the answer.
	pub async fn wait(self) -> io::Result<T> {
		match self.0 {
			Ok(mut ready) => ready.take().unwrap_or_else(|| Err(poisoned())),
			Err(rx) => rx.await.map_err(|_| poisoned())?,
		}
	}
}

/// A handle on the store; cheap to clone.
#[derive(Clone)]
pub struct Store {
	jobs: mpsc::Sender<Job>,
	images: Arc<Images>,
}

fn in_range(offset: u32, length: u32) -> bool {
	offset.checked_add(length).is_some_and(|end| end <= CHUNK_BYTES)
}

impl Store {
	/// Opens (or creates) the store in `dir`, recovering from the log.
	pub fn open(dir: &Path) -> io::Result<Self> {
		Self::open_with(dir, WAL_BYTES)
	}

	/// [`Store::open`] with a log of `wal_bytes` (at least 8 MiB: a batch holds at most a
	/// quarter of it, and a chunk copy is 1 MiB).
	pub fn open_with(dir: &Path, wal_bytes: u64) -> io::Result<Self> {
		let wal_bytes = wal_bytes.max(8 << 20);
		std::fs::create_dir_all(dir.join("groups"))?;
		let images =
			Arc::new(Images { dir: dir.to_path_buf(), files: RwLock::new(HashMap::new()) });
		let (generation, mut metas): (u32, HashMap<ChunkId, ChunkMeta>) =
			match std::fs::read(dir.join("state")) {
				Ok(bytes) => {
					let (generation, metas) =
						<(u32, Vec<(ChunkId, ChunkMeta)>)>::decode_all(&mut &bytes[..]).map_err(
							|_| io::Error::new(io::ErrorKind::InvalidData, "corrupt state file"),
						)?;
					(generation, metas.into_iter().collect())
				}
				Err(e) if e.kind() == io::ErrorKind::NotFound => (0, HashMap::new()),
				Err(e) => return Err(e),
			};
		let mut wal = OpenOptions::new()
			.read(true)
			.write(true)
			.create(true)
			.truncate(false)
			.open(dir.join("wal"))?;
		let replayed = replay(&mut wal, generation, &images, &mut metas)?;
		if replayed > 0 {
			log::info!("recovered {replayed} logged changes from {}", dir.display());
		}
		// Allocate the log once, with real zeroes: rewriting it never changes its metadata.
		let len = wal.metadata()?.len();
		if len < wal_bytes {
			wal.seek(SeekFrom::Start(len))?;
			let zeros = vec![0u8; 1 << 20];
			let mut at = len;
			while at < wal_bytes {
				let n = (wal_bytes - at).min(zeros.len() as u64) as usize;
				wal.write_all(&zeros[..n])?;
				at += n as u64;
			}
			wal.sync_all()?;
		}
		let mut writer = Writer {
			dir: dir.to_path_buf(),
			wal,
			wal_bytes,
			wal_pos: 0,
			generation,
			images: images.clone(),
			metas,
			poisoned: false,
		};
		writer.checkpoint()?;
		let (jobs, rx) = mpsc::channel();
		std::thread::Builder::new().name("kmcc-store".into()).spawn(move || writer.run(rx))?;
		Ok(Store { jobs, images })
	}

	fn ask<T>(&self, job: impl FnOnce(Reply<T>) -> Job) -> Pending<T> {
		let (tx, rx) = oneshot::channel();
		match self.jobs.send(job(tx)) {
			Ok(()) => Pending(Err(rx)),
			Err(_) => Pending(Ok(Some(Err(poisoned())))),
		}
	}

	/// Persists and applies `entry` if it follows this replica's version. Queued now (jobs
	/// run in the order they are queued), answered when durable.
	pub fn append(&self, entry: Entry) -> Pending<AppendOutcome> {
		if !in_range(entry.offset, entry.op.len()) {
			return Pending::failed(io::ErrorKind::InvalidInput, "entry outside the chunk");
		}
		self.ask(|r| Job::Append(entry, r))
	}

	/// Replaces the chunk with `data` at `version` if that is later than what it holds (and,
	/// with `min_ballot`, only if no higher ballot was promised). Answers whether it did.
	pub fn install(
		&self,
		chunk: ChunkId,
		version: Version,
		data: Vec<u8>,
		min_ballot: Option<Ballot>,
	) -> Pending<bool> {
		if data.len() != CHUNK_BYTES as usize {
			return Pending::failed(io::ErrorKind::InvalidInput, "a chunk copy is 1 MiB");
		}
		self.ask(|reply| Job::Install { chunk, version, data, min_ballot, reply })
	}

	/// Promises `ballot` for the chunk (durable before it answers) unless a higher one was.
	pub fn promise(
		&self,
		chunk: ChunkId,
		space: SpaceId,
		ballot: Ballot,
	) -> Pending<PromiseOutcome> {
		self.ask(|reply| Job::Promise { chunk, space, ballot, reply })
	}

	/// Hands the chunk to `space` (`None`: to nobody, it was released): zeroes it, unless it
	/// already belongs to `space`. Answers whether it did.
	pub fn reset(&self, chunk: ChunkId, space: Option<SpaceId>) -> Pending<bool> {
		self.ask(|reply| Job::Reset { chunk, space, reply })
	}

	/// The chunk's version and bytes, consistent with each other and with every job queued
	/// before.
	pub fn snapshot(&self, chunk: ChunkId) -> Pending<(Version, Vec<u8>)> {
		self.ask(|reply| Job::Snapshot { chunk, reply })
	}

	/// A window of the chunk with the version it was read at.
	pub fn window(&self, chunk: ChunkId, offset: u32, length: u32) -> Pending<(Version, Vec<u8>)> {
		if !in_range(offset, length) {
			return Pending::failed(io::ErrorKind::InvalidInput, "window outside the chunk");
		}
		self.ask(|reply| Job::Window { chunk, offset, length, reply })
	}

	/// Versions and promises of a group's chunks.
	pub fn metas(&self, group: GroupId) -> Pending<Vec<(ChunkId, ChunkMeta)>> {
		self.ask(|reply| Job::Metas { group, reply })
	}

	/// The chunk's version.
	pub async fn version(&self, chunk: ChunkId) -> io::Result<Version> {
		let metas = self.metas(group_of(chunk)).wait().await?;
		Ok(metas.into_iter().find(|(c, _)| *c == chunk).map(|(_, m)| m.version).unwrap_or_default())
	}

	/// Reads bytes of the image directly. Consistent with every change already acknowledged.
	pub fn read(&self, chunk: ChunkId, offset: u32, length: u32) -> io::Result<Vec<u8>> {
		if !in_range(offset, length) {
			return Err(io::Error::new(io::ErrorKind::InvalidInput, "read outside the chunk"));
		}
		self.images.read(chunk, offset, length)
	}

	/// Test hook: logs `entry` without syncing or acknowledging it, keeps only the first
	/// `keep` bytes of the record (a write cut short by a crash) and stops the store thread.
	#[cfg(test)]
	pub async fn crash_during_write(&self, entry: Entry, keep: usize) {
		let _ = self.jobs.send(Job::TornWrite(entry, keep));
		tokio::time::sleep(std::time::Duration::from_millis(50)).await;
	}
}

/// Replays the log of `generation` into the images and `metas`, up to the first record that
/// is torn, corrupt, of another generation or out of order. Returns the records replayed.
fn replay(
	wal: &mut File,
	generation: u32,
	images: &Images,
	metas: &mut HashMap<ChunkId, ChunkMeta>,
) -> io::Result<usize> {
	let mut bytes = Vec::new();
	wal.seek(SeekFrom::Start(0))?;
	wal.read_to_end(&mut bytes)?;
	let mut pos = 0usize;
	let mut count = 0;
	while let Some(header) = bytes.get(pos..pos + HEADER) {
		let word =
			|i: usize| u32::from_le_bytes([header[i], header[i + 1], header[i + 2], header[i + 3]]);
		let (len, crc, record_generation) = (word(0) as usize, word(4), word(8));
		if len == 0 || record_generation != generation {
			break;
		}
		let Some(body) = bytes.get(pos + HEADER..pos + HEADER + len) else { break };
		let mut hasher = crc32fast::Hasher::new();
		hasher.update(&header[8..12]);
		hasher.update(body);
		if hasher.finalize() != crc {
			break;
		}
		let Ok(record) = Record::decode_all(&mut &body[..]) else { break };
		if let Record::Apply(entry) = &record {
			if metas.get(&entry.chunk).map(|m| m.version).unwrap_or_default() != entry.prev {
				break;
			}
		}
		apply(images, metas, &record)?;
		pos += HEADER + len;
		count += 1;
	}
	Ok(count)
}

/// Applies a logged change to the images and the versions.
fn apply(
	images: &Images,
	metas: &mut HashMap<ChunkId, ChunkMeta>,
	record: &Record,
) -> io::Result<()> {
	match record {
		Record::Apply(entry) => {
			match &entry.op {
				Op::Write(data) => images.write(entry.chunk, entry.offset, data)?,
				Op::Zero(n) => images.zero(entry.chunk, entry.offset, *n)?,
			}
			let meta = metas.entry(entry.chunk).or_default();
			meta.version = entry.version;
			meta.promised = meta.promised.max(entry.version.ballot);
		}
		Record::Install { chunk, version, data } => {
			images.write(*chunk, 0, data)?;
			let meta = metas.entry(*chunk).or_default();
			meta.version = *version;
			meta.promised = meta.promised.max(version.ballot);
		}
		Record::Reset { chunk, space } => {
			images.zero(*chunk, 0, CHUNK_BYTES)?;
			metas.insert(
				*chunk,
				ChunkMeta {
					version: Version { space: *space, ..Default::default() },
					promised: Ballot::default(),
				},
			);
		}
		Record::Promise { chunk, ballot } => {
			let meta = metas.entry(*chunk).or_default();
			meta.promised = meta.promised.max(*ballot);
		}
	}
	Ok(())
}

/// The store thread's state.
struct Writer {
	dir: PathBuf,
	wal: File,
	/// The log's size.
	wal_bytes: u64,
	/// Where the next batch is written.
	wal_pos: u64,
	/// The generation of the records being written.
	generation: u32,
	images: Arc<Images>,
	metas: HashMap<ChunkId, ChunkMeta>,
	poisoned: bool,
}

/// A reply waiting for the batch's sync.
enum Waiting {
	Append(Reply<AppendOutcome>, AppendOutcome),
	Flag(Reply<bool>, bool),
	Promise(Reply<PromiseOutcome>, PromiseOutcome),
}

impl Waiting {
	fn send(self, result: io::Result<()>) {
		let err = |e: &io::Error| io::Error::new(e.kind(), e.to_string());
		match self {
			Waiting::Append(r, v) => drop(r.send(result.as_ref().map(|_| v).map_err(err))),
			Waiting::Flag(r, v) => drop(r.send(result.as_ref().map(|_| v).map_err(err))),
			Waiting::Promise(r, v) => drop(r.send(result.as_ref().map(|_| v).map_err(err))),
		}
	}
}

impl Writer {
	fn run(mut self, rx: mpsc::Receiver<Job>) {
		while let Ok(first) = rx.recv() {
			// A batch's records fit in a quarter of the log; the log is checkpointed before
			// a batch that might not fit.
			let budget = self.wal_bytes / 4;
			let mut bytes = first.log_bytes();
			let mut batch = vec![first];
			while batch.len() < MAX_BATCH
				&& bytes.saturating_add(u64::from(CHUNK_BYTES) + 256) <= budget
			{
				match rx.try_recv() {
					Ok(job) => {
						bytes += job.log_bytes();
						batch.push(job);
					}
					Err(_) => break,
				}
			}
			if !self.poisoned && self.wal_pos + bytes > self.wal_bytes {
				if let Err(e) = self.checkpoint() {
					log::error!("checkpoint failed: {e}");
					self.poisoned = true;
				}
			}
			let mut log: Vec<Record> = Vec::new();
			let mut waiting: Vec<Waiting> = Vec::new();
			for job in batch {
				if self.poisoned {
					fail(job);
					continue;
				}
				match job {
					Job::Append(entry, reply) => {
						let meta = self.metas.get(&entry.chunk).copied().unwrap_or_default();
						let outcome = if entry.version.ballot < meta.promised {
							AppendOutcome::Rejected(meta.promised)
						} else if entry.version.space != meta.version.space {
							AppendOutcome::WrongSpace(meta.version)
						} else if meta.version == entry.version {
							AppendOutcome::Duplicate
						} else if meta.version != entry.prev
							|| entry.version.seq != entry.prev.seq.saturating_add(1)
						{
							AppendOutcome::Behind(meta.version)
						} else {
							AppendOutcome::Applied
						};
						if outcome == AppendOutcome::Applied {
							let m = self.metas.entry(entry.chunk).or_default();
							m.version = entry.version;
							m.promised = m.promised.max(entry.version.ballot);
							log.push(Record::Apply(entry));
						}
						waiting.push(Waiting::Append(reply, outcome));
					}
					Job::Install { chunk, version, data, min_ballot, reply } => {
						let meta = self.metas.get(&chunk).copied().unwrap_or_default();
						let allowed = min_ballot.is_none_or(|b| b >= meta.promised);
						let ok = allowed && version.is_after(&meta.version);
						if ok {
							let m = self.metas.entry(chunk).or_default();
							m.version = version;
							m.promised = m.promised.max(version.ballot);
							log.push(Record::Install { chunk, version, data });
						}
						waiting.push(Waiting::Flag(reply, ok));
					}
					Job::Promise { chunk, space, ballot, reply } => {
						let meta = self.metas.get(&chunk).copied().unwrap_or_default();
						let answer = if meta.version.space != Some(space) {
							PromiseOutcome::WrongSpace(meta.version)
						} else if ballot < meta.promised {
							PromiseOutcome::Rejected(meta.promised)
						} else {
							if ballot > meta.promised {
								self.metas.entry(chunk).or_default().promised = ballot;
								log.push(Record::Promise { chunk, ballot });
							}
							PromiseOutcome::Promised(meta.version)
						};
						waiting.push(Waiting::Promise(reply, answer));
					}
					Job::Reset { chunk, space, reply } => {
						let meta = self.metas.get(&chunk).copied().unwrap_or_default();
						let ok = meta.version.space != space;
						if ok {
							self.metas.insert(
								chunk,
								ChunkMeta {
									version: Version { space, ..Default::default() },
									promised: Ballot::default(),
								},
							);
							log.push(Record::Reset { chunk, space });
						}
						waiting.push(Waiting::Flag(reply, ok));
					}
					Job::Snapshot { chunk, reply } => {
						self.flush(&mut log, &mut waiting);
						let version = self.version(chunk);
						let _ = reply
							.send(self.images.read(chunk, 0, CHUNK_BYTES).map(|d| (version, d)));
					}
					Job::Window { chunk, offset, length, reply } => {
						self.flush(&mut log, &mut waiting);
						let version = self.version(chunk);
						let _ = reply
							.send(self.images.read(chunk, offset, length).map(|d| (version, d)));
					}
					Job::Metas { group, reply } => {
						let first = u64::from(group) * GROUP_CHUNKS;
						let metas = (first..first + GROUP_CHUNKS)
							.filter_map(|c| self.metas.get(&c).map(|m| (c, *m)))
							.collect();
						let _ = reply.send(Ok(metas));
					}
					#[cfg(test)]
					Job::TornWrite(entry, keep) => {
						self.flush(&mut log, &mut waiting);
						let bytes = frame(&Record::Apply(entry), self.generation);
						let _ = self.wal.seek(SeekFrom::Start(self.wal_pos));
						let _ = self.wal.write_all(&bytes[..keep.min(bytes.len())]);
						return;
					}
				}
			}
			self.flush(&mut log, &mut waiting);
		}
	}

	fn version(&self, chunk: ChunkId) -> Version {
		self.metas.get(&chunk).map(|m| m.version).unwrap_or_default()
	}

	/// Logs `log`, syncs, applies it to the images, then answers `waiting`.
	fn flush(&mut self, log: &mut Vec<Record>, waiting: &mut Vec<Waiting>) {
		let result = self.persist(log);
		if let Err(e) = &result {
			log::error!("the write-ahead log failed: {e}; refusing further changes");
			self.poisoned = true;
		}
		for w in waiting.drain(..) {
			w.send(
				result.as_ref().map(|_| ()).map_err(|e| io::Error::new(e.kind(), e.to_string())),
			);
		}
		log.clear();
	}

	fn persist(&mut self, log: &[Record]) -> io::Result<()> {
		if log.is_empty() {
			return Ok(());
		}
		let mut bytes = Vec::with_capacity(log.iter().map(|r| r.size_hint() + HEADER).sum());
		for record in log {
			append_record(&mut bytes, record, self.generation);
		}
		self.wal.seek(SeekFrom::Start(self.wal_pos))?;
		self.wal.write_all(&bytes)?;
		self.wal.sync_data()?;
		self.wal_pos += bytes.len() as u64;
		// Durable: now visible in the images. The versions were updated when accepted, so
		// a reader never sees a version whose bytes are not there yet only through `read`,
		// which serves the executor after its own append returned.
		let mut scratch = HashMap::new();
		for record in log {
			apply(&self.images, &mut scratch, record)?;
		}
		Ok(())
	}

	/// Syncs the images, records the versions with the next generation, and restarts the
	/// log at offset 0 (the older generation's records are then ignored).
	fn checkpoint(&mut self) -> io::Result<()> {
		self.images.sync()?;
		let next = self.generation.wrapping_add(1);
		let state: Vec<(ChunkId, ChunkMeta)> = self.metas.iter().map(|(c, m)| (*c, *m)).collect();
		let tmp = self.dir.join("state.tmp");
		let mut f = File::create(&tmp)?;
		f.write_all(&(next, state).encode())?;
		f.sync_all()?;
		std::fs::rename(&tmp, self.dir.join("state"))?;
		File::open(&self.dir)?.sync_all()?;
		self.generation = next;
		self.wal_pos = 0;
		Ok(())
	}
}

/// Appends `record`'s log frame to `out`, encoding it in place.
fn append_record(out: &mut Vec<u8>, record: &Record, generation: u32) {
	let start = out.len();
	out.extend_from_slice(&[0; 8]);
	out.extend_from_slice(&generation.to_le_bytes());
	record.encode_to(out);
	let len = (out.len() - start - HEADER) as u32;
	let crc = crc32fast::hash(&out[start + 8..]);
	out[start..start + 4].copy_from_slice(&len.to_le_bytes());
	out[start + 4..start + 8].copy_from_slice(&crc.to_le_bytes());
}

#[cfg(test)]
fn frame(record: &Record, generation: u32) -> Vec<u8> {
	let mut out = Vec::new();
	append_record(&mut out, record, generation);
	out
}

impl Job {
	/// An upper bound of the log bytes it may add.
	fn log_bytes(&self) -> u64 {
		256 + match self {
			Job::Append(entry, _) => u64::from(entry.op.len()),
			Job::Install { data, .. } => data.len() as u64,
			_ => 0,
		}
	}
}

fn fail(job: Job) {
	match job {
		Job::Append(_, r) => drop(r.send(Err(poisoned()))),
		Job::Install { reply, .. } | Job::Reset { reply, .. } => drop(reply.send(Err(poisoned()))),
		Job::Promise { reply, .. } => drop(reply.send(Err(poisoned()))),
		Job::Snapshot { reply, .. } | Job::Window { reply, .. } => {
			drop(reply.send(Err(poisoned())))
		}
		Job::Metas { reply, .. } => drop(reply.send(Err(poisoned()))),
		#[cfg(test)]
		Job::TornWrite(..) => {}
	}
}
