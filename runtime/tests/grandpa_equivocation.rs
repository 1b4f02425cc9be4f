//! GRANDPA equivocations in the real runtime (design §3): two prevotes for different blocks in
//! one round, signed by a committee member's GRANDPA key, with a key-ownership proof from
//! `Historical`, slash the member's candidate deposit to the reporter through
//! `Offences` → `Dpos`; the member leaves the validator set at the next planned session.
//! Invalid and duplicate reports are rejected with GRANDPA's named errors.

use crate::common::{candidate_deposit, finish_block, preset_ext, run_to, start_block};
use kmcc_runtime::{
	currency::KMCC, pallet_dpos, AccountId, Balances, Dpos, Grandpa, Historical, Runtime,
	RuntimeEvent, RuntimeOrigin, System,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, dispatch::DispatchResultWithPostInfo, traits::KeyOwnerProofSystem,
	},
	pallet_grandpa, pallet_offences, pallet_session,
	sp_consensus_grandpa::{self, EquivocationProof, RoundNumber, SetId},
	sp_core::H256,
	sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
};

type Proof = EquivocationProof<H256, u32>;
type SignedPrevote =
	(finality_grandpa::Prevote<H256, u32>, sp_consensus_grandpa::AuthoritySignature);

/// A prevote by `signer` in `round` of set `set_id` for block `number` with hash `0xbyte…`.
fn prevote(
	signer: Ed25519Keyring,
	set_id: SetId,
	round: RoundNumber,
	byte: u8,
	number: u32,
) -> SignedPrevote {
	let prevote =
		finality_grandpa::Prevote { target_hash: H256::repeat_byte(byte), target_number: number };
	let payload = sp_consensus_grandpa::localized_payload(
		round,
		set_id,
		&finality_grandpa::Message::Prevote(prevote.clone()),
	);
	(prevote, signer.sign(&payload).into())
}

/// An equivocation proof: `first` and `second` claimed to be `identity`'s votes in `round`.
fn proof(
	identity: Ed25519Keyring,
	set_id: SetId,
	round: RoundNumber,
	first: SignedPrevote,
	second: SignedPrevote,
) -> Proof {
	EquivocationProof::new(
		set_id,
		sp_consensus_grandpa::Equivocation::Prevote(finality_grandpa::Equivocation {
			round_number: round,
			identity: identity.public().into(),
			first,
			second,
		}),
	)
}

/// Two prevotes signed by `signer` in `round` of set `set_id`, claimed as `identity`'s: one
/// for block 5 `0x01…`, one for `second` (hash byte, number).
fn claimed_votes(
	identity: Ed25519Keyring,
	signer: Ed25519Keyring,
	set_id: SetId,
	round: RoundNumber,
	second: (u8, u32),
) -> Proof {
	proof(
		identity,
		set_id,
		round,
		prevote(signer, set_id, round, 1, 5),
		prevote(signer, set_id, round, second.0, second.1),
	)
}

/// Two prevotes by `signer` in `round` of set `set_id` for different blocks.
fn conflicting_prevotes(signer: Ed25519Keyring, set_id: SetId, round: RoundNumber) -> Proof {
	claimed_votes(signer, signer, set_id, round, (2, 5))
}

/// `Historical`'s key-ownership proof of `voter`'s GRANDPA key in the current session.
fn ownership_proof(voter: Ed25519Keyring) -> <Runtime as pallet_grandpa::Config>::KeyOwnerProof {
	let key: sp_consensus_grandpa::AuthorityId = voter.public().into();
	Historical::prove((sp_consensus_grandpa::KEY_TYPE, key)).expect("the key is in the current set")
}

/// `reporter` reports `proof` with `key_owner_proof` (signed, as a wallet would).
fn report(
	reporter: &AccountId,
	proof: Proof,
	key_owner_proof: <Runtime as pallet_grandpa::Config>::KeyOwnerProof,
) -> DispatchResultWithPostInfo {
	Grandpa::report_equivocation(
		RuntimeOrigin::signed(reporter.clone()),
		Box::new(proof),
		key_owner_proof,
	)
}

