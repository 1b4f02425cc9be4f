//! Extrinsic builders for `kmcc-node benchmark extrinsic` and the inherent data that
//! benchmark blocks need.

use std::{sync::Arc, time::Duration};

use kmcc_runtime::{self as runtime, AccountId, Balance, BalancesCall, SystemCall};
use polkadot_sdk::{
	frame_benchmarking_cli::ExtrinsicBuilder,
	sc_cli::Result,
	sp_api::{Core, ProvideRuntimeApi},
	sp_core::{Encode, Pair},
	sp_inherents::{InherentData, InherentDataProvider},
	sp_keyring::Sr25519Keyring,
	sp_runtime::{generic, OpaqueExtrinsic, SaturatedConversion},
	sp_timestamp,
};

use crate::service::FullClient;

/// Builds `system.remark` extrinsics (the per-extrinsic overhead baseline).
pub struct RemarkBuilder {
	client: Arc<FullClient>,
}

impl RemarkBuilder {
	/// A builder signing with Alice on `client`'s best block.
	pub fn new(client: Arc<FullClient>) -> Self {
		Self { client }
	}
}

impl ExtrinsicBuilder for RemarkBuilder {
	fn pallet(&self) -> &str {
		"system"
	}

	fn extrinsic(&self) -> &str {
		"remark"
	}

	fn build(&self, nonce: u32) -> std::result::Result<OpaqueExtrinsic, &'static str> {
		let extrinsic: OpaqueExtrinsic = create_benchmark_extrinsic(
			self.client.as_ref(),
			Sr25519Keyring::Bob.pair(),
			SystemCall::remark { remark: vec![] }.into(),
			nonce,
		)
		.into();
		Ok(extrinsic)
	}
}

/// Builds `balances.transfer_keep_alive` extrinsics.
pub struct TransferKeepAliveBuilder {
	client: Arc<FullClient>,
	dest: AccountId,
	value: Balance,
}

impl TransferKeepAliveBuilder {
	/// A builder transferring `value` to `dest`, signed by Bob.
	pub fn new(client: Arc<FullClient>, dest: AccountId, value: Balance) -> Self {
		Self { client, dest, value }
	}
}

impl ExtrinsicBuilder for TransferKeepAliveBuilder {
	fn pallet(&self) -> &str {
		"balances"
	}

	fn extrinsic(&self) -> &str {
		"transfer_keep_alive"
	}

	fn build(&self, nonce: u32) -> std::result::Result<OpaqueExtrinsic, &'static str> {
		let extrinsic: OpaqueExtrinsic = create_benchmark_extrinsic(
			self.client.as_ref(),
			Sr25519Keyring::Bob.pair(),
			BalancesCall::transfer_keep_alive { dest: self.dest.clone().into(), value: self.value }
				.into(),
			nonce,
		)
		.into();
		Ok(extrinsic)
	}
}

/// A signed extrinsic of `call` by `sender`, valid on `client`'s best block.
pub fn create_benchmark_extrinsic(
	client: &FullClient,
	sender: polkadot_sdk::sp_core::sr25519::Pair,
	call: runtime::RuntimeCall,
	nonce: u32,
) -> runtime::UncheckedExtrinsic {
	use polkadot_sdk::sc_client_api::UsageProvider;

	let genesis_hash = client.usage_info().chain.genesis_hash;
	let best_hash = client.usage_info().chain.best_hash;
	let best_block = client.usage_info().chain.best_number;
	let spec_version = client
		.runtime_api()
		.version(best_hash)
		.map(|v| v.spec_version)
		.unwrap_or(runtime::VERSION.spec_version);

	let period = runtime::configs::system::BlockHashCount::get()
		.checked_next_power_of_two()
		.map(|c| c / 2)
		.unwrap_or(2) as u64;
	let era = generic::Era::mortal(period, best_block.saturated_into());
	let tx_ext = runtime::tx_extension(era, nonce, 0);

	let raw_payload = runtime::SignedPayload::from_raw(
		call.clone(),
		tx_ext.clone(),
		(
			(),
			(),
			(),
			spec_version,
			runtime::VERSION.transaction_version,
			genesis_hash,
			best_hash,
			(),
			(),
			(),
			None,
			((), ()),
		),
	);
	let signature = raw_payload.using_encoded(|e| sender.sign(e));

	runtime::GenericUncheckedExtrinsic::new_signed(
		call,
		polkadot_sdk::sp_runtime::AccountId32::from(sender.public()).into(),
		runtime::Signature::Sr25519(signature),
		tx_ext,
	)
	.into()
}

/// Inherent data for a benchmark block: the timestamp is the only inherent KMCC needs
/// outside of Aura's pre-runtime digest.
pub fn inherent_benchmark_data() -> Result<InherentData> {
	let mut inherent_data = InherentData::new();
	let d = Duration::from_millis(0);
	let timestamp = sp_timestamp::InherentDataProvider::new(d.into());

	futures::executor::block_on(timestamp.provide_inherent_data(&mut inherent_data))
		.map_err(|e| format!("creating inherent data: {e:?}"))?;
	Ok(inherent_data)
}
