import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  cacheAccess,
  flush,
  getStats,
  isProcessAlive,
  prune,
  shutdown,
  waitForExit
} from "./chunk-KML5YRSF.js";
import {
  readGoEnv
} from "./chunk-CLBVXHE3.js";
import {
  info
} from "./chunk-5MXFQUZR.js";

// src/github/action-state.ts
var STATE_NAME = "goproxy-action";
function parseActionState(text) {
  if (text.trim() === "") return void 0;
  try {
    return JSON.parse(text);
  } catch {
    return void 0;
  }
}

// src/github/build-cache-step.ts
import { randomBytes } from "node:crypto";
import { mkdir as mkdir2, readFile, writeFile } from "node:fs/promises";
import { join as join3 } from "node:path";

// src/buildcache/build-cache-dir.ts
import { readdir, rm, stat, utimes } from "node:fs/promises";
import { join } from "node:path";
var AGE_BACK_MS = 2 * 60 * 60 * 1e3;
var SUBDIR = /^[0-9a-f]{2}$/;
async function dirBytes(dir) {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}
async function listBuildCache(dir) {
  const listing = /* @__PURE__ */ new Map();
  let subdirs;
  try {
    subdirs = (await readdir(dir)).filter((name) => SUBDIR.test(name));
  } catch (err) {
    if (err.code === "ENOENT") return listing;
    throw err;
  }
  for (const sub of subdirs) {
    for (const entry of await readdir(join(dir, sub), { withFileTypes: true })) {
      if (entry.name.startsWith(".") || !/-[ad]$/.test(entry.name)) continue;
      const path = join(dir, sub, entry.name);
      const info2 = await stat(path);
      const isDir = info2.isDirectory();
      listing.set(`${sub}/${entry.name}`, {
        bytes: isDir ? await dirBytes(path) : info2.size,
        mtimeMs: info2.mtimeMs,
        isDir
      });
    }
  }
  return listing;
}
async function ageEntries(dir, listing, at) {
  await Promise.all([...listing.keys()].map((path) => utimes(join(dir, path), at, at)));
}
function buildCacheUsage(restored, now, usedSinceMs) {
  const usage = {
    used: [],
    added: [],
    unused: [],
    usedBytes: 0,
    addedBytes: 0,
    unusedBytes: 0
  };
  for (const [path, entry] of now) {
    if (!restored.has(path)) {
      usage.added.push(path);
      usage.addedBytes += entry.bytes;
    } else if (entry.mtimeMs >= usedSinceMs) {
      usage.used.push(path);
      usage.usedBytes += entry.bytes;
    } else {
      usage.unused.push(path);
      usage.unusedBytes += entry.bytes;
    }
  }
  return usage;
}
async function removeEntries(dir, paths) {
  for (const path of paths) await rm(join(dir, path), { recursive: true, force: true });
}
async function entryFiles(dir, listing, paths) {
  const files = [];
  for (const path of paths) {
    if (!listing.get(path)?.isDir) {
      files.push(path);
      continue;
    }
    for (const entry of await readdir(join(dir, path), { withFileTypes: true, recursive: true })) {
      if (!entry.isFile()) continue;
      const rel = join(entry.parentPath, entry.name).slice(dir.length + 1).split("\\").join("/");
      files.push(rel);
    }
  }
  return files;
}

// src/buildcache/build-cache-key.ts
var BUILD_CACHE_FORMAT_VERSION = "v1";
function keyPart(name, value) {
  if (value === "") throw new Error(`go env printed no ${name}`);
  return value.replace(/[^A-Za-z0-9._+:]/g, "_");
}
function buildCacheFamily(goos, goarch, goversion) {
  const parts = [keyPart("GOOS", goos), keyPart("GOARCH", goarch), keyPart("GOVERSION", goversion)];
  return `goproxy-action-gocache-${BUILD_CACHE_FORMAT_VERSION}-${parts.join("-")}-`;
}
async function buildCacheFamilyFromGo(env) {
  const go = await readGoEnv(["GOOS", "GOARCH", "GOVERSION"], { env });
  return buildCacheFamily(go.GOOS ?? "", go.GOARCH ?? "", go.GOVERSION ?? "");
}

