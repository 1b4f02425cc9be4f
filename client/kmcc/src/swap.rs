//! Atomic swaps between two chains with `Htlc` (design §12): the swap terms and id as the
//! runtime computes them, the hash functions of a hashlock, the secrets a wallet derives, and
//! the chain queries `kmcc swap` needs (a swap's record, the secret a claim revealed).
//!
//! The protocol is the classic one (Bitcoin's atomic-swap tools): the initiator picks a
//! secret `s` and locks on chain A for the participant under `h = H(s)` until `T_A`; the
//! participant audits that lock, then locks on chain B for the initiator under the same `h`
//! until `T_B`, well before `T_A`; the initiator claims on B with `s`, which the claim's event
//! makes public; the participant reads `s` there and claims on A before `T_A`.

use crate::chain::{kmcc, Chain};
use anyhow::{anyhow, bail, Result};
use polkadot_sdk::sp_crypto_hashing::{blake2_256, keccak_256, sha2_256};
use subxt::utils::AccountId32;

use kmcc::runtime_types::pallet_htlc::types::{HashAlgorithm as ChainAlgorithm, SwapAsset};

/// The hash function of a hashlock (`pallet_htlc::HashAlgorithm`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashAlgorithm {
	/// SHA-256: Bitcoin's `OP_SHA256` and the common Ethereum HTLC contracts.
	Sha256,
	/// Keccak-256: Solidity's `keccak256`.
	Keccak256,
	/// BLAKE2b-256: Substrate's.
	Blake2_256,
}

impl HashAlgorithm {
	/// The value of the generated interface.
	pub fn to_chain(self) -> ChainAlgorithm {
		match self {
			HashAlgorithm::Sha256 => ChainAlgorithm::Sha256,
			HashAlgorithm::Keccak256 => ChainAlgorithm::Keccak256,
			HashAlgorithm::Blake2_256 => ChainAlgorithm::Blake2_256,
		}
	}

	/// From the generated interface.
	pub fn from_chain(algorithm: &ChainAlgorithm) -> Self {
		match algorithm {
			ChainAlgorithm::Sha256 => HashAlgorithm::Sha256,
			ChainAlgorithm::Keccak256 => HashAlgorithm::Keccak256,
			ChainAlgorithm::Blake2_256 => HashAlgorithm::Blake2_256,
		}
	}
}

/// The domain of swap ids (`pallet_htlc::SWAP_ID_CONTEXT`).
pub const SWAP_ID_CONTEXT: &[u8] = b"kmcc/htlc/v1";

/// Milliseconds per block of a KMCC chain: how `kmcc swap` compares expiries on two chains.
pub const MILLISECS_PER_BLOCK: u64 = 2_000;

/// Parses `sha256`, `keccak256` or `blake2-256`.
pub fn parse_algorithm(text: &str) -> Result<HashAlgorithm> {
	Ok(match text {
		"sha256" => HashAlgorithm::Sha256,
		"keccak256" => HashAlgorithm::Keccak256,
		"blake2-256" | "blake2_256" => HashAlgorithm::Blake2_256,
		_ => bail!("{text} is not a hash algorithm (sha256, keccak256 or blake2-256)"),
	})
}

/// The algorithm's name as `parse_algorithm` reads it.
pub fn algorithm_name(algorithm: HashAlgorithm) -> &'static str {
	match algorithm {
		HashAlgorithm::Sha256 => "sha256",
		HashAlgorithm::Keccak256 => "keccak256",
		HashAlgorithm::Blake2_256 => "blake2-256",
	}
}

/// `H(data)`.
pub fn digest(algorithm: HashAlgorithm, data: &[u8]) -> [u8; 32] {
	match algorithm {
		HashAlgorithm::Sha256 => sha2_256(data),
		HashAlgorithm::Keccak256 => keccak_256(data),
		HashAlgorithm::Blake2_256 => blake2_256(data),
	}
}

/// A swap's terms, as `htlc.lock` takes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Terms {
	pub sender: [u8; 32],
	pub recipient: [u8; 32],
	/// `None` for KMCC, else the `Assets` id.
	pub asset: Option<u32>,
	pub amount: u128,
	pub hashlock: [u8; 32],
	pub algorithm: HashAlgorithm,
	pub expiry: u32,
}

