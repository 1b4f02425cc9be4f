//! Genesis presets (`sp-genesis-builder`): what `kmcc-node build-spec --chain <id>` starts
//! from.
//!
//! | preset | DPoS candidates (committee, groups) | money | sudo and foundation (`buyback_burn`) |
//! | --- | --- | --- | --- |
//! | `dev` | Alice (1, 1) | dev accounts endowed | Alice |
//! | `local` | Alice, Bob, Charlie, Dave (4, 2) | dev accounts endowed | Alice |
//! | `testnet` | Alice, Bob, Charlie, Dave (4, 2) | dev accounts endowed | Alice |
//! | `mainnet-template` | the foundation account with Alice's keys (21, 3) | the design §2 genesis table, 500 M KMCC | **no sudo**; foundation for `buyback_burn` |
//!
//! Governance (design §10): dev networks use the `Test` track timing (referenda decided and
//! enacted within a minute or two) and Alice, Bob and Charlie as the technical committee;
//! `mainnet-template` has real periods (hours and days, [`crate::governance::tracks`]), no
//! sudo key (runtime upgrades go through the root track) and an empty technical committee
//! that operators fill in, or that a root referendum sets.
//!
//! DPoS (design §3): dev networks use [`dev_dpos_parameters`] (10-block sessions, 3-session
//! eras, 5 minutes unbonding); `local`'s candidates bond 40,000, 30,000, 20,000 and 10,000 KMCC,
//! so the snake order makes the groups {Alice, Dave} and {Bob, Charlie}. `mainnet-template`
//! uses [`mainnet_dpos_parameters`]: 21 members in 3 groups, 100,000 KMCC minimum deposit,
//! 10-minute sessions, 1-day eras, 7 days unbonding.
//!
//! Every preset uses the design §2 emission split (45 % masternodes, 35 % producers, 20 %
//! storage) and burns 80 % of storage and mail fees.
//!
//! Masternodes (design §4): `mainnet-template` holds 500,000 KMCC of collateral, checks
//! heartbeats every 45 blocks (90 s) and unbonds in 7 days; dev networks hold
//! [`DEV_MASTERNODE_COLLATERAL`], check every 10 blocks and unbond in 5 minutes.
//!
//! Stealth payments (design §8): `mainnet-template` keeps announcements 14 days, dev networks
//! [`DEV_ANNOUNCEMENT_RETENTION`].
//!
//! Mixing pool (design §8): every preset opens pools of 10, 100, 1,000 and 10,000 KMCC;
//! `mainnet-template` requires rings of 16 to 64 keys and caps relayer fees at 1 %, dev
//! networks accept rings from 2 keys ([`dev_mixer_parameters`]) so small test pools work.
//!
//! Mail (design §7): 0.01 KMCC base postage everywhere; `mainnet-template` keeps messages 30
//! days and gives senders a day to deliver a paid attachment's key, dev networks one hour and
//! 15 blocks.
//!
//! Storage spaces (design §5): `mainnet-template` uses [`StorageParameters::default`] (4
//! replicas, 100 KMCC per GiB, `c` = 20 %, 7 days unbonding, blacklisting at 432 faults in a
//! 48 h window, 10 KMCC reports); dev networks use [`dev_storage_parameters`].
//!
//! `mainnet-template` is a template: its allocation accounts are *unspendable placeholders*
//! (hashes with no known key, see [`placeholder_account`]) and its validator is Alice. An
//! operator replaces them with real multisigs and session keys in the plain spec before
//! converting it to raw. Nobody can spend a placeholder's funds, so a spec launched by
//! mistake without editing leaks nothing.

use alloc::{vec, vec::Vec};
use pallet_dpos::DposParameters;
use pallet_genesis_allocation::{AllocationRole, StepUnlock};
use pallet_storage_spaces::StorageParameters;
use polkadot_sdk::{
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_consensus_beefy::ecdsa_crypto::AuthorityId as BeefyId,
	sp_consensus_grandpa::AuthorityId as GrandpaId,
	sp_core::crypto::UncheckedFrom,
	sp_genesis_builder::{self, PresetId},
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
	sp_runtime::{
		traits::{BlakeTwo256, Hash},
		Perbill,
	},
};

