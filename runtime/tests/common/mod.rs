//! Helpers shared by the runtime integration tests.
#![allow(dead_code)]

use codec::Encode;
use kmcc_runtime::{
	genesis_config_presets::preset_genesis, tx_extension, Executive, GenericUncheckedExtrinsic,
	Header, Runtime, RuntimeCall, SignedPayload, UncheckedExtrinsic,
};
use polkadot_sdk::{
	frame_system,
	sp_consensus_aura::{Slot, AURA_ENGINE_ID},
	sp_core::Pair,
	sp_genesis_builder::PresetId,
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{generic::Era, traits::Header as _, BuildStorage, Digest, DigestItem},
};

/// Externalities holding the genesis state of a runtime preset.
pub fn preset_ext(preset: &str) -> TestExternalities {
	let genesis = preset_genesis(&PresetId::from(preset)).expect("known preset");
	let storage = genesis.build_storage().expect("preset genesis builds");
	TestExternalities::new(storage)
}

/// Starts block `number` authored in Aura slot `slot`, as the node would.
pub fn start_block(number: u32, slot: u64) {
	let digest =
		Digest { logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(slot).encode())] };
	let parent_hash = frame_system::Pallet::<Runtime>::parent_hash();
	let header = Header::new(number, Default::default(), Default::default(), parent_hash, digest);
	Executive::initialize_block(&header);
}

/// `call` signed by `signer`, exactly as a wallet builds it.
pub fn signed(
	signer: Sr25519Keyring,
	call: RuntimeCall,
	nonce: u32,
	tip: u128,
) -> UncheckedExtrinsic {
	let extension = tx_extension(Era::Immortal, nonce, tip);
	let payload = SignedPayload::new(call.clone(), extension.clone()).expect("valid payload");
	let signature = payload.using_encoded(|bytes| signer.pair().sign(bytes));
	GenericUncheckedExtrinsic::new_signed(
		call,
		signer.to_account_id().into(),
		signature.into(),
		extension,
	)
	.into()
}

/// Sets the timestamp inherent of Aura slot `slot` and finalizes the block, as the node would.
pub fn finish_block(slot: u64) {
	let now = slot * kmcc_runtime::time::SLOT_DURATION;
	polkadot_sdk::pallet_timestamp::Pallet::<Runtime>::set(
		kmcc_runtime::RuntimeOrigin::none(),
		now,
	)
	.expect("timestamp inherent");
	Executive::finalize_block();
}

/// Builds blocks up to `to`, each in the Aura slot of its number.
pub fn run_to(to: u32) {
	for n in frame_system::Pallet::<Runtime>::block_number() + 1..=to {
		start_block(n, u64::from(n));
		finish_block(u64::from(n));
	}
}

/// The `Dpos` candidate deposit that `who` has on hold.
pub fn candidate_deposit(who: Sr25519Keyring) -> u128 {
	use polkadot_sdk::frame_support::traits::fungible::InspectHold;
	kmcc_runtime::Balances::balance_on_hold(
		&kmcc_runtime::RuntimeHoldReason::Dpos(
			kmcc_runtime::pallet_dpos::HoldReason::CandidateDeposit,
		),
		&who.to_account_id(),
	)
}
