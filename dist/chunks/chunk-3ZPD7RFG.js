import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  BUILD_CACHE_DIR,
  MOD_TREE_CACHE_DIR,
  STORE_CACHE_DIR,
  jobWorkDir,
  modTreeWorkDir,
  readGitLabJob
} from "./chunk-3CYDPAS3.js";
import {
  eachLimited
} from "./chunk-LX67Z6VI.js";
import {
  CLIENT_TOKEN_ENV,
  hideClientToken,
  newClientToken
} from "./chunk-Z3RLGLLH.js";
import {
  passGoSettings
} from "./chunk-ZO4TFNJM.js";
import {
  formatBytes,
  statsLines,
  stopProxyInStateDir
} from "./chunk-7XKFHKGP.js";
import {
  logTail,
  startProxyDetached
} from "./chunk-L6W3GWGW.js";
import {
  findModuleFiles
} from "./chunk-4ZLOKNXU.js";
import {
  GoSumIndex
} from "./chunk-TP23J6CY.js";
import {
  createHash
} from "./chunk-IZF6HKYA.js";
import {
  unescapePath,
  unescapeVersion
} from "./chunk-HYK6JFBE.js";
import {
  GO_SETTING_NAMES,
  jobGoEnv
} from "./chunk-MERAHNWG.js";
import {
  readGoEnv
} from "./chunk-BDS5G37X.js";
import {
  loadPolicy
} from "./chunk-CUR5OLJO.js";
import {
  chmod,
  cp,
  lstat,
  mkdir,
  readFile,
  readdir,
  rename,
  rm,
  stat,
  unlink,
  utimes,
  writeFile
} from "./chunk-SY3SBDYW.js";

// src/gitlab/in-job.ts
const { join: join7, resolve } = require("node:path");

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
    let info;
    try {
      info = await lstat(path);
    } catch {
      return false;
    }
    if (info.isSymbolicLink()) {
      await unlink(path).catch((err) => {
        if (err.code !== "ENOENT") throw err;
      });
      return true;
    }
    if (!info.isDirectory()) return false;
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
        const info = await lstat(path);
        const isDir = info.isDirectory();
        if (!isDir && !info.isFile()) return null;
        return { bytes: isDir ? await dirBytes(path) : info.size, mtimeMs: info.mtimeMs, isDir };
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

// src/buildcache/build-cache-session.ts
async function beginBuildCacheSession(dir, sessionFile2) {
  const listing = await listBuildCache(dir);
  const now = Date.now();
  await ageEntries(dir, listing, new Date(now - AGE_BACK_MS));
  const session = { usedSinceMs: now - 1e3, restored: [...listing.keys()] };
  await writeFile(sessionFile2, JSON.stringify(session), { mode: 384 });
  let bytes = 0;
  for (const entry of listing.values()) bytes += entry.bytes;
  return { entries: listing.size, bytes };
}
async function endBuildCacheSession(dir, sessionFile2, prune) {
  let session;
  try {
    session = JSON.parse(await readFile(sessionFile2, "utf8"));
  } catch (err) {
    throw new Error(
      `no build cache session at ${sessionFile2} (${err.message}); the job's 'ci start' records it`
    );
  }
  const usage = buildCacheUsage(new Set(session.restored), await listBuildCache(dir), session.usedSinceMs);
  if (!prune)
    return {
      used: usage.used.length,
      added: usage.added.length,
      addedBytes: usage.addedBytes,
      pruned: 0,
      prunedBytes: 0,
      partners: 0
    };
  const kept = await pruneToUsed(dir, usage);
  return {
    used: usage.used.length,
    added: usage.added.length,
    addedBytes: usage.addedBytes,
    pruned: kept.unused.length,
    prunedBytes: kept.unusedBytes,
    partners: kept.partners.length
  };
}

