// Storage spaces on a dev node (design §5): a donation and the storage share of emission fund
// the pool, four landlords form a copy group, a user buys a space at the Bancor price, rent
// flows from the pool every block, the copy group's space proof is free and earns the round's
// rent, and an expired space is locked until its owner unlocks it with a back payment.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex, u8aConcat, stringToU8a } from '@polkadot/util';
import { cryptoWaitReady, blake2AsU8a } from '@polkadot/util-crypto';
import { startNode, connect, sendAndWait, waitFor, free, palletAccount, KMCC } from './lib/node.mjs';

const CHALLENGE_PERIOD = 20;
const BUCKET_MS = 60_000n;
let node, api, keyring, landlords, buyer, space;

before(async () => {
  await cryptoWaitReady();
  node = await startNode(['--dev'], { name: 'storage-spaces' });
  api = await connect(node);
  keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  landlords = ['//Bob', '//Charlie', '//Dave', '//Eve'].map((s, i) => ({
    account: keyring.addFromUri(s),
    node: keyring.addFromUri(`//KmccStorageNode${i}`),
  }));
  buyer = keyring.addFromUri('//Ferdie');
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

const market = async (at) => (at ? await api.at(at) : api).call.storageSpacesApi.market();
const eventsAt = async (hash) => (await api.at(hash)).query.system.events();
const blockNumber = async (hash) => (await api.rpc.chain.getHeader(hash)).number.toNumber();

/** SCALE bytes of a codec value (`toHex()` of an integer is big-endian, not SCALE). */
const scale = (value) => u8aToHex(value.toU8a());

function le32(n) {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

/** What a landlord's node key signs: blake2_256(SCALE(("kmcc/pos", round, group, seed, node, data))). */
function proofPayload(round, group, seed, nodePublic, data) {
  return blake2AsU8a(u8aConcat(stringToU8a('kmcc/pos'), le32(round), le32(group), seed, nodePublic, data), 256);
}

test('donations and the storage share fund the pool; landlords form a copy group', async () => {
  const pool = palletAccount(api, 'kmcc/ssp');
  const before = await free(api, pool);
  const r = await sendAndWait(api, api.tx.storageSpaces.donate(10_000n * KMCC), buyer);
  assert.equal(r.dispatchError, undefined);
  assert.ok(r.events.some(({ event }) => api.events.storageSpaces.Donated.is(event)));
  // The donation plus the storage share of each block since.
  assert.ok((await free(api, pool, r.blockHash)) - before >= 10_000n * KMCC);

  const results = await Promise.all(landlords.map((l, i) => sendAndWait(api,
    api.tx.storageSpaces.registerLandlord(u8aToHex(l.node.publicKey), 128, `/dns/landlord${i}.example/tcp/4000`,
      // The node key's proof that it serves this landlord: SCALE(("kmcc/storage/nd", landlord)).
      u8aToHex(l.node.sign(u8aConcat(stringToU8a('kmcc/storage/nd'), l.account.publicKey)))),
    l.account)));
  for (const res of results) assert.equal(res.dispatchError, undefined);
  const blocks = [...new Set(results.map((x) => x.blockHash))];
  const formed = (await Promise.all(blocks.map(eventsAt))).flat()
    .filter(({ event }) => api.events.storageSpaces.CopyGroupFormed.is(event));
  assert.equal(formed.length, 2, 'two copy groups of 64 MiB');
  // The price is fixed at the start of each block: there is one from the next block on.
  const m = await waitFor('a price', async () => {
    const now = await market();
    return now.price.isSome ? now : null;
  }, 30_000);
  assert.equal(m.worldDiskMib.toNumber(), 128);
  const landlord = (await api.call.storageSpacesApi.landlord(landlords[0].account.address)).unwrap();
  assert.deepEqual(landlord.groups.map((g) => g.toNumber()), [0, 1]);
  assert.equal(landlord.collateral.toBigInt(), 10n * KMCC);
});

test('a space is bought at the block price and rent flows from the pool every block', async () => {
  const price = (await market()).price.unwrap().toBigInt();
  const quote = (await api.call.storageSpacesApi.quote(8, 1)).unwrap();
  const r = await sendAndWait(api, api.tx.storageSpaces.buySpace(8, 1, quote.price.toBigInt() * 2n), buyer);
  assert.equal(r.dispatchError, undefined);
  const bought = r.events.find(({ event }) => api.events.storageSpaces.SpaceBought.is(event)).event.data;
  space = bought.space.toNumber();
  const blockPrice = (await (await api.at(r.blockHash)).query.storageSpaces.blockPrice()).unwrap().toBigInt();
  assert.equal(bought.price.toBigInt(), blockPrice);
  assert.ok(blockPrice >= price / 2n && blockPrice <= price * 2n);
  // cost = ⌈price · 8 MiB · duration / day⌉
  const clock = (await (await api.at(r.blockHash)).query.storageSpaces.rentClock()).toBigInt();
  const duration = bought.expiresAt.toBigInt() - clock;
  assert.equal(bought.cost.toBigInt(), (blockPrice * 8n * duration + 86_400_000n - 1n) / 86_400_000n);
  const [mine] = await api.call.storageSpacesApi.spacesOf(buyer.address);
  assert.equal(mine.sizeMib.toNumber(), 8);
  assert.equal(mine.locked.isTrue, false);
  assert.equal(mine.chunks[0].replicas.length, 4);
  assert.match(mine.chunks[0].replicas[0].endpoint.toUtf8(), /landlord\d\.example/);

  // Each following block consumes 8 MiB × Δt of B and releases rent.
  const start = await blockNumber(r.blockHash);
  for (let n = start + 1; n <= start + 4; n++) {
    await waitFor(`block #${n}`, async () => (await api.rpc.chain.getHeader()).number.toNumber() >= n, 30_000);
    const hash = await api.rpc.chain.getBlockHash(n);
    const parent = await api.rpc.chain.getBlockHash(n - 1);
    const [now, prev] = await Promise.all([market(hash), market(parent)]);
    const consumed = prev.soldMibMs.toBigInt() - now.soldMibMs.toBigInt();
    const dt = now.rentClock.toBigInt() - prev.rentClock.toBigInt();
    assert.equal(consumed, 8n * dt, `block #${n} consumes 8 MiB × ${dt} ms`);
    const ev = (await eventsAt(hash)).find(({ event }) => api.events.storageSpaces.RentReleased.is(event));
    assert.ok(ev, `RentReleased in #${n}`);
    assert.ok(ev.event.data.rent.toBigInt() > 0n);
    // The pool keeps the prepaid unconsumed rent.
    assert.ok(now.pool.toBigInt() >= now.prepaidRent.toBigInt());
    console.log(`#${n}: consumed ${consumed} MiB-ms, rent ${ev.event.data.rent.toBigInt()} planck, price ${now.price.unwrap().toBigInt()}`);
  }
});

test('copy groups prove their space for free and earn the round rent', async () => {
  let challenge = await api.call.storageSpacesApi.challenge();
  // Leave the proofs time to land in this round.
  if (challenge.closesAt.toNumber() - (await api.rpc.chain.getHeader()).number.toNumber() < 8) {
    const next = challenge.closesAt.toNumber();
    await waitFor(`round start #${next}`, async () => (await api.rpc.chain.getHeader()).number.toNumber() >= next, 60_000);
    challenge = await api.call.storageSpacesApi.challenge();
  }
  const round = challenge.round.toNumber();
  const seed = challenge.seed.toU8a();
  const data = blake2AsU8a('the challenged window', 256);
  const votesFor = (group) => landlords.map((l) => ({
    landlord: l.account.address,
    dataHash: u8aToHex(data),
    signature: u8aToHex(l.node.sign(proofPayload(round, group, seed, l.node.publicKey, data))),
  }));
  const submitter = landlords[0].account;
  const before = await free(api, submitter.address);
  const results = [];
  for (const group of [0, 1]) {
    results.push(await sendAndWait(api, api.tx.storageSpaces.submitSpaceProof(group, round, votesFor(group)), submitter));
  }
  for (const res of results) {
    assert.equal(res.dispatchError, undefined);
    assert.ok(res.events.some(({ event }) => api.events.storageSpaces.SpaceProven.is(event)));
  }
  assert.equal(await free(api, submitter.address), before, 'a counted proof pays no fee');

  // At the round's end the rent released during it is paid to the four landlords equally.
  const closes = challenge.closesAt.toNumber();
  const balances = await Promise.all(landlords.map((l) => free(api, l.account.address)));
  await waitFor(`round end #${closes}`, async () => (await api.rpc.chain.getHeader()).number.toNumber() >= closes, 60_000);
  const events = await eventsAt(await api.rpc.chain.getBlockHash(closes));
  const paid = events.filter(({ event }) => api.events.storageSpaces.RentPaid.is(event));
  assert.equal(paid.length, 4);
  const amounts = paid.map(({ event }) => event.data.amount.toBigInt());
  assert.ok(amounts.every((a) => a > 0n && a === amounts[0]));
  const closed = events.find(({ event }) => api.events.storageSpaces.RoundClosed.is(event)).event.data;
  assert.equal(closed.groupsProven.toNumber(), 2);
  console.log(`round ${round}: rent ${closed.rent.toBigInt()} planck, ${amounts[0]} to each landlord`);
  for (const [i, l] of landlords.entries()) {
    assert.ok((await free(api, l.account.address)) - balances[i] >= amounts[0]);
  }
  assert.ok(closes % CHALLENGE_PERIOD === 0);
});

test('an expired space is locked and unlocked with a back payment', async () => {
  // A one-day term cannot end within a test: root moves this space's expiry to the next
  // minute boundary (sudo + system.setStorage); the pallet's own expiry processing does the
  // rest. `B` is set for the clock expected at inclusion (off by at most a block's MiB-ms).
  const s = (await api.query.storageSpaces.spaces(space)).unwrap();
  const oldExpiry = s.expiresAt.toBigInt();
  const clock = (await api.query.storageSpaces.rentClock()).toBigInt();
  const expiry = ((clock + 20_000n) / BUCKET_MS + 1n) * BUCKET_MS;
  const moved = api.createType(s.toRawType(), { ...s.toJSON(), expiresAt: expiry });
  const q = api.query.storageSpaces;
  const sudo = keyring.addFromUri('//Alice');
  // Landlords stop proving now: no blacklisting while the test waits.
  const params = (await api.query.storageSpaces.parameters()).toJSON();
  const r = await sendAndWait(api, api.tx.sudo.sudo(api.tx.utility.batchAll([
    api.tx.storageSpaces.setParameters({ ...params, maxFaults: 1_000_000 }),
    api.tx.system.setStorage([
    [q.spaces.key(space), scale(moved)],
    [q.expiryBuckets.key(oldExpiry), scale(api.createType('Vec<u64>', []))],
    [q.expiringMiB.key(oldExpiry), scale(api.createType('u64', 0))],
    [q.expiryBuckets.key(expiry), scale(api.createType('Vec<u64>', [space]))],
    [q.expiringMiB.key(expiry), scale(api.createType('u64', 8))],
    [q.soldUnconsumed.key(), scale(api.createType('u128', 8n * (expiry - clock - 2_000n)))],
  ])])), sudo);
  assert.equal(r.dispatchError, undefined);

  const lockedAt = await waitFor('the space to lock', async () => {
    const [info] = await api.call.storageSpacesApi.spacesOf(buyer.address);
    return info.locked.isTrue ? (await api.rpc.chain.getHeader()).hash.toHex() : null;
  }, 240_000, 2_000);
  const m = await market(lockedAt);
  assert.equal(m.activeMib.toNumber(), 0);
  // Locked: not extendable; its owner unlocks it by paying the locked interval too.
  const ext = await sendAndWait(api, api.tx.storageSpaces.extend(space, 1, 10n ** 30n), buyer);
  assert.equal(api.registry.findMetaError(ext.dispatchError.asModule).name, 'SpaceLocked');
  const un = await sendAndWait(api, api.tx.storageSpaces.unlock(space, 1, 10n ** 30n), buyer);
  assert.equal(un.dispatchError && api.registry.findMetaError(un.dispatchError.asModule).name, undefined);
  const unlocked = un.events.find(({ event }) => api.events.storageSpaces.SpaceUnlocked.is(event)).event.data;
  assert.ok(unlocked.backPayment.toBigInt() > 0n, 'back payment for the locked interval');
  const [info] = await api.call.storageSpacesApi.spacesOf(buyer.address);
  assert.equal(info.locked.isTrue, false);
  console.log(`space ${space}: back payment ${unlocked.backPayment.toBigInt()} planck, new term ${unlocked.cost.toBigInt()} planck`);
});
