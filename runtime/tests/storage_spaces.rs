//! Storage spaces in the real runtime (design §5): the storage share of emission funds the
//! pool, the Bancor price follows, spaces are bought with signed extrinsics, rent flows, and
//! a space proof is free.

use crate::common::{finish_block, preset_ext, signed, start_block};
use kmcc_runtime::{
	pallet_kmcc_issuance::{EmissionSplit, KMCC_EMISSION_SCHEDULE},
	pallet_storage_spaces::{
		self, crypto::NodeId, pricing, BlockPrice, CurrentChallenge, ProofVote, SoldUnconsumed,
	},
	Balances, Executive, Runtime, RuntimeCall, RuntimeEvent, StorageSpaces, System,
};
use polkadot_sdk::{
	sp_core::{sr25519, Pair, H256},
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_keyring::Sr25519Keyring,
	sp_runtime::Perbill,
};

const LANDLORDS: [Sr25519Keyring; 4] =
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Dave];

fn node_pair(who: Sr25519Keyring) -> sr25519::Pair {
	sr25519::Pair::from_string(&format!("//{who:?}//storage"), None).unwrap()
}

fn apply(xt: kmcc_runtime::UncheckedExtrinsic) {
	let outcome = Executive::apply_extrinsic(xt).expect("valid transaction");
	assert!(outcome.is_ok(), "{outcome:?}");
}

fn storage_events() -> Vec<pallet_storage_spaces::Event<Runtime>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::StorageSpaces(e) => Some(e),
			_ => None,
		})
		.collect()
}

#[test]
fn landlords_buyers_rent_and_proofs_on_the_dev_chain() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let pool = StorageSpaces::pool_account();
		// The storage share of every block lands in the pool.
		let mut expected = Balances::free_balance(&pool);
		for n in 1..=3u32 {
			start_block(n, u64::from(n));
			expected += EmissionSplit::default()
				.apportion(KMCC_EMISSION_SCHEDULE.reward_at(n.into()))
				.storage;
			assert_eq!(Balances::free_balance(&pool), expected);
			if n == 2 {
				for who in LANDLORDS {
					let call = RuntimeCall::StorageSpaces(
						pallet_storage_spaces::Call::register_landlord {
							node: NodeId::from(node_pair(who).public()),
							capacity_mib: 128,
							endpoint: format!("/dns/{who:?}.example/tcp/4000")
								.into_bytes()
								.try_into()
								.unwrap(),
							ownership: node_pair(who)
								.sign(&pallet_storage_spaces::node_ownership_payload(
									&who.to_account_id(),
								))
								.into(),
						},
					);
					apply(signed(who, call, 0, 0));
				}
				assert_eq!(StorageSpaces::world_disk_mib(), 128);
			}
			finish_block(u64::from(n));
		}

		// Block 4: the price is the Bancor formula of this block's pool.
		start_block(4, 4);
		let price = BlockPrice::<Runtime>::get().unwrap();
		assert_eq!(
			Some(price),
			pricing::price(
				StorageSpaces::pool_funds(),
				Perbill::from_percent(20),
				pricing::sellable(128)
			)
		);
		let eve = Sr25519Keyring::Eve;
		let call = RuntimeCall::StorageSpaces(pallet_storage_spaces::Call::buy_space {
			size_mib: 16,
			days: 30,
			max_price: price,
		});
		let before = Balances::free_balance(eve.to_account_id());
		apply(signed(eve, call, 0, 0));
		let (cost, expires_at) = storage_events()
			.into_iter()
			.find_map(|e| match e {
				pallet_storage_spaces::Event::SpaceBought { cost, expires_at, .. } => {
					Some((cost, expires_at))
				}
				_ => None,
			})
			.unwrap();
		// Paid the cost (and a fee).
		assert!(before - Balances::free_balance(eve.to_account_id()) > cost);
		let clock = pallet_storage_spaces::RentClock::<Runtime>::get();
		assert_eq!(SoldUnconsumed::<Runtime>::get(), 16 * u128::from(expires_at - clock));
		let spaces = StorageSpaces::spaces_of(eve.to_account_id());
		assert_eq!(spaces[0].chunks[0].replicas.len(), 4);
		finish_block(4);

		// Rent flows: block 5 consumes 16 MiB · 2 s and releases a share of the pool.
		start_block(5, 5);
		let consumed = 16 * u128::from(kmcc_runtime::time::SLOT_DURATION);
		assert!(storage_events().iter().any(|e| matches!(e,
			pallet_storage_spaces::Event::RentReleased { consumed_mib_ms, rent }
				if *consumed_mib_ms == consumed && *rent > 0)));

		// A space proof of the copy group is free.
		let challenge = CurrentChallenge::<Runtime>::get();
		let data = H256::repeat_byte(3);
		let group = 0;
		let mut members: Vec<_> = LANDLORDS.to_vec();
		members.sort_by_key(|k| k.to_account_id());
		let votes: Vec<_> = members
			.iter()
			.map(|who| {
				let node = NodeId::from(node_pair(*who).public());
				let payload = StorageSpaces::proof_payload(
					challenge.round,
					group,
					challenge.seed,
					&node,
					data,
				);
				ProofVote {
					landlord: who.to_account_id(),
					data_hash: data,
					signature: node_pair(*who).sign(&payload).into(),
				}
			})
			.collect();
		let call = RuntimeCall::StorageSpaces(pallet_storage_spaces::Call::submit_space_proof {
			group,
			round: challenge.round,
			votes: votes.try_into().unwrap(),
		});
		let submitter = members[0];
		let before = Balances::free_balance(submitter.to_account_id());
		apply(signed(submitter, call.clone(), 1, 0));
		assert_eq!(Balances::free_balance(submitter.to_account_id()), before);
		assert!(storage_events()
			.iter()
			.any(|e| matches!(e, pallet_storage_spaces::Event::SpaceProven { .. })));
		finish_block(5);
	});
}
