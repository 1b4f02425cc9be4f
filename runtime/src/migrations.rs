//! Runtime-level storage migrations, run by `Executive` when a new `spec_version` is
//! enacted (`frame_system::Config::SingleBlockMigrations`).
//!
//! Pallet migrations go in the pallet's `migrations` module and are listed here. Every
//! storage layout change bumps `spec_version` in [`crate::VERSION`] and adds its migration to
//! [`SingleBlockMigrations`]; a migration is removed once every live network has run it.

use crate::Runtime;
use alloc::vec::Vec;

#[cfg(feature = "upgrade-test")]
pub use upgrade_test::RecordUpgradeProbe;

/// The migrations of this runtime, oldest first, each a no-op where it already ran.
///
/// - spec 101: `Issuance` added; starts its ledger on networks created before it.
/// - spec 102: `Masternodes` added; sets its mainnet parameters on networks created before it.
/// - spec 103: `StorageSpaces` added; sets its mainnet parameters on networks created before it.
/// - spec 104: `Dpos` added; sets its mainnet parameters and adopts the running validators as
///   the committee on networks created before it.
/// - spec 105: `Historical` and `Offences` added (GRANDPA equivocation reports); their storage
///   starts empty (the first session root is stored at the next session, proofs for the
///   current session are computed from the live validator set), so only their storage
///   versions are recorded, as their genesis would have done.
/// - spec 106: `Dpos` storage version 2 (`CandidateList` holds Active candidates only);
///   `StorageSpaces` storage version 2 (`GroupProofs` records the counted data hash);
///   `Issuance` and `Masternodes` record storage version 1 where their spec 101/102
///   migrations did not; session-key deposits held before spec 104 decode again
///   ([`RemapSessionKeyHolds`]).
/// - spec 108: `Dpos` storage version 3 (leases are holds, not freezes: the `Leased` freeze of
///   every holder becomes a `Lease` hold, and what other holds already used is cut).
/// - spec 109: no storage change (the base extrinsic weight stops charging the transaction
///   extensions a second time).
/// - spec 110: `Stealth` added: storage version 1 and the mainnet retention period, as its
///   genesis would have set them.
/// - spec 111: `Mixer` added: storage version 1, the four pools and mainnet's parameters
///   (rings of 16 to 64), as its genesis would have set them.
/// - spec 112: `Mail` added: storage version 1 and mainnet's parameters, as its genesis would
///   have set them.
/// - spec 113: governance (`Preimage`, `Scheduler`, `Referenda`, `ConvictionVoting`,
///   `Origins`, `Whitelist`, `TechnicalCommittee`, `Treasury`) and the account and asset
///   pallets (`Identity`, `Recovery`, `Multisig`, `Proxy`, `Assets`, `Nfts`) added: their
///   storage starts empty, so only their storage versions are recorded. The tracks' timing
///   is `Mainnet` (the default) and the technical committee is empty until a root referendum
///   (or sudo) sets it. A sudo key is kept: sudo stays until the network's operators remove
///   it (`sudo.remove_key`) once governance has enacted a first referendum (README, "Governance").
/// - spec 114: `Htlc` added: its storage starts empty, so only its storage version is
///   recorded.
/// - spec 115: `Mmr`, `Beefy` and `BeefyMmrLeaf` added (checkpoints); the session keys gain a
///   `beefy` key ([`AddBeefyKeys`]). None of the three declares a storage version.
/// - spec 116: `Revive` added (Ethereum contracts): every existing account gets its Ethereum
///   address mapping and the pallet's account is created ([`AddRevive`]). `Revive`'s storage
///   version is 0, so there is none to record.
///
/// The forkless-upgrade test build appends [`UpgradeProbe`].
pub type SingleBlockMigrations = (
	pallet_kmcc_issuance::migrations::InitializeLedger<Runtime>,
	InitializeMasternodes,
	pallet_storage_spaces::migrations::Initialize<Runtime>,
	InitializeDpos,
	InitializeStorageVersion<crate::Historical>,
	InitializeStorageVersion<crate::Offences>,
	pallet_dpos::migrations::MigrateV1ToV2<Runtime>,
	pallet_storage_spaces::migrations::MigrateV1ToV2<Runtime>,
	RemapSessionKeyHolds,
	pallet_dpos::migrations::MigrateV2ToV3<Runtime>,
	pallet_stealth::migrations::Initialize<Runtime, AnnouncementRetention>,
	pallet_mixer::migrations::Initialize<Runtime, MixerDenominations, MainnetMixerParameters>,
	pallet_mail::migrations::Initialize<Runtime, MainnetMailParameters>,
	InitializeGovernance,
	InitializeStorageVersion<crate::Htlc>,
	AddBeefyKeys,
	AddRevive,
	UpgradeProbe,
);

