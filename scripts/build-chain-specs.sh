#!/usr/bin/env bash
# Regenerates the committed chain specs from the runtime presets:
#   chain-specs/kmcc-testnet-raw.json            public testnet, raw (what nodes start from)
#   chain-specs/kmcc-mainnet-template.json       mainnet template, plain (edit, then --raw)
# With --check, regenerates into a temporary directory and fails if the committed files
# differ (run by scripts/test.sh, so the committed specs always match the runtime).
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
		if ! cmp -s "$out/$f" "$REPO_ROOT/chain-specs/$f"; then
			echo "chain-specs/$f is out of date: run scripts/build-chain-specs.sh and commit it" >&2
			exit 1
		fi
	done
	log "committed chain specs match the runtime"
else
	log "wrote $out/kmcc-testnet-raw.json and $out/kmcc-mainnet-template.json"
fi
