//! Runtime APIs: what the node, wallets (`api.call.*` in `@polkadot/api`) and tools call.

use alloc::{vec, vec::Vec};
use polkadot_sdk::{
	frame_support::{genesis_builder_helper::build_state, weights::Weight},
	frame_system_rpc_runtime_api, pallet_beefy, pallet_beefy_mmr, pallet_mmr, pallet_revive,
	pallet_transaction_payment, pallet_transaction_payment_rpc_runtime_api,
	sp_api::{self, impl_runtime_apis},
	sp_block_builder,
	sp_consensus_aura::{self, sr25519::AuthorityId as AuraId},
	sp_consensus_beefy::{
		self,
		ecdsa_crypto::{AuthorityId as BeefyId, Signature as BeefySignature},
	},
	sp_consensus_grandpa::{self, AuthorityId as GrandpaId},
	sp_core::{crypto::KeyTypeId, OpaqueMetadata},
	sp_genesis_builder, sp_inherents, sp_offchain,
	sp_runtime::{
		traits::{Block as BlockT, NumberFor},
		transaction_validity::{TransactionSource, TransactionValidity},
		ApplyExtrinsicResult, ExtrinsicInclusionMode,
	},
	sp_session, sp_transaction_pool,
	sp_version::RuntimeVersion,
};

/// The MMR's types, as `MmrApi` names them.
mod mmr {
	pub use polkadot_sdk::pallet_mmr::primitives::*;

	pub type Leaf =
		<<crate::Runtime as polkadot_sdk::pallet_mmr::Config>::LeafData as LeafDataProvider>::LeafData;
	pub type Hashing = <crate::Runtime as polkadot_sdk::pallet_mmr::Config>::Hashing;
	pub type Hash = <Hashing as polkadot_sdk::sp_runtime::traits::Hash>::Output;
}

use crate::{
	genesis_config_presets, AccountId, Aura, Balance, Beefy, BeefyMmrLeaf, Block, BlockNumber,
	Dpos, Executive, Grandpa, Historical, InherentDataExt, Issuance, Mail, Masternodes, Mixer, Mmr,
	Nonce, Runtime, RuntimeCall, RuntimeGenesisConfig, SessionKeys, Stealth, StorageSpaces, System,
	TransactionPayment, VERSION,
};

