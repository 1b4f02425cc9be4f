#!/usr/bin/env bash
# Sets up the machine, builds kmcc-node and runs a single-node development chain
# (Alice authors and finalizes; state in a temporary directory; RPC on ws://127.0.0.1:9944).
# Extra arguments go to the node, e.g. `scripts/run-dev.sh --rpc-port 9955`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$REPO_ROOT/scripts/setup.sh"
build_node
log "starting the dev chain: $KMCC_NODE_BIN --dev"
exec "$KMCC_NODE_BIN" --dev "$@"
