//! Precompiles: native KMCC capabilities at fixed contract addresses, for Solidity contracts and
//! Ethereum wallets (design §9).
//!
//! | address | interface | what |
//! | --- | --- | --- |
//! | `0x0000…08000000` | [`IDpos.sol`](IDpos.sol) | DPoS leasing: lease, unlease, claim rewards, read a lease |
//!
//! A precompile charges the weight of what it does before doing it (the dispatchable's declared
//! weight, or the storage reads), refuses state changes in a static or delegate call, and
//! turns every refusal into a revert with a reason (`Error(string)`), so that state is unchanged
//! and Solidity sees why.

use alloc::{format, vec::Vec};
use core::{marker::PhantomData, num::NonZero};
use polkadot_sdk::{
	frame_support::dispatch::GetDispatchInfo,
	frame_system,
	pallet_revive::{
		self,
		precompiles::{
			alloy::{self, sol_types::SolValue},
			AddressMatcher, Error, Ext, Precompile, RuntimeCosts, H160, U256,
		},
	},
	sp_runtime::{traits::Dispatchable, DispatchError},
};

use crate::{AccountId, Balance, Runtime, RuntimeCall};

alloy::sol!("src/precompiles/IDpos.sol");

/// The DPoS precompile's address suffix: `0x…0800_0000`.
pub const DPOS_PRECOMPILE_INDEX: u16 = 0x0800;

/// [`IDpos.sol`](IDpos.sol): `Dpos` leasing for Ethereum accounts and contracts.
pub struct DposPrecompile<T>(PhantomData<T>);

impl DposPrecompile<Runtime> {
	/// The precompile's address.
	pub fn address() -> H160 {
		H160(<Self as Precompile>::MATCHER.base_address())
	}
}

/// A `uint256` amount as KMCC planck, or a revert if it does not fit.
fn balance(amount: &alloy::primitives::U256, what: &str) -> Result<Balance, Error> {
	U256::from_big_endian(&amount.to_be_bytes::<32>())
		.try_into()
		.map_err(|_| Error::Revert(format!("{what}: amount exceeds the KMCC supply").into()))
}

/// The name of a dispatch error, as a revert reason: `"lease: LeaseTooSmall"`.
fn revert(what: &str, error: DispatchError) -> Error {
	let name = match error {
		DispatchError::Module(module) => module.message.unwrap_or("Module"),
		other => <&'static str>::from(other),
	};
	Error::Revert(format!("{what}: {name}").into())
}

impl Precompile for DposPrecompile<Runtime> {
	type T = Runtime;
	type Interface = IDpos::IDposCalls;
	// A constant: the `panic!` runs in the compiler (a zero index fails the build), never in
	// the runtime.
	const MATCHER: AddressMatcher =
		AddressMatcher::Fixed(match NonZero::new(DPOS_PRECOMPILE_INDEX) {
			Some(index) => index,
			None => panic!("the index is not zero"),
		});
	const HAS_CONTRACT_INFO: bool = false;

	fn call(
		_address: &[u8; 20],
		input: &Self::Interface,
		env: &mut impl Ext<T = Runtime>,
	) -> Result<Vec<u8>, Error> {
		use IDpos::IDposCalls;
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		match input {
			IDposCalls::lease(IDpos::leaseCall { candidate, amount }) => {
				let call = pallet_dpos::Call::lease {
					candidate: AccountId::new(candidate.0),
					amount: balance(amount, "lease")?,
				};
				dispatch_as_caller(env, "lease", call)
			}
			IDposCalls::unlease(IDpos::unleaseCall { candidate, amount }) => {
				let call = pallet_dpos::Call::unlease {
					candidate: AccountId::new(candidate.0),
					amount: balance(amount, "unlease")?,
				};
				dispatch_as_caller(env, "unlease", call)
			}
			IDposCalls::claimRewards(IDpos::claimRewardsCall { candidate }) => {
				let call =
					pallet_dpos::Call::claim_rewards { candidate: AccountId::new(candidate.0) };
				dispatch_as_caller(env, "claimRewards", call)
			}
			IDposCalls::leaseOf(IDpos::leaseOfCall { holder, candidate }) => {
				// The lease, and the candidate's reward accumulator.
				env.frame_meter_mut().charge_weight_token(RuntimeCosts::Precompile(db.reads(3)))?;
				let holder = env.to_account_id(&H160::from_slice(holder.as_slice()));
				let candidate = AccountId::new(candidate.0);
				let amount = pallet_dpos::Leases::<Runtime>::get(&holder, &candidate)
					.map(|lease| lease.amount)
					.unwrap_or_default();
				let pending = pallet_dpos::Pallet::<Runtime>::pending_rewards(&holder, &candidate);
				Ok((alloy::primitives::U256::from(amount), alloy::primitives::U256::from(pending))
					.abi_encode())
			}
			IDposCalls::isCandidate(IDpos::isCandidateCall { candidate }) => {
				env.frame_meter_mut().charge_weight_token(RuntimeCosts::Precompile(db.reads(1)))?;
				let candidate = AccountId::new(candidate.0);
				Ok(pallet_dpos::Candidates::<Runtime>::contains_key(&candidate).abi_encode())
			}
		}
	}
}

/// Dispatches `call` as the precompile's caller, after charging its declared weight; refused in
/// a static or delegate call, and for a caller without an account (root).
fn dispatch_as_caller(
	env: &mut impl Ext<T = Runtime>,
	what: &str,
	call: pallet_dpos::Call<Runtime>,
) -> Result<Vec<u8>, Error> {
	let call = RuntimeCall::Dpos(call);
	env.frame_meter_mut()
		.charge_weight_token(RuntimeCosts::Precompile(call.get_dispatch_info().total_weight()))?;
	if env.is_read_only() {
		return Err(pallet_revive::Error::<Runtime>::StateChangeDenied.into());
	}
	if env.is_delegate_call() {
		return Err(pallet_revive::Error::<Runtime>::PrecompileDelegateDenied.into());
	}
	let caller = env
		.caller()
		.account_id()
		.map_err(|_| Error::Revert(format!("{what}: the caller has no KMCC account").into()))?
		.clone();
	call.dispatch(frame_system::RawOrigin::Signed(caller).into())
		.map_err(|e| revert(what, e.error))?;
	Ok(Vec::new())
}
