//! DPoS committees (design §3): `Dpos` elects the committee every era and is the session
//! pallet's `SessionManager`; the whole committee votes in GRANDPA while [`AuraGroup`] hands
//! Aura only the keys of the session's authoring group, in `Dpos`' voting-right order.
//!
//! Rewards: `Dpos` receives the producer share of each block's emission (`Issuance`'s
//! `ProducerReward`) and every transaction's fee and tip (`TransactionPayment`), and shares
//! them between the author's candidate and its lessors. Slashes not paid to a reporter, and
//! rewards of blocks without a known author, go to the treasury, so nothing is burned
//! outside the issuance ledger.
//!
//! Liveness: [`AuthoringSchedule`] is Aura's authority list. A group that leaves
//! [`FALLBACK_AFTER_SLOTS`] slots (at least its size) without a block hands its slots to the
//! other committee members for the rest of the session (design §3).
//!
//! Session length and era length are `Dpos` parameters (genesis, root): 10 blocks (20 s) and
//! 3 sessions on dev networks, 300 blocks (10 min) and 144 sessions (1 day) on mainnet.

use kmcc_primitives::pallet_ids::DPOS_REWARD_POT;
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{
			tokens::imbalance::ResolveTo, ConstU32, ConstU64, Contains, EitherOf, FindAuthor, Get,
			OneSessionHandler,
		},
		BoundedVec, PalletId,
	},
	frame_system::EnsureRoot,
	pallet_aura,
	sp_consensus_aura::{sr25519::AuthorityId as AuraId, AURA_ENGINE_ID},
	sp_runtime::{BoundToRuntimeAppPublic, ConsensusEngineId, RuntimeAppPublic},
	sp_staking::SessionIndex,
};

use crate::{
	configs::{
		consensus::{MAX_AUTHORITIES, SESSION_PERIOD, SLASHABLE_SESSIONS},
		storage::ParentHashRandomness,
	},
	AccountId, Balances, BlockNumber, Dpos, Historical, Runtime, RuntimeFreezeReason,
	RuntimeHoldReason,
};
use alloc::vec::Vec;

parameter_types! {
	pub const DposPalletId: PalletId = PalletId(DPOS_REWARD_POT);
}

/// Empty slots (12 s), and at least a group's size, after which the rest of the committee may
/// author. A group with one member down still fills every other slot; only a group that
/// missed every turn hands over.
pub const FALLBACK_AFTER_SLOTS: u64 = 6;

impl pallet_dpos::Config for Runtime {
	type Currency = Balances;
	/// Deposits and leases never reuse frozen funds (vesting) or each other (both holds).
	type Frozen = kmcc_primitives::funds::SystemAccountFrozen<Runtime>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type AuthorityId = AuraId;
	type SessionKeys = QueuedAuraKeys;
	type HasSessionKeys = WithSessionKeys;
	type BlockAuthor = BlockAuthor;
	type CurrentSlot = CurrentAuraSlot;
	type FallbackAfterSlots = ConstU64<FALLBACK_AFTER_SLOTS>;
	type Randomness = ParentHashRandomness;
	/// Slashes no reporter claimed go to the treasury (design §10), which holders spend by
	/// referendum.
	type SlashDestination = ResolveTo<crate::governance::TreasuryAccount, Balances>;
	type PalletId = DposPalletId;
	/// The election reads every candidate once; 256 keeps it well inside a block.
	type MaxCandidates = ConstU32<256>;
	type MaxCommitteeSize = ConstU32<MAX_AUTHORITIES>;
	type MaxGroups = ConstU32<16>;
	type MaxLeasesPerHolder = ConstU32<16>;
	type MaxUnbondingChunks = ConstU32<32>;
	/// Double-authoring reports are also limited to `BlockHashCount` (4,096 blocks): 64
	/// sessions cover that window on dev networks (10-block sessions), 14 on mainnet.
	type ReportableSessions = ConstU32<64>;
	/// Root, or a referendum on the `staking_admin` track.
	type AdminOrigin = EitherOf<EnsureRoot<crate::AccountId>, crate::governance::StakingAdmin>;
	type WeightInfo = pallet_dpos::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkSessionKeys;
}

/// `Dpos` as the session manager of `Historical`: the same validator sets, each identified by
/// its account alone, and the oldest stored session root pruned once it is more than
/// [`SLASHABLE_SESSIONS`] sessions old (so `Historical` keeps a bounded window).
pub struct DposSessionHistory;

impl DposSessionHistory {
	fn identified(validators: Option<Vec<AccountId>>) -> Option<Vec<(AccountId, ())>> {
		validators.map(|v| v.into_iter().map(|who| (who, ())).collect())
	}
}

