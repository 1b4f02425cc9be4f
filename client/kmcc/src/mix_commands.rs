//! `kmcc mix …`: deposits, withdrawals (direct or through a relayer), status, and the relayer
//! service a masternode runs.

use crate::{emit, format_kmcc, hex32, parse_amount, ss58, Cli};
use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use jsonrpsee::{
	core::client::ClientT,
	http_client::HttpClientBuilder,
	rpc_params,
	server::{RpcModule, Server},
	types::ErrorObjectOwned,
};
use kmcc_client::{
	address,
	chain::{kmcc, Chain, Sr25519Signer},
	mix::{select_ring, DepositEntry, RelayReceipt, RelayRequest, RelayerInfo},
	wallet::Wallet,
};
use kmcc_privacy::{mixer, ring, MetaAddress};
use serde_json::json;
use std::net::SocketAddr;
use subxt::utils::AccountId32;

use kmcc::runtime_types::{
	bounded_collections::bounded_vec::BoundedVec,
	pallet_mixer::types::{StealthNote, Withdrawal},
};

#[derive(Subcommand)]
pub enum MixCommand {
	/// Deposits one denomination (e.g. `10` KMCC) into its pool with a fresh key from the
	/// wallet's mixing seed.
	Deposit {
		denomination: String,
		#[arg(long)]
		from: String,
	},
	/// Withdraws a deposit (its id in `kmcc mix status`) to an account, an address or a
	/// stealth meta-address (`kmst…`, which hides the recipient as well).
	Withdraw {
		deposit: u32,
		#[arg(long)]
		to: String,
		/// A relayer that submits the withdrawal for its fee: `masternode:<id>` (the
		/// masternode's registered endpoint, and its fee must go to the masternode's payout
		/// account) or a JSON-RPC URL. Without one this wallet submits it.
		#[arg(long)]
		relayer: Option<String>,
		/// The most fee a relayer may charge, in KMCC (default: the chain's cap).
		#[arg(long)]
		max_fee: Option<String>,
		/// Ring size: the real deposit among `ring − 1` decoys.
		#[arg(long, default_value_t = 16)]
		ring: usize,
	},
	/// The pools (anonymity set per denomination) and this wallet's deposits.
	Status,
	/// Runs a relayer: accepts withdrawals over JSON-RPC (`mix_relayerInfo`, `mix_relay`) and
	/// submits them; the fee, which each withdrawal signs, goes to `account`.
	Relay {
		/// The account that receives fees (a wallet name or any address; no key is needed).
		#[arg(long)]
		account: String,
		/// The fee per withdrawal, in KMCC.
		#[arg(long)]
		fee: String,
		#[arg(long, default_value = "127.0.0.1:9955")]
		listen: SocketAddr,
	},
}

fn account_id(text: &str) -> Result<[u8; 32]> {
	Ok(address::decode(text).map_err(|e| anyhow!("{text}: {e}"))?.0)
}

/// A relayer's JSON-RPC URL and, for `masternode:<id>`, the payout account its fee must go to.
async fn relayer_endpoint(chain: &Chain, relayer: &str) -> Result<(String, Option<[u8; 32]>)> {
	let Some(id) = relayer.strip_prefix("masternode:") else {
		return Ok((relayer.to_string(), None));
	};
	let id: u32 = id.parse().with_context(|| format!("{relayer}: not a masternode id"))?;
	let (endpoint, payout, enabled) =
		chain.masternode(id).await?.ok_or_else(|| anyhow!("no masternode {id}"))?;
	if !enabled {
		bail!("masternode {id} is not enabled (banned or unbonding)");
	}
	if !endpoint.starts_with("http://") && !endpoint.starts_with("https://") {
		bail!("masternode {id} registered no relay URL (its endpoint is {endpoint})");
	}
	Ok((endpoint, Some(payout)))
}

/// The call a withdrawal request makes, and its key image.
fn withdraw_call(request: &RelayRequest) -> Result<(impl subxt::transactions::Payload, [u8; 32])> {
	let signature = hex::decode(request.signature.trim_start_matches("0x"))
		.context("the signature is not hex")?;
	let key_image: [u8; 32] = signature
		.get(signature.len().saturating_sub(32)..)
		.and_then(|tail| tail.try_into().ok())
		.ok_or_else(|| anyhow!("the signature is too short"))?;
	let announcement = match &request.announcement {
		Some((ephemeral, view_tag)) => {
			Some(StealthNote { ephemeral: hex32(ephemeral)?, view_tag: *view_tag })
		}
		None => None,
	};
	let withdrawal = Withdrawal {
		denomination: request.denomination.parse().context("bad denomination")?,
		ring: BoundedVec(request.ring.clone()),
		recipient: AccountId32(account_id(&request.recipient)?),
		relayer: if request.relayer.is_empty() {
			None
		} else {
			Some(AccountId32(account_id(&request.relayer)?))
		},
		fee: request.fee.parse().context("bad fee")?,
		announcement,
	};
	Ok((kmcc::transactions().mixer().withdraw(withdrawal, BoundedVec(signature)), key_image))
}

