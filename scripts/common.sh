# Shared settings for the scripts; sourced, not run.
# shellcheck shell=bash

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# One cargo target directory outside the clone, shared by every script, CI and later
# sessions, so the ~1,250-crate node build happens once per machine.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kmcc/target}"
# One build profile for running and testing: the node is compiled once.
export KMCC_PROFILE="release"
export KMCC_NODE_BIN="${KMCC_NODE_BIN:-$CARGO_TARGET_DIR/$KMCC_PROFILE/kmcc-node}"
export KMCC_UPGRADE_WASM="${KMCC_UPGRADE_WASM:-$CARGO_TARGET_DIR/$KMCC_PROFILE/wbuild/kmcc-runtime/kmcc_runtime_upgrade_test.compact.compressed.wasm}"

log() { printf '\033[1;34m==> %s\033[0m\n' "$*" >&2; }

# Incremental caches of our crates (release profile, `incremental = true`) pile up: every
# source path (a CI clone, the working tree), feature set and clippy wrapper keeps its own
# sessions, several GB an hour of work, and a full disk fails the build. Sessions untouched
# for six hours are dropped; the cost is a less incremental rebuild of our crates.
prune_incremental() {
	local dir="$CARGO_TARGET_DIR/$KMCC_PROFILE/incremental"
	[ -d "$dir" ] || return 0
	find "$dir" -mindepth 1 -maxdepth 1 -mmin +360 -exec rm -rf {} +
}

build_node() { # [extra cargo arguments]
	log "building kmcc-node ($KMCC_PROFILE profile, target dir $CARGO_TARGET_DIR)"
	(cd "$REPO_ROOT" && cargo build --locked --release -p kmcc-node "$@")
}
# The Ethereum JSON-RPC adapter (pallet-revive-eth-rpc, the release matching the runtime's
# pallet-revive), installed by `setup.sh` outside the workspace: it links RocksDB, SQLite and
# libgit2 through sc-cli, none of which kmcc-node may link.
export ETH_RPC_VERSION="0.24.0"
export ETH_RPC_ROOT="${ETH_RPC_ROOT:-$HOME/.cache/kmcc/eth-rpc}"
export KMCC_ETH_RPC_BIN="${KMCC_ETH_RPC_BIN:-$ETH_RPC_ROOT/bin/eth-rpc}"

# Lint tools installed by `setup.sh` (pinned: their output must not change under us).
export ZEPTER_VERSION="1.88.2"
export TAPLO_VERSION="0.10.0"