use crate::{
	currency::{KMCC, MILLION_KMCC},
	governance::origins::TrackTiming,
	time::MONTHS,
	AccountId, Balance, BalancesConfig, DposConfig, GenesisAllocationConfig, IssuanceConfig,
	MailConfig, MasternodesConfig, MixerConfig, OriginsConfig, RuntimeGenesisConfig, SessionConfig,
	SessionKeys, StealthConfig, StorageSpacesConfig, SudoConfig, TechnicalCommitteeConfig,
};

/// Preset id of the 4-validator public testnet.
pub const TESTNET_PRESET: &str = "testnet";
/// Preset id of the production template with the design §2 allocation.
pub const MAINNET_TEMPLATE_PRESET: &str = "mainnet-template";

/// Masternode collateral on dev/local/testnet chains.
pub const DEV_MASTERNODE_COLLATERAL: Balance = 1_000 * KMCC;

/// How long dev/local/testnet chains keep stealth announcements (one day).
pub const DEV_ANNOUNCEMENT_RETENTION: crate::BlockNumber = crate::time::DAYS;

/// Balance of each endowed dev account on dev/local/testnet chains.
pub const DEV_ENDOWMENT: Balance = 1_000_000 * KMCC;

/// The design §2 genesis table: role, amount, and whether it is locked.
pub const GENESIS_TABLE: [(AllocationRole, Balance, bool); 4] = [
	(AllocationRole::OperationTeam, 150 * MILLION_KMCC, true),
	(AllocationRole::TechnicalTeam, 100 * MILLION_KMCC, true),
	(AllocationRole::ExchangeLiquidity, 100 * MILLION_KMCC, false),
	(AllocationRole::Foundation, 150 * MILLION_KMCC, false),
];

/// Total genesis issuance of `mainnet-template`: 10 % of the 5 B cap.
pub const GENESIS_ISSUANCE: Balance = 500 * MILLION_KMCC;

/// Team unlock (design §2): locked 24 months, then 20 % at month 24 and each month after,
/// fully free at month 28 (a month is 30.4375 days).
pub fn team_unlock() -> StepUnlock<crate::BlockNumber> {
	StepUnlock { first_unlock: 24 * MONTHS, steps: 5, step_period: MONTHS }
}

/// An account nobody holds a key for: `blake2_256("kmcc/genesis/<label>")`. Used as a
/// placeholder in `mainnet-template`.
pub fn placeholder_account(label: &str) -> AccountId {
	let mut preimage = b"kmcc/genesis/".to_vec();
	preimage.extend_from_slice(label.as_bytes());
	AccountId::unchecked_from(BlakeTwo256::hash(&preimage))
}

/// The placeholder account of a genesis role.
pub fn role_account(role: AllocationRole) -> AccountId {
	placeholder_account(match role {
		AllocationRole::OperationTeam => "operation-team",
		AllocationRole::TechnicalTeam => "technical-team",
		AllocationRole::ExchangeLiquidity => "exchange-liquidity",
		AllocationRole::Foundation => "foundation",
	})
}

fn session_keys(aura: AuraId, grandpa: GrandpaId, beefy: BeefyId) -> SessionKeys {
	SessionKeys { aura, grandpa, beefy }
}

