//! # Mixing pool
//!
//! design §8 (Komandor 3.3.2, the "invalid list"): a user deposits a fixed denomination and
//! later withdraws it to any account, and nobody can tell which deposit was withdrawn. The
//! cryptography is `kmcc-privacy` (`ring` for the signatures, `mixer` for the signed message
//! and the wallet's deposit keys); this pallet keeps the pools and moves the funds.
//!
//! ## Depositing
//!
//! Each denomination (set in genesis or by [`Config::AdminOrigin`]) is a pool with an
//! append-only list of one-time ring keys. [`Pallet::deposit`] moves the denomination from the
//! caller to the pool account ([`Config::PalletId`]) and appends the caller's fresh key
//! `K = k·G` ([`PoolKeys`]); a key is accepted once in all pools ([`DepositOf`]).
//!
//! ## Withdrawing
//!
//! [`Pallet::withdraw`] names a ring of `n` keys of one pool (indices, strictly increasing),
//! the recipient, an optional relayer and its fee, and carries a linkable ring signature
//! (bLSAG) by one of the ring's keys over
//!
//! ```text
//! m = "kmcc/mix/v1/withdraw" ‖ genesis hash ‖ denomination ‖ ring indices ‖ recipient ‖
//!     relayer ‖ fee                                            (kmcc_privacy::mixer)
//! ```
//!
//! The signature's key image `I = k·Hp(K)` is the same for every signature by `K` and reveals
//! nothing else about `K`; [`SpentKeyImages`] is the invalid list. A withdrawal pays
//! `denomination − fee` to the recipient and `fee` to the relayer and records `I`. Since the
//! message binds the chain, the pool, the ring and every payee, neither a relayer nor anyone
//! who sees the request can redirect it; since `I` is recorded, a deposit pays out once. A
//! withdrawal to a stealth one-time account carries its announcement `(R, view tag)`, also
//! signed, which [`Config::Announcer`] records so the recipient's wallet scan finds it: the
//! payment is then unlinkable at both ends.
//!
//! A withdrawal is an **authorized transaction** (`#[pallet::authorize]`, no signer, no fee):
//! the withdrawer needs no funded account, which is the point. The authorization checks, in
//! order of cost: ring size within [`Parameters`], indices strictly increasing, fee within
//! the cap and only with a relayer, the key image unspent, every index deposited (one read of
//! the pool), the payees able to receive and the announcement recordable, and last the
//! signature (n key reads, n hashes to a point and 2n two-term multi-scalar
//! multiplications). The pool's tag is the key image, so two withdrawals of one deposit never
//! share a pool or a block. Each failure is `InvalidTransaction::Custom(e)` with `e` the index
//! of the matching [`Error`]; the call repeats the state checks (not the signature, which its
//! `Authorized` origin proves) and fails with that [`Error`].
//!
//! ## Accounting
//!
//! The pool account holds at least `Σ denomination × (deposits − withdrawals)` over all pools
//! (more only if someone transfers to it directly): every deposit adds its denomination,
//! every withdrawal takes exactly one, and total issuance never changes.
//!
//! What this hides: which deposit a withdrawal spends, among the ring (at least
//! [`MixerParameters::min_ring`] deposits, 16 on mainnet, as Monero's rings). What it does
//! not: that an account deposited, the amounts (fixed per pool), and timing (wallets draw
//! decoys by age so the newest deposit is not the obvious member).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(any(test, feature = "try-runtime"))]
mod invariants;

pub mod migrations;
pub mod runtime_api;
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
	frame_support::{traits::Get, BoundedVec},
	frame_system::pallet_prelude::BlockNumberFor,
};

/// A withdrawal as the call takes it.
pub type WithdrawalOf<T> = Withdrawal<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
	BoundedVec<DepositIndex, <T as Config>::MaxRingSize>,
>;

