//! # Masternodes
//!
//! design §4 (Komandor 4.1, after Dash): service nodes that lock collateral, prove they serve
//! with signed heartbeats, and share 45 % of every block's emission through a payment queue.
//!
//! ## Registration
//!
//! [`Pallet::register`] holds [`MasternodeCollateral`] of the caller's balance
//! ([`HoldReason::Collateral`]) and records an operator key (key type `mnod`), a payout
//! account and an endpoint. One account may run several masternodes; an operator key serves
//! one masternode only. [`Pallet::deregister`] leaves the queue and starts [`UnbondingPeriod`];
//! [`Pallet::withdraw_collateral`] then releases the hold.
//!
//! ## Proof of service (PoSe)
//!
//! A node that has a registered operator key in its keystore (`kmcc-node key insert
//! --key-type mnod --scheme sr25519 --suri <seed>`) and runs offchain workers signs a
//! [`Heartbeat`] (with the genesis hash, [`Pallet::heartbeat_payload`]) every half
//! [`HeartbeatPeriod`] and submits it as an *authorized* transaction
//! (no fee, no signer account): `#[pallet::authorize]` checks the operator signature, that the
//! masternode is enabled, that the heartbeat is fresh and not early, and gives it a priority,
//! a longevity of half a period and a tag per masternode and period, so heartbeats cannot
//! flood the pool.
//!
//! Every `H = HeartbeatPeriod` blocks each enabled masternode without a heartbeat in the last
//! `H` blocks gets `p = ⌈(θ + H) / 2⌉` PoSe points, `θ = max(100, t)` for `t` registered
//! masternodes; the score decays by one point per block. At `θ` the masternode is **banned**:
//! it keeps its queue place but is skipped until its owner calls [`Pallet::revive`]. One missed
//! period never bans (`p < θ`, since `H ≤ 50`); two in a row always do (`2p − H ≥ θ`): a
//! masternode whose node stops is banned at the second check after its last heartbeat, i.e.
//! within `2H` to `3H` blocks.
//!
//! ## Payment (Dash's queue)
//!
//! `pallet-kmcc-issuance` hands this pallet the masternode share of each block's emission
//! (the runtime sets `Issuance`'s `MasternodeReward` to this pallet, an `OnUnbalanced`). It
//! goes, whole, to the enabled masternode that was paid longest ago (never paid: since
//! registration; after a revive: since the revive; ties by registration), which then moves
//! to the back of [`PaymentQueue`]. With `t` enabled masternodes each is paid once every `t`
//! blocks, so `n` of them earn `(n / t) · r · b · a` a day (`r` block reward, `b` blocks a day,
//! `a` = 45 %), `estimated_income` in the runtime API. With no enabled masternode the share
//! goes to the masternode pot account ([`Config::Pot`]).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(any(test, feature = "try-runtime"))]
mod invariants;

pub mod migrations;
mod offchain;
mod payment;
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
	frame_support::traits::fungible::Credit, frame_system::pallet_prelude::BlockNumberFor,
};

/// The operator key of a masternode: sr25519 under key type `mnod`.
pub mod crypto {
	use polkadot_sdk::{
		sp_application_crypto::{app_crypto, sr25519},
		sp_core::crypto::KeyTypeId,
	};

	/// Key type of masternode operator keys in the node keystore.
	pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"mnod");

	app_crypto!(sr25519, KEY_TYPE);

	/// A masternode operator's public key.
	pub type OperatorId = Public;
	/// A masternode operator's signature.
	pub type OperatorSignature = Signature;
}

/// The record type stored for each masternode.
pub type MasternodeOf<T> = Masternode<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
	<T as Config>::OperatorId,
	BlockNumberFor<T>,
	EndpointOf<T>,
>;

/// A bounded service endpoint.
pub type EndpointOf<T> =
	polkadot_sdk::frame_support::BoundedVec<u8, <T as Config>::MaxEndpointLength>;

/// Signing context of heartbeats.
pub const HEARTBEAT_CONTEXT: [u8; 12] = *b"kmcc/mn/beat";

/// Signing context of an operator key's proof of possession.
pub const OPERATOR_OWNERSHIP_CONTEXT: [u8; 16] = *b"kmcc/mn/operator";

