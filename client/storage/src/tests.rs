//! Daemon tests: real daemons on loopback with a fixed view of the chain (no node), real
//! stores in temporary directories, the real client.

use crate::{
	client::{Layout, SpaceClient},
	conn::{Conn, Signer},
	crypto::SpaceCipher,
	daemon::{blake2_256, proof_payload, quorum, Daemon},
	protocol::{AccountId, Ballot, Entry, ErrorKind, Op, Request, Response, Version, CHUNK_BYTES},
	store::{AppendOutcome, Store},
	view::{Access, Member, SpaceView, View, Window},
};
use kmcc_privacy::schnorrkel::{
	signing_context, ExpansionMode, Keypair, MiniSecretKey, PublicKey, Signature,
};
use rand::{Rng, SeedableRng};
use std::{sync::Arc, time::Duration};

const SPACE: u64 = 7;
const MIB: u64 = CHUNK_BYTES as u64;

fn keypair(seed: u8) -> Keypair {
	MiniSecretKey::from_bytes(&[seed; 32])
		.expect("32 bytes")
		.expand_to_keypair(ExpansionMode::Ed25519)
}

fn owner() -> Keypair {
	keypair(200)
}

fn reader() -> Keypair {
	keypair(201)
}

struct Net {
	daemons: Vec<Option<Arc<Daemon>>>,
	dirs: Vec<tempfile::TempDir>,
	addrs: Vec<String>,
	view: View,
}

fn landlord(i: usize) -> AccountId {
	[100 + i as u8; 32]
}

impl Net {
	/// Four daemons serving group 0; space 7 holds chunks 0–3, owned by `owner()`, with a
	/// read grant to `reader()`.
	async fn new() -> Net {
		let mut addrs = Vec::new();
		let mut listeners = Vec::new();
		for _ in 0..4 {
			let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
			addrs.push(l.local_addr().unwrap().to_string());
			listeners.push(l);
		}
		let members: Vec<Member> = (0..4)
			.map(|i| Member {
				account: landlord(i),
				node: keypair(i as u8 + 1).public.to_bytes(),
				endpoint: addrs[i].clone(),
			})
			.collect();
		let mut view =
			View { block: 10, round: 1, issued_at: 10, seed: [5; 32], ..Default::default() };
		view.groups.insert(0, members);
		view.windows.insert(0, Window { chunk: 2, offset: 1000, length: 4096 });
		for c in 0..4 {
			view.chunk_space.insert(c, SPACE);
		}
		view.spaces.insert(
			SPACE,
			SpaceView {
				owner: owner().public.to_bytes(),
				locked: false,
				grants: [(reader().public.to_bytes(), Access::Read)].into(),
			},
		);
		let mut net = Net { daemons: Vec::new(), dirs: Vec::new(), addrs, view };
		for (i, listener) in listeners.into_iter().enumerate() {
			net.dirs.push(tempfile::tempdir().unwrap());
			net.daemons.push(None);
			net.start(i, Some(listener)).await;
		}
		net
	}

	async fn start(&mut self, i: usize, listener: Option<tokio::net::TcpListener>) {
		let listener = match listener {
			Some(l) => l,
			None => tokio::net::TcpListener::bind(&self.addrs[i]).await.unwrap(),
		};
		// A small log: the tests wrap it and checkpoint often.
		let store = Store::open_with(self.dirs[i].path(), 8 << 20).unwrap();
		let daemon = Daemon::new(landlord(i), keypair(i as u8 + 1), store);
		// The first view asks for a reconciliation; tests run it where they need it.
		assert!(daemon.set_view(self.view.clone()).await.unwrap());
		tokio::spawn(daemon.clone().serve(listener));
		self.daemons[i] = Some(daemon);
	}

	fn stop(&mut self, i: usize) {
		if let Some(d) = self.daemons[i].take() {
			d.stop();
		}
	}

	async fn set_view(&mut self, view: View) {
		self.view = view;
		for d in self.daemons.iter().flatten() {
			d.set_view(self.view.clone()).await.unwrap();
		}
	}

	fn layout(&self) -> Layout {
		Layout {
			space: SPACE,
			owner: owner().public.to_bytes(),
			chunks: vec![0, 1, 2, 3],
			members: [(0, (0..4).map(|i| (landlord(i), self.addrs[i].clone())).collect())].into(),
			locked: false,
		}
	}

