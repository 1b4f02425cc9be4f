//! Unit, simulation and property tests on the mock runtime.

use crate::{mock::*, pricing, *};
use kmcc_primitives::currency::KMCC;
use polkadot_sdk::pallet_timestamp;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold, BoundedVec},
	sp_core::H256,
	sp_runtime::{DispatchError, Perbill, RuntimeAppPublic},
};

const MIB: u32 = 1;

fn register(who: AccountId, capacity_mib: u32) {
	assert_ok!(StorageSpaces::register_landlord(
		RuntimeOrigin::signed(who),
		node(who),
		capacity_mib,
		endpoint(who),
		ownership(who, who)
	));
}

/// Landlords 1..=4 with one copy group each (64 MiB): W = 64 MiB.
fn one_group() {
	for who in 1..=4 {
		register(who, 64);
	}
	assert_eq!(GroupCount::<Test>::get(), 1);
}

/// No blacklisting (for tests that let days pass without proofs).
fn lenient() {
	let mut p = parameters();
	p.max_faults = u32::MAX;
	Parameters::<Test>::put(p);
}

fn donate(amount: u128) {
	assert_ok!(StorageSpaces::donate(RuntimeOrigin::signed(9), amount));
}

fn price() -> u128 {
	BlockPrice::<Test>::get().expect("a price")
}

fn buy(who: AccountId, size: u32, days: u32) -> SpaceId {
	let id = NextSpaceId::<Test>::get();
	assert_ok!(StorageSpaces::buy_space(RuntimeOrigin::signed(who), size, days, u128::MAX));
	id
}

fn next_block() {
	run_to_block(System::block_number() + 1);
}

fn vote(who: AccountId, group: GroupId, round: Round, data: H256) -> ProofVoteOf<Test> {
	let seed = CurrentChallenge::<Test>::get().seed;
	let payload = StorageSpaces::proof_payload(round, group, seed, &node(who), data);
	ProofVote { landlord: who, data_hash: data, signature: node(who).sign(&payload).unwrap() }
}

fn votes(list: Vec<ProofVoteOf<Test>>) -> BoundedVec<ProofVoteOf<Test>, ConstU32Max> {
	BoundedVec::truncate_from(list)
}
type ConstU32Max = <Test as Config>::MaxReplicas;

fn prove(
	group: GroupId,
	who: &[AccountId],
) -> polkadot_sdk::sp_runtime::DispatchResultWithInfo<
	polkadot_sdk::frame_support::dispatch::PostDispatchInfo,
> {
	let round = CurrentChallenge::<Test>::get().round;
	let data = H256::repeat_byte(7);
	StorageSpaces::submit_space_proof(
		RuntimeOrigin::signed(who[0]),
		group,
		round,
		votes(who.iter().map(|w| vote(*w, group, round, data)).collect()),
	)
}

/// Every group proves with all members but `silent`.
fn prove_all_but(silent: &[AccountId]) {
	for g in 0..GroupCount::<Test>::get() {
		let members: Vec<AccountId> = CopyGroups::<Test>::get(g)
			.unwrap()
			.members
			.into_iter()
			.filter(|m| !silent.contains(m))
			.collect();
		if !members.is_empty() {
			let _ = prove(g, &members);
		}
	}
}

fn run_to_round_end() {
	let period = 20;
	let next = (System::block_number() / period + 1) * period;
	run_to_block(next);
}

fn held(who: AccountId) -> u128 {
	Balances::balance_on_hold(&HoldReason::LandlordCollateral.into(), &who)
}

#[test]
fn copy_groups_are_formed_greedily_with_distinct_landlords_then_scattered() {
	build_and_execute(|| {
		for who in 1..=3 {
			register(who, 128);
		}
		// Three landlords cannot hold four replicas.
		assert_eq!(GroupCount::<Test>::get(), 0);
		assert_eq!(BlockPrice::<Test>::get(), None);
		register(4, 128);
		assert_eq!(GroupCount::<Test>::get(), 2);
		assert_eq!(StorageSpaces::world_disk_mib(), 128);
		for g in 0..2 {
			assert_eq!(CopyGroups::<Test>::get(g).unwrap().members.into_inner(), vec![1, 2, 3, 4]);
		}
		// A big landlord alone forms nothing; three small ones join it.
		register(5, 256);
		assert_eq!(GroupCount::<Test>::get(), 2);
		for who in 6..=8 {
			register(who, 64);
		}
		assert_eq!(GroupCount::<Test>::get(), 3);
		// Group 2 formed from {5, 6, 7, 8}, then its members swapped places with random
		// members of groups 0 and 1: every group still has four distinct landlords and
		// every landlord as many groups as before.
		for g in 0..3 {
			let mut members = CopyGroups::<Test>::get(g).unwrap().members.into_inner();
			members.sort();
			members.dedup();
			assert_eq!(members.len(), 4, "group {g}");
		}
		let groups_of = |who| Landlords::<Test>::get(who).unwrap().groups.len();
		assert!((1..=4).all(|who| groups_of(who) == 2));
		assert!((5..=8).all(|who| groups_of(who) == 1));
		assert_eq!(FreeChunks::<Test>::get(), 192);
		// Collateral: 100 KMCC per started GiB.
		assert_eq!(held(5), PER_GIB);
		assert_noop!(
			StorageSpaces::add_capacity(RuntimeOrigin::signed(1), 1_024),
			Error::<Test>::CapacityTooLarge
		);
		assert_ok!(StorageSpaces::add_capacity(RuntimeOrigin::signed(1), 897));
		assert_eq!(held(1), 2 * PER_GIB);
		assert_ok!(StorageSpaces::check_invariants());
	});
}

