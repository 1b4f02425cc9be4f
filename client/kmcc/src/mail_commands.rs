//! `kmcc mail …`: encrypted mail (design §10). Messages are sealed to the recipient's mail
//! key (`kmcc_client::mail`); attachments are encrypted, written into the sender's space
//! through the landlords' daemons, and fetched back by the recipient, whom the message grants
//! read access.

use crate::{emit, format_kmcc, parse_amount, ss58, Cli};
use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use kmcc_client::{
	chain::{kmcc, Chain, Sr25519Signer},
	mail::{self, Envelope, EnvelopeAttachment},
	wallet::Wallet,
};
use kmcc_privacy::schnorrkel::Keypair;
use kmcc_storage::{client::SpaceClient, conn::Signer, follow::current_layout};
use serde_json::{json, Value};
use std::{path::PathBuf, sync::Arc};
use subxt::utils::{AccountId32, H256};

use kmcc::runtime_types::pallet_mail::types::{
	Attachment, Exchange, MailAddress, MessageView, PaidTerms, Recipient,
};

/// Attachments start on 4 KiB boundaries of the space.
const ALIGN: u64 = 4096;

#[derive(Subcommand)]
pub enum MailCommand {
	/// Registers an alias for an account and publishes its mail key.
	Register {
		#[arg(long)]
		from: String,
		/// 3–32 characters of `a-z 0-9 . _ -`.
		alias: String,
	},
	/// Prints an account's x25519 mail key (and with `--secret` its secret key, to read this
	/// account's mail with any NaCl `crypto_box_seal_open`).
	Key {
		#[arg(long = "as")]
		account: String,
		#[arg(long)]
		secret: bool,
	},
	/// Publishes an account's mail key without an alias (it can then receive mail).
	Publish {
		#[arg(long)]
		from: String,
	},
	/// Sends a message (and optionally a file as an attachment, paid when `--price` is given).
	Send {
		#[arg(long)]
		from: String,
		/// An alias, an address or a wallet account.
		to: String,
		#[arg(long, default_value = "")]
		subject: String,
		#[arg(long, default_value = "")]
		body: String,
		/// A file to attach: encrypted and written into the sender's space.
		#[arg(long)]
		attach: Option<PathBuf>,
		/// The attachment's price, KMCC: the recipient pays it for the outer key.
		#[arg(long, requires = "attach")]
		price: Option<String>,
		/// The space to store the attachment in (default: the sender's first space with room).
		#[arg(long, requires = "attach")]
		space: Option<u64>,
		/// Postage, KMCC (default: what the recipient requires).
		#[arg(long)]
		postage: Option<String>,
	},
	/// Lists an account's mailbox, with the subjects it can decrypt.
	Inbox {
		#[arg(long = "as")]
		account: String,
	},
	/// Decrypts and prints a message.
	Read {
		#[arg(long = "as")]
		account: String,
		id: u64,
	},
	/// Deletes a message (its deposit goes back to the sender).
	Delete {
		#[arg(long = "as")]
		account: String,
		id: u64,
	},
	/// Blocks (or with `--unblock`, unblocks) a sender.
	Block {
		#[arg(long = "as")]
		account: String,
		sender: String,
		#[arg(long)]
		unblock: bool,
	},
	/// Accepts only messages with at least this postage (KMCC).
	MinPostage {
		#[arg(long = "as")]
		account: String,
		amount: String,
	},
	/// Pays a message's attachment price into escrow.
	Pay {
		#[arg(long = "as")]
		account: String,
		id: u64,
	},
	/// Delivers the outer key of paid attachments the sender was paid for (one message, or
	/// every paid one in the sender's spaces).
	Deliver {
		#[arg(long)]
		from: String,
		id: Option<u64>,
	},
	/// Takes back an escrowed payment whose key did not come in time.
	Refund {
		#[arg(long = "as")]
		account: String,
		id: u64,
	},
	/// Downloads a message's attachment, checks its hash and decrypts it; with `--check`,
	/// only downloads and checks the hash (possible before paying: is it there, unchanged?).
	Fetch {
		#[arg(long = "as")]
		account: String,
		id: u64,
		#[arg(long, required_unless_present = "check")]
		out: Option<PathBuf>,
		#[arg(long)]
		check: bool,
	},
}

