#!/usr/bin/env bash
# Throughput of a space exported as a disk (`kmcc space nbd`, client-side encryption on) over
# the 4-daemon loopback network of `scripts/storage-net.sh`, and of the same workload against
# `qemu-nbd` serving a local file in the same run (the local limit). Workloads
# (scripts/bench-storage.py, libnbd): 64 MiB sequential in 1 MiB requests (8 in flight),
# 4,000 random 4 KiB requests (16 in flight), reads and writes; write times include a final
# flush. Prints a Markdown table; the README's figures come from it.
#
# Environment: KMCC_BENCH_SEQ_MIB (64), KMCC_BENCH_RANDOM_OPS (4000).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

dir="$(mktemp -d "${TMPDIR:-/tmp}/kmcc-bench-storage.XXXXXX")"
export KMCC_RPC_PORT="${KMCC_RPC_PORT:-9988}" KMCC_STORAGE_PORT="${KMCC_STORAGE_PORT:-7401}"
export KMCC_STORAGE_NET_DIR="$dir/net" KMCC_PASSWORD=storage-net
nbd_port=10819
local_port=10820
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

"$REPO_ROOT/scripts/storage-net.sh" >"$dir/net.out" 2>&1 &
pids+=($!)
for _ in $(seq 3600); do
	grep -q "The storage network is up" "$dir/net.out" 2>/dev/null && break
	kill -0 "${pids[0]}" 2>/dev/null || { cat "$dir/net.out" >&2; exit 1; }
	sleep 1
done
BIN="$CARGO_TARGET_DIR/$KMCC_PROFILE"
export KMCC_URL="ws://127.0.0.1:$KMCC_RPC_PORT" KMCC_WALLET="$dir/net/wallet"

log "buying a 64 MiB space"
space=""
for _ in $(seq 30); do
	if out="$("$BIN/kmcc" --json space buy --from ferdie --size-mib 64 --days 1 --max-price 1000 2>/dev/null)" &&
		space="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["space"])' "$out" 2>/dev/null)"; then
		break
	fi
	sleep 2
done
[ -n "$space" ] || { echo "could not buy a space: $out" >&2; exit 1; }

"$BIN/kmcc" --json space nbd "$space" --as ferdie --listen "127.0.0.1:$nbd_port" >"$dir/nbd.out" 2>"$dir/nbd.err" &
pids+=($!)
truncate -s 64M "$dir/local.img"
qemu-nbd -f raw -b 127.0.0.1 -p "$local_port" -t --shared=8 "$dir/local.img" &
pids+=($!)
for _ in $(seq 60); do
	[ -s "$dir/nbd.out" ] && nbdinfo --size "nbd://127.0.0.1:$local_port" >/dev/null 2>&1 && break
	sleep 1
done

args=(--seq-mib "${KMCC_BENCH_SEQ_MIB:-64}" --random-ops "${KMCC_BENCH_RANDOM_OPS:-4000}")
log "kmcc space nbd (4 daemons, quorum 3, encrypted)"
ours="$(/usr/bin/python3 "$REPO_ROOT/scripts/bench-storage.py" "nbd://127.0.0.1:$nbd_port" $((64 << 20)) "${args[@]}")"
log "qemu-nbd serving a local file"
local="$(/usr/bin/python3 "$REPO_ROOT/scripts/bench-storage.py" "nbd://127.0.0.1:$local_port" $((64 << 20)) "${args[@]}")"

/usr/bin/python3 - "$ours" "$local" <<'EOF'
import json, sys
ours, local = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print("| workload | kmcc space nbd | qemu-nbd, local file | ratio |")
print("|---|---:|---:|---:|")
for name, unit in [("seq-write", "MiBps"), ("seq-read", "MiBps"), ("rand-write-4k", "iops"), ("rand-read-4k", "iops")]:
    label = "MiB/s" if unit == "MiBps" else "IOPS"
    o, l = ours[name][unit], local[name][unit]
    print(f"| {name} | {o:,.1f} {label} | {l:,.1f} {label} | {100 * o / l:.1f} % |")
EOF
echo
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u +%Y-%m-%dT%H:%MZ)"
