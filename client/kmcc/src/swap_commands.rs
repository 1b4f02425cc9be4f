//! `kmcc swap …`: atomic swaps between two chains (design §12), on the pattern of the classic
//! atomic-swap tools: `initiate`, `participate`, `audit`, `claim`, `refund`,
//! `extract-secret`. `--url` is the chain the command acts on; `--counter-url` (participate)
//! and `--secret-from` (claim) name the other one.

use crate::{emit, format_kmcc, hex32, parse_amount, ss58, Cli};
use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use kmcc_client::{
	chain::{kmcc, Chain, Sr25519Signer},
	swap::{
		account, algorithm_name, block_number, derive_secret, digest, find_claim, open_swap,
		parse_algorithm, HashAlgorithm, OpenSwap, Terms,
	},
	wallet::{SwapRecord, Wallet},
};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

#[derive(Subcommand)]
pub enum SwapCommand {
	/// Starts a swap: locks `amount` on this chain for `recipient` under the hash of a fresh
	/// secret (kept by the wallet), until `--expiry-blocks` from now. Prints the swap id and
	/// the hashlock to give the participant.
	Initiate {
		/// Who may claim with the secret (the participant's account on this chain).
		recipient: String,
		/// KMCC (up to 18 decimals), or units of `--asset`.
		amount: String,
		#[arg(long)]
		from: String,
		/// Lock units of this `Assets` token instead of KMCC.
		#[arg(long)]
		asset: Option<u32>,
		/// sha256 (Bitcoin's and most HTLC contracts'), keccak256 or blake2-256.
		#[arg(long, default_value = "sha256")]
		algorithm: String,
		/// How long the participant has to lock and you to claim: 86,400 blocks is 48 h.
		#[arg(long, default_value_t = 86_400)]
		expiry_blocks: u32,
	},
	/// Joins a swap: audits the initiator's lock on the other chain (`--counter-url`,
	/// `--counter-id`), then locks `amount` on this chain for `recipient` under the same
	/// hashlock, expiring well before the initiator's lock.
	Participate {
		/// Who may claim with the secret: the initiator's account on this chain (any account
		/// the initiator names; on two KMCC chains the initiator's own key works on both).
		recipient: String,
		/// KMCC (up to 18 decimals), or units of `--asset`.
		amount: String,
		#[arg(long)]
		from: String,
		#[arg(long)]
		asset: Option<u32>,
		/// The initiator's hashlock (hex); read from the counter swap when omitted.
		#[arg(long)]
		hashlock: Option<String>,
		/// The algorithm of the hashlock; read from the counter swap when omitted.
		#[arg(long)]
		algorithm: Option<String>,
		/// How long the initiator has to claim: 43,200 blocks is 24 h.
		#[arg(long, default_value_t = 43_200)]
		expiry_blocks: u32,
		/// The initiator's chain.
		#[arg(long)]
		counter_url: String,
		/// The initiator's swap id there.
		#[arg(long)]
		counter_id: String,
		/// The amount the initiator's swap must lock (KMCC, or units of `--counter-asset`).
		#[arg(long)]
		counter_amount: Option<String>,
		#[arg(long)]
		counter_asset: Option<u32>,
		/// The time, in blocks, you want left to claim on the other chain after your lock
		/// expires (default: half of `--expiry-blocks`).
		#[arg(long)]
		margin_blocks: Option<u32>,
	},
	/// Shows a swap open on this chain: its terms and the blocks left before it expires.
	Audit { id: String },
	/// Claims a swap for its recipient with the secret: `--secret`, the wallet's own (it
	/// initiated the swap), or the one the counterparty revealed by claiming on the chain at
	/// `--secret-from`.
	Claim {
		id: String,
		/// The account that signs (and pays the fee); the funds go to the swap's recipient.
		#[arg(long)]
		from: String,
		/// The secret, hex.
		#[arg(long)]
		secret: Option<String>,
		/// The other chain, where the counterparty's claim revealed the secret.
		#[arg(long)]
		secret_from: Option<String>,
		/// The other chain's block to search from (default: as far back as this swap is old).
		#[arg(long)]
		since_block: Option<u32>,
		/// How long to wait for the counterparty's claim, in seconds.
		#[arg(long, default_value_t = 600)]
		timeout: u64,
	},
	/// Returns an expired swap to its sender.
	Refund {
		id: String,
		#[arg(long)]
		from: String,
	},
	/// Finds the secret a claim on this chain revealed for `hashlock`, waiting for it if
	/// needed.
	ExtractSecret {
		hashlock: String,
		#[arg(long, default_value = "sha256")]
		algorithm: String,
		#[arg(long, default_value_t = 1)]
		since_block: u32,
		#[arg(long, default_value_t = 600)]
		timeout: u64,
	},
}

