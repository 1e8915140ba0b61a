import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import {
  checkRecord,
  checkTree,
  formatRecord,
  formatTree,
  type Hash,
  hashesEqual,
  nodeHash,
  ProofError,
  parseRecord,
  parseTilePath,
  parseTree,
  proveRecord,
  proveTree,
  readHashesFromTiles,
  recordHash,
  type Tile,
  type TileReader,
  tilePath,
  tilesOfTree,
  treeHash,
  verifyRecordInclusion,
  verifyTile,
  verifyTreeConsistency,
} from '../../../src/sumdb/tlog.ts';
import { createFixtureSumdb, type FixtureSumdb } from '../../support/fixture-sumdb.ts';

// Known answers from the Go implementation's own tests (golang.org/x/mod/sumdb/tlog).
test('tree notes: format and parse match Go (hash of "hello world" as a record)', () => {
  const tree = { size: 123456789012, hash: recordHash('hello world') };
  const golden = 'go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n';
  assert.equal(formatTree(tree), golden);
  const parsed = parseTree(golden);
  assert.equal(parsed.size, tree.size);
  assert.ok(hashesEqual(parsed.hash, tree.hash));
  assert.equal(parseTree(`${golden}JOE\n`).size, tree.size, 'extra lines are ignored');
  for (const bad of [
    `not-${golden}`,
    'go.sum database tree\n0xabcdef\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n',
    'go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBTOOBIG=\n',
    'go.sum database tree\n0123\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n',
    'go.sum database tree\n12\n',
  ]) {
    assert.throws(() => parseTree(bad), /malformed tree note/, bad);
  }
});

test('records: format and parse match Go, malformed ones are refused', () => {
  assert.equal(formatRecord(123456789012, 'hello, world\n'), '123456789012\nhello, world\n\n');
  for (const bad of ['', 'hello\nworld', 'hello\n\nworld\n', 'hello\x01world\n']) {
    assert.throws(() => formatRecord(1, bad), /record text/, JSON.stringify(bad));
  }
  assert.deepEqual(parseRecord('123456789012\nhello, world\n\njunk on end\x01'), {
    id: 123456789012,
    text: 'hello, world\n',
    rest: 'junk on end\x01',
  });
  for (const bad of [
    'not-123\nhello\n\n',
    '123\nhello\x01world\n\n',
    '123\nhello world\n',
    '0x123\nhello world\n\n',
    '-1\nhello\n\n',
  ]) {
    assert.throws(() => parseRecord(bad), /malformed record/, JSON.stringify(bad));
  }
});

test('tile paths: Go spellings round-trip, non-canonical ones are refused', () => {
  const cases: [string, Tile][] = [
    ['tile/4/0/001', { height: 4, level: 0, index: 1, width: 16 }],
    ['tile/4/0/001.p/5', { height: 4, level: 0, index: 1, width: 5 }],
    ['tile/3/5/x123/x456/078', { height: 3, level: 5, index: 123456078, width: 8 }],
    ['tile/3/5/x123/x456/078.p/2', { height: 3, level: 5, index: 123456078, width: 2 }],
    ['tile/1/0/x003/x057/500', { height: 1, level: 0, index: 3057500, width: 2 }],
    ['tile/1/data/x003/x057/500', { height: 1, level: -1, index: 3057500, width: 2 }],
    ['tile/8/data/000.p/1', { height: 8, level: -1, index: 0, width: 1 }],
  ];
  for (const [path, tile] of cases) {
    assert.equal(tilePath(tile), path);
    assert.deepEqual(parseTilePath(path), tile, path);
  }
  for (const bad of [
    'tile/3/5/123/456/078',
    'tile/3/-1/123/456/078',
    'tile/8/0/000.p/256',
    'tile/8/0/000.p/0',
    'tile/8/0/x000/001',
    'tile/8/0/1',
    'tile/0/0/000',
    'tile/8/0/000/',
    'tiles/8/0/000',
  ]) {
    assert.equal(parseTilePath(bad), null, bad);
  }
});

/** RFC 6962 MTH, written the slow and obvious way, as an independent oracle. */
function naiveRoot(leaves: readonly Hash[]): Hash {
  if (leaves.length === 1) return leaves[0] as Hash;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(naiveRoot(leaves.slice(0, k)), naiveRoot(leaves.slice(k)));
}

const maxSize = 600;
let db: FixtureSumdb;
let recordTexts: string[];
let leaves: Hash[];

function recordText(i: number): string {
  return `example.com/prop/m${i} v1.0.0 h1:${Buffer.alloc(32, i % 251).toString('base64')}\n`;
}

before(async () => {
  db = await createFixtureSumdb();
  recordTexts = [];
  for (let i = 0; i < maxSize; i++) {
    db.add([recordText(i).trim()]);
    recordTexts.push(recordText(i));
  }
  leaves = recordTexts.map((t) => recordHash(t));
});