	fn client(&self, who: Keypair, cipher: Option<SpaceCipher>) -> SpaceClient {
		SpaceClient::new(self.layout(), Signer::Account(who), cipher)
			.with_retry(Duration::from_secs(3))
	}

	/// Each running replica's version and bytes of `chunk`.
	async fn replicas(&self, chunk: u64) -> Vec<(usize, Version, Vec<u8>)> {
		let mut out = Vec::new();
		for (i, d) in self.daemons.iter().enumerate() {
			if let Some(d) = d {
				let (v, data) = d.store.snapshot(chunk).wait().await.unwrap();
				out.push((i, v, data));
			}
		}
		out
	}

	/// Waits until every running replica of `chunk` has the same version.
	async fn settled(&self, chunk: u64) -> Vec<(usize, Version, Vec<u8>)> {
		for _ in 0..100 {
			let r = self.replicas(chunk).await;
			if r.windows(2).all(|w| w[0].1 == w[1].1) {
				return r;
			}
			tokio::time::sleep(Duration::from_millis(50)).await;
		}
		panic!(
			"replicas of chunk {chunk} did not converge: {:?}",
			self.replicas(chunk).await.iter().map(|r| (r.0, r.1)).collect::<Vec<_>>()
		);
	}
}

#[test]
fn quorum_is_two_thirds_rounded_up() {
	assert_eq!([1, 2, 3, 4, 5, 6, 7].map(quorum), [1, 2, 2, 3, 4, 4, 5]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writes_are_ordered_by_one_log_and_every_replica_applies_it() {
	let net = Net::new().await;
	let client = Arc::new(net.client(owner(), None));
	// 64 concurrent writes to overlapping ranges of one chunk: the executor orders them.
	let writes = (0..64u8).map(|i| {
		let client = client.clone();
		tokio::spawn(async move { client.write(u64::from(i) * 512, &vec![i + 1; 4096]).await })
	});
	for w in writes {
		w.await.unwrap().unwrap();
	}
	let replicas = net.settled(0).await;
	assert_eq!(replicas.len(), 4);
	let (_, version, bytes) = &replicas[0];
	assert_eq!(version.seq, 64, "one entry per write, numbered without gaps");
	for (i, v, b) in &replicas {
		assert_eq!(v, version, "replica {i}");
		assert!(b == bytes, "replica {i} holds other bytes");
	}
	// What the client reads is what every replica holds.
	assert_eq!(client.read(0, CHUNK_BYTES as usize).await.unwrap(), *bytes);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_write_is_acknowledged_only_when_a_quorum_persisted_it() {
	let mut net = Net::new().await;
	let client = net.client(owner(), None);
	client.write(0, b"first").await.unwrap();
	// The executor of chunk 0 in round 1 is member (0 + 1) mod 4 = 1; stop another one.
	net.stop(3);
	client.write(5, b"second").await.unwrap();
	let on_disk = |r: &Vec<(usize, Version, Vec<u8>)>| {
		r.iter().filter(|(_, _, b)| &b[..11] == b"firstsecond").count()
	};
	assert_eq!(on_disk(&net.settled(0).await), 3, "on the three running replicas");
	// With two of four down no quorum (3) remains: the write is never acknowledged (the two
	// running replicas may keep it; the next write to those bytes replaces it).
	net.stop(2);
	let err = client.write(11, b"third").await.unwrap_err();
	assert_eq!(err.kind(), std::io::ErrorKind::TimedOut, "{err}");
	// Back to three: the next write is acknowledged again, and the group converges.
	net.start(3, None).await;
	client.write(11, b"fourth").await.unwrap();
	assert_eq!(&client.read(0, 17).await.unwrap(), b"firstsecondfourth");
	let r = net.settled(0).await;
	assert_eq!(r.len(), 3);
	assert!(r.iter().all(|(_, _, b)| &b[..17] == b"firstsecondfourth"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_member_that_was_down_catches_up_from_the_log_or_by_copy() {
	let mut net = Net::new().await;
	let client = net.client(owner(), None);
	client.write(0, &[1; 100]).await.unwrap();
	client.write(MIB, &[1; 100]).await.unwrap();
	net.settled(0).await;
	// Member 2 misses 5 entries of chunk 0 (within the executor's log tail) and 200 of
	// chunk 1 (beyond it).
	net.stop(2);
	for i in 0..5u8 {
		client.write(u64::from(i) * 10, &[i + 2; 10]).await.unwrap();
	}
	for i in 0..200u16 {
		client.write(MIB + u64::from(i) * 7, &i.to_le_bytes()).await.unwrap();
	}
	net.start(2, None).await;
	// Past the executors' retry pause for a failed peer.
	tokio::time::sleep(Duration::from_millis(600)).await;
	// The next entry finds it behind: resent from the log (chunk 0), copied (chunk 1).
	client.write(60, b"after").await.unwrap();
	client.write(MIB + 5000, b"after").await.unwrap();
	for chunk in [0, 1] {
		let r = net.settled(chunk).await;
		assert_eq!(r.len(), 4);
		assert!(r.windows(2).all(|w| w[0].2 == w[1].2), "chunk {chunk}: replicas differ");
	}
	let total = |f: fn(&crate::daemon::Stats) -> u64| {
		net.daemons.iter().flatten().map(|d| f(&d.stats)).sum::<u64>()
	};
	assert_eq!(
		total(|s| s.caught_up_from_log.load(std::sync::atomic::Ordering::Relaxed)),
		1,
		"chunk 0 from the log"
	);
	assert_eq!(
		total(|s| s.caught_up_by_copy.load(std::sync::atomic::Ordering::Relaxed)),
		1,
		"chunk 1 by copy"
	);
	// A chunk written while it was down and not since: anti-entropy copies it.
	net.stop(0);
	client.write(2 * MIB, b"while member 0 was down").await.unwrap();
	net.start(0, None).await;
	let copied = net.daemons[0].as_ref().unwrap().reconcile().await;
	assert!(copied >= 1);
	let r = net.settled(2).await;
	assert!(r.iter().all(|(_, _, b)| &b[..23] == b"while member 0 was down"));
	// One member claiming a later version of chunk 3 is not followed: it takes a quorum.
	let liar = net.daemons[3].as_ref().unwrap();
	let claimed = Version {
		space: Some(SPACE),
		ballot: Ballot { round: 99, rank: 0, executor: landlord(3) },
		seq: 1,
	};
	assert!(liar
		.store
		.install(3, claimed, vec![0xee; CHUNK_BYTES as usize], None)
		.wait()
		.await
		.unwrap());
	assert_eq!(net.daemons[0].as_ref().unwrap().reconcile().await, 0);
	assert_ne!(net.daemons[0].as_ref().unwrap().store.version(3).await.unwrap(), claimed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_executor_rotates_with_the_round_and_keeps_every_acknowledged_write() {
	let mut net = Net::new().await;
	let client = net.client(owner(), None);
	let mut model = vec![0u8; 4 * MIB as usize];
	let mut rng = rand::rngs::StdRng::seed_from_u64(7);
	for round in 1..=4 {
		let mut view = net.view.clone();
		view.round = round;
		net.set_view(view).await;
		if round == 3 {
			// The round's executor of chunk 3, (3 + 3) mod 4 = 2, is down: fail-over.
			net.stop(2);
		}
		if round == 4 {
			net.start(2, None).await;
		}
		for _ in 0..20 {
			let offset = rng.gen_range(0..4 * MIB - 70_000);
			let len = rng.gen_range(1..70_000usize);
			let data: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
			client.write(offset, &data).await.unwrap();
			model[offset as usize..offset as usize + len].copy_from_slice(&data);
		}
		assert!(client.read(0, 4 * MIB as usize).await.unwrap() == model, "round {round}");
	}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn encrypted_random_access_matches_a_model_and_landlords_hold_ciphertext() {
	let net = Net::new().await;
	let key = [3u8; 64];
	let client = net.client(owner(), Some(SpaceCipher::new(&key)));
	let mut model = vec![0u8; 4 * MIB as usize];
	let mut rng = rand::rngs::StdRng::seed_from_u64(11);
	for step in 0..60 {
		let offset = rng.gen_range(0..4 * MIB - 9000);
		let len = rng.gen_range(1..9000usize);
		if step % 7 == 3 {
			client.write_zeroes(offset, len as u64).await.unwrap();
			model[offset as usize..offset as usize + len].fill(0);
		} else {
			let data: Vec<u8> = (0..len).map(|_| rng.gen_range(1..=255)).collect();
			client.write(offset, &data).await.unwrap();
			model[offset as usize..offset as usize + len].copy_from_slice(&data);
		}
		let check = rng.gen_range(0..4 * MIB - 20_000);
		assert!(
			client.read(check, 20_000).await.unwrap()
				== model[check as usize..check as usize + 20_000]
		);
	}
	assert!(client.read(0, 4 * MIB as usize).await.unwrap() == model);
	// No 16-byte run of plaintext appears on a landlord's disk.
	let plain = &model[..];
	for chunk in 0..4u64 {
		for (_, _, bytes) in net.settled(chunk).await {
			let needle =
				plain[(chunk * MIB) as usize..].windows(16).find(|w| w.iter().all(|b| *b != 0));
			if let Some(needle) = needle {
				assert!(!bytes.windows(16).any(|w| w == needle), "plaintext on a landlord's disk");
			}
		}
	}
	// Another key (another wallet) reads garbage, not the data.
	let other = net.client(owner(), Some(SpaceCipher::new(&[4u8; 64])));
	assert!(other.read(0, 4 * MIB as usize).await.unwrap() != model);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn access_is_checked_against_the_chain_view() {
	let mut net = Net::new().await;
	net.client(owner(), None).write(0, b"owner data").await.unwrap();
	// A read grant reads and may not write.
	let reader = net.client(reader(), None);
	assert_eq!(&reader.read(0, 10).await.unwrap(), b"owner data");
	assert_eq!(
		reader.write(0, b"x").await.unwrap_err().kind(),
		std::io::ErrorKind::PermissionDenied
	);
	// An account without a grant may do neither.
	let stranger = net.client(keypair(202), None);
	assert_eq!(
		stranger.read(0, 10).await.unwrap_err().kind(),
		std::io::ErrorKind::PermissionDenied
	);
	assert_eq!(
		stranger.write(0, b"x").await.unwrap_err().kind(),
		std::io::ErrorKind::PermissionDenied
	);
	// A daemon key outside the group may not append, even with a well-formed entry.
	let outsider = Conn::connect(&net.addrs[0], &Signer::Node(keypair(99)), None).await.unwrap();
	let ballot = Ballot { round: 9, rank: 0, executor: keypair(99).public.to_bytes() };
	let entry = Entry {
		chunk: 0,
		prev: Version::default(),
		version: Version { space: Some(SPACE), ballot, seq: 1 },
		offset: 0,
		op: Op::Write(vec![9]),
	};
	match outsider.request(Request::Append(entry), Duration::from_secs(5)).await.unwrap() {
		Response::Error { kind: ErrorKind::Unauthorized, .. } => {}
		other => panic!("{other:?}"),
	}
	// A member may not claim another member's ballot.
	let member = Conn::connect(&net.addrs[0], &Signer::Node(keypair(2)), None).await.unwrap();
	let forged = Ballot { round: 9, rank: 0, executor: landlord(2) };
	match member
		.request(
			Request::Prepare { chunk: 0, space: SPACE, ballot: forged },
			Duration::from_secs(5),
		)
		.await
		.unwrap()
	{
		Response::Error { kind: ErrorKind::Unauthorized, .. } => {}
		other => panic!("{other:?}"),
	}
	// A locked (expired) space refuses its owner too.
	let mut view = net.view.clone();
	view.spaces.get_mut(&SPACE).unwrap().locked = true;
	net.set_view(view).await;
	let owner_client = net.client(owner(), None);
	assert_eq!(
		owner_client.read(0, 10).await.unwrap_err().kind(),
		std::io::ErrorKind::PermissionDenied
	);
	assert_eq!(
		owner_client.write(0, b"x").await.unwrap_err().kind(),
		std::io::ErrorKind::PermissionDenied
	);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_chunk_handed_to_another_space_or_released_is_zeroed_on_every_replica() {
	let mut net = Net::new().await;
	let client = net.client(owner(), None);
	client.write(2 * MIB, b"space 7's data").await.unwrap();
	client.write(3 * MIB, b"space 7's data").await.unwrap();
	net.settled(3).await;
	// A new order reclaims chunk 2; chunk 3 is released.
	let mut view = net.view.clone();
	view.block += 1;
	view.chunk_space.insert(2, 8);
	view.chunk_space.remove(&3);
	view.spaces.insert(
		8,
		SpaceView { owner: reader().public.to_bytes(), locked: false, grants: Default::default() },
	);
	net.set_view(view).await;
	for (chunk, space) in [(2, Some(8)), (3, None)] {
		for (i, version, bytes) in net.replicas(chunk).await {
			assert_eq!(
				version,
				Version { space, ..Default::default() },
				"replica {i} of chunk {chunk}"
			);
			assert!(bytes.iter().all(|b| *b == 0), "replica {i} of chunk {chunk} keeps data");
		}
	}
	// The new owner reads zeroes where the old data was.
	let mut layout = net.layout();
	layout.space = 8;
	layout.owner = reader().public.to_bytes();
	layout.chunks = vec![2];
	let new_owner = SpaceClient::new(layout, Signer::Account(reader()), None);
	assert!(new_owner.read(0, 14).await.unwrap().iter().all(|b| *b == 0));
}

#[tokio::test]
async fn a_signature_over_another_nonce_is_refused() {
	let net = Net::new().await;
	// Sign the first connection's nonce, present it on a second connection.
	let stream = tokio::net::TcpStream::connect(&net.addrs[0]).await.unwrap();
	let (mut r, w) = stream.into_split();
	let hello: crate::protocol::Hello = crate::protocol::read_frame(&mut r).await.unwrap().unwrap();
	let who = owner().public.to_bytes();
	let message = crate::protocol::auth_message(&hello.node, &hello.nonce, 0, &who);
	let signature =
		owner().sign(signing_context(crate::protocol::AUTH_CONTEXT).bytes(&message)).to_bytes();
	let stream2 = tokio::net::TcpStream::connect(&net.addrs[0]).await.unwrap();
	let (mut r2, mut w2) = stream2.into_split();
	let _: crate::protocol::Hello = crate::protocol::read_frame(&mut r2).await.unwrap().unwrap();
	crate::protocol::write_frame(
		&mut w2,
		&crate::protocol::Auth::Account { account: who, signature },
	)
	.await
	.unwrap();
	let request = crate::protocol::Tagged { id: 1, body: Request::Fetch { chunk: 0 } };
	let _ = crate::protocol::write_frame(&mut w2, &request).await;
	let answer: std::io::Result<Option<crate::protocol::Tagged<Response>>> =
		crate::protocol::read_frame(&mut r2).await;
	assert!(!matches!(answer, Ok(Some(_))), "the replayed signature was accepted");
	drop((w, r));
}

#[tokio::test]
async fn a_crash_between_logging_and_syncing_recovers_the_last_acknowledged_write() {
	let dir = tempfile::tempdir().unwrap();
	let ballot = Ballot { round: 1, rank: 0, executor: [1; 32] };
	let entry = |seq: u64, byte: u8| Entry {
		chunk: 5,
		prev: Version {
			space: Some(SPACE),
			ballot: if seq == 1 { Ballot::default() } else { ballot },
			seq: seq - 1,
		},
		version: Version { space: Some(SPACE), ballot, seq },
		offset: 0,
		op: Op::Write(vec![byte; 4096]),
	};
	let store = Store::open(dir.path()).unwrap();
	assert!(store.reset(5, Some(SPACE)).wait().await.unwrap());
	for seq in 1..=3 {
		assert_eq!(
			store.append(entry(seq, seq as u8)).wait().await.unwrap(),
			AppendOutcome::Applied
		);
	}
	// Entry 4 is written to the log only partly when the machine dies.
	store.crash_during_write(entry(4, 4), 100).await;
	assert_eq!(
		std::fs::metadata(dir.path().join("wal")).unwrap().len(),
		crate::store::WAL_BYTES,
		"the log keeps its size"
	);
	let store = Store::open(dir.path()).unwrap();
	let (version, data) = store.snapshot(5).wait().await.unwrap();
	assert_eq!(version.seq, 3, "the last acknowledged write");
	assert!(data[..4096].iter().all(|b| *b == 3));
	// The store goes on from there: entry 4 again, then a whole unsynced record that did
	// reach the disk is replayed (it was never acknowledged; keeping it is allowed).
	assert_eq!(store.append(entry(4, 4)).wait().await.unwrap(), AppendOutcome::Applied);
	store.crash_during_write(entry(5, 5), usize::MAX).await;
	let store = Store::open(dir.path()).unwrap();
	let (version, data) = store.snapshot(5).wait().await.unwrap();
	assert_eq!(version.seq, 5);
	assert!(data[..4096].iter().all(|b| *b == 5));
	// Entries that do not follow the replica's version are refused, state unchanged.
	assert!(
		matches!(store.append(entry(7, 7)).wait().await.unwrap(), AppendOutcome::Behind(v) if v.seq == 5)
	);
	let lower = Entry {
		version: Version { ballot: Ballot::default(), ..entry(6, 6).version },
		..entry(6, 6)
	};
	assert!(matches!(store.append(lower).wait().await.unwrap(), AppendOutcome::Rejected(_)));
	assert_eq!(store.append(entry(5, 5)).wait().await.unwrap(), AppendOutcome::Duplicate);
	// Forty 1 MiB entries through an 8 MiB log: it wraps, checkpointing, and a crash after
	// that recovers the last entry, not an older generation's records.
	drop(store);
	let small = tempfile::tempdir().unwrap();
	let store = Store::open_with(small.path(), 8 << 20).unwrap();
	store.reset(5, Some(SPACE)).wait().await.unwrap();
	let big =
		|seq: u64| Entry { op: Op::Write(vec![seq as u8; CHUNK_BYTES as usize]), ..entry(seq, 0) };
	for seq in 1..=40 {
		assert_eq!(store.append(big(seq)).wait().await.unwrap(), AppendOutcome::Applied);
	}
	store.crash_during_write(big(41), 4096).await;
	let store = Store::open_with(small.path(), 8 << 20).unwrap();
	let (version, data) = store.snapshot(5).wait().await.unwrap();
	assert_eq!(version.seq, 40);
	assert!(data.iter().all(|b| *b == 40));
	// Handing the chunk to another space zeroes it.
	assert!(store.reset(5, Some(SPACE + 1)).wait().await.unwrap());
	let (version, data) = store.snapshot(5).wait().await.unwrap();
	assert_eq!(version, Version { space: Some(SPACE + 1), ..Default::default() });
	assert!(data.iter().all(|b| *b == 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn proof_votes_agree_on_consistent_replicas_and_a_stale_one_differs() {
	let mut net = Net::new().await;
	let client = net.client(owner(), None);
	client.write(2 * MIB + 1000, &[7; 4096]).await.unwrap();
	net.settled(2).await;
	let check = |votes: &Vec<crate::daemon::ProofVote>, view: &View| {
		for v in votes {
			let i = (v.landlord[0] - 100) as usize;
			let node = PublicKey::from_bytes(&keypair(i as u8 + 1).public.to_bytes()).unwrap();
			let payload = proof_payload(view.round, 0, &view.seed, &node.to_bytes(), &v.data_hash);
			let sig = Signature::from_bytes(&v.signature).unwrap();
			assert!(
				node.verify(signing_context(b"substrate").bytes(&payload), &sig).is_ok(),
				"vote of {i}"
			);
		}
	};
	// Chunk 2 in round 1: executor (2 + 1) mod 4 = 3 coordinates.
	let coordinator = net.daemons[3].clone().unwrap();
	let votes = coordinator.collect_votes(&net.view, 0, &[]).await.unwrap();
	assert_eq!(votes.len(), 4);
	assert!(votes.iter().all(|v| v.data_hash == blake2_256(&[7; 4096])));
	check(&votes, &net.view);
	// Member 1 is down: three votes, still a quorum.
	net.stop(1);
	let votes = coordinator.collect_votes(&net.view, 0, &[]).await.unwrap();
	assert_eq!(votes.len(), 3);
	// Back with a replica that lost bytes of the window (bit rot at the same version): it
	// votes another hash, and the other three still agree.
	net.start(1, None).await;
	tokio::time::sleep(Duration::from_millis(600)).await;
	{
		use std::os::unix::fs::FileExt;
		let image = std::fs::OpenOptions::new()
			.write(true)
			.open(net.dirs[1].path().join("groups/0.img"))
			.unwrap();
		image.write_all_at(b"rot", 2 * MIB + 3000).unwrap();
	}
	let votes = coordinator.collect_votes(&net.view, 0, &[]).await.unwrap();
	assert_eq!(votes.len(), 4);
	let rotten = votes.iter().find(|v| v.landlord == landlord(1)).unwrap();
	assert_ne!(rotten.data_hash, blake2_256(&[7; 4096]));
	assert_eq!(votes.iter().filter(|v| v.data_hash == blake2_256(&[7; 4096])).count(), 3);
	check(&votes, &net.view);
	// Rewriting the window heals it: every replica applies the entry.
	client.write(2 * MIB + 1000, &[8; 4096]).await.unwrap();
	net.settled(2).await;
	let votes = coordinator.collect_votes(&net.view, 0, &[]).await.unwrap();
	assert_eq!(votes.len(), 4);
	assert!(votes.iter().all(|v| v.data_hash == votes[0].data_hash), "all four agree");
}