/// Submits a withdrawal request and checks that the pool paid it.
async fn submit_withdrawal(chain: &Chain, request: &RelayRequest) -> Result<RelayReceipt> {
	let (call, key_image) = withdraw_call(request)?;
	let included = chain.submit_authorized(&call).await?;
	included
		.events
		.find_first::<kmcc::mixer::events::Withdrawn>()
		.transpose()?
		.filter(|event| event.key_image == key_image)
		.ok_or_else(|| anyhow!("no Withdrawn event for this key image"))?;
	Ok(RelayReceipt { block: included.block, key_image: hex::encode(key_image) })
}

pub async fn mix(
	cli: &Cli,
	command: &MixCommand,
	wallet: impl Fn() -> Result<Wallet>,
) -> Result<()> {
	let out = cli.json;
	match command {
		MixCommand::Deposit { denomination, from } => {
			let wallet = wallet()?;
			let signer = Sr25519Signer(wallet.account(from)?);
			let denomination = parse_amount(denomination)?;
			let chain = Chain::connect(&cli.url).await?;
			if !chain.mix_pools().await?.iter().any(|p| p.denomination == denomination) {
				bail!("no pool for {}", format_kmcc(denomination));
			}
			let seed = wallet.mix_seed()?;
			let mut deposits = wallet.deposits()?;
			let counter = deposits.next_counter(denomination);
			let secret = mixer::deposit_secret(&seed, &chain.genesis_hash(), denomination, counter);
			let key = mixer::deposit_key(&secret);
			let id = deposits.next_id();
			// Recorded before submitting, so a deposit that lands while this process dies is
			// still found (`status` looks its index up).
			deposits.deposits.push(DepositEntry {
				id,
				denomination: denomination.to_string(),
				counter,
				key: hex::encode(key),
				index: None,
				from: ss58(signer.0.public.to_bytes()),
				withdrawn: None,
			});
			wallet.save_deposits(&deposits)?;
			let call = kmcc::transactions().mixer().deposit(denomination, key);
			let included = chain.submit(&call, &signer).await?;
			let event = included
				.events
				.find_first::<kmcc::mixer::events::Deposited>()
				.transpose()?
				.ok_or_else(|| anyhow!("no Deposited event"))?;
			if let Some(entry) = deposits.deposits.iter_mut().find(|d| d.id == id) {
				entry.index = Some(event.index);
			}
			wallet.save_deposits(&deposits)?;
			emit(
				out,
				json!({
					"deposit": id,
					"denomination": denomination.to_string(),
					"index": event.index,
					"key": hex::encode(key),
					"block": included.block,
				}),
				format!(
					"deposit {id}: {} in pool position {} (block {})",
					format_kmcc(denomination),
					event.index,
					included.block
				),
			);
		}
		MixCommand::Withdraw { deposit, to, relayer, max_fee, ring: ring_size } => {
			let wallet = wallet()?;
			let mut deposits = wallet.deposits()?;
			let entry =
				deposits.deposits.iter().find(|d| d.id == *deposit).cloned().ok_or_else(|| {
					anyhow!("no deposit {deposit} in this wallet (`kmcc mix status`)")
				})?;
			if entry.withdrawn.is_some() {
				bail!("deposit {deposit} was withdrawn already");
			}
			let denomination: u128 = entry.denomination.parse()?;
			let chain = Chain::connect(&cli.url).await?;
			let genesis = chain.genesis_hash();
			let secret =
				mixer::deposit_secret(&wallet.mix_seed()?, &genesis, denomination, entry.counter);
			let key = mixer::deposit_key(&secret);
			if hex::encode(key) != entry.key {
				bail!("the mixing seed does not derive deposit {deposit}'s key");
			}
			let index = match entry.index {
				Some(index) => index,
				None => {
					chain
						.mix_deposit_of(key)
						.await?
						.ok_or_else(|| anyhow!("deposit {deposit} is not on chain"))?
						.1
				}
			};
			let image = ring::key_image(&secret, &key);
			if chain.mix_is_spent(image).await? {
				bail!("deposit {deposit} was withdrawn already (its key image is spent)");
			}
			let parameters = chain.mix_parameters().await?;
			if (*ring_size as u32) < parameters.min_ring
				|| (*ring_size as u32) > parameters.max_ring
			{
				bail!(
					"the chain accepts rings of {} to {} keys",
					parameters.min_ring,
					parameters.max_ring
				);
			}
			// Recipient: an account, or a fresh one-time account of a meta-address.
			let (recipient, announcement) = if to.starts_with(kmcc_privacy::META_ADDRESS_PREFIX) {
				let meta = MetaAddress::decode(to).map_err(|e| anyhow!("{to}: {e:?}"))?;
				let mut ephemeral = [0u8; 64];
				rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut ephemeral);
				let note = kmcc_privacy::announce(&meta, &ephemeral, 0)
					.map_err(|e| anyhow!("cannot pay this meta-address: {e:?}"))?;
				(note.one_time, Some((note.ephemeral, note.view_tag)))
			} else {
				(wallet.resolve(to)?, None)
			};
			// Relayer terms.
			let cap = u128::from(parameters.max_fee.0) * denomination / 1_000_000;
			let (relayer_account, fee, client) = match relayer {
				Some(relayer) => {
					let (url, payout) = relayer_endpoint(&chain, relayer).await?;
					let client = HttpClientBuilder::default()
						.build(&url)
						.with_context(|| format!("bad relayer endpoint {url}"))?;
					let info: RelayerInfo = client
						.request("mix_relayerInfo", rpc_params![])
						.await
						.with_context(|| format!("the relayer at {url} does not answer"))?;
					if payout.is_some_and(|payout| ss58(payout) != info.account) {
						bail!(
							"the relayer at {url} wants its fee paid to {}, not to the \
							 masternode's payout account",
							info.account
						);
					}
					let fee: u128 = info.fee.parse().context("the relayer's fee")?;
					let limit = match max_fee {
						Some(text) => parse_amount(text)?.min(cap),
						None => cap,
					};
					if fee > limit {
						bail!(
							"the relayer asks {}, more than {}",
							format_kmcc(fee),
							format_kmcc(limit)
						);
					}
					(Some(account_id(&info.account)?), fee, Some(client))
				}
				None => (None, 0, None),
			};
			// The ring.
			let keys = chain.mix_keys(denomination).await?;
			let blocks: Vec<u32> = keys.iter().map(|(_, _, block)| *block).collect();
			let now = chain.finalized_number().await?;
			let indices = select_ring(&blocks, index, *ring_size, now, &mut rand::thread_rng())?;
			let ring_keys: Vec<[u8; 32]> = indices.iter().map(|i| keys[*i as usize].1).collect();
			let position = indices
				.iter()
				.position(|i| *i == index)
				.ok_or_else(|| anyhow!("the ring lost its member"))?;
			let recipient_bytes = recipient;
			let relayer_bytes = relayer_account;
			let message = mixer::withdrawal_message(&mixer::WithdrawalTerms {
				genesis: &genesis,
				denomination,
				ring: &indices,
				recipient: &recipient_bytes,
				relayer: relayer_bytes.as_ref().map(|r| r.as_slice()),
				fee,
				announcement: announcement.as_ref().map(|(e, t)| (e, *t)),
			});
			let random = || {
				let mut bytes = [0u8; 64];
				rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut bytes);
				bytes
			};
			let signature = ring::sign(&ring_keys, position, &secret, &message, random)
				.map_err(|e| anyhow!("cannot sign: {e:?}"))?;
			let request = RelayRequest {
				denomination: denomination.to_string(),
				ring: indices.clone(),
				recipient: ss58(recipient),
				relayer: relayer_account.map(ss58).unwrap_or_default(),
				fee: fee.to_string(),
				announcement: announcement.map(|(e, t)| (hex::encode(e), t)),
				signature: hex::encode(&signature),
			};
			let receipt = match client {
				Some(client) => client
					.request::<RelayReceipt, _>("mix_relay", rpc_params![request.clone()])
					.await
					.context("the relayer did not submit the withdrawal")?,
				None => submit_withdrawal(&chain, &request).await?,
			};
			// Trust the chain, not the relayer.
			if !chain.mix_is_spent(image).await? {
				bail!("the relayer answered, but the key image is not spent on chain");
			}
			if let Some(stored) = deposits.deposits.iter_mut().find(|d| d.id == *deposit) {
				stored.index = Some(index);
				stored.withdrawn = Some(receipt.block.clone());
			}
			wallet.save_deposits(&deposits)?;
			emit(
				out,
				json!({
					"deposit": deposit,
					"recipient": ss58(recipient),
					"stealth": request.announcement.is_some(),
					"amount": (denomination - fee).to_string(),
					"relayer": request.relayer,
					"fee": fee.to_string(),
					"ring": indices,
					"key_image": receipt.key_image,
					"block": receipt.block,
				}),
				format!(
					"withdrew {} to {} with a ring of {} (fee {}) in block {}",
					format_kmcc(denomination - fee),
					ss58(recipient),
					indices.len(),
					format_kmcc(fee),
					receipt.block
				),
			);
		}
		MixCommand::Status => {
			let wallet = wallet()?;
			let chain = Chain::connect(&cli.url).await?;
			let parameters = chain.mix_parameters().await?;
			let pools = chain.mix_pools().await?;
			let mut deposits = wallet.deposits()?;
			let ppm = parameters.max_fee.0;
			let mut lines = vec![format!(
				"rings of {} to {} keys, relayer fees up to {}.{:02} %",
				parameters.min_ring,
				parameters.max_ring,
				ppm / 10_000,
				ppm % 10_000 / 100
			)];
			for pool in &pools {
				lines.push(format!(
					"pool {}: {} deposits, {} withdrawals",
					format_kmcc(pool.denomination),
					pool.deposits,
					pool.withdrawals
				));
			}
			let mut mine = Vec::new();
			for entry in deposits.deposits.iter_mut() {
				let key = hex32(&entry.key)?;
				if entry.index.is_none() {
					entry.index = chain.mix_deposit_of(key).await?.map(|(_, index)| index);
				}
				let denomination: u128 = entry.denomination.parse()?;
				let spent = match entry.withdrawn {
					Some(_) => true,
					None if entry.index.is_some() => {
						let seed = wallet.mix_seed()?;
						let secret = mixer::deposit_secret(
							&seed,
							&chain.genesis_hash(),
							denomination,
							entry.counter,
						);
						chain.mix_is_spent(ring::key_image(&secret, &key)).await?
					}
					None => false,
				};
				let state = match (entry.index, spent) {
					(None, _) => "not on chain",
					(Some(_), true) => "withdrawn",
					(Some(_), false) => "unspent",
				};
				lines.push(format!(
					"deposit {}: {} position {:?} {state}",
					entry.id,
					format_kmcc(denomination),
					entry.index
				));
				mine.push(json!({
					"id": entry.id,
					"denomination": entry.denomination,
					"index": entry.index,
					"state": state,
				}));
			}
			wallet.save_deposits(&deposits)?;
			let pools: Vec<_> = pools
				.iter()
				.map(|p| {
					json!({
						"denomination": p.denomination.to_string(),
						"deposits": p.deposits,
						"withdrawals": p.withdrawals,
					})
				})
				.collect();
			emit(
				out,
				json!({
					"min_ring": parameters.min_ring,
					"max_ring": parameters.max_ring,
					"max_fee_ppm": parameters.max_fee.0,
					"pools": pools,
					"deposits": mine,
				}),
				lines.join("\n"),
			);
		}
		MixCommand::Relay { account, fee, listen } => {
			// The fee account only receives: resolve a wallet name without opening any key.
			let account = match address::decode(account) {
				Ok((public, _)) => public,
				Err(_) => wallet()?.resolve(account)?,
			};
			let fee = parse_amount(fee)?;
			let chain = Chain::connect(&cli.url).await?;
			relay(chain, account, fee, *listen, out).await?;
		}
	}
	Ok(())
}