impl Terms {
	/// The SCALE encoding of `pallet_htlc::SwapTerms` in this runtime's types.
	pub fn encode(&self) -> Vec<u8> {
		let mut out = Vec::with_capacity(32 + 32 + 5 + 16 + 32 + 1 + 4);
		out.extend_from_slice(&self.sender);
		out.extend_from_slice(&self.recipient);
		match self.asset {
			None => out.push(0),
			Some(id) => {
				out.push(1);
				out.extend_from_slice(&id.to_le_bytes());
			}
		}
		out.extend_from_slice(&self.amount.to_le_bytes());
		out.extend_from_slice(&self.hashlock);
		out.push(match self.algorithm {
			HashAlgorithm::Sha256 => 0,
			HashAlgorithm::Keccak256 => 1,
			HashAlgorithm::Blake2_256 => 2,
		});
		out.extend_from_slice(&self.expiry.to_le_bytes());
		out
	}

	/// The swap's id: `blake2_256("kmcc/htlc/v1" ‖ SCALE(terms))`, as the runtime computes it.
	pub fn id(&self) -> [u8; 32] {
		let mut data = SWAP_ID_CONTEXT.to_vec();
		data.extend(self.encode());
		blake2_256(&data)
	}

	/// The asset as the generated interface encodes it.
	pub fn chain_asset(&self) -> SwapAsset<u32> {
		match self.asset {
			None => SwapAsset::Native,
			Some(id) => SwapAsset::Asset(id),
		}
	}
}

/// A secret derived from the wallet's swap seed and a public nonce:
/// `blake2_256("kmcc/swap/v1/secret" ‖ seed ‖ nonce)`. The wallet keeps only the nonce, so
/// the secret needs the wallet's password.
pub fn derive_secret(seed: &[u8; 32], nonce: &[u8; 16]) -> [u8; 32] {
	let mut data = b"kmcc/swap/v1/secret".to_vec();
	data.extend_from_slice(seed);
	data.extend_from_slice(nonce);
	blake2_256(&data)
}

/// An open swap as the chain stores it, with the block it was read at.
#[derive(Clone, Debug)]
pub struct OpenSwap {
	pub terms: Terms,
	pub locked_at: u32,
	pub deposit: u128,
	/// The finalized block the record was read at.
	pub read_at: u32,
}

impl OpenSwap {
	/// Blocks left before the swap expires (0 once it can be refunded).
	pub fn blocks_left(&self) -> u32 {
		self.terms.expiry.saturating_sub(self.read_at)
	}
}

/// Swap `id` at the last finalized block, if open.
pub async fn open_swap(chain: &Chain, id: [u8; 32]) -> Result<Option<OpenSwap>> {
	let at = chain.api().at_current_block().await?;
	let read_at = at.block_number() as u32;
	let entry = at.storage().entry(kmcc::storage().htlc().swaps())?;
	let Some(value) = entry.try_fetch((id,)).await? else { return Ok(None) };
	let swap = value.decode()?;
	let t = swap.terms;
	Ok(Some(OpenSwap {
		terms: Terms {
			sender: t.sender.0,
			recipient: t.recipient.0,
			asset: match t.asset {
				SwapAsset::Native => None,
				SwapAsset::Asset(id) => Some(id),
			},
			amount: t.amount,
			hashlock: t.hashlock,
			algorithm: HashAlgorithm::from_chain(&t.algorithm),
			expiry: t.expiry,
		},
		locked_at: swap.locked_at,
		deposit: swap.deposit,
		read_at,
	}))
}

/// A claim found on chain: the secret it revealed and where.
#[derive(Clone, Debug)]
pub struct FoundClaim {
	pub id: [u8; 32],
	pub recipient: [u8; 32],
	pub preimage: Vec<u8>,
	pub block: u32,
}

/// The first claim at or after block `from` that revealed a preimage of `hashlock` under
/// `algorithm`, searching the finalized blocks up to the head, then following new ones
/// until `deadline`. A claim event whose preimage does not hash to `hashlock` is skipped
/// (only the chain's own check matters, but the secret is checked before it is used).
pub async fn find_claim(
	chain: &Chain,
	hashlock: [u8; 32],
	algorithm: HashAlgorithm,
	from: u32,
	deadline: std::time::Instant,
) -> Result<FoundClaim> {
	let mut next = from.max(1);
	loop {
		let head = chain.finalized_number().await?;
		while next <= head {
			let at = chain.api().at_block(next).await?;
			let events = at.events().fetch().await?;
			for claim in events.find::<kmcc::htlc::events::Claimed>() {
				let claim = claim?;
				if claim.hashlock == hashlock && digest(algorithm, &claim.preimage.0) == hashlock {
					return Ok(FoundClaim {
						id: claim.id,
						recipient: claim.recipient.0,
						preimage: claim.preimage.0,
						block: next,
					});
				}
			}
			next += 1;
		}
		if std::time::Instant::now() >= deadline {
			bail!("no claim revealed a preimage of 0x{} up to block {head}", hex::encode(hashlock));
		}
		tokio::time::sleep(std::time::Duration::from_millis(MILLISECS_PER_BLOCK / 2)).await;
	}
}

