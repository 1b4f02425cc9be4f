//! Property: over random sequences of locks, claims, refunds and passing blocks, no KMCC or
//! asset unit is created or lost, every account's free + held KMCC moves only by what its
//! swaps paid, and the invariants hold after every step.

use crate::{mock::*, HashAlgorithm, SwapAsset, SwapId, Swaps};
use polkadot_sdk::frame_support::traits::{fungible::Inspect, fungibles::Inspect as _};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
	Lock { sender: u64, recipient: u64, asset: bool, amount: u128, period: u64, secret: u8 },
	Claim { swap: usize, secret: u8 },
	Refund { swap: usize },
	Wait { blocks: u64 },
}

fn op() -> impl Strategy<Value = Op> {
	prop_oneof![
		(1..=4u64, 1..=4u64, any::<bool>(), 0..=400u128, 0..=120u64, 0..3u8).prop_map(
			|(sender, recipient, asset, amount, period, secret)| Op::Lock {
				sender,
				recipient: if recipient == 4 { NOBODY } else { recipient },
				asset,
				amount: amount * UNIT / 2,
				period,
				secret,
			}
		),
		(0..8usize, 0..3u8).prop_map(|(swap, secret)| Op::Claim { swap, secret }),
		(0..8usize).prop_map(|swap| Op::Refund { swap }),
		(1..=30u64).prop_map(|blocks| Op::Wait { blocks }),
	]
}

fn secret(n: u8) -> Vec<u8> {
	vec![n; 32]
}

const ACCOUNTS: [AccountId; 5] = [ALICE, BOB, CHARLIE, 4, NOBODY];

fn kmcc_total() -> u128 {
	ACCOUNTS.iter().map(Balances::total_balance).sum::<u128>()
		+ Balances::total_balance(&Htlc::escrow_account())
}

fn gold_total() -> u128 {
	ACCOUNTS.iter().map(|a| gold(*a)).sum::<u128>() + gold(Htlc::escrow_account())
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(200))]
	#[test]
	fn funds_are_conserved_over_any_sequence(ops in proptest::collection::vec(op(), 1..40)) {
		new_test_ext().execute_with(|| {
			let issuance = Balances::total_issuance();
			let supply = Assets::total_issuance(GOLD);
			prop_assert_eq!(kmcc_total(), issuance);
			prop_assert_eq!(gold_total(), supply);
			let mut opened: Vec<SwapId> = Vec::new();
			for op in ops {
				let now = System::block_number();
				let _ = match op {
					Op::Lock { sender, recipient, asset, amount, period, secret: s } => {
						let r = Htlc::lock(
							RuntimeOrigin::signed(sender),
							recipient,
							if asset { SwapAsset::Asset(GOLD) } else { SwapAsset::Native },
							amount,
							HashAlgorithm::Sha256.digest(&secret(s)),
							HashAlgorithm::Sha256,
							now + period,
						);
						if r.is_ok() {
							opened.push(last_id());
						}
						r
					},
					Op::Claim { swap, secret: s } => match opened.get(swap) {
						Some(id) => {
							let before = Swaps::<Test>::get(id);
							let r = Htlc::claim(RuntimeOrigin::signed(CHARLIE), *id, secret(s));
							// A claim succeeds exactly with the right secret before the expiry.
							if let Some(swap) = before {
								let opens = HashAlgorithm::Sha256.opens(&secret(s), &swap.terms.hashlock);
								prop_assert_eq!(r.is_ok(), opens && now < swap.terms.expiry, "{:?}", r);
							}
							r
						},
						None => Ok(()),
					},
					Op::Refund { swap } => match opened.get(swap) {
						Some(id) => {
							let before = Swaps::<Test>::get(id);
							let r = Htlc::refund(RuntimeOrigin::signed(BOB), *id);
							if let Some(swap) = before {
								prop_assert_eq!(r.is_ok(), now >= swap.terms.expiry, "{:?}", r);
							}
							r
						},
						None => Ok(()),
					},
					Op::Wait { blocks } => {
						run_to(now + blocks);
						Ok(())
					},
				};
				prop_assert_eq!(Balances::total_issuance(), issuance);
				prop_assert_eq!(kmcc_total(), issuance);
				prop_assert_eq!(Assets::total_issuance(GOLD), supply);
				prop_assert_eq!(gold_total(), supply);
				prop_assert!(Htlc::do_try_state().is_ok(), "{:?}", Htlc::do_try_state());
			}
			Ok(())
		})?;
	}
}
