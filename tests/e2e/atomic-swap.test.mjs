// Atomic swaps between two separate chains (design §12) with the real `kmcc` CLI: chain A is a
// dev chain, chain B a dev chain with another genesis (so a transaction for one is invalid on
// the other). Alice swaps KMCC on A for Bob's KMCC on B: she locks on A under sha256(s), Bob
// audits her lock and locks on B with the same hashlock and an earlier expiry, Alice claims on
// B (revealing s), and Bob's CLI reads s from that claim on B and claims on A. A second swap
// that Bob never joins ends with Alice's refund after its expiry; claims with a wrong secret
// and early refunds are refused by the CLI and by the chain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startNode, connect, free, sendAndWait, waitFor, KMCC, NODE_BIN } from './lib/node.mjs';
import { kmccCli, run } from './lib/landlords.mjs';

const PASSWORD = 'swap wallet password';

let nodeA, nodeB, apiA, apiB, keyring, root, session, cli;

const sha256 = (hex) => `0x${createHash('sha256').update(Buffer.from(hex.slice(2), 'hex')).digest('hex')}`;
const url = (node) => `ws://127.0.0.1:${node.rpcPort}`;

/** The KMCC `who` has on hold for `Htlc` swaps (`Swap`) and their records (`SwapRecord`). */
async function swapHolds(api, who) {
  const holds = (await api.query.balances.holds(who)).map((h) => [JSON.stringify(h.id.toJSON()), h.amount.toBigInt()]);
  const held = (reason) => holds.filter(([id]) => id === JSON.stringify({ htlc: reason })).reduce((s, [, a]) => s + a, 0n);
  return { swap: held('Swap'), record: held('SwapRecord') };
}

/** The events of block `number`. */
async function eventsAt(api, number) {
  const hash = await api.rpc.chain.getBlockHash(number);
  return (await api.at(hash)).query.system.events();
}

