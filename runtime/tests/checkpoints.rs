//! Checkpoints in the real runtime (design §13): the MMR grows by one leaf per block and its
//! root goes into every header; the BEEFY authority set is the session's committee and
//! changes with it, and the MMR leaves announce the next set; an MMR proof of an old block
//! verifies against a later root and nothing else; a BEEFY double vote slashes the voter and
//! pays the reporter, and forged, partial or duplicate reports are refused.

use crate::common::{candidate_deposit, preset_ext, run_to};
use codec::{Decode, Encode};
use kmcc_runtime::{
	configs::checkpoints::placeholder_beefy_key, currency::KMCC,
	genesis_config_presets::dev_beefy_key, pallet_dpos, AccountId, Balances, Beefy, BeefyMmrLeaf,
	Block, Historical, Runtime, RuntimeEvent, RuntimeOrigin, System,
};
use polkadot_sdk::{
	binary_merkle_tree,
	frame_support::{assert_noop, traits::KeyOwnerProofSystem},
	pallet_beefy, pallet_beefy_mmr, pallet_mmr, pallet_offences, pallet_session,
	sp_consensus_beefy::{
		self, ecdsa_crypto, known_payloads::MMR_ROOT_ID, mmr::MmrLeaf, Commitment, ConsensusLog,
		DoubleVotingProof, Payload, ValidatorSetId, VoteMessage, BEEFY_ENGINE_ID,
	},
	sp_core::{
		ecdsa,
		offchain::{testing::TestOffchainExt, OffchainDbExt, OffchainWorkerExt},
		Pair, H256,
	},
	sp_crypto_hashing::keccak_256,
	sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring,
	sp_mmr_primitives::{self as mmr, runtime_decl_for_mmr_api::MmrApiV3},
	sp_runtime::{traits::Keccak256, DigestItem},
};

const COMMITTEE: [Sr25519Keyring; 4] =
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Dave];

/// The BEEFY signing key of a dev account (`//Alice` …).
fn beefy_pair(who: Sr25519Keyring) -> ecdsa::Pair {
	ecdsa::Pair::from_string(&who.to_seed(), None).expect("dev seed")
}

fn beefy_authorities() -> Vec<ecdsa_crypto::AuthorityId> {
	pallet_beefy::Authorities::<Runtime>::get().into_inner()
}

/// The Merkle root of the Ethereum addresses of `keys`, as a light client computes it.
fn set_root(keys: &[ecdsa_crypto::AuthorityId]) -> H256 {
	use polkadot_sdk::sp_runtime::traits::Convert;
	let addresses = keys.iter().cloned().map(pallet_beefy_mmr::BeefyEcdsaToEthereum::convert);
	binary_merkle_tree::merkle_root::<Keccak256, _>(addresses)
}

/// The MMR root that the last finished block put into its header.
fn header_mmr_root() -> Option<H256> {
	System::digest().logs.iter().find_map(|item| match item {
		DigestItem::Consensus(id, data) if *id == BEEFY_ENGINE_ID => {
			match ConsensusLog::<ecdsa_crypto::AuthorityId>::decode(&mut data.as_slice()) {
				Ok(ConsensusLog::MmrRoot(root)) => Some(root),
				_ => None,
			}
		}
		_ => None,
	})
}