#[test]
fn registration_errors_leave_state_unchanged() {
	build_and_execute(|| {
		register(1, 64);
		assert_noop!(
			StorageSpaces::register_landlord(
				RuntimeOrigin::signed(1),
				node(11),
				64,
				endpoint(1),
				ownership(11, 1)
			),
			Error::<Test>::AlreadyLandlord
		);
		assert_noop!(
			StorageSpaces::register_landlord(
				RuntimeOrigin::signed(2),
				node(1),
				64,
				endpoint(2),
				ownership(1, 2)
			),
			Error::<Test>::NodeKeyInUse
		);
		assert_noop!(
			StorageSpaces::register_landlord(
				RuntimeOrigin::signed(2),
				node(2),
				63,
				endpoint(2),
				ownership(2, 2)
			),
			Error::<Test>::CapacityTooSmall
		);
		assert_noop!(
			StorageSpaces::register_landlord(
				RuntimeOrigin::signed(2),
				node(2),
				17 * 64,
				endpoint(2),
				ownership(2, 2)
			),
			Error::<Test>::CapacityTooLarge
		);
		// Account 20 has nothing to hold.
		assert_noop!(
			StorageSpaces::register_landlord(
				RuntimeOrigin::signed(20),
				node(20),
				64,
				endpoint(20),
				ownership(20, 20)
			),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			StorageSpaces::add_capacity(RuntimeOrigin::signed(2), 64),
			Error::<Test>::NotLandlord
		);
		assert_noop!(StorageSpaces::add_capacity(RuntimeOrigin::signed(1), 0), Error::<Test>::Zero);
	});
}

#[test]
fn price_is_the_bancor_formula_fixed_within_the_block() {
	build_and_execute(|| {
		one_group();
		donate(73 * KMCC);
		// Fixed within the block: the donation shows next block.
		assert_eq!(BlockPrice::<Test>::get(), None);
		next_block();
		// M = 73 KMCC, R = 365 · 64 MiB-days, c = 20 %: 73 / 4,672 KMCC = 0.015625 KMCC.
		assert_eq!(price(), 15_625_000_000_000_000);
		assert_eq!(
			Some(price()),
			pricing::price(
				StorageSpaces::pool_funds(),
				Perbill::from_percent(20),
				StorageSpaces::remaining_mib_ms()
			)
		);
	});
}

#[test]
fn buying_pays_price_times_size_times_duration_into_the_pool() {
	build_and_execute(|| {
		one_group();
		donate(1_000 * KMCC);
		next_block();
		let p = price();
		let clock = RentClock::<Test>::get();
		let before = free(6);
		let pool_before = free(pool());
		let id = buy(6, 10 * MIB, 30);
		let space = Spaces::<Test>::get(id).unwrap();
		let expires_at = pricing::bucket_end(clock + 30 * DAY_MS, 60_000);
		assert_eq!(space.expires_at, expires_at);
		let duration = expires_at - clock;
		let cost = pricing::cost(p, 10, duration).unwrap();
		assert_eq!(before - free(6), cost);
		assert_eq!(free(pool()) - pool_before, cost);
		assert_eq!(SoldUnconsumed::<Test>::get(), 10 * u128::from(duration));
		assert_eq!(PrepaidRent::<Test>::get(), cost);
		assert_eq!(ActiveMiB::<Test>::get(), 10);
		assert_eq!(FreeChunks::<Test>::get(), 54);
		assert_eq!(space.chunks.into_inner(), vec![ChunkSet { group: 0, mask: (1 << 10) - 1 }]);
		assert!(events().contains(&Event::SpaceBought {
			space: id,
			owner: 6,
			size_mib: 10,
			expires_at,
			price: p,
			cost
		}));
		assert_ok!(StorageSpaces::check_invariants());
		// The price rises with B for the same M.
		next_block();
		assert!(price() > p);
	});
}

