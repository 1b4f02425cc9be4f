//! Spam rules (KOMA 5.11): what the transaction pool refuses before a transaction can cost
//! the network anything.
//!
//! - **Zero-value transfers** of KMCC (`balances.transfer_allow_death`,
//!   `transfer_keep_alive`) and of assets (`assets.transfer`, `transfer_keep_alive`,
//!   `transfer_approved`) move nothing and only fill blocks and event logs. [`CheckNonZeroTransfer`]
//!   refuses them, also when wrapped in `utility` calls, `proxy.proxy`, `multisig.as_multi` or
//!   `recovery.control_inherited_account`,
//!   with `InvalidTransaction::Custom(`[`ZERO_VALUE_TRANSFER`]`)`. The pool never admits them
//!   and a block author cannot include them.
//! - **The fee floor**: every transaction pays the base fee of an extrinsic plus its length
//!   (0.00001 KMCC per byte) and weight fee, scaled by the fee multiplier, which never drops
//!   below 0.1 (`configs::monetary`). A minimal transfer costs about 0.0015 KMCC.
//! - **Duplicates**: a signed transaction carries its account nonce (`CheckNonce`); the pool
//!   refuses a second copy of a transaction it holds (`AlreadyImported`), and a transaction whose
//!   nonce was used is `Stale`. Mortal transactions (`CheckEra`) cannot be replayed after their
//!   era either.

use crate::{Runtime, RuntimeCall, RuntimeOrigin};
use codec::{Decode, DecodeWithMemTracking, Encode};
use polkadot_sdk::{
	frame_support::{pallet_prelude::TransactionSource, weights::Weight},
	frame_system, pallet_assets, pallet_balances, pallet_multisig, pallet_proxy, pallet_recovery,
	pallet_utility,
	sp_runtime::{
		impl_tx_ext_default,
		traits::{DispatchInfoOf, TransactionExtension, ValidateResult},
		transaction_validity::InvalidTransaction,
	},
};
use scale_info::TypeInfo;

/// `InvalidTransaction::Custom` code of a transfer of zero KMCC or zero asset units.
pub const ZERO_VALUE_TRANSFER: u8 = 100;

/// Wrappers deeper than this are refused outright: no honest transaction nests so deep, and
/// the check stays linear in the call's size.
const MAX_NESTING: u32 = 8;

/// Whether `call`, or any call it wraps, transfers zero KMCC or zero units of an asset
/// (`true` as well when it nests deeper than [`MAX_NESTING`]).
pub fn transfers_zero(call: &RuntimeCall) -> bool {
	transfers_zero_within(call, 0)
}

fn transfers_zero_within(call: &RuntimeCall, depth: u32) -> bool {
	if depth > MAX_NESTING {
		return true;
	}
	let inner = |calls: &[RuntimeCall]| calls.iter().any(|c| transfers_zero_within(c, depth + 1));
	match call {
		RuntimeCall::Balances(
			pallet_balances::Call::transfer_allow_death { value, .. }
			| pallet_balances::Call::transfer_keep_alive { value, .. },
		) => *value == 0,
		RuntimeCall::Assets(
			pallet_assets::Call::transfer { amount, .. }
			| pallet_assets::Call::transfer_keep_alive { amount, .. }
			| pallet_assets::Call::transfer_approved { amount, .. },
		) => *amount == 0,
		RuntimeCall::Utility(
			pallet_utility::Call::batch { calls }
			| pallet_utility::Call::batch_all { calls }
			| pallet_utility::Call::force_batch { calls },
		) => inner(calls),
		RuntimeCall::Utility(pallet_utility::Call::if_else { main, fallback }) => {
			transfers_zero_within(main, depth + 1) || transfers_zero_within(fallback, depth + 1)
		}
		RuntimeCall::Utility(
			pallet_utility::Call::as_derivative { call, .. }
			| pallet_utility::Call::dispatch_as { call, .. }
			| pallet_utility::Call::dispatch_as_fallible { call, .. }
			| pallet_utility::Call::with_weight { call, .. },
		)
		| RuntimeCall::Recovery(pallet_recovery::Call::control_inherited_account {
			call, ..
		})
		| RuntimeCall::Proxy(
			pallet_proxy::Call::proxy { call, .. }
			| pallet_proxy::Call::proxy_announced { call, .. },
		)
		| RuntimeCall::Multisig(
			pallet_multisig::Call::as_multi { call, .. }
			| pallet_multisig::Call::as_multi_threshold_1 { call, .. },
		) => transfers_zero_within(call, depth + 1),
		_ => false,
	}
}

/// Refuses transactions that transfer zero value (see the module doc).
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, Default, TypeInfo)]
pub struct CheckNonZeroTransfer;

impl core::fmt::Debug for CheckNonZeroTransfer {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckNonZeroTransfer")
	}
}

impl TransactionExtension<RuntimeCall> for CheckNonZeroTransfer {
	const IDENTIFIER: &'static str = "CheckNonZeroTransfer";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	/// A match over the call without storage access: the measured cost of `CheckNonZeroSender`,
	/// the same kind of check.
	fn weight(&self, _: &RuntimeCall) -> Weight {
		use frame_system::ExtensionsWeightInfo as _;
		<Runtime as frame_system::Config>::ExtensionsWeightInfo::check_non_zero_sender()
	}

	fn validate(
		&self,
		origin: RuntimeOrigin,
		call: &RuntimeCall,
		_info: &DispatchInfoOf<RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Encode,
		_source: TransactionSource,
	) -> ValidateResult<Self::Val, RuntimeCall> {
		if transfers_zero(call) {
			return Err(InvalidTransaction::Custom(ZERO_VALUE_TRANSFER).into());
		}
		Ok((Default::default(), (), origin))
	}

	impl_tx_ext_default!(RuntimeCall; prepare);
}
