// The mixing pool end to end (design §9) with the real `kmcc` binary: four wallets make 20
// deposits of 10 KMCC, a masternode's relayer (`kmcc mix relay` at the endpoint Ferdie's
// masternode registered, fees to its payout account) submits Alice's withdrawal to a fresh
// account with a ring of 16 and the pool pays recipient and relayer exactly; replaying the
// included transaction is refused by the node; Charlie withdraws to Bob's stealth
// meta-address himself (no relayer, no fee, no funded account needed) and Bob's scan finds
// the payment.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startNode, connect, free, freePort, sendAndWait, waitFor, KMCC, NODE_BIN } from './lib/node.mjs';

const KMCC_BIN = process.env.KMCC_BIN || join(dirname(NODE_BIN), 'kmcc');
const PASSWORD = 'correct horse battery staple';
const DENOMINATION = 10n * KMCC;
const RELAYER_FEE = KMCC / 20n; // 0.05 KMCC, within the dev cap of 5 %
const run = promisify(execFile);

let node, api, keyring, dirs, session, relayer;

/** Runs `kmcc --json …` with `who`'s wallet; returns the parsed output. */
async function kmcc(who, ...args) {
  const { stdout } = await run(
    KMCC_BIN,
    ['--url', `ws://127.0.0.1:${node.rpcPort}`, '--wallet', dirs[who], '--json', ...args],
    { env: { ...process.env, KMCC_PASSWORD: PASSWORD }, timeout: 180_000 },
  );
  const output = JSON.parse(stdout.trim().split('\n').pop());
  session.push(`${who}$ kmcc ${args.join(' ')}\n${JSON.stringify(output)}`);
  return output;
}

/** Like `kmcc`, for a command that must fail: returns its error message. */
async function kmccFails(who, ...args) {
  try {
    await kmcc(who, ...args);
  } catch (error) {
    const message = JSON.parse(error.stdout.trim().split('\n').pop()).error;
    session.push(`${who}$ kmcc ${args.join(' ')}\n(refused) ${message}`);
    return message;
  }
  assert.fail(`kmcc ${args.join(' ')} succeeded`);
}

before(async () => {
  await cryptoWaitReady();
  node = await startNode(['--dev'], { name: 'mixer' });
  api = await connect(node);
  keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  const root = mkdtempSync(join(tmpdir(), 'kmcc-mix-'));
  dirs = Object.fromEntries(
    ['alice', 'bob', 'charlie', 'dave', 'eve', 'relayer'].map((who) => [who, join(root, who)]));
  session = [];
});

after(async () => {
  relayer?.kill('SIGINT');
  if (session?.length) console.log(`kmcc session:\n${session.join('\n')}`);
  await api?.disconnect();
  await node?.stop();
});

