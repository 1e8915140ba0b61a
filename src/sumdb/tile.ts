// Tiles: how a checksum database serves its stored hashes. A hash tile of height H at level L,
// index N, width W holds W consecutive hashes (32 bytes each) of tree level L*H starting at
// N * 2^H; the levels in between are recomputed from those leaves. A data tile (level "data")
// holds the records behind level-0 tile N. Paths: tile/H/L/NNN[.p/W] with NNN written in
// 3-digit groups, all but the last prefixed by "x" (1234067 -> x001/x234/067).

import { HASH_SIZE, type Hash, type HashCoord, nodeHash } from './merkle.ts';

/** The height the Go checksum database uses, and the only one the go command asks for. */
export const TILE_HEIGHT = 8;

export type Tile = {
  height: number;
  /** Tree level / height; -1 for a data tile. */
  level: number;
  index: number;
  /** Number of hashes (or records) in the tile: 2^height when full. */
  width: number;
};

export const DATA_LEVEL = -1;

export function tileIsFull(tile: Tile): boolean {
  return tile.width === 2 ** tile.height;
}

export function fullTile(tile: Tile): Tile {
  return { ...tile, width: 2 ** tile.height };
}

export function tilePath(tile: Tile): string {
  let n = tile.index;
  let digits = String(n % 1000).padStart(3, '0');
  while (n >= 1000) {
    n = Math.floor(n / 1000);
    digits = `x${String(n % 1000).padStart(3, '0')}/${digits}`;
  }
  const level = tile.level === DATA_LEVEL ? 'data' : String(tile.level);
  const partial = tileIsFull(tile) ? '' : `.p/${tile.width}`;
  return `tile/${tile.height}/${level}/${digits}${partial}`;
}

/** Parses a tile path (relative to the database root); null unless it is a canonical tile path. */
export function parseTilePath(path: string): Tile | null {
  const match =
    /^tile\/([0-9]{1,2})\/(data|[0-9]{1,2})\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([0-9]{1,10}))?$/.exec(path);
  if (match === null) return null;
  const [, h, l, digits, w] = match as unknown as [string, string, string, string, string | undefined];
  const height = Number(h);
  if (height < 1 || height > 30) return null;
  const index = digits.split('/').reduce((n, group) => n * 1000 + Number(group.replace('x', '')), 0);
  if (!Number.isSafeInteger(index)) return null;
  const full = 2 ** height;
  const width = w === undefined ? full : Number(w);
  if (width < 1 || width > full) return null;
  const tile = { height, level: l === 'data' ? DATA_LEVEL : Number(l), index, width };
  // Only the canonical spelling names a tile (no leading zeros, no ".p/<full width>").
  return tilePath(tile) === path ? tile : null;
}

/** The hashes stored at `level * height` in a tree of `treeSize` records. */
function storedAtLevel(treeSize: number, height: number, level: number): number {
  return Math.floor(treeSize / 2 ** (level * height));
}

/**
 * The tile holding the leaves needed for the hash at `coord` in a tree of `treeSize`
 * records, with the width that tree has, and where those leaves sit in it.
 */
export function tileForHash(
  treeSize: number,
  coord: HashCoord,
  height = TILE_HEIGHT,
): { tile: Tile; offset: number; count: number } {
  const level = Math.floor(coord.level / height);
  const span = 2 ** (coord.level - level * height);
  const first = coord.index * span;
  const perTile = 2 ** height;
  const index = Math.floor(first / perTile);
  const available = storedAtLevel(treeSize, height, level) - index * perTile;
  if ((coord.index + 1) * 2 ** coord.level > treeSize || available <= 0) {
    throw new RangeError(
      `hash ${coord.level}/${coord.index} is not complete in a tree of ${treeSize} records`,
    );
  }
  const width = Math.min(perTile, available);
  return { tile: { height, level, index, width }, offset: first - index * perTile, count: span };
}

/** The complete-subtree hash over `count` (a power of two) consecutive leaf hashes of a tile. */
export function hashFromTileData(data: Uint8Array, offset: number, count: number): Hash {
  let layer: Hash[] = [];
  for (let i = 0; i < count; i++) {
    const start = (offset + i) * HASH_SIZE;
    layer.push(data.subarray(start, start + HASH_SIZE));
  }
  while (layer.length > 1) {
    const next: Hash[] = [];
    for (let i = 0; i < layer.length; i += 2) next.push(nodeHash(layer[i] as Hash, layer[i + 1] as Hash));
    layer = next;
  }
  return layer[0] as Hash;
}

/** Every tile (full or partial, hash and data) a database of `treeSize` records serves. */
export function tilesOfTree(treeSize: number, height = TILE_HEIGHT): Tile[] {
  const tiles: Tile[] = [];
  const perTile = 2 ** height;
  for (let level = 0; storedAtLevel(treeSize, height, level) > 0; level++) {
    const stored = storedAtLevel(treeSize, height, level);
    for (let index = 0; index * perTile < stored; index++) {
      const width = Math.min(perTile, stored - index * perTile);
      tiles.push({ height, level, index, width });
      if (level === 0) tiles.push({ height, level: DATA_LEVEL, index, width });
    }
  }
  return tiles;
}
