//! Benchmarks of `pallet_session`'s calls on this runtime. The SDK's own
//! (`pallet-session-benchmarking`) need `pallet-staking`, which this chain does not have: here
//! any funded account sets keys, as a DPoS candidate does before registering.

use crate::{AccountId, Runtime, SessionKeys};
use alloc::vec::Vec;
use codec::Encode;
use polkadot_sdk::{
	frame_benchmarking::v2::*, frame_support::traits::fungible::Mutate, frame_system::RawOrigin,
	pallet_session,
};

/// The benchmarked pallet: `pallet_session` as configured in this runtime.
pub struct Pallet<T: Config>(core::marker::PhantomData<T>);

/// Nothing to configure: the benchmarks use the runtime's own types.
pub trait Config: pallet_session::Config {}
impl Config for Runtime {}

/// A funded account and fresh session keys with their ownership proof for it.
fn keys_for(index: u32) -> (AccountId, SessionKeys, Vec<u8>) {
	let who: AccountId = account("validator", index, 0);
	crate::Balances::set_balance(&who, 1_000_000 * crate::KMCC);
	let generated = SessionKeys::generate(&who.encode(), None);
	(who, generated.keys, generated.proof.encode())
}

#[benchmarks(where T: Config + pallet_session::Config<Keys = SessionKeys, ValidatorId = AccountId>)]
mod benchmarks {
	use super::*;

	/// An account's first keys: both ownership proofs checked, the key deposit held, the keys
	/// and their owners recorded.
	#[benchmark]
	fn set_keys() {
		let (who, keys, proof) = keys_for(0);
		#[block]
		{
			pallet_session::Pallet::<Runtime>::set_keys(
				RawOrigin::Signed(who.clone()).into(),
				keys,
				proof,
			)
			.expect("fresh keys with a valid proof");
		}
		assert!(pallet_session::NextKeys::<Runtime>::contains_key(&who));
	}

	/// Removing an account's keys: the owners cleared, the deposit released.
	#[benchmark]
	fn purge_keys() {
		let (who, keys, proof) = keys_for(1);
		pallet_session::Pallet::<Runtime>::set_keys(
			RawOrigin::Signed(who.clone()).into(),
			keys,
			proof,
		)
		.expect("fresh keys with a valid proof");
		#[block]
		{
			pallet_session::Pallet::<Runtime>::purge_keys(RawOrigin::Signed(who.clone()).into())
				.expect("keys are set");
		}
		assert!(!pallet_session::NextKeys::<Runtime>::contains_key(&who));
	}
}
