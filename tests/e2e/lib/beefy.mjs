// A light client's checks of KMCC checkpoints (design §13), written from the formats, not
// through the node's verify calls: BEEFY signatures (secp256k1 over keccak256 of the SCALE
// commitment), MMR leaf proofs (keccak256 Merkle Mountain Range) and authority-set roots
// (binary Merkle tree of Ethereum addresses).
import { u8aConcat, u8aEq, u8aToHex, hexToU8a } from '@polkadot/util';
import { keccakAsU8a, secp256k1Expand, secp256k1Recover } from '@polkadot/util-crypto';

/** The BEEFY payload id of the MMR root. */
const MMR_ROOT_ID = 'mh';

/**
 * A `beefy_subscribeJustifications` item (a `VersionedFinalityProof::V1`) as
 * `{ block, setId, mmrRoot, commitment, signatures }`: `signatures[i]` is validator `i`'s
 * 65-byte signature or null.
 */
export function decodeCheckpoint(api, proof) {
  const versioned = api.createType('BeefyVersionedFinalityProof', proof.toU8a ? proof.toU8a() : proof);
  if (!versioned.isV1) throw new Error(`unknown finality proof version ${versioned.type}`);
  const { commitment, signaturesFrom, validatorSetLen, signaturesCompact } = versioned.asV1;
  const compact = signaturesCompact.map((s) => s.toU8a());
  // `Vec<u8>`: polkadot-js reads it as `Bytes` (a Uint8Array).
  const bits = signaturesFrom instanceof Uint8Array ? signaturesFrom : Uint8Array.from(signaturesFrom.map((b) => b.toNumber()));
  const signatures = [];
  let next = 0;
  for (let i = 0; i < validatorSetLen.toNumber(); i++) {
    // Most significant bit first.
    const signed = (bits[Math.floor(i / 8)] >> (7 - (i % 8))) & 1;
    signatures.push(signed ? compact[next++] : null);
  }
  if (next !== compact.length) throw new Error('more signatures than bits set');
  const entry = commitment.payload.find(([id]) => Buffer.from(id.toU8a()).toString() === MMR_ROOT_ID);
  if (!entry) throw new Error('the commitment carries no MMR root');
  // The root is SCALE-encoded in the payload (an H256: its 32 bytes).
  const mmrRoot = u8aToHex(entry[1].toU8a(true));
  return {
    block: commitment.blockNumber.toNumber(),
    setId: commitment.validatorSetId.toNumber(),
    mmrRoot,
    commitment,
    signatures,
  };
}

/**
 * The indices of `authorities` (compressed secp256k1 keys, hex) whose signature on the
 * checkpoint recovers to their key; throws on a signature that recovers to another key.
 */
export function checkpointSigners(checkpoint, authorities) {
  if (checkpoint.signatures.length !== authorities.length) {
    throw new Error(`${checkpoint.signatures.length} signature slots for ${authorities.length} authorities`);
  }
  const digest = keccakAsU8a(checkpoint.commitment.toU8a());
  const signers = [];
  checkpoint.signatures.forEach((signature, i) => {
    if (!signature) return;
    const key = secp256k1Recover(digest, signature.subarray(0, 64), signature[64]);
    if (!u8aEq(key, hexToU8a(authorities[i]))) {
      throw new Error(`signature ${i} recovers to ${u8aToHex(key)}, not ${authorities[i]}`);
    }
    signers.push(i);
  });
  return signers;
}

/** More than 2/3 of `n` validators: BEEFY's (and GRANDPA's) finality threshold. */
export const threshold = (n) => n - Math.floor((n - 1) / 3);

// The MMR of `polkadot-ckb-merkle-mountain-range`: nodes numbered in post-order, a node's
// hash keccak256(left ‖ right), peaks bagged right to left as keccak256(right ‖ left).
const popcount = (n) => n.toString(2).split('').filter((b) => b === '1').length;
const leafIndexToMmrSize = (index) => 2 * (index + 1) - popcount(index + 1);
const trailingZeros = (n) => { let z = 0; while ((n & 1) === 0) { n >>= 1; z++; } return z; };
const leafIndexToPos = (index) => leafIndexToMmrSize(index) - trailingZeros(index + 1) - 1;

// Ports of the crate's `pos_height_in_tree` and `get_peaks` (0-based positions).
const allOnes = (n) => 2 ** n.toString(2).length - 1;

function posHeight(pos) {
  if (pos === 0) return 0;
  for (let peakSize = allOnes(pos); peakSize > 0; peakSize = Math.floor(peakSize / 2)) {
    if (pos >= peakSize) pos -= peakSize;
  }
  return pos;
}

function peaks(mmrSize) {
  const result = [];
  let pos = mmrSize;
  let sum = 0;
  for (let peakSize = allOnes(mmrSize); peakSize > 0; peakSize = Math.floor(peakSize / 2)) {
    if (pos >= peakSize) {
      pos -= peakSize;
      result.push(sum + peakSize - 1);
      sum += peakSize;
    }
  }
  return result;
}

const merge = (left, right) => keccakAsU8a(u8aConcat(left, right));

/**
 * The MMR root that a one-leaf proof `{ leafIndices: [i], leafCount, items }` and the leaf's
 * SCALE bytes lead to. A caller compares it with a checkpoint's root.
 */
export function mmrRootFromProof(leaf, { leafIndex, leafCount, items }) {
  if (leafIndex >= leafCount) throw new Error('leaf index beyond the MMR');
  const mmrSize = leafIndexToMmrSize(leafCount - 1);
  const proof = [...items];
  const take = () => {
    if (!proof.length) throw new Error('proof too short');
    return proof.shift();
  };
  const allPeaks = peaks(mmrSize);
  let pos = leafIndexToPos(leafIndex);
  let hash = keccakAsU8a(leaf);
  const hashes = [];
  for (const peak of allPeaks) {
    if (pos > peak) {
      // A peak left of the leaf's: its hash is the next proof item.
      hashes.push(take());
      continue;
    }
    if (pos !== null) {
      // Climb from the leaf to its peak.
      let height = 0;
      while (pos !== peak) {
        if (posHeight(pos + 1) > height) {
          hash = merge(take(), hash); // pos is a right child
          pos += 1;
        } else {
          hash = merge(hash, take()); // pos is a left child
          pos += 2 ** (height + 1);
        }
        if (pos > peak) throw new Error('proof climbs past the peak');
        height++;
      }
      hashes.push(hash);
      pos = null;
      // Peaks to the right come bagged in one item, if any.
      if (proof.length) hashes.push(take());
      break;
    }
  }
  if (proof.length) throw new Error('proof too long');
  while (hashes.length > 1) {
    const right = hashes.pop();
    const left = hashes.pop();
    hashes.push(merge(right, left));
  }
  return u8aToHex(hashes[0]);
}

/** The Ethereum address of a compressed secp256k1 key: keccak256(x ‖ y)[12..]. */
export const ethereumAddress = (key) => keccakAsU8a(secp256k1Expand(hexToU8a(key))).subarray(12);

/** The binary Merkle root (keccak256, odd nodes promoted) of the keys' Ethereum addresses. */
export function keysetRoot(keys) {
  let row = keys.map((k) => keccakAsU8a(ethereumAddress(k)));
  if (!row.length) return u8aToHex(new Uint8Array(32));
  while (row.length > 1) {
    const next = [];
    for (let i = 0; i < row.length; i += 2) next.push(i + 1 < row.length ? merge(row[i], row[i + 1]) : row[i]);
    row = next;
  }
  return u8aToHex(row[0]);
}
