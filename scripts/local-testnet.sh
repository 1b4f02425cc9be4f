#!/usr/bin/env bash
# A 4-validator KMCC network on 127.0.0.1: Alice, Bob, Charlie and Dave, each with its own
# ports, node key and base path; Alice is the bootnode of the others.
#
#   scripts/local-testnet.sh                 build, start all four, stop them on Ctrl-C
#   scripts/local-testnet.sh start           start in the background and return
#   scripts/local-testnet.sh stop-node NAME  stop one node (alice|bob|charlie|dave)
#   scripts/local-testnet.sh start-node NAME start a stopped node again (same state and keys)
#   scripts/local-testnet.sh stop            stop every node
#   scripts/local-testnet.sh status          list nodes and their RPC endpoints
#
# Environment: KMCC_NET_DIR (state, logs, pids; default /tmp/kmcc-local-testnet),
# KMCC_P2P_BASE_PORT (30333), KMCC_RPC_BASE_PORT (9944), KMCC_PROMETHEUS_BASE_PORT (9615),
# KMCC_CHAIN (local; or a chain spec file such as chain-specs/kmcc-testnet-raw.json),
# KMCC_SKIP_BUILD=1 to use an existing binary.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

NET_DIR="${KMCC_NET_DIR:-/tmp/kmcc-local-testnet}"
P2P_BASE="${KMCC_P2P_BASE_PORT:-30333}"
RPC_BASE="${KMCC_RPC_BASE_PORT:-9944}"
PROM_BASE="${KMCC_PROMETHEUS_BASE_PORT:-9615}"
CHAIN="${KMCC_CHAIN:-local}"
NODES=(alice bob charlie dave)

index_of() {
	local i
	for i in "${!NODES[@]}"; do [ "${NODES[$i]}" = "$1" ] && { echo "$i"; return; }; done
	echo "unknown node '$1' (alice|bob|charlie|dave)" >&2
	exit 2
}

# Deterministic node keys, so that the bootnode address is known before start.
node_key() { printf '%064x' "$(( $1 + 1 ))"; }

peer_id() {
	local key_file="$NET_DIR/$1/node-key"
	"$KMCC_NODE_BIN" key inspect-node-key --file "$key_file"
}

# The raw spec written by `start_all`: the nodes start from its storage without each running
# the runtime's genesis build (a WASM compile per node, slow on a loaded machine).
chain_arg() {
	if [ -f "$NET_DIR/chain-raw.json" ]; then echo "$NET_DIR/chain-raw.json"; else echo "$CHAIN"; fi
}

start_node() {
	local name=$1 i bootnode_args=()
	i=$(index_of "$name")
	mkdir -p "$NET_DIR/$name"
	node_key "$i" >"$NET_DIR/$name/node-key"
	if [ "$name" != alice ]; then
		bootnode_args=(--bootnodes "/ip4/127.0.0.1/tcp/$P2P_BASE/p2p/$(peer_id alice)")
	fi
	"$KMCC_NODE_BIN" \
		--chain "$(chain_arg)" \
		"--$name" \
		--validator \
		--base-path "$NET_DIR/$name/data" \
		--node-key-file "$NET_DIR/$name/node-key" \
		--listen-addr "/ip4/127.0.0.1/tcp/$((P2P_BASE + i))" \
		--rpc-port "$((RPC_BASE + i))" \
		--prometheus-port "$((PROM_BASE + i))" \
		--allow-private-ip \
		--no-mdns \
		--no-telemetry \
		"${bootnode_args[@]}" \
		>"$NET_DIR/$name/node.log" 2>&1 &
	echo $! >"$NET_DIR/$name/pid"
	log "$name: pid $!, rpc ws://127.0.0.1:$((RPC_BASE + i)), p2p $((P2P_BASE + i)), log $NET_DIR/$name/node.log"
}

wait_rpc() {
	local name=$1 i port deadline
	i=$(index_of "$name")
	port=$((RPC_BASE + i))
	# A node opens RPC after compiling the runtime; four of them beside other test nodes on two
	# cores have taken over 120 s.
	deadline=$(( $(date +%s) + 300 ))
	until curl -sf -H 'content-type: application/json' \
		-d '{"id":1,"jsonrpc":"2.0","method":"system_health","params":[]}' \
		"http://127.0.0.1:$port" >/dev/null; do
		if ! kill -0 "$(cat "$NET_DIR/$name/pid")" 2>/dev/null; then
			echo "$name exited; see $NET_DIR/$name/node.log" >&2
			tail -20 "$NET_DIR/$name/node.log" >&2
			exit 1
		fi
		[ "$(date +%s)" -lt "$deadline" ] || { echo "$name RPC not up after 300 s" >&2; exit 1; }
		sleep 0.5
	done
}

stop_node() {
	local name=$1 pid_file="$NET_DIR/$1/pid" pid
	[ -f "$pid_file" ] || return 0
	pid=$(cat "$pid_file")
	if kill -0 "$pid" 2>/dev/null; then
		kill -INT "$pid"
		for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
		kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
		log "$name stopped"
	fi
	rm -f "$pid_file"
}

start_all() {
	[ "${KMCC_SKIP_BUILD:-0}" = 1 ] || build_node
	stop_all
	rm -rf "$NET_DIR"
	mkdir -p "$NET_DIR"
	"$KMCC_NODE_BIN" build-spec --chain "$CHAIN" --raw --disable-default-bootnode \
		>"$NET_DIR/chain-raw.json" 2>"$NET_DIR/build-spec.log"
	for n in "${NODES[@]}"; do start_node "$n"; done
	for n in "${NODES[@]}"; do wait_rpc "$n"; done
	log "4-node network up in $NET_DIR"
}

stop_all() {
	for n in "${NODES[@]}"; do stop_node "$n"; done
}

status() {
	for n in "${NODES[@]}"; do
		local i pid state=stopped
		i=$(index_of "$n")
		pid=$(cat "$NET_DIR/$n/pid" 2>/dev/null || true)
		[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && state="running (pid $pid)"
		echo "$n: $state, rpc ws://127.0.0.1:$((RPC_BASE + i))"
	done
}

case "${1:-run}" in
	run)
		start_all
		trap 'stop_all; exit 0' INT TERM
		log "press Ctrl-C to stop the network"
		while true; do sleep 1; done
		;;
	start) start_all ;;
	stop-node) stop_node "${2:?node name}" ;;
	start-node)
		stop_node "${2:?node name}"
		start_node "$2"
		wait_rpc "$2"
		;;
	stop) stop_all ;;
	status) status ;;
	*) echo "usage: $0 [run|start|stop-node NAME|start-node NAME|stop|status]" >&2; exit 2 ;;
esac