#[test]
fn the_mmr_and_the_beefy_set_follow_blocks_and_sessions() {
	preset_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		// Genesis: the committee's four BEEFY keys are set 0, BEEFY starts at block 1.
		let committee: Vec<ecdsa_crypto::AuthorityId> =
			COMMITTEE.iter().map(|k| dev_beefy_key(*k)).collect();
		assert_eq!(pallet_beefy::GenesisBlock::<Runtime>::get(), Some(1));
		let genesis_set = Beefy::validator_set().expect("a genesis set");
		assert_eq!(genesis_set.id(), 0);
		let mut sorted = genesis_set.validators().to_vec();
		sorted.sort();
		let mut expected = committee.clone();
		expected.sort();
		assert_eq!(sorted, expected);

		let mut roots = Vec::new();
		for n in 1..=25u32 {
			run_to(n);
			// One leaf per block, and the block's header carries the new root.
			assert_eq!(pallet_mmr::NumberOfLeaves::<Runtime>::get(), u64::from(n));
			let root = pallet_mmr::RootHash::<Runtime>::get();
			assert_eq!(header_mmr_root(), Some(root), "block {n}");
			assert!(!roots.contains(&root));
			roots.push(root);
		}
		// Sessions of 10 blocks: a new set at blocks 10 and 20 (a BEEFY set per session).
		assert_eq!(pallet_beefy::ValidatorSetId::<Runtime>::get(), 2);
		assert_eq!(pallet_beefy::SetIdSession::<Runtime>::get(2), Some(2));
		// The leaf commits to the next set (id 3), the one the light client must follow.
		let next = BeefyMmrLeaf::next_authority_set_proof();
		assert_eq!(next.id, 3);
		assert_eq!(next.len, 4);
		assert_eq!(
			next.keyset_commitment,
			set_root(&pallet_beefy::NextAuthorities::<Runtime>::get())
		);
		let current = BeefyMmrLeaf::authority_set_proof();
		assert_eq!((current.id, current.len), (2, 4));
		assert_eq!(current.keyset_commitment, set_root(&beefy_authorities()));
	});
}

/// The test externalities after `blocks` blocks, with the MMR's offchain-indexed nodes in
/// an offchain database (what the node's `mmr_generateProof` reads).
fn chain_with_offchain_mmr(blocks: u32) -> (TestExternalities, Vec<H256>) {
	let mut ext = preset_ext(LOCAL_TESTNET_RUNTIME_PRESET);
	let roots = ext.execute_with(|| {
		(1..=blocks)
			.map(|n| {
				run_to(n);
				pallet_mmr::RootHash::<Runtime>::get()
			})
			.collect()
	});
	ext.persist_offchain_overlay();
	let (offchain, _state) = TestOffchainExt::with_offchain_db(ext.offchain_db());
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	(ext, roots)
}

