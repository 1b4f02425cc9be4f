//! DPoS in the real runtime (design §3): groups take turns as Aura authorities through real
//! session rotations while GRANDPA keeps the whole committee, and the producer share of
//! emission is shared with lessors exactly.

use crate::common::{finish_block, preset_ext, signed, start_block};
use kmcc_runtime::{
	configs::dpos::{AuraKeyOwner, AuthoringSchedule, FALLBACK_AFTER_SLOTS},
	currency::KMCC,
	pallet_dpos,
	pallet_kmcc_issuance::{EmissionSplit, KMCC_EMISSION_SCHEDULE},
	AccountId, Dpos, Executive, Runtime, RuntimeCall, RuntimeEvent,
};
use polkadot_sdk::{
	frame_system, pallet_aura, pallet_authorship, pallet_grandpa, pallet_session,
	sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
	sp_keyring::Sr25519Keyring,
};

fn aura_owners() -> Vec<AccountId> {
	let mut owners: Vec<AccountId> = pallet_aura::Authorities::<Runtime>::get()
		.iter()
		.map(|k| AuraKeyOwner::owner(k).expect("every Aura key has an owner"))
		.collect();
	owners.sort();
	owners
}

fn sorted(keys: &[Sr25519Keyring]) -> Vec<AccountId> {
	let mut v: Vec<AccountId> = keys.iter().map(|k| k.to_account_id()).collect();
	v.sort();
	v
}

#[test]
fn groups_take_turns_as_aura_authorities_while_grandpa_keeps_all_four() {
	use Sr25519Keyring::{Alice, Bob, Charlie, Dave};
	preset_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let first = sorted(&[Alice, Dave]);
		let second = sorted(&[Bob, Charlie]);
		assert_eq!(aura_owners(), first);
		let mut seen = Vec::new();
		// Sessions are 10 blocks: blocks 10, 20 and 30 start sessions 1, 2 and 3.
		for n in 1..=31u32 {
			start_block(n, u64::from(n));
			// The author is always a member of the group authoring this block.
			let author = polkadot_sdk::pallet_authorship::Pallet::<Runtime>::author()
				.expect("the author is found");
			assert!(aura_owners().contains(&author) || n % 10 == 0, "block {n}");
			finish_block(u64::from(n));
			if n % 10 == 0 {
				seen.push((pallet_session::CurrentIndex::<Runtime>::get(), aura_owners()));
				assert_eq!(pallet_session::Validators::<Runtime>::get().len(), 4);
				assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 4);
			}
		}
		assert_eq!(seen, vec![(1, second.clone()), (2, first), (3, second)]);
		// Session 3 starts era 1 (3 sessions per era): the same four are re-elected and the
		// turns continue (group 1, not group 0 a second time in a row).
		assert_eq!(pallet_dpos::CurrentEra::<Runtime>::get(), 1);
		assert_eq!(pallet_dpos::EraStartSession::<Runtime>::get(), 3);
	});
}

#[test]
fn the_producer_share_is_shared_with_a_lessor_to_the_planck() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob;
		// Block 1: Bob leases 100,000 KMCC to Alice (deposit 100,000 KMCC, 10 % commission).
		start_block(1, 1);
		let call = RuntimeCall::Dpos(pallet_dpos::Call::lease {
			candidate: alice.clone(),
			amount: 100_000 * KMCC,
		});
		assert_eq!(Executive::apply_extrinsic(signed(bob, call, 0, 0)), Ok(Ok(())));
		finish_block(1);
		// Block 2 has only the emission: the lessors' part is half of the 90 % after
		// commission; with 10²⁷ / 10²³ an integer, the accumulator loses nothing.
		let before = Dpos::pending_rewards(&bob.to_account_id(), &alice);
		start_block(2, 2);
		finish_block(2);
		let producer =
			EmissionSplit::default().apportion(KMCC_EMISSION_SCHEDULE.reward_at(2)).producer;
		let rest = producer - producer / 10;
		let to_lessor = rest / 2;
		assert_eq!(Dpos::pending_rewards(&bob.to_account_id(), &alice) - before, to_lessor);
		let leases = Dpos::lease_summaries(&bob.to_account_id());
		assert_eq!(leases.len(), 1);
		assert_eq!(leases[0].amount, 100_000 * KMCC);
		assert_eq!(leases[0].pending_rewards, before + to_lessor);
	});
}

/// The owners of the Aura keys the node is given for the slots after the current block.
fn scheduled_owners() -> Vec<AccountId> {
	AuthoringSchedule::authorities()
		.iter()
		.map(|k| AuraKeyOwner::owner(k).expect("every scheduled key has an owner"))
		.collect()
}

#[test]
fn a_silent_group_hands_its_slots_to_the_other_group_until_the_session_ends() {
	use Sr25519Keyring::{Alice, Bob, Charlie, Dave};
	preset_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let silent = sorted(&[Alice, Dave]);
		let others = sorted(&[Bob, Charlie]);
		start_block(1, 1);
		finish_block(1);
		// After block 1 (slot 1), slots 2..=7 belong to {Alice, Dave} in Aura's order, then
		// {Bob, Charlie} get a window.
		let owners = scheduled_owners();
		let at = |slot: u64| owners[(slot % owners.len() as u64) as usize].clone();
		for slot in 2..=1 + FALLBACK_AFTER_SLOTS {
			assert!(silent.contains(&at(slot)), "slot {slot} is the group's");
		}
		let slot = 2 + FALLBACK_AFTER_SLOTS;
		let stand_in = at(slot);
		assert!(others.contains(&stand_in));

		// {Alice, Dave} are down: the stand-in seals slot 8, and the block knows its author.
		start_block(2, slot);
		assert_eq!(pallet_authorship::Pallet::<Runtime>::author(), Some(stand_in.clone()));
		finish_block(slot);
		let noted = frame_system::Pallet::<Runtime>::events().into_iter().any(|r| {
			matches!(
				r.event,
				RuntimeEvent::Dpos(pallet_dpos::Event::AuthoringFallback {
					session: 0,
					empty_slots: FALLBACK_AFTER_SLOTS,
					ref author,
					..
				}) if author.as_ref() == Some(&stand_in)
			)
		});
		assert!(noted, "AuthoringFallback for session 0");
		assert_eq!(pallet_dpos::FallbackSession::<Runtime>::get(), Some(0));

		// For the rest of session 0 only {Bob, Charlie} are scheduled; blocks 3..=10 (block 10
		// starts session 1) are theirs, each in its next slot.
		let mut slot = slot;
		for n in 3..=10u32 {
			let mut owners = scheduled_owners();
			owners.sort();
			owners.dedup();
			assert_eq!(owners, others, "block {n}");
			slot += 1;
			start_block(n, slot);
			let author = pallet_authorship::Pallet::<Runtime>::author().expect("author");
			assert!(others.contains(&author));
			finish_block(slot);
		}
		// Session 1 is {Bob, Charlie}'s turn anyway; session 2 gives {Alice, Dave} their
		// slots back, in Aura's order.
		assert_eq!(pallet_session::CurrentIndex::<Runtime>::get(), 1);
		assert_eq!(aura_owners(), others);
		for n in 11..=20u32 {
			slot += 1;
			start_block(n, slot);
			finish_block(slot);
		}
		assert_eq!(pallet_session::CurrentIndex::<Runtime>::get(), 2);
		let owners = scheduled_owners();
		for s in slot + 1..=slot + FALLBACK_AFTER_SLOTS {
			assert!(silent.contains(&owners[(s % owners.len() as u64) as usize]));
		}
	});
}
