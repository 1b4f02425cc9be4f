//! The migrations on state shaped like older networks'.

use super::*;
use crate::{mock::*, SessionAuthors, Unbonding};
use kmcc_primitives::currency::{EXISTENTIAL_DEPOSIT, KMCC};
use polkadot_sdk::frame_support::{
	assert_ok, parameter_types,
	traits::{
		fungible::{Inspect, InspectFreeze, InspectHold, Mutate},
		tokens::{Fortitude, Precision, Preservation},
	},
};

parameter_types! {
	pub TestParams: ParametersOf<Test> = parameters();
	pub Running: Vec<AccountId> = vec![7, 8, 9];
	pub const AtSession: SessionIndex = 12;
}

#[test]
fn adopts_the_running_validators_once() {
	ExtBuilder::default().build_and_execute(|| {
		type Migration = Initialize<Test, TestParams, Running, AtSession>;
		// Genesis initialised the pallet: untouched.
		Migration::on_runtime_upgrade();
		assert_eq!(Committee::<Test>::get().len(), 4);
		// A chain without the pallet's storage.
		Parameters::<Test>::kill();
		StorageVersion::new(0).put::<Pallet<Test>>();
		Migration::on_runtime_upgrade();
		assert_eq!(Parameters::<Test>::get(), Some(parameters()));
		assert_eq!(Committee::<Test>::get().into_inner(), vec![(7, 0), (8, 0), (9, 0)]);
		assert_eq!(Groups::<Test>::get().len(), 2);
		assert_eq!(EraStartSession::<Test>::get(), 12);
		assert!(!SessionAuthors::<Test>::get().is_empty());
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), 1);
	});
}

#[test]
fn v2_lists_only_active_candidates_once() {
	ExtBuilder::default().build_and_execute(|| {
		// A version-1 chain: candidate 4 withdrew and stayed listed.
		assert_ok!(Pallet::<Test>::withdraw_candidacy(RuntimeOrigin::signed(4)));
		CandidateList::<Test>::mutate(|l| l.try_push(4).unwrap());
		StorageVersion::new(1).put::<Pallet<Test>>();
		#[cfg(feature = "try-runtime")]
		let state = InnerMigrateV1ToV2::<Test>::pre_upgrade().unwrap();
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		#[cfg(feature = "try-runtime")]
		InnerMigrateV1ToV2::<Test>::post_upgrade(state).unwrap();
		assert_eq!(CandidateList::<Test>::get().into_inner(), vec![1, 2, 3]);
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), 2);
		// Once only: a later listing is not touched again.
		CandidateList::<Test>::mutate(|l| l.try_push(4).unwrap());
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(CandidateList::<Test>::get().len(), 4);
		CandidateList::<Test>::mutate(|l| l.retain(|a| *a != 4));
	});
}

/// Turns `holder`'s lease hold back into storage version 2's `Leased` freeze.
fn as_version_2(holder: AccountId) {
	let held = Balances::balance_on_hold(&HoldReason::Lease.into(), &holder);
	assert_ok!(Balances::release(&HoldReason::Lease.into(), &holder, held, Precision::Exact));
	assert_ok!(Balances::set_freeze(&FreezeReason::Leased.into(), &holder, held));
}

fn migrate() {
	StorageVersion::new(2).put::<Pallet<Test>>();
	#[cfg(feature = "try-runtime")]
	let state = InnerMigrateV2ToV3::<Test>::pre_upgrade().unwrap();
	MigrateV2ToV3::<Test>::on_runtime_upgrade();
	#[cfg(feature = "try-runtime")]
	InnerMigrateV2ToV3::<Test>::post_upgrade(state).unwrap();
	assert_eq!(Pallet::<Test>::on_chain_storage_version(), 3);
}

fn cuts() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Dpos(e @ Event::LeaseCut { .. }) => Some(e),
			_ => None,
		})
		.collect()
}

#[test]
fn v3_turns_covered_lease_freezes_into_holds() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Pallet::<Test>::lease(RuntimeOrigin::signed(10), 4, 1_000 * KMCC));
		assert_ok!(Pallet::<Test>::lease(RuntimeOrigin::signed(11), 3, 500 * KMCC));
		assert_ok!(Pallet::<Test>::unlease(RuntimeOrigin::signed(11), 3, 200 * KMCC));
		as_version_2(10);
		as_version_2(11);
		migrate();
		assert_eq!(Balances::balance_on_hold(&HoldReason::Lease.into(), &10), 1_000 * KMCC);
		assert_eq!(Balances::balance_on_hold(&HoldReason::Lease.into(), &11), 500 * KMCC);
		assert_eq!(Balances::balance_frozen(&FreezeReason::Leased.into(), &10), 0);
		assert_eq!(Balances::balance_frozen(&FreezeReason::Leased.into(), &11), 0);
		assert!(cuts().is_empty());
		// Once only.
		assert_ok!(Balances::set_freeze(&FreezeReason::Leased.into(), &12, KMCC));
		MigrateV2ToV3::<Test>::on_runtime_upgrade();
		assert_eq!(Balances::balance_frozen(&FreezeReason::Leased.into(), &12), KMCC);
		assert_ok!(Balances::thaw(&FreezeReason::Leased.into(), &12));
	});
}

#[test]
fn v3_cuts_what_a_holders_free_funds_do_not_cover() {
	ExtBuilder::default().build_and_execute(|| {
		let signed = RuntimeOrigin::signed;
		System::set_block_number(2);
		// 1,500 KMCC to 4, 500 to 3, then 200 of those unbonding: 2,000 frozen in v2.
		assert_ok!(Pallet::<Test>::lease(signed(10), 4, 1_500 * KMCC));
		assert_ok!(Pallet::<Test>::lease(signed(10), 3, 500 * KMCC));
		assert_ok!(Pallet::<Test>::unlease(signed(10), 3, 200 * KMCC));
		as_version_2(10);
		// In v2 the freeze let other holds and transfers take frozen funds: only 1,200
		// KMCC (plus the existential deposit) are left in the account.
		let free = Balances::balance(&10);
		assert_ok!(Balances::burn_from(
			&10,
			free - 1_200 * KMCC - EXISTENTIAL_DEPOSIT,
			Preservation::Preserve,
			Precision::Exact,
			Fortitude::Force,
		));
		System::reset_events();
		migrate();
		// 1,200 held; 800 cut: the 200 unbonding, then 300 from 3 (gone), 300 from 4.
		assert_eq!(Balances::balance_on_hold(&HoldReason::Lease.into(), &10), 1_200 * KMCC);
		assert_eq!(Balances::balance(&10), EXISTENTIAL_DEPOSIT);
		assert_eq!(
			cuts(),
			vec![
				Event::LeaseCut { holder: 10, candidate: None, amount: 200 * KMCC },
				Event::LeaseCut { holder: 10, candidate: Some(3), amount: 300 * KMCC },
				Event::LeaseCut { holder: 10, candidate: Some(4), amount: 300 * KMCC },
			]
		);
		assert!(Unbonding::<Test>::get(10).is_empty());
		assert!(Leases::<Test>::get(10, 3).is_none());
		assert_eq!(HolderLeases::<Test>::get(10).into_inner(), vec![4]);
		assert_eq!(Leases::<Test>::get(10, 4).unwrap().amount, 1_200 * KMCC);
		assert_eq!(Candidates::<Test>::get(4).unwrap().leased, 1_200 * KMCC);
		assert_eq!(Candidates::<Test>::get(3).unwrap().leased, 0);
		assert_eq!(Balances::total_balance(&10), 1_200 * KMCC + EXISTENTIAL_DEPOSIT);
	});
}
