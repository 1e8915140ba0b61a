import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  STATE_NAME,
  STORE_FAMILY,
  addedBlobs,
  buildCacheLines,
  changedBlobs,
  confirmLayerBase,
  finishBuildCache,
  finishModTree,
  formatBytes,
  listStoreBlobs,
  loadUndici,
  modTreeLines,
  parseActionState,
  parseLayerKey,
  planStoreSave,
  saveStore,
  stopProxy,
  storeCacheClient,
  treeZipsFetched
} from "./chunks/chunk-DXB7GIYS.js";
import {
  removeCredentialsDir
} from "./chunks/chunk-DDXISKZF.js";
import {
  flush,
  logFilePath,
  logTail,
  readReadyFile,
  readyFilePath
} from "./chunks/chunk-XDGCDNJD.js";
import "./chunks/chunk-QVBW2YHH.js";
import {
  endGroup,
  getInput,
  getState,
  info,
  setSecret,
  startGroup,
  summary,
  warning
} from "./chunks/chunk-EKDBOTY3.js";
import "./chunks/chunk-LQXP64C3.js";
import "./chunks/chunk-HEGZARSW.js";
import {
  readFile
} from "./chunks/chunk-TPCHYJEY.js";
import "./chunks/chunk-UOOPJVRV.js";

// src/github/summary.ts
function num(counters, key) {
  const value = counters?.[key];
  return typeof value === "number" ? value : 0;
}
function ms(value) {
  if (value === void 0) return "-";
  return value < 1e3 ? `${Math.round(value)} ms` : `${(value / 1e3).toFixed(1)} s`;
}
function escapeCell(text) {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
var SAVE_TEXT = {
  saved: "saved",
  "exact-hit": "not saved (exact hit: nothing new)",
  "nothing-new": "not saved (no new blobs)",
  "not-restored": "not saved (the store was not restored, the module tree was: its new blobs would replace the full entry with a smaller one)",
  "already-saved": "not saved (another job saved this key first)",
  "read-only": "not saved (this run may not write to the cache)",
  disabled: "off",
  failed: "save failed"
};
function cacheRows(cache) {
  const restored = cache.restore === "none" ? "none (cold)" : `${cache.restore}${cache.matchedKey && cache.restore === "partial" ? ` from \`${cache.matchedKey}\`` : ""}`;
  const rows = [
    ["cache key", `\`${cache.key}\``],
    [
      "restored",
      cache.storeSkipped ? "not restored: the module tree restored exactly, so the go command needs nothing from the store" : `${restored}${cache.restoredBlobs ? `: ${cache.restoredBlobs} blobs, ${formatBytes(cache.restoredBytes ?? 0)}` : ""} in ${ms(cache.restoreMs)}`
    ]
  ];
  if (cache.addedBlobs !== void 0)
    rows.push(["new blobs", `${cache.addedBlobs} (${formatBytes(cache.addedBytes ?? 0)})`]);
  let saved = SAVE_TEXT[cache.save];
  if (cache.save === "saved")
    saved += ` (${cache.savedAs === "layer" ? "a delta layer" : "a base"}): ${cache.savedBlobs ?? 0} blobs, ${formatBytes(cache.savedBytes ?? 0)} in ${ms(cache.saveMs)}`;
  rows.push(["saved", saved]);
  return rows;
}
var BUILD_SAVE_TEXT = {
  "saved-base": "saved a new base",
  "saved-layer": "saved a delta layer",
  "nothing-new": "not saved (nothing new)",
  "below-threshold": "not saved (too little new to be worth an entry)",
  refused: "not saved (the cache service refused; see the log)",
  "read-only": "not saved (this run may not write to the cache)",
  disabled: "off"
};
function buildCacheRows(b) {
  const rows = [
    [
      "build cache restored",
      b.restoredKeys.length === 0 ? `none (cold) in ${ms(b.restoreMs)}` : `${b.restoredKeys.length} entr${b.restoredKeys.length === 1 ? "y" : "ies"} (\`${b.restoredKeys.at(-1)}\`): ${b.restoredEntries} objects, ${formatBytes(b.restoredBytes)} in ${ms(b.restoreMs)}`
    ],
    [
      "build cache use",
      `${b.usedEntries === void 0 ? "" : `${b.usedEntries} restored objects used, `}${b.addedEntries} added (${formatBytes(b.addedBytes)})`
    ]
  ];
  let saved = BUILD_SAVE_TEXT[b.save];
  if (b.savedKey) saved += `: \`${b.savedKey}\` in ${ms(b.saveMs)}`;
  if (b.prunedEntries > 0)
    saved += `, after pruning ${b.prunedEntries} unused objects (${formatBytes(b.prunedBytes)})`;
  rows.push(["build cache saved", saved]);
  return rows;
}
function renderSummary(report) {
  const out = [];
  out.push(`### Go modules (goproxy-action, ${report.mode})`, "");
  const rows = [["proxy", `\`${report.proxyUrl}\``]];
  const stats = report.stats;
  if (stats) {
    const t = stats.totals;
    const modules = Array.isArray(stats.modules) ? stats.modules.length : 0;
    rows.push(
      ["modules served", String(modules)],
      ["requests", `${num(t, "requests")}: ${num(t, "hits")} hits, ${num(t, "misses")} misses`],
      ["upstream", `${num(t, "upstreamFetches")} fetches, ${formatBytes(num(t, "upstreamBytes"))}`],
      ["errors", String(num(t, "errors"))]
    );
    if (num(t, "denied") > 0) rows.push(["denied by policy", String(num(t, "denied"))]);
    if (num(t, "notStored") > 0)
      rows.push(["served, not stored", `${num(t, "notStored")} (unverified: ${num(t, "unverified")})`]);
  }
  if (report.cache?.enabled) rows.push(...cacheRows(report.cache));
  else if (report.cache) rows.push(["cache", "off"]);
  if (report.buildCache) rows.push(...buildCacheRows(report.buildCache));
  if (report.pruned)
    rows.push([
      "pruned",
      `${report.pruned.removedFiles} unused files (${formatBytes(report.pruned.removedBytes)}) in ${ms(report.pruneMs)}`
    ]);
  out.push("| | |", "|---|---|", ...rows.map(([k, v]) => `| ${escapeCell(k)} | ${escapeCell(v)} |`));
  if (report.problems.length > 0) {
    out.push("", "**Problems**", "", ...report.problems.slice(0, 20).map((p) => `- ${escapeCell(p)}`));
    if (report.problems.length > 20) out.push(`- \u2026 and ${report.problems.length - 20} more (see the log)`);
  }
  return `${out.join("\n")}
`;
}

