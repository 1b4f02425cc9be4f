//! The KMCC proxy types: what each lets a proxy call, and which types contain which.

use kmcc_runtime::{configs::accounts::ProxyType, RuntimeCall, KMCC};
use polkadot_sdk::{
	frame_support::traits::InstanceFilter, frame_system, pallet_assets, pallet_balances,
	pallet_conviction_voting, pallet_identity, pallet_multisig, pallet_nfts, pallet_recovery,
	pallet_utility, pallet_vesting, sp_keyring::Sr25519Keyring,
};

fn bob() -> kmcc_runtime::AccountId {
	Sr25519Keyring::Bob.to_account_id()
}

fn transfer() -> RuntimeCall {
	RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: bob().into(),
		value: KMCC,
	})
}

fn lease() -> RuntimeCall {
	RuntimeCall::Dpos(kmcc_runtime::pallet_dpos::Call::lease { candidate: bob(), amount: KMCC })
}

fn vote() -> RuntimeCall {
	RuntimeCall::ConvictionVoting(pallet_conviction_voting::Call::remove_vote {
		class: None,
		index: 0,
	})
}

fn masternode_call() -> RuntimeCall {
	RuntimeCall::Masternodes(kmcc_runtime::pallet_masternodes::Call::deregister { id: 0 })
}

/// Calls that move the caller's funds to another account: no restricted type may make them.
fn transfers() -> Vec<RuntimeCall> {
	vec![
		transfer(),
		RuntimeCall::Balances(pallet_balances::Call::transfer_all {
			dest: bob().into(),
			keep_alive: false,
		}),
		RuntimeCall::Assets(pallet_assets::Call::transfer {
			id: 1.into(),
			target: bob().into(),
			amount: 1,
		}),
		RuntimeCall::Htlc(kmcc_runtime::pallet_htlc::Call::lock {
			recipient: bob(),
			asset: kmcc_runtime::pallet_htlc::SwapAsset::Native,
			amount: KMCC,
			hashlock: [0; 32],
			algorithm: kmcc_runtime::pallet_htlc::HashAlgorithm::Sha256,
			expiry: 100,
		}),
		RuntimeCall::Nfts(pallet_nfts::Call::transfer {
			collection: 0,
			item: 0,
			dest: bob().into(),
		}),
		RuntimeCall::Vesting(pallet_vesting::Call::vested_transfer {
			target: bob().into(),
			schedule: pallet_vesting::VestingInfo::new(KMCC, KMCC, 0),
		}),
		RuntimeCall::Multisig(pallet_multisig::Call::as_multi_threshold_1 {
			other_signatories: vec![bob()],
			call: Box::new(transfer()),
		}),
		RuntimeCall::Recovery(pallet_recovery::Call::control_inherited_account {
			recovered: bob().into(),
			call: Box::new(transfer()),
		}),
		// Another account's funds through the caller's own proxies.
		RuntimeCall::Proxy(polkadot_sdk::pallet_proxy::Call::proxy {
			real: bob().into(),
			force_proxy_type: None,
			call: Box::new(transfer()),
		}),
	]
}

#[test]
fn restricted_proxies_never_transfer() {
	for call in transfers() {
		assert!(ProxyType::Any.filter(&call));
		for kind in [
			ProxyType::NonTransfer,
			ProxyType::Governance,
			ProxyType::Staking,
			ProxyType::Masternode,
		] {
			assert!(!kind.filter(&call), "{kind:?} allowed {call:?}");
		}
	}
}

#[test]
fn each_type_allows_its_own_calls_only() {
	let cases = [
		(ProxyType::Staking, lease(), vec![vote(), masternode_call()]),
		(ProxyType::Governance, vote(), vec![lease(), masternode_call()]),
		(ProxyType::Masternode, masternode_call(), vec![lease(), vote()]),
	];
	for (kind, allowed, refused) in cases {
		assert!(kind.filter(&allowed), "{kind:?}");
		assert!(ProxyType::NonTransfer.filter(&allowed), "NonTransfer ⊇ {kind:?}");
		for call in refused {
			assert!(!kind.filter(&call), "{kind:?} allowed {call:?}");
		}
		// A batch passes the filter; the proxy pallet filters each call inside it again.
		let batch = RuntimeCall::Utility(pallet_utility::Call::batch { calls: vec![allowed] });
		assert!(kind.filter(&batch));
		assert!(ProxyType::NonTransfer.is_superset(&kind));
		assert!(!kind.is_superset(&ProxyType::NonTransfer));
		assert!(!kind.is_superset(&ProxyType::Any));
	}
	let identity = RuntimeCall::Identity(pallet_identity::Call::clear_identity {});
	assert!(ProxyType::NonTransfer.filter(&identity));
	assert!(!ProxyType::Staking.filter(&identity));
	// Ending a swap pays only its recipient (claim) or its sender (refund).
	for call in [
		kmcc_runtime::pallet_htlc::Call::claim { id: [0; 32], preimage: vec![] },
		kmcc_runtime::pallet_htlc::Call::refund { id: [0; 32] },
	] {
		assert!(ProxyType::NonTransfer.filter(&RuntimeCall::Htlc(call)));
	}
	let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
	assert!(ProxyType::NonTransfer.filter(&remark));
	assert!(ProxyType::Any.is_superset(&ProxyType::NonTransfer));
}
