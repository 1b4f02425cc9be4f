//! `kmcc`: the KMCC Chain wallet on the command line.
//!
//! ```text
//! kmcc [--url ws://127.0.0.1:9944] [--wallet DIR] [--json] <command>
//!   account new|import|list|balance|transfer
//!   stealth keygen|address|publish|send|scan|spend|sweep|export
//!   mix deposit|withdraw|status|relay
//!   space buy|list|extend|grant|revoke|key|write|read|put|get|nbd
//!   mail register|key|publish|send|inbox|read|delete|block|min-postage|pay|deliver|refund|fetch
//!   swap initiate|participate|audit|claim|refund|extract-secret
//! ```
//!
//! The wallet directory (`--wallet`, `$KMCC_WALLET`, default `~/.kmcc/wallet`) holds every key
//! as a polkadot.js keystore file under one password (`$KMCC_PASSWORD`, or asked for).
//! Amounts are KMCC with up to 18 decimals. `--json` prints one JSON object per command, with
//! amounts as planck strings.

mod mail_commands;
mod mix_commands;
mod space_commands;
mod swap_commands;

use anyhow::{anyhow, bail, Context, Result};
use clap::{Parser, Subcommand};
use kmcc_client::{
	address::{self, KMCC_SS58_PREFIX},
	chain::{dest, kmcc, Chain, Sr25519Signer},
	wallet::{FoundPayment, Wallet},
};
use kmcc_privacy::{schnorrkel::Keypair, Announcement, MetaAddress};
use serde_json::{json, Value};
use std::path::PathBuf;
use subxt::utils::AccountId32;

#[derive(Parser)]
#[command(name = "kmcc", version, about = "The KMCC Chain wallet")]
struct Cli {
	/// The node's WebSocket endpoint.
	#[arg(long, global = true, default_value = "ws://127.0.0.1:9944", env = "KMCC_URL")]
	url: String,
	/// The wallet directory.
	#[arg(long, global = true, env = "KMCC_WALLET")]
	wallet: Option<PathBuf>,
	/// Machine-readable output: one JSON object.
	#[arg(long, global = true)]
	json: bool,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Accounts of the wallet.
	#[command(subcommand)]
	Account(AccountCommand),
	/// Stealth (one-time) accounts: receive payments nobody can link to you.
	#[command(subcommand)]
	Stealth(StealthCommand),
	/// The mixing pool: deposit a denomination, withdraw it anywhere unlinkably.
	#[command(subcommand)]
	Mix(mix_commands::MixCommand),
	/// Storage spaces: buy and manage them, read and write their bytes, mount one as a disk.
	#[command(subcommand)]
	Space(space_commands::SpaceCommand),
	/// Encrypted mail: aliases, messages, attachments in your space, paid attachments.
	#[command(subcommand)]
	Mail(mail_commands::MailCommand),
	/// Atomic swaps with another chain: hash-time-locked KMCC or assets.
	#[command(subcommand)]
	Swap(swap_commands::SwapCommand),
}

#[derive(Subcommand)]
enum AccountCommand {
	/// Creates an account with a fresh random key.
	New { name: String },
	/// Adds an account from a secret URI (a mnemonic, a `0x` seed, `//Alice` on dev chains).
	Import {
		name: String,
		#[arg(long)]
		suri: String,
	},
	/// Lists the wallet's accounts.
	List,
	/// The free balance of an account (a wallet name or any address).
	Balance { who: String },
	/// Transfers KMCC, keeping the sender alive.
	Transfer {
		#[arg(long)]
		from: String,
		to: String,
		amount: String,
	},
}