#[test]
fn bad_orders_are_refused_with_named_errors() {
	build_and_execute(|| {
		assert_noop!(
			StorageSpaces::buy_space(RuntimeOrigin::signed(6), 1, 1, u128::MAX),
			Error::<Test>::NoPrice
		);
		one_group();
		donate(1_000 * KMCC);
		next_block();
		let p = price();
		let o = RuntimeOrigin::signed(6);
		assert_noop!(
			StorageSpaces::buy_space(o.clone(), 1, 1, p - 1),
			Error::<Test>::PriceAboveLimit
		);
		assert_noop!(StorageSpaces::buy_space(o.clone(), 0, 1, p), Error::<Test>::Zero);
		assert_noop!(StorageSpaces::buy_space(o.clone(), 1, 0, p), Error::<Test>::Zero);
		assert_noop!(StorageSpaces::buy_space(o.clone(), 1, 366, p), Error::<Test>::TermTooLong);
		assert_noop!(
			StorageSpaces::buy_space(o.clone(), 8 * 64 + 1, 1, p),
			Error::<Test>::TooFragmented
		);
		// The world disk is 64 MiB.
		assert_noop!(
			StorageSpaces::buy_space(o.clone(), 65, 1, p),
			Error::<Test>::InsufficientChunks
		);
		assert_noop!(
			StorageSpaces::buy_space(RuntimeOrigin::signed(20), 1, 1, p),
			Error::<Test>::InsufficientBalance
		);
		// Half the disk for a year leaves R just short of the other half for a year (the
		// first order's expiry was rounded up to its bucket).
		buy(6, 32, 365);
		next_block();
		assert_noop!(
			StorageSpaces::buy_space(o.clone(), 32, 365, u128::MAX),
			Error::<Test>::InsufficientRemaining
		);
		assert_ok!(StorageSpaces::buy_space(o, 32, 364, u128::MAX));
		assert_noop!(StorageSpaces::donate(RuntimeOrigin::signed(6), 0), Error::<Test>::Zero);
	});
}

#[test]
fn each_block_consumes_active_space_and_releases_the_same_fraction_of_the_pool() {
	build_and_execute(|| {
		one_group();
		donate(1_000 * KMCC);
		next_block();
		buy(6, 20, 10);
		for _ in 0..5 {
			let sold = SoldUnconsumed::<Test>::get();
			let m = StorageSpaces::pool_funds();
			let prepaid = PrepaidRent::<Test>::get();
			let round_rent = RoundRent::<Test>::get();
			next_block();
			let consumed = 20 * u128::from(BLOCK_MS);
			assert_eq!(sold - SoldUnconsumed::<Test>::get(), consumed);
			let rent = pricing::pro_rata(m, consumed, sold);
			assert!(rent > 0);
			assert_eq!(RoundRent::<Test>::get() - round_rent, rent);
			assert_eq!(
				prepaid - PrepaidRent::<Test>::get(),
				pricing::pro_rata(prepaid, consumed, sold)
			);
			assert!(events().contains(&Event::RentReleased { consumed_mib_ms: consumed, rent }));
			assert_ok!(StorageSpaces::check_invariants());
		}
	});
}

#[test]
fn expiry_locks_and_unlock_pays_the_locked_interval() {
	build_and_execute(|| {
		lenient();
		one_group();
		donate(1_000 * KMCC);
		next_block();
		let id = buy(6, 8, 1);
		let expires_at = Spaces::<Test>::get(id).unwrap().expires_at;
		jump(DAY_MS + 10 * 60_000);
		assert!(RentClock::<Test>::get() >= expires_at);
		assert_eq!(ActiveMiB::<Test>::get(), 0);
		assert_eq!(SoldUnconsumed::<Test>::get(), 0);
		assert!(events().contains(&Event::SpacesLocked { at: expires_at, spaces: 1, mib: 8 }));
		let info = StorageSpaces::spaces_of(6);
		assert!(info[0].locked);
		assert_eq!(info[0].chunks[0].replicas.len(), 4);
		assert_noop!(
			StorageSpaces::extend(RuntimeOrigin::signed(6), id, 1, u128::MAX),
			Error::<Test>::SpaceLocked
		);
		assert_noop!(
			StorageSpaces::resize(RuntimeOrigin::signed(6), id, 9, u128::MAX),
			Error::<Test>::SpaceLocked
		);
		assert_noop!(
			StorageSpaces::unlock(RuntimeOrigin::signed(7), id, 1, u128::MAX),
			Error::<Test>::NotOwner
		);
		let p = price();
		let clock = RentClock::<Test>::get();
		let before = free(6);
		assert_ok!(StorageSpaces::unlock(RuntimeOrigin::signed(6), id, 2, u128::MAX));
		let new_expiry = pricing::bucket_end(clock + 2 * DAY_MS, 60_000);
		let back = pricing::cost(p, 8, clock - expires_at).unwrap();
		let cost = pricing::cost(p, 8, new_expiry - clock).unwrap();
		assert!(back > 0);
		assert_eq!(before - free(6), back + cost);
		assert!(events().contains(&Event::SpaceUnlocked {
			space: id,
			expires_at: new_expiry,
			back_payment: back,
			cost
		}));
		assert!(!StorageSpaces::spaces_of(6)[0].locked);
		assert_eq!(ActiveMiB::<Test>::get(), 8);
		assert_noop!(
			StorageSpaces::unlock(RuntimeOrigin::signed(6), id, 1, u128::MAX),
			Error::<Test>::NotLocked
		);
		assert_ok!(StorageSpaces::check_invariants());
	});
}

