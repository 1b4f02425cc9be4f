//! # kmcc-chain
//!
//! KMCC Chain through subxt, shared by the `kmcc` wallet and the `kmcc-storage` landlord
//! daemon: the interface is generated from the runtime's metadata (`metadata/kmcc.scale`,
//! checked against the runtime by `runtime/tests/metadata.rs`), so no call, storage item or
//! runtime API is encoded by hand.

use anyhow::{anyhow, Context, Result};
use kmcc_privacy::schnorrkel::Keypair;
use subxt::{
	utils::{AccountId32, MultiAddress, MultiSignature},
	OnlineClient, PolkadotConfig,
};

/// The generated interface of the KMCC runtime.
#[subxt::subxt(runtime_metadata_path = "metadata/kmcc.scale")]
pub mod kmcc {}

/// The KMCC runtime's configuration for subxt (AccountId32, MultiAddress, MultiSignature,
/// BLAKE2-256, u32 block numbers: Polkadot's).
pub type Config = PolkadotConfig;

/// A connection to a node.
pub struct Chain {
	api: OnlineClient<Config>,
}

/// Signs as an sr25519 account (a wallet account or a one-time account).
pub struct Sr25519Signer(pub Keypair);

impl subxt::transactions::Signer<Config> for Sr25519Signer {
	fn account_id(&self) -> AccountId32 {
		AccountId32(self.0.public.to_bytes())
	}

	fn sign(&self, payload: &[u8]) -> MultiSignature {
		MultiSignature::Sr25519(self.0.sign_simple(b"substrate", payload).to_bytes())
	}
}

/// What a transaction did: its block and the events it emitted.
pub struct Included {
	/// The finalized block's hash.
	pub block: String,
	/// The transaction's events.
	pub events: subxt::extrinsics::ExtrinsicEvents<Config>,
}

impl Chain {
	/// Connects to `url` (`ws://` or `wss://`).
	pub async fn connect(url: &str) -> Result<Self> {
		let api = OnlineClient::<Config>::from_insecure_url(url)
			.await
			.with_context(|| format!("cannot connect to {url}"))?;
		Ok(Chain { api })
	}

	/// The subxt client, for queries this crate has no helper for.
	pub fn api(&self) -> &OnlineClient<Config> {
		&self.api
	}

	/// The free balance of `who` at the last finalized block (0 if the account does not exist).
	pub async fn free_balance(&self, who: [u8; 32]) -> Result<u128> {
		let at = self.api.at_current_block().await?;
		let entry = at.storage().entry(kmcc::storage().system().account())?;
		Ok(match entry.try_fetch((AccountId32(who),)).await? {
			Some(value) => value.decode()?.data.free,
			None => 0,
		})
	}

	/// Signs `call` as `signer`, submits it and waits until it is finalized and succeeded.
	pub async fn submit<Call: subxt::transactions::Payload>(
		&self,
		call: &Call,
		signer: &Sr25519Signer,
	) -> Result<Included> {
		let at = self.api.at_current_block().await?;
		let progress = at
			.transactions()
			.sign_and_submit_then_watch_default(call, signer)
			.await
			.context("the node refused the transaction")?;
		Self::finalized(progress).await
	}

	/// Waits until a submitted transaction is finalized and checks that it succeeded.
	async fn finalized(
		progress: subxt::transactions::TransactionProgress<
			Config,
			subxt::client::OnlineClientAtBlockImpl<Config>,
		>,
	) -> Result<Included> {
		let in_block = progress
			.wait_for_finalized()
			.await
			.map_err(|e| anyhow!("the transaction was not finalized: {e}"))?;
		let block = format!("{:?}", in_block.block_hash());
		let events = in_block
			.wait_for_success()
			.await
			.map_err(|e| anyhow!("the transaction failed: {e}"))?;
		Ok(Included { block, events })
	}

	/// A page of stealth announcements from `from_id` (the `StealthApi` runtime API).
	pub async fn announcements(
		&self,
		from_id: u64,
		limit: u32,
	) -> Result<kmcc::runtime_types::pallet_stealth::types::AnnouncementsPage<AccountId32, u32>> {
		let at = self.api.at_current_block().await?;
		let call = kmcc::runtime_apis().stealth_api().announcements(from_id, limit);
		Ok(at.runtime_apis().call(call).await?)
	}

	/// The chain's genesis hash.
	pub fn genesis_hash(&self) -> [u8; 32] {
		self.api.genesis_hash().0
	}