// src/cachelayers/layer-keys.ts
var MAX_LAYERS = 4;
var BASE_ID = /^[0-9]+-[0-9a-f]{8}$/;
function layerKey(family, baseId, layer) {
  if (!BASE_ID.test(baseId)) throw new Error(`bad cache base id '${baseId}'`);
  if (!Number.isInteger(layer) || layer < 0 || layer > 99) throw new Error(`bad cache layer ${layer}`);
  return `${family}${baseId}-${String(layer).padStart(2, "0")}`;
}
function parseLayerKey(family, key) {
  if (!key.startsWith(family)) return void 0;
  const m = /^([0-9]+-[0-9a-f]{8})-([0-9]{2})$/.exec(key.slice(family.length));
  if (!m) return void 0;
  return { baseId: m[1], layer: Number(m[2]) };
}
function newBaseId(env, random) {
  const run = /^[0-9]+$/.test(env.GITHUB_RUN_ID ?? "") ? env.GITHUB_RUN_ID : String(Date.now());
  const hex = random();
  if (!/^[0-9a-f]{8}$/.test(hex)) throw new Error("newBaseId: random must give 8 hex digits");
  return `${run}-${hex}`;
}

// src/cachelayers/layered-cache.ts
import { copyFile, link, mkdir, rename, rm as rm2 } from "node:fs/promises";
import { dirname, join as join2 } from "node:path";
function actionsCacheClient(path, crossOs) {
  const actionsCache = () => import("./cache-YQ2KYFCX.js");
  return {
    async lookup(key, restoreKeys) {
      const cache = await actionsCache();
      return await cache.restoreCache([path], key, restoreKeys, { lookupOnly: true }, crossOs);
    },
    async restore(key) {
      const cache = await actionsCache();
      const matched = await cache.restoreCache([path], key, [], {}, crossOs);
      return matched === key ? key : void 0;
    },
    async save(key) {
      const cache = await actionsCache();
      try {
        return await cache.saveCache([path], key, {}, crossOs) !== -1;
      } catch {
        return false;
      }
    }
  };
}
async function restoreChain(client, family) {
  const newest = await client.lookup(family, [family]);
  if (newest === void 0) return { restoredKeys: [] };
  const parsed = parseLayerKey(family, newest);
  if (!parsed) return { restoredKeys: [], note: `ignored an entry with an unknown key: ${newest}` };
  const restoredKeys = [];
  for (let layer = 0; layer <= parsed.layer; layer++) {
    const key = layerKey(family, parsed.baseId, layer);
    const got = await client.restore(key);
    if (got === void 0) {
      if (layer === 0) return { restoredKeys, note: `the base ${key} is gone (evicted): starting cold` };
      return {
        chain: { baseId: parsed.baseId, count: layer, complete: false },
        restoredKeys,
        note: `layer ${key} is gone (evicted): restored the chain up to layer ${layer - 1}`
      };
    }
    restoredKeys.push(key);
  }
  return { chain: { baseId: parsed.baseId, count: parsed.layer + 1, complete: true }, restoredKeys };
}
async function saveFilesOnly(client, dir, files, key) {
  const aside = `${dir}.goproxy-action-full`;
  await rm2(aside, { recursive: true, force: true });
  await rename(dir, aside);
  try {
    await mkdir(dir, { recursive: true });
    for (const file of files) {
      const target = join2(dir, file);
      await mkdir(dirname(target), { recursive: true });
      await link(join2(aside, file), target).catch(() => copyFile(join2(aside, file), target));
    }
    return await client.save(key);
  } finally {
    await rm2(dir, { recursive: true, force: true });
    await rename(aside, dir);
  }
}

// src/cachelayers/save-plan.ts
function planSave(input) {
  if (input.addedFiles === 0) return { kind: "skip", reason: "nothing-new" };
  if (!input.chain) return { kind: "base", reason: "cold" };
  if (input.addedBytes < input.minAddedBytes) return { kind: "skip", reason: "below-threshold" };
  if (!input.chain.complete) return { kind: "base", reason: "chain-broken" };
  if (input.chain.count > MAX_LAYERS) return { kind: "base", reason: "layers-full" };
  if (input.restoredBytes > 0 && input.unusedBytes * 2 > input.restoredBytes)
    return { kind: "base", reason: "mostly-unused" };
  return { kind: "layer", layer: input.chain.count };
}

