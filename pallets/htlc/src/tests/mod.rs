//! Tests by topic; every test checks the invariants at its end (`mock::test`).

mod assets;
mod claims;
mod hashes;
mod locks;
mod properties;
mod refunds;