/// Spec 113: the storage versions of the governance, account and asset pallets that declare
/// one (`ConvictionVoting`, `Whitelist`, `Treasury` and `Proxy` do not).
pub type InitializeGovernance = (
	InitializeStorageVersion<crate::Preimage>,
	InitializeStorageVersion<crate::Scheduler>,
	InitializeStorageVersion<crate::Referenda>,
	InitializeStorageVersion<crate::TechnicalCommittee>,
	InitializeStorageVersion<crate::Identity>,
	InitializeStorageVersion<crate::Recovery>,
	InitializeStorageVersion<crate::Multisig>,
	InitializeStorageVersion<crate::Assets>,
	InitializeStorageVersion<crate::Nfts>,
);

/// The forkless-upgrade test runtime's extra migration, whose effect the end-to-end test
/// reads back; nothing in the normal runtime.
#[cfg(feature = "upgrade-test")]
pub type UpgradeProbe = RecordUpgradeProbe;
/// The forkless-upgrade test runtime's extra migration; nothing in the normal runtime.
#[cfg(not(feature = "upgrade-test"))]
pub type UpgradeProbe = ();

polkadot_sdk::frame_support::parameter_types! {
	pub const MainnetMasternodeCollateral: crate::Balance = 500_000 * crate::KMCC;
	pub const MainnetHeartbeatPeriod: crate::BlockNumber = 45;
	pub const MainnetMasternodeUnbonding: crate::BlockNumber = 7 * crate::time::DAYS;
	pub MainnetDposParameters: pallet_dpos::ParametersOf<Runtime> =
		crate::genesis_config_presets::mainnet_dpos_parameters();
	pub RunningValidators: Vec<crate::AccountId> =
		polkadot_sdk::pallet_session::Validators::<Runtime>::get();
	pub RunningSession: u32 = polkadot_sdk::pallet_session::CurrentIndex::<Runtime>::get();
	pub const AnnouncementRetention: crate::BlockNumber =
		crate::configs::privacy::ANNOUNCEMENT_RETENTION;
	pub MixerDenominations: Vec<crate::Balance> =
		crate::configs::privacy::mixer_denominations();
	pub const MainnetMixerParameters: pallet_mixer::MixerParameters =
		crate::configs::privacy::MAINNET_MIXER_PARAMETERS;
	pub const MainnetMailParameters: pallet_mail::MailParameters<crate::BlockNumber> =
		crate::configs::mail::MAINNET_MAIL_PARAMETERS;
}

/// `Dpos` with the `mainnet-template` parameters, adopting the running validators, for
/// networks created before spec 104.
pub type InitializeDpos = pallet_dpos::migrations::Initialize<
	Runtime,
	MainnetDposParameters,
	RunningValidators,
	RunningSession,
>;

/// Records pallet `P`'s in-code storage version on a network that added `P` by upgrade (its
/// genesis never ran there), so that version checks and later versioned migrations see the
/// layout `P` actually has. Does nothing where a version is already recorded.
pub struct InitializeStorageVersion<P>(core::marker::PhantomData<P>);

impl<P> polkadot_sdk::frame_support::traits::OnRuntimeUpgrade for InitializeStorageVersion<P>
where
	P: polkadot_sdk::frame_support::traits::GetStorageVersion<
			InCodeStorageVersion = polkadot_sdk::frame_support::traits::StorageVersion,
		> + polkadot_sdk::frame_support::traits::PalletInfoAccess,
{
	fn on_runtime_upgrade() -> polkadot_sdk::frame_support::weights::Weight {
		let db = <Runtime as polkadot_sdk::frame_system::Config>::DbWeight::get();
		if P::on_chain_storage_version() != 0 {
			return db.reads(1);
		}
		P::in_code_storage_version().put::<P>();
		db.reads_writes(1, 1)
	}
}

/// The pallet index `Session` had before spec 104 (18 since).
pub const OLD_SESSION_INDEX: u8 = 5;

#[polkadot_sdk::frame_support::storage_alias]
/// Set once [`RemapSessionKeyHolds`] has run. Key: `twox128("KmccMigrations") ++
/// twox128("SessionHoldsRemapped")`.
pub type SessionHoldsRemapped =
	StorageValue<KmccMigrations, bool, polkadot_sdk::frame_support::pallet_prelude::ValueQuery>;

