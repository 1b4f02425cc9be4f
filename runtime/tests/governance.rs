//! Governance through the real runtime (design §10): a root referendum enacts `set_code` with
//! the next runtime's WASM, the fast track needs the technical committee's whitelist, a
//! parameter track changes the issuance split and cannot replace the code, the mainnet
//! template has no sudo, and zero-value transfers never enter a block.

use crate::common::{finish_block, preset_ext, signed, start_block};
use codec::Encode;
use kmcc_runtime::{
	genesis_config_presets::MAINNET_TEMPLATE_PRESET,
	governance::origins::{Origin as TrackOrigin, Timing, TrackTiming},
	pallet_kmcc_issuance::{self, EmissionSplit},
	spam::ZERO_VALUE_TRANSFER,
	Balances, Executive, OriginCaller, Preimage, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin,
	System, KMCC,
};
use polkadot_sdk::{
	frame_support::{
		dispatch::GetDispatchInfo,
		traits::{
			fungible::{Inspect, InspectHold},
			Bounded, QueryPreimage, UnfilteredDispatchable,
		},
	},
	frame_system, pallet_balances, pallet_collective, pallet_conviction_voting, pallet_preimage,
	pallet_referenda, pallet_scheduler, pallet_sudo, pallet_utility, pallet_whitelist,
	sp_core::{storage::well_known_keys, traits::ReadRuntimeVersionExt, H256},
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{
		traits::{BlakeTwo256, Hash},
		transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
		DispatchError, Perbill,
	},
	sp_version::RuntimeVersion,
};

/// The dev accounts that vote: 6 of the 8 endowed, i.e. about two thirds of the issuance.
const VOTERS: [Sr25519Keyring; 6] = [
	Sr25519Keyring::Alice,
	Sr25519Keyring::Bob,
	Sr25519Keyring::Charlie,
	Sr25519Keyring::Dave,
	Sr25519Keyring::Eve,
	Sr25519Keyring::Ferdie,
];

fn origin(who: Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.to_account_id())
}

fn dispatch(who: Sr25519Keyring, call: RuntimeCall) {
	let result = call.dispatch_bypass_filter(origin(who));
	assert!(result.is_ok(), "{result:?}");
}

/// Finishes the current block and starts the next (slot = block number), returning the events
/// of the block just finished.
fn next_block() -> Vec<RuntimeEvent> {
	let n = System::block_number();
	finish_block(u64::from(n));
	let events = System::events().into_iter().map(|r| r.event).collect();
	start_block(n + 1, u64::from(n + 1));
	events
}

/// Dev chain state at block 1 with a WASM executor, so that `set_code` can read the version
/// of the code it is given.
fn dev_ext() -> TestExternalities {
	let mut ext = preset_ext(DEV_RUNTIME_PRESET);
	let executor = polkadot_sdk::sc_executor::WasmExecutor::<
		polkadot_sdk::sp_io::SubstrateHostFunctions,
	>::builder()
	.build();
	ext.register_extension(ReadRuntimeVersionExt::new(executor));
	ext
}

/// Notes `call` as a preimage (Alice pays the deposit) and returns its bounded form.
fn note(call: &RuntimeCall) -> Bounded<RuntimeCall, BlakeTwo256> {
	let bytes = call.encode();
	let hash = BlakeTwo256::hash(&bytes);
	// A preimage stays while a referendum still requests it.
	if <Preimage as QueryPreimage>::len(&hash).is_none() {
		dispatch(
			Sr25519Keyring::Alice,
			RuntimeCall::Preimage(pallet_preimage::Call::note_preimage { bytes: bytes.clone() }),
		);
	}
	Bounded::Lookup { hash, len: bytes.len() as u32 }
}

/// Block numbers of a referendum's life.
#[derive(Debug, Default)]
struct Timeline {
	submitted: u32,
	decision_started: Option<u32>,
	confirm_started: Option<u32>,
	confirmed: Option<u32>,
	dispatched: Option<(u32, Result<(), DispatchError>)>,
}

