#!/usr/bin/env bash
# Sets up the machine and runs every test: Rust unit, property and runtime integration
# tests, the benchmark-build check, then the end-to-end tests that start the real
# kmcc-node (single node, forkless runtime upgrade, 4-node local testnet).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"

"$REPO_ROOT/scripts/setup.sh"

start=$(date +%s)
build_node

log "checking that the committed chain specs match the runtime"
"$REPO_ROOT/scripts/build-chain-specs.sh" --check

log "cargo test (workspace; same profile as the node)"
cargo test --locked --release --workspace

log "building the next runtime for the forkless-upgrade test (spec_version + 1, with a migration)"
cargo build --locked --release -p kmcc-runtime --features upgrade-test
test -s "$KMCC_UPGRADE_WASM"

log "checking the runtime-benchmarks build (kmcc-node benchmark pallet)"
cargo check --locked --release -p kmcc-node --features runtime-benchmarks

log "running each pallet's benchmarks once as tests on its mock runtime"
# One cargo invocation for all pallets: one feature set, one build (not one per pallet).
bench_args=()
for dir in pallets/*/; do
	if [[ -f "$dir/src/benchmarking.rs" ]]; then
		pallet="pallet-$(basename "$dir")"
		bench_args+=(-p "$pallet" --features "$pallet/runtime-benchmarks")
	fi
done
SKIP_WASM_BUILD=1 cargo test --locked --release "${bench_args[@]}" --lib benchmarking

log "end-to-end tests against $KMCC_NODE_BIN"
(cd tests/e2e && node --test --test-concurrency=1 --test-reporter=spec)

log "all tests passed in $(( $(date +%s) - start )) s"
