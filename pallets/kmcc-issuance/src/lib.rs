//! # KMCC issuance
//!
//! The KMCC supply of design §2: a halving block emission to node operators under a hard cap,
//! and burns that can never take the supply below a floor.
//!
//! ## Emission
//!
//! `T = 4.5 B KMCC` are emitted over `N = 60` halving periods of `P = 5,259,600` blocks
//! (4 months of 2 s blocks). Period `k` emits `⌊T / 2^(k+1)⌋` and the last period the
//! remainder, so the 20 years emit exactly `T`; see [`EmissionSchedule`] for the per-block
//! formulas (`reward_at`, `minted_through`). Block 1 earns
//! 427,789,185,489,390,828,200 planck ≈ 427.79 KMCC.
//!
//! In `on_initialize` of block `n` the pallet issues
//! `min(reward_at(n), MaxSupply − total_issuance)`, so no block can mint past the hard cap,
//! and hands it to three destinations ([`Config::MasternodeReward`],
//! [`Config::ProducerReward`], [`Config::StorageSubsidy`]) in the shares of [`Split`]
//! (45/35/20 % by default; see [`EmissionSplit::apportion`] for the rounding, which neither
//! loses nor creates a planck).
//!
//! The destinations are `OnUnbalanced` handlers chosen by the runtime: KMCC's runtime hands
//! the masternode share to `pallet-masternodes`' payment queue, the storage share to
//! `pallet-storage-spaces`' subsidy pool and the producer's to `pallet-dpos`, which shares it
//! between the author's candidate and its lessors. A handler that cannot place its credit
//! drops it, which un-issues it; [`Minted`] counts what was really issued and [`Event::EmissionNotPaid`]
//! reports the difference, so the ledger stays exact whatever the handlers do.
//!
//! One [`Event::BlockEmission`] is deposited per block. Events are not part of the block
//! body: they live in state for one block (cleared by the next block's initialisation), and
//! the benchmarked `on_initialize` weight includes the write, so a per-block event costs one
//! small storage write and lets a UI show every block's reward without replaying the
//! schedule.
//!
//! ## Burns
//!
//! - [`Pallet::buyback_burn`] (foundation or governance origin): of `amount` KMCC the
//!   foundation bought back, [`Config::BuybackBurnShare`] (80 %) is burned from the foundation
//!   account and the rest stays there.
//! - [`Pallet::burn_fee_share`] / [`BurnFeeShare`]: other pallets pass storage and mail fees
//!   through it; [`FeeBurnShare`] of each fee is burned and the rest goes on.
//!
//! Every burn is limited by [`burnable_above_floor`]: total issuance never drops below
//! [`Config::BurnFloor`] (1 B KMCC) through a burn. The part held back is reported in the
//! event next to the part burned.
//!
//! ## Ledger
//!
//! [`GenesisIssuance`] + [`Minted`] − [`Burned`] = total issuance, and total issuance ≤
//! [`Config::MaxSupply`]. `try_state` checks both; so do the property tests.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod migrations;
pub mod runtime_api;
mod schedule;
mod split;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use schedule::{
	EmissionSchedule, SchedulePosition, HALVING_PERIOD_MILLISECS, KMCC_EMISSION_SCHEDULE,
};
pub use split::{burnable_above_floor, EmissionShares, EmissionSplit};
pub use weights::WeightInfo;

use core::marker::PhantomData;
use kmcc_primitives::Balance;
use polkadot_sdk::{
	frame_support::traits::{
		fungible::{Balanced, Credit, Inspect},
		Get, Imbalance, OnUnbalanced,
	},
	frame_system,
	sp_runtime::{traits::BlockNumberProvider, SaturatedConversion},
};

/// A credit (newly issued or withdrawn funds not yet in an account) of the pallet's currency.
pub type CreditOf<T> =
	Credit<<T as polkadot_sdk::frame_system::Config>::AccountId, <T as Config>::Currency>;

