// The storage data plane end to end (design §5): a dev node, four real `kmcc-storage` landlord
// daemons, the real `kmcc` wallet and Debian's qemu/libnbd/e2fsprogs tools. A 64 MiB space is
// bought, exported over NBD, formatted elsewhere and copied in and out with qemu-img; random
// unaligned writes are verified with qemu-io; one daemon is killed (writes go on, the next
// proof round faults it, it gets no rent), restarted (it catches up byte for byte and is
// counted and paid again); an account without a grant is refused; a locked space refuses
// reads and writes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startNode, connect, freePorts, sendAndWait, waitFor, sleep } from './lib/node.mjs';
import { KMCC_BIN, kmccCli, registerLandlords, run, startLandlord } from './lib/landlords.mjs';

const PASSWORD = 'storage net';
const MIB = 1 << 20;
const BUCKET_MS = 60_000n;
const LANDLORDS = ['Bob', 'Charlie', 'Dave', 'Eve'];

let kmcc, kmccFails;
let node, api, keyring, root, ports, wallet, daemons, nbdServers, session, events, space;

async function tool(cmd, ...args) {
  const { stdout } = await run(cmd, args, { timeout: 300_000, maxBuffer: 64 * MIB });
  return stdout;
}

function startDaemon(i) {
  const { proc, ready } = startLandlord(node, root, i, { account: LANDLORDS[i], nodeKeyPrefix: 'KmccStorageNode', firstPort: ports });
  daemons[i] = proc;
  return ready;
}

function startNbd(id, port) {
  const proc = spawn(KMCC_BIN, ['--url', `ws://127.0.0.1:${node.rpcPort}`, '--wallet', wallet, '--json',
    'space', 'nbd', String(id), '--as', 'ferdie', '--listen', `127.0.0.1:${port}`],
  { env: { ...process.env, KMCC_PASSWORD: PASSWORD }, stdio: ['ignore', 'pipe', 'inherit'] });
  nbdServers.push(proc);
  return new Promise((resolve, reject) => {
    proc.on('exit', (code) => reject(new Error(`kmcc space nbd exited with ${code}`)));
    createInterface({ input: proc.stdout }).once('line', (line) => resolve(JSON.parse(line)));
  });
}

