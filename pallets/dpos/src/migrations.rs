//! Storage migrations.

use crate::{
	CandidateList, CandidateStatus, Candidates, Committee, Config, EraStartSession, Event,
	FreezeReason, Groups, HoldReason, HolderLeases, Leases, Pallet, Parameters, ParametersOf,
	UnbondingKind,
};
use alloc::{collections::BTreeSet, vec::Vec};
use kmcc_primitives::Balance;
#[cfg(feature = "try-runtime")]
use polkadot_sdk::sp_runtime::TryRuntimeError;
use polkadot_sdk::{
	frame_support::{
		migrations::VersionedMigration,
		traits::{
			fungible::{MutateFreeze, MutateHold},
			Get, GetStorageVersion, OnRuntimeUpgrade, StorageVersion, UncheckedOnRuntimeUpgrade,
		},
		weights::Weight,
		BoundedVec,
	},
	frame_system,
	sp_staking::SessionIndex,
};

/// On a chain that adds this pallet by a runtime upgrade: writes `Params` and storage version
/// 1, and adopts the running validators (`Validators`) as the committee of an era starting at
/// `Session`, with zero backing, so blocks and finality go on unchanged until candidates
/// register and the first election with candidates replaces them. Does nothing where the
/// pallet is already initialised.
pub struct Initialize<T, Params, Validators, Session>(
	core::marker::PhantomData<(T, Params, Validators, Session)>,
);

impl<T, Params, Validators, Session> OnRuntimeUpgrade for Initialize<T, Params, Validators, Session>
where
	T: Config,
	Params: Get<ParametersOf<T>>,
	Validators: Get<Vec<T::AccountId>>,
	Session: Get<SessionIndex>,
{
	fn on_runtime_upgrade() -> Weight {
		let db = <T as frame_system::Config>::DbWeight::get();
		if Pallet::<T>::on_chain_storage_version() >= 1 || Parameters::<T>::exists() {
			return db.reads(2);
		}
		let params = Params::get();
		let members: Vec<(T::AccountId, kmcc_primitives::Balance)> =
			Validators::get().into_iter().map(|v| (v, 0)).collect();
		let groups = Pallet::<T>::bounded_groups(&members, params.group_count);
		let session = Session::get();
		Parameters::<T>::put(params);
		Committee::<T>::put(BoundedVec::truncate_from(members));
		Groups::<T>::put(groups);
		EraStartSession::<T>::put(session);
		Pallet::<T>::start_session_authors(session);
		StorageVersion::new(1).put::<Pallet<T>>();
		db.reads_writes(5, 8)
	}
}

/// Version 1 → 2: `CandidateList` keeps the Active candidates only (leaving and slashed ones
/// used to stay listed while any lease remained, taking slots new candidates need).
pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
	fn on_runtime_upgrade() -> Weight {
		let list = CandidateList::<T>::get();
		let read = list.len() as u64;
		let kept: Vec<T::AccountId> = list
			.into_iter()
			.filter(|who| {
				Candidates::<T>::get(who).is_some_and(|c| c.status == CandidateStatus::Active)
			})
			.collect();
		CandidateList::<T>::put(BoundedVec::truncate_from(kept));
		<T as frame_system::Config>::DbWeight::get().reads_writes(read.saturating_add(1), 1)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
		use codec::Encode;
		let active = Candidates::<T>::iter_values()
			.filter(|c| c.status == CandidateStatus::Active)
			.count() as u32;
		Ok(active.encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
		use codec::Decode;
		let active = u32::decode(&mut state.as_slice())
			.map_err(|_| TryRuntimeError::Other("pre-upgrade state"))?;
		let list = CandidateList::<T>::get();
		if list.len() as u32 != active {
			return Err(TryRuntimeError::Other("CandidateList differs from the Active candidates"));
		}
		Pallet::<T>::do_try_state()
	}
}

/// [`InnerMigrateV1ToV2`], run once: only at on-chain storage version 1, then records 2.
pub type MigrateV1ToV2<T> = VersionedMigration<
	1,
	2,
	InnerMigrateV1ToV2<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

