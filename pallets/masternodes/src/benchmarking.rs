//! Benchmarks: every call, heartbeat authorization, the per-block payment and the PoSe check,
//! with the queue length `q` as component where it matters.

use super::*;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::traits::{fungible::Mutate, Authorize, Get},
	frame_system::{self, RawOrigin},
	sp_runtime::{
		traits::{Saturating, StaticLookup},
		transaction_validity::TransactionSource,
		RuntimeAppPublic, SaturatedConversion,
	},
};

/// Registers a masternode for a fresh funded account; returns (id, owner, operator).
/// `operator`'s proof that it serves `owner`'s masternode.
fn ownership_of<T: Config>(
	operator: &T::OperatorId,
	owner: &T::AccountId,
) -> OperatorSignatureOf<T> {
	operator.sign(&operator_ownership_payload(owner)).expect("key in the keystore")
}

fn registered<T: Config>(index: u32) -> (MasternodeId, T::AccountId, T::OperatorId) {
	let owner: T::AccountId = account("owner", index, 0);
	let collateral = MasternodeCollateral::<T>::get();
	T::Currency::set_balance(
		&owner,
		collateral.saturating_mul(2).saturating_add(kmcc_primitives::currency::KMCC),
	);
	let operator = T::OperatorId::generate_pair(None);
	let id = NextMasternodeId::<T>::get();
	let endpoint: EndpointOf<T> =
		alloc::vec![b'x'; T::MaxEndpointLength::get() as usize].try_into().unwrap_or_default();
	let ownership = ownership_of::<T>(&operator, &owner);
	Pallet::<T>::register(
		RawOrigin::Signed(owner.clone()).into(),
		operator.clone(),
		T::Lookup::unlookup(owner.clone()),
		endpoint,
		ownership,
	)
	.expect("benchmark registration");
	(id, owner, operator)
}

/// Fills the queue with `q` masternodes, all banned except the last (the worst case for the
/// payment scan), and returns the last one.
fn queue_with_banned_head<T: Config>(q: u32) -> MasternodeId {
	let mut last = 0;
	for i in 0..q {
		last = registered::<T>(i).0;
	}
	PaymentQueue::<T>::mutate(|queue| {
		let len = queue.len();
		for (i, entry) in queue.iter_mut().enumerate() {
			entry.enabled = i + 1 == len;
		}
	});
	last
}

fn advance<T: Config>(blocks: u32) {
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now.saturating_add(blocks.into()));
}

fn signed_heartbeat<T: Config>(
	id: MasternodeId,
	operator: &T::OperatorId,
) -> (Heartbeat<BlockNumberFor<T>>, OperatorSignatureOf<T>) {
	let heartbeat =
		Heartbeat { masternode: id, block_number: frame_system::Pallet::<T>::block_number() };
	let signature = operator
		.sign(&Pallet::<T>::heartbeat_payload(&heartbeat))
		.expect("key generated in the keystore");
	(heartbeat, signature)
}

