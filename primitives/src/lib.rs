//! # KMCC primitives
//!
//! Types and units shared by `kmcc-runtime`, `kmcc-node`, the pallets and client tools
//! (design §1). Keeping them here means a wallet tool and the runtime can never disagree on
//! what one KMCC is or how long a block lasts.
//!
//! - [`Balance`] is `u128` planck; one KMCC is 10^18 planck (Ethereum-compatible, design §1).
//! - [`AccountId`] is `AccountId32`, signed with a [`Signature`] (`MultiSignature`: sr25519,
//!   ed25519 or ecdsa).
//! - Time is measured in blocks of [`MILLISECS_PER_BLOCK`] = 2 s (KOMA's 1–2 s blocks).

#![cfg_attr(not(feature = "std"), no_std)]

use polkadot_sdk::sp_runtime::{
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiSignature,
};

/// An index to a block.
pub type BlockNumber = u32;

/// Alias to 512-bit hash when used in the context of a transaction signature on the chain.
pub type Signature = MultiSignature;

/// Some way of identifying an account on the chain: the 32-byte public key (or its hash)
/// behind a [`Signature`].
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// Balance of an account, in planck (10^-18 KMCC).
pub type Balance = u128;

/// Index of a transaction in the chain (account nonce).
pub type Nonce = u32;

/// A hash of some data used by the chain.
pub type Hash = polkadot_sdk::sp_core::H256;

/// The hashing algorithm used by the chain.
pub type Hashing = BlakeTwo256;

/// Units of the KMCC token.
pub mod currency {
	use super::Balance;

	/// Number of decimals of KMCC (design §1: Ethereum-compatible).
	pub const DECIMALS: u8 = 18;
	/// The token symbol shown by wallets.
	pub const TOKEN_SYMBOL: &str = "KMCC";
	/// One KMCC in planck.
	pub const KMCC: Balance = 1_000_000_000_000_000_000;
	/// 10^-3 KMCC.
	pub const MILLI_KMCC: Balance = KMCC / 1_000;
	/// 10^-6 KMCC.
	pub const MICRO_KMCC: Balance = KMCC / 1_000_000;
	/// One million KMCC, the unit of the genesis allocation table (design §2).
	pub const MILLION_KMCC: Balance = 1_000_000 * KMCC;

	/// Smallest balance an account may hold; below it the account is reaped. 0.001 KMCC
	/// keeps dust accounts out of state while staying far below any transfer worth making.
	pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_KMCC;
}

/// Identifiers of the well-known pallet accounts (`PalletId`s; the account is
/// `"modl" ++ id` padded with zeros, as `AccountIdConversion::into_account_truncating` makes it).
pub mod pallet_ids {
	/// The masternode reward pot: 45 % of each block's emission until the masternode pallet
	/// pays it out (design §2, §4).
	pub const MASTERNODE_REWARD_POT: [u8; 8] = *b"kmcc/mnp";
	/// The storage landlord subsidy pool: 20 % of each block's emission, which seeds the
	/// storage price curve (design §2, §5).
	pub const STORAGE_SUBSIDY_POOL: [u8; 8] = *b"kmcc/ssp";
	/// The DPoS reward pot: lessors' shares of block rewards and fees until they are paid
	/// (design §3).
	pub const DPOS_REWARD_POT: [u8; 8] = *b"kmcc/dps";
}

/// Block time and calendar units, measured in blocks.
pub mod time {
	use super::BlockNumber;

	/// Target block time (design §1, KOMA: 1–2 s blocks). Changing it on a live chain breaks
	/// slot calculation: it is fixed for the life of a network.
	pub const MILLISECS_PER_BLOCK: u64 = 2_000;
	/// Aura slot duration: one block per slot.
	pub const SLOT_DURATION: u64 = MILLISECS_PER_BLOCK;

	/// Blocks per minute.
	pub const MINUTES: BlockNumber = 60_000 / (MILLISECS_PER_BLOCK as BlockNumber);
	/// Blocks per hour.
	pub const HOURS: BlockNumber = MINUTES * 60;
	/// Blocks per day.
	pub const DAYS: BlockNumber = HOURS * 24;
	/// Blocks per month, a month being 30.4375 days (365.25 / 12, design §2):
	/// 2,629,800 s = 1,314,900 blocks.
	pub const MONTHS: BlockNumber = (2_629_800_000 / MILLISECS_PER_BLOCK) as BlockNumber;
}

