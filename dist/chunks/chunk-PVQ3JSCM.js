import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  ModulePathError,
  checkModuleVersion,
  escapePath,
  escapeVersion,
  unescapePath,
  unescapeVersion
} from "./chunk-47GWIEYF.js";
import {
  isCanonicalVersion,
  isPseudoVersion,
  mkdir,
  open,
  readdir,
  rename,
  sortVersions,
  stat,
  unlink
} from "./chunk-S5FAF34R.js";
import {
  createHash,
  createPublicKey,
  randomBytes,
  verify
} from "./chunk-HGDB5JG2.js";

// src/upstream/redact-secrets.ts
var secretNamePattern = /(TOKEN|PASSWORD|SECRET|PASS|AUTH|CREDENTIAL|KEY)/i;
function secretValuesFrom(env) {
  const values = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < 6) continue;
    if (secretNamePattern.test(name) || /^GIT_CONFIG_VALUE_\d+$/.test(name)) values.push(value);
  }
  return values.sort((a, b) => b.length - a.length);
}
function secretValuesOfHeaders(headers) {
  const values = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name === "user-agent" || value.length < 4) continue;
    values.push(value);
    const scheme = /^(basic|bearer)\s+(\S+)$/i.exec(value);
    if (!scheme) continue;
    values.push(scheme[2]);
    if (scheme[1].toLowerCase() !== "basic") continue;
    const userPassword = Buffer.from(scheme[2], "base64").toString("utf8");
    values.push(userPassword);
    const password = userPassword.slice(userPassword.indexOf(":") + 1);
    if (password.length >= 4) values.push(password);
  }
  return values.sort((a, b) => b.length - a.length);
}
function redactUrlUserinfo(text) {
  return text.replace(
    /(\b[a-z][a-z0-9+.-]*:\/\/)([^/?#@\s]*)@/gi,
    (_all, scheme, userinfo) => {
      const colon = userinfo.indexOf(":");
      return `${scheme}${colon >= 0 ? `${userinfo.slice(0, colon)}:xxxxx` : "xxxxx"}@`;
    }
  );
}
function redactTempPaths(text) {
  return text.replace(/'[^'\n]*[/\\]\.tmp-\d+-[0-9a-f]+'/g, "'<temp file>'").replace(/(?:[A-Za-z]:)?[/\\][^\s'"`]*?[/\\]\.tmp-\d+-[0-9a-f]+/g, "<temp file>");
}
function redactSecrets(text, secrets) {
  let out = redactTempPaths(redactUrlUserinfo(text));
  out = out.replace(/(authorization:\s*)(basic|bearer)\s+\S+/gi, "$1$2 ***");
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join("***");
  }
  return out;
}

// src/store/store-write-error.ts
var StoreWriteError = class extends Error {
  name = "StoreWriteError";
  /** The errno code (ENOSPC, EROFS, EACCES, ENOTDIR, ENOENT, EMFILE, ...). */
  code;
  /** The file whose write failed (the final path, not the temp file). */
  path;
  constructor(code, path, cause) {
    super(`cannot store ${path}: ${describe(code)}`, { cause });
    this.code = code;
    this.path = path;
  }
};
function describe(code) {
  switch (code) {
    case "ENOSPC":
      return "disk full (ENOSPC): no space or no inodes left; free some or use a store directory on another disk";
    case "EDQUOT":
      return "disk quota exceeded (EDQUOT); raise the quota or use a store directory elsewhere";
    case "EROFS":
      return "read-only filesystem (EROFS); use a writable store directory";
    case "EFBIG":
      return "file too large for this filesystem (EFBIG)";
    case "EACCES":
    case "EPERM":
      return `permission denied (${code}); give the proxy's user write access to the store`;
    case "ENOTDIR":
    case "EEXIST":
      return `a file stands where a directory must be (${code}); remove it from the store`;
    case "ENOENT":
      return "a directory vanished while writing (ENOENT), e.g. removed by a concurrent prune";
    case "EMFILE":
    case "ENFILE":
      return `too many open files (${code}); raise the limit (ulimit -n)`;
    default:
      return `the filesystem refused the write (${code})`;
  }
}
function asStoreWriteError(err, path) {
  if (err instanceof StoreWriteError) return err;
  const code = err?.code;
  if (typeof code === "string" && /^E[A-Z0-9]+$/.test(code)) return new StoreWriteError(code, path, err);
  return err;
}

// src/store/atomic-file.ts
const { dirname, join } = require("node:path");

// src/process-alive.ts
const { readFileSync } = require("node:fs");
function isProcessAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return err.code === "EPERM";
  }
  try {
    const stat2 = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat2.slice(stat2.lastIndexOf(")") + 2, stat2.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return true;
  }
}

