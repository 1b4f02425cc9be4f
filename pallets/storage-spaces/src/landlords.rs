//! Landlords and copy-group assignment.

use crate::{
	pallet::*, pricing, CopyGroupOf, EndpointOf, GroupId, LandlordOf, LandlordStatus, Round,
};
use alloc::{collections::BTreeMap, vec::Vec};
use codec::Encode;
use kmcc_primitives::Balance;
use polkadot_sdk::{
	frame_support::{
		ensure,
		pallet_prelude::*,
		traits::{
			fungible::MutateHold,
			tokens::{Fortitude, Precision, Restriction},
		},
	},
	sp_runtime::traits::{Saturating, Zero},
};

/// Active landlords loaded for an assignment, written back at the end.
pub(crate) struct Roster<T: Config> {
	records: BTreeMap<T::AccountId, LandlordOf<T>>,
	order: Vec<T::AccountId>,
	changed: Vec<T::AccountId>,
}

impl<T: Config> Roster<T> {
	pub(crate) fn load() -> Self {
		let order: Vec<T::AccountId> = ActiveLandlords::<T>::get().into_inner();
		let records =
			order.iter().filter_map(|a| Landlords::<T>::get(a).map(|r| (a.clone(), r))).collect();
		Self { records, order, changed: Vec::new() }
	}

	fn slots(&self, who: &T::AccountId) -> u32 {
		self.records.get(who).map(|r| free_slots::<T>(r)).unwrap_or(0)
	}

	/// Landlords with a free slot, most free slots first, then lower account: the
	/// deterministic order in which groups are filled.
	fn ranked(&self, exclude: &[T::AccountId]) -> Vec<T::AccountId> {
		let mut ranked: Vec<(u32, &T::AccountId)> = self
			.order
			.iter()
			.filter(|a| !exclude.contains(a))
			.map(|a| (self.slots(a), a))
			.filter(|(s, _)| *s > 0)
			.collect();
		ranked.sort_by(|(sa, a), (sb, b)| sb.cmp(sa).then(a.cmp(b)));
		ranked.into_iter().map(|(_, a)| a.clone()).collect()
	}

	/// A landlord drawn uniformly from those with a free slot outside `exclude`, by `entropy`.
	/// Uniform over landlords, not weighted by free slots: a large landlord is not preferred.
	fn draw(&self, exclude: &[T::AccountId], entropy: u64) -> Option<T::AccountId> {
		let eligible = self.ranked(exclude);
		let len = eligible.len() as u64;
		(len > 0).then(|| eligible.get((entropy % len) as usize).cloned()).flatten()
	}

	/// Moves `who`'s membership from group `from` to group `to`.
	fn regroup(&mut self, who: &T::AccountId, from: GroupId, to: GroupId) -> bool {
		let Some(record) = self.records.get_mut(who) else { return false };
		let Some(slot) = record.groups.iter_mut().find(|g| **g == from) else { return false };
		*slot = to;
		if !self.changed.contains(who) {
			self.changed.push(who.clone());
		}
		true
	}

	fn join(&mut self, who: &T::AccountId, group: GroupId) -> bool {
		let Some(record) = self.records.get_mut(who) else { return false };
		if free_slots::<T>(record) == 0 || record.groups.try_push(group).is_err() {
			return false;
		}
		if !self.changed.contains(who) {
			self.changed.push(who.clone());
		}
		true
	}

	pub(crate) fn store(self) {
		for who in self.changed {
			if let Some(record) = self.records.get(&who) {
				Landlords::<T>::insert(&who, record);
			}
		}
	}
}

/// What [`Pallet::assign_groups`] did, for the actual weight of the call that ran it.
#[derive(Default)]
pub(crate) struct Assigned {
	/// Copy groups formed.
	formed: u32,
	/// Older groups read by the scatter's draws.
	draws: u32,
	/// Older groups written by its swaps.
	swaps: u32,
}

impl Assigned {
	/// `benchmarked(active landlords, groups formed)` plus the scatter's storage work as done.
	pub(crate) fn weight<T: Config>(&self, benchmarked: impl Fn(u32, u32) -> Weight) -> Weight {
		let landlords = ActiveLandlords::<T>::decode_len().unwrap_or(0) as u32;
		benchmarked(landlords, self.formed).saturating_add(
			T::DbWeight::get().reads_writes(u64::from(self.draws), u64::from(self.swaps)),
		)
	}
}

/// Draws per member of a new group to find an older group to swap with.
pub(crate) const PLACEMENT_DRAWS: u32 = 4;

/// On-chain randomness for placing replicas, drawn once per assignment.
pub(crate) struct Placement<T: Config> {
	seed: T::Hash,
}

impl<T: Config> Placement<T> {
	fn new() -> Self {
		use polkadot_sdk::frame_support::traits::Randomness;
		Self { seed: T::Randomness::random(b"kmcc/storage/placement").0 }
	}

