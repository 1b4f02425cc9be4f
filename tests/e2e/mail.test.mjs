// Encrypted mail end to end (design §10): a dev node, four real `kmcc-storage` landlord daemons
// and the real `kmcc` wallet. Alice and Bob register aliases; Bob sends Alice a message with a
// 3 MiB paid attachment written into his space; Alice reads it, pays into escrow, Bob's wallet
// delivers the key, Alice fetches the file byte for byte. A second paid attachment whose key
// never comes is refunded after the timeout. A stranger sees ciphertext only and the landlords
// refuse it the attachment. A message sent by `kmcc mail send` opens with libsodium and with
// TweetNaCl.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { hexToU8a, u8aConcat, u8aToString } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import nacl from 'tweetnacl';
import sodium from 'libsodium-wrappers';
import { startNode, connect, freePorts, waitFor, KMCC } from './lib/node.mjs';
import { kmccCli, registerLandlords, startLandlord } from './lib/landlords.mjs';

const PASSWORD = 'mail';
const MIB = 1 << 20;
const LANDLORDS = ['Charlie', 'Dave', 'Eve', 'Ferdie'];

let kmcc, kmccFails;
let node, api, keyring, root, ports, wallet, daemons, session, space;

function startDaemon(i) {
  const { proc, ready } = startLandlord(node, root, i, { account: LANDLORDS[i], nodeKeyPrefix: 'KmccMailNode', firstPort: ports });
  daemons[i] = proc;
  return ready;
}

const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
const address = (uri) => keyring.addFromUri(uri).address;
const finalized = async () => api.at(await api.rpc.chain.getFinalizedHead());
const bestNumber = async () => (await api.rpc.chain.getHeader()).number.toNumber();

/** The amount `who` holds for `reason` of `Mail`. */
async function mailHold(who, reason) {
  const holds = await (await finalized()).query.balances.holds(who);
  const hold = holds.find((h) => h.id.isMail && h.id.asMail.type === reason);
  return hold ? hold.amount.toBigInt() : 0n;
}

before(async () => {
  await cryptoWaitReady();
  await sodium.ready;
  node = await startNode(['--dev'], { name: 'mail' });
  api = await connect(node);
  keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  root = mkdtempSync(join(tmpdir(), 'kmcc-mail-'));
  wallet = join(root, 'wallet');
  ports = await freePorts(4);
  daemons = [];
  session = [];
  ({ kmcc, kmccFails } = kmccCli(node, wallet, PASSWORD, session));
  await kmcc('account', 'import', 'alice', '--suri', '//Alice');
  await kmcc('account', 'import', 'bob', '--suri', '//Bob');
  await kmcc('account', 'import', 'stranger', '--suri', '//KmccMailStranger');
  // Four landlords of 64 MiB: one copy group, 64 MiB of world disk.
  await registerLandlords(node, LANDLORDS, 'KmccMailNode', 64, ports);
  await Promise.all(LANDLORDS.map((_, i) => startDaemon(i)));
  await waitFor('a price for the world disk', async () => {
    const market = await (await finalized()).call.storageSpacesApi.market();
    return market.worldDiskMib.toNumber() === 64 && market.price.isSome;
  });
  space = (await kmcc('space', 'buy', '--from', 'bob', '--size-mib', '16', '--days', '1', '--max-price', '1000')).space;
});

after(async () => {
  for (const d of daemons ?? []) d?.kill('SIGINT');
  if (session?.length) console.log(`mail session:\n${session.join('\n')}`);
  await api?.disconnect();
  await node?.stop();
  if (root && !process.env.KMCC_KEEP_E2E) rmSync(root, { recursive: true, force: true });
});

test('aliases resolve to accounts and their published mail keys', async () => {
  const alice = await kmcc('mail', 'register', '--from', 'alice', 'alice');
  const bob = await kmcc('mail', 'register', '--from', 'bob', 'bob');
  assert.equal(BigInt(alice.deposit), KMCC);
  const resolved = (await (await finalized()).call.mailApi.resolveAlias('alice')).unwrap();
  assert.equal(resolved.account.toString(), address('//Alice'));
  assert.equal(resolved.encryptionKey.unwrap().toHex(), `0x${alice.key}`);
  assert.equal((await kmcc('mail', 'key', '--as', 'bob')).public, bob.key);
  assert.equal(await mailHold(address('//Alice'), 'Alias'), KMCC);
  assert.match(await kmccFails('mail', 'register', '--from', 'bob', 'alice'), /AliasTaken/);
});

