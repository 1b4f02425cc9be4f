// The halving emission on a dev node (design §2): every block pays the author, the masternode
// pot and the storage pool exactly the scheduled amounts, IssuanceApi agrees with storage,
// and burns respect the floor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import {
  startNode, connect, sendAndWait, feePaid, free, waitFor, rewardAt, splitReward, palletAccount, KMCC,
} from './lib/node.mjs';

let node, api, alice, bob;

before(async () => {
  await cryptoWaitReady();
  node = await startNode(['--dev'], { name: 'issuance' });
  api = await connect(node);
  const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  [alice, bob] = ['//Alice', '//Bob'].map((s) => keyring.addFromUri(s));
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

const N = 10;

test(`after ${N} blocks the author and both pots hold exactly the scheduled shares`, async () => {
  await waitFor(`block #${N}`, async () => (await api.rpc.chain.getHeader()).number.toNumber() >= N, 90_000);
  const hash = await api.rpc.chain.getBlockHash(N);
  const genesis = await api.rpc.chain.getBlockHash(0);
  const at = await api.at(hash);

  let expected = { masternodes: 0n, producer: 0n, storage: 0n, reward: 0n };
  for (let n = 1; n <= N; n++) {
    const s = splitReward(rewardAt(n));
    expected = {
      masternodes: expected.masternodes + s.masternodes,
      producer: expected.producer + s.producer,
      storage: expected.storage + s.storage,
      reward: expected.reward + rewardAt(n),
    };
  }
  const pot = palletAccount(api, 'kmcc/mnp');
  const pool = palletAccount(api, 'kmcc/ssp');
  // Alice is the only author on --dev and sent nothing: her balance grew by the producer shares.
  const aliceGain = (await free(api, alice.address, hash)) - (await free(api, alice.address, genesis));
  assert.equal(aliceGain, expected.producer, 'author received the producer shares');
  assert.equal(await free(api, pot, hash), expected.masternodes, 'masternode pot');
  assert.equal(await free(api, pool, hash), expected.storage, 'storage subsidy pool');
  const minted = (await at.query.issuance.minted()).toBigInt();
  assert.equal(minted, expected.reward);
  const issuance0 = (await (await api.at(genesis)).query.balances.totalIssuance()).toBigInt();
  assert.equal((await at.query.balances.totalIssuance()).toBigInt() - issuance0, expected.reward);

  // Block N's own event.
  const events = await at.query.system.events();
  const emission = events.find(({ event }) => api.events.issuance.BlockEmission.is(event));
  assert.ok(emission, 'Issuance.BlockEmission in every block');
  const s = splitReward(rewardAt(N));
  assert.equal(emission.event.data.reward.toBigInt(), rewardAt(N));
  assert.equal(emission.event.data.masternodes.toBigInt(), s.masternodes);
  assert.equal(emission.event.data.producer.toBigInt(), s.producer);
  assert.equal(emission.event.data.storage.toBigInt(), s.storage);

  console.log(`reward per block ${rewardAt(1)} planck (${Number(rewardAt(1)) / 1e18} KMCC); after ${N} blocks:`
    + ` minted ${minted}, author +${aliceGain}, masternode pot ${expected.masternodes}, storage pool ${expected.storage}`);
});

test('IssuanceApi (api.call) agrees with storage and the schedule', async () => {
  const hash = await api.rpc.chain.getBlockHash(N);
  const at = await api.at(hash);
  const info = await at.call.issuanceApi.issuanceInfo();
  assert.equal(info.block.toNumber(), N);
  assert.equal(info.currentPeriod.unwrap().toNumber(), 0);
  assert.equal(info.rewardPerBlock.toBigInt(), rewardAt(N + 1));
  assert.equal(info.nextHalvingBlock.unwrap().toNumber(), 5_259_601);
  assert.equal(info.lastEmissionBlock.toNumber(), 315_576_000);
  assert.equal(info.minted.toBigInt(), (await at.query.issuance.minted()).toBigInt());
  assert.equal(info.burned.toBigInt(), (await at.query.issuance.burned()).toBigInt());
  assert.equal(info.genesisIssuance.toBigInt(), (await at.query.issuance.genesisIssuance()).toBigInt());
  assert.equal(info.totalIssuance.toBigInt(), (await at.query.balances.totalIssuance()).toBigInt());
  assert.equal(info.totalIssuance.toBigInt(), info.genesisIssuance.toBigInt() + info.minted.toBigInt() - info.burned.toBigInt());
  assert.equal(info.remainingToMint.toBigInt(), 4_500_000_000n * KMCC - info.minted.toBigInt());
  assert.equal(info.maxSupply.toBigInt(), 5_000_000_000n * KMCC);
  assert.equal(info.burnFloor.toBigInt(), 1_000_000_000n * KMCC);
  assert.equal(info.split.masternodes.toNumber(), 450_000_000);
  assert.equal(info.split.producer.toNumber(), 350_000_000);
  assert.equal(info.split.storage.toNumber(), 200_000_000);
  assert.equal(info.feeBurnShare.toNumber(), 800_000_000);
});

test('buyback_burn through sudo: a dev chain is below the 1 B floor, so nothing is burned and the event says so', async () => {
  const { events, dispatchError, blockHash } = await sendAndWait(
    api, api.tx.sudo.sudo(api.tx.issuance.buybackBurn(1_000n * KMCC)), alice);
  assert.equal(dispatchError, undefined);
  const burned = events.find(({ event }) => api.events.issuance.BuybackBurned.is(event));
  assert.ok(burned, 'Issuance.BuybackBurned');
  const d = burned.event.data;
  assert.equal(d.foundation.toString(), alice.address);
  assert.equal(d.burnRequested.toBigInt(), 800n * KMCC);
  assert.equal(d.burned.toBigInt(), 0n);
  assert.equal(d.heldByFloor.toBigInt(), 800n * KMCC);
  assert.equal(d.retained.toBigInt(), 200n * KMCC);
  const info = await (await api.at(blockHash)).call.issuanceApi.issuanceInfo();
  assert.equal(info.burned.toBigInt(), 0n);
  assert.equal(info.totalIssuance.toBigInt(), info.genesisIssuance.toBigInt() + info.minted.toBigInt());
});

test('a signed buyback_burn is refused with BadOrigin and Balances.burn is filtered', async () => {
  const r1 = await sendAndWait(api, api.tx.issuance.buybackBurn(KMCC), bob);
  assert.ok(r1.dispatchError?.isBadOrigin, `BadOrigin, got ${r1.dispatchError}`);

  const bob0 = await free(api, bob.address);
  const r2 = await sendAndWait(api, api.tx.balances.burn(KMCC, true), bob);
  assert.ok(r2.dispatchError?.isModule, `module error, got ${r2.dispatchError}`);
  const { section, name } = api.registry.findMetaError(r2.dispatchError.asModule);
  assert.equal(`${section}.${name}`, 'system.CallFiltered');
  const fee = feePaid(api, r2.events, bob.address);
  assert.equal(await free(api, bob.address, r2.blockHash), bob0 - fee, 'only the fee was paid');
});
