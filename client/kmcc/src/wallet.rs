//! The wallet directory: every secret is a polkadot.js keystore file under the wallet's
//! password, so each key also opens in polkadot.js apps.
//!
//! ```text
//! <wallet>/accounts/<name>.json     an account (keystore file)
//! <wallet>/stealth/view.json        the stealth view key (keystore file)
//! <wallet>/stealth/spend.json       the stealth spend key (keystore file)
//! <wallet>/stealth/scan.json        the scan position and the payments found (no secrets)
//! <wallet>/mix/seed.json            the seed of every mixing deposit key (keystore file)
//! <wallet>/mix/deposits.json        the mixing deposits made (no secrets)
//! ```

use crate::{
	address::{self, KMCC_SS58_PREFIX},
	keystore::{self, KeystoreFile, Meta},
};
use anyhow::{anyhow, bail, Context, Result};
use kmcc_privacy::{
	schnorrkel::{ExpansionMode, Keypair, MiniSecretKey},
	MetaAddress,
};
use serde::{Deserialize, Serialize};
use std::{
	fs,
	path::{Path, PathBuf},
};

/// A payment the scan found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundPayment {
	/// The announcement's id.
	pub id: u64,
	/// The block that announced it.
	pub block: u32,
	/// The one-time account (SS58).
	pub one_time: String,
	/// The soft-derivation chain code (hex) that derives its secret from the spend key.
	pub chain_code: String,
}

/// Where the scan stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanState {
	/// The next announcement id to read.
	pub next_id: u64,
	/// Every payment found so far.
	pub found: Vec<FoundPayment>,
}

/// The stealth keys of a wallet.
pub struct StealthKeys {
	/// The view key: finds payments.
	pub view: Keypair,
	/// The spend key: spends them.
	pub spend: Keypair,
}

impl StealthKeys {
	/// The meta-address senders pay.
	pub fn meta_address(&self) -> MetaAddress {
		MetaAddress { view: self.view.public.to_bytes(), spend: self.spend.public.to_bytes() }
	}
}

/// A swap this wallet initiated: the secret is `derive_secret(swap_seed, nonce)`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SwapRecord {
	/// `H(secret)`, hex.
	pub hashlock: String,
	/// The algorithm's name (`sha256`, `keccak256`, `blake2-256`).
	pub algorithm: String,
	/// The nonce the secret derives from, hex.
	pub nonce: String,
	/// The swap's id on the initiator's chain, hex.
	pub id: String,
	/// That chain's genesis hash, hex.
	pub chain: String,
}

/// A wallet directory and its password.
pub struct Wallet {
	dir: PathBuf,
	password: String,
}

/// A fresh random sr25519 key (a random 32-byte seed expanded as `sp_core` does).
pub fn random_keypair() -> Keypair {
	let mut seed = [0u8; 32];
	rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut seed);
	MiniSecretKey::from_bytes(&seed)
		.expect("32 bytes are a mini secret key")
		.expand_to_keypair(ExpansionMode::Ed25519)
}

fn now_ms() -> u64 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_millis() as u64)
		.unwrap_or_default()
}

fn valid_name(name: &str) -> Result<()> {
	if name.is_empty()
		|| name.len() > 64
		|| !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
	{
		bail!("account names are 1–64 characters of a–z, A–Z, 0–9, '-' and '_'");
	}
	Ok(())
}

impl Wallet {
	/// Opens (or creates) the wallet at `dir`.
	pub fn open(dir: PathBuf, password: String) -> Result<Self> {
		fs::create_dir_all(dir.join("accounts"))
			.and_then(|_| fs::create_dir_all(dir.join("stealth")))
			.and_then(|_| fs::create_dir_all(dir.join("mix")))
			.and_then(|_| fs::create_dir_all(dir.join("swaps")))
			.with_context(|| format!("cannot create the wallet directory {}", dir.display()))?;
		Ok(Wallet { dir, password })
	}

