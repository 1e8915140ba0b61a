import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  eachLimited
} from "./chunk-DDXISKZF.js";
import {
  cacheAccess,
  cacheFeatureAvailable,
  flush,
  getStats,
  isGhes,
  isProcessAlive,
  prune,
  shutdown,
  waitForExit
} from "./chunk-XDGCDNJD.js";
import {
  GoSumIndex,
  isWorkspaceModuleFile
} from "./chunk-QVBW2YHH.js";
import {
  info,
  warning
} from "./chunk-EKDBOTY3.js";
import {
  createHash,
  randomBytes,
  unescapePath,
  unescapeVersion
} from "./chunk-HEGZARSW.js";
import {
  chmod,
  copyFile,
  glob,
  link,
  lstat,
  mkdir,
  readFile,
  readdir,
  realpath,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
  utimes,
  writeFile
} from "./chunk-TPCHYJEY.js";

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
const { join: join4 } = require("node:path");

// src/buildcache/build-cache-dir.ts
const { join: join2 } = require("node:path");

// src/tree-walk.ts
const { join } = require("node:path");
async function walkNoFollow(root) {
  const found = [];
  async function walk(dir) {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      const code = err.code;
      if (code === "ENOENT" || code === "ENOTDIR" && dir !== root) return;
      throw err;
    }
    found.push(...entries);
    await Promise.all(entries.filter((e) => e.isDirectory()).map((e) => walk(join(dir, e.name))));
  }
  await walk(root);
  return found;
}
async function unlinkLinksOnPath(root, rel) {
  let path = root;
  for (const element of rel.split("/").filter((e) => e !== "")) {
    path = join(path, element);
    let info2;
    try {
      info2 = await lstat(path);
    } catch {
      return false;
    }
    if (info2.isSymbolicLink()) {
      await unlink(path).catch((err) => {
        if (err.code !== "ENOENT") throw err;
      });
      return true;
    }
    if (!info2.isDirectory()) return false;
  }
  return false;
}

