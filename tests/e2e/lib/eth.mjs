// The Ethereum JSON-RPC adapter (`eth-rpc`, pallet-revive-eth-rpc) in front of a started
// kmcc-node, for ethers.
import { existsSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ethers } from 'ethers';
import { freePort, spawnLogged, waitFor } from './node.mjs';

/** Installed by `scripts/setup.sh` (outside the workspace: it builds RocksDB and SQLite). */
export const ETH_RPC_BIN =
  process.env.KMCC_ETH_RPC_BIN || join(homedir(), '.cache/kmcc/eth-rpc/bin/eth-rpc');

/** KMCC Chain's EIP-155 chain id (`runtime/src/configs/evm.rs`). */
export const CHAIN_ID = 5622n;

/**
 * Starts the adapter against `node` (from `startNode`) on a free port of this file's block.
 * Its receipts index lives in memory and keeps the latest 10,000 blocks.
 * Returns { url, port, logPath, provider, stop() }.
 */
export async function startEthRpc(node, { name = 'eth-rpc' } = {}) {
  if (!existsSync(ETH_RPC_BIN)) throw new Error(`eth-rpc not installed: ${ETH_RPC_BIN} (scripts/setup.sh)`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `kmcc-e2e-${name}-`));
  const logPath = join(dir, 'eth-rpc.log');
  const { stop, exited } = spawnLogged(
    ETH_RPC_BIN,
    [
      '--node-rpc-url', `ws://127.0.0.1:${node.rpcPort}`,
      '--rpc-port', String(port),
      '--no-prometheus',
      '--eth-pruning', '10000',
      '--base-path', dir,
    ],
    logPath,
    10_000,
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${name} on ${port} (log ${logPath})`, async () => {
    if (exited()) throw new Error(`${name} exited early ${JSON.stringify(exited())}; see ${logPath}`);
    return (await rpc(url, 'eth_chainId')) !== undefined;
  }, 120_000);
  const provider = new ethers.JsonRpcProvider(url, undefined, { staticNetwork: true, polling: true, pollingInterval: 500 });
  return { url, port, logPath, provider, stop, isRunning: () => !exited() };
}

/** One raw JSON-RPC request; returns `result` or throws the JSON-RPC error. */
export async function rpc(url, method, params = []) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: 1, jsonrpc: '2.0', method, params }),
  });
  const body = await res.json();
  if (body.error) {
    const error = new Error(`${method}: ${body.error.message}`);
    error.rpc = body.error;
    throw error;
  }
  return body.result;
}

/** The Ethereum address of a KMCC (sr25519) account: the last 20 bytes of keccak256(account). */
export function ethAddressOf(accountId32) {
  return ethers.getAddress(`0x${ethers.keccak256(accountId32).slice(-40)}`);
}

/** The KMCC account an Ethereum key's `address` spends from: the address ‖ 0xEE × 12. */
export function accountOfEthAddress(address) {
  return `${address.toLowerCase()}${'ee'.repeat(12)}`;
}