after(async () => {
  await db.close();
});

// The fixture holds 600 records; a tile for any smaller tree is a prefix it serves too.
const readTile: TileReader = async (tile) => {
  const data = await db.fetch(tilePath(tile));
  if (data === null) throw new Error(`fixture has no ${tilePath(tile)}`);
  return data;
};

function memoryReader(size: number) {
  return (level: number, index: number): Hash => {
    const span = 2 ** level;
    assert.ok((index + 1) * span <= size, `read ${level}/${index} outside tree ${size}`);
    return naiveRoot(leaves.slice(index * span, (index + 1) * span));
  };
}

test('tree hash equals the naive RFC 6962 root for every size 1..600', () => {
  for (let size = 1; size <= maxSize; size++) {
    const oracle = naiveRoot(leaves.slice(0, size));
    assert.ok(hashesEqual(treeHash(size, memoryReader(size)), oracle), `size ${size}`);
  }
});

test('tiles the fixture serves are the right hashes (every tile of a 600-record tree)', async () => {
  for (const tile of tilesOfTree(maxSize)) {
    const data = await db.fetch(tilePath(tile));
    assert.ok(data, tilePath(tile));
    if (tile.level === -1) {
      const first = tile.index * 256;
      const expected = recordTexts
        .slice(first, first + tile.width)
        .map((t, i) => formatRecord(first + i, t))
        .join('');
      assert.equal(Buffer.from(data).toString(), expected);
      continue;
    }
    const span = 2 ** (tile.level * 8);
    for (let i = 0; i < tile.width; i++) {
      const k = tile.index * 256 + i;
      const want = naiveRoot(leaves.slice(k * span, (k + 1) * span));
      assert.ok(hashesEqual(data.subarray(i * 32, (i + 1) * 32), want), `${tilePath(tile)}[${i}]`);
    }
  }
  assert.deepEqual(tilesOfTree(maxSize).map(tilePath), [
    'tile/8/0/000',
    'tile/8/data/000',
    'tile/8/0/001',
    'tile/8/data/001',
    'tile/8/0/002.p/88',
    'tile/8/data/002.p/88',
    'tile/8/1/000.p/2',
  ]);
});

test('property: inclusion proofs from tiles verify for every tree size and record, and fail when tampered', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc
        .integer({ min: 1, max: maxSize })
        .chain((size) => fc.tuple(fc.constant(size), fc.nat({ max: size - 1 }))),
      async ([size, index]) => {
        const tree = { size, hash: naiveRoot(leaves.slice(0, size)) };
        await verifyRecordInclusion(tree, index, recordTexts[index] as string, readTile);
        // A different record text, a wrong root, or a record outside the tree must fail.
        await assert.rejects(
          verifyRecordInclusion(tree, index, `${recordTexts[index]}x\n`, readTile),
          ProofError,
        );
        const otherRoot = { size, hash: recordHash('other') };
        await assert.rejects(
          verifyRecordInclusion(otherRoot, index, recordTexts[index] as string, readTile),
          ProofError,
        );
        await assert.rejects(
          verifyRecordInclusion(tree, size, recordTexts[size] ?? 'x\n', readTile),
          ProofError,
        );
        // Every single hash of the proof matters.
        const proof = proveRecord(size, index, memoryReader(size));
        checkRecord(proof, size, tree.hash, index, leaves[index] as Hash);
        for (let k = 0; k < proof.length; k++) {
          const bent = proof.map((h, j) => (j === k ? flip(h) : h));
          assert.throws(() => checkRecord(bent, size, tree.hash, index, leaves[index] as Hash), ProofError);
        }
        if (proof.length > 0) {
          const shorter = proof.slice(1);
          assert.throws(
            () => checkRecord(shorter, size, tree.hash, index, leaves[index] as Hash),
            ProofError,
          );
        }
        const longer = [...proof, tree.hash];
        assert.throws(() => checkRecord(longer, size, tree.hash, index, leaves[index] as Hash), ProofError);
      },
    ),
    { numRuns: 300 },
  );
});