// src/store/atomic-file.ts
var tempPrefix = ".tmp-";
var cleanupMayFail = /* @__PURE__ */ new Set(["ENOENT", "EROFS", "EACCES", "EPERM"]);
var staleTempAgeMs = 24 * 60 * 60 * 1e3;
function newTempPath(finalPath) {
  return join(dirname(finalPath), `${tempPrefix}${process.pid}-${randomBytes(8).toString("hex")}`);
}
async function openTemp(finalPath) {
  const dir = dirname(finalPath);
  for (let attempt = 0; ; attempt++) {
    const tempPath = newTempPath(finalPath);
    try {
      if (attempt > 0) await mkdir(dir, { recursive: true });
      return { handle: await open(tempPath, "wx", 420), tempPath };
    } catch (err) {
      if (err.code !== "ENOENT" || attempt >= 4) throw err;
    }
  }
}
async function beginAtomicWrite(finalPath) {
  let opened;
  try {
    opened = await openTemp(finalPath);
  } catch (err) {
    throw asStoreWriteError(err, finalPath);
  }
  const { handle, tempPath } = opened;
  let state = "open";
  let size = 0;
  let syncedSize = -1;
  let queue = Promise.resolve();
  const close = async () => {
    if (state === "open") {
      state = "failed";
      await handle.close().catch(() => void 0);
    }
  };
  const cleanup = async () => {
    await close();
    if (state === "failed") {
      state = "done";
      await unlink(tempPath).catch(() => void 0);
    }
  };
  const failWith = async (err) => {
    await close();
    throw asStoreWriteError(err, finalPath);
  };
  const enqueue = (step) => {
    const next = queue.then(step);
    queue = next.catch(() => void 0);
    return next;
  };
  return {
    path: tempPath,
    get size() {
      return size;
    },
    write: (chunk) => enqueue(async () => {
      if (state !== "open")
        throw new Error(`write after commit, discard, detach or a failed write of ${finalPath}`);
      try {
        let offset = 0;
        while (offset < chunk.byteLength) {
          const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
          offset += bytesWritten;
          size += bytesWritten;
        }
      } catch (err) {
        await failWith(err);
      }
    }),
    sync: () => enqueue(async () => {
      if (state !== "open")
        throw new Error(`sync after commit, discard, detach or a failed write of ${finalPath}`);
      try {
        await handle.sync();
        syncedSize = size;
      } catch (err) {
        await failWith(err);
      }
    }),
    commit: (options) => enqueue(async () => {
      if (state !== "open")
        throw new Error(`commit after commit, discard, detach or a failed write of ${finalPath}`);
      try {
        if (options?.durable !== false && syncedSize !== size) await handle.sync();
        state = "failed";
        await handle.close();
        await rename(tempPath, finalPath);
        state = "done";
      } catch (err) {
        await failWith(err);
      }
    }),
    discard: () => enqueue(cleanup),
    detach: async () => {
      await enqueue(async () => {
        if (state === "done") throw new Error(`detach after commit, discard or detach of ${finalPath}`);
        await close();
        state = "done";
      });
      return tempPath;
    }
  };
}
async function writeFileAtomic(finalPath, data, options) {
  const pending = await beginAtomicWrite(finalPath);
  try {
    await pending.write(data);
    await pending.commit(options);
  } catch (err) {
    await pending.discard();
    throw err;
  }
}
async function removeStaleTempFiles(root) {
  let removed = 0;
  const pending = [root];
  const visit = async (dir) => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (err.code === "ENOENT") return;
      throw err;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile() && entry.name.startsWith(tempPrefix) && await isStaleTemp(path, entry.name)) {
        try {
          await unlink(path);
          removed++;
        } catch (err) {
          if (!cleanupMayFail.has(err.code ?? "")) throw err;
        }
      }
    }
  };
  let active = 0;
  await new Promise((resolve, reject) => {
    let failed = false;
    const next = () => {
      if (failed) return;
      while (active < walkConcurrency && pending.length > 0) {
        active++;
        visit(pending.pop()).then(
          () => {
            active--;
            next();
          },
          (err) => {
            failed = true;
            reject(err);
          }
        );
      }
      if (active === 0 && pending.length === 0) resolve();
    };
    next();
  });
  return removed;
}
var walkConcurrency = 4;
async function isStaleTemp(path, name) {
  const pid = Number.parseInt(name.slice(tempPrefix.length), 10);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !isProcessAlive(pid)) return true;
  const info = await stat(path).catch(() => null);
  return info !== null && Date.now() - info.mtimeMs >= staleTempAgeMs;
}

