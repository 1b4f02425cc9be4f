//! Pure step-unlock arithmetic, kept apart from storage so it can be property-tested.

use alloc::vec::Vec;
use codec::{Decode, Encode, MaxEncodedLen};
use core::fmt::Debug;
use polkadot_sdk::sp_runtime::traits::AtLeast32BitUnsigned;
use scale_info::TypeInfo;

/// Funds locked until `first_unlock`, then released in `steps` equal parts, one every
/// `step_period` blocks (the last part also takes the division remainder).
///
/// design §2 team allocations: `first_unlock` = month 24, `steps` = 5, `step_period` = 1 month,
/// so 20 % unlocks at month 24 and the rest by month 28.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	TypeInfo,
	MaxEncodedLen,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StepUnlock<BlockNumber> {
	/// Block at which the first part becomes transferable (after a `vest`).
	pub first_unlock: BlockNumber,
	/// Number of equal parts.
	pub steps: u32,
	/// Blocks between two parts.
	pub step_period: BlockNumber,
}

/// One part of a step unlock: `amount` becomes transferable at block `unlocks_at`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct UnlockStep<Balance, BlockNumber> {
	/// Amount released by this step.
	pub amount: Balance,
	/// First block at which the amount is no longer locked.
	pub unlocks_at: BlockNumber,
}

/// Why a step unlock cannot be built.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ScheduleError {
	/// `steps` is zero.
	ZeroSteps,
	/// `steps` is above the configured maximum.
	TooManySteps,
	/// `first_unlock` is block 0: nothing would be locked.
	UnlockAtGenesis,
	/// More than one step and a `step_period` of zero.
	ZeroStepPeriod,
	/// The amount is smaller than the number of steps, so a step would release nothing.
	AmountTooSmall,
	/// The last unlock block does not fit in the block number type.
	UnlockOverflow,
}

/// Splits `amount` into the steps of `unlock`, at most `max_steps` of them.
///
/// The parts sum to exactly `amount`: each is `amount / steps`, and the last also takes
/// `amount % steps`.
pub fn unlock_steps<Balance, BlockNumber>(
	amount: Balance,
	unlock: &StepUnlock<BlockNumber>,
	max_steps: u32,
) -> Result<Vec<UnlockStep<Balance, BlockNumber>>, ScheduleError>
where
	Balance: AtLeast32BitUnsigned + Copy,
	BlockNumber: AtLeast32BitUnsigned + Copy,
{
	if unlock.steps == 0 {
		return Err(ScheduleError::ZeroSteps);
	}
	if unlock.steps > max_steps {
		return Err(ScheduleError::TooManySteps);
	}
	if unlock.first_unlock.is_zero() {
		return Err(ScheduleError::UnlockAtGenesis);
	}
	if unlock.steps > 1 && unlock.step_period.is_zero() {
		return Err(ScheduleError::ZeroStepPeriod);
	}
	let steps_as_balance = Balance::from(unlock.steps);
	let part = amount / steps_as_balance;
	if part.is_zero() {
		return Err(ScheduleError::AmountTooSmall);
	}
	let remainder = amount % steps_as_balance;

	let mut parts = Vec::with_capacity(unlock.steps as usize);
	for i in 0..unlock.steps {
		let offset = unlock
			.step_period
			.checked_mul(&BlockNumber::from(i))
			.ok_or(ScheduleError::UnlockOverflow)?;
		let unlocks_at =
			unlock.first_unlock.checked_add(&offset).ok_or(ScheduleError::UnlockOverflow)?;
		let amount = if i + 1 == unlock.steps { part.saturating_add(remainder) } else { part };
		parts.push(UnlockStep { amount, unlocks_at });
	}
	Ok(parts)
}

/// Amount still locked at block `now`: the sum of the parts not yet unlocked.
pub fn locked_at<Balance, BlockNumber>(
	parts: &[UnlockStep<Balance, BlockNumber>],
	now: BlockNumber,
) -> Balance
where
	Balance: AtLeast32BitUnsigned + Copy,
	BlockNumber: AtLeast32BitUnsigned + Copy,
{
	parts
		.iter()
		.filter(|p| p.unlocks_at > now)
		.fold(Balance::zero(), |acc, p| acc.saturating_add(p.amount))
}
