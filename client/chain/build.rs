//! Rebuilds the generated interface when the metadata changes (the `subxt` macro reads the
//! file, which Cargo does not track on its own).
fn main() {
	println!("cargo:rerun-if-changed=metadata/kmcc.scale");
}