#[benchmarks(where <T as frame_system::Config>::RuntimeCall: From<Call<T>>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register() {
		let max = T::MaxMasternodes::get().saturating_sub(1);
		for i in 0..max {
			registered::<T>(i);
		}
		let owner: T::AccountId = account("owner", max, 0);
		T::Currency::set_balance(&owner, MasternodeCollateral::<T>::get().saturating_mul(2));
		let operator = T::OperatorId::generate_pair(None);
		let endpoint: EndpointOf<T> =
			alloc::vec![b'x'; T::MaxEndpointLength::get() as usize].try_into().unwrap_or_default();

		let payout = T::Lookup::unlookup(owner.clone());
		let ownership = ownership_of::<T>(&operator, &owner);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), operator.clone(), payout, endpoint, ownership);

		assert!(OperatorIndex::<T>::contains_key(&operator));
	}

	#[benchmark]
	fn heartbeat() {
		let (id, _, operator) = registered::<T>(0);
		advance::<T>(HeartbeatPeriod::<T>::get().saturated_into());
		let (beat, signature) = signed_heartbeat::<T>(id, &operator);

		#[extrinsic_call]
		_(RawOrigin::Authorized, beat, signature);

		let now = frame_system::Pallet::<T>::block_number();
		assert_eq!(Masternodes::<T>::get(id).map(|m| m.last_heartbeat), Some(now));
	}

	#[benchmark]
	fn authorize_heartbeat() -> Result<(), BenchmarkError> {
		let (id, _, operator) = registered::<T>(0);
		advance::<T>(HeartbeatPeriod::<T>::get().saturated_into());
		let (beat, signature) = signed_heartbeat::<T>(id, &operator);
		let call: <T as frame_system::Config>::RuntimeCall =
			Call::<T>::heartbeat { heartbeat: beat, signature }.into();

		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or("heartbeat has authorize logic")?
				.map_err(|_| "authorized")?;
		}
		Ok(())
	}

	#[benchmark]
	fn revive(q: Linear<1, { T::MaxMasternodes::get() }>) {
		let id = queue_with_banned_head::<T>(q);
		let (first, owner) = Masternodes::<T>::get(0).map(|m| (0, m.owner)).expect("queued");
		Masternodes::<T>::mutate(first, |m| {
			if let Some(m) = m {
				m.status = MasternodeStatus::Banned { since: 0u32.into() };
			}
		});
		let _ = id;

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), first);

		assert_eq!(Masternodes::<T>::get(first).map(|m| m.status), Some(MasternodeStatus::Enabled));
	}

	#[benchmark]
	fn deregister(q: Linear<1, { T::MaxMasternodes::get() }>) {
		queue_with_banned_head::<T>(q);
		let owner = Masternodes::<T>::get(0).map(|m| m.owner).expect("queued");

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), 0);

		assert!(PaymentQueue::<T>::get().iter().all(|e| e.id != 0));
	}

	#[benchmark]
	fn withdraw_collateral() {
		let (id, owner, _) = registered::<T>(0);
		Pallet::<T>::deregister(RawOrigin::Signed(owner.clone()).into(), id).expect("deregister");
		advance::<T>(UnbondingPeriod::<T>::get().saturated_into());

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);

		assert!(Masternodes::<T>::get(id).is_none());
	}

	/// The per-block payment: scan past `q − 1` banned masternodes to the last one.
	#[benchmark]
	fn pay_share(q: Linear<1, { T::MaxMasternodes::get() }>) {
		let last = queue_with_banned_head::<T>(q);
		let share =
			<T::Currency as polkadot_sdk::frame_support::traits::fungible::Balanced<_>>::issue(
				kmcc_primitives::currency::KMCC,
			);

		#[block]
		{
			Pallet::<T>::pay_share(share);
		}

		let now = frame_system::Pallet::<T>::block_number();
		assert_eq!(PaymentQueue::<T>::get().last().map(|e| (e.id, e.last_paid)), Some((last, now)));
	}

	/// The PoSe check with `q` enabled masternodes that all missed their heartbeat and are
	/// banned (every record rewritten).
	#[benchmark]
	fn check_heartbeats(q: Linear<1, { T::MaxMasternodes::get() }>) {
		for i in 0..q {
			let (id, _, _) = registered::<T>(i);
			Masternodes::<T>::mutate(id, |m| {
				if let Some(m) = m {
					m.pose_score = 1_000;
				}
			});
		}
		let period: u32 = HeartbeatPeriod::<T>::get().saturated_into();
		advance::<T>(period.saturating_mul(2));
		let now = frame_system::Pallet::<T>::block_number();

		#[block]
		{
			Pallet::<T>::check_heartbeats(now);
		}

		assert!(PaymentQueue::<T>::get().iter().all(|e| !e.enabled));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