/// Submits `call` on the track of `track_origin`, places the decision deposit, votes aye with
/// the dev accounts and runs blocks until the scheduler dispatches it (at most `limit` blocks).
fn referendum(track_origin: OriginCaller, call: RuntimeCall, limit: u32) -> Timeline {
	let proposal = note(&call);
	let index = pallet_referenda::ReferendumCount::<Runtime>::get();
	dispatch(
		Sr25519Keyring::Alice,
		RuntimeCall::Referenda(pallet_referenda::Call::submit {
			proposal_origin: Box::new(track_origin),
			proposal,
			enactment_moment: polkadot_sdk::frame_support::traits::schedule::DispatchTime::After(0),
		}),
	);
	let mut timeline = Timeline { submitted: System::block_number(), ..Default::default() };
	dispatch(
		Sr25519Keyring::Bob,
		RuntimeCall::Referenda(pallet_referenda::Call::place_decision_deposit { index }),
	);
	for voter in VOTERS {
		dispatch(
			voter,
			RuntimeCall::ConvictionVoting(pallet_conviction_voting::Call::vote {
				poll_index: index,
				vote: pallet_conviction_voting::AccountVote::Standard {
					vote: pallet_conviction_voting::Vote {
						aye: true,
						conviction: pallet_conviction_voting::Conviction::Locked1x,
					},
					balance: 800_000 * KMCC,
				},
			}),
		);
	}
	for _ in 0..limit {
		let block = System::block_number();
		for event in next_block() {
			match event {
				RuntimeEvent::Referenda(pallet_referenda::Event::DecisionStarted {
					index: i,
					..
				}) if i == index => timeline.decision_started = Some(block),
				RuntimeEvent::Referenda(pallet_referenda::Event::ConfirmStarted { index: i })
					if i == index =>
				{
					timeline.confirm_started = Some(block)
				}
				RuntimeEvent::Referenda(pallet_referenda::Event::Confirmed {
					index: i, ..
				}) if i == index => timeline.confirmed = Some(block),
				// The enactment is the referendum's named task; its alarms are anonymous.
				RuntimeEvent::Scheduler(pallet_scheduler::Event::Dispatched {
					id: Some(_),
					result,
					..
				}) if timeline.confirmed.is_some() => timeline.dispatched = Some((block, result)),
				_ => {}
			}
		}
		if timeline.dispatched.is_some() {
			return timeline;
		}
	}
	panic!("referendum {index} not enacted within {limit} blocks: {timeline:?}");
}

fn root() -> OriginCaller {
	OriginCaller::system(frame_system::RawOrigin::Root)
}

fn code() -> Option<Vec<u8>> {
	polkadot_sdk::sp_io::storage::get(well_known_keys::CODE).map(|c| c.to_vec())
}

#[test]
fn a_root_referendum_enacts_the_next_runtime() {
	dev_ext().execute_with(|| {
		start_block(1, 1);
		assert_eq!(Timing::<Runtime>::get(), TrackTiming::Test);
		let next = kmcc_runtime_upgrade_test::WASM_BINARY
			.expect("the upgrade-test WASM is built by its build script")
			.to_vec();
		let version = polkadot_sdk::sp_io::misc::runtime_version(&next)
			.and_then(|v| <RuntimeVersion as codec::Decode>::decode(&mut &v[..]).ok())
			.expect("the next runtime declares its version");
		assert_eq!(version.spec_version, kmcc_runtime::VERSION.spec_version + 1);
		let balances_before: Vec<_> =
			VOTERS.iter().map(|v| Balances::total_balance(&v.to_account_id())).collect();

		let set_code = RuntimeCall::System(frame_system::Call::set_code { code: next.clone() });
		let t = referendum(root(), set_code, 60);

		// The root track on dev networks: prepare 2, confirm 4, enactment 3 blocks.
		let decision = t.decision_started.expect("decided");
		let confirm = t.confirm_started.expect("confirming");
		let confirmed = t.confirmed.expect("confirmed");
		let (enacted, result) = t.dispatched.expect("enacted");
		assert!(decision >= t.submitted + 2, "{t:?}");
		assert!(confirmed >= confirm + 4, "{t:?}");
		assert!(enacted >= confirmed + 3, "{t:?}");
		assert_eq!(result, Ok(()), "{t:?}");
		assert_eq!(code(), Some(next));
		// Votes lock, they do not spend, and deposits are holds: only Alice's balance moved (she
		// authored every block).
		for (voter, before) in VOTERS.iter().zip(balances_before).skip(1) {
			assert_eq!(Balances::total_balance(&voter.to_account_id()), before);
		}
		println!("root referendum timeline (blocks): {t:?}");
	});
}