#[derive(Subcommand)]
enum StealthCommand {
	/// Creates the wallet's stealth keys and prints the meta-address (`kmst…`).
	Keygen,
	/// Prints the wallet's meta-address.
	Address,
	/// Publishes the meta-address under an account, so senders can pay the account's name.
	Publish {
		#[arg(long)]
		from: String,
	},
	/// Pays a meta-address (`kmst…`, or an account that published one) through a fresh
	/// one-time account.
	Send {
		#[arg(long)]
		from: String,
		to: String,
		amount: String,
	},
	/// Finds the payments to this wallet's meta-address (view key only), from where the last
	/// scan stopped, and lists them with their balances.
	Scan,
	/// Transfers from a one-time account, signed with its one-time key.
	Spend { one_time: String, to: String, amount: String },
	/// Moves everything from every funded one-time account to `to`, each from its own account.
	Sweep { to: String },
	/// Writes a one-time account as a polkadot.js keystore file (the wallet's password).
	Export {
		one_time: String,
		#[arg(long)]
		out: PathBuf,
	},
}

/// Planck per KMCC.
const KMCC: u128 = 1_000_000_000_000_000_000;

fn parse_amount(text: &str) -> Result<u128> {
	let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
	if whole.is_empty() && fraction.is_empty()
		|| !whole.chars().all(|c| c.is_ascii_digit())
		|| !fraction.chars().all(|c| c.is_ascii_digit())
		|| fraction.len() > 18
	{
		bail!("{text} is not an amount of KMCC (up to 18 decimals)");
	}
	let whole: u128 = if whole.is_empty() { 0 } else { whole.parse()? };
	let fraction: u128 = format!("{fraction:0<18}").parse()?;
	whole
		.checked_mul(KMCC)
		.and_then(|w| w.checked_add(fraction))
		.ok_or_else(|| anyhow!("{text} KMCC is too large"))
}

/// 32 bytes from hex, with or without `0x` (ids, hashes, keys).
pub(crate) fn hex32(text: &str) -> Result<[u8; 32]> {
	hex::decode(text.trim_start_matches("0x"))
		.ok()
		.and_then(|bytes| bytes.try_into().ok())
		.ok_or_else(|| anyhow!("{text} is not 32 bytes of hex"))
}

fn format_kmcc(planck: u128) -> String {
	let fraction = format!("{:018}", planck % KMCC);
	let fraction = fraction.trim_end_matches('0');
	if fraction.is_empty() {
		format!("{} KMCC", planck / KMCC)
	} else {
		format!("{}.{fraction} KMCC", planck / KMCC)
	}
}

fn ss58(public: [u8; 32]) -> String {
	address::encode(&public, KMCC_SS58_PREFIX)
}

fn password() -> Result<String> {
	match std::env::var("KMCC_PASSWORD") {
		Ok(password) => Ok(password),
		Err(_) => rpassword::prompt_password("Wallet password: ").context("cannot read a password"),
	}
}

fn wallet_dir(cli: &Cli) -> Result<PathBuf> {
	match &cli.wallet {
		Some(dir) => Ok(dir.clone()),
		None => std::env::var_os("HOME")
			.map(|home| PathBuf::from(home).join(".kmcc/wallet"))
			.ok_or_else(|| anyhow!("no --wallet and no HOME")),
	}
}

/// Prints `value` with `--json`, else `text`.
fn emit(json_output: bool, value: Value, text: String) {
	if json_output {
		println!("{value}");
	} else {
		println!("{text}");
	}
}

/// The one-time payment `one_time` (an address) the scan found, with its key.
fn one_time_key(wallet: &Wallet, one_time: &str) -> Result<(FoundPayment, Keypair)> {
	let found =
		wallet.scan_state()?.found.into_iter().find(|p| p.one_time == one_time).ok_or_else(
			|| anyhow!("{one_time} is not a payment the scan found (`kmcc stealth scan`)"),
		)?;
	let chain_code: [u8; 32] = hex::decode(&found.chain_code)
		.ok()
		.and_then(|bytes| bytes.try_into().ok())
		.ok_or_else(|| anyhow!("damaged scan state"))?;
	let keys = wallet.stealth_keys()?;
	let secret = kmcc_privacy::one_time_secret(&keys.spend, chain_code)
		.map_err(|e| anyhow!("cannot derive the one-time key: {e:?}"))?;
	let pair = Keypair { public: secret.to_public(), secret };
	if ss58(pair.public.to_bytes()) != found.one_time {
		bail!("the spend key does not derive {one_time}");
	}
	Ok((found, pair))
}