/// A ring signature as the call takes it: at most `32·(MaxRingSize + 2)` bytes.
pub type RingSignatureOf<T> = BoundedVec<u8, SignatureLimit<T>>;

/// A deposit as stored.
pub type DepositRecordOf<T> = DepositRecord<BlockNumberFor<T>>;

/// `32·(MaxRingSize + 2)`: the encoded size of a signature over the largest ring.
pub struct SignatureLimit<T>(core::marker::PhantomData<T>);

impl<T: Config> Get<u32> for SignatureLimit<T> {
	fn get() -> u32 {
		T::MaxRingSize::get().saturating_add(2).saturating_mul(32)
	}
}

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use kmcc_primitives::privacy::StealthAnnouncer;
	use kmcc_privacy::Point;
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::{
				fungible::{Inspect, Mutate},
				tokens::{DepositConsequence, Preservation, Provenance},
			},
			PalletId,
		},
		frame_system::pallet_prelude::*,
		sp_runtime::traits::{AccountIdConversion, Zero},
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	use polkadot_sdk::frame_system;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The KMCC currency.
		type Currency: Mutate<Self::AccountId, Balance = Balance>;

		/// Records the stealth announcement of a withdrawal to a one-time account (the
		/// runtime's `Stealth` pallet).
		type Announcer: kmcc_primitives::privacy::StealthAnnouncer<Self::AccountId>;

		/// Adds denominations and sets [`Parameters`].
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Derives the pool account, which holds every deposit.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Largest ring the runtime verifies (bounds the weight and the call's size).
		#[pallet::constant]
		type MaxRingSize: Get<u32>;

		/// Most denominations.
		#[pallet::constant]
		type MaxDenominations: Get<u32>;

		/// Priority of a withdrawal in the transaction pool.
		#[pallet::constant]
		type WithdrawalPriority: Get<TransactionPriority>;

		/// Blocks a withdrawal stays valid in the pool.
		#[pallet::constant]
		type WithdrawalLongevity: Get<TransactionLongevity>;

		/// Weights generated by `scripts/bench-pallets.sh`.
		type WeightInfo: WeightInfo;
	}

	/// The pools: denomination → counters. A denomination is accepted iff it has an entry.
	#[pallet::storage]
	pub type Pools<T> = CountedStorageMap<_, Twox64Concat, Balance, PoolInfo>;

	/// Each pool's keys: `(denomination, index)` → key and deposit block. Append-only.
	#[pallet::storage]
	pub type PoolKeys<T: Config> =
		StorageDoubleMap<_, Twox64Concat, Balance, Twox64Concat, DepositIndex, DepositRecordOf<T>>;

	/// Where each deposited key is: key → `(denomination, index)` (a key is used once).
	#[pallet::storage]
	pub type DepositOf<T> = StorageMap<_, Blake2_128Concat, Point, (Balance, DepositIndex)>;

	/// The invalid list: spent key images → the block of the withdrawal.
	#[pallet::storage]
	pub type SpentKeyImages<T: Config> = StorageMap<_, Blake2_128Concat, Point, BlockNumberFor<T>>;

	/// Ring-size bounds and the relayer-fee cap.
	#[pallet::storage]
	pub type Parameters<T> = StorageValue<_, MixerParameters, ValueQuery>;

	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The pools' denominations.
		pub denominations: alloc::vec::Vec<Balance>,
		/// Ring-size bounds and the fee cap.
		pub parameters: MixerParameters,
		#[serde(skip)]
		pub _marker: core::marker::PhantomData<T>,
	}

	/// No pools; rings of 2 to `MaxRingSize`, no relayer fees.
	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			GenesisConfig {
				denominations: alloc::vec::Vec::new(),
				parameters: MixerParameters {
					min_ring: 2,
					max_ring: T::MaxRingSize::get(),
					max_fee: polkadot_sdk::sp_runtime::Permill::zero(),
				},
				_marker: Default::default(),
			}
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// A bad genesis is a chain-spec error: refuse to build it.
			Pallet::<T>::check_parameters(&self.parameters).expect("valid mixer parameters");
			Parameters::<T>::put(self.parameters);
			for denomination in &self.denominations {
				Pallet::<T>::open_pool(*denomination).expect("valid mixer denominations");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` deposited `denomination` with the ring key `key`, now `index` in its pool.
		Deposited { who: T::AccountId, denomination: Balance, index: DepositIndex, key: Point },
		/// A deposit of `denomination` was withdrawn (which one is not known): `amount` to
		/// `recipient`, `fee` to `relayer`; `key_image` is now spent.
		Withdrawn {
			denomination: Balance,
			key_image: Point,
			recipient: T::AccountId,
			amount: Balance,
			relayer: Option<T::AccountId>,
			fee: Balance,
			ring_size: u32,
			announced: bool,
		},
		/// A pool for `denomination` was opened.
		DenominationAdded { denomination: Balance },
		/// The ring-size bounds and fee cap changed.
		ParametersSet { parameters: MixerParameters },
	}

	/// Errors; an authorized withdrawal refused by the pool carries the index of its error as
	/// `InvalidTransaction::Custom`.
	#[pallet::error]
	pub enum Error<T> {
		/// No pool has this denomination.
		UnknownDenomination,
		/// The key is not a canonical ristretto255 point, or is the identity.
		InvalidKey,
		/// The key was deposited before: ring keys are one-time.
		KeyInUse,
		/// The ring has fewer keys than `min_ring`.
		RingTooSmall,
		/// The ring has more keys than `max_ring`.
		RingTooLarge,
		/// Ring indices must be strictly increasing (no repeats, one order per ring).
		RingNotSorted,
		/// A ring index has no deposit (yet).
		UnknownKey,
		/// The fee is above the relayer-fee cap or the denomination.
		FeeTooHigh,
		/// A fee needs a relayer to receive it.
		FeeWithoutRelayer,
		/// The recipient (or the relayer) cannot receive its payment (e.g. a new account
		/// below the existential deposit).
		CannotReceive,
		/// The key image is on the invalid list: this deposit was withdrawn.
		KeyImageSpent,
		/// The ring signature is malformed or does not verify for this withdrawal.
		BadSignature,
		/// The denomination already has a pool.
		DenominationExists,
		/// A denomination must be at least the existential deposit.
		DenominationTooSmall,
		/// No room for another denomination.
		TooManyDenominations,
		/// Ring bounds out of order, below 2 or above `MaxRingSize`.
		InvalidParameters,
		/// The pool's counter is full.
		PoolFull,
		/// The stealth announcement cannot be recorded (invalid ephemeral key, a recipient
		/// that already exists, or this block's announcement page is full).
		CannotAnnounce,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxRingSize::get() >= 2, "a ring has at least two keys");
			assert!(T::MaxDenominations::get() > 0);
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
		/// Deposits `denomination` into its pool with the fresh ring key `key` (`K = k·G`,
		/// whose secret `k` the caller's wallet keeps).
		///
		/// Origin: signed (keeps at least the existential deposit). Emits
		/// [`Event::Deposited`]. Complexity: O(1).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::deposit())]
		pub fn deposit(
			origin: OriginFor<T>,
			#[pallet::compact] denomination: Balance,
			key: Point,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let pool = Pools::<T>::get(denomination).ok_or(Error::<T>::UnknownDenomination)?;
			ensure!(kmcc_privacy::is_valid_ephemeral(&key), Error::<T>::InvalidKey);
			ensure!(!DepositOf::<T>::contains_key(key), Error::<T>::KeyInUse);
			let index = pool.deposits;
			let deposits = index.checked_add(1).ok_or(Error::<T>::PoolFull)?;
			T::Currency::transfer(&who, &Self::account_id(), denomination, Preservation::Preserve)?;
			let block = frame_system::Pallet::<T>::block_number();
			PoolKeys::<T>::insert(denomination, index, DepositRecord { key, block });
			DepositOf::<T>::insert(key, (denomination, index));
			Pools::<T>::insert(denomination, PoolInfo { deposits, ..pool });
			Self::deposit_event(Event::Deposited { who, denomination, index, key });
			Ok(())
		}

		/// Withdraws one deposit of `withdrawal.denomination`, proved by `signature`, a ring
		/// signature over the keys at `withdrawal.ring` (see the module doc).
		///
		/// Origin: an authorized transaction (no signer, no fee; `authorize_withdraw` checks
		/// the proof). Pays `denomination − fee` to the recipient and `fee` to the relayer and
		/// puts the key image on the invalid list. Emits [`Event::Withdrawn`]. Complexity:
		/// O(n) in the ring size for the authorization, O(1) for the call.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::withdraw(withdrawal.ring.len() as u32))]
		#[pallet::weight_of_authorize(
			T::WeightInfo::authorize_withdraw(withdrawal.ring.len() as u32)
		)]
		#[pallet::authorize(Self::authorize_withdraw)]
		pub fn withdraw(
			origin: OriginFor<T>,
			withdrawal: WithdrawalOf<T>,
			signature: RingSignatureOf<T>,
		) -> DispatchResult {
			frame_system::ensure_authorized(origin)?;
			let (key_image, mut pool) = Self::check_terms(&withdrawal, &signature)?;
			let Withdrawal { denomination, ring, recipient, relayer, fee, announcement } =
				withdrawal;
			let amount = denomination.saturating_sub(fee);
			let pool_account = Self::account_id();
			if let Some(note) = announcement {
				// Before the payment: the one-time account must not exist yet.
				T::Announcer::announce(
					pool_account.clone(),
					recipient.clone(),
					note.ephemeral,
					note.view_tag,
				)
				.map_err(|_| Error::<T>::CannotAnnounce)?;
			}
			T::Currency::transfer(&pool_account, &recipient, amount, Preservation::Expendable)?;
			if let Some(relayer) = &relayer {
				if !fee.is_zero() {
					T::Currency::transfer(&pool_account, relayer, fee, Preservation::Expendable)?;
				}
			}
			pool.withdrawals = pool.withdrawals.saturating_add(1);
			Pools::<T>::insert(denomination, pool);
			SpentKeyImages::<T>::insert(key_image, frame_system::Pallet::<T>::block_number());
			Self::deposit_event(Event::Withdrawn {
				denomination,
				key_image,
				recipient,
				amount,
				relayer,
				fee,
				ring_size: ring.len() as u32,
				announced: announcement.is_some(),
			});
			Ok(())
		}

		/// Opens a pool for `denomination`.
		///
		/// Origin: [`Config::AdminOrigin`]. Emits [`Event::DenominationAdded`].
		/// Complexity: O(1).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::add_denomination())]
		pub fn add_denomination(
			origin: OriginFor<T>,
			#[pallet::compact] denomination: Balance,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::open_pool(denomination)?;
			Self::deposit_event(Event::DenominationAdded { denomination });
			Ok(())
		}

		/// Sets the ring-size bounds and the relayer-fee cap (withdrawals already in the
		/// transaction pool are checked again when included).
		///
		/// Origin: [`Config::AdminOrigin`]. Emits [`Event::ParametersSet`]. Complexity: O(1).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_parameters())]
		pub fn set_parameters(origin: OriginFor<T>, parameters: MixerParameters) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::check_parameters(&parameters)?;
			Parameters::<T>::put(parameters);
			Self::deposit_event(Event::ParametersSet { parameters });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The pool account.
		pub fn account_id() -> T::AccountId {
			T::PalletId::get().into_account_truncating()
		}

		pub(crate) fn check_parameters(parameters: &MixerParameters) -> DispatchResult {
			ensure!(
				parameters.min_ring >= 2
					&& parameters.min_ring <= parameters.max_ring
					&& parameters.max_ring <= T::MaxRingSize::get(),
				Error::<T>::InvalidParameters
			);
			Ok(())
		}

		pub(crate) fn open_pool(denomination: Balance) -> DispatchResult {
			ensure!(!Pools::<T>::contains_key(denomination), Error::<T>::DenominationExists);
			ensure!(
				denomination >= T::Currency::minimum_balance(),
				Error::<T>::DenominationTooSmall
			);
			ensure!(
				Pools::<T>::count() < T::MaxDenominations::get(),
				Error::<T>::TooManyDenominations
			);
			Pools::<T>::insert(denomination, PoolInfo::default());
			Ok(())
		}

		/// The key image a signature carries (its last 32 bytes), without verifying it.
		pub fn claimed_key_image(signature: &[u8]) -> Option<Point> {
			let start = signature.len().checked_sub(32)?;
			signature.get(start..)?.try_into().ok()
		}

		/// Everything about a withdrawal except its signature, cheapest first; returns the
		/// claimed key image and the pool.
		pub(crate) fn check_terms(
			withdrawal: &WithdrawalOf<T>,
			signature: &[u8],
		) -> Result<(Point, PoolInfo), Error<T>> {
			let parameters = Parameters::<T>::get();
			let n = withdrawal.ring.len() as u32;
			ensure!(n >= parameters.min_ring, Error::<T>::RingTooSmall);
			ensure!(n <= parameters.max_ring, Error::<T>::RingTooLarge);
			ensure!(
				withdrawal.ring.windows(2).all(|pair| pair[0] < pair[1]),
				Error::<T>::RingNotSorted
			);
			let denomination = withdrawal.denomination;
			ensure!(
				withdrawal.fee <= parameters.max_fee.mul_floor(denomination),
				Error::<T>::FeeTooHigh
			);
			ensure!(
				withdrawal.relayer.is_some() || withdrawal.fee.is_zero(),
				Error::<T>::FeeWithoutRelayer
			);
			let key_image = Self::claimed_key_image(signature).ok_or(Error::<T>::BadSignature)?;
			ensure!(!SpentKeyImages::<T>::contains_key(key_image), Error::<T>::KeyImageSpent);
			let pool = Pools::<T>::get(denomination).ok_or(Error::<T>::UnknownDenomination)?;
			// Sorted, so the last index is the largest.
			let last = withdrawal.ring.last().copied().unwrap_or_default();
			ensure!(last < pool.deposits, Error::<T>::UnknownKey);
			let amount = denomination.saturating_sub(withdrawal.fee);
			ensure!(
				T::Currency::can_deposit(&withdrawal.recipient, amount, Provenance::Extant)
					== DepositConsequence::Success,
				Error::<T>::CannotReceive
			);
			if let Some(relayer) = &withdrawal.relayer {
				ensure!(
					withdrawal.fee.is_zero()
						|| T::Currency::can_deposit(relayer, withdrawal.fee, Provenance::Extant)
							== DepositConsequence::Success,
					Error::<T>::CannotReceive
				);
			}
			if let Some(note) = &withdrawal.announcement {
				ensure!(
					T::Announcer::can_announce(&withdrawal.recipient, &note.ephemeral).is_ok(),
					Error::<T>::CannotAnnounce
				);
			}
			Ok((key_image, pool))
		}

		/// The message the withdrawal's ring signature signs.
		pub fn withdrawal_message(withdrawal: &WithdrawalOf<T>) -> alloc::vec::Vec<u8> {
			let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
			let mut genesis_bytes = [0u8; 32];
			let encoded = genesis.encode();
			let len = encoded.len().min(32);
			genesis_bytes[..len].copy_from_slice(&encoded[..len]);
			let recipient = withdrawal.recipient.encode();
			let relayer = withdrawal.relayer.as_ref().map(|r| r.encode());
			kmcc_privacy::mixer::withdrawal_message(&kmcc_privacy::mixer::WithdrawalTerms {
				genesis: &genesis_bytes,
				denomination: withdrawal.denomination,
				ring: &withdrawal.ring,
				recipient: &recipient,
				relayer: relayer.as_deref(),
				fee: withdrawal.fee,
				announcement: withdrawal.announcement.as_ref().map(|n| (&n.ephemeral, n.view_tag)),
			})
		}

		/// Every check of a withdrawal, the ring signature last; returns the key image.
		pub fn check_withdrawal(
			withdrawal: &WithdrawalOf<T>,
			signature: &[u8],
		) -> Result<Point, Error<T>> {
			let (key_image, _) = Self::check_terms(withdrawal, signature)?;
			let mut ring = alloc::vec::Vec::with_capacity(withdrawal.ring.len());
			for index in withdrawal.ring.iter() {
				let record = PoolKeys::<T>::get(withdrawal.denomination, index)
					.ok_or(Error::<T>::UnknownKey)?;
				ring.push(record.key);
			}
			let message = Self::withdrawal_message(withdrawal);
			let verified = kmcc_privacy::ring::verify(&ring, &message, signature)
				.map_err(|_| Error::<T>::BadSignature)?;
			// `verify` returns the image it checked, which is the claimed one.
			ensure!(verified == key_image, Error::<T>::BadSignature);
			Ok(key_image)
		}

		/// Authorizes a withdrawal in the transaction pool and in the block (see the module
		/// doc): valid for `WithdrawalLongevity` blocks, tagged by its key image.
		pub(crate) fn authorize_withdraw(
			_source: TransactionSource,
			withdrawal: &WithdrawalOf<T>,
			signature: &RingSignatureOf<T>,
		) -> TransactionValidityWithRefund {
			let key_image = Self::check_withdrawal(withdrawal, signature).map_err(|error| {
				let index = Error::<T>::module_error_index(&error);
				InvalidTransaction::Custom(index)
			})?;
			let validity = ValidTransaction::with_tag_prefix("KmccMixer")
				.priority(T::WithdrawalPriority::get())
				.and_provides(key_image)
				.longevity(T::WithdrawalLongevity::get())
				.propagate(true)
				.build()?;
			Ok((validity, Weight::zero()))
		}

		/// Every pool, by denomination (the runtime API).
		pub fn pools() -> alloc::vec::Vec<PoolStatus> {
			let mut pools: alloc::vec::Vec<PoolStatus> = Pools::<T>::iter()
				.map(|(denomination, pool)| PoolStatus {
					denomination,
					deposits: pool.deposits,
					withdrawals: pool.withdrawals,
				})
				.collect();
			pools.sort_by_key(|p| p.denomination);
			pools
		}

		/// Up to `limit` (at most [`MAX_PAGE`]) keys of `denomination` from index `from` on
		/// (the runtime API).
		pub fn keys(
			denomination: Balance,
			from: DepositIndex,
			limit: u32,
		) -> KeysPage<BlockNumberFor<T>> {
			let end = Pools::<T>::get(denomination).map(|p| p.deposits).unwrap_or_default();
			let start = from.min(end);
			let stop = start.saturating_add(limit.min(MAX_PAGE)).min(end);
			let items = (start..stop)
				.filter_map(|index| {
					PoolKeys::<T>::get(denomination, index).map(|r| (index, r.key, r.block))
				})
				.collect();
			KeysPage { items, next: stop, end }
		}
	}
}

impl<T: Config> Error<T> {
	/// The index of `error` in this enum (what `InvalidTransaction::Custom` carries).
	pub fn module_error_index(error: &Self) -> u8 {
		use codec::Encode;
		error.encode().first().copied().unwrap_or(u8::MAX)
	}
}
