//! The landlord daemon: serves clients, runs each chunk's replicated log with its group, and
//! answers proof challenges. The protocol is described in the crate documentation.

use crate::{
	conn::{Conn, Pool, Signer},
	protocol::{
		auth_message, group_of, read_frame, write_frame, AccountId, Auth, Ballot, ChunkId, Entry,
		ErrorKind, GroupId, Hello, Op, Request, Response, SpaceId, Tagged, Version, AUTH_CONTEXT,
		CHUNK_BYTES, PROTOCOL_VERSION,
	},
	store::{AppendOutcome, PromiseOutcome, Store},
	view::{Member, View},
};
use codec::Encode;
use futures::{stream::FuturesUnordered, StreamExt};
use kmcc_privacy::schnorrkel::{signing_context, Keypair, PublicKey, Signature};
use std::{
	collections::{HashMap, HashSet, VecDeque},
	future::Future,
	io,
	pin::Pin,
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc, Mutex, RwLock,
	},
	time::Duration,
};
use tokio::{
	io::{AsyncWriteExt, BufWriter},
	net::{TcpListener, TcpStream},
	sync::{mpsc, OwnedMutexGuard},
};

/// How long an executor waits for a quorum of acknowledgements.
pub const ACK_TIMEOUT: Duration = Duration::from_secs(5);
/// How long an executor waits for promises when it takes a chunk over.
pub const PREPARE_TIMEOUT: Duration = Duration::from_secs(2);
/// Log entries an executor keeps per chunk to catch a member up without copying the chunk.
pub const TAIL_ENTRIES: usize = 128;
/// Blocks after a challenge before the member at rotation rank `k` coordinates the group's
/// proof: `1 + PROOF_STAGGER · k` (rank 0 first; the next only if no proof counted by then).
pub const PROOF_STAGGER: u32 = 6;

/// Members whose votes agree that a proof needs: `⌈2r/3⌉`.
pub fn quorum(members: usize) -> usize {
	(members * 2).div_ceil(3)
}

/// One member's signed answer to a challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProofVote {
	/// The landlord.
	pub landlord: AccountId,
	/// Hash of its replica's challenged window.
	pub data_hash: [u8; 32],
	/// Its node key's signature of the proof payload.
	pub signature: [u8; 64],
}

/// Where a coordinator sends a group's proof (the chain, or a test's recorder).
pub trait ProofSink: Send + Sync {
	/// Submits `submit_space_proof(group, round, votes)`.
	fn submit(
		&self,
		group: GroupId,
		round: u32,
		votes: Vec<ProofVote>,
	) -> Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send + '_>>;
}

/// `blake2_256` of `data`.
pub fn blake2_256(data: &[u8]) -> [u8; 32] {
	use blake2::{digest::consts::U32, Blake2b, Digest};
	Blake2b::<U32>::digest(data).into()
}

/// What a node key signs for a proof vote (the pallet's `proof_payload`):
/// `blake2_256(SCALE(("kmcc/pos", round, group, seed, node, data_hash)))`.
pub fn proof_payload(
	round: u32,
	group: GroupId,
	seed: &[u8; 32],
	node: &AccountId,
	data_hash: &[u8; 32],
) -> [u8; 32] {
	blake2_256(&(*b"kmcc/pos", round, group, seed, node, data_hash).encode())
}

#[derive(Default)]
struct Lead {
	/// The ballot this daemon executes the chunk under (`None`: not the executor).
	ballot: Option<Ballot>,
	/// The last version assigned.
	version: Version,
	/// The last entries assigned, for catching members up from the log.
	tail: VecDeque<Entry>,
}

/// Who is on the other end of a connection.
#[derive(Clone, Copy, Debug)]
enum Identity {
	Account(AccountId),
	Node(AccountId),
}

type Reply = Pin<Box<dyn Future<Output = Response> + Send>>;

/// A challenged window's read, queued with the view that named it.
type QueuedWindow = (Arc<View>, crate::store::Pending<(Version, Vec<u8>)>);

fn ready(response: Response) -> Reply {
	Box::pin(async move { response })
}

/// The daemon.
pub struct Daemon {
	/// The landlord it serves.
	pub landlord: AccountId,
	node: Keypair,
	/// Its replicas.
	pub store: Store,
	view: RwLock<Arc<View>>,
	pool: Pool,
	leads: Mutex<HashMap<ChunkId, Arc<tokio::sync::Mutex<Lead>>>>,
	catching: Mutex<HashSet<(AccountId, ChunkId)>>,
	attempted: Mutex<HashMap<GroupId, (u32, u32)>>,
	stop: tokio::sync::watch::Sender<bool>,
	/// Counters of the replication work done.
	pub stats: Stats,
}