#[test]
fn a_grandpa_equivocation_slashes_the_voter_and_pays_the_reporter() {
	preset_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		// Into session 1 (10-block sessions): session 0's and 1's validator roots are stored.
		run_to(12);
		assert!(pallet_session::historical::HistoricalSessions::<Runtime>::get(1).is_some());
		let set_id = Grandpa::current_set_id();
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert_eq!(candidate_deposit(Sr25519Keyring::Charlie), 20_000 * KMCC);
		let alice_before = Balances::free_balance(&alice);

		let key_owner_proof = ownership_proof(Ed25519Keyring::Charlie);
		assert_eq!(key_owner_proof.session, 1);
		assert_eq!(key_owner_proof.validator_count, 4);

		// A proof whose two votes agree is not an equivocation.
		let vote = prevote(Ed25519Keyring::Charlie, set_id, 3, 1, 5);
		let same = proof(Ed25519Keyring::Charlie, set_id, 3, vote.clone(), vote);
		assert_noop!(
			report(&alice, same, key_owner_proof.clone()),
			pallet_grandpa::Error::<Runtime>::InvalidEquivocationProof
		);
		// Votes signed by Dave cannot be reported with Charlie's key-ownership proof.
		let forged =
			claimed_votes(Ed25519Keyring::Charlie, Ed25519Keyring::Dave, set_id, 3, (2, 5));
		assert_noop!(
			report(&alice, forged, key_owner_proof.clone()),
			pallet_grandpa::Error::<Runtime>::InvalidEquivocationProof
		);
		// Charlie's votes with Dave's key-ownership proof: the proof is for another key.
		let dave_proof = ownership_proof(Ed25519Keyring::Dave);
		assert_noop!(
			report(&alice, conflicting_prevotes(Ed25519Keyring::Charlie, set_id, 3), dave_proof),
			pallet_grandpa::Error::<Runtime>::InvalidKeyOwnershipProof
		);

		// The real thing: Alice reports, pays no fee, and receives Charlie's whole deposit.
		let valid = conflicting_prevotes(Ed25519Keyring::Charlie, set_id, 3);
		let post =
			report(&alice, valid, key_owner_proof.clone()).expect("a valid report is accepted");
		assert_eq!(post.pays_fee, polkadot_sdk::frame_support::dispatch::Pays::No);
		let events: Vec<RuntimeEvent> = System::events().into_iter().map(|r| r.event).collect();
		assert!(events.iter().any(|e| matches!(
			e,
			RuntimeEvent::Offences(pallet_offences::Event::Offence { kind, .. })
				if kind == b"grandpa:equivoca"
		)));
		assert!(events.contains(&RuntimeEvent::Dpos(pallet_dpos::Event::Slashed {
			offender: charlie.clone(),
			amount: 20_000 * KMCC,
			to_reporters: 20_000 * KMCC,
		})));
		assert_eq!(candidate_deposit(Sr25519Keyring::Charlie), 0);
		assert_eq!(Balances::free_balance(&alice), alice_before + 20_000 * KMCC);
		let info = Dpos::candidate_summaries().into_iter().find(|c| c.account == charlie);
		assert_eq!(info.map(|c| c.status), Some(pallet_dpos::CandidateStatus::Slashed));

		// The same offence again (another pair of votes in the same round) is a duplicate.
		let again =
			claimed_votes(Ed25519Keyring::Charlie, Ed25519Keyring::Charlie, set_id, 3, (3, 6));
		assert_noop!(
			report(&alice, again, key_owner_proof.clone()),
			pallet_grandpa::Error::<Runtime>::DuplicateOffenceReport
		);

		// Charlie leaves the validator set at the next planned session (queued at block 20,
		// in force from block 30); the other three keep voting.
		run_to(31);
		let validators = pallet_session::Validators::<Runtime>::get();
		assert_eq!(validators.len(), 3);
		assert!(!validators.contains(&charlie));
		assert_eq!(Grandpa::grandpa_authorities().len(), 3);
		assert!(!Grandpa::grandpa_authorities()
			.iter()
			.any(|(k, _)| *k == Ed25519Keyring::Charlie.public().into()));
	});
}