#[test]
fn an_mmr_proof_of_an_old_block_verifies_against_a_later_root_only() {
	let (mut ext, roots) = chain_with_offchain_mmr(30);
	ext.execute_with(|| {
		let root_30 = roots[29];
		// Block 5, proven against the root of block 30 (`best_known` = the latest): the leaf
		// that block 6 appended (leaf 5) names it.
		let (leaves, proof) =
			<Runtime as MmrApiV3<Block, H256, u32>>::generate_proof(vec![6], None).unwrap();
		assert_eq!(proof.leaf_count, 30);
		assert_eq!(proof.leaf_indices, vec![5]);
		assert_eq!(leaves.len(), 1);
		let leaf_bytes = leaves[0].clone().into_opaque_leaf().0;
		let leaf: MmrLeaf<u32, H256, H256, H256> =
			Decode::decode(&mut leaf_bytes.as_slice()).unwrap();
		assert_eq!(leaf.parent_number_and_hash.0, 5);
		assert_eq!(leaf.parent_number_and_hash.1, System::block_hash(5));
		assert_eq!(leaf.leaf_extra, H256::zero());
		assert_eq!(leaf.beefy_next_authority_set.len, 4);

		let verify = |root: H256, leaves: Vec<mmr::EncodableOpaqueLeaf>, proof| {
			<Runtime as MmrApiV3<Block, H256, u32>>::verify_proof_stateless(root, leaves, proof)
		};
		assert_eq!(verify(root_30, leaves.clone(), proof.clone()), Ok(()));
		assert_eq!(
			<Runtime as MmrApiV3<Block, H256, u32>>::verify_proof(leaves.clone(), proof.clone()),
			Ok(())
		);

		// The same proof against an earlier root (another MMR size) fails.
		assert!(verify(roots[19], leaves.clone(), proof.clone()).is_err());
		// The leaf with a byte appended: refused statelessly (another hash) and by the
		// stateful check (the leaf must decode exactly).
		let mut padded = leaf_bytes.clone();
		padded.push(0);
		let padded = vec![mmr::EncodableOpaqueLeaf::from_opaque_leaf(mmr::OpaqueLeaf(padded))];
		assert!(verify(root_30, padded.clone(), proof.clone()).is_err());
		assert_eq!(
			<Runtime as MmrApiV3<Block, H256, u32>>::verify_proof(padded, proof.clone()),
			Err(mmr::Error::Verify)
		);
		// Another block hash, or another block number, in the leaf.
		let mut other_hash = leaf.clone();
		other_hash.parent_number_and_hash.1 = H256::repeat_byte(0x77);
		let mut other_number = leaf.clone();
		other_number.parent_number_and_hash.0 = 6;
		for forged in [other_hash, other_number] {
			let forged = vec![mmr::EncodableOpaqueLeaf::from_leaf(&forged)];
			assert!(verify(root_30, forged, proof.clone()).is_err());
		}
		// The proof claiming another leaf position or MMR size.
		let mut moved = proof.clone();
		moved.leaf_indices = vec![6];
		assert!(verify(root_30, leaves.clone(), moved).is_err());
		let mut resized = proof.clone();
		resized.leaf_count = 8;
		assert!(verify(root_30, leaves.clone(), resized).is_err());
		// The proof does not bind the MMR's size beyond the leaf's own mountain (the mountains
		// to its right are one bagged hash), so 31 leaves verify too: a verifier identifies the
		// block by the leaf's number and hash, which the root does bind (above).
		let mut larger = proof.clone();
		larger.leaf_count = 31;
		assert_eq!(verify(root_30, leaves.clone(), larger), Ok(()));
		// A proof with one item dropped.
		let mut short = proof.clone();
		short.items.pop();
		assert!(verify(root_30, leaves.clone(), short).is_err());

		// A proof at an older state (`best_known` = 20) verifies against block 20's root.
		let (old_leaves, old_proof) =
			<Runtime as MmrApiV3<Block, H256, u32>>::generate_proof(vec![6], Some(20)).unwrap();
		assert_eq!(old_proof.leaf_count, 20);
		assert_eq!(verify(roots[19], old_leaves, old_proof), Ok(()));
	});
}

type Vote = VoteMessage<u32, ecdsa_crypto::AuthorityId, ecdsa_crypto::Signature>;
type Proof = DoubleVotingProof<u32, ecdsa_crypto::AuthorityId, ecdsa_crypto::Signature>;

/// `signer`'s vote for block `number` of set `set_id` with MMR root `0xroot…`, claimed as
/// `identity`'s. BEEFY signs keccak256 of the SCALE-encoded commitment.
fn vote(
	identity: Sr25519Keyring,
	signer: Sr25519Keyring,
	set_id: ValidatorSetId,
	number: u32,
	root: u8,
) -> Vote {
	let commitment = Commitment {
		payload: Payload::from_single_entry(MMR_ROOT_ID, H256::repeat_byte(root).encode()),
		block_number: number,
		validator_set_id: set_id,
	};
	let signature = beefy_pair(signer).sign_prehashed(&keccak_256(&commitment.encode()));
	Vote { commitment, id: dev_beefy_key(identity), signature: signature.into() }
}

fn ownership_proof(who: Sr25519Keyring) -> <Runtime as pallet_beefy::Config>::KeyOwnerProof {
	Historical::prove((sp_consensus_beefy::KEY_TYPE, dev_beefy_key(who)))
		.expect("the key is in the current set")
}

fn report(
	reporter: &AccountId,
	proof: Proof,
	key_owner_proof: <Runtime as pallet_beefy::Config>::KeyOwnerProof,
) -> polkadot_sdk::frame_support::dispatch::DispatchResultWithPostInfo {
	Beefy::report_double_voting(
		RuntimeOrigin::signed(reporter.clone()),
		Box::new(proof),
		key_owner_proof,
	)
}