/// Accounts of the load-generation chains (`kmcc-node --chain bench` / `bench-local`) and
/// of `kmcc-bench`, which signs from them without funding them first.
///
/// Account `i` is the sr25519 key `"<dev phrase>//kmcc-bench//<i>"`: the Substrate dev
/// phrase (`bottom drive obey lake …`, the root of `//Alice`) with two hard junctions. Any
/// wallet can derive it, e.g. polkadot.js `//kmcc-bench//0` on the dev phrase. Test
/// networks only: the dev phrase is public.
#[cfg(feature = "std")]
pub mod bench_accounts {
	use super::{currency::KMCC, AccountId, Balance};
	use polkadot_sdk::sp_core::{
		crypto::{DeriveJunction, Pair as _, DEV_PHRASE},
		sr25519,
	};

	/// Accounts endowed by the bench chains.
	pub const BENCH_ACCOUNT_COUNT: u32 = 10_000;

	/// Balance of each bench account: 10,000 accounts hold 100 M KMCC, within the 5 B cap.
	pub const BENCH_ENDOWMENT: Balance = 10_000 * KMCC;

	/// First hard junction of every bench account's derivation path.
	pub const BENCH_JUNCTION: &str = "kmcc-bench";

	/// The root all bench keys derive from (the dev phrase, no password).
	pub fn bench_root() -> sr25519::Pair {
		sr25519::Pair::from_phrase(DEV_PHRASE, None)
			.map(|(pair, _)| pair)
			.unwrap_or_else(|e| panic!("the dev phrase is a valid BIP-39 phrase: {e:?}"))
	}

	/// Key pair of bench account `index`, derived from `root` ([`bench_root`]).
	pub fn bench_pair(root: &sr25519::Pair, index: u32) -> sr25519::Pair {
		// A SURI's numeric junction is a `u64` (`//1`), a text junction a SCALE string.
		let path = [DeriveJunction::hard(BENCH_JUNCTION), DeriveJunction::hard(u64::from(index))];
		root.derive(path.into_iter(), None)
			.map(|(pair, _)| pair)
			.unwrap_or_else(|_| panic!("hard sr25519 derivation cannot fail"))
	}

	/// The first `count` bench accounts.
	pub fn bench_accounts(count: u32) -> Vec<AccountId> {
		let root = bench_root();
		(0..count).map(|i| bench_pair(&root, i).public().into()).collect()
	}
}

#[cfg(test)]
mod tests {
	use super::{currency::*, time::*};

	#[test]
	fn calendar_units_match_the_spec() {
		assert_eq!(MINUTES, 30);
		assert_eq!(DAYS, 43_200);
		assert_eq!(MONTHS, 1_314_900);
		// 24 months of 30.4375 days is exactly two years of 365.25 days.
		assert_eq!(u64::from(24 * MONTHS) * MILLISECS_PER_BLOCK, 2 * 31_557_600_000);
	}

	#[test]
	fn bench_accounts_follow_the_documented_path() {
		use super::bench_accounts::*;
		use polkadot_sdk::sp_core::{crypto::Pair as _, sr25519};
		let accounts = bench_accounts(3);
		// The same key as a wallet deriving the documented SURI.
		let (by_uri, _) =
			sr25519::Pair::from_string_with_seed("//kmcc-bench//1", None).expect("valid SURI");
		assert_eq!(accounts[1], super::AccountId::from(by_uri.public()));
		assert_ne!(accounts[0], accounts[1]);
		assert_eq!(accounts[2], bench_pair(&bench_root(), 2).public().into());
	}

	#[test]
	fn token_units() {
		assert_eq!(KMCC, 10u128.pow(DECIMALS as u32));
		assert_eq!(MILLION_KMCC * 500, 500_000_000 * KMCC);
	}
}

/// Funds that no hold, freeze or lock claims: what a new hold (collateral, a deposit) may
/// take, so that one balance never backs two commitments.
///
/// `pallet-balances` lets holds and freezes overlap (a freeze applies to free plus held
/// funds, and `hold` may take frozen funds). The pallets of this chain check
/// [`funds::unencumbered`] before every hold instead, so a planck leased to a DPoS candidate
/// (frozen) is never also a masternode's or a landlord's collateral (held).
pub mod funds {
	use super::Balance;

	/// The frozen part of an account's balance: the largest of its freezes and locks (they
	/// overlap each other).
	pub trait FrozenBalance<AccountId> {
		/// Frozen balance of `who`.
		fn frozen(who: &AccountId) -> Balance;
		/// What `who` may put on hold: [`unencumbered`] of its free balance, its frozen
		/// balance and the existential deposit.
		fn unencumbered(who: &AccountId) -> Balance;
	}

	/// `free − max(frozen, existential deposit)`: the free balance that no freeze or lock
	/// claims, keeping the account alive. Held funds are not in `free`.
	pub fn unencumbered(free: Balance, frozen: Balance, existential_deposit: Balance) -> Balance {
		free.saturating_sub(frozen.max(existential_deposit))
	}

