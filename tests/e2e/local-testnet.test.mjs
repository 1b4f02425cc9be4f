// The 4-validator local network of scripts/local-testnet.sh with DPoS (design §3): the
// committee {Alice, Bob, Charlie, Dave} in groups {Alice, Dave} and {Bob, Charlie}; groups take
// turns authoring per 10-block session while all four sign GRANDPA commits; with a whole group
// stopped the other group authors its sessions too (the liveness fallback) and finality resumes
// when it returns, both of its members voting again; finality survives one node going down; a GRANDPA equivocation (two prevotes signed here with the stopped node's key)
// reported with the runtime's key-ownership proof slashes that member and pays the reporter; a
// newly leased candidate enters at the next era; a double-authoring proof built here from two
// sealed headers slashes the offender and pays the reporter. BEEFY checkpoints (design §13)
// are checked here as a light client would: the committee's signatures recovered from
// keccak256(commitment), an MMR proof of an old block folded up to the checkpoint's root, and
// after the committee change, checkpoints signed by the new set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import { freePorts, waitFor, sendAndWait, KMCC, NODE_BIN } from './lib/node.mjs';
import { checkpointSigners, decodeCheckpoint, keysetRoot, mmrRootFromProof, threshold } from './lib/beefy.mjs';

const script = join(dirname(fileURLToPath(import.meta.url)), '../../scripts/local-testnet.sh');
let env, api, sr, ed, ec;

const net = (...args) => execFileSync('bash', [script, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] }).toString();

before(async () => {
  await cryptoWaitReady();
  sr = new Keyring({ type: 'sr25519', ss58Format: 7788 });
  ed = new Keyring({ type: 'ed25519', ss58Format: 7788 });
  ec = new Keyring({ type: 'ecdsa', ss58Format: 7788 });
  env = {
    ...process.env,
    KMCC_NODE_BIN: NODE_BIN,
    KMCC_SKIP_BUILD: '1',
    KMCC_NET_DIR: mkdtempSync(join(tmpdir(), 'kmcc-4node-')),
    // The voters' rounds, set changes and catch-ups, in each node's log, for a failed run.
    RUST_LOG: 'grandpa=debug',
  };
  // 12 consecutive ports: the p2p, RPC and Prometheus ranges of 4 nodes each.
  const base = await freePorts(12);
  env.KMCC_P2P_BASE_PORT = String(base);
  env.KMCC_RPC_BASE_PORT = String(base + 4);
  env.KMCC_PROMETHEUS_BASE_PORT = String(base + 8);
  net('start');
  const provider = new WsProvider(`ws://127.0.0.1:${env.KMCC_RPC_BASE_PORT}`, 1_000);
  api = await ApiPromise.create({ provider, noInitWarn: true });
});

after(async () => {
  await api?.disconnect();
  if (env) net('stop');
});

