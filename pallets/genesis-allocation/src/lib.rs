//! # Genesis allocation
//!
//! Records the genesis allocation table of design §2 on chain and locks the team allocations
//! with step unlocks that wallets show natively (they are ordinary `pallet-vesting`
//! schedules).
//!
//! ## Mechanism
//!
//! The genesis config lists `(role, account, amount, unlock)`. For each entry the pallet
//! mints `amount` into `account` (the account must not also be endowed by
//! `pallet-balances`), records the entry in [`Allocations`] for explorers and, if `unlock`
//! is set, adds one vesting schedule per step (see [`StepUnlock`]):
//!
//! ```text
//! step i releases a_i = ⌊A / n⌋ (+ A mod n for the last step) at block u_i = u_0 + i·p
//! vesting schedule i: locked = a_i, per_block = a_i, starting_block = u_i − 1
//! ```
//!
//! A `pallet-vesting` schedule releases `per_block` for every block after `starting_block`,
//! so schedule i is fully locked up to block u_i − 1 and fully released at block u_i. The
//! owner (or anyone, with `vest_other`) calls `vest` to lift the lock for released steps,
//! as with any vesting schedule in polkadot.js.
//!
//! Adding schedules through `VestingSchedule::add_vesting_schedule` (rather than
//! `pallet-vesting`'s own genesis list) matters: that list sets the account's lock to the
//! *last* entry only, which would leave 80 % of a 5-step allocation unlocked at genesis.
//!
//! ## Genesis validation
//!
//! Chain specs are checked when built: a duplicate role, a zero amount, an invalid step
//! unlock or too many schedules for the account stops genesis building with a message
//! naming the entry. Nothing in this pallet runs after genesis, so it has no calls, no
//! weights and no per-block cost.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod schedule;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use schedule::{locked_at, unlock_steps, ScheduleError, StepUnlock, UnlockStep};

use codec::{Decode, Encode, MaxEncodedLen};
use core::fmt::Debug;
use scale_info::TypeInfo;

/// The rows of the design §2 genesis table.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	TypeInfo,
	MaxEncodedLen,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum AllocationRole {
	/// Operation team, 3 % (150 M KMCC), locked 24 months then 20 % a month.
	OperationTeam,
	/// Technical team, 2 % (100 M KMCC), same unlock as the operation team.
	TechnicalTeam,
	/// Exchange liquidity, 2 % (100 M KMCC), liquid.
	ExchangeLiquidity,
	/// Foundation, 3 % (150 M KMCC), liquid (a multisig on real networks).
	Foundation,
}

/// What an account received at genesis.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen, Debug)]
pub struct Allocation<AccountId, Balance, BlockNumber> {
	/// The receiving account.
	pub account: AccountId,
	/// Amount minted at genesis, in planck.
	pub amount: Balance,
	/// How the amount unlocks; `None` if it was liquid from genesis.
	pub unlock: Option<StepUnlock<BlockNumber>>,
}

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use polkadot_sdk::{
		frame_support,
		frame_support::{
			pallet_prelude::*,
			traits::{
				fungible::{Inspect, Mutate},
				Currency, VestingSchedule,
			},
		},
		frame_system,
		frame_system::pallet_prelude::*,
		sp_runtime::Saturating,
	};

	/// Balance type of the pallet's currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

	/// Balance type of the vesting pallet's currency (the same balance, seen through the
	/// older `Currency` trait that `VestingSchedule` is written against).
	pub type VestingBalanceOf<T> = <<<T as Config>::Vesting as VestingSchedule<
		<T as frame_system::Config>::AccountId,
	>>::Currency as Currency<<T as frame_system::Config>::AccountId>>::Balance;

	/// A genesis allocation entry: `(role, account, amount, unlock)`.
	pub type GenesisAllocationOf<T> = (
		AllocationRole,
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		Option<StepUnlock<BlockNumberFor<T>>>,
	);

	/// A stored allocation.
	pub type AllocationOf<T> =
		Allocation<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The currency in which allocations are minted.
		type Currency: Mutate<Self::AccountId, Balance = VestingBalanceOf<Self>>;

		/// Vesting schedules that hold the locked allocations (`pallet-vesting`).
		type Vesting: VestingSchedule<Self::AccountId, Moment = BlockNumberFor<Self>>;

		/// Most unlock steps an allocation may have; must not exceed the vesting pallet's
		/// maximum number of schedules per account.
		#[pallet::constant]
		type MaxUnlockSteps: Get<u32>;
	}

	/// The genesis allocation table, by role, for wallets and explorers.
	#[pallet::storage]
	pub type Allocations<T: Config> =
		StorageMap<_, Twox64Concat, AllocationRole, AllocationOf<T>, OptionQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `(role, account, amount, unlock)`; `unlock = None` means liquid.
		pub allocations: Vec<GenesisAllocationOf<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// Genesis building cannot return errors (`BuildGenesisConfig::build` returns `()`)
			// and never runs in block execution: an invalid chain spec stops here, when the
			// spec is built, with a message naming the entry.
			for (role, account, amount, unlock) in &self.allocations {
				if let Err(e) = Pallet::<T>::allocate(*role, account, *amount, *unlock) {
					panic!("invalid genesis allocation {role:?}: {e:?}");
				}
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	impl<T: Config> Pallet<T> {
		/// Every recorded allocation is positive and its unlock schedule valid (the table is
		/// written once, at genesis).
		#[cfg(any(test, feature = "try-runtime"))]
		pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			for (_, allocation) in Allocations::<T>::iter() {
				polkadot_sdk::frame_support::ensure!(
					!allocation.amount.is_zero(),
					"an allocation of zero"
				);
				if let Some(unlock) = &allocation.unlock {
					unlock_steps(allocation.amount, unlock, T::MaxUnlockSteps::get())
						.map_err(|_| "an allocation's unlock schedule is invalid")?;
				}
			}
			Ok(())
		}
	}

	/// Why a genesis allocation entry is invalid.
	#[derive(Debug, PartialEq, Eq)]
	pub enum GenesisError {
		/// The role appears twice.
		DuplicateRole,
		/// The amount is zero.
		ZeroAmount,
		/// The step unlock is invalid.
		Schedule(ScheduleError),
		/// Minting into the account failed (e.g. it would overflow total issuance).
		Mint,
		/// The vesting pallet refused a schedule (e.g. too many schedules for the account).
		Vesting,
	}

	impl<T: Config> Pallet<T> {
		/// Mints `amount` into `account`, locks it by `unlock` and records it under `role`.
		pub(crate) fn allocate(
			role: AllocationRole,
			account: &T::AccountId,
			amount: BalanceOf<T>,
			unlock: Option<StepUnlock<BlockNumberFor<T>>>,
		) -> Result<(), GenesisError> {
			if Allocations::<T>::contains_key(role) {
				return Err(GenesisError::DuplicateRole);
			}
			if amount.is_zero() {
				return Err(GenesisError::ZeroAmount);
			}
			let parts = match &unlock {
				Some(u) => unlock_steps(amount, u, T::MaxUnlockSteps::get())
					.map_err(GenesisError::Schedule)?,
				None => Vec::new(),
			};
			T::Currency::mint_into(account, amount).map_err(|_| GenesisError::Mint)?;
			for part in parts {
				let starting_block = part.unlocks_at.saturating_sub(One::one());
				T::Vesting::add_vesting_schedule(account, part.amount, part.amount, starting_block)
					.map_err(|_| GenesisError::Vesting)?;
			}
			Allocations::<T>::insert(role, Allocation { account: account.clone(), amount, unlock });
			Ok(())
		}
	}
}
