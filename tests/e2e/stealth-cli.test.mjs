// The real `kmcc` wallet end to end: plain accounts (new, transfer, balance, list), then
// stealth payments (design §8): Bob creates stealth keys, Alice pays his meta-address twice
// and his account name once, Bob's scan with the view key finds exactly those payments, he
// spends from one with `kmcc stealth spend`, a one-time account exported as a polkadot.js
// keystore file signs a transfer through @polkadot/keyring, and a sweep empties them all.
// Charlie's scan finds nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startNode, connect, sendAndWait, free, KMCC, NODE_BIN } from './lib/node.mjs';

const KMCC_BIN = process.env.KMCC_BIN || join(dirname(NODE_BIN), 'kmcc');
const PASSWORD = 'correct horse battery staple';
const run = promisify(execFile);

let node, api, keyring, dirs, session;

/** Runs `kmcc --json …` with `who`'s wallet; returns the parsed output. */
async function kmcc(who, ...args) {
  const { stdout } = await run(
    KMCC_BIN,
    ['--url', `ws://127.0.0.1:${node.rpcPort}`, '--wallet', dirs[who], '--json', ...args],
    { env: { ...process.env, KMCC_PASSWORD: PASSWORD }, timeout: 120_000 },
  );
  const output = JSON.parse(stdout.trim().split('\n').pop());
  session.push(`${who}$ kmcc ${args.join(' ')}\n${JSON.stringify(output)}`);
  return output;
}

before(async () => {
  await cryptoWaitReady();
  node = await startNode(['--dev'], { name: 'stealth' });
  api = await connect(node);
  keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  const root = mkdtempSync(join(tmpdir(), 'kmcc-wallets-'));
  dirs = { alice: join(root, 'alice'), bob: join(root, 'bob'), charlie: join(root, 'charlie') };
  session = [];
});

after(async () => {
  if (session?.length) console.log(`kmcc session:\n${session.join('\n')}`);
  await api?.disconnect();
  await node?.stop();
});

test('payments to a meta-address land on unlinkable one-time accounts only the recipient finds and spends', async () => {
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  const charlie = keyring.addFromUri('//Charlie');
  await kmcc('alice', 'account', 'import', 'alice', '--suri', '//Alice');
  const bobAccount = await kmcc('bob', 'account', 'import', 'bob', '--suri', '//Bob');
  assert.equal(bobAccount.address, bob.address);

  // Plain accounts: a fresh key, a transfer to it, its balance, the list.
  const fresh = await kmcc('alice', 'account', 'new', 'savings');
  await kmcc('alice', 'account', 'transfer', '--from', 'alice', 'savings', '2.5');
  assert.equal(await free(api, fresh.address), 5n * KMCC / 2n);
  const balance = await kmcc('alice', 'account', 'balance', 'savings');
  assert.deepEqual(balance, { address: fresh.address, free: (5n * KMCC / 2n).toString() });
  const list = await kmcc('alice', 'account', 'list');
  assert.deepEqual(list.accounts.map((a) => a.name), ['alice', 'savings']);

  const { meta_address: meta } = await kmcc('bob', 'stealth', 'keygen');
  assert.match(meta, /^kmst/);
  const first = await kmcc('alice', 'stealth', 'send', '--from', 'alice', meta, '10');
  const second = await kmcc('alice', 'stealth', 'send', '--from', 'alice', meta, '20');
  // Paying the account name: Bob publishes the meta-address under his account first.
  await kmcc('bob', 'stealth', 'publish', '--from', 'bob');
  const third = await kmcc('alice', 'stealth', 'send', '--from', 'alice', bob.address, '5');
  const oneTime = [first, second, third].map((p) => p.one_time);
  assert.equal(new Set(oneTime).size, 3, 'three different one-time accounts');
  assert.ok(!oneTime.includes(bob.address) && !oneTime.includes(alice.address));
  assert.deepEqual([first, second, third].map((p) => p.announcement), [0, 1, 2]);

  // Chain state: the index announces the three, and nothing in it names Bob.
  const page = (await api.call.stealthApi.announcements(0, 100)).toJSON();
  assert.equal(page.items.length, 3);
  for (const [, record] of page.items) assert.notEqual(keyring.encodeAddress(record.oneTime), bob.address);
  for (const [i, account] of oneTime.entries()) {
    assert.equal(await free(api, account), [10n, 20n, 5n][i] * KMCC);
  }

  // Bob's scan (view key) finds exactly the three, with their balances; a second scan resumes.
  const scan = await kmcc('bob', 'stealth', 'scan');
  assert.equal(scan.scanned, 3);
  assert.deepEqual(scan.payments.map((p) => p.one_time), oneTime);
  assert.deepEqual(scan.payments.map((p) => BigInt(p.balance)), [10n * KMCC, 20n * KMCC, 5n * KMCC]);
  const again = await kmcc('bob', 'stealth', 'scan');
  assert.equal(again.scanned, 0);
  assert.equal(again.next_id, 3);

  // Charlie has stealth keys of his own: his scan finds nothing.
  await kmcc('charlie', 'stealth', 'keygen');
  const charlieScan = await kmcc('charlie', 'stealth', 'scan');
  assert.equal(charlieScan.scanned, 3);
  assert.deepEqual(charlieScan.payments, []);

  // Bob spends from the first one-time account: signed by its one-time key.
  const charlieBefore = await free(api, charlie.address);
  await kmcc('bob', 'stealth', 'spend', oneTime[0], charlie.address, '3');
  assert.equal(await free(api, charlie.address), charlieBefore + 3n * KMCC);
  assert.ok(await free(api, oneTime[0]) < 7n * KMCC, 'the fee came from the one-time account');

  // The second one-time account, exported as a polkadot.js keystore file, signs in @polkadot/keyring.
  const file = join(dirs.bob, 'export.json');
  await kmcc('bob', 'stealth', 'export', oneTime[1], '--out', file);
  const imported = keyring.addFromJson(JSON.parse(readFileSync(file, 'utf8')));
  assert.equal(imported.address, oneTime[1]);
  imported.decodePkcs8(PASSWORD);
  const { dispatchError } = await sendAndWait(
    api, api.tx.balances.transferKeepAlive(charlie.address, 4n * KMCC), imported);
  assert.equal(dispatchError, undefined);
  assert.equal(await free(api, charlie.address), charlieBefore + 7n * KMCC);

  // Sweep: everything left moves to Bob, each one-time account signing for itself.
  const bobBefore = await free(api, bob.address);
  const sweep = await kmcc('bob', 'stealth', 'sweep', 'bob');
  assert.equal(sweep.swept.length, 3);
  for (const account of oneTime) assert.equal(await free(api, account), 0n);
  assert.ok(await free(api, bob.address) > bobBefore + 20n * KMCC);
});