/// The technical committee whitelists `call_hash`: Alice proposes (threshold 2) and votes,
/// which alone whitelists nothing; Bob's vote carries it and Charlie closes the motion.
fn committee_whitelists(call_hash: H256, motion_index: u32) {
	let whitelist = RuntimeCall::Whitelist(pallet_whitelist::Call::whitelist_call { call_hash });
	let length_bound = whitelist.encode().len() as u32;
	let motion = BlakeTwo256::hash(&whitelist.encode());
	let close = RuntimeCall::TechnicalCommittee(pallet_collective::Call::close {
		proposal_hash: motion,
		index: motion_index,
		proposal_weight_bound: whitelist.get_dispatch_info().call_weight,
		length_bound,
	});
	dispatch(
		Sr25519Keyring::Alice,
		RuntimeCall::TechnicalCommittee(pallet_collective::Call::propose {
			threshold: 2,
			proposal: Box::new(whitelist.clone()),
			length_bound,
		}),
	);
	let vote = |member| {
		dispatch(
			member,
			RuntimeCall::TechnicalCommittee(pallet_collective::Call::vote {
				proposal: motion,
				index: motion_index,
				approve: true,
			}),
		)
	};
	// One aye of the two needed: closing now is refused.
	vote(Sr25519Keyring::Alice);
	assert!(close.clone().dispatch_bypass_filter(origin(Sr25519Keyring::Charlie)).is_err());
	assert!(!pallet_whitelist::WhitelistedCall::<Runtime>::contains_key(call_hash));
	vote(Sr25519Keyring::Bob);
	dispatch(Sr25519Keyring::Charlie, close);
	assert!(pallet_whitelist::WhitelistedCall::<Runtime>::contains_key(call_hash));
}

#[test]
fn the_fast_track_needs_the_technical_committees_whitelist() {
	dev_ext().execute_with(|| {
		start_block(1, 1);
		// Not a voter: the fixes set its balance.
		let one = Sr25519Keyring::One.to_account_id();
		let set_one = |amount| {
			RuntimeCall::Balances(pallet_balances::Call::force_set_balance {
				who: one.clone().into(),
				new_free: amount,
			})
		};
		let fast = |fix: &RuntimeCall| {
			RuntimeCall::Whitelist(
				pallet_whitelist::Call::dispatch_whitelisted_call_with_preimage {
					call: Box::new(fix.clone()),
				},
			)
		};
		let whitelisted = OriginCaller::Origins(TrackOrigin::WhitelistedCaller);
		let relay =
			|fix: &RuntimeCall| fast(fix).dispatch_bypass_filter(origin(Sr25519Keyring::Eve));

		// A fast-track referendum on a call nobody whitelisted passes, but the call does not run:
		// it is deferred until the committee whitelists it.
		let fix = set_one(7 * KMCC);
		let fix_hash = BlakeTwo256::hash(&fix.encode());
		let before = Balances::free_balance(&one);
		let t = referendum(whitelisted.clone(), fast(&fix), 40);
		assert_eq!(t.dispatched.map(|(_, r)| r), Some(Ok(())), "{t:?}");
		assert_eq!(Balances::free_balance(&one), before);
		assert!(pallet_whitelist::DeferredDispatch::<Runtime>::contains_key(fix_hash));
		// Nobody can run it yet.
		assert_eq!(
			relay(&fix).map_err(|e| e.error),
			Err(pallet_whitelist::Error::<Runtime>::CallIsNotWhitelisted.into())
		);
		// Two of the three members whitelist it; then anyone relays the deferred dispatch.
		committee_whitelists(fix_hash, 0);
		assert!(relay(&fix).is_ok());
		assert_eq!(Balances::free_balance(&one), 7 * KMCC);
		// Once: the whitelist and the deferral are consumed.
		assert!(relay(&fix).is_err());

		// Whitelisted first, the referendum dispatches it with root rights at enactment.
		let fix = set_one(9 * KMCC);
		committee_whitelists(BlakeTwo256::hash(&fix.encode()), 1);
		let t = referendum(whitelisted, fast(&fix), 40);
		assert_eq!(t.dispatched.map(|(_, r)| r), Some(Ok(())), "{t:?}");
		assert_eq!(Balances::free_balance(&one), 9 * KMCC);
		// Fast: prepare 1, confirm 2, enactment 1 block on dev networks.
		let (enacted, _) = t.dispatched.unwrap();
		assert!(enacted - t.submitted <= 10, "{t:?}");
		println!("whitelisted-caller referendum timeline (blocks): {t:?}");

		// A relayer cannot dispatch a call that no referendum deferred.
		let other = set_one(KMCC);
		committee_whitelists(BlakeTwo256::hash(&other.encode()), 2);
		assert_eq!(
			relay(&other).map_err(|e| e.error),
			Err(pallet_whitelist::Error::<Runtime>::DeferredDispatchNotFound.into())
		);

		// A non-member cannot propose to the committee at all.
		let stranger = RuntimeCall::TechnicalCommittee(pallet_collective::Call::propose {
			threshold: 1,
			proposal: Box::new(RuntimeCall::Whitelist(pallet_whitelist::Call::whitelist_call {
				call_hash: H256::repeat_byte(1),
			})),
			length_bound: 100,
		});
		assert!(stranger.dispatch_bypass_filter(origin(Sr25519Keyring::Eve)).is_err());
	});
}