	/// The last finalized block's number.
	pub async fn finalized_number(&self) -> Result<u32> {
		let at = self.api.at_current_block().await?;
		Ok(at.block_number() as u32)
	}

	/// Every mixing pool (the `MixerApi` runtime API).
	pub async fn mix_pools(
		&self,
	) -> Result<Vec<kmcc::runtime_types::pallet_mixer::types::PoolStatus>> {
		let at = self.api.at_current_block().await?;
		Ok(at.runtime_apis().call(kmcc::runtime_apis().mixer_api().pools()).await?)
	}

	/// The mixing parameters: ring bounds and the relayer-fee cap.
	pub async fn mix_parameters(
		&self,
	) -> Result<kmcc::runtime_types::pallet_mixer::types::MixerParameters> {
		let at = self.api.at_current_block().await?;
		Ok(at.runtime_apis().call(kmcc::runtime_apis().mixer_api().parameters()).await?)
	}

	/// Every key of a pool with its deposit block: `(index, key, block)`.
	pub async fn mix_keys(&self, denomination: u128) -> Result<Vec<(u32, [u8; 32], u32)>> {
		let at = self.api.at_current_block().await?;
		let mut keys = Vec::new();
		let mut from = 0;
		loop {
			let call = kmcc::runtime_apis().mixer_api().keys(denomination, from, 1_024);
			let page = at.runtime_apis().call(call).await?;
			keys.extend(page.items);
			if page.next >= page.end || page.next == from {
				return Ok(keys);
			}
			from = page.next;
		}
	}

	/// Masternode `id`: its registered endpoint, payout account and whether it is enabled.
	pub async fn masternode(&self, id: u32) -> Result<Option<(String, [u8; 32], bool)>> {
		use kmcc::runtime_types::pallet_masternodes::types::MasternodeStatus;
		let at = self.api.at_current_block().await?;
		let entry = at.storage().entry(kmcc::storage().masternodes().masternodes())?;
		Ok(match entry.try_fetch((id,)).await? {
			Some(value) => {
				let masternode = value.decode()?;
				Some((
					String::from_utf8_lossy(&masternode.endpoint.0).into_owned(),
					masternode.payout.0,
					matches!(masternode.status, MasternodeStatus::Enabled),
				))
			}
			None => None,
		})
	}

	/// Whether a key image is spent.
	pub async fn mix_is_spent(&self, key_image: [u8; 32]) -> Result<bool> {
		let at = self.api.at_current_block().await?;
		Ok(at.runtime_apis().call(kmcc::runtime_apis().mixer_api().is_spent(key_image)).await?)
	}

	/// Where a deposited key is: `(denomination, index)`.
	pub async fn mix_deposit_of(&self, key: [u8; 32]) -> Result<Option<(u128, u32)>> {
		let at = self.api.at_current_block().await?;
		Ok(at.runtime_apis().call(kmcc::runtime_apis().mixer_api().deposit_of(key)).await?)
	}

	/// Submits `call` as an *authorized* transaction (a v5 general transaction without a
	/// signer or fee, which the runtime's `AuthorizeCall` extension validates with the call's
	/// own check) and waits until it is finalized and succeeded.
	pub async fn submit_authorized<Call: subxt::transactions::Payload>(
		&self,
		call: &Call,
	) -> Result<Included> {
		let at = self.api.at_current_block().await?;
		let params = subxt::config::PolkadotExtrinsicParamsBuilder::<Config>::new()
			.immortal()
			.nonce(0)
			.build();
		let mut transaction = at.transactions().create_v5_signable_offline(call, params)?;
		// The runtime has no signature-carrying extension, so this encodes a general
		// transaction whose extensions carry no account: nothing is signed.
		let submittable = transaction.sign_with_account_and_signature(
			&AccountId32([0; 32]),
			&MultiSignature::Sr25519([0; 64]),
		)?;
		let progress =
			submittable.submit_and_watch().await.context("the node refused the transaction")?;
		Self::finalized(progress).await
	}

	/// The meta-address `who` published, as `(view, spend)`.
	pub async fn meta_address(&self, who: [u8; 32]) -> Result<Option<([u8; 32], [u8; 32])>> {
		let at = self.api.at_current_block().await?;
		let call = kmcc::runtime_apis().stealth_api().meta_address(AccountId32(who));
		Ok(at.runtime_apis().call(call).await?)
	}
}

/// `who` as a transfer destination.
pub fn dest(who: [u8; 32]) -> MultiAddress<AccountId32, ()> {
	MultiAddress::Id(AccountId32(who))
}
