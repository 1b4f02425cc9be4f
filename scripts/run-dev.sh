#!/usr/bin/env bash
# Sets up the machine, builds kmcc-node and runs a single-node development chain
# (Alice authors and finalizes; state in a temporary directory; RPC on ws://127.0.0.1:9944)
# with the Ethereum JSON-RPC adapter in front of it (http://127.0.0.1:8545, chain id 5622), so
# that MetaMask, ethers or Hardhat work at once (README, "Ethereum tools").
# Extra arguments go to the node, e.g. `scripts/run-dev.sh --rpc-port 9955`;
# `KMCC_ETH_RPC_PORT` moves the adapter, `KMCC_ETH_RPC=0` leaves it out.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$REPO_ROOT/scripts/setup.sh"
build_node

rpc_port=9944
args=("$@")
for i in "${!args[@]}"; do
	case "${args[$i]}" in
	--rpc-port) rpc_port="${args[$((i + 1))]}" ;;
	--rpc-port=*) rpc_port="${args[$i]#--rpc-port=}" ;;
	esac
done

if [ "${KMCC_ETH_RPC:-1}" = 0 ]; then
	log "starting the dev chain: $KMCC_NODE_BIN --dev $*"
	exec "$KMCC_NODE_BIN" --dev "$@"
fi

log "starting the dev chain: $KMCC_NODE_BIN --dev $*"
"$KMCC_NODE_BIN" --dev "$@" &
node_pid=$!
adapter_pid=""
trap 'kill $adapter_pid $node_pid 2>/dev/null; wait' EXIT INT TERM
for _ in $(seq 120); do
	curl -sf -H 'content-type: application/json' \
		-d '{"id":1,"jsonrpc":"2.0","method":"system_health","params":[]}' \
		"http://127.0.0.1:$rpc_port" >/dev/null && break
	kill -0 "$node_pid" 2>/dev/null || exit 1
	sleep 1
done
eth_port="${KMCC_ETH_RPC_PORT:-8545}"
log "starting the Ethereum JSON-RPC adapter on http://127.0.0.1:$eth_port (chain id 5622)"
# The dev chain's state is temporary, so is the adapter's index (in memory, latest 100,000 blocks).
"$KMCC_ETH_RPC_BIN" --node-rpc-url "ws://127.0.0.1:$rpc_port" --rpc-port "$eth_port" \
	--rpc-cors all --no-prometheus --eth-pruning 100000 &
adapter_pid=$!
wait "$node_pid"