#[test]
fn a_beefy_double_vote_slashes_the_voter_pays_the_reporter_and_leaves_the_set() {
	use Sr25519Keyring::{Alice, Charlie, Dave};
	preset_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		run_to(12);
		let set_id = pallet_beefy::ValidatorSetId::<Runtime>::get();
		assert_eq!(set_id, 1);
		let alice = Alice.to_account_id();
		let alice_before = Balances::free_balance(&alice);
		assert_eq!(candidate_deposit(Charlie), 20_000 * KMCC);
		let charlie_proof = ownership_proof(Charlie);
		assert_eq!((charlie_proof.session, charlie_proof.validator_count), (1, 4));
		let double = |first: Vote, second: Vote| Proof { first, second };

		// The same vote twice is no equivocation.
		let same =
			double(vote(Charlie, Charlie, set_id, 11, 1), vote(Charlie, Charlie, set_id, 11, 1));
		assert_noop!(
			report(&alice, same, charlie_proof.clone()),
			pallet_beefy::Error::<Runtime>::InvalidDoubleVotingProof
		);
		// Votes for two different blocks are two votes, not a double vote.
		let two_blocks =
			double(vote(Charlie, Charlie, set_id, 11, 1), vote(Charlie, Charlie, set_id, 12, 2));
		assert_noop!(
			report(&alice, two_blocks, charlie_proof.clone()),
			pallet_beefy::Error::<Runtime>::InvalidDoubleVotingProof
		);
		// Dave's signatures claimed as Charlie's votes.
		let forged = double(vote(Charlie, Dave, set_id, 11, 1), vote(Charlie, Dave, set_id, 11, 2));
		assert_noop!(
			report(&alice, forged, charlie_proof.clone()),
			pallet_beefy::Error::<Runtime>::InvalidDoubleVotingProof
		);
		// One real vote and one forged: both signatures must hold.
		let half =
			double(vote(Charlie, Charlie, set_id, 11, 1), vote(Charlie, Dave, set_id, 11, 2));
		assert_noop!(
			report(&alice, half, charlie_proof.clone()),
			pallet_beefy::Error::<Runtime>::InvalidDoubleVotingProof
		);
		let valid =
			|| double(vote(Charlie, Charlie, set_id, 11, 1), vote(Charlie, Charlie, set_id, 11, 2));
		// Charlie's votes with Dave's key-ownership proof.
		assert_noop!(
			report(&alice, valid(), ownership_proof(Dave)),
			pallet_beefy::Error::<Runtime>::InvalidKeyOwnershipProof
		);
		// Votes of an earlier set (session 0) against a proof of session 1.
		let old_set = double(vote(Charlie, Charlie, 0, 5, 1), vote(Charlie, Charlie, 0, 5, 2));
		assert_noop!(
			report(&alice, old_set, charlie_proof.clone()),
			pallet_beefy::Error::<Runtime>::InvalidEquivocationProofSession
		);
		// A set that does not exist yet.
		let future_set = double(vote(Charlie, Charlie, 9, 11, 1), vote(Charlie, Charlie, 9, 11, 2));
		assert_noop!(
			report(&alice, future_set, charlie_proof.clone()),
			pallet_beefy::Error::<Runtime>::InvalidEquivocationProofSessionMember
		);

		// The real double vote: Alice reports, pays no fee and receives Charlie's deposit.
		let post = report(&alice, valid(), charlie_proof.clone()).expect("a valid report");
		assert_eq!(post.pays_fee, polkadot_sdk::frame_support::dispatch::Pays::No);
		let events: Vec<RuntimeEvent> = System::events().into_iter().map(|r| r.event).collect();
		assert!(events.iter().any(|e| matches!(
			e,
			RuntimeEvent::Offences(pallet_offences::Event::Offence { kind, .. })
				if kind == b"beefy:equivocati"
		)));
		assert!(events.contains(&RuntimeEvent::Dpos(pallet_dpos::Event::Slashed {
			offender: Charlie.to_account_id(),
			amount: 20_000 * KMCC,
			to_reporters: 20_000 * KMCC,
		})));
		assert_eq!(candidate_deposit(Charlie), 0);
		assert_eq!(Balances::free_balance(&alice), alice_before + 20_000 * KMCC);
		// Another pair of votes in the same round is the same offence.
		let again =
			double(vote(Charlie, Charlie, set_id, 11, 3), vote(Charlie, Charlie, set_id, 11, 4));
		assert_noop!(
			report(&alice, again, charlie_proof),
			pallet_beefy::Error::<Runtime>::DuplicateOffenceReport
		);

		// Charlie leaves the committee at the next planned session (queued at block 20, in
		// force from 30): the BEEFY set and the MMR leaf's next set follow.
		run_to(25);
		assert_eq!(pallet_beefy::NextAuthorities::<Runtime>::get().len(), 3);
		assert_eq!(BeefyMmrLeaf::next_authority_set_proof().len, 3);
		run_to(31);
		let set = beefy_authorities();
		assert_eq!(set.len(), 3);
		assert!(!set.contains(&dev_beefy_key(Charlie)));
		assert!(!pallet_session::Validators::<Runtime>::get().contains(&Charlie.to_account_id()));
		assert_eq!(BeefyMmrLeaf::authority_set_proof().keyset_commitment, set_root(&set));
	});
}