/// What an operator key signs to prove it consents to serve `owner`'s masternode: the
/// context followed by the owner's SCALE encoding (for `AccountId32`, its 32 bytes).
pub fn operator_ownership_payload<AccountId: codec::Encode>(
	owner: &AccountId,
) -> alloc::vec::Vec<u8> {
	codec::Encode::encode(&(OPERATOR_OWNERSHIP_CONTEXT, owner))
}

/// A credit of the pallet's currency.
pub type CreditOf<T> =
	Credit<<T as polkadot_sdk::frame_system::Config>::AccountId, <T as Config>::Currency>;

/// Signature of an operator key.
pub type OperatorSignatureOf<T> =
	<<T as Config>::OperatorId as polkadot_sdk::sp_runtime::RuntimeAppPublic>::Signature;

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use kmcc_primitives::funds::FrozenBalance;
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::{
				fungible::{InspectHold, MutateHold},
				tokens::Precision,
			},
		},
		frame_system::{self, offchain::CreateAuthorizedTransaction, pallet_prelude::*},
		sp_runtime::{
			traits::{Saturating, StaticLookup, Zero},
			transaction_validity::TransactionValidityWithRefund,
			RuntimeAppPublic, SaturatedConversion,
		},
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Masternode collateral.
		#[codec(index = 0)]
		Collateral,
	}

	#[pallet::config]
	pub trait Config:
		polkadot_sdk::frame_system::Config + CreateAuthorizedTransaction<Call<Self>>
	{
		/// The KMCC currency.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason, Balance = Balance>
			+ InspectHold<Self::AccountId, Balance = Balance>
			+ polkadot_sdk::frame_support::traits::fungible::Mutate<Self::AccountId>
			+ polkadot_sdk::frame_support::traits::fungible::Balanced<
				Self::AccountId,
				Balance = Balance,
			>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The frozen part of an account's balance: collateral is held only from funds that no
		/// freeze or lock claims (a lease, a vesting lock).
		type Frozen: kmcc_primitives::funds::FrozenBalance<Self::AccountId>;

		/// Operator keys (the runtime uses [`crypto::OperatorId`]).
		type OperatorId: Member
			+ Parameter
			+ RuntimeAppPublic
			+ Ord
			+ MaxEncodedLen
			+ MaybeSerializeDeserialize;

		/// Receives the share when no masternode is enabled (the masternode reward pot).
		type Pot: Get<Self::AccountId>;

		/// The masternode share of the next block's emission, for income estimates.
		type SharePerBlock: Get<Balance>;

		/// Blocks per day, for income estimates.
		#[pallet::constant]
		type BlocksPerDay: Get<u32>;

		/// Most masternodes registered at once (bounds the queue and the PoSe check).
		#[pallet::constant]
		type MaxMasternodes: Get<u32>;

		/// Longest endpoint, in bytes.
		#[pallet::constant]
		type MaxEndpointLength: Get<u32>;

		/// Priority of heartbeat transactions in the pool.
		#[pallet::constant]
		type HeartbeatPriority: Get<TransactionPriority>;

		/// Weights generated by `scripts/bench-pallets.sh`.
		type WeightInfo: WeightInfo;
	}

	/// Collateral a registration holds (500,000 KMCC on mainnet).
	#[pallet::storage]
	pub type MasternodeCollateral<T> = StorageValue<_, Balance, ValueQuery>;

	/// Blocks between PoSe checks; a node heartbeats every half period.
	#[pallet::storage]
	pub type HeartbeatPeriod<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Blocks between `deregister` and the release of the collateral.
	#[pallet::storage]
	pub type UnbondingPeriod<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The id the next registration gets.
	#[pallet::storage]
	pub type NextMasternodeId<T> = StorageValue<_, MasternodeId, ValueQuery>;

	/// Every masternode, registered or unbonding.
	#[pallet::storage]
	pub type Masternodes<T: Config> = StorageMap<_, Twox64Concat, MasternodeId, MasternodeOf<T>>;

	/// The masternode of each operator key.
	#[pallet::storage]
	pub type OperatorIndex<T: Config> =
		StorageMap<_, Blake2_128Concat, T::OperatorId, MasternodeId>;

	/// Registered masternodes (enabled or banned), oldest payment first.
	#[pallet::storage]
	pub type PaymentQueue<T: Config> =
		StorageValue<_, BoundedVec<QueueEntry<BlockNumberFor<T>>, T::MaxMasternodes>, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A masternode was registered and its collateral held.
		Registered {
			id: MasternodeId,
			owner: T::AccountId,
			operator: T::OperatorId,
			payout: T::AccountId,
			collateral: Balance,
		},
		/// A heartbeat proved service.
		HeartbeatReceived { id: MasternodeId },
		/// A heartbeat period passed without a heartbeat: PoSe score raised to `score`.
		HeartbeatMissed { id: MasternodeId, score: u32, threshold: u32 },
		/// The PoSe score reached the threshold: no rewards until revived.
		Banned { id: MasternodeId, score: u32 },
		/// A banned masternode is enabled again, at the back of the queue.
		Revived { id: MasternodeId },
		/// The masternode share of a block was paid.
		Paid { id: MasternodeId, payout: T::AccountId, amount: Balance },
		/// No enabled masternode: the share went to the pot.
		PaidToPot { amount: Balance },
		/// A masternode left; its collateral is released from `unlocks_at`.
		Deregistered { id: MasternodeId, unlocks_at: BlockNumberFor<T> },
		/// The collateral of a deregistered masternode was released.
		CollateralReleased { id: MasternodeId, owner: T::AccountId, amount: Balance },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The operator key already serves a masternode.
		OperatorKeyInUse,
		/// The caller cannot hold the collateral from funds that are neither held nor frozen.
		InsufficientBalance,
		/// No such masternode.
		UnknownMasternode,
		/// The caller does not own the masternode.
		NotOwner,
		/// The masternode is not banned.
		NotBanned,
		/// The masternode is already deregistered.
		AlreadyDeregistered,
		/// The masternode is not deregistered.
		NotDeregistered,
		/// The unbonding period has not passed.
		StillUnbonding,
		/// `MaxMasternodes` are registered.
		TooManyMasternodes,
		/// The heartbeat is for a masternode that is not enabled.
		NotEnabled,
		/// The ownership proof is not the operator key's signature of the caller's account.
		InvalidOwnershipProof,
	}

	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// Collateral per masternode.
		pub collateral: Balance,
		/// Blocks between PoSe checks; must be between 2 and [`MAX_HEARTBEAT_PERIOD`].
		pub heartbeat_period: BlockNumberFor<T>,
		/// Blocks from `deregister` to the release of the collateral.
		pub unbonding_period: BlockNumberFor<T>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self {
				collateral: 500_000 * kmcc_primitives::currency::KMCC,
				heartbeat_period: 45u32.into(),
				unbonding_period: kmcc_primitives::time::DAYS.saturating_mul(7).into(),
			}
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// Runs only when genesis storage is built, which cannot return an error: a bad
			// chain spec is refused here with the reason.
			let period: u64 = self.heartbeat_period.saturated_into();
			assert!(
				(2..=MAX_HEARTBEAT_PERIOD).contains(&period),
				"Masternodes genesis: heartbeat_period must be in 2..=50 so one missed period \
				 never bans"
			);
			assert!(self.collateral > 0, "Masternodes genesis: collateral must be positive");
			MasternodeCollateral::<T>::put(self.collateral);
			HeartbeatPeriod::<T>::put(self.heartbeat_period);
			UnbondingPeriod::<T>::put(self.unbonding_period);
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			let queued = PaymentQueue::<T>::decode_len().unwrap_or(0) as u32;
			// `Issuance` pays the share through `on_unbalanced` during this block's
			// initialisation: account for it here.
			let mut weight = T::WeightInfo::pay_share(queued);
			if Self::is_check_block(n) {
				weight.saturating_accrue(Self::check_heartbeats(n));
			}
			weight
		}

		fn offchain_worker(n: BlockNumberFor<T>) {
			Self::send_heartbeats(n);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers a masternode: holds [`MasternodeCollateral`] and joins the back of the
		/// payment queue, enabled.
		///
		/// `ownership` is the operator key's signature of
		/// [`operator_ownership_payload`]`(caller)`: only the holder of the key can name it,
		/// so nobody can register another node's key and be paid for its heartbeats. The
		/// collateral comes from funds that are neither held nor frozen.
		///
		/// Origin: signed, the owner. Emits `Registered`. Complexity: O(1) (one signature
		/// check; the queue is appended to).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register())]
		pub fn register(
			origin: OriginFor<T>,
			operator: T::OperatorId,
			payout: <T::Lookup as StaticLookup>::Source,
			endpoint: EndpointOf<T>,
			ownership: OperatorSignatureOf<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			let payout = T::Lookup::lookup(payout)?;
			ensure!(
				operator.verify(&operator_ownership_payload(&owner), &ownership),
				Error::<T>::InvalidOwnershipProof
			);
			ensure!(!OperatorIndex::<T>::contains_key(&operator), Error::<T>::OperatorKeyInUse);
			let now = frame_system::Pallet::<T>::block_number();
			let mut queue = PaymentQueue::<T>::get();
			let id = NextMasternodeId::<T>::get();
			// The newest id with the latest `last_paid`: the back of the queue.
			queue
				.try_push(QueueEntry { id, last_paid: now, enabled: true })
				.map_err(|_| Error::<T>::TooManyMasternodes)?;
			let collateral = MasternodeCollateral::<T>::get();
			ensure!(T::Frozen::unencumbered(&owner) >= collateral, Error::<T>::InsufficientBalance);
			T::Currency::hold(&HoldReason::Collateral.into(), &owner, collateral)
				.map_err(|_| Error::<T>::InsufficientBalance)?;

			Masternodes::<T>::insert(
				id,
				Masternode {
					owner: owner.clone(),
					operator: operator.clone(),
					payout: payout.clone(),
					endpoint,
					collateral,
					registered_at: now,
					last_heartbeat: now,
					pose_score: 0,
					score_updated_at: now,
					status: MasternodeStatus::Enabled,
				},
			);
			OperatorIndex::<T>::insert(&operator, id);
			PaymentQueue::<T>::put(queue);
			NextMasternodeId::<T>::put(id.saturating_add(1));
			Self::deposit_event(Event::Registered { id, owner, operator, payout, collateral });
			Ok(())
		}

		/// A heartbeat from the masternode's node, signed by its operator key. Submitted by
		/// the offchain worker as an authorized transaction; see the module doc.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::heartbeat())]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_heartbeat())]
		#[pallet::authorize(Self::authorize_heartbeat)]
		pub fn heartbeat(
			origin: OriginFor<T>,
			heartbeat: Heartbeat<BlockNumberFor<T>>,
			// Verified in `authorize_heartbeat`.
			_signature: OperatorSignatureOf<T>,
		) -> DispatchResult {
			frame_system::ensure_authorized(origin)?;
			let id = heartbeat.masternode;
			Masternodes::<T>::try_mutate(id, |entry| -> DispatchResult {
				let masternode = entry.as_mut().ok_or(Error::<T>::UnknownMasternode)?;
				ensure!(masternode.status == MasternodeStatus::Enabled, Error::<T>::NotEnabled);
				masternode.last_heartbeat = frame_system::Pallet::<T>::block_number();
				Ok(())
			})?;
			Self::deposit_event(Event::HeartbeatReceived { id });
			Ok(())
		}

		/// Enables a banned masternode again (its owner, once its node is back): PoSe score 0,
		/// back of the payment queue.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::revive(T::MaxMasternodes::get()))]
		pub fn revive(origin: OriginFor<T>, id: MasternodeId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut masternode = Masternodes::<T>::get(id).ok_or(Error::<T>::UnknownMasternode)?;
			ensure!(masternode.owner == who, Error::<T>::NotOwner);
			ensure!(
				matches!(masternode.status, MasternodeStatus::Banned { .. }),
				Error::<T>::NotBanned
			);
			let now = frame_system::Pallet::<T>::block_number();
			masternode.status = MasternodeStatus::Enabled;
			masternode.pose_score = 0;
			masternode.score_updated_at = now;
			masternode.last_heartbeat = now;
			let mut queue = PaymentQueue::<T>::get();
			queue.retain(|e| e.id != id);
			// Keep the `(last_paid, id)` order: before masternodes also paid this block but
			// registered later.
			let position =
				queue.iter().position(|e| (e.last_paid, e.id) > (now, id)).unwrap_or(queue.len());
			// Cannot fail: an entry was just removed (a banned masternode is queued).
			queue
				.try_insert(position, QueueEntry { id, last_paid: now, enabled: true })
				.map_err(|_| Error::<T>::TooManyMasternodes)?;
			PaymentQueue::<T>::put(queue);
			Masternodes::<T>::insert(id, masternode);
			Self::deposit_event(Event::Revived { id });
			Ok(())
		}

		/// Leaves the queue (enabled or banned) and starts the unbonding period.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::deregister(T::MaxMasternodes::get()))]
		pub fn deregister(origin: OriginFor<T>, id: MasternodeId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut masternode = Masternodes::<T>::get(id).ok_or(Error::<T>::UnknownMasternode)?;
			ensure!(masternode.owner == who, Error::<T>::NotOwner);
			ensure!(
				!matches!(masternode.status, MasternodeStatus::Unbonding { .. }),
				Error::<T>::AlreadyDeregistered
			);
			let unlocks_at = frame_system::Pallet::<T>::block_number()
				.saturating_add(UnbondingPeriod::<T>::get());
			masternode.status = MasternodeStatus::Unbonding { unlocks_at };
			PaymentQueue::<T>::mutate(|queue| queue.retain(|e| e.id != id));
			OperatorIndex::<T>::remove(&masternode.operator);
			Masternodes::<T>::insert(id, masternode);
			Self::deposit_event(Event::Deregistered { id, unlocks_at });
			Ok(())
		}

		/// Releases the collateral of a deregistered masternode after its unbonding period and
		/// forgets it.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::withdraw_collateral())]
		pub fn withdraw_collateral(origin: OriginFor<T>, id: MasternodeId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let masternode = Masternodes::<T>::get(id).ok_or(Error::<T>::UnknownMasternode)?;
			ensure!(masternode.owner == who, Error::<T>::NotOwner);
			let MasternodeStatus::Unbonding { unlocks_at } = masternode.status else {
				return Err(Error::<T>::NotDeregistered.into());
			};
			ensure!(
				frame_system::Pallet::<T>::block_number() >= unlocks_at,
				Error::<T>::StillUnbonding
			);
			T::Currency::release(
				&HoldReason::Collateral.into(),
				&who,
				masternode.collateral,
				Precision::Exact,
			)?;
			Masternodes::<T>::remove(id);
			Self::deposit_event(Event::CollateralReleased {
				id,
				owner: who,
				amount: masternode.collateral,
			});
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Validates a heartbeat in the pool and in the block: known operator key and valid
		/// signature, masternode enabled, heartbeat fresh (made within the last half period)
		/// and not early (half a period after the previous one).
		pub(crate) fn authorize_heartbeat(
			_source: TransactionSource,
			heartbeat: &Heartbeat<BlockNumberFor<T>>,
			signature: &OperatorSignatureOf<T>,
		) -> TransactionValidityWithRefund {
			let masternode =
				Masternodes::<T>::get(heartbeat.masternode).ok_or(InvalidTransaction::BadProof)?;
			if masternode.status != MasternodeStatus::Enabled {
				return Err(InvalidTransaction::Stale.into());
			}
			let now = frame_system::Pallet::<T>::block_number();
			let half = Self::half_period();
			if heartbeat.block_number > now {
				return Err(InvalidTransaction::Future.into());
			}
			let fresh = heartbeat.block_number.saturating_add(half) > now;
			let early = now < masternode.last_heartbeat.saturating_add(half);
			if !fresh || early {
				return Err(InvalidTransaction::Stale.into());
			}
			let valid = masternode.operator.verify(&Self::heartbeat_payload(heartbeat), signature);
			if !valid {
				return Err(InvalidTransaction::BadProof.into());
			}
			ValidTransaction::with_tag_prefix("KmccMasternodeHeartbeat")
				.priority(T::HeartbeatPriority::get())
				.and_provides((heartbeat.masternode, masternode.last_heartbeat))
				.longevity(half.saturated_into::<u64>().max(1))
				.propagate(true)
				.build()
				.map(|valid| (valid, Weight::zero()))
		}

		/// What an operator key signs: a context tag, the genesis hash (so a heartbeat cannot
		/// be replayed on another network) and the heartbeat.
		pub fn heartbeat_payload(heartbeat: &Heartbeat<BlockNumberFor<T>>) -> alloc::vec::Vec<u8> {
			let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
			(HEARTBEAT_CONTEXT, genesis, heartbeat).encode()
		}

		/// Half the heartbeat period, at least one block.
		pub(crate) fn half_period() -> BlockNumberFor<T> {
			let half: u64 = HeartbeatPeriod::<T>::get().saturated_into::<u64>() / 2;
			half.max(1).saturated_into()
		}

		fn is_check_block(n: BlockNumberFor<T>) -> bool {
			let period: u64 = HeartbeatPeriod::<T>::get().saturated_into();
			period > 0 && n.saturated_into::<u64>() % period == 0
		}

		/// The PoSe check: every enabled masternode without a heartbeat in the last period
		/// gets the miss penalty, and is banned at the threshold. Returns its weight.
		pub(crate) fn check_heartbeats(n: BlockNumberFor<T>) -> Weight {
			let period = HeartbeatPeriod::<T>::get();
			let mut queue = PaymentQueue::<T>::get();
			let registered = queue.len() as u32;
			let threshold = ban_threshold(registered);
			let penalty = miss_penalty(threshold, period.saturated_into());
			let mut changed = false;
			for entry in queue.iter_mut().filter(|e| e.enabled) {
				let Some(mut masternode) = Masternodes::<T>::get(entry.id) else { continue };
				if masternode.last_heartbeat.saturating_add(period) > n {
					continue;
				}
				let elapsed = n.saturating_sub(masternode.score_updated_at).saturated_into();
				let score = decayed_score(masternode.pose_score, elapsed).saturating_add(penalty);
				masternode.pose_score = score;
				masternode.score_updated_at = n;
				Self::deposit_event(Event::HeartbeatMissed { id: entry.id, score, threshold });
				if score >= threshold {
					masternode.status = MasternodeStatus::Banned { since: n };
					entry.enabled = false;
					changed = true;
					Self::deposit_event(Event::Banned { id: entry.id, score });
				}
				Masternodes::<T>::insert(entry.id, masternode);
			}
			if changed {
				PaymentQueue::<T>::put(queue);
			}
			T::WeightInfo::check_heartbeats(registered)
		}

		/// A masternode's PoSe score now (decayed).
		pub fn current_score(masternode: &MasternodeOf<T>) -> u32 {
			let now = frame_system::Pallet::<T>::block_number();
			let elapsed = now.saturating_sub(masternode.score_updated_at).saturated_into();
			decayed_score(masternode.pose_score, elapsed)
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Every masternode, for [`runtime_api::MasternodesApi::masternodes`].
	pub fn masternode_infos(
	) -> alloc::vec::Vec<runtime_api::MasternodeInfo<T::AccountId, BlockNumberFor<T>>> {
		let queue = PaymentQueue::<T>::get();
		let position = |id: MasternodeId| -> Option<u32> {
			let mut ahead = 0u32;
			for entry in queue.iter() {
				if entry.id == id {
					return entry.enabled.then_some(ahead);
				}
				if entry.enabled {
					ahead = ahead.saturating_add(1);
				}
			}
			None
		};
		let last_paid = |id: MasternodeId| queue.iter().find(|e| e.id == id).map(|e| e.last_paid);
		Masternodes::<T>::iter()
			.map(|(id, m)| runtime_api::MasternodeInfo {
				id,
				owner: m.owner.clone(),
				payout: m.payout.clone(),
				enabled: m.status == MasternodeStatus::Enabled,
				banned: matches!(m.status, MasternodeStatus::Banned { .. }),
				unbonding: matches!(m.status, MasternodeStatus::Unbonding { .. }),
				pose_score: Self::current_score(&m),
				last_paid: last_paid(id),
				last_heartbeat: m.last_heartbeat,
				queue_position: position(id),
			})
			.collect()
	}

	/// Income of `n` masternodes now, for [`runtime_api::MasternodesApi::estimated_income`].
	pub fn estimated_income(n: u32) -> IncomeEstimate {
		use polkadot_sdk::frame_support::traits::Get;
		let enabled = PaymentQueue::<T>::get().iter().filter(|e| e.enabled).count() as u32;
		estimate_income(
			n,
			enabled,
			T::SharePerBlock::get(),
			T::BlocksPerDay::get(),
			MasternodeCollateral::<T>::get(),
		)
	}
}