#[test]
fn a_parameter_track_changes_the_issuance_split_but_not_the_code() {
	dev_ext().execute_with(|| {
		start_block(1, 1);
		let split = EmissionSplit {
			masternodes: Perbill::from_percent(40),
			producer: Perbill::from_percent(40),
			storage: Perbill::from_percent(20),
		};
		let issuance_admin = OriginCaller::Origins(TrackOrigin::IssuanceAdmin);
		let set_split = RuntimeCall::Issuance(pallet_kmcc_issuance::Call::set_split { split });
		let t = referendum(issuance_admin.clone(), set_split, 50);
		assert_eq!(t.dispatched.map(|(_, r)| r), Some(Ok(())), "{t:?}");
		assert_eq!(pallet_kmcc_issuance::Split::<Runtime>::get(), split);

		let before = code();
		let next = kmcc_runtime_upgrade_test::WASM_BINARY.expect("built").to_vec();
		let set_code = RuntimeCall::System(frame_system::Call::set_code { code: next });
		let t = referendum(issuance_admin, set_code, 50);
		assert_eq!(t.dispatched.map(|(_, r)| r), Some(Err(DispatchError::BadOrigin)));
		assert_eq!(code(), before);

		// Nor may a signed account call the admin call directly.
		let direct = RuntimeCall::Issuance(pallet_kmcc_issuance::Call::set_split {
			split: EmissionSplit::default(),
		});
		assert_eq!(
			direct.dispatch_bypass_filter(origin(Sr25519Keyring::Alice)).map_err(|e| e.error),
			Err(DispatchError::BadOrigin)
		);
	});
}

#[test]
fn the_mainnet_template_has_no_sudo_and_real_periods() {
	preset_ext(MAINNET_TEMPLATE_PRESET).execute_with(|| {
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		assert_eq!(Timing::<Runtime>::get(), TrackTiming::Mainnet);
		let root_track = <Runtime as pallet_referenda::Config>::Tracks::info(0).expect("root");
		use pallet_referenda::TracksInfo as _;
		assert_eq!(root_track.decision_period, 14 * kmcc_runtime::time::DAYS);
		assert_eq!(root_track.min_enactment_period, kmcc_runtime::time::DAYS);
		let sudo = RuntimeCall::Sudo(pallet_sudo::Call::sudo {
			call: Box::new(RuntimeCall::System(frame_system::Call::remark { remark: vec![] })),
		});
		let alice = origin(Sr25519Keyring::Alice);
		assert!(sudo.dispatch_bypass_filter(alice).is_err());
	});
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(Timing::<Runtime>::get(), TrackTiming::Test);
		assert_eq!(
			pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get().len(),
			3
		);
	});
}

/// Validates `call` signed by Alice as the pool does, then applies it as an author would.
fn validate_and_apply(call: RuntimeCall) -> (Result<(), TransactionValidityError>, bool) {
	let xt = signed(Sr25519Keyring::Alice, call, 0, 0);
	let validity = Executive::validate_transaction(
		TransactionSource::External,
		xt.clone(),
		System::parent_hash(),
	)
	.map(|_| ());
	let applied = Executive::apply_extrinsic(xt).is_ok();
	(validity, applied)
}

