//! The referendum tracks of KMCC Chain.
//!
//! | id | track | origin | max deciding | decision deposit | prepare / decide / confirm / enact (mainnet) | (test) blocks |
//! | --- | --- | --- | --- | --- | --- | --- |
//! | 0 | `root` | `Root`: runtime upgrades, anything | 1 | 100,000 KMCC | 2 h / 14 d / 1 d / 1 d | 2 / 40 / 4 / 3 |
//! | 1 | `whitelisted_caller` | `WhitelistedCaller` | 100 | 10,000 KMCC | 30 min / 14 d / 10 min / 10 min | 1 / 20 / 2 / 1 |
//! | 10 | `issuance_admin` | `IssuanceAdmin` | 10 | 5,000 KMCC | 2 h / 14 d / 3 h / 10 min | 2 / 30 / 3 / 2 |
//! | 11 | `staking_admin` | `StakingAdmin` | 10 | 5,000 KMCC | same | same |
//! | 12 | `storage_admin` | `StorageAdmin` | 10 | 5,000 KMCC | same | same |
//! | 13 | `privacy_admin` | `PrivacyAdmin` | 10 | 5,000 KMCC | same | same |
//! | 20 | `referendum_canceller` | `ReferendumCanceller` | 1,000 | 10,000 KMCC | 2 h / 7 d / 3 h / 10 min | 1 / 20 / 2 / 1 |
//! | 21 | `referendum_killer` | `ReferendumKiller` | 1,000 | 50,000 KMCC | same | same |
//! | 30 | `small_spender` | `SmallSpender` (≤ 10,000 KMCC) | 50 | 1,000 KMCC | 4 h / 14 d / 12 h / 1 d | 2 / 30 / 3 / 2 |
//! | 31 | `big_spender` | `BigSpender` (≤ 1 M KMCC) | 50 | 10,000 KMCC | 4 h / 14 d / 2 d / 1 d | same |
//! | 32 | `treasurer` | `Treasurer` (≤ 10 M KMCC) | 10 | 50,000 KMCC | 2 h / 14 d / 3 h / 1 d | same |
//!
//! Approval and support curves are Polkadot's for the matching tracks, expressed as fractions
//! of the decision period, so they keep their shape in both timing profiles
//! ([`super::origins::TrackTiming`]).

use super::origins::{Origin, Timing, TrackTiming};
use crate::{Balance, BlockNumber, OriginCaller, Runtime, RuntimeOrigin};
use alloc::borrow::Cow;
use kmcc_primitives::{
	currency::KMCC,
	time::{DAYS, HOURS, MINUTES},
};
use polkadot_sdk::{
	pallet_referenda::{self, Curve, Track, TrackInfo},
	sp_runtime::{str_array as s, FixedI64},
};

const fn percent(x: i32) -> FixedI64 {
	FixedI64::from_rational(x as u128, 100)
}

const APP_ROOT: Curve = Curve::make_reciprocal(4, 28, percent(80), percent(50), percent(100));
const SUP_ROOT: Curve = Curve::make_linear(28, 28, percent(0), percent(50));
const APP_WHITELISTED: Curve =
	Curve::make_reciprocal(16, 28 * 24, percent(96), percent(50), percent(100));
const SUP_WHITELISTED: Curve = Curve::make_reciprocal(1, 28, percent(20), percent(5), percent(50));
const APP_ADMIN: Curve = Curve::make_linear(17, 28, percent(50), percent(100));
const SUP_ADMIN: Curve = Curve::make_reciprocal(12, 28, percent(1), percent(0), percent(50));
const APP_SMALL_SPENDER: Curve = Curve::make_linear(17, 28, percent(50), percent(100));
const SUP_SMALL_SPENDER: Curve =
	Curve::make_reciprocal(12, 28, percent(1), percent(0), percent(50));
const APP_BIG_SPENDER: Curve = Curve::make_linear(28, 28, percent(50), percent(100));
const SUP_BIG_SPENDER: Curve = Curve::make_reciprocal(20, 28, percent(1), percent(0), percent(50));
const APP_TREASURER: Curve = Curve::make_reciprocal(4, 28, percent(80), percent(50), percent(100));
const SUP_TREASURER: Curve = Curve::make_linear(28, 28, percent(0), percent(50));

/// A track's periods, in blocks: `[prepare, decision, confirm, min_enactment]`.
type Periods = [BlockNumber; 4];

/// One track in both timing profiles.
struct TrackSpec {
	id: u16,
	name: &'static str,
	max_deciding: u32,
	decision_deposit: Balance,
	mainnet: Periods,
	test: Periods,
	min_approval: Curve,
	min_support: Curve,
}

const ADMIN_MAINNET: Periods = [2 * HOURS, 14 * DAYS, 3 * HOURS, 10 * MINUTES];
const ADMIN_TEST: Periods = [2, 30, 3, 2];
const REFERENDUM_ADMIN_MAINNET: Periods = [2 * HOURS, 7 * DAYS, 3 * HOURS, 10 * MINUTES];
const FAST_TEST: Periods = [1, 20, 2, 1];

