//! The origins a referendum on a KMCC track dispatches with, and the timing profile of the
//! tracks.
//!
//! A referendum on track *t* dispatches its call with *t*'s origin: `Root` for the root track,
//! one of [`Origin`] for the others. Each economic pallet accepts `Root` or its own origin as
//! its admin origin, so a parameter referendum can change the issuance split but not the
//! runtime code.
//!
//! [`Timing`] chooses between real periods (days: public networks) and periods of a few blocks
//! (dev and test networks, so that tests enact referenda in minutes). It is set by the genesis
//! preset; a network upgraded in place starts with [`TrackTiming::Mainnet`] (the safe default)
//! and root may change it with `system.set_storage`.

pub use pallet_custom_origins::*;

#[polkadot_sdk::frame_support::pallet]
pub mod pallet_custom_origins {
	use crate::Balance;
	use kmcc_primitives::currency::KMCC;
	use polkadot_sdk::frame_support::pallet_prelude::*;

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// How long the referendum tracks' periods are.
	#[derive(
		Clone,
		Copy,
		PartialEq,
		Eq,
		Default,
		Debug,
		Encode,
		Decode,
		DecodeWithMemTracking,
		MaxEncodedLen,
		TypeInfo,
		serde::Serialize,
		serde::Deserialize,
	)]
	pub enum TrackTiming {
		/// Hours and days: public networks.
		#[default]
		Mainnet,
		/// A few blocks: dev and test networks.
		Test,
	}

	/// The timing profile of the referendum tracks (see the module doc).
	#[pallet::storage]
	pub type Timing<T> = StorageValue<_, TrackTiming, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(polkadot_sdk::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The tracks' timing profile of the new network.
		pub timing: TrackTiming,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Timing::<T>::put(self.timing);
		}
	}

	/// The origins of the KMCC tracks other than root.
	#[derive(
		PartialEq, Eq, Clone, MaxEncodedLen, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// A call the technical committee whitelisted (`Whitelist.dispatch_whitelisted_call`):
		/// the fast track for fixes.
		WhitelistedCaller,
		/// Issuance parameters: the emission split, the fee burn share, the foundation account,
		/// buyback burns.
		IssuanceAdmin,
		/// DPoS parameters (committee size, groups, deposits, session and era lengths).
		StakingAdmin,
		/// Storage market and mail parameters.
		StorageAdmin,
		/// Mixer parameters and pools.
		PrivacyAdmin,
		/// Cancels a referendum (deposits returned).
		ReferendumCanceller,
		/// Kills a referendum (deposits slashed).
		ReferendumKiller,
		/// Treasury spends up to 10,000 KMCC.
		SmallSpender,
		/// Treasury spends up to 1,000,000 KMCC.
		BigSpender,
		/// Treasury spends up to 10,000,000 KMCC; rejects proposals.
		Treasurer,
	}

	macro_rules! decl_unit_ensures {
		( $( $name:ident ),* $(,)? ) => { $(
			#[doc = concat!("Ensures the origin is [`Origin::", stringify!($name), "`].")]
			pub struct $name;
			impl<O: OriginTrait + From<Origin>> EnsureOrigin<O> for $name
			where
				for<'a> &'a O::PalletsOrigin: TryInto<&'a Origin>,
			{
				type Success = ();
				fn try_origin(o: O) -> Result<Self::Success, O> {
					if let Ok(Origin::$name) = o.caller().try_into() {
						return Ok(());
					}
					Err(o)
				}
				#[cfg(feature = "runtime-benchmarks")]
				fn try_successful_origin() -> Result<O, ()> {
					Ok(O::from(Origin::$name))
				}
			}
		)* };
	}
	decl_unit_ensures!(
		WhitelistedCaller,
		IssuanceAdmin,
		StakingAdmin,
		StorageAdmin,
		PrivacyAdmin,
		ReferendumCanceller,
		ReferendumKiller,
		Treasurer,
	);

	/// The treasury spend limit of each spending origin.
	pub const SMALL_SPEND: Balance = 10_000 * KMCC;
	/// See [`SMALL_SPEND`].
	pub const BIG_SPEND: Balance = 1_000_000 * KMCC;
	/// See [`SMALL_SPEND`].
	pub const TREASURER_SPEND: Balance = 10_000_000 * KMCC;

	/// A treasury spending origin; succeeds with the most it may spend.
	pub struct Spender;
	impl<O: OriginTrait + From<Origin>> EnsureOrigin<O> for Spender
	where
		for<'a> &'a O::PalletsOrigin: TryInto<&'a Origin>,
	{
		type Success = Balance;
		fn try_origin(o: O) -> Result<Self::Success, O> {
			let limit = match o.caller().try_into() {
				Ok(Origin::SmallSpender) => Some(SMALL_SPEND),
				Ok(Origin::BigSpender) => Some(BIG_SPEND),
				Ok(Origin::Treasurer) => Some(TREASURER_SPEND),
				_ => None,
			};
			limit.ok_or(o)
		}
		#[cfg(feature = "runtime-benchmarks")]
		fn try_successful_origin() -> Result<O, ()> {
			Ok(O::from(Origin::Treasurer))
		}
	}
}