// src/store/store-layout.ts
const { isAbsolute, join: join2, relative, sep } = require("node:path");
var blobExts = ["info", "mod", "zip", "ziphash"];
var versionDirName = "@v";
var listFileName = "list";
var bookkeepingDirName = ".goproxy-action";
var sumdbDirName = "sumdb";
function isBlobExt(ext) {
  return blobExts.includes(ext);
}
function parseBlobName(name) {
  const dot = name.lastIndexOf(".");
  if (dot <= 0 || name.startsWith(".")) return null;
  const ext = name.slice(dot + 1);
  if (!isBlobExt(ext)) return null;
  return { escapedVersion: name.slice(0, dot), ext };
}
function checkSafeElement(element, what) {
  if (element === "" || element.startsWith(".") || /[/\\:\0]/.test(element) || element.length > 255 || // Control characters never belong in a module path, version or sumdb path.
  [...element].some((c) => c.codePointAt(0) < 32)) {
    throw new Error(`refusing unsafe ${what} ${JSON.stringify(element)}: not a store path element`);
  }
}
function joinInside(root, elements, what) {
  const full = join2(root, ...elements);
  const rel = relative(root, full);
  if (rel === "" || isAbsolute(rel) || rel.split(sep)[0] === "..") {
    throw new Error(`refusing ${what} ${JSON.stringify(elements.join("/"))}: it resolves outside the store`);
  }
  return full;
}

// src/store/version-list.ts
function isListableVersion(version) {
  return isCanonicalVersion(version) && !isPseudoVersion(version);
}
function parseVersionList(text) {
  const versions = [];
  for (const line of text.split("\n")) {
    const version = line.trim().split(/\s+/)[0] ?? "";
    if (isListableVersion(version)) versions.push(version);
  }
  return versions;
}
function formatVersionList(versions) {
  const sorted = sortVersions([...new Set(versions)].filter(isListableVersion));
  return sorted.map((v) => `${v}
`).join("");
}

// src/proxy/reply.ts
var immutableCache = "public, max-age=604800, immutable";
var shortLivedCache = "public, max-age=60";
function textReply(status, message, extra = {}) {
  const lines = redactSecrets(message, []).split("\n").map((l) => l.trim()).filter((l) => l !== "").slice(0, 7);
  let text = lines.join("\n");
  if (Buffer.byteLength(text) > 600) text = `${Buffer.from(text).subarray(0, 597).toString("utf8")}...`;
  return {
    status,
    contentType: "text/plain; charset=utf-8",
    body: Buffer.from(`${text}
`),
    headers: { "cache-control": "no-store" },
    source: "none",
    ...extra
  };
}

// src/sumdb/merkle.ts
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

