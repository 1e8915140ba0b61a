import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  NoteError,
  decodeStrictBase64,
  parseVerifierKey,
  verifyNote
} from "./chunk-EFWQGVGX.js";
import {
  escapePath,
  escapeVersion
} from "./chunk-TXKTMCD2.js";
import "./chunk-2IJSIXER.js";
import "./chunk-UOOPJVRV.js";

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
  checkSize(treeSize, "tree size");
  checkSize(index, "record index");
  if (index >= treeSize) throw new RangeError(`record ${index} is not in a tree of ${treeSize} records`);
  const walk = (lo, hi) => {
    if (hi - lo === 1) return [];
    const k = splitPoint(hi - lo);
    if (index < lo + k) return [...walk(lo, lo + k), rangeHash(lo + k, hi, read)];
    const left = rangeHash(lo, lo + k, read);
    return [...walk(lo + k, hi), left];
  };
  return walk(0, treeSize);
}
function checkRecord(proof, treeSize, root, index, leaf) {
  if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize) {
    throw new ProofError(`record ${index} cannot be in a tree of ${treeSize} records`);
  }
  const run = (lo, hi, p) => {
    if (hi - lo === 1) {
      if (p.length !== 0) throw new ProofError("inclusion proof is longer than the tree is deep");
      return leaf;
    }
    const sibling = p.at(-1);
    if (sibling === void 0) throw new ProofError("inclusion proof is too short");
    const rest = p.slice(0, -1);
    const k = splitPoint(hi - lo);
    if (index < lo + k) return nodeHash(run(lo, lo + k, rest), sibling);
    return nodeHash(sibling, run(lo + k, hi, rest));
  };
  if (!hashesEqual(run(0, treeSize, proof), root)) {
    throw new ProofError(
      `record ${index} is not in the signed tree of ${treeSize} records (its inclusion proof fails)`
    );
  }
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

