//! Outgoing connections: a client's to the daemons, a daemon's to its group's members.
//!
//! A [`Conn`] authenticates once (see [`crate::protocol`]) and then multiplexes requests:
//! [`Conn::send`] queues a request *now* and returns the receiver of its answer, so a caller
//! that queues several requests in order has them written in that order (the executor relies
//! on this to send a chunk's entries to a member in log order).

use crate::protocol::{
	auth_message, frame, read_frame, write_frame, AccountId, Auth, Hello, Request, Response,
	Tagged, AUTH_CONTEXT, PROTOCOL_VERSION,
};
use kmcc_privacy::schnorrkel::{signing_context, Keypair};
use std::{
	collections::HashMap,
	io,
	sync::{
		atomic::{AtomicBool, AtomicU64, Ordering},
		Arc, Mutex,
	},
	time::{Duration, Instant},
};
use tokio::{
	io::{AsyncWriteExt, BufReader, BufWriter},
	net::TcpStream,
	sync::{mpsc, oneshot},
};

/// Socket buffers: many small frames per system call.
pub const BUFFER: usize = 256 << 10;
/// How long a connection attempt may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a failed peer is not retried.
const RETRY_AFTER: Duration = Duration::from_millis(500);

/// Who this side is.
pub enum Signer {
	/// A user account (owner or grantee of a space).
	Account(Keypair),
	/// A daemon's node key.
	Node(Keypair),
}

impl Signer {
	/// The public key.
	pub fn public(&self) -> AccountId {
		match self {
			Signer::Account(k) | Signer::Node(k) => k.public.to_bytes(),
		}
	}

	fn auth(&self, hello: &Hello) -> Auth {
		let (kind, pair) = match self {
			Signer::Account(k) => (0u8, k),
			Signer::Node(k) => (1u8, k),
		};
		let who = pair.public.to_bytes();
		let message = auth_message(&hello.node, &hello.nonce, kind, &who);
		let signature = pair.sign(signing_context(AUTH_CONTEXT).bytes(&message)).to_bytes();
		match self {
			Signer::Account(_) => Auth::Account { account: who, signature },
			Signer::Node(_) => Auth::Node { node: who, signature },
		}
	}
}

type Waiters = Arc<Mutex<HashMap<u64, oneshot::Sender<Response>>>>;

/// An authenticated connection to a daemon.
pub struct Conn {
	frames: mpsc::UnboundedSender<Vec<u8>>,
	waiters: Waiters,
	next_id: AtomicU64,
	alive: Arc<AtomicBool>,
	/// The daemon's greeting (its landlord and node key).
	pub hello: Hello,
}

fn closed() -> io::Error {
	io::Error::new(io::ErrorKind::ConnectionReset, "connection closed")
}

/// `host:port` of an endpoint (`tcp://` optional).
pub fn address(endpoint: &str) -> &str {
	endpoint.strip_prefix("tcp://").unwrap_or(endpoint)
}

impl Conn {
	/// Connects to `endpoint` and authenticates as `signer`; with `landlord`, refuses a
	/// daemon that serves someone else.
	pub async fn connect(
		endpoint: &str,
		signer: &Signer,
		landlord: Option<AccountId>,
	) -> io::Result<Conn> {
		let stream = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(address(endpoint)))
			.await
			.map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "connect timed out"))??;
		stream.set_nodelay(true)?;
		let (reader, writer) = stream.into_split();
		let mut reader = BufReader::with_capacity(BUFFER, reader);
		let hello: Hello = tokio::time::timeout(CONNECT_TIMEOUT, read_frame(&mut reader))
			.await
			.map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "no greeting"))??
			.ok_or_else(closed)?;
		if hello.protocol != PROTOCOL_VERSION {
			return Err(io::Error::other(format!("daemon speaks protocol {}", hello.protocol)));
		}
		if landlord.is_some_and(|l| l != hello.landlord) {
			return Err(io::Error::other("the daemon at this endpoint serves another landlord"));
		}
		let mut writer = BufWriter::with_capacity(BUFFER, writer);
		write_frame(&mut writer, &signer.auth(&hello)).await?;
		writer.flush().await?;

		let (frames, mut rx) = mpsc::unbounded_channel::<Vec<u8>>();
		let waiters: Waiters = Arc::default();
		let alive = Arc::new(AtomicBool::new(true));
		let alive_w = alive.clone();
		tokio::spawn(async move {
			while let Some(frame) = rx.recv().await {
				// Let the requests queued concurrently join this write: one syscall for many.
				tokio::task::yield_now().await;
				let mut ok = writer.write_all(&frame).await.is_ok();
				while ok {
					match rx.try_recv() {
						Ok(more) => ok = writer.write_all(&more).await.is_ok(),
						Err(_) => break,
					}
				}
				if !ok || writer.flush().await.is_err() {
					alive_w.store(false, Ordering::SeqCst);
					break;
				}
			}
		});
		let (waiters_r, alive_r) = (waiters.clone(), alive.clone());
		tokio::spawn(async move {
			while let Ok(Some(Tagged { id, body })) =
				read_frame::<_, Tagged<Response>>(&mut reader).await
			{
				let waiter = waiters_r.lock().ok().and_then(|mut w| w.remove(&id));
				if let Some(waiter) = waiter {
					let _ = waiter.send(body);
				}
			}
			alive_r.store(false, Ordering::SeqCst);
			// Dropping the senders fails every request still waiting.
			if let Ok(mut w) = waiters_r.lock() {
				w.clear();
			}
		});
		Ok(Conn { frames, waiters, next_id: AtomicU64::new(1), alive, hello })
	}

	/// Whether the connection is up.
	pub fn is_alive(&self) -> bool {
		self.alive.load(Ordering::SeqCst)
	}

	/// Queues `body` now; the receiver gets the answer (or an error if the connection drops).
	pub fn send(&self, body: Request) -> io::Result<oneshot::Receiver<Response>> {
		if !self.is_alive() {
			return Err(closed());
		}
		let id = self.next_id.fetch_add(1, Ordering::Relaxed);
		let (tx, rx) = oneshot::channel();
		self.waiters.lock().map_err(|_| closed())?.insert(id, tx);
		let frame = frame(&Tagged { id, body })?;
		self.frames.send(frame).map_err(|_| closed())?;
		Ok(rx)
	}

	/// Queues a [`Request::Append`] whose entry is already SCALE-encoded (an executor encodes
	/// an entry once for all members).
	pub fn send_append(&self, encoded_entry: &[u8]) -> io::Result<oneshot::Receiver<Response>> {
		if !self.is_alive() {
			return Err(closed());
		}
		let id = self.next_id.fetch_add(1, Ordering::Relaxed);
		let (tx, rx) = oneshot::channel();
		self.waiters.lock().map_err(|_| closed())?.insert(id, tx);
		self.frames.send(append_frame(id, encoded_entry)?).map_err(|_| closed())?;
		Ok(rx)
	}

	/// Sends `body` and waits for the answer, at most `timeout`.
	pub async fn request(&self, body: Request, timeout: Duration) -> io::Result<Response> {
		let rx = self.send(body)?;
		tokio::time::timeout(timeout, rx)
			.await
			.map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "no answer"))?
			.map_err(|_| closed())
	}
}

