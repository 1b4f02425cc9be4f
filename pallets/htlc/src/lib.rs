//! # Hash-time-locked swaps
//!
//! design §12 (Komandor 3.4.1, hash locking): two parties exchange funds on two chains
//! without trusting each other or a third party. Each chain holds one side's funds under the
//! same hashlock `h = H(s)`; whoever learns the secret `s` before the lock expires can pay
//! the funds to their recipient, and after expiry the sender takes them back.
//!
//! ## The protocol (two chains A and B)
//!
//! 1. Alice picks a secret `s` and locks on A for Bob: `lock(Bob, a, H(s), H, T_A)`.
//! 2. Bob audits Alice's swap on A and locks on B for Alice with the same `h` and an earlier
//!    expiry: `lock(Alice, b, h, H, T_B)`, `T_B < T_A`.
//! 3. Alice claims on B with `s`, before `T_B`. The claim's event reveals `s`.
//! 4. Bob (or his watcher) reads `s` from that event and claims on A, before `T_A`.
//!
//! If Bob never locks, Alice refunds on A after `T_A`; if Alice never claims, Bob refunds on
//! B after `T_B` and Alice after `T_A`. The gap `T_A − T_B` is Bob's time to claim after
//! Alice revealed `s`. `H = sha256` pairs with Bitcoin's `OP_SHA256` scripts and the usual
//! Ethereum HTLC contracts; `keccak256` and `blake2_256` are also accepted.
//!
//! ## Rules
//!
//! - [`Pallet::lock`] takes the terms `(recipient, asset, amount, hashlock, algorithm,
//!   expiry)`. KMCC is put on hold on the sender's account ([`HoldReason::Swap`]); asset units
//!   move to the pallet's escrow account ([`Config::PalletId`]). The record's deposit
//!   ([`Config::SwapDeposit`], KMCC) is held as [`HoldReason::SwapRecord`]. Neither hold takes
//!   funds a freeze or lock claims ([`Config::Frozen`]). The expiry is a block number with
//!   `now + MinLockPeriod ≤ expiry ≤ now + MaxLockPeriod`.
//! - The swap's id is `blake2_256("kmcc/htlc/v1" ‖ SCALE(terms))`, the terms including the sender ([`swap_id`]): the
//!   counterparty computes it from the agreed terms, and the same terms cannot be open twice.
//! - [`Pallet::claim`] with `s`, `|s| ≤ MaxPreimageLen`, while `now < expiry` and
//!   `H(s) = h`, pays the amount to the recipient. Anyone may submit it (a recipient without
//!   KMCC for fees can have it relayed); the funds only ever go to the recipient.
//! - [`Pallet::refund`] at `now ≥ expiry` returns the amount to the sender. Anyone may submit
//!   it; the funds only ever go to the sender.
//! - Either ends the swap: the record is removed and its deposit released.
//!
//! ## Accounting
//!
//! For every account, its `Swap` hold equals the sum of its open KMCC swaps, and its
//! `SwapRecord` hold the sum of its open swaps' deposits; for every asset, the escrow
//! account's balance equals the sum of the open swaps of that asset (more only if someone
//! transfers units to it directly). Total issuance never changes: funds move between the
//! sender, the escrow and the recipient.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(any(test, feature = "try-runtime"))]
mod invariants;
mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use kmcc_primitives::Balance;
use polkadot_sdk::{
	frame_support::traits::fungibles, frame_system::pallet_prelude::BlockNumberFor,
};

/// The asset ids of [`Config::Assets`].
pub type AssetIdOf<T> = <<T as Config>::Assets as fungibles::Inspect<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
>>::AssetId;

/// A swap's terms in this runtime's types.
pub type SwapTermsOf<T> = SwapTerms<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
	AssetIdOf<T>,
	Balance,
	BlockNumberFor<T>,
>;

/// A stored swap in this runtime's types.
pub type SwapOf<T> = Swap<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
	AssetIdOf<T>,
	Balance,
	BlockNumberFor<T>,
>;

