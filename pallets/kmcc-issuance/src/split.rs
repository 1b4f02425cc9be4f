//! How a block's emission is shared, and the floor that limits every burn.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt::Debug;
use kmcc_primitives::Balance;
use polkadot_sdk::sp_runtime::{PerThing, Perbill};
use scale_info::TypeInfo;

/// The shares of each block's emission (design §2). They must sum to exactly 100 %.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmissionSplit {
	/// To the masternode reward pot (design §4); 45 % by default.
	pub masternodes: Perbill,
	/// To the block producer and, through DPoS, its lessors (design §3); 35 % by default.
	pub producer: Perbill,
	/// To the storage landlord subsidy pool (design §5); 20 % by default.
	pub storage: Perbill,
}

impl Default for EmissionSplit {
	/// design §2: 45 % masternodes, 35 % block producers, 20 % storage landlords.
	fn default() -> Self {
		Self {
			masternodes: Perbill::from_percent(45),
			producer: Perbill::from_percent(35),
			storage: Perbill::from_percent(20),
		}
	}
}

/// One block's emission, apportioned.
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub struct EmissionShares {
	/// For the masternode reward pot.
	pub masternodes: Balance,
	/// For the block producer.
	pub producer: Balance,
	/// For the storage subsidy pool.
	pub storage: Balance,
}

impl EmissionShares {
	/// The sum of the three shares.
	pub fn total(&self) -> Balance {
		self.masternodes.saturating_add(self.producer).saturating_add(self.storage)
	}
}

impl EmissionSplit {
	/// Whether the three parts sum to exactly 100 %.
	pub fn is_complete(&self) -> bool {
		let parts = [self.masternodes, self.producer, self.storage];
		let sum: u64 = parts.iter().map(|p| u64::from(p.deconstruct())).sum();
		sum == u64::from(Perbill::ACCURACY)
	}

	/// Splits `reward` so the shares sum to exactly `reward`: the masternode and storage
	/// shares are rounded down and the producer receives the rest (at most 2 planck more
	/// than its exact share).
	pub fn apportion(&self, reward: Balance) -> EmissionShares {
		let masternodes = self.masternodes.mul_floor(reward);
		let storage = self.storage.mul_floor(reward);
		let producer = reward.saturating_sub(masternodes).saturating_sub(storage);
		EmissionShares { masternodes, producer, storage }
	}
}

/// The part of `requested` that may be burned without taking `total_issuance` below `floor`.
pub fn burnable_above_floor(
	total_issuance: Balance,
	floor: Balance,
	requested: Balance,
) -> Balance {
	requested.min(total_issuance.saturating_sub(floor))
}