/// Spec 104 moved `Session` from pallet index 5 to 18, and a hold reason is encoded as
/// `[pallet index, variant]`: the session-key deposits held before (`[5, 0]`) stopped
/// decoding, so their accounts' holds read as empty. Rewrites every such reason in
/// `Balances::Holds` as `[18, variant]`, once.
///
/// Every hold reason of this runtime is two bytes (pallet index, unit variant); a reason
/// that still does not decode is dropped and logged (it was unusable already). Reads each
/// account with holds once, on the first upgrade only.
pub struct RemapSessionKeyHolds;

impl polkadot_sdk::frame_support::traits::OnRuntimeUpgrade for RemapSessionKeyHolds {
	fn on_runtime_upgrade() -> polkadot_sdk::frame_support::weights::Weight {
		use crate::{Balance, RuntimeHoldReason};
		use codec::{Decode, Encode};
		use polkadot_sdk::{
			frame_support::{storage::unhashed, traits::tokens::IdAmount, BoundedVec},
			pallet_balances::Holds,
		};
		let db = <Runtime as polkadot_sdk::frame_system::Config>::DbWeight::get();
		if SessionHoldsRemapped::get() {
			return db.reads(1);
		}
		let new_index =
			<crate::Session as polkadot_sdk::frame_support::traits::PalletInfoAccess>::index()
				as u8;
		let (mut reads, mut writes) = (1u64, 1u64);
		for who in Holds::<Runtime>::iter_keys().collect::<Vec<_>>() {
			reads = reads.saturating_add(1);
			let key = Holds::<Runtime>::hashed_key_for(&who);
			let Some(raw) = unhashed::get_raw(&key) else { continue };
			let Ok(holds) = Vec::<([u8; 2], Balance)>::decode(&mut raw.as_slice()) else {
				continue;
			};
			if !holds.iter().any(|(id, _)| id[0] == OLD_SESSION_INDEX) {
				continue;
			}
			let remapped: Vec<IdAmount<RuntimeHoldReason, Balance>> = holds
				.into_iter()
				.filter_map(|([pallet, variant], amount)| {
					let pallet = if pallet == OLD_SESSION_INDEX { new_index } else { pallet };
					match RuntimeHoldReason::decode(&mut &[pallet, variant][..]) {
						Ok(id) => Some(IdAmount { id, amount }),
						Err(_) => {
							log::error!(target: "runtime::migrations", "undecodable hold reason {pallet}/{variant} of {who:?} dropped");
							None
						},
					}
				})
				.collect();
			unhashed::put_raw(
				&key,
				&BoundedVec::<
					_,
					polkadot_sdk::frame_support::traits::VariantCountOf<RuntimeHoldReason>,
				>::truncate_from(remapped)
				.encode(),
			);
			writes = writes.saturating_add(1);
		}
		SessionHoldsRemapped::put(true);
		db.reads_writes(reads, writes)
	}
}

polkadot_sdk::sp_runtime::impl_opaque_keys! {
	/// The session keys before spec 115: Aura and GRANDPA.
	pub struct SessionKeysV1 {
		pub aura: crate::Aura,
		pub grandpa: crate::Grandpa,
	}
}

/// Spec 115: every registered validator's session keys gain a `beefy` key, the unusable
/// placeholder [`crate::configs::checkpoints::placeholder_beefy_key`] (`Session` requires one
/// key per key type, unique per validator, and a secp256k1 key cannot be derived from the
/// keys a validator has). Aura and GRANDPA keys are kept, so the validators go on authoring
/// and finalizing.
///
/// BEEFY does not start by itself on such a network: its `GenesisBlock` stays unset. Each
/// validator generates a BEEFY key (`author_rotateKeys`) and registers it
/// (`session.set_keys`); once the sets of two sessions carry real keys, root calls
/// `beefy.set_new_genesis(delay)` (README, "Checkpoints"). Networks created with BEEFY
/// (their genesis session filled its authority set) are left alone, as is a second run.
pub struct AddBeefyKeys;

impl AddBeefyKeys {
	/// Whether BEEFY's state exists: from genesis, or from an earlier run of this migration.
	fn beefy_initialized() -> bool {
		polkadot_sdk::pallet_beefy::SetIdSession::<Runtime>::contains_key(0)
			|| !polkadot_sdk::pallet_beefy::Authorities::<Runtime>::get().is_empty()
	}
}