/// The BEEFY (secp256k1, compressed) public keys of `//Alice` … `//Ferdie`, as
/// `kmcc-node key inspect --scheme ecdsa //Alice` prints them: the runtime carries no
/// secp256k1 key derivation, so the well-known keys are listed (the `presets` runtime test
/// derives them again).
pub const DEV_BEEFY_KEYS: [(Sr25519Keyring, &str); 6] = [
	(Sr25519Keyring::Alice, "020a1091341fe5664bfa1782d5e04779689068c916b04cb365ec3153755684d9a1"),
	(Sr25519Keyring::Bob, "0390084fdbf27d2b79d26a4f13f0ccd982cb755a661969143c37cbc49ef5b91f27"),
	(Sr25519Keyring::Charlie, "0389411795514af1627765eceffcbd002719f031604fadd7d188e2dc585b4e1afb"),
	(Sr25519Keyring::Dave, "03bc9d0ca094bd5b8b3225d7651eac5d18c1c04bf8ae8f8b263eebca4e1410ed0c"),
	(Sr25519Keyring::Eve, "031d10105e323c4afce225208f71a6441ee327a65b9e646e772500c74d31f669aa"),
	(Sr25519Keyring::Ferdie, "0291f1217d5a04cb83312ee3d88a6e6b33284e053e6ccfc3a90339a0299d12967c"),
];

/// The BEEFY key of dev keyring member `who` ([`DEV_BEEFY_KEYS`]); a member without one
/// gets the spec 115 migration's unusable placeholder.
pub fn dev_beefy_key(who: Sr25519Keyring) -> BeefyId {
	let hex = DEV_BEEFY_KEYS.iter().find(|(k, _)| *k == who).map(|(_, hex)| hex.as_bytes());
	let mut raw = [0u8; 33];
	let decoded = hex.filter(|h| h.len() == 66).is_some_and(|h| {
		raw.iter_mut().zip(h.chunks(2)).all(|(byte, pair)| {
			let digit = |c: u8| (c as char).to_digit(16);
			match (digit(pair[0]), digit(pair[1])) {
				(Some(high), Some(low)) => {
					*byte = (high * 16 + low) as u8;
					true
				}
				_ => false,
			}
		})
	});
	if decoded {
		BeefyId::from(polkadot_sdk::sp_core::ecdsa::Public::from_raw(raw))
	} else {
		crate::configs::checkpoints::placeholder_beefy_key(&who.to_account_id())
	}
}

/// Validator `(account, session keys)` of a dev keyring member.
fn dev_validator(sr: Sr25519Keyring, ed: Ed25519Keyring) -> (AccountId, SessionKeys) {
	(sr.to_account_id(), session_keys(sr.public().into(), ed.public().into(), dev_beefy_key(sr)))
}

fn session_config(validators: Vec<(AccountId, SessionKeys)>) -> SessionConfig {
	SessionConfig {
		keys: validators.into_iter().map(|(acc, keys)| (acc.clone(), acc, keys)).collect(),
		..Default::default()
	}
}

/// DPoS parameters of dev/test networks with a committee of `committee_size` in `groups`
/// groups: 10,000 KMCC minimum deposit, 1 KMCC minimum lease, 10-block (20 s) sessions,
/// 3-session eras, 5 minutes unbonding, commission up to 50 %, offences slash the whole
/// deposit and pay it all to the reporter.
pub fn dev_dpos_parameters(committee_size: u32, groups: u32) -> DposParameters<crate::BlockNumber> {
	DposParameters {
		min_candidate_deposit: 10_000 * KMCC,
		min_lease: KMCC,
		committee_size,
		group_count: groups,
		session_length: 10,
		sessions_per_era: 3,
		unbonding_period: 5 * crate::time::MINUTES,
		max_commission: Perbill::from_percent(50),
		slash_fraction: Perbill::one(),
		reporter_share: Perbill::one(),
	}
}

/// DPoS parameters of `mainnet-template` (design §3): 21 members in 3 groups, 100,000 KMCC
/// minimum deposit, 100 KMCC minimum lease, 10-minute sessions, 1-day eras, 7 days unbonding,
/// commission up to 50 %, offences slash the whole deposit and pay it all to the reporter.
pub fn mainnet_dpos_parameters() -> DposParameters<crate::BlockNumber> {
	DposParameters {
		min_candidate_deposit: 100_000 * KMCC,
		min_lease: 100 * KMCC,
		committee_size: 21,
		group_count: 3,
		session_length: 10 * crate::time::MINUTES,
		sessions_per_era: 144,
		unbonding_period: 7 * crate::time::DAYS,
		max_commission: Perbill::from_percent(50),
		slash_fraction: Perbill::one(),
		reporter_share: Perbill::one(),
	}
}

