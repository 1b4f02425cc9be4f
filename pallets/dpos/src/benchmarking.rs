//! Benchmarks: every call at its worst case, the era election with `c` candidates and a
//! slash through `pallet-offences` with `r` reporters.

use super::*;
use crate::pallet::*;
use codec::Encode;
use kmcc_primitives::{currency::KMCC, Balance};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		traits::{fungible::Mutate, EnsureOrigin, Get, Hooks},
		weights::Weight,
	},
	frame_system::{self, RawOrigin},
	sp_consensus_aura::{Slot, AURA_ENGINE_ID},
	sp_runtime::{
		traits::{Header as _, Saturating},
		Digest, DigestItem, Perbill, RuntimeAppPublic,
	},
	sp_staking::offence::{OffenceDetails, OnOffenceHandler},
};

const SEED: u32 = 0;

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	T::Currency::set_balance(&who, 1_000_000_000 * KMCC);
	who
}

fn min_deposit<T: Config>() -> Balance {
	Parameters::<T>::get().map_or(KMCC, |p| p.min_candidate_deposit)
}

fn min_lease<T: Config>() -> Balance {
	Parameters::<T>::get().map_or(KMCC, |p| p.min_lease).max(KMCC)
}

/// A registered candidate with session keys (its authoring key is returned).
fn candidate<T: Config>(index: u32) -> (T::AccountId, T::AuthorityId) {
	let who = funded::<T>("candidate", index);
	let key =
		T::AuthorityId::generate_pair(Some(alloc::format!("//dpos-bench-{index}").into_bytes()));
	T::BenchmarkHelper::set_session_keys(&who, &key);
	Pallet::<T>::register_candidate(
		RawOrigin::Signed(who.clone()).into(),
		min_deposit::<T>().saturating_add(Balance::from(index)),
		Perbill::from_percent(5),
	)
	.expect("benchmark candidate");
	(who, key)
}

/// Fills the candidate list up to `c` candidates (genesis ones included); returns the list.
fn candidates<T: Config>(c: u32) -> alloc::vec::Vec<T::AccountId> {
	let existing = CandidateList::<T>::decode_len().unwrap_or(0) as u32;
	for i in existing..c {
		candidate::<T>(1_000 + i);
	}
	CandidateList::<T>::get().into_inner()
}

/// A block reward for `author`, so that its lessors have something pending.
fn reward<T: Config>(author: &T::AccountId) {
	let credit = <T::Currency as polkadot_sdk::frame_support::traits::fungible::Balanced<
		T::AccountId,
	>>::issue(1_000 * KMCC);
	Pallet::<T>::distribute(author, credit);
}

fn advance<T: Config>(blocks: BlockNumberFor<T>) {
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now.saturating_add(blocks));
}

/// Records `key` as `owner`'s authoring key among a full committee's keys (the key last, the
/// worst case of the lookup) for a session that started at block 0, and makes the (zero)
/// parent hash of [`sealed_header`]'s block 7 a known block of the chain.
fn record_keys_of<T: Config>(owner: &T::AccountId, key: &T::AuthorityId) {
	let size = T::MaxCommitteeSize::get();
	let mut keys: alloc::vec::Vec<(T::AccountId, T::AuthorityId)> = (1..size)
		.map(|i| (account("member", i, SEED), T::AuthorityId::generate_pair(None)))
		.collect();
	keys.push((owner.clone(), key.clone()));
	RecordedSessions::<T>::put(BoundedVec::truncate_from(alloc::vec![(0, 0u32.into())]));
	AuthoringKeys::<T>::insert(0, BoundedVec::truncate_from(keys));
	frame_system::BlockHash::<T>::insert(BlockNumberFor::<T>::from(6u32), T::Hash::default());
}