// src/sumdb/sumdb-request.ts
var SumdbRequestError = class extends Error {
  name = "SumdbRequestError";
};
var maxPathElementBytes = 255;
function hasOverlongElement(path) {
  return path.split("/").some((element) => Buffer.byteLength(element) > maxPathElementBytes);
}
var databaseNamePattern = /^(?=.{1,253}(?:[:/]|$))[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~-]+)*$/i;
function isDatabaseName(name) {
  return databaseNamePattern.test(name) && !name.split("/").some((element) => element === "." || element === "..") && !hasOverlongElement(name);
}
function parseSumdbRequest(subpath) {
  if (subpath === "supported") return { kind: "supported" };
  if (subpath === "latest") return { kind: "latest" };
  if (subpath.startsWith("lookup/")) return parseLookup(subpath.slice("lookup/".length));
  if (subpath.startsWith("tile/")) {
    const tile = parseTilePath(subpath);
    if (tile === null) {
      throw new SumdbRequestError(
        `"${subpath}" is not a tile path: want tile/<H>/<L>/<K>[.p/<W>] or tile/<H>/data/<K>[.p/<W>], K in 3-digit groups (x001/234)`
      );
    }
    return { kind: "tile", tile };
  }
  throw new SumdbRequestError(
    `"${subpath}" is not a checksum database request: want supported, latest, lookup/<module>@<version> or tile/...`
  );
}
function parseLookup(target) {
  const at = target.lastIndexOf("@");
  if (at <= 0) throw new SumdbRequestError(`lookup "${target}" is not <escaped module>@<escaped version>`);
  const escapedModule = target.slice(0, at);
  const escapedVersion = target.slice(at + 1);
  if (hasOverlongElement(target)) {
    throw new SumdbRequestError(`lookup "${target}" has a path element over ${maxPathElementBytes} bytes`);
  }
  let module;
  let version;
  try {
    module = unescapePath(escapedModule);
    version = unescapeVersion(escapedVersion);
    checkModuleVersion(module, version);
  } catch (error) {
    const why = error instanceof ModulePathError || error instanceof Error ? error.message : String(error);
    throw new SumdbRequestError(`invalid lookup "${target}": ${why}`);
  }
  if (!isCanonicalVersion(version)) {
    throw new SumdbRequestError(`invalid lookup "${target}": ${version} is not a canonical version`);
  }
  if (escapePath(module) !== escapedModule || escapeVersion(version) !== escapedVersion) {
    throw new SumdbRequestError(`invalid lookup "${target}": not the canonical escaping`);
  }
  return { kind: "lookup", module, version };
}
function sumdbRequestPath(request) {
  switch (request.kind) {
    case "supported":
    case "latest":
      return request.kind;
    case "lookup":
      return `lookup/${escapePath(request.module)}@${escapeVersion(request.version)}`;
    case "tile":
      return tilePath(request.tile);
  }
}