// src/daemon/stats-text.ts
function formatBytes(bytes) {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(bytes || 0))} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

// src/github/build-cache-step.ts
var BUILD_CACHE_PATH = ".goproxy-action/gocache";
var MIN_BUILD_CACHE_LAYER_BYTES = 256 * 1024;
async function restoreBuildCache(options) {
  const dir = join3(options.workspace, ".goproxy-action", "gocache");
  await mkdir2(dir, { recursive: true });
  await writeFile(join3(options.workspace, ".goproxy-action", ".gitignore"), "*\n");
  const started = Date.now();
  let restored = { restoredKeys: [] };
  if (options.enabled && options.canRestore) restored = await restoreChain(options.client, options.family);
  const restoreMs = Date.now() - started;
  const listing = await listBuildCache(dir);
  const now = Date.now();
  await ageEntries(dir, listing, new Date(now - AGE_BACK_MS));
  const listingFile = join3(options.stateDir, "restored-gocache.json");
  await writeFile(listingFile, JSON.stringify([...listing.keys()]));
  let bytes = 0;
  for (const entry of listing.values()) bytes += entry.bytes;
  return {
    dir,
    family: options.family,
    enabled: options.enabled,
    writable: options.writable,
    chain: restored.chain,
    restoredKeys: restored.restoredKeys,
    restoreMs,
    restoredEntries: listing.size,
    restoredBytes: bytes,
    // A second of slack for file systems with coarse timestamps; aged entries are hours older.
    usedSinceMs: now - 1e3,
    listingFile,
    note: restored.note
  };
}
async function saveBuildCache(state, client, env) {
  const restored = new Set(JSON.parse(await readFile(state.listingFile, "utf8").catch(() => "[]")));
  const listing = await listBuildCache(state.dir);
  const usage = buildCacheUsage(restored, listing, state.usedSinceMs);
  const report = {
    enabled: state.enabled,
    restoredKeys: state.restoredKeys,
    restoreMs: state.restoreMs,
    restoredEntries: state.restoredEntries,
    restoredBytes: state.restoredBytes,
    usedEntries: usage.used.length,
    addedEntries: usage.added.length,
    addedBytes: usage.addedBytes,
    prunedEntries: 0,
    prunedBytes: 0,
    save: "disabled",
    note: state.note
  };
  if (!state.enabled) return report;
  const plan = planSave({
    chain: state.chain,
    addedFiles: usage.added.length,
    addedBytes: usage.addedBytes,
    unusedBytes: usage.unusedBytes,
    restoredBytes: state.restoredBytes,
    minAddedBytes: MIN_BUILD_CACHE_LAYER_BYTES
  });
  report.plan = plan;
  if (plan.kind === "skip") {
    report.save = plan.reason;
    return report;
  }
  if (!state.writable) {
    report.save = "read-only";
    return report;
  }
  const started = Date.now();
  if (plan.kind === "base") {
    await removeEntries(state.dir, usage.unused);
    report.prunedEntries = usage.unused.length;
    report.prunedBytes = usage.unusedBytes;
    const key = layerKey(
      state.family,
      newBaseId(env, () => randomBytes(4).toString("hex")),
      0
    );
    const ok = await client.save(key);
    report.save = ok ? "saved-base" : "refused";
    if (ok) report.savedKey = key;
  } else {
    const key = layerKey(state.family, state.chain.baseId, plan.layer);
    const files = await entryFiles(state.dir, listing, usage.added);
    const ok = await saveFilesOnly(client, state.dir, files, key);
    report.save = ok ? "saved-layer" : "refused";
    if (ok) report.savedKey = key;
  }
  report.saveMs = Date.now() - started;
  return report;
}
async function setupBuildCache(ctx) {
  const cache = await import("./cache-YQ2KYFCX.js");
  if (!cache.isFeatureAvailable()) {
    info("No cache service in this job: the Go build cache is not carried between runs.");
    return void 0;
  }
  const access = cacheAccess(ctx.env);
  const state = await restoreBuildCache({
    workspace: ctx.workspace,
    stateDir: ctx.stateDir,
    family: await buildCacheFamilyFromGo(ctx.env),
    client: actionsCacheClient(BUILD_CACHE_PATH, false),
    enabled: true,
    canRestore: access.read,
    writable: access.write
  });
  if (state.note) info(`Build cache: ${state.note}`);
  info(
    `Build cache restore: ${state.restoredKeys.length === 0 ? "none" : state.restoredKeys.join(" + ")}, ${state.restoredEntries} entries, ${formatBytes(state.restoredBytes)}, ${state.restoreMs} ms`
  );
  return state;
}
async function finishBuildCache(state, env) {
  return await saveBuildCache(state, actionsCacheClient(BUILD_CACHE_PATH, false), env);
}
function buildCacheLines(report) {
  const lines = [
    `build cache restore: ${report.restoredKeys.length} entries of the chain in ${report.restoreMs} ms (${report.restoredEntries} cache entries, ${formatBytes(report.restoredBytes)})`,
    `build cache use: ${report.usedEntries} restored entries used, ${report.addedEntries} added (${formatBytes(report.addedBytes)})`
  ];
  if (report.prunedEntries > 0)
    lines.push(
      `build cache prune: ${report.prunedEntries} unused entries (${formatBytes(report.prunedBytes)})`
    );
  lines.push(
    report.savedKey ? `build cache save: ${report.save} ${report.savedKey} in ${report.saveMs ?? 0} ms` : `build cache save: skipped (${report.save})`
  );
  return lines;
}