	fn write_json(path: &Path, value: &impl Serialize) -> Result<()> {
		let text = serde_json::to_string_pretty(value)?;
		let temporary = path.with_extension("json.tmp");
		fs::write(&temporary, text)
			.and_then(|_| fs::rename(&temporary, path))
			.with_context(|| format!("cannot write {}", path.display()))?;
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
		}
		Ok(())
	}

	fn read_keystore(path: &Path) -> Result<KeystoreFile> {
		let text =
			fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
		Ok(serde_json::from_str(&text)?)
	}

	/// The keystore file of `pair` named `name`, under this wallet's password.
	pub fn keystore_file(&self, pair: &Keypair, name: &str) -> KeystoreFile {
		keystore::encrypt(
			&pair.secret,
			address::encode(&pair.public.to_bytes(), KMCC_SS58_PREFIX),
			&self.password,
			Meta { name: name.into(), when_created: now_ms(), genesis_hash: String::new() },
		)
	}

	fn open_keystore(&self, path: &Path) -> Result<Keypair> {
		keystore::decrypt(&Self::read_keystore(path)?, &self.password)
			.with_context(|| format!("cannot open {}", path.display()))
	}

	/// Stores `pair` as the account `name` (refuses to overwrite).
	pub fn add_account(&self, name: &str, pair: &Keypair) -> Result<String> {
		valid_name(name)?;
		let path = self.dir.join("accounts").join(format!("{name}.json"));
		if path.exists() {
			bail!("the wallet already has an account named {name}");
		}
		let file = self.keystore_file(pair, name);
		Self::write_json(&path, &file)?;
		Ok(file.address)
	}

	/// The accounts: `(name, address)`, by name.
	pub fn accounts(&self) -> Result<Vec<(String, String)>> {
		let mut accounts = Vec::new();
		for entry in fs::read_dir(self.dir.join("accounts"))? {
			let path = entry?.path();
			if path.extension().is_some_and(|e| e == "json") {
				let name = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
				accounts.push((name, Self::read_keystore(&path)?.address));
			}
		}
		accounts.sort();
		Ok(accounts)
	}

	/// The key of the account `name`.
	pub fn account(&self, name: &str) -> Result<Keypair> {
		valid_name(name)?;
		let path = self.dir.join("accounts").join(format!("{name}.json"));
		if !path.exists() {
			bail!("the wallet has no account named {name} (`kmcc account list`)");
		}
		self.open_keystore(&path)
	}

	/// An account of this wallet by name, or any SS58 address: the 32-byte account id.
	pub fn resolve(&self, name_or_address: &str) -> Result<[u8; 32]> {
		if let Ok((public, _)) = address::decode(name_or_address) {
			return Ok(public);
		}
		let accounts = self.accounts()?;
		let (_, address) = accounts
			.iter()
			.find(|(name, _)| name == name_or_address)
			.ok_or_else(|| anyhow!("{name_or_address} is neither an address nor an account"))?;
		Ok(address::decode(address).map_err(|e| anyhow!("{e}"))?.0)
	}

	/// Creates the stealth keys (refuses to replace existing ones).
	pub fn create_stealth_keys(&self) -> Result<StealthKeys> {
		let view_path = self.dir.join("stealth/view.json");
		if view_path.exists() {
			bail!("the wallet already has stealth keys");
		}
		let keys = StealthKeys { view: random_keypair(), spend: random_keypair() };
		Self::write_json(
			&self.dir.join("stealth/spend.json"),
			&self.keystore_file(&keys.spend, "stealth spend key"),
		)?;
		Self::write_json(&view_path, &self.keystore_file(&keys.view, "stealth view key"))?;
		Ok(keys)
	}

	/// The view key only (what scanning needs).
	pub fn stealth_view(&self) -> Result<(Keypair, [u8; 32])> {
		let view = self
			.open_keystore(&self.dir.join("stealth/view.json"))
			.context("no stealth keys in this wallet (`kmcc stealth keygen`)")?;
		let spend_file = Self::read_keystore(&self.dir.join("stealth/spend.json"))?;
		let (spend_public, _) = address::decode(&spend_file.address).map_err(|e| anyhow!("{e}"))?;
		Ok((view, spend_public))
	}

	/// Both stealth keys.
	pub fn stealth_keys(&self) -> Result<StealthKeys> {
		let (view, _) = self.stealth_view()?;
		let spend = self.open_keystore(&self.dir.join("stealth/spend.json"))?;
		Ok(StealthKeys { view, spend })
	}

	/// Where the scan stands.
	pub fn scan_state(&self) -> Result<ScanState> {
		let path = self.dir.join("stealth/scan.json");
		if !path.exists() {
			return Ok(ScanState::default());
		}
		Ok(serde_json::from_str(&fs::read_to_string(&path)?)?)
	}

	/// Records where the scan stands.
	pub fn save_scan_state(&self, state: &ScanState) -> Result<()> {
		Self::write_json(&self.dir.join("stealth/scan.json"), state)
	}

	/// The mixing seed (created on first use): every deposit key derives from it.
	pub fn mix_seed(&self) -> Result<[u8; 32]> {
		let path = self.dir.join("mix/seed.json");
		let pair = if path.exists() {
			self.open_keystore(&path)?
		} else {
			let pair = random_keypair();
			Self::write_json(&path, &self.keystore_file(&pair, "mixing seed"))?;
			pair
		};
		let mut hasher = blake2::Blake2b::<blake2::digest::consts::U32>::default();
		blake2::Digest::update(&mut hasher, b"kmcc/mix/v1/wallet-seed");
		blake2::Digest::update(&mut hasher, pair.secret.to_bytes());
		Ok(blake2::Digest::finalize(hasher).into())
	}

	/// The swap seed (created on first use): every swap secret derives from it
	/// ([`crate::swap::derive_secret`]).
	pub fn swap_seed(&self) -> Result<[u8; 32]> {
		let path = self.dir.join("swaps/seed.json");
		let pair = if path.exists() {
			self.open_keystore(&path)?
		} else {
			let pair = random_keypair();
			Self::write_json(&path, &self.keystore_file(&pair, "swap seed"))?;
			pair
		};
		Ok(polkadot_sdk::sp_crypto_hashing::blake2_256(
			&[&b"kmcc/swap/v1/wallet-seed"[..], &pair.secret.to_bytes()[..]].concat(),
		))
	}

	/// Records a swap this wallet initiated, by hashlock (the nonce its secret derives from).
	pub fn save_swap(&self, record: &SwapRecord) -> Result<()> {
		Self::write_json(&self.dir.join(format!("swaps/{}.json", record.hashlock)), record)
	}

	/// The swap this wallet initiated under `hashlock` (hex), if any.
	pub fn swap(&self, hashlock: &str) -> Result<Option<SwapRecord>> {
		let path = self.dir.join(format!("swaps/{hashlock}.json"));
		if !path.exists() {
			return Ok(None);
		}
		Ok(Some(serde_json::from_str(&fs::read_to_string(&path)?)?))
	}

	/// The mixing deposits made.
	pub fn deposits(&self) -> Result<crate::mix::Deposits> {
		let path = self.dir.join("mix/deposits.json");
		if !path.exists() {
			return Ok(Default::default());
		}
		Ok(serde_json::from_str(&fs::read_to_string(&path)?)?)
	}

	/// Records the mixing deposits.
	pub fn save_deposits(&self, deposits: &crate::mix::Deposits) -> Result<()> {
		Self::write_json(&self.dir.join("mix/deposits.json"), deposits)
	}
}
