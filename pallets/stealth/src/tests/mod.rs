//! Mock tests by topic; every test ends with the pallet's invariants (`build_and_execute`).

mod announcements;
mod meta_addresses;
mod pruning;