	/// 64 bits for draw `i` of group `g`.
	fn entropy(&self, g: GroupId, i: u32) -> u64 {
		let hash = polkadot_sdk::sp_io::hashing::blake2_256(&(self.seed, g, i).encode());
		let mut bytes = [0u8; 8];
		bytes.copy_from_slice(&hash[..8]);
		u64::from_le_bytes(bytes)
	}
}

/// Copy groups `record` can still join.
pub(crate) fn free_slots<T: Config>(record: &LandlordOf<T>) -> u32 {
	if record.status != LandlordStatus::Active {
		return 0;
	}
	(record.capacity_mib / pricing::GROUP_CHUNKS)
		.min(T::MaxGroupsPerLandlord::get())
		.saturating_sub(record.groups.len() as u32)
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register(
		who: T::AccountId,
		node: T::NodeId,
		capacity_mib: u32,
		endpoint: EndpointOf<T>,
	) -> Result<Assigned, DispatchError> {
		ensure!(!Landlords::<T>::contains_key(&who), Error::<T>::AlreadyLandlord);
		ensure!(!NodeOwners::<T>::contains_key(&node), Error::<T>::NodeKeyInUse);
		Self::check_capacity(capacity_mib)?;
		let collateral =
			pricing::collateral_for(capacity_mib, Parameters::<T>::get().collateral_per_gib);
		ActiveLandlords::<T>::try_append(&who).map_err(|_| Error::<T>::TooManyLandlords)?;
		Self::hold_collateral(&who, collateral)?;
		NodeOwners::<T>::insert(&node, &who);
		Landlords::<T>::insert(
			&who,
			LandlordOf::<T> {
				node,
				endpoint,
				capacity_mib,
				collateral,
				groups: BoundedVec::new(),
				status: LandlordStatus::Active,
				faults: 0,
				fault_window_start: Self::current_round(),
			},
		);
		Self::deposit_event(Event::LandlordRegistered { landlord: who, capacity_mib, collateral });
		Ok(Self::assign_groups())
	}

	pub(crate) fn do_add_capacity(
		who: T::AccountId,
		extra_mib: u32,
	) -> Result<Assigned, DispatchError> {
		ensure!(!extra_mib.is_zero(), Error::<T>::Zero);
		let mut record = Landlords::<T>::get(&who).ok_or(Error::<T>::NotLandlord)?;
		ensure!(record.status == LandlordStatus::Active, Error::<T>::NotActive);
		let capacity_mib =
			record.capacity_mib.checked_add(extra_mib).ok_or(Error::<T>::CapacityTooLarge)?;
		Self::check_capacity(capacity_mib)?;
		let required =
			pricing::collateral_for(capacity_mib, Parameters::<T>::get().collateral_per_gib);
		let extra = required.saturating_sub(record.collateral);
		Self::hold_collateral(&who, extra)?;
		record.capacity_mib = capacity_mib;
		record.collateral = record.collateral.saturating_add(extra);
		Landlords::<T>::insert(&who, &record);
		Self::deposit_event(Event::CapacityAdded {
			landlord: who,
			capacity_mib,
			collateral: record.collateral,
		});
		Ok(Self::assign_groups())
	}

	fn check_capacity(capacity_mib: u32) -> DispatchResult {
		ensure!(capacity_mib >= pricing::GROUP_CHUNKS, Error::<T>::CapacityTooSmall);
		ensure!(
			capacity_mib / pricing::GROUP_CHUNKS <= T::MaxGroupsPerLandlord::get(),
			Error::<T>::CapacityTooLarge
		);
		Ok(())
	}

	pub(crate) fn do_leave(who: T::AccountId) -> DispatchResult {
		let record = Landlords::<T>::get(&who).ok_or(Error::<T>::NotLandlord)?;
		ensure!(record.status == LandlordStatus::Active, Error::<T>::NotActive);
		// Storage changes roll back with the error if a group has no replacement.
		let unreplaced = Self::vacate(&who, &record);
		ensure!(unreplaced.is_empty(), Error::<T>::NoReplacement);
		let unlocks_at = Self::now_block().saturating_add(Parameters::<T>::get().unbonding_period);
		Landlords::<T>::mutate(&who, |r| {
			if let Some(r) = r {
				r.groups = BoundedVec::new();
				r.status = LandlordStatus::Leaving { unlocks_at };
			}
		});
		Self::deposit_event(Event::LandlordLeaving { landlord: who, unlocks_at });
		Ok(())
	}

	pub(crate) fn do_withdraw(who: T::AccountId) -> DispatchResult {
		let record = Landlords::<T>::get(&who).ok_or(Error::<T>::NotLandlord)?;
		let LandlordStatus::Leaving { unlocks_at } = record.status else {
			return Err(Error::<T>::NotLeaving.into());
		};
		ensure!(Self::now_block() >= unlocks_at, Error::<T>::StillUnbonding);
		let amount = Self::release_collateral(&who, record.collateral);
		Landlords::<T>::remove(&who);
		NodeOwners::<T>::remove(&record.node);
		Self::deposit_event(Event::CollateralReleased { landlord: who, amount });
		Ok(())
	}

	/// Takes `who` out of the active roster and hands each of its replicas to the best other
	/// landlord; returns the groups left without a replacement (now degraded).
	fn vacate(who: &T::AccountId, record: &LandlordOf<T>) -> Vec<GroupId> {
		ActiveLandlords::<T>::mutate(|list| list.retain(|a| a != who));
		let mut roster = Roster::<T>::load();
		let round = Self::current_round();
		let placement = Placement::<T>::new();
		let mut unreplaced = Vec::new();
		for &g in record.groups.iter() {
			let Some(mut group) = CopyGroups::<T>::get(g) else { continue };
			group.members.retain(|m| m != who);
			// `who` left the roster above, so it is never its own replacement.
			let to = match roster.draw(&group.members, placement.entropy(g, 0)) {
				Some(to) if roster.join(&to, g) => {
					// Bounded by `MaxReplicas`: one member was just removed.
					let _ = group.members.try_push(to.clone());
					Some(to)
				}
				_ => {
					unreplaced.push(g);
					DegradedGroups::<T>::mutate(|d| {
						if !d.contains(&g) {
							let _ = d.try_push(g);
						}
					});
					None
				}
			};
			group.changed_round = round;
			CopyGroups::<T>::insert(g, group);
			Self::deposit_event(Event::ReplicaMoved { group: g, from: Some(who.clone()), to });
		}
		roster.store();
		unreplaced
	}

	/// Fills degraded groups, then forms new groups while `replica_count` landlords have a
	/// free slot.
	///
	/// Before a call no group can be formed, so every group formed here includes the landlord
	/// whose capacity just grew: the work is bounded by its slots (`MaxGroupsPerLandlord`).
	pub(crate) fn assign_groups() -> Assigned {
		let mut assigned = Assigned::default();
		let replicas = Parameters::<T>::get().replica_count.max(1) as usize;
		let mut roster = Roster::<T>::load();
		let round = Self::current_round();
		let placement = Placement::<T>::new();

		let mut degraded = DegradedGroups::<T>::get();
		degraded.retain(|&g| {
			let Some(mut group) = CopyGroups::<T>::get(g) else { return false };
			let mut changed = false;
			while group.members.len() < replicas {
				let draw = placement.entropy(g, group.members.len() as u32);
				let Some(to) = roster.draw(&group.members, draw) else { break };
				if !roster.join(&to, g) || group.members.try_push(to.clone()).is_err() {
					break;
				}
				changed = true;
				Self::deposit_event(Event::ReplicaMoved { group: g, from: None, to: Some(to) });
			}
			if changed {
				group.changed_round = round;
			}
			let still_degraded = group.members.len() < replicas;
			CopyGroups::<T>::insert(g, group);
			still_degraded
		});
		DegradedGroups::<T>::put(degraded);

		let mut count = GroupCount::<T>::get();
		while count < T::MaxCopyGroups::get() {
			let ranked = roster.ranked(&[]);
			if ranked.len() < replicas {
				break;
			}
			let mut members: Vec<T::AccountId> = ranked.into_iter().take(replicas).collect();
			let g = count;
			if !members.iter().all(|m| roster.join(m, g)) {
				break;
			}
			Self::scatter(&mut roster, &placement, g, &mut members, round, &mut assigned);
			members.sort();
			let Ok(bounded) = BoundedVec::try_from(members.clone()) else { break };
			CopyGroups::<T>::insert(
				g,
				CopyGroupOf::<T> { members: bounded, used: 0, changed_round: round },
			);
			GroupsWithFreeChunks::<T>::mutate(|free| {
				let _ = free.try_push(g);
			});
			FreeChunks::<T>::mutate(|f| f.saturating_accrue(u64::from(pricing::GROUP_CHUNKS)));
			count = count.saturating_add(1);
			assigned.formed = assigned.formed.saturating_add(1);
			Self::deposit_event(Event::CopyGroupFormed { group: g, members });
		}
		GroupCount::<T>::put(count);
		roster.store();
		assigned
	}

	/// Swaps each member `m` of the new group `g` with a random member `h` of a random older
	/// group `o` (up to [`PLACEMENT_DRAWS`] draws until `h` is not in `g` and `m` not in `o`;
	/// none may fit, then `m` stays): `m` takes
	/// `h`'s replica of `o` and `h` joins `g`. Every landlord keeps its number of groups, and
	/// where replicas land no longer depends on who registered when: a party that adds
	/// capacity after everyone else's is used does not get groups of its own nodes.
	/// `o` changed this round (its members are not faulted for it). O(r) group reads.
	fn scatter(
		roster: &mut Roster<T>,
		placement: &Placement<T>,
		g: GroupId,
		members: &mut [T::AccountId],
		round: Round,
		assigned: &mut Assigned,
	) {
		if g == 0 {
			return;
		}
		for i in 0..members.len() {
			for attempt in 0..PLACEMENT_DRAWS {
				let entropy =
					placement.entropy(g, (i as u32).saturating_mul(PLACEMENT_DRAWS) + attempt);
				assigned.draws = assigned.draws.saturating_add(1);
				if Self::swap_with_older(roster, g, members, i, entropy, round) {
					assigned.swaps = assigned.swaps.saturating_add(1);
					break;
				}
			}
		}
	}

	/// One draw of [`Self::scatter`] for member `i`: swaps it with the drawn member of the
	/// drawn older group if neither is in the other's group; returns whether it did.
	fn swap_with_older(
		roster: &mut Roster<T>,
		g: GroupId,
		members: &mut [T::AccountId],
		i: usize,
		entropy: u64,
		round: Round,
	) -> bool {
		let o = (entropy % u64::from(g)) as GroupId;
		let Some(mut older) = CopyGroups::<T>::get(o) else { return false };
		let len = older.members.len() as u64;
		if len == 0 {
			return false;
		}
		let at = ((entropy >> 32) % len) as usize;
		let (Some(m), Some(h)) = (members.get(i).cloned(), older.members.get(at).cloned()) else {
			return false;
		};
		if members.contains(&h) || older.members.contains(&m) {
			return false;
		}
		if !roster.regroup(&m, g, o) {
			return false;
		}
		if !roster.regroup(&h, o, g) {
			// Undo: `h` is always in the roster (members are active landlords).
			roster.regroup(&m, o, g);
			return false;
		}
		if let Some(slot) = older.members.get_mut(at) {
			*slot = m.clone();
		}
		if let Some(slot) = members.get_mut(i) {
			*slot = h.clone();
		}
		older.changed_round = round;
		CopyGroups::<T>::insert(o, older);
		Self::deposit_event(Event::ReplicaMoved { group: o, from: Some(h), to: Some(m) });
		true
	}

	/// Storage work of [`Self::scatter`] for `groups` new groups, added to the benchmarked
	/// weight of the calls that form groups: per member up to [`PLACEMENT_DRAWS`] older
	/// groups read and one written. (The benchmarks count each key once, and their worlds
	/// have fewer older groups than a full chain.)
	pub fn scatter_weight(groups: u32) -> Weight {
		let members = u64::from(T::MaxReplicas::get()).saturating_mul(u64::from(groups));
		T::DbWeight::get().reads_writes(members.saturating_mul(u64::from(PLACEMENT_DRAWS)), members)
	}

	/// Slashes `fault_slash` of the collateral into the pool, releases the rest, and moves
	/// the replicas away.
	pub(crate) fn blacklist(who: &T::AccountId) {
		let Some(mut record) = Landlords::<T>::get(who) else { return };
		if record.status == LandlordStatus::Blacklisted {
			return;
		}
		let params = Parameters::<T>::get();
		let to_slash = params.fault_slash.mul_floor(record.collateral);
		let slashed: Balance = T::Currency::transfer_on_hold(
			&HoldReason::LandlordCollateral.into(),
			who,
			&Self::pool_account(),
			to_slash,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Force,
		)
		.unwrap_or_default();
		Self::release_collateral(who, record.collateral.saturating_sub(slashed));
		if record.status == LandlordStatus::Active {
			// A blacklisted landlord's groups stay degraded until capacity arrives.
			Self::vacate(who, &record);
		}
		record.collateral = Zero::zero();
		record.groups = BoundedVec::new();
		record.status = LandlordStatus::Blacklisted;
		Landlords::<T>::insert(who, record);
		Self::deposit_event(Event::LandlordBlacklisted { landlord: who.clone(), slashed });
	}

	/// Records a fault; blacklists at `max_faults` in the window.
	pub(crate) fn fault(who: &T::AccountId, round: crate::Round) {
		let params = Parameters::<T>::get();
		let Some(mut record) = Landlords::<T>::get(who) else { return };
		if record.status != LandlordStatus::Active {
			return;
		}
		if round.saturating_sub(record.fault_window_start) >= params.fault_window {
			record.faults = 0;
			record.fault_window_start = round;
		}
		record.faults = record.faults.saturating_add(1);
		let faults = record.faults;
		Landlords::<T>::insert(who, record);
		Self::deposit_event(Event::LandlordFaulted { landlord: who.clone(), round, faults });
		if faults >= params.max_faults {
			Self::blacklist(who);
		}
	}
}
