//! Benchmarks: every call at its worst case, and the three parts of `on_initialize` (rent
//! settlement over `b` expiry buckets, closing a round over `g` groups whose landlords are all
//! blacklisted and `p` landlords paid, and the price).

use super::*;
use crate::pricing::{DAY_MS, GROUP_CHUNKS};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::traits::{fungible::Mutate, EnsureOrigin, Get},
	frame_system::{self, RawOrigin},
	sp_core::H256,
	sp_runtime::{traits::Saturating, RuntimeAppPublic},
};

/// Sets the chain's time in benchmarks (the runtime writes the timestamp pallet's `Now`).
pub trait BenchmarkHelper {
	/// Makes `Config::Time::now()` return `ms`.
	fn set_time(ms: u64);
}

const NOW: u64 = 1_700_000_000_000;

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, 1_000_000_000 * kmcc_primitives::currency::KMCC);
	who
}

/// A fresh node key and its proof that it serves `landlord`.
fn node_key<T: Config>(landlord: &T::AccountId) -> (T::NodeId, NodeSignatureOf<T>) {
	let node = T::NodeId::generate_pair(None);
	let ownership = node.sign(&node_ownership_payload(landlord)).expect("key in the keystore");
	(node, ownership)
}

fn landlord<T: Config>(index: u32, groups: u32) -> T::AccountId {
	let who = funded::<T>("landlord", index);
	let endpoint: EndpointOf<T> =
		alloc::vec![b'x'; T::MaxEndpointLength::get() as usize].try_into().unwrap_or_default();
	let (node, ownership) = node_key::<T>(&who);
	Pallet::<T>::register_landlord(
		RawOrigin::Signed(who.clone()).into(),
		node,
		groups.saturating_mul(GROUP_CHUNKS),
		endpoint,
		ownership,
	)
	.expect("benchmark registration");
	who
}

fn replicas<T: Config>() -> u32 {
	Parameters::<T>::get().replica_count
}

/// About `n` landlords of one group each, in complete sets of `replica_count` (so none is
/// left with a free slot).
fn small_landlords<T: Config>(first: u32, n: u32) {
	let r = replicas::<T>().max(1);
	for i in 0..n.saturating_sub(n % r) {
		landlord::<T>(first.saturating_add(i), 1);
	}
}

/// A world of `groups` groups (each landlord in at most `MaxGroupsPerLandlord`); returns the
/// landlords.
fn world<T: Config>(groups: u32) -> alloc::vec::Vec<T::AccountId> {
	let per = T::MaxGroupsPerLandlord::get();
	let mut left = groups;
	let mut all = alloc::vec::Vec::new();
	let mut index = 10_000;
	while left > 0 {
		let batch = left.min(per);
		for _ in 0..replicas::<T>() {
			all.push(landlord::<T>(index, batch));
			index += 1;
		}
		left = left.saturating_sub(batch);
	}
	all
}

fn start_market<T: Config>() {
	T::BenchmarkHelper::set_time(NOW);
	RentClock::<T>::put(NOW);
	T::Currency::set_balance(
		&Pallet::<T>::pool_account(),
		1_000_000 * kmcc_primitives::currency::KMCC,
	);
	Pallet::<T>::update_price();
}

/// Marks every chunk of `group` but the last as sold (without a space: the benchmark only
/// needs the allocation to scan it).
fn occupy_all_but_one<T: Config>(group: GroupId) {
	CopyGroups::<T>::mutate(group, |g| {
		if let Some(g) = g {
			g.used = u64::MAX >> 1;
		}
	});
	FreeChunks::<T>::mutate(|f| f.saturating_reduce(u64::from(GROUP_CHUNKS - 1)));
}

