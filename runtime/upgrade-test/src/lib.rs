//! The next runtime of the forkless-upgrade end-to-end test (`tests/e2e/runtime-upgrade`):
//! `kmcc-runtime` with its `upgrade-test` feature (spec_version + 1 and a migration), built as
//! WASM only by this crate's build script, so no second native runtime is compiled.

#![no_std]

include!(concat!(env!("OUT_DIR"), "/kmcc_runtime_upgrade_test"));
