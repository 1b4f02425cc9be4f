//! Proof of spacetime: challenges, space verification transactions, rounds and faults.

use crate::{
	pallet::*, pricing, weights::WeightInfo as _, Challenge, ChallengeWindow, GroupId, GroupProof,
	LandlordStatus, ProofVoteOf, Round, SpaceId, PROOF_CONTEXT,
};
use alloc::{collections::BTreeSet, vec::Vec};
use codec::Encode;
use kmcc_primitives::Balance;
use polkadot_sdk::{
	frame_support::{
		dispatch::Pays,
		ensure,
		pallet_prelude::*,
		traits::{fungible::Mutate, tokens::Preservation, Randomness},
	},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_core::H256,
	sp_io::hashing::blake2_256,
	sp_runtime::{traits::Saturating, RuntimeAppPublic},
};

/// Bytes of a chunk (1 MiB).
pub const CHUNK_BYTES: u32 = 1 << 20;

impl<T: Config> Pallet<T> {
	/// What a member's node key signs for a proof:
	/// `blake2_256(("kmcc/pos", round, group, seed, node key, data hash))`, SCALE-encoded.
	pub fn proof_payload(
		round: Round,
		group: GroupId,
		seed: H256,
		node: &T::NodeId,
		data_hash: H256,
	) -> [u8; 32] {
		blake2_256(&(PROOF_CONTEXT, round, group, seed, node, data_hash).encode())
	}

	/// The window of `group` the open challenge asks for: chunk, offset and length from
	/// `blake2_256((seed, group))`.
	pub fn challenge_window(group: GroupId) -> ChallengeWindow {
		let seed = CurrentChallenge::<T>::get().seed;
		let h = blake2_256(&(seed, group).encode());
		let length = T::ChallengeLength::get().clamp(1, CHUNK_BYTES);
		let word = |i: usize| {
			let mut b = [0u8; 8];
			b.copy_from_slice(h.get(i..i.saturating_add(8)).unwrap_or(&[0u8; 8]));
			u64::from_le_bytes(b)
		};
		let in_group = word(0) % u64::from(pricing::GROUP_CHUNKS);
		let chunk = u64::from(group)
			.saturating_mul(u64::from(pricing::GROUP_CHUNKS))
			.saturating_add(in_group);
		let span = u64::from(CHUNK_BYTES.saturating_sub(length)).saturating_add(1);
		let offset = (word(8) % span) as u32;
		ChallengeWindow { chunk, offset, length }
	}

	/// Verifies a space verification transaction and counts its votes. Returns whether the
	/// submitter pays: a first proof is free only when it carries a vote of every member (a
	/// quorum subset would fault the members left out); votes added to a counted proof are
	/// free.
	pub(crate) fn do_submit_proof(
		group_id: GroupId,
		round: Round,
		votes: BoundedVec<ProofVoteOf<T>, T::MaxReplicas>,
	) -> Result<Pays, DispatchError> {
		let challenge = CurrentChallenge::<T>::get();
		ensure!(round == challenge.round, Error::<T>::WrongRound);
		let group = CopyGroups::<T>::get(group_id).ok_or(Error::<T>::UnknownGroup)?;
		let mut seen: Vec<&T::AccountId> = Vec::new();
		for vote in votes.iter() {
			ensure!(group.members.contains(&vote.landlord), Error::<T>::NotAMember);
			ensure!(!seen.contains(&&vote.landlord), Error::<T>::DuplicateVote);
			seen.push(&vote.landlord);
			let landlord = Landlords::<T>::get(&vote.landlord).ok_or(Error::<T>::NotAMember)?;
			let payload = Self::proof_payload(
				round,
				group_id,
				challenge.seed,
				&landlord.node,
				vote.data_hash,
			);
			ensure!(landlord.node.verify(&payload, &vote.signature), Error::<T>::BadSignature);
		}

		if let Some(mut proof) = GroupProofs::<T>::get(group_id).filter(|p| p.round == round) {
			// The group already proved this round: count members that signed the counted
			// hash and were left out, until the round closes.
			let added: Vec<T::AccountId> = votes
				.iter()
				.filter(|v| v.data_hash == proof.data_hash && !proof.passed.contains(&v.landlord))
				.map(|v| v.landlord.clone())
				.collect();
			ensure!(!added.is_empty(), Error::<T>::AlreadyProven);
			for who in &added {
				// Bounded by `MaxReplicas`: members are distinct and at most that many.
				let _ = proof.passed.try_push(who.clone());
			}
			Self::credit_replicas(&added);
			GroupProofs::<T>::insert(group_id, proof);
			Self::deposit_event(Event::ProofVotesAdded { group: group_id, round, added });
			return Ok(Pays::No);
		}

		// The data hash most members signed (ties: the lowest hash).
		let mut best: Option<(u32, H256)> = None;
		for vote in votes.iter() {
			let n = votes.iter().filter(|v| v.data_hash == vote.data_hash).count() as u32;
			let better = match best {
				None => true,
				Some((bn, bh)) => n > bn || (n == bn && vote.data_hash < bh),
			};
			if better {
				best = Some((n, vote.data_hash));
			}
		}
		let (count, data_hash) = best.ok_or(Error::<T>::NoQuorum)?;
		ensure!(count >= pricing::quorum(group.members.len() as u32), Error::<T>::NoQuorum);
		let passed: Vec<T::AccountId> =
			votes.iter().filter(|v| v.data_hash == data_hash).map(|v| v.landlord.clone()).collect();
		Self::credit_replicas(&passed);
		// Free when every member's vote is in, whatever it signed.
		let complete = votes.len() == group.members.len();
		GroupProofs::<T>::insert(
			group_id,
			GroupProof { round, data_hash, passed: BoundedVec::truncate_from(passed.clone()) },
		);
		Self::deposit_event(Event::SpaceProven { group: group_id, round, data_hash, passed });
		Ok(if complete { Pays::No } else { Pays::Yes })
	}

