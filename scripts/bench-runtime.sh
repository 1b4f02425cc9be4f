#!/usr/bin/env bash
# Calibrates the runtime's weight model for this node (ParityDB, the compiled WASM executor)
# and writes the generated files to `runtime/src/weights/`:
#
#   paritydb_weights.rs    `benchmark storage`: one read and one write on a state of
#                          realistic size (the bench chain plus KMCC_BENCH_STATE_ACCOUNTS
#                          accounts, ParityDB, state version 1) → `DbWeight`
#   block_weights.rs       `benchmark overhead`: an empty block → `BlockExecutionWeight`
#   extrinsic_weights.rs   `benchmark overhead`: a signed no-op extrinsic, less what its
#                          transaction extensions and call charge through their own weights
#                          (measured below), but never less than one sr25519 verification
#                          (`benchmark pallet` of the SDK's baseline) → `ExtrinsicBaseWeight`
#   <pallet>.rs            `benchmark pallet` for the SDK pallets of the runtime → their
#                          `WeightInfo` (the KMCC pallets have `scripts/bench-pallets.sh`)
#
#   scripts/bench-runtime.sh                     # all of it (about 25 min on 2 cores)
#   scripts/bench-runtime.sh storage|overhead|pallets [pallet …]|base
#
# Env: KMCC_BENCH_STEPS (50), KMCC_BENCH_REPEAT (20), KMCC_BENCH_STATE_ACCOUNTS (200000).
# The pallet weights count reads and writes and price them with the runtime's `DbWeight` when
# they are used, so the three parts can be regenerated in any order.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"

steps="${KMCC_BENCH_STEPS:-50}"
repeat="${KMCC_BENCH_REPEAT:-20}"
state_accounts="${KMCC_BENCH_STATE_ACCOUNTS:-200000}"
out="runtime/src/weights"
overhead_file="$(mktemp)"
trap 'rm -f "$overhead_file"' EXIT
# The SDK pallets of the runtime with benchmarks (`define_benchmarks!` in runtime/src/lib.rs).
sdk_pallets=(frame_system frame_system_extensions pallet_balances pallet_transaction_payment
	pallet_timestamp pallet_utility pallet_vesting pallet_sudo pallet_session
	pallet_preimage pallet_scheduler pallet_referenda pallet_conviction_voting pallet_whitelist
	pallet_collective pallet_treasury pallet_identity pallet_recovery pallet_multisig pallet_proxy
	pallet_assets pallet_nfts pallet_mmr pallet_beefy_mmr)