const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
const account = (i) => keyring.addFromUri(`//${LANDLORDS[i]}`).address;
const finalizedNumber = async () => (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();

/** `count` random unaligned writes as qemu-io commands, and the reads that verify them. */
function randomPattern(count, size) {
  const writes = [];
  const reads = [];
  for (let k = 0; k < count; k += 1) {
    const len = 1 + Math.floor(Math.random() * 65_536);
    const offset = Math.floor(Math.random() * (size - len));
    const pattern = 1 + Math.floor(Math.random() * 254);
    writes.push('-c', `write -P ${pattern} ${offset} ${len}`);
    reads.push({ offset, len, pattern });
  }
  // Later writes may overlap earlier ones: verify each range against the last write to it.
  const verify = [];
  reads.forEach((r, k) => {
    const overlapped = reads.slice(k + 1).some((o) => o.offset < r.offset + r.len && r.offset < o.offset + o.len);
    if (!overlapped) verify.push('-c', `read -P ${r.pattern} ${r.offset} ${r.len}`);
  });
  return { writes, verify, count };
}

async function qemuIo(port, commands) {
  const out = await tool('qemu-io', '-f', 'raw', ...commands, `nbd://127.0.0.1:${port}`);
  assert.doesNotMatch(out, /verification failed|failed:/i, out);
  return out;
}

before(async () => {
  await cryptoWaitReady();
  node = await startNode(['--dev'], { name: 'storage-net' });
  api = await connect(node);
  keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  root = mkdtempSync(join(tmpdir(), 'kmcc-storage-net-'));
  wallet = join(root, 'wallet');
  ports = await freePorts(6);
  daemons = [];
  nbdServers = [];
  session = [];
  ({ kmcc, kmccFails } = kmccCli(node, wallet, PASSWORD, session));
  events = [];
  // Every finalized block's events, for the assertions on proofs, faults and rent (GRANDPA
  // finalizes several blocks at once: the heads skip, the blocks are read one by one).
  let seen = 0;
  let reading = Promise.resolve();
  await api.rpc.chain.subscribeFinalizedHeads((header) => {
    const head = header.number.toNumber();
    reading = reading.then(async () => {
      for (; seen < head; seen += 1) {
        const at = await api.at(await api.rpc.chain.getBlockHash(seen + 1));
        events.push({ number: seen + 1, events: (await at.query.system.events()).map((e) => e.event) });
      }
    }).catch((e) => console.error(`reading events: ${e}`));
  });
  // An outage must fault, not blacklist, while the test waits on rounds.
  const sudo = keyring.addFromUri('//Alice');
  const params = (await api.query.storageSpaces.parameters()).toJSON();
  const p = await sendAndWait(api, api.tx.sudo.sudo(api.tx.storageSpaces.setParameters({ ...params, maxFaults: 100 })), sudo);
  assert.equal(p.dispatchError, undefined);

  await kmcc('account', 'import', 'ferdie', '--suri', '//Ferdie');
  await kmcc('account', 'import', 'stranger', '--suri', '//KmccStorageStranger');
  // Four landlords of 128 MiB each: two copy groups, 128 MiB of world disk.
  await registerLandlords(node, LANDLORDS, 'KmccStorageNode', 128, ports);
  await Promise.all(LANDLORDS.map((_, i) => startDaemon(i)));
  // The price of the first finalized block that sees the world disk.
  await waitFor('a price for the new world disk', async () => {
    const market = await (await api.at(await api.rpc.chain.getFinalizedHead())).call.storageSpacesApi.market();
    return market.worldDiskMib.toNumber() === 128 && market.price.isSome;
  });
});

after(async () => {
  for (const p of nbdServers ?? []) p.kill('SIGINT');
  for (const d of daemons ?? []) d?.kill('SIGINT');
  if (session?.length) console.log(`storage session:\n${session.join('\n')}`);
  await api?.disconnect();
  await node?.stop();
  if (root && !process.env.KMCC_KEEP_E2E) rmSync(root, { recursive: true, force: true });
});

test('a 64 MiB space takes an ext4 image over NBD and gives it back byte for byte', async () => {
  const bought = await kmcc('space', 'buy', '--from', 'ferdie', '--size-mib', '64', '--days', '1', '--max-price', '1000');
  space = bought.space;
  assert.equal(bought.sizeMib, 64);
  const listed = await kmcc('space', 'list', 'ferdie');
  const mine = listed.spaces.find((s) => s.space === space);
  assert.equal(mine.locked, false);
  assert.ok(mine.groups.every((g) => g.landlords.length === 4), 'four replicas of every chunk');

  const served = await startNbd(space, ports + 4);
  assert.equal(served.size, 64 * MIB);
  const info = JSON.parse(await tool('nbdinfo', '--json', served.uri));
  const exp = info.exports[0];
  assert.equal(exp['export-size'], 64 * MIB);
  assert.equal(exp.can_trim, true);
  assert.equal(exp.can_zero, true);
  assert.equal(exp.can_multi_conn, true);
  assert.equal(exp.is_read_only, false);

  // An ext4 file system with 12 MiB of random files, made outside the space.
  const src = join(root, 'files');
  mkdirSync(src);
  for (let k = 0; k < 12; k += 1) writeFileSync(join(src, `file${k}`), randomBytes(MIB));
  const image = join(root, 'disk.img');
  await tool('mkfs.ext4', '-q', '-F', '-d', src, image, '64M');
  let t = Date.now();
  await tool('qemu-img', 'convert', '-n', '-f', 'raw', '-O', 'raw', image, served.uri);
  const inMs = Date.now() - t;
  const back = join(root, 'back.img');
  t = Date.now();
  await tool('qemu-img', 'convert', '-f', 'raw', '-O', 'raw', served.uri, back);
  const outMs = Date.now() - t;
  await tool('cmp', image, back);
  await tool('e2fsck', '-fn', back);
  session.push(`ext4 image ${sha256(image)}, read back ${sha256(back)}: equal, e2fsck clean; 64 MiB in ${inMs} ms, out ${outMs} ms`);

  // Landlords hold ciphertext: no 4 KiB block of the files appears in any replica.
  const file0 = readFileSync(join(src, 'file0')).subarray(0, 4096);
  for (let i = 0; i < 4; i += 1) {
    for (const g of mine.groups) {
      const img = readFileSync(join(root, `landlord${i}`, 'groups', `${g.group}.img`));
      assert.equal(img.indexOf(file0), -1, `plaintext on landlord ${i}`);
    }
  }
});

test('random unaligned writes through NBD read back, also with kmcc space read', async () => {
  const { writes, verify } = randomPattern(40, 64 * MIB);
  await qemuIo(ports + 4, writes);
  await qemuIo(ports + 4, verify);
  // The wallet reads the same bytes as the disk.
  const r = await kmcc('space', 'read', String(space), '--as', 'ferdie', '--offset', '1000', '--length', '64');
  const viaNbd = await tool('qemu-io', '-f', 'raw', '-c', 'read -v 1000 64', `nbd://127.0.0.1:${ports + 4}`);
  // `read -v` dumps 16 bytes a line: `000003e8:  05 05 …  ................`.
  const dumped = [...viaNbd.matchAll(/^[0-9a-f]{8}: ((?: [0-9a-f]{2})+) /gm)].map((m) => m[1].replaceAll(' ', '')).join('');
  assert.equal(dumped.length, 128);
  assert.equal(r.hex, dumped);
  session.push(`40 random writes (1 B–64 KiB, unaligned) verified with qemu-io read -P`);
});

test('one landlord down: writes go on, the round faults it and pays it nothing; restarted it catches up and is counted again', async () => {
  const down = 2;
  const dave = account(down);
  const from = events.length;
  daemons[down].kill('SIGKILL');
  const killedAt = await finalizedNumber();
  // Writes and reads continue on the other three (quorum 3 of 4).
  const during = randomPattern(30, 64 * MIB);
  await qemuIo(ports + 4, during.writes);
  await qemuIo(ports + 4, during.verify);
  session.push(`daemon of ${LANDLORDS[down]} killed at block ${killedAt}; 30 writes and their reads succeeded`);

  // The next round to close faults it and pays rent only to the three that proved.
  const faulted = await waitFor('a fault of the stopped landlord', () => events.slice(from).find((b) =>
    b.events.some((e) => api.events.storageSpaces.LandlordFaulted.is(e) && e.data.landlord.toString() === dave)), 120_000, 1_000);
  const closed = faulted.events.find((e) => api.events.storageSpaces.RoundClosed.is(e));
  const paid = faulted.events.filter((e) => api.events.storageSpaces.RentPaid.is(e)).map((e) => e.data.landlord.toString());
  assert.ok(closed.data.rent.toBigInt() > 0n, 'the space pays rent');
  assert.deepEqual(new Set(paid), new Set([0, 1, 3].map(account)), 'rent to the three that hold the data');
  session.push(`round ${closed.data.round} closed at block ${faulted.number}: ${LANDLORDS[down]} faulted, rent ${closed.data.rent} paid to ${paid.length} landlords`);

  // Restarted (same data directory): it catches up and its replicas equal the others'.
  await startDaemon(down);
  const groups = [...new Set((await kmcc('space', 'list', 'ferdie')).spaces.find((s) => s.space === space).groups.map((g) => g.group))];
  await waitFor('the restarted replica to equal the others', async () => {
    for (const g of groups) {
      for (const other of [0, 1, 3]) {
        try {
          await tool('cmp', join(root, `landlord${down}`, 'groups', `${g}.img`), join(root, `landlord${other}`, 'groups', `${g}.img`));
        } catch {
          return false;
        }
      }
    }
    return true;
  }, 120_000, 2_000);
  for (const g of groups) session.push(`group ${g}: replica of ${LANDLORDS[down]} ${sha256(join(root, `landlord${down}`, 'groups', `${g}.img`))} equals the other three`);

  // A later round counts it in every group's proof, with no fault, and pays it.
  const restartedAt = events.length;
  const counted = await waitFor('a round that counts the restarted landlord', () => {
    const later = events.slice(restartedAt);
    for (const b of later) {
      const close = b.events.find((e) => api.events.storageSpaces.RoundClosed.is(e));
      if (!close) continue;
      const round = close.data.round.toNumber();
      const inRound = later.flatMap((x) => x.events).filter((e) => (api.events.storageSpaces.SpaceProven.is(e)
        || api.events.storageSpaces.ProofVotesAdded.is(e)) && e.data.round.toNumber() === round);
      const provenGroups = new Set(inRound.filter((e) => (api.events.storageSpaces.SpaceProven.is(e) ? e.data.passed : e.data.added)
        .some((a) => a.toString() === dave)).map((e) => e.data.group.toNumber()));
      const noFault = !b.events.some((e) => api.events.storageSpaces.LandlordFaulted.is(e) && e.data.landlord.toString() === dave);
      const rent = b.events.some((e) => api.events.storageSpaces.RentPaid.is(e) && e.data.landlord.toString() === dave);
      if (groups.every((g) => provenGroups.has(g)) && noFault && rent) return { number: b.number, round };
    }
    return false;
  }, 200_000, 1_000).catch((e) => {
    const closes = events.slice(restartedAt).filter((b) => b.events.some((x) => api.events.storageSpaces.RoundClosed.is(x)));
    const summary = closes.map((b) => `${b.number}: ${b.events.filter((x) => x.section === 'storageSpaces').map((x) => `${x.method}${JSON.stringify(x.data.toHuman())}`).join(' ')}`);
    const proofs = events.slice(restartedAt).flatMap((b) => b.events.filter((x) => api.events.storageSpaces.SpaceProven.is(x) || api.events.storageSpaces.ProofVotesAdded.is(x)).map((x) => `${b.number} ${x.method} ${JSON.stringify(x.data.toHuman())}`));
    throw new Error(`${e.message}\ndave ${dave}, groups ${groups}\n${summary.join('\n')}\n${proofs.join('\n')}`);
  });
  session.push(`round ${counted.round} (closed at block ${counted.number}) counted ${LANDLORDS[down]} in every group and paid it`);
});

test('an account without a grant is refused; a read grant reads with the owner key and may not write', async () => {
  assert.match(await kmccFails('space', 'read', String(space), '--as', 'stranger', '--no-encrypt', '--offset', '0', '--length', '16'), /Unauthorized/);
  await kmcc('space', 'grant', String(space), '--from', 'ferdie', '--to', 'stranger', '--access', 'read');
  const { key } = await kmcc('space', 'key', String(space), '--as', 'ferdie');
  const owner = await kmcc('space', 'read', String(space), '--as', 'ferdie', '--offset', '4096', '--length', '256');
  // The daemons see the grant at the next finalized block.
  const granted = await waitFor('the grant to reach the daemons', async () =>
    kmcc('space', 'read', String(space), '--as', 'stranger', '--key', key, '--offset', '4096', '--length', '256'), 30_000, 1_000);
  assert.equal(granted.hex, owner.hex);
  assert.match(await kmccFails('space', 'write', String(space), '--as', 'stranger', '--key', key, '--data', 'x'), /Unauthorized/);
});

test('a locked space refuses reads and writes', async () => {
  const small = await kmcc('space', 'buy', '--from', 'ferdie', '--size-mib', '8', '--days', '1', '--max-price', '1000');
  const port = ports + 5;
  await startNbd(small.space, port);
  await qemuIo(port, ['-c', 'write -P 7 0 65536']);
  // Root moves the space's expiry to the next minute boundary (a day cannot pass in a test).
  const s = (await api.query.storageSpaces.spaces(small.space)).unwrap();
  const oldExpiry = s.expiresAt.toBigInt();
  const clock = (await api.query.storageSpaces.rentClock()).toBigInt();
  const expiry = ((clock + 20_000n) / BUCKET_MS + 1n) * BUCKET_MS;
  const q = api.query.storageSpaces;
  const scale = (v) => u8aToHex(v.toU8a());
  const oldBucket = (await q.expiryBuckets(oldExpiry)).toJSON().filter((id) => id !== small.space);
  const r = await sendAndWait(api, api.tx.sudo.sudo(api.tx.system.setStorage([
    [q.spaces.key(small.space), scale(api.createType(s.toRawType(), { ...s.toJSON(), expiresAt: expiry }))],
    [q.expiryBuckets.key(oldExpiry), scale(api.createType('Vec<u64>', oldBucket))],
    [q.expiringMiB.key(oldExpiry), scale(api.createType('u64', (await q.expiringMiB(oldExpiry)).toBigInt() - 8n))],
    [q.expiryBuckets.key(expiry), scale(api.createType('Vec<u64>', [small.space]))],
    [q.expiringMiB.key(expiry), scale(api.createType('u64', 8))],
    // The space's unconsumed MiB-ms shrink with its term.
    [q.soldUnconsumed.key(), scale(api.createType('u128', (await q.soldUnconsumed()).toBigInt() - 8n * (oldExpiry - expiry)))],
  ])), keyring.addFromUri('//Alice'));
  assert.equal(r.dispatchError, undefined);
  const lockedAt = await waitFor('the space to lock', async () => {
    const info = (await api.call.storageSpacesApi.spacesOf(keyring.addFromUri('//Ferdie').address)).find((x) => x.id.toNumber() === small.space);
    return info.locked.isTrue ? finalizedNumber() : null;
  }, 240_000, 2_000);
  await waitFor('daemons to see the lock', async () => (await finalizedNumber()) > lockedAt + 2, 30_000, 1_000);
  for (const cmd of ['read 0 4096', 'write -P 9 0 4096']) {
    const out = await tool('qemu-io', '-f', 'raw', '-c', cmd, `nbd://127.0.0.1:${port}`).catch((e) => `${e.stdout}${e.stderr}`);
    assert.match(out, /Operation not permitted/, `${cmd}: ${out}`);
  }
  assert.match(await kmccFails('space', 'read', String(small.space), '--as', 'ferdie', '--offset', '0', '--length', '16'), /locked/);
  session.push(`space ${small.space} locked at block ${lockedAt}: NBD reads and writes refused (EPERM)`);
  await sleep(0);
});