/// Genesis of a network of dev-keyring validators with endowed dev accounts and sudo. The
/// validators are the DPoS candidates, bonding `deposits` (same order), 10 % commission.
pub fn dev_network_genesis(
	validators: Vec<(AccountId, SessionKeys)>,
	deposits: &[Balance],
	groups: u32,
	endowed: Vec<AccountId>,
	root: AccountId,
	technical_committee: Vec<AccountId>,
) -> RuntimeGenesisConfig {
	let candidates = validators
		.iter()
		.zip(deposits)
		.map(|((account, _), deposit)| (account.clone(), *deposit, Perbill::from_percent(10)))
		.collect();
	let committee_size = validators.len() as u32;
	RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed
				.into_iter()
				.map(|a| (a, DEV_ENDOWMENT))
				.chain(pallet_pots())
				.collect(),
			..Default::default()
		},
		session: session_config(validators),
		issuance: IssuanceConfig { foundation: Some(root.clone()), ..Default::default() },
		masternodes: MasternodesConfig {
			collateral: DEV_MASTERNODE_COLLATERAL,
			heartbeat_period: 10,
			unbonding_period: 5 * crate::time::MINUTES,
		},
		storage_spaces: StorageSpacesConfig { parameters: dev_storage_parameters() },
		stealth: StealthConfig { retention_period: DEV_ANNOUNCEMENT_RETENTION },
		mixer: MixerConfig {
			denominations: crate::configs::privacy::mixer_denominations(),
			parameters: dev_mixer_parameters(),
			..Default::default()
		},
		mail: MailConfig { parameters: crate::configs::mail::DEV_MAIL_PARAMETERS },
		dpos: DposConfig {
			parameters: Some(dev_dpos_parameters(committee_size, groups)),
			candidates,
			leases: Vec::new(),
		},
		sudo: SudoConfig { key: Some(root) },
		origins: OriginsConfig { timing: TrackTiming::Test, ..Default::default() },
		technical_committee: TechnicalCommitteeConfig {
			members: technical_committee,
			..Default::default()
		},
		..Default::default()
	}
}

/// Mixing parameters of dev/test networks: rings of 2 to 64 keys, relayer fees up to 5 %.
pub fn dev_mixer_parameters() -> pallet_mixer::MixerParameters {
	pallet_mixer::MixerParameters {
		min_ring: 2,
		max_ring: 64,
		max_fee: polkadot_sdk::sp_runtime::Permill::from_percent(5),
	}
}

/// Storage parameters of dev/test networks: 4 replicas, 10 KMCC per GiB, `c` = 20 %,
/// 5 minutes unbonding, blacklisting at 3 faults in 10 rounds, reports cost 1 KMCC.
pub fn dev_storage_parameters() -> StorageParameters<crate::BlockNumber> {
	StorageParameters {
		replica_count: 4,
		collateral_per_gib: 10 * crate::KMCC,
		reserve_ratio: polkadot_sdk::sp_runtime::Perbill::from_percent(20),
		unbonding_period: 5 * crate::time::MINUTES,
		max_faults: 3,
		fault_window: 10,
		fault_slash: polkadot_sdk::sp_runtime::Perbill::one(),
		report_fee: crate::KMCC,
	}
}