test('a paid 3 MiB attachment: read, pay into escrow, key delivered, fetched byte for byte', async () => {
  const file = join(root, 'report.bin');
  writeFileSync(file, randomBytes(3 * MIB));
  const sent = await kmcc('mail', 'send', '--from', 'bob', 'alice', '--subject', 'Quarterly report',
    '--body', 'The figures are attached; 5 KMCC for the key.', '--attach', file, '--price', '5');
  const id = sent.id;
  assert.equal(sent.attachment.space, space);
  assert.equal(sent.attachment.length, 3 * MIB + 80);
  assert.equal(BigInt(sent.attachment.price), 5n * KMCC);
  assert.equal(BigInt(sent.postage), KMCC / 100n);
  // Postage: Issuance burns 80 % (as far as the 1 B floor allows; a dev chain is below it)
  // and pays the rest to the storage pool; the deposit is held from Bob.
  const blockEvents = await (await api.at(sent.block)).query.system.events();
  const burn = blockEvents.map((e) => e.event).find((e) => api.events.issuance.FeesBurned.is(e));
  assert.ok(burn, 'Issuance burned its share of the postage');
  assert.equal(burn.data.fee.toBigInt(), KMCC / 100n);
  assert.equal(burn.data.burnRequested.toBigInt(), (KMCC / 100n) * 8n / 10n);
  assert.equal(await mailHold(address('//Bob'), 'MessageDeposit'), BigInt(sent.deposit));

  const inbox = await kmcc('mail', 'inbox', '--as', 'alice');
  const listed = inbox.messages.find((m) => m.id === id);
  assert.equal(listed.subject, 'Quarterly report');
  assert.equal(listed.fromAlias, 'bob');
  assert.equal(listed.attachment.exchange.state, 'offered');
  const read = await kmcc('mail', 'read', '--as', 'alice', String(id));
  assert.equal(read.body, 'The figures are attached; 5 KMCC for the key.');
  assert.equal(read.forged, false);
  assert.equal(read.attachmentName, 'report.bin');
  assert.match(await kmccFails('mail', 'fetch', '--as', 'alice', String(id), '--out', join(root, 'early.bin')), /costs 5 KMCC/);
  // Before paying, Alice checks that the (outer-layer) bytes are stored and match the hash.
  const checked = await kmcc('mail', 'fetch', '--as', 'alice', String(id), '--check');
  assert.equal(checked.verified, true);
  assert.equal(checked.length, 3 * MIB + 80);

  const paid = await kmcc('mail', 'pay', '--as', 'alice', String(id));
  assert.equal(BigInt(paid.amount), 5n * KMCC);
  assert.equal(await mailHold(address('//Alice'), 'AttachmentEscrow'), 5n * KMCC);
  assert.match(await kmccFails('mail', 'pay', '--as', 'alice', String(id)), /AlreadyPaid/);

  const bobBefore = (await (await finalized()).query.system.account(address('//Bob'))).data.free.toBigInt();
  const delivered = await kmcc('mail', 'deliver', '--from', 'bob');
  assert.deepEqual(delivered.delivered.map((d) => d.id), [id]);
  assert.equal(BigInt(delivered.delivered[0].amount), 5n * KMCC);
  const bobAfter = (await (await finalized()).query.system.account(address('//Bob'))).data.free.toBigInt();
  assert.ok(bobAfter - bobBefore > 5n * KMCC - KMCC / 10n, 'Bob received the price (less a fee)');
  assert.equal(await mailHold(address('//Alice'), 'AttachmentEscrow'), 0n);
  const status = (await (await finalized()).call.mailApi.attachmentStatus(id)).unwrap();
  assert.ok(status.exchange.unwrap().isDelivered);
  assert.equal(status.readable.isTrue, true);

  const out = join(root, 'report.out');
  const fetched = await kmcc('mail', 'fetch', '--as', 'alice', String(id), '--out', out);
  assert.equal(fetched.length, 3 * MIB);
  assert.equal(sha256(out), sha256(file));
});

