import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  BUILD_CACHE_DIR,
  STORE_CACHE_DIR,
  jobWorkDir,
  readGitLabJob
} from "./chunk-DFG5V2QP.js";
import {
  GO_SETTING_NAMES,
  jobGoEnv
} from "./chunk-MERAHNWG.js";
import {
  formatBytes,
  statsLines,
  stopProxyInStateDir
} from "./chunk-F5XM3HYH.js";
import {
  logTail,
  startProxyDetached
} from "./chunk-FSEAHEKH.js";
import {
  readGoEnv
} from "./chunk-CLBVXHE3.js";
import {
  loadPolicy
} from "./chunk-K6QX4M4V.js";

// src/gitlab/in-job.ts
import { cp, mkdir, rename, rm as rm2, stat as stat2 } from "node:fs/promises";
import { join as join2, resolve } from "node:path";

// src/buildcache/build-cache-session.ts
import { readFile, writeFile } from "node:fs/promises";

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
      const info = await stat(path);
      const isDir = info.isDirectory();
      listing.set(`${sub}/${entry.name}`, {
        bytes: isDir ? await dirBytes(path) : info.size,
        mtimeMs: info.mtimeMs,
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

// src/buildcache/build-cache-session.ts
async function beginBuildCacheSession(dir, sessionFile) {
  const listing = await listBuildCache(dir);
  const now = Date.now();
  await ageEntries(dir, listing, new Date(now - AGE_BACK_MS));
  const session = { usedSinceMs: now - 1e3, restored: [...listing.keys()] };
  await writeFile(sessionFile, JSON.stringify(session), { mode: 384 });
  let bytes = 0;
  for (const entry of listing.values()) bytes += entry.bytes;
  return { entries: listing.size, bytes };
}
async function endBuildCacheSession(dir, sessionFile, prune) {
  let session;
  try {
    session = JSON.parse(await readFile(sessionFile, "utf8"));
  } catch (err) {
    throw new Error(
      `no build cache session at ${sessionFile} (${err.message}); the job's 'ci start' records it`
    );
  }
  const usage = buildCacheUsage(new Set(session.restored), await listBuildCache(dir), session.usedSinceMs);
  if (prune) await removeEntries(dir, usage.unused);
  return {
    used: usage.used.length,
    added: usage.added.length,
    addedBytes: usage.addedBytes,
    pruned: prune ? usage.unused.length : 0,
    prunedBytes: prune ? usage.unusedBytes : 0
  };
}

// src/gitlab/in-job.ts
function readComponentInputs(env) {
  return {
    upstream: env.GOPROXY_ACTION_UPSTREAM ?? "",
    private: (env.GOPROXY_ACTION_PRIVATE ?? "").split(",").filter((p) => p !== ""),
    policyFile: env.GOPROXY_ACTION_POLICY_FILE ?? "",
    auditLog: env.GOPROXY_ACTION_AUDIT_LOG ?? "",
    buildCache: (env.GOPROXY_ACTION_BUILD_CACHE ?? "true") !== "false"
  };
}
var exists = async (path) => await stat2(path).catch(() => null) !== null;
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
  const state = join2(work, "state");
  const store = join2(work, "store");
  const args = serveArgsFor(inputs, job.projectDir, store, join2(state, "audit.jsonl"));
  const loaded = await loadPolicy({
    workspace: job.projectDir,
    ...inputs.policyFile ? { explicitPath: inputs.policyFile } : {}
  });
  await rm2(work, { recursive: true, force: true });
  await mkdir(state, { recursive: true });
  await options.checkServeArgs(args);
  const cached = join2(job.projectDir, STORE_CACHE_DIR);
  if (await exists(cached)) await rename(cached, store);
  else await mkdir(store, { recursive: true });
  const proxy = await startProxyDetached({
    cliPath: options.cliPath,
    args,
    env,
    stateDir: state,
    timeoutMs: 3e4
  });
  log(`goproxy: proxy ${proxy.url} running as pid ${proxy.pid}; log: ${proxy.logFile}`);
  const goEnv = await readGoEnv(GO_SETTING_NAMES, { env, whenGoMissing: "environment" });
  const exported = jobGoEnv(
    { goEnv, inputPrivate: inputs.private, policyPrivate: loaded.policy?.private ?? [] },
    { kind: "proxy", proxyUrl: proxy.url }
  );
  if (inputs.buildCache) exported.GOCACHE = await beginBuildCache(job.projectDir, work, log);
  log(
    `goproxy: ${Object.entries(exported).filter(([name]) => name !== "GOSUMDB" && name !== "GOCACHE").map(([name, value]) => `${name}=${value}`).join(" ")}`
  );
  return exported;
}
async function stopInJob(options) {
  const { env, log } = options;
  const job = readGitLabJob(env);
  const inputs = readComponentInputs(env);
  const work = jobWorkDir(job);
  const state = join2(work, "state");
  if (!await exists(state)) {
    log("goproxy: no proxy was started in this job (before_script did not run to the end)");
    return;
  }
  const succeeded = job.jobStatus === "success";
  const logFile = join2(state, "proxy.log");
  try {
    const result = await stopProxyInStateDir(state, { prune: succeeded });
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
  const audit = join2(state, "audit.jsonl");
  if (inputs.auditLog && await exists(audit)) {
    await cp(audit, join2(job.projectDir, inputs.auditLog));
    log(`goproxy: audit log kept as ${inputs.auditLog}`);
  }
  const cached = join2(job.projectDir, STORE_CACHE_DIR);
  await rm2(cached, { recursive: true, force: true });
  if (await exists(join2(work, "store"))) await rename(join2(work, "store"), cached);
  await endBuildCache(job.projectDir, work, succeeded, log);
  await rm2(work, { recursive: true, force: true });
}
async function beginBuildCache(projectDir, work, log) {
  const dir = join2(work, "gocache");
  const cached = join2(projectDir, BUILD_CACHE_DIR);
  await rm2(dir, { recursive: true, force: true });
  if (await exists(cached)) await rename(cached, dir);
  else await mkdir(dir, { recursive: true });
  try {
    const begun = await beginBuildCacheSession(dir, join2(work, "gocache.json"));
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
  const dir = join2(work, "gocache");
  if (!await exists(dir)) return;
  const session = join2(work, "gocache.json");
  if (await exists(session)) {
    try {
      const end = await endBuildCacheSession(dir, session, succeeded);
      log(
        `goproxy: build cache: ${end.used} restored entries used, ${end.added} added (${formatBytes(end.addedBytes)})` + (succeeded ? `, ${end.pruned} unused pruned (${formatBytes(end.prunedBytes)})` : "; nothing removed (the job did not succeed)")
      );
    } catch (err) {
      log(`goproxy: could not prune the build cache (${err.message}); it is saved as it is`);
    }
  }
  const cached = join2(projectDir, BUILD_CACHE_DIR);
  await rm2(cached, { recursive: true, force: true });
  await rename(dir, cached);
}

export {
  readComponentInputs,
  serveArgsFor,
  startInJob,
  stopInJob
};
