//! The `kmcc` wallet's typed interface is generated from `client/chain/metadata/kmcc.scale`
//! (subxt, metadata V16): this checks that the file is this runtime's metadata, so the wallet
//! cannot build against a stale interface. After a runtime change, rewrite it with
//! `KMCC_WRITE_METADATA=1 cargo test --release --workspace --no-default-features --test integration metadata::`
//! (the invocation of `scripts/test.sh`, so nothing is rebuilt).

use kmcc_runtime::Runtime;

const METADATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../client/chain/metadata/kmcc.scale");

#[test]
fn the_wallets_metadata_is_this_runtimes() {
	// The referenda tracks constant reads the tracks' timing profile from storage, as the node
	// does when it serves metadata at a block; an empty state reads the default (`Mainnet`).
	let metadata = polkadot_sdk::sp_io::TestExternalities::default()
		.execute_with(|| Runtime::metadata_at_version(16))
		.expect("the runtime serves metadata V16");
	let bytes: &[u8] = &metadata;
	if std::env::var_os("KMCC_WRITE_METADATA").is_some() {
		std::fs::write(METADATA, bytes).expect("client/chain/metadata is writable");
	}
	let committed = std::fs::read(METADATA).expect("client/chain/metadata/kmcc.scale exists");
	assert!(
		committed == bytes,
		"client/chain/metadata/kmcc.scale is not this runtime's metadata: rewrite it with \
		 KMCC_WRITE_METADATA=1 cargo test --release --workspace --no-default-features --test integration metadata::"
	);
}
