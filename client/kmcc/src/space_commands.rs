//! `kmcc space …`: buy, list, extend, grant and revoke spaces on chain; read and write their
//! bytes through the landlords' daemons (encrypted with a key derived from the owner's
//! wallet unless `--no-encrypt`); export one as a disk over NBD.

use crate::{emit, format_kmcc, parse_amount, ss58, Cli};
use anyhow::{anyhow, bail, Context, Result};
use clap::{Subcommand, ValueEnum};
use kmcc_client::{
	chain::{kmcc, Chain, Sr25519Signer},
	wallet::Wallet,
};
use kmcc_storage::{
	client::SpaceClient,
	conn::Signer,
	crypto::{space_key, SpaceCipher},
	follow::current_layout,
	nbd,
};
use serde_json::json;
use std::{path::PathBuf, sync::Arc};
use subxt::utils::AccountId32;

use kmcc::runtime_types::pallet_storage_spaces::types::Access;

#[derive(Clone, Copy, ValueEnum)]
pub enum AccessArg {
	Read,
	Write,
}

/// How a command reaches a space's bytes.
#[derive(clap::Args)]
pub struct Open {
	/// The space.
	space: u64,
	/// The wallet account acting (the owner, or a grantee).
	#[arg(long = "as")]
	account: String,
	/// Store plaintext (public data): no client-side encryption.
	#[arg(long)]
	no_encrypt: bool,
	/// The space key (hex, from the owner's `kmcc space key`), for grantees.
	#[arg(long)]
	key: Option<String>,
}

#[derive(Subcommand)]
pub enum SpaceCommand {
	/// Buys a space of `size-mib` MiB for `days` days at the current Bancor price.
	Buy {
		#[arg(long)]
		from: String,
		#[arg(long)]
		size_mib: u32,
		#[arg(long)]
		days: u32,
		/// The highest price accepted, KMCC per MiB-day (default: the last finalized block's
		/// price + 25 %, room for the pool's growth until inclusion).
		#[arg(long)]
		max_price: Option<String>,
	},
	/// The spaces of an account (a wallet name or any address).
	List { owner: String },
	/// Extends a space by `days` days.
	Extend {
		space: u64,
		#[arg(long)]
		from: String,
		#[arg(long)]
		days: u32,
		#[arg(long)]
		max_price: Option<String>,
	},
	/// Grants another account read or write access.
	Grant {
		space: u64,
		#[arg(long)]
		from: String,
		#[arg(long)]
		to: String,
		#[arg(long, value_enum, default_value = "read")]
		access: AccessArg,
	},
	/// Revokes an account's access.
	Revoke {
		space: u64,
		#[arg(long)]
		from: String,
		#[arg(long)]
		to: String,
	},
	/// Prints the space's encryption key (hex) for a grantee's `--key`.
	Key {
		space: u64,
		#[arg(long = "as")]
		account: String,
	},
	/// Writes bytes (`--data` text or `--hex`) at an offset.
	Write {
		#[command(flatten)]
		open: Open,
		#[arg(long, default_value_t = 0)]
		offset: u64,
		#[arg(long, conflicts_with = "hex")]
		data: Option<String>,
		#[arg(long)]
		hex: Option<String>,
	},
	/// Reads `length` bytes at an offset (printed as hex, or as text with `--text`).
	Read {
		#[command(flatten)]
		open: Open,
		#[arg(long, default_value_t = 0)]
		offset: u64,
		#[arg(long)]
		length: u64,
		#[arg(long)]
		text: bool,
	},
	/// Writes a file into the space at an offset.
	Put {
		#[command(flatten)]
		open: Open,
		file: PathBuf,
		#[arg(long, default_value_t = 0)]
		offset: u64,
	},
	/// Reads `length` bytes at an offset into a file.
	Get {
		#[command(flatten)]
		open: Open,
		file: PathBuf,
		#[arg(long, default_value_t = 0)]
		offset: u64,
		#[arg(long)]
		length: u64,
	},
	/// Exports the space as a disk over NBD until interrupted (`qemu-img`, `nbd-client`,
	/// `nbdcopy`, `nbdfuse` …: `nbd://<listen>`).
	Nbd {
		#[command(flatten)]
		open: Open,
		#[arg(long, default_value = "127.0.0.1:10809")]
		listen: String,
		/// Export read-only.
		#[arg(long)]
		read_only: bool,
	},
}

/// Writes `bytes` at `offset` in 4 MiB pieces, several in flight (`kmcc space put`, mail
/// attachments).
pub async fn write_pieces(client: Arc<SpaceClient>, offset: u64, bytes: &[u8]) -> Result<()> {
	let piece = 4 << 20;
	let mut tasks = Vec::new();
	for (i, part) in bytes.chunks(piece).enumerate() {
		let (client, part, at) = (client.clone(), part.to_vec(), offset + (i * piece) as u64);
		tasks.push(tokio::spawn(async move { client.write_owned(at, part).await }));
	}
	for task in tasks {
		task.await??;
	}
	Ok(())
}

