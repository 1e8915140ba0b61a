// The transparency log as a client sees it: a signed tree (size + root hash) and tiles of
// stored hashes. Proves that a record is in a tree and that an older tree is a prefix of a
// newer one, reading the needed hashes from tiles. Tile contents are not trusted on their own:
// a proof built from them must reproduce the signed root, so a forged tile makes it fail.
// Re-exports the pieces (hash math, tiles, tree notes, records) so one import serves callers.

import {
  checkNode,
  checkRecord,
  checkTree,
  coordsRead,
  HASH_SIZE,
  type Hash,
  type HashCoord,
  hashesEqual,
  ProofError,
  proveNode,
  proveRecord,
  proveTree,
  recordHash,
  type SyncHashReader,
} from './merkle.ts';
import { MalformedRecordError, parseRecord } from './record.ts';
import { DATA_LEVEL, hashFromTileData, TILE_HEIGHT, type Tile, tileForHash, tilePath } from './tile.ts';
import type { Tree } from './tree-note.ts';

export * from './merkle.ts';
export * from './record.ts';
export * from './tile.ts';
export * from './tree-note.ts';

/**
 * Returns the data of `tile`: exactly `tile.width` hashes. It may fall back to the full tile and
 * cut it (a partial tile disappears once completed). Throws when the tile cannot be had.
 */
export type TileReader = (tile: Tile) => Promise<Uint8Array>;

/** Reads the hashes at `coords` in a tree of `treeSize` records, fetching each tile once, in parallel. */
export async function readHashesFromTiles(
  treeSize: number,
  coords: readonly HashCoord[],
  readTile: TileReader,
  height = TILE_HEIGHT,
): Promise<Map<string, Hash>> {
  const located = coords.map((coord) => ({ coord, ...tileForHash(treeSize, coord, height) }));
  const tiles = new Map<string, { tile: Tile; data?: Promise<Uint8Array> }>();
  for (const { tile } of located) tiles.set(tilePath(tile), { tile });
  for (const entry of tiles.values()) {
    entry.data = readTile(entry.tile).then((data) => {
      if (data.length !== entry.tile.width * HASH_SIZE) {
        throw new ProofError(
          `tile ${tilePath(entry.tile)} holds ${data.length} bytes, want ${entry.tile.width * HASH_SIZE}`,
        );
      }
      return data;
    });
  }
  // Settle every fetch before reporting, so no rejection is left unobserved.
  const settled = await Promise.allSettled([...tiles.values()].map((entry) => entry.data));
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  const hashes = new Map<string, Hash>();
  for (const { coord, tile, offset, count } of located) {
    const data = await (tiles.get(tilePath(tile))?.data as Promise<Uint8Array>);
    hashes.set(`${coord.level}/${coord.index}`, hashFromTileData(data, offset, count));
  }
  return hashes;
}

/** Runs a proof computation after fetching, all at once, the hashes it reads. */
async function computeFromTiles<T>(
  treeSize: number,
  compute: (read: SyncHashReader) => T,
  readTile: TileReader,
): Promise<T> {
  const hashes = await readHashesFromTiles(treeSize, coordsRead(compute), readTile);
  return compute((level, index) => {
    const hash = hashes.get(`${level}/${index}`);
    if (hash === undefined) throw new Error(`internal error: hash ${level}/${index} was not fetched`);
    return hash;
  });
}

/** Throws ProofError unless record `id` with text `record` is in `tree` (tiles of that tree). */
export async function verifyRecordInclusion(
  tree: Tree,
  id: number,
  record: Uint8Array | string,
  readTile: TileReader,
): Promise<void> {
  if (!Number.isSafeInteger(id) || id < 0 || id >= tree.size) {
    throw new ProofError(`record ${id} cannot be in the signed tree of ${tree.size} records`);
  }
  const proof = await computeFromTiles(tree.size, (read) => proveRecord(tree.size, id, read), readTile);
  checkRecord(proof, tree.size, tree.hash, id, recordHash(record));
}

