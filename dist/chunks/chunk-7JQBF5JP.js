import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);

// src/sumdb/strict-base64.ts
var base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
function decodeStrictBase64(text) {
  if (!base64Pattern.test(text)) return null;
  const bytes = Buffer.from(text, "base64");
  if (bytes.toString("base64") !== text) return null;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// src/sumdb/merkle.ts
import { createHash } from "node:crypto";
var HASH_SIZE = 32;
function recordHash(data) {
  return new Uint8Array(createHash("sha256").update(Buffer.of(0)).update(data).digest());
}
function nodeHash(left, right) {
  return new Uint8Array(createHash("sha256").update(Buffer.of(1)).update(left).update(right).digest());
}
function hashesEqual(a, b) {
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b));
}
var ProofError = class extends Error {
  name = "ProofError";
};
function checkSize(n, what) {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} ${n} is not a valid tree position`);
}
function splitPoint(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
function floorPow2(n) {
  let size = 1;
  let level = 0;
  while (size * 2 <= n) {
    size *= 2;
    level++;
  }
  return { size, level };
}
function rangeHash(lo, hi, read) {
  const parts = [];
  while (lo < hi) {
    const { size, level } = floorPow2(hi - lo);
    if (lo % size !== 0) throw new Error(`internal error: unaligned subtree [${lo}, ${hi})`);
    parts.push(read(level, lo / size));
    lo += size;
  }
  let hash = parts.pop();
  if (hash === void 0) throw new Error("internal error: empty subtree");
  for (let part = parts.pop(); part !== void 0; part = parts.pop()) hash = nodeHash(part, hash);
  return hash;
}
function proveRecord(treeSize, index, read) {
  checkSize(index, "record index");
  return proveNode(treeSize, { level: 0, index }, read);
}
function proveNode(treeSize, node, read) {
  checkSize(treeSize, "tree size");
  const span = checkNodeCoord(node);
  const first = node.index * span;
  if (first + span > treeSize) {
    throw new RangeError(`hash ${node.level}/${node.index} is not complete in a tree of ${treeSize} records`);
  }
  const walk = (lo, hi) => {
    if (hi - lo === span) return [];
    const k = splitPoint(hi - lo);
    if (first < lo + k) return [...walk(lo, lo + k), rangeHash(lo + k, hi, read)];
    const left = rangeHash(lo, lo + k, read);
    return [...walk(lo + k, hi), left];
  };
  return walk(0, treeSize);
}
function checkNodeCoord(node) {
  if (!Number.isSafeInteger(node.level) || node.level < 0 || node.level > 52) {
    throw new RangeError(`hash level ${node.level} is not a tree level`);
  }
  checkSize(node.index, "hash index");
  return 2 ** node.level;
}
function checkRecord(proof, treeSize, root, index, leaf) {
  if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize) {
    throw new ProofError(`record ${index} cannot be in a tree of ${treeSize} records`);
  }
  if (!nodeProofHolds(proof, treeSize, root, { level: 0, index }, leaf)) {
    throw new ProofError(
      `record ${index} is not in the signed tree of ${treeSize} records (its inclusion proof fails)`
    );
  }
}
function checkNode(proof, treeSize, root, node, hash) {
  const span = checkNodeCoord(node);
  if (node.index * span + span > treeSize) {
    throw new ProofError(`hash ${node.level}/${node.index} cannot be in a tree of ${treeSize} records`);
  }
  if (!nodeProofHolds(proof, treeSize, root, node, hash)) {
    throw new ProofError(
      `hash ${node.level}/${node.index} is not in the signed tree of ${treeSize} records (its inclusion proof fails)`
    );
  }
}
function nodeProofHolds(proof, treeSize, root, node, hash) {
  const span = 2 ** node.level;
  const first = node.index * span;
  const run = (lo, hi, p) => {
    if (hi - lo === span) {
      if (p.length !== 0) throw new ProofError("inclusion proof is longer than the tree is deep");
      return hash;
    }
    const sibling = p.at(-1);
    if (sibling === void 0) throw new ProofError("inclusion proof is too short");
    const rest = p.slice(0, -1);
    const k = splitPoint(hi - lo);
    if (first < lo + k) return nodeHash(run(lo, lo + k, rest), sibling);
    return nodeHash(sibling, run(lo + k, hi, rest));
  };
  return hashesEqual(run(0, treeSize, proof), root);
}
function proveTree(newSize, oldSize, read) {
  checkSize(newSize, "tree size");
  checkSize(oldSize, "tree size");
  if (oldSize < 1 || oldSize > newSize)
    throw new RangeError(`cannot prove tree ${oldSize} inside tree ${newSize}`);
  const walk = (lo, hi) => {
    if (oldSize === hi) return lo === 0 ? [] : [rangeHash(lo, hi, read)];
    const k = splitPoint(hi - lo);
    if (oldSize <= lo + k) return [...walk(lo, lo + k), rangeHash(lo + k, hi, read)];
    const left = rangeHash(lo, lo + k, read);
    return [...walk(lo + k, hi), left];
  };
  return walk(0, newSize);
}
function checkTree(proof, newSize, newRoot, oldSize, oldRoot) {
  if (!Number.isSafeInteger(oldSize) || oldSize < 1 || oldSize > newSize) {
    throw new ProofError(`tree ${oldSize} cannot be a prefix of tree ${newSize}`);
  }
  const run = (lo, hi, p) => {
    if (oldSize === hi) {
      if (lo === 0) {
        if (p.length !== 0) throw new ProofError("consistency proof is too long");
        return [oldRoot, oldRoot];
      }
      if (p.length !== 1) throw new ProofError("consistency proof has the wrong length");
      const only = p[0];
      return [only, only];
    }
    const sibling = p.at(-1);
    if (sibling === void 0) throw new ProofError("consistency proof is too short");
    const rest = p.slice(0, -1);
    const k = splitPoint(hi - lo);
    if (oldSize <= lo + k) {
      const [oldHash3, newHash3] = run(lo, lo + k, rest);
      return [oldHash3, nodeHash(newHash3, sibling)];
    }
    const [oldHash2, newHash2] = run(lo + k, hi, rest);
    return [nodeHash(sibling, oldHash2), nodeHash(sibling, newHash2)];
  };
  const [oldHash, newHash] = run(0, newSize, proof);
  if (!hashesEqual(oldHash, oldRoot) || !hashesEqual(newHash, newRoot)) {
    throw new ProofError(`tree of ${oldSize} records is not a prefix of the tree of ${newSize} records`);
  }
}
function coordsRead(compute) {
  const seen = /* @__PURE__ */ new Set();
  const coords = [];
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

// src/sumdb/tile.ts
var TILE_HEIGHT = 8;
var DATA_LEVEL = -1;
function tileIsFull(tile) {
  return tile.width === 2 ** tile.height;
}
function fullTile(tile) {
  return { ...tile, width: 2 ** tile.height };
}
function tilePath(tile) {
  let n = tile.index;
  let digits = String(n % 1e3).padStart(3, "0");
  while (n >= 1e3) {
    n = Math.floor(n / 1e3);
    digits = `x${String(n % 1e3).padStart(3, "0")}/${digits}`;
  }
  const level = tile.level === DATA_LEVEL ? "data" : String(tile.level);
  const partial = tileIsFull(tile) ? "" : `.p/${tile.width}`;
  return `tile/${tile.height}/${level}/${digits}${partial}`;
}
function parseTilePath(path) {
  const match = /^tile\/([0-9]{1,2})\/(data|[0-9]{1,2})\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([0-9]{1,10}))?$/.exec(path);
  if (match === null) return null;
  const [, h, l, digits, w] = match;
  const height = Number(h);
  if (height < 1 || height > 30) return null;
  const index = digits.split("/").reduce((n, group) => n * 1e3 + Number(group.replace("x", "")), 0);
  if (!Number.isSafeInteger(index)) return null;
  const full = 2 ** height;
  const width = w === void 0 ? full : Number(w);
  if (width < 1 || width > full) return null;
  const tile = { height, level: l === "data" ? DATA_LEVEL : Number(l), index, width };
  return tilePath(tile) === path ? tile : null;
}
function storedAtLevel(treeSize, height, level) {
  return Math.floor(treeSize / 2 ** (level * height));
}
function tileForHash(treeSize, coord, height = TILE_HEIGHT) {
  const level = Math.floor(coord.level / height);
  const span = 2 ** (coord.level - level * height);
  const first = coord.index * span;
  const perTile = 2 ** height;
  const index = Math.floor(first / perTile);
  const available = storedAtLevel(treeSize, height, level) - index * perTile;
  if ((coord.index + 1) * 2 ** coord.level > treeSize || available <= 0) {
    throw new RangeError(
      `hash ${coord.level}/${coord.index} is not complete in a tree of ${treeSize} records`
    );
  }
  const width = Math.min(perTile, available);
  return { tile: { height, level, index, width }, offset: first - index * perTile, count: span };
}
function hashFromTileData(data, offset, count) {
  let layer = [];
  for (let i = 0; i < count; i++) {
    const start = (offset + i) * HASH_SIZE;
    layer.push(data.subarray(start, start + HASH_SIZE));
  }
  while (layer.length > 1) {
    const next = [];
    for (let i = 0; i < layer.length; i += 2) next.push(nodeHash(layer[i], layer[i + 1]));
    layer = next;
  }
  return layer[0];
}

// src/sumdb/record.ts
var MalformedRecordError = class extends Error {
  name = "MalformedRecordError";
};
function isValidRecordText(text) {
  return text.endsWith("\n") && !text.includes("\n\n") && text.isWellFormed() && !/[\x00-\x09\x0b-\x1f]/.test(text);
}
function parseRecord(msg) {
  const idEnd = msg.indexOf("\n");
  const idText = idEnd < 0 ? msg : msg.slice(0, idEnd);
  if (idEnd < 0 || !/^(0|[1-9][0-9]*)$/.test(idText) || !Number.isSafeInteger(Number(idText))) {
    throw new MalformedRecordError(`malformed record: bad record id ${JSON.stringify(idText.slice(0, 40))}`);
  }
  const body = msg.slice(idEnd + 1);
  const end = body.indexOf("\n\n");
  if (end < 0) throw new MalformedRecordError("malformed record: no blank line ends the record");
  const text = body.slice(0, end + 1);
  if (!isValidRecordText(text)) {
    throw new MalformedRecordError("malformed record: the record text holds control characters");
  }
  return { id: Number(idText), text, rest: body.slice(end + 2) };
}

// src/sumdb/tree-note.ts
var header = "go.sum database tree";
var MalformedTreeError = class extends Error {
  name = "MalformedTreeError";
};
function parseTree(text) {
  const lines = text.split("\n");
  if (lines.length < 4 || lines[0] !== header) {
    throw new MalformedTreeError(`malformed tree note: want "${header}", a size and a hash, one a line`);
  }
  const sizeText = lines[1];
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    throw new MalformedTreeError(`malformed tree note: bad tree size ${JSON.stringify(sizeText)}`);
  }
  const hash = decodeStrictBase64(lines[2]);
  if (hash === null || hash.length !== HASH_SIZE) {
    throw new MalformedTreeError(`malformed tree note: bad tree hash ${JSON.stringify(lines[2])}`);
  }
  return { size: Number(sizeText), hash };
}

// src/sumdb/tlog.ts
async function readHashesFromTiles(treeSize, coords, readTile, height = TILE_HEIGHT) {
  const located = coords.map((coord) => ({ coord, ...tileForHash(treeSize, coord, height) }));
  const tiles = /* @__PURE__ */ new Map();
  for (const { tile } of located) tiles.set(tilePath(tile), { tile });
  for (const entry of tiles.values()) {
    entry.data = readTile(entry.tile).then((data) => {
      if (data.length !== entry.tile.width * HASH_SIZE) {
        throw new ProofError(
          `tile ${tilePath(entry.tile)} holds ${data.length} bytes, want ${entry.tile.width * HASH_SIZE}`
        );
      }
      return data;
    });
  }
  const settled = await Promise.allSettled([...tiles.values()].map((entry) => entry.data));
  const failed = settled.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
  const hashes = /* @__PURE__ */ new Map();
  for (const { coord, tile, offset, count } of located) {
    const data = await tiles.get(tilePath(tile))?.data;
    hashes.set(`${coord.level}/${coord.index}`, hashFromTileData(data, offset, count));
  }
  return hashes;
}
async function computeFromTiles(treeSize, compute, readTile) {
  const hashes = await readHashesFromTiles(treeSize, coordsRead(compute), readTile);
  return compute((level, index) => {
    const hash = hashes.get(`${level}/${index}`);
    if (hash === void 0) throw new Error(`internal error: hash ${level}/${index} was not fetched`);
    return hash;
  });
}
async function verifyRecordInclusion(tree, id, record, readTile) {
  if (!Number.isSafeInteger(id) || id < 0 || id >= tree.size) {
    throw new ProofError(`record ${id} cannot be in the signed tree of ${tree.size} records`);
  }
  const proof = await computeFromTiles(tree.size, (read) => proveRecord(tree.size, id, read), readTile);
  checkRecord(proof, tree.size, tree.hash, id, recordHash(record));
}
async function verifyTreeConsistency(older, newer, readTile) {
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
    readTile
  );
  checkTree(proof, newer.size, newer.hash, older.size, older.hash);
}
async function verifyTile(tree, tile, data, readTile) {
  const baseLevel = tile.level === DATA_LEVEL ? 0 : tile.level * tile.height;
  const first = tile.index * 2 ** tile.height;
  const leaves = tile.level === DATA_LEVEL ? dataTileHashes(tile, first, data) : hashTileData(tile, data);
  if ((first + tile.width) * 2 ** baseLevel > tree.size) {
    throw new ProofError(`tile ${tilePath(tile)} reaches beyond the signed tree of ${tree.size} records`);
  }
  const nodes = [];
  let offset = 0;
  for (let bit = tile.height; bit >= 0; bit--) {
    const count = 2 ** bit;
    if ((tile.width & count) === 0) continue;
    nodes.push({
      coord: { level: baseLevel + bit, index: (first + offset) / count },
      hash: hashFromTileData(leaves, offset, count)
    });
    offset += count;
  }
  const compute = (read) => nodes.map(({ coord }) => proveNode(tree.size, coord, read));
  const proofs = await computeFromTiles(tree.size, compute, readTile);
  nodes.forEach(({ coord, hash }, i) => {
    checkNode(proofs[i], tree.size, tree.hash, coord, hash);
  });
}
function hashTileData(tile, data) {
  if (data.length !== tile.width * HASH_SIZE) {
    throw new ProofError(`tile ${tilePath(tile)} holds ${data.length} bytes, want ${tile.width * HASH_SIZE}`);
  }
  return data;
}
function dataTileHashes(tile, first, data) {
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(data);
  } catch {
    throw new MalformedRecordError(`data tile ${tilePath(tile)} is not valid UTF-8`);
  }
  const hashes = new Uint8Array(tile.width * HASH_SIZE);
  for (let i = 0; i < tile.width; i++) {
    const record = parseRecord(text);
    if (record.id !== first + i) {
      throw new MalformedRecordError(
        `data tile ${tilePath(tile)}: record ${record.id} where ${first + i} belongs`
      );
    }
    hashes.set(recordHash(record.text), i * HASH_SIZE);
    text = record.rest;
  }
  if (text !== "")
    throw new MalformedRecordError(`data tile ${tilePath(tile)} holds more than ${tile.width} records`);
  return hashes;
}

export {
  decodeStrictBase64,
  HASH_SIZE,
  hashesEqual,
  ProofError,
  proveRecord,
  coordsRead,
  tileIsFull,
  fullTile,
  tilePath,
  parseTilePath,
  tileForHash,
  MalformedRecordError,
  parseRecord,
  MalformedTreeError,
  parseTree,
  verifyRecordInclusion,
  verifyTreeConsistency,
  verifyTile
};