test('20 deposits, a relayed ring-16 withdrawal paid exactly, no replay, a withdrawal to a stealth address', async () => {
  const depositors = ['alice', 'bob', 'charlie', 'dave'];
  for (const who of depositors) {
    const name = who[0].toUpperCase() + who.slice(1);
    await kmcc(who, 'account', 'import', who, '--suri', `//${name}`);
  }

  // 20 deposits, five per wallet; the wallets deposit concurrently.
  const made = await Promise.all(depositors.map(async (who) => {
    const mine = [];
    for (let i = 0; i < 5; i += 1) mine.push(await kmcc(who, 'mix', 'deposit', '10', '--from', who));
    return mine;
  }));
  const indices = made.flat().map((d) => d.index).sort((a, b) => a - b);
  assert.deepEqual(indices, [...Array(20).keys()], 'pool positions 0..19, each once');
  for (const mine of made) assert.deepEqual(mine.map((d) => d.deposit), [0, 1, 2, 3, 4]);
  const pools = (await api.call.mixerApi.pools()).toJSON();
  const pool = pools.find((p) => BigInt(p.denomination) === DENOMINATION);
  assert.equal(pool.deposits, 20);
  const poolAccount = keyring.encodeAddress(
    new Uint8Array([...new TextEncoder().encode('modlkmcc/mix'), ...new Uint8Array(20)]));
  assert.equal(await free(api, poolAccount), 20n * DENOMINATION);

  // A relayer: the fee account is a fresh address of the relayer's wallet; it holds no key
  // the relay needs.
  const fees = await kmcc('relayer', 'account', 'new', 'fees');
  const relayPort = await freePort();
  relayer = spawn(KMCC_BIN, [
    '--url', `ws://127.0.0.1:${node.rpcPort}`, '--wallet', dirs.relayer, '--json',
    'mix', 'relay', '--account', fees.address, '--fee', '0.05', '--listen', `127.0.0.1:${relayPort}`,
  ], { env: { ...process.env, KMCC_PASSWORD: PASSWORD }, stdio: ['ignore', 'pipe', 'inherit'] });
  const started = await new Promise((resolve, reject) => {
    relayer.on('exit', (code) => reject(new Error(`the relayer exited with ${code}`)));
    createInterface({ input: relayer.stdout }).once('line', (line) => resolve(JSON.parse(line)));
  });
  assert.equal(started.account, fees.address);
  // Ferdie registers a masternode whose endpoint is the relay and whose payout account gets
  // the fees; its operator key is in the node's keystore, so it heartbeats and stays enabled.
  const ferdie = keyring.addFromUri('//Ferdie');
  const operator = keyring.addFromUri('//KmccMixRelay');
  await api.rpc.author.insertKey('mnod', '//KmccMixRelay', u8aToHex(operator.publicKey));
  const registered = await sendAndWait(api, api.tx.masternodes.register(
    u8aToHex(operator.publicKey), fees.address, `http://127.0.0.1:${relayPort}`,
    u8aToHex(operator.sign(u8aConcat(stringToU8a('kmcc/mn/operator'), ferdie.publicKey)))), ferdie);
  assert.equal(registered.dispatchError, undefined);
  const masternodeId = registered.events
    .find(({ event }) => api.events.masternodes.Registered.is(event)).event.data.id.toNumber();
  // The wallet reads finalized state.
  const registeredAt = (await api.rpc.chain.getHeader(registered.blockHash)).number.toNumber();
  await waitFor('the registration finalized', async () => (await api.rpc.chain.getHeader(
    await api.rpc.chain.getFinalizedHead())).number.toNumber() >= registeredAt);

  // Alice withdraws her first deposit to a fresh account of Eve's, through the masternode.
  const recipient = await kmcc('eve', 'account', 'new', 'fresh');
  assert.equal(await free(api, recipient.address), 0n);
  // A relayer asking more than the user grants is refused before anything is signed.
  assert.match(await kmccFails('alice', 'mix', 'withdraw', '0', '--to', recipient.address,
    '--relayer', `masternode:${masternodeId}`, '--max-fee', '0.01'), /asks 0.05 KMCC, more than 0.01 KMCC/);
  const withdrawal = await kmcc('alice', 'mix', 'withdraw', '0', '--to', recipient.address,
    '--relayer', `masternode:${masternodeId}`, '--ring', '16');
  assert.equal(withdrawal.ring.length, 16);
  assert.ok(withdrawal.ring.includes(made[0][0].index), 'the real deposit is a member');
  assert.equal(await free(api, recipient.address), DENOMINATION - RELAYER_FEE);
  assert.equal(await free(api, poolAccount), 19n * DENOMINATION);
  // The payout account also earns the masternode's block rewards: in the withdrawal's block
  // it gained exactly the fee plus the rewards that block paid it.
  const events = await (await api.at(withdrawal.block)).query.system.events();
  const rewards = events.map((r) => r.event)
    .filter((e) => api.events.masternodes.Paid.is(e) && e.data.payout.toString() === fees.address)
    .reduce((sum, e) => sum + e.data.amount.toBigInt(), 0n);
  const parent = (await api.rpc.chain.getHeader(withdrawal.block)).parentHash.toHex();
  assert.equal(
    await free(api, fees.address, withdrawal.block) - await free(api, fees.address, parent),
    RELAYER_FEE + rewards);

  // Chain state and events: the key image is on the invalid list, the block has the event.
  const image = `0x${withdrawal.key_image}`;
  assert.equal((await api.call.mixerApi.isSpent(image)).toJSON(), true);
  const withdrawn = events.map((r) => r.event).find((e) => api.events.mixer.Withdrawn.is(e));
  assert.ok(withdrawn, 'a Withdrawn event');
  const data = withdrawn.data;
  assert.equal(data.recipient.toString(), recipient.address);
  assert.equal(data.relayer.unwrap().toString(), fees.address);
  assert.equal(data.amount.toBigInt(), DENOMINATION - RELAYER_FEE);
  assert.equal(data.fee.toBigInt(), RELAYER_FEE);
  assert.equal(data.ringSize.toNumber(), 16);
  assert.equal(data.keyImage.toHex(), image);
  assert.equal(data.announced.isTrue, false);

  // Replay: the included transaction, resubmitted byte for byte, is refused by the node.
  const provider = api._rpcCore.provider;
  const block = await provider.send('chain_getBlock', [withdrawal.block]);
  const bytes = block.block.extrinsics.find((x) => x.includes(withdrawal.key_image));
  assert.ok(bytes, 'the withdrawal is in its block');
  const replay = await provider.send('author_submitExtrinsic', [bytes]).then(
    () => assert.fail('the replay was accepted'), (error) => error.message);
  session.push(`node: author_submitExtrinsic(<the included withdrawal>)\n(refused) ${replay}`);
  // `Custom error: 10` is `Error::KeyImageSpent`: the key image is on the invalid list.
  assert.match(replay, /Custom error: 10/);
  // And the wallet refuses to withdraw the same deposit again.
  assert.match(await kmccFails('alice', 'mix', 'withdraw', '0', '--to', recipient.address), /withdrawn already/);

  // Charlie withdraws to Bob's stealth meta-address, submitting it himself: no fee.
  const { meta_address: meta } = await kmcc('bob', 'stealth', 'keygen');
  const toStealth = await kmcc('charlie', 'mix', 'withdraw', '2', '--to', meta, '--ring', '16');
  assert.equal(toStealth.stealth, true);
  assert.equal(toStealth.fee, '0');
  const scan = await kmcc('bob', 'stealth', 'scan');
  assert.deepEqual(scan.payments.map((p) => p.one_time), [toStealth.recipient]);
  assert.equal(BigInt(scan.payments[0].balance), DENOMINATION);

  // Status: the anonymity set and Alice's deposits.
  const status = await kmcc('alice', 'mix', 'status');
  const tens = status.pools.find((p) => BigInt(p.denomination) === DENOMINATION);
  assert.deepEqual([tens.deposits, tens.withdrawals], [20, 2]);
  assert.deepEqual(status.deposits.map((d) => d.state),
    ['withdrawn', 'unspent', 'unspent', 'unspent', 'unspent']);
});
