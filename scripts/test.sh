#!/usr/bin/env bash
# Sets up the machine and runs every test: the lint gates, Rust unit, property and runtime
# integration tests, clippy over every target (also the benchmark and try-runtime builds),
# the pallet tests with benchmarks and migration checks, then the end-to-end tests that
# start the real kmcc-node (single node, forkless runtime upgrade, 4-node local testnet).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"

"$REPO_ROOT/scripts/setup.sh"

start=$(date +%s)

log "lint gates: rustfmt, TOML format (taplo), feature propagation (zepter)"
cargo fmt --all --check
taplo fmt --check
zepter run check

build_node

log "checking that the committed chain specs match the runtime"
"$REPO_ROOT/scripts/build-chain-specs.sh" --check

log "cargo test (workspace; same profile as the node)"
cargo test --locked --release --workspace

log "building the next runtime for the forkless-upgrade test (spec_version + 1, with a migration)"
cargo build --locked --release -p kmcc-runtime --features upgrade-test
test -s "$KMCC_UPGRADE_WASM"

# Clippy also checks the `runtime-benchmarks` build of the node (`kmcc-node benchmark pallet`
# needs it), then the runtime's `try-runtime` build (every pallet's `try_state`). Two passes:
# with the node's dependencies, `try-runtime` reaches SDK crates (pallet-staking) that do not
# compile with it.
log "clippy: every target with runtime-benchmarks, then the runtime with try-runtime, -D warnings"
SKIP_WASM_BUILD=1 cargo clippy --locked --release --workspace --all-targets \
	--features kmcc-node/runtime-benchmarks -- -D warnings
SKIP_WASM_BUILD=1 cargo clippy --locked --release -p kmcc-runtime --features try-runtime -- -D warnings

log "pallet tests with runtime-benchmarks and try-runtime: benchmarks as tests, migrations' pre/post checks"
# One cargo invocation for all pallets: one feature set, one build (not one per pallet).
pallet_args=()
for dir in pallets/*/; do
	pallet="pallet-$(basename "$dir")"
	features="$pallet/try-runtime"
	[[ -f "$dir/src/benchmarking.rs" ]] && features="$features,$pallet/runtime-benchmarks"
	pallet_args+=(-p "$pallet" --features "$features")
done
SKIP_WASM_BUILD=1 cargo test --locked --release "${pallet_args[@]}" --lib

log "end-to-end tests against $KMCC_NODE_BIN"
(cd tests/e2e && node --test --test-concurrency=1 --test-reporter=spec)

log "all tests passed in $(( $(date +%s) - start )) s"
