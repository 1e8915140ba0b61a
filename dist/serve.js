import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  loadPolicy,
  parseGoDuration
} from "./chunks/chunk-GVYVEX6C.js";
import {
  SumdbRequestError,
  asStoreWriteError,
  beginAtomicWrite,
  blobExts,
  bookkeepingDirName,
  checkSafeElement,
  formatVersionList,
  hasOverlongElement,
  immutableCache,
  isBlobExt,
  isDatabaseName,
  isListableVersion,
  isProcessAlive,
  joinInside,
  listFileName,
  maxPathElementBytes,
  parseBlobName,
  parseSumdbRequest,
  parseVerifierKey,
  parseVersionList,
  redactUrlUserinfo,
  removeStaleTempFiles,
  shortLivedCache,
  sumdbDirName,
  sumdbRequestPath,
  textReply,
  versionDirName,
  writeFileAtomic
} from "./chunks/chunk-PVQ3JSCM.js";
import {
  matchPatternList,
  validatePattern
} from "./chunks/chunk-VO74TVMO.js";
import {
  ModulePathError,
  checkImportPath,
  checkModulePath,
  checkPathMajor,
  escapePath,
  escapeVersion,
  hashGoMod,
  splitPathVersion,
  unescapePath,
  unescapeVersion
} from "./chunks/chunk-47GWIEYF.js";
import {
  isCanonicalVersion,
  isValidVersion,
  link,
  lstat,
  mkdir,
  open,
  readFile,
  readdir,
  rename,
  rmdir,
  sortVersions,
  stat,
  unlink
} from "./chunks/chunk-S5FAF34R.js";
import {
  createHash,
  randomBytes
} from "./chunks/chunk-HGDB5JG2.js";
import "./chunks/chunk-BZZXECNI.js";

// src/cli/usage-error.ts
var UsageError = class extends Error {
  name = "UsageError";
};

// src/cli/run-command.ts
async function runCommand(name, load, args) {
  try {
    return await (await load()).run(args);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`goproxy-action ${name}: ${err.message}
`);
      return 2;
    }
    process.stderr.write(`goproxy-action ${name}: ${err instanceof Error ? err.message : String(err)}
`);
    return 1;
  }
}

// src/cli/serve-command.ts
const { renameSync, rmSync, writeFileSync } = require("node:fs");
const { join: join8, resolve: resolve3 } = require("node:path");

// src/daemon/env-lines.ts
function checkEntry(name, value) {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new Error(`'${name}' is not a valid environment variable name`);
  if (/[\r\n\0]/.test(value))
    throw new Error(`the value of ${name} contains a line break or NUL, which cannot be exported`);
}
function shellQuote(value) {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
function renderEnvLines(env, format) {
  const lines = [];
  for (const [name, value] of Object.entries(env)) {
    checkEntry(name, value);
    if (value === "") continue;
    lines.push(format === "shell" ? `export ${name}=${shellQuote(value)}` : `${name}=${value}`);
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}
`;
}

// src/gomod/find-module-files.ts
const { join } = require("node:path");
var skippedDirs = /* @__PURE__ */ new Set(["node_modules", "vendor", "testdata", "dist"]);
function isSkippedDir(name) {
  return skippedDirs.has(name) || name.startsWith(".") || name.startsWith("_");
}
var moduleFileNames = ["go.mod", "go.work", "go.sum"];
async function findModuleFiles(root, names = moduleFileNames, maxDepth = 12) {
  const wanted = new Set(names);
  const found = [];
  async function walk(dir, depth) {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isFile() && wanted.has(entry.name)) found.push(join(dir, entry.name));
      else if (entry.isDirectory() && depth < maxDepth && !isSkippedDir(entry.name)) {
        await walk(join(dir, entry.name), depth + 1);
      }
    }
  }
  await walk(root, 0);
  return found.sort();
}

// src/gomod/read-go-env.ts
const { promisify } = require("node:util");
async function readGoEnv(names, options = {}) {
  const env = options.env ?? process.env;
  const goBinary = options.goBinary ?? "go";
  const values = {};
  let stdout;
  try {
    const run = promisify((await import("node:child_process")).execFile);
    ({ stdout } = await run(goBinary, ["env", "-json", ...names], { env, maxBuffer: 1 << 20 }));
  } catch (err) {
    const missing = err.code === "ENOENT";
    if (missing && options.whenGoMissing === "environment") {
      for (const name of names) values[name] = env[name] ?? "";
      return values;
    }
    if (!missing && typeof err.stderr === "string") {
      const said = redactUrlUserinfo(err.stderr).trim().split("\n").slice(0, 3).join("; ");
      throw new Error(
        `'${goBinary} env' failed${said ? `: ${said}` : ` (${err.message.split("\n")[0]})`}; fix the setting it names (the job's environment or the go env file, GOENV)`
      );
    }
    const detail = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new Error(
      `could not run '${goBinary} env' (${detail}); install Go first (e.g. actions/setup-go) so the go command is on PATH`
    );
  }
  const parsed = JSON.parse(stdout);
  for (const name of names) values[name] = parsed[name] ?? "";
  return values;
}

// src/policy/goproxy-setting.ts
function goproxySettingError(value) {
  let rest = value;
  let entries = 0;
  while (rest !== "") {
    const at = rest.search(/[,|]/);
    const raw = (at >= 0 ? rest.slice(0, at) : rest).trim();
    rest = at >= 0 ? rest.slice(at + 1) : "";
    if (raw === "") continue;
    entries++;
    if (raw === "off" || raw === "direct") return null;
    let url = raw;
    if (/[.:/]/.test(url) && !url.includes(":/") && !url.startsWith("/")) url = `https://${url}`;
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
    if (scheme === void 0)
      return `'${raw}': invalid proxy URL missing scheme (write a URL such as https://${raw.replace(/^\/+/, "")}, or direct or off)`;
    if (scheme !== "https" && scheme !== "http" && scheme !== "file")
      return `'${raw}': invalid proxy URL scheme (must be https, http, file)`;
    if (!URL.canParse(url)) return `'${raw}': not a valid URL`;
  }
  if (entries === 0) return "the list is empty: give a proxy URL, direct or off";
  return null;
}

// src/policy/client-env.ts
function privatePatternsFrom(...sources) {
  const seen = /* @__PURE__ */ new Set();
  const merged = [];
  for (const source of sources) {
    if (source === void 0) continue;
    const entries = typeof source === "string" ? source.split(",") : source.flatMap((s) => s.split(","));
    for (const raw of entries) {
      const entry = raw.trim();
      if (entry === "" || entry === "none" || entry === "off" || seen.has(entry)) continue;
      seen.add(entry);
      merged.push(entry);
    }
  }
  return merged;
}

// src/policy/job-go-env.ts
var GO_SETTING_NAMES = ["GOPROXY", "GOSUMDB", "GOPRIVATE", "GONOPROXY", "GONOSUMDB"];
function jobPatterns(sources) {
  const env = sources.goEnv;
  const ours = privatePatternsFrom([...sources.inputPrivate ?? []], [...sources.policyPrivate ?? []]);
  const goprivate = env.GOPRIVATE ?? "";
  const gonoproxy = env.GONOPROXY || goprivate;
  const gonosumdb = env.GONOSUMDB || goprivate;
  return {
    patterns: {
      private: privatePatternsFrom(ours, goprivate),
      noProxy: privatePatternsFrom(ours, gonoproxy),
      noSumDb: privatePatternsFrom(ours, gonosumdb)
    },
    gosumdb: env.GOSUMDB ?? "",
    goproxy: (env.GOPROXY ?? "").trim()
  };
}
function checkProxyUrl(proxyUrl) {
  let url;
  try {
    url = new URL(proxyUrl);
  } catch {
    throw new Error(`proxy URL '${proxyUrl}' is not a URL; write it as http://127.0.0.1:PORT`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`proxy URL '${proxyUrl}' must use http or https; write it as http://127.0.0.1:PORT`);
  }
  if (/[,|\s]/.test(proxyUrl)) {
    throw new Error(
      `proxy URL '${proxyUrl}' contains ',', '|' or a space, which GOPROXY reads as list separators; pass one URL`
    );
  }
}
function onlyDirectOrOff(list) {
  return list.split(/[,|]/).map((e) => e.trim()).filter((e) => e !== "").every((e) => e === "direct" || e === "off");
}
function jobGoEnv(sources, target) {
  const job = jobPatterns(sources);
  const { private: priv, noProxy, noSumDb } = job.patterns;
  let goproxy;
  let noProxyThere;
  if (target.kind === "proxy") {
    checkProxyUrl(target.proxyUrl);
    const fallback = target.fallback?.trim() ?? "";
    goproxy = fallback === "" ? target.proxyUrl : `${target.proxyUrl}|${fallback}`;
    noProxyThere = fallback === "" || onlyDirectOrOff(fallback);
  } else {
    goproxy = target.goproxy.trim();
    if (goproxy === "")
      throw new Error("the GOPROXY list is empty; give the proxy URL, e.g. https://goproxy.example.com");
    noProxyThere = target.privateThroughProxy === true;
  }
  let gonoproxy = "";
  if (noProxyThere) {
    if (priv.length > 0 || noProxy.length > 0) gonoproxy = "none";
  } else if (noProxy.length > 0) {
    gonoproxy = noProxy.join(",");
  } else if (priv.length > 0) {
    gonoproxy = "none";
  }
  return {
    GOPROXY: goproxy,
    GONOPROXY: gonoproxy,
    GOPRIVATE: priv.join(","),
    GONOSUMDB: noSumDb.join(","),
    GOSUMDB: job.gosumdb
  };
}

// src/policy/passed-go-settings.ts
var goSettingsEnvName = "GOPROXY_ACTION_GO_SETTINGS";
function passedGoSettings(env) {
  const text = env[goSettingsEnvName];
  if (text === void 0 || text === "") return null;
  const problem = `${goSettingsEnvName} must be a JSON object with the string fields ${GO_SETTING_NAMES.join(", ")} (as go env -json prints them); unset it to have serve run go env`;
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(problem);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(problem);
  const values = {};
  for (const name of GO_SETTING_NAMES) {
    const value = parsed[name];
    if (typeof value !== "string") throw new Error(problem);
    values[name] = value;
  }
  return values;
}

