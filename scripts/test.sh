#!/usr/bin/env bash
# Sets up the machine and runs every test: the lint gates, Rust unit, property and runtime
# integration tests, clippy over every crate of ours (also their benchmark and try-runtime
# code), the pallet and runtime tests with benchmarks and migration checks, then the
# end-to-end tests that start the real kmcc-node (single nodes, forkless runtime upgrade,
# 4-node local testnet).
#
# Built once, shared by every phase (docs/benchmarks.md, "Build health", has the figures):
# - the node's dependencies are compiled once, by `build_node`; `cargo test --workspace`
#   resolves every shared crate with the same features (`--no-default-features`: each crate of
#   ours gets `std` from the node's dependency on it), so it compiles only test harnesses;
#   the runtime's integration tests are one binary (`runtime/tests/integration.rs`), and the
#   pallets' tests are compiled once, with the try-runtime feature set below;
# - clippy runs inside those builds (`RUSTC_WORKSPACE_WRAPPER=clippy-driver`, what `cargo
#   clippy` does for `cargo check`): no separate check build of ~1,000 dependencies;
# - the upgrade-test runtime is WASM only (`runtime/upgrade-test`, built by `cargo test`);
# - one more feature set each: the runtime side with `try-runtime` + `runtime-benchmarks`
#   (pallet and runtime tests), and a check of the node with `runtime-benchmarks`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"

start=$(date +%s)
phases=()
phase_start=$start
phase() { # name: closes the previous phase
	local now
	now=$(date +%s)
	[ -z "${phase_name:-}" ] || phases+=("$(printf '%5d s  %s' $((now - phase_start)) "$phase_name")")
	phase_name=$1
	phase_start=$now
	[ -z "$phase_name" ] || log "$phase_name"
}

phase "setup (Debian packages, Rust targets, lint tools, npm packages)"
"$REPO_ROOT/scripts/setup.sh"
prune_incremental

phase "lint gates: rustfmt, TOML format (taplo), feature propagation (zepter)"
cargo fmt --all --check
taplo fmt --check
zepter run check
# Every runtime `Config` charges weights measured for this runtime (`scripts/bench-runtime.sh`,
# `scripts/bench-pallets.sh`): no `()` weights and no SDK reference-hardware tables. One
# exception, until its benchmarks can run here: `pallet_revive`, whose benchmarks execute
# fixture contracts built with a RISC-V Rust toolchain and `resolc` (docs/benchmarks.md).
ours="$(cd pallets && ls | sed 's/-/_/g; s/^/pallet_/' | paste -sd'|')|pallet_revive"
if grep -rnE 'type (WeightInfo|SystemWeightInfo|ExtensionsWeightInfo) = \(\)' runtime/src ||
	grep -rnE '\b(pallet_[a-z_]+|frame_system)::weights::SubstrateWeight' runtime/src |
	grep -vE "\b($ours)::weights::"; then
	echo "the runtime lines above use weights not generated for it" >&2
	exit 1
fi

# Clippy lints every crate of ours as it compiles; `-D warnings` fails the build.
RUSTC_WORKSPACE_WRAPPER="$(rustup which clippy-driver)"
export RUSTC_WORKSPACE_WRAPPER
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
# Cargo's per-unit timings (long poles, serial stretches) go to $CARGO_TARGET_DIR/cargo-timings.
timings=(--timings)

phase "node build, clippy on our crates"
# The `kmcc` wallet and the `kmcc-storage` daemon in the same invocation: the end-to-end
# tests run the real binaries.
build_node -p kmcc-client -p kmcc-storage "${timings[@]}"

phase "chain specs match the runtime"
"$REPO_ROOT/scripts/build-chain-specs.sh" --check

# The pallets' unit tests run once, in the try-runtime phase below (with their benchmarks and
# `try_state`: a superset), so their test harnesses are not compiled twice. Their
# dev-dependencies ask only for features the node's build has, so the rest is unchanged.
pallets=()
for dir in pallets/*/; do
	pallets+=(--exclude "pallet-$(basename "$dir")")
done
phase "cargo test --workspace but the pallets (the node's features; builds the upgrade-test WASM)"
cargo test --locked --release --workspace --no-default-features "${pallets[@]}" "${timings[@]}"
test -s "$KMCC_UPGRADE_WASM"

# `kmcc-node benchmark pallet|storage` needs this build (scripts/bench-pallets.sh): checked,
# not compiled, and only the node crate is linted here (the rest is linted below and above).
phase "node with runtime-benchmarks: check and clippy"
SKIP_WASM_BUILD=1 cargo clippy --locked --release -p kmcc-node --features runtime-benchmarks \
	"${timings[@]}" -- -D warnings

# One invocation, one feature set: every pallet's tests with its benchmarks run as tests and
# `try_state` after each test, the runtime's with its benchmark and try-runtime code, and the
# migrations' pre/post checks. The node's dependencies would pull SDK crates (pallet-staking)
# that do not compile with `try-runtime`, so the node is not part of it.
phase "pallet and runtime tests with try-runtime + runtime-benchmarks"
test_args=(-p kmcc-runtime --features kmcc-runtime/try-runtime,kmcc-runtime/runtime-benchmarks)
for dir in pallets/*/; do
	pallet="pallet-$(basename "$dir")"
	features="$pallet/try-runtime"
	[[ -f "$dir/src/benchmarking.rs" ]] && features="$features,$pallet/runtime-benchmarks"
	test_args+=(-p "$pallet" --features "$features")
done
SKIP_WASM_BUILD=1 cargo test --locked --release "${test_args[@]}" --lib "${timings[@]}"

# Each file starts its own nodes on its own block of ports (tests/e2e/lib/node.mjs); the
# 4-node file (the longest) runs beside the others, three of which run at a time (the files
# mostly wait for blocks and proof rounds).
phase "end-to-end tests against $KMCC_NODE_BIN"
(cd tests/e2e && node --test --test-concurrency=4 --test-reporter=spec \
	local-testnet.test.mjs $(ls *.test.mjs | grep -vx local-testnet.test.mjs))

phase ""
log "all tests passed in $(($(date +%s) - start)) s"
printf '%s\n' "${phases[@]}" >&2