fn hex0x(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// KMCC with decimals, or whole units of an asset.
fn parse_swap_amount(text: &str, asset: Option<u32>) -> Result<u128> {
	match asset {
		None => parse_amount(text),
		Some(id) => text.parse().with_context(|| format!("{text} is not a number of asset {id}")),
	}
}

fn format_swap_amount(amount: u128, asset: Option<u32>) -> String {
	match asset {
		None => format_kmcc(amount),
		Some(id) => format!("{amount} of asset {id}"),
	}
}

fn terms_json(terms: &Terms) -> Value {
	json!({
		"sender": ss58(terms.sender),
		"recipient": ss58(terms.recipient),
		"asset": terms.asset,
		"amount": terms.amount.to_string(),
		"hashlock": hex0x(&terms.hashlock),
		"algorithm": algorithm_name(terms.algorithm),
		"expiry": terms.expiry,
	})
}

fn swap_text(id: &[u8; 32], swap: &OpenSwap) -> String {
	let t = &swap.terms;
	format!(
		"swap {}\n  {} → {}: {}\n  hashlock {} ({})\n  locked at #{}, expires at #{} ({} blocks left at #{})",
		hex0x(id),
		ss58(t.sender),
		ss58(t.recipient),
		format_swap_amount(t.amount, t.asset),
		hex0x(&t.hashlock),
		algorithm_name(t.algorithm),
		swap.locked_at,
		t.expiry,
		swap.blocks_left(),
		swap.read_at,
	)
}

/// Locks `terms` and checks the `Locked` event names the id computed from them; returns the
/// block hash and number.
async fn lock(chain: &Chain, signer: &Sr25519Signer, terms: &Terms) -> Result<(String, u32)> {
	let call = kmcc::transactions().htlc().lock(
		account(terms.recipient),
		terms.chain_asset(),
		terms.amount,
		terms.hashlock,
		terms.algorithm.to_chain(),
		terms.expiry,
	);
	let included = chain.submit(&call, signer).await?;
	let locked = included
		.events
		.find_first::<kmcc::htlc::events::Locked>()
		.transpose()?
		.ok_or_else(|| anyhow!("no Locked event"))?;
	if locked.id != terms.id() {
		bail!(
			"the chain locked swap {} for terms with id {}",
			hex0x(&locked.id),
			hex0x(&terms.id())
		);
	}
	let number = block_number(chain, &included.block).await?;
	Ok((included.block, number))
}

async fn open(chain: &Chain, id: &[u8; 32]) -> Result<OpenSwap> {
	open_swap(chain, *id)
		.await?
		.ok_or_else(|| anyhow!("no open swap {} (never locked, or claimed or refunded)", hex0x(id)))
}

pub async fn swap(
	cli: &Cli,
	command: &SwapCommand,
	wallet: impl Fn() -> Result<Wallet>,
) -> Result<()> {
	let out = cli.json;
	match command {
		SwapCommand::Initiate { recipient, amount, from, asset, algorithm, expiry_blocks } => {
			let wallet = wallet()?;
			let signer = Sr25519Signer(wallet.account(from)?);
			let algorithm = parse_algorithm(algorithm)?;
			let amount = parse_swap_amount(amount, *asset)?;
			let chain = Chain::connect(&cli.url).await?;
			let mut nonce = [0u8; 16];
			rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut nonce);
			let secret = derive_secret(&wallet.swap_seed()?, &nonce);
			let terms = Terms {
				sender: signer.0.public.to_bytes(),
				recipient: wallet.resolve(recipient)?,
				asset: *asset,
				amount,
				hashlock: digest(algorithm, &secret),
				algorithm,
				expiry: chain.finalized_number().await?.saturating_add(*expiry_blocks),
			};
			let id = terms.id();
			// Recorded before the lock: a lock whose secret the wallet lost could only be
			// refunded.
			wallet.save_swap(&SwapRecord {
				hashlock: hex::encode(terms.hashlock),
				algorithm: algorithm_name(algorithm).into(),
				nonce: hex::encode(nonce),
				id: hex::encode(id),
				chain: hex::encode(chain.genesis_hash()),
			})?;
			let (block, number) = lock(&chain, &signer, &terms).await?;
			emit(
				out,
				json!({
					"id": hex0x(&id),
					"secret": hex0x(&secret),
					"terms": terms_json(&terms),
					"block": block,
					"block_number": number,
				}),
				format!(
					"locked {} for {} in block #{number}\nswap id   {}\nhashlock  {} ({})\nexpiry    #{}\nsecret    {} (keep it until you claim; the wallet can derive it again)",
					format_swap_amount(amount, *asset),
					ss58(terms.recipient),
					hex0x(&id),
					hex0x(&terms.hashlock),
					algorithm_name(algorithm),
					terms.expiry,
					hex0x(&secret),
				),
			);
		}
		SwapCommand::Participate {
			recipient,
			amount,
			from,
			asset,
			hashlock,
			algorithm,
			expiry_blocks,
			counter_url,
			counter_id,
			counter_amount,
			counter_asset,
			margin_blocks,
		} => {
			let wallet = wallet()?;
			let signer = Sr25519Signer(wallet.account(from)?);
			let me = signer.0.public.to_bytes();
			let amount = parse_swap_amount(amount, *asset)?;
			// The audit: the initiator's lock must pay us, under the hashlock we lock with,
			// and outlive ours by the margin.
			let counter_chain = Chain::connect(counter_url).await?;
			let counter_id = hex32(counter_id)?;
			let counter = open(&counter_chain, &counter_id).await?;
			let mine = wallet.accounts()?.iter().any(|(_, address)| {
				wallet.resolve(address).is_ok_and(|a| a == counter.terms.recipient)
			});
			if !mine {
				bail!(
					"the counter swap pays {}, which is not an account of this wallet",
					ss58(counter.terms.recipient)
				);
			}
			let hashlock = match hashlock {
				Some(h) => hex32(h)?,
				None => counter.terms.hashlock,
			};
			let algorithm = match algorithm {
				Some(a) => parse_algorithm(a)?,
				None => counter.terms.algorithm,
			};
			if (counter.terms.hashlock, counter.terms.algorithm) != (hashlock, algorithm) {
				bail!(
					"the counter swap is locked under {} ({}), not {} ({})",
					hex0x(&counter.terms.hashlock),
					algorithm_name(counter.terms.algorithm),
					hex0x(&hashlock),
					algorithm_name(algorithm)
				);
			}
			if let Some(expected) = counter_amount {
				let expected = parse_swap_amount(expected, *counter_asset)?;
				if (counter.terms.amount, counter.terms.asset) != (expected, *counter_asset) {
					bail!(
						"the counter swap locks {}, not {}",
						format_swap_amount(counter.terms.amount, counter.terms.asset),
						format_swap_amount(expected, *counter_asset)
					);
				}
			}
			let margin = margin_blocks.unwrap_or(expiry_blocks / 2);
			if counter.blocks_left() < expiry_blocks.saturating_add(margin) {
				bail!(
					"the counter swap expires in {} blocks: too soon for a lock of {expiry_blocks} blocks and {margin} blocks to claim after it",
					counter.blocks_left()
				);
			}
			let chain = Chain::connect(&cli.url).await?;
			let terms = Terms {
				sender: me,
				recipient: wallet.resolve(recipient)?,
				asset: *asset,
				amount,
				hashlock,
				algorithm,
				expiry: chain.finalized_number().await?.saturating_add(*expiry_blocks),
			};
			let (block, number) = lock(&chain, &signer, &terms).await?;
			emit(
				out,
				json!({
					"id": hex0x(&terms.id()),
					"terms": terms_json(&terms),
					"block": block,
					"block_number": number,
					"counter": {
						"id": hex0x(&counter_id),
						"terms": terms_json(&counter.terms),
						"blocks_left": counter.blocks_left(),
					},
				}),
				format!(
					"audited the counter swap:\n{}\nlocked {} for {} in block #{number}\nswap id   {}\nexpiry    #{}",
					swap_text(&counter_id, &counter),
					format_swap_amount(amount, *asset),
					ss58(terms.recipient),
					hex0x(&terms.id()),
					terms.expiry,
				),
			);
		}
		SwapCommand::Audit { id } => {
			let id = hex32(id)?;
			let chain = Chain::connect(&cli.url).await?;
			let swap = open(&chain, &id).await?;
			emit(
				out,
				json!({
					"id": hex0x(&id),
					"terms": terms_json(&swap.terms),
					"locked_at": swap.locked_at,
					"deposit": swap.deposit.to_string(),
					"read_at": swap.read_at,
					"blocks_left": swap.blocks_left(),
					"expired": swap.blocks_left() == 0,
				}),
				swap_text(&id, &swap),
			);
		}
		SwapCommand::Claim { id, from, secret, secret_from, since_block, timeout } => {
			let wallet = wallet()?;
			let signer = Sr25519Signer(wallet.account(from)?);
			let id = hex32(id)?;
			let chain = Chain::connect(&cli.url).await?;
			let swap = open(&chain, &id).await?;
			let (hashlock, algorithm) = (swap.terms.hashlock, swap.terms.algorithm);
			let (secret, revealed) = match (secret, secret_from) {
				(Some(secret), _) => (
					hex::decode(secret.trim_start_matches("0x"))
						.context("the secret is not hex")?,
					None,
				),
				(None, Some(url)) => {
					let counter = Chain::connect(url).await?;
					// The counter claim came after this swap's lock: search back as far.
					let age = swap.read_at.saturating_sub(swap.locked_at).saturating_add(10);
					let from = match since_block {
						Some(b) => *b,
						None => counter.finalized_number().await?.saturating_sub(age),
					};
					let deadline = Instant::now() + Duration::from_secs(*timeout);
					let found = find_claim(&counter, hashlock, algorithm, from, deadline).await?;
					(found.preimage.clone(), Some(found))
				}
				(None, None) => {
					let record = wallet.swap(&hex::encode(hashlock))?.ok_or_else(|| {
						anyhow!("no --secret or --secret-from, and this wallet did not initiate a swap under this hashlock")
					})?;
					let nonce: [u8; 16] = hex::decode(&record.nonce)
						.ok()
						.and_then(|b| b.try_into().ok())
						.ok_or_else(|| anyhow!("damaged swap record"))?;
					(derive_secret(&wallet.swap_seed()?, &nonce).to_vec(), None)
				}
			};
			if digest(algorithm, &secret) != hashlock {
				bail!("the secret does not open this swap's hashlock");
			}
			if swap.blocks_left() == 0 {
				bail!(
					"swap {} expired at #{}: only a refund is possible",
					hex0x(&id),
					swap.terms.expiry
				);
			}
			let call = kmcc::transactions().htlc().claim(id, secret.clone());
			let included = chain.submit(&call, &signer).await?;
			let claimed = included
				.events
				.find_first::<kmcc::htlc::events::Claimed>()
				.transpose()?
				.filter(|e| e.id == id)
				.ok_or_else(|| anyhow!("no Claimed event for this swap"))?;
			let number = block_number(&chain, &included.block).await?;
			let revealed_json = revealed.as_ref().map(
				|f| json!({ "id": hex0x(&f.id), "block_number": f.block, "recipient": ss58(f.recipient) }),
			);
			let mut text = format!(
				"claimed {} for {} in block #{number}",
				format_swap_amount(claimed.amount, swap.terms.asset),
				ss58(claimed.recipient.0)
			);
			if let Some(found) = &revealed {
				text.push_str(&format!(
					" (secret read from the claim of swap {} in block #{} of the other chain)",
					hex0x(&found.id),
					found.block
				));
			}
			emit(
				out,
				json!({
					"id": hex0x(&id),
					"recipient": ss58(claimed.recipient.0),
					"amount": claimed.amount.to_string(),
					"secret": hex0x(&secret),
					"block": included.block,
					"block_number": number,
					"revealed_by": revealed_json,
				}),
				text,
			);
		}
		SwapCommand::Refund { id, from } => {
			let wallet = wallet()?;
			let signer = Sr25519Signer(wallet.account(from)?);
			let id = hex32(id)?;
			let chain = Chain::connect(&cli.url).await?;
			let swap = open(&chain, &id).await?;
			if swap.blocks_left() > 0 {
				bail!(
					"swap {} expires at #{}, {} blocks from now: until then only its recipient can claim it",
					hex0x(&id),
					swap.terms.expiry,
					swap.blocks_left()
				);
			}
			let call = kmcc::transactions().htlc().refund(id);
			let included = chain.submit(&call, &signer).await?;
			let refunded = included
				.events
				.find_first::<kmcc::htlc::events::Refunded>()
				.transpose()?
				.filter(|e| e.id == id)
				.ok_or_else(|| anyhow!("no Refunded event for this swap"))?;
			let number = block_number(&chain, &included.block).await?;
			emit(
				out,
				json!({
					"id": hex0x(&id),
					"sender": ss58(refunded.sender.0),
					"amount": refunded.amount.to_string(),
					"block": included.block,
					"block_number": number,
				}),
				format!(
					"refunded {} to {} in block #{number}",
					format_swap_amount(refunded.amount, swap.terms.asset),
					ss58(refunded.sender.0)
				),
			);
		}
		SwapCommand::ExtractSecret { hashlock, algorithm, since_block, timeout } => {
			let hashlock = hex32(hashlock)?;
			let algorithm: HashAlgorithm = parse_algorithm(algorithm)?;
			let chain = Chain::connect(&cli.url).await?;
			let deadline = Instant::now() + Duration::from_secs(*timeout);
			let found = find_claim(&chain, hashlock, algorithm, *since_block, deadline).await?;
			emit(
				out,
				json!({
					"secret": hex0x(&found.preimage),
					"id": hex0x(&found.id),
					"recipient": ss58(found.recipient),
					"block_number": found.block,
				}),
				format!(
					"secret {} (revealed by the claim of swap {} in block #{})",
					hex0x(&found.preimage),
					hex0x(&found.id),
					found.block
				),
			);
		}
	}
	Ok(())
}
