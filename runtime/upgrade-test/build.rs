//! Builds `wbuild/kmcc-runtime/kmcc_runtime_upgrade_test.compact.compressed.wasm`: the runtime's
//! own WASM project with the `upgrade-test` feature, under another blob name. The project is the
//! runtime's (not this crate's) so that its compiled WASM dependencies are reused; the lock
//! keeps the runtime's build script from rewriting the project meanwhile.

include!("../wasm_project_lock.rs");

fn main() {
	let _project = lock_wasm_project();
	let runtime = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
	substrate_wasm_builder::WasmBuilder::new()
		.with_project(runtime.canonicalize().expect("runtime/Cargo.toml exists"))
		.expect("runtime/Cargo.toml is a cargo manifest")
		.import_memory()
		.export_heap_base()
		.enable_feature("upgrade-test")
		.set_file_name("kmcc_runtime_upgrade_test")
		.build();
}