#[test]
fn new_orders_take_free_chunks_then_the_earliest_expired() {
	build_and_execute(|| {
		lenient();
		one_group();
		donate(1_000 * KMCC);
		next_block();
		let a = buy(6, 32, 1);
		let b = buy(7, 16, 2);
		let c = buy(8, 16, 5);
		assert_eq!(FreeChunks::<Test>::get(), 0);
		jump(DAY_MS + 10 * 60_000);
		// Only `a` expired: a 20 MiB order reclaims it; `b` and `c` are untouched.
		let d = buy(6, 20, 1);
		assert!(Spaces::<Test>::get(a).is_none());
		assert!(events().contains(&Event::SpaceReclaimed { space: a, owner: 6 }));
		assert_eq!(FreeChunks::<Test>::get(), 12);
		assert_eq!(Spaces::<Test>::get(d).unwrap().chunks[0].mask, (1 << 20) - 1);
		jump(2 * DAY_MS);
		// `d` and `b` expired (`b` first), `c` still runs: 12 free + `b` = 28 MiB ≥ 24.
		let e = buy(9, 24, 1);
		assert!(Spaces::<Test>::get(b).is_none());
		assert!(Spaces::<Test>::get(d).is_some());
		assert!(Spaces::<Test>::get(c).is_some());
		assert_eq!(FreeChunks::<Test>::get(), 4);
		assert_eq!(Spaces::<Test>::get(e).unwrap().size_mib, 24);
		// 24 more MiB: `d` (20) + 4 free; `c` is active and never reclaimed.
		assert_noop!(
			StorageSpaces::buy_space(RuntimeOrigin::signed(9), 25, 1, u128::MAX),
			Error::<Test>::InsufficientChunks
		);
		buy(9, 24, 1);
		assert!(Spaces::<Test>::get(d).is_none());
		assert_eq!(StorageSpaces::spaces_of(6), vec![]);
		assert_ok!(StorageSpaces::check_invariants());
	});
}

#[test]
fn extend_and_resize_pay_the_difference_at_the_current_price() {
	build_and_execute(|| {
		one_group();
		donate(1_000 * KMCC);
		next_block();
		let id = buy(6, 10, 10);
		next_block();
		let p = price();
		let old = Spaces::<Test>::get(id).unwrap().expires_at;
		let before = free(6);
		assert_ok!(StorageSpaces::extend(RuntimeOrigin::signed(6), id, 5, u128::MAX));
		let new = Spaces::<Test>::get(id).unwrap().expires_at;
		assert_eq!(new, old + 5 * DAY_MS);
		assert_eq!(before - free(6), pricing::cost(p, 10, new - old).unwrap());
		assert_noop!(
			StorageSpaces::extend(RuntimeOrigin::signed(6), id, 360, u128::MAX),
			Error::<Test>::TermTooLong
		);
		next_block();
		let p = price();
		let left = new - RentClock::<Test>::get();
		let before = free(6);
		assert_ok!(StorageSpaces::resize(RuntimeOrigin::signed(6), id, 30, u128::MAX));
		assert_eq!(before - free(6), pricing::cost(p, 20, left).unwrap());
		assert_eq!(ActiveMiB::<Test>::get(), 30);
		assert_ok!(StorageSpaces::check_invariants());
		// Shrinking frees the highest chunks and refunds nothing.
		let before = free(6);
		assert_ok!(StorageSpaces::resize(RuntimeOrigin::signed(6), id, 4, u128::MAX));
		assert_eq!(free(6), before);
		assert_eq!(Spaces::<Test>::get(id).unwrap().chunks[0].mask, 0b1111);
		assert_eq!(FreeChunks::<Test>::get(), 60);
		assert_eq!(ActiveMiB::<Test>::get(), 4);
		assert_ok!(StorageSpaces::check_invariants());
		assert_noop!(
			StorageSpaces::resize(RuntimeOrigin::signed(7), id, 5, u128::MAX),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			StorageSpaces::resize(RuntimeOrigin::signed(6), 99, 5, u128::MAX),
			Error::<Test>::UnknownSpace
		);
	});
}

#[test]
fn owners_grant_and_revoke_access() {
	build_and_execute(|| {
		one_group();
		donate(1_000 * KMCC);
		next_block();
		let id = buy(6, 1, 1);
		assert_ok!(StorageSpaces::grant_access(RuntimeOrigin::signed(6), id, 7, Access::Read));
		assert_ok!(StorageSpaces::grant_access(RuntimeOrigin::signed(6), id, 8, Access::Write));
		// Changing an existing grant does not count twice.
		assert_ok!(StorageSpaces::grant_access(RuntimeOrigin::signed(6), id, 8, Access::Read));
		assert_noop!(
			StorageSpaces::grant_access(RuntimeOrigin::signed(6), id, 9, Access::Read),
			Error::<Test>::TooManyGrants
		);
		assert_noop!(
			StorageSpaces::grant_access(RuntimeOrigin::signed(7), id, 9, Access::Read),
			Error::<Test>::NotOwner
		);
		assert_eq!(StorageSpaces::spaces_of(6)[0].grants.len(), 2);
		assert_ok!(StorageSpaces::revoke_access(RuntimeOrigin::signed(6), id, 7));
		assert_noop!(
			StorageSpaces::revoke_access(RuntimeOrigin::signed(6), id, 7),
			Error::<Test>::NoSuchGrant
		);
		assert_eq!(SpaceAccess::<Test>::get(id, 8), Some(Access::Read));
		assert_eq!(Spaces::<Test>::get(id).unwrap().grants, 1);
	});
}