// src/daemon/stop-proxy.ts
async function stopProxy(options) {
  const { target } = options;
  const exitTimeoutMs = options.exitTimeoutMs ?? 3e4;
  let pruned;
  let pruneMs;
  let stats;
  try {
    await flush(target);
    if (options.prune) {
      const started = Date.now();
      pruned = await prune(target);
      pruneMs = Date.now() - started;
    }
    stats = await getStats(target);
    await shutdown(target);
  } catch (err) {
    await terminate(target.pid, exitTimeoutMs);
    throw err;
  }
  const exitedCleanly = await waitForExit(target.pid, exitTimeoutMs);
  if (!exitedCleanly) await terminate(target.pid, exitTimeoutMs);
  return { stats, pruned, pruneMs, exitedCleanly };
}
async function terminate(pid, timeoutMs) {
  if (!isProcessAlive(pid)) return;
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  if (await waitForExit(pid, timeoutMs)) return;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
  }
  await waitForExit(pid, 5e3);
}

// src/github/cache-key.ts
import { createHash } from "node:crypto";
import { glob, readFile as readFile2 } from "node:fs/promises";
import { join as join4 } from "node:path";
var CACHE_FORMAT_VERSION = "v2";
var CACHE_KEY_PREFIX = `goproxy-action-${CACHE_FORMAT_VERSION}-`;
var EXCLUDED = ["**/node_modules/**", "**/.git/**", ".goproxy-action/**"];
async function matchKeyFiles(workspace, patterns) {
  const found = /* @__PURE__ */ new Set();
  for (const pattern of patterns) {
    for await (const entry of glob(pattern, { cwd: workspace, exclude: EXCLUDED, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const absolute = join4(entry.parentPath, entry.name);
      const relative = absolute.slice(workspace.length).replace(/^[\\/]+/, "");
      found.add(relative.split("\\").join("/"));
    }
  }
  return [...found].sort();
}
function hashFileContents(entries) {
  const lines = [...entries].sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0).map((e) => `${createHash("sha256").update(e.content).digest("hex")}  ${e.path}
`).join("");
  return createHash("sha256").update(lines).digest("hex");
}
function cacheKeyFromHash(hash) {
  return { key: `${CACHE_KEY_PREFIX}${hash}`, restoreKeys: [CACHE_KEY_PREFIX] };
}
async function computeCacheKey(workspace, patterns) {
  const files = await matchKeyFiles(workspace, patterns);
  const entries = await Promise.all(
    files.map(async (path) => ({ path, content: await readFile2(join4(workspace, path)) }))
  );
  return { ...cacheKeyFromHash(hashFileContents(entries)), files };
}

// src/github/store-location.ts
import { mkdir as mkdir3, readdir as readdir2, stat as stat2, writeFile as writeFile2 } from "node:fs/promises";
import { join as join5 } from "node:path";
var STORE_CACHE_PATH = ".goproxy-action/store";
function storeDirIn(workspace) {
  return join5(workspace, ".goproxy-action", "store");
}
async function prepareStoreDir(workspace) {
  const dir = storeDirIn(workspace);
  await mkdir3(dir, { recursive: true });
  await writeFile2(join5(workspace, ".goproxy-action", ".gitignore"), "*\n");
  return dir;
}
async function listStoreBlobs(storeDir) {
  const files = /* @__PURE__ */ new Map();
  let bytes = 0;
  async function walk(dir, prefix) {
    let entries;
    try {
      entries = await readdir2(dir, { withFileTypes: true });
    } catch (err) {
      if (err.code === "ENOENT") return;
      throw err;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const full = join5(dir, entry.name);
      const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) await walk(full, rel);
      else if (entry.isFile()) {
        const { size } = await stat2(full);
        files.set(rel, size);
        bytes += size;
      }
    }
  }
  await walk(storeDir, "");
  return { files, bytes };
}
function addedBlobs(before, after) {
  const known = new Set(before);
  let count = 0;
  let bytes = 0;
  for (const [path, size] of after.files) {
    if (known.has(path)) continue;
    count++;
    bytes += size;
  }
  return { count, bytes };
}

