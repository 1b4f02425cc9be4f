//! The weight model is this node's: block limits built from the generated block and extrinsic
//! costs, ParityDB read/write costs from `benchmark storage`, a transfer charged exactly the
//! generated weights of its call and its transaction extensions, and a base extrinsic weight
//! that does not charge those extensions a second time.

use crate::common::{preset_ext, signed, start_block};
use kmcc_runtime::{
	configs::RuntimeBlockWeights,
	weights::{
		self,
		block_weights::BlockExecutionWeight,
		extrinsic_weights::{
			ExtrinsicBaseWeight, PricedInSignedNoOp, SignedNoOpExtrinsicWeight,
			Sr25519VerificationWeight,
		},
		paritydb_weights::constants::ParityDbWeight,
	},
	BalancesCall, Runtime, RuntimeCall, TxExtension,
};
use polkadot_sdk::{
	frame_support::dispatch::{DispatchClass, GetDispatchInfo},
	frame_system, pallet_balances,
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_keyring::Sr25519Keyring,
	sp_runtime::traits::TransactionExtension,
};

#[test]
fn block_limits_use_the_measured_block_and_extrinsic_costs() {
	let weights = RuntimeBlockWeights::get();
	assert_eq!(weights.base_block, BlockExecutionWeight::get());
	for class in [DispatchClass::Normal, DispatchClass::Operational, DispatchClass::Mandatory] {
		assert_eq!(weights.get(class).base_extrinsic, ExtrinsicBaseWeight::get());
	}
	// One third of a 2 s block, 75 % of it for normal transactions.
	assert_eq!(weights.max_block.ref_time(), 666_666_666_666);
	assert_eq!(
		weights.get(DispatchClass::Normal).max_total.map(|w| w.ref_time()),
		Some(499_999_999_999)
	);
	assert_eq!(<Runtime as frame_system::Config>::DbWeight::get(), ParityDbWeight::get());
}

#[test]
fn a_transfer_is_charged_its_generated_call_and_extension_weights() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1, 1);
		let call: RuntimeCall = BalancesCall::transfer_keep_alive {
			dest: Sr25519Keyring::Bob.to_account_id().into(),
			value: 1,
		}
		.into();
		let info = call.get_dispatch_info();
		assert_eq!(
			info.call_weight,
			<weights::pallet_balances::WeightInfo<Runtime> as pallet_balances::WeightInfo>::transfer_keep_alive()
		);
		let extension: TxExtension = kmcc_runtime::tx_extension(
			polkadot_sdk::sp_runtime::generic::Era::Immortal,
			0,
			0,
		);
		use frame_system::ExtensionsWeightInfo as _;
		use polkadot_sdk::pallet_transaction_payment::WeightInfo as _;
		type System = weights::frame_system_extensions::WeightInfo<Runtime>;
		// `CheckNonZeroTransfer` is charged what `CheckNonZeroSender` is.
		let expected = System::check_non_zero_sender()
			.saturating_add(System::check_non_zero_sender())
			.saturating_add(System::check_spec_version())
			.saturating_add(System::check_tx_version())
			.saturating_add(System::check_genesis())
			.saturating_add(System::check_mortality_immortal_transaction())
			.saturating_add(System::check_nonce())
			.saturating_add(System::check_weight())
			.saturating_add(
				weights::pallet_transaction_payment::WeightInfo::<Runtime>::charge_transaction_payment(),
			)
			.saturating_add(System::weight_reclaim());
		assert_eq!(extension.weight(&call), expected);
		// And a real one is charged exactly that (the block adds the base extrinsic).
		let xt = signed(Sr25519Keyring::Alice, call, 0, 0);
		let payment = polkadot_sdk::pallet_transaction_payment::Pallet::<Runtime>::query_info(
			xt.clone(),
			codec::Encode::encoded_size(&xt) as u32,
		);
		assert_eq!(payment.weight, info.call_weight.saturating_add(expected));
	});
}

/// The overhead benchmark's signed no-op contains its extensions' and call's execution; the base
/// is what remains (at least a signature check), so the runtime's charge for that same no-op
/// (base + call + extensions, with their storage accesses) still covers what was measured.
#[test]
fn the_base_extrinsic_weight_does_not_count_the_extensions_twice() {
	let base = ExtrinsicBaseWeight::get();
	let measured = SignedNoOpExtrinsicWeight::get();
	assert!(base.all_gte(Sr25519VerificationWeight::get()));
	assert!(
		base.ref_time() == measured.ref_time().saturating_sub(PricedInSignedNoOp::get().ref_time())
			|| base == Sr25519VerificationWeight::get()
	);
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1, 1);
		let call: RuntimeCall = frame_system::Call::remark { remark: vec![] }.into();
		let extension: TxExtension = kmcc_runtime::tx_extension(
			polkadot_sdk::sp_runtime::generic::Era::mortal(256, 1),
			0,
			0,
		);
		let charged = base
			.saturating_add(call.get_dispatch_info().call_weight)
			.saturating_add(extension.weight(&call));
		assert!(
			charged.ref_time() >= measured.ref_time(),
			"a signed no-op is charged {charged:?}, below its measured {measured:?}"
		);
		// The part taken out of the measurement is the part the extensions and the call charge.
		assert!(
			extension.weight(&call).saturating_add(call.get_dispatch_info().call_weight).ref_time()
				>= PricedInSignedNoOp::get().ref_time()
		);
	});
}
