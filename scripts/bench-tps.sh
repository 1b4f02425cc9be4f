#!/usr/bin/env bash
# Measures throughput and latency with kmcc-bench (node/bench): builds the node and the
# harness (release profile), starts a chain with 10,000 endowed bench accounts, runs a fixed
# scenario and prints the table; the JSON report and the PNG chart go to $KMCC_BENCH_OUT.
#
#   scripts/bench-tps.sh            single-node dev chain (--chain bench): a run at the
#                                   maximum rate ("dev-max"), then one at half the rate it
#                                   sustained ("dev-half", or KMCC_BENCH_HALF_RATE) for
#                                   latency under moderate load, then the maximum rate of a
#                                   mixed workload ("dev-mixed": KMCC_BENCH_LEASE_PERCENT,
#                                   10 % by default, of the transactions are `dpos.lease`)
#   scripts/bench-tps.sh local      the 4-validator local network (--chain bench-local) at the
#                                   maximum rate, load sent to Alice's node ("local-max")
#   scripts/bench-tps.sh erc20      ERC-20 transfers through the Ethereum JSON-RPC adapter:
#                                   the dev chain with eth-rpc in front of it, a native
#                                   baseline at the maximum rate ("dev-max"), then ERC-20
#                                   transfers at the maximum rate ("dev-erc20": OpenZeppelin's
#                                   ERC-20 compiled by the e2e tests' solc, KMCC_BENCH_ERC20_SENDERS
#                                   Ethereum keys, 1,000 by default)
#   scripts/bench-tps.sh all        dev and local
#
# Scenario (environment): KMCC_BENCH_DURATION (60 s), KMCC_BENCH_WARMUP (10 s),
# KMCC_BENCH_HALF_RATE, KMCC_BENCH_ARGS (more kmcc-bench flags), KMCC_BENCH_OUT
# (default $CARGO_TARGET_DIR/kmcc-bench).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"

MODE="${1:-dev}"
OUT="${KMCC_BENCH_OUT:-$CARGO_TARGET_DIR/kmcc-bench}"
DURATION="${KMCC_BENCH_DURATION:-60}"
WARMUP="${KMCC_BENCH_WARMUP:-10}"
BENCH_BIN="$CARGO_TARGET_DIR/$KMCC_PROFILE/kmcc-bench"
mkdir -p "$OUT"

"$REPO_ROOT/scripts/setup.sh"
# One invocation: built alone, kmcc-bench resolves 94 of the crates it shares with the node
# with other features (a second build of them); together, the node's build is reused.
build_node -p kmcc-bench

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_block() {
	local port=$1 deadline=$(( $(date +%s) + 180 ))
	until curl -sf -H 'content-type: application/json' \
		-d '{"id":1,"jsonrpc":"2.0","method":"chain_getHeader","params":[]}' \
		"http://127.0.0.1:$port" | grep -qv '"number":"0x0"'; do
		[ "$(date +%s)" -lt "$deadline" ] || { echo "no block on port $port after 180 s" >&2; exit 1; }
		sleep 1
	done
}

