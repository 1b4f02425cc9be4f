//! The index keeps announcements for the retention period, prunes them in id order at most
//! `MaxPrunedPerBlock` a block, and the runtime-API page reads what is kept.

use crate::{mock::*, Announcements, Event, OldestAnnouncementId, RetentionPeriod, MAX_PAGE};
use kmcc_primitives::currency::KMCC;
use polkadot_sdk::frame_support::assert_ok;

fn announce_at(block: u64, count: u32) {
	run_to_block(block);
	for i in 0..count {
		let one_time = 1_000 * block + u64::from(i);
		assert_ok!(Stealth::transfer_stealth(RuntimeOrigin::signed(ALICE), one_time, G, 0, KMCC));
	}
}

#[test]
fn announcements_are_kept_for_the_retention_period_then_pruned() {
	build_and_execute(|| {
		announce_at(1, 2);
		announce_at(3, 1);
		// Block 1's are kept up to block 1 + RETENTION.
		run_to_block(1 + RETENTION);
		assert_eq!(OldestAnnouncementId::<Test>::get(), 0);
		run_to_block(2 + RETENTION);
		assert_eq!(OldestAnnouncementId::<Test>::get(), 2);
		assert_eq!(Announcements::<Test>::get(0), None);
		assert_eq!(Announcements::<Test>::get(1), None);
		assert!(Announcements::<Test>::get(2).is_some());
		assert_eq!(stealth_events(), vec![Event::AnnouncementsPruned { from: 0, to: 2 }]);
		run_to_block(4 + RETENTION);
		assert_eq!(OldestAnnouncementId::<Test>::get(), 3);
		assert_eq!(Announcements::<Test>::iter().count(), 0);
	});
}

#[test]
fn pruning_is_bounded_per_block_and_catches_up() {
	build_and_execute(|| {
		announce_at(1, PAGE);
		announce_at(2, PAGE);
		announce_at(3, PAGE);
		// A shorter retention (as a parameter change would set) expires 8 at block 4 and the rest at block 5; 6
		// (`MaxPrunedPerBlock`) go per block.
		RetentionPeriod::<Test>::put(1);
		run_to_block(4);
		assert_eq!(OldestAnnouncementId::<Test>::get(), u64::from(PAGE + 2));
		assert_eq!(Announcements::<Test>::iter().count(), (2 * PAGE - 2) as usize);
		run_to_block(5);
		assert_eq!(OldestAnnouncementId::<Test>::get(), u64::from(3 * PAGE));
		assert_eq!(Announcements::<Test>::iter().count(), 0);
	});
}

#[test]
fn pages_read_what_is_kept_and_say_where_to_continue() {
	build_and_execute(|| {
		announce_at(1, 3);
		announce_at(2, 2);
		let page = Stealth::announcements(0, 2);
		assert_eq!(page.items.iter().map(|(id, _)| *id).collect::<Vec<_>>(), vec![0, 1]);
		assert_eq!((page.next_id, page.oldest_id, page.end_id), (2, 0, 5));
		let page = Stealth::announcements(page.next_id, 10);
		assert_eq!(
			page.items.iter().map(|(id, r)| (*id, r.block)).collect::<Vec<_>>(),
			vec![(2, 1), (3, 2), (4, 2)]
		);
		assert_eq!(page.next_id, 5);
		// Past the end: empty, and the next id stays at the end.
		let page = Stealth::announcements(99, 10);
		assert!(page.items.is_empty());
		assert_eq!(page.next_id, 5);
		// After pruning, a scan from 0 starts at the oldest kept id.
		run_to_block(2 + RETENTION);
		let page = Stealth::announcements(0, 10);
		assert_eq!(page.oldest_id, 3);
		assert_eq!(page.items.first().map(|(id, _)| *id), Some(3));
		// A huge limit is capped.
		assert!(Stealth::announcements(0, u32::MAX).items.len() <= MAX_PAGE as usize);
	});
}
