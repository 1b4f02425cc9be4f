// Starts real kmcc-node processes on free loopback ports and connects @polkadot/api to them.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiPromise, WsProvider } from '@polkadot/api';

const targetDir = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache/kmcc/target');
export const NODE_BIN = process.env.KMCC_NODE_BIN || join(targetDir, 'release/kmcc-node');
export const UPGRADE_WASM =
  process.env.KMCC_UPGRADE_WASM ||
  join(targetDir, 'release/wbuild/kmcc-runtime/kmcc_runtime_upgrade_test.compact.compressed.wasm');

// Ports. The test files run concurrently (`node --test --test-concurrency`), each in its own
// process, so "a port that was free a moment ago" could be bound by another file's node before
// ours binds it. Instead every file owns a block of PORT_BLOCK ports, chosen by its place among
// the `*.test.mjs` files, starting below Linux's ephemeral range (32768–60999): blocks cannot
// collide, and the kernel hands none of these ports to outgoing connections.
const PORTS_FROM = 20_000;
const PORT_BLOCK = 100;
const E2E_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const TEST_FILES = readdirSync(E2E_DIR).filter((f) => f.endsWith('.test.mjs')).sort();
let portsTaken = 0;

function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** The first of `count` consecutive ports of this test file's block, all free now. */
export async function freePorts(count) {
  const file = basename(process.argv[1] ?? '');
  const index = TEST_FILES.indexOf(file);
  if (index < 0) throw new Error(`ports are handed to tests/e2e/*.test.mjs files, not to ${file}`);
  const base = PORTS_FROM + index * PORT_BLOCK;
  while (portsTaken + count <= PORT_BLOCK) {
    const first = base + portsTaken;
    portsTaken += count;
    const free = await Promise.all(Array.from({ length: count }, (_, i) => portIsFree(first + i)));
    if (free.every(Boolean)) return first;
  }
  throw new Error(`${file}: no ${count} free consecutive ports left in ${base}..${base + PORT_BLOCK - 1}`);
}

/** A port of this test file's block that is free now. */
export const freePort = () => freePorts(1);

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor(what, check, timeoutMs = 60_000, everyMs = 500) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what} (last: ${last})`);
}

/**
 * Spawns `bin` with `args`, its output going to `logPath`. Returns { proc, stop(), exited() }:
 * `stop` sends SIGINT and SIGKILL after `graceMs`; `exited` is { code, signal } once it ended.
 */
export function spawnLogged(bin, args, logPath, graceMs) {
  const log = createWriteStream(logPath);
  const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.pipe(log);
  proc.stderr.pipe(log);
  let exited = null;
  proc.on('exit', (code, signal) => { exited = { code, signal }; });
  const stop = async () => {
    if (exited) return;
    proc.kill('SIGINT');
    const deadline = Date.now() + graceMs;
    while (!exited && Date.now() < deadline) await sleep(100);
    if (!exited) proc.kill('SIGKILL');
  };
  return { proc, stop, exited: () => exited };
}

/**
 * Starts `kmcc-node` with `args` plus free RPC/p2p/prometheus ports and `--tmp` state.
 * Returns { proc, rpcPort, p2pPort, logPath, stop() }.
 */
export async function startNode(args, { name = 'node' } = {}) {
  if (!existsSync(NODE_BIN)) throw new Error(`kmcc-node not built: ${NODE_BIN}`);
  const rpcPort = await freePort();
  const p2pPort = await freePort();
  const promPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `kmcc-e2e-${name}-`));
  const logPath = join(dir, 'node.log');
  const { proc, stop, exited } = spawnLogged(
    NODE_BIN,
    [
      ...args,
      '--tmp',
      '--rpc-port', String(rpcPort),
      '--port', String(p2pPort),
      '--prometheus-port', String(promPort),
      '--no-telemetry',
      '--no-mdns',
    ],
    logPath,
    20_000,
  );
  await waitFor(`${name} RPC on ${rpcPort} (log ${logPath})`, async () => {
    if (exited()) throw new Error(`${name} exited early ${JSON.stringify(exited())}; see ${logPath}`);
    const res = await fetch(`http://127.0.0.1:${rpcPort}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'system_health', params: [] }),
    });
    return res.ok;
  }, 120_000);
  return { proc, rpcPort, p2pPort, logPath, stop, isRunning: () => !exited() };
}

