#!/usr/bin/env bash
# Regenerates `pallets/<name>/src/weights.rs` of the KMCC pallets from benchmarks of the
# real runtime (dev genesis), with `kmcc-node benchmark pallet`.
#
#   scripts/bench-pallets.sh                 # every KMCC pallet with benchmarks
#   scripts/bench-pallets.sh kmcc-issuance   # one pallet (directory name under pallets/)
#
# Env: KMCC_BENCH_STEPS (50), KMCC_BENCH_REPEAT (20).
# The node is built with `--features runtime-benchmarks` (the same target directory and
# profile as the normal build; a later `cargo build` switches back).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"

steps="${KMCC_BENCH_STEPS:-50}"
repeat="${KMCC_BENCH_REPEAT:-20}"

if [[ $# -gt 0 ]]; then
	pallets=("$@")
else
	pallets=()
	for dir in pallets/*/; do
		[[ -f "$dir/src/benchmarking.rs" ]] && pallets+=("$(basename "$dir")")
	done
fi

log "building kmcc-node with runtime benchmarks"
cargo build --locked --release -p kmcc-node --features runtime-benchmarks

for name in "${pallets[@]}"; do
	crate="pallet_${name//-/_}"
	log "benchmarking $crate (steps $steps, repeat $repeat)"
	"$KMCC_NODE_BIN" benchmark pallet \
		--chain dev \
		--pallet "$crate" \
		--extrinsic '*' \
		--steps "$steps" \
		--repeat "$repeat" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--template scripts/templates/pallet-weights.hbs \
		--output "pallets/$name/src/weights.rs"
done

log "weights written; rebuild the normal node with scripts/run-dev.sh or scripts/test.sh"