type View = MessageView<AccountId32, u32>;
type Address = MailAddress<AccountId32>;

/// The account `to` names (an alias on chain, else a wallet account or an address), its
/// published mail key and its settings.
async fn recipient(
	chain: &Chain,
	wallet: &Wallet,
	to: &str,
) -> Result<([u8; 32], [u8; 32], Address)> {
	let at = chain.api().at_current_block().await?;
	let api = kmcc::runtime_apis().mail_api();
	let address = match at.runtime_apis().call(api.resolve_alias(to.as_bytes().to_vec())).await? {
		Some(address) => address,
		None => {
			let account = wallet.resolve(to).with_context(|| format!("{to} is no alias"))?;
			at.runtime_apis().call(api.address(AccountId32(account))).await?
		}
	};
	let key = address
		.encryption_key
		.ok_or_else(|| anyhow!("{to} ({}) has published no mail key", ss58(address.account.0)))?;
	Ok((address.account.0, key, address))
}

async fn message(chain: &Chain, id: u64) -> Result<View> {
	let at = chain.api().at_current_block().await?;
	at.runtime_apis()
		.call(kmcc::runtime_apis().mail_api().message(id))
		.await?
		.ok_or_else(|| anyhow!("no message {id}"))
}

fn exchange_json(exchange: &Option<Exchange<u32>>) -> Value {
	match exchange {
		None => Value::Null,
		Some(Exchange::Offered) => json!({ "state": "offered" }),
		Some(Exchange::Paid { amount, deadline }) => {
			json!({ "state": "paid", "amount": amount.to_string(), "deadline": deadline })
		}
		Some(Exchange::Delivered { key }) => {
			json!({ "state": "delivered", "key": hex::encode(key) })
		}
		Some(Exchange::Refunded) => json!({ "state": "refunded" }),
	}
}

/// The envelope of `view` opened with `pair`'s mail key, and whether it names the real sender.
fn open_envelope(pair: &Keypair, view: &View) -> Result<(Envelope, bool)> {
	let opened = mail::open(&mail::mail_secret(&pair.secret.to_bytes()), &view.ciphertext)?;
	let envelope = Envelope::decode(&opened)?;
	let genuine = envelope.from == ss58(view.from.0);
	Ok((envelope, genuine))
}

fn view_json(view: &View, envelope: Option<&(Envelope, bool)>) -> Value {
	let attachment = view.attachment.as_ref().map(|a| {
		json!({
			"space": a.space,
			"offset": a.offset,
			"length": a.length,
			"contentHash": hex::encode(a.content_hash.0),
			"price": a.terms.as_ref().map(|t| t.price.to_string()),
			"exchange": exchange_json(&view.exchange),
		})
	});
	json!({
		"id": view.id,
		"from": ss58(view.from.0),
		"fromAlias": view.from_alias.as_ref().map(|a| String::from_utf8_lossy(a).into_owned()),
		"to": ss58(view.to.0),
		"block": view.sent_at,
		"timestamp": view.timestamp,
		"postage": view.postage.to_string(),
		"deposit": view.deposit.to_string(),
		"ciphertextBytes": view.ciphertext.len(),
		"subject": envelope.map(|(e, _)| e.subject.clone()),
		"body": envelope.map(|(e, _)| e.body.clone()),
		"forged": envelope.map(|(_, genuine)| !genuine),
		"attachment": attachment,
		"attachmentName": envelope.and_then(|(e, _)| e.attachment.as_ref().map(|a| a.name.clone())),
	})
}

/// A space of `owner` for `length` more bytes: `(space, offset)` after the attachments it
/// already holds.
async fn place(
	chain: &Chain,
	owner: [u8; 32],
	wanted: Option<u64>,
	length: u64,
) -> Result<(u64, u64)> {
	let at = chain.api().at_current_block().await?;
	let spaces = at
		.runtime_apis()
		.call(kmcc::runtime_apis().storage_spaces_api().spaces_of(AccountId32(owner)))
		.await?;
	for space in spaces.iter().filter(|s| !s.locked && wanted.is_none_or(|w| w == s.id)) {
		let used = at
			.runtime_apis()
			.call(kmcc::runtime_apis().mail_api().attachments_in_space(space.id))
			.await?
			.iter()
			.map(|(_, offset, length)| offset + length)
			.max()
			.unwrap_or(0);
		let offset = used.div_ceil(ALIGN) * ALIGN;
		if offset + length <= u64::from(space.size_mib) << 20 {
			return Ok((space.id, offset));
		}
	}
	match wanted {
		Some(id) => bail!("space {id} is not yours, is locked, or has no room for {length} bytes"),
		None => bail!("no space of yours has room for {length} bytes: `kmcc space buy` one"),
	}
}