/// Creates and funds an asset for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, AssetId> {
	/// An existing asset in which `who` holds `amount` units (creating both if needed).
	fn funded_asset(who: &AccountId, amount: Balance) -> AssetId;
}

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use kmcc_primitives::funds::FrozenBalance;
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::{
				fungible::{Inspect, InspectHold, Mutate, MutateHold},
				fungibles::{Inspect as _, Mutate as _},
				tokens::{
					DepositConsequence, Fortitude, Precision, Preservation, Provenance, Restriction,
				},
			},
			PalletId,
		},
		frame_system::{self, pallet_prelude::*},
		sp_runtime::traits::{AccountIdConversion, Saturating, Zero},
	};

	/// The in-code storage version.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds KMCC.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// KMCC locked in open swaps, held on the sender's account.
		#[codec(index = 0)]
		Swap,
		/// The deposits of the sender's open swap records.
		#[codec(index = 1)]
		SwapRecord,
	}

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The KMCC currency.
		type Currency: Mutate<Self::AccountId, Balance = Balance>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ InspectHold<Self::AccountId, Balance = Balance>;

		/// Third-party assets a swap may lock (`pallet-assets`).
		type Assets: fungibles::Mutate<Self::AccountId, Balance = Balance>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The frozen part of an account's KMCC: swaps and their deposits are held only from
		/// funds no freeze or lock claims.
		type Frozen: FrozenBalance<Self::AccountId>;

		/// Derives the escrow account that keeps the asset units of open swaps.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Longest secret a claim may reveal, in bytes (a 32-byte secret is the usual).
		#[pallet::constant]
		type MaxPreimageLen: Get<u32>;

		/// Shortest time between the lock and the expiry, in blocks: the recipient's time to
		/// see the lock and claim.
		#[pallet::constant]
		type MinLockPeriod: Get<BlockNumberFor<Self>>;

		/// Longest time between the lock and the expiry, in blocks: how long funds can be
		/// tied up (and a record kept).
		#[pallet::constant]
		type MaxLockPeriod: Get<BlockNumberFor<Self>>;

		/// KMCC held from the sender while its swap's record is stored.
		#[pallet::constant]
		type SwapDeposit: Get<Balance>;

		/// Weights generated by `scripts/bench-pallets.sh`.
		type WeightInfo: WeightInfo;

		/// Creates assets for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, AssetIdOf<Self>>;
	}

	/// Open swaps by id.
	#[pallet::storage]
	pub type Swaps<T: Config> = CountedStorageMap<_, Identity, SwapId, SwapOf<T>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `sender` locked `amount` of `asset` for `recipient` under `hashlock`
		/// (`algorithm`) until block `expiry`.
		Locked {
			id: SwapId,
			sender: T::AccountId,
			recipient: T::AccountId,
			asset: SwapAsset<AssetIdOf<T>>,
			amount: Balance,
			hashlock: Hashlock,
			algorithm: HashAlgorithm,
			expiry: BlockNumberFor<T>,
		},
		/// The swap was claimed with `preimage` (the secret, now public): `amount` of
		/// `asset` paid to `recipient`.
		Claimed {
			id: SwapId,
			recipient: T::AccountId,
			asset: SwapAsset<AssetIdOf<T>>,
			amount: Balance,
			hashlock: Hashlock,
			preimage: BoundedVec<u8, T::MaxPreimageLen>,
		},
		/// The swap expired and `amount` of `asset` went back to `sender`.
		Refunded {
			id: SwapId,
			sender: T::AccountId,
			asset: SwapAsset<AssetIdOf<T>>,
			amount: Balance,
			hashlock: Hashlock,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// A swap must lock a non-zero amount.
		ZeroAmount,
		/// A swap to oneself exchanges nothing.
		SelfSwap,
		/// The expiry is not after `now + MinLockPeriod` (or is in the past).
		ExpiryTooSoon,
		/// The expiry is after `now + MaxLockPeriod`.
		ExpiryTooFar,
		/// A swap with these terms is open.
		SwapExists,
		/// No open swap has this id.
		UnknownSwap,
		/// The sender's unfrozen KMCC cannot cover the amount and the record deposit.
		InsufficientBalance,
		/// The recipient cannot receive the amount (e.g. a new account below the existential
		/// deposit, or an asset it may not hold).
		CannotReceive,
		/// The asset cannot be moved: unknown or frozen, or the sender holds too little.
		AssetUnavailable,
		/// An asset swap must lock at least the asset's minimum balance.
		BelowMinimumBalance,
		/// The preimage is longer than `MaxPreimageLen`.
		PreimageTooLong,
		/// `H(preimage)` is not the hashlock.
		WrongPreimage,
		/// The swap has expired: it can only be refunded.
		Expired,
		/// The swap has not expired yet: it can only be claimed.
		NotExpired,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::MinLockPeriod::get() >= 1u32.into(),
				"a swap must be claimable for at least one block"
			);
			assert!(T::MinLockPeriod::get() <= T::MaxLockPeriod::get(), "lock periods in order");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Locks `amount` of `asset` for `recipient` until block `expiry`, claimable with a
		/// preimage of `hashlock` under `algorithm`.
		///
		/// Origin: signed (the sender). Holds the amount (KMCC) or moves it to the escrow
		/// account (assets), and holds [`Config::SwapDeposit`]. Emits [`Event::Locked`].
		/// Complexity: O(1).
		#[pallet::call_index(0)]
		#[pallet::weight(match asset {
			SwapAsset::Native => T::WeightInfo::lock_native(),
			SwapAsset::Asset(_) => T::WeightInfo::lock_asset(),
		})]
		pub fn lock(
			origin: OriginFor<T>,
			recipient: T::AccountId,
			asset: SwapAsset<AssetIdOf<T>>,
			#[pallet::compact] amount: Balance,
			hashlock: Hashlock,
			algorithm: HashAlgorithm,
			expiry: BlockNumberFor<T>,
		) -> DispatchResult {
			let sender = ensure_signed(origin)?;
			let terms = SwapTerms { sender, recipient, asset, amount, hashlock, algorithm, expiry };
			Self::do_lock(terms).map(|_| ())
		}

		/// Claims swap `id` with `preimage`, paying its amount to its recipient.
		///
		/// Origin: signed (anyone: the preimage is the authority). Fails after the expiry.
		/// Releases the record deposit to the sender. Emits [`Event::Claimed`], which carries
		/// the preimage. Complexity: O(|preimage|) for the hash.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::claim_native(preimage.len() as u32)
			.max(T::WeightInfo::claim_asset(preimage.len() as u32)))]
		pub fn claim(origin: OriginFor<T>, id: SwapId, preimage: Vec<u8>) -> DispatchResult {
			ensure_signed(origin)?;
			let preimage: BoundedVec<u8, T::MaxPreimageLen> =
				preimage.try_into().map_err(|_| Error::<T>::PreimageTooLong)?;
			let swap = Swaps::<T>::get(id).ok_or(Error::<T>::UnknownSwap)?;
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now < swap.terms.expiry, Error::<T>::Expired);
			ensure!(
				swap.terms.algorithm.opens(&preimage, &swap.terms.hashlock),
				Error::<T>::WrongPreimage
			);
			let terms = swap.terms;
			Self::pay(&terms, &terms.recipient)?;
			Self::close(id, &terms.sender, swap.deposit)?;
			Self::deposit_event(Event::Claimed {
				id,
				recipient: terms.recipient,
				asset: terms.asset,
				amount: terms.amount,
				hashlock: terms.hashlock,
				preimage,
			});
			Ok(())
		}

		/// Refunds expired swap `id` to its sender.
		///
		/// Origin: signed (anyone: the expiry is the authority). Fails before the expiry.
		/// Releases the record deposit. Emits [`Event::Refunded`]. Complexity: O(1).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::refund_native().max(T::WeightInfo::refund_asset()))]
		pub fn refund(origin: OriginFor<T>, id: SwapId) -> DispatchResult {
			ensure_signed(origin)?;
			let swap = Swaps::<T>::get(id).ok_or(Error::<T>::UnknownSwap)?;
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now >= swap.terms.expiry, Error::<T>::NotExpired);
			let terms = swap.terms;
			Self::pay(&terms, &terms.sender)?;
			Self::close(id, &terms.sender, swap.deposit)?;
			Self::deposit_event(Event::Refunded {
				id,
				sender: terms.sender,
				asset: terms.asset,
				amount: terms.amount,
				hashlock: terms.hashlock,
			});
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The escrow account of asset swaps.
		pub fn escrow_account() -> T::AccountId {
			T::PalletId::get().into_account_truncating()
		}

		/// Checks `terms` and locks them; returns the swap id.
		pub(crate) fn do_lock(terms: SwapTermsOf<T>) -> Result<SwapId, DispatchError> {
			ensure!(!terms.amount.is_zero(), Error::<T>::ZeroAmount);
			ensure!(terms.sender != terms.recipient, Error::<T>::SelfSwap);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(
				terms.expiry >= now.saturating_add(T::MinLockPeriod::get()),
				Error::<T>::ExpiryTooSoon
			);
			ensure!(
				terms.expiry <= now.saturating_add(T::MaxLockPeriod::get()),
				Error::<T>::ExpiryTooFar
			);
			let id = swap_id(&terms);
			ensure!(!Swaps::<T>::contains_key(id), Error::<T>::SwapExists);
			let deposit = T::SwapDeposit::get();
			let native = match terms.asset {
				SwapAsset::Native => terms.amount,
				SwapAsset::Asset(_) => 0,
			};
			ensure!(
				T::Frozen::unencumbered(&terms.sender) >= native.saturating_add(deposit),
				Error::<T>::InsufficientBalance
			);
			match terms.asset.clone() {
				SwapAsset::Native => {
					ensure!(
						T::Currency::can_deposit(
							&terms.recipient,
							terms.amount,
							Provenance::Extant
						) == DepositConsequence::Success,
						Error::<T>::CannotReceive
					);
					T::Currency::hold(&HoldReason::Swap.into(), &terms.sender, terms.amount)
						.map_err(|_| Error::<T>::InsufficientBalance)?;
				}
				SwapAsset::Asset(asset) => {
					// Each swap at least the minimum: what the escrow keeps after paying one
					// swap is then zero or at least the minimum, never dust it would lose.
					ensure!(
						terms.amount >= T::Assets::minimum_balance(asset.clone()),
						Error::<T>::BelowMinimumBalance
					);
					ensure!(
						T::Assets::can_withdraw(asset.clone(), &terms.sender, terms.amount)
							.into_result(false)
							.is_ok(),
						Error::<T>::AssetUnavailable
					);
					ensure!(
						T::Assets::can_deposit(
							asset.clone(),
							&terms.recipient,
							terms.amount,
							Provenance::Extant
						) == DepositConsequence::Success,
						Error::<T>::CannotReceive
					);
					let escrow = Self::escrow_account();
					// The escrow exists by this pallet's own provider reference, so it can hold
					// assets without KMCC of its own.
					if frame_system::Pallet::<T>::providers(&escrow) == 0 {
						let _ = frame_system::Pallet::<T>::inc_providers(&escrow);
					}
					T::Assets::transfer(
						asset,
						&terms.sender,
						&escrow,
						terms.amount,
						Preservation::Expendable,
					)
					.map_err(|_| Error::<T>::AssetUnavailable)?;
				}
			}
			T::Currency::hold(&HoldReason::SwapRecord.into(), &terms.sender, deposit)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			let locked_at = now;
			Self::deposit_event(Event::Locked {
				id,
				sender: terms.sender.clone(),
				recipient: terms.recipient.clone(),
				asset: terms.asset.clone(),
				amount: terms.amount,
				hashlock: terms.hashlock,
				algorithm: terms.algorithm,
				expiry: terms.expiry,
			});
			Swaps::<T>::insert(id, Swap { terms, locked_at, deposit });
			Ok(id)
		}

		/// Pays a swap's amount to `to` (its recipient or its sender).
		fn pay(terms: &SwapTermsOf<T>, to: &T::AccountId) -> DispatchResult {
			match &terms.asset {
				SwapAsset::Native if to == &terms.sender => {
					T::Currency::release(
						&HoldReason::Swap.into(),
						&terms.sender,
						terms.amount,
						Precision::Exact,
					)?;
				}
				SwapAsset::Native => {
					T::Currency::transfer_on_hold(
						&HoldReason::Swap.into(),
						&terms.sender,
						to,
						terms.amount,
						Precision::Exact,
						Restriction::Free,
						// The held amount is the sender's commitment: a freeze or lock the sender
						// adds later (they overlap holds) must not stop the recipient's claim.
						Fortitude::Force,
					)
					.map_err(|_| Error::<T>::CannotReceive)?;
				}
				SwapAsset::Asset(asset) => {
					T::Assets::transfer(
						asset.clone(),
						&Self::escrow_account(),
						to,
						terms.amount,
						Preservation::Expendable,
					)
					.map_err(|_| Error::<T>::CannotReceive)?;
				}
			}
			Ok(())
		}

		/// Removes swap `id` and releases its record deposit to `sender`.
		fn close(id: SwapId, sender: &T::AccountId, deposit: Balance) -> DispatchResult {
			T::Currency::release(
				&HoldReason::SwapRecord.into(),
				sender,
				deposit,
				Precision::Exact,
			)?;
			Swaps::<T>::remove(id);
			Ok(())
		}
	}
}
