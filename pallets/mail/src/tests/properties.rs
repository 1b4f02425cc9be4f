//! Property: over random sequences of mail operations, every planck is accounted for.
//! `Σ free + Σ held + burned postage` equals the initial supply, and the pallet's holds
//! (deposits, escrows) are exactly what its records say (`try_state`).

use crate::{mock::*, Recipient};
use polkadot_sdk::frame_support::traits::fungible::Inspect;
use proptest::prelude::*;

const ACCOUNTS: [AccountId; 4] = [ALICE, BOB, CHARLIE, DAVE];

#[derive(Debug, Clone)]
enum Op {
	Send { from: usize, to: usize, len: usize, price: u8, key: u8 },
	Delete { who: usize, index: usize },
	Pay { who: usize, index: usize },
	Deliver { index: usize, right_key: bool },
	Refund { index: usize },
	Cleanup { index: usize },
	Wait { blocks: u64 },
}

fn op() -> impl Strategy<Value = Op> {
	prop_oneof![
		3 => (0..4usize, 0..4usize, 1..1024usize, 0..3u8, 0..4u8)
			.prop_map(|(from, to, len, price, key)| Op::Send { from, to, len, price, key }),
		1 => (0..4usize, 0..8usize).prop_map(|(who, index)| Op::Delete { who, index }),
		2 => (0..4usize, 0..8usize).prop_map(|(who, index)| Op::Pay { who, index }),
		2 => (0..8usize, any::<bool>()).prop_map(|(index, right_key)| Op::Deliver { index, right_key }),
		1 => (0..8usize).prop_map(|index| Op::Refund { index }),
		1 => (0..8usize).prop_map(|index| Op::Cleanup { index }),
		1 => (1..60u64).prop_map(|blocks| Op::Wait { blocks }),
	]
}

fn total() -> u128 {
	ACCOUNTS.iter().chain([&POOR, &POOL]).map(<Balances as Inspect<AccountId>>::total_balance).sum()
}

fn message(index: usize) -> Option<u64> {
	let ids: Vec<u64> = crate::Messages::<Test>::iter_keys().collect();
	(!ids.is_empty()).then(|| {
		let mut ids = ids;
		ids.sort_unstable();
		ids[index % ids.len()]
	})
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(64))]
	#[test]
	fn mail_conserves_the_supply(ops in proptest::collection::vec(op(), 1..40)) {
		new_test_ext().execute_with(|| -> Result<(), TestCaseError> {
			for who in ACCOUNTS {
				publish(who);
			}
			let spaces: Vec<u64> = ACCOUNTS.iter().map(|who| add_space(*who, 64 << 20)).collect();
			let initial = total();
			let issuance = Balances::total_issuance();
			for op in ops {
				let _ = match op {
					Op::Send { from, to, len, price, key } => Mail::send(
						RuntimeOrigin::signed(ACCOUNTS[from]),
						Recipient::Account(ACCOUNTS[to]),
						vec![1; len],
						(key > 0).then(|| attachment(spaces[from], 0, 1 << 20, u128::from(price) * UNIT, key)),
						BASE_POSTAGE,
					),
					Op::Delete { who, index } => match message(index) {
						Some(id) => Mail::delete(RuntimeOrigin::signed(ACCOUNTS[who]), id),
						None => Ok(()),
					},
					Op::Pay { who, index } => match message(index) {
						Some(id) => Mail::pay_attachment(RuntimeOrigin::signed(ACCOUNTS[who]), id),
						None => Ok(()),
					},
					Op::Deliver { index, right_key } => match message(index) {
						Some(id) => {
							let m = crate::Messages::<Test>::get(id).expect("listed");
							let key = m.attachment.map(|a| a.content_hash.0[0]).unwrap_or(0);
							let key = if right_key { key } else { key.wrapping_add(1) };
							Mail::deliver_key(RuntimeOrigin::signed(m.from), id, layer_key(key))
						},
						None => Ok(()),
					},
					Op::Refund { index } => match message(index) {
						Some(id) => Mail::refund(RuntimeOrigin::signed(CHARLIE), id),
						None => Ok(()),
					},
					Op::Cleanup { index } => match message(index) {
						Some(id) => Mail::cleanup(RuntimeOrigin::signed(DAVE), id),
						None => Ok(()),
					},
					Op::Wait { blocks } => {
						run_to(System::block_number() + blocks);
						Ok(())
					},
				};
				prop_assert_eq!(total() + burned(), initial);
				prop_assert_eq!(Balances::total_issuance() + burned(), issuance);
				Mail::do_try_state().map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
			}
			Ok(())
		})?;
	}
}