	/// Credits one group's replicas (`GROUP_CHUNKS` MiB) to each landlord in `passed` for the
	/// open round.
	fn credit_replicas(passed: &[T::AccountId]) {
		let replicas = u64::from(pricing::GROUP_CHUNKS);
		for who in passed {
			RoundProven::<T>::mutate(who, |r| {
				*r = Some(r.unwrap_or(0).saturating_add(replicas));
			});
		}
		RoundProvenTotal::<T>::mutate(|t| {
			t.saturating_accrue(replicas.saturating_mul(passed.len() as u64))
		});
	}

	pub(crate) fn do_report(
		reporter: T::AccountId,
		space_id: SpaceId,
		landlord: T::AccountId,
	) -> DispatchResult {
		let space = Spaces::<T>::get(space_id).ok_or(Error::<T>::UnknownSpace)?;
		ensure!(space.owner == reporter, Error::<T>::NotOwner);
		let serves = space.chunks.iter().any(|set| {
			CopyGroups::<T>::get(set.group).is_some_and(|g| g.members.contains(&landlord))
		});
		ensure!(serves, Error::<T>::NotServing);
		let record = Landlords::<T>::get(&landlord).ok_or(Error::<T>::NotLandlord)?;
		ensure!(record.status == LandlordStatus::Active, Error::<T>::NotActive);
		let round = Self::current_round();
		ensure!(LastReport::<T>::get(&landlord) != Some(round), Error::<T>::AlreadyReported);
		let fee = Parameters::<T>::get().report_fee;
		if fee > 0 {
			T::Currency::transfer(&reporter, &Self::pool_account(), fee, Preservation::Preserve)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
		}
		LastReport::<T>::insert(&landlord, round);
		Self::deposit_event(Event::AvailabilityReported {
			reporter,
			landlord: landlord.clone(),
			space: space_id,
		});
		Self::fault(&landlord, round);
		Ok(())
	}

	/// Closes the open round at block `n`: faults for members without a counted proof, rent
	/// of the round to the landlords that proved, then a new challenge.
	pub(crate) fn close_round(n: BlockNumberFor<T>) -> Weight {
		let round = Self::current_round();
		let groups = GroupCount::<T>::get();
		let mut proven = 0u32;
		// One fault per landlord per round, however many of its groups it failed.
		let mut missed: BTreeSet<T::AccountId> = BTreeSet::new();
		for g in 0..groups {
			let Some(group) = CopyGroups::<T>::get(g) else { continue };
			let proof = GroupProofs::<T>::get(g).filter(|p| p.round == round);
			if proof.is_some() {
				proven = proven.saturating_add(1);
			}
			if group.changed_round >= round {
				continue;
			}
			for member in group.members.iter() {
				if !proof.as_ref().is_some_and(|p| p.passed.contains(member)) {
					missed.insert(member.clone());
				}
			}
		}
		for member in &missed {
			Self::fault(member, round);
		}

		let rent = RoundRent::<T>::take();
		let total = u128::from(RoundProvenTotal::<T>::take());
		let pool = Self::pool_account();
		let mut paid: Balance = 0;
		let mut landlords = 0u32;
		for (who, replicas) in RoundProven::<T>::drain() {
			landlords = landlords.saturating_add(1);
			let amount = pricing::pro_rata(rent, u128::from(replicas), total);
			if amount == 0 {
				continue;
			}
			// Landlords' accounts exist (they hold collateral); a failed payment stays in the
			// pool.
			if T::Currency::transfer(&pool, &who, amount, Preservation::Preserve).is_ok() {
				paid.saturating_accrue(amount);
				Self::deposit_event(Event::RentPaid { landlord: who, round, amount });
			}
		}
		Self::deposit_event(Event::RoundClosed { round, rent, paid, groups_proven: proven });

		let next = round.saturating_add(1);
		let (random, _) = T::Randomness::random(&(PROOF_CONTEXT, next).encode());
		let seed = H256::from(blake2_256(random.as_ref()));
		CurrentChallenge::<T>::put(Challenge { round: next, seed, issued_at: n });
		Self::deposit_event(Event::ChallengeIssued { round: next, seed });
		T::WeightInfo::close_round(groups, landlords)
	}
}