// `impl_runtime_apis!` with `ReviveApi` added: what the Ethereum JSON-RPC adapter calls (balances,
// nonces, gas estimates, dry runs, Ethereum blocks and receipts), and `SetWeightLimit` for
// `RuntimeCall`, through which `Revive` caps an Ethereum transaction's weight to its gas limit.
pallet_revive::impl_runtime_apis_plus_revive_traits! {
	Runtime,
	Revive,
	Executive,
	crate::configs::evm::EthExtraImpl,

	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		/// `Dpos`' authoring schedule: the session's group, and the rest of the committee
		/// once the group left its slots empty (design §3).
		fn authorities() -> Vec<AuraId> {
			crate::configs::dpos::AuthoringSchedule::authorities()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			let key_owner_proof = key_owner_proof.decode()?;
			Grandpa::submit_unsigned_equivocation_report(equivocation_proof, key_owner_proof)
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			use codec::Encode;
			use polkadot_sdk::frame_support::traits::KeyOwnerProofSystem;
			// A proof against the current session's validator set (what GRANDPA checks
			// against the set id's session).
			Historical::prove((sp_consensus_grandpa::KEY_TYPE, authority_id))
				.map(|proof| proof.encode())
				.map(sp_consensus_grandpa::OpaqueKeyOwnershipProof::new)
		}
	}

	#[api_version(6)]
	impl sp_consensus_beefy::BeefyApi<Block, BeefyId> for Runtime {
		fn beefy_genesis() -> Option<BlockNumber> {
			pallet_beefy::GenesisBlock::<Runtime>::get()
		}

		fn validator_set() -> Option<sp_consensus_beefy::ValidatorSet<BeefyId>> {
			Beefy::validator_set()
		}

		fn submit_report_double_voting_unsigned_extrinsic(
			equivocation_proof: sp_consensus_beefy::DoubleVotingProof<
				BlockNumber,
				BeefyId,
				BeefySignature,
			>,
			key_owner_proof: sp_consensus_beefy::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			Beefy::submit_unsigned_double_voting_report(equivocation_proof, key_owner_proof.decode()?)
		}

		fn submit_report_fork_voting_unsigned_extrinsic(
			equivocation_proof: sp_consensus_beefy::ForkVotingProof<
				<Block as BlockT>::Header,
				BeefyId,
				polkadot_sdk::sp_runtime::OpaqueValue,
			>,
			key_owner_proof: sp_consensus_beefy::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			Beefy::submit_unsigned_fork_voting_report(
				equivocation_proof.try_into()?,
				key_owner_proof.decode()?,
			)
		}

		fn submit_report_future_block_voting_unsigned_extrinsic(
			equivocation_proof: sp_consensus_beefy::FutureBlockVotingProof<BlockNumber, BeefyId>,
			key_owner_proof: sp_consensus_beefy::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			Beefy::submit_unsigned_future_block_voting_report(
				equivocation_proof,
				key_owner_proof.decode()?,
			)
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_beefy::ValidatorSetId,
			authority_id: BeefyId,
		) -> Option<sp_consensus_beefy::OpaqueKeyOwnershipProof> {
			use codec::Encode;
			use polkadot_sdk::frame_support::traits::KeyOwnerProofSystem;
			Historical::prove((sp_consensus_beefy::KEY_TYPE, authority_id))
				.map(|proof| proof.encode())
				.map(sp_consensus_beefy::OpaqueKeyOwnershipProof::new)
		}
	}

	#[api_version(3)]
	impl mmr::MmrApi<Block, mmr::Hash, BlockNumber> for Runtime {
		fn mmr_root() -> Result<mmr::Hash, mmr::Error> {
			Ok(pallet_mmr::RootHash::<Runtime>::get())
		}

		fn mmr_leaf_count() -> Result<mmr::LeafIndex, mmr::Error> {
			Ok(pallet_mmr::NumberOfLeaves::<Runtime>::get())
		}

		fn generate_proof(
			block_numbers: Vec<BlockNumber>,
			best_known_block_number: Option<BlockNumber>,
		) -> Result<(Vec<mmr::EncodableOpaqueLeaf>, mmr::LeafProof<mmr::Hash>), mmr::Error> {
			Mmr::generate_proof(block_numbers, best_known_block_number).map(|(leaves, proof)| {
				(leaves.iter().map(mmr::EncodableOpaqueLeaf::from_leaf).collect(), proof)
			})
		}

		fn generate_ancestry_proof(
			prev_block_number: BlockNumber,
			best_known_block_number: Option<BlockNumber>,
		) -> Result<mmr::AncestryProof<mmr::Hash>, mmr::Error> {
			Mmr::generate_ancestry_proof(prev_block_number, best_known_block_number)
		}

		fn verify_proof(
			leaves: Vec<mmr::EncodableOpaqueLeaf>,
			proof: mmr::LeafProof<mmr::Hash>,
		) -> Result<(), mmr::Error> {
			use codec::DecodeAll;
			// Each leaf must decode exactly: with trailing bytes, a leaf would be verified as
			// the leaf its prefix decodes to, and a client would accept bytes the MMR never held.
			let leaves = leaves
				.into_iter()
				.map(|leaf| {
					mmr::Leaf::decode_all(&mut leaf.into_opaque_leaf().0.as_slice())
						.map_err(|_| mmr::Error::Verify)
				})
				.collect::<Result<Vec<mmr::Leaf>, mmr::Error>>()?;
			Mmr::verify_leaves(leaves, proof)
		}

		fn verify_proof_stateless(
			root: mmr::Hash,
			leaves: Vec<mmr::EncodableOpaqueLeaf>,
			proof: mmr::LeafProof<mmr::Hash>,
		) -> Result<(), mmr::Error> {
			let nodes = leaves
				.into_iter()
				.map(|leaf| mmr::DataOrHash::Data(leaf.into_opaque_leaf()))
				.collect();
			pallet_mmr::verify_leaves_proof::<mmr::Hashing, _>(root, nodes, proof)
		}
	}

	impl pallet_beefy_mmr::BeefyMmrApi<Block, mmr::Hash> for Runtime {
		fn authority_set_proof() -> sp_consensus_beefy::mmr::BeefyAuthoritySet<mmr::Hash> {
			BeefyMmrLeaf::authority_set_proof()
		}

		fn next_authority_set_proof() -> sp_consensus_beefy::mmr::BeefyNextAuthoritySet<mmr::Hash> {
			BeefyMmrLeaf::next_authority_set_proof()
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_kmcc_issuance::runtime_api::IssuanceApi<Block, BlockNumber, Balance> for Runtime {
		fn issuance_info() -> pallet_kmcc_issuance::runtime_api::IssuanceInfo<BlockNumber, Balance> {
			Issuance::issuance_info()
		}
	}

	impl pallet_masternodes::runtime_api::MasternodesApi<Block, AccountId, BlockNumber> for Runtime {
		fn masternodes() -> Vec<pallet_masternodes::runtime_api::MasternodeInfo<AccountId, BlockNumber>> {
			Masternodes::masternode_infos()
		}
		fn estimated_income(n: u32) -> pallet_masternodes::IncomeEstimate {
			Masternodes::estimated_income(n)
		}
	}

	impl pallet_stealth::runtime_api::StealthApi<Block, AccountId, BlockNumber> for Runtime {
		fn announcements(
			from_id: pallet_stealth::AnnouncementId,
			limit: u32,
		) -> pallet_stealth::AnnouncementsPage<AccountId, BlockNumber> {
			Stealth::announcements(from_id, limit)
		}
		fn meta_address(who: AccountId) -> Option<([u8; 32], [u8; 32])> {
			Stealth::meta_address(&who).map(|meta| (meta.view, meta.spend))
		}
	}

	impl pallet_mixer::runtime_api::MixerApi<Block, BlockNumber> for Runtime {
		fn pools() -> Vec<pallet_mixer::PoolStatus> {
			Mixer::pools()
		}
		fn keys(
			denomination: Balance,
			from: pallet_mixer::DepositIndex,
			limit: u32,
		) -> pallet_mixer::KeysPage<BlockNumber> {
			Mixer::keys(denomination, from, limit)
		}
		fn is_spent(key_image: [u8; 32]) -> bool {
			pallet_mixer::SpentKeyImages::<Runtime>::contains_key(key_image)
		}
		fn deposit_of(key: [u8; 32]) -> Option<(Balance, pallet_mixer::DepositIndex)> {
			pallet_mixer::DepositOf::<Runtime>::get(key)
		}
		fn parameters() -> pallet_mixer::MixerParameters {
			pallet_mixer::Parameters::<Runtime>::get()
		}
	}

	impl pallet_mail::runtime_api::MailApi<Block, AccountId, BlockNumber> for Runtime {
		fn resolve_alias(name: Vec<u8>) -> Option<pallet_mail::MailAddress<AccountId>> {
			Mail::resolve_alias(name)
		}
		fn address(account: AccountId) -> pallet_mail::MailAddress<AccountId> {
			Mail::address(account)
		}
		fn mailbox(
			account: AccountId,
			from: u32,
			limit: u32,
		) -> pallet_mail::MailboxPage<AccountId, BlockNumber> {
			Mail::mailbox(account, from, limit)
		}
		fn message(id: pallet_mail::MessageId) -> Option<pallet_mail::MessageView<AccountId, BlockNumber>> {
			pallet_mail::Messages::<Runtime>::get(id).map(|message| Mail::view(id, message))
		}
		fn attachment_status(
			id: pallet_mail::MessageId,
		) -> Option<pallet_mail::AttachmentStatus<BlockNumber>> {
			Mail::attachment_status(id)
		}
		fn attachments_in_space(space: u64) -> Vec<(pallet_mail::MessageId, u64, u64)> {
			Mail::attachments_in_space(space)
		}
		fn parameters() -> pallet_mail::MailParameters<BlockNumber> {
			pallet_mail::Parameters::<Runtime>::get()
		}
	}

	impl pallet_storage_spaces::runtime_api::StorageSpacesApi<Block, AccountId, BlockNumber> for Runtime {
		fn market() -> pallet_storage_spaces::runtime_api::MarketInfo {
			StorageSpaces::market_info()
		}
		fn quote(size_mib: u32, days: u32) -> Option<pallet_storage_spaces::runtime_api::Quote> {
			StorageSpaces::quote(size_mib, days)
		}
		fn spaces_of(owner: AccountId) -> Vec<pallet_storage_spaces::runtime_api::SpaceInfo<AccountId>> {
			StorageSpaces::spaces_of(owner)
		}
		fn landlord(who: AccountId) -> Option<pallet_storage_spaces::runtime_api::LandlordInfo<BlockNumber>> {
			StorageSpaces::landlord_info(who)
		}
		fn challenge() -> pallet_storage_spaces::runtime_api::ChallengeInfo<BlockNumber> {
			StorageSpaces::challenge_info()
		}
		fn challenge_window(group: pallet_storage_spaces::GroupId) -> pallet_storage_spaces::ChallengeWindow {
			StorageSpaces::challenge_window(group)
		}
	}

	impl pallet_dpos::runtime_api::DposApi<Block, AccountId> for Runtime {
		fn candidates() -> Vec<pallet_dpos::CandidateSummary<AccountId>> {
			Dpos::candidate_summaries()
		}
		fn committee() -> pallet_dpos::CommitteeSummary<AccountId> {
			Dpos::committee_summary()
		}
		fn leases_of(holder: AccountId) -> Vec<pallet_dpos::LeaseSummary<AccountId>> {
			Dpos::lease_summaries(&holder)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			polkadot_sdk::frame_support::genesis_builder_helper::get_preset::<RuntimeGenesisConfig>(
				id,
				genesis_config_presets::get_preset,
			)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			genesis_config_presets::preset_names()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl polkadot_sdk::frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<polkadot_sdk::frame_benchmarking::BenchmarkList>,
			Vec<polkadot_sdk::frame_support::traits::StorageInfo>,
		) {
			use polkadot_sdk::frame_benchmarking::{BenchmarkList, baseline::Pallet as BaselineBench};
			use polkadot_sdk::frame_support::traits::StorageInfoTrait;
			use polkadot_sdk::frame_system_benchmarking::{
				Pallet as SystemBench, extensions::Pallet as SystemExtensionsBench,
			};
			use crate::session_benchmarking::Pallet as SessionBench;
			use crate::*;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);
			let storage_info = AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		#[allow(non_local_definitions)]
		fn dispatch_benchmark(
			config: polkadot_sdk::frame_benchmarking::BenchmarkConfig
		) -> Result<Vec<polkadot_sdk::frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use polkadot_sdk::frame_benchmarking::{BenchmarkBatch, baseline::Pallet as BaselineBench};
			use polkadot_sdk::frame_support::traits::WhitelistedStorageKeys;
			use polkadot_sdk::frame_system_benchmarking::{
				Pallet as SystemBench, extensions::Pallet as SystemExtensionsBench,
			};
			use crate::session_benchmarking::Pallet as SessionBench;
			use polkadot_sdk::sp_storage::TrackedStorageKey;
			use crate::*;

			impl polkadot_sdk::frame_system_benchmarking::Config for Runtime {}
			impl polkadot_sdk::frame_benchmarking::baseline::Config for Runtime {}

			let mut whitelist: Vec<TrackedStorageKey> = AllPalletsWithSystem::whitelisted_storage_keys();
			// The DPoS reward pot's account: every block's emission and fees go through it, so
			// a transaction finds it in the block's overlay; its one database read and write
			// per block are charged in `Dpos::on_initialize`.
			whitelist.push(
				polkadot_sdk::frame_system::Account::<Runtime>::hashed_key_for(Dpos::reward_pot())
					.into(),
			);
			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl polkadot_sdk::frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(
			checks: polkadot_sdk::frame_try_runtime::UpgradeCheckSelect,
		) -> (Weight, Weight) {
			// Only built with the `try-runtime` feature, never into the on-chain WASM. The API
			// has no error channel: the try-runtime tool reports a panic with its reason.
			let weight = Executive::try_runtime_upgrade(checks)
				.unwrap_or_else(|e| panic!("try_runtime_upgrade failed: {e:?}"));
			(weight, crate::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: polkadot_sdk::frame_try_runtime::TryStateSelect,
		) -> Weight {
			// As above: an off-chain check whose only way to fail is to panic with the reason.
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.unwrap_or_else(|e| panic!("try_execute_block failed: {e:?}"))
		}
	}
}
