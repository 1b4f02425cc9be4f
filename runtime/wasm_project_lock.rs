// Included by `build.rs` and `upgrade-test/build.rs` (a build script cannot share a module).

/// Holds an exclusive lock on the WASM project `wbuild/kmcc-runtime` until dropped. The
/// runtime's build script and the upgrade-test runtime's both build that project (so the
/// second one reuses the first one's compiled dependencies): the WASM builder rewrites the
/// project's `Cargo.toml` with its features before it builds, and two of them at once in one
/// cargo invocation could swap the blobs.
fn lock_wasm_project() -> std::fs::File {
	let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
	// OUT_DIR is <target>/<profile>/build/<package>-<hash>/out, as the WASM builder assumes.
	let wbuild = out_dir
		.ancestors()
		.find(|dir| dir.ends_with("build"))
		.and_then(|build| build.parent())
		.expect("OUT_DIR lies in a profile directory")
		.join("wbuild");
	std::fs::create_dir_all(&wbuild).expect("the target directory is writable");
	let lock = std::fs::File::create(wbuild.join("kmcc-runtime.lock"))
		.expect("the target directory is writable");
	lock.lock().expect("the lock file can be locked");
	lock
}