/// What the daemon did to keep replicas consistent.
#[derive(Default, Debug)]
pub struct Stats {
	/// Members caught up by resending entries from the log tail.
	pub caught_up_from_log: AtomicU64,
	/// Members caught up by copying a chunk to them.
	pub caught_up_by_copy: AtomicU64,
	/// Chunks this daemon copied from a member (anti-entropy).
	pub reconciled: AtomicU64,
	/// Take-overs of a chunk as executor.
	pub take_overs: AtomicU64,
}

impl Daemon {
	/// A daemon for `landlord` with its node key and store.
	pub fn new(landlord: AccountId, node: Keypair, store: Store) -> Arc<Self> {
		let pool = Pool::new(Signer::Node(node.clone()));
		Arc::new(Daemon {
			landlord,
			node,
			store,
			view: RwLock::new(Arc::new(View::default())),
			pool,
			leads: Default::default(),
			catching: Default::default(),
			attempted: Default::default(),
			stop: tokio::sync::watch::channel(false).0,
			stats: Stats::default(),
		})
	}

	/// The node key's public key.
	pub fn node_id(&self) -> AccountId {
		self.node.public.to_bytes()
	}

	/// The chain as last read.
	pub fn view(&self) -> Arc<View> {
		self.view.read().map(|v| v.clone()).unwrap_or_default()
	}

	/// Takes a new view: chunks handed to another space are zeroed first. Returns whether the
	/// replicas should be reconciled with the group ([`Daemon::reconcile`]): on a new round,
	/// a change of the groups, and the first view.
	pub async fn set_view(self: &Arc<Self>, view: View) -> io::Result<bool> {
		let old = self.view();
		let first = old.block == 0;
		for (chunk, space) in &view.chunk_space {
			if (first || old.chunk_space.get(chunk) != Some(space))
				&& self.store.reset(*chunk, Some(*space)).wait().await?
			{
				log::info!("chunk {chunk} belongs to space {space} now: zeroed");
			}
		}
		// Chunks no space holds any more (released, or released while this daemon was
		// down) keep nothing of their last owner.
		let released: Vec<ChunkId> = if first {
			view.groups
				.keys()
				.flat_map(|g| {
					let from = u64::from(*g) * crate::protocol::GROUP_CHUNKS;
					from..from + crate::protocol::GROUP_CHUNKS
				})
				.filter(|c| !view.chunk_space.contains_key(c))
				.collect()
		} else {
			old.chunk_space.keys().filter(|c| !view.chunk_space.contains_key(c)).copied().collect()
		};
		for chunk in released {
			if self.store.reset(chunk, None).wait().await? {
				log::info!("chunk {chunk} was released: zeroed");
			}
		}
		let reconcile = old.round != view.round || old.groups != view.groups;
		*self.view.write().map_err(|_| io::Error::other("view lock"))? = Arc::new(view);
		Ok(reconcile)
	}

	/// Anti-entropy: for every chunk of every group, copies the latest version that enough
	/// other members hold (`⌈2r/3⌉ − 1`, so with this replica a quorum) if it is later than
	/// this replica's. One member alone cannot make the others adopt what it claims.
	pub async fn reconcile(self: &Arc<Self>) -> usize {
		let view = self.view();
		let mut copied = 0;
		for (group, members) in &view.groups {
			let Ok(mine) = self.store.metas(*group).wait().await else { continue };
			let mine: HashMap<ChunkId, Version> =
				mine.into_iter().map(|(c, m)| (c, m.version)).collect();
			let need = quorum(members.len()).saturating_sub(1).max(1);
			let mut holders: HashMap<(ChunkId, Version), Vec<&Member>> = HashMap::new();
			for m in members.iter().filter(|m| m.account != self.landlord) {
				let Ok(conn) = self.pool.get(m.account, &m.endpoint).await else { continue };
				let Ok(Response::Versions(theirs)) =
					conn.request(Request::Versions { group: *group }, ACK_TIMEOUT).await
				else {
					continue;
				};
				for (chunk, v) in theirs {
					if group_of(chunk) == *group
						&& v.is_after(&mine.get(&chunk).copied().unwrap_or_default())
					{
						holders.entry((chunk, v)).or_default().push(m);
					}
				}
			}
			let mut best: HashMap<ChunkId, (Version, Vec<&Member>)> = HashMap::new();
			for ((chunk, v), who) in holders {
				if who.len() >= need && best.get(&chunk).is_none_or(|(b, _)| v.is_after(b)) {
					best.insert(chunk, (v, who));
				}
			}
			for (chunk, (want, who)) in best {
				for m in who {
					let Ok(conn) = self.pool.get(m.account, &m.endpoint).await else { continue };
					let Ok(Response::Snapshot { version, data }) =
						conn.request(Request::Fetch { chunk }, ACK_TIMEOUT).await
					else {
						continue;
					};
					// Exactly what the quorum holds (a member that moved on since is asked again at
					// the next reconciliation).
					if version != want {
						continue;
					}
					if let Ok(true) = self.store.install(chunk, version, data, None).wait().await {
						copied += 1;
						self.stats.reconciled.fetch_add(1, Ordering::Relaxed);
						log::info!(
							"caught up chunk {chunk} from {} to seq {}",
							hex(&m.account),
							version.seq
						);
					}
					break;
				}
			}
		}
		copied
	}