impl polkadot_sdk::frame_support::traits::OnRuntimeUpgrade for AddBeefyKeys {
	fn on_runtime_upgrade() -> polkadot_sdk::frame_support::weights::Weight {
		use polkadot_sdk::{pallet_beefy, pallet_session};
		let db = <Runtime as polkadot_sdk::frame_system::Config>::DbWeight::get();
		if Self::beefy_initialized() {
			return db.reads(2);
		}
		// Counted as they are upgraded (one pass over `NextKeys`, and the queued keys).
		let upgraded = core::cell::Cell::new(0u64);
		crate::Session::upgrade_keys::<SessionKeysV1, _>(|who, old| {
			upgraded.set(upgraded.get().saturating_add(1));
			crate::SessionKeys {
				aura: old.aura,
				grandpa: old.grandpa,
				beefy: crate::configs::checkpoints::placeholder_beefy_key(&who),
			}
		});
		let registered = upgraded.get();
		// BEEFY's set id 0 belongs to the running session, as its genesis would have recorded.
		pallet_beefy::SetIdSession::<Runtime>::insert(
			0,
			pallet_session::CurrentIndex::<Runtime>::get(),
		);
		// Per upgraded key set (registered or queued): the keys and 2 old and 3 new key
		// owners; plus the queued keys, the session index and the set id.
		db.reads_writes(
			registered.saturating_mul(3).saturating_add(4),
			registered.saturating_mul(6).saturating_add(2),
		)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
		use codec::Encode;
		let registered =
			polkadot_sdk::pallet_session::NextKeys::<Runtime>::iter_keys().count() as u32;
		Ok((Self::beefy_initialized(), registered).encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use codec::Decode;
		use polkadot_sdk::{frame_support::ensure, pallet_session};
		let (initialized, registered) = <(bool, u32)>::decode(&mut state.as_slice())
			.map_err(|_| "AddBeefyKeys: bad pre-upgrade state")?;
		let keys: Vec<_> = pallet_session::NextKeys::<Runtime>::iter().collect();
		ensure!(keys.len() as u32 == registered, "AddBeefyKeys: a validator lost its keys");
		ensure!(Self::beefy_initialized(), "AddBeefyKeys: BEEFY's set 0 has no session");
		if !initialized {
			for (who, keys) in keys {
				let beefy: &[u8] = keys.beefy.as_ref();
				ensure!(
					pallet_session::KeyOwner::<Runtime>::get((
						polkadot_sdk::sp_consensus_beefy::KEY_TYPE,
						beefy.to_vec()
					)) == Some(who),
					"AddBeefyKeys: a BEEFY key has no owner"
				);
			}
		}
		Ok(())
	}
}

/// Spec 116: `Revive` on a network created before it.
///
/// - **Every existing account is mapped** (`OriginalAccount`), as `AutoMap` maps accounts
///   created from now on: without it, a contract paying `msg.sender` would pay the account's
///   Ethereum fallback account instead, and `map_account` is disabled under `AutoMap`.
///   Accounts derived from Ethereum keys (`h ‖ 0xEE × 12`) need no mapping.
/// - **`Revive`'s account** (the owner of code uploaded by root) is created with the
///   existential deposit, moved from the storage subsidy pool: `Revive`'s genesis mints it,
///   which here would bypass the issuance ledger.
///
/// One pass over `System::Account`: a network with millions of accounts would need a
/// multi-block migration instead (the test and public networks have hundreds). Does nothing
/// where `Revive`'s account exists (a genesis-born network, or a second run).
pub struct AddRevive;

impl AddRevive {
	fn pallet_account() -> crate::AccountId {
		polkadot_sdk::pallet_revive::Pallet::<Runtime>::account_id()
	}