#[test]
fn other_pallets_grant_read_access_through_space_read_access() {
	use kmcc_primitives::storage::SpaceReadAccess as _;
	build_and_execute(|| {
		one_group();
		donate(1_000 * KMCC);
		next_block();
		let id = buy(6, 2, 1);
		assert_eq!(StorageSpaces::space(id), Some((6, 2 << 20)));
		assert_eq!(StorageSpaces::space(id + 1), None);
		assert!(StorageSpaces::can_read(id, &6));
		assert!(!StorageSpaces::can_read(id, &7));
		assert_noop!(StorageSpaces::grant_read(&7, id, &8), Error::<Test>::NotOwner);
		assert_ok!(StorageSpaces::grant_read(&6, id, &7));
		assert_eq!(SpaceAccess::<Test>::get(id, 7), Some(Access::Read));
		// An existing write grant is kept as it is, and not counted twice.
		assert_ok!(StorageSpaces::grant_access(RuntimeOrigin::signed(6), id, 8, Access::Write));
		assert_ok!(StorageSpaces::grant_read(&6, id, &8));
		assert_eq!(SpaceAccess::<Test>::get(id, 8), Some(Access::Write));
		assert_eq!(Spaces::<Test>::get(id).unwrap().grants, 2);
		assert!(StorageSpaces::can_read(id, &8));
		assert_ok!(StorageSpaces::revoke(&6, id, &7));
		assert!(!StorageSpaces::can_read(id, &7));
		assert_noop!(StorageSpaces::revoke(&6, id, &7), Error::<Test>::NoSuchGrant);
	});
}

#[test]
fn a_proof_counts_with_two_thirds_of_the_group_on_one_hash() {
	build_and_execute(|| {
		one_group();
		register(5, 64);
		let round = CurrentChallenge::<Test>::get().round;
		let (a, b) = (H256::repeat_byte(1), H256::repeat_byte(2));
		let o = RuntimeOrigin::signed(1);
		assert_noop!(
			StorageSpaces::submit_space_proof(
				o.clone(),
				0,
				round + 1,
				votes(vec![vote(1, 0, round, a)])
			),
			Error::<Test>::WrongRound
		);
		assert_noop!(
			StorageSpaces::submit_space_proof(
				o.clone(),
				9,
				round,
				votes(vec![vote(1, 9, round, a)])
			),
			Error::<Test>::UnknownGroup
		);
		assert_noop!(
			StorageSpaces::submit_space_proof(
				o.clone(),
				0,
				round,
				votes(vec![vote(5, 0, round, a)])
			),
			Error::<Test>::NotAMember
		);
		assert_noop!(
			StorageSpaces::submit_space_proof(
				o.clone(),
				0,
				round,
				votes(vec![vote(1, 0, round, a), vote(1, 0, round, a)])
			),
			Error::<Test>::DuplicateVote
		);
		let mut forged = vote(2, 0, round, a);
		forged.signature = vote(3, 0, round, a).signature;
		assert_noop!(
			StorageSpaces::submit_space_proof(o.clone(), 0, round, votes(vec![forged])),
			Error::<Test>::BadSignature
		);
		// A signature over another hash does not verify either.
		let mut swapped = vote(2, 0, round, a);
		swapped.data_hash = b;
		assert_noop!(
			StorageSpaces::submit_space_proof(o.clone(), 0, round, votes(vec![swapped])),
			Error::<Test>::BadSignature
		);
		// 2 of 4 on one hash: below ⌈8/3⌉ = 3.
		assert_noop!(
			StorageSpaces::submit_space_proof(
				o.clone(),
				0,
				round,
				votes(vec![vote(1, 0, round, a), vote(2, 0, round, a), vote(3, 0, round, b)])
			),
			Error::<Test>::NoQuorum
		);
		let post = StorageSpaces::submit_space_proof(
			o.clone(),
			0,
			round,
			votes(vec![
				vote(1, 0, round, a),
				vote(2, 0, round, b),
				vote(3, 0, round, a),
				vote(4, 0, round, a),
			]),
		)
		.unwrap();
		assert_eq!(post.pays_fee, polkadot_sdk::frame_support::dispatch::Pays::No);
		assert!(events().contains(&Event::SpaceProven {
			group: 0,
			round,
			data_hash: a,
			passed: vec![1, 3, 4]
		}));
		assert_eq!(RoundProven::<Test>::get(2), None);
		assert_eq!(RoundProvenTotal::<Test>::get(), 3 * 64);
		assert_noop!(
			StorageSpaces::submit_space_proof(o, 0, round, votes(vec![vote(2, 0, round, b)])),
			Error::<Test>::AlreadyProven
		);
	});
}