test('property: consistency proofs from tiles verify for old <= new, and fail for a forged old tree', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: maxSize }),
      fc.integer({ min: 1, max: maxSize }),
      async (a, b) => {
        const [oldSize, newSize] = a <= b ? [a, b] : [b, a];
        const older = { size: oldSize, hash: naiveRoot(leaves.slice(0, oldSize)) };
        const newer = { size: newSize, hash: naiveRoot(leaves.slice(0, newSize)) };
        await verifyTreeConsistency(older, newer, readTile);
        const forged = { size: oldSize, hash: flip(older.hash) };
        await assert.rejects(verifyTreeConsistency(forged, newer, readTile), ProofError);
        const proof = proveTree(newSize, oldSize, memoryReader(newSize));
        checkTree(proof, newSize, newer.hash, oldSize, older.hash);
        for (let k = 0; k < proof.length; k++) {
          const bent = proof.map((h, j) => (j === k ? flip(h) : h));
          assert.throws(() => checkTree(bent, newSize, newer.hash, oldSize, older.hash), ProofError);
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('a tampered or short tile makes the proof fail', async () => {
  const tree = { size: 300, hash: naiveRoot(leaves.slice(0, 300)) };
  const tampered: TileReader = async (tile) => {
    const data = new Uint8Array(await readTile(tile));
    // Record 4's hash is the sibling record 5's proof starts with.
    if (tile.level === 0 && tile.index === 0) data[4 * 32] = (data[4 * 32] as number) ^ 1;
    return data;
  };
  await assert.rejects(verifyRecordInclusion(tree, 5, recordTexts[5] as string, tampered), ProofError);
  const short: TileReader = async (tile) => (await readTile(tile)).subarray(32);
  await assert.rejects(
    verifyRecordInclusion(tree, 5, recordTexts[5] as string, short),
    /holds \d+ bytes, want/,
  );
});

test('hashes are read tile by tile, each tile fetched once', async () => {
  const fetched: string[] = [];
  const counting: TileReader = (tile) => {
    fetched.push(tilePath(tile));
    return readTile(tile);
  };
  const coords = [
    { level: 0, index: 3 },
    { level: 0, index: 4 },
    { level: 3, index: 1 },
    { level: 8, index: 0 },
    { level: 8, index: 1 },
    { level: 0, index: 599 },
  ];
  const hashes = await readHashesFromTiles(600, coords, counting);
  assert.deepEqual(fetched.sort(), ['tile/8/0/000', 'tile/8/0/002.p/88', 'tile/8/1/000.p/2']);
  for (const { level, index } of coords) {
    const want = naiveRoot(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level));
    assert.ok(hashesEqual(hashes.get(`${level}/${index}`) as Hash, want), `${level}/${index}`);
  }
  await assert.rejects(readHashesFromTiles(600, [{ level: 9, index: 1 }], counting), RangeError);
});

function flip(hash: Hash): Hash {
  const copy = new Uint8Array(hash);
  copy[0] = (copy[0] as number) ^ 1;
  return copy;
}

/** What tile `tile` holds, from the naive oracle: hashes, or the formatted records of a data tile. */
function oracleTileData(tile: Tile): Uint8Array {
  const first = tile.index * 2 ** tile.height;
  if (tile.level === -1) {
    return Buffer.from(
      recordTexts
        .slice(first, first + tile.width)
        .map((t, i) => formatRecord(first + i, t))
        .join(''),
    );
  }
  const span = 2 ** (tile.level * tile.height);
  const parts: Hash[] = [];
  for (let i = 0; i < tile.width; i++) {
    const k = first + i;
    parts.push(naiveRoot(leaves.slice(k * span, (k + 1) * span)));
  }
  return Buffer.concat(parts);
}

test('property: a tile verifies against any signed tree that holds it, and any change to it is caught', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: maxSize }),
      fc.constantFrom(1, 2, 3, 8),
      fc.nat(),
      fc.nat(),
      fc.nat(),
      async (treeSize, height, pick, shrink, at) => {
        const tree = { size: treeSize, hash: naiveRoot(leaves.slice(0, treeSize)) };
        // A tile of this tree, or of an older one (a narrower partial tile).
        const tiles = tilesOfTree(treeSize, height);
        const full = tiles[pick % tiles.length] as Tile;
        const tile = { ...full, width: full.width - (shrink % full.width) };
        const data = oracleTileData(tile);
        await verifyTile(tree, tile, data, readTile);
        const bent = Buffer.from(data);
        const i = at % bent.length;
        bent[i] = (bent[i] as number) ^ (tile.level === -1 ? 0x02 : 0x80);
        await assert.rejects(verifyTile(tree, tile, bent, readTile));
        await assert.rejects(verifyTile(tree, tile, data.subarray(0, data.length - 1), readTile));
        // The same bytes named as the next tile, or checked against a tree too small to hold them.
        await assert.rejects(verifyTile(tree, { ...tile, index: tile.index + 1 }, data, readTile));
        const first = tile.index * 2 ** tile.height;
        const reach = (first + tile.width) * 2 ** (tile.level === -1 ? 0 : tile.level * tile.height);
        if (reach > 1) {
          const small = { size: reach - 1, hash: naiveRoot(leaves.slice(0, reach - 1)) };
          await assert.rejects(verifyTile(small, tile, data, readTile), ProofError);
        }
      },
    ),
    { numRuns: 200, seed: 8 },
  );
});
