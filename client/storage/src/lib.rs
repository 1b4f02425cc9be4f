//! # kmcc-storage: the storage data plane
//!
//! The chain sells *space* (`pallet-storage-spaces`): a space is a list of 1 MiB chunks of the
//! world disk, each stored by the 4 landlords of its **copy group**. This crate keeps the
//! bytes: the `kmcc-storage` daemon each landlord runs, and the client library behind
//! `kmcc space` (random-access reads and writes, client-side encryption, an NBD server that
//! exports a space as a disk).
//!
//! ```text
//!  qemu-img / nbd-client / mkfs ──NBD──▶ kmcc space nbd ──┐ (XTS-AES sectors)
//!                                        kmcc space put ──┤ signed session, SCALE frames
//!                                                         ▼
//!        ┌──────────── copy group g (chunks 64g … 64g+63) ────────────┐
//!        │ daemon A ◀──▶ daemon B ◀──▶ daemon C ◀──▶ daemon D          │
//!        │ executor of chunk c in round t: member (c + t) mod 4        │
//!        │ wal + groups/<g>.img on each                                │
//!        └─────────────┬───────────────────────────────────────────────┘
//!                      │ finalized blocks: groups, spaces, grants, challenge
//!                      ▼                  submit_space_proof (votes of the group)
//!                  kmcc-node
//! ```
//!
//! ## Following the chain
//!
//! A daemon is started with its node key (`stor`); the chain maps it to its landlord
//! (`NodeOwners`). At every **finalized** block it reads its copy groups (members, their node
//! keys and endpoints), the spaces on their chunks with owners, grants and expiry, and the
//! open proof challenge ([`view::View`]). Only finalized state counts, so every member of a
//! group acts on the same facts. A chunk the chain hands to another space (a new order
//! reclaiming an expired one) is zeroed before it is served.
//!
//! ## Access
//!
//! A connection starts with the daemon's nonce, signed by the client's account (the space's
//! owner or a grantee) or by a peer daemon's node key, under a signing context no transaction
//! uses ([`protocol`]). Each request is checked against the daemon's view: reads need the
//! owner or any grant, writes the owner or a write grant; a locked (expired) space is refused
//! both; peers must be members of the chunk's group.
//!
//! ## Replication: a replicated log per chunk with a rotating executor
//!
//! Every chunk has a log of writes. Entry `n` carries `(ballot, n)` and the version it applies
//! on; a replica applies an entry only on top of exactly that version, so all replicas that
//! hold version `(b, n)` hold the same bytes. The protocol is single-decree Paxos per ballot
//! (Multi-Paxos with a stable leader per round):
//!
//! - **Executor.** In proof round `t` the executor of chunk `c` is member `(c + t) mod r` of
//!   its group, in the chain's member order: every member computes the same one, and it
//!   rotates every round. Its ballot is `(t, rank 0, account)`. If a client cannot reach it,
//!   the client names it as unreachable and the next member of the rotation becomes executor
//!   with ballot `(t, rank 1, …)`, and so on; ballots are totally ordered and unique per
//!   proposer.
//! - **Take-over (phase 1).** Before its first request in a ballot the executor asks every
//!   member to *promise* the ballot (persisted before answering: a member never accepts an
//!   entry of a lower ballot afterwards) and to report its version. With promises from a
//!   quorum `q = ⌈2r/3⌉` (3 of 4), it adopts the latest version among them, copying the chunk
//!   from that member if it is not its own.
//! - **Writes (phase 2).** The executor assigns the next sequence number, writes the entry
//!   to its own log and sends it to every member over one ordered connection each. A member
//!   persists it (`fdatasync` of its write-ahead log, shared by all concurrent writes) and
//!   answers. The client gets its answer when `q` members, the executor among them, have the
//!   entry on disk.
//! - **Why no acknowledged write is lost.** An acknowledged entry is on `q` disks. A later
//!   executor hears from `q` members before writing; two quorums of `⌈2r/3⌉` out of `r`
//!   share at least one member, and that member either holds the entry or promised the new
//!   ballot before receiving it, in which case it refused the entry and it was not counted.
//!   So the latest version a new executor adopts always includes every acknowledged entry.
//!   A landlord's crash loses at most entries that were never acknowledged.
//! - **Catch-up.** A member that misses entries (down, slow, restarted) answers the next one
//!   with `Behind(its version)`; the executor resends the missing entries from its in-memory
//!   log tail, or copies the whole chunk (1 MiB) when the tail does not reach back that far.
//!   A daemon also reconciles on start and at every new round: it asks its group for the
//!   versions of all their chunks and copies a chunk when `q − 1` other members hold it at
//!   the same later version (with this replica, a quorum: one member alone cannot make the
//!   others adopt what it claims). Unacknowledged entries of a superseded ballot on a
//!   lagging replica are overwritten the same way.
//! - **Partitions.** A side with fewer than `q` members of a group cannot take over or
//!   acknowledge writes: writes fail (the client retries for 30 s, then reports an I/O
//!   error) rather than diverge. The side with `q` members goes on. When the partition
//!   heals, the minority members catch up. Reads are served by the executor after its
//!   take-over, so they see every acknowledged write; an executor cut off from its group may
//!   serve reads from its own replica until its view of the chain moves to the next round
//!   (at most one round, 20 blocks), the usual leader-lease window.
//!
//! ## Storage on disk
//!
//! [`store`]: a write-ahead log synced before anything is acknowledged, images per group,
//! checkpoints, recovery that cuts a torn tail.
//!
//! ## Proofs
//!
//! Each round the chain names a window of one chunk per group. The member that executes that
//! chunk in the round coordinates: it holds the chunk (no write in between), reads the
//! window, and asks every member to hash the same window — the request follows all earlier
//! entries on the same connection, so every up-to-date member hashes the same bytes — and to
//! sign `(round, group, seed, node key, hash)` with its node key. It submits
//! `submit_space_proof` with all the votes (free when every member voted). A member whose
//! replica is stale or missing signs another hash or does not answer, is outside the majority
//! and is faulted by the chain; after it catches up it votes with the others again. If the
//! coordinator is down, the next member of the rotation coordinates `PROOF_STAGGER` blocks
//! later.

pub mod client;
pub mod conn;
pub mod crypto;
pub mod daemon;
pub mod follow;
pub mod nbd;
pub mod protocol;
pub mod store;
pub mod view;

#[cfg(test)]
mod tests;