#[tokio::main]
async fn main() {
	env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
	let cli = Cli::parse();
	if let Err(error) = run(&cli).await {
		if cli.json {
			println!("{}", json!({ "error": format!("{error:#}") }));
		} else {
			eprintln!("error: {error:#}");
		}
		std::process::exit(1);
	}
}

async fn run(cli: &Cli) -> Result<()> {
	let wallet = || -> Result<Wallet> { Wallet::open(wallet_dir(cli)?, password()?) };
	let out = cli.json;
	match &cli.command {
		Command::Account(command) => match command {
			AccountCommand::New { name } => {
				let address =
					wallet()?.add_account(name, &kmcc_client::wallet::random_keypair())?;
				emit(out, json!({ "name": name, "address": address }), address);
			}
			AccountCommand::Import { name, suri } => {
				use polkadot_sdk::sp_core::{sr25519, Pair};
				let pair = sr25519::Pair::from_string(suri, None)
					.map_err(|e| anyhow!("not a secret URI: {e:?}"))?;
				let address = wallet()?.add_account(name, &Keypair::from(pair))?;
				emit(out, json!({ "name": name, "address": address }), address);
			}
			AccountCommand::List => {
				let accounts = wallet()?.accounts()?;
				let text = accounts.iter().map(|(n, a)| format!("{n}\t{a}")).collect::<Vec<_>>();
				let list: Vec<_> =
					accounts.iter().map(|(n, a)| json!({ "name": n, "address": a })).collect();
				emit(out, json!({ "accounts": list }), text.join("\n"));
			}
			AccountCommand::Balance { who } => {
				let who = wallet()?.resolve(who)?;
				let free = Chain::connect(&cli.url).await?.free_balance(who).await?;
				emit(
					out,
					json!({ "address": ss58(who), "free": free.to_string() }),
					format!("{}\t{}", ss58(who), format_kmcc(free)),
				);
			}
			AccountCommand::Transfer { from, to, amount } => {
				let wallet = wallet()?;
				let signer = Sr25519Signer(wallet.account(from)?);
				let (to, amount) = (wallet.resolve(to)?, parse_amount(amount)?);
				let chain = Chain::connect(&cli.url).await?;
				let call = kmcc::transactions().balances().transfer_keep_alive(dest(to), amount);
				let included = chain.submit(&call, &signer).await?;
				emit(
					out,
					json!({ "to": ss58(to), "amount": amount.to_string(), "block": included.block }),
					format!(
						"sent {} to {} in block {}",
						format_kmcc(amount),
						ss58(to),
						included.block
					),
				);
			}
		},
		Command::Stealth(command) => stealth(cli, command, wallet).await?,
		Command::Mix(command) => mix_commands::mix(cli, command, wallet).await?,
		Command::Space(command) => space_commands::space(cli, command, wallet).await?,
		Command::Mail(command) => mail_commands::mail(cli, command, wallet).await?,
		Command::Swap(command) => swap_commands::swap(cli, command, wallet).await?,
	}
	Ok(())
}

