// Masternodes on a dev node (design §4): operator keys in the node keystore make its offchain
// worker send heartbeats; a masternode whose node sends none is banned after the documented
// number of blocks and stops being paid; the others share 45 % of each block's emission in
// turn, matching the income API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex, u8aConcat, stringToU8a } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import {
  startNode, connect, sendAndWait, waitFor, rewardAt, splitReward,
} from './lib/node.mjs';

const HEARTBEAT_PERIOD = 10; // dev genesis
const BLOCKS_PER_DAY = 43_200n;
let node, api, keyring;
const masternodes = []; // { id, owner, operator, suri, online, registeredAt }

before(async () => {
  await cryptoWaitReady();
  node = await startNode(['--dev'], { name: 'masternodes' });
  api = await connect(node);
  keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

const header = async () => (await api.rpc.chain.getHeader()).number.toNumber();
const record = async (id, at) => (await (at ? await api.at(at) : api).query.masternodes.masternodes(id)).unwrap();

test('registered masternodes with keys in the keystore heartbeat; the one without is banned', async () => {
  const owners = ['//Bob', '//Charlie', '//Dave', '//Eve'].map((s) => keyring.addFromUri(s));
  for (let i = 0; i < owners.length; i++) {
    const suri = `//KmccMasternode${i}`;
    const operator = keyring.addFromUri(suri);
    const online = i < 3;
    // The first three run on this node: their operator keys go into its keystore.
    if (online) await api.rpc.author.insertKey('mnod', suri, u8aToHex(operator.publicKey));
    masternodes.push({ owner: owners[i], operator, suri, online });
  }
  const results = await Promise.all(masternodes.map((m) => sendAndWait(api,
    api.tx.masternodes.register(u8aToHex(m.operator.publicKey), m.owner.address, '/dns/mn.example/tcp/30333',
      // The operator key's proof that it serves this owner: SCALE(("kmcc/mn/operator", owner)).
      u8aToHex(m.operator.sign(u8aConcat(stringToU8a('kmcc/mn/operator'), m.owner.publicKey)))),
    m.owner)));
  for (const [i, r] of results.entries()) {
    assert.equal(r.dispatchError, undefined, `registration ${i}`);
    const ev = r.events.find(({ event }) => api.events.masternodes.Registered.is(event));
    assert.ok(ev, 'Masternodes.Registered');
    masternodes[i].id = ev.event.data.id.toNumber();
    masternodes[i].registeredAt = (await api.rpc.chain.getHeader(r.blockHash)).number.toNumber();
    assert.equal(ev.event.data.collateral.toBigInt(), 1_000n * 10n ** 18n);
  }

  // The node's offchain worker heartbeats for the three keys it holds.
  for (const m of masternodes.filter((x) => x.online)) {
    await waitFor(`a heartbeat from masternode ${m.id}`, async () =>
      (await record(m.id)).lastHeartbeat.toNumber() > m.registeredAt, 90_000);
  }
  // The fourth is banned at the second check after registration: 20..29 blocks later.
  const silent = masternodes[3];
  const since = await waitFor('the silent masternode to be banned', async () => {
    const s = (await record(silent.id)).status;
    return s.isBanned ? s.asBanned.since.toNumber() : 0;
  }, 120_000);
  const after = since - silent.registeredAt;
  console.log(`silent masternode registered at #${silent.registeredAt}, banned at #${since} (${after} blocks; heartbeat period ${HEARTBEAT_PERIOD})`);
  assert.ok(after >= 2 * HEARTBEAT_PERIOD && after < 3 * HEARTBEAT_PERIOD, `banned after ${after} blocks`);
  const bannedEvents = await (await api.at(await api.rpc.chain.getBlockHash(since))).query.system.events();
  assert.ok(bannedEvents.some(({ event }) => api.events.masternodes.Banned.is(event) && event.data.id.toNumber() === silent.id));
  for (const m of masternodes.filter((x) => x.online)) {
    assert.ok((await record(m.id)).status.isEnabled, `masternode ${m.id} stays enabled`);
  }
});

test('payouts follow the queue and match the income API', async () => {
  const W = 15;
  const start = await header();
  await waitFor(`block #${start + W}`, async () => (await header()) >= start + W, 90_000);
  const paid = new Map(masternodes.map((m) => [m.id, 0n]));
  const count = new Map(masternodes.map((m) => [m.id, 0]));
  let estimate;
  for (let n = start + 1; n <= start + W; n++) {
    const hash = await api.rpc.chain.getBlockHash(n);
    const events = await (await api.at(hash)).query.system.events();
    const payments = events.filter(({ event }) => api.events.masternodes.Paid.is(event));
    assert.equal(payments.length, 1, `one payment in block #${n}`);
    const { id, amount } = payments[0].event.data;
    assert.equal(amount.toBigInt(), splitReward(rewardAt(n)).masternodes, `45 % of block #${n}'s reward`);
    paid.set(id.toNumber(), paid.get(id.toNumber()) + amount.toBigInt());
    count.set(id.toNumber(), count.get(id.toNumber()) + 1);
    if (n === start + 1) {
      const parent = (await api.rpc.chain.getHeader(hash)).parentHash;
      estimate = await (await api.at(parent)).call.masternodesApi.estimatedIncome(1);
    }
  }
  const online = masternodes.filter((m) => m.online);
  assert.equal(count.get(masternodes[3].id), 0, 'the banned masternode is not paid');
  for (const m of online) assert.equal(count.get(m.id), W / online.length, `masternode ${m.id} paid once every 3 blocks`);

  // Observed daily income of one masternode vs (n/t)·r·b·a from the API.
  const observedDaily = (paid.get(online[0].id) * BLOCKS_PER_DAY) / BigInt(W);
  assert.equal(estimate.enabledMasternodes.toNumber(), 3);
  assert.equal(estimate.dailyIncome.toBigInt(), observedDaily);
  const collateral = 1_000n * 10n ** 18n;
  const observedRoi = (observedDaily * 365n * 10n ** 18n) / collateral; // FixedU128 units
  const apiRoi = estimate.annualRoi.toBigInt();
  assert.ok(apiRoi - observedRoi <= 1n && observedRoi - apiRoi <= 1n, `ROI ${apiRoi} vs ${observedRoi}`);

  const list = await api.call.masternodesApi.masternodes();
  const silent = list.find((m) => m.id.toNumber() === masternodes[3].id);
  assert.ok(silent.banned.isTrue && silent.queuePosition.isNone);
  console.log(`over ${W} blocks: payouts ${online.map((m) => `#${m.id} ${count.get(m.id)}x ${paid.get(m.id)}`).join(', ')}; `
    + `observed daily income per masternode ${observedDaily} planck = API ${estimate.dailyIncome} `
    + `((1/3)·r·b·0.45); annual ROI ${Number(apiRoi) / 1e18} (×collateral)`);
});
