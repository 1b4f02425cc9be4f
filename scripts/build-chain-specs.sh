#!/usr/bin/env bash
# Regenerates the committed chain specs from the runtime presets:
#   chain-specs/kmcc-testnet-raw.json            public testnet, raw (what nodes start from)
#   chain-specs/kmcc-mainnet-template.json       mainnet template, plain (edit, then --raw)
# With --check, regenerates into a temporary directory and fails if the committed files
# differ in anything but the runtime code blob (run by scripts/test.sh, so the committed
# genesis always matches the runtime's presets). The code blob is left out of the check
# because cargo hashes each crate's source path into its symbols: the same sources built in
# another directory give a different (equally valid) WASM. Bit-identical code needs the same
# build path, as srtool-style builds in docker/Dockerfile (/build) provide.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

out="$REPO_ROOT/chain-specs"
check=0
if [ "${1:-}" = "--check" ]; then
	check=1
	out="$(mktemp -d)"
	trap 'rm -rf "$out"' EXIT
else
	build_node
fi

"$KMCC_NODE_BIN" build-spec --chain testnet --raw --disable-default-bootnode \
	>"$out/kmcc-testnet-raw.json" 2>/dev/null
"$KMCC_NODE_BIN" build-spec --chain mainnet-template --disable-default-bootnode \
	>"$out/kmcc-mainnet-template.json" 2>/dev/null

if [ "$check" = 1 ]; then
	for f in kmcc-testnet-raw.json kmcc-mainnet-template.json; do
		if ! python3 - "$out/$f" "$REPO_ROOT/chain-specs/$f" <<'PY'; then
import json, sys

CODE_KEY = "0x3a636f6465"  # twox-free well-known key ":code"

def without_code(path):
    spec = json.load(open(path))
    genesis = spec["genesis"]
    genesis.get("runtimeGenesis", {}).pop("code", None)
    genesis.get("raw", {}).get("top", {}).pop(CODE_KEY, None)
    return spec

sys.exit(0 if without_code(sys.argv[1]) == without_code(sys.argv[2]) else 1)
PY
			echo "chain-specs/$f is out of date: run scripts/build-chain-specs.sh and commit it" >&2
			exit 1
		fi
	done
	log "committed chain specs match the runtime"
else
	log "wrote $out/kmcc-testnet-raw.json and $out/kmcc-mainnet-template.json"
fi