#[test]
fn a_double_vote_stays_slashable_after_the_voter_rotates_its_beefy_key() {
	use polkadot_sdk::{frame_support::assert_ok, sp_keyring::Ed25519Keyring};
	use Sr25519Keyring::{Alice, Charlie};
	preset_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		run_to(12);
		let set_id = pallet_beefy::ValidatorSetId::<Runtime>::get();
		let proof_then = ownership_proof(Charlie);
		let votes = Proof {
			first: vote(Charlie, Charlie, set_id, 11, 1),
			second: vote(Charlie, Charlie, set_id, 11, 2),
		};
		// Charlie registers a new BEEFY key (with proofs of possession of all three keys);
		// it is in force from session 3 (block 30).
		let rotated = ecdsa::Pair::from_string("//Charlie//rotated", None).unwrap();
		let charlie = Charlie.to_account_id();
		let statement = [b"POP_".as_slice(), charlie.as_ref()].concat();
		let possession = (
			Charlie.sign(&statement),
			Ed25519Keyring::Charlie.sign(&statement),
			rotated.sign(&statement),
		)
			.encode();
		let keys = kmcc_runtime::SessionKeys {
			aura: Charlie.public().into(),
			grandpa: Ed25519Keyring::Charlie.public().into(),
			beefy: rotated.public().into(),
		};
		assert_ok!(kmcc_runtime::Session::set_keys(
			RuntimeOrigin::signed(charlie.clone()),
			keys,
			possession
		));
		run_to(31);
		let set = beefy_authorities();
		assert!(set.contains(&rotated.public().into()));
		assert!(!set.contains(&dev_beefy_key(Charlie)));
		// An ownership proof made today is of session 3, where the old key belongs to nobody.
		let proof_now = Historical::prove((sp_consensus_beefy::KEY_TYPE, dev_beefy_key(Charlie)))
			.expect("a (non-)membership proof");
		assert_eq!(proof_now.session, 3);
		assert_noop!(
			report(&Alice.to_account_id(), votes.clone(), proof_now),
			pallet_beefy::Error::<Runtime>::InvalidEquivocationProofSession
		);

		// The votes of set 1 with the ownership proof of session 1 still slash Charlie.
		let alice_before = Balances::free_balance(Alice.to_account_id());
		assert_ok!(report(&Alice.to_account_id(), votes, proof_then));
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Dpos(pallet_dpos::Event::Slashed {
				offender: charlie.clone(),
				amount: 20_000 * KMCC,
				to_reporters: 20_000 * KMCC,
			})));
		assert_eq!(Balances::free_balance(Alice.to_account_id()), alice_before + 20_000 * KMCC);
	});
}