/// The frame of `Tagged { id, body: Request::Append(entry) }` from the entry's encoding.
pub fn append_frame(id: u64, encoded_entry: &[u8]) -> io::Result<Vec<u8>> {
	// SCALE: the id (u64 LE), the variant index of `Append`, the entry.
	const APPEND: u8 = 3;
	let len = u32::try_from(8 + 1 + encoded_entry.len())
		.ok()
		.filter(|l| *l <= crate::protocol::MAX_FRAME)
		.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "frame too large"))?;
	let mut frame = Vec::with_capacity(len as usize + 4);
	frame.extend_from_slice(&len.to_le_bytes());
	frame.extend_from_slice(&id.to_le_bytes());
	frame.push(APPEND);
	frame.extend_from_slice(encoded_entry);
	Ok(frame)
}

#[cfg(test)]
#[test]
fn an_append_frame_is_the_tagged_request_frame() {
	use crate::protocol::{Ballot, Entry, Op, Version};
	use codec::Encode;
	let entry = Entry {
		chunk: 9,
		prev: Version::default(),
		version: Version {
			space: Some(3),
			ballot: Ballot { round: 1, rank: 2, executor: [7; 32] },
			seq: 1,
		},
		offset: 5,
		op: Op::Write(vec![1, 2, 3]),
	};
	let tagged = Tagged { id: 42, body: Request::Append(entry.clone()) };
	assert_eq!(append_frame(42, &entry.encode()).unwrap(), frame(&tagged).unwrap());
}

/// Connections by landlord, reconnected on demand; a peer that failed is not retried for
/// half a second, so a dead member costs one failed attempt, not one per request.
pub struct Pool {
	signer: Signer,
	conns: tokio::sync::Mutex<HashMap<AccountId, Arc<Conn>>>,
	failed: Mutex<HashMap<AccountId, Instant>>,
}

impl Pool {
	/// A pool authenticating as `signer`.
	pub fn new(signer: Signer) -> Self {
		Pool { signer, conns: Default::default(), failed: Default::default() }
	}

	/// The signer's public key.
	pub fn public(&self) -> AccountId {
		self.signer.public()
	}

	/// The connection to `landlord`'s daemon at `endpoint`.
	pub async fn get(&self, landlord: AccountId, endpoint: &str) -> io::Result<Arc<Conn>> {
		let mut conns = self.conns.lock().await;
		if let Some(conn) = conns.get(&landlord).filter(|c| c.is_alive()) {
			return Ok(conn.clone());
		}
		let recently = self.failed.lock().ok().and_then(|f| f.get(&landlord).copied());
		if recently.is_some_and(|at| at.elapsed() < RETRY_AFTER) {
			return Err(io::Error::new(io::ErrorKind::NotConnected, "peer failed recently"));
		}
		match Conn::connect(endpoint, &self.signer, Some(landlord)).await {
			Ok(conn) => {
				let conn = Arc::new(conn);
				conns.insert(landlord, conn.clone());
				Ok(conn)
			}
			Err(e) => {
				if let Ok(mut f) = self.failed.lock() {
					f.insert(landlord, Instant::now());
				}
				Err(e)
			}
		}
	}
}