fn sealed_header<T: Config>(key: &T::AuthorityId, extra: u8) -> HeaderOf<T> {
	let digest = Digest {
		logs: alloc::vec![
			DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(42u64).encode()),
			DigestItem::Other(alloc::vec![extra]),
		],
	};
	let mut header = HeaderOf::<T>::new(
		7u32.into(),
		Default::default(),
		Default::default(),
		Default::default(),
		digest,
	);
	let signature = key.sign(&header.hash().as_ref()).expect("key in the keystore");
	header.digest_mut().push(DigestItem::Seal(AURA_ENGINE_ID, signature.encode()));
	header
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_candidate(c: Linear<0, { T::MaxCandidates::get().saturating_sub(1) }>) {
		candidates::<T>(c);
		let who = funded::<T>("new", 0);
		let key = T::AuthorityId::generate_pair(None);
		T::BenchmarkHelper::set_session_keys(&who, &key);
		let deposit = min_deposit::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), deposit, Perbill::from_percent(5));
		assert!(Candidates::<T>::contains_key(&who));
	}

	#[benchmark]
	fn set_deposit() {
		let (who, _) = candidate::<T>(0);
		Pallet::<T>::set_deposit(
			RawOrigin::Signed(who.clone()).into(),
			min_deposit::<T>().saturating_mul(3),
		)
		.expect("raise");
		let lower = min_deposit::<T>().saturating_mul(2);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), lower);
		assert_eq!(Candidates::<T>::get(&who).map(|c| c.deposit), Some(lower));
	}

	#[benchmark]
	fn set_commission() {
		let (who, _) = candidate::<T>(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), Perbill::from_percent(1));
		assert_eq!(
			Candidates::<T>::get(&who).map(|c| c.commission),
			Some(Perbill::from_percent(1))
		);
	}

	#[benchmark]
	fn withdraw_candidacy(c: Linear<1, { T::MaxCandidates::get() }>) {
		let list = candidates::<T>(c);
		let who = list.last().cloned().expect("c ≥ 1");
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert_eq!(Candidates::<T>::get(&who).map(|c| c.status), Some(CandidateStatus::Leaving));
	}

	#[benchmark]
	fn lease() {
		// Worst case: a holder with the most leases adding to one with rewards pending.
		let holder = funded::<T>("holder", 0);
		let max = T::MaxLeasesPerHolder::get();
		let mut target = None;
		for i in 0..max {
			let (c, _) = candidate::<T>(i);
			Pallet::<T>::lease(
				RawOrigin::Signed(holder.clone()).into(),
				c.clone(),
				min_lease::<T>(),
			)
			.expect("lease");
			target = Some(c);
		}
		let target = target.expect("MaxLeasesPerHolder ≥ 1");
		reward::<T>(&target);
		let amount = min_lease::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(holder.clone()), target.clone(), amount);
		assert_eq!(
			Leases::<T>::get(&holder, &target).map(|l| l.amount),
			Some(amount.saturating_mul(2))
		);
	}

	#[benchmark]
	fn unlease(c: Linear<1, { T::MaxCandidates::get() }>) {
		// Worst case: the last lease of a withdrawn candidate, whose record is then pruned.
		let list = candidates::<T>(c);
		let target = list.last().cloned().expect("c ≥ 1");
		let holder = funded::<T>("holder", 0);
		let amount = min_lease::<T>();
		Pallet::<T>::lease(RawOrigin::Signed(holder.clone()).into(), target.clone(), amount)
			.expect("lease");
		reward::<T>(&target);
		Pallet::<T>::withdraw_candidacy(RawOrigin::Signed(target.clone()).into())
			.expect("withdraw");
		advance::<T>(Parameters::<T>::get().map(|p| p.unbonding_period).unwrap_or_default());
		Pallet::<T>::withdraw_unbonded(RawOrigin::Signed(target.clone()).into()).expect("unbond");
		#[extrinsic_call]
		_(RawOrigin::Signed(holder.clone()), target.clone(), amount);
		assert!(!Candidates::<T>::contains_key(&target));
	}

	#[benchmark]
	fn claim_rewards() {
		let (target, _) = candidate::<T>(0);
		let holder = funded::<T>("holder", 0);
		Pallet::<T>::lease(
			RawOrigin::Signed(holder.clone()).into(),
			target.clone(),
			min_lease::<T>(),
		)
		.expect("lease");
		reward::<T>(&target);
		assert!(Pallet::<T>::pending_rewards(&holder, &target) > 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(holder.clone()), target.clone());
		assert_eq!(Pallet::<T>::pending_rewards(&holder, &target), 0);
	}

	#[benchmark]
	fn withdraw_unbonded(
		u: Linear<1, { T::MaxUnbondingChunks::get() }>,
		c: Linear<1, { T::MaxCandidates::get() }>,
	) {
		// A withdrawn candidate frees its deposit and `u − 1` lease chunks; then its record
		// is pruned from a list of `c`.
		let list = candidates::<T>(c);
		let who = list.last().cloned().expect("c ≥ 1");
		let other = if c > 1 { list.first().cloned() } else { None };
		if let Some(other) = other {
			Pallet::<T>::lease(
				RawOrigin::Signed(who.clone()).into(),
				other.clone(),
				min_lease::<T>().saturating_mul(u.into()),
			)
			.expect("lease");
			for _ in 1..u {
				Pallet::<T>::unlease(
					RawOrigin::Signed(who.clone()).into(),
					other.clone(),
					min_lease::<T>(),
				)
				.expect("unlease");
			}
		}
		Pallet::<T>::withdraw_candidacy(RawOrigin::Signed(who.clone()).into()).expect("withdraw");
		advance::<T>(Parameters::<T>::get().map(|p| p.unbonding_period).unwrap_or_default());
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(Unbonding::<T>::get(&who).is_empty());
	}

	#[benchmark]
	fn report_double_authoring() {
		let (offender, key) = candidate::<T>(0);
		let reporter = funded::<T>("reporter", 0);
		record_keys_of::<T>(&offender, &key);
		let first = sealed_header::<T>(&key, 1);
		let second = sealed_header::<T>(&key, 2);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(reporter),
			key,
			alloc::boxed::Box::new(first),
			alloc::boxed::Box::new(second),
		);
		assert_eq!(
			Candidates::<T>::get(&offender).map(|c| c.status),
			Some(CandidateStatus::Slashed)
		);
	}

	#[benchmark]
	fn set_parameters() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let mut parameters = Parameters::<T>::get().expect("genesis parameters");
		parameters.min_lease = parameters.min_lease.saturating_add(1);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, parameters.clone());
		assert_eq!(Parameters::<T>::get(), Some(parameters));
		Ok(())
	}

	#[benchmark]
	fn elect(c: Linear<1, { T::MaxCandidates::get() }>) {
		candidates::<T>(c);
		let next_era = EraStartSession::<T>::get()
			.saturating_add(Parameters::<T>::get().map_or(1, |p| p.sessions_per_era));
		let validators;
		#[block]
		{
			validators = Pallet::<T>::plan_session(next_era);
		}
		assert!(validators.is_some());
		assert!(PlannedEra::<T>::get().is_some());
	}

	#[benchmark]
	fn slash(r: Linear<0, 16>) {
		let (offender, _) = candidate::<T>(0);
		let reporters: alloc::vec::Vec<T::AccountId> =
			(0..r).map(|i| funded::<T>("reporter", i)).collect();
		let details = OffenceDetails { offender: (offender.clone(), ()), reporters };
		#[block]
		{
			<Pallet<T> as OnOffenceHandler<T::AccountId, (T::AccountId, ()), Weight>>::on_offence(
				&[details],
				&[Perbill::one()],
				0,
			);
		}
		assert_eq!(
			Candidates::<T>::get(&offender).map(|c| c.status),
			Some(CandidateStatus::Slashed)
		);
	}

	/// A block's fee sharing beyond what each fee's transaction pays: the block's first fee
	/// (the author lookup, its terms, its session noted) and the share at the end of the
	/// block, with lessors (the accumulator moves) and a new pot (created and then drawn on).
	#[benchmark]
	fn share_block_fees() {
		T::BenchmarkHelper::prepare_block_author();
		let author = T::BlockAuthor::get().expect("the benchmark helper prepares an author");
		// Lessors holding most of the backing, so that their part of the fee counts.
		let holder = funded::<T>("holder", 0);
		let backing = Candidates::<T>::get(&author).map_or(KMCC, |c| c.backing());
		Pallet::<T>::lease(
			RawOrigin::Signed(holder).into(),
			author.clone(),
			backing.saturating_mul(9).max(min_lease::<T>()),
		)
		.expect("the author is an Active candidate");
		let fee = <T::Currency as polkadot_sdk::frame_support::traits::fungible::Balanced<
			T::AccountId,
		>>::issue(100 * KMCC);
		#[block]
		{
			<FeeCollector<T> as polkadot_sdk::frame_support::traits::OnUnbalanced<_>>::on_unbalanced(
				fee,
			);
			Pallet::<T>::share_block_fees();
		}
		assert!(BlockFees::<T>::get().is_none());
		assert!(Candidates::<T>::get(&author).is_some_and(|c| c.reward_per_lease > 0));
	}

	/// A block within `FallbackAfterSlots` of its parent: the group's, nothing to note.
	#[benchmark]
	fn note_block_slot_in_turn() {
		LastBlockSlot::<T>::put(1_000);
		T::BenchmarkHelper::set_current_slot(1_001);
		#[block]
		{
			Pallet::<T>::note_block_slot();
			<Pallet<T> as Hooks<BlockNumberFor<T>>>::on_finalize(1u32.into());
		}
		assert_eq!(LastBlockSlot::<T>::get(), Some(1_001));
		assert_eq!(FallbackSession::<T>::get(), None);
	}

	/// The first fallback block of a session with a full committee's recorded keys, half of
	/// it in the group (the lookups' worst case).
	#[benchmark]
	fn note_block_slot_fallback() {
		let size = T::MaxCommitteeSize::get().max(2);
		let keys: alloc::vec::Vec<(T::AccountId, T::AuthorityId)> = (0..size)
			.map(|i| (account("member", i, SEED), T::AuthorityId::generate_pair(None)))
			.collect();
		let group: alloc::vec::Vec<T::AccountId> =
			keys.iter().take((size / 2) as usize).map(|(a, _)| a.clone()).collect();
		let session = CurrentSession::<T>::get();
		AuthoringKeys::<T>::insert(session, BoundedVec::truncate_from(keys));
		SessionAuthors::<T>::put(BoundedVec::truncate_from(group));
		let after = T::FallbackAfterSlots::get().max(u64::from(size / 2));
		LastBlockSlot::<T>::put(1_000);
		T::BenchmarkHelper::set_current_slot(1_000 + after + 1);
		#[block]
		{
			Pallet::<T>::note_block_slot();
			<Pallet<T> as Hooks<BlockNumberFor<T>>>::on_finalize(1u32.into());
		}
		assert_eq!(FallbackSession::<T>::get(), Some(session));
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