impl pallet_session::SessionManager<AccountId> for DposSessionHistory {
	fn new_session(new_index: SessionIndex) -> Option<Vec<AccountId>> {
		<Dpos as pallet_session::SessionManager<AccountId>>::new_session(new_index)
	}
	fn new_session_genesis(new_index: SessionIndex) -> Option<Vec<AccountId>> {
		<Dpos as pallet_session::SessionManager<AccountId>>::new_session_genesis(new_index)
	}
	fn end_session(end_index: SessionIndex) {
		<Dpos as pallet_session::SessionManager<AccountId>>::end_session(end_index)
	}
	fn start_session(start_index: SessionIndex) {
		<Dpos as pallet_session::SessionManager<AccountId>>::start_session(start_index)
	}
}

impl pallet_session::historical::SessionManager<AccountId, ()> for DposSessionHistory {
	fn new_session(new_index: SessionIndex) -> Option<Vec<(AccountId, ())>> {
		if let Some(expired) = new_index.checked_sub(SLASHABLE_SESSIONS) {
			if pallet_session::historical::StoredRange::<Runtime>::get()
				.is_some_and(|(first, _)| first <= expired)
			{
				Historical::prune_up_to(expired.saturating_add(1));
			}
		}
		Self::identified(<Self as pallet_session::SessionManager<AccountId>>::new_session(
			new_index,
		))
	}
	fn new_session_genesis(new_index: SessionIndex) -> Option<Vec<(AccountId, ())>> {
		Self::identified(<Self as pallet_session::SessionManager<AccountId>>::new_session_genesis(
			new_index,
		))
	}
	fn end_session(end_index: SessionIndex) {
		<Self as pallet_session::SessionManager<AccountId>>::end_session(end_index)
	}
	fn start_session(start_index: SessionIndex) {
		<Self as pallet_session::SessionManager<AccountId>>::start_session(start_index)
	}
}

/// Blocks per session from `Dpos`' parameters (10 minutes before they exist).
pub struct DposSessionLength;
impl Get<BlockNumber> for DposSessionLength {
	fn get() -> BlockNumber {
		Dpos::session_length().filter(|l| *l > 0).unwrap_or(SESSION_PERIOD)
	}
}

/// The author of the current block (from the Aura pre-runtime digest).
pub struct BlockAuthor;
impl Get<Option<AccountId>> for BlockAuthor {
	fn get() -> Option<AccountId> {
		polkadot_sdk::pallet_authorship::Pallet::<Runtime>::author()
	}
}

/// The current Aura slot.
pub struct CurrentAuraSlot;
impl Get<u64> for CurrentAuraSlot {
	fn get() -> u64 {
		*pallet_aura::CurrentSlot::<Runtime>::get()
	}
}

/// Accounts with session keys registered (`session.setKeys`).
pub struct WithSessionKeys;
impl Contains<AccountId> for WithSessionKeys {
	fn contains(who: &AccountId) -> bool {
		pallet_session::NextKeys::<Runtime>::contains_key(who)
	}
}

/// The validators of the session that is starting with their Aura keys: the session pallet's
/// queued keys, which it replaces with the next session's only after `Dpos` has recorded them.
pub struct QueuedAuraKeys;
impl pallet_dpos::SessionAuthoringKeys<AccountId, AuraId> for QueuedAuraKeys {
	fn starting() -> Vec<(AccountId, AuraId)> {
		pallet_session::QueuedKeys::<Runtime>::get()
			.into_iter()
			.map(|(who, keys)| (who, keys.aura))
			.collect()
	}
}

/// The owner of an Aura key, from the session pallet's key-owner map.
pub struct AuraKeyOwner;
impl AuraKeyOwner {
	pub fn owner(key: &AuraId) -> Option<AccountId> {
		pallet_session::Pallet::<Runtime>::key_owner(AuraId::ID, &key.to_raw_vec())
	}
}

/// Aura's authority list as the node sees it: `Dpos`' authoring schedule (entry `s mod len`
/// seals slot `s`), computed from the state after the current block. It starts with the
/// session's group in Aura's own order and, after the group's slots went empty, gives slots to
/// the other committee members ([`pallet_dpos::schedule`]). Without recorded session keys
/// (before `Dpos` records any) it is Aura's stored authorities.
pub struct AuthoringSchedule;
impl AuthoringSchedule {
	pub fn authorities() -> Vec<AuraId> {
		let schedule = Dpos::authoring_schedule();
		if schedule.is_empty() {
			return pallet_aura::Authorities::<Runtime>::get().into_inner();
		}
		schedule.into_iter().map(|(_, key)| key).collect()
	}
}

