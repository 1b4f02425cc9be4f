// The standard FRAME pieces on a dev chain (design §11), driven with @polkadot/api as a
// wallet would: an identity judged by a registrar and a username, a lost account recovered
// by its friends, an asset and an NFT, a 2-of-3 multisig transfer, a staking proxy refused
// outside its type, and the pool's spam rules (zero-value transfers, duplicates).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { u8aCmp } from '@polkadot/util';
import { blake2AsHex, createKeyMulti, cryptoWaitReady, decodeAddress, encodeAddress } from '@polkadot/util-crypto';
import { startNode, connect, sendAndWait, waitFor, KMCC } from './lib/node.mjs';

let node, api, keyring, k;

before(async () => {
  await cryptoWaitReady();
  node = await startNode(['--dev'], { name: 'accounts' });
  api = await connect(node);
  keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  k = Object.fromEntries(['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']
    .map((n) => [n.toLowerCase(), keyring.addFromUri(`//${n}`)]));
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

/** Sends `tx` and asserts it succeeded; returns its events. */
async function ok(tx, signer, what) {
  const r = await sendAndWait(api, tx, signer);
  assert.equal(r.dispatchError, undefined, `${what}: ${r.dispatchError && api.registry.findMetaError(r.dispatchError.asModule ?? r.dispatchError).name}`);
  return r.events;
}

const findEvent = (events, section, method) =>
  events.find(({ event }) => event.section === section && event.method === method)?.event;
const free = async (who) => (await api.query.system.account(who)).data.free.toBigInt();
const sortByKey = (addresses) => [...addresses].sort((a, b) => u8aCmp(decodeAddress(a), decodeAddress(b)));

test('an identity is set, judged by a registrar and given a username', async () => {
  const { alice, bob, charlie } = k;
  await ok(api.tx.sudo.sudo(api.tx.identity.addRegistrar(bob.address)), alice, 'addRegistrar');
  await ok(api.tx.identity.setIdentity({ display: { Raw: 'Charlie' }, email: { Raw: 'charlie@kmcc.example' } }),
    charlie, 'setIdentity');
  await ok(api.tx.identity.requestJudgement(0, KMCC), charlie, 'requestJudgement');
  const registration = (await api.query.identity.identityOf(charlie.address)).unwrap();
  const identityHash = blake2AsHex(registration.info.toU8a());
  await ok(api.tx.identity.provideJudgement(0, charlie.address, 'Reasonable', identityHash), bob, 'provideJudgement');
  const judged = (await api.query.identity.identityOf(charlie.address)).unwrap();
  assert.equal(judged.info.display.asRaw.toUtf8(), 'Charlie');
  assert.deepEqual(judged.judgements.map(([i, j]) => [i.toNumber(), j.type]), [[0, 'Reasonable']]);
  // A judgement of another version of the identity is refused.
  const stale = await sendAndWait(api, api.tx.identity.provideJudgement(0, charlie.address, 'Reasonable', blake2AsHex('x')), bob);
  assert.equal(api.registry.findMetaError(stale.dispatchError.asModule).name, 'JudgementForDifferentIdentity');

  // Usernames: root appoints a `kmcc` authority, which grants `charlie.kmcc`; Charlie accepts.
  await ok(api.tx.sudo.sudo(api.tx.identity.addUsernameAuthority(alice.address, 'kmcc', 10)), alice, 'authority');
  await ok(api.tx.identity.setUsernameFor(charlie.address, 'charlie.kmcc', null, true), alice, 'setUsernameFor');
  await ok(api.tx.identity.acceptUsername('charlie.kmcc'), charlie, 'acceptUsername');
  const owner = await api.query.identity.usernameInfoOf('charlie.kmcc');
  assert.equal(owner.unwrap().owner.toString(), charlie.address);
  // Not an authority: refused.
  const rogue = await sendAndWait(api, api.tx.identity.setUsernameFor(bob.address, 'bob.kmcc', null, false), bob);
  assert.equal(api.registry.findMetaError(rogue.dispatchError.asModule).name, 'NotUsernameAuthority');
});

test('a lost account is recovered by its friends', async () => {
  const { alice, bob, charlie, dave } = k;
  const lost = keyring.addFromUri('//kmcc-e2e//lost');
  const heir = keyring.addFromUri('//kmcc-e2e//heir');
  await ok(api.tx.balances.transferKeepAlive(lost.address, 100n * KMCC), dave, 'fund lost');
  await ok(api.tx.balances.transferKeepAlive(heir.address, 10n * KMCC), dave, 'fund heir');
  // Two of Alice, Bob and Charlie recover it for the heir, 3 blocks after they start.
  await ok(api.tx.recovery.setFriendGroups([{
    friends: sortByKey([alice.address, bob.address, charlie.address]),
    friendsNeeded: 2,
    inheritor: heir.address,
    inheritanceDelay: 3,
    inheritancePriority: 0,
    cancelDelay: 10,
  }]), lost, 'setFriendGroups');
  // The key is lost from here on.
  await ok(api.tx.recovery.initiateAttempt(lost.address, 0), alice, 'initiateAttempt');
  // Finishing with one approval is refused.
  const early = await sendAndWait(api, api.tx.recovery.finishAttempt(lost.address, 0), dave);
  assert.ok(early.dispatchError, 'one friend is not enough');
  await ok(api.tx.recovery.approveAttempt(lost.address, 0), bob, 'approveAttempt');
  const start = (await api.rpc.chain.getHeader()).number.toNumber();
  await waitFor('the inheritance delay', async () =>
    (await api.rpc.chain.getHeader()).number.toNumber() >= start + 4, 30_000);
  await ok(api.tx.recovery.finishAttempt(lost.address, 0), dave, 'finishAttempt');
  assert.equal((await api.query.recovery.inheritor(lost.address)).unwrap()[1].toString(), heir.address);
  // The heir moves the lost account's funds to itself.
  const before = await free(heir.address);
  const events = await ok(api.tx.recovery.controlInheritedAccount(lost.address,
    api.tx.balances.transferKeepAlive(heir.address, 50n * KMCC)), heir, 'controlInheritedAccount');
  const controlled = findEvent(events, 'recovery', 'RecoveredAccountControlled');
  assert.ok(controlled.data.callResult.isOk, `${controlled.data.callResult}`);
  assert.ok((await free(heir.address)) > before + 49n * KMCC, 'the heir received the funds');
});

test('an asset is created, minted and transferred; an NFT minted and transferred', async () => {
  const { alice, bob, charlie } = k;
  await ok(api.tx.assets.create(7, alice.address, 1), alice, 'assets.create');
  await ok(api.tx.assets.setMetadata(7, 'Komandor Gold', 'KGLD', 12), alice, 'setMetadata');
  await ok(api.tx.assets.mint(7, bob.address, 1_000_000), alice, 'mint');
  await ok(api.tx.assets.transferKeepAlive(7, charlie.address, 250_000), bob, 'transfer');
  const balance = async (who) => (await api.query.assets.account(7, who)).unwrap().balance.toBigInt();
  assert.equal(await balance(bob.address), 750_000n);
  assert.equal(await balance(charlie.address), 250_000n);
  const meta = await api.query.assets.metadata(7);
  assert.equal(meta.symbol.toUtf8(), 'KGLD');
  assert.equal((await api.query.assets.asset(7)).unwrap().supply.toBigInt(), 1_000_000n);

  const collection = (await api.query.nfts.nextCollectionId()).unwrapOr(api.createType('u32', 0)).toNumber();
  await ok(api.tx.nfts.create(alice.address, {
    settings: 0,
    maxSupply: null,
    mintSettings: { mintType: 'Issuer', price: null, startBlock: null, endBlock: null, defaultItemSettings: 0 },
  }), alice, 'nfts.create');
  await ok(api.tx.nfts.mint(collection, 1, alice.address, null), alice, 'nfts.mint');
  await ok(api.tx.nfts.transfer(collection, 1, bob.address), alice, 'nfts.transfer');
  assert.equal((await api.query.nfts.item(collection, 1)).unwrap().owner.toString(), bob.address);
  // Only the owner transfers it.
  const stolen = await sendAndWait(api, api.tx.nfts.transfer(collection, 1, charlie.address), alice);
  assert.ok(stolen.dispatchError, 'not the owner');
});

test('a 2-of-3 multisig transfers only with two approvals', async () => {
  const { alice, bob, charlie, dave, ferdie } = k;
  const members = [alice.address, bob.address, charlie.address];
  const multisig = encodeAddress(createKeyMulti(members, 2), api.registry.chainSS58);
  await ok(api.tx.balances.transferKeepAlive(multisig, 100n * KMCC), dave, 'fund multisig');
  const call = api.tx.balances.transferKeepAlive(ferdie.address, 10n * KMCC);
  const weight = (await call.paymentInfo(multisig)).weight;
  const others = (me) => sortByKey(members.filter((m) => m !== me));
  const before = await free(ferdie.address);
  const first = await ok(api.tx.multisig.asMulti(2, others(alice.address), null, call.method, weight), alice, 'first approval');
  const started = findEvent(first, 'multisig', 'NewMultisig');
  assert.ok(started, 'NewMultisig');
  assert.equal(await free(ferdie.address), before, 'one approval moves nothing');
  const pending = (await api.query.multisig.multisigs(multisig, call.method.hash)).unwrap();
  const events = await ok(api.tx.multisig.asMulti(2, others(bob.address), pending.when, call.method, weight), bob, 'second approval');
  const executed = findEvent(events, 'multisig', 'MultisigExecuted');
  assert.ok(executed.data.result.isOk, `${executed.data.result}`);
  assert.equal(await free(ferdie.address), before + 10n * KMCC);
});

test('a staking proxy leases for its delegator and is refused a transfer', async () => {
  const { alice, dave, eve } = k;
  await ok(api.tx.proxy.addProxy(eve.address, 'Staking', 0), dave, 'addProxy');
  let events = await ok(api.tx.proxy.proxy(dave.address, null, api.tx.dpos.lease(alice.address, 5n * KMCC)), eve, 'proxied lease');
  assert.ok(findEvent(events, 'proxy', 'ProxyExecuted').data.result.isOk);
  const lease = await api.query.dpos.leases(dave.address, alice.address);
  assert.equal(lease.unwrap().amount.toBigInt(), 5n * KMCC);
  const eveBefore = await free(eve.address);
  events = await ok(api.tx.proxy.proxy(dave.address, null, api.tx.balances.transferKeepAlive(eve.address, KMCC)), eve, 'proxied transfer');
  const result = findEvent(events, 'proxy', 'ProxyExecuted').data.result;
  assert.ok(result.isErr);
  assert.equal(api.registry.findMetaError(result.asErr.asModule).name, 'CallFiltered');
  assert.ok((await free(eve.address)) < eveBefore, 'Eve paid a fee and received nothing');
});

test('the pool refuses zero-value transfers and duplicates', async () => {
  const { bob, ferdie } = k;
  const refused = async (tx) => {
    const signed = await tx.signAsync(ferdie, { nonce: -1 });
    return api.rpc.author.submitExtrinsic(signed).then(() => null, (e) => e.message);
  };
  for (const tx of [
    api.tx.balances.transferKeepAlive(bob.address, 0),
    api.tx.balances.transferAllowDeath(bob.address, 0),
    api.tx.assets.transfer(7, bob.address, 0),
    api.tx.utility.batchAll([api.tx.balances.transferKeepAlive(bob.address, KMCC), api.tx.balances.transferKeepAlive(bob.address, 0)]),
  ]) {
    assert.match(await refused(tx), /1010.*Custom error: 100/, `${tx.method.section}.${tx.method.method}`);
  }
  // A transaction already in the pool is refused a second time; once included, the same bytes
  // stay refused and another transaction with its nonce is outdated.
  const nonce = (await api.rpc.system.accountNextIndex(ferdie.address)).toNumber();
  const signed = await api.tx.balances.transferKeepAlive(bob.address, KMCC).signAsync(ferdie, { nonce });
  const hash = await api.rpc.author.submitExtrinsic(signed);
  const again = await api.rpc.author.submitExtrinsic(signed).then(() => null, (e) => e.message);
  assert.match(again, /1013.*Already Imported/i);
  await waitFor('the transfer to be included', async () =>
    (await api.rpc.system.accountNextIndex(ferdie.address)).toNumber() > nonce
      && !(await api.rpc.author.pendingExtrinsics()).some((x) => x.hash.eq(hash)), 30_000);
  const replay = await api.rpc.author.submitExtrinsic(signed).then(() => null, (e) => e.message);
  assert.match(replay, /1013.*Already Imported|1010.*outdated/i);
  const reuse = await api.tx.balances.transferKeepAlive(bob.address, 2n * KMCC).signAsync(ferdie, { nonce });
  const stale = await api.rpc.author.submitExtrinsic(reuse).then(() => null, (e) => e.message);
  assert.match(stale, /1010.*outdated/i);
  console.log(`spam rules: zero value -> "Custom error: 100"; duplicate -> "${again}"; replay -> "${replay}"; nonce reused -> "${stale}"`);
});
