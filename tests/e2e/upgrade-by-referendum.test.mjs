// Forkless upgrade by referendum (design §11): on a dev chain (short tracks), the next
// runtime's `system.setCode` is noted as a preimage, submitted on the root track, given its
// decision deposit, voted with conviction, confirmed and enacted by the scheduler; the node
// keeps producing and finalizing on the new spec_version and no balance moves but fees,
// deposits and block rewards. (Named to sort last: `scripts/test.sh` starts the files in name
// order beside the 4-node network, and compiling the new runtime should not overlap its
// finality tests.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import {
  startNode, connect, sendAndWait, waitFor, UPGRADE_WASM, rewardAt, KMCC, feePaid,
} from './lib/node.mjs';

let node, api, keyring;

before(async () => {
  await cryptoWaitReady();
  node = await startNode(['--dev'], { name: 'referendum' });
  api = await connect(node);
  keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

const finalizedNumber = async () =>
  (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();

/** The events of block `n`, decoded with the metadata of the runtime that executed it. */
async function eventsOf(n) {
  const hash = await api.rpc.chain.getBlockHash(n);
  const header = await api.rpc.chain.getHeader(hash);
  const at = await api.at(header.parentHash);
  const raw = await api.rpc.state.getStorage(at.query.system.events.key(), hash);
  return { at, events: at.registry.createType('Vec<FrameSystemEventRecord>', raw.unwrap()) };
}

/** Sends `tx` and asserts it succeeded; returns its block number and fee. */
async function ok(tx, signer, what) {
  const r = await sendAndWait(api, tx, signer);
  assert.equal(r.dispatchError, undefined, `${what}: ${r.dispatchError}`);
  const number = (await api.rpc.chain.getHeader(r.blockHash)).number.toNumber();
  return { ...r, number, fee: feePaid(api, r.events, signer.address) };
}

test('a root referendum enacts the next runtime', async () => {
  assert.ok(existsSync(UPGRADE_WASM), `upgrade wasm built by scripts/test.sh: ${UPGRADE_WASM}`);
  await waitFor('finalized history', async () => (await finalizedNumber()) >= 2, 60_000);
  const [alice, bob, charlie, dave, eve, ferdie] =
    ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie'].map((s) => keyring.addFromUri(s));
  const bystanders = ['//One', '//Two'].map((s) => keyring.addFromUri(s).address);
  const voters = [charlie, dave, eve, ferdie];
  const oldSpec = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
  const totals = async (who, at) => {
    const a = await api.at(at);
    return Promise.all(who.map(async (w) => {
      const { data } = await a.query.system.account(w);
      return data.free.toBigInt() + data.reserved.toBigInt();
    }));
  };
  const hash0 = await api.rpc.chain.getBlockHash();
  const block0 = (await api.rpc.chain.getHeader(hash0)).number.toNumber();
  const bystanders0 = await totals(bystanders, hash0);
  const voters0 = await totals(voters.map((v) => v.address), hash0);
  const issuance0 = (await (await api.at(hash0)).query.balances.totalIssuance()).toBigInt();

  // 1. The preimage: the call's bytes, paid for by a hold on Alice.
  const setCode = api.tx.system.setCode(u8aToHex(readFileSync(UPGRADE_WASM)));
  const bytes = setCode.method.toU8a();
  const hash = blake2AsHex(bytes);
  const noted = await ok(api.tx.preimage.notePreimage(u8aToHex(bytes)), alice, 'notePreimage');
  assert.ok((await api.query.preimage.requestStatusFor(hash)).isSome, 'preimage noted');

  // 2. The referendum on the root track, enacted as soon as the track allows.
  const index = (await api.query.referenda.referendumCount()).toNumber();
  const submitted = await ok(
    api.tx.referenda.submit({ system: 'Root' }, { Lookup: { hash, len: bytes.length } }, { After: 0 }),
    alice, 'submit');
  const status0 = (await api.query.referenda.referendumInfoFor(index)).unwrap().asOngoing;
  assert.equal(status0.track.toNumber(), 0, 'root track');
  const deposit = await ok(api.tx.referenda.placeDecisionDeposit(index), bob, 'placeDecisionDeposit');

  // 3. Conviction votes: four holders lock 800,000 KMCC each (about 40 % of the issuance).
  const fees = await Promise.all(voters.map((v) => ok(api.tx.convictionVoting.vote(index, {
    Standard: { vote: { aye: true, conviction: 'Locked1x' }, balance: 800_000n * KMCC },
  }), v, 'vote').then((r) => r.fee)));
  const locks = await api.query.balances.locks(charlie.address);
  assert.ok(locks.some((l) => l.id.toUtf8() === 'pyconvot' && l.amount.toBigInt() === 800_000n * KMCC),
    'the vote locks, it does not spend');

  // 4. Decided, confirmed, enacted: the new spec_version is reported.
  const after = await waitFor('the new spec_version', async () => {
    const v = await api.rpc.state.getRuntimeVersion();
    return v.specVersion.toNumber() === oldSpec + 1 ? v : null;
  }, 180_000);
  assert.equal(after.specName.toString(), 'kmcc');

  // The timeline, read back from each block's events.
  const timeline = { noted: noted.number, submitted: submitted.number, decisionDeposit: deposit.number };
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  for (let n = submitted.number; n <= head; n++) {
    const { at, events } = await eventsOf(n);
    for (const { event } of events) {
      if (at.events.referenda.DecisionStarted.is(event) && event.data.index.toNumber() === index) timeline.decisionStarted = n;
      if (at.events.referenda.ConfirmStarted.is(event) && event.data.index.toNumber() === index) timeline.confirmStarted = n;
      if (at.events.referenda.Confirmed.is(event) && event.data.index.toNumber() === index) timeline.confirmed = n;
      // The enactment is the referendum's named task (its alarms are anonymous).
      if (at.events.scheduler.Dispatched.is(event) && event.data.id.isSome && timeline.confirmed) {
        assert.ok(event.data.result.isOk, `enactment result ${event.data.result}`);
        timeline.enacted = n;
      }
      if (at.events.system.CodeUpdated.is(event)) timeline.codeUpdated = n;
    }
  }
  console.log(`referendum #${index} timeline (blocks): ${JSON.stringify(timeline)}; spec_version ${oldSpec} -> ${after.specVersion}`);
  // The root track on dev networks: prepare 2, confirm 4, enactment 3 blocks.
  assert.ok(timeline.decisionStarted >= submitted.number + 2, 'prepare period');
  assert.ok(timeline.confirmed >= timeline.confirmStarted + 4, 'confirm period');
  assert.ok(timeline.enacted >= timeline.confirmed + 3, 'enactment period');
  assert.equal(timeline.codeUpdated, timeline.enacted);
  const info = await api.query.referenda.referendumInfoFor(index);
  assert.ok(info.unwrap().isApproved, `referendum ${info}`);

  // 5. The same node keeps producing and finalizing on the new runtime.
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  await waitFor('blocks after the upgrade', async () =>
    (await api.rpc.chain.getHeader()).number.toNumber() >= best + 3, 60_000);
  await waitFor('finality past the upgrade', async () => (await finalizedNumber()) > timeline.enacted + 1, 60_000);
  assert.ok(node.isRunning(), 'node never restarted');

  // 6. Balances: bystanders untouched, voters paid their vote's fee only (the votes are locks),
  // and issuance grew by exactly the emission schedule.
  const hash1 = await api.rpc.chain.getBlockHash();
  const block1 = (await api.rpc.chain.getHeader(hash1)).number.toNumber();
  assert.deepEqual(await totals(bystanders, hash1), bystanders0);
  const voters1 = await totals(voters.map((v) => v.address), hash1);
  voters1.forEach((t, i) => assert.equal(voters0[i] - t, fees[i], `voter ${i}: fee only`));
  let rewards = 0n;
  for (let n = block0 + 1; n <= block1; n++) rewards += rewardAt(n);
  assert.equal((await (await api.at(hash1)).query.balances.totalIssuance()).toBigInt() - issuance0, rewards);
});
