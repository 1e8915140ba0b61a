// The post step: stop the in-job proxy, prune and save the blob store when it gained blobs,
// and report. Runs whether or not the job's other steps failed: the stored blobs are verified
// and independent of the build.
import { readFile } from 'node:fs/promises';
import * as cache from '@actions/cache';
import * as core from '@actions/core';
import { flush } from '../daemon/admin-client.ts';
import { readReadyFile, readyFilePath } from '../daemon/start-proxy.ts';
import { formatBytes } from '../daemon/stats-text.ts';
import { stopProxy } from '../daemon/stop-proxy.ts';
import { removeCredentialsDir } from '../remote/credentials-dir.ts';
import type { ActionState } from './action-state.ts';
import type { RunReport, SaveOutcome } from './run-report.ts';
import { addedBlobs, listStoreBlobs, STORE_CACHE_PATH } from './store-location.ts';

/** Whether to save: only new blobs under a key that was not restored exactly, and only when allowed. */
export function saveDecision(options: {
  enabled: boolean;
  writable: boolean;
  restore: 'exact' | 'partial' | 'none';
  addedBlobs: number;
}): SaveOutcome | 'save' {
  if (!options.enabled) return 'disabled';
  if (options.restore === 'exact') return 'exact-hit';
  if (options.addedBlobs === 0) return 'nothing-new';
  if (!options.writable) return 'read-only';
  return 'save';
}

export async function teardown(state: ActionState): Promise<RunReport> {
  const report: RunReport = { mode: state.mode, proxyUrl: state.proxyUrl, problems: [] };
  if (state.mode === 'remote') {
    if (state.credentialsDir) {
      await removeCredentialsDir(state.credentialsDir);
      core.info('Removed the credentials file (NETRC) written for the remote proxy.');
    }
    return report;
  }
  const ready = state.stateDir ? await readReadyFile(readyFilePath(state.stateDir)) : undefined;
  const c = state.cache;
  if (ready) {
    // Finish in-flight writes before looking at what the store gained.
    await flush(ready).catch((err: Error) =>
      report.problems.push(`could not flush the proxy's writes: ${err.message}`),
    );
  } else {
    report.problems.push(
      'the proxy was not running at the end of the job (it may have crashed; see its log in RUNNER_TEMP)',
    );
  }
  let decision: SaveOutcome | 'save' = 'disabled';
  if (c && state.storeDir) {
    const before: string[] = JSON.parse(await readFile(c.listingFile, 'utf8').catch(() => '[]'));
    const added = addedBlobs(before, await listStoreBlobs(state.storeDir));
    decision = saveDecision({
      enabled: c.enabled,
      writable: c.writable,
      restore: c.restore,
      addedBlobs: added.count,
    });
    report.cache = {
      enabled: c.enabled,
      key: c.key,
      restore: c.restore,
      matchedKey: c.matchedKey,
      restoreMs: c.restoreMs,
      restoredBlobs: c.restoredBlobs,
      restoredBytes: c.restoredBytes,
      addedBlobs: added.count,
      addedBytes: added.bytes,
      save: decision === 'save' ? 'failed' : decision,
    };
  }
  if (ready) {
    try {
      const stopped = await stopProxy({ target: ready, prune: decision === 'save' && state.prune });
      report.stats = stopped.stats;
      report.pruned = stopped.pruned;
      report.pruneMs = stopped.pruneMs;
      if (!stopped.exitedCleanly)
        report.problems.push('the proxy did not exit when asked and was terminated');
    } catch (err) {
      report.problems.push(`stopping the proxy failed: ${(err as Error).message}`);
    }
  }
  if (decision === 'save' && c && state.storeDir && report.cache) {
    const started = Date.now();
    // Another job with the same key may have saved it meanwhile: entries are immutable, so look first.
    const existing = await cache.restoreCache([STORE_CACHE_PATH], c.key, [], { lookupOnly: true }, true);
    if (existing === c.key) {
      report.cache.save = 'already-saved';
    } else {
      const listing = await listStoreBlobs(state.storeDir);
      const id = await cache.saveCache([STORE_CACHE_PATH], c.key, {}, true);
      report.cache.saveMs = Date.now() - started;
      if (id === -1) {
        report.cache.save = 'failed';
        report.problems.push(`the module cache could not be saved under ${c.key} (see the log above)`);
      } else {
        report.cache.save = 'saved';
        report.cache.savedBlobs = listing.files.size;
        report.cache.savedBytes = listing.bytes;
      }
    }
  }
  const totals = report.stats?.totals;
  if (totals && totals.errors > 0)
    report.problems.push(
      `${totals.errors} module requests failed at the proxy; see the go command's output and the proxy log`,
    );
  if (totals && totals.denied > 0)
    report.problems.push(`${totals.denied} module requests were denied by policy`);
  return report;
}

/** Log lines for where the time went and the sizes. */
export function timingLines(report: RunReport): string[] {
  const c = report.cache;
  const lines: string[] = [];
  if (c?.enabled) {
    lines.push(
      `restore: ${c.restore} in ${c.restoreMs ?? 0} ms (${c.restoredBlobs ?? 0} blobs, ${formatBytes(c.restoredBytes ?? 0)})`,
    );
    lines.push(`new blobs: ${c.addedBlobs ?? 0} (${formatBytes(c.addedBytes ?? 0)})`);
  }
  if (report.stats?.uptimeMs !== undefined) lines.push(`serving: proxy up ${report.stats.uptimeMs} ms`);
  if (report.pruned)
    lines.push(
      `prune: ${report.pruneMs ?? 0} ms, removed ${report.pruned.removedFiles} files (${formatBytes(report.pruned.removedBytes)})`,
    );
  if (c?.enabled)
    lines.push(
      c.save === 'saved'
        ? `save: ${c.saveMs ?? 0} ms (${c.savedBlobs ?? 0} blobs, ${formatBytes(c.savedBytes ?? 0)})`
        : `save: skipped (${c.save})`,
    );
  return lines;
}