// src/github/store-layers.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import { mkdir as mkdir4, readFile as readFile3, writeFile as writeFile3 } from "node:fs/promises";
import { dirname as dirname2, join as join6 } from "node:path";
var STORE_FAMILY = `goproxy-action-${CACHE_FORMAT_VERSION}-store-`;
var MARKER = ".goproxy-action/cache-entry.json";
function storeCacheClient() {
  return actionsCacheClient(STORE_CACHE_PATH, true);
}
async function restoreStore(client, storeDir, dependencyKey) {
  const result = await restoreChain(client, STORE_FAMILY);
  if (!result.chain) return { restore: "none", restoredKeys: result.restoredKeys, note: result.note };
  const marker = await readFile3(join6(storeDir, MARKER), "utf8").catch(() => "{}");
  let savedFor = "";
  try {
    savedFor = String(JSON.parse(marker).key ?? "");
  } catch {
  }
  return {
    restore: savedFor === dependencyKey && result.chain.complete ? "exact" : "partial",
    chain: result.chain,
    restoredKeys: result.restoredKeys,
    note: result.note
  };
}
function changedBlobs(restored, now) {
  const files = [];
  let bytes = 0;
  for (const [path, size] of now.files) {
    if (restored[path] === size) continue;
    files.push(path);
    bytes += size;
  }
  return { files, bytes };
}
function planStoreSave(chain, changed) {
  return planSave({
    chain,
    addedFiles: changed.files.length,
    addedBytes: changed.bytes,
    unusedBytes: 0,
    restoredBytes: 0,
    minAddedBytes: 1
  });
}
async function saveStore(options) {
  const { plan } = options;
  if (plan.kind === "skip") return void 0;
  const marker = join6(options.storeDir, MARKER);
  await mkdir4(dirname2(marker), { recursive: true });
  await writeFile3(marker, `${JSON.stringify({ key: options.dependencyKey })}
`);
  if (plan.kind === "base") {
    const key2 = layerKey(
      STORE_FAMILY,
      newBaseId(options.env, () => randomBytes2(4).toString("hex")),
      0
    );
    return await options.client.save(key2) ? key2 : void 0;
  }
  const key = layerKey(STORE_FAMILY, options.chain.baseId, plan.layer);
  const ok = await saveFilesOnly(options.client, options.storeDir, [...options.changed, MARKER], key);
  return ok ? key : void 0;
}

export {
  STATE_NAME,
  parseActionState,
  formatBytes,
  setupBuildCache,
  finishBuildCache,
  buildCacheLines,
  stopProxy,
  matchKeyFiles,
  computeCacheKey,
  prepareStoreDir,
  listStoreBlobs,
  addedBlobs,
  storeCacheClient,
  restoreStore,
  changedBlobs,
  planStoreSave,
  saveStore
};
