// Scan speed of the real `kmcc` wallet over RPC: fills a running dev node's announcement
// index with N foreign announcements (random valid ephemeral keys and one-time accounts, one
// full page of 128 a block through `utility.batchAll`), then times `kmcc stealth scan` of a
// fresh wallet, which reads every announcement through `StealthApi` and checks its view tag.
//
//   scripts/run-dev.sh &                      # or any dev node on ws://127.0.0.1:9944
//   cd tests/e2e && node bench/stealth-scan.mjs [N=10000] [ws://127.0.0.1:9944]
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, randomAsU8a, sr25519PairFromSeed } from '@polkadot/util-crypto';

const N = Number(process.argv[2] ?? 10_000);
const URL = process.argv[3] ?? 'ws://127.0.0.1:9944';
const PAGE = 128;
const targetDir = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache/kmcc/target');
const KMCC_BIN = process.env.KMCC_BIN || join(targetDir, 'release/kmcc');

await cryptoWaitReady();
const api = await ApiPromise.create({ provider: new WsProvider(URL), noInitWarn: true });
const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
const point = () => sr25519PairFromSeed(randomAsU8a(32)).publicKey;

const start = (await api.call.stealthApi.announcements(0, 0)).endId.toNumber();
console.log(`index at ${start}; adding ${N} announcements, ${PAGE} a block`);
for (let sent = 0; sent < N; sent += PAGE) {
  const calls = Array.from({ length: Math.min(PAGE, N - sent) }, () =>
    api.tx.stealth.announce(point(), point(), randomAsU8a(1)[0]));
  await new Promise((resolve, reject) => {
    api.tx.utility.batchAll(calls).signAndSend(alice, ({ status, dispatchError }) => {
      if (dispatchError) reject(new Error(dispatchError.toString()));
      else if (status.isInBlock) resolve();
    }).catch(reject);
  });
}
const end = (await api.call.stealthApi.announcements(0, 0)).endId.toNumber();
await api.disconnect();

const wallet = mkdtempSync(join(tmpdir(), 'kmcc-scan-bench-'));
const env = { ...process.env, KMCC_PASSWORD: 'bench' };
const kmcc = (...args) => promisify(execFile)(KMCC_BIN, ['--url', URL, '--wallet', wallet, '--json', ...args], { env, maxBuffer: 1 << 26 });
await kmcc('stealth', 'keygen');
const began = process.hrtime.bigint();
const { stdout } = await kmcc('stealth', 'scan');
const seconds = Number(process.hrtime.bigint() - began) / 1e9;
const result = JSON.parse(stdout);
console.log(`kmcc stealth scan: ${result.scanned} announcements (index ${end}) in ${seconds.toFixed(2)} s = ${(result.scanned / seconds).toFixed(0)} announcements/s, ${result.payments.length} found`);
