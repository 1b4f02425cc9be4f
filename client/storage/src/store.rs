//! The replica store: chunk images on disk, a write-ahead log, crash recovery.
//!
//! A daemon keeps one sparse 64 MiB image per copy group it serves (`groups/<g>.img`) and one
//! write-ahead log (`wal`) for all of them. Every change — a log entry, a chunk copy, a reset
//! to zeroes, a ballot promise — is appended to the log as `[length u32][crc32 u32][SCALE
//! record]`, and the log is `fdatasync`ed **before** the change is applied to the image and
//! before anyone is told it happened. One thread owns the log and the chunk versions; it
//! takes every job waiting in its queue as one batch, so many concurrent writes share one
//! `fdatasync` (group commit).
//!
//! Recovery: `state` holds the versions and promises as of the last checkpoint (written
//! after the images were synced); on start the log is replayed on top of it in order, and a
//! torn or corrupt tail — a record whose write was never completed, hence never
//! acknowledged — is cut off. Replaying is idempotent (records are absolute writes), so the
//! store comes back exactly at its last acknowledged change or later, never earlier.
//! When the log passes [`CHECKPOINT_BYTES`] the images are synced, `state` is replaced
//! atomically (write, sync, rename) and the log is emptied.

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

/// Log size that triggers a checkpoint.
pub const CHECKPOINT_BYTES: u64 = 256 << 20;
/// Jobs taken as one batch at most.
const MAX_BATCH: usize = 512;

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
	Reset { chunk: ChunkId, space: SpaceId },
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
	Install { chunk: ChunkId, version: Version, data: Vec<u8>, min_ballot: Option<Ballot>, reply: Reply<bool> },
	Promise { chunk: ChunkId, space: SpaceId, ballot: Ballot, reply: Reply<PromiseOutcome> },
	Reset { chunk: ChunkId, space: SpaceId, reply: Reply<bool> },
	Snapshot { chunk: ChunkId, reply: Reply<(Version, Vec<u8>)> },
	Window { chunk: ChunkId, offset: u32, length: u32, reply: Reply<(Version, Vec<u8>)> },
	Metas { group: GroupId, reply: Reply<Vec<(ChunkId, ChunkMeta)>> },
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
		let file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path)?;
		let size = u64::from(CHUNK_BYTES) * GROUP_CHUNKS;
		if file.metadata()?.len() < size {
			file.set_len(size)?;
		}
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

	fn write(&self, chunk: ChunkId, offset: u32, data: &[u8]) -> io::Result<()> {
		self.file(group_of(chunk))?.write_all_at(data, Self::at(chunk, offset))
	}

	fn zero(&self, chunk: ChunkId, offset: u32, length: u32) -> io::Result<()> {
		self.write(chunk, offset, &vec![0u8; length as usize])
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
		std::fs::create_dir_all(dir.join("groups"))?;
		let images = Arc::new(Images { dir: dir.to_path_buf(), files: RwLock::new(HashMap::new()) });
		let mut metas: HashMap<ChunkId, ChunkMeta> = match std::fs::read(dir.join("state")) {
			Ok(bytes) => Vec::<(ChunkId, ChunkMeta)>::decode_all(&mut &bytes[..])
				.map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "corrupt state file"))?
				.into_iter()
				.collect(),
			Err(e) if e.kind() == io::ErrorKind::NotFound => HashMap::new(),
			Err(e) => return Err(e),
		};
		let mut wal = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(dir.join("wal"))?;
		let replayed = replay(&mut wal, &images, &mut metas)?;
		if replayed > 0 {
			log::info!("recovered {replayed} logged changes from {}", dir.display());
		}
		let mut writer = Writer { dir: dir.to_path_buf(), wal, images: images.clone(), metas, poisoned: false };
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
	pub fn install(&self, chunk: ChunkId, version: Version, data: Vec<u8>, min_ballot: Option<Ballot>) -> Pending<bool> {
		if data.len() != CHUNK_BYTES as usize {
			return Pending::failed(io::ErrorKind::InvalidInput, "a chunk copy is 1 MiB");
		}
		self.ask(|reply| Job::Install { chunk, version, data, min_ballot, reply })
	}

	/// Promises `ballot` for the chunk (durable before it answers) unless a higher one was.
	pub fn promise(&self, chunk: ChunkId, space: SpaceId, ballot: Ballot) -> Pending<PromiseOutcome> {
		self.ask(|reply| Job::Promise { chunk, space, ballot, reply })
	}

	/// Hands the chunk to `space`: zeroes it, unless it already belongs to `space`. Answers
	/// whether it did.
	pub fn reset(&self, chunk: ChunkId, space: SpaceId) -> Pending<bool> {
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

/// Replays the log into the images and `metas`; cuts a torn tail. Returns the records replayed.
fn replay(wal: &mut File, images: &Images, metas: &mut HashMap<ChunkId, ChunkMeta>) -> io::Result<usize> {
	let mut bytes = Vec::new();
	wal.seek(SeekFrom::Start(0))?;
	wal.read_to_end(&mut bytes)?;
	let mut pos = 0usize;
	let mut count = 0;
	while let Some(header) = bytes.get(pos..pos + 8) {
		let len = u32::from_le_bytes([header[0], header[1], header[2], header[3]]) as usize;
		let crc = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
		let Some(body) = bytes.get(pos + 8..pos + 8 + len) else { break };
		if crc32fast::hash(body) != crc {
			break;
		}
		let Ok(record) = Record::decode_all(&mut &body[..]) else { break };
		apply(images, metas, &record)?;
		pos += 8 + len;
		count += 1;
	}
	if pos < bytes.len() {
		log::warn!("cutting a torn log tail of {} bytes", bytes.len() - pos);
		wal.set_len(pos as u64)?;
		wal.sync_data()?;
	}
	Ok(count)
}

/// Applies a logged change to the images and the versions.
fn apply(images: &Images, metas: &mut HashMap<ChunkId, ChunkMeta>, record: &Record) -> io::Result<()> {
	match record {
		Record::Apply(entry) => {
			match &entry.op {
				Op::Write(data) => images.write(entry.chunk, entry.offset, data)?,
				Op::Zero(n) => images.zero(entry.chunk, entry.offset, *n)?,
			}
			let meta = metas.entry(entry.chunk).or_default();
			meta.version = entry.version;
			meta.promised = meta.promised.max(entry.version.ballot);
		},
		Record::Install { chunk, version, data } => {
			images.write(*chunk, 0, data)?;
			let meta = metas.entry(*chunk).or_default();
			meta.version = *version;
			meta.promised = meta.promised.max(version.ballot);
		},
		Record::Reset { chunk, space } => {
			images.zero(*chunk, 0, CHUNK_BYTES)?;
			metas.insert(*chunk, ChunkMeta { version: Version { space: Some(*space), ..Default::default() }, promised: Ballot::default() });
		},
		Record::Promise { chunk, ballot } => {
			let meta = metas.entry(*chunk).or_default();
			meta.promised = meta.promised.max(*ballot);
		},
	}
	Ok(())
}

/// The store thread's state.
struct Writer {
	dir: PathBuf,
	wal: File,
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
			let mut batch = vec![first];
			while batch.len() < MAX_BATCH {
				match rx.try_recv() {
					Ok(job) => batch.push(job),
					Err(_) => break,
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
						} else if meta.version != entry.prev || entry.version.seq != entry.prev.seq.saturating_add(1) {
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
					},
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
					},
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
					},
					Job::Reset { chunk, space, reply } => {
						let meta = self.metas.get(&chunk).copied().unwrap_or_default();
						let ok = meta.version.space != Some(space);
						if ok {
							self.metas.insert(chunk, ChunkMeta { version: Version { space: Some(space), ..Default::default() }, promised: Ballot::default() });
							log.push(Record::Reset { chunk, space });
						}
						waiting.push(Waiting::Flag(reply, ok));
					},
					Job::Snapshot { chunk, reply } => {
						self.flush(&mut log, &mut waiting);
						let version = self.version(chunk);
						let _ = reply.send(self.images.read(chunk, 0, CHUNK_BYTES).map(|d| (version, d)));
					},
					Job::Window { chunk, offset, length, reply } => {
						self.flush(&mut log, &mut waiting);
						let version = self.version(chunk);
						let _ = reply.send(self.images.read(chunk, offset, length).map(|d| (version, d)));
					},
					Job::Metas { group, reply } => {
						let first = u64::from(group) * GROUP_CHUNKS;
						let metas = (first..first + GROUP_CHUNKS)
							.filter_map(|c| self.metas.get(&c).map(|m| (c, *m)))
							.collect();
						let _ = reply.send(Ok(metas));
					},
					#[cfg(test)]
					Job::TornWrite(entry, keep) => {
						self.flush(&mut log, &mut waiting);
						let bytes = frame(&Record::Apply(entry));
						let _ = self.wal.write_all(&bytes[..keep.min(bytes.len())]);
						return;
					},
				}
			}
			self.flush(&mut log, &mut waiting);
			if !self.poisoned && self.wal.metadata().map(|m| m.len()).unwrap_or(0) > CHECKPOINT_BYTES {
				if let Err(e) = self.checkpoint() {
					log::error!("checkpoint failed: {e}");
					self.poisoned = true;
				}
			}
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
			w.send(result.as_ref().map(|_| ()).map_err(|e| io::Error::new(e.kind(), e.to_string())));
		}
		log.clear();
	}

	fn persist(&mut self, log: &[Record]) -> io::Result<()> {
		if log.is_empty() {
			return Ok(());
		}
		let mut bytes = Vec::new();
		for record in log {
			bytes.extend_from_slice(&frame(record));
		}
		self.wal.seek(SeekFrom::End(0))?;
		self.wal.write_all(&bytes)?;
		self.wal.sync_data()?;
		// Durable: now visible in the images. The versions were updated when accepted, so
		// a reader never sees a version whose bytes are not there yet only through `read`,
		// which serves the executor after its own append returned.
		let mut scratch = HashMap::new();
		for record in log {
			apply(&self.images, &mut scratch, record)?;
		}
		Ok(())
	}

	fn checkpoint(&mut self) -> io::Result<()> {
		self.images.sync()?;
		let state: Vec<(ChunkId, ChunkMeta)> = self.metas.iter().map(|(c, m)| (*c, *m)).collect();
		let tmp = self.dir.join("state.tmp");
		let mut f = File::create(&tmp)?;
		f.write_all(&state.encode())?;
		f.sync_all()?;
		std::fs::rename(&tmp, self.dir.join("state"))?;
		File::open(&self.dir)?.sync_all()?;
		self.wal.set_len(0)?;
		self.wal.seek(SeekFrom::Start(0))?;
		self.wal.sync_all()
	}
}

fn frame(record: &Record) -> Vec<u8> {
	let body = record.encode();
	let mut out = Vec::with_capacity(body.len() + 8);
	out.extend_from_slice(&(body.len() as u32).to_le_bytes());
	out.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
	out.extend_from_slice(&body);
	out
}

fn fail(job: Job) {
	match job {
		Job::Append(_, r) => drop(r.send(Err(poisoned()))),
		Job::Install { reply, .. } | Job::Reset { reply, .. } => drop(reply.send(Err(poisoned()))),
		Job::Promise { reply, .. } => drop(reply.send(Err(poisoned()))),
		Job::Snapshot { reply, .. } | Job::Window { reply, .. } => drop(reply.send(Err(poisoned()))),
		Job::Metas { reply, .. } => drop(reply.send(Err(poisoned()))),
		#[cfg(test)]
		Job::TornWrite(..) => {},
	}
}