fn account_arg(wallet: &Wallet, who: &str) -> Result<[u8; 32]> {
	wallet.resolve(who)
}

async fn max_price(chain: &Chain, given: &Option<String>) -> Result<u128> {
	if let Some(p) = given {
		return parse_amount(p);
	}
	let at = chain.api().at_current_block().await?;
	let market = at.runtime_apis().call(kmcc::runtime_apis().storage_spaces_api().market()).await?;
	let price =
		market.price.ok_or_else(|| anyhow!("nothing is for sale (no landlord capacity)"))?;
	Ok(price.saturating_add(price / 4))
}

/// Opens a space for its bytes.
async fn open(cli: &Cli, wallet: &Wallet, open: &Open) -> Result<SpaceClient> {
	let chain = Chain::connect(&cli.url).await?;
	let layout = current_layout(&chain, open.space).await?;
	if layout.locked {
		bail!("space {} is locked (expired): unlock it first", open.space);
	}
	let pair = wallet.account(&open.account)?;
	let cipher = if open.no_encrypt {
		None
	} else if let Some(key) = &open.key {
		let key: [u8; 64] = hex::decode(key.trim_start_matches("0x"))
			.ok()
			.and_then(|k| k.try_into().ok())
			.ok_or_else(|| anyhow!("--key is 64 bytes of hex"))?;
		Some(SpaceCipher::new(&key))
	} else if pair.public.to_bytes() == layout.owner {
		Some(SpaceCipher::new(&space_key(
			&pair.secret.to_bytes(),
			&chain.genesis_hash(),
			open.space,
		)))
	} else {
		bail!("only the owner's wallet derives the space key: pass the owner's `kmcc space key` as --key, or --no-encrypt for public data");
	};
	Ok(SpaceClient::new(layout, Signer::Account(pair), cipher))
}

