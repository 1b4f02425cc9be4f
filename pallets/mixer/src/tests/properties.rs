//! Random sequences of deposits and withdrawals keep the books.

use crate::{mock::*, *};
use polkadot_sdk::frame_support::traits::fungible::Inspect;
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Step {
	/// Depositor (0..3) and pool (0 small, 1 large).
	Deposit(u8, bool),
	/// Which earlier deposit (modulo their number), ring size, relayed or not.
	Withdraw(usize, u32, bool),
}

fn step() -> impl Strategy<Value = Step> {
	prop_oneof![
		3 => (0u8..3, any::<bool>()).prop_map(|(who, large)| Step::Deposit(who, large)),
		2 => (any::<usize>(), MIN_RING..=MAX_RING, any::<bool>())
			.prop_map(|(which, ring, relayed)| Step::Withdraw(which, ring, relayed)),
	]
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(48))]

	#[test]
	fn pool_balance_is_deposits_minus_withdrawals_and_no_image_is_spent_twice(
		steps in prop::collection::vec(step(), 1..60),
	) {
		new_test_ext().execute_with(|| -> Result<(), TestCaseError> {
			let issuance = Balances::total_issuance();
			// (key number, denomination, index, withdrawn)
			let mut made: Vec<(u64, Balance, u32, bool)> = Vec::new();
			let (mut deposited, mut withdrawn) = (0u128, 0u128);
			for step in steps {
				match step {
					Step::Deposit(who, large) => {
						let denomination = if large { LARGE } else { SMALL };
						let n = made.len() as u64;
						let index = Pools::<Test>::get(denomination).unwrap().deposits;
						deposit([ALICE, BOB, CHARLIE][who as usize], denomination, n);
						made.push((n, denomination, index, false));
						deposited += denomination;
					},
					Step::Withdraw(which, size, relayed) => {
						if made.is_empty() {
							continue;
						}
						let slot = which % made.len();
						let (n, denomination, index, spent) = made[slot];
						let deposits = Pools::<Test>::get(denomination).unwrap().deposits;
						if deposits < size {
							continue;
						}
						// The signer and the next `size − 1` indices, wrapping around.
						let mut ring: Vec<u32> =
							(0..size).map(|k| (index + k) % deposits).collect();
						ring.sort();
						let (relayer, fee) =
							if relayed { (Some(RELAYER), denomination / 100) } else { (None, 0) };
						let w = withdrawal(denomination, &ring, 1000 + n, relayer, fee);
						let signature = sign(&w, n);
						let result = submit(w, signature);
						if spent {
							prop_assert_eq!(result, Err(code(Error::KeyImageSpent)));
						} else {
							prop_assert_eq!(result, Ok(()));
							made[slot].3 = true;
							withdrawn += denomination;
						}
					},
				}
				prop_assert_eq!(Balances::balance(&Mixer::account_id()), deposited - withdrawn);
				prop_assert_eq!(Balances::total_issuance(), issuance);
				prop_assert!(Mixer::do_try_state().is_ok());
			}
			let spent = made.iter().filter(|m| m.3).count();
			prop_assert_eq!(SpentKeyImages::<Test>::iter().count(), spent);
			Ok(())
		})?;
	}
}