fn rpc_error(error: anyhow::Error) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(1, format!("{error:#}"), None::<()>)
}

/// Serves `mix_relayerInfo` and `mix_relay` until interrupted.
async fn relay(
	chain: Chain,
	account: [u8; 32],
	fee: u128,
	listen: SocketAddr,
	out: bool,
) -> Result<()> {
	let server = Server::builder()
		.build(listen)
		.await
		.with_context(|| format!("cannot listen on {listen}"))?;
	let address = server.local_addr()?;
	let mut module = RpcModule::new((chain, account, fee));
	module.register_method("mix_relayerInfo", |_, context, _| {
		let (_, account, fee) = context;
		Ok::<_, ErrorObjectOwned>(RelayerInfo { account: ss58(*account), fee: fee.to_string() })
	})?;
	module.register_async_method("mix_relay", |params, context, _| async move {
		let (chain, account, fee) = &*context;
		let request: RelayRequest = params.one()?;
		if request.relayer != ss58(*account) {
			return Err(rpc_error(anyhow!("the withdrawal does not name this relayer")));
		}
		let offered: u128 = request.fee.parse().map_err(|_| rpc_error(anyhow!("bad fee")))?;
		if offered < *fee {
			return Err(rpc_error(anyhow!("this relayer charges {}", format_kmcc(*fee))));
		}
		submit_withdrawal(chain, &request).await.map_err(rpc_error)
	})?;
	let handle = server.start(module);
	emit(
		out,
		json!({ "listening": format!("http://{address}"), "account": ss58(account), "fee": fee.to_string() }),
		format!("relaying on http://{address}, fees to {}", ss58(account)),
	);
	tokio::select! {
		_ = handle.clone().stopped() => {}
		_ = tokio::signal::ctrl_c() => {
			let _ = handle.stop();
		}
	}
	Ok(())
}