/// Version 2 → 3: leases become holds ([`HoldReason::Lease`]) instead of freezes.
///
/// `pallet-balances` applies a freeze to free plus held funds, so a frozen lease was covered
/// again by any hold taken later (masternode or landlord collateral), and the holder could
/// transfer what the lease should have kept. For every holder (an account with leases or
/// unbonding leases) this thaws the `Leased` freeze and holds `min(owed, unencumbered)`, with
/// `owed` its leases plus unbonding leases and `unencumbered` its free balance that no other
/// freeze or lock claims. What cannot be held is cut — unbonding leases first (latest unlock
/// first), then leases (the most recent candidate first, after paying its pending rewards) —
/// and reported as [`Event::LeaseCut`], so afterwards no balance backs two commitments.
///
/// Cost: one pass over the holders, `O(holders × MaxLeasesPerHolder)` reads and writes, in one
/// block (a few hundred holders on the test networks; mainnet launches at version 3).
pub struct InnerMigrateV2ToV3<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV2ToV3<T> {
	fn on_runtime_upgrade() -> Weight {
		let mut holders: BTreeSet<T::AccountId> = HolderLeases::<T>::iter_keys().collect();
		let mut reads = holders.len() as u64;
		for (who, chunks) in crate::Unbonding::<T>::iter() {
			reads = reads.saturating_add(1);
			if chunks.iter().any(|c| c.kind == UnbondingKind::Lease) {
				holders.insert(who);
			}
		}
		let mut writes = 0u64;
		for who in &holders {
			let (r, w) = convert_holder::<T>(who);
			reads = reads.saturating_add(r);
			writes = writes.saturating_add(w);
		}
		<T as frame_system::Config>::DbWeight::get().reads_writes(reads, writes)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
		use codec::Encode;
		Ok(total_leases::<T>().encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
		use codec::Decode;
		let before = Balance::decode(&mut state.as_slice())
			.map_err(|_| TryRuntimeError::Other("pre-upgrade state"))?;
		if total_leases::<T>() > before {
			return Err(TryRuntimeError::Other("leases grew in the migration"));
		}
		// Every holder's hold equals its leases plus unbonding leases, no lease is frozen.
		Pallet::<T>::do_try_state()
	}
}

/// Leases plus unbonding leases of every holder.
#[cfg(feature = "try-runtime")]
fn total_leases<T: Config>() -> Balance {
	let leased: Balance = Leases::<T>::iter_values().map(|l| l.amount).sum();
	let unbonding: Balance = crate::Unbonding::<T>::iter_values()
		.flat_map(|chunks| chunks.into_iter())
		.filter(|c| c.kind == UnbondingKind::Lease)
		.map(|c| c.amount)
		.sum();
	leased.saturating_add(unbonding)
}

/// Moves one holder's freeze into a hold, cutting what its funds cannot cover. Returns the
/// reads and writes.
fn convert_holder<T: Config>(who: &T::AccountId) -> (u64, u64) {
	let (mut reads, mut writes) = (4u64, 2u64);
	let mut chunks = crate::Unbonding::<T>::get(who);
	let leased: Vec<T::AccountId> = HolderLeases::<T>::get(who).into_inner();
	let unbonding: Balance = chunks
		.iter()
		.filter(|c| c.kind == UnbondingKind::Lease)
		.fold(0, |sum, c| sum.saturating_add(c.amount));
	let owed = leased.iter().fold(unbonding, |sum, candidate| {
		sum.saturating_add(Leases::<T>::get(who, candidate).map_or(0, |l| l.amount))
	});
	let _ = T::Currency::thaw(&FreezeReason::Leased.into(), who);
	let mut covered = owed.min(Pallet::<T>::holdable(who));
	if covered > 0 && T::Currency::hold(&HoldReason::Lease.into(), who, covered).is_err() {
		covered = 0;
	}
	let mut cut = owed.saturating_sub(covered);
	if cut == 0 {
		return (reads, writes);
	}

	// Unbonding leases first: they earn nothing.
	let mut from_unbonding: Balance = 0;
	for chunk in chunks.iter_mut().rev().filter(|c| c.kind == UnbondingKind::Lease) {
		let take = cut.min(chunk.amount);
		chunk.amount = chunk.amount.saturating_sub(take);
		cut = cut.saturating_sub(take);
		from_unbonding = from_unbonding.saturating_add(take);
	}
	if from_unbonding > 0 {
		chunks.retain(|c| c.amount > 0);
		if chunks.is_empty() {
			crate::Unbonding::<T>::remove(who);
		} else {
			crate::Unbonding::<T>::insert(who, chunks);
		}
		writes = writes.saturating_add(1);
		Pallet::<T>::deposit_event(Event::LeaseCut {
			holder: who.clone(),
			candidate: None,
			amount: from_unbonding,
		});
	}

	// Then leases, the most recent candidate first.
	for candidate_id in leased.iter().rev() {
		if cut == 0 {
			break;
		}
		reads = reads.saturating_add(2);
		writes = writes.saturating_add(3);
		let (Some(mut lease), Some(mut candidate)) =
			(Leases::<T>::get(who, candidate_id), Candidates::<T>::get(candidate_id))
		else {
			continue;
		};
		// Pays what the full lease earned so far; if the pot cannot (its invariant says it
		// can), the snapshot stays and the cut part's rewards are forgone.
		let mut paid = lease.clone();
		if Pallet::<T>::pay_pending(who, candidate_id, &candidate, &mut paid).is_ok() {
			lease = paid;
		}
		let take = cut.min(lease.amount);
		cut = cut.saturating_sub(take);
		lease.amount = lease.amount.saturating_sub(take);
		candidate.leased = candidate.leased.saturating_sub(take);
		if lease.amount == 0 {
			Leases::<T>::remove(who, candidate_id);
			HolderLeases::<T>::mutate(who, |list| list.retain(|c| c != candidate_id));
		} else {
			Leases::<T>::insert(who, candidate_id, lease);
		}
		Candidates::<T>::insert(candidate_id, candidate);
		Pallet::<T>::prune_candidate(candidate_id);
		Pallet::<T>::deposit_event(Event::LeaseCut {
			holder: who.clone(),
			candidate: Some(candidate_id.clone()),
			amount: take,
		});
	}
	(reads, writes)
}

/// [`InnerMigrateV2ToV3`], run once: only at on-chain storage version 2, then records 3.
pub type MigrateV2ToV3<T> = VersionedMigration<
	2,
	3,
	InnerMigrateV2ToV3<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

#[cfg(test)]
mod tests;