#[test]
fn a_round_pays_its_rent_to_the_provers_and_faults_the_rest() {
	build_and_execute(|| {
		one_group();
		donate(1_000 * KMCC);
		next_block();
		buy(6, 32, 30);
		// Round 0 formed the group: not judged.
		run_to_round_end();
		assert!(events().iter().all(|e| !matches!(e, Event::LandlordFaulted { .. })));
		let round = CurrentChallenge::<Test>::get().round;
		assert_eq!(round, 1);
		assert_ok!(prove(0, &[1, 2, 3]));
		run_to_block(39);
		let before: Vec<u128> = (1..=4).map(free).collect();
		let pool_before = free(pool());
		System::reset_events();
		run_to_block(40);
		let rent = events()
			.into_iter()
			.find_map(|e| match e {
				Event::RoundClosed { round: 1, rent, .. } => Some(rent),
				_ => None,
			})
			.unwrap();
		assert!(rent > 0);
		let share = rent / 3;
		for who in 1..=3u64 {
			assert_eq!(free(who) - before[who as usize - 1], share);
			assert!(events().contains(&Event::RentPaid { landlord: who, round: 1, amount: share }));
		}
		assert_eq!(free(4), before[3]);
		assert!(events().contains(&Event::LandlordFaulted { landlord: 4, round: 1, faults: 1 }));
		assert!(free(pool()) + 3 * share >= pool_before);
		assert_eq!(RoundRent::<Test>::get(), pricing::pro_rata(0, 0, 0));
		assert_eq!(CurrentChallenge::<Test>::get().round, 2);
		assert_ok!(StorageSpaces::check_invariants());
	});
}

#[test]
fn a_silent_landlord_loses_rent_then_collateral_then_its_replicas() {
	build_and_execute(|| {
		set_subsidy(10 * KMCC);
		one_group();
		// A spare landlord: no group until capacity around it grows.
		register(5, 64);
		assert_eq!(GroupCount::<Test>::get(), 1);
		next_block();
		buy(6, 40, 60);
		run_to_round_end();
		let collateral = held(4);
		let mut paid = [0u128; 6];
		for round in 1..=3u32 {
			assert_eq!(CurrentChallenge::<Test>::get().round, round);
			prove_all_but(&[4]);
			let before: Vec<u128> = (0..=5).map(free).collect();
			let pool_before = free(pool());
			System::reset_events();
			run_to_round_end();
			for who in 1..=5u64 {
				paid[who as usize] += free(who) - before[who as usize];
			}
			assert!(events().contains(&Event::LandlordFaulted {
				landlord: 4,
				round,
				faults: round
			}));
			if round == 3 {
				assert!(events()
					.contains(&Event::LandlordBlacklisted { landlord: 4, slashed: collateral }));
				assert!(events().contains(&Event::ReplicaMoved {
					group: 0,
					from: Some(4),
					to: Some(5)
				}));
				assert!(free(pool()) >= pool_before + collateral - 3 * (paid[1] / 3));
			}
		}
		// The three that proved were paid every round; the silent one never, and lost its
		// collateral; the spare now stores group 0.
		assert!(paid[1] > 0 && paid[1] == paid[2] && paid[2] == paid[3]);
		assert_eq!(paid[4], 0);
		assert_eq!(paid[5], 0);
		assert_eq!(held(4), 0);
		assert_eq!(Landlords::<Test>::get(4).unwrap().status, LandlordStatus::Blacklisted);
		assert_eq!(CopyGroups::<Test>::get(0).unwrap().members.into_inner(), vec![1, 2, 3, 5]);
		assert_eq!(ActiveLandlords::<Test>::get().into_inner(), vec![1, 2, 3, 5]);
		// The new member is not judged in the round it joined, and earns from the next.
		prove_all_but(&[]);
		run_to_round_end();
		prove_all_but(&[]);
		let before = free(5);
		run_to_round_end();
		assert!(free(5) > before);
		assert!(events().iter().all(|e| !matches!(e, Event::LandlordFaulted { landlord: 5, .. })));
		assert_ok!(StorageSpaces::check_invariants());
		// Blacklisted: cannot register again.
		assert_noop!(
			StorageSpaces::register_landlord(
				RuntimeOrigin::signed(4),
				node(14),
				64,
				endpoint(4),
				ownership(14, 4)
			),
			Error::<Test>::AlreadyLandlord
		);
	});
}

#[test]
fn leaving_hands_replicas_over_and_unbonds() {
	build_and_execute(|| {
		one_group();
		assert_noop!(StorageSpaces::leave(RuntimeOrigin::signed(4)), Error::<Test>::NoReplacement);
		register(5, 64);
		assert_noop!(
			StorageSpaces::withdraw_collateral(RuntimeOrigin::signed(4)),
			Error::<Test>::NotLeaving
		);
		assert_ok!(StorageSpaces::leave(RuntimeOrigin::signed(4)));
		assert_eq!(CopyGroups::<Test>::get(0).unwrap().members.into_inner(), vec![1, 2, 3, 5]);
		assert_noop!(StorageSpaces::leave(RuntimeOrigin::signed(4)), Error::<Test>::NotActive);
		assert_noop!(
			StorageSpaces::withdraw_collateral(RuntimeOrigin::signed(4)),
			Error::<Test>::StillUnbonding
		);
		run_to_block(11);
		let before = free(4);
		assert_ok!(StorageSpaces::withdraw_collateral(RuntimeOrigin::signed(4)));
		assert_eq!(free(4) - before, PER_GIB);
		assert!(Landlords::<Test>::get(4).is_none());
		assert_eq!(StorageSpaces::world_disk_mib(), 64);
		assert_ok!(StorageSpaces::check_invariants());
	});
}

