//! Reading the chain: the daemon's [`View`] at a finalized block, landlord registration and
//! proof submission, through the interface generated from the runtime's metadata.

use crate::{
	daemon::{ProofSink, ProofVote},
	protocol::{AccountId, GroupId, GROUP_CHUNKS},
	view::{Access, Member, SpaceView, View, Window},
};
use anyhow::{anyhow, Context, Result};
use kmcc_chain::{kmcc, Chain, Config, Sr25519Signer};
use std::{collections::HashMap, future::Future, pin::Pin, sync::Arc};
use subxt::{
	client::{ClientAtBlock, OnlineClientAtBlockImpl},
	utils::AccountId32,
};

use kmcc::runtime_types::pallet_storage_spaces::types::Access as ChainAccess;

/// A client at one block.
pub type At = ClientAtBlock<Config, OnlineClientAtBlockImpl<Config>>;

/// The landlord whose daemon has node key `node`, if registered.
pub async fn landlord_of(at: &At, node: AccountId) -> Result<Option<AccountId>> {
	let entry = at.storage().entry(kmcc::storage().storage_spaces().node_owners())?;
	let key = kmcc::runtime_types::pallet_storage_spaces::crypto::Public(node);
	Ok(match entry.try_fetch((key,)).await? {
		Some(v) => Some(v.decode()?.0),
		None => None,
	})
}

/// A landlord's node key and endpoint.
pub async fn member(at: &At, account: AccountId) -> Result<Option<Member>> {
	let entry = at.storage().entry(kmcc::storage().storage_spaces().landlords())?;
	Ok(match entry.try_fetch((AccountId32(account),)).await? {
		Some(v) => {
			let l = v.decode()?;
			Some(Member {
				account,
				node: l.node.0,
				endpoint: String::from_utf8_lossy(&l.endpoint.0).into_owned(),
			})
		}
		None => None,
	})
}

/// The view of `landlord`'s daemon at block `at`.
pub async fn read_view(at: &At, landlord: AccountId) -> Result<View> {
	let storage = kmcc::storage().storage_spaces();
	let mut view = View { block: at.block_number() as u32, ..Default::default() };
	let challenge = at.storage().entry(storage.current_challenge())?.fetch(()).await?.decode()?;
	view.round = challenge.round;
	view.seed = challenge.seed.0;
	view.issued_at = challenge.issued_at;
	let clock = at.storage().entry(storage.rent_clock())?.fetch(()).await?.decode()?;

	let landlords = at.storage().entry(storage.landlords())?;
	let Some(me) = landlords.try_fetch((AccountId32(landlord),)).await? else { return Ok(view) };
	let me = me.decode()?;
	let groups_entry = at.storage().entry(storage.copy_groups())?;
	let proofs = at.storage().entry(storage.group_proofs())?;
	// A landlord serves several groups: each record is read once.
	let mut known: HashMap<AccountId, Option<Member>> = HashMap::new();
	for group in me.groups.0 {
		let Some(g) = groups_entry.try_fetch((group,)).await? else { continue };
		let mut members = Vec::new();
		for account in g.decode()?.members.0 {
			let m = match known.get(&account.0) {
				Some(m) => m.clone(),
				None => {
					let m = member(at, account.0).await?;
					known.insert(account.0, m.clone());
					m
				}
			};
			members.extend(m);
		}
		view.groups.insert(group, members);
		let w = at
			.runtime_apis()
			.call(kmcc::runtime_apis().storage_spaces_api().challenge_window(group))
			.await?;
		view.windows.insert(group, Window { chunk: w.chunk, offset: w.offset, length: w.length });
		if let Some(p) = proofs.try_fetch((group,)).await? {
			let p = p.decode()?;
			if p.round == view.round {
				view.proven
					.insert(group, (p.data_hash.0, p.passed.0.into_iter().map(|a| a.0).collect()));
			}
		}
	}

	let mut spaces = at.storage().entry(storage.spaces())?.iter(()).await?;
	while let Some(kv) = spaces.next().await {
		let kv = kv?;
		let (id,) = kv.key()?.decode()?;
		let space = kv.value().decode()?;
		let mut ours = false;
		for set in &space.chunks.0 {
			if !view.groups.contains_key(&set.group) {
				continue;
			}
			ours = true;
			for i in 0..GROUP_CHUNKS {
				if set.mask & (1u64 << i) != 0 {
					view.chunk_space.insert(u64::from(set.group) * GROUP_CHUNKS + i, id);
				}
			}
		}
		if ours {
			let mut grants = HashMap::new();
			let mut access = at.storage().entry(storage.space_access())?.iter((id,)).await?;
			while let Some(kv) = access.next().await {
				let kv = kv?;
				let (_, who): (u64, AccountId32) = kv.key()?.decode()?;
				let a = match kv.value().decode()? {
					ChainAccess::Read => Access::Read,
					ChainAccess::Write => Access::Write,
				};
				grants.insert(who.0, a);
			}
			view.spaces.insert(
				id,
				SpaceView { owner: space.owner.0, locked: space.expires_at <= clock, grants },
			);
		}
	}
	Ok(view)
}

