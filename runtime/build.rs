//! Builds the runtime WASM blob that the node embeds and that `system.set_code` replaces.
//!
//! - `metadata-hash` embeds the metadata hash so `CheckMetadataHash` works (offline signers).
//! - `upgrade-test` builds the *next* runtime of the forkless-upgrade test under its own blob
//!   name, so it never overwrites the blob that the node embeds (`runtime/upgrade-test` builds
//!   that blob without compiling a second native runtime).

#[cfg(feature = "std")]
include!("wasm_project_lock.rs");

#[cfg(feature = "std")]
fn main() {
	let _project = lock_wasm_project();
	let builder = substrate_wasm_builder::WasmBuilder::init_with_defaults();
	#[cfg(feature = "metadata-hash")]
	let builder = builder.enable_metadata_hash(kmcc_token::SYMBOL, kmcc_token::DECIMALS);
	#[cfg(feature = "upgrade-test")]
	let builder = builder.set_file_name("kmcc_runtime_upgrade_test");
	builder.build();
}

#[cfg(not(feature = "std"))]
fn main() {}

/// Mirrors `kmcc_primitives::currency` (a build script cannot depend on the crate it builds
/// against without a second build of it).
#[cfg(all(feature = "std", feature = "metadata-hash"))]
mod kmcc_token {
	pub const SYMBOL: &str = "KMCC";
	pub const DECIMALS: u8 = 18;
}