/** Throws ProofError unless `older` is a prefix of `newer` (tiles of the newer tree). */
export async function verifyTreeConsistency(older: Tree, newer: Tree, readTile: TileReader): Promise<void> {
  if (older.size > newer.size) {
    throw new RangeError(`tree ${older.size} is not older than tree ${newer.size}`);
  }
  if (older.size === 0) return;
  if (older.size === newer.size) {
    if (!hashesEqual(older.hash, newer.hash)) {
      throw new ProofError(`two different signed trees of ${newer.size} records`);
    }
    return;
  }
  const proof = await computeFromTiles(
    newer.size,
    (read) => proveTree(newer.size, older.size, read),
    readTile,
  );
  checkTree(proof, newer.size, newer.hash, older.size, older.hash);
}

/**
 * Throws unless `data` is exactly what tile `tile` holds in `tree` (or in an older tree, for a
 * partial tile): a hash tile's hashes, or a data tile's records, whose hashes are then checked.
 * The tile's hashes are grouped into complete subtrees (one for a full tile, one per bit of
 * the width for a partial one) and each is proven in the signed tree, so the answer is
 * checked against the tree's signed root, whatever the tiles read for the proofs hold.
 */
export async function verifyTile(
  tree: Tree,
  tile: Tile,
  data: Uint8Array,
  readTile: TileReader,
): Promise<void> {
  const baseLevel = tile.level === DATA_LEVEL ? 0 : tile.level * tile.height;
  const first = tile.index * 2 ** tile.height;
  const leaves = tile.level === DATA_LEVEL ? dataTileHashes(tile, first, data) : hashTileData(tile, data);
  if ((first + tile.width) * 2 ** baseLevel > tree.size) {
    throw new ProofError(`tile ${tilePath(tile)} reaches beyond the signed tree of ${tree.size} records`);
  }
  const nodes: { coord: HashCoord; hash: Hash }[] = [];
  let offset = 0;
  for (let bit = tile.height; bit >= 0; bit--) {
    const count = 2 ** bit;
    if ((tile.width & count) === 0) continue;
    nodes.push({
      coord: { level: baseLevel + bit, index: (first + offset) / count },
      hash: hashFromTileData(leaves, offset, count),
    });
    offset += count;
  }
  const compute = (read: SyncHashReader) => nodes.map(({ coord }) => proveNode(tree.size, coord, read));
  const proofs = await computeFromTiles(tree.size, compute, readTile);
  nodes.forEach(({ coord, hash }, i) => {
    checkNode(proofs[i] as Hash[], tree.size, tree.hash, coord, hash);
  });
}

function hashTileData(tile: Tile, data: Uint8Array): Uint8Array {
  if (data.length !== tile.width * HASH_SIZE) {
    throw new ProofError(`tile ${tilePath(tile)} holds ${data.length} bytes, want ${tile.width * HASH_SIZE}`);
  }
  return data;
}

/** The record hashes of a data tile: its records, numbered from `first`, one after another. */
function dataTileHashes(tile: Tile, first: number, data: Uint8Array): Uint8Array {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data);
  } catch {
    throw new MalformedRecordError(`data tile ${tilePath(tile)} is not valid UTF-8`);
  }
  const hashes = new Uint8Array(tile.width * HASH_SIZE);
  for (let i = 0; i < tile.width; i++) {
    const record = parseRecord(text);
    if (record.id !== first + i) {
      throw new MalformedRecordError(
        `data tile ${tilePath(tile)}: record ${record.id} where ${first + i} belongs`,
      );
    }
    hashes.set(recordHash(record.text), i * HASH_SIZE);
    text = record.rest;
  }
  if (text !== '')
    throw new MalformedRecordError(`data tile ${tilePath(tile)} holds more than ${tile.width} records`);
  return hashes;
}