async fn stealth(
	cli: &Cli,
	command: &StealthCommand,
	wallet: impl Fn() -> Result<Wallet>,
) -> Result<()> {
	let out = cli.json;
	match command {
		StealthCommand::Keygen => {
			let meta = wallet()?.create_stealth_keys()?.meta_address().encode();
			emit(out, json!({ "meta_address": meta }), meta);
		}
		StealthCommand::Address => {
			let meta = wallet()?.stealth_keys()?.meta_address().encode();
			emit(out, json!({ "meta_address": meta }), meta);
		}
		StealthCommand::Publish { from } => {
			let wallet = wallet()?;
			let signer = Sr25519Signer(wallet.account(from)?);
			let meta = wallet.stealth_keys()?.meta_address();
			let chain = Chain::connect(&cli.url).await?;
			let call = kmcc::transactions().stealth().register_meta_address(meta.view, meta.spend);
			let included = chain.submit(&call, &signer).await?;
			let account = ss58(signer.0.public.to_bytes());
			emit(
				out,
				json!({ "account": account, "meta_address": meta.encode(), "block": included.block }),
				format!("{account} now publishes {}", meta.encode()),
			);
		}
		StealthCommand::Send { from, to, amount } => {
			let wallet = wallet()?;
			let signer = Sr25519Signer(wallet.account(from)?);
			let amount = parse_amount(amount)?;
			let chain = Chain::connect(&cli.url).await?;
			let meta = if to.starts_with(kmcc_privacy::META_ADDRESS_PREFIX) {
				MetaAddress::decode(to).map_err(|e| anyhow!("{to}: {e:?}"))?
			} else {
				let who = wallet.resolve(to)?;
				let (view, spend) = chain
					.meta_address(who)
					.await?
					.ok_or_else(|| anyhow!("{} has published no meta-address", ss58(who)))?;
				MetaAddress { view, spend }
			};
			let mut ephemeral = [0u8; 64];
			rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut ephemeral);
			let announcement = kmcc_privacy::announce(&meta, &ephemeral, 0)
				.map_err(|e| anyhow!("cannot pay this meta-address: {e:?}"))?;
			let call = kmcc::transactions().stealth().transfer_stealth(
				AccountId32(announcement.one_time),
				announcement.ephemeral,
				announcement.view_tag,
				amount,
			);
			let included = chain.submit(&call, &signer).await?;
			let id = included
				.events
				.find_first::<kmcc::stealth::events::StealthTransfer>()
				.transpose()?
				.map(|event| event.id)
				.ok_or_else(|| anyhow!("no StealthTransfer event"))?;
			let one_time = ss58(announcement.one_time);
			emit(
				out,
				json!({
					"one_time": one_time,
					"announcement": id,
					"amount": amount.to_string(),
					"block": included.block,
				}),
				format!(
					"paid {} to one-time account {one_time} (announcement {id})",
					format_kmcc(amount)
				),
			);
		}
		StealthCommand::Scan => {
			let wallet = wallet()?;
			let (view, spend) = wallet.stealth_view()?;
			let chain = Chain::connect(&cli.url).await?;
			let mut state = wallet.scan_state()?;
			let mut scanned = 0u64;
			let mut missed = 0u64;
			loop {
				let page = chain.announcements(state.next_id, 1_024).await?;
				missed += page.oldest_id.saturating_sub(state.next_id);
				for (id, record) in &page.items {
					scanned += 1;
					let announcement = Announcement {
						ephemeral: record.ephemeral,
						one_time: record.one_time.0,
						view_tag: record.view_tag,
					};
					if let Some(chain_code) =
						kmcc_privacy::scan(&view.secret, &spend, &announcement, 0)
					{
						state.found.push(FoundPayment {
							id: *id,
							block: record.block,
							one_time: ss58(record.one_time.0),
							chain_code: hex::encode(chain_code),
						});
					}
				}
				state.next_id = page.next_id;
				if page.items.is_empty() || page.next_id >= page.end_id {
					break;
				}
			}
			wallet.save_scan_state(&state)?;
			let mut payments = Vec::new();
			let mut lines = Vec::new();
			for payment in &state.found {
				let (public, _) = address::decode(&payment.one_time).map_err(|e| anyhow!("{e}"))?;
				let balance = chain.free_balance(public).await?;
				lines.push(format!(
					"{}\t{}\t#{}",
					payment.one_time,
					format_kmcc(balance),
					payment.id
				));
				payments.push(json!({
					"id": payment.id,
					"block": payment.block,
					"one_time": payment.one_time,
					"balance": balance.to_string(),
				}));
			}
			let mut text = format!(
				"scanned {scanned} announcements, {} payments found, next id {}",
				state.found.len(),
				state.next_id
			);
			if missed > 0 {
				text.push_str(&format!(
					"\nwarning: {missed} announcements were pruned before this scan read them"
				));
			}
			for line in lines {
				text.push('\n');
				text.push_str(&line);
			}
			emit(
				out,
				json!({ "scanned": scanned, "missed": missed, "next_id": state.next_id, "payments": payments }),
				text,
			);
		}
		StealthCommand::Spend { one_time, to, amount } => {
			let wallet = wallet()?;
			let (_, pair) = one_time_key(&wallet, one_time)?;
			let (to, amount) = (wallet.resolve(to)?, parse_amount(amount)?);
			let chain = Chain::connect(&cli.url).await?;
			let call = kmcc::transactions().balances().transfer_keep_alive(dest(to), amount);
			let included = chain.submit(&call, &Sr25519Signer(pair)).await?;
			emit(
				out,
				json!({
					"one_time": one_time,
					"to": ss58(to),
					"amount": amount.to_string(),
					"block": included.block,
				}),
				format!("sent {} from {one_time} to {}", format_kmcc(amount), ss58(to)),
			);
		}
		StealthCommand::Sweep { to } => {
			let wallet = wallet()?;
			let to = wallet.resolve(to)?;
			let chain = Chain::connect(&cli.url).await?;
			let mut swept = Vec::new();
			let mut lines = Vec::new();
			for payment in wallet.scan_state()?.found {
				let (_, pair) = one_time_key(&wallet, &payment.one_time)?;
				let before = chain.free_balance(pair.public.to_bytes()).await?;
				if before == 0 {
					continue;
				}
				let call = kmcc::transactions().balances().transfer_all(dest(to), false);
				chain.submit(&call, &Sr25519Signer(pair)).await?;
				lines.push(format!("{}\tswept", payment.one_time));
				swept.push(
					json!({ "one_time": payment.one_time, "balance_before": before.to_string() }),
				);
			}
			lines.push(format!("{} one-time accounts swept to {}", swept.len(), ss58(to)));
			emit(out, json!({ "to": ss58(to), "swept": swept }), lines.join("\n"));
		}
		StealthCommand::Export { one_time, out: file } => {
			let wallet = wallet()?;
			let (_, pair) = one_time_key(&wallet, one_time)?;
			let keystore = wallet.keystore_file(&pair, &format!("one-time {one_time}"));
			std::fs::write(file, serde_json::to_string_pretty(&keystore)?)
				.with_context(|| format!("cannot write {}", file.display()))?;
			emit(
				out,
				json!({ "one_time": one_time, "file": file.display().to_string() }),
				format!("wrote {} (a polkadot.js keystore file)", file.display()),
			);
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn amounts_parse_to_the_planck_and_print_back() {
		assert_eq!(parse_amount("10").unwrap(), 10 * KMCC);
		assert_eq!(parse_amount("0.5").unwrap(), KMCC / 2);
		assert_eq!(parse_amount(".000000000000000001").unwrap(), 1);
		assert_eq!(parse_amount("1.000000000000000001").unwrap(), KMCC + 1);
		for bad in ["", ".", "1.0000000000000000001", "-1", "1e3", "1,5", "abc"] {
			assert!(parse_amount(bad).is_err(), "{bad}");
		}
		assert!(parse_amount("999999999999999999999999").is_err());
		assert_eq!(format_kmcc(10 * KMCC), "10 KMCC");
		assert_eq!(format_kmcc(KMCC + KMCC / 4), "1.25 KMCC");
		assert_eq!(format_kmcc(1), "0.000000000000000001 KMCC");
	}
}