#[test]
fn the_spec_115_migration_gives_registered_validators_placeholder_beefy_keys_once() {
	use kmcc_runtime::migrations::{AddBeefyKeys, SessionKeysV1};
	use polkadot_sdk::{
		frame_support::{storage::unhashed, traits::OnRuntimeUpgrade},
		sp_runtime::traits::OpaqueKeys,
	};
	preset_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		run_to(3);
		// A network from before spec 115: two-key session keys, no BEEFY state.
		let before: Vec<(AccountId, kmcc_runtime::SessionKeys)> =
			pallet_session::NextKeys::<Runtime>::iter().collect();
		for (who, keys) in &before {
			let old = SessionKeysV1 { aura: keys.aura.clone(), grandpa: keys.grandpa.clone() };
			unhashed::put_raw(
				&pallet_session::NextKeys::<Runtime>::hashed_key_for(who),
				&old.encode(),
			);
			pallet_session::KeyOwner::<Runtime>::remove((
				sp_consensus_beefy::KEY_TYPE,
				keys.beefy.encode(),
			));
		}
		let queued: Vec<(AccountId, SessionKeysV1)> = pallet_session::QueuedKeys::<Runtime>::get()
			.into_iter()
			.map(|(who, k)| (who, SessionKeysV1 { aura: k.aura, grandpa: k.grandpa }))
			.collect();
		unhashed::put_raw(&pallet_session::QueuedKeys::<Runtime>::hashed_key(), &queued.encode());
		pallet_beefy::Authorities::<Runtime>::kill();
		pallet_beefy::NextAuthorities::<Runtime>::kill();
		let _ = pallet_beefy::SetIdSession::<Runtime>::clear(u32::MAX, None);
		pallet_beefy::GenesisBlock::<Runtime>::kill();

		AddBeefyKeys::on_runtime_upgrade();
		for (who, keys) in &before {
			let upgraded = pallet_session::NextKeys::<Runtime>::get(who).expect("keys kept");
			assert_eq!(upgraded.aura, keys.aura);
			assert_eq!(upgraded.grandpa, keys.grandpa);
			assert_eq!(upgraded.beefy, placeholder_beefy_key(who));
			let raw = upgraded.get_raw(sp_consensus_beefy::KEY_TYPE).to_vec();
			assert_eq!(
				pallet_session::KeyOwner::<Runtime>::get((sp_consensus_beefy::KEY_TYPE, raw)),
				Some(who.clone())
			);
		}
		assert!(pallet_session::QueuedKeys::<Runtime>::get()
			.iter()
			.all(|(who, keys)| keys.beefy == placeholder_beefy_key(who)));
		assert_eq!(pallet_beefy::SetIdSession::<Runtime>::get(0), Some(0));
		// BEEFY waits for root to set its genesis once validators registered real keys.
		assert_eq!(pallet_beefy::GenesisBlock::<Runtime>::get(), None);

		// The placeholders become the set at the next session; blocks go on.
		run_to(12);
		assert_eq!(beefy_authorities().len(), 4);
		assert!(beefy_authorities()
			.contains(&placeholder_beefy_key(&Sr25519Keyring::Alice.to_account_id())));

		// A second run changes nothing.
		let root = polkadot_sdk::sp_io::storage::root(polkadot_sdk::sp_runtime::StateVersion::V1);
		AddBeefyKeys::on_runtime_upgrade();
		assert_eq!(
			polkadot_sdk::sp_io::storage::root(polkadot_sdk::sp_runtime::StateVersion::V1),
			root
		);
	});
}

#[test]
fn a_network_created_with_beefy_is_left_alone_by_the_migration() {
	use kmcc_runtime::migrations::AddBeefyKeys;
	use polkadot_sdk::frame_support::traits::OnRuntimeUpgrade;
	preset_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		run_to(2);
		let root = polkadot_sdk::sp_io::storage::root(polkadot_sdk::sp_runtime::StateVersion::V1);
		AddBeefyKeys::on_runtime_upgrade();
		assert_eq!(
			polkadot_sdk::sp_io::storage::root(polkadot_sdk::sp_runtime::StateVersion::V1),
			root
		);
		let alice = pallet_session::NextKeys::<Runtime>::get(Sr25519Keyring::Alice.to_account_id())
			.expect("genesis keys");
		assert_eq!(alice.beefy, dev_beefy_key(Sr25519Keyring::Alice));
	});
}
