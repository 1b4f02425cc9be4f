//! JSON-RPC methods beyond the standard ones that `sc-service` installs (chain, state,
//! author, system info): account nonce (`system_accountNextIndex`), fees
//! (`payment_queryInfo`, `payment_queryFeeDetails`), GRANDPA (`grandpa_roundState`,
//! `grandpa_proveFinality`, `grandpa_subscribeJustifications`), BEEFY checkpoints
//! (`beefy_subscribeJustifications`, `beefy_getFinalizedHead`) and MMR proofs (`mmr_root`,
//! `mmr_generateProof`, `mmr_verifyProof`, `mmr_verifyProofStateless`).

use std::sync::Arc;

use jsonrpsee::RpcModule;
use kmcc_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Hash, Nonce};
use polkadot_sdk::{
	mmr_rpc::{Mmr, MmrApiServer},
	pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer},
	sc_client_api::AuxStore,
	sc_consensus_beefy::communication::notification::{
		BeefyBestBlockStream, BeefyVersionedFinalityProofStream,
	},
	sc_consensus_beefy_rpc::{Beefy, BeefyApiServer},
	sc_consensus_grandpa::{
		FinalityProofProvider, GrandpaJustificationStream, SharedAuthoritySet, SharedVoterState,
	},
	sc_consensus_grandpa_rpc::{Grandpa, GrandpaApiServer},
	sc_rpc::SubscriptionTaskExecutor,
	sc_transaction_pool_api::TransactionPool,
	sp_api::ProvideRuntimeApi,
	sp_block_builder::BlockBuilder,
	sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata},
	sp_consensus_beefy::ecdsa_crypto::AuthorityId as BeefyId,
	sp_runtime::traits::Block as BlockT,
	substrate_frame_rpc_system::{System, SystemApiServer},
};

/// What the GRANDPA RPC methods read.
pub struct GrandpaDeps<B> {
	/// Voting round info.
	pub shared_voter_state: SharedVoterState,
	/// Authority set info.
	pub shared_authority_set: SharedAuthoritySet<<Block as BlockT>::Hash, u32>,
	/// Receives notifications about justification events from GRANDPA.
	pub justification_stream: GrandpaJustificationStream<Block>,
	/// Executor to drive the subscription manager in the GRANDPA RPC handler.
	pub subscription_executor: SubscriptionTaskExecutor,
	/// Finality proof provider.
	pub finality_provider: Arc<FinalityProofProvider<B, Block>>,
}

/// What the BEEFY RPC methods read: the voter's streams.
pub struct BeefyDeps {
	/// The checkpoints (signed commitments) the voter finalizes or imports.
	pub justification_stream: BeefyVersionedFinalityProofStream<Block, BeefyId>,
	/// The voter's latest BEEFY-finalized block.
	pub best_block_stream: BeefyBestBlockStream<Block>,
	/// Executor to drive the subscriptions.
	pub subscription_executor: SubscriptionTaskExecutor,
}

/// Full client dependencies.
pub struct FullDeps<C, P, B: polkadot_sdk::sc_client_api::Backend<Block>> {
	/// The client instance to use.
	pub client: Arc<C>,
	/// Transaction pool instance.
	pub pool: Arc<P>,
	/// GRANDPA state.
	pub grandpa: GrandpaDeps<B>,
	/// BEEFY's streams.
	pub beefy: BeefyDeps,
	/// The offchain database, where the MMR's nodes are indexed (`None` on a node without
	/// offchain storage: no `mmr_*` methods then).
	pub offchain_storage: Option<B::OffchainStorage>,
}

/// Instantiates the RPC extensions.
pub fn create_full<C, P, B>(
	deps: FullDeps<C, P, B>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ AuxStore
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: polkadot_sdk::substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api:
		polkadot_sdk::pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: BlockBuilder<Block>,
	C::Api: polkadot_sdk::sp_mmr_primitives::MmrApi<Block, Hash, BlockNumber>,
	P: TransactionPool + 'static,
	B: polkadot_sdk::sc_client_api::Backend<Block> + Send + Sync + 'static,
	B::State: polkadot_sdk::sc_client_api::StateBackend<
		polkadot_sdk::sp_runtime::traits::HashingFor<Block>,
	>,
{
	let mut module = RpcModule::new(());
	let FullDeps { client, pool, grandpa, beefy, offchain_storage } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	if let Some(offchain_storage) = offchain_storage {
		module.merge(Mmr::new(client, offchain_storage).into_rpc())?;
	}
	module.merge(
		Beefy::<Block, BeefyId>::new(
			beefy.justification_stream,
			beefy.best_block_stream,
			beefy.subscription_executor,
		)?
		.into_rpc(),
	)?;
	module.merge(
		Grandpa::new(
			grandpa.subscription_executor,
			grandpa.shared_authority_set,
			grandpa.shared_voter_state,
			grandpa.justification_stream,
			grandpa.finality_provider,
		)
		.into_rpc(),
	)?;

	Ok(module)
}