/// `r` locked one-chunk spaces in `group`, expired in one bucket before the clock.
fn locked_spaces<T: Config>(r: u32, group: GroupId) -> alloc::vec::Vec<SpaceId> {
	let owner = funded::<T>("owner", 0);
	let bucket = NOW.saturating_sub(T::ExpiryBucketMs::get());
	let mut ids = alloc::vec::Vec::new();
	for i in 0..r {
		let id = NextSpaceId::<T>::mutate(|n| {
			let id = *n;
			*n += 1;
			id
		});
		let mask = 1u64 << i;
		CopyGroups::<T>::mutate(group, |g| {
			if let Some(g) = g {
				g.used |= mask;
			}
		});
		FreeChunks::<T>::mutate(|f| f.saturating_reduce(1));
		let chunks = BoundedVec::truncate_from(alloc::vec![ChunkSet { group, mask }]);
		Spaces::<T>::insert(
			id,
			SpaceOf::<T> {
				owner: owner.clone(),
				size_mib: 1,
				chunks,
				expires_at: bucket,
				grants: 0,
			},
		);
		SpacesByOwner::<T>::insert(&owner, id, ());
		ExpiryBuckets::<T>::mutate(bucket, |b| {
			let _ = b.try_push(id);
		});
		ids.push(id);
	}
	if r > 0 {
		let tail = LockedQueueTail::<T>::get();
		LockedQueue::<T>::insert(tail, bucket);
		LockedQueueTail::<T>::put(tail + 1);
	}
	ids
}

/// A world where an order of `s + r` MiB must reclaim `r` locked spaces and span `s + 1`
/// groups.
fn fragmented<T: Config>(r: u32, s: u32) {
	world::<T>(s.saturating_add(1));
	start_market::<T>();
	for g in 0..s {
		occupy_all_but_one::<T>(g);
	}
	// Group `s`: `r` locked chunks, the rest sold.
	CopyGroups::<T>::mutate(s, |g| {
		if let Some(g) = g {
			g.used = u64::MAX << r.min(63);
		}
	});
	FreeChunks::<T>::mutate(|f| f.saturating_reduce(u64::from(GROUP_CHUNKS.saturating_sub(r))));
	locked_spaces::<T>(r, s);
	Pallet::<T>::update_price();
}

