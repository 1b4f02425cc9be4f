#!/usr/bin/env bash
# A storage network on loopback in one command: a dev node, four `kmcc-storage` landlord
# daemons (Bob, Charlie, Dave and Eve, 128 MiB each: two copy groups, 128 MiB of world disk),
# registered on chain, and a wallet with Ferdie to buy and mount a space. Prints the commands;
# Ctrl-C stops everything. State lives in a temporary directory (printed).
#
# Environment: KMCC_RPC_PORT (9944), KMCC_STORAGE_PORT (first daemon port, 7101),
# KMCC_STORAGE_NET_DIR (state directory, default a new temporary one).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$REPO_ROOT/scripts/setup.sh"
build_node -p kmcc-client -p kmcc-storage
BIN="$CARGO_TARGET_DIR/$KMCC_PROFILE"

rpc_port="${KMCC_RPC_PORT:-9944}"
first_port="${KMCC_STORAGE_PORT:-7101}"
dir="${KMCC_STORAGE_NET_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/kmcc-storage-net.XXXXXX")}"
mkdir -p "$dir"
url="ws://127.0.0.1:$rpc_port"
landlords=(Bob Charlie Dave Eve)
pids=()
registering=()

cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

log "starting the dev node (RPC $url, log $dir/node.log)"
"$KMCC_NODE_BIN" --dev --tmp --rpc-port "$rpc_port" --no-telemetry >"$dir/node.log" 2>&1 &
pids+=($!)
for _ in $(seq 120); do
	curl -sf -H 'content-type: application/json' \
		-d '{"id":1,"jsonrpc":"2.0","method":"system_health","params":[]}' \
		"http://127.0.0.1:$rpc_port" >/dev/null && break
	sleep 1
done

log "registering ${#landlords[@]} landlords and starting their daemons (logs $dir/landlord*.log)"
for i in "${!landlords[@]}"; do
	port=$((first_port + i))
	"$BIN/kmcc-storage" --url "$url" --node-key "//KmccStorageNode$i" run \
		--data-dir "$dir/landlord$i" --listen "127.0.0.1:$port" \
		--submitter "//${landlords[$i]}" >"$dir/landlord$i.log" 2>&1 &
	pids+=($!)
	"$BIN/kmcc-storage" --url "$url" --node-key "//KmccStorageNode$i" register \
		--account "//${landlords[$i]}" --capacity-mib 128 --endpoint "127.0.0.1:$port" &
	registering+=($!)
done
for pid in "${registering[@]}"; do wait "$pid"; done

export KMCC_URL="$url" KMCC_WALLET="$dir/wallet" KMCC_PASSWORD="${KMCC_PASSWORD:-storage-net}"
"$BIN/kmcc" account import ferdie --suri //Ferdie >/dev/null

cat <<EOF

The storage network is up: node $url, daemons on 127.0.0.1:$first_port-$((first_port + 3)),
state in $dir. In another shell:

  export PATH="$BIN:\$PATH" KMCC_URL=$url KMCC_WALLET=$dir/wallet KMCC_PASSWORD=$KMCC_PASSWORD
  kmcc space buy --from ferdie --size-mib 64 --days 1 --max-price 1000   # prints the space id
  kmcc space nbd 0 --as ferdie --listen 127.0.0.1:10809                  # serves it as a disk

and use the disk with any NBD client:

  qemu-img info nbd://127.0.0.1:10809
  qemu-img convert -n -f raw -O raw my-disk.img nbd://127.0.0.1:10809   # copy an image in
  nbdcopy nbd://127.0.0.1:10809 copy.img                                # and out
  sudo modprobe nbd && sudo nbd-client 127.0.0.1 10809 /dev/nbd0 && sudo mkfs.ext4 /dev/nbd0

Ctrl-C stops the node and the daemons.
EOF
wait "${pids[0]}"
