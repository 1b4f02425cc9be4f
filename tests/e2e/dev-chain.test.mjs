// A single-node dev chain: properties, 2 s blocks with finality, transfers and their failure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import {
  startNode, connect, sendAndWait, feePaid, free, waitFor, rewardAt, splitReward,
} from './lib/node.mjs';

const KMCC = 10n ** 18n;
let node, api, keyring, alice, bob, charlie, dave;

before(async () => {
  await cryptoWaitReady();
  node = await startNode(['--dev'], { name: 'dev' });
  api = await connect(node);
  keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  [alice, bob, charlie, dave] = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((s) => keyring.addFromUri(s));
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

test('chain properties read KMCC / 18 decimals / SS58 7788', async () => {
  const props = await api.rpc.system.properties();
  assert.deepEqual(props.tokenSymbol.unwrap().map((s) => s.toString()), ['KMCC']);
  assert.deepEqual(props.tokenDecimals.unwrap().map((d) => d.toNumber()), [18]);
  assert.equal(props.ss58Format.unwrap().toNumber(), 7788);
  assert.equal(api.registry.chainDecimals[0], 18);
  assert.equal(api.registry.chainTokens[0], 'KMCC');
  assert.equal(api.runtimeVersion.specName.toString(), 'kmcc');
});

test('blocks come in 2 s Aura slots and are finalized by GRANDPA', async () => {
  const start = (await api.rpc.chain.getHeader()).number.toNumber();
  const target = start + 10;
  await waitFor(`block #${target}`, async () =>
    (await api.rpc.chain.getHeader()).number.toNumber() >= target, 90_000);

  const stamps = [];
  const slots = [];
  for (let n = start + 1; n <= target; n++) {
    const hash = await api.rpc.chain.getBlockHash(n);
    stamps.push((await (await api.at(hash)).query.timestamp.now()).toNumber());
    const header = await api.rpc.chain.getHeader(hash);
    const preRuntime = header.digest.logs.find((l) => l.isPreRuntime && l.asPreRuntime[0].toString() === 'aura');
    assert.ok(preRuntime, `block #${n} carries an Aura pre-runtime digest`);
    slots.push(api.createType('u64', preRuntime.asPreRuntime[1]).toNumber());
  }
  // Aura: one block per 2 s slot, so slots strictly increase and the timestamp lies in the slot.
  for (let i = 0; i < slots.length; i++) {
    assert.equal(Math.floor(stamps[i] / 2000), slots[i], 'timestamp inside its slot');
    if (i > 0) assert.ok(slots[i] > slots[i - 1], `slot ${slots[i]} after ${slots[i - 1]}`);
  }
  const slotGaps = slots.slice(1).map((s, i) => s - slots[i]);
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i]);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  console.log(`observed block time over ${gaps.length} blocks: mean ${mean} ms; slot gaps ${slotGaps.join(',')}`);
  const missed = slotGaps.reduce((a, g) => a + g - 1, 0);
  assert.ok(missed <= gaps.length / 2, `${missed} empty slots in ${gaps.length} blocks`);

  const finalized = await waitFor('finality to pass the start block', async () => {
    const f = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
    return f >= start + 5 ? f : 0;
  }, 60_000);
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  console.log(`finality lag: best #${best}, finalized #${finalized} (${best - finalized} blocks)`);
  assert.ok(best - finalized <= 5, `finality lag ${best - finalized} blocks`);
});

test('a transfer moves exactly the amount and the fee goes to the author', async () => {
  const amount = 123n * KMCC + 456n;
  const { blockHash, events, dispatchError } = await sendAndWait(
    api, api.tx.balances.transferKeepAlive(charlie.address, amount), bob);
  assert.equal(dispatchError, undefined);
  // Compare with the parent block's state.
  const header = await api.rpc.chain.getHeader(blockHash);
  const parent = header.parentHash.toHex();
  const [bob0, charlie0, alice0] = await Promise.all([bob, charlie, alice].map((k) => free(api, k.address, parent)));
  const issuance0 = (await (await api.at(parent)).query.balances.totalIssuance()).toBigInt();
  const reward = rewardAt(header.number.toNumber());

  const fee = feePaid(api, events, bob.address);
  assert.ok(fee > 0n);
  console.log(`transfer_keep_alive fee: ${fee} planck (${Number(fee) / 1e18} KMCC)`);
  const transfer = events.find(({ event }) => api.events.balances.Transfer.is(event));
  assert.ok(transfer, 'Balances.Transfer emitted');
  assert.equal(transfer.event.data.from.toString(), bob.address);
  assert.equal(transfer.event.data.to.toString(), charlie.address);
  assert.equal(transfer.event.data.amount.toBigInt(), amount);
  assert.ok(events.some(({ event }) => api.events.system.ExtrinsicSuccess.is(event)));

  const [bob1, charlie1, alice1] = await Promise.all([bob, charlie, alice].map((k) => free(api, k.address, blockHash)));
  assert.equal(bob0 - bob1, amount + fee);
  assert.equal(charlie1 - charlie0, amount);
  // Alice is the only validator on --dev: she authored the block and received the fee and the
  // producer share of the block reward.
  assert.equal(alice1 - alice0, fee + splitReward(reward).producer);
  const issuance1 = (await (await api.at(blockHash)).query.balances.totalIssuance()).toBigInt();
  assert.equal(issuance1 - issuance0, reward, 'fees are paid to the author, not burned; the block reward is new');
});

test('a transfer above the balance fails with the Balances error and moves nothing', async () => {
  const dave0 = await free(api, dave.address);
  const charlie0 = await free(api, charlie.address);
  const { blockHash, events, dispatchError } = await sendAndWait(
    api, api.tx.balances.transferAllowDeath(charlie.address, dave0 + KMCC), dave);

  assert.ok(dispatchError, 'dispatch failed');
  assert.ok(events.some(({ event }) => api.events.system.ExtrinsicFailed.is(event)));
  // pallet-balances transfers through `fungible::Mutate`, which reports an overdraft as
  // the token error FundsUnavailable (it no longer uses Balances.InsufficientBalance).
  assert.ok(dispatchError.isToken, `token error, got ${dispatchError.toString()}`);
  assert.equal(dispatchError.asToken.type, 'FundsUnavailable');
  assert.ok(!events.some(({ event }) => api.events.balances.Transfer.is(event)));

  const fee = feePaid(api, events, dave.address);
  assert.equal(await free(api, charlie.address, blockHash), charlie0, 'recipient unchanged');
  assert.equal(await free(api, dave.address, blockHash), dave0 - fee, 'sender only paid the fee');
});

test('a transfer the sender cannot even pay fees for is rejected by the pool', async () => {
  const poor = keyring.addFromUri('//KmccE2ePoor');
  const charlie0 = await free(api, charlie.address);
  await assert.rejects(
    api.tx.balances.transferAllowDeath(charlie.address, KMCC).signAndSend(poor),
    /Inability to pay some fees|1010/,
  );
  assert.equal(await free(api, poor.address), 0n);
  assert.equal(await free(api, charlie.address), charlie0);
});