// src/gomod/go-sum.ts
const { readFileSync } = require("node:fs");
var GoSumError = class extends Error {
  file;
  line;
  constructor(file, line, problem) {
    super(`${file}:${line}: malformed go.sum line: ${problem}`);
    this.name = "GoSumError";
    this.file = file;
    this.line = line;
  }
};
var emptyGoModHash = "h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=";
var goSpace = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
var h1Pattern = /^h1:[A-Za-z0-9+/]{43}=$/;
var otherHashPattern = /^[a-z][a-z0-9]*:\S+$/;
function parseGoSum(text, file) {
  const lines = [];
  const reader = new GoSumReader(text, file);
  while (reader.readInto(lines, Number.POSITIVE_INFINITY)) ;
  return lines;
}
var GoSumReader = class {
  #file;
  #rawLines;
  #checkedModules = /* @__PURE__ */ new Set();
  #next = 0;
  constructor(text, file) {
    this.#file = file;
    this.#rawLines = text.split("\n");
    if (this.#rawLines.at(-1) === "") this.#rawLines.pop();
  }
  /** Parses up to `count` more lines into `out`; false once every line is read. */
  readInto(out, count) {
    const end = Math.min(this.#rawLines.length, this.#next + count);
    for (; this.#next < end; this.#next++) {
      const parsed = this.#parseLine(this.#rawLines[this.#next], this.#next + 1);
      if (parsed) out.push(parsed);
    }
    return this.#next < this.#rawLines.length;
  }
  #parseLine(raw, line) {
    const file = this.#file;
    const fields = raw.split(goSpace).filter((f) => f !== "");
    if (fields.length === 0) return null;
    if (fields.length !== 3) {
      throw new GoSumError(
        file,
        line,
        `wrong number of fields ${fields.length}, want 3 ("<module> <version>[/go.mod] h1:<hash>"); fix the line or regenerate go.sum with "go mod tidy"`
      );
    }
    const [module, versionField, hash] = fields;
    if (hash === emptyGoModHash) return null;
    if (!this.#checkedModules.has(module)) {
      try {
        checkImportPath(module);
      } catch (err) {
        if (err instanceof ModulePathError) throw new GoSumError(file, line, err.message);
        throw err;
      }
      this.#checkedModules.add(module);
    }
    const isGoMod = versionField.endsWith("/go.mod");
    const version = isGoMod ? versionField.slice(0, -"/go.mod".length) : versionField;
    if (!isValidVersion(version)) {
      throw new GoSumError(file, line, `invalid version ${JSON.stringify(versionField)} for ${module}`);
    }
    if (hash.startsWith("h1:") ? !h1Pattern.test(hash) : !otherHashPattern.test(hash)) {
      throw new GoSumError(
        file,
        line,
        `invalid hash ${JSON.stringify(hash)} (want "h1:" followed by 44 base64 characters)`
      );
    }
    return { module, version, isGoMod, hash, line, file };
  }
};
async function readGoSumFiles(files) {
  const texts = [];
  for (const file of files) {
    try {
      texts.push({ file, text: readFileSync(file, "utf8") });
    } catch (err) {
      const code = err.code;
      throw new Error(`cannot read go.sum file ${file} (${code ?? String(err)}): check the path given`);
    }
  }
  return texts;
}
function key(module, version) {
  return `${module}@${version}`;
}
var GoSumIndex = class _GoSumIndex {
  #zip = /* @__PURE__ */ new Map();
  #mod = /* @__PURE__ */ new Map();
  static async load(files) {
    return _GoSumIndex.parse(await readGoSumFiles(files));
  }
  /** The index of go.sum texts already read (readGoSumFiles); throws GoSumError on a bad line. */
  static parse(texts) {
    const index = new _GoSumIndex();
    for (const { file, text } of texts) index.add(parseGoSum(text, file));
    return index;
  }
  /**
   * As parse, giving the event loop a turn every few milliseconds: serve parses its go.sum
   * once it is ready, and the requests that come meanwhile (store hits need no go.sum) are
   * answered between the slices instead of after the whole parse (bench/engine-startup.ts).
   * The same index and the same first error as parse.
   */
  static async parseInSlices(texts, sliceMs = 2) {
    const index = new _GoSumIndex();
    for (const { file, text } of texts) {
      const reader = new GoSumReader(text, file);
      const lines = [];
      let sliceStart = performance.now();
      while (reader.readInto(lines, 64)) {
        if (performance.now() - sliceStart < sliceMs) continue;
        await new Promise((resolve4) => setImmediate(resolve4));
        sliceStart = performance.now();
      }
      index.add(lines);
    }
    return index;
  }
  add(lines) {
    for (const l of lines) {
      const map = l.isGoMod ? this.#mod : this.#zip;
      const k = key(l.module, l.version);
      const list = map.get(k);
      if (list) list.push(l);
      else map.set(k, [l]);
    }
  }
  /** Distinct zip hashes recorded for module@version ([] when none). */
  zipHash(module, version) {
    return distinctHashes(this.#zip.get(key(module, version)));
  }
  /** Distinct go.mod hashes recorded for module@version ([] when none). */
  modHash(module, version) {
    return distinctHashes(this.#mod.get(key(module, version)));
  }
  hasZip(module, version) {
    return this.#zip.has(key(module, version));
  }
  hasMod(module, version) {
    return this.#mod.has(key(module, version));
  }
  /** True when any line (zip or go.mod) names module@version. */
  has(module, version) {
    return this.hasZip(module, version) || this.hasMod(module, version);
  }
  /** The lines behind a hash lookup, for error messages that say where a hash came from. */
  lines(module, version, isGoMod) {
    return [...(isGoMod ? this.#mod : this.#zip).get(key(module, version)) ?? []];
  }
  /** Number of distinct module@version entries (zip or go.mod). */
  get size() {
    return (/* @__PURE__ */ new Set([...this.#zip.keys(), ...this.#mod.keys()])).size;
  }
};
function distinctHashes(lines) {
  return [...new Set((lines ?? []).map((l) => l.hash))];
}

// src/store/blob-store.ts
const { constants, mkdirSync } = require("node:fs");
const { dirname: dirname2, join: join5, resolve } = require("node:path");

// src/store/deferred-sync.ts
const { readFileSync: readFileSync2 } = require("node:fs");
const { join: join2 } = require("node:path");
var syncConcurrency = 2;
var batchDelayMs = 20;
var lingerMs = 2e3;
var windowSlackMs = 1e4;
async function storeIdentity(root) {
  const info = await stat(root).catch(() => null);
  return info ? `${info.ino}:${Math.trunc(info.birthtimeMs)}` : null;
}
function currentBootId() {
  try {
    return readFileSync2("/proc/sys/kernel/random/boot_id", "utf8").trim() || null;
  } catch {
    return null;
  }
}
function markerDir(root) {
  return join2(root, ".goproxy-action", "unsynced");
}
var DeferredSync = class {
  #root;
  #dir;
  /** Renamed, not yet fsynced. */
  #pending = /* @__PURE__ */ new Set();
  /** Writes that took the marker and have not yet handed their path over (or given up). */
  #holders = 0;
  /** This epoch's marker (its path once durable); null between epochs. */
  #marker = null;
  #epoch = 0;
  #pass = null;
  #timer = null;
  #linger = null;
  /** A file could not be fsynced: the marker stays for this process's life (recovered at next open). */
  #failed = false;
  constructor(root) {
    this.#root = root;
    this.#dir = markerDir(root);
  }
  /**
   * Call before renaming an unsynced file into place; then `release(path)` once it is renamed
   * (`release(null)` if it was not). Resolves once the marker covering it is durable.
   */
  async hold() {
    this.#holders++;
    if (this.#linger) {
      clearTimeout(this.#linger);
      this.#linger = null;
    }
    try {
      this.#marker ??= this.#createMarker();
      await this.#marker;
    } catch (err) {
      this.#holders--;
      this.#marker = null;
      throw err;
    }
    let released = false;
    return (path) => {
      if (released) return;
      released = true;
      this.#holders--;
      if (path !== null) this.#pending.add(path);
      this.#schedule();
    };
  }
  /** Fsyncs everything renamed so far (and waits for passes under way); ends the epoch if idle. */
  async drain() {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    while (this.#pass || this.#pending.size > 0) await this.#startPass();
    await this.#endEpochIfIdle();
  }
  async #createMarker() {
    const path = join2(this.#dir, `${process.pid}-${++this.#epoch}.json`);
    await mkdir(this.#dir, { recursive: true });
    const marker = {
      pid: process.pid,
      boot: currentBootId(),
      since: Date.now(),
      store: await storeIdentity(this.#root)
    };
    await writeFileAtomic(path, Buffer.from(`${JSON.stringify(marker)}
`));
    await syncDir(this.#dir);
    return path;
  }
  #schedule() {
    if (this.#timer || this.#pass) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#startPass();
    }, batchDelayMs);
    this.#timer.unref();
  }
  /** The pass under way, or a new one; `#pass` is cleared only once it is over. */
  #startPass() {
    if (this.#pass) return this.#pass;
    const pass = (async () => {
      try {
        await this.#syncPending();
      } finally {
        this.#pass = null;
      }
      this.#afterPass();
    })();
    this.#pass = pass;
    return pass;
  }
  async #syncPending() {
    while (this.#pending.size > 0) {
      const batch = [...this.#pending];
      this.#pending.clear();
      let next = 0;
      const worker = async () => {
        while (next < batch.length) {
          const path = batch[next++];
          if (await syncFile(path)) continue;
          if (!await removeIfPresent(path)) this.#failed = true;
        }
      };
      await Promise.all(Array.from({ length: Math.min(syncConcurrency, batch.length) }, worker));
    }
  }
  #afterPass() {
    if (this.#pending.size > 0) {
      this.#schedule();
    } else if (this.#holders === 0) {
      if (this.#linger) clearTimeout(this.#linger);
      this.#linger = setTimeout(() => {
        this.#linger = null;
        void this.#endEpochIfIdle().catch(() => {
        });
      }, lingerMs);
      this.#linger.unref();
    }
  }
  async #endEpochIfIdle() {
    if (this.#holders > 0 || this.#pending.size > 0 || this.#pass || this.#failed || !this.#marker) return;
    if (this.#linger) {
      clearTimeout(this.#linger);
      this.#linger = null;
    }
    const marker = this.#marker;
    this.#marker = null;
    await unlink(await marker).catch(() => {
    });
  }
};
async function syncFile(path) {
  try {
    const handle = await open(path, "r");
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (err) {
    return err.code === "ENOENT";
  }
}
async function removeIfPresent(path) {
  try {
    await unlink(path);
    return true;
  } catch (err) {
    return err.code === "ENOENT";
  }
}
async function syncDir(dir) {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
async function staleMarkers(root) {
  const dir = markerDir(root);
  let names;
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const boot = currentBootId();
  const stale = [];
  for (const name of names) {
    if (!name.endsWith(".json")) continue;
    const path = join2(dir, name);
    const marker = await readMarker(path);
    const pid = marker?.pid ?? Number.parseInt(name, 10);
    const sameBoot = marker !== null && boot !== null && marker.boot === boot;
    if (sameBoot && Number.isSafeInteger(pid) && pid > 0 && isProcessAlive(pid)) continue;
    stale.push({ path, marker });
  }
  return stale;
}
async function readMarker(path) {
  try {
    const parsed = JSON.parse(await readFile(path, "utf8"));
    if (typeof parsed.pid !== "number" || typeof parsed.since !== "number") return null;
    return {
      pid: parsed.pid,
      since: parsed.since,
      store: typeof parsed.store === "string" ? parsed.store : null,
      boot: typeof parsed.boot === "string" ? parsed.boot : null
    };
  } catch {
    return null;
  }
}
async function mtimeOf(path) {
  const info = await stat(path).catch(() => null);
  return info?.isFile() ? info.mtimeMs : null;
}

// src/store/file-lock.ts
const { hostname } = require("node:os");
const { dirname } = require("node:path");
const { setTimeout: sleep } = require("node:timers/promises");
var defaultFileLockOptions = { staleLockMs: 3e4, timeoutMs: 12e4 };
function parseHolder(text) {
  try {
    const value = JSON.parse(text);
    if (typeof value.host === "string" && typeof value.pid === "number" && typeof value.nonce === "string")
      return value;
  } catch {
  }
  return null;
}
function isMissing(err) {
  const code = err?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
async function tryCreate(path, holder) {
  for (let attempt = 0; ; attempt++) {
    let created = false;
    try {
      const handle = await open(path, "wx", 420);
      created = true;
      try {
        await handle.writeFile(JSON.stringify(holder));
      } finally {
        await handle.close();
      }
      return true;
    } catch (err) {
      const code = err.code;
      if (!created && code === "EEXIST") return false;
      if (!created && code === "ENOENT" && attempt < 3) {
        await mkdir(dirname(path), { recursive: true }).catch((mkdirErr) => {
          throw asStoreWriteError(mkdirErr, path);
        });
        continue;
      }
      if (created) await unlink(path).catch(() => void 0);
      throw asStoreWriteError(err, path);
    }
  }
}
async function staleLockText(path, staleLockMs) {
  let text;
  let ageMs;
  try {
    text = await readFile(path, "utf8");
    ageMs = Date.now() - (await stat(path)).mtimeMs;
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
  if (ageMs >= staleLockMs) return text;
  const holder = parseHolder(text);
  if (holder && holder.host === hostname() && !isProcessAlive(holder.pid)) return text;
  return null;
}
async function breakStaleLock(path, staleText) {
  const aside = `${path}.broken-${randomBytes(6).toString("hex")}`;
  try {
    await rename(path, aside);
  } catch (err) {
    if (isMissing(err)) return;
    throw err;
  }
  const moved = await readFile(aside, "utf8").catch(() => staleText);
  if (moved !== staleText) await link(aside, path).catch(() => void 0);
  await unlink(aside).catch(() => void 0);
}
async function withFileLock(path, work, options = defaultFileLockOptions) {
  const holder = { host: hostname(), pid: process.pid, nonce: randomBytes(12).toString("hex") };
  const mine = JSON.stringify(holder);
  const started = Date.now();
  for (let attempt = 0; !await tryCreate(path, holder); attempt++) {
    const staleText = await staleLockText(path, options.staleLockMs);
    if (staleText !== null) {
      await breakStaleLock(path, staleText);
      continue;
    }
    if (Date.now() - started > options.timeoutMs) {
      throw new Error(
        `timed out after ${options.timeoutMs} ms waiting for the store lock ${path}; if no other goproxy-action process uses this store, delete that file`
      );
    }
    await sleep(Math.min(2 + attempt * 2, 50) * (0.5 + Math.random()));
  }
  try {
    return await work();
  } finally {
    const current = await readFile(path, "utf8").catch(() => null);
    if (current === mine) await unlink(path).catch(() => void 0);
  }
}

// src/store/keyed-lock.ts
var KeyedLock = class {
  #tails = /* @__PURE__ */ new Map();
  /** Runs `work` after every earlier call with the same key has settled. */
  run(key2, work) {
    const previous = this.#tails.get(key2) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => void 0,
      () => void 0
    );
    this.#tails.set(key2, tail);
    void tail.then(() => {
      if (this.#tails.get(key2) === tail) this.#tails.delete(key2);
    });
    return result;
  }
};

// src/store/open-blob-cache.ts
const { fstatSync } = require("node:fs");
var OpenBlobCache = class {
  #entries = /* @__PURE__ */ new Map();
  #max;
  /** How long an entry is trusted without asking whether its file is still linked. */
  #recheckMs;
  // 1024: a large graph's zips (hits on an evicted file cost an open, fstat and close); Node
  // raises the soft descriptor limit to the hard one, which is far above this on CI runners.
  constructor(max = 1024, recheckMs = 1e3) {
    this.#max = max;
    this.#recheckMs = recheckMs;
  }
  /**
   * The open file at `path` with its size, or null when no regular file is there.
   * `openFile` opens it on a miss (null: missing).
   */
  async acquire(path, openFile) {
    const cached = this.acquireOpen(path);
    if (cached) return cached;
    let opened;
    try {
      opened = await openFile(path);
    } catch (err) {
      if (err.code !== "EMFILE") throw err;
      this.clear();
      opened = await openFile(path);
    }
    if (!opened) return null;
    let entry = this.#entries.get(path);
    if (entry) {
      await opened.handle.close().catch(() => {
      });
    } else {
      entry = { ...opened, users: 0, evicted: false, checkedAt: performance.now() };
      this.#entries.set(path, entry);
      this.#evictBeyond(this.#max);
    }
    return this.#handOut(entry, false);
  }
  /**
   * The file at `path` if it is held open here and still linked, else null (then nothing was
   * opened): synchronous, so a hit costs no hand-off at all.
   */
  acquireOpen(path) {
    const entry = this.#entries.get(path);
    if (!entry) return null;
    if (performance.now() - entry.checkedAt >= this.#recheckMs) {
      let linked = false;
      try {
        linked = fstatSync(entry.handle.fd).nlink > 0;
      } catch {
      }
      if (!linked) {
        this.#evict(path, entry);
        return null;
      }
      entry.checkedAt = performance.now();
    }
    this.#entries.delete(path);
    this.#entries.set(path, entry);
    return this.#handOut(entry, true);
  }
  #handOut(held, warm) {
    held.users++;
    let released = false;
    return {
      handle: held.handle,
      size: held.size,
      warm,
      close: async () => {
        if (released) return;
        released = true;
        held.users--;
        if (held.evicted && held.users === 0) await held.handle.close().catch(() => {
        });
      }
    };
  }
  /** Closes every idle file and forgets the rest (they close when their last reader is done). */
  clear() {
    this.#evictBeyond(0);
  }
  #evictBeyond(limit) {
    for (const [path, entry] of this.#entries) {
      if (this.#entries.size <= limit) break;
      this.#evict(path, entry);
    }
  }
  #evict(path, entry) {
    if (this.#entries.get(path) === entry) this.#entries.delete(path);
    entry.evicted = true;
    if (entry.users === 0) entry.handle.close().catch(() => {
    });
  }
};

// src/store/seed-from-mod-cache.ts
const { createReadStream } = require("node:fs");

// src/store/store-inventory.ts
const { join: join3 } = require("node:path");
async function readDirOrEmpty(dir) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = err.code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw err;
  }
}
async function findModuleDirs(root) {
  const found = [];
  const visit = async (dir, escapedPrefix) => {
    const entries = await readDirOrEmpty(dir);
    await Promise.all(
      entries.map(async (entry) => {
        if (!entry.isDirectory() || entry.name.startsWith(".")) return;
        if (escapedPrefix === "" && entry.name === sumdbDirName) return;
        const child = join3(dir, entry.name);
        if (entry.name === versionDirName) {
          if (escapedPrefix !== "") {
            found.push({
              escapedModule: escapedPrefix,
              versionDir: child,
              entries: await readDirOrEmpty(child)
            });
          }
          return;
        }
        await visit(child, escapedPrefix === "" ? entry.name : `${escapedPrefix}/${entry.name}`);
      })
    );
  };
  await visit(root, "");
  return found;
}
function decodeModulePath(escaped) {
  try {
    return unescapePath(escaped);
  } catch {
    return null;
  }
}
function decodeVersion(escaped) {
  try {
    return unescapeVersion(escaped);
  } catch {
    return null;
  }
}
async function scanVersionDir(module, escapedModule, versionDir, entries) {
  const byVersion = /* @__PURE__ */ new Map();
  await Promise.all(
    (entries ?? await readDirOrEmpty(versionDir)).map(async (entry) => {
      if (!entry.isFile()) return;
      const parsed = parseBlobName(entry.name);
      if (!parsed) return;
      const version = decodeVersion(parsed.escapedVersion);
      if (version === null) return;
      const path = join3(versionDir, entry.name);
      const info = await stat(path).catch(() => null);
      if (!info?.isFile()) return;
      let stored = byVersion.get(version);
      if (!stored) {
        stored = {
          module,
          version,
          escapedModule,
          escapedVersion: parsed.escapedVersion,
          versionDir,
          files: {}
        };
        byVersion.set(version, stored);
      }
      stored.files[parsed.ext] = { path, size: info.size };
    })
  );
  return [...byVersion.values()];
}
async function scanStoredVersions(root) {
  const all = await Promise.all(
    (await findModuleDirs(root)).map(async (dir) => {
      const module = decodeModulePath(dir.escapedModule);
      return module === null ? [] : scanVersionDir(module, dir.escapedModule, dir.versionDir, dir.entries);
    })
  );
  return all.flat();
}

// src/store/seed-from-mod-cache.ts
var seedConcurrency = 4;
var copyOrder = ["info", "mod", "zip", "ziphash"];
async function copyIntoStore(store, module, version, ext, source) {
  const pending = await store.beginWrite(module, version, ext);
  try {
    for await (const chunk of createReadStream(source)) await pending.write(chunk);
    await pending.commit();
  } catch (err) {
    await pending.discard();
    throw err;
  }
}
async function seedFromModCache(store, downloadDir, verify) {
  const candidates = await scanStoredVersions(downloadDir);
  let copied = 0;
  let skipped = 0;
  let next = 0;
  const seedOne = async (index) => {
    const candidate = candidates[index];
    const { module, version } = candidate;
    const missing = [];
    for (const ext of blobExts) {
      const source = candidate.files[ext];
      if (!source) continue;
      const present = await store.stat(module, version, ext);
      if (present?.size !== source.size) missing.push(ext);
    }
    if (missing.length === 0) {
      skipped++;
      return;
    }
    const files = {};
    for (const ext of blobExts) {
      const source = candidate.files[ext];
      if (source) files[ext] = source.path;
    }
    if (!await verify(module, version, files)) {
      skipped++;
      return;
    }
    for (const ext of copyOrder) {
      const source = files[ext];
      if (source && missing.includes(ext)) await copyIntoStore(store, module, version, ext, source);
    }
    if (files.mod) await store.addVersionToList(module, version);
    copied++;
  };
  const worker = async () => {
    while (next < candidates.length) await seedOne(next++);
  };
  await Promise.all(Array.from({ length: Math.min(seedConcurrency, candidates.length) }, worker));
  return { copied, skipped };
}

// src/store/unsynced-recovery.ts
const { readdirSync } = require("node:fs");
const { join: join4 } = require("node:path");
var deferredExts = /* @__PURE__ */ new Set(["info", "mod", "zip", "ziphash"]);
var recoveryLockOptions = { staleLockMs: 10 * 6e4, timeoutMs: 10 * 6e4 };
async function recoverUnsynced(root, rebuildList) {
  if (!hasMarkers(root)) return { markers: 0, synced: 0, removed: 0 };
  if ((await staleMarkers(root)).length === 0) return { markers: 0, synced: 0, removed: 0 };
  const lockPath = join4(root, bookkeepingDirName, "locks", "unsynced-recovery.lock");
  return withFileLock(lockPath, () => recoverLocked(root, rebuildList), recoveryLockOptions);
}
async function recoverLocked(root, rebuildList) {
  const found = await staleMarkers(root);
  const result = { markers: found.length, synced: 0, removed: 0 };
  const identity2 = await storeIdentity(root);
  const stale = found.filter(
    (s) => s.marker === null || s.marker.store === null || s.marker.store === identity2
  );
  for (const { path } of found.filter((s) => !stale.includes(s))) await unlink(path).catch(() => {
  });
  if (stale.length === 0) return result;
  const boot = currentBootId();
  const crashed = boot === null || stale.some((s) => s.marker === null || s.marker.boot !== boot);
  const starts = await Promise.all(stale.map(async (s) => s.marker?.since ?? await mtimeOf(s.path) ?? 0));
  const since = Math.min(...starts) - windowSlackMs;
  for (const dir of await findModuleDirs(root)) {
    let removedHere = false;
    for (const entry of dir.entries) {
      if (!entry.isFile()) continue;
      const parsed = parseBlobName(entry.name);
      if (!parsed || !deferredExts.has(parsed.ext)) continue;
      const path = join4(dir.versionDir, entry.name);
      const mtime = await mtimeOf(path);
      if (mtime === null || mtime < since) continue;
      if (!crashed && await syncFile(path)) {
        result.synced++;
        continue;
      }
      await unlink(path).catch(() => {
      });
      result.removed++;
      removedHere = true;
    }
    const module = removedHere ? decodeModulePath(dir.escapedModule) : null;
    if (module !== null) await rebuildList(module);
  }
  for (const { path } of stale) await unlink(path).catch(() => {
  });
  return result;
}
function hasMarkers(root) {
  try {
    return readdirSync(markerDir(root)).some((name) => name.endsWith(".json"));
  } catch {
    return false;
  }
}

// src/store/blob-store.ts
var metaDirName = "meta";
var locksDirName = "locks";
var sumdbNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,253}$/;
function usedKey(module, version) {
  return `${module}@${version}`;
}
function isMissing2(err) {
  const code = err?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
var readNoFollow = constants.O_RDONLY | constants.O_NOFOLLOW;
function isMissingOrLink(err) {
  return isMissing2(err) || err?.code === "ELOOP";
}
var BlobStore = class _BlobStore {
  /** Absolute path of the store directory. */
  root;
  #listLock = new KeyedLock();
  #metaLock = new KeyedLock();
  #used = /* @__PURE__ */ new Set();
  /** Stored .zip files kept open between hits (a hit then costs no open, stat or close). */
  #openZips = new OpenBlobCache();
  /** .info/.mod/.zip renamed into place before their fsync (deferred-sync.ts). */
  #deferred;
  constructor(root) {
    this.root = root;
    this.#deferred = new DeferredSync(root);
  }
  /**
   * Opens (creating) the store at `root` and removes temp files a killed writer left behind;
   * with `sweep: 'later'` the caller does that with removeStaleTempFiles() (a server: once it
   * is ready, since the walk over the whole store costs start-up time and nothing needs it).
   */
  static async open(root, options = {}) {
    const absolute = resolve(root);
    try {
      mkdirSync(absolute, { recursive: true });
    } catch (err) {
      throw new Error(
        `cannot use ${absolute} as the module store: ${err.message}; give a directory that can be created or exists`,
        { cause: err }
      );
    }
    const store = new _BlobStore(absolute);
    await recoverUnsynced(absolute, (module) => store.rebuildVersionList(module));
    if (options.sweep !== "later") await removeStaleTempFiles(absolute);
    return store;
  }
  /** Removes temp files a killed writer left behind (those of live writers stay); returns how many. */
  removeStaleTempFiles() {
    return removeStaleTempFiles(this.root);
  }
  // ---- paths -------------------------------------------------------------------------------
  #escapedModuleElements(module) {
    const elements = escapePath(module).split("/");
    for (const element of elements) checkSafeElement(element, "module path element");
    if (!elements[0]?.includes(".")) {
      throw new Error(`refusing module path ${JSON.stringify(module)}: its first element has no dot`);
    }
    return elements;
  }
  #versionFileName(version, suffix) {
    const escaped = escapeVersion(version);
    checkSafeElement(escaped, "version");
    return `${escaped}.${suffix}`;
  }
  /** `<root>/<escaped module>/@v/<escaped version>.<ext>` */
  filePath(module, version, ext) {
    if (!isBlobExt(ext))
      throw new Error(`unknown blob kind ${JSON.stringify(ext)}: use info, mod, zip or ziphash`);
    return joinInside(
      this.root,
      [...this.#escapedModuleElements(module), versionDirName, this.#versionFileName(version, ext)],
      "module file"
    );
  }
  /** `<root>/<escaped module>/@v/list` */
  listPath(module) {
    return joinInside(
      this.root,
      [...this.#escapedModuleElements(module), versionDirName, listFileName],
      "list"
    );
  }
  /** `<root>/.goproxy-action/meta/<escaped module>/@v/<escaped version>.json` */
  metaPath(module, version) {
    return joinInside(
      this.root,
      [
        bookkeepingDirName,
        metaDirName,
        ...this.#escapedModuleElements(module),
        versionDirName,
        this.#versionFileName(version, "json")
      ],
      "metadata file"
    );
  }
  /** `<root>/sumdb/<name>/<subpath>`; subpath like "lookup/golang.org/x/text@v0.3.0" or "tile/8/0/x001/234.p/5". */
  sumdbPath(name, subpath) {
    if (!sumdbNamePattern.test(name) || name.includes("..")) {
      throw new Error(`invalid checksum database name ${JSON.stringify(name)}: expected a host-like name`);
    }
    const elements = subpath.split("/");
    for (const element of elements) {
      if (!/^[A-Za-z0-9_~!@+-][A-Za-z0-9._~!@+-]*$/.test(element)) {
        throw new Error(
          `invalid checksum database path ${JSON.stringify(subpath)}: elements must be non-empty, not start with a dot, and use only letters, digits and -._~!@+`
        );
      }
    }
    return joinInside(this.root, [sumdbDirName, name, ...elements], "checksum database path");
  }
  // ---- reading -----------------------------------------------------------------------------
  async stat(module, version, ext) {
    try {
      const info = await lstat(this.filePath(module, version, ext));
      return info.isFile() && (info.size > 0 || ext === "zip") ? { size: info.size } : null;
    } catch (err) {
      if (isMissing2(err)) return null;
      throw err;
    }
  }
  /**
   * The stored blob, opened (or null if it is not stored): once open, a concurrent prune
   * cannot turn the hit into a failed answer. The caller closes the handle.
   */
  async openBlob(module, version, ext) {
    const path = this.filePath(module, version, ext);
    return ext === "zip" ? this.#openZips.acquire(path, openOrNull) : openOrNull(path);
  }
  /**
   * The stored .zip at `path` (as filePath gives it) when an earlier hit left it open here and
   * it is still linked, else null (nothing is opened then: openBlob finds it or not). No I/O
   * beyond an occasional fstat: a warm proxy's repeated hits take this way.
   */
  openZipIfOpen(path) {
    return this.#openZips.acquireOpen(path);
  }
  async readFile(module, version, ext) {
    const data = await readOrNull(this.filePath(module, version, ext));
    return data !== null && data.length === 0 && ext !== "zip" ? null : data;
  }
  /**
   * The versions whose .info is stored (pseudo-versions included), in Go's order: what the
   * store can answer a list or @latest with when no upstream can (GOPROXY=file:// reads the
   * same files).
   */
  async versionsWithInfo(module) {
    const versionDir = dirname2(this.listPath(module));
    const stored = await scanVersionDir(module, escapePath(module), versionDir);
    return sortVersions(stored.filter((v) => v.files.info !== void 0).map((v) => v.version));
  }
  // ---- writing -----------------------------------------------------------------------------
  /** Starts streaming a blob to a temp file next to its final path; commit or discard it. */
  async beginWrite(module, version, ext) {
    return beginAtomicWrite(this.filePath(module, version, ext));
  }
  async writeFileAtomic(module, version, ext, data) {
    await writeFileAtomic(this.filePath(module, version, ext), data, { durable: ext !== "ziphash" });
  }
  /**
   * Writes a .info or .mod atomically and visibly now, durably a little later: the fsync runs
   * in the background with others (deferred-sync.ts), so the answer does not wait for it.
   */
  async writeFileDeferred(module, version, ext, data) {
    const path = this.filePath(module, version, ext);
    const release = await this.holdUnsynced(module, version, ext);
    let renamed = null;
    try {
      await writeFileAtomic(path, data, { durable: false });
      renamed = path;
    } finally {
      release(renamed);
    }
  }
  /**
   * For a writer that renames its own temp file (a streamed .zip) before the fsync: resolves
   * once a marker covers it; call the result with the final path once renamed (null if not).
   * Take it before the last write: the recovery judges the window by modification times.
   */
  async holdUnsynced(module, version, ext) {
    try {
      return await this.#deferred.hold();
    } catch (err) {
      throw asStoreWriteError(err, this.filePath(module, version, ext));
    }
  }
  /** Fsyncs every file writeFileDeferred has renamed so far (flush, shutdown). */
  syncDeferred() {
    return this.#deferred.drain();
  }
  /**
   * Adds `version` to the module's @v/list (for GOPROXY=file:// readers). Pseudo-versions and
   * non-canonical versions are ignored, as proxies leave them out of lists.
   */
  async addVersionToList(module, version) {
    const listPath = this.listPath(module);
    if (!isListableVersion(version)) return;
    await this.#withListLock(module, async () => {
      const current = await readOrNull(listPath);
      const versions = current ? parseVersionList(current.toString("utf8")) : [];
      if (versions.includes(version)) return;
      await writeFileAtomic(listPath, Buffer.from(formatVersionList([...versions, version])), {
        durable: false
      });
    });
  }
  /**
   * Writes the module's @v/list afresh from the non-empty .info files stored, under the list
   * lock: after a crash the list itself may be torn, and another proxy on the store may be
   * adding to it.
   */
  async rebuildVersionList(module) {
    const listPath = this.listPath(module);
    await this.#withListLock(module, async () => {
      const stored = await scanVersionDir(module, escapePath(module), dirname2(listPath));
      const text = formatVersionList(
        stored.filter((v) => (v.files.info?.size ?? 0) > 0).map((v) => v.version)
      );
      if (text === "") await unlinkIfPresent(listPath);
      else await writeFileAtomic(listPath, Buffer.from(text), { durable: false });
    });
  }
  /** `<root>/.goproxy-action/locks/list-<sha256 of the module path>.lock` */
  listLockPath(module) {
    this.#escapedModuleElements(module);
    const digest = createHash("sha256").update(module).digest("hex").slice(0, 32);
    return joinInside(this.root, [bookkeepingDirName, locksDirName, `list-${digest}.lock`], "lock file");
  }
  /**
   * Serializes read-modify-write of a module's @v/list: in this process (KeyedLock, so callers
   * queue without polling) and across processes sharing the store (a lock file), so neither
   * two requests nor two proxies lose each other's versions.
   */
  #withListLock(module, work) {
    const lockPath = this.listLockPath(module);
    return this.#listLock.run(module, () => withFileLock(lockPath, work));
  }
  // ---- metadata and checksum-database cache -------------------------------------------------
  async writeMeta(module, version, meta) {
    await writeFileAtomic(this.metaPath(module, version), Buffer.from(`${JSON.stringify(meta, null, 2)}
`), {
      durable: false
    });
  }
  /**
   * Read-modify-write of a version's metadata under the store's lock (across processes too),
   * so two writers adding different fields (verification, a policy decision) keep both.
   */
  async updateMeta(module, version, update) {
    const key2 = `${module}@${version}`;
    const digest = createHash("sha256").update(key2).digest("hex").slice(0, 32);
    const lockPath = joinInside(
      this.root,
      [bookkeepingDirName, locksDirName, `meta-${digest}.lock`],
      "lock file"
    );
    await this.#metaLock.run(
      key2,
      () => withFileLock(lockPath, async () => {
        const current = await this.readMeta(module, version).catch(() => null);
        await this.writeMeta(module, version, update(current));
      })
    );
  }
  async readMeta(module, version) {
    const path = this.metaPath(module, version);
    const data = await readOrNull(path);
    if (data === null) return null;
    try {
      return JSON.parse(data.toString("utf8"));
    } catch (err) {
      throw new Error(
        `corrupt metadata file ${path} (${err.message}); delete it to have it rebuilt`
      );
    }
  }
  async readSumdb(name, subpath) {
    return readOrNull(this.sumdbPath(name, subpath));
  }
  async writeSumdb(name, subpath, data) {
    await writeFileAtomic(this.sumdbPath(name, subpath), data);
  }
  // ---- usage, prune, summary, seeding -------------------------------------------------------
  /** Records that `module@version` was served by this process (in memory). */
  markUsed(module, version) {
    this.#used.add(usedKey(module, version));
  }
  /** markUsed with the key usedKey gave, built once by a caller that marks the same version often. */
  markUsedKey(key2) {
    this.#used.add(key2);
  }
  /** A copy of the `module@version` keys marked used so far. */
  usedVersions() {
    return new Set(this.#used);
  }
  /**
   * Removes every stored module version whose `module@version` is not in `used`: its blobs and
   * its metadata; rewrites the affected lists and removes directories left empty. sumdb/ is left
   * alone. The counts are of blob files (.info, .mod, .zip, .ziphash).
   */
  async prune(used = this.usedVersions()) {
    this.#openZips.clear();
    const result = { removedFiles: 0, removedBytes: 0, keptFiles: 0, keptBytes: 0 };
    const touched = /* @__PURE__ */ new Map();
    for (const stored of await scanStoredVersions(this.root)) {
      const files = Object.values(stored.files);
      if (used.has(`${stored.module}@${stored.version}`)) {
        result.keptFiles += files.length;
        result.keptBytes += files.reduce((sum, f) => sum + f.size, 0);
        continue;
      }
      for (const file of files) {
        if (await unlinkIfPresent(file.path)) {
          result.removedFiles++;
          result.removedBytes += file.size;
        }
      }
      touched.set(stored.module, stored);
    }
    for (const [module, stored] of touched) {
      await this.#withListLock(module, () => this.#rewriteListAfterPrune(module, stored.versionDir));
      await removeEmptyDirs(stored.versionDir, this.root);
    }
    await this.#pruneMeta(used);
    this.#openZips.clear();
    return result;
  }
  async #rewriteListAfterPrune(module, versionDir) {
    const listPath = join5(versionDir, listFileName);
    const current = await readOrNull(listPath);
    if (current === null) return;
    const remaining = new Set(
      (await scanVersionDir(module, escapePath(module), versionDir)).map((v) => v.version)
    );
    const text = formatVersionList(
      parseVersionList(current.toString("utf8")).filter((v) => remaining.has(v))
    );
    if (text === "") await unlinkIfPresent(listPath);
    else if (text !== current.toString("utf8")) await writeFileAtomic(listPath, Buffer.from(text));
  }
  async #pruneMeta(used) {
    const metaRoot = join5(this.root, bookkeepingDirName, metaDirName);
    for (const dir of await findModuleDirs(metaRoot)) {
      const module = decodeModulePath(dir.escapedModule);
      if (module === null) continue;
      let removedAny = false;
      for (const entry of dir.entries) {
        if (!entry.isFile() || !entry.name.endsWith(".json") || entry.name.startsWith(".")) continue;
        const version = decodeVersion(entry.name.slice(0, -".json".length));
        if (version === null || used.has(`${module}@${version}`)) continue;
        removedAny = await unlinkIfPresent(join5(dir.versionDir, entry.name)) || removedAny;
      }
      if (removedAny) await removeEmptyDirs(dir.versionDir, metaRoot);
    }
  }
  /** Counts of stored blob files, their bytes, module versions and modules. */
  async summary() {
    const versions = await scanStoredVersions(this.root);
    let files = 0;
    let bytes = 0;
    for (const stored of versions) {
      for (const file of Object.values(stored.files)) {
        files++;
        bytes += file.size;
      }
    }
    return { files, bytes, versions: versions.length, modules: new Set(versions.map((v) => v.module)).size };
  }
  /**
   * Imports an existing `$GOMODCACHE/cache/download` tree. For each module version that has
   * files the store lacks, `verify` decides whether it is copied. Counts are module versions.
   */
  async seedFromModCache(downloadDir, verify) {
    return seedFromModCache(this, downloadDir, verify);
  }
  /** Closes the .zip files kept open for hits (those still being read close when done). */
  closeOpenBlobs() {
    this.#openZips.clear();
  }
};
async function openOrNull(path) {
  let handle;
  try {
    handle = await open(path, readNoFollow);
  } catch (err) {
    if (isMissingOrLink(err)) return null;
    throw err;
  }
  const info = await handle.stat().catch(async (err) => {
    await handle.close();
    throw err;
  });
  if (!info.isFile()) {
    await handle.close();
    return null;
  }
  return { handle, size: info.size, close: () => handle.close() };
}
async function readOrNull(path) {
  try {
    return await readFile(path, { flag: readNoFollow });
  } catch (err) {
    if (isMissingOrLink(err)) return null;
    throw err;
  }
}
async function unlinkIfPresent(path) {
  try {
    await unlink(path);
    return true;
  } catch (err) {
    if (isMissing2(err)) return false;
    throw err;
  }
}
async function removeEmptyDirs(dir, stopAt) {
  let current = dir;
  while (current !== stopAt && current.startsWith(stopAt)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    current = dirname2(current);
  }
}

// src/sumdb/gosumdb-setting.ts
var forms = 'use off, <name>, <name>+<key>, or "<name>+<key> <url>"';
function invalid(value, why) {
  return new Error(`invalid GOSUMDB ${JSON.stringify(value)}: ${why}; ${forms}`);
}
function checkDatabaseName(value, name) {
  let parsed;
  try {
    parsed = new URL(`https://${name}`);
  } catch {
    throw invalid(value, `database name ${JSON.stringify(name)} must be host[/path]`);
  }
  const plain = /^[A-Za-z0-9.-]+(?::[0-9]+)?(?:\/[A-Za-z0-9._~-]+)*$/.test(name) && parsed.username === "" && parsed.search === "" && parsed.hash === "";
  if (!plain) throw invalid(value, `database name ${JSON.stringify(name)} must be host[/path]`);
}
function parseGosumdb(value) {
  const fields = value.trim().split(/\s+/).filter((f) => f !== "");
  if (fields.length === 0) throw invalid(value, "it is empty (unset it to get the default database)");
  if (fields.length > 2) throw invalid(value, "too many fields");
  const [first, urlText] = fields;
  if (first === "off") {
    if (urlText !== void 0) throw invalid(value, '"off" takes no URL');
    return { name: "off", key: null, url: null, off: true };
  }
  let name = first;
  let key2 = null;
  if (first.includes("+")) {
    try {
      name = parseVerifierKey(first).name;
    } catch (error) {
      throw invalid(value, error.message);
    }
    key2 = first;
  }
  checkDatabaseName(value, name);
  let url = null;
  if (urlText !== void 0) {
    let parsed;
    try {
      parsed = new URL(urlText);
    } catch {
      throw invalid(value, `${JSON.stringify(urlText)} is not a URL`);
    }
    if (!["https:", "http:", "file:"].includes(parsed.protocol)) {
      throw invalid(value, `URL scheme ${parsed.protocol} is not supported (use https, http or file)`);
    }
    url = urlText.replace(/\/+$/, "");
  }
  return { name, key: key2, url, off: false };
}

// src/sumdb/known-sumdb.ts
var knownKeys = /* @__PURE__ */ new Map([
  ["sum.golang.org", "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"]
]);
var defaultSumdbName = [...knownKeys.keys()][0];
function knownSumdbKey(name) {
  return knownKeys.get(name) ?? null;
}

// src/upstream/goproxy-list.ts
var GoproxyListError = class extends Error {
  name = "GoproxyListError";
};
function parseGoproxyList(value) {
  const entries = [];
  let rest = value.trim();
  if (rest === "")
    throw new GoproxyListError('GOPROXY list is empty: give at least one proxy URL, "direct" or "off"');
  while (rest !== "") {
    const match = /[,|]/.exec(rest);
    const raw = (match ? rest.slice(0, match.index) : rest).trim();
    const separator = match?.[0];
    rest = match ? rest.slice(match.index + 1) : "";
    if (raw === "") continue;
    const fallThroughOnAnyError = separator === "|";
    if (raw === "direct") {
      entries.push({ kind: "direct", fallThroughOnAnyError });
    } else if (raw === "off") {
      entries.push({ kind: "off" });
    } else if (raw === "noproxy") {
      entries.push({ kind: "direct", fallThroughOnAnyError });
    } else {
      entries.push({ kind: "url", ...normalizeProxyUrl(raw), fallThroughOnAnyError });
    }
  }
  if (entries.length === 0) {
    throw new GoproxyListError(
      `GOPROXY list "${redactUrlUserinfo(value)}" has no entries: give a proxy URL, "direct" or "off"`
    );
  }
  return entries;
}
function normalizeProxyUrl(raw) {
  const shown = redactUrlUserinfo(raw);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url;
  try {
    url = new URL(withScheme);
  } catch {
    throw new GoproxyListError(`GOPROXY entry "${shown}" is not a valid URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:" && url.protocol !== "file:") {
    throw new GoproxyListError(
      `GOPROXY entry "${shown}" uses the scheme ${url.protocol.slice(0, -1)}: only https, http and file are supported`
    );
  }
  if (url.username === "" && url.password === "") return { url: withScheme.replace(/\/+$/, "") };
  if (url.protocol !== "https:") {
    throw new GoproxyListError(
      `refusing to pass credentials to insecure URL: ${redactUrlUserinfo(withScheme)}; use https, or drop the credentials from the URL`
    );
  }
  let credentials;
  try {
    credentials = {
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password)
    };
  } catch {
    throw new GoproxyListError(`GOPROXY entry "${shown}" has badly percent-encoded credentials`);
  }
  url.username = "";
  url.password = "";
  return { url: url.href.replace(/\/+$/, ""), credentials };
}

// src/upstream/upstream-credentials.ts
const { promisify: promisify2 } = require("node:util");

// src/remote/netrc.ts
const { readFileSync: readFileSync3 } = require("node:fs");
const { homedir } = require("node:os");
const { join: join6 } = require("node:path");
function parseNetrc(text) {
  const entries = [];
  let current = {};
  let inMacro = false;
  for (const line of text.split(/\r?\n/)) {
    if (inMacro) {
      if (line.trim() === "") inMacro = false;
      continue;
    }
    const fields = line.trim().split(/\s+/).filter((f) => f !== "");
    let i = 0;
    for (; i < fields.length - 1; i += 2) {
      const [key2, value] = [fields[i], fields[i + 1]];
      if (key2 === "machine") current = { machine: value };
      else if (key2 === "login") current.login = value;
      else if (key2 === "password") current.password = value;
      else if (key2 === "macdef") inMacro = true;
      if (current.machine && current.login && current.password) {
        entries.push(current);
        current = {};
      }
    }
    if (fields[i] === "default") break;
  }
  return entries;
}
function userNetrcPath(env, home = homedir()) {
  if (env.NETRC) return env.NETRC;
  return join6(home, process.platform === "win32" ? "_netrc" : ".netrc");
}
async function readUserNetrc(path) {
  try {
    return parseNetrc(readFileSync3(path, "utf8"));
  } catch (err) {
    if (err.code === "ENOENT") return [];
    throw new Error(`cannot read the existing netrc file ${path} (${err.message})`);
  }
}

// src/upstream/upstream-credentials.ts
function basic(username, password) {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}` };
}
function httpsPrefix(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "https:") return null;
  return `${parsed.host}${parsed.pathname}`.replace(/\/+$/, "");
}
function longestMatch(list, target) {
  let best = null;
  for (const item of list) {
    if (target !== item.prefix && !target.startsWith(`${item.prefix}/`)) continue;
    if (!best || item.prefix.length > best.prefix.length) best = item;
  }
  return best;
}
function parseGoauthOutput(text, command) {
  const out = [];
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  let i = 0;
  while (i < lines.length) {
    while (i < lines.length && lines[i].trim() === "") i++;
    const urls = [];
    while (i < lines.length && lines[i].trim() !== "") urls.push(lines[i++].trim());
    if (urls.length === 0) break;
    i++;
    const headers = {};
    while (i < lines.length && lines[i].trim() !== "") {
      const line = lines[i++];
      const colon = line.indexOf(":");
      if (colon <= 0) throw new Error(`GOAUTH command "${command}" printed a header line without "Name:"`);
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    if (Object.keys(headers).length === 0)
      throw new Error(`GOAUTH command "${command}" printed URLs with no headers after them`);
    for (const url of urls) {
      const prefix = httpsPrefix(url.includes("://") ? url : `https://${url}`);
      if (prefix === null)
        throw new Error(`GOAUTH command "${command}" printed "${url}", which is not an https URL prefix`);
      out.push({ prefix, headers });
    }
  }
  return out;
}
var UpstreamCredentials = class _UpstreamCredentials {
  #fromGoauth;
  #fromUrls;
  constructor(fromGoauth, fromUrls) {
    this.#fromGoauth = fromGoauth;
    this.#fromUrls = fromUrls;
  }
  /** No credentials at all (file:// and http-only setups, tests). */
  static none() {
    return new _UpstreamCredentials([], []);
  }
  /**
   * Reads GOAUTH (netrc, commands) from `env` and the userinfo of the entries. Throws a
   * one-line error for an unreadable netrc, a failing GOAUTH command or an unsupported form.
   */
  static async load(options) {
    const fromUrls = [];
    for (const entry of options.entries) {
      if (entry.kind !== "url" || !entry.credentials) continue;
      const prefix = httpsPrefix(entry.url);
      if (prefix === null) continue;
      fromUrls.push({ prefix, headers: basic(entry.credentials.username, entry.credentials.password) });
    }
    return new _UpstreamCredentials(await loadGoauth(options.env), fromUrls);
  }
  /** Headers to add to a request for `url`: GOAUTH's first, else the URL's own userinfo. */
  headersFor(url) {
    const target = httpsPrefix(url);
    if (target === null) return {};
    return (longestMatch(this.#fromGoauth, target) ?? longestMatch(this.#fromUrls, target))?.headers ?? {};
  }
};
async function loadGoauth(env) {
  const setting = (env.GOAUTH ?? "").trim() || "netrc";
  const out = [];
  for (const raw of setting.split(";")) {
    const item = raw.trim();
    if (item === "") continue;
    if (item === "off") {
      if (setting.split(";").filter((x) => x.trim() !== "").length > 1)
        throw new Error("GOAUTH=off cannot be combined with other authentication commands");
      return [];
    }
    if (item === "netrc") {
      for (const e of await readUserNetrc(userNetrcPath(env))) {
        out.push({ prefix: e.machine, headers: basic(e.login, e.password) });
      }
      continue;
    }
    const [command, ...args] = item.split(/\s+/);
    if (command === "git") {
      throw new Error(
        'GOAUTH "git <dir>" is not supported by the proxy; give the upstream credentials through NETRC, a GOAUTH command or the upstream URL'
      );
    }
    let stdout;
    try {
      const execFileAsync = promisify2((await import("node:child_process")).execFile);
      ({ stdout } = await execFileAsync(command, args, { env, timeout: 6e4, maxBuffer: 1 << 20 }));
    } catch (err) {
      throw new Error(`GOAUTH command "${item}" failed: ${err.message.split("\n")[0]}`);
    }
    out.push(...parseGoauthOutput(stdout, item));
  }
  return out;
}

// src/constant-time-equal.ts
function constantTimeEqual(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

// src/net/node-http.ts
import { createRequire } from "node:module";
var require2 = createRequire(import.meta.url);
var { createServer, request: httpRequest } = require2("node:http");

// src/secure-random.ts
const { closeSync, fstatSync: fstatSync2, openSync, readSync } = require("node:fs");
function secureRandomBytes(size) {
  return (process.platform === "win32" ? null : fromRandomDevice(size)) ?? cryptoRandomBytes(size);
}
function cryptoRandomBytes(size) {
  return process.getBuiltinModule("node:crypto").randomBytes(size);
}
function fromRandomDevice(size) {
  let fd;
  try {
    fd = openSync("/dev/urandom", "r");
  } catch {
    return null;
  }
  try {
    if (!fstatSync2(fd).isCharacterDevice()) return null;
    const bytes = Buffer.alloc(size);
    for (let filled = 0; filled < size; ) {
      const got = readSync(fd, bytes, filled, size - filled, null);
      if (got <= 0) return null;
      filled += got;
    }
    return bytes;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

// src/proxy/audit-log.ts
const { createWriteStream } = require("node:fs");
var AuditLog = class {
  #stream;
  /** Set when the file refused a write: the proxy keeps serving, the log stops. */
  #failed = false;
  constructor(file) {
    this.#stream = createWriteStream(file, { flags: "a", mode: 384 });
    this.#stream.on("error", (err) => {
      if (this.#failed) return;
      this.#failed = true;
      process.stderr.write(
        `goproxy-action: audit log ${file}: ${err.code ?? err.message}; later requests are not logged (the proxy keeps serving); free space or fix the file, then restart
`
      );
    });
  }
  write(entry) {
    if (this.#failed) return;
    this.#stream.write(`${JSON.stringify(entry)}
`);
  }
  close() {
    if (this.#failed || this.#stream.destroyed) return Promise.resolve();
    return new Promise((resolve4) => this.#stream.end(resolve4));
  }
};

// src/proxy/loopback-host.ts
function isLoopbackAddress(address) {
  return address === "localhost" || address === "::1" || /^127\.\d+\.\d+\.\d+$/.test(address);
}
function isLoopbackHostHeader(host) {
  if (host === void 0) return true;
  const name = (host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d*$/, "")).toLowerCase().replace(/\.$/, "");
  return name === "localhost" || // Names a container runtime resolves to the host itself (Docker Desktop forwards them to
  // its loopback): never a name a web page controls.
  name === "host.docker.internal" || name === "host.containers.internal" || name.endsWith(".localhost") || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(name) || /^\[[0-9a-f:.]+\]$/.test(name);
}

// src/proxy/pipeline-limit.ts
var maxQueuedAnswers = 64;
var queued = /* @__PURE__ */ Symbol("goproxy-action queued answers");
function pipelinedTooDeep(req, res) {
  if (res.socket) return false;
  const socket = req.socket;
  const waiting = (socket[queued] ?? 0) + 1;
  socket[queued] = waiting;
  let counted = true;
  const uncount = () => {
    if (!counted) return;
    counted = false;
    socket[queued] = (socket[queued] ?? 1) - 1;
  };
  res.once("socket", uncount);
  res.once("close", uncount);
  return waiting > maxQueuedAnswers;
}

// src/proxy/request-path.ts
var BadRequestError = class extends Error {
  name = "BadRequestError";
  status;
  constructor(message, status = 400) {
    super(message);
    this.status = status;
  }
};
var maxPathLength = 2048;
var sumdbEndpoints = /* @__PURE__ */ new Set(["supported", "latest", "lookup", "tile"]);
function parseRequestPath(rawUrl) {
  const rawPath = rawUrl.split("?")[0] ?? "";
  if (rawPath.length > maxPathLength)
    throw new BadRequestError(`request path is longer than ${maxPathLength} bytes`, 414);
  if (!rawPath.startsWith("/")) throw new BadRequestError("request path must start with /");
  if (rawPath === "/" || rawPath === "") return { type: "root" };
  const segments = rawPath.slice(1).split("/").map((raw) => {
    let segment;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      throw new BadRequestError(`"${raw}" is not valid percent-encoding`);
    }
    if (segment.includes("/"))
      throw new BadRequestError("encoded slashes are not valid in a module proxy path");
    return segment;
  });
  const path = `/${segments.join("/")}`;
  if (/[\u0000-\u001f\u007f\\]/.test(path))
    throw new BadRequestError("control characters and backslashes are not valid here");
  if (segments.some((s) => s === ".." || s === "."))
    throw new BadRequestError('"." and ".." are not valid path elements');
  if (segments[0] === "_admin") return { type: "admin", action: segments.slice(1).join("/") };
  if (segments[0] === "sumdb") return parseSumdb(segments);
  return parseModule(path.slice(1));
}
function parseSumdb(segments) {
  let end = 2;
  while (end < segments.length && !sumdbEndpoints.has(segments[end])) end++;
  const name = segments.slice(1, end).join("/");
  if (!isDatabaseName(name)) throw new BadRequestError(`"${name}" is not a checksum database name`);
  try {
    const request = parseSumdbRequest(segments.slice(end).join("/"));
    return { type: "sumdb", name, subpath: sumdbRequestPath(request) };
  } catch (err) {
    if (err instanceof SumdbRequestError)
      throw new BadRequestError(`checksum database ${name}: ${err.message}`);
    throw err;
  }
}
function parseModule(rest) {
  let escaped;
  let kind;
  let escapedVersion = null;
  if (rest.endsWith("/@latest")) {
    escaped = rest.slice(0, -"/@latest".length);
    kind = "latest";
  } else {
    const at = rest.lastIndexOf("/@v/");
    if (at < 0)
      throw new BadRequestError("not a module proxy path: expected <module>/@v/... or <module>/@latest", 404);
    escaped = rest.slice(0, at);
    const file = rest.slice(at + "/@v/".length);
    if (file === "list") {
      kind = "list";
    } else {
      const dot = file.lastIndexOf(".");
      const ext = dot < 0 ? "" : file.slice(dot + 1);
      if (ext !== "info" && ext !== "mod" && ext !== "zip") {
        throw new BadRequestError(
          `"${file}" is not a module proxy file: expected list, <version>.info, .mod or .zip`,
          404
        );
      }
      kind = ext;
      escapedVersion = file.slice(0, dot);
    }
  }
  if (hasOverlongElement(escaped) || Buffer.byteLength(`${escapedVersion ?? ""}.json`) > maxPathElementBytes) {
    throw new BadRequestError(
      `a path element is longer than ${maxPathElementBytes} bytes: no module proxy path is`
    );
  }
  let module;
  try {
    module = unescapePath(escaped);
    checkModulePath(module);
  } catch (err) {
    throw new BadRequestError(`invalid module path "${escaped}": ${messageOf(err)}`);
  }
  let version = null;
  if (escapedVersion !== null) {
    try {
      version = unescapeVersion(escapedVersion);
    } catch (err) {
      throw new BadRequestError(`invalid version "${escapedVersion}": ${messageOf(err)}`);
    }
    if (version === "" || version.includes("/"))
      throw new BadRequestError(`invalid version "${escapedVersion}"`);
    if (kind === "mod" || kind === "zip") {
      if (!isCanonicalVersion(version)) {
        throw new BadRequestError(
          `${module}@${version}: .${kind} is served only for canonical versions (vX.Y.Z)`,
          404
        );
      }
      const split = splitPathVersion(module);
      try {
        checkPathMajor(version, split?.pathMajor ?? "");
      } catch (err) {
        throw new BadRequestError(`${module}@${version}: ${messageOf(err)}`, 404);
      }
    }
  }
  return { type: "module", kind, module, version, escaped };
}
function messageOf(err) {
  if (err instanceof ModulePathError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

// src/proxy/request-record.ts
function newRequestRecord(kind, module, version) {
  return { kind, module, version, source: "none" };
}

// src/proxy/send-file.ts
const { read, readSync: readSync2 } = require("node:fs");
var sendChunkSize = 128 << 10;
var chunkSize = sendChunkSize;
var spareChunks = [];
var maxSpareChunks = 32;
function takeChunk() {
  return spareChunks.pop() ?? Buffer.allocUnsafeSlow(chunkSize);
}
function giveBack(chunk) {
  if (spareChunks.length < maxSpareChunks) spareChunks.push(chunk);
}
function untilTurn(res) {
  if (res.socket || res.destroyed) return null;
  return new Promise((resolve4) => {
    const done = (turn) => () => {
      res.off("socket", onSocket);
      res.off("close", onClose);
      resolve4(turn);
    };
    const onSocket = done(true);
    const onClose = done(false);
    res.once("socket", onSocket);
    res.once("close", onClose);
  });
}
function dropIfStalled(res, stallMs) {
  return res.writableNeedDrain ? setTimeout(() => res.destroy(), stallMs).unref() : void 0;
}
async function sendFile(res, file, stallMs = 3e4) {
  const waiting = untilTurn(res);
  if (waiting && !await waiting) throw new Error("client closed the connection");
  const { handle, size } = file;
  if (size > 0 && size <= chunkSize && file.warm) return sendOneChunk(res, handle.fd, size, stallMs);
  let ended = false;
  let onClose = () => {
  };
  const closed = new Promise((_, reject) => {
    onClose = () => {
      if (!ended) reject(new Error("client closed the connection"));
    };
    res.once("close", onClose);
  });
  closed.catch(() => {
  });
  const chunks = [takeChunk()];
  let reusable = true;
  try {
    const readAt = async (chunk, position2) => {
      const want = Math.min(chunkSize, size - position2);
      const bytesRead = file.warm ? readSync2(handle.fd, chunk, 0, want, position2) : await new Promise(
        (resolve4, reject) => read(handle.fd, chunk, 0, want, position2, (err, n2) => err ? reject(err) : resolve4(n2))
      );
      if (bytesRead !== want) throw new Error(`a stored blob is shorter than ${size} bytes`);
      return bytesRead;
    };
    const write = (chunk, last) => new Promise((resolve4, reject) => {
      let stalled;
      const done = (err) => {
        clearTimeout(stalled);
        if (err) reject(err);
        else resolve4();
      };
      if (last)
        res.end(chunk, () => {
          ended = true;
          done();
        });
      else res.write(chunk, done);
      stalled = dropIfStalled(res, stallMs);
    });
    if (size === 0) {
      res.end();
      return;
    }
    let position = 0;
    let current = 0;
    let n = await readAt(chunks[0], 0);
    for (; ; ) {
      position += n;
      const last = position >= size;
      reusable = false;
      const writing = write(chunks[current].subarray(0, n), last);
      if (last) {
        await Promise.race([closed, writing]);
        reusable = true;
        return;
      }
      const next = 1 - current;
      chunks[next] ??= takeChunk();
      const [bytes] = await Promise.race([closed, Promise.all([readAt(chunks[next], position), writing])]);
      reusable = true;
      n = bytes;
      current = next;
    }
  } finally {
    res.off("close", onClose);
    if (reusable) for (const chunk of chunks) giveBack(chunk);
  }
}
function sendOneChunk(res, fd, size, stallMs) {
  const chunk = takeChunk();
  let bytesRead;
  try {
    bytesRead = readSync2(fd, chunk, 0, size, 0);
  } catch (err) {
    giveBack(chunk);
    throw err;
  }
  if (bytesRead !== size) {
    giveBack(chunk);
    throw new Error(`a stored blob is shorter than ${size} bytes`);
  }
  return new Promise((resolve4, reject) => {
    let ended = false;
    let stalled;
    const onClose = () => {
      clearTimeout(stalled);
      if (!ended) reject(new Error("client closed the connection"));
    };
    res.once("close", onClose);
    res.end(chunk.subarray(0, size), () => {
      ended = true;
      clearTimeout(stalled);
      res.off("close", onClose);
      giveBack(chunk);
      resolve4();
    });
    stalled = dropIfStalled(res, stallMs);
  });
}

// src/proxy/served-zip-hash.ts
var wantHeader = "x-goproxy-action-want";
var h1Header = "x-goproxy-action-h1";
var sameFile = (a, b) => a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
var identity = (s) => ({
  dev: s.dev,
  ino: s.ino,
  size: s.size,
  mtimeNs: s.mtimeNs,
  ctimeNs: s.ctimeNs
});
var maxRemembered = 1e5;
var ServedZipHashes = class _ServedZipHashes {
  #known = /* @__PURE__ */ new Map();
  /** Hashes being computed, by file identity: a burst of HEADs for one zip hashes it once. */
  #computing = /* @__PURE__ */ new Map();
  /** Hashes computed for answers (not remembered ones), for tests and statistics. */
  computed = 0;
  static #key(module, version, file) {
    return `${file.dev}:${file.ino} ${module}@${version}`;
  }
  /**
   * Records that the open file (a stored zip of module@version) hashed to `h1`: called right
   * after the blob was verified and renamed into place (a rename changes the ctime).
   */
  async remember(handle, module, version, h1) {
    const file = identity(await handle.stat({ bigint: true }));
    this.#set(module, version, file, h1);
  }
  #set(module, version, file, h1) {
    if (this.#known.size >= maxRemembered) this.#known.delete(this.#known.keys().next().value);
    this.#known.set(_ServedZipHashes.#key(module, version, file), { file, h1 });
  }
  /**
   * The h1 of the bytes `body` holds (an answer's open file, whose name is `path`), or null
   * when it cannot be said for sure (not a valid module zip, unreadable, or the file changed
   * while it was hashed): then the client downloads and hashes it itself.
   */
  async hashOf(body, path, module, version) {
    try {
      const before = identity(await body.handle.stat({ bigint: true }));
      if (before.size !== BigInt(body.size)) return null;
      const key2 = _ServedZipHashes.#key(module, version, before);
      const known = this.#known.get(key2);
      if (known && sameFile(known.file, before)) return known.h1;
      const computingKey = `${key2} ${before.size} ${before.mtimeNs} ${before.ctimeNs}`;
      let computing = this.#computing.get(computingKey);
      if (!computing) {
        computing = this.#compute(body, path, module, version, before).finally(
          () => this.#computing.delete(computingKey)
        );
        this.#computing.set(computingKey, computing);
      }
      return await computing;
    } catch {
      return null;
    }
  }
  async #compute(body, path, module, version, before) {
    try {
      const named = identity(await stat(path, { bigint: true }));
      if (!sameFile(named, before)) return null;
      const { checkModuleZip } = await import("./chunks/module-zip-XW5XVI4G.js");
      const { hash } = await checkModuleZip(path, module, version);
      this.computed++;
      const after = identity(await body.handle.stat({ bigint: true }));
      const namedAfter = identity(await stat(path, { bigint: true }));
      if (!sameFile(after, before) || !sameFile(namedAfter, before)) return null;
      this.#set(module, version, before, hash);
      return hash;
    } catch {
      return null;
    }
  }
};

// src/proxy/proxy-server.ts
var maxStoreHits = 4096;
function storeHitKey(rawUrl) {
  const q = rawUrl.indexOf("?");
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  return path.includes("%21") ? path.replaceAll("%21", "!") : path;
}
var ProxyServer = class {
  #parts;
  #server;
  #audit;
  #storeHits = /* @__PURE__ */ new Map();
  token;
  /** `/<client token>/`, or null when any local client may ask. */
  #clientPrefix;
  #url = "";
  /** Listening on a loopback address: requests must name a loopback host (loopback-host.ts). */
  #loopbackOnly = false;
  /** The last Host header found to be a loopback one: a client sends the same on every request. */
  #loopbackHost = "";
  constructor(parts) {
    this.#parts = parts;
    this.token = parts.adminToken || secureRandomBytes(24).toString("hex");
    this.#clientPrefix = parts.clientToken ? Buffer.from(`/${parts.clientToken}/`) : null;
    this.#audit = parts.auditLogFile ? new AuditLog(parts.auditLogFile) : null;
    this.#server = createServer({ keepAliveTimeout: 3e4 }, (req, res) => {
      if (pipelinedTooDeep(req, res)) {
        req.socket.destroy();
        return;
      }
      if (this.#loopbackOnly && !this.#isLoopbackHost(req.headers.host)) {
        const text = `goproxy-action: this proxy listens on a loopback address and answers only requests to a loopback host (not "${req.headers.host}")`;
        writeReply(res, textReply(403, text), req.method === "HEAD").catch(() => {
        });
        return;
      }
      if (this.#clientPrefix && !this.#takeClientPrefix(req)) {
        const text = 'goproxy-action: this proxy answers only its own job: GOPROXY must be the URL with its client path (the "goproxy" of the ready file, or the GOPROXY that start printed)';
        writeReply(res, textReply(403, text), req.method === "HEAD").catch(() => {
        });
        return;
      }
      const hit = this.#storeHits.size > 0 ? this.#storeHits.get(storeHitKey(req.url ?? "")) : void 0;
      const work = hit && (req.method === "GET" || req.method === "HEAD" && req.headers[wantHeader] === void 0) ? this.#storeHit(hit, req, res) : null;
      (work ?? this.#handle(req, res)).catch((err) => {
        if (!res.headersSent) {
          writeReply(
            res,
            textReply(500, `goproxy-action: internal error: ${err.message}`),
            false
          ).catch(() => {
          });
        } else {
          res.destroy();
        }
      });
    });
  }
  #isLoopbackHost(host) {
    if (host === this.#loopbackHost) return true;
    if (!isLoopbackHostHeader(host)) return false;
    this.#loopbackHost = host;
    return true;
  }
  get url() {
    return this.#url;
  }
  /** What GOPROXY names: the URL, under the client path when there is a client token. */
  get goproxyUrl() {
    return this.#clientPrefix ? `${this.#url}${this.#clientPrefix.toString().slice(0, -1)}` : this.#url;
  }
  /**
   * True when the request may be answered: under the client path (then cut from req.url, so
   * everything after sees the path the go command meant), or an admin call (own bearer token).
   * Compared in constant time (without node:crypto): the prefix is the secret.
   */
  #takeClientPrefix(req) {
    const prefix = this.#clientPrefix;
    const url = req.url ?? "";
    const given = Buffer.from(url.slice(0, prefix.length));
    const wanted = given.length === prefix.length ? constantTimeEqual(given, prefix) : url.length === prefix.length - 1 && constantTimeEqual(Buffer.from(`${url}/`), prefix);
    if (wanted) {
      req.url = url.length < prefix.length ? "/" : url.slice(prefix.length - 1);
      return true;
    }
    return url === "/_admin" || url.startsWith("/_admin/");
  }
  get adminUrl() {
    return `${this.#url}/_admin`;
  }
  async listen(host, port) {
    await new Promise((resolve4, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(port, host, () => resolve4());
    });
    this.#loopbackOnly = isLoopbackAddress(host);
    const address = this.#server.address();
    const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
    this.#url = `http://${host === "0.0.0.0" || host === "::" ? "127.0.0.1" : shownHost}:${address.port}`;
    return this.#url;
  }
  /**
   * Stop accepting, let what is in flight finish (blob writes included) for up to `graceMs`,
   * then abort it whatever the upstream does, and close the log.
   */
  async close(graceMs = 1e4) {
    const closed = new Promise((resolve4) => this.#server.close(() => resolve4()));
    const hard = setTimeout(() => this.#server.closeAllConnections(), graceMs + 1e3);
    await this.#parts.modules.close(graceMs);
    this.#server.closeIdleConnections();
    const timer = setTimeout(() => this.#server.closeAllConnections(), 2e3);
    await closed;
    clearTimeout(timer);
    clearTimeout(hard);
    await this.#audit?.close();
    this.#parts.store.closeOpenBlobs();
  }
  /**
   * A repeated .zip hit: the same answer #handle gives (same status, headers, bytes, statistics
   * and audit line), without parsing the URL again or going through the pipeline. Only when
   * the file is still held open and linked; otherwise null and #handle answers (and decides)
   * from scratch, as for any request.
   */
  #storeHit(hit, req, res) {
    const started = performance.now();
    const file = this.#parts.store.openZipIfOpen(hit.path);
    if (!file) return null;
    this.#parts.store.markUsedKey(hit.usedKey);
    return this.#sendStoreHit(hit, file, req.method === "HEAD", res, started);
  }
  async #sendStoreHit(hit, file, headOnly, res, started) {
    try {
      if (hit.headersSize !== file.size) {
        hit.headers = [
          "content-type",
          zipContentType,
          "content-length",
          String(file.size),
          sourceHeader,
          "store",
          "cache-control",
          immutableCache
        ];
        hit.headersSize = file.size;
      }
      res.writeHead(200, hit.headers);
      if (headOnly) res.end();
      else await sendFile(res, file, this.#parts.slowClientMs ?? 3e4);
    } finally {
      await file.close();
    }
    this.#record(hit.record, 200, headOnly ? 0 : file.size, started);
  }
  /** Remembers a raw URL #handle answered from the store as a .zip (see #storeHit). */
  #rememberStoreHit(rawUrl, module, version) {
    const key2 = storeHitKey(rawUrl);
    if (key2 !== `/${escapePath(module)}/@v/${escapeVersion(version)}.zip`) return;
    if (this.#storeHits.has(key2)) return;
    if (this.#storeHits.size >= maxStoreHits) {
      const oldest = this.#storeHits.keys().next().value;
      if (oldest !== void 0) this.#storeHits.delete(oldest);
    }
    this.#storeHits.set(key2, {
      module,
      version,
      path: this.#parts.store.filePath(module, version, "zip"),
      record: { ...newRequestRecord("zip", module, version), source: "store" },
      usedKey: usedKey(module, version),
      headers: [],
      headersSize: -1
    });
  }
  async #handle(req, res) {
    const started = performance.now();
    let parsed;
    try {
      parsed = parseRequestPath(req.url ?? "/");
    } catch (err) {
      const status = err instanceof BadRequestError ? err.status : 400;
      await writeReply(
        res,
        textReply(status, `goproxy-action: ${err.message}`),
        req.method === "HEAD"
      );
      return;
    }
    if (parsed.type === "admin") {
      await this.#admin(parsed.action, req, res);
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      await writeReply(res, textReply(405, "goproxy-action: the module proxy protocol is GET only"), false);
      return;
    }
    if (parsed.type === "root") {
      await writeReply(
        res,
        textReply(200, "goproxy-action module proxy: set GOPROXY to this URL"),
        req.method === "HEAD"
      );
      return;
    }
    let record;
    let reply;
    let bytes;
    if (parsed.type === "sumdb") {
      const answer = await this.#parts.sumdb.handle(parsed.name, parsed.subpath);
      record = {
        ...newRequestRecord("sumdb", null, null),
        source: answer.source,
        ...answer.upstreamBytes !== void 0 ? { upstreamBytes: answer.upstreamBytes } : {}
      };
      reply = answer;
    } else {
      record = newRequestRecord(parsed.kind, parsed.module, parsed.version);
      const client = req.method === "GET" && parsed.kind === "zip" ? clientStream(res, this.#parts.slowClientMs ?? 3e4) : null;
      const answer = await this.#parts.modules.handle(
        { kind: parsed.kind, module: parsed.module, version: parsed.version },
        record,
        client
      );
      reply = answer.type === "streamed" ? null : replyFor(answer, record);
      if (reply === null) {
        bytes = client.sent;
        this.#record(record, client.completed ? 200 : 502, bytes, started);
        return;
      }
      if (req.method === "HEAD" && parsed.kind === "zip") await this.#addZipHash(req, reply, parsed);
    }
    bytes = await writeReply(res, reply, req.method === "HEAD", this.#parts.slowClientMs ?? 3e4);
    this.#record(record, reply.status, bytes, started);
    if (this.#parts.policyFree && record.kind === "zip" && record.source === "store" && reply.status === 200 && isPlainStoreHit(record)) {
      this.#rememberStoreHit(req.url ?? "", record.module, record.version);
    }
  }
  /**
   * The h1 of the zip a HEAD answer stands for, when the client asks (`X-Goproxy-Action-Want: h1`):
   * it can then check the zip against go.sum without downloading it. Left out when it cannot be
   * said for the very bytes a GET would send (see served-zip-hash.ts).
   */
  async #addZipHash(req, reply, target) {
    const zipHashes = this.#parts.zipHashes;
    const asked = String(req.headers[wantHeader] ?? "").split(",").some((w) => w.trim().toLowerCase() === "h1");
    if (!zipHashes || !asked || reply.status !== 200 || Buffer.isBuffer(reply.body) || !target.version)
      return;
    const path = this.#parts.store.filePath(target.module, target.version, "zip");
    const h1 = await zipHashes.hashOf(reply.body, path, target.module, target.version);
    if (h1) reply.headers = { ...reply.headers, [h1Header]: h1 };
  }
  /** Statistics and the audit log, both from the request's record. */
  #record(record, status, bytes, started) {
    const durationMs = performance.now() - started;
    const { kind, module, version, source } = record;
    const outcome = { kind, module, version, status, source, bytes, durationMs };
    if (record.upstreamBytes !== void 0) outcome.upstreamBytes = record.upstreamBytes;
    if (record.stale) outcome.stale = true;
    if (record.notStored === "unverified") outcome.unverified = true;
    if (record.notStored === "store-failed") outcome.notStored = true;
    if (record.denial) outcome.denial = record.denial;
    this.#parts.stats.record(outcome);
    if (!this.#audit) return;
    const entry = {
      time: (/* @__PURE__ */ new Date()).toISOString(),
      module,
      version,
      kind,
      source,
      status,
      bytes,
      durationMs: Math.round(durationMs * 100) / 100
    };
    if (record.verification) entry.verification = record.verification;
    if (record.notStored) entry.stored = false;
    if (record.storeError) entry.storeError = record.storeError;
    if (record.denial) entry.decision = { action: "deny", ...record.denial };
    this.#audit.write(entry);
  }
  async #admin(action, req, res) {
    if (action === "healthz") {
      await writeReply(res, textReply(200, "ok"), false);
      return;
    }
    if (!this.#authorized(req.headers.authorization)) {
      await writeReply(
        res,
        // Worded without a header-shaped "Authorization: Bearer X", which log redaction masks.
        textReply(
          401,
          "goproxy-action admin: the admin token is missing or wrong; send the ready file's token field as a bearer token in the Authorization header"
        ),
        false
      );
      return;
    }
    const json = (value) => ({
      status: 200,
      contentType: "application/json",
      body: Buffer.from(`${JSON.stringify(value)}
`),
      headers: { "cache-control": "no-store" },
      source: "none"
    });
    const { store, modules, stats } = this.#parts;
    if (action === "stats" && req.method === "GET") {
      const snapshot = stats.snapshot();
      snapshot.store = { ...snapshot.store, ...await store.summary() };
      await writeReply(res, json(snapshot), false);
    } else if (action === "metrics" && req.method === "GET") {
      const snapshot = stats.snapshot();
      snapshot.store = { ...snapshot.store, ...await store.summary() };
      const om = /application\/openmetrics-text/.test(req.headers.accept ?? "");
      const { renderMetrics, openMetricsContentType, prometheusContentType } = await import("./chunks/metrics-text-F2EJMIHW.js");
      await writeReply(
        res,
        {
          ...json(null),
          contentType: om ? openMetricsContentType : prometheusContentType,
          body: Buffer.from(renderMetrics(snapshot, om))
        },
        false
      );
    } else if (action === "flush" && req.method === "POST") {
      await modules.settle();
      await writeReply(res, json({ flushed: true }), false);
    } else if (action === "prune" && req.method === "POST") {
      await modules.settle();
      await writeReply(res, json(await store.prune()), false);
    } else if (action === "shutdown" && req.method === "POST") {
      await writeReply(res, json({ shuttingDown: true }), false);
      this.#parts.onShutdownRequest?.();
    } else {
      await writeReply(
        res,
        textReply(404, `goproxy-action admin: unknown action "${req.method} ${action}"`),
        false
      );
    }
  }
  #authorized(header) {
    const match = /^Bearer (.+)$/.exec(header ?? "");
    if (!match) return false;
    const given = Buffer.from(match[1]);
    const want = Buffer.from(this.token);
    return given.length === want.length && constantTimeEqual(given, want);
  }
};
var zipContentType = "application/zip";
function isPlainStoreHit(record) {
  return record.upstreamBytes === void 0 && !record.stale && record.verification === void 0 && record.notStored === void 0 && record.storeError === void 0 && record.denial === void 0;
}
var sourceHeader = "x-goproxy-source";
var cacheControl = {
  immutable: immutableCache,
  "short-lived": shortLivedCache,
  "no-store": "no-store"
};
function replyFor(answer, record) {
  switch (answer.type) {
    case "content": {
      const headers = { "cache-control": cacheControl[answer.cache] };
      if (answer.notStored) headers["x-goproxy-action-stored"] = "false";
      if (answer.stale) headers["x-goproxy-action-stale"] = "true; upstream failed";
      return {
        status: 200,
        contentType: answer.contentType,
        body: answer.body,
        headers,
        source: record.source
      };
    }
    case "denied":
      return textReply(403, answer.text);
    case "not-found":
      return textReply(404, `not found: ${answer.message}`);
    case "upstream-failed":
      return textReply(502, `goproxy-action: upstream failed: ${answer.message}`);
  }
}
function clientStream(res, slowClientMs) {
  let sent = 0;
  let completed = false;
  const gone = () => res.destroyed || res.writableEnded;
  const drained = () => new Promise((resolve4) => {
    const done = () => {
      clearTimeout(timer);
      res.off("drain", done);
      res.off("close", done);
      resolve4();
    };
    const timer = setTimeout(() => {
      res.destroy();
      done();
    }, slowClientMs);
    res.on("drain", done);
    res.on("close", done);
  });
  return {
    get sent() {
      return sent;
    },
    get completed() {
      return completed;
    },
    get gone() {
      return gone();
    },
    start(size, contentType, source, cache, notStored) {
      res.writeHead(200, {
        "content-type": contentType,
        "content-length": String(size),
        "cache-control": cacheControl[cache],
        [sourceHeader]: source,
        ...notStored ? { "x-goproxy-action-stored": "false" } : {}
      });
    },
    async write(chunk) {
      if (gone()) return;
      sent += chunk.length;
      if (!res.write(chunk)) await drained();
    },
    async end(last) {
      if (gone()) return;
      if (last) sent += last.length;
      completed = true;
      res.end(last ?? void 0);
    },
    abort() {
      res.destroy();
    }
  };
}
async function writeReply(res, reply, headOnly, stallMs) {
  const file = Buffer.isBuffer(reply.body) ? null : reply.body;
  try {
    const size = file ? file.size : reply.body.length;
    res.writeHead(reply.status, {
      "content-type": reply.contentType,
      "content-length": String(size),
      ...reply.status === 200 && reply.source !== "none" ? { [sourceHeader]: reply.source } : {},
      ...reply.headers
    });
    if (headOnly) {
      res.end();
      return 0;
    }
    if (!file) {
      res.end(reply.body);
      return size;
    }
    await sendFile(res, file, stallMs);
    return size;
  } finally {
    await file?.close().catch(() => {
    });
  }
}

// src/gomod/request-kind.ts
var proxyRequestKinds = [
  "list",
  "info",
  "mod",
  "zip",
  "latest",
  "sumdb"
];

// src/proxy/proxy-stats.ts
var kinds = proxyRequestKinds;
var maxSamples = 4096;
function emptyCounters() {
  return {
    requests: 0,
    hits: 0,
    misses: 0,
    upstreamFetches: 0,
    upstreamBytes: 0,
    servedBytes: 0,
    errors: 0,
    staleServed: 0,
    unverified: 0,
    notStored: 0,
    denied: 0
  };
}
var LatencyReservoir = class {
  #samples = [];
  #seen = 0;
  add(ms) {
    this.#seen++;
    if (this.#samples.length < maxSamples) {
      this.#samples.push(ms);
      return;
    }
    const slot = Math.floor(Math.random() * this.#seen);
    if (slot < maxSamples) this.#samples[slot] = ms;
  }
  percentile(p) {
    if (this.#samples.length === 0) return 0;
    const sorted = [...this.#samples].sort((a, b) => a - b);
    const index = Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
    return Math.round(sorted[Math.max(0, index)] * 100) / 100;
  }
};
var maxModules = 1e4;
var maxVersionsPerModule = 1e3;
var maxDenials = 1e4;
var otherModules = "(other modules)";
var ProxyStats = class {
  #startedAt = /* @__PURE__ */ new Date();
  #totals = emptyCounters();
  #byKind = new Map(kinds.map((k) => [k, emptyCounters()]));
  #latency = new Map(kinds.map((k) => [k, new LatencyReservoir()]));
  #modules = /* @__PURE__ */ new Map();
  #denials = /* @__PURE__ */ new Map();
  #addedFiles = 0;
  #addedBytes = 0;
  #prefetch = { zips: 0, asked: 0 };
  record(outcome) {
    const targets = [this.#totals, this.#byKind.get(outcome.kind)];
    if (outcome.module) {
      let key2 = outcome.module;
      let m = this.#modules.get(key2);
      if (!m && this.#modules.size >= maxModules) {
        key2 = otherModules;
        m = this.#modules.get(key2);
      }
      if (!m) {
        m = { ...emptyCounters(), versions: /* @__PURE__ */ new Set() };
        this.#modules.set(key2, m);
      }
      const keepVersion = key2 !== otherModules && m.versions.size < maxVersionsPerModule;
      if (outcome.version && outcome.status === 200 && keepVersion) m.versions.add(outcome.version);
      targets.push(m);
    }
    for (const c of targets) {
      c.requests++;
      if (outcome.status === 200) {
        c.servedBytes += outcome.bytes;
        if (outcome.source === "store") c.hits++;
        else c.misses++;
      } else if (outcome.status >= 500 || outcome.status >= 400 && outcome.status !== 404 && outcome.status !== 410) {
        c.errors++;
      }
      if (outcome.upstreamBytes !== void 0) {
        c.upstreamFetches++;
        c.upstreamBytes += outcome.upstreamBytes;
      }
      if (outcome.stale) c.staleServed++;
      if (outcome.unverified) c.unverified++;
      if (outcome.notStored) c.notStored++;
      if (outcome.denial) c.denied++;
    }
    this.#latency.get(outcome.kind).add(outcome.durationMs);
    if (outcome.denial && outcome.module) {
      let key2 = `${outcome.module}@${outcome.version ?? ""}#${outcome.denial.rule}`;
      if (!this.#denials.has(key2) && this.#denials.size >= maxDenials) key2 = otherModules;
      const existing = this.#denials.get(key2);
      if (existing) existing.count++;
      else {
        const folded = key2 === otherModules;
        this.#denials.set(key2, {
          module: folded ? otherModules : outcome.module,
          version: folded ? null : outcome.version,
          kind: outcome.kind,
          rule: outcome.denial.rule,
          reason: outcome.denial.reason,
          count: 1
        });
      }
    }
  }
  recordStored(bytes) {
    this.#addedFiles++;
    this.#addedBytes += bytes;
  }
  recordPrefetched(event) {
    if (event === "stored") this.#prefetch.zips++;
    else this.#prefetch.asked++;
  }
  snapshot() {
    const byKind = {};
    for (const kind of kinds) {
      const latency = this.#latency.get(kind);
      byKind[kind] = {
        ...this.#byKind.get(kind),
        p50Ms: latency.percentile(50),
        p95Ms: latency.percentile(95)
      };
    }
    const modules = [...this.#modules.entries()].map(([path, { versions, ...counters }]) => ({ path, versions: [...versions].sort(), ...counters })).sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    return {
      startedAt: this.#startedAt.toISOString(),
      uptimeMs: Date.now() - this.#startedAt.getTime(),
      totals: { ...this.#totals },
      byKind,
      modules,
      denials: [...this.#denials.values()],
      store: { addedFiles: this.#addedFiles, addedBytes: this.#addedBytes },
      prefetch: { ...this.#prefetch }
    };
  }
};

// src/proxy/seed-verifier.ts
function goSumSeedVerifier(goSum) {
  return async (module, version, files) => {
    const zipHashes = goSum.zipHash(module, version);
    const modHashes = goSum.modHash(module, version);
    if (zipHashes.length === 0 && modHashes.length === 0) return false;
    if (files.zip) {
      if (zipHashes.length === 0) return false;
      const { checkModuleZip } = await import("./chunks/module-zip-XW5XVI4G.js");
      try {
        if (!zipHashes.includes((await checkModuleZip(files.zip, module, version)).hash)) return false;
      } catch {
        return false;
      }
    }
    if (files.mod) {
      if (modHashes.length === 0) return false;
      if (!modHashes.includes(hashGoMod(await readFile(files.mod)))) return false;
    }
    return Boolean(files.zip || files.mod);
  };
}

// src/proxy/create-proxy.ts
async function createProxy(settings, host, port) {
  const env = settings.env ?? process.env;
  const goBinary = settings.goBinary ?? "go";
  const store = await BlobStore.open(settings.storeDir, { sweep: "later" });
  const goSumTexts = await readGoSumFiles(settings.goSumFiles);
  let goSumParse;
  const loadGoSum = () => {
    goSumParse ??= GoSumIndex.parseInSlices(goSumTexts);
    return goSumParse;
  };
  const seeded = settings.seedFrom ? await store.seedFromModCache(settings.seedFrom, goSumSeedVerifier(await loadGoSum())) : null;
  const isPrivate = (m) => matchPatternList(settings.privatePatterns, m, { foldCase: true });
  const isNoSum = (m) => matchPatternList(settings.noSumPatterns, m, { foldCase: true });
  const entries = parseGoproxyList(settings.upstream);
  const privateEntries = settings.privateUpstream ? parseGoproxyList(settings.privateUpstream) : null;
  const credentials = await UpstreamCredentials.load({
    entries: [...entries, ...privateEntries ?? []],
    env
  });
  const sumdbSetting = parseGosumdb(settings.gosumdb);
  const stats = new ProxyStats();
  const zipHashes = new ServedZipHashes();
  let engine = null;
  let engineLoad;
  const loadEngine = () => {
    engineLoad ??= import("./chunks/proxy-engine-ILEXNCQD.js").then(async ({ buildProxyEngine }) => {
      engine = await buildProxyEngine({
        store,
        storeDir: settings.storeDir,
        entries,
        privateEntries,
        isPrivate,
        isNoSum,
        credentials,
        ...settings.http ? { http: settings.http } : {},
        env,
        goBinary,
        database: sumdbSetting.off ? null : {
          name: sumdbSetting.name,
          key: sumdbSetting.key ?? knownSumdbKey(sumdbSetting.name),
          url: sumdbSetting.url?.replace(/\/+$/, "") ?? null
        },
        goSum: loadGoSum,
        policy: settings.policy ?? null,
        onStored: (bytes) => stats.recordStored(bytes),
        onPrefetched: (event) => stats.recordPrefetched(event),
        zipHashes,
        ...settings.listMetadataLimit !== void 0 ? { listMetadataLimit: settings.listMetadataLimit } : {},
        ...settings.zipPrefetch !== void 0 ? { zipPrefetch: settings.zipPrefetch } : {}
      });
      return engine;
    });
    return engineLoad;
  };
  if (!settings.deferEngine) await loadEngine();
  const modules = {
    handle: (request, record, client) => engine ? engine.modules.handle(request, record, client) : loadEngine().then((e) => e.modules.handle(request, record, client)),
    // Nothing loaded, nothing under way.
    settle: async () => {
      if (engineLoad) await (await engineLoad).modules.settle();
      await store.syncDeferred();
    },
    close: async (graceMs) => {
      if (engineLoad) await (await engineLoad).modules.close(graceMs);
      await store.syncDeferred();
    }
  };
  const sumdb = {
    handle: (name, subpath) => engine ? engine.sumdb.handle(name, subpath) : loadEngine().then((e) => e.sumdb.handle(name, subpath))
  };
  const server = new ProxyServer({
    store,
    modules,
    sumdb,
    stats,
    zipHashes,
    auditLogFile: settings.auditLogFile ?? null,
    adminToken: settings.adminToken ?? null,
    clientToken: settings.clientToken ?? null,
    policyFree: !settings.policy,
    // A streaming client may stay silent as long as an upstream may.
    ...settings.http?.timeoutMs ? { slowClientMs: settings.http.timeoutMs } : {},
    ...settings.onShutdownRequest ? { onShutdownRequest: settings.onShutdownRequest } : {}
  });
  const url = await server.listen(host, port);
  const sweepStore = () => store.removeStaleTempFiles().then(
    () => {
    },
    (err) => {
      process.emitWarning(`goproxy-action: could not remove stale temp files in the store: ${err.message}`);
    }
  );
  if (!settings.deferSweep) void sweepStore();
  return {
    url,
    goproxyUrl: server.goproxyUrl,
    seeded,
    adminUrl: server.adminUrl,
    token: server.token,
    server,
    store,
    stats,
    zipHashes,
    loadGoSum: async () => {
      await loadGoSum();
    },
    loadEngine: async () => {
      await loadEngine();
    },
    sweepStore,
    close: async () => {
      await server.close(settings.shutdownGraceMs);
      if (engineLoad) await (await engineLoad.catch(() => null))?.http.close();
    }
  };
}

// src/proxy/user-cache-dir.ts
const { homedir: homedir2 } = require("node:os");
const { join: join7 } = require("node:path");
function userCacheDir(env = process.env, platform = process.platform) {
  if (platform === "win32") return env.LocalAppData ?? join7(homedir2(), "AppData", "Local");
  if (platform === "darwin") return join7(homedir2(), "Library", "Caches");
  return env.XDG_CACHE_HOME?.startsWith("/") ? env.XDG_CACHE_HOME : join7(homedir2(), ".cache");
}

// src/upstream/upstream-option.ts
function resolveUpstreamOption(options) {
  if (options.upstream !== void 0 && options.upstreamEnv !== void 0) {
    throw new GoproxyListError("give --upstream or --upstream-env, not both");
  }
  let upstream;
  let where;
  if (options.upstreamEnv !== void 0) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.upstreamEnv))
      throw new GoproxyListError(`--upstream-env ${options.upstreamEnv}: not an environment variable name`);
    upstream = (options.env[options.upstreamEnv] ?? "").trim();
    if (upstream === "")
      throw new GoproxyListError(
        `--upstream-env ${options.upstreamEnv}: the variable is unset or empty; export it with the upstream list (GOPROXY syntax)`
      );
    where = `--upstream-env ${options.upstreamEnv}`;
  } else if (options.upstream !== void 0) {
    upstream = options.upstream;
    where = "--upstream";
  } else {
    upstream = options.goproxy ?? "";
    if (upstream === "")
      throw new GoproxyListError(
        "no upstream: go env GOPROXY is empty; pass --upstream LIST or --upstream-env NAME"
      );
    where = "GOPROXY";
  }
  let entries;
  try {
    entries = parseGoproxyList(upstream);
  } catch (err) {
    throw new GoproxyListError(`${where}: ${err.message}`);
  }
  const onCommandLine = where === "--upstream" && entries.some((e) => e.kind === "url" && e.credentials);
  return {
    upstream,
    shown: redactUrlUserinfo(upstream),
    warning: onCommandLine ? "--upstream holds credentials, which any process on this machine can read from the command line; pass the list with --upstream-env NAME instead" : null
  };
}

// src/cli/parse-options.ts
const { parseArgs } = require("node:util");
function describeParseError(command, err) {
  const message = err instanceof Error ? err.message : String(err);
  const code = err.code;
  const seeHelp = `run 'goproxy-action ${command} --help' for its options`;
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && quoted) return `unknown option '${quoted}'; ${seeHelp}`;
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL" && quoted)
    return `unexpected argument '${quoted}' (options only); ${seeHelp}`;
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const option = /--?[A-Za-z0-9-]+/.exec(message)?.[0] ?? "an option";
    return message.includes("argument missing") ? `option ${option} needs a value; ${seeHelp}` : `option ${option} takes no value; ${seeHelp}`;
  }
  return `${message.split("\n")[0]}; ${seeHelp}`;
}
function parseOptions(command, args, options) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError(describeParseError(command, err));
  }
}

// src/cli/serve-options.ts
const { statSync } = require("node:fs");
const { dirname: dirname3, resolve: resolve2 } = require("node:path");
var serveOptions = {
  listen: { type: "string" },
  store: { type: "string" },
  upstream: { type: "string" },
  "private-upstream": { type: "string" },
  private: { type: "string", multiple: true },
  gosumdb: { type: "string" },
  policy: { type: "string" },
  "go-sum": { type: "string", multiple: true },
  "ready-file": { type: "string" },
  "seed-from": { type: "string" },
  "audit-log": { type: "string" },
  "admin-token-env": { type: "string" },
  "client-token-env": { type: "string" },
  "upstream-env": { type: "string" },
  "fetch-timeout": { type: "string" },
  "shutdown-grace": { type: "string" },
  help: { type: "boolean", short: "h" }
};
function parseListen(value) {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]*):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : Number.NaN;
  if (!match || port > 65535)
    throw new UsageError(`--listen ${value}: write HOST:PORT (e.g. 127.0.0.1:0) or :PORT for all interfaces`);
  const host = match[1] === "" ? "0.0.0.0" : match[1].replace(/^\[|\]$/g, "");
  const loopback = host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
  return { host, port, loopback };
}
function checkUpstream(option, value) {
  const problem = goproxySettingError(value);
  if (problem) throw new UsageError(`${option} ${redactUrlUserinfo(value)}: ${redactUrlUserinfo(problem)}`);
}
function checkPrivatePatterns(values) {
  for (const value of values)
    for (const pattern of value.split(",")) {
      if (pattern === "") continue;
      const problem = validatePattern(pattern);
      if (problem) throw new UsageError(`--private: ${problem}`);
    }
}
function isDirectory(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
async function checkFileToCreate(option, file) {
  if (!isDirectory(dirname3(resolve2(file))))
    throw new UsageError(
      `${option} ${file}: the directory ${dirname3(resolve2(file))} does not exist; create it first`
    );
  if (isDirectory(file)) throw new UsageError(`${option} ${file}: is a directory; give a file name`);
}
async function checkAppendable(option, file) {
  await checkFileToCreate(option, file);
  try {
    await (await open(file, "a", 384)).close();
  } catch (err) {
    throw new UsageError(
      `${option} ${file}: cannot be written (${err.code ?? err})`
    );
  }
}
async function checkDirectory(option, dir, what) {
  if (!isDirectory(dir)) throw new UsageError(`${option} ${dir}: no such directory; give ${what}`);
}
function parseDurationOption(name, value) {
  if (value === void 0) return null;
  const ms = parseGoDuration(value);
  if (ms === null || ms <= 0)
    throw new UsageError(`${name} ${value}: give a positive Go duration such as 30s or 2m`);
  return ms;
}
async function checkServeValues(values, env) {
  const listen = parseListen(values.listen ?? "127.0.0.1:0");
  if (values.upstream !== void 0) checkUpstream("--upstream", values.upstream);
  if (values["private-upstream"] !== void 0)
    checkUpstream("--private-upstream", values["private-upstream"]);
  checkPrivatePatterns(values.private ?? []);
  if (values["seed-from"] !== void 0)
    await checkDirectory("--seed-from", values["seed-from"], "a module cache's download dir");
  if (values["ready-file"] !== void 0) await checkFileToCreate("--ready-file", values["ready-file"]);
  if (values["audit-log"] !== void 0) await checkAppendable("--audit-log", values["audit-log"]);
  let adminToken = null;
  if (values["admin-token-env"]) {
    adminToken = env[values["admin-token-env"]] ?? "";
    if (adminToken.length < 16)
      throw new UsageError(
        `--admin-token-env ${values["admin-token-env"]}: the variable must hold a token of at least 16 characters`
      );
  }
  let clientToken = null;
  if (values["client-token-env"]) {
    clientToken = env[values["client-token-env"]] ?? "";
    if (clientToken.length < 16 || !/^[A-Za-z0-9_-]+$/.test(clientToken))
      throw new UsageError(
        `--client-token-env ${values["client-token-env"]}: the variable must hold a token of at least 16 letters, digits, '-' or '_' (e.g. from openssl rand -hex 24)`
      );
  }
  const fetchTimeoutMs = parseDurationOption("--fetch-timeout", values["fetch-timeout"]);
  const shutdownGraceMs = parseDurationOption("--shutdown-grace", values["shutdown-grace"]);
  return { listen, adminToken, clientToken, fetchTimeoutMs, shutdownGraceMs };
}

// src/cli/serve-command.ts
var help = `usage: goproxy-action serve [options]

Runs a Go module proxy that serves from a verified local blob store and fetches what it
lacks from the upstream. Point the go command at the URL it prints.

options:
  --listen HOST:PORT       address to listen on (default 127.0.0.1:0: a free loopback port;
                           :PORT listens on all interfaces, reachable by other machines)
  --store DIR              blob store, in the module cache's download layout
                           (default <user cache dir>/goproxy-action/store)
  --upstream LIST          upstream in GOPROXY syntax (default: go env GOPROXY). An https
                           URL may hold credentials (https://user:token@host), sent as Basic
                           auth; otherwise NETRC and GOAUTH supply them, as for the go command
  --upstream-env NAME      read the upstream list from environment variable NAME instead, to
                           keep credentials off the command line (and out of ps)
  --private-upstream LIST  upstream for private modules (default: direct)
  --private PATTERNS       more private module patterns (GOPRIVATE syntax); repeatable.
                           Also private: go env GONOPROXY (default GOPRIVATE) for routing,
                           go env GONOSUMDB (default GOPRIVATE) for the checksum database
  --gosumdb VALUE          checksum database (default: go env GOSUMDB)
  --policy FILE            module policy (default: .goproxy.yml in the current directory, if any)
  --go-sum FILE            go.sum to verify against; repeatable (default: every go.sum below
                           the current directory, outside vendor, testdata, . and _ dirs)
  --seed-from DIR          copy verified versions from a module cache's download dir
                           (e.g. $(go env GOMODCACHE)/cache/download) into the store first
  --ready-file FILE        when ready, write {"url","pid","adminUrl","token","goproxy"} there
                           (mode 0600); goproxy is the URL for GOPROXY
  --audit-log FILE         append one JSON line per request
  --admin-token-env NAME   take the admin token from this environment variable
  --client-token-env NAME  answer module requests only under /<token>/, the token taken from
                           this variable (16+ of A-Z a-z 0-9 - _): GOPROXY is then
                           http://HOST:PORT/<token>; other local users cannot use the proxy
  --fetch-timeout DURATION longest one upstream fetch may take, body included, in Go's
                           duration syntax (default 5m); a slower answer fails (or moves on
                           along a \`|\` list)
  --shutdown-grace DURATION on SIGTERM, how long fetches under way may finish before they are
                           aborted (default 10s)
  -h, --help               show this help

environment:
  GOPROXY_ACTION_GO_SETTINGS  GOPROXY, GOSUMDB, GOPRIVATE, GONOPROXY and GONOSUMDB as a JSON
                           object, as go env -json prints them: when set, serve takes them
                           from it and does not run go env (the action and \`start\` pass what
                           they read, so the daemon is ready sooner)`;
var engineWarmUpDelayMs = 100;
var serveCommand = {
  async run(args) {
    const values = parseOptions("serve", args, serveOptions);
    if (values.help) {
      process.stdout.write(`${help}
`);
      return 0;
    }
    const { listen, adminToken, clientToken, fetchTimeoutMs, shutdownGraceMs } = await checkServeValues(
      values,
      process.env
    );
    const goSumSearch = (values["go-sum"] ?? []).length === 0 ? findModuleFiles(process.cwd(), ["go.sum"]) : null;
    goSumSearch?.catch(() => {
    });
    const policyLoad = loadPolicy({
      workspace: process.cwd(),
      ...values.policy ? { explicitPath: values.policy } : {}
    });
    policyLoad.catch(() => {
    });
    let passed;
    try {
      passed = passedGoSettings(process.env);
    } catch (err) {
      throw new UsageError(err.message);
    }
    const goEnv = passed ?? await readGoEnv(GO_SETTING_NAMES, { whenGoMissing: "environment" });
    if (values.gosumdb !== void 0) goEnv.GOSUMDB = values.gosumdb;
    let upstreamOption;
    try {
      upstreamOption = resolveUpstreamOption({
        upstream: values.upstream,
        upstreamEnv: values["upstream-env"],
        env: process.env,
        goproxy: goEnv.GOPROXY
      });
    } catch (err) {
      throw new UsageError(err.message);
    }
    const { upstream } = upstreamOption;
    if (values.upstream === void 0) {
      const problem = goproxySettingError(upstream);
      const where = values["upstream-env"] ? `$${values["upstream-env"]}` : "go env GOPROXY";
      if (problem)
        throw new UsageError(`${where} is ${redactUrlUserinfo(problem)}; fix it or pass --upstream LIST`);
    }
    if (upstreamOption.warning) process.stderr.write(`goproxy-action: warning: ${upstreamOption.warning}
`);
    const loaded = await policyLoad;
    if (loaded.message) process.stderr.write(`goproxy-action: ${loaded.message}
`);
    const sources = {
      goEnv,
      inputPrivate: values.private ?? [],
      policyPrivate: loaded.policy?.private ?? []
    };
    const job = jobPatterns(sources);
    const privatePatterns = job.patterns.noProxy;
    const policy = loaded.policy ? new (await import("./chunks/proxy-engine-ILEXNCQD.js")).ProxyPolicy(loaded.policy, {
      extraPrivatePatterns: privatePatterns
    }) : null;
    const privateUpstream = values["private-upstream"] ?? loaded.policy?.privateUpstream ?? null;
    const storeDir = resolve3(values.store ?? join8(userCacheDir(), "goproxy-action", "store"));
    const goSumFiles = (values["go-sum"] ?? []).map((f) => resolve3(f));
    if (goSumSearch) goSumFiles.push(...await goSumSearch);
    let stopping = null;
    const proxy = await createProxy(
      {
        storeDir,
        upstream,
        privateUpstream,
        policy,
        privatePatterns,
        noSumPatterns: job.patterns.noSumDb,
        gosumdb: job.gosumdb,
        goSumFiles,
        seedFrom: values["seed-from"] ? resolve3(values["seed-from"]) : null,
        auditLogFile: values["audit-log"] ? resolve3(values["audit-log"]) : null,
        adminToken,
        clientToken,
        ...fetchTimeoutMs !== null ? { http: { deadlineMs: fetchTimeoutMs } } : {},
        ...shutdownGraceMs !== null ? { shutdownGraceMs } : {},
        deferSweep: true,
        deferEngine: true,
        onShutdownRequest: () => {
          stop();
        }
      },
      listen.host,
      listen.port
    );
    const stop = () => {
      stopping ??= proxy.close().then(() => {
        process.stderr.write("goproxy-action: stopped\n");
        process.exit(0);
      });
      return stopping;
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
    const port = new URL(proxy.url).port;
    const boundTo = listen.host.includes(":") ? `[${listen.host}]:${port}` : `${listen.host}:${port}`;
    if (!listen.loopback) {
      process.stderr.write(
        `goproxy-action: WARNING: listening on ${boundTo}${listen.host === "0.0.0.0" ? " (all interfaces)" : ""}: anyone who can reach this machine can use this proxy without authentication. Listen on 127.0.0.1 unless that is intended.
`
      );
    }
    const shownGoproxy = clientToken ? `${proxy.url}/<$${values["client-token-env"]}>` : proxy.url;
    const exported = jobGoEnv(sources, { kind: "proxy", proxyUrl: shownGoproxy });
    process.stdout.write(
      [
        `goproxy-action: serving Go modules at ${proxy.url}`,
        `  listen:   ${boundTo}${listen.loopback ? "" : " (reachable from other machines)"}`,
        `  store:    ${storeDir}`,
        `  upstream: ${upstreamOption.shown}${privatePatterns.length ? `  (private: ${privatePatterns.join(",")} via ${redactUrlUserinfo(privateUpstream ?? "direct")})` : ""}`,
        `  policy:   ${loaded.source ?? "none"}`,
        `  go.sum:   ${goSumFiles.length} file(s)`,
        ...proxy.seeded ? [`  seeded:   ${proxy.seeded.copied} version(s) from ${values["seed-from"]}`] : [],
        "point the go command at it:",
        ...renderEnvLines(exported, "shell").trimEnd().split("\n").map((line) => `  ${line}`),
        ""
      ].join("\n")
    );
    if (values["ready-file"]) {
      const ready = {
        url: proxy.url,
        pid: process.pid,
        adminUrl: proxy.adminUrl,
        token: proxy.token,
        goproxy: proxy.goproxyUrl
      };
      try {
        const readyTemp = `${values["ready-file"]}.tmp-${process.pid}-${secureRandomBytes(4).toString("hex")}`;
        writeFileSync(readyTemp, `${JSON.stringify(ready)}
`, { mode: 384, flag: "wx" });
        try {
          renameSync(readyTemp, values["ready-file"]);
        } catch (err) {
          rmSync(readyTemp, { force: true });
          throw err;
        }
      } catch (err) {
        await proxy.close();
        throw err;
      }
    }
    setTimeout(() => {
      proxy.loadEngine().catch((err) => {
        process.stderr.write(`goproxy-action: could not load the proxy's engine: ${err.message}
`);
      });
    }, engineWarmUpDelayMs);
    proxy.loadGoSum().catch((err) => {
      process.stderr.write(
        `goproxy-action: ${err.message}. Every module not already in the store is refused until the go.sum is fixed and serve restarted.
`
      );
    }).then(() => proxy.sweepStore());
    await new Promise(() => {
    });
    return 0;
  }
};

// src/cli/serve-main.ts
function runServe(args) {
  return runCommand("serve", async () => serveCommand, args);
}
export {
  runServe,
  serveCommand
};