before(async () => {
  await cryptoWaitReady();
  root = mkdtempSync(join(tmpdir(), 'kmcc-swap-'));
  // Chain B: the dev genesis with one more endowed account, so its genesis hash differs.
  keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const { stdout } = await run(NODE_BIN, ['build-spec', '--chain', 'dev', '--disable-default-bootnode'], { maxBuffer: 64 << 20 });
  // Edited as text: `JSON.parse` would round the spec's 128-bit balances. 0.005 KMCC is above
  // the existential deposit and a safe JavaScript integer.
  const balances = /"balances":\s*\{\s*"balances":\s*\[/;
  assert.match(stdout, balances);
  const spec = stdout
    .replace(balances, (m) => `${m}["${keyring.addFromUri('//ChainB').address}", 5000000000000000],`)
    .replace('"id": "kmcc_dev"', '"id": "kmcc_swap_b"');
  const specB = join(root, 'chain-b.json');
  writeFileSync(specB, spec);
  nodeA = await startNode(['--dev'], { name: 'swap-a' });
  // What `--dev` implies, for a spec file (a validator needs a network key of its own).
  nodeB = await startNode(['--chain', specB, '--alice', '--validator', '--force-authoring',
    '--node-key', '0b'.repeat(32)], { name: 'swap-b' });
  [apiA, apiB] = await Promise.all([connect(nodeA), connect(nodeB)]);
  assert.notEqual(apiA.genesisHash.toHex(), apiB.genesisHash.toHex(), 'two chains');
  keyring = new Keyring({ type: 'sr25519', ss58Format: apiA.registry.chainSS58 });
  session = [];
  const wallets = { alice: join(root, 'alice'), bob: join(root, 'bob') };
  // `cli.alice.a(...)`: Alice's wallet against chain A.
  cli = Object.fromEntries(Object.entries(wallets).map(([who, dir]) => [who, {
    a: kmccCli(nodeA, dir, PASSWORD, session),
    b: kmccCli(nodeB, dir, PASSWORD, session),
  }]));
  await cli.alice.a.kmcc('account', 'import', 'alice', '--suri', '//Alice');
  await cli.bob.a.kmcc('account', 'import', 'bob', '--suri', '//Bob');
});

after(async () => {
  if (session?.length) console.log(`kmcc session:\n${session.join('\n')}`);
  await Promise.all([apiA?.disconnect(), apiB?.disconnect()]);
  await Promise.all([nodeA?.stop(), nodeB?.stop()]);
});

test('Alice swaps 100 KMCC on chain A for 50 KMCC of Bob on chain B', async () => {
  const alice = keyring.addFromUri('//Alice').address;
  const bob = keyring.addFromUri('//Bob').address;
  // Each receives at a fresh account of their wallet (no other income: paid to the planck);
  // the funded dev accounts sign and pay the fees.
  const bobReceives = (await cli.bob.a.kmcc('account', 'new', 'bob-on-a')).address;
  const aliceReceives = (await cli.alice.a.kmcc('account', 'new', 'alice-on-b')).address;

  // 1. Alice initiates on A: 100 KMCC for Bob under sha256 of her wallet's fresh secret.
  const init = await cli.alice.a.kmcc('swap', 'initiate', bobReceives, '100', '--from', 'alice', '--expiry-blocks', '90');
  assert.equal(init.terms.hashlock, sha256(init.secret));
  assert.equal(init.terms.algorithm, 'sha256');
  const lockedA = (await apiA.query.htlc.swaps(init.id)).unwrap();
  assert.equal(lockedA.terms.amount.toBigInt(), 100n * KMCC);
  assert.equal(lockedA.terms.recipient.toString(), bobReceives);
  assert.equal((await swapHolds(apiA, alice)).swap, 100n * KMCC);

  // 2. Bob audits the lock and joins on B, expiring 30 blocks from now (well before A's).
  const audit = await cli.bob.a.kmcc('swap', 'audit', init.id);
  assert.equal(audit.terms.recipient, bobReceives);
  assert.ok(audit.blocks_left > 60, `blocks left ${audit.blocks_left}`);
  // A lock that does not match what Bob agreed to makes him lock nothing.
  const participate = (...extra) => ['swap', 'participate', aliceReceives, '50', '--from', 'bob', '--expiry-blocks', '30',
    '--counter-url', url(nodeA), '--counter-id', init.id, ...extra];
  assert.match(await cli.bob.b.kmccFails(...participate('--counter-amount', '200')), /locks 100 KMCC, not 200 KMCC/);
  assert.match(await cli.bob.b.kmccFails(...participate('--hashlock', `0x${'11'.repeat(32)}`)), /is locked under/);
  // Alice's wallet is not the recipient of her own lock.
  assert.match(await cli.alice.b.kmccFails('swap', 'participate', bob, '50', '--from', 'alice', '--expiry-blocks', '30',
    '--counter-url', url(nodeA), '--counter-id', init.id), /not an account of this wallet/);
  assert.equal((await apiB.query.htlc.swaps.entries()).length, 0);
  const part = await cli.bob.b.kmcc(...participate('--counter-amount', '100'));
  assert.equal(part.terms.hashlock, init.terms.hashlock);
  assert.equal(part.terms.recipient, aliceReceives);
  assert.ok(part.terms.expiry < init.terms.expiry);
  assert.equal((await swapHolds(apiB, bob)).swap, 50n * KMCC);

  // 3. Alice claims on B with the secret her wallet derives; the event makes it public.
  const claimB = await cli.alice.b.kmcc('swap', 'claim', part.id, '--from', 'alice');
  const claimedB = (await eventsAt(apiB, claimB.block_number))
    .find(({ event }) => apiB.events.htlc.Claimed.is(event));
  assert.equal(claimedB.event.data.preimage.toHex(), init.secret);
  assert.equal(claimedB.event.data.recipient.toString(), aliceReceives);

  // 4. Bob's CLI reads the secret from Alice's claim on B and claims on A.
  const claimA = await cli.bob.a.kmcc('swap', 'claim', init.id, '--from', 'bob', '--secret-from', url(nodeB));
  assert.equal(claimA.secret, init.secret);
  assert.equal(claimA.revealed_by.block_number, claimB.block_number);
  assert.equal(claimA.revealed_by.id, part.id);

  // Both sides paid exactly, both swaps closed, every hold released.
  assert.equal(await free(apiA, bobReceives), 100n * KMCC);
  assert.equal(await free(apiB, aliceReceives), 50n * KMCC);
  assert.ok((await apiA.query.htlc.swaps(init.id)).isNone);
  assert.ok((await apiB.query.htlc.swaps(part.id)).isNone);
  assert.deepEqual(await swapHolds(apiA, alice), { swap: 0n, record: 0n });
  assert.deepEqual(await swapHolds(apiB, bob), { swap: 0n, record: 0n });
  console.log(`swap: A #${init.block_number} Alice locks (expiry #${init.terms.expiry}), B #${part.block_number} Bob locks `
    + `(expiry #${part.terms.expiry}), B #${claimB.block_number} Alice claims, A #${claimA.block_number} Bob claims with the secret from B`);
});

test('a swap Bob never joins is refunded to Alice after its expiry, and only then', async () => {
  const alice = keyring.addFromUri('//Alice').address;
  const bob = keyring.addFromUri('//Bob').address;
  const init = await cli.alice.a.kmcc('swap', 'initiate', bob, '10', '--from', 'alice', '--expiry-blocks', '12');
  const expiry = init.terms.expiry;

  // Bob's audit refuses a lock that would outlive Alice's.
  const tooLate = await cli.bob.b.kmccFails('swap', 'participate', alice, '5', '--from', 'bob', '--expiry-blocks', '30',
    '--counter-url', url(nodeA), '--counter-id', init.id);
  assert.match(tooLate, /too soon/);
  // Early refunds and wrong secrets: refused by the CLI, and by the chain itself.
  assert.match(await cli.alice.a.kmccFails('swap', 'refund', init.id, '--from', 'alice'), /expires at/);
  assert.match(await cli.bob.a.kmccFails('swap', 'claim', init.id, '--from', 'bob', '--secret', `0x${'00'.repeat(32)}`),
    /does not open/);
  const bobPair = keyring.addFromUri('//Bob');
  const wrong = await sendAndWait(apiA, apiA.tx.htlc.claim(init.id, `0x${'00'.repeat(32)}`), bobPair);
  assert.equal(apiA.registry.findMetaError(wrong.dispatchError.asModule).name, 'WrongPreimage');
  const early = await sendAndWait(apiA, apiA.tx.htlc.refund(init.id), bobPair);
  assert.equal(apiA.registry.findMetaError(early.dispatchError.asModule).name, 'NotExpired');
  assert.ok((await apiA.query.htlc.swaps(init.id)).isSome);

  await waitFor(`chain A at the expiry #${expiry}`, async () =>
    (await apiA.rpc.chain.getHeader(await apiA.rpc.chain.getFinalizedHead())).number.toNumber() >= expiry, 90_000);
  // The secret is no use after the expiry, even to the recipient.
  const late = await sendAndWait(apiA, apiA.tx.htlc.claim(init.id, init.secret), bobPair);
  assert.equal(apiA.registry.findMetaError(late.dispatchError.asModule).name, 'Expired');
  const refund = await cli.alice.a.kmcc('swap', 'refund', init.id, '--from', 'alice');
  assert.equal(refund.amount, (10n * KMCC).toString());
  assert.equal(refund.sender, alice);
  assert.ok(refund.block_number >= expiry);
  assert.ok((await apiA.query.htlc.swaps(init.id)).isNone);
  assert.deepEqual(await swapHolds(apiA, alice), { swap: 0n, record: 0n });
  console.log(`refund: A #${init.block_number} lock expiring at #${expiry}, refunded in #${refund.block_number}`);
});
