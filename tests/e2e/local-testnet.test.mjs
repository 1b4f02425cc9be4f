// The 4-validator local network of scripts/local-testnet.sh: every validator authors,
// GRANDPA finalizes, and finality survives one node going down.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { freePort, waitFor, NODE_BIN } from './lib/node.mjs';

const script = join(dirname(fileURLToPath(import.meta.url)), '../../scripts/local-testnet.sh');
let env, api;

// A free port below 60000 as the base of 12 consecutive ones: p2p, RPC and Prometheus
// ranges of 4 each (good enough on a quiet loopback).
async function portBase() {
  for (;;) {
    const p = await freePort();
    if (p < 60_000) return p;
  }
}

const net = (...args) => execFileSync('bash', [script, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] }).toString();

before(async () => {
  env = {
    ...process.env,
    KMCC_NODE_BIN: NODE_BIN,
    KMCC_SKIP_BUILD: '1',
    KMCC_NET_DIR: mkdtempSync(join(tmpdir(), 'kmcc-4node-')),
  };
  const base = await portBase();
  env.KMCC_P2P_BASE_PORT = String(base);
  env.KMCC_RPC_BASE_PORT = String(base + 4);
  env.KMCC_PROMETHEUS_BASE_PORT = String(base + 8);
  net('start');
  const provider = new WsProvider(`ws://127.0.0.1:${env.KMCC_RPC_BASE_PORT}`, 1_000);
  api = await ApiPromise.create({ provider, noInitWarn: true });
});

after(async () => {
  await api?.disconnect();
  if (env) net('stop');
});

const finalized = async () =>
  (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();

test('all four validators author blocks and finality advances', async () => {
  const validators = (await api.query.session.validators()).map((v) => v.toString());
  assert.equal(validators.length, 4);

  const authors = new Set();
  let from = (await api.rpc.chain.getHeader()).number.toNumber() + 1;
  await waitFor('a block from each of the 4 validators', async () => {
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    for (; from <= best; from++) {
      const header = await api.derive.chain.getHeader(await api.rpc.chain.getBlockHash(from));
      if (header.author) authors.add(header.author.toString());
    }
    return authors.size === 4;
  }, 180_000, 1_000);
  assert.deepEqual([...authors].sort(), [...validators].sort());

  const f0 = await finalized();
  await waitFor('finality to advance', async () => (await finalized()) >= f0 + 4, 90_000);
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  console.log(`4 nodes: authors ${authors.size}/4, best #${best}, finalized #${await finalized()}`);
});

test('with one validator stopped, 3 of 4 still finalize', async () => {
  net('stop-node', 'dave');
  const status = net('status');
  assert.match(status, /dave: stopped/);
  const f0 = await finalized();
  const f1 = await waitFor('finality without dave', async () => {
    const f = await finalized();
    return f >= f0 + 5 ? f : 0;
  }, 120_000, 1_000);
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  console.log(`3 nodes: finalized #${f0} -> #${f1}, best #${best}, lag ${best - f1}`);
});
