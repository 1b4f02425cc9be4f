//! # KMCC privacy primitives
//!
//! Stealth (one-time) accounts over ristretto255, the group sr25519 uses, shared by the runtime
//! and the `kmcc` wallet so the byte formats cannot diverge.
//!
//! ## The scheme
//!
//! A recipient publishes a **meta-address** `(A, B)`: a view key `A = a·G` and a spend key
//! `B = b·G`, both ordinary sr25519 public keys. To pay it, a sender picks a fresh scalar `r`
//! and, for output index `i` (0 for a single payment):
//!
//! ```text
//! R   = r·G                                         ephemeral key, announced
//! S   = r·A                                         shared point (the recipient: S = a·R)
//! cc  = blake2b-256("kmcc/stealth/v1/chain-code" ‖ S ‖ i)
//! tag = blake2b-256("kmcc/stealth/v1/view-tag"   ‖ S ‖ i)[0]
//! P   = B.derive(Soft(cc))                           = B + h·G,
//!       h = the sr25519 soft-derivation scalar of (cc, B) (schnorrkel's `derived_key_simple`)
//! ```
//!
//! `S` is the 32-byte compressed point and `i` four little-endian bytes. `P` is the one-time
//! account (an ordinary `AccountId32`); the payment announces `(R, P, tag)`. The recipient's
//! wallet computes `S = a·R` for every announcement, skips it unless the tag matches (255 of
//! 256 others are skipped after one hash), and otherwise derives `P` and compares. Only the
//! view secret `a` is needed to find payments. The one-time secret is the spend key's soft
//! derivation, `x = b + h`, so `x·G = P`: signatures made with it verify as sr25519 signatures
//! of `P` and the account signs ordinary extrinsics. It is also what any Substrate wallet
//! reaches from the spend key with the soft derivation path `/0x<cc>`.
//!
//! Two payments to the same meta-address use different `r`, so their `R`, `S`, `cc` and `P`
//! are unrelated to an observer: without `a` nobody can link them to each other or to `(A, B)`.
//! Amounts and the sender stay public.
//!
//! ## Byte formats
//!
//! - Keys and points: 32-byte compressed ristretto255 (sr25519 public keys).
//! - Meta-address string: `"kmst"` followed by base58 of `0x01 ‖ A ‖ B ‖ checksum`, with
//!   `checksum = blake2b-256("kmcc/stealth/v1/meta-address" ‖ 0x01 ‖ A ‖ B)[0..4]`.
//! - One-time secret key: schnorrkel's 64-byte `key ‖ nonce`, with the nonce
//!   `blake2b-256("kmcc/stealth/v1/nonce" ‖ key)` so an export is deterministic.
//!
//! [`ring`] has the linkable ring signatures (bLSAG) the mixing pool builds on, and [`mixer`]
//! the pool's withdrawal message and deposit-key derivation.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod mixer;
pub mod ring;
pub mod stealth;

/// The sr25519 implementation the scheme builds on, for wallets that hold the keys.
pub use schnorrkel;

pub use stealth::*;
