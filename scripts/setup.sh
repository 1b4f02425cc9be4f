#!/usr/bin/env bash
# Installs everything KMCC Chain needs to build and test, idempotently:
# Debian packages (protoc, clang/libclang, the DejaVu font of kmcc-bench charts), the Rust
# WASM target, rust-src, rustfmt and clippy, the lint tools zepter and taplo, and the npm
# packages of the end-to-end tests, and the Ethereum JSON-RPC adapter (`eth-rpc`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

APT_PACKAGES=(protobuf-compiler clang libclang-dev make pkg-config git curl fonts-dejavu-core
	qemu-utils libnbd-bin python3-libnbd e2fsprogs)
missing=()
for p in "${APT_PACKAGES[@]}"; do
	dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
	log "installing Debian packages: ${missing[*]}"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	log "installing Node.js and npm"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi

# substrate-wasm-builder prefers wasm32v1-none (no build-std); wasm32-unknown-unknown and
# rust-src are its fallback.
installed_targets="$(rustup target list --installed)"
for t in wasm32v1-none wasm32-unknown-unknown; do
	grep -qx "$t" <<<"$installed_targets" || rustup target add "$t"
done
rustup component list --installed | grep -q '^rust-src' || rustup component add rust-src
for c in rustfmt clippy; do
	rustup component list --installed | grep -q "^$c" || rustup component add "$c"
done

# Lint tools of `scripts/test.sh`, pinned, built once into ~/.cargo/bin.
install_tool() { # binary crate version
	if ! "$1" --version 2>/dev/null | grep -qF "$3"; then
		log "installing $2 $3"
		cargo install --locked --quiet "$2" --version "$3"
	fi
}
install_tool zepter zepter "$ZEPTER_VERSION"
install_tool taplo taplo-cli "$TAPLO_VERSION"

if [ ! -d "$REPO_ROOT/tests/e2e/node_modules/@polkadot/api" ] ||
	[ "$REPO_ROOT/tests/e2e/package-lock.json" -nt "$REPO_ROOT/tests/e2e/node_modules/.package-lock.json" ]; then
	log "installing end-to-end test packages (npm ci)"
	(cd "$REPO_ROOT/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error)
fi
# The Ethereum JSON-RPC adapter, built once (35 to 55 min on 2 cores: RocksDB, SQLite,
# wasmtime) with its own lock file (`--locked`) and a throwaway target directory, from $HOME so
# that this repository's cargo settings do not apply. `SKIP_WASM_BUILD`: it needs the SDK
# dev runtime's metadata only, not its WASM.
if [ ! -x "$KMCC_ETH_RPC_BIN" ] ||
	! cargo install --list --root "$ETH_RPC_ROOT" | grep -qxF "pallet-revive-eth-rpc v$ETH_RPC_VERSION:"; then
	log "installing the Ethereum JSON-RPC adapter (pallet-revive-eth-rpc $ETH_RPC_VERSION)"
	(cd "$HOME" && SKIP_WASM_BUILD=1 CARGO_TARGET_DIR="$HOME/.cache/kmcc/eth-rpc-target" \
		cargo install --locked --quiet --root "$ETH_RPC_ROOT" pallet-revive-eth-rpc \
		--version "=$ETH_RPC_VERSION")
	rm -rf "$HOME/.cache/kmcc/eth-rpc-target"
fi
log "setup complete"
