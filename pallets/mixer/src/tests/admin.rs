use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	sp_runtime::{DispatchError, Permill},
};

#[test]
fn the_admin_opens_pools_and_sets_parameters() {
	build_and_execute(|| {
		assert_noop!(
			Mixer::add_denomination(RuntimeOrigin::signed(ALICE), 1_000 * UNIT),
			DispatchError::BadOrigin
		);
		assert_ok!(Mixer::add_denomination(RuntimeOrigin::root(), 1_000 * UNIT));
		assert_noop!(
			Mixer::add_denomination(RuntimeOrigin::root(), 1_000 * UNIT),
			Error::<Test>::DenominationExists
		);
		assert_noop!(
			Mixer::add_denomination(RuntimeOrigin::root(), UNIT - 1),
			Error::<Test>::DenominationTooSmall
		);
		// MaxDenominations is 3.
		assert_noop!(
			Mixer::add_denomination(RuntimeOrigin::root(), 2_000 * UNIT),
			Error::<Test>::TooManyDenominations
		);
		deposit(ALICE, 1_000 * UNIT, 0);

		let parameters =
			MixerParameters { min_ring: 4, max_ring: 16, max_fee: Permill::from_percent(1) };
		assert_noop!(
			Mixer::set_parameters(RuntimeOrigin::signed(ALICE), parameters),
			DispatchError::BadOrigin
		);
		assert_ok!(Mixer::set_parameters(RuntimeOrigin::root(), parameters));
		assert_eq!(Parameters::<Test>::get(), parameters);
		for bad in [
			MixerParameters { min_ring: 1, ..parameters },
			MixerParameters { min_ring: 5, max_ring: 4, ..parameters },
			MixerParameters { max_ring: 17, ..parameters },
		] {
			assert_noop!(
				Mixer::set_parameters(RuntimeOrigin::root(), bad),
				Error::<Test>::InvalidParameters
			);
		}
		assert_eq!(
			mixer_events(),
			vec![
				Event::DenominationAdded { denomination: 1_000 * UNIT },
				Event::Deposited { who: ALICE, denomination: 1_000 * UNIT, index: 0, key: key(0) },
				Event::ParametersSet { parameters },
			]
		);
	});
}