	/// Stops serving: the listener and every connection close (a crash, as seen from the
	/// network; what is on disk stays).
	pub fn stop(&self) {
		self.stop.send_replace(true);
	}

	/// Accepts connections on `listener` until [`Daemon::stop`].
	pub async fn serve(self: Arc<Self>, listener: TcpListener) {
		let mut stop = self.stop.subscribe();
		loop {
			let accepted = tokio::select! {
				biased;
				_ = stop.wait_for(|s| *s) => return,
				a = listener.accept() => a,
			};
			match accepted {
				Ok((stream, _)) => {
					let daemon = self.clone();
					tokio::spawn(async move {
						if let Err(e) = daemon.connection(stream).await {
							log::debug!("connection ended: {e}");
						}
					});
				}
				Err(e) => log::warn!("accept failed: {e}"),
			}
		}
	}

	async fn connection(self: Arc<Self>, stream: TcpStream) -> io::Result<()> {
		stream.set_nodelay(true)?;
		let (reader, writer) = stream.into_split();
		let mut reader = tokio::io::BufReader::with_capacity(crate::conn::BUFFER, reader);
		let mut writer = BufWriter::with_capacity(crate::conn::BUFFER, writer);
		let nonce: [u8; 32] = rand::random();
		let node_id = self.node_id();
		write_frame(
			&mut writer,
			&Hello { protocol: PROTOCOL_VERSION, landlord: self.landlord, node: node_id, nonce },
		)
		.await?;
		writer.flush().await?;
		let auth: Auth = tokio::time::timeout(ACK_TIMEOUT, read_frame(&mut reader))
			.await
			.map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "no authentication"))??
			.ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "closed"))?;
		let (identity, kind, who, signature) = match auth {
			Auth::Account { account, signature } => {
				(Identity::Account(account), 0u8, account, signature)
			}
			Auth::Node { node, signature } => (Identity::Node(node), 1u8, node, signature),
		};
		let message = auth_message(&node_id, &nonce, kind, &who);
		let valid = PublicKey::from_bytes(&who)
			.ok()
			.zip(Signature::from_bytes(&signature).ok())
			.is_some_and(|(key, sig)| {
				key.verify(signing_context(AUTH_CONTEXT).bytes(&message), &sig).is_ok()
			});
		if !valid {
			return Err(io::Error::new(io::ErrorKind::PermissionDenied, "bad authentication"));
		}

		let (tx, mut rx) = mpsc::unbounded_channel::<Tagged<Response>>();
		tokio::spawn(async move {
			while let Some(first) = rx.recv().await {
				// Answers completing together leave in one write.
				tokio::task::yield_now().await;
				let mut ok = write_frame(&mut writer, &first).await.is_ok();
				while ok {
					match rx.try_recv() {
						Ok(more) => ok = write_frame(&mut writer, &more).await.is_ok(),
						Err(_) => break,
					}
				}
				if !ok || writer.flush().await.is_err() {
					break;
				}
			}
		});
		let mut stop = self.stop.subscribe();
		loop {
			let frame = tokio::select! {
				biased;
				_ = stop.wait_for(|s| *s) => None,
				f = read_frame::<_, Tagged<Request>>(&mut reader) => f?,
			};
			let Some(Tagged { id, body }) = frame else { break };
			// Peer requests queue their store jobs here, in arrival order; only the waiting
			// for the answer runs concurrently.
			let reply = self.dispatch(identity, body);
			let tx = tx.clone();
			tokio::spawn(async move {
				let body = reply.await;
				let _ = tx.send(Tagged { id, body });
			});
		}
		Ok(())
	}

	/// The landlord of the peer with node key `node`, if it is a member of `chunk`'s group.
	fn peer_of(&self, view: &View, identity: Identity, group: GroupId) -> Option<AccountId> {
		let Identity::Node(node) = identity else { return None };
		let member = view.member_by_node(&node)?;
		view.groups
			.get(&group)?
			.iter()
			.any(|m| m.account == member.account)
			.then_some(member.account)
	}

	fn dispatch(self: &Arc<Self>, identity: Identity, request: Request) -> Reply {
		let view = self.view();
		let unauthorized =
			|| ready(Response::error(ErrorKind::Unauthorized, "not a member of the chunk's group"));
		match request {
			Request::Read { space, chunk, offset, length, unreachable } => {
				let Identity::Account(who) = identity else { return unauthorized() };
				let daemon = self.clone();
				Box::pin(async move {
					daemon.client_read(who, space, chunk, offset, length, unreachable).await
				})
			}
			Request::Write { space, chunk, offset, op, unreachable } => {
				let Identity::Account(who) = identity else { return unauthorized() };
				let daemon = self.clone();
				Box::pin(async move {
					daemon.client_write(who, space, chunk, offset, op, unreachable).await
				})
			}
			Request::Prepare { chunk, space, ballot } => {
				let Some(peer) = self.peer_of(&view, identity, group_of(chunk)) else {
					return unauthorized();
				};
				if ballot.executor != peer {
					return unauthorized();
				}
				let pending = self.store.promise(chunk, space, ballot);
				Box::pin(async move {
					match pending.wait().await {
						Ok(PromiseOutcome::Promised(version)) => Response::Promise { version },
						Ok(PromiseOutcome::Rejected(promised)) => Response::Rejected { promised },
						Ok(PromiseOutcome::WrongSpace(_)) => Response::error(
							ErrorKind::UnknownChunk,
							"the chunk belongs to another space here",
						),
						Err(e) => Response::error(ErrorKind::Io, e.to_string()),
					}
				})
			}
			Request::Append(entry) => {
				let Some(peer) = self.peer_of(&view, identity, group_of(entry.chunk)) else {
					return unauthorized();
				};
				if entry.version.ballot.executor != peer {
					return unauthorized();
				}
				let pending = self.store.append(entry);
				Box::pin(async move {
					match pending.wait().await {
						Ok(AppendOutcome::Applied | AppendOutcome::Duplicate) => Response::Ok,
						Ok(AppendOutcome::Behind(version)) => Response::Behind { version },
						Ok(AppendOutcome::Rejected(promised)) => Response::Rejected { promised },
						Ok(AppendOutcome::WrongSpace(_)) => Response::error(
							ErrorKind::UnknownChunk,
							"the chunk belongs to another space here",
						),
						Err(e) => Response::error(ErrorKind::Io, e.to_string()),
					}
				})
			}
			Request::Install { chunk, version, data } => {
				if self.peer_of(&view, identity, group_of(chunk)).is_none() {
					return unauthorized();
				}
				let pending = self.store.install(chunk, version, data, None);
				Box::pin(async move {
					match pending.wait().await {
						Ok(_) => Response::Ok,
						Err(e) => Response::error(ErrorKind::Io, e.to_string()),
					}
				})
			}
			Request::Fetch { chunk } => {
				if self.peer_of(&view, identity, group_of(chunk)).is_none() {
					return unauthorized();
				}
				let pending = self.store.snapshot(chunk);
				Box::pin(async move {
					match pending.wait().await {
						Ok((version, data)) => Response::Snapshot { version, data },
						Err(e) => Response::error(ErrorKind::Io, e.to_string()),
					}
				})
			}
			Request::Versions { group } => {
				if self.peer_of(&view, identity, group).is_none() {
					return unauthorized();
				}
				let pending = self.store.metas(group);
				Box::pin(async move {
					match pending.wait().await {
						Ok(metas) => Response::Versions(
							metas.into_iter().map(|(c, m)| (c, m.version)).collect(),
						),
						Err(e) => Response::error(ErrorKind::Io, e.to_string()),
					}
				})
			}
			Request::Vote { group, round } => {
				if self.peer_of(&view, identity, group).is_none() {
					return unauthorized();
				}
				let daemon = self.clone();
				// Queued now when this daemon already sees the round, so the window is read
				// after every entry the coordinator sent before.
				let early = match view.windows.get(&group) {
					Some(w) if view.round == round => {
						Some((view.clone(), daemon.store.window(w.chunk, w.offset, w.length)))
					}
					_ => None,
				};
				Box::pin(async move { daemon.vote(group, round, early).await })
			}
		}
	}

	async fn vote(
		self: Arc<Self>,
		group: GroupId,
		round: u32,
		early: Option<QueuedWindow>,
	) -> Response {
		let (view, pending) = match early {
			Some(queued) => queued,
			None => {
				// This daemon's view may lag the coordinator's by a block or two.
				let mut waited = Duration::ZERO;
				loop {
					let view = self.view();
					if view.round == round {
						let Some(w) = view.windows.get(&group).copied() else {
							return Response::error(
								ErrorKind::BadRequest,
								"no window for the group",
							);
						};
						break (view.clone(), self.store.window(w.chunk, w.offset, w.length));
					}
					if view.round > round || waited >= Duration::from_secs(6) {
						return Response::error(
							ErrorKind::BadRequest,
							format!("round {round} is not open here (open: {})", view.round),
						);
					}
					tokio::time::sleep(Duration::from_millis(100)).await;
					waited += Duration::from_millis(100);
				}
			}
		};
		match pending.wait().await {
			Ok((version, bytes)) => {
				let data_hash = blake2_256(&bytes);
				let signature = self.sign_vote(&view, group, &data_hash);
				Response::Vote { data_hash, signature, version }
			}
			Err(e) => Response::error(ErrorKind::Io, e.to_string()),
		}
	}

	fn sign_vote(&self, view: &View, group: GroupId, data_hash: &[u8; 32]) -> [u8; 64] {
		let payload = proof_payload(view.round, group, &view.seed, &self.node_id(), data_hash);
		self.node.sign(signing_context(b"substrate").bytes(&payload)).to_bytes()
	}

	fn lead(&self, chunk: ChunkId) -> Arc<tokio::sync::Mutex<Lead>> {
		self.leads.lock().map(|mut l| l.entry(chunk).or_default().clone()).unwrap_or_default()
	}

	/// Other members of the chunk's group with their connections (`None`: unreachable).
	async fn peers(&self, view: &View, chunk: ChunkId) -> Vec<(AccountId, Option<Arc<Conn>>)> {
		let mut out = Vec::new();
		for m in view.groups.get(&group_of(chunk)).into_iter().flatten() {
			if m.account != self.landlord {
				out.push((m.account, self.pool.get(m.account, &m.endpoint).await.ok()));
			}
		}
		out
	}

	/// Makes this daemon the chunk's executor for the open round (taking it over with a
	/// quorum of promises if needed) and returns the chunk's lock; or the response to give.
	async fn ensure_executor(
		self: &Arc<Self>,
		view: &View,
		chunk: ChunkId,
		space: SpaceId,
		unreachable: &[AccountId],
	) -> Result<OwnedMutexGuard<Lead>, Response> {
		let rotation = view.rotation(chunk);
		let Some(target) = rotation
			.iter()
			.find(|m| m.account == self.landlord || !unreachable.contains(&m.account))
		else {
			return Err(Response::error(
				ErrorKind::UnknownChunk,
				"this daemon does not serve the chunk",
			));
		};
		if target.account != self.landlord {
			return Err(Response::Redirect { to: target.account });
		}
		let rank = rotation.iter().position(|m| m.account == self.landlord).unwrap_or(0) as u32;
		let ballot = Ballot { round: view.round, rank, executor: self.landlord };
		let mut lead = self.lead(chunk).lock_owned().await;
		if lead.ballot != Some(ballot) {
			lead.ballot = None;
			self.take_over(&mut lead, view, chunk, space, ballot).await?;
		}
		Ok(lead)
	}

	/// Phase one: a quorum promises `ballot`; the executor adopts the latest version among
	/// them (copying the chunk if another member has it), which contains every acknowledged
	/// write because any two quorums share a member.
	async fn take_over(
		&self,
		lead: &mut Lead,
		view: &View,
		chunk: ChunkId,
		space: SpaceId,
		ballot: Ballot,
	) -> Result<(), Response> {
		let members = view.groups.get(&group_of(chunk)).map(|m| m.len()).unwrap_or(0);
		let need = quorum(members);
		let own = match self.store.promise(chunk, space, ballot).wait().await {
			Ok(PromiseOutcome::Promised(v)) => v,
			Ok(PromiseOutcome::Rejected(p)) => return Err(Response::Redirect { to: p.executor }),
			Ok(PromiseOutcome::WrongSpace(_)) => {
				return Err(Response::error(ErrorKind::UnknownChunk, "the chunk is not reset yet"))
			}
			Err(e) => return Err(Response::error(ErrorKind::Io, e.to_string())),
		};
		let peers = self.peers(view, chunk).await;
		let mut promises: Vec<(AccountId, Version, Option<Arc<Conn>>)> =
			vec![(self.landlord, own, None)];
		let mut higher: Option<Ballot> = None;
		let mut asks: FuturesUnordered<_> = peers
			.into_iter()
			.filter_map(|(who, conn)| conn.map(|c| (who, c)))
			.map(|(who, conn)| async move {
				let r =
					conn.request(Request::Prepare { chunk, space, ballot }, PREPARE_TIMEOUT).await;
				(who, conn, r)
			})
			.collect();
		while promises.len() < need {
			match asks.next().await {
				Some((who, conn, Ok(Response::Promise { version }))) => {
					promises.push((who, version, Some(conn)))
				}
				Some((_, _, Ok(Response::Rejected { promised }))) => {
					higher = higher.max(Some(promised))
				}
				Some(_) => {}
				None => break,
			}
		}
		if promises.len() < need {
			return Err(match higher {
				Some(p) if p > ballot => Response::Redirect { to: p.executor },
				_ => Response::error(
					ErrorKind::Unavailable,
					format!("{} of {need} members promised", promises.len()),
				),
			});
		}
		let best = promises
			.iter()
			.filter(|(_, v, _)| v.space == Some(space))
			.max_by_key(|(_, v, _)| v.position())
			.cloned();
		if let Some((who, v, Some(conn))) = best {
			if v.is_after(&own) {
				match conn.request(Request::Fetch { chunk }, ACK_TIMEOUT).await {
					Ok(Response::Snapshot { version, data }) => {
						self.store
							.install(chunk, version, data, None)
							.wait()
							.await
							.map_err(|e| Response::error(ErrorKind::Io, e.to_string()))?;
						log::info!(
							"took chunk {chunk} over at seq {} copied from {}",
							version.seq,
							hex(&who)
						);
					}
					_ => {
						return Err(Response::error(
							ErrorKind::Unavailable,
							"the latest replica could not be copied",
						))
					}
				}
			}
		}
		lead.version = self
			.store
			.version(chunk)
			.await
			.map_err(|e| Response::error(ErrorKind::Io, e.to_string()))?;
		lead.ballot = Some(ballot);
		lead.tail.clear();
		self.stats.take_overs.fetch_add(1, Ordering::Relaxed);
		Ok(())
	}

	async fn client_read(
		self: Arc<Self>,
		who: AccountId,
		space: SpaceId,
		chunk: ChunkId,
		offset: u32,
		length: u32,
		unreachable: Vec<AccountId>,
	) -> Response {
		let view = self.view();
		if let Err(kind) = view.check_access(&who, space, chunk, false) {
			return Response::error(kind, "read refused");
		}
		if offset.checked_add(length).is_none_or(|end| end > CHUNK_BYTES) {
			return Response::error(ErrorKind::OutOfRange, "outside the chunk");
		}
		match self.ensure_executor(&view, chunk, space, &unreachable).await {
			Ok(lead) => drop(lead),
			Err(response) => return response,
		}
		match self.store.read(chunk, offset, length) {
			Ok(data) => Response::Data(data),
			Err(e) => Response::error(ErrorKind::Io, e.to_string()),
		}
	}

	/// Phase two: assigns the next sequence number, persists the entry here and at every
	/// member, and answers when a quorum (this daemon included) has it on disk.
	async fn client_write(
		self: Arc<Self>,
		who: AccountId,
		space: SpaceId,
		chunk: ChunkId,
		offset: u32,
		op: Op,
		unreachable: Vec<AccountId>,
	) -> Response {
		let view = self.view();
		if let Err(kind) = view.check_access(&who, space, chunk, true) {
			return Response::error(kind, "write refused");
		}
		if op.is_empty() || offset.checked_add(op.len()).is_none_or(|end| end > CHUNK_BYTES) {
			return Response::error(ErrorKind::OutOfRange, "outside the chunk");
		}
		let mut lead = match self.ensure_executor(&view, chunk, space, &unreachable).await {
			Ok(lead) => lead,
			Err(response) => return response,
		};
		let Some(ballot) = lead.ballot else {
			return Response::error(ErrorKind::Unavailable, "not the executor");
		};
		let peers = self.peers(&view, chunk).await;
		let prev = lead.version;
		let entry = Entry {
			chunk,
			prev,
			version: Version { space: Some(space), ballot, seq: prev.seq + 1 },
			offset,
			op,
		};
		let encoded = entry.encode();
		let own = self.store.append(entry.clone());
		let mut acks: FuturesUnordered<_> = peers
			.into_iter()
			.filter_map(|(who, conn)| {
				conn.and_then(|c| c.send_append(&encoded).ok()).map(|rx| (who, rx))
			})
			.map(|(who, rx)| async move { (who, tokio::time::timeout(ACK_TIMEOUT, rx).await) })
			.collect();
		lead.version = entry.version;
		lead.tail.push_back(entry);
		if lead.tail.len() > TAIL_ENTRIES {
			lead.tail.pop_front();
		}
		drop(lead);

		match own.wait().await {
			Ok(AppendOutcome::Applied | AppendOutcome::Duplicate) => {}
			Ok(other) => {
				self.step_down(chunk, ballot).await;
				return match other {
					AppendOutcome::Rejected(p) => Response::Redirect { to: p.executor },
					_ => Response::error(ErrorKind::Unavailable, "this replica moved on; retry"),
				};
			}
			Err(e) => return Response::error(ErrorKind::Io, e.to_string()),
		}
		let need = quorum(view.groups.get(&group_of(chunk)).map(|m| m.len()).unwrap_or(0));
		let mut persisted = 1;
		let mut superseded = None;
		while persisted < need {
			match acks.next().await {
				Some((peer, Ok(Ok(response)))) => match response {
					Response::Ok => persisted += 1,
					other => superseded = superseded.or(self.after_ack(peer, chunk, ballot, other)),
				},
				Some(_) => {}
				None => break,
			}
		}
		// The rest are waited for in the background: a member that is behind gets caught up.
		let daemon = self.clone();
		tokio::spawn(async move {
			while let Some((peer, result)) = acks.next().await {
				if let Ok(Ok(response)) = result {
					daemon.after_ack(peer, chunk, ballot, response);
				}
			}
		});
		if persisted >= need {
			Response::Ok
		} else if let Some(to) = superseded {
			Response::Redirect { to }
		} else {
			Response::error(
				ErrorKind::Unavailable,
				format!("{persisted} of {need} members persisted the write"),
			)
		}
	}

	/// Handles a member's non-OK answer to an entry; returns the new executor if this one
	/// was superseded.
	fn after_ack(
		self: &Arc<Self>,
		peer: AccountId,
		chunk: ChunkId,
		ballot: Ballot,
		response: Response,
	) -> Option<AccountId> {
		match response {
			Response::Behind { version } => {
				self.catch_up(peer, chunk, version);
				None
			}
			Response::Rejected { promised } if promised > ballot => {
				let daemon = self.clone();
				tokio::spawn(async move { daemon.step_down(chunk, ballot).await });
				Some(promised.executor)
			}
			_ => None,
		}
	}

	async fn step_down(&self, chunk: ChunkId, ballot: Ballot) {
		let lead = self.lead(chunk);
		let mut lead = lead.lock().await;
		if lead.ballot == Some(ballot) {
			lead.ballot = None;
			log::info!("stepped down as executor of chunk {chunk}");
		}
	}

	/// Brings `peer`'s replica of the chunk to the executor's version: the missing entries
	/// from the log tail when it has them, otherwise a copy of the chunk.
	pub fn catch_up(self: &Arc<Self>, peer: AccountId, chunk: ChunkId, theirs: Version) {
		if !self.catching.lock().is_ok_and(|mut c| c.insert((peer, chunk))) {
			return;
		}
		let daemon = self.clone();
		tokio::spawn(async move {
			let view = daemon.view();
			let endpoint = view
				.groups
				.get(&group_of(chunk))
				.and_then(|m| m.iter().find(|m| m.account == peer))
				.map(|m| m.endpoint.clone());
			if let Some(endpoint) = endpoint {
				if let Ok(conn) = daemon.pool.get(peer, &endpoint).await {
					let lead = daemon.lead(chunk);
					let lead = lead.lock().await;
					let mut answers = Vec::new();
					if lead.ballot.is_some() {
						if let Some(pos) = lead.tail.iter().position(|e| e.prev == theirs) {
							for e in lead.tail.iter().skip(pos) {
								answers.extend(conn.send(Request::Append(e.clone())).ok());
							}
							daemon.stats.caught_up_from_log.fetch_add(1, Ordering::Relaxed);
							log::info!(
								"catching {} up on chunk {chunk} from the log ({} entries)",
								hex(&peer),
								answers.len()
							);
						} else if let Ok((version, data)) =
							daemon.store.snapshot(chunk).wait().await
						{
							answers
								.extend(conn.send(Request::Install { chunk, version, data }).ok());
							daemon.stats.caught_up_by_copy.fetch_add(1, Ordering::Relaxed);
							log::info!(
								"catching {} up on chunk {chunk} by copy (seq {})",
								hex(&peer),
								version.seq
							);
						}
					}
					drop(lead);
					for a in answers {
						let _ = tokio::time::timeout(ACK_TIMEOUT, a).await;
					}
				}
			}
			if let Ok(mut c) = daemon.catching.lock() {
				c.remove(&(peer, chunk));
			}
		});
	}

	/// Coordinates the proofs of the open round that are due for this daemon: for each group
	/// not yet proven whose challenge names a chunk for which this daemon's rotation rank is
	/// due (see [`PROOF_STAGGER`]), collects the members' votes and submits them. For a group
	/// proven without this daemon (it was down or behind), it adds its own vote if its
	/// replica now hashes to the counted hash: free, and it is paid for the round again.
	pub async fn prove_due(self: &Arc<Self>, sink: &dyn ProofSink) {
		let view = self.view();
		let mut groups: Vec<_> = view.groups.keys().copied().collect();
		groups.sort();
		for group in groups {
			let Some(window) = view.windows.get(&group).copied() else { continue };
			let retry =
				self.attempted.lock().ok().and_then(|a| a.get(&group).copied()).is_some_and(
					|(round, at)| round == view.round && view.block < at + PROOF_STAGGER,
				);
			if retry {
				continue;
			}
			if let Some((counted, passed)) = view.proven.get(&group) {
				if passed.contains(&self.landlord) {
					continue;
				}
				let Ok((_, bytes)) =
					self.store.window(window.chunk, window.offset, window.length).wait().await
				else {
					continue;
				};
				let data_hash = blake2_256(&bytes);
				if &data_hash != counted {
					continue;
				}
				if let Ok(mut a) = self.attempted.lock() {
					a.insert(group, (view.round, view.block));
				}
				let vote = ProofVote {
					landlord: self.landlord,
					data_hash,
					signature: self.sign_vote(&view, group, &data_hash),
				};
				match sink.submit(group, view.round, vec![vote]).await {
					Ok(()) => log::info!(
						"group {group}: added this landlord's vote to the proof of round {}",
						view.round
					),
					Err(e) => log::warn!(
						"group {group}: late vote for round {} failed: {e:#}",
						view.round
					),
				}
				continue;
			}
			let rotation = view.rotation(window.chunk);
			let Some(rank) = rotation.iter().position(|m| m.account == self.landlord) else {
				continue;
			};
			let due = view.issued_at.saturating_add(1).saturating_add(PROOF_STAGGER * rank as u32);
			if view.block < due {
				continue;
			}
			if let Ok(mut a) = self.attempted.lock() {
				a.insert(group, (view.round, view.block));
			}
			let skipped: Vec<AccountId> = rotation.iter().take(rank).map(|m| m.account).collect();
			match self.collect_votes(&view, group, &skipped).await {
				Ok(votes) => {
					let n = votes.len();
					let agreeing = votes
						.iter()
						.map(|v| votes.iter().filter(|w| w.data_hash == v.data_hash).count())
						.max()
						.unwrap_or(0);
					if agreeing < quorum(view.groups.get(&group).map(|m| m.len()).unwrap_or(0)) {
						// The chain would refuse it (and keep the fee): try again later.
						log::info!("group {group}: only {agreeing} of {n} votes agree for round {}; retrying", view.round);
						continue;
					}
					match sink.submit(group, view.round, votes).await {
						Ok(()) => log::info!(
							"group {group}: proof of round {} submitted with {n} votes",
							view.round
						),
						Err(e) => {
							log::warn!("group {group}: proof of round {} failed: {e:#}", view.round)
						}
					}
				}
				Err(e) => log::warn!("group {group}: no proof for round {}: {e}", view.round),
			}
		}
	}

	/// This daemon's vote and the members' on the group's challenged window, all read at
	/// the same version of the chunk (the executor holds the chunk while collecting).
	pub async fn collect_votes(
		self: &Arc<Self>,
		view: &View,
		group: GroupId,
		skipped: &[AccountId],
	) -> anyhow::Result<Vec<ProofVote>> {
		let window = *view.windows.get(&group).ok_or_else(|| anyhow::anyhow!("no window"))?;
		let lead = match view.chunk_space.get(&window.chunk) {
			Some(space) => Some(
				self.ensure_executor(view, window.chunk, *space, skipped)
					.await
					.map_err(|r| anyhow::anyhow!("cannot execute the chunk: {r:?}"))?,
			),
			None => None,
		};
		let peers = self.peers(view, window.chunk).await;
		let own = self.store.window(window.chunk, window.offset, window.length);
		let asks: Vec<_> = peers
			.into_iter()
			.filter_map(|(who, conn)| {
				conn.and_then(|c| c.send(Request::Vote { group, round: view.round }).ok())
					.map(|rx| (who, rx))
			})
			.collect();
		drop(lead);
		let (_, bytes) = own.wait().await?;
		let data_hash = blake2_256(&bytes);
		let mut votes = vec![ProofVote {
			landlord: self.landlord,
			data_hash,
			signature: self.sign_vote(view, group, &data_hash),
		}];
		for (who, rx) in asks {
			match tokio::time::timeout(Duration::from_secs(8), rx).await {
				Ok(Ok(Response::Vote { data_hash, signature, .. })) => {
					votes.push(ProofVote { landlord: who, data_hash, signature })
				}
				other => log::info!("group {group}: no vote from {}: {other:?}", hex(&who)),
			}
		}
		Ok(votes)
	}
}

/// Hex of the first bytes of an account, for logs.
pub fn hex(account: &AccountId) -> String {
	account[..4].iter().map(|b| format!("{b:02x}")).collect()
}