/// Sets up what `on_initialize` needs in a benchmark (a block author the runtime can find).
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// Makes the runtime's producer-reward handler find an author for the current block.
	fn prepare_block_author();
}

#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelper for () {
	fn prepare_block_author() {}
}

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::{
				fungible::Mutate,
				tokens::{Fortitude, Precision, Preservation},
			},
		},
		frame_system::pallet_prelude::*,
		sp_runtime::{
			traits::{Saturating, StaticLookup},
			Perbill,
		},
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The KMCC currency (`pallet-balances`).
		type Currency: Balanced<Self::AccountId, Balance = Balance>
			+ Mutate<Self::AccountId, Balance = Balance>;

		/// The halving schedule (design §2: 4.5 B KMCC, 60 periods of 5,259,600 blocks).
		#[pallet::constant]
		type Schedule: Get<EmissionSchedule>;

		/// The hard cap on total issuance (5 B KMCC). No block reward mints past it.
		#[pallet::constant]
		type MaxSupply: Get<Balance>;

		/// No burn takes total issuance below this (1 B KMCC).
		#[pallet::constant]
		type BurnFloor: Get<Balance>;

		/// Share of a `buyback_burn` amount that is burned (80 %); the rest stays with the
		/// foundation.
		#[pallet::constant]
		type BuybackBurnShare: Get<Perbill>;

		/// Receives the masternode share of each block's emission.
		type MasternodeReward: OnUnbalanced<Credit<Self::AccountId, Self::Currency>>;

		/// Receives the block producer's share of each block's emission.
		type ProducerReward: OnUnbalanced<Credit<Self::AccountId, Self::Currency>>;

		/// Receives the storage landlord subsidy share of each block's emission.
		type StorageSubsidy: OnUnbalanced<Credit<Self::AccountId, Self::Currency>>;

		/// May call `buyback_burn` (the foundation or governance; root on dev chains).
		type BuybackOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// May change the split, the fee burn share and the foundation account (governance;
		/// root until governance lands).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Weights generated by `scripts/bench-pallets.sh`.
		type WeightInfo: WeightInfo;

		/// Benchmark set-up the pallet cannot do generically.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// How each block's emission is shared. Always sums to 100 %.
	#[pallet::storage]
	pub type Split<T> = StorageValue<_, EmissionSplit, ValueQuery>;

	#[pallet::type_value]
	pub fn DefaultFeeBurnShare() -> Perbill {
		Perbill::from_percent(80)
	}

	/// Share of storage and mail fees that [`Pallet::burn_fee_share`] burns (80 % by
	/// default, the whitepaper's destruction ratio).
	#[pallet::storage]
	pub type FeeBurnShare<T> = StorageValue<_, Perbill, ValueQuery, DefaultFeeBurnShare>;

	/// The account `buyback_burn` burns from (a multisig on real networks).
	#[pallet::storage]
	pub type FoundationAccount<T: Config> = StorageValue<_, T::AccountId, OptionQuery>;

	/// Total issuance when the ledger started (genesis).
	#[pallet::storage]
	pub type GenesisIssuance<T> = StorageValue<_, Balance, ValueQuery>;

	/// Planck minted by block rewards so far.
	#[pallet::storage]
	pub type Minted<T> = StorageValue<_, Balance, ValueQuery>;

	/// Planck burned so far, by buy-backs and fee burns.
	#[pallet::storage]
	pub type Burned<T> = StorageValue<_, Balance, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A block's emission was minted and shared (`reward` = the sum of the three shares).
		BlockEmission {
			period: u32,
			reward: Balance,
			masternodes: Balance,
			producer: Balance,
			storage: Balance,
		},
		/// A halving period started (also for period 0, at block 1).
		HalvingPeriodStarted { period: u32, period_emission: Balance, reward_per_block: Balance },
		/// The hard cap limited a block reward: `minted` of the `scheduled` reward was issued.
		CapReached { scheduled: Balance, minted: Balance },
		/// A destination could not take `amount` of the block's reward (no known block author,
		/// or a new account and less than the existential deposit), so it was not issued.
		EmissionNotPaid { amount: Balance },
		/// The schedule is complete: no further block emits anything.
		EmissionEnded { minted: Balance },
		/// A buy-back burn: `burned` left the foundation account; `held_by_floor` of the
		/// requested burn stayed because of the 1 B floor; `retained` is the 20 % kept.
		BuybackBurned {
			foundation: T::AccountId,
			amount: Balance,
			burn_requested: Balance,
			burned: Balance,
			held_by_floor: Balance,
			retained: Balance,
		},
		/// Part of a storage or mail fee was burned; `held_by_floor` of the requested burn
		/// went on with the rest of the fee because of the 1 B floor.
		FeesBurned {
			fee: Balance,
			burn_requested: Balance,
			burned: Balance,
			held_by_floor: Balance,
		},
		/// The emission split changed.
		SplitChanged { split: EmissionSplit },
		/// The fee burn share changed.
		FeeBurnShareChanged { share: Perbill },
		/// The foundation account changed.
		FoundationAccountChanged { account: T::AccountId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The amount is zero.
		ZeroAmount,
		/// No foundation account is configured.
		NoFoundationAccount,
		/// The foundation account cannot spend the amount (keeping its existential deposit).
		InsufficientFoundationBalance,
		/// The emission split does not sum to exactly 100 %.
		SplitNotComplete,
	}

	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The emission split; must sum to 100 %.
		pub split: EmissionSplit,
		/// Share of storage and mail fees burned.
		pub fee_burn_share: Perbill,
		/// The foundation account, if the network has one at genesis.
		pub foundation: Option<T::AccountId>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self {
				split: EmissionSplit::default(),
				fee_burn_share: DefaultFeeBurnShare::get(),
				foundation: None,
			}
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// Runs only when genesis storage is built, which cannot return an error: a bad
			// chain spec is refused here with the reason.
			assert!(
				self.split.is_complete(),
				"Issuance genesis: the emission split {:?} does not sum to 100 %",
				self.split
			);
			let issuance = T::Currency::total_issuance();
			assert!(
				issuance <= T::MaxSupply::get(),
				"Issuance genesis: genesis issuance {issuance} exceeds the hard cap {}",
				T::MaxSupply::get()
			);
			Split::<T>::put(self.split);
			FeeBurnShare::<T>::put(self.fee_burn_share);
			if let Some(foundation) = &self.foundation {
				FoundationAccount::<T>::put(foundation);
			}
			GenesisIssuance::<T>::put(issuance);
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			Self::emit_block_reward(n.saturated_into())
		}

		fn integrity_test() {
			let schedule = T::Schedule::get();
			assert!(schedule.period_blocks > 0 && schedule.periods > 0, "an empty schedule");
			assert_eq!(
				schedule.total_emission(),
				schedule.total,
				"the schedule must emit its total"
			);
			assert!(T::BurnFloor::get() <= T::MaxSupply::get(), "the burn floor exceeds the cap");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::check_ledger()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Burns [`Config::BuybackBurnShare`] (80 %) of `amount` from the foundation account,
		/// leaving the rest there, without taking total issuance below [`Config::BurnFloor`].
		///
		/// `amount` must be spendable by the foundation account (keeping it alive).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::buyback_burn())]
		pub fn buyback_burn(
			origin: OriginFor<T>,
			#[pallet::compact] amount: Balance,
		) -> DispatchResult {
			T::BuybackOrigin::ensure_origin(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let foundation =
				FoundationAccount::<T>::get().ok_or(Error::<T>::NoFoundationAccount)?;
			let spendable = T::Currency::reducible_balance(
				&foundation,
				Preservation::Preserve,
				Fortitude::Polite,
			);
			ensure!(amount <= spendable, Error::<T>::InsufficientFoundationBalance);

			let burn_requested = T::BuybackBurnShare::get().mul_floor(amount);
			let burned = burnable_above_floor(
				T::Currency::total_issuance(),
				T::BurnFloor::get(),
				burn_requested,
			);
			if !burned.is_zero() {
				T::Currency::burn_from(
					&foundation,
					burned,
					Preservation::Preserve,
					Precision::Exact,
					Fortitude::Polite,
				)?;
				Burned::<T>::mutate(|total| total.saturating_accrue(burned));
			}
			Self::deposit_event(Event::BuybackBurned {
				foundation,
				amount,
				burn_requested,
				burned,
				held_by_floor: burn_requested.saturating_sub(burned),
				retained: amount.saturating_sub(burn_requested),
			});
			Ok(())
		}

		/// Sets how each block's emission is shared; the parts must sum to 100 %.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_split())]
		pub fn set_split(origin: OriginFor<T>, split: EmissionSplit) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(split.is_complete(), Error::<T>::SplitNotComplete);
			Split::<T>::put(split);
			Self::deposit_event(Event::SplitChanged { split });
			Ok(())
		}

		/// Sets the share of storage and mail fees that is burned.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_fee_burn_share())]
		pub fn set_fee_burn_share(origin: OriginFor<T>, share: Perbill) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			FeeBurnShare::<T>::put(share);
			Self::deposit_event(Event::FeeBurnShareChanged { share });
			Ok(())
		}

		/// Sets the account `buyback_burn` burns from.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_foundation_account())]
		pub fn set_foundation_account(
			origin: OriginFor<T>,
			account: <T::Lookup as StaticLookup>::Source,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let account = T::Lookup::lookup(account)?;
			FoundationAccount::<T>::put(&account);
			Self::deposit_event(Event::FoundationAccountChanged { account });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Mints and shares block `n`'s reward; returns the weight used.
		pub(crate) fn emit_block_reward(n: u64) -> Weight {
			let schedule = T::Schedule::get();
			let Some(position) = schedule.position(n) else {
				if n == schedule.last_emission_block().saturating_add(1) {
					Self::deposit_event(Event::EmissionEnded { minted: Minted::<T>::get() });
				}
				return T::WeightInfo::on_initialize_after_emission();
			};
			let scheduled = schedule.reward_at(n);
			if position.offset == 0 {
				Self::deposit_event(Event::HalvingPeriodStarted {
					period: position.period,
					period_emission: schedule.period_emission(position.period),
					reward_per_block: scheduled,
				});
			}
			let headroom = T::MaxSupply::get().saturating_sub(T::Currency::total_issuance());
			let reward = scheduled.min(headroom);
			if reward < scheduled {
				Self::deposit_event(Event::CapReached { scheduled, minted: reward });
			}
			if !reward.is_zero() {
				let shares = Split::<T>::get().apportion(reward);
				let issuance_before = T::Currency::total_issuance();
				let mut credit = T::Currency::issue(reward);
				let masternodes = credit.extract(shares.masternodes);
				let storage = credit.extract(shares.storage);
				T::MasternodeReward::on_unbalanced(masternodes);
				T::StorageSubsidy::on_unbalanced(storage);
				// What is left is exactly `shares.producer` (see `EmissionSplit::apportion`).
				T::ProducerReward::on_unbalanced(credit);
				// A destination that cannot take its credit drops it, which un-issues it: count
				// what was really issued.
				let paid = T::Currency::total_issuance().saturating_sub(issuance_before);
				Minted::<T>::mutate(|total| total.saturating_accrue(paid));
				Self::deposit_event(Event::BlockEmission {
					period: position.period,
					reward,
					masternodes: shares.masternodes,
					producer: shares.producer,
					storage: shares.storage,
				});
				if paid < reward {
					Self::deposit_event(Event::EmissionNotPaid {
						amount: reward.saturating_sub(paid),
					});
				}
			}
			T::WeightInfo::on_initialize_emission()
		}

		/// The shares of the next block's scheduled reward (for income estimates).
		pub fn next_block_shares() -> EmissionShares {
			let next: u64 = frame_system::Pallet::<T>::current_block_number().saturated_into();
			Split::<T>::get().apportion(T::Schedule::get().reward_at(next.saturating_add(1)))
		}

		/// Burns [`FeeBurnShare`] of `fee` (within the floor) and returns the rest, which the
		/// caller pays on. For the storage and mail pallets.
		pub fn burn_fee_share(fee: CreditOf<T>) -> CreditOf<T> {
			let amount = fee.peek();
			if amount.is_zero() {
				return fee;
			}
			let burn_requested = FeeBurnShare::<T>::get().mul_floor(amount);
			let burned = burnable_above_floor(
				T::Currency::total_issuance(),
				T::BurnFloor::get(),
				burn_requested,
			);
			let (to_burn, rest) = fee.split(burned);
			// Dropping a credit reduces total issuance by its amount: the burn.
			drop(to_burn);
			Burned::<T>::mutate(|total| total.saturating_accrue(burned));
			Self::deposit_event(Event::FeesBurned {
				fee: amount,
				burn_requested,
				burned,
				held_by_floor: burn_requested.saturating_sub(burned),
			});
			rest
		}

		/// The figures of [`runtime_api::IssuanceApi`] at the current block.
		pub fn issuance_info() -> runtime_api::IssuanceInfo<BlockNumberFor<T>, Balance> {
			let schedule = T::Schedule::get();
			let block = frame_system::Pallet::<T>::current_block_number();
			let n: u64 = block.saturated_into();
			let next = n.saturating_add(1);
			let total_issuance = T::Currency::total_issuance();
			let headroom = T::MaxSupply::get().saturating_sub(total_issuance);
			runtime_api::IssuanceInfo {
				block,
				current_period: schedule.position(next).map(|p| p.period),
				reward_per_block: schedule.reward_at(next),
				next_halving_block: schedule.next_halving_block(n).map(|b| b.saturated_into()),
				last_emission_block: schedule.last_emission_block().saturated_into(),
				minted: Minted::<T>::get(),
				remaining_to_mint: schedule
					.total_emission()
					.saturating_sub(schedule.minted_through(n))
					.min(headroom),
				burned: Burned::<T>::get(),
				genesis_issuance: GenesisIssuance::<T>::get(),
				total_issuance,
				max_supply: T::MaxSupply::get(),
				burn_floor: T::BurnFloor::get(),
				split: Split::<T>::get(),
				fee_burn_share: FeeBurnShare::<T>::get(),
			}
		}

		/// Checks the ledger: genesis + minted − burned = total issuance ≤ cap (`try_state`,
		/// tests).
		pub fn check_ledger() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			let total_issuance = T::Currency::total_issuance();
			ensure!(total_issuance <= T::MaxSupply::get(), "total issuance exceeds the hard cap");
			let expected = GenesisIssuance::<T>::get()
				.saturating_add(Minted::<T>::get())
				.checked_sub(Burned::<T>::get())
				.ok_or("more burned than ever issued")?;
			ensure!(expected == total_issuance, "genesis + minted − burned ≠ total issuance");
			Ok(())
		}
	}
}

/// Burns [`FeeBurnShare`] of each fee it receives and passes the rest to `Rest`.
pub struct BurnFeeShare<T, Rest>(PhantomData<(T, Rest)>);

impl<T: Config, Rest: OnUnbalanced<CreditOf<T>>> OnUnbalanced<CreditOf<T>>
	for BurnFeeShare<T, Rest>
{
	fn on_nonzero_unbalanced(fee: CreditOf<T>) {
		Rest::on_unbalanced(Pallet::<T>::burn_fee_share(fee));
	}
}