	/// Accounts that need a mapping: not derived from an Ethereum key, and not mapped.
	#[cfg(feature = "try-runtime")]
	fn unmapped() -> impl Iterator<Item = crate::AccountId> {
		use polkadot_sdk::pallet_revive::AddressMapper;
		type Mapper = <Runtime as polkadot_sdk::pallet_revive::Config>::AddressMapper;
		polkadot_sdk::frame_system::Account::<Runtime>::iter_keys()
			.filter(|who| !Mapper::is_eth_derived(who) && !Mapper::is_mapped(who))
	}
}

impl polkadot_sdk::frame_support::traits::OnRuntimeUpgrade for AddRevive {
	fn on_runtime_upgrade() -> polkadot_sdk::frame_support::weights::Weight {
		use polkadot_sdk::{
			frame_support::traits::{fungible::Mutate, tokens::Preservation},
			pallet_revive::AddressMapper,
		};
		type Mapper = <Runtime as polkadot_sdk::pallet_revive::Config>::AddressMapper;
		let db = <Runtime as polkadot_sdk::frame_system::Config>::DbWeight::get();
		let pallet_account = Self::pallet_account();
		if polkadot_sdk::frame_system::Pallet::<Runtime>::account_exists(&pallet_account) {
			return db.reads(1);
		}
		let mut accounts = 0u64;
		let mut mapped = 0u64;
		for who in polkadot_sdk::frame_system::Account::<Runtime>::iter_keys() {
			accounts = accounts.saturating_add(1);
			if Mapper::is_eth_derived(&who) || Mapper::is_mapped(&who) {
				continue;
			}
			match Mapper::map_no_deposit_unchecked(&who) {
				Ok(()) => mapped = mapped.saturating_add(1),
				Err(error) => log::error!(
					target: "runtime::migrations",
					"AddRevive: cannot map {who:?}: {error:?}"
				),
			}
		}
		// Created after the pass, so that `AutoMap` maps it like any new account.
		let pool = crate::configs::monetary::StorageSubsidyPool::get();
		if let Err(error) = <crate::Balances as Mutate<_>>::transfer(
			&pool,
			&pallet_account,
			crate::EXISTENTIAL_DEPOSIT,
			Preservation::Preserve,
		) {
			log::error!(target: "runtime::migrations", "AddRevive: no account for Revive: {error:?}");
		}
		log::info!(target: "runtime::migrations", "AddRevive: mapped {mapped} of {accounts} accounts");
		// Per account: its key and its mapping (read); per mapping: the address' original
		// account (written). The transfer: both accounts and the new account's mapping.
		db.reads_writes(accounts.saturating_mul(2).saturating_add(3), mapped.saturating_add(3))
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
		use codec::Encode;
		use polkadot_sdk::frame_support::traits::fungible::Inspect;
		let issuance = <crate::Balances as Inspect<_>>::total_issuance();
		Ok(issuance.encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use codec::Decode;
		use polkadot_sdk::frame_support::{ensure, traits::fungible::Inspect};
		let issuance = crate::Balance::decode(&mut state.as_slice())
			.map_err(|_| "AddRevive: bad pre-upgrade state")?;
		ensure!(Self::unmapped().next().is_none(), "AddRevive: an account is not mapped");
		ensure!(
			polkadot_sdk::frame_system::Pallet::<Runtime>::account_exists(&Self::pallet_account()),
			"AddRevive: Revive has no account"
		);
		ensure!(
			<crate::Balances as Inspect<_>>::total_issuance() == issuance,
			"AddRevive: the total issuance changed"
		);
		Ok(())
	}
}

/// `Masternodes`' parameters as in `mainnet-template`, for networks created before spec 102.
pub type InitializeMasternodes = pallet_masternodes::migrations::InitializeParameters<
	Runtime,
	MainnetMasternodeCollateral,
	MainnetHeartbeatPeriod,
	MainnetMasternodeUnbonding,
>;

#[cfg(feature = "upgrade-test")]
mod upgrade_test {
	use crate::{BlockNumber, Runtime};
	use polkadot_sdk::{
		frame_support::{storage_alias, traits::OnRuntimeUpgrade, weights::Weight},
		frame_system,
	};

	/// `System::block_number()` seen by the upgrade-test migration: the number of the
	/// `set_code` block, since `Executive` runs upgrades before it initializes the next block.
	/// Storage key: `twox128("KmccUpgradeProbe") ++ twox128("MigratedAt")`.
	#[storage_alias]
	pub type MigratedAt = StorageValue<KmccUpgradeProbe, BlockNumber>;

	/// Writes [`MigratedAt`] once: proves that enacting the new code ran its migration.
	pub struct RecordUpgradeProbe;

	impl OnRuntimeUpgrade for RecordUpgradeProbe {
		fn on_runtime_upgrade() -> Weight {
			let db = <Runtime as frame_system::Config>::DbWeight::get();
			if MigratedAt::exists() {
				return db.reads(1);
			}
			MigratedAt::put(frame_system::Pallet::<Runtime>::block_number());
			db.reads_writes(1, 1)
		}
	}
}