	/// [`FrozenBalance`] of `pallet-balances` accounts stored in `frame_system`.
	#[cfg(feature = "balances")]
	pub struct SystemAccountFrozen<T>(core::marker::PhantomData<T>);

	#[cfg(feature = "balances")]
	impl<T> FrozenBalance<T::AccountId> for SystemAccountFrozen<T>
	where
		T: polkadot_sdk::frame_system::Config<
				AccountData = polkadot_sdk::pallet_balances::AccountData<Balance>,
			> + polkadot_sdk::pallet_balances::Config<Balance = Balance>,
	{
		fn frozen(who: &T::AccountId) -> Balance {
			polkadot_sdk::frame_system::Account::<T>::get(who).data.frozen
		}
		fn unencumbered(who: &T::AccountId) -> Balance {
			use polkadot_sdk::sp_core::Get;
			let data = polkadot_sdk::frame_system::Account::<T>::get(who).data;
			unencumbered(data.free, data.frozen, T::ExistentialDeposit::get())
		}
	}

	#[cfg(test)]
	mod tests {
		use super::unencumbered;

		#[test]
		fn unencumbered_never_reaches_into_frozen_funds_or_the_existential_deposit() {
			assert_eq!(unencumbered(1_000, 0, 1), 999);
			assert_eq!(unencumbered(1_000, 400, 1), 600);
			assert_eq!(unencumbered(1_000, 1_000, 1), 0);
			assert_eq!(unencumbered(1_000, 5_000, 1), 0);
			assert_eq!(unencumbered(0, 0, 1), 0);
		}
	}
}

/// What one privacy pallet needs of another, without importing it.
pub mod privacy {
	use polkadot_sdk::sp_runtime::DispatchResult;

	/// Records stealth announcements for payments another pallet makes (the mixer paying a
	/// withdrawal to a one-time account), so the recipient's wallet scan finds them.
	pub trait StealthAnnouncer<AccountId> {
		/// Whether an announcement of `one_time` with the ephemeral key `ephemeral` would be
		/// recorded now (valid key, new account, room in this block's page).
		fn can_announce(one_time: &AccountId, ephemeral: &[u8; 32]) -> DispatchResult;
		/// Records it, as made by `by`.
		fn announce(
			by: AccountId,
			one_time: AccountId,
			ephemeral: [u8; 32],
			view_tag: u8,
		) -> DispatchResult;
	}

	/// No stealth pallet: every announcement is refused.
	impl<AccountId> StealthAnnouncer<AccountId> for () {
		fn can_announce(_: &AccountId, _: &[u8; 32]) -> DispatchResult {
			Err(polkadot_sdk::sp_runtime::DispatchError::Other("no stealth announcements"))
		}
		fn announce(_: AccountId, _: AccountId, _: [u8; 32], _: u8) -> DispatchResult {
			Err(polkadot_sdk::sp_runtime::DispatchError::Other("no stealth announcements"))
		}
	}
}

/// What the mail pallet needs of the storage market, without importing it.
pub mod storage {
	use polkadot_sdk::sp_runtime::DispatchResult;

	/// Identifier of a rented space.
	pub type SpaceId = u64;

	/// Read access to rented spaces, granted by their owners (a mail attachment lives in the
	/// sender's space and its recipient reads it there).
	pub trait SpaceReadAccess<AccountId> {
		/// The owner of `space` and its size in bytes, if it exists.
		fn space(space: SpaceId) -> Option<(AccountId, u64)>;
		/// Whether `who` may read `space` (its owner, or granted read or write access).
		fn can_read(space: SpaceId, who: &AccountId) -> bool;
		/// `owner` grants `who` read access to `space` (an existing grant is kept as it is).
		fn grant_read(owner: &AccountId, space: SpaceId, who: &AccountId) -> DispatchResult;
		/// `owner` revokes the access of `who` to `space`.
		fn revoke(owner: &AccountId, space: SpaceId, who: &AccountId) -> DispatchResult;
	}
}

/// Helpers for the pallets' invariant checks (`try_state`, run after every mock test).
pub mod invariants {
	use polkadot_sdk::sp_runtime::TryRuntimeError;

	/// A broken invariant, named by `message`.
	pub fn bad(message: &'static str) -> TryRuntimeError {
		TryRuntimeError::Other(message)
	}

	/// `Ok` if `condition` holds, else the invariant `message` is broken.
	pub fn check(condition: bool, message: &'static str) -> Result<(), TryRuntimeError> {
		if condition {
			Ok(())
		} else {
			Err(bad(message))
		}
	}
}