fn bought<T: Config>(owner: &T::AccountId, size: u32, days: u32) -> SpaceId {
	let id = NextSpaceId::<T>::get();
	Pallet::<T>::buy_space(RawOrigin::Signed(owner.clone()).into(), size, days, Balance::MAX)
		.expect("benchmark purchase");
	id
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_landlord(
		l: Linear<0, { T::MaxLandlords::get().saturating_sub(8) }>,
		g: Linear<1, { T::MaxGroupsPerLandlord::get() }>,
	) {
		small_landlords::<T>(0, l);
		for i in 0..replicas::<T>().saturating_sub(1) {
			landlord::<T>(1_000 + i, g);
		}
		let who = funded::<T>("new", 0);
		let before = GroupCount::<T>::get();
		let (node, ownership) = node_key::<T>(&who);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(who),
			node,
			g.saturating_mul(GROUP_CHUNKS),
			BoundedVec::truncate_from(alloc::vec![b'x'; T::MaxEndpointLength::get() as usize]),
			ownership,
		);

		assert_eq!(GroupCount::<T>::get(), before + g);
	}

	#[benchmark]
	fn add_capacity(
		l: Linear<0, { T::MaxLandlords::get().saturating_sub(8) }>,
		g: Linear<1, { T::MaxGroupsPerLandlord::get().saturating_sub(1) }>,
	) {
		small_landlords::<T>(0, l);
		for i in 0..replicas::<T>().saturating_sub(1) {
			landlord::<T>(1_000 + i, g.saturating_add(1));
		}
		let who = landlord::<T>(2_000, 1);
		let before = GroupCount::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(who), g.saturating_mul(GROUP_CHUNKS));

		assert_eq!(GroupCount::<T>::get(), before + g);
	}

	#[benchmark]
	fn leave(
		l: Linear<0, { T::MaxLandlords::get().saturating_sub(8) }>,
		g: Linear<1, { T::MaxGroupsPerLandlord::get() }>,
	) {
		small_landlords::<T>(0, l);
		let members: alloc::vec::Vec<_> =
			(0..replicas::<T>()).map(|i| landlord::<T>(1_000 + i, g)).collect();
		let spare = landlord::<T>(2_000, g);
		let who = members[0].clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(who));

		assert_eq!(Landlords::<T>::get(&spare).map(|r| r.groups.len() as u32), Some(g));
	}

	#[benchmark]
	fn withdraw_collateral() {
		let members: alloc::vec::Vec<_> =
			(0..replicas::<T>()).map(|i| landlord::<T>(1_000 + i, 1)).collect();
		landlord::<T>(2_000, 1);
		let who = members[0].clone();
		Pallet::<T>::leave(RawOrigin::Signed(who.clone()).into()).expect("leaves");
		let unbonding = Parameters::<T>::get().unbonding_period;
		frame_system::Pallet::<T>::set_block_number(
			frame_system::Pallet::<T>::block_number().saturating_add(unbonding),
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(Landlords::<T>::get(&who).is_none());
	}

	#[benchmark]
	fn donate() {
		let who = funded::<T>("donor", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), 1_000 * kmcc_primitives::currency::KMCC);
	}

	#[benchmark]
	fn buy_space(
		r: Linear<0, { T::MaxReclaimsPerOrder::get() }>,
		s: Linear<1, { T::MaxChunkSetsPerSpace::get().saturating_sub(1) }>,
	) {
		fragmented::<T>(r, s);
		let who = funded::<T>("buyer", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), s.saturating_add(r), 30, Balance::MAX);

		assert_eq!(FreeChunks::<T>::get(), 0);
	}

	#[benchmark]
	fn extend() {
		world::<T>(1);
		start_market::<T>();
		let who = funded::<T>("buyer", 0);
		let id = bought::<T>(&who, 8, 30);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), id, 30, Balance::MAX);
	}

	#[benchmark]
	fn resize(
		r: Linear<0, { T::MaxReclaimsPerOrder::get() }>,
		s: Linear<1, { T::MaxChunkSetsPerSpace::get().saturating_sub(2) }>,
	) {
		fragmented::<T>(r, s);
		// The space to grow: one chunk of group 0 (its last free chunk).
		let who = funded::<T>("buyer", 0);
		let id = bought::<T>(&who, 1, 30);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), id, s.saturating_add(r), Balance::MAX);

		assert_eq!(FreeChunks::<T>::get(), 0);
	}

	#[benchmark]
	fn unlock() {
		world::<T>(1);
		start_market::<T>();
		let who = funded::<T>("buyer", 0);
		let id = bought::<T>(&who, 8, 1);
		let later = NOW.saturating_add(2 * DAY_MS);
		T::BenchmarkHelper::set_time(later);
		// Settle the two days in one go.
		let boundaries = (2 * DAY_MS / T::ExpiryBucketMs::get().max(1)) as u32 + 2;
		let mut guard = 0;
		while RentClock::<T>::get() < later && guard < boundaries {
			Pallet::<T>::settle_rent();
			guard += 1;
		}
		Pallet::<T>::update_price();

		#[extrinsic_call]
		_(RawOrigin::Signed(who), id, 30, Balance::MAX);

		assert_eq!(ActiveMiB::<T>::get(), 8);
	}

	#[benchmark]
	fn grant_access() {
		world::<T>(1);
		start_market::<T>();
		let who = funded::<T>("buyer", 0);
		let id = bought::<T>(&who, 1, 30);
		for i in 0..T::MaxGrantsPerSpace::get().saturating_sub(1) {
			Pallet::<T>::grant_access(
				RawOrigin::Signed(who.clone()).into(),
				id,
				account("reader", i, 0),
				Access::Read,
			)
			.expect("grant");
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(who), id, account("writer", 0, 0), Access::Write);
	}

	#[benchmark]
	fn revoke_access() {
		world::<T>(1);
		start_market::<T>();
		let who = funded::<T>("buyer", 0);
		let id = bought::<T>(&who, 1, 30);
		let reader: T::AccountId = account("reader", 0, 0);
		Pallet::<T>::grant_access(
			RawOrigin::Signed(who.clone()).into(),
			id,
			reader.clone(),
			Access::Read,
		)
		.expect("grant");

		#[extrinsic_call]
		_(RawOrigin::Signed(who), id, reader);
	}

	#[benchmark]
	fn submit_space_proof(v: Linear<1, { T::MaxReplicas::get() }>) {
		let mut params = Parameters::<T>::get();
		params.replica_count = v;
		Parameters::<T>::put(params);
		let members: alloc::vec::Vec<_> = (0..v).map(|i| landlord::<T>(1_000 + i, 1)).collect();
		let challenge = CurrentChallenge::<T>::get();
		let data = H256::repeat_byte(7);
		let votes: alloc::vec::Vec<ProofVoteOf<T>> = members
			.iter()
			.map(|m| {
				let node = Landlords::<T>::get(m).expect("registered").node;
				let payload =
					Pallet::<T>::proof_payload(challenge.round, 0, challenge.seed, &node, data);
				ProofVote {
					landlord: m.clone(),
					data_hash: data,
					signature: node.sign(&payload).expect("key in the keystore"),
				}
			})
			.collect();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(members[0].clone()),
			0,
			challenge.round,
			BoundedVec::truncate_from(votes),
		);

		assert!(GroupProofs::<T>::contains_key(0));
	}

	/// The report blacklists a landlord of `MaxGroupsPerLandlord` groups (the worst case).
	#[benchmark]
	fn report_unavailable() {
		let per = T::MaxGroupsPerLandlord::get();
		let members = world::<T>(per);
		// One spare landlord takes every replica of the blacklisted one.
		landlord::<T>(3_000, per);
		start_market::<T>();
		let who = funded::<T>("buyer", 0);
		let id = bought::<T>(&who, 1, 30);
		let target = members[0].clone();
		let max_faults = Parameters::<T>::get().max_faults;
		Landlords::<T>::mutate(&target, |r| {
			if let Some(r) = r {
				r.faults = max_faults.saturating_sub(1);
			}
		});

		#[extrinsic_call]
		_(RawOrigin::Signed(who), id, target.clone());

		assert_eq!(
			Landlords::<T>::get(&target).map(|r| r.status),
			Some(LandlordStatus::Blacklisted)
		);
	}

	#[benchmark]
	fn set_parameters() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = Parameters::<T>::get();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);

		Ok(())
	}

	/// Settling the rent clock across `b` expiry boundaries, each locking a space.
	#[benchmark]
	fn settle_rent(b: Linear<0, { T::MaxBucketsPerBlock::get() }>) {
		world::<T>(1);
		start_market::<T>();
		let who = funded::<T>("buyer", 0);
		let bucket = T::ExpiryBucketMs::get().max(1);
		let first = pricing::bucket_end(NOW.saturating_add(1), bucket);
		for i in 0..b {
			// Spaces ending at the next `b` boundaries.
			let id = bought::<T>(&who, 1, 1);
			let at = first.saturating_add(u64::from(i).saturating_mul(bucket));
			Spaces::<T>::mutate(id, |s| {
				if let Some(s) = s {
					let old = s.expires_at;
					ExpiringMiB::<T>::remove(old);
					ExpiryBuckets::<T>::remove(old);
					SoldUnconsumed::<T>::mutate(|x| {
						*x = x
							.saturating_sub(u128::from(old.saturating_sub(NOW)))
							.saturating_add(u128::from(at.saturating_sub(NOW)))
					});
					s.expires_at = at;
				}
			});
			ExpiringMiB::<T>::insert(at, 1);
			ExpiryBuckets::<T>::mutate(at, |v| {
				let _ = v.try_push(id);
			});
		}
		T::BenchmarkHelper::set_time(first.saturating_add(u64::from(b).saturating_mul(bucket)));

		#[block]
		{
			Pallet::<T>::settle_rent();
		}

		assert_eq!(ActiveMiB::<T>::get(), 0);
	}

	/// Closing a round: `g` groups without a proof whose landlords all reach `max_faults`
	/// (blacklisted, replicas moved), and `p` landlords paid.
	#[benchmark]
	fn close_round(
		g: Linear<0, { T::MaxCopyGroups::get() }>,
		p: Linear<0, { T::MaxLandlords::get() }>,
	) {
		let landlords = world::<T>(g);
		let max_faults = Parameters::<T>::get().max_faults;
		for who in &landlords {
			Landlords::<T>::mutate(who, |r| {
				if let Some(r) = r {
					r.faults = max_faults.saturating_sub(1);
				}
			});
		}
		T::Currency::set_balance(
			&Pallet::<T>::pool_account(),
			1_000_000 * kmcc_primitives::currency::KMCC,
		);
		RoundRent::<T>::put(1_000 * kmcc_primitives::currency::KMCC);
		for i in 0..p {
			let who = funded::<T>("paid", i);
			RoundProven::<T>::insert(&who, u64::from(GROUP_CHUNKS));
		}
		RoundProvenTotal::<T>::put(u64::from(p).saturating_mul(u64::from(GROUP_CHUNKS)));
		// Judge this round: the groups were formed in an earlier one.
		CurrentChallenge::<T>::mutate(|c| c.round = 1);
		let n = T::ChallengePeriod::get();

		#[block]
		{
			Pallet::<T>::close_round(n);
		}

		assert_eq!(ActiveLandlords::<T>::get().len(), 0);
	}

	#[benchmark]
	fn update_price() {
		world::<T>(1);
		start_market::<T>();

		#[block]
		{
			Pallet::<T>::update_price();
		}

		assert!(BlockPrice::<T>::get().is_some());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