/// The block number of a finalized block hash (as `Included::block` prints it).
pub async fn block_number(chain: &Chain, block: &str) -> Result<u32> {
	let bytes: [u8; 32] = hex::decode(block.trim_start_matches("0x"))
		.ok()
		.and_then(|b| b.try_into().ok())
		.ok_or_else(|| anyhow!("{block} is not a block hash"))?;
	let at = chain.api().at_block(subxt::utils::H256(bytes)).await?;
	Ok(at.block_number() as u32)
}

/// `who` as the generated interface's account id.
pub fn account(who: [u8; 32]) -> AccountId32 {
	AccountId32(who)
}

#[cfg(test)]
mod tests {
	use super::*;
	use pallet_htlc::{HashAlgorithm as Pallet, SwapAsset as PalletAsset, SwapTerms};

	fn pallet_algorithm(a: HashAlgorithm) -> Pallet {
		match a {
			HashAlgorithm::Sha256 => Pallet::Sha256,
			HashAlgorithm::Keccak256 => Pallet::Keccak256,
			HashAlgorithm::Blake2_256 => Pallet::Blake2_256,
		}
	}

	#[test]
	fn ids_and_hashlocks_match_the_pallet() {
		for (asset, algorithm) in [
			(None, HashAlgorithm::Sha256),
			(Some(7u32), HashAlgorithm::Keccak256),
			(Some(u32::MAX), HashAlgorithm::Blake2_256),
		] {
			let terms = Terms {
				sender: [1; 32],
				recipient: [2; 32],
				asset,
				amount: 123_456_789_000_000_000_000,
				hashlock: [3; 32],
				algorithm,
				expiry: 4_242,
			};
			let pallet_terms = SwapTerms::<[u8; 32], u32, u128, u32> {
				sender: [1; 32],
				recipient: [2; 32],
				asset: asset.map_or(PalletAsset::Native, PalletAsset::Asset),
				amount: terms.amount,
				hashlock: [3; 32],
				algorithm: pallet_algorithm(algorithm),
				expiry: 4_242,
			};
			assert_eq!(terms.id(), pallet_htlc::swap_id(&pallet_terms));
			let secret = b"a secret of any length";
			assert_eq!(digest(algorithm, secret), pallet_algorithm(algorithm).digest(secret));
		}
		// Any change of the terms changes the id.
		let base = Terms {
			sender: [1; 32],
			recipient: [2; 32],
			asset: None,
			amount: 1,
			hashlock: [3; 32],
			algorithm: HashAlgorithm::Sha256,
			expiry: 10,
		};
		let other = Terms { expiry: 11, ..base.clone() };
		assert_ne!(base.id(), other.id());
	}

	#[test]
	fn sha256_is_the_fips_function_bitcoin_uses() {
		// SHA-256("abc"), FIPS 180-2 appendix B.1.
		assert_eq!(
			hex::encode(digest(HashAlgorithm::Sha256, b"abc")),
			"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
		);
		// Keccak-256(""), Ethereum's empty hash.
		assert_eq!(
			hex::encode(digest(HashAlgorithm::Keccak256, b"")),
			"c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
		);
		for name in ["sha256", "keccak256", "blake2-256"] {
			assert_eq!(algorithm_name(parse_algorithm(name).unwrap()), name);
		}
		assert!(parse_algorithm("md5").is_err());
	}

	#[test]
	fn secrets_depend_on_seed_and_nonce() {
		let a = derive_secret(&[1; 32], &[0; 16]);
		assert_ne!(a, derive_secret(&[1; 32], &[1; 16]));
		assert_ne!(a, derive_secret(&[2; 32], &[0; 16]));
		assert_eq!(a, derive_secret(&[1; 32], &[0; 16]));
	}
}
