// Forkless runtime upgrade: sudo(system.setCode) on a running dev node enacts the next
// runtime (spec_version + 1, with a storage migration) without a restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex, u8aConcat } from '@polkadot/util';
import { cryptoWaitReady, xxhashAsU8a } from '@polkadot/util-crypto';
import {
  startNode, connect, sendAndWait, waitFor, UPGRADE_WASM, rewardAt, splitReward,
} from './lib/node.mjs';

let node, api, keyring;

before(async () => {
  await cryptoWaitReady();
  node = await startNode(['--dev'], { name: 'upgrade' });
  api = await connect(node);
  keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

const probeKey = u8aToHex(u8aConcat(xxhashAsU8a('KmccUpgradeProbe', 128), xxhashAsU8a('MigratedAt', 128)));
const finalizedNumber = async () =>
  (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();

test('sudo(system.setCode) upgrades the runtime without a restart', async () => {
  assert.ok(existsSync(UPGRADE_WASM), `upgrade wasm built by scripts/test.sh: ${UPGRADE_WASM}`);
  const code = u8aToHex(readFileSync(UPGRADE_WASM));
  const alice = keyring.addFromUri('//Alice');
  const pid = node.proc.pid;
  // Upgrade a chain with some finalized history, as on a live network.
  await waitFor('finalized history', async () => (await finalizedNumber()) >= 3, 60_000);

  const before = await api.rpc.state.getRuntimeVersion();
  const oldSpec = before.specVersion.toNumber();
  assert.equal((await api.rpc.state.getStorage(probeKey)).isNone, true, 'no probe before');

  const accounts = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie']
    .map((s) => keyring.addFromUri(s).address);
  const balances = async (at) => {
    const a = at ? await api.at(at) : api;
    return Promise.all(accounts.map(async (w) => (await a.query.system.account(w)).data.free.toBigInt()));
  };
  const hash0 = await api.rpc.chain.getBlockHash();
  const block0 = (await api.rpc.chain.getHeader(hash0)).number.toNumber();
  const balances0 = await balances(hash0);
  const issuance0 = (await (await api.at(hash0)).query.balances.totalIssuance()).toBigInt();

  const { blockHash } = await sendAndWait(api, api.tx.sudo.sudo(api.tx.system.setCode(code)), alice);
  // The setCode block's state already holds the new `:code`, so a client asking for the
  // runtime version "at" that block gets the new one, yet its events were written by the old
  // runtime: decode them with the parent's (old) metadata, as a wallet must.
  const parentHash = (await api.rpc.chain.getHeader(blockHash)).parentHash;
  const oldApi = await api.at(parentHash);
  const rawEvents = await api.rpc.state.getStorage(oldApi.query.system.events.key(), blockHash);
  const events = oldApi.registry.createType('Vec<FrameSystemEventRecord>', rawEvents.unwrap());
  const sudid = events.find(({ event }) => oldApi.events.sudo.Sudid.is(event));
  assert.ok(sudid, 'Sudo.Sudid');
  assert.ok(sudid.event.data.sudoResult.isOk, `setCode result ${sudid.event.data.sudoResult}`);
  assert.ok(events.some(({ event }) => oldApi.events.system.CodeUpdated.is(event)), 'System.CodeUpdated');
  const upgradeBlock = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();

  const after = await waitFor('the new spec_version', async () => {
    const v = await api.rpc.state.getRuntimeVersion();
    return v.specVersion.toNumber() === oldSpec + 1 ? v : null;
  }, 60_000);
  assert.equal(after.specName.toString(), 'kmcc');
  console.log(`runtime upgraded at block #${upgradeBlock}: spec_version ${oldSpec} -> ${after.specVersion}`);

  // `:code` changes in the setCode block; the migration runs in the first block executed
  // with the new code, the next one.
  const probe = await waitFor('the migration to write KmccUpgradeProbe.MigratedAt', async () => {
    const p = await api.rpc.state.getStorage(probeKey);
    return p.isSome ? p : null;
  }, 30_000);
  // Executive runs `on_runtime_upgrade` before initializing the new block, so the migration
  // sees the number of the setCode block.
  const migratedAt = api.createType('u32', probe.unwrap()).toNumber();
  assert.equal(migratedAt, upgradeBlock);

  // The same process keeps producing and finalizing blocks on the new runtime.
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  await waitFor('blocks after the upgrade', async () =>
    (await api.rpc.chain.getHeader()).number.toNumber() >= best + 3, 60_000);
  await waitFor('finality past the upgrade', async () => (await finalizedNumber()) > upgradeBlock + 1, 60_000);
  assert.equal(node.proc.pid, pid);
  assert.ok(node.isRunning(), 'node never restarted');

  // Balances are untouched but for the block rewards: Alice paid the sudo fee and, as the only
  // author, received it back with the producer shares; issuance grew by exactly the schedule.
  const hash1 = await api.rpc.chain.getBlockHash();
  const block1 = (await api.rpc.chain.getHeader(hash1)).number.toNumber();
  let rewards = 0n;
  let producer = 0n;
  for (let n = block0 + 1; n <= block1; n++) {
    rewards += rewardAt(n);
    producer += splitReward(rewardAt(n)).producer;
  }
  const balances1 = await balances(hash1);
  assert.equal(balances1[0] - balances0[0], producer, 'Alice: producer shares only');
  assert.deepEqual(balances1.slice(1), balances0.slice(1));
  assert.equal((await (await api.at(hash1)).query.balances.totalIssuance()).toBigInt() - issuance0, rewards);
  // The issuance ledger carried across the upgrade (its migration left it alone).
  const at1 = await api.at(hash1);
  const [genesisIssuance, minted, total] = await Promise.all([
    at1.query.issuance.genesisIssuance(), at1.query.issuance.minted(), at1.query.balances.totalIssuance()]);
  assert.equal(total.toBigInt(), genesisIssuance.toBigInt() + minted.toBigInt());

  // And the upgraded chain still executes ordinary transactions.
  const bob = keyring.addFromUri('//Bob');
  const r = await sendAndWait(api, api.tx.balances.transferKeepAlive(accounts[2], 10n ** 18n), bob);
  assert.equal(r.dispatchError, undefined);
});