#[test]
fn zero_value_transfers_never_enter_the_pool_or_a_block() {
	let zero = InvalidTransaction::Custom(ZERO_VALUE_TRANSFER).into();
	let bob = Sr25519Keyring::Bob.to_account_id();
	let transfer = |value| {
		RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: bob.clone().into(),
			value,
		})
	};
	let refused = [
		transfer(0),
		RuntimeCall::Balances(pallet_balances::Call::transfer_allow_death {
			dest: bob.clone().into(),
			value: 0,
		}),
		RuntimeCall::Assets(polkadot_sdk::pallet_assets::Call::transfer {
			id: 1.into(),
			target: bob.clone().into(),
			amount: 0,
		}),
		// Hidden in a batch, next to a real transfer.
		RuntimeCall::Utility(pallet_utility::Call::batch_all {
			calls: vec![transfer(KMCC), transfer(0)],
		}),
		// Behind a proxy inside a batch.
		RuntimeCall::Utility(pallet_utility::Call::batch {
			calls: vec![RuntimeCall::Proxy(polkadot_sdk::pallet_proxy::Call::proxy {
				real: bob.clone().into(),
				force_proxy_type: None,
				call: Box::new(transfer(0)),
			})],
		}),
	];
	for call in refused {
		preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
			start_block(1, 1);
			let (validity, applied) = validate_and_apply(call.clone());
			assert_eq!(validity, Err(zero), "{call:?}");
			assert!(!applied, "{call:?}");
			assert_eq!(System::account_nonce(Sr25519Keyring::Alice.to_account_id()), 0);
		});
	}
	// One planck is a transfer.
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1, 1);
		let before = Balances::free_balance(&bob);
		let (validity, applied) = validate_and_apply(transfer(1));
		assert_eq!(validity, Ok(()));
		assert!(applied);
		assert_eq!(Balances::free_balance(&bob), before + 1);
	});
}

#[test]
fn preimages_are_paid_by_a_hold() {
	dev_ext().execute_with(|| {
		start_block(1, 1);
		let alice = Sr25519Keyring::Alice.to_account_id();
		let call = RuntimeCall::System(frame_system::Call::remark { remark: vec![7; 1000] });
		let _ = note(&call);
		let held = Balances::balance_on_hold(
			&kmcc_runtime::RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage),
			&alice,
		);
		let len = call.encode().len() as u128;
		assert_eq!(held, KMCC + len * kmcc_runtime::MILLI_KMCC);
		let hash = BlakeTwo256::hash(&call.encode());
		assert_eq!(<Preimage as QueryPreimage>::len(&hash), Some(len as u32));
	});
}

#[test]
fn the_spec_113_migration_records_storage_versions_and_keeps_sudo() {
	use kmcc_runtime::{
		migrations::InitializeGovernance, Assets, Identity, Multisig, Nfts, Recovery, Referenda,
		Scheduler, TechnicalCommittee,
	};
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		// A network created before spec 113: none of the pallets has a recorded version, and
		// the timing profile was never set.
		// The same pallet list resets the versions and checks what the migration recorded.
		macro_rules! migrate_and_check {
			($($p:ty),*) => {{
				$( StorageVersion::new(0).put::<$p>(); )*
				Timing::<Runtime>::kill();
				InitializeGovernance::on_runtime_upgrade();
				$(
					assert_eq!(
						<$p>::on_chain_storage_version(),
						<$p>::in_code_storage_version(),
						stringify!($p)
					);
				)*
			}};
		}
		migrate_and_check!(
			Preimage,
			Scheduler,
			Referenda,
			TechnicalCommittee,
			Identity,
			Recovery,
			Multisig,
			Assets,
			Nfts
		);
		assert!(Referenda::in_code_storage_version() > StorageVersion::new(0));
		// Upgraded in place: real periods until root says otherwise, and the sudo key stays.
		assert_eq!(Timing::<Runtime>::get(), TrackTiming::Mainnet);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Sr25519Keyring::Alice.to_account_id()));
		// A second run changes nothing.
		let before = polkadot_sdk::sp_io::storage::root(polkadot_sdk::sp_runtime::StateVersion::V1);
		InitializeGovernance::on_runtime_upgrade();
		let after = polkadot_sdk::sp_io::storage::root(polkadot_sdk::sp_runtime::StateVersion::V1);
		assert_eq!(before, after);
	});
}