what="${1:-all}"
[[ $# -gt 0 ]] && shift

log "building kmcc-node with runtime benchmarks"
cargo build --locked --release -p kmcc-node --features runtime-benchmarks

# The SDK writes `use frame_support::…`, `sp_core::parameter_types` and `sp_weights::…`; the
# runtime reaches them through the `polkadot-sdk` umbrella crate's `frame_support` (which
# re-exports `sp_weights` as `weights`).
umbrella_paths() {
	sed -i -E \
		-e 's/\bsp_weights::/polkadot_sdk::frame_support::weights::/g' \
		-e 's/\bsp_core::parameter_types/polkadot_sdk::frame_support::parameter_types/g' \
		-e 's/^(\s*)use frame_support::/\1use polkadot_sdk::frame_support::/' \
		-e 's/polkadot_sdk::polkadot_sdk::/polkadot_sdk::/g' \
		"$@"
}

bench_storage() {
	local dir spec
	dir="$(mktemp -d)"
	trap 'rm -rf "$dir"' RETURN
	spec="$dir/state.json"
	log "building a bench chain spec with $state_accounts more accounts"
	"$KMCC_NODE_BIN" build-spec --chain bench --disable-default-bootnode 2>/dev/null >"$dir/plain.json"
	python3 - "$dir/plain.json" "$state_accounts" <<'PY'
import hashlib, json, sys

path, count = sys.argv[1], int(sys.argv[2])
ALPHABET = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

def b58(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = bytearray()
    while n:
        n, r = divmod(n, 58)
        out.append(ALPHABET[r])
    out.extend(ALPHABET[0:1] * (len(data) - len(data.lstrip(b"\0"))))
    return bytes(reversed(out)).decode()

def ss58(public: bytes) -> str:
    data = bytes([42]) + public  # the generic prefix: accepted by every parser
    checksum = hashlib.blake2b(b"SS58PRE" + data, digest_size=64).digest()[:2]
    return b58(data + checksum)

spec = json.load(open(path))
balances = spec["genesis"]["runtimeGenesis"]["patch"]["balances"]["balances"]
for i in range(count):
    public = hashlib.blake2b(b"kmcc-storage-bench" + i.to_bytes(8, "little"), digest_size=32).digest()
    balances.append([ss58(public), 10**18])
json.dump(spec, open(path, "w"))
PY
	"$KMCC_NODE_BIN" build-spec --chain "$dir/plain.json" --raw --disable-default-bootnode \
		2>/dev/null >"$spec"
	log "benchmark storage (ParityDB, state version 1)"
	"$KMCC_NODE_BIN" benchmark storage \
		--chain "$spec" \
		--base-path "$dir/db" \
		--database paritydb \
		--state-version 1 \
		--warmups 2 \
		--weight-path "$out"
	umbrella_paths "$out/paritydb_weights.rs"
}

bench_overhead() {
	local dir
	dir="$(mktemp -d)"
	trap 'rm -rf "$dir"' RETURN
	log "benchmark overhead (an empty block, a block of signed no-op extrinsics)"
	"$KMCC_NODE_BIN" benchmark overhead \
		--chain dev \
		--wasm-execution compiled \
		--weight-path "$dir"
	cp "$dir/block_weights.rs" "$out/block_weights.rs"
	umbrella_paths "$out/block_weights.rs"
	# The signed no-op as measured, for the `base` step that follows.
	cp "$dir/extrinsic_weights.rs" "$overhead_file"
}

# `benchmark overhead` times signed `System::remark`s with every transaction extension, but the
# runtime also charges each extension and the call their own generated weights: counting both
# would charge the extensions twice. The base is what remains of the signed no-op once the
# extensions' and the call's measured execution (their weights without the storage accesses,
# which the no-op block does on a warm overlay) is taken out, and at least one sr25519
# verification, which no extension prices.
bench_base() {
	local dir
	dir="$(mktemp -d)"
	trap 'rm -rf "$dir"' RETURN
	log "benchmark sr25519 verification (the SDK's baseline)"
	"$KMCC_NODE_BIN" benchmark pallet \
		--chain dev \
		--pallet frame_benchmarking \
		--extrinsic sr25519_verification \
		--steps "$steps" \
		--repeat "$repeat" \
		--wasm-execution compiled \
		--template scripts/templates/runtime-weights.hbs \
		--output "$dir/baseline.rs"
	log "ExtrinsicBaseWeight: the signed no-op less its extensions' and call's execution"
	# The overhead just measured, or else the signed no-op recorded in the current file.
	local measured="$out/extrinsic_weights.rs"
	[[ -s "$overhead_file" ]] && measured="$overhead_file"
	python3 scripts/extrinsic-base-weight.py "$out" "$measured" "$dir/baseline.rs"
}

bench_pallets() {
	local pallets=("$@")
	[[ ${#pallets[@]} -gt 0 ]] || pallets=("${sdk_pallets[@]}")
	for pallet in "${pallets[@]}"; do
		log "benchmarking $pallet (steps $steps, repeat $repeat)"
		"$KMCC_NODE_BIN" benchmark pallet \
			--chain dev \
			--pallet "$pallet" \
			--extrinsic '*' \
			--steps "$steps" \
			--repeat "$repeat" \
			--wasm-execution compiled \
			--heap-pages 4096 \
			--template scripts/templates/runtime-weights.hbs \
			--output "$out/$pallet.rs"
	done
}

# The base depends on the overhead and on the extension and `frame_system` weights: every step
# that changes one of them recomputes it.
case "$what" in
storage) bench_storage ;;
overhead)
	bench_overhead
	bench_base
	;;
pallets)
	bench_pallets "$@"
	bench_base
	;;
base) bench_base ;;
all)
	bench_storage
	bench_overhead
	bench_pallets
	bench_base
	;;
*)
	echo "usage: $0 [all|storage|overhead|pallets [pallet …]|base]" >&2
	exit 2
	;;
esac
log "weights written to $out; rebuild the node (scripts/run-dev.sh or scripts/test.sh)"
