//! The halving emission, the hard cap and the burns in the real runtime (design §2).

use crate::common::{finish_block, preset_ext, signed, start_block};
use kmcc_runtime::{
	configs::monetary::{MasternodeRewardPot, StorageSubsidyPool},
	currency::KMCC,
	genesis_config_presets::{role_account, GENESIS_ISSUANCE, MAINNET_TEMPLATE_PRESET},
	pallet_genesis_allocation::AllocationRole,
	pallet_kmcc_issuance::{
		self, runtime_api::runtime_decl_for_issuance_api::IssuanceApiV1, EmissionSplit,
		Event as IssuanceEvent, KMCC_EMISSION_SCHEDULE,
	},
	AccountId, Balance, Balances, BalancesCall, Executive, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeOrigin, System,
};
use polkadot_sdk::{
	frame_support::traits::OnRuntimeUpgrade,
	frame_system, pallet_session,
	sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
	sp_keyring::Sr25519Keyring,
	sp_runtime::{DispatchError, ModuleError},
};

type Issuance = pallet_kmcc_issuance::Pallet<Runtime>;

/// genesis + minted − burned = total issuance ≤ 5 B.
fn assert_ledger() {
	assert_eq!(Issuance::check_ledger(), Ok(()), "ledger");
}

fn issuance_events() -> Vec<IssuanceEvent<Runtime>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Issuance(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn balance(who: &AccountId) -> Balance {
	Balances::free_balance(who)
}

#[test]
fn each_block_pays_its_author_and_the_two_pots_exactly() {
	preset_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let validators = pallet_session::Validators::<Runtime>::get();
		let before: Vec<Balance> = validators.iter().map(balance).collect();
		let mut producer_paid = vec![0u128; validators.len()];
		let mut pot = 0;
		let mut pool = 0;
		for n in 1..=12u32 {
			// Slots 1..=12 rotate over the authoring group's members (DPoS); no leases, so
			// each author's candidate keeps the whole producer share.
			let slot = u64::from(n);
			start_block(n, slot);
			let author = polkadot_sdk::pallet_authorship::Pallet::<Runtime>::author()
				.expect("the block's author is found");
			let index = validators.iter().position(|v| *v == author).expect("a validator");
			let shares =
				EmissionSplit::default().apportion(KMCC_EMISSION_SCHEDULE.reward_at(n.into()));
			producer_paid[index] += shares.producer;
			pot += shares.masternodes;
			pool += shares.storage;
			assert!(issuance_events().contains(&IssuanceEvent::BlockEmission {
				period: 0,
				reward: shares.total(),
				masternodes: shares.masternodes,
				producer: shares.producer,
				storage: shares.storage,
			}));
			finish_block(slot);
			assert_ledger();
		}
		for (i, v) in validators.iter().enumerate() {
			assert_eq!(balance(v) - before[i], producer_paid[i], "author {i}");
		}
		assert_eq!(balance(&MasternodeRewardPot::get()), pot);
		assert_eq!(balance(&StorageSubsidyPool::get()), pool);
		assert_eq!(
			pallet_kmcc_issuance::Minted::<Runtime>::get(),
			KMCC_EMISSION_SCHEDULE.minted_through(12)
		);
		// 12 blocks of 427.789… KMCC.
		assert_eq!(KMCC_EMISSION_SCHEDULE.minted_through(12), 5_133_470_225_872_689_938_400);
	});
}

#[test]
fn ledger_holds_with_transfers_fees_and_reaped_accounts() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let eve = Sr25519Keyring::Eve;
		let dust_account = Sr25519Keyring::Two.to_account_id();
		for n in 1..=4u32 {
			start_block(n, u64::from(n));
			// Signed transfers with fees and tips (to the author).
			let call = BalancesCall::transfer_keep_alive {
				dest: dust_account.clone().into(),
				value: KMCC,
			};
			let xt = signed(eve, call.into(), n - 1, KMCC / 1000);
			assert_eq!(Executive::apply_extrinsic(xt), Ok(Ok(())));
			if n == 3 {
				// Leave half the existential deposit behind: the account is reaped and its
				// dust goes to the storage subsidy pool.
				let pool = balance(&StorageSubsidyPool::get());
				let leave = kmcc_runtime::EXISTENTIAL_DEPOSIT / 2;
				assert!(Balances::transfer_allow_death(
					RuntimeOrigin::signed(dust_account.clone()),
					Sr25519Keyring::Ferdie.to_account_id().into(),
					balance(&dust_account) - leave,
				)
				.is_ok());
				assert!(!System::account_exists(&dust_account));
				assert_eq!(balance(&StorageSubsidyPool::get()), pool + leave);
			}
			finish_block(u64::from(n));
			assert_ledger();
		}
	});
}

#[test]
fn balances_burn_is_not_callable() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1, 1);
		let issuance = Balances::total_issuance();
		let call = RuntimeCall::Balances(BalancesCall::burn { value: KMCC, keep_alive: true });
		let xt = signed(Sr25519Keyring::Bob, call, 0, 0);
		assert_eq!(
			Executive::apply_extrinsic(xt),
			Ok(Err(frame_system::Error::<Runtime>::CallFiltered.into()))
		);
		// Only the fee moved (to the author): no planck left the ledger.
		assert_eq!(Balances::total_issuance(), issuance);
		assert_ledger();
	});
}