#[test]
fn an_unsigned_report_from_the_local_node_pays_the_block_author() {
	use kmcc_runtime::{Executive, GenericUncheckedExtrinsic, RuntimeCall, UncheckedExtrinsic};
	use polkadot_sdk::sp_runtime::transaction_validity::{
		InvalidTransaction, TransactionSource, TransactionValidityError,
	};
	preset_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		run_to(12);
		let set_id = Grandpa::current_set_id();
		let key_owner_proof = ownership_proof(Ed25519Keyring::Dave);
		// What the node's GRANDPA voter submits through `GrandpaApi` when it sees Dave
		// equivocate: a bare extrinsic.
		let report: UncheckedExtrinsic = GenericUncheckedExtrinsic::new_bare(RuntimeCall::Grandpa(
			pallet_grandpa::Call::report_equivocation_unsigned {
				equivocation_proof: Box::new(conflicting_prevotes(Ed25519Keyring::Dave, set_id, 9)),
				key_owner_proof,
			},
		))
		.into();
		// Only the local node (or a block) may submit it: gossiped copies are refused. The
		// pool validates on a throwaway state, as here.
		let parent = System::parent_hash();
		let validity = |source| {
			polkadot_sdk::frame_support::storage::with_transaction(|| {
				let v = Executive::validate_transaction(source, report.clone(), parent);
				polkadot_sdk::sp_runtime::TransactionOutcome::Rollback(Ok::<
					_,
					polkadot_sdk::sp_runtime::DispatchError,
				>(v))
			})
			.expect("rolled back")
		};
		assert_eq!(
			validity(TransactionSource::External),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Call))
		);
		assert!(validity(TransactionSource::Local).is_ok());

		start_block(13, 13);
		let author = polkadot_sdk::pallet_authorship::Pallet::<Runtime>::author()
			.expect("block 13 has an author");
		assert_eq!(Executive::apply_extrinsic(report), Ok(Ok(())));
		let events: Vec<RuntimeEvent> = System::events().into_iter().map(|r| r.event).collect();
		assert!(events.contains(&RuntimeEvent::Dpos(pallet_dpos::Event::ReporterPaid {
			reporter: author,
			amount: 10_000 * KMCC,
		})));
		assert_eq!(candidate_deposit(Sr25519Keyring::Dave), 0);
		finish_block(13);
	});
}

#[test]
fn the_spec_105_migration_records_the_new_pallets_storage_versions_once() {
	use kmcc_runtime::{migrations::InitializeStorageVersion, Offences};
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	preset_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		// A network that added the pallets by upgrade has no version recorded.
		StorageVersion::new(0).put::<Historical>();
		StorageVersion::new(0).put::<Offences>();
		InitializeStorageVersion::<Historical>::on_runtime_upgrade();
		InitializeStorageVersion::<Offences>::on_runtime_upgrade();
		assert_eq!(Historical::on_chain_storage_version(), Historical::in_code_storage_version());
		assert_eq!(Offences::on_chain_storage_version(), Offences::in_code_storage_version());
		assert_eq!(Historical::on_chain_storage_version(), StorageVersion::new(1));
		// A recorded version is left alone.
		StorageVersion::new(7).put::<Historical>();
		InitializeStorageVersion::<Historical>::on_runtime_upgrade();
		assert_eq!(Historical::on_chain_storage_version(), StorageVersion::new(7));
	});
}
