import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  require_undici
} from "./chunk-LQXP64C3.js";
import {
  readReadyFile,
  readyFilePath
} from "./chunk-2VPMLIHY.js";
import {
  __toESM
} from "./chunk-UOOPJVRV.js";

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
function n(counters, key) {
  const value = counters?.[key];
  return typeof value === "number" ? value : 0;
}
function statsLines(stats, pruned) {
  const t = stats.totals;
  const lines = [
    `requests: ${n(t, "requests")} (hits ${n(t, "hits")}, misses ${n(t, "misses")}, errors ${n(t, "errors")})`,
    `upstream: ${n(t, "upstreamFetches")} fetches, ${formatBytes(n(t, "upstreamBytes"))}`,
    `served: ${formatBytes(n(t, "servedBytes"))} to clients, ${Array.isArray(stats.modules) ? stats.modules.length : 0} modules`
  ];
  if (n(t, "denied") > 0) lines.push(`denied by policy: ${n(t, "denied")}`);
  if (n(t, "unverified") > 0 || n(t, "notStored") > 0)
    lines.push(`served but not stored: ${n(t, "notStored")} (unverified ${n(t, "unverified")})`);
  if (n(t, "staleServed") > 0) lines.push(`stale answers (upstream failing): ${n(t, "staleServed")}`);
  if (pruned)
    lines.push(
      `pruned: removed ${pruned.removedFiles} files (${formatBytes(pruned.removedBytes)}), kept ${pruned.keptFiles} (${formatBytes(pruned.keptBytes)})`
    );
  return lines;
}

// src/daemon/stop-proxy.ts
import { rm } from "node:fs/promises";

// src/daemon/admin-client.ts
var import_undici = __toESM(require_undici(), 1);
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
var ADMIN_TIMEOUT_MS = 12e4;
async function call(target, method, name) {
  const url = `${target.adminUrl.replace(/\/+$/, "")}/${name}`;
  let response;
  try {
    response = await (0, import_undici.request)(url, {
      method,
      headers: { authorization: `Bearer ${target.token}` },
      headersTimeout: ADMIN_TIMEOUT_MS,
      bodyTimeout: ADMIN_TIMEOUT_MS
    });
  } catch (err) {
    throw new Error(
      `the proxy's admin endpoint ${url} did not answer (${err instanceof Error ? err.message : err})`
    );
  }
  const text = await response.body.text();
  if (response.statusCode !== 200) {
    throw new Error(
      `the proxy's admin endpoint ${url} answered ${response.statusCode}: ${text.slice(0, 300)}`
    );
  }
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(
      `the proxy's admin endpoint ${url} answered with something that is not JSON: ${text.slice(0, 200)}`
    );
  }
}
async function getStats(target) {
  return await call(target, "GET", "stats");
}
async function prune(target) {
  return await call(target, "POST", "prune");
}
async function flush(target) {
  await call(target, "POST", "flush");
}
async function shutdown(target) {
  try {
    await call(target, "POST", "shutdown");
  } catch (err) {
    if (!(err instanceof Error && /did not answer/.test(err.message))) throw err;
  }
}
function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return err.code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return true;
  }
}
async function waitForExit(pid, timeoutMs = 3e4) {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
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
  if (!isAlive(pid)) return;
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
async function stopProxyInStateDir(stateDir, options) {
  const file = readyFilePath(stateDir);
  const ready = await readReadyFile(file);
  if (!ready) {
    throw new Error(
      `no running proxy is recorded in ${stateDir} (${file} is missing or incomplete); pass the --state-dir that 'start' was given`
    );
  }
  try {
    return await stopProxy({ target: ready, ...options });
  } finally {
    await rm(file, { force: true });
  }
}

export {
  formatBytes,
  statsLines,
  flush,
  stopProxy,
  stopProxyInStateDir
};