// src/modtree/mod-tree.ts
const { join: join3 } = require("node:path");
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
  const root = join3(gomodcache, DOWNLOAD);
  await unlinkLinksOnPath(gomodcache, DOWNLOAD);
  for (const entry of await walkNoFollow(root)) {
    const link = entry.isSymbolicLink();
    if (link) await unlink(join3(entry.parentPath, entry.name)).catch(() => {
    });
    if (link ? !entry.name.endsWith(".ziphash") : !entry.isFile() || !carried(entry.name)) continue;
    const rel = `${DOWNLOAD}/${join3(entry.parentPath, entry.name).slice(root.length + 1).split("\\").join("/")}`;
    if (rel.startsWith(`${DOWNLOAD}/sumdb/`)) continue;
    if (!link) meta.set(rel, entry.name === "list" ? (await lstat(join3(gomodcache, rel))).size : 0);
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
      if (entry.isDirectory()) await chmod(join3(entry.parentPath, entry.name), 493);
    }
  } catch (err) {
    if (err.code !== "ENOENT") throw err;
  }
}
async function removeModule(gomodcache, mod) {
  await unlinkLinksOnPath(gomodcache, mod.dir);
  await unlinkLinksOnPath(gomodcache, mod.ziphash);
  await makeWritable(join3(gomodcache, mod.dir));
  await rm(join3(gomodcache, mod.dir), { recursive: true, force: true });
  await rm(join3(gomodcache, mod.ziphash), { force: true });
  await rm(join3(gomodcache, mod.ziphash.replace(/\.ziphash$/, ".zip")), { force: true });
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
    const hash = linked ? "" : (await readFile(join3(gomodcache, mod.ziphash), "utf8").catch(() => "")).trim();
    verdicts[i] = recorded.includes(hash) ? check.kept : check.mismatched;
  });
  for (const [i, mod] of modules.entries()) verdicts[i].push(mod);
  for (const mod of [...check.pruned, ...check.mismatched]) await removeModule(gomodcache, mod);
  return check;
}
async function removeModCache(gomodcache) {
  if ((await lstat(gomodcache).catch(() => null))?.isSymbolicLink()) {
    await unlink(gomodcache);
    return;
  }
  await makeWritable(gomodcache);
  await rm(gomodcache, { recursive: true, force: true });
}
async function trimToTree(gomodcache) {
  const trim = { removedFiles: 0, removedBytes: 0, partialModules: 0 };
  await makeWritable(gomodcache);
  for (const sub of ["cache/download/sumdb", "cache/vcs"]) {
    const dir = join3(gomodcache, sub);
    await unlinkLinksOnPath(gomodcache, sub);
    const files = await walkNoFollow(dir).catch(() => []);
    for (const entry of files) {
      if (!entry.isFile()) continue;
      trim.removedFiles++;
      trim.removedBytes += (await lstat(join3(entry.parentPath, entry.name)).catch(() => ({ size: 0 }))).size;
    }
    await rm(dir, { recursive: true, force: true });
  }
  const root = join3(gomodcache, DOWNLOAD);
  await unlinkLinksOnPath(gomodcache, DOWNLOAD);
  const entries = await walkNoFollow(root).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile() || carried(entry.name)) continue;
    const file = join3(entry.parentPath, entry.name);
    trim.removedBytes += (await lstat(file).catch(() => ({ size: 0 }))).size;
    trim.removedFiles++;
    await rm(file, { force: true });
    const partial = /^(.+)\/@v\/([^/]+)\.partial$/.exec(
      file.slice(root.length + 1).split("\\").join("/")
    );
    if (partial) {
      trim.partialModules++;
      await unlinkLinksOnPath(gomodcache, `${partial[1]}@${partial[2]}`);
      await rm(join3(gomodcache, `${partial[1]}@${partial[2]}`), { recursive: true, force: true });
      await rm(join3(root, partial[1], "@v", `${partial[2]}.ziphash`), { force: true });
    }
  }
  return trim;
}

// src/store/store-listing.ts
const { join: join4 } = require("node:path");
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
      const full = join4(dir, entry.name);
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

// src/gitlab/mod-tree-step.ts
const { join: join6, relative } = require("node:path");

// src/cachelayers/file-contents-hash.ts
function hashFileContents(entries) {
  const lines = [...entries].sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0).map((e) => `${createHash("sha256").update(e.content).digest("hex")}  ${e.path}
`).join("");
  return createHash("sha256").update(lines).digest("hex");
}