// src/github/superseded-entries.ts
var ACCESS_SLACK_MS = 6e4;
function supersededEntries(entries, options) {
  const chains = /* @__PURE__ */ new Map();
  for (const entry of entries) {
    if (entry.ref !== options.ref) continue;
    const parsed = parseLayerKey(options.family, entry.key);
    if (!parsed || parsed.baseId === options.newBaseId) continue;
    chains.set(parsed.baseId, [...chains.get(parsed.baseId) ?? [], entry]);
  }
  const out = [];
  for (const chain of chains.values()) {
    const inUse = chain.some(
      (e) => Date.parse(e.created_at) > options.restoreStartedAt || Date.parse(e.last_accessed_at) > options.restoreDoneAt + ACCESS_SLACK_MS
    );
    if (!inUse) out.push(...chain);
  }
  const layerOf = (e) => parseLayerKey(options.family, e.key).layer;
  return out.sort((a, b) => layerOf(b) - layerOf(a));
}
var CacheApiRefused = class extends Error {
  name = "CacheApiRefused";
};
var PAGE = 100;
var MAX_PAGES = 20;
function restCacheApi(env, token) {
  const apiUrl = (env.GITHUB_API_URL ?? "").replace(/\/+$/, "");
  const repo = env.GITHUB_REPOSITORY ?? "";
  if (apiUrl === "" || !/^[^/\s]+\/[^/\s]+$/.test(repo) || token === "") return void 0;
  const base = `${apiUrl}/repos/${repo}/actions/caches`;
  const headers = {
    accept: "application/vnd.github+json",
    authorization: `Bearer ${token}`,
    "x-github-api-version": "2022-11-28",
    "user-agent": "goproxy-action"
  };
  async function call(method, url) {
    const { request } = await loadUndici();
    const res = await request(url, { method, headers, headersTimeout: 3e4, bodyTimeout: 3e4 });
    const text = await res.body.text();
    if (method === "DELETE" && res.statusCode === 404) return void 0;
    if (res.statusCode === 401 || res.statusCode === 403 || res.statusCode === 404)
      throw new CacheApiRefused(`${method} answered ${res.statusCode}`);
    if (res.statusCode < 200 || res.statusCode > 299) throw new Error(`${method} answered ${res.statusCode}`);
    if (text === "") return void 0;
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(`${method} answered ${res.statusCode} with a body that is not JSON`);
    }
  }
  return {
    async list(keyPrefix, ref) {
      const all = [];
      for (let page = 1; page <= MAX_PAGES; page++) {
        const query = new URLSearchParams({
          key: keyPrefix,
          ref,
          per_page: String(PAGE),
          page: String(page)
        });
        const body = await call("GET", `${base}?${query}`);
        const entries = Array.isArray(body?.actions_caches) ? body.actions_caches : [];
        all.push(...entries.filter(isApiCacheEntry));
        if (entries.length < PAGE) break;
      }
      return all;
    },
    async delete(id) {
      await call("DELETE", `${base}/${id}`);
    }
  };
}
function isApiCacheEntry(e) {
  const x = e;
  return typeof x === "object" && x !== null && Number.isSafeInteger(x.id) && typeof x.key === "string" && typeof x.ref === "string" && typeof x.created_at === "string" && typeof x.last_accessed_at === "string";
}
async function deleteSuperseded(api, options) {
  const parsed = parseLayerKey(options.family, options.newKey);
  if (!parsed) return { kind: "failed", message: `not a key of ${options.family}: ${options.newKey}` };
  try {
    const listed = await api.list(options.family, options.ref);
    const doomed = supersededEntries(listed, { ...options, newBaseId: parsed.baseId });
    let bytes = 0;
    for (const entry of doomed) {
      await api.delete(entry.id);
      bytes += entry.size_in_bytes;
    }
    return {
      kind: "deleted",
      family: options.family,
      entries: doomed.length,
      bytes,
      kept: listed.filter((e) => e.ref === options.ref && parseLayerKey(options.family, e.key)).length - doomed.length
    };
  } catch (err) {
    if (err instanceof CacheApiRefused) return { kind: "refused" };
    return { kind: "failed", message: err.message };
  }
}
async function deleteSupersededAfterBases(options) {
  if (options.bases.length === 0) return [];
  const ref = options.env.GITHUB_REF ?? "";
  const api = options.api ?? restCacheApi(options.env, options.token);
  if (!api || ref === "")
    return [
      "superseded cache entries kept: no github-token, GITHUB_API_URL, GITHUB_REPOSITORY or GITHUB_REF"
    ];
  const restoreStartedAt = options.restoreStartedAt ?? 0;
  const restoreDoneAt = options.restoreDoneAt ?? Number.MAX_SAFE_INTEGER;
  const lines = [];
  for (const base of options.bases) {
    const result = await deleteSuperseded(api, {
      family: base.family,
      ref,
      newKey: base.key,
      restoreStartedAt,
      restoreDoneAt
    });
    if (result.kind === "refused") {
      lines.push("superseded cache entries kept: the token lacks actions: write");
      break;
    }
    if (result.kind === "deleted" && result.entries === 0) continue;
    lines.push(
      result.kind === "failed" ? `superseded cache entries of ${base.family}* kept: ${result.message}` : `superseded cache entries: deleted ${result.entries} of ${base.family}* (${(result.bytes / 1048576).toFixed(1)} MiB), ${result.kept} kept on ${ref}`
    );
  }
  return lines;
}