/// The production template: the design §2 table on placeholder accounts, team allocations
/// locked by [`team_unlock`], no sudo key (governance by referendum), the foundation as the one
/// genesis DPoS candidate (100,000 KMCC of its 150 M bonded) with Alice's session keys as
/// placeholders: operators replace the keys and add their candidates.
pub fn mainnet_template_genesis() -> RuntimeGenesisConfig {
	let allocations = GENESIS_TABLE
		.iter()
		.map(|(role, amount, locked)| {
			(*role, role_account(*role), *amount, locked.then(team_unlock))
		})
		.collect();
	let foundation = role_account(AllocationRole::Foundation);
	let (_, alice_keys) = dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice);
	RuntimeGenesisConfig {
		balances: BalancesConfig { balances: pallet_pots().collect(), ..Default::default() },
		genesis_allocation: GenesisAllocationConfig { allocations },
		session: session_config(vec![(foundation.clone(), alice_keys)]),
		dpos: DposConfig {
			parameters: Some(mainnet_dpos_parameters()),
			candidates: vec![(foundation.clone(), 100_000 * KMCC, Perbill::from_percent(10))],
			leases: Vec::new(),
		},
		issuance: IssuanceConfig {
			foundation: Some(role_account(AllocationRole::Foundation)),
			..Default::default()
		},
		stealth: StealthConfig {
			retention_period: crate::configs::privacy::ANNOUNCEMENT_RETENTION,
		},
		mixer: MixerConfig {
			denominations: crate::configs::privacy::mixer_denominations(),
			parameters: crate::configs::privacy::MAINNET_MIXER_PARAMETERS,
			..Default::default()
		},
		mail: MailConfig { parameters: crate::configs::mail::MAINNET_MAIL_PARAMETERS },
		// No sudo: runtime upgrades and parameter changes go through referenda.
		sudo: SudoConfig { key: None },
		..Default::default()
	}
}

/// The accounts SDK pallets create at genesis with their existential deposit: the treasury's
/// pot and `Revive`'s account (the owner of code uploaded by root). Their genesis would mint
/// it after `Issuance` recorded the genesis issuance; endowed here, it is part of the genesis
/// issuance the ledger records (design §2: 500 M KMCC plus these 0.002 KMCC on mainnet).
fn pallet_pots() -> impl Iterator<Item = (AccountId, Balance)> {
	[
		crate::governance::TreasuryAccount::get(),
		polkadot_sdk::pallet_revive::Pallet::<crate::Runtime>::account_id(),
	]
	.into_iter()
	.map(|account| (account, crate::EXISTENTIAL_DEPOSIT))
}

/// The technical committee of dev networks: Alice, Bob and Charlie (two of them whitelist).
fn technical_committee() -> Vec<AccountId> {
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]
		.iter()
		.map(|k| k.to_account_id())
		.collect()
}

fn local_validators() -> Vec<(AccountId, SessionKeys)> {
	vec![
		dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
		dev_validator(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		dev_validator(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		dev_validator(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
	]
}

/// The typed genesis of a preset, or `None` for an unknown id.
pub fn preset_genesis(id: &PresetId) -> Option<RuntimeGenesisConfig> {
	let endowed = || Sr25519Keyring::iter().map(|k| k.to_account_id()).collect::<Vec<_>>();
	let alice = Sr25519Keyring::Alice.to_account_id();
	Some(match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => dev_network_genesis(
			vec![dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
			&[100_000 * KMCC],
			1,
			endowed(),
			alice,
			technical_committee(),
		),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET | TESTNET_PRESET => dev_network_genesis(
			local_validators(),
			&[40_000 * KMCC, 30_000 * KMCC, 20_000 * KMCC, 10_000 * KMCC],
			2,
			endowed(),
			alice,
			technical_committee(),
		),
		MAINNET_TEMPLATE_PRESET => mainnet_template_genesis(),
		_ => return None,
	})
}

/// The JSON of a preset, as the `GenesisBuilder` runtime API returns it.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let genesis = preset_genesis(id)?;
	serde_json::to_vec(&genesis).ok()
}

/// The ids `get_preset` knows.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(TESTNET_PRESET),
		PresetId::from(MAINNET_TEMPLATE_PRESET),
	]
}