const fn admin(id: u16, name: &'static str) -> TrackSpec {
	TrackSpec {
		id,
		name,
		max_deciding: 10,
		decision_deposit: 5_000 * KMCC,
		mainnet: ADMIN_MAINNET,
		test: ADMIN_TEST,
		min_approval: APP_ADMIN,
		min_support: SUP_ADMIN,
	}
}

const TRACKS: [TrackSpec; 11] = [
	TrackSpec {
		id: 0,
		name: "root",
		max_deciding: 1,
		decision_deposit: 100_000 * KMCC,
		mainnet: [2 * HOURS, 14 * DAYS, DAYS, DAYS],
		test: [2, 40, 4, 3],
		min_approval: APP_ROOT,
		min_support: SUP_ROOT,
	},
	TrackSpec {
		id: 1,
		name: "whitelisted_caller",
		max_deciding: 100,
		decision_deposit: 10_000 * KMCC,
		mainnet: [30 * MINUTES, 14 * DAYS, 10 * MINUTES, 10 * MINUTES],
		test: FAST_TEST,
		min_approval: APP_WHITELISTED,
		min_support: SUP_WHITELISTED,
	},
	admin(10, "issuance_admin"),
	admin(11, "staking_admin"),
	admin(12, "storage_admin"),
	admin(13, "privacy_admin"),
	TrackSpec {
		id: 20,
		name: "referendum_canceller",
		max_deciding: 1_000,
		decision_deposit: 10_000 * KMCC,
		mainnet: REFERENDUM_ADMIN_MAINNET,
		test: FAST_TEST,
		min_approval: APP_ADMIN,
		min_support: SUP_ADMIN,
	},
	TrackSpec {
		id: 21,
		name: "referendum_killer",
		max_deciding: 1_000,
		decision_deposit: 50_000 * KMCC,
		mainnet: REFERENDUM_ADMIN_MAINNET,
		test: FAST_TEST,
		min_approval: APP_ADMIN,
		min_support: SUP_ADMIN,
	},
	TrackSpec {
		id: 30,
		name: "small_spender",
		max_deciding: 50,
		decision_deposit: 1_000 * KMCC,
		mainnet: [4 * HOURS, 14 * DAYS, 12 * HOURS, DAYS],
		test: ADMIN_TEST,
		min_approval: APP_SMALL_SPENDER,
		min_support: SUP_SMALL_SPENDER,
	},
	TrackSpec {
		id: 31,
		name: "big_spender",
		max_deciding: 50,
		decision_deposit: 10_000 * KMCC,
		mainnet: [4 * HOURS, 14 * DAYS, 2 * DAYS, DAYS],
		test: ADMIN_TEST,
		min_approval: APP_BIG_SPENDER,
		min_support: SUP_BIG_SPENDER,
	},
	TrackSpec {
		id: 32,
		name: "treasurer",
		max_deciding: 10,
		decision_deposit: 50_000 * KMCC,
		mainnet: [2 * HOURS, 14 * DAYS, 3 * HOURS, DAYS],
		test: ADMIN_TEST,
		min_approval: APP_TREASURER,
		min_support: SUP_TREASURER,
	},
];

impl TrackSpec {
	fn track(&self, timing: TrackTiming) -> Track<u16, Balance, BlockNumber> {
		let [prepare_period, decision_period, confirm_period, min_enactment_period] = match timing {
			TrackTiming::Mainnet => self.mainnet,
			TrackTiming::Test => self.test,
		};
		Track {
			id: self.id,
			info: TrackInfo {
				name: s(self.name),
				max_deciding: self.max_deciding,
				decision_deposit: self.decision_deposit,
				prepare_period,
				decision_period,
				confirm_period,
				min_enactment_period,
				min_approval: self.min_approval.clone(),
				min_support: self.min_support.clone(),
			},
		}
	}
}

/// The tracks of the network's [`Timing`] profile.
pub struct TracksInfo;

impl pallet_referenda::TracksInfo<Balance, BlockNumber> for TracksInfo {
	type Id = u16;
	type RuntimeOrigin =
		<RuntimeOrigin as polkadot_sdk::frame_support::traits::OriginTrait>::PalletsOrigin;

	fn tracks() -> impl Iterator<Item = Cow<'static, Track<Self::Id, Balance, BlockNumber>>> {
		let timing = Timing::<Runtime>::get();
		TRACKS.iter().map(move |spec| Cow::Owned(spec.track(timing)))
	}

	fn track_for(origin: &Self::RuntimeOrigin) -> Result<Self::Id, ()> {
		match origin {
			OriginCaller::system(polkadot_sdk::frame_system::RawOrigin::Root) => Ok(0),
			OriginCaller::Origins(custom) => Ok(match custom {
				Origin::WhitelistedCaller => 1,
				Origin::IssuanceAdmin => 10,
				Origin::StakingAdmin => 11,
				Origin::StorageAdmin => 12,
				Origin::PrivacyAdmin => 13,
				Origin::ReferendumCanceller => 20,
				Origin::ReferendumKiller => 21,
				Origin::SmallSpender => 30,
				Origin::BigSpender => 31,
				Origin::Treasurer => 32,
			}),
			_ => Err(()),
		}
	}
}