/** Connects @polkadot/api to a started node. */
export async function connect(node) {
  const provider = new WsProvider(`ws://127.0.0.1:${node.rpcPort}`, 1_000);
  const api = await ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });
  await api.isReady;
  return api;
}

/**
 * Signs, sends and waits for inclusion; resolves with { blockHash, events, dispatchError }.
 * Resolves on `InBlock` or on `Finalized`: the node finalizes the best block, so the
 * transaction pool can report a transaction finalized without an `InBlock` first (seen on the
 * block that enacts a runtime upgrade).
 */
export function sendAndWait(api, tx, signer, options = {}) {
  return new Promise((resolve, reject) => {
    let unsub;
    tx.signAndSend(signer, options, (result) => {
      const { status, events, dispatchError } = result;
      if (status.isInBlock || status.isFinalized) {
        if (unsub) unsub();
        const blockHash = (status.isInBlock ? status.asInBlock : status.asFinalized).toHex();
        resolve({ blockHash, events, dispatchError });
      } else if (status.isInvalid || status.isDropped || status.isUsurped) {
        if (unsub) unsub();
        reject(new Error(`transaction ${status.type}`));
      }
    }).then((u) => { unsub = u; }).catch(reject);
  });
}

/** The fee `who` paid in `events` (TransactionPayment.TransactionFeePaid), as BigInt. */
export function feePaid(api, events, who) {
  const e = events.find(({ event }) =>
    api.events.transactionPayment.TransactionFeePaid.is(event) && event.data.who.toString() === who);
  if (!e) throw new Error(`no TransactionFeePaid for ${who}`);
  return e.event.data.actualFee.toBigInt();
}

export const free = async (api, who, at) =>
  (at ? await (await api.at(at)).query.system.account(who) : await api.query.system.account(who))
    .data.free.toBigInt();

// ---- KMCC emission (design §2), mirrored from pallet-kmcc-issuance's schedule.rs ----

export const KMCC = 10n ** 18n;
const EMISSION_TOTAL = 4_500_000_000n * KMCC;
const PERIOD_BLOCKS = 5_259_600n;
const PERIODS = 60n;

function periodEmission(k) {
  if (k < PERIODS - 1n) return EMISSION_TOTAL >> (k + 1n);
  if (k > PERIODS - 1n) return 0n;
  let sum = 0n;
  for (let j = 0n; j < PERIODS - 1n; j++) sum += EMISSION_TOTAL >> (j + 1n);
  return EMISSION_TOTAL - sum;
}

/** The scheduled reward of block `n`. */
export function rewardAt(n) {
  n = BigInt(n);
  if (n === 0n) return 0n;
  const i = n - 1n;
  const k = i / PERIOD_BLOCKS;
  if (k >= PERIODS) return 0n;
  const e = periodEmission(k);
  return e / PERIOD_BLOCKS + (i % PERIOD_BLOCKS < e % PERIOD_BLOCKS ? 1n : 0n);
}

/** A reward split 45/35/20 % as the runtime does: pots rounded down, producer the rest. */
export function splitReward(reward) {
  const masternodes = (reward * 450_000_000n) / 1_000_000_000n;
  const storage = (reward * 200_000_000n) / 1_000_000_000n;
  return { masternodes, storage, producer: reward - masternodes - storage };
}

/** The address of a pallet account `PalletId(id)` ("modl" ++ id, zero-padded to 32 bytes). */
export function palletAccount(api, id) {
  const raw = new Uint8Array(32);
  raw.set(new TextEncoder().encode(`modl${id}`));
  return api.createType('AccountId', raw).toString();
}