// src/buildcache/build-cache-dir.ts
var AGE_BACK_MS = 2 * 60 * 60 * 1e3;
var SUBDIR = /^[0-9a-f]{2}$/;
async function dirBytes(dir) {
  let total = 0;
  for (const entry of await walkNoFollow(dir)) {
    if (entry.isFile()) total += (await lstat(join2(entry.parentPath, entry.name))).size;
  }
  return total;
}
async function listBuildCache(dir, only) {
  const listing = /* @__PURE__ */ new Map();
  let subdirs;
  try {
    subdirs = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && SUBDIR.test(e.name)).map((e) => e.name);
  } catch (err) {
    if (err.code === "ENOENT") return listing;
    throw err;
  }
  const named = await Promise.all(
    subdirs.map(
      async (sub) => (await readdir(join2(dir, sub))).filter(
        // Temp files of an interrupted write are not entries.
        (name) => !name.startsWith(".") && /-[ad]$/.test(name) && (!only || only(`${sub}/${name}`))
      )
    )
  );
  for (const [index, sub] of subdirs.entries()) {
    const names = named[index] ?? [];
    if (names.length === 0) continue;
    const entries = await Promise.all(
      names.map(async (name) => {
        const path = join2(dir, sub, name);
        const info2 = await lstat(path);
        const isDir = info2.isDirectory();
        if (!isDir && !info2.isFile()) return null;
        return { bytes: isDir ? await dirBytes(path) : info2.size, mtimeMs: info2.mtimeMs, isDir };
      })
    );
    for (const [i, name] of names.entries()) {
      const entry = entries[i];
      if (entry) listing.set(`${sub}/${name}`, entry);
    }
  }
  return listing;
}
async function ageEntries(dir, listing, at) {
  await Promise.all([...listing.keys()].map((path) => utimes(join2(dir, path), at, at)));
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
var ACTION_ENTRY = /^v1 [0-9a-f]{64} ([0-9a-f]{64}) /;
async function keepPartnerEntries(dir, usage) {
  const keptOutputs = /* @__PURE__ */ new Set();
  for (const path of [...usage.used, ...usage.added]) if (path.endsWith("-d")) keptOutputs.add(path);
  const unused = [];
  const partners = [];
  let partnerBytes = 0;
  for (let i = 0; i < usage.unused.length; i += 256) {
    await Promise.all(
      usage.unused.slice(i, i + 256).map(async (path) => {
        const text = path.endsWith("-a") ? await readFile(join2(dir, path), "latin1").catch(() => "") : "";
        const id = ACTION_ENTRY.exec(text)?.[1];
        if (id !== void 0 && keptOutputs.has(`${id.slice(0, 2)}/${id}-d`)) {
          partners.push(path);
          partnerBytes += text.length;
        } else unused.push(path);
      })
    );
  }
  return {
    ...usage,
    unused,
    unusedBytes: usage.unusedBytes - partnerBytes,
    partners,
    partnerBytes
  };
}
async function pruneToUsed(dir, usage) {
  const kept = await keepPartnerEntries(dir, usage);
  await removeEntries(dir, kept.unused);
  return kept;
}
async function removeEntries(dir, paths) {
  for (const path of paths) await rm(join2(dir, path), { recursive: true, force: true });
}
async function entryFiles(dir, listing, paths) {
  const files = [];
  for (const path of paths) {
    if (!listing.get(path)?.isDir) {
      files.push(path);
      continue;
    }
    for (const entry of await walkNoFollow(join2(dir, path))) {
      if (!entry.isFile()) continue;
      const rel = join2(entry.parentPath, entry.name).slice(dir.length + 1).split("\\").join("/");
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
var BUILD_CACHE_GO_NAMES = ["GOOS", "GOARCH", "GOVERSION"];
function buildCacheFamilyFromGo(go) {
  return buildCacheFamily(go.GOOS ?? "", go.GOARCH ?? "", go.GOVERSION ?? "");
}

// src/cachelayers/layer-keys.ts
var MAX_LAYERS = 4;
var BASE_ID = /^[0-9]+-[0-9a-f]{8}$/;
var TAG = /^[0-9a-z]{1,32}$/;
function layerKey(family, baseId, layer, tag) {
  if (!BASE_ID.test(baseId)) throw new Error(`bad cache base id '${baseId}'`);
  if (!Number.isInteger(layer) || layer < 0 || layer > 99) throw new Error(`bad cache layer ${layer}`);
  if (tag !== void 0 && !TAG.test(tag)) throw new Error(`bad cache key tag '${tag}'`);
  return `${family}${baseId}-${String(layer).padStart(2, "0")}${tag === void 0 ? "" : `-${tag}`}`;
}
function layerPrefix(family, baseId, layer) {
  return `${layerKey(family, baseId, layer)}-`;
}
function parseLayerKey(family, key) {
  if (!key.startsWith(family)) return void 0;
  const m = /^([0-9]+-[0-9a-f]{8})-([0-9]{2})(?:-([0-9a-z]{1,32}))?$/.exec(key.slice(family.length));
  if (!m) return void 0;
  return { baseId: m[1], layer: Number(m[2]), ...m[3] === void 0 ? {} : { tag: m[3] } };
}
function newBaseId(env, random) {
  const run = /^[0-9]+$/.test(env.GITHUB_RUN_ID ?? "") ? env.GITHUB_RUN_ID : String(Date.now());
  const hex = random();
  if (!/^[0-9a-f]{8}$/.test(hex)) throw new Error("newBaseId: random must give 8 hex digits");
  return `${run}-${hex}`;
}

// src/cachelayers/layered-cache.ts
const { dirname, join: join3 } = require("node:path");
function actionsCacheClient(path, crossOs) {
  const actionsCache = () => import("./cache-S2OC6V3V.js");
  return {
    async lookup(key, restoreKeys) {
      const cache = await actionsCache();
      return await cache.restoreCache([path], key, restoreKeys, { lookupOnly: true }, crossOs);
    },
    async restore(key, prefix) {
      const cache = await actionsCache();
      const matched = await cache.restoreCache([path], key, prefix ? [prefix] : [], {}, crossOs);
      if (matched === key) return key;
      return prefix && matched?.startsWith(prefix) ? matched : void 0;
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
async function restoreChain(client, family, options = {}) {
  const newest = await client.lookup(family, [family]);
  options.onNewest?.(newest);
  if (newest === void 0) return { restoredKeys: [] };
  const parsed = parseLayerKey(family, newest);
  if (!parsed) return { restoredKeys: [], note: `ignored an entry with an unknown key: ${newest}` };
  const restoreLayer = (layer) => restoreOneLayer(client, family, { ...parsed, key: newest }, layer);
  if (options.concurrent) return await restoreLayersConcurrently(restoreLayer, family, parsed);
  const requests = [];
  for (let layer = 0; layer <= parsed.layer; layer++)
    requests.push(layerRequest(family, { ...parsed, key: newest }, layer));
  const dropPrefetched = client.prefetch?.(requests);
  try {
    const restoredKeys = [];
    for (let layer = 0; layer <= parsed.layer; layer++) {
      const key = layerKey(family, parsed.baseId, layer);
      const got = await restoreLayer(layer);
      if (got === void 0) {
        if (layer === 0) return { restoredKeys, note: `the base ${key} is gone (evicted): starting cold` };
        return {
          chain: { baseId: parsed.baseId, count: layer, complete: false },
          restoredKeys,
          note: `layer ${key} is gone (evicted): restored the chain up to layer ${layer - 1}`
        };
      }
      restoredKeys.push(got);
    }
    return { chain: { baseId: parsed.baseId, count: parsed.layer + 1, complete: true }, restoredKeys };
  } finally {
    dropPrefetched?.();
  }
}
async function restoreOneLayer(client, family, newest, layer) {
  const { key, prefix } = layerRequest(family, newest, layer);
  return await client.restore(key, prefix);
}
function layerRequest(family, newest, layer) {
  if (layer === newest.layer) return { key: newest.key };
  if (newest.tag === void 0) return { key: layerKey(family, newest.baseId, layer) };
  const prefix = layerPrefix(family, newest.baseId, layer);
  return { key: prefix, prefix };
}
async function restoreLayersConcurrently(restoreLayer, family, newest) {
  const keys = [];
  for (let layer = 0; layer <= newest.layer; layer++) keys.push(layerKey(family, newest.baseId, layer));
  const got = await Promise.all(keys.map((_, layer) => restoreLayer(layer)));
  if (got[0] === void 0)
    return {
      restoredKeys: [],
      note: `the base ${keys[0]} is gone (evicted): starting cold`,
      strayLayers: got.some((g) => g !== void 0)
    };
  const missing = got.indexOf(void 0);
  const restoredKeys = got.map((key, layer) => key ?? keys[layer]);
  if (missing === -1)
    return { chain: { baseId: newest.baseId, count: keys.length, complete: true }, restoredKeys };
  return {
    chain: { baseId: newest.baseId, count: missing, complete: false },
    restoredKeys: restoredKeys.slice(0, missing),
    note: `layer ${keys[missing]} is gone (evicted): restored the chain up to layer ${missing - 1}`
  };
}
async function confirmLayerBase(client, family, baseId, plan, options = {}) {
  if (plan.kind !== "layer" || baseId === void 0) return plan;
  const stored = await (options.baseStored ?? baseStillStored(client, family, baseId, options));
  return stored ? plan : { kind: "base", reason: "chain-broken" };
}
async function baseStillStored(client, family, baseId, options = {}) {
  if (options.tagged) {
    const prefix = layerPrefix(family, baseId, 0);
    const found = await client.lookup(prefix, [prefix]).catch(() => prefix);
    return found?.startsWith(prefix) === true;
  }
  const base = layerKey(family, baseId, 0);
  return await client.lookup(base, []).catch(() => base) === base;
}
var LINKS_AT_ONCE = 32;
async function saveFilesOnly(client, dir, files, key) {
  const aside = `${dir}.goproxy-action-full`;
  await rm(aside, { recursive: true, force: true });
  await rename(dir, aside);
  try {
    await mkdir(dir, { recursive: true });
    await linkFiles(aside, dir, [...files]);
    return await client.save(key);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rename(aside, dir);
  }
}
async function linkFiles(from, to, files) {
  const dirs = /* @__PURE__ */ new Set();
  for (const file of files) {
    for (let d = dirname(file); d !== "." && d !== "/" && !dirs.has(d); d = dirname(d)) dirs.add(d);
  }
  const depth = (d) => d.split("/").length;
  const sorted = [...dirs].sort((a, b) => depth(a) - depth(b));
  for (let i = 0; i < sorted.length; ) {
    let end = i;
    while (end < sorted.length && depth(sorted[end]) === depth(sorted[i])) end++;
    await eachLimited(sorted.slice(i, end), LINKS_AT_ONCE, (d) => mkdir(join3(to, d)).catch(ignoreExists));
    i = end;
  }
  await eachLimited(
    files,
    LINKS_AT_ONCE,
    (file) => link(join3(from, file), join3(to, file)).catch(() => copyFile(join3(from, file), join3(to, file)))
  );
}
function ignoreExists(err) {
  if (err.code !== "EEXIST") throw err;
}

// src/cachelayers/save-plan.ts
function planSave(input) {
  if (input.addedFiles === 0) return { kind: "skip", reason: "nothing-new" };
  if (!input.chain) return { kind: "base", reason: "cold" };
  if (input.addedBytes < input.minAddedBytes) return { kind: "skip", reason: "below-threshold" };
  if (!input.chain.complete) return { kind: "base", reason: "chain-broken" };
  if (input.chain.count > (input.maxLayers ?? MAX_LAYERS)) return { kind: "base", reason: "layers-full" };
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

// src/github/streamed-restore.ts
const { resolve: resolve2 } = require("node:path");
const { PassThrough, pipeline } = require("node:stream");

// src/net/node-http.ts
import { createRequire } from "node:module";
var require2 = createRequire(import.meta.url);
var { createServer, request: httpRequest } = require2("node:http");
function loadHttpsRequest() {
  return require2("node:https").request;
}

// src/github/cache-download-url.ts
var METHOD_PATH = "/twirp/github.actions.results.api.v1.CacheService/GetCacheEntryDownloadURL";
var TIMEOUT_MS = 3e4;
var MAX_ANSWER_BYTES = 64 * 1024;
function acceptableUrl(url) {
  if (url.protocol === "https:") return true;
  if (url.protocol !== "http:") return false;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
function sendRequest(url, options) {
  const send = url.protocol === "https:" ? loadHttpsRequest() : httpRequest;
  return new Promise((resolve3, reject) => {
    const req = send(
      url,
      { method: options.method, headers: options.headers, signal: options.signal },
      resolve3
    );
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on("error", reject);
    req.end(options.body);
  });
}
async function readLimited(res) {
  const chunks = [];
  let size = 0;
  for await (const chunk of res) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) {
      res.destroy();
      return void 0;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
function field(body, proto, json) {
  return body[proto] ?? body[json];
}
async function getCacheEntryDownloadUrl(service, request) {
  const url = new URL(METHOD_PATH, service.baseUrl);
  if (!acceptableUrl(url))
    return { kind: "unexpected", why: "the cache service URL is neither https nor loopback" };
  const body = JSON.stringify({
    key: request.key,
    ...request.restoreKeys.length > 0 ? { restore_keys: request.restoreKeys } : {},
    version: request.version
  });
  let text;
  let status = 0;
  try {
    const res = await sendRequest(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${service.runtimeToken}`,
        "user-agent": "goproxy-action"
      },
      body
    });
    status = res.statusCode ?? 0;
    text = await readLimited(res);
  } catch (err) {
    return { kind: "unexpected", why: `GetCacheEntryDownloadURL failed: ${err.message}` };
  }
  if (status < 200 || status > 299)
    return { kind: "unexpected", why: `GetCacheEntryDownloadURL answered ${status}` };
  let answer;
  try {
    answer = JSON.parse(text ?? "");
  } catch {
    return { kind: "unexpected", why: "GetCacheEntryDownloadURL answered with a body that is not JSON" };
  }
  if (typeof answer !== "object" || answer === null)
    return { kind: "unexpected", why: "answer not an object" };
  const ok = answer.ok;
  if (ok === false || ok === void 0) return { kind: "miss" };
  const matchedKey = field(answer, "matched_key", "matchedKey");
  const signed = field(answer, "signed_download_url", "signedDownloadUrl");
  if (ok !== true || typeof matchedKey !== "string" || matchedKey === "" || typeof signed !== "string")
    return { kind: "unexpected", why: "GetCacheEntryDownloadURL answered without a key or URL" };
  let parsed;
  try {
    parsed = new URL(signed);
  } catch {
    return { kind: "unexpected", why: "GetCacheEntryDownloadURL answered a URL that does not parse" };
  }
  if (!acceptableUrl(parsed))
    return {
      kind: "refused",
      why: `the download URL is ${parsed.protocol}//${parsed.host}, neither https nor loopback`
    };
  return { kind: "hit", matchedKey, url: parsed };
}

// src/github/cache-entry-version.ts
const { execFile } = require("node:child_process");
var VERSION_SALT = "1.0";
function cacheEntryVersion(paths, compression, crossOs, platform = process.platform) {
  const parts = [...paths, compression];
  if (platform === "win32" && !crossOs) parts.push("windows-only");
  parts.push(VERSION_SALT);
  return createHash("sha256").update(parts.join("|")).digest("hex");
}
var probed;
function compressionMethod() {
  probed ??= new Promise((resolve3) => {
    execFile("zstd", ["--quiet", "--version"], (_err, stdout, stderr) => {
      resolve3(`${stdout}${stderr}`.trim() === "" ? "gzip" : "zstd-without-long");
    });
  });
  return probed;
}

// src/github/streamed-extract.ts
const { spawn } = require("node:child_process");
const { once } = require("node:events");
const { dirname: dirname2, isAbsolute, relative, resolve, sep } = require("node:path");
var STALL_MS = 6e4;
function extractArgs(workingDirectory) {
  return ["-xf", "-", "-P", "-C", workingDirectory, "--use-compress-program", "unzstd"];
}
function unescapeTarName(line) {
  const out = [];
  const simple = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92, "?": 63 };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c !== 92 || i + 1 >= line.length) {
      out.push(c);
      continue;
    }
    const next = String.fromCharCode(line[i + 1]);
    const octal = /^[0-7]{3}$/.exec(line.subarray(i + 1, i + 4).toString("latin1"));
    if (octal) {
      out.push(Number.parseInt(octal[0], 8));
      i += 3;
    } else if (next in simple) {
      out.push(simple[next]);
      i += 1;
    } else out.push(c);
  }
  return Buffer.from(out).toString("utf8");
}
function inside(parent, child) {
  const rel = relative(parent, child);
  return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
}
async function removeOne(path, directory) {
  const remove = () => directory ? rmdir(path) : rm(path, { force: true });
  try {
    await remove();
    return true;
  } catch (err) {
    const code = err.code;
    if (code !== "EACCES" && code !== "EPERM") return false;
  }
  try {
    await chmod(dirname2(path), 493);
    await remove();
    return true;
  } catch {
    return false;
  }
}
async function removeBegun(lines, workingDirectory, cachePath) {
  const root = resolve(workingDirectory, cachePath);
  const realRoot = await realpath(root).catch(() => root);
  const files = [];
  const dirs = [];
  for (const line of lines) {
    if (line.length === 0) continue;
    const name = unescapeTarName(line);
    const path = resolve(workingDirectory, name);
    if (!inside(root, path)) continue;
    (name.endsWith("/") ? dirs : files).push(path);
  }
  let removed = 0;
  const parentInside = async (path) => {
    const real = await realpath(dirname2(path)).catch(() => void 0);
    return real !== void 0 && (real === realRoot || inside(realRoot, real));
  };
  for (const path of files) if (await parentInside(path) && await removeOne(path, false)) removed++;
  dirs.sort((a, b) => b.length - a.length);
  for (const path of dirs) if (await parentInside(path)) await removeOne(path, true);
  return removed;
}
async function extractStream(source, options) {
  await mkdir(options.workingDirectory, { recursive: true });
  const tar = spawn("tar", [...extractArgs(options.workingDirectory), "-v", "--quoting-style=escape"], {
    stdio: ["pipe", "pipe", "pipe"]
  });
  const exited = new Promise((done) => {
    tar.once("error", (error2) => done({ code: null, error: error2 }));
    tar.once("close", (code2) => done({ code: code2 }));
  });
  let pending = Buffer.alloc(0);
  const lines = [];
  tar.stdout.on("data", (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    let nl = pending.indexOf(10);
    while (nl !== -1) {
      lines.push(pending.subarray(0, nl));
      pending = pending.subarray(nl + 1);
      nl = pending.indexOf(10);
    }
  });
  let stderr = "";
  tar.stderr.on("data", (d) => {
    stderr = (stderr + d.toString()).slice(-1e3);
  });
  tar.stdin.on("error", () => void 0);
  let bytes = 0;
  let failure;
  let tarGone = false;
  let stall;
  const arm = () => {
    stall = setTimeout(() => source.destroy(new Error(`no data for ${STALL_MS / 1e3} s`)), STALL_MS);
  };
  try {
    arm();
    for await (const chunk of source) {
      clearTimeout(stall);
      bytes += chunk.length;
      tarGone = tar.exitCode !== null || tar.stdin.destroyed;
      if (tarGone) break;
      if (!tar.stdin.write(chunk)) {
        const drained = once(tar.stdin, "drain").then(() => true);
        const closed = exited.then(() => false);
        tarGone = !await Promise.race([drained, closed]);
        if (tarGone) break;
      }
      arm();
    }
  } catch (err) {
    failure = `the download failed: ${err.message}`;
  } finally {
    clearTimeout(stall);
  }
  if (failure === void 0 && !tarGone && options.expectedBytes !== void 0 && bytes !== options.expectedBytes)
    failure = `the download ended after ${bytes} of ${options.expectedBytes} bytes`;
  if (failure !== void 0) {
    source.destroy();
    tar.stdin.destroy();
  } else tar.stdin.end();
  const { code, error } = await exited;
  if (failure === void 0 && error) failure = `tar did not run: ${error.message}`;
  if (failure === void 0 && (code !== 0 || tarGone))
    failure = `tar exited with status ${code}: ${stderr.trim().split("\n").slice(-2).join(" / ")}`;
  if (pending.length > 0) lines.push(pending);
  if (failure === void 0) return { ok: true, bytes };
  const removed = await removeBegun(lines, options.workingDirectory, options.cachePath);
  return { ok: false, why: failure, removed };
}

// src/github/streamed-restore.ts
var PREFETCH_BUFFER_BYTES = 8 << 20;
function onGhes(env) {
  try {
    return isGhes(env);
  } catch {
    return true;
  }
}
async function availability(env) {
  if (onGhes(env)) return { ok: false, why: "GitHub Enterprise Server (the legacy cache service)" };
  if (!env.ACTIONS_CACHE_SERVICE_V2)
    return { ok: false, why: "the legacy cache service (no ACTIONS_CACHE_SERVICE_V2)" };
  if (!env.ACTIONS_RESULTS_URL || !env.ACTIONS_RUNTIME_TOKEN)
    return { ok: false, why: "no ACTIONS_RESULTS_URL or ACTIONS_RUNTIME_TOKEN" };
  if (!cacheAccess(env).read) return { ok: false, why: `the cache mode ${cacheAccess(env).mode}` };
  if (process.platform !== "linux") return { ok: false, why: `${process.platform}, not Linux` };
  if (await compressionMethod() !== "zstd-without-long")
    return { ok: false, why: "no zstd (gzip archives)" };
  return {
    ok: true,
    service: { baseUrl: env.ACTIONS_RESULTS_URL, runtimeToken: env.ACTIONS_RUNTIME_TOKEN },
    workingDirectory: env.GITHUB_WORKSPACE ?? process.cwd()
  };
}
var toldOnce = /* @__PURE__ */ new Set();
function tellFallback(why) {
  if (toldOnce.has(why)) return;
  toldOnce.add(why);
  info(`Cache restore: @actions/cache's own restore (not streamed: ${why})`);
}
async function prepare(ready, version, request, buffered, signal) {
  const answer = await getCacheEntryDownloadUrl(ready.service, {
    key: request.key,
    restoreKeys: request.prefix ? [request.prefix] : [],
    version
  });
  if (answer.kind === "miss") return { kind: "miss" };
  if (answer.kind === "unexpected") return { kind: "fallback", why: answer.why };
  if (answer.kind === "refused") return answer;
  const wanted = request.prefix ? answer.matchedKey.startsWith(request.prefix) : answer.matchedKey === request.key;
  if (!wanted) return { kind: "miss" };
  let res;
  try {
    res = await sendRequest(answer.url, {
      method: "GET",
      headers: { "user-agent": "goproxy-action" },
      signal
    });
  } catch (err) {
    if (signal.aborted) return { kind: "miss" };
    return { kind: "fallback", why: `the download did not start: ${err.message}` };
  }
  if (res.statusCode !== 200) {
    res.resume();
    return { kind: "fallback", why: `the download answered ${res.statusCode}` };
  }
  const length = Number(res.headers["content-length"]);
  const expectedBytes = Number.isSafeInteger(length) && length >= 0 ? length : void 0;
  if (!buffered) return { kind: "body", matchedKey: answer.matchedKey, body: res, expectedBytes };
  const spool = new PassThrough({ highWaterMark: PREFETCH_BUFFER_BYTES });
  pipeline(res, spool, () => void 0);
  return { kind: "body", matchedKey: answer.matchedKey, body: spool, expectedBytes };
}
function keysAsActionsCacheTakes(keys) {
  return keys.length <= 10 && keys.every((k) => k.length <= 512 && !k.includes(","));
}
function requestId(key, prefix) {
  return `${key}
${prefix ?? ""}`;
}
function withStreamedRestore(client, path, crossOs, env = process.env) {
  let available;
  const ready = () => available ??= availability(env);
  const versionFor = async () => cacheEntryVersion([path], await compressionMethod(), crossOs);
  const prefetched = /* @__PURE__ */ new Map();
  const start = (request, buffered) => {
    const abort = new AbortController();
    const prepared = (async () => {
      const can = await ready();
      if (!can.ok) return { kind: "fallback", why: can.why };
      return await prepare(can, await versionFor(), request, buffered, abort.signal);
    })().catch((err) => ({ kind: "fallback", why: err.message }));
    return { prepared, abort };
  };
  return {
    ...client,
    // The v2 lookup is the same GetCacheEntryDownloadURL call, its URL unused: asked here, the
    // main step needs no @actions/cache (1.6 MB to load) before its first restore begins.
    async lookup(key, restoreKeys) {
      const can = await ready();
      if (!can.ok || !keysAsActionsCacheTakes([key, ...restoreKeys]))
        return await client.lookup(key, restoreKeys);
      const answer = await getCacheEntryDownloadUrl(can.service, {
        key,
        restoreKeys,
        version: await versionFor()
      }).catch((err) => ({ kind: "unexpected", why: err.message }));
      if (answer.kind === "miss") return void 0;
      if (answer.kind === "hit") return answer.matchedKey;
      return await client.lookup(key, restoreKeys);
    },
    prefetch(entries) {
      for (const entry of entries) {
        const id = requestId(entry.key, entry.prefix);
        if (!prefetched.has(id)) prefetched.set(id, start(entry, true));
      }
      return () => {
        for (const { prepared, abort } of prefetched.values()) {
          abort.abort();
          prepared.then((p) => p.kind === "body" && p.body.destroy()).catch(() => void 0);
        }
        prefetched.clear();
      };
    },
    async restore(key, prefix) {
      const id = requestId(key, prefix);
      const pending = prefetched.get(id) ?? start({ key, prefix }, false);
      prefetched.delete(id);
      const prepared = await pending.prepared;
      if (prepared.kind === "fallback") {
        const can2 = await ready();
        if (can2.ok) info(`Cache restore of ${key}: @actions/cache's own restore (${prepared.why})`);
        else tellFallback(prepared.why);
        return await client.restore(key, prefix);
      }
      if (prepared.kind === "miss") return void 0;
      if (prepared.kind === "refused") {
        warning(`Cache restore of ${key} refused: ${prepared.why}; restored as a miss`);
        return void 0;
      }
      const can = await ready();
      if (!can.ok) return void 0;
      const started = Date.now();
      const result = await extractStream(prepared.body, {
        workingDirectory: can.workingDirectory,
        cachePath: resolve2(can.workingDirectory, path),
        expectedBytes: prepared.expectedBytes
      });
      if (!result.ok) {
        warning(
          `Cache restore of ${prepared.matchedKey} failed (${result.why}): removed the ${result.removed} files it had begun; restored as a miss`
        );
        return void 0;
      }
      info(
        `Cache hit for: ${prepared.matchedKey}, ${(result.bytes / 1048576).toFixed(1)} MiB streamed into tar in ${Date.now() - started} ms`
      );
      return prepared.matchedKey;
    }
  };
}
function streamedCacheClient(path, crossOs) {
  return withStreamedRestore(actionsCacheClient(path, crossOs), path, crossOs);
}

// src/github/build-cache-step.ts
var BUILD_CACHE_PATH = ".goproxy-action/gocache";
var MIN_BUILD_CACHE_LAYER_BYTES = 256 * 1024;
var MAX_BUILD_CACHE_LAYERS = 8;
var AGE_FRESH_MS = AGE_BACK_MS * 3 / 4;
async function restoreBuildCache(options) {
  const dir = join4(options.workspace, ".goproxy-action", "gocache");
  await mkdir(dir, { recursive: true });
  await writeFile(join4(options.workspace, ".goproxy-action", ".gitignore"), "*\n");
  const started = Date.now();
  let restored = { restoredKeys: [] };
  if (options.enabled && options.canRestore)
    restored = await restoreChain(options.client, options.family, { concurrent: true });
  if (await unlinkLinksOnPath(options.workspace, ".goproxy-action/gocache"))
    await mkdir(dir, { recursive: true });
  if (restored.strayLayers) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
  }
  const restoreMs = Date.now() - started;
  const listing = await listBuildCache(dir);
  const now = Date.now();
  const fresh = new Map([...listing].filter(([, entry]) => entry.mtimeMs > now - AGE_FRESH_MS));
  await ageEntries(dir, fresh, new Date(now - AGE_BACK_MS));
  const listingFile = join4(options.stateDir, "restored-gocache.json");
  await writeFile(listingFile, JSON.stringify([...listing.keys()]));
  const prepareMs = Date.now() - started - restoreMs;
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
    prepareMs,
    agedEntries: fresh.size,
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
  let listing;
  let baseStored;
  if (state.enabled && state.chain) {
    const added = await listBuildCache(state.dir, (key) => !restored.has(key));
    let addedBytes = 0;
    for (const entry of added.values()) addedBytes += entry.bytes;
    if (addedBytes < MIN_BUILD_CACHE_LAYER_BYTES)
      return {
        enabled: state.enabled,
        restoredKeys: state.restoredKeys,
        restoreMs: state.restoreMs,
        restoredEntries: state.restoredEntries,
        restoredBytes: state.restoredBytes,
        addedEntries: added.size,
        addedBytes,
        prunedEntries: 0,
        prunedBytes: 0,
        save: added.size === 0 ? "nothing-new" : "below-threshold",
        note: state.note
      };
    const mayLayer = state.chain.complete && state.chain.count <= MAX_BUILD_CACHE_LAYERS && state.writable;
    if (mayLayer) {
      baseStored = baseStillStored(client, state.family, state.chain.baseId);
      baseStored.catch(() => void 0);
    }
    listing = new Map([...added, ...await listBuildCache(state.dir, (key) => restored.has(key))]);
  } else {
    listing = await listBuildCache(state.dir);
  }
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
  const plan = await confirmLayerBase(
    client,
    state.family,
    state.chain?.baseId,
    planSave({
      chain: state.chain,
      addedFiles: usage.added.length,
      addedBytes: usage.addedBytes,
      unusedBytes: usage.unusedBytes,
      restoredBytes: state.restoredBytes,
      minAddedBytes: MIN_BUILD_CACHE_LAYER_BYTES,
      maxLayers: MAX_BUILD_CACHE_LAYERS
    }),
    baseStored ? { baseStored } : {}
  );
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
    const kept = await pruneToUsed(state.dir, usage);
    report.prunedEntries = kept.unused.length;
    report.prunedBytes = kept.unusedBytes;
    report.partnerEntries = kept.partners.length;
    const removed = new Set(kept.unused);
    await ageEntries(
      state.dir,
      new Map([...listing].filter(([path]) => !removed.has(path))),
      new Date(Date.now() - AGE_BACK_MS)
    );
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
    const added = new Set(usage.added);
    await ageEntries(
      state.dir,
      new Map([...listing].filter(([path]) => added.has(path))),
      new Date(Date.now() - AGE_BACK_MS)
    );
    const files = await entryFiles(state.dir, listing, usage.added);
    const ok = await saveFilesOnly(client, state.dir, files, key);
    report.save = ok ? "saved-layer" : "refused";
    if (ok) report.savedKey = key;
  }
  report.saveMs = Date.now() - started;
  return report;
}
async function setupBuildCache(ctx) {
  if (!cacheFeatureAvailable(ctx.env)) {
    info("No cache service in this job: the Go build cache is not carried between runs.");
    return void 0;
  }
  const access = cacheAccess(ctx.env);
  const state = await restoreBuildCache({
    workspace: ctx.workspace,
    stateDir: ctx.stateDir,
    family: buildCacheFamilyFromGo(await ctx.goEnv),
    client: streamedCacheClient(BUILD_CACHE_PATH, false),
    enabled: true,
    canRestore: access.read,
    writable: access.write
  });
  if (state.note) info(`Build cache: ${state.note}`);
  info(
    `Build cache restore: ${state.restoredKeys.length === 0 ? "none" : state.restoredKeys.join(" + ")}, ${state.restoredEntries} entries, ${formatBytes(state.restoredBytes)}, ${state.restoreMs} ms, listed and aged in ${state.prepareMs} ms (${state.agedEntries ?? 0} set back)`
  );
  return state;
}
async function finishBuildCache(state, env) {
  return await saveBuildCache(state, actionsCacheClient(BUILD_CACHE_PATH, false), env);
}
function buildCacheLines(report) {
  const lines = [
    `build cache restore: ${report.restoredKeys.length} entries of the chain in ${report.restoreMs} ms (${report.restoredEntries} cache entries, ${formatBytes(report.restoredBytes)})`,
    `build cache use: ${report.usedEntries === void 0 ? "restored entries not counted (nothing to save), " : `${report.usedEntries} restored entries used, `}${report.addedEntries} added (${formatBytes(report.addedBytes)})`
  ];
  if (report.prunedEntries > 0)
    lines.push(
      `build cache prune: ${report.prunedEntries} unused entries (${formatBytes(report.prunedBytes)}), ${report.partnerEntries ?? 0} kept as partners of used outputs`
    );
  lines.push(
    report.savedKey ? `build cache save: ${report.save} ${report.savedKey} in ${report.saveMs ?? 0} ms` : `build cache save: skipped (${report.save})`
  );
  return lines;
}

// src/github/mod-tree-step.ts
const { dirname: dirname3, join: join8 } = require("node:path");

// src/modtree/mod-tree.ts
const { join: join5 } = require("node:path");
var TREE_MARKER = "cache/goproxy-action-tree.json";
var DOWNLOAD = "cache/download";
function zipsOfModules(storePaths, modules) {
  const wanted = new Set(modules);
  for (const path of storePaths) {
    const m = /^(.+)\/@v\/([^/]+)\.zip$/.exec(path);
    if (m && wanted.has(`${m[1]}@${m[2]}`)) return true;
  }
  return false;
}
function carried(name) {
  return !/\.(zip|lock|partial|tmp)$/.test(name) && !name.includes(".tmp-");
}
async function listTree(gomodcache) {
  const meta = /* @__PURE__ */ new Map();
  const modules = [];
  const root = join5(gomodcache, DOWNLOAD);
  await unlinkLinksOnPath(gomodcache, DOWNLOAD);
  for (const entry of await walkNoFollow(root)) {
    const link2 = entry.isSymbolicLink();
    if (link2) await unlink(join5(entry.parentPath, entry.name)).catch(() => {
    });
    if (link2 ? !entry.name.endsWith(".ziphash") : !entry.isFile() || !carried(entry.name)) continue;
    const rel = `${DOWNLOAD}/${join5(entry.parentPath, entry.name).slice(root.length + 1).split("\\").join("/")}`;
    if (rel.startsWith(`${DOWNLOAD}/sumdb/`)) continue;
    if (!link2) meta.set(rel, entry.name === "list" ? (await lstat(join5(gomodcache, rel))).size : 0);
    const m = /^cache\/download\/(.+)\/@v\/([^/]+)\.ziphash$/.exec(rel);
    if (!m) continue;
    try {
      modules.push({
        path: unescapePath(m[1]),
        version: unescapeVersion(m[2]),
        dir: `${m[1]}@${m[2]}`,
        ziphash: rel
      });
    } catch {
    }
  }
  return { meta, modules };
}
async function makeWritable(dir) {
  try {
    await chmod(dir, 493);
    for (const entry of await walkNoFollow(dir)) {
      if (entry.isDirectory()) await chmod(join5(entry.parentPath, entry.name), 493);
    }
  } catch (err) {
    if (err.code !== "ENOENT") throw err;
  }
}
async function removeModule(gomodcache, mod) {
  await unlinkLinksOnPath(gomodcache, mod.dir);
  await unlinkLinksOnPath(gomodcache, mod.ziphash);
  await makeWritable(join5(gomodcache, mod.dir));
  await rm(join5(gomodcache, mod.dir), { recursive: true, force: true });
  await rm(join5(gomodcache, mod.ziphash), { force: true });
  await rm(join5(gomodcache, mod.ziphash.replace(/\.ziphash$/, ".zip")), { force: true });
}
var CHECK_CONCURRENCY = 16;
async function checkTreeAgainstGoSum(gomodcache, modules, sums) {
  const check = { kept: [], pruned: [], mismatched: [] };
  const verdicts = new Array(modules.length);
  await eachLimited([...modules.keys()], CHECK_CONCURRENCY, async (i) => {
    const mod = modules[i];
    const recorded = sums.zipHash(mod.path, mod.version);
    if (recorded.length === 0) {
      verdicts[i] = check.pruned;
      return;
    }
    const linked = await unlinkLinksOnPath(gomodcache, mod.dir) || await unlinkLinksOnPath(gomodcache, mod.ziphash);
    const hash = linked ? "" : (await readFile(join5(gomodcache, mod.ziphash), "utf8").catch(() => "")).trim();
    verdicts[i] = recorded.includes(hash) ? check.kept : check.mismatched;
  });
  for (const [i, mod] of modules.entries()) verdicts[i].push(mod);
  for (const mod of [...check.pruned, ...check.mismatched]) await removeModule(gomodcache, mod);
  return check;
}
async function moduleFiles(gomodcache, modules) {
  const files = [];
  for (const mod of modules) {
    if (await unlinkLinksOnPath(gomodcache, mod.dir)) continue;
    for (const entry of await walkNoFollow(join5(gomodcache, mod.dir))) {
      if (!entry.isFile()) continue;
      files.push(
        join5(entry.parentPath, entry.name).slice(gomodcache.length + 1).split("\\").join("/")
      );
    }
  }
  return files;
}

// src/modtree/tree-marker.ts
const { join: join6 } = require("node:path");
async function readTreeMarker(gomodcache) {
  try {
    const parsed = JSON.parse(await readFile(join6(gomodcache, TREE_MARKER), "utf8"));
    if (typeof parsed !== "object" || parsed === null) return {};
    const { key, storeWanted } = parsed;
    return {
      ...typeof key === "string" ? { key } : {},
      ...storeWanted === true ? { storeWanted: true } : {}
    };
  } catch {
    return {};
  }
}
function treeMarkerText(marker) {
  return `${JSON.stringify({
    ...marker.key !== void 0 ? { key: marker.key } : {},
    ...marker.storeWanted ? { storeWanted: true } : {}
  })}
`;
}

// src/github/cache-key.ts
const { join: join7 } = require("node:path");

// src/cachelayers/file-contents-hash.ts
function hashFileContents(entries) {
  const lines = [...entries].sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0).map((e) => `${createHash("sha256").update(e.content).digest("hex")}  ${e.path}
`).join("");
  return createHash("sha256").update(lines).digest("hex");
}

// src/github/cache-key.ts
var CACHE_FORMAT_VERSION = "v2";
var CACHE_KEY_PREFIX = `goproxy-action-${CACHE_FORMAT_VERSION}-`;
var EXCLUDED = ["**/node_modules/**", "**/.git/**", ".goproxy-action/**"];
async function matchKeyFiles(workspace, patterns) {
  const found = /* @__PURE__ */ new Set();
  for (const pattern of patterns) {
    for await (const entry of glob(pattern, { cwd: workspace, exclude: EXCLUDED, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const absolute = join7(entry.parentPath, entry.name);
      const relative2 = absolute.slice(workspace.length).replace(/^[\\/]+/, "");
      found.add(relative2.split("\\").join("/"));
    }
  }
  return [...found].sort();
}
function cacheKeyFromHash(hash) {
  return { key: `${CACHE_KEY_PREFIX}${hash}`, restoreKeys: [CACHE_KEY_PREFIX] };
}
async function computeCacheKey(workspace, patterns) {
  const files = await matchKeyFiles(workspace, patterns);
  const entries = await Promise.all(
    files.map(async (path) => ({ path, content: await readFile(join7(workspace, path)) }))
  );
  return { ...cacheKeyFromHash(hashFileContents(entries)), files };
}

// src/github/mod-tree-step.ts
function treeFamily(goos) {
  return `goproxy-action-${CACHE_FORMAT_VERSION}-modtree2-${goos.replace(/[^a-z0-9]/g, "_")}-`;
}
function treeKeyTag(dependencyKey, storeWanted) {
  const digest = createHash("sha256").update(dependencyKey).digest("hex").slice(0, 16);
  return storeWanted ? `${digest}w` : digest;
}
function treeLookup(family, newestKey, dependencyKey) {
  const tag = newestKey === void 0 ? void 0 : parseLayerKey(family, newestKey)?.tag;
  if (tag === void 0) return { sameDependencies: false, storeWanted: false };
  if (tag === treeKeyTag(dependencyKey, false)) return { sameDependencies: true, storeWanted: false };
  if (tag === treeKeyTag(dependencyKey, true)) return { sameDependencies: true, storeWanted: true };
  return { sameDependencies: false, storeWanted: tag.endsWith("w") };
}
function treeCacheClient(gomodcache) {
  return streamedCacheClient(gomodcache, false);
}
async function isEmptyDir(dir) {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    if (err.code === "ENOENT") return true;
    throw err;
  }
}
async function restoreModTree(options) {
  const family = treeFamily(options.goos);
  const started = Date.now();
  const phases = {};
  const mark = (name) => {
    phases[name] = Date.now() - started;
  };
  let restored = { restoredKeys: [] };
  let note;
  let lookedUp = false;
  const sumsLoaded = GoSumIndex.load(options.goSumFiles);
  sumsLoaded.catch(() => void 0);
  if (options.goSumFiles.length === 0)
    note = "no go.sum among the cache-key files: the module tree is not carried";
  else if (!await isEmptyDir(options.gomodcache))
    note = `GOMODCACHE (${options.gomodcache}) is not empty: the runner's own module tree is used as it is`;
  else if (options.canRestore) {
    let layers = 0;
    const client = {
      ...options.client,
      restore: (key, prefix) => options.client.restore(key, prefix).finally(() => mark(`layer${layers++}`))
    };
    restored = await restoreChain(client, family, {
      onNewest: (key) => {
        mark("lookup");
        lookedUp = true;
        options.onLookup?.(treeLookup(family, key, options.dependencyKey));
      }
    });
  }
  if (!lookedUp) options.onLookup?.({ sameDependencies: false, storeWanted: false });
  mark("extracted");
  note ??= restored.note;
  const sums = await sumsLoaded;
  const before = await listTree(options.gomodcache);
  mark("listed");
  const check = restored.restoredKeys.length > 0 ? await checkTreeAgainstGoSum(options.gomodcache, before.modules, sums) : { kept: before.modules, pruned: [], mismatched: [] };
  mark("checked");
  const restoreMs = Date.now() - started;
  const after = check.pruned.length === 0 && check.mismatched.length === 0 ? before : await listTree(options.gomodcache);
  const listingFile = join8(options.stateDir, "restored-modtree.json");
  await writeFile(
    listingFile,
    JSON.stringify({ meta: Object.fromEntries(after.meta), modules: after.modules.map((m) => m.dir) })
  );
  let restore = "none";
  let storeWanted = false;
  if (restored.chain) {
    const marker = await readTreeMarker(options.gomodcache);
    storeWanted = marker.storeWanted === true;
    restore = marker.key === options.dependencyKey && restored.chain.complete && check.mismatched.length === 0 ? "exact" : "partial";
  }
  const chain = restored.chain && check.mismatched.length > 0 ? { ...restored.chain, complete: false } : restored.chain;
  mark("done");
  return {
    gomodcache: options.gomodcache,
    family,
    writable: options.writable && options.goSumFiles.length > 0 && note?.startsWith("GOMODCACHE") !== true,
    restore,
    chain,
    restoredKeys: restored.restoredKeys,
    restoreMs,
    kept: check.kept.length,
    pruned: check.pruned.length,
    mismatched: check.mismatched.map((m) => `${m.path}@${m.version}`),
    goSumFiles: options.goSumFiles,
    listingFile,
    ...storeWanted ? { storeWanted } : {},
    phases,
    note
  };
}
async function saveModTree(state, client, dependencyKey, env, storeWantedNow = false) {
  const report = {
    restore: state.restore,
    restoredKeys: state.restoredKeys,
    restoreMs: state.restoreMs,
    kept: state.kept,
    pruned: state.pruned,
    mismatched: state.mismatched,
    addedModules: 0,
    addedFiles: 0,
    save: "nothing-new",
    note: state.note
  };
  if (!state.writable) {
    report.save = "read-only";
    return report;
  }
  const restored = JSON.parse(await readFile(state.listingFile, "utf8"));
  const restoredDirs = new Set(restored.modules);
  const now = await listTree(state.gomodcache);
  const sums = await GoSumIndex.load(state.goSumFiles).catch(() => void 0);
  const wanted = now.modules.filter((m) => !sums || sums.zipHash(m.path, m.version).length > 0);
  const added = wanted.filter((m) => !restoredDirs.has(m.dir));
  const addedMeta = [...now.meta].filter(([path, size]) => restored.meta[path] !== size).map(([p]) => p);
  report.addedModules = added.length;
  report.addedFiles = addedMeta.length;
  const storeWanted = state.storeWanted === true || await storeWantedNow;
  const markerChanged = storeWanted && state.storeWanted !== true ? 1 : 0;
  const plan = await confirmLayerBase(
    client,
    state.family,
    state.chain?.baseId,
    planSave({
      chain: state.chain,
      addedFiles: addedMeta.length + markerChanged,
      addedBytes: addedMeta.length + markerChanged,
      // In modules: more than half of the restored tree pruned means a smaller base is due.
      unusedBytes: state.pruned,
      restoredBytes: state.kept + state.pruned,
      minAddedBytes: 1
    }),
    { tagged: true }
  );
  report.plan = plan;
  if (plan.kind === "skip") {
    report.save = plan.reason;
    return report;
  }
  const started = Date.now();
  const marker = join8(state.gomodcache, TREE_MARKER);
  await mkdir(dirname3(marker), { recursive: true });
  await writeFile(marker, treeMarkerText({ key: dependencyKey, storeWanted }));
  const tag = treeKeyTag(dependencyKey, storeWanted);
  const wantedZiphash = new Set(wanted.map((m) => m.ziphash));
  const unwanted = new Set(now.modules.filter((m) => !wantedZiphash.has(m.ziphash)).map((m) => m.ziphash));
  let files;
  let key;
  if (plan.kind === "base") {
    key = layerKey(
      state.family,
      newBaseId(env, () => randomBytes(4).toString("hex")),
      0,
      tag
    );
    files = [
      ...[...now.meta.keys()].filter((p) => !unwanted.has(p)),
      ...await moduleFiles(state.gomodcache, wanted)
    ];
  } else {
    key = layerKey(state.family, state.chain.baseId, plan.layer, tag);
    files = [...addedMeta.filter((p) => !unwanted.has(p)), ...await moduleFiles(state.gomodcache, added)];
  }
  files.push(TREE_MARKER);
  const ok = await saveFilesOnly(client, state.gomodcache, files, key);
  report.save = ok ? plan.kind === "base" ? "saved-base" : "saved-layer" : "refused";
  if (ok) report.savedKey = key;
  report.saveMs = Date.now() - started;
  return report;
}
function workspaceGoSumFiles(workspace, keyFiles) {
  return keyFiles.filter((f) => /(^|\/)go\.(work\.)?sum$/.test(f) && isWorkspaceModuleFile(f)).map((f) => join8(workspace, f));
}
async function setupModTree(ctx) {
  if (!cacheFeatureAvailable(ctx.env)) return void 0;
  const access = cacheAccess(ctx.env);
  const { key, files } = await computeCacheKey(ctx.workspace, ctx.cacheKeyFiles);
  const go = treeGoEnv(await ctx.goEnv);
  const state = await restoreModTree({
    client: treeCacheClient(go.gomodcache),
    gomodcache: go.gomodcache,
    goos: go.goos,
    goSumFiles: workspaceGoSumFiles(ctx.workspace, files),
    dependencyKey: key,
    stateDir: ctx.stateDir,
    canRestore: access.read,
    writable: access.write,
    ...ctx.onLookup ? { onLookup: ctx.onLookup } : {}
  });
  return { ...state, dependencyKey: key };
}
async function treeZipsFetched(storeBlobs, listingFile) {
  const listing = JSON.parse(await readFile(listingFile, "utf8"));
  return zipsOfModules(storeBlobs, Array.isArray(listing.modules) ? listing.modules.map(String) : []);
}
async function finishModTree(state, env, storeWantedNow = false) {
  return await saveModTree(
    state,
    treeCacheClient(state.gomodcache),
    state.dependencyKey ?? "",
    env,
    storeWantedNow
  );
}
var TREE_GO_NAMES = ["GOMODCACHE", "GOOS"];
function treeGoEnv(go) {
  if (!go.GOMODCACHE) throw new Error("go env printed no GOMODCACHE");
  return { gomodcache: go.GOMODCACHE, goos: go.GOOS ?? "unknown" };
}
function modTreeLines(r) {
  const lines = [
    `module tree restore: ${r.restore}${r.restoredKeys.length > 0 ? ` (${r.restoredKeys.join(" + ")})` : ""} in ${r.restoreMs} ms: ${r.kept} modules kept, ${r.pruned} pruned (not in go.sum), ${r.mismatched.length} removed (.ziphash not as go.sum records)`
  ];
  if (r.mismatched.length > 0) lines.push(`module tree removed: ${r.mismatched.join(", ")}`);
  lines.push(
    r.savedKey ? `module tree save: ${r.save} ${r.savedKey} in ${r.saveMs ?? 0} ms (${r.addedModules} new modules)` : `module tree save: skipped (${r.save})`
  );
  return lines;
}

// src/store/store-listing.ts
const { join: join9 } = require("node:path");
async function listStoreBlobs(storeDir) {
  const files = /* @__PURE__ */ new Map();
  let bytes = 0;
  async function walk(dir, prefix) {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (err.code === "ENOENT") return;
      throw err;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const full = join9(dir, entry.name);
      const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) await walk(full, rel);
      else if (entry.isFile()) {
        const { size } = await stat(full);
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
const { dirname: dirname4, join: join11 } = require("node:path");

// src/github/store-location.ts
const { join: join10 } = require("node:path");
var STORE_CACHE_PATH = ".goproxy-action/store";
function storeDirIn(workspace) {
  return join10(workspace, ".goproxy-action", "store");
}
async function prepareStoreDir(workspace) {
  const dir = storeDirIn(workspace);
  await mkdir(dir, { recursive: true });
  await writeFile(join10(workspace, ".goproxy-action", ".gitignore"), "*\n");
  return dir;
}

// src/github/store-layers.ts
var STORE_FAMILY = `goproxy-action-${CACHE_FORMAT_VERSION}-store-`;
var MARKER = ".goproxy-action/cache-entry.json";
function storeCacheClient() {
  return streamedCacheClient(STORE_CACHE_PATH, true);
}
async function restoreStore(client, storeDir, dependencyKey) {
  const result = await restoreChain(client, STORE_FAMILY);
  if (!result.chain) return { restore: "none", restoredKeys: result.restoredKeys, note: result.note };
  const marker = await readFile(join11(storeDir, MARKER), "utf8").catch(() => "{}");
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
  const marker = join11(options.storeDir, MARKER);
  await mkdir(dirname4(marker), { recursive: true });
  await writeFile(marker, `${JSON.stringify({ key: options.dependencyKey })}
`);
  if (plan.kind === "base") {
    const key2 = layerKey(
      STORE_FAMILY,
      newBaseId(options.env, () => randomBytes(4).toString("hex")),
      0
    );
    return await options.client.save(key2) ? key2 : void 0;
  }
  const key = layerKey(STORE_FAMILY, options.chain.baseId, plan.layer);
  const ok = await saveFilesOnly(options.client, options.storeDir, [...options.changed, MARKER], key);
  return ok ? key : void 0;
}

// src/daemon/stop-proxy.ts
async function stopProxy(options) {
  const { target } = options;
  const exitTimeoutMs = options.exitTimeoutMs ?? 3e4;
  let pruned;
  let pruneMs;
  let stats;
  try {
    if (!options.flushed) await flush(target);
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

// src/net/load-undici.ts
var loading = null;
function loadUndici() {
  loading ??= import("./undici-LCMKDQIV.js").then(
    // In the bundle a CommonJS package imported on demand may come as { default: exports }.
    (loaded) => "request" in loaded ? loaded : loaded.default
  );
  return loading;
}

export {
  STATE_NAME,
  parseActionState,
  unlinkLinksOnPath,
  BUILD_CACHE_GO_NAMES,
  parseLayerKey,
  confirmLayerBase,
  formatBytes,
  setupBuildCache,
  finishBuildCache,
  buildCacheLines,
  matchKeyFiles,
  computeCacheKey,
  setupModTree,
  treeZipsFetched,
  finishModTree,
  TREE_GO_NAMES,
  modTreeLines,
  stopProxy,
  listStoreBlobs,
  addedBlobs,
  STORE_CACHE_PATH,
  prepareStoreDir,
  STORE_FAMILY,
  storeCacheClient,
  restoreStore,
  changedBlobs,
  planStoreSave,
  saveStore,
  loadUndici
};