// src/sumdb/sumdb-client.ts
var SumdbVerificationError = class extends Error {
  name = "SumdbVerificationError";
  module;
  version;
  kind;
  constructor(database, module, version, kind, reason) {
    super(
      module === "" ? `checking the latest tree of checksum database ${database}: ${reason}` : `verifying ${module}@${version} against checksum database ${database}: ${reason}`
    );
    this.module = module;
    this.version = version;
    this.kind = kind;
  }
};
var Utf8Error = class extends Error {
  name = "Utf8Error";
};
function decodeUtf8(bytes) {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new Utf8Error("the answer is not valid UTF-8");
  }
}
var MissingTileError = class extends Error {
  name = "MissingTileError";
};
var SumdbClient = class {
  name;
  #key;
  #fetch;
  #maxCachedTiles;
  #latest = null;
  /** Serializes merges of new trees into #latest. */
  #merging = Promise.resolve();
  #tiles = /* @__PURE__ */ new Map();
  #tileFetches = /* @__PURE__ */ new Map();
  #lookups = /* @__PURE__ */ new Map();
  #verified = /* @__PURE__ */ new Map();
  constructor(options) {
    this.#key = parseVerifierKey(options.key);
    if (this.#key.name !== options.name) {
      throw new Error(
        `checksum database ${options.name}: the key given is for ${this.#key.name}; GOSUMDB must name the database its key belongs to`
      );
    }
    this.name = options.name;
    this.#fetch = options.fetch;
    this.#maxCachedTiles = options.maxCachedTiles ?? 2048;
    if (options.latest !== void 0) {
      try {
        this.#latest = this.#openTree(options.latest);
      } catch (error) {
        throw new Error(
          `checksum database ${this.name}: the remembered tree head does not verify: ${error.message}`
        );
      }
    }
  }
  /** The newest signed tree this client has verified (size, base64 root hash, the signed note). */
  get latest() {
    const latest = this.#latest;
    if (latest === null) return null;
    return {
      size: latest.tree.size,
      hash: Buffer.from(latest.tree.hash).toString("base64"),
      note: latest.note
    };
  }
  /**
   * The go.sum lines (`<m> <v> h1:...` and `<m> <v>/go.mod h1:...`) the database holds for
   * module@version, after verifying them. Throws SumdbVerificationError when anything fails to
   * verify (kind 'not-found' when the database does not have that version).
   */
  lookup(module, version) {
    const bare = version.replace(/\/go\.mod$/, "");
    const key = `${module}@${bare}`;
    const done = this.#verified.get(key);
    if (done) return Promise.resolve([...done]);
    let running = this.#lookups.get(key);
    if (!running) {
      running = this.#lookupUncached(module, bare).finally(() => this.#lookups.delete(key));
      this.#lookups.set(key, running);
    }
    return running.then((lines) => [...lines]);
  }
  /** Fetches `latest`, verifies it and checks it is consistent with what was seen before. */
  async refreshLatest() {
    const body = await this.#get("latest");
    const fail = (kind, reason) => new SumdbVerificationError(this.name, "", "", kind, reason);
    if (body === null) throw fail("not-found", "the database does not serve its latest tree");
    let signed;
    try {
      signed = this.#openTree(body);
    } catch (error) {
      throw this.#classifyParseError(error, fail);
    }
    await this.#merge(signed, fail);
    return { size: signed.tree.size, hash: Buffer.from(signed.tree.hash).toString("base64") };
  }
  async #lookupUncached(module, version) {
    const fail = (kind, reason) => new SumdbVerificationError(this.name, module, version, kind, reason);
    const path = `lookup/${escapePath(module)}@${escapeVersion(version)}`;
    const body = await this.#get(path);
    if (body === null) throw fail("not-found", `the database does not have it (${path}: not found)`);
    let record;
    let signed;
    try {
      record = parseRecord(decodeUtf8(body));
      signed = this.#openTree(record.rest);
    } catch (error) {
      throw this.#classifyParseError(error, fail);
    }
    await this.#merge(signed, fail);
    const used = /* @__PURE__ */ new Map();
    try {
      await verifyRecordInclusion(signed.tree, record.id, record.text, this.#tileReader(used));
    } catch (error) {
      if (error instanceof ProofError) {
        this.#forgetTiles(used);
        throw fail("not-included", `record ${record.id} does not match the signed tree: ${error.message}`);
      }
      if (error instanceof MissingTileError) throw fail("missing-tile", error.message);
      throw error;
    }
    const prefixes = [`${module} ${version} `, `${module} ${version}/go.mod `];
    const lines = record.text.split("\n").filter((line) => prefixes.some((p) => line.startsWith(p)));
    if (lines.length === 0) {
      throw fail("mismatch", `the database answered with record ${record.id}, which holds no lines for it`);
    }
    this.#verified.set(`${module}@${version}`, lines);
    return lines;
  }
  /** Verifies a signed tree note with the database key and parses the tree in it. */
  #openTree(note) {
    const text = typeof note === "string" ? note : decodeUtf8(note);
    const opened = verifyNote(text, this.#key);
    return { tree: parseTree(opened.text), note: text };
  }
  #classifyParseError(error, fail) {
    if (error instanceof NoteError) {
      return fail(error.kind === "malformed" ? "malformed" : "bad-signature", `tree note: ${error.message}`);
    }
    if (error instanceof MalformedRecordError || error instanceof MalformedTreeError || error instanceof Utf8Error)
      return fail("malformed", error.message);
    return error;
  }
  /** Makes `signed` the newest tree if it extends the newest seen; checks an older one is a prefix. */
  #merge(signed, fail) {
    const run = async () => {
      const latest = this.#latest;
      if (latest === null) {
        this.#latest = signed;
        return;
      }
      if (latest.tree.size === signed.tree.size && hashesEqual(latest.tree.hash, signed.tree.hash)) return;
      const [older, newer] = signed.tree.size > latest.tree.size ? [latest, signed] : [signed, latest];
      const used = /* @__PURE__ */ new Map();
      try {
        await verifyTreeConsistency(older.tree, newer.tree, this.#tileReader(used));
      } catch (error) {
        if (error instanceof ProofError) {
          this.#forgetTiles(used);
          throw fail(
            "inconsistent",
            `SECURITY ERROR: the signed tree of ${older.tree.size} records is not a prefix of the signed tree of ${newer.tree.size} records (${error.message}); the database, or something between us and it, rewrote its log`
          );
        }
        if (error instanceof MissingTileError) throw fail("missing-tile", error.message);
        throw error;
      }
      if (newer === signed) this.#latest = signed;
    };
    const result = this.#merging.then(run, run);
    this.#merging = result.catch(() => void 0);
    return result;
  }
  async #get(path) {
    try {
      return await this.#fetch(path);
    } catch (error) {
      throw new Error(`checksum database ${this.name}: fetching ${path}: ${error.message}`, {
        cause: error
      });
    }
  }
  /** A TileReader over the cache and `fetch`, recording what it read into `used`. */
  #tileReader(used) {
    return async (tile) => {
      const data = await this.#readTile(tile);
      used.set(tilePath(tile), data);
      return data;
    };
  }
  async #readTile(tile) {
    const path = tilePath(tile);
    const cached = this.#cachedTile(path);
    if (cached) return cached;
    const full = fullTile(tile);
    const want = tile.width * HASH_SIZE;
    if (!tileIsFull(tile)) {
      const cachedFull = this.#cachedTile(tilePath(full));
      if (cachedFull) return cachedFull.subarray(0, want);
    }
    const data = await this.#fetchTile(path);
    if (data !== null) return data;
    if (!tileIsFull(tile)) {
      const fullData = await this.#fetchTile(tilePath(full));
      if (fullData !== null) {
        if (fullData.length < want) {
          throw new ProofError(
            `tile ${tilePath(full)} holds ${fullData.length} bytes, want ${full.width * HASH_SIZE}`
          );
        }
        return this.#cacheTile(path, fullData.subarray(0, want));
      }
    }
    throw new MissingTileError(
      `the database does not serve tile ${path}${tileIsFull(tile) ? "" : " nor the full tile"}`
    );
  }
  #fetchTile(path) {
    let running = this.#tileFetches.get(path);
    if (!running) {
      running = this.#get(path).then((data) => data === null ? null : this.#cacheTile(path, data)).finally(() => this.#tileFetches.delete(path));
      this.#tileFetches.set(path, running);
    }
    return running;
  }
  #cachedTile(path) {
    const data = this.#tiles.get(path);
    if (data) {
      this.#tiles.delete(path);
      this.#tiles.set(path, data);
    }
    return data;
  }
  /** After a failed proof: a cached tile may have been the bad input, so the next try refetches. */
  #forgetTiles(used) {
    for (const path of used.keys()) this.#tiles.delete(path);
  }
  /**
   * Keeps a fetched tile for other proofs (concurrent ones included). It is not trusted for
   * that: every proof still has to reproduce a signed root, and one that fails drops its tiles.
   */
  #cacheTile(path, data) {
    this.#tiles.set(path, data);
    while (this.#tiles.size > this.#maxCachedTiles) {
      const oldest = this.#tiles.keys().next().value;
      this.#tiles.delete(oldest);
    }
    return data;
  }
};
export {
  SumdbClient,
  SumdbVerificationError
};