run_bench() {
	local label=$1 rpc=$2 prom=$3 rate=$4 leases=${5:-0}
	shift $(($# < 5 ? $# : 5))
	log "kmcc-bench $label: ${DURATION} s, warm-up ${WARMUP} s, rate ${rate} (0 = max), ${leases} % leases"
	# shellcheck disable=SC2086
	"$BENCH_BIN" --url "http://127.0.0.1:$rpc" --prometheus "http://127.0.0.1:$prom/metrics" \
		--label "$label" --duration "$DURATION" --warmup "$WARMUP" --rate "$rate" \
		--lease-percent "$leases" \
		--json "$OUT/$label.json" --png "$OUT/$label.png" ${KMCC_BENCH_ARGS:-} "$@" |
		tee "$OUT/$label.md"
}

start_dev_node() { # sets rpc, prom, pid
	local p2p
	rpc=$(free_port); p2p=$(free_port); prom=$(free_port)
	log "starting kmcc-node --chain bench (log $OUT/dev-node.log)"
	"$KMCC_NODE_BIN" --chain bench --alice --validator --force-authoring --tmp \
		--unsafe-force-node-key-generation \
		--rpc-port "$rpc" --port "$p2p" --prometheus-port "$prom" --no-telemetry --no-mdns \
		>"$OUT/dev-node.log" 2>&1 &
	pid=$!
	trap 'kill -INT $pid 2>/dev/null || true' EXIT
	wait_block "$rpc"
}

bench_dev() {
	local rpc prom pid
	start_dev_node
	run_bench dev-max "$rpc" "$prom" 0
	local half="${KMCC_BENCH_HALF_RATE:-$(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["rates"]["included_per_s"] / 2))' "$OUT/dev-max.json")}"
	run_bench dev-half "$rpc" "$prom" "$half"
	run_bench dev-mixed "$rpc" "$prom" 0 "${KMCC_BENCH_LEASE_PERCENT:-10}"
	kill -INT "$pid"; wait "$pid" || true
	trap - EXIT
}

bench_erc20() {
	local rpc prom pid eth eth_pid
	node tests/e2e/lib/solc.mjs tests/e2e/contracts/KmccTestToken.sol KmccTestToken \
		"$OUT/KmccTestToken.bin"
	start_dev_node
	eth=$(free_port)
	log "starting eth-rpc on $eth (log $OUT/dev-eth-rpc.log)"
	"$KMCC_ETH_RPC_BIN" --node-rpc-url "ws://127.0.0.1:$rpc" --rpc-port "$eth" --no-prometheus \
		--eth-pruning 10000 --base-path "$OUT/eth-rpc-db" >"$OUT/dev-eth-rpc.log" 2>&1 &
	eth_pid=$!
	trap 'kill -INT $pid $eth_pid 2>/dev/null || true' EXIT
	until curl -sf -H 'content-type: application/json' \
		-d '{"id":1,"jsonrpc":"2.0","method":"eth_chainId","params":[]}' "http://127.0.0.1:$eth" >/dev/null; do
		kill -0 "$eth_pid" 2>/dev/null || { echo "eth-rpc exited; see $OUT/dev-eth-rpc.log" >&2; exit 1; }
		sleep 1
	done
	run_bench dev-max "$rpc" "$prom" 0
	run_bench dev-erc20 "$rpc" "$prom" 0 0 --erc20 "$OUT/KmccTestToken.bin" \
		--eth-url "http://127.0.0.1:$eth" --senders "${KMCC_BENCH_ERC20_SENDERS:-1000}"
	kill -INT "$eth_pid" "$pid"; wait "$eth_pid" "$pid" || true
	trap - EXIT
}

bench_local() {
	export KMCC_CHAIN=bench-local KMCC_SKIP_BUILD=1
	export KMCC_NET_DIR="${KMCC_NET_DIR:-/tmp/kmcc-bench-local}"
	export KMCC_RPC_BASE_PORT="${KMCC_RPC_BASE_PORT:-19944}"
	export KMCC_P2P_BASE_PORT="${KMCC_P2P_BASE_PORT:-40333}"
	export KMCC_PROMETHEUS_BASE_PORT="${KMCC_PROMETHEUS_BASE_PORT:-19615}"
	trap '"$REPO_ROOT/scripts/local-testnet.sh" stop' EXIT
	"$REPO_ROOT/scripts/local-testnet.sh" start
	wait_block "$KMCC_RPC_BASE_PORT"
	run_bench local-max "$KMCC_RPC_BASE_PORT" "$KMCC_PROMETHEUS_BASE_PORT" 0
	"$REPO_ROOT/scripts/local-testnet.sh" stop
	trap - EXIT
}

case "$MODE" in
	dev) bench_dev ;;
	local) bench_local ;;
	erc20) bench_erc20 ;;
	all) bench_dev; bench_local ;;
	*) echo "usage: $0 [dev|local|erc20|all]" >&2; exit 2 ;;
esac
log "reports in $OUT"
