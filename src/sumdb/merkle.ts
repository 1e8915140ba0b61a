// The Merkle tree math of a transparency log (RFC 6962, as golang.org/x/mod/sumdb/tlog uses it):
// record hashes, subtree and tree hashes, inclusion and consistency proofs.
//
// A hash at (level L, index K) is the hash of the complete subtree over records
// [K * 2^L, (K+1) * 2^L). Proof construction is written against a synchronous reader of such
// hashes; `*Coords` functions list the hashes a computation will read, so a caller can fetch
// them all at once (from tiles, in parallel) before computing.

import { createHash } from 'node:crypto';

export type Hash = Uint8Array;
export const HASH_SIZE = 32;

/** A complete subtree: records [index * 2^level, (index + 1) * 2^level). */
export type HashCoord = { level: number; index: number };
export type SyncHashReader = (level: number, index: number) => Hash;

/** SHA-256(0x00 || data): a leaf. */
export function recordHash(data: Uint8Array | string): Hash {
  return new Uint8Array(createHash('sha256').update(Buffer.of(0)).update(data).digest());
}

/** SHA-256(0x01 || left || right): an interior node. */
export function nodeHash(left: Hash, right: Hash): Hash {
  return new Uint8Array(createHash('sha256').update(Buffer.of(1)).update(left).update(right).digest());
}

export function hashesEqual(a: Hash, b: Hash): boolean {
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b));
}

/** A thrown proof failure: the hashes do not add up to the signed tree. */
export class ProofError extends Error {
  override name = 'ProofError';
}

function checkSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} ${n} is not a valid tree position`);
}

/** The largest power of two strictly below n (n >= 2): where RFC 6962 splits [0, n). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The largest power of two <= n, with its exponent. */
function floorPow2(n: number): { size: number; level: number } {
  let size = 1;
  let level = 0;
  while (size * 2 <= n) {
    size *= 2;
    level++;
  }
  return { size, level };
}

/** Hash of the (possibly incomplete) subtree [lo, hi): its complete parts folded right to left. */
function rangeHash(lo: number, hi: number, read: SyncHashReader): Hash {
  const parts: Hash[] = [];
  while (lo < hi) {
    const { size, level } = floorPow2(hi - lo);
    if (lo % size !== 0) throw new Error(`internal error: unaligned subtree [${lo}, ${hi})`);
    parts.push(read(level, lo / size));
    lo += size;
  }
  let hash = parts.pop();
  if (hash === undefined) throw new Error('internal error: empty subtree');
  for (let part = parts.pop(); part !== undefined; part = parts.pop()) hash = nodeHash(part, hash);
  return hash;
}

/** The root hash of the tree of the first `size` records (size >= 1). */
export function treeHash(size: number, read: SyncHashReader): Hash {
  checkSize(size, 'tree size');
  if (size === 0) throw new RangeError('an empty tree has no hash to compute');
  return rangeHash(0, size, read);
}

/** Proof that record `index` is in the tree of `treeSize` records: sibling hashes, bottom first. */
export function proveRecord(treeSize: number, index: number, read: SyncHashReader): Hash[] {
  checkSize(index, 'record index');
  return proveNode(treeSize, { level: 0, index }, read);
}

/**
 * Proof that the complete subtree `node` is in the tree of `treeSize` records: the sibling
 * hashes from the node up to the root, bottom first (a record proof is the level-0 case).
 */
export function proveNode(treeSize: number, node: HashCoord, read: SyncHashReader): Hash[] {
  checkSize(treeSize, 'tree size');
  const span = checkNodeCoord(node);
  const first = node.index * span;
  if (first + span > treeSize) {
    throw new RangeError(`hash ${node.level}/${node.index} is not complete in a tree of ${treeSize} records`);
  }
  const walk = (lo: number, hi: number): Hash[] => {
    if (hi - lo === span) return [];
    const k = splitPoint(hi - lo);
    if (first < lo + k) return [...walk(lo, lo + k), rangeHash(lo + k, hi, read)];
    const left = rangeHash(lo, lo + k, read);
    return [...walk(lo + k, hi), left];
  };
  return walk(0, treeSize);
}

function checkNodeCoord(node: HashCoord): number {
  if (!Number.isSafeInteger(node.level) || node.level < 0 || node.level > 52) {
    throw new RangeError(`hash level ${node.level} is not a tree level`);
  }
  checkSize(node.index, 'hash index');
  return 2 ** node.level;
}

/** Throws ProofError unless `proof` shows `leaf` is record `index` of the tree (`treeSize`, `root`). */
export function checkRecord(
  proof: readonly Hash[],
  treeSize: number,
  root: Hash,
  index: number,
  leaf: Hash,
): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize) {
    throw new ProofError(`record ${index} cannot be in a tree of ${treeSize} records`);
  }
  if (!nodeProofHolds(proof, treeSize, root, { level: 0, index }, leaf)) {
    throw new ProofError(
      `record ${index} is not in the signed tree of ${treeSize} records (its inclusion proof fails)`,
    );
  }
}

/** Throws ProofError unless `proof` shows `hash` is the complete subtree `node` of the tree (`treeSize`, `root`). */
export function checkNode(
  proof: readonly Hash[],
  treeSize: number,
  root: Hash,
  node: HashCoord,
  hash: Hash,
): void {
  const span = checkNodeCoord(node);
  if (node.index * span + span > treeSize) {
    throw new ProofError(`hash ${node.level}/${node.index} cannot be in a tree of ${treeSize} records`);
  }
  if (!nodeProofHolds(proof, treeSize, root, node, hash)) {
    throw new ProofError(
      `hash ${node.level}/${node.index} is not in the signed tree of ${treeSize} records (its inclusion proof fails)`,
    );
  }
}

function nodeProofHolds(
  proof: readonly Hash[],
  treeSize: number,
  root: Hash,
  node: HashCoord,
  hash: Hash,
): boolean {
  const span = 2 ** node.level;
  const first = node.index * span;
  const run = (lo: number, hi: number, p: readonly Hash[]): Hash => {
    if (hi - lo === span) {
      if (p.length !== 0) throw new ProofError('inclusion proof is longer than the tree is deep');
      return hash;
    }
    const sibling = p.at(-1);
    if (sibling === undefined) throw new ProofError('inclusion proof is too short');
    const rest = p.slice(0, -1);
    const k = splitPoint(hi - lo);
    if (first < lo + k) return nodeHash(run(lo, lo + k, rest), sibling);
    return nodeHash(sibling, run(lo + k, hi, rest));
  };
  return hashesEqual(run(0, treeSize, proof), root);
}

/** Proof that the tree of `oldSize` records is a prefix of the tree of `newSize` records. */
export function proveTree(newSize: number, oldSize: number, read: SyncHashReader): Hash[] {
  checkSize(newSize, 'tree size');
  checkSize(oldSize, 'tree size');
  if (oldSize < 1 || oldSize > newSize)
    throw new RangeError(`cannot prove tree ${oldSize} inside tree ${newSize}`);
  const walk = (lo: number, hi: number): Hash[] => {
    if (oldSize === hi) return lo === 0 ? [] : [rangeHash(lo, hi, read)];
    const k = splitPoint(hi - lo);
    if (oldSize <= lo + k) return [...walk(lo, lo + k), rangeHash(lo + k, hi, read)];
    const left = rangeHash(lo, lo + k, read);
    return [...walk(lo + k, hi), left];
  };
  return walk(0, newSize);
}

/** Throws ProofError unless `proof` shows tree (oldSize, oldRoot) is a prefix of tree (newSize, newRoot). */
export function checkTree(
  proof: readonly Hash[],
  newSize: number,
  newRoot: Hash,
  oldSize: number,
  oldRoot: Hash,
): void {
  if (!Number.isSafeInteger(oldSize) || oldSize < 1 || oldSize > newSize) {
    throw new ProofError(`tree ${oldSize} cannot be a prefix of tree ${newSize}`);
  }
  // Returns [hash of the old tree's part of [lo, hi), hash of [lo, hi) in the new tree].
  const run = (lo: number, hi: number, p: readonly Hash[]): [Hash, Hash] => {
    if (oldSize === hi) {
      if (lo === 0) {
        if (p.length !== 0) throw new ProofError('consistency proof is too long');
        return [oldRoot, oldRoot];
      }
      if (p.length !== 1) throw new ProofError('consistency proof has the wrong length');
      const only = p[0] as Hash;
      return [only, only];
    }
    const sibling = p.at(-1);
    if (sibling === undefined) throw new ProofError('consistency proof is too short');
    const rest = p.slice(0, -1);
    const k = splitPoint(hi - lo);
    if (oldSize <= lo + k) {
      const [oldHash, newHash] = run(lo, lo + k, rest);
      return [oldHash, nodeHash(newHash, sibling)];
    }
    const [oldHash, newHash] = run(lo + k, hi, rest);
    return [nodeHash(sibling, oldHash), nodeHash(sibling, newHash)];
  };
  const [oldHash, newHash] = run(0, newSize, proof);
  if (!hashesEqual(oldHash, oldRoot) || !hashesEqual(newHash, newRoot)) {
    throw new ProofError(`tree of ${oldSize} records is not a prefix of the tree of ${newSize} records`);
  }
}

/** The hashes a computation reads, in first-read order, without duplicates. */
export function coordsRead(compute: (read: SyncHashReader) => unknown): HashCoord[] {
  const seen = new Set<string>();
  const coords: HashCoord[] = [];
  const placeholder = new Uint8Array(HASH_SIZE);
  compute((level, index) => {
    const key = `${level}/${index}`;
    if (!seen.has(key)) {
      seen.add(key);
      coords.push({ level, index });
    }
    return placeholder;
  });
  return coords;
}