/// Opens `space` for raw (already encrypted) bytes as `pair`.
async fn raw_client(chain: &Chain, pair: Keypair, space: u64) -> Result<SpaceClient> {
	let layout = current_layout(chain, space).await?;
	if layout.locked {
		bail!("space {space} is locked (expired)");
	}
	Ok(SpaceClient::new(layout, Signer::Account(pair), None))
}

pub async fn mail(
	cli: &Cli,
	command: &MailCommand,
	wallet: impl Fn() -> Result<Wallet>,
) -> Result<()> {
	let out = cli.json;
	let tx = kmcc::transactions().mail();
	match command {
		MailCommand::Register { from, alias } => {
			let pair = wallet()?.account(from)?;
			let key = mail::mail_public(&pair.secret.to_bytes());
			let chain = Chain::connect(&cli.url).await?;
			let included = chain
				.submit(
					&tx.register_alias(alias.as_bytes().to_vec(), key),
					&Sr25519Signer(pair.clone()),
				)
				.await?;
			let e = included
				.events
				.find_first::<kmcc::mail::events::AliasRegistered>()
				.transpose()?
				.ok_or_else(|| anyhow!("no AliasRegistered event"))?;
			let account = ss58(pair.public.to_bytes());
			emit(
				out,
				json!({ "alias": alias, "account": account, "key": hex::encode(key), "deposit": e.deposit.to_string(), "block": included.block }),
				format!("{alias} is {account} (deposit {} held)", format_kmcc(e.deposit)),
			);
		}
		MailCommand::Key { account, secret } => {
			let pair = wallet()?.account(account)?;
			let public = hex::encode(mail::mail_public(&pair.secret.to_bytes()));
			let secret_key =
				secret.then(|| hex::encode(mail::mail_secret(&pair.secret.to_bytes()).to_bytes()));
			let text = match &secret_key {
				Some(s) => format!("public {public}\nsecret {s}"),
				None => public.clone(),
			};
			emit(out, json!({ "public": public, "secret": secret_key }), text);
		}
		MailCommand::Publish { from } => {
			let pair = wallet()?.account(from)?;
			let key = mail::mail_public(&pair.secret.to_bytes());
			let chain = Chain::connect(&cli.url).await?;
			let included =
				chain.submit(&tx.set_encryption_key(key), &Sr25519Signer(pair.clone())).await?;
			let account = ss58(pair.public.to_bytes());
			emit(
				out,
				json!({ "account": account, "key": hex::encode(key), "block": included.block }),
				format!("{account} receives mail at key {}", hex::encode(key)),
			);
		}
		MailCommand::Send { from, to, subject, body, attach, price, space, postage } => {
			let wallet = wallet()?;
			let pair = wallet.account(from)?;
			let chain = Chain::connect(&cli.url).await?;
			let (to_account, to_key, address) = recipient(&chain, &wallet, to).await?;
			let price = price.as_deref().map(parse_amount).transpose()?;
			if price == Some(0) {
				bail!("a paid attachment has a price above zero");
			}
			let mut envelope = Envelope {
				v: 1,
				from: ss58(pair.public.to_bytes()),
				subject: subject.clone(),
				body: body.clone(),
				attachment: None,
			};
			let mut attachment = None;
			let mut k2 = None;
			if let Some(file) = attach {
				let bytes = std::fs::read(file)
					.with_context(|| format!("cannot read {}", file.display()))?;
				let sealed =
					mail::seal_attachment(&pair.secret.to_bytes(), &bytes, price.is_some())?;
				let length = sealed.stored.len() as u64;
				let (space_id, offset) =
					place(&chain, pair.public.to_bytes(), *space, length).await?;
				let client = Arc::new(raw_client(&chain, pair.clone(), space_id).await?);
				crate::space_commands::write_pieces(client, offset, &sealed.stored).await?;
				envelope.attachment = Some(EnvelopeAttachment {
					name: file
						.file_name()
						.map(|n| n.to_string_lossy().into_owned())
						.unwrap_or_default(),
					size: bytes.len() as u64,
					k1: hex::encode(sealed.k1),
				});
				k2 = sealed.k2;
				attachment = Some(Attachment {
					space: space_id,
					offset,
					length,
					content_hash: H256(mail::content_hash(&sealed.stored)),
					terms: price.zip(sealed.k2).map(|(price, k2)| PaidTerms {
						price,
						key_commitment: H256(mail::key_commitment(&k2)),
					}),
				});
			}
			let sealed = mail::seal(&to_key, &envelope.encode())?;
			let at = chain.api().at_current_block().await?;
			let parameters =
				at.runtime_apis().call(kmcc::runtime_apis().mail_api().parameters()).await?;
			let postage = match postage {
				Some(p) => parse_amount(p)?,
				None => parameters.base_postage.max(address.settings.min_postage),
			};
			let attachment_json = attachment.as_ref().map(|a| {
				json!({
					"space": a.space, "offset": a.offset, "length": a.length,
					"contentHash": hex::encode(a.content_hash.0),
					"price": a.terms.as_ref().map(|t| t.price.to_string()),
					"keyCommitment": a.terms.as_ref().map(|t| hex::encode(t.key_commitment.0)),
				})
			});
			let attachment_text = attachment
				.as_ref()
				.map(|a| {
					format!(
						", attachment of {} bytes in space {} at {}",
						a.length, a.space, a.offset
					)
				})
				.unwrap_or_default();
			let ciphertext_bytes = sealed.len();
			let call =
				tx.send(Recipient::Account(AccountId32(to_account)), sealed, attachment, postage);
			let included = chain.submit(&call, &Sr25519Signer(pair)).await?;
			let e = included
				.events
				.find_first::<kmcc::mail::events::MessageSent>()
				.transpose()?
				.ok_or_else(|| anyhow!("no MessageSent event"))?;
			emit(
				out,
				json!({
					"id": e.id,
					"to": ss58(to_account),
					"postage": e.postage.to_string(),
					"deposit": e.deposit.to_string(),
					"ciphertextBytes": ciphertext_bytes,
					"attachment": attachment_json,
					"paid": k2.is_some(),
					"block": included.block,
				}),
				format!(
					"message {} sent to {} (postage {}, deposit {}){}",
					e.id,
					ss58(to_account),
					format_kmcc(e.postage),
					format_kmcc(e.deposit),
					attachment_text
				),
			);
		}
		MailCommand::Inbox { account } => {
			let pair = wallet()?.account(account)?;
			let chain = Chain::connect(&cli.url).await?;
			let at = chain.api().at_current_block().await?;
			let page = at
				.runtime_apis()
				.call(kmcc::runtime_apis().mail_api().mailbox(
					AccountId32(pair.public.to_bytes()),
					0,
					256,
				))
				.await?;
			let mut list = Vec::new();
			let mut lines = vec![format!("{} messages", page.total)];
			for view in &page.messages {
				let envelope = open_envelope(&pair, view).ok();
				let from = view
					.from_alias
					.as_ref()
					.map(|a| String::from_utf8_lossy(a).into_owned())
					.unwrap_or_else(|| ss58(view.from.0));
				lines.push(format!(
					"{}\t#{}\t{}\t{}{}",
					view.id,
					view.sent_at,
					from,
					envelope
						.as_ref()
						.map(|(e, _)| e.subject.as_str())
						.unwrap_or("(cannot decrypt)"),
					if view.attachment.is_some() { "\t[attachment]" } else { "" }
				));
				list.push(view_json(view, envelope.as_ref()));
			}
			emit(out, json!({ "total": page.total, "messages": list }), lines.join("\n"));
		}
		MailCommand::Read { account, id } => {
			let pair = wallet()?.account(account)?;
			let chain = Chain::connect(&cli.url).await?;
			let view = message(&chain, *id).await?;
			let envelope = open_envelope(&pair, &view)?;
			let (e, genuine) = &envelope;
			let mut text = format!(
				"From: {}{}\nSubject: {}\n\n{}",
				ss58(view.from.0),
				if *genuine { "" } else { " (FORGED: the envelope names another sender)" },
				e.subject,
				e.body
			);
			if let (Some(a), Some(stored)) = (&e.attachment, &view.attachment) {
				text.push_str(&format!(
					"\n\nAttachment: {} ({} bytes){}",
					a.name,
					a.size,
					stored
						.terms
						.as_ref()
						.map(|t| format!(", price {}", format_kmcc(t.price)))
						.unwrap_or_default()
				));
			}
			emit(out, view_json(&view, Some(&envelope)), text);
		}
		MailCommand::Delete { account, id } => {
			let signer = Sr25519Signer(wallet()?.account(account)?);
			let chain = Chain::connect(&cli.url).await?;
			let included = chain.submit(&tx.delete(*id), &signer).await?;
			let e = included
				.events
				.find_first::<kmcc::mail::events::MessageDeleted>()
				.transpose()?
				.ok_or_else(|| anyhow!("no MessageDeleted event"))?;
			emit(
				out,
				json!({ "id": id, "refunded": e.refunded.to_string(), "block": included.block }),
				format!("message {id} deleted; {} back to its sender", format_kmcc(e.refunded)),
			);
		}
		MailCommand::Block { account, sender, unblock } => {
			let wallet = wallet()?;
			let signer = Sr25519Signer(wallet.account(account)?);
			let chain = Chain::connect(&cli.url).await?;
			let sender = match recipient(&chain, &wallet, sender).await {
				Ok((account, _, _)) => account,
				Err(_) => wallet.resolve(sender)?,
			};
			let call_result = if *unblock {
				chain.submit(&tx.unblock_sender(AccountId32(sender)), &signer).await?
			} else {
				chain.submit(&tx.block_sender(AccountId32(sender)), &signer).await?
			};
			let verb = if *unblock { "unblocked" } else { "blocked" };
			emit(
				out,
				json!({ "sender": ss58(sender), "blocked": !unblock, "block": call_result.block }),
				format!("{verb} {}", ss58(sender)),
			);
		}
		MailCommand::MinPostage { account, amount } => {
			let signer = Sr25519Signer(wallet()?.account(account)?);
			let amount = parse_amount(amount)?;
			let chain = Chain::connect(&cli.url).await?;
			let included = chain.submit(&tx.set_min_postage(amount), &signer).await?;
			emit(
				out,
				json!({ "minPostage": amount.to_string(), "block": included.block }),
				format!("messages now need at least {} of postage", format_kmcc(amount)),
			);
		}
		MailCommand::Pay { account, id } => {
			let signer = Sr25519Signer(wallet()?.account(account)?);
			let chain = Chain::connect(&cli.url).await?;
			let included = chain.submit(&tx.pay_attachment(*id), &signer).await?;
			let e = included
				.events
				.find_first::<kmcc::mail::events::AttachmentPaid>()
				.transpose()?
				.ok_or_else(|| anyhow!("no AttachmentPaid event"))?;
			emit(
				out,
				json!({ "id": id, "amount": e.amount.to_string(), "deadline": e.deadline, "block": included.block }),
				format!(
					"paid {} into escrow for message {id}; the key is due by block {}",
					format_kmcc(e.amount),
					e.deadline
				),
			);
		}
		MailCommand::Deliver { from, id } => {
			let pair = wallet()?.account(from)?;
			let me = pair.public.to_bytes();
			let chain = Chain::connect(&cli.url).await?;
			let ids = match id {
				Some(id) => vec![*id],
				None => {
					let at = chain.api().at_current_block().await?;
					let spaces = at
						.runtime_apis()
						.call(kmcc::runtime_apis().storage_spaces_api().spaces_of(AccountId32(me)))
						.await?;
					let mut ids = Vec::new();
					for space in spaces {
						let held = at
							.runtime_apis()
							.call(kmcc::runtime_apis().mail_api().attachments_in_space(space.id))
							.await?;
						ids.extend(held.into_iter().map(|(id, _, _)| id));
					}
					ids
				}
			};
			let mut delivered = Vec::new();
			for id in ids {
				let view = message(&chain, id).await?;
				if view.from.0 != me {
					bail!("message {id} was not sent by {from}");
				}
				if !matches!(view.exchange, Some(Exchange::Paid { .. })) {
					continue;
				}
				let a = view
					.attachment
					.as_ref()
					.ok_or_else(|| anyhow!("message {id} has no attachment"))?;
				let client = raw_client(&chain, pair.clone(), a.space).await?;
				let head = client.read(a.offset, 24).await?;
				let nonce: [u8; 24] = head.try_into().map_err(|_| anyhow!("short read"))?;
				let key = mail::outer_key(&pair.secret.to_bytes(), &nonce);
				let commitment = a.terms.as_ref().map(|t| t.key_commitment.0);
				if commitment != Some(mail::key_commitment(&key)) {
					bail!("message {id}: this wallet did not encrypt its attachment (the key does not match the commitment)");
				}
				let included =
					chain.submit(&tx.deliver_key(id, key), &Sr25519Signer(pair.clone())).await?;
				let e = included
					.events
					.find_first::<kmcc::mail::events::KeyDelivered>()
					.transpose()?
					.ok_or_else(|| anyhow!("no KeyDelivered event"))?;
				delivered.push(
					json!({ "id": id, "amount": e.amount.to_string(), "block": included.block }),
				);
			}
			let text = format!("{} keys delivered", delivered.len());
			emit(out, json!({ "delivered": delivered }), text);
		}
		MailCommand::Refund { account, id } => {
			let signer = Sr25519Signer(wallet()?.account(account)?);
			let chain = Chain::connect(&cli.url).await?;
			let included = chain.submit(&tx.refund(*id), &signer).await?;
			let e = included
				.events
				.find_first::<kmcc::mail::events::AttachmentRefunded>()
				.transpose()?
				.ok_or_else(|| anyhow!("no AttachmentRefunded event"))?;
			emit(
				out,
				json!({ "id": id, "amount": e.amount.to_string(), "payer": ss58(e.payer.0), "block": included.block }),
				format!("{} refunded to {}", format_kmcc(e.amount), ss58(e.payer.0)),
			);
		}
		MailCommand::Fetch { account, id, out: file, check } => {
			let pair = wallet()?.account(account)?;
			let chain = Chain::connect(&cli.url).await?;
			let view = message(&chain, *id).await?;
			let a = view
				.attachment
				.as_ref()
				.ok_or_else(|| anyhow!("message {id} has no attachment"))?;
			let k2 = match (&a.terms, &view.exchange) {
				(None, _) => None,
				(Some(_), Some(Exchange::Delivered { key })) => Some(*key),
				(Some(_), _) if *check => None,
				(Some(t), _) => bail!(
					"the attachment costs {}: `kmcc mail pay`, then wait for the sender's key",
					format_kmcc(t.price)
				),
			};
			let client = raw_client(&chain, pair.clone(), a.space).await?;
			let stored = client.read(a.offset, a.length as usize).await?;
			if mail::content_hash(&stored) != a.content_hash.0 {
				bail!("the stored bytes do not match the message's content hash");
			}
			let Some(file) = file.as_ref().filter(|_| !check) else {
				emit(
					out,
					json!({ "id": id, "length": stored.len(), "contentHash": hex::encode(a.content_hash.0), "verified": true }),
					format!("{} stored bytes match the content hash", stored.len()),
				);
				return Ok(());
			};
			let (envelope, _) = open_envelope(&pair, &view)?;
			let k1 = envelope.k1()?;
			let inner = match k2 {
				Some(k2) => mail::unlayer(&k2, &stored)
					.context("the delivered key does not open the outer layer")?,
				None => stored,
			};
			let plain = mail::unlayer(&k1, &inner)
				.context("the envelope's key does not open the attachment")?;
			std::fs::write(file, &plain)
				.with_context(|| format!("cannot write {}", file.display()))?;
			emit(
				out,
				json!({ "id": id, "file": file.display().to_string(), "length": plain.len(), "contentHash": hex::encode(a.content_hash.0) }),
				format!("wrote {} bytes to {}", plain.len(), file.display()),
			);
		}
	}
	Ok(())
}