#[test]
fn availability_reports_cost_a_fee_and_add_a_fault() {
	build_and_execute(|| {
		one_group();
		register(5, 64);
		donate(1_000 * KMCC);
		next_block();
		let id = buy(6, 1, 10);
		let pool_before = free(pool());
		assert_noop!(
			StorageSpaces::report_unavailable(RuntimeOrigin::signed(7), id, 1),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			StorageSpaces::report_unavailable(RuntimeOrigin::signed(6), id, 5),
			Error::<Test>::NotServing
		);
		assert_ok!(StorageSpaces::report_unavailable(RuntimeOrigin::signed(6), id, 1));
		assert_eq!(free(pool()) - pool_before, KMCC);
		assert_eq!(Landlords::<Test>::get(1).unwrap().faults, 1);
		assert_noop!(
			StorageSpaces::report_unavailable(RuntimeOrigin::signed(6), id, 1),
			Error::<Test>::AlreadyReported
		);
	});
}

#[test]
fn parameters_need_the_admin_and_valid_values() {
	build_and_execute(|| {
		let mut p = parameters();
		p.reserve_ratio = Perbill::from_percent(50);
		assert_noop!(
			StorageSpaces::set_parameters(RuntimeOrigin::signed(1), p.clone()),
			DispatchError::BadOrigin
		);
		assert_ok!(StorageSpaces::set_parameters(RuntimeOrigin::root(), p.clone()));
		assert_eq!(Parameters::<Test>::get(), p);
		p.replica_count = 9;
		assert_noop!(
			StorageSpaces::set_parameters(RuntimeOrigin::root(), p),
			Error::<Test>::InvalidParameters
		);
	});
}

#[test]
fn a_stalled_clock_catches_up_bucket_by_bucket() {
	build_and_execute(|| {
		lenient();
		one_group();
		donate(1_000 * KMCC);
		next_block();
		for days in 1..=3 {
			buy(6, 4, days);
		}
		// An hour's stall is 60 buckets: 8 per block.
		pallet_timestamp::Now::<Test>::mutate(|n| *n += 3_600_000);
		let start = RentClock::<Test>::get();
		next_block();
		assert_eq!(RentClock::<Test>::get(), pricing::bucket_end(start + 1, 60_000) + 7 * 60_000);
		assert_ok!(StorageSpaces::check_invariants());
		jump(3 * DAY_MS);
		assert_eq!(ActiveMiB::<Test>::get(), 0);
		assert_eq!(SoldUnconsumed::<Test>::get(), 0);
		assert_eq!(PrepaidRent::<Test>::get(), 0);
		assert_ok!(StorageSpaces::check_invariants());
	});
}

#[test]
fn runtime_api_reports_market_quote_and_challenge() {
	build_and_execute(|| {
		one_group();
		donate(1_000 * KMCC);
		next_block();
		let q = StorageSpaces::quote(10, 30).unwrap();
		assert!(q.available);
		let before = free(6);
		buy(6, 10, 30);
		assert_eq!(before - free(6), q.cost);
		let m = StorageSpaces::market_info();
		assert_eq!(m.world_disk_mib, 64);
		assert_eq!(m.sellable_mib_ms, 64 * 365 * u128::from(DAY_MS));
		assert_eq!(m.sold_mib_ms + m.remaining_mib_ms, m.sellable_mib_ms);
		assert_eq!(m.free_mib, 54);
		assert_eq!(StorageSpaces::quote(65, 300).map(|q| q.available), Some(false));
		assert_eq!(StorageSpaces::quote(1, 366), None);
		let l = StorageSpaces::landlord_info(1).unwrap();
		assert_eq!((l.capacity_mib, l.groups), (64, vec![0]));
		let w = StorageSpaces::challenge_window(0);
		assert!(w.chunk < 64 && w.offset + w.length <= 1 << 20);
		assert_eq!(StorageSpaces::challenge_info().closes_at, 20);
	});
}

mod hardening;

mod properties {
	use super::*;
	use proptest::prelude::*;

	#[derive(Debug, Clone)]
	enum Op {
		Buy { who: u64, size: u32, days: u32 },
		Extend { pick: usize, days: u32 },
		Resize { pick: usize, size: u32 },
		Unlock { pick: usize, days: u32 },
		Donate(u128),
		Blocks(u64),
		Jump(u64),
		Prove { silent: u64 },
		Register { capacity: u32 },
	}