/// The account of a block's author: the schedule's author of the digest's slot, with the key
/// recorded for the session (so a key rotated with `session.setKeys` mid-session still
/// resolves); without recorded keys, the owner of Aura's stored authority for the slot.
///
/// Runs in `Authorship`'s `on_initialize` (which caches it for the block), before `Dpos`
/// notes the slot and before `Session` may rotate, so it reads the parent block's schedule,
/// the one the node checked the seal against.
pub struct AuraKeyAuthor;
impl FindAuthor<AccountId> for AuraKeyAuthor {
	fn find_author<'a, I>(digests: I) -> Option<AccountId>
	where
		I: 'a + IntoIterator<Item = (ConsensusEngineId, &'a [u8])>,
	{
		use codec::Decode;
		let digests: Vec<(ConsensusEngineId, &'a [u8])> = digests.into_iter().collect();
		let slot = digests.iter().find(|(id, _)| *id == AURA_ENGINE_ID).and_then(|(_, data)| {
			polkadot_sdk::sp_consensus_aura::Slot::decode(&mut &data[..]).ok()
		})?;
		if let Some(author) = Dpos::slot_author(*slot) {
			return Some(author);
		}
		let index = <pallet_aura::Pallet<Runtime> as FindAuthor<u32>>::find_author(digests)?;
		let key = pallet_aura::Authorities::<Runtime>::get().get(index as usize)?.clone();
		AuraKeyOwner::owner(&key)
	}
}

/// Aura's session handler, restricted to the session's authoring group.
///
/// The session pallet hands every handler the whole committee's keys; GRANDPA takes them
/// all, this handler passes Aura only the keys of `Dpos::session_authors()`, in that order
/// (Aura gives slot `k` to author `k mod n`). If the group has no usable key (every member
/// slashed or without an Aura key) Aura keeps all validators, so blocks never stop.
pub struct AuraGroup;

impl BoundToRuntimeAppPublic for AuraGroup {
	type Public = AuraId;
}

impl AuraGroup {
	fn authors<'a, I>(validators: I) -> Option<BoundedVec<AuraId, ConstU32<MAX_AUTHORITIES>>>
	where
		I: Iterator<Item = (&'a AccountId, AuraId)> + 'a,
	{
		let keys: alloc::vec::Vec<(&AccountId, AuraId)> = validators.collect();
		let mut group: alloc::vec::Vec<AuraId> = Dpos::session_authors()
			.iter()
			.filter_map(|who| keys.iter().find(|(v, _)| *v == who).map(|(_, k)| k.clone()))
			.collect();
		if group.is_empty() {
			group = keys.into_iter().map(|(_, k)| k).collect();
		}
		BoundedVec::try_from(group).ok()
	}
}

impl OneSessionHandler<AccountId> for AuraGroup {
	type Key = AuraId;

	fn on_genesis_session<'a, I>(validators: I)
	where
		I: Iterator<Item = (&'a AccountId, AuraId)> + 'a,
	{
		if let Some(group) = Self::authors(validators) {
			pallet_aura::Pallet::<Runtime>::initialize_authorities(&group);
		}
	}

	fn on_new_session<'a, I>(_changed: bool, validators: I, _queued_validators: I)
	where
		I: Iterator<Item = (&'a AccountId, AuraId)> + 'a,
	{
		// The group changes every session even when the committee does not.
		if let Some(group) = Self::authors(validators) {
			if group != pallet_aura::Authorities::<Runtime>::get() {
				pallet_aura::Pallet::<Runtime>::change_authorities(group);
			}
		}
	}

	fn on_disabled(_validator_index: u32) {}
}

/// Session keys for benchmark accounts: the given Aura key and fresh GRANDPA and BEEFY keys.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkSessionKeys;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_dpos::BenchmarkHelper<AccountId, AuraId> for BenchmarkSessionKeys {
	fn set_session_keys(who: &AccountId, authority: &AuraId) {
		use polkadot_sdk::{
			sp_consensus_beefy::ecdsa_crypto::AuthorityId as BeefyId,
			sp_consensus_grandpa::AuthorityId as GrandpaId,
		};
		let keys = crate::SessionKeys {
			aura: authority.clone(),
			grandpa: GrandpaId::generate_pair(None),
			beefy: BeefyId::generate_pair(None),
		};
		pallet_session::NextKeys::<Runtime>::insert(who, keys);
		pallet_session::KeyOwner::<Runtime>::insert((AuraId::ID, authority.to_raw_vec()), who);
	}
	fn set_current_slot(slot: u64) {
		pallet_aura::CurrentSlot::<Runtime>::put(polkadot_sdk::sp_consensus_aura::Slot::from(slot));
	}
	fn prepare_block_author() {
		// Slot 0 of the genesis schedule: the first member of the session's group, a genesis
		// candidate on every preset.
		use pallet_kmcc_issuance::BenchmarkHelper as _;
		crate::configs::monetary::AuraBlockAuthor::prepare_block_author();
	}
}