// src/sumdb/strict-base64.ts
var base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
function decodeStrictBase64(text) {
  if (!base64Pattern.test(text)) return null;
  const bytes = Buffer.from(text, "base64");
  if (bytes.toString("base64") !== text) return null;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// src/sumdb/note.ts
var algEd25519 = 1;
var signaturePrefix = "\u2014 ";
var maxSignatures = 100;
var NoteError = class extends Error {
  name = "NoteError";
  kind;
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
};
function isValidNoteName(name) {
  return name !== "" && name.isWellFormed() && !/[\s\u0085+]/u.test(name);
}
function keyHash(name, key) {
  const digest = createHash("sha256").update(name, "utf8").update("\n").update(key).digest();
  return digest.readUInt32BE(0);
}
function hex8(hash) {
  return hash.toString(16).padStart(8, "0");
}
function chop(s, sep2) {
  const i = s.indexOf(sep2);
  return i < 0 ? [s, ""] : [s.slice(0, i), s.slice(i + sep2.length)];
}
function base64url(bytes) {
  return Buffer.from(bytes).toString("base64url");
}
function ed25519PublicKey(raw) {
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: base64url(raw) }, format: "jwk" });
}
var pkcs8Ed25519Prefix = Buffer.from("302e020100300506032b657004220420", "hex");
var verifierKeyForm = "<name>+<8 hex digits>+<base64 key>";
function parseVerifierKey(vkey) {
  const bad = (why) => new NoteError(
    "bad-key",
    `invalid verifier key ${JSON.stringify(vkey)}: ${why} (want ${verifierKeyForm})`
  );
  const [name, rest] = chop(vkey, "+");
  const [hash16, key64] = chop(rest, "+");
  if (!isValidNoteName(name)) throw bad('the name must be non-empty, without spaces or "+"');
  if (!/^[0-9a-fA-F]{8}$/.test(hash16)) throw bad("the key hash must be 8 hex digits");
  const key = decodeStrictBase64(key64);
  if (key === null || key.length === 0) throw bad("the key is not valid base64");
  const hash = Number.parseInt(hash16, 16);
  if (hash !== keyHash(name, key))
    throw bad("the key hash does not match the name and key: the key is mistyped or altered");
  if (key[0] !== algEd25519) throw bad(`unknown key algorithm ${key[0]} (only 1, Ed25519, exists)`);
  if (key.length !== 33) throw bad(`an Ed25519 key is 32 bytes, this one is ${key.length - 1}`);
  return {
    name,
    hash,
    keyId: `${name}+${hex8(hash)}`,
    text: vkey,
    publicKey: ed25519PublicKey(key.subarray(1))
  };
}
function checkNoteCharacters(msg, what) {
  if (!msg.isWellFormed() || /[\x00-\x09\x0b-\x1f]/.test(msg)) {
    throw new NoteError("malformed", `malformed ${what}: it holds control characters or invalid UTF-8`);
  }
}
function decodeNote(msg) {
  if (typeof msg === "string") return msg;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(msg);
  } catch {
    throw new NoteError("malformed", "malformed note: it is not valid UTF-8");
  }
}
function verifyNote(msg, verifierKey) {
  const key = typeof verifierKey === "string" ? parseVerifierKey(verifierKey) : verifierKey;
  const note = decodeNote(msg);
  checkNoteCharacters(note, "note");
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new NoteError("malformed", "malformed note: no blank line before a signature block");
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block === "" || !block.endsWith("\n")) {
    throw new NoteError(
      "malformed",
      "malformed note: the signature block is empty or does not end with a newline"
    );
  }
  const lines = block.slice(0, -1).split("\n");
  if (lines.length > maxSignatures) {
    throw new NoteError("malformed", `malformed note: more than ${maxSignatures} signature lines`);
  }
  const others = [];
  let verified = false;
  for (const line of lines) {
    if (!line.startsWith(signaturePrefix)) {
      throw new NoteError(
        "malformed",
        `malformed note: signature line ${JSON.stringify(line)} does not start with "\u2014 "`
      );
    }
    const [name, b64] = chop(line.slice(signaturePrefix.length), " ");
    const raw = decodeStrictBase64(b64);
    if (raw === null || !isValidNoteName(name) || raw.length < 5) {
      throw new NoteError("malformed", `malformed note: bad signature line ${JSON.stringify(line)}`);
    }
    const hash = Buffer.from(raw.buffer, raw.byteOffset, 4).readUInt32BE(0);
    if (name !== key.name || hash !== key.hash) {
      others.push(`${name}+${hex8(hash)}`);
      continue;
    }
    if (verified) continue;
    const signature = raw.subarray(4);
    if (signature.length !== 64 || !verify(null, Buffer.from(text, "utf8"), key.publicKey, signature)) {
      throw new NoteError(
        "bad-signature",
        `invalid signature by key ${key.keyId}: the note was altered or forged`
      );
    }
    verified = true;
  }
  if (!verified) {
    const seen = others.length > 0 ? `it is signed only by ${[...new Set(others)].join(", ")}` : "it has no signatures";
    throw new NoteError("unsigned", `note is not signed by key ${key.keyId}: ${seen}`);
  }
  return { text, verifiedBy: key.keyId };
}

export {
  secretValuesFrom,
  secretValuesOfHeaders,
  redactUrlUserinfo,
  redactSecrets,
  isProcessAlive,
  StoreWriteError,
  asStoreWriteError,
  beginAtomicWrite,
  writeFileAtomic,
  removeStaleTempFiles,
  blobExts,
  versionDirName,
  listFileName,
  bookkeepingDirName,
  sumdbDirName,
  isBlobExt,
  parseBlobName,
  checkSafeElement,
  joinInside,
  isListableVersion,
  parseVersionList,
  formatVersionList,
  decodeStrictBase64,
  NoteError,
  parseVerifierKey,
  verifyNote,
  immutableCache,
  shortLivedCache,
  textReply,
  HASH_SIZE,
  recordHash,
  hashesEqual,
  ProofError,
  proveRecord,
  proveNode,
  checkRecord,
  checkNode,
  proveTree,
  checkTree,
  coordsRead,
  TILE_HEIGHT,
  DATA_LEVEL,
  tileIsFull,
  fullTile,
  tilePath,
  tileForHash,
  hashFromTileData,
  SumdbRequestError,
  maxPathElementBytes,
  hasOverlongElement,
  isDatabaseName,
  parseSumdbRequest,
  sumdbRequestPath
};