// src/github/teardown.ts
function parseListing(text) {
  const parsed = JSON.parse(text);
  if (Array.isArray(parsed)) return Object.fromEntries(parsed.map((p) => [String(p), -1]));
  return parsed;
}
function saveDecision(options) {
  if (!options.enabled) return "disabled";
  if (options.plan.kind === "skip") return options.restore === "exact" ? "exact-hit" : "nothing-new";
  if (options.storeSkipped) return "not-restored";
  if (!options.writable) return "read-only";
  return "save";
}
async function teardown(state) {
  const report = { mode: state.mode, proxyUrl: state.proxyUrl, problems: [] };
  if (state.mode === "remote") {
    if (state.credentialsDir) {
      await removeCredentialsDir(state.credentialsDir);
      info("Removed the credentials file (NETRC) written for the remote proxy.");
    }
    return report;
  }
  const ready = state.stateDir ? await readReadyFile(readyFilePath(state.stateDir)) : void 0;
  const c = state.cache;
  let flushed = false;
  if (ready) {
    flushed = await flush(ready).then(
      () => true,
      (err) => {
        report.problems.push(`could not flush the proxy's writes: ${err.message}`);
        return false;
      }
    );
  } else {
    report.problems.push(
      "the proxy was not running at the end of the job (it may have crashed; see its log in RUNNER_TEMP)"
    );
  }
  let decision = "disabled";
  let plan = { kind: "skip", reason: "nothing-new" };
  let changed = [];
  if (c && state.storeDir) {
    const before = parseListing(await readFile(c.listingFile, "utf8").catch(() => "{}"));
    const now = await listStoreBlobs(state.storeDir);
    const added = addedBlobs(Object.keys(before), now);
    const delta = changedBlobs(before, now);
    changed = delta.files;
    plan = await confirmLayerBase(
      storeCacheClient(),
      STORE_FAMILY,
      c.chain?.baseId,
      planStoreSave(c.chain, delta)
    );
    decision = saveDecision({
      enabled: c.enabled,
      writable: c.writable,
      restore: c.restore,
      plan,
      storeSkipped: c.storeSkipped
    });
    report.cache = {
      enabled: c.enabled,
      key: c.key,
      restore: c.restore,
      matchedKey: c.matchedKey,
      ...c.storeSkipped ? { storeSkipped: true } : {},
      restoreMs: c.restoreMs,
      restoredBlobs: c.restoredBlobs,
      restoredBytes: c.restoredBytes,
      addedBlobs: added.count,
      addedBytes: added.bytes,
      save: decision === "save" ? "failed" : decision
    };
  }
  if (ready) {
    try {
      const treeServed = (state.modTree?.kept ?? 0) > 0;
      const prune = decision === "save" && plan.kind === "base" && state.prune && !treeServed;
      const stopped = await stopProxy({ target: ready, prune, flushed });
      report.stats = stopped.stats;
      report.pruned = stopped.pruned;
      report.pruneMs = stopped.pruneMs;
      if (!stopped.exitedCleanly)
        report.problems.push("the proxy did not exit when asked and was terminated");
    } catch (err) {
      report.problems.push(`stopping the proxy failed: ${err.message}`);
    }
  }
  if (decision === "save" && c && state.storeDir && report.cache) {
    const started = Date.now();
    const listing = await listStoreBlobs(state.storeDir);
    const savedKey = await saveStore({
      client: storeCacheClient(),
      storeDir: state.storeDir,
      plan,
      chain: c.chain,
      changed,
      dependencyKey: c.key,
      env: process.env
    });
    report.cache.saveMs = Date.now() - started;
    if (savedKey === void 0) {
      report.cache.save = "failed";
      report.problems.push("the module cache could not be saved (see the log above)");
    } else {
      report.cache.save = "saved";
      report.cache.savedKey = savedKey;
      report.cache.savedAs = plan.kind === "layer" ? "layer" : "base";
      const layerBytes = changed.reduce((sum, p) => sum + (listing.files.get(p) ?? 0), 0);
      report.cache.savedBlobs = plan.kind === "layer" ? changed.length : listing.files.size;
      report.cache.savedBytes = plan.kind === "layer" ? layerBytes : listing.bytes;
    }
  }
  const totals = report.stats?.totals;
  if (totals && totals.errors > 0)
    report.problems.push(
      `${totals.errors} module requests failed at the proxy; see the go command's output and the proxy log`
    );
  if (totals && totals.denied > 0)
    report.problems.push(`${totals.denied} module requests were denied by policy`);
  return report;
}
function timingLines(report) {
  const c = report.cache;
  const lines = [];
  if (c?.enabled && c.storeSkipped) {
    lines.push("restore: skipped (the module tree restored exactly)");
    lines.push(`new blobs: ${c.addedBlobs ?? 0} (${formatBytes(c.addedBytes ?? 0)})`);
  } else if (c?.enabled) {
    lines.push(
      `restore: ${c.restore} in ${c.restoreMs ?? 0} ms (${c.restoredBlobs ?? 0} blobs, ${formatBytes(c.restoredBytes ?? 0)})`
    );
    lines.push(`new blobs: ${c.addedBlobs ?? 0} (${formatBytes(c.addedBytes ?? 0)})`);
  }
  if (report.stats?.uptimeMs !== void 0) lines.push(`serving: proxy up ${report.stats.uptimeMs} ms`);
  if (report.pruned)
    lines.push(
      `prune: ${report.pruneMs ?? 0} ms, removed ${report.pruned.removedFiles} files (${formatBytes(report.pruned.removedBytes)})`
    );
  if (c?.enabled)
    lines.push(
      c.save === "saved" ? `save: ${c.savedAs ?? "base"} ${c.savedKey ?? ""} in ${c.saveMs ?? 0} ms (${c.savedBlobs ?? 0} blobs, ${formatBytes(c.savedBytes ?? 0)})` : `save: skipped (${c.save})`
    );
  return lines;
}