const best = async () => (await api.rpc.chain.getHeader()).number.toNumber();
const finalized = async () =>
  (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
const name = (address) =>
  ['alice', 'bob', 'charlie', 'dave', 'eve', 'ferdie'].find((n) => sr.addFromUri(`//${n[0].toUpperCase()}${n.slice(1)}`).address === address) ?? address;

/** The account that sealed block `number`: the owner of Aura's authority for its slot. */
/** The `Dpos` `Lease` hold of `who` (its leases plus unbonding leases), in planck. */
async function leaseHold(api, who) {
  const holds = await api.query.balances.holds(who);
  const lease = holds.find((h) => h.id.isDpos && h.id.asDpos.isLease);
  return lease ? lease.amount.toBigInt() : 0n;
}

const NODES = ['alice', 'bob', 'charlie', 'dave'];

/** A node's `grandpa_roundState` (its set id and the votes it saw in its best round). */
async function roundState(node) {
  const port = Number(env.KMCC_RPC_BASE_PORT) + NODES.indexOf(node);
  const response = await fetch(`http://127.0.0.1:${port}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'grandpa_roundState', params: [] }),
  });
  const { result, error } = await response.json();
  if (error) throw new Error(`${node}: ${error.message}`);
  return result;
}

/** The validator whose GRANDPA key has SS58 address `address`. */
const voterName = (address) => {
  const key = u8aToHex(decodeAddress(address));
  return NODES.find((n) => u8aToHex(ed.addFromUri(`//${n[0].toUpperCase()}${n.slice(1)}`).publicKey) === key) ?? address;
};

/** What each running node's GRANDPA voter sees: set, round, and whose votes it misses. */
async function grandpaReport() {
  const lines = [];
  for (const node of NODES) {
    try {
      const { setId, best } = await roundState(node);
      lines.push(`${node}: set ${setId} round ${best.round}, prevotes ${best.prevotes.currentWeight}/${best.thresholdWeight} ` +
        `(missing ${best.prevotes.missing.map(voterName).join('+') || 'none'}), precommits ${best.precommits.currentWeight} ` +
        `(missing ${best.precommits.missing.map(voterName).join('+') || 'none'})`);
    } catch (e) {
      lines.push(`${node}: ${e.cause?.code ?? e.message}`);
    }
  }
  return lines.join('\n');
}

/** `waitFor` on finality; on a timeout the error carries every voter's view of its round. */
async function waitForFinality(what, check, timeoutMs) {
  try {
    return await waitFor(what, check, timeoutMs, 1_000);
  } catch (e) {
    throw new Error(`${e.message}\nfinalized #${await finalized()}, best #${await best()} (logs in ${env.KMCC_NET_DIR})\n${await grandpaReport()}`);
  }
}

async function authorOf(number) {
  const hash = await api.rpc.chain.getBlockHash(number);
  const header = await api.rpc.chain.getHeader(hash);
  const pre = header.digest.logs.find((l) => l.isPreRuntime && l.asPreRuntime[0].toString() === 'aura');
  const slot = api.createType('u64', pre.asPreRuntime[1]).toBigInt();
  // The node checks each seal against Aura's authority list at the parent: the runtime's
  // authoring schedule (the group, then the other members once the group left its slots empty).
  const authorities = await (await api.at(header.parentHash)).call.auraApi.authorities();
  const key = authorities[Number(slot % BigInt(authorities.length))];
  // Bytes from a hex string are taken raw (from a Uint8Array they would be length-prefixed).
  const owner = await api.query.session.keyOwner([u8aToHex(stringToU8a('aura')), key.toHex()]);
  // The session the block was authored in: the one in force at its parent (a block that
  // starts a session was still sealed by the previous session's group).
  const session = (await (await api.at(header.parentHash)).query.session.currentIndex()).toNumber();
  return { session, author: name(owner.unwrap().toString()) };
}

test('the committee is split into two groups that take turns; all four vote in GRANDPA', async () => {
  const committee = await api.call.dposApi.committee();
  const groups = committee.groups.map((g) => g.map((a) => name(a.toString())).sort());
  assert.deepEqual(groups, [['alice', 'dave'], ['bob', 'charlie']]);
  assert.equal((await api.call.grandpaApi.grandpaAuthorities()).length, 4);
  assert.equal((await api.query.session.validators()).length, 4);

  // Walk blocks until three session boundaries were crossed; note authors and finality lag.
  const sessions = new Map();
  const lagAt = [];
  let from = (await best()) + 1;
  const startSession = (await api.query.session.currentIndex()).toNumber();
  await waitFor('three session rotations', async () => {
    const b = await best();
    for (; from <= b; from++) {
      const { session, author } = await authorOf(from);
      if (!sessions.has(session)) {
        sessions.set(session, new Set());
        lagAt.push({ session, block: from, lag: b - (await finalized()) });
      }
      sessions.get(session).add(author);
    }
    return sessions.size >= 5 && Math.max(...sessions.keys()) >= startSession + 4;
  }, 300_000, 1_000);

  const complete = [...sessions.keys()].sort((a, b) => a - b).slice(1, -1);
  const groupOf = (set) => groups.findIndex((g) => [...set].every((a) => g.includes(a)));
  const turns = complete.map((s) => groupOf(sessions.get(s)));
  console.log(`authors per session: ${complete.map((s) => `#${s} ${[...sessions.get(s)].sort().join('+')}`).join(', ')}`);
  console.log(`finality lag at session starts: ${lagAt.map((l) => `#${l.session}@${l.block}: ${l.lag}`).join(', ')}`);
  // Every complete session was authored by exactly one group, group s mod 2: the groups
  // alternate, also across era boundaries (3-session eras).
  assert.ok(turns.every((g) => g >= 0), `a session mixed groups: ${turns}`);
  complete.forEach((s, i) => assert.equal(turns[i], s % 2, `group of session ${s}`));
  for (const s of complete) assert.equal(sessions.get(s).size, 2, `both members of session ${s}'s group author`);

  const f0 = await finalized();
  await waitFor('finality to advance', async () => (await finalized()) >= f0 + 4, 90_000);
});

test('all four committee members sign GRANDPA commits', async () => {
  const voters = new Set((await api.call.grandpaApi.grandpaAuthorities()).map(([id]) => id.toHex()));
  assert.equal(voters.size, 4);
  const signers = new Set();
  let justifications = 0;
  const unsub = await api.rpc.grandpa.subscribeJustifications((notification) => {
    const justification = api.createType('GrandpaJustification', notification.toU8a(true));
    justifications++;
    for (const { id } of justification.commit.precommits) signers.add(id.toHex());
  });
  try {
    await waitFor('precommits from all four voters', async () => signers.size === 4, 120_000, 1_000);
  } finally {
    unsub();
  }
  assert.ok([...signers].every((id) => voters.has(id)), 'every signer is a GRANDPA authority');
  console.log(`GRANDPA: ${signers.size} of ${voters.size} voters signed precommits in ${justifications} justifications`);
});

/** The dev account whose BEEFY (ecdsa) key is `key` (hex). */
const beefyName = (key) =>
  ['alice', 'bob', 'charlie', 'dave', 'eve', 'ferdie'].find((n) => u8aToHex(ec.addFromUri(`//${n[0].toUpperCase()}${n.slice(1)}`).publicKey) === key) ?? key;

/** The next BEEFY checkpoint the node announces that satisfies `accept`, decoded. */
async function nextCheckpoint(what, accept, timeoutMs) {
  let found = null;
  const unsub = await api.rpc.beefy.subscribeJustifications((proof) => {
    const checkpoint = decodeCheckpoint(api, proof);
    if (!found && accept(checkpoint)) found = checkpoint;
  });
  try {
    await waitFor(what, async () => found !== null, timeoutMs, 500);
  } finally {
    unsub();
  }
  return found;
}

/** The BEEFY set that signed `checkpoint` (in force at its block) and who of it signed. */
async function checkpointSet(checkpoint) {
  const at = await api.at(await api.rpc.chain.getBlockHash(checkpoint.block));
  const set = (await at.call.beefyApi.validatorSet()).unwrap();
  assert.equal(set.id.toNumber(), checkpoint.setId, `set in force at #${checkpoint.block}`);
  const keys = set.validators.map((k) => k.toHex());
  const signers = checkpointSigners(checkpoint, keys);
  return { at, keys, signers };
}

test('BEEFY checkpoints are signed by more than 2/3 of the committee; an MMR proof of an old block verifies against one', async () => {
  const committee = (await api.call.dposApi.committee()).members.map(([a]) => name(a.toString())).sort();
  const checkpoint = await nextCheckpoint('a BEEFY checkpoint', (c) => c.block > 20, 120_000);
  const { at, keys, signers } = await checkpointSet(checkpoint);
  // The BEEFY set is the committee (one key per member), and > 2/3 of it signed.
  assert.deepEqual(keys.map(beefyName).sort(), committee);
  assert.ok(signers.length >= threshold(keys.length), `${signers.length} of ${keys.length} signed`);
  // The root signed is the root the chain stored at that block.
  assert.equal(checkpoint.mmrRoot, (await at.query.mmr.rootHash()).toHex());
  console.log(`checkpoint: block #${checkpoint.block}, set ${checkpoint.setId}, MMR root ${checkpoint.mmrRoot}, ` +
    `signed by ${signers.map((i) => beefyName(keys[i])).join(', ')} (${signers.length} of ${keys.length})`);

  // An old block, proven against the checkpoint (its MMR had `block` leaves): the leaf that
  // the next block appended names it.
  const target = checkpoint.block - 15;
  const { leaves, proof } = await api.rpc.mmr.generateProof([target + 1], checkpoint.block);
  const [leaf] = api.createType('Vec<Bytes>', leaves).map((l) => l.toU8a(true));
  const batch = api.createType('MmrBatchProof', proof);
  assert.equal(batch.leafCount.toNumber(), checkpoint.block);
  const decoded = api.createType('(u8, (u32, H256), (u64, u32, H256), H256)', leaf);
  const [, [number, parentHash], nextSet, leafExtra] = decoded;
  assert.equal(number.toNumber(), target);
  assert.equal(parentHash.toHex(), (await api.rpc.chain.getBlockHash(target)).toHex());
  assert.equal(leafExtra.toHex(), u8aToHex(new Uint8Array(32)), 'no message root yet');
  const leafProof = {
    leafIndex: batch.leafIndices[0].toNumber(),
    leafCount: batch.leafCount.toNumber(),
    items: batch.items.map((h) => h.toU8a()),
  };
  const folded = mmrRootFromProof(leaf, leafProof);
  assert.equal(folded, checkpoint.mmrRoot, 'the leaf proof folds up to the signed root');
  // A leaf with one byte changed does not.
  const forged = Uint8Array.from(leaf);
  forged[forged.length - 1] ^= 1;
  assert.notEqual(mmrRootFromProof(forged, leafProof), checkpoint.mmrRoot);
  console.log(`leaf proof: block #${target} (hash ${parentHash.toHex().slice(0, 18)}…, next set ${nextSet[0]} of ${nextSet[1]}) ` +
    `in the MMR of #${checkpoint.block}: ${batch.items.length} proof items fold to ${folded}`);
  // The node's own check agrees.
  const verified = await api.rpc.mmr.verifyProofStateless(checkpoint.mmrRoot, { blockHash: await api.rpc.chain.getBlockHash(checkpoint.block), leaves, proof });
  assert.equal(verified.isTrue, true);
});

test('with both members of a group stopped, the other group authors every session; finality resumes when they return', async () => {
  const stopped = ['bob', 'charlie'];
  const running = ['alice', 'dave'];
  const groups = (await api.call.dposApi.committee()).groups.map((g) => g.map((a) => name(a.toString())).sort());
  assert.ok(groups.some((g) => g.join() === stopped.join()), `a group is exactly ${stopped}: ${JSON.stringify(groups)}`);
  for (const n of stopped) net('stop-node', n);
  const from = (await best()) + 1;
  const s0 = (await api.query.session.currentIndex()).toNumber();
  const f0 = await finalized();

  // Walk blocks until two sessions of the stopped group's turns passed; note authors and
  // the fallback events.
  const authors = new Map();
  const fallbacks = [];
  let next = from;
  await waitFor('two sessions past, one of them the stopped group\'s', async () => {
    const b = await best();
    for (; next <= b; next++) {
      const { session, author } = await authorOf(next);
      if (!authors.has(session)) authors.set(session, new Set());
      authors.get(session).add(author);
      const events = await (await api.at(await api.rpc.chain.getBlockHash(next))).query.system.events();
      for (const { event } of events) {
        if (api.events.dpos.AuthoringFallback.is(event)) {
          const { session: s, slot, emptySlots, author: who } = event.data;
          fallbacks.push({ block: next, session: s.toNumber(), slot: slot.toBigInt(), empty: emptySlots.toNumber(), author: name(who.unwrap().toString()) });
        }
      }
    }
    const s = (await api.query.session.currentIndex()).toNumber();
    return s >= s0 + 3 && fallbacks.length > 0;
  }, 300_000, 1_000);
  console.log(`stopped ${stopped.join('+')}: authors per session ${[...authors].map(([s, a]) => `#${s} ${[...a].sort().join('+')}`).join(', ')}`);
  console.log(`fallbacks: ${fallbacks.map((f) => `session ${f.session} block #${f.block} slot ${f.slot} after ${f.empty} empty slots by ${f.author}`).join('; ')}`);
  // Every block since the stop was sealed by a running node, across the stopped group's turns.
  for (const [s, set] of authors) assert.ok([...set].every((a) => running.includes(a)), `session ${s}: ${[...set]}`);
  // Each session of the stopped group noted one fallback, by a running node, after at least
  // the group's slots (6) stayed empty.
  for (const f of fallbacks) {
    assert.ok(f.empty >= 6, `empty slots ${f.empty}`);
    assert.ok(running.includes(f.author));
  }
  assert.equal(new Set(fallbacks.map((f) => f.session)).size, fallbacks.length, 'one fallback per session');
  // GRANDPA needs 3 of 4 votes: nothing was finalized past what was being voted on.
  assert.ok((await finalized()) <= f0 + 2, 'no finality with 2 of 4 voters');

  // The group comes back: finality catches up with the best block ...
  for (const n of stopped) net('start-node', n);
  const target = await best();
  const f1 = await waitForFinality('finality past the blocks authored without the group', async () => {
    const f = await finalized();
    return f >= target ? f : 0;
  }, 180_000);
  console.log(`group back: finalized #${f0} -> #${f1} (best at restart #${target})`);
  // ... and all four vote again: three voters suffice for finality, so it alone does not show
  // that both restarted nodes vote. Alice's voter sees a round (current or just finished)
  // with every prevote.
  const voting = await waitFor('a round with the prevotes of all four voters', async () => {
    const { setId, best: current, background } = await roundState('alice');
    const round = [current, ...background].find((r) => r.prevotes.missing.length === 0);
    return round ? `set ${setId} round ${round.round}` : '';
  }, 60_000, 250).catch(async (e) => { throw new Error(`${e.message}\n${await grandpaReport()}`); });
  console.log(`group back: all four prevoted in ${voting}`);
});

test('with one validator stopped, 3 of 4 still finalize across a rotation', async () => {
  net('stop-node', 'dave');
  assert.match(net('status'), /dave: stopped/);
  const s0 = (await api.query.session.currentIndex()).toNumber();
  const f0 = await finalized();
  const f1 = await waitForFinality('finality without dave over a session change', async () => {
    const f = await finalized();
    const s = (await api.query.session.currentIndex()).toNumber();
    return s > s0 && f >= f0 + 10 ? f : 0;
  }, 180_000);
  console.log(`3 nodes: finalized #${f0} -> #${f1}, best #${await best()}, lag ${(await best()) - f1}`);
});

test('a GRANDPA equivocation by the stopped member slashes its deposit to the reporter', async () => {
  const bob = sr.addFromUri('//Bob');
  const dave = sr.addFromUri('//Dave');
  const daveEd = ed.addFromUri('//Dave');
  // Report early in a session: the key-ownership proof is for the current session.
  await waitFor('early in a session', async () => (await best()) % 10 >= 1 && (await best()) % 10 <= 5, 30_000, 500);
  const setId = (await api.query.grandpa.currentSetId()).toBigInt();
  const round = 1_000_000n;
  // Two prevotes in one round for different blocks, each signed over GRANDPA's localized
  // payload: SCALE (Message::Prevote(target hash, target number), round, set id).
  const vote = async (n) => {
    const targetHash = (await api.rpc.chain.getBlockHash(n)).toU8a();
    const payload = u8aConcat(
      new Uint8Array([0]), targetHash, api.createType('u32', n).toU8a(),
      api.createType('u64', round).toU8a(), api.createType('u64', setId).toU8a());
    return [{ targetHash: u8aToHex(targetHash), targetNumber: n }, u8aToHex(daveEd.sign(payload))];
  };
  const f = await finalized();
  const proof = {
    setId,
    equivocation: { Prevote: { roundNumber: round, identity: u8aToHex(daveEd.publicKey), first: await vote(f), second: await vote(f - 1) } },
  };
  // The runtime's `GrandpaApi::generate_key_ownership_proof` (what a GRANDPA node uses): opaque
  // bytes of a `MembershipProof` against the session's validator trie.
  // Called raw: @polkadot/api 16.5 decodes this API's `Option<OpaqueKeyOwnershipProof>` as
  // Some(bytes of the whole encoded option).
  const returned = await api.rpc.state.call(
    'GrandpaApi_generate_key_ownership_proof',
    api.createType('(u64, [u8; 32])', [setId, daveEd.publicKey]).toHex());
  const opaque = api.createType('Option<Bytes>', returned.toU8a(true));
  assert.ok(opaque.isSome, 'dave is in the current set');
  const ownership = api.createType('SpSessionMembershipProof', opaque.unwrap().toU8a(true));
  assert.equal(ownership.validatorCount.toNumber(), 4);
  const r = await sendAndWait(api, api.tx.grandpa.reportEquivocation(proof, ownership), bob);
  assert.ok(!r.dispatchError, `report: ${r.dispatchError && api.registry.findMetaError(r.dispatchError.asModule).name}`);
  const offence = r.events.find(({ event }) => api.events.offences.Offence.is(event));
  const slashed = r.events.find(({ event }) => api.events.dpos.Slashed.is(event));
  const paid = r.events.find(({ event }) => api.events.dpos.ReporterPaid.is(event));
  assert.ok(offence && slashed && paid, 'Offence, Slashed and ReporterPaid events');
  assert.equal(Buffer.from(offence.event.data.kind.toU8a()).toString(), 'grandpa:equivoca');
  assert.equal(slashed.event.data.offender.toString(), dave.address);
  assert.equal(slashed.event.data.amount.toBigInt(), 10_000n * KMCC);
  assert.equal(paid.event.data.reporter.toString(), bob.address);
  assert.equal(paid.event.data.amount.toBigInt(), 10_000n * KMCC);
  const fee = r.events.find(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event));
  assert.equal(fee.event.data.actualFee.toBigInt(), 0n, 'a valid report pays no fee');
  console.log(`GRANDPA equivocation (set ${setId}, session ${ownership.session}): dave slashed ${slashed.event.data.amount.toBigInt() / KMCC} KMCC to bob`);
  // The same offence again is a duplicate.
  const again = await sendAndWait(api, api.tx.grandpa.reportEquivocation(proof, ownership), bob);
  assert.equal(api.registry.findMetaError(again.dispatchError.asModule).name, 'DuplicateOffenceReport');
  // Dave leaves the voters at the next planned session; the three running nodes finalize.
  await waitFor('dave out of the GRANDPA set', async () =>
    !(await api.call.grandpaApi.grandpaAuthorities()).some(([id]) => id.toHex() === u8aToHex(daveEd.publicKey)), 90_000, 2_000);
  assert.equal((await api.call.grandpaApi.grandpaAuthorities()).length, 3);
  const f0 = await finalized();
  await waitForFinality('finality with three voters', async () => (await finalized()) >= f0 + 3, 90_000);
});

test('a newly leased candidate enters the committee at the next era; its lessor keeps the funds', async () => {
  const eve = sr.addFromUri('//Eve');
  const ferdie = sr.addFromUri('//Ferdie');
  const eveEd = ed.addFromUri('//Eve');
  const eveEc = ec.addFromUri('//Eve');
  const keys = { aura: u8aToHex(eve.publicKey), grandpa: u8aToHex(eveEd.publicKey), beefy: u8aToHex(eveEc.publicKey) };
  // Proof of possession: each key signs "POP_" ++ the owner's account id.
  const statement = u8aConcat(stringToU8a('POP_'), eve.publicKey);
  const proof = u8aConcat(eve.sign(statement), eveEd.sign(statement), eveEc.sign(statement));
  let r = await sendAndWait(api, api.tx.session.setKeys(keys, u8aToHex(proof)), eve);
  assert.ok(!r.dispatchError, `setKeys: ${r.dispatchError}`);
  r = await sendAndWait(api, api.tx.dpos.registerCandidate(10_000n * KMCC, 50_000_000), eve);
  assert.ok(!r.dispatchError, `registerCandidate: ${r.dispatchError}`);
  const ferdieBefore = (await api.query.system.account(ferdie.address)).data;
  r = await sendAndWait(api, api.tx.dpos.lease(eve.address, 100_000n * KMCC), ferdie);
  assert.ok(!r.dispatchError, `lease: ${r.dispatchError}`);
  const ferdieAfter = (await api.query.system.account(ferdie.address)).data;
  // Leased, not moved: only the fee left the account; the lease is held in place.
  const total = (d) => d.free.toBigInt() + d.reserved.toBigInt();
  assert.ok(total(ferdieBefore) - total(ferdieAfter) < KMCC);
  assert.equal(await leaseHold(api, ferdie.address), 100_000n * KMCC);
  assert.equal(ferdieAfter.reserved.toBigInt() - ferdieBefore.reserved.toBigInt(), 100_000n * KMCC);

  const candidates = await api.call.dposApi.candidates();
  const eveInfo = candidates.find((c) => c.account.toString() === eve.address);
  assert.equal(eveInfo.backing.toBigInt(), 110_000n * KMCC);

  const era0 = (await api.query.dpos.currentEra()).toNumber();
  await waitFor('eve in the committee', async () => {
    const c = await api.call.dposApi.committee();
    return c.members.some(([a]) => a.toString() === eve.address);
  }, 240_000, 2_000);
  const committee = await api.call.dposApi.committee();
  const members = committee.members.map(([a]) => name(a.toString()));
  console.log(`era ${committee.era.toNumber()} (was ${era0}) from session ${committee.eraStartSession.toNumber()}: ${members.join(', ')}`);
  assert.equal(members[0], 'eve');
  assert.ok(!members.includes('dave'), 'the slashed candidate is not elected');
  await waitFor('eve in the session validators', async () =>
    (await api.query.session.validators()).some((v) => v.toString() === eve.address), 60_000);
});

test('after the committee change, checkpoints are signed by the new set', async () => {
  const eveKey = u8aToHex(ec.addFromUri('//Eve').publicKey);
  // The first BEEFY set with Eve (the session she entered): its checkpoints follow.
  const set = await waitFor('a BEEFY set with eve', async () => {
    const s = (await api.call.beefyApi.validatorSet()).unwrap();
    return s.validators.some((k) => k.toHex() === eveKey) ? s : null;
  }, 60_000, 1_000);
  const checkpoint = await nextCheckpoint(`a checkpoint of set ${set.id} or later`, (c) => c.setId >= set.id.toNumber(), 120_000);
  const { at, keys, signers } = await checkpointSet(checkpoint);
  const members = keys.map(beefyName);
  assert.ok(members.includes('eve') && !members.includes('dave'), `set ${checkpoint.setId}: ${members}`);
  assert.ok(signers.length >= threshold(keys.length), `${signers.length} of ${keys.length} signed`);
  // Eve has no node: the other three signed.
  assert.ok(!signers.some((i) => members[i] === 'eve'));
  // A light client follows the set through the MMR: the runtime's commitment to this set is
  // the Merkle root of its members' Ethereum addresses.
  const proof = await at.call.beefyMmrApi.authoritySetProof();
  assert.equal(proof.id.toNumber(), checkpoint.setId);
  assert.equal(proof.len.toNumber(), keys.length);
  assert.equal(proof.keysetCommitment.toHex(), keysetRoot(keys));
  console.log(`new set: checkpoint #${checkpoint.block}, set ${checkpoint.setId} {${members.join(', ')}} (keyset root ${proof.keysetCommitment.toHex().slice(0, 18)}…), ` +
    `signed by ${signers.map((i) => members[i]).join(', ')}`);
});

test('a double-authoring proof slashes the deposit to the reporter and spares the lessor', async () => {
  const eve = sr.addFromUri('//Eve');
  const alice = sr.addFromUri('//Alice');
  const ferdie = sr.addFromUri('//Ferdie');
  // Two different headers for the same slot, both sealed with Eve's Aura key.
  const parent = await api.rpc.chain.getHeader();
  const sealed = (extra) => {
    const fields = (logs) => ({
      parentHash: parent.hash,
      number: parent.number.toNumber() + 1,
      stateRoot: parent.stateRoot,
      extrinsicsRoot: parent.extrinsicsRoot,
      digest: { logs },
    });
    const logs = [
      { PreRuntime: ['aura', u8aToHex(api.createType('u64', 123_456_789).toU8a())] },
      { Other: u8aToHex(new Uint8Array([extra])) },
    ];
    // Aura seals the hash of the header without its seal.
    const signature = eve.sign(api.createType('Header', fields(logs)).hash);
    return api.createType('Header', fields([...logs, { Seal: ['aura', u8aToHex(signature)] }]));
  };
  const [a, b] = [sealed(1), sealed(2)];
  const ferdieBefore = (await api.query.system.account(ferdie.address)).data;
  const r = await sendAndWait(api, api.tx.dpos.reportDoubleAuthoring(u8aToHex(eve.publicKey), a, b), alice);
  assert.ok(!r.dispatchError, `report: ${r.dispatchError && api.registry.findMetaError(r.dispatchError.asModule).name}`);
  const slashed = r.events.find(({ event }) => api.events.dpos.Slashed.is(event));
  const paid = r.events.find(({ event }) => api.events.dpos.ReporterPaid.is(event));
  assert.ok(slashed && paid);
  assert.equal(slashed.event.data.offender.toString(), eve.address);
  assert.equal(slashed.event.data.amount.toBigInt(), 10_000n * KMCC);
  assert.equal(paid.event.data.reporter.toString(), alice.address);
  assert.equal(paid.event.data.amount.toBigInt(), 10_000n * KMCC);
  // The lessor's 100,000 KMCC are untouched.
  const ferdieAfter = (await api.query.system.account(ferdie.address)).data;
  assert.equal(ferdieAfter.free.toBigInt(), ferdieBefore.free.toBigInt());
  assert.equal(ferdieAfter.reserved.toBigInt(), ferdieBefore.reserved.toBigInt());
  assert.equal(await leaseHold(api, ferdie.address), 100_000n * KMCC);
  const info = (await api.call.dposApi.candidates()).find((c) => c.account.toString() === eve.address);
  assert.equal(info.status.toString(), 'Slashed');
  assert.equal(info.deposit.toBigInt(), 0n);
  // The same proof again is a duplicate.
  const again = await sendAndWait(api, api.tx.dpos.reportDoubleAuthoring(u8aToHex(eve.publicKey), a, b), alice);
  assert.equal(api.registry.findMetaError(again.dispatchError.asModule).name, 'DuplicateReport');
  // Eve leaves the validator set at the next planned session; the rest keep finalizing.
  await waitFor('eve out of the validators', async () =>
    !(await api.query.session.validators()).some((v) => v.toString() === eve.address), 90_000, 2_000);
  const f0 = await finalized();
  await waitForFinality('finality after the slash', async () => (await finalized()) >= f0 + 3, 90_000);
});