pub async fn space(
	cli: &Cli,
	command: &SpaceCommand,
	wallet: impl Fn() -> Result<Wallet>,
) -> Result<()> {
	let out = cli.json;
	match command {
		SpaceCommand::Buy { from, size_mib, days, max_price: limit } => {
			let signer = Sr25519Signer(wallet()?.account(from)?);
			let chain = Chain::connect(&cli.url).await?;
			let limit = max_price(&chain, limit).await?;
			let call = kmcc::transactions().storage_spaces().buy_space(*size_mib, *days, limit);
			let included = chain.submit(&call, &signer).await?;
			let e = included
				.events
				.find_first::<kmcc::storage_spaces::events::SpaceBought>()
				.transpose()?
				.ok_or_else(|| anyhow!("no SpaceBought event"))?;
			emit(
				out,
				json!({ "space": e.space, "sizeMib": e.size_mib, "expiresAt": e.expires_at, "price": e.price.to_string(), "cost": e.cost.to_string(), "block": included.block }),
				format!(
					"bought space {} of {} MiB for {} (price {} per MiB-day), expires at {} ms",
					e.space,
					e.size_mib,
					format_kmcc(e.cost),
					format_kmcc(e.price),
					e.expires_at
				),
			);
		}
		SpaceCommand::List { owner } => {
			let owner = account_arg(&wallet()?, owner)?;
			let chain = Chain::connect(&cli.url).await?;
			let at = chain.api().at_current_block().await?;
			let spaces = at
				.runtime_apis()
				.call(kmcc::runtime_apis().storage_spaces_api().spaces_of(AccountId32(owner)))
				.await?;
			let list: Vec<_> = spaces
				.iter()
				.map(|s| {
					json!({
						"space": s.id,
						"sizeMib": s.size_mib,
						"expiresAt": s.expires_at,
						"locked": s.locked,
						"groups": s.chunks.iter().map(|c| json!({ "group": c.group, "chunks": c.chunks.len(), "landlords": c.replicas.iter().map(|r| ss58(r.landlord.0)).collect::<Vec<_>>() })).collect::<Vec<_>>(),
						"grants": s.grants.iter().map(|(who, a)| json!({ "account": ss58(who.0), "access": if matches!(a, Access::Write) { "write" } else { "read" } })).collect::<Vec<_>>(),
					})
				})
				.collect();
			let text = spaces
				.iter()
				.map(|s| {
					format!(
						"{}\t{} MiB\texpires {}{}",
						s.id,
						s.size_mib,
						s.expires_at,
						if s.locked { "\tlocked" } else { "" }
					)
				})
				.collect::<Vec<_>>()
				.join("\n");
			emit(out, json!({ "spaces": list }), text);
		}
		SpaceCommand::Extend { space, from, days, max_price: limit } => {
			let signer = Sr25519Signer(wallet()?.account(from)?);
			let chain = Chain::connect(&cli.url).await?;
			let limit = max_price(&chain, limit).await?;
			let included = chain
				.submit(
					&kmcc::transactions().storage_spaces().extend(*space, *days, limit),
					&signer,
				)
				.await?;
			let e = included
				.events
				.find_first::<kmcc::storage_spaces::events::SpaceExtended>()
				.transpose()?
				.ok_or_else(|| anyhow!("no SpaceExtended event"))?;
			emit(
				out,
				json!({ "space": e.space, "expiresAt": e.expires_at, "cost": e.cost.to_string() }),
				format!(
					"space {} now expires at {} ms, paid {}",
					e.space,
					e.expires_at,
					format_kmcc(e.cost)
				),
			);
		}
		SpaceCommand::Grant { space, from, to, access } => {
			let wallet = wallet()?;
			let signer = Sr25519Signer(wallet.account(from)?);
			let to = wallet.resolve(to)?;
			let access = match access {
				AccessArg::Read => Access::Read,
				AccessArg::Write => Access::Write,
			};
			let chain = Chain::connect(&cli.url).await?;
			chain
				.submit(
					&kmcc::transactions().storage_spaces().grant_access(
						*space,
						AccountId32(to),
						access,
					),
					&signer,
				)
				.await?;
			emit(
				out,
				json!({ "space": space, "account": ss58(to) }),
				format!("granted {} access to space {space}", ss58(to)),
			);
		}
		SpaceCommand::Revoke { space, from, to } => {
			let wallet = wallet()?;
			let signer = Sr25519Signer(wallet.account(from)?);
			let to = wallet.resolve(to)?;
			let chain = Chain::connect(&cli.url).await?;
			chain
				.submit(
					&kmcc::transactions().storage_spaces().revoke_access(*space, AccountId32(to)),
					&signer,
				)
				.await?;
			emit(
				out,
				json!({ "space": space, "account": ss58(to) }),
				format!("revoked {}'s access to space {space}", ss58(to)),
			);
		}
		SpaceCommand::Key { space, account } => {
			let pair = wallet()?.account(account)?;
			let chain = Chain::connect(&cli.url).await?;
			let layout = current_layout(&chain, *space).await?;
			if layout.owner != pair.public.to_bytes() {
				bail!("{account} does not own space {space}");
			}
			let key =
				hex::encode(space_key(&pair.secret.to_bytes(), &chain.genesis_hash(), *space));
			emit(out, json!({ "space": space, "key": key }), key.clone());
		}
		SpaceCommand::Write { open: o, offset, data, hex: hex_data } => {
			let bytes = match (data, hex_data) {
				(Some(d), None) => d.as_bytes().to_vec(),
				(None, Some(h)) => {
					hex::decode(h.trim_start_matches("0x")).context("--hex is not hex")?
				}
				_ => bail!("give --data or --hex"),
			};
			let client = open(cli, &wallet()?, o).await?;
			client.write(*offset, &bytes).await?;
			emit(
				out,
				json!({ "space": o.space, "offset": offset, "length": bytes.len() }),
				format!("wrote {} bytes at {offset}", bytes.len()),
			);
		}
		SpaceCommand::Read { open: o, offset, length, text } => {
			let client = open(cli, &wallet()?, o).await?;
			let bytes = client.read(*offset, *length as usize).await?;
			let shown = if *text {
				String::from_utf8_lossy(&bytes).into_owned()
			} else {
				hex::encode(&bytes)
			};
			emit(
				out,
				json!({ "space": o.space, "offset": offset, "hex": hex::encode(&bytes) }),
				shown,
			);
		}
		SpaceCommand::Put { open: o, file, offset } => {
			let bytes =
				std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
			let client = open(cli, &wallet()?, o).await?;
			write_pieces(Arc::new(client), *offset, &bytes).await?;
			emit(
				out,
				json!({ "space": o.space, "offset": offset, "length": bytes.len(), "blake2_256": hex::encode(kmcc_storage::daemon::blake2_256(&bytes)) }),
				format!("wrote {} bytes of {} at {offset}", bytes.len(), file.display()),
			);
		}
		SpaceCommand::Get { open: o, file, offset, length } => {
			let client = open(cli, &wallet()?, o).await?;
			let bytes = client.read(*offset, *length as usize).await?;
			std::fs::write(file, &bytes)
				.with_context(|| format!("cannot write {}", file.display()))?;
			emit(
				out,
				json!({ "space": o.space, "offset": offset, "length": bytes.len(), "blake2_256": hex::encode(kmcc_storage::daemon::blake2_256(&bytes)) }),
				format!("read {} bytes into {}", bytes.len(), file.display()),
			);
		}
		SpaceCommand::Nbd { open: o, listen, read_only } => {
			let client = open(cli, &wallet()?, o).await?;
			let size = client.size();
			let listener = tokio::net::TcpListener::bind(listen)
				.await
				.with_context(|| format!("cannot listen on {listen}"))?;
			let export = Arc::new(nbd::Export {
				name: format!("space-{}", o.space),
				client: Arc::new(client),
				read_only: *read_only,
			});
			emit(
				out,
				json!({ "space": o.space, "size": size, "listen": listen, "uri": format!("nbd://{listen}") }),
				format!("serving space {} ({size} bytes) on nbd://{listen}; Ctrl-C stops", o.space),
			);
			tokio::select! {
				r = nbd::serve(listener, export) => r?,
				_ = tokio::signal::ctrl_c() => {},
			}
		}
	}
	Ok(())
}