#[test]
fn buyback_through_sudo_respects_the_floor_on_a_dev_chain() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1, 1);
		// A dev chain issues a few million KMCC, far below the 1 B floor: nothing is burned.
		let alice = Sr25519Keyring::Alice.to_account_id();
		let alice_before = balance(&alice);
		assert_eq!(pallet_kmcc_issuance::FoundationAccount::<Runtime>::get(), Some(alice.clone()));
		let call = RuntimeCall::Issuance(pallet_kmcc_issuance::Call::buyback_burn {
			amount: 1_000 * KMCC,
		});
		assert!(Balances::total_issuance() < 1_000_000_000 * KMCC);
		assert!(
			kmcc_runtime::Sudo::sudo(RuntimeOrigin::signed(alice.clone()), Box::new(call)).is_ok()
		);
		assert!(issuance_events().contains(&IssuanceEvent::BuybackBurned {
			foundation: alice.clone(),
			amount: 1_000 * KMCC,
			burn_requested: 800 * KMCC,
			burned: 0,
			held_by_floor: 800 * KMCC,
			retained: 200 * KMCC,
		}));
		assert_eq!(balance(&alice), alice_before);

		// Signed origins are refused.
		let err = Issuance::buyback_burn(RuntimeOrigin::signed(alice), KMCC).unwrap_err();
		assert_eq!(err, DispatchError::BadOrigin);
		assert_ledger();
	});
}

#[test]
fn buyback_burns_on_a_chain_above_the_floor() {
	preset_ext(MAINNET_TEMPLATE_PRESET).execute_with(|| {
		start_block(1, 1);
		// Put total issuance 2 M KMCC above the floor by minting to the foundation.
		let foundation = role_account(AllocationRole::Foundation);
		let floor = 1_000_000_000 * KMCC;
		let extra = floor + 2_000_000 * KMCC - Balances::total_issuance();
		assert!(Balances::force_set_balance(
			RuntimeOrigin::root(),
			foundation.clone().into(),
			balance(&foundation) + extra
		)
		.is_ok());
		pallet_kmcc_issuance::GenesisIssuance::<Runtime>::mutate(|g| *g += extra);
		assert!(Issuance::buyback_burn(RuntimeOrigin::root(), 5_000_000 * KMCC).is_ok());
		// 4 M requested, 2 M above the floor: 2 M burned, 2 M held back, 1 M retained.
		assert_eq!(Balances::total_issuance(), floor);
		assert!(issuance_events().contains(&IssuanceEvent::BuybackBurned {
			foundation,
			amount: 5_000_000 * KMCC,
			burn_requested: 4_000_000 * KMCC,
			burned: 2_000_000 * KMCC,
			held_by_floor: 2_000_000 * KMCC,
			retained: 1_000_000 * KMCC,
		}));
		assert_ledger();
	});
}

#[test]
fn issuance_api_agrees_with_storage() {
	preset_ext(MAINNET_TEMPLATE_PRESET).execute_with(|| {
		for n in 1..=3u32 {
			start_block(n, u64::from(n));
			finish_block(u64::from(n));
		}
		let info = <Runtime as IssuanceApiV1<kmcc_runtime::Block, u32, Balance>>::issuance_info();
		assert_eq!(info.block, 3);
		assert_eq!(info.current_period, Some(0));
		assert_eq!(info.reward_per_block, 427_789_185_489_390_828_200);
		assert_eq!(info.next_halving_block, Some(5_259_601));
		assert_eq!(info.last_emission_block, 315_576_000);
		assert_eq!(info.minted, pallet_kmcc_issuance::Minted::<Runtime>::get());
		assert_eq!(info.minted, KMCC_EMISSION_SCHEDULE.minted_through(3));
		// Genesis: the design §2 table and the existential deposits of the treasury pot and
		// `Revive`'s account, which the cap leaves out of the last emission block.
		let genesis = GENESIS_ISSUANCE + 2 * kmcc_runtime::EXISTENTIAL_DEPOSIT;
		assert_eq!(
			info.remaining_to_mint,
			4_500_000_000 * KMCC - info.minted - 2 * kmcc_runtime::EXISTENTIAL_DEPOSIT
		);
		assert_eq!(info.burned, 0);
		assert_eq!(info.genesis_issuance, genesis);
		assert_eq!(info.total_issuance, genesis + info.minted);
		assert_eq!(info.max_supply, 5_000_000_000 * KMCC);
		assert_eq!(info.burn_floor, 1_000_000_000 * KMCC);
		assert_eq!(info.split, EmissionSplit::default());
		// The design §2 table and the whole schedule fill the cap exactly; the pot's deposit is
		// what the cap takes off the last emission block.
		assert_eq!(GENESIS_ISSUANCE + KMCC_EMISSION_SCHEDULE.total, info.max_supply);
		assert_eq!(info.max_supply - info.genesis_issuance - info.minted, info.remaining_to_mint);
		assert_eq!(
			pallet_kmcc_issuance::FoundationAccount::<Runtime>::get(),
			Some(role_account(AllocationRole::Foundation))
		);
	});
}

#[test]
fn the_migration_starts_the_ledger_of_a_chain_created_without_issuance() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		pallet_kmcc_issuance::GenesisIssuance::<Runtime>::kill();
		kmcc_runtime::migrations::SingleBlockMigrations::on_runtime_upgrade();
		assert_eq!(
			pallet_kmcc_issuance::GenesisIssuance::<Runtime>::get(),
			Balances::total_issuance()
		);
		assert_ledger();
		// Buy-back errors are named and change nothing.
		let zero = Issuance::buyback_burn(RuntimeOrigin::root(), 0).unwrap_err();
		assert!(matches!(zero, DispatchError::Module(ModuleError { .. })));
	});
}