test('a key that never comes: the payment is refunded after the timeout', async () => {
  const file = join(root, 'draft.bin');
  writeFileSync(file, randomBytes(MIB));
  const sent = await kmcc('mail', 'send', '--from', 'bob', 'alice', '--subject', 'Draft', '--attach', file, '--price', '2');
  const paid = await kmcc('mail', 'pay', '--as', 'alice', String(sent.id));
  assert.equal(await mailHold(address('//Alice'), 'AttachmentEscrow'), 2n * KMCC);
  if (await bestNumber() < paid.deadline - 2) {
    assert.match(await kmccFails('mail', 'refund', '--as', 'alice', String(sent.id)), /DeliveryPending/);
  }
  await waitFor('the delivery deadline', async () => (await bestNumber()) >= paid.deadline, 90_000);
  const refunded = await kmcc('mail', 'refund', '--as', 'alice', String(sent.id));
  assert.equal(BigInt(refunded.amount), 2n * KMCC);
  assert.equal(refunded.payer, address('//Alice'));
  assert.equal(await mailHold(address('//Alice'), 'AttachmentEscrow'), 0n);
  const status = (await (await finalized()).call.mailApi.attachmentStatus(sent.id)).unwrap();
  assert.ok(status.exchange.unwrap().isRefunded);
  assert.match(await kmccFails('mail', 'fetch', '--as', 'alice', String(sent.id), '--out', join(root, 'x')), /costs 2 KMCC/);
  // Settled: Alice deletes it and Bob's deposit comes back.
  const deleted = await kmcc('mail', 'delete', '--as', 'alice', String(sent.id));
  assert.equal(BigInt(deleted.refunded), BigInt(sent.deposit));
});

test('a stranger sees ciphertext only and the landlords refuse it the attachment', async () => {
  const page = await (await finalized()).call.mailApi.mailbox(address('//Alice'), 0, 50);
  assert.ok(page.total.toNumber() >= 1);
  const first = page.messages[0];
  const text = u8aToString(first.ciphertext);
  assert.doesNotMatch(text, /Quarterly|figures|report/);
  assert.match(await kmccFails('mail', 'read', '--as', 'stranger', String(first.id.toNumber())), /not sealed to this account/);
  const a = first.attachment.unwrap();
  assert.match(await kmccFails('space', 'get', String(space), '--as', 'stranger', '--no-encrypt',
    join(root, 'stolen.bin'), '--offset', a.offset.toString(), '--length', '4096'), /Unauthorized/);
});

test('libsodium and TweetNaCl open a message sent by kmcc mail send', async () => {
  const sent = await kmcc('mail', 'send', '--from', 'bob', 'alice', '--subject', 'Interop', '--body', 'Hello from crypto_box_seal');
  const ciphertext = (await (await finalized()).call.mailApi.message(sent.id)).unwrap().ciphertext.toU8a(true);
  const key = await kmcc('mail', 'key', '--as', 'alice', '--secret');
  const [pk, sk] = [hexToU8a(`0x${key.public}`), hexToU8a(`0x${key.secret}`)];
  // libsodium: the sealed box as is.
  const bySodium = JSON.parse(u8aToString(sodium.crypto_box_seal_open(ciphertext, pk, sk)));
  // TweetNaCl: crypto_box with the sealed box's nonce, blake2b-192(ephemeral ‖ recipient).
  const ephemeral = ciphertext.slice(0, 32);
  const nonce = blake2AsU8a(u8aConcat(ephemeral, pk), 192);
  const opened = nacl.box.open(ciphertext.slice(32), nonce, ephemeral, sk);
  assert.ok(opened, 'TweetNaCl opens the box');
  const byTweetnacl = JSON.parse(u8aToString(opened));
  for (const envelope of [bySodium, byTweetnacl]) {
    assert.equal(envelope.v, 1);
    assert.equal(envelope.from, address('//Bob'));
    assert.equal(envelope.subject, 'Interop');
    assert.equal(envelope.body, 'Hello from crypto_box_seal');
  }
});