/// Submits proofs as a funded account (fees of complete proofs are refunded).
pub struct ChainSink {
	/// The chain.
	pub chain: Arc<Chain>,
	/// The submitting account.
	pub signer: Sr25519Signer,
}

impl ProofSink for ChainSink {
	fn submit(
		&self,
		group: GroupId,
		round: u32,
		votes: Vec<ProofVote>,
	) -> Pin<Box<dyn Future<Output = Result<()>> + Send + '_>> {
		Box::pin(async move {
			use kmcc::runtime_types::{
				bounded_collections::bounded_vec::BoundedVec,
				pallet_storage_spaces::types::ProofVote as V,
			};
			let votes: Vec<_> = votes
				.into_iter()
				.map(|v| V {
					landlord: AccountId32(v.landlord),
					data_hash: subxt::utils::H256(v.data_hash),
					signature: kmcc::runtime_types::pallet_storage_spaces::crypto::Signature(
						v.signature,
					),
				})
				.collect();
			// Another member may have proven the group since this daemon's view: do not pay
			// for a proof the chain would refuse.
			let at = self.chain.api().at_current_block().await?;
			let open = at
				.storage()
				.entry(kmcc::storage().storage_spaces().current_challenge())?
				.fetch(())
				.await?
				.decode()?
				.round;
			if open != round {
				anyhow::bail!("round {round} closed");
			}
			if let Some(p) = at
				.storage()
				.entry(kmcc::storage().storage_spaces().group_proofs())?
				.try_fetch((group,))
				.await?
			{
				let p = p.decode()?;
				let new = votes
					.iter()
					.any(|v| v.data_hash == p.data_hash && !p.passed.0.contains(&v.landlord));
				if p.round == round && !new {
					anyhow::bail!("group {group} is already proven for round {round}");
				}
			}
			let call =
				kmcc::tx().storage_spaces().submit_space_proof(group, round, BoundedVec(votes));
			self.chain.submit(&call, &self.signer).await.map(|_| ()).context("submit_space_proof")
		})
	}
}

/// Registers `account` as a landlord served by the daemon with `node` key at `endpoint`.
pub async fn register(
	chain: &Chain,
	account: &Sr25519Signer,
	node: &kmcc_privacy::schnorrkel::Keypair,
	capacity_mib: u32,
	endpoint: &str,
) -> Result<()> {
	use codec::Encode;
	let landlord = account.0.public.to_bytes();
	// The pallet's `node_ownership_payload`: SCALE(("kmcc/storage/nd", landlord)).
	let payload = (*b"kmcc/storage/nd", landlord).encode();
	let ownership = node
		.sign(kmcc_privacy::schnorrkel::signing_context(b"substrate").bytes(&payload))
		.to_bytes();
	let call = kmcc::tx().storage_spaces().register_landlord(
		kmcc::runtime_types::pallet_storage_spaces::crypto::Public(node.public.to_bytes()),
		capacity_mib,
		kmcc::runtime_types::bounded_collections::bounded_vec::BoundedVec(
			endpoint.as_bytes().to_vec(),
		),
		kmcc::runtime_types::pallet_storage_spaces::crypto::Signature(ownership),
	);
	chain.submit(&call, account).await.map(|_| ()).map_err(|e| anyhow!("register_landlord: {e:#}"))
}

/// Where space `id` lives, as a client connects to it (owner, chunks in order, members).
pub async fn space_layout(at: &At, id: u64) -> Result<Option<crate::client::Layout>> {
	let storage = kmcc::storage().storage_spaces();
	let Some(space) = at.storage().entry(storage.spaces())?.try_fetch((id,)).await? else {
		return Ok(None);
	};
	let space = space.decode()?;
	let clock = at.storage().entry(storage.rent_clock())?.fetch(()).await?.decode()?;
	let groups_entry = at.storage().entry(storage.copy_groups())?;
	let mut chunks = Vec::new();
	let mut members = HashMap::new();
	for set in &space.chunks.0 {
		for i in 0..GROUP_CHUNKS {
			if set.mask & (1u64 << i) != 0 {
				chunks.push(u64::from(set.group) * GROUP_CHUNKS + i);
			}
		}
		if members.contains_key(&set.group) {
			continue;
		}
		let mut list = Vec::new();
		if let Some(g) = groups_entry.try_fetch((set.group,)).await? {
			for account in g.decode()?.members.0 {
				if let Some(m) = member(at, account.0).await? {
					list.push((m.account, m.endpoint));
				}
			}
		}
		members.insert(set.group, list);
	}
	Ok(Some(crate::client::Layout {
		space: id,
		owner: space.owner.0,
		chunks,
		members,
		locked: space.expires_at <= clock,
	}))
}

/// Reads `space_layout` at the last finalized block.
pub async fn current_layout(chain: &Chain, id: u64) -> Result<crate::client::Layout> {
	let at = chain.api().at_current_block().await?;
	space_layout(&at, id).await?.ok_or_else(|| anyhow!("space {id} does not exist"))
}