	fn op() -> impl Strategy<Value = Op> {
		prop_oneof![
			4 => (6u64..=9, 1u32..=80, 1u32..=120).prop_map(|(who, size, days)| Op::Buy { who, size, days }),
			1 => (0usize..16, 1u32..=60).prop_map(|(pick, days)| Op::Extend { pick, days }),
			1 => (0usize..16, 1u32..=100).prop_map(|(pick, size)| Op::Resize { pick, size }),
			1 => (0usize..16, 1u32..=30).prop_map(|(pick, days)| Op::Unlock { pick, days }),
			1 => (1u128..=500).prop_map(|k| Op::Donate(k * KMCC)),
			3 => (1u64..=25).prop_map(Op::Blocks),
			2 => (1u64..=20 * DAY_MS).prop_map(Op::Jump),
			2 => (0u64..=5).prop_map(|silent| Op::Prove { silent }),
			1 => (1u32..=3).prop_map(|k| Op::Register { capacity: 64 * k }),
		]
	}

	/// Everything an account owns: free and held.
	fn total(who: AccountId) -> u128 {
		use polkadot_sdk::frame_support::traits::fungible::Inspect;
		<Balances as Inspect<AccountId>>::total_balance(&who)
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(48))]

		/// Over random sequences of purchases, extensions, resizes, unlocks, donations,
		/// proofs, registrations and time: the pool holds the prepaid unconsumed rent, the
		/// books agree with the spaces, and no token appears or vanishes (what users and
		/// landlords lost or gained is what the pool gained or paid, plus the subsidy).
		#[test]
		fn pool_is_solvent_and_tokens_are_conserved(
			subsidy in 0u128..=50,
			capacities in proptest::collection::vec(1u32..=3, 5),
			ops in proptest::collection::vec(op(), 1..60),
		) {
			new_test_ext().execute_with(|| {
				set_subsidy(subsidy * KMCC);
				for (i, k) in capacities.iter().enumerate() {
					register(i as u64 + 1, 64 * k);
				}
				let accounts: Vec<AccountId> = (1..=9).chain(10..=12).collect();
				let start: u128 = accounts.iter().map(|a| total(*a)).sum::<u128>() + total(pool());
				let mut minted = 0u128;
				let mut next_landlord = 10u64;
				let mut spaces: Vec<SpaceId> = Vec::new();
				for op in ops {
					let blocks_before = System::block_number();
					match op {
						Op::Buy { who, size, days } => {
							let id = NextSpaceId::<Test>::get();
							if StorageSpaces::buy_space(RuntimeOrigin::signed(who), size, days, u128::MAX).is_ok() {
								spaces.push(id);
							}
						},
						Op::Extend { pick, days } => if let Some(id) = spaces.get(pick % spaces.len().max(1)) {
							let owner = Spaces::<Test>::get(id).map(|s| s.owner).unwrap_or(6);
							let _ = StorageSpaces::extend(RuntimeOrigin::signed(owner), *id, days, u128::MAX);
						},
						Op::Resize { pick, size } => if let Some(id) = spaces.get(pick % spaces.len().max(1)) {
							let owner = Spaces::<Test>::get(id).map(|s| s.owner).unwrap_or(6);
							let _ = StorageSpaces::resize(RuntimeOrigin::signed(owner), *id, size, u128::MAX);
						},
						Op::Unlock { pick, days } => if let Some(id) = spaces.get(pick % spaces.len().max(1)) {
							let owner = Spaces::<Test>::get(id).map(|s| s.owner).unwrap_or(6);
							let _ = StorageSpaces::unlock(RuntimeOrigin::signed(owner), *id, days, u128::MAX);
						},
						Op::Donate(amount) => donate(amount),
						Op::Blocks(n) => run_to_block(System::block_number() + n),
						Op::Jump(ms) => jump(ms),
						Op::Prove { silent } => prove_all_but(&[silent]),
						Op::Register { capacity } => if next_landlord <= 12 {
							let who = next_landlord;
							next_landlord += 1;
							let _ = Balances::force_set_balance(RuntimeOrigin::root(), who, 1_000 * KMCC);
							minted += 1_000 * KMCC;
							register(who, capacity);
						},
					}
					minted += subsidy * KMCC * u128::from(System::block_number() - blocks_before);
					prop_assert_eq!(StorageSpaces::check_invariants(), Ok(()));
					let now: u128 = accounts.iter().map(|a| total(*a)).sum::<u128>() + total(pool());
					prop_assert_eq!(now, start + minted);
					// Every copy group has distinct members.
					for (_, g) in CopyGroups::<Test>::iter() {
						let mut m = g.members.clone().into_inner();
						m.sort();
						m.dedup();
						prop_assert_eq!(m.len(), g.members.len());
					}
				}
				Ok(())
			})?;
		}

		/// For a fixed pool, the price never falls as more space is sold.
		#[test]
		fn price_rises_with_sold_space(
			pool in 1u128..=1_000_000_000 * KMCC,
			world in 64u64..=1_000_000,
			a in 0u128..=1_000_000,
			b in 0u128..=1_000_000,
		) {
			let t = pricing::sellable(world);
			let (lo, hi) = (a.min(b), a.max(b));
			let sold = |x: u128| t / 1_000_001 * x;
			let c = Perbill::from_percent(20);
			let p_lo = pricing::price(pool, c, t - sold(lo)).unwrap();
			let p_hi = pricing::price(pool, c, t - sold(hi)).unwrap();
			prop_assert!(p_hi >= p_lo);
		}
	}
}