// src/modtree/tree-marker.ts
const { join: join5 } = require("node:path");
async function readTreeMarker(gomodcache) {
  try {
    const parsed = JSON.parse(await readFile(join5(gomodcache, TREE_MARKER), "utf8"));
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

// src/gitlab/mod-tree-step.ts
async function goSumDigest(projectDir, goSumFiles) {
  const entries = await Promise.all(
    goSumFiles.map(async (file) => ({ path: relative(projectDir, file), content: await readFile(file) }))
  );
  return hashFileContents(entries);
}
var exists = async (path) => await stat(path).catch(() => null) !== null;
function sessionFile(work) {
  return join6(work, "modtree.json");
}
async function beginModTree(job, work, log) {
  const cached = join6(job.projectDir, MOD_TREE_CACHE_DIR);
  const goSumFiles = await findModuleFiles(job.projectDir, ["go.sum", "go.work.sum"]);
  if (goSumFiles.length === 0) {
    log("goproxy: module tree: no go.sum in the project: not carried, GOMODCACHE left as it is");
    return void 0;
  }
  let sums;
  try {
    sums = await GoSumIndex.load(goSumFiles);
  } catch (err) {
    log(`goproxy: module tree: not carried: ${err.message}`);
    return void 0;
  }
  const gomodcache = modTreeWorkDir(job);
  await removeModCache(gomodcache);
  let kept = [];
  let storeSkipped = false;
  let storeWanted = false;
  await unlinkLinksOnPath(job.projectDir, MOD_TREE_CACHE_DIR);
  if (await exists(cached)) {
    await rename(cached, gomodcache);
    const started = Date.now();
    const { modules } = await listTree(gomodcache);
    const check = await checkTreeAgainstGoSum(gomodcache, modules, sums);
    kept = check.kept.map((m) => m.dir);
    const marker = await readTreeMarker(gomodcache);
    storeWanted = marker.storeWanted === true;
    const exact = kept.length > 0 && check.mismatched.length === 0 && marker.key !== void 0 && marker.key === await goSumDigest(job.projectDir, goSumFiles);
    storeSkipped = exact && !storeWanted;
    log(
      `goproxy: module tree restore: ${check.kept.length} modules kept, ${check.pruned.length} pruned (not in go.sum), ${check.mismatched.length} removed (.ziphash not as go.sum records) in ${Date.now() - started} ms`
    );
    if (check.mismatched.length > 0)
      log(
        `goproxy: module tree removed: ${check.mismatched.map((m) => `${m.path}@${m.version}`).join(", ")}`
      );
  } else {
    await mkdir(gomodcache, { recursive: true });
    log("goproxy: module tree restore: none (nothing in the cache yet)");
  }
  const session = {
    gomodcache,
    kept: kept.length,
    keptModules: kept,
    ...storeSkipped ? { storeSkipped } : {},
    ...storeWanted ? { storeWanted } : {}
  };
  await writeFile(sessionFile(work), JSON.stringify(session));
  log(`goproxy: GOMODCACHE=${gomodcache}`);
  return session;
}
async function readModTreeSession(work) {
  try {
    return JSON.parse(await readFile(sessionFile(work), "utf8"));
  } catch {
    return void 0;
  }
}
async function endModTree(projectDir, session, options, log) {
  if (!await exists(session.gomodcache)) return;
  try {
    const goSumFiles = await findModuleFiles(projectDir, ["go.sum", "go.work.sum"]);
    const marker = {
      ...options.succeeded && goSumFiles.length > 0 ? { key: await goSumDigest(projectDir, goSumFiles) } : {},
      ...session.storeWanted || options.storeWanted ? { storeWanted: true } : {}
    };
    await mkdir(join6(session.gomodcache, "cache"), { recursive: true });
    await writeFile(join6(session.gomodcache, TREE_MARKER), treeMarkerText(marker));
  } catch (err) {
    log(`goproxy: could not mark the module tree (${err.message})`);
  }
  try {
    const trim = await trimToTree(session.gomodcache);
    const { modules } = await listTree(session.gomodcache);
    log(
      `goproxy: module tree: ${modules.length} modules saved; removed ${trim.removedFiles} files (zips, locks, checksum database tiles: ${formatBytes(trim.removedBytes)})` + (trim.partialModules > 0 ? ` and ${trim.partialModules} modules not fully extracted` : "")
    );
  } catch (err) {
    log(`goproxy: could not trim the module tree (${err.message}); it is saved as it is`);
  }
  const cached = join6(projectDir, MOD_TREE_CACHE_DIR);
  await removeModCache(cached);
  await rename(session.gomodcache, cached);
}

// src/gitlab/in-job.ts
function readComponentInputs(env) {
  return {
    upstream: env.GOPROXY_ACTION_UPSTREAM ?? "",
    private: (env.GOPROXY_ACTION_PRIVATE ?? "").split(",").filter((p) => p !== ""),
    policyFile: env.GOPROXY_ACTION_POLICY_FILE ?? "",
    auditLog: env.GOPROXY_ACTION_AUDIT_LOG ?? "",
    buildCache: (env.GOPROXY_ACTION_BUILD_CACHE ?? "true") !== "false",
    moduleTree: (env.GOPROXY_ACTION_MODULE_TREE ?? "true") !== "false"
  };
}
var exists2 = async (path) => await stat(path).catch(() => null) !== null;
function serveArgsFor(inputs, projectDir, store, auditFile) {
  const args = ["--store", store];
  if (inputs.upstream) args.push("--upstream-env", "GOPROXY_ACTION_UPSTREAM");
  for (const pattern of inputs.private) args.push("--private", pattern);
  if (inputs.policyFile) args.push("--policy", resolve(projectDir, inputs.policyFile));
  if (inputs.auditLog) args.push("--audit-log", auditFile);
  return args;
}
async function startInJob(options) {
  const { env, log } = options;
  const job = readGitLabJob(env);
  const inputs = readComponentInputs(env);
  const work = jobWorkDir(job);
  const state = join7(work, "state");
  const store = join7(work, "store");
  const args = serveArgsFor(inputs, job.projectDir, store, join7(state, "audit.jsonl"));
  const loaded = await loadPolicy({
    workspace: job.projectDir,
    ...inputs.policyFile ? { explicitPath: inputs.policyFile } : {}
  });
  await rm(work, { recursive: true, force: true });
  await mkdir(state, { recursive: true });
  await options.checkServeArgs(args);
  const clientToken = newClientToken();
  args.push("--client-token-env", CLIENT_TOKEN_ENV);
  let tree;
  if (inputs.moduleTree) {
    try {
      tree = await beginModTree(job, work, log);
    } catch (err) {
      log(`goproxy: could not prepare the module tree (${err.message}); GOMODCACHE left as it is`);
    }
  }
  const cached = join7(job.projectDir, STORE_CACHE_DIR);
  await unlinkLinksOnPath(job.projectDir, STORE_CACHE_DIR);
  if (tree?.storeSkipped) {
    const restored = await exists2(cached);
    await rm(cached, { recursive: true, force: true });
    await mkdir(store, { recursive: true });
    log(
      `goproxy: store: not used (the module tree restored exactly for these go.sum files)${restored ? "; the restored store is dropped from the cache" : ""}: the proxy starts on an empty store`
    );
  } else if (await exists2(cached)) await rename(cached, store);
  else await mkdir(store, { recursive: true });
  const goEnv = await readGoEnv(GO_SETTING_NAMES, { env, whenGoMissing: "environment" });
  const proxy = await startProxyDetached({
    cliPath: options.cliPath,
    args,
    // The go settings just read: the daemon need not run `go env` again before it is ready.
    env: { ...env, ...passGoSettings(goEnv), [CLIENT_TOKEN_ENV]: clientToken },
    stateDir: state,
    timeoutMs: 3e4
  });
  log(`goproxy: proxy ${proxy.url} running as pid ${proxy.pid}; log: ${proxy.logFile}`);
  const clientUrl = proxy.goproxy ?? proxy.url;
  if (!clientUrl.includes(clientToken))
    throw new Error("the proxy did not report its client URL (is the CLI that started it an older one?)");
  const exported = jobGoEnv(
    { goEnv, inputPrivate: inputs.private, policyPrivate: loaded.policy?.private ?? [] },
    { kind: "proxy", proxyUrl: clientUrl }
  );
  if (inputs.buildCache) exported.GOCACHE = await beginBuildCache(job.projectDir, work, log);
  if (tree) exported.GOMODCACHE = tree.gomodcache;
  log(
    `goproxy: ${Object.entries(exported).filter(([name]) => name !== "GOSUMDB" && name !== "GOCACHE" && name !== "GOMODCACHE").map(([name, value]) => `${name}=${hideClientToken(value, clientToken)}`).join(" ")}`
  );
  return exported;
}
async function stopInJob(options) {
  const { env, log } = options;
  const job = readGitLabJob(env);
  const inputs = readComponentInputs(env);
  const work = jobWorkDir(job);
  const state = join7(work, "state");
  if (!await exists2(state)) {
    log("goproxy: no proxy was started in this job (before_script did not run to the end)");
    return;
  }
  const succeeded = job.jobStatus === "success";
  const logFile = join7(state, "proxy.log");
  const tree = await readModTreeSession(work);
  try {
    const prune = succeeded && (tree?.kept ?? 0) === 0;
    if (succeeded && !prune) log("goproxy: store not pruned: the module tree served this job");
    const result = await stopProxyInStateDir(state, { prune });
    for (const line of statsLines(result.stats, result.pruned)) log(line);
    if (!succeeded)
      log(`goproxy: the job did not succeed; the end of the proxy's log:
${await logTail(logFile)}`);
  } catch (err) {
    log(
      `goproxy: could not stop the proxy cleanly (${err.message}); the end of its log:
${await logTail(logFile)}`
    );
  }
  const audit = join7(state, "audit.jsonl");
  if (inputs.auditLog && await exists2(audit)) {
    await cp(audit, join7(job.projectDir, inputs.auditLog));
    log(`goproxy: audit log kept as ${inputs.auditLog}`);
  }
  const cached = join7(job.projectDir, STORE_CACHE_DIR);
  await rm(cached, { recursive: true, force: true });
  let storeWanted = false;
  if (tree?.storeSkipped) {
    const { files } = await listStoreBlobs(join7(work, "store"));
    storeWanted = zipsOfModules(files.keys(), tree.keptModules ?? []);
    if (files.size === 0) {
      await rm(join7(work, "store"), { recursive: true, force: true });
      log(
        "goproxy: store: not saved (not used: the module tree restored exactly, and the proxy stored nothing)"
      );
    } else
      log(
        `goproxy: store: saved with the ${files.size} files the proxy stored${storeWanted ? " (zips of modules the tree holds: later jobs keep the store)" : ""}`
      );
  }
  if (await exists2(join7(work, "store"))) await rename(join7(work, "store"), cached);
  await endBuildCache(job.projectDir, work, succeeded, log);
  if (tree) {
    try {
      await endModTree(job.projectDir, tree, { succeeded, storeWanted }, log);
    } catch (err) {
      log(`goproxy: could not hand the module tree to the cache (${err.message})`);
    }
  }
  await rm(work, { recursive: true, force: true });
}
async function beginBuildCache(projectDir, work, log) {
  const dir = join7(work, "gocache");
  const cached = join7(projectDir, BUILD_CACHE_DIR);
  await rm(dir, { recursive: true, force: true });
  await unlinkLinksOnPath(projectDir, BUILD_CACHE_DIR);
  if (await exists2(cached)) await rename(cached, dir);
  else await mkdir(dir, { recursive: true });
  try {
    const begun = await beginBuildCacheSession(dir, join7(work, "gocache.json"));
    log(`goproxy: build cache: ${begun.entries} entries restored (${formatBytes(begun.bytes)})`);
  } catch (err) {
    log(
      `goproxy: could not prepare the build cache (${err.message}); it is used as restored, without pruning`
    );
  }
  log(`goproxy: GOCACHE=${dir}`);
  return dir;
}
async function endBuildCache(projectDir, work, succeeded, log) {
  const dir = join7(work, "gocache");
  if (!await exists2(dir)) return;
  const session = join7(work, "gocache.json");
  if (await exists2(session)) {
    try {
      const end = await endBuildCacheSession(dir, session, succeeded);
      log(
        `goproxy: build cache: ${end.used} restored entries used, ${end.added} added (${formatBytes(end.addedBytes)})` + (succeeded ? `, ${end.pruned} unused pruned (${formatBytes(end.prunedBytes)}), ${end.partners} kept as partners of used outputs` : "; nothing removed (the job did not succeed)")
      );
    } catch (err) {
      log(`goproxy: could not prune the build cache (${err.message}); it is saved as it is`);
    }
  }
  const cached = join7(projectDir, BUILD_CACHE_DIR);
  await rm(cached, { recursive: true, force: true });
  await rename(dir, cached);
}

export {
  readComponentInputs,
  serveArgsFor,
  startInJob,
  stopInJob,
  beginBuildCache
};
