import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  flush,
  getStats,
  isProcessAlive,
  prune,
  shutdown,
  waitForExit
} from "./chunk-MMNOBJZU.js";
import {
  readReadyFile,
  readyFilePath
} from "./chunk-L6W3GWGW.js";
import {
  rm
} from "./chunk-SY3SBDYW.js";

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
  const prefetch = stats.prefetch;
  if (prefetch && prefetch.zips > 0)
    lines.push(`zips prefetched: ${prefetch.zips} (asked for by a client: ${prefetch.asked})`);
  if (n(t, "staleServed") > 0) lines.push(`stale answers (upstream failing): ${n(t, "staleServed")}`);
  if (pruned)
    lines.push(
      `pruned: removed ${pruned.removedFiles} files (${formatBytes(pruned.removedBytes)}), kept ${pruned.keptFiles} (${formatBytes(pruned.keptBytes)})`
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
  stopProxyInStateDir
};