// src/github/post.ts
var loadedAt = performance.now();
async function post() {
  const state = parseActionState(getState(STATE_NAME));
  if (!state) {
    info("goproxy-action: the main step did not finish setting up; nothing to stop or save.");
    return;
  }
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  process.chdir(workspace);
  const doneAt = [`imports ${Math.round(loadedAt)} ms`];
  const timed = (name, p) => p.finally(() => doneAt.push(`${name} ${Math.round(performance.now())} ms`));
  const teardownDone = timed("proxy and store", teardown(state));
  const buildCacheSave = state.buildCache ? timed("build cache", finishBuildCache(state.buildCache, process.env)).then(
    (saved) => ({ saved }),
    (err) => ({ error: err.message })
  ) : void 0;
  const storeDir = state.storeDir;
  const treeListing = state.modTree?.listingFile;
  const storeWanted = state.cache?.storeSkipped === true && storeDir && treeListing ? teardownDone.then(
    async (r) => (r.cache?.addedBlobs ?? 0) > 0 ? await treeZipsFetched((await listStoreBlobs(storeDir)).files.keys(), treeListing) : false
  ).catch(() => false) : false;
  const modTreeSave = state.modTree ? timed("module tree", finishModTree(state.modTree, process.env, storeWanted)).then(
    (saved) => ({ saved }),
    (err) => ({ error: err.message })
  ) : void 0;
  const report = await teardownDone;
  const buildCache = await buildCacheSave;
  const modTree = await modTreeSave;
  if (modTree && "saved" in modTree) report.modTree = modTree.saved;
  else if (modTree) report.problems.push(`the module tree could not be saved: ${modTree.error}`);
  if (buildCache && "saved" in buildCache) report.buildCache = buildCache.saved;
  else if (buildCache) report.problems.push(`the Go build cache could not be saved: ${buildCache.error}`);
  for (const line of timingLines(report)) info(line);
  if (report.buildCache) for (const line of buildCacheLines(report.buildCache)) info(line);
  if (report.modTree) for (const line of modTreeLines(report.modTree)) info(line);
  const bases = [];
  if (report.cache?.savedAs === "base" && report.cache.savedKey)
    bases.push({ family: STORE_FAMILY, key: report.cache.savedKey });
  if (state.buildCache && report.buildCache?.save === "saved-base" && report.buildCache.savedKey)
    bases.push({ family: state.buildCache.family, key: report.buildCache.savedKey });
  if (state.modTree && report.modTree?.save === "saved-base" && report.modTree.savedKey)
    bases.push({ family: state.modTree.family, key: report.modTree.savedKey });
  const token = getInput("github-token");
  if (token) setSecret(token);
  const deletionLines = await deleteSupersededAfterBases({
    bases,
    env: process.env,
    token,
    restoreStartedAt: state.restoreStartedAt,
    restoreDoneAt: state.restoreDoneAt
  });
  for (const line of deletionLines) info(line);
  doneAt.push(`superseded entries ${Math.round(performance.now())} ms`);
  info(`Post timing: ${doneAt.join(", ")}`);
  for (const problem of report.problems) warning(problem, { title: "goproxy-action" });
  if (report.problems.length > 0 && state.stateDir) {
    startGroup("goproxy-action: the end of the proxy log");
    info(await logTail(logFilePath(state.stateDir)));
    endGroup();
  }
  if (process.env.GITHUB_STEP_SUMMARY) await summary.addRaw(renderSummary(report)).write();
}
try {
  await post();
} catch (err) {
  warning(`goproxy-action post step: ${err.message}`);
}
