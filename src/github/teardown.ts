// The post step: stop the in-job proxy, prune and save the blob store when it gained blobs,
// and report. Runs whether or not the job's other steps failed: the stored blobs are verified
// and independent of the build.
import { readFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { confirmLayerBase } from '../cachelayers/layered-cache.ts';
import type { SavePlan } from '../cachelayers/save-plan.ts';
import { flush } from '../daemon/admin-client.ts';
import { readReadyFile, readyFilePath } from '../daemon/start-proxy.ts';
import { formatBytes } from '../daemon/stats-text.ts';
import { stopProxy } from '../daemon/stop-proxy.ts';
import { removeCredentialsDir } from '../remote/credentials-dir.ts';
import { addedBlobs, listStoreBlobs } from '../store/store-listing.ts';
import type { ActionState } from './action-state.ts';
import type { RunReport, SaveOutcome } from './run-report.ts';
import { changedBlobs, planStoreSave, STORE_FAMILY, saveStore, storeCacheClient } from './store-layers.ts';

/** The restore listing (path -> size); an older array of paths counts every size as unknown. */
function parseListing(text: string): Record<string, number> {
  const parsed = JSON.parse(text) as unknown;
  if (Array.isArray(parsed)) return Object.fromEntries(parsed.map((p) => [String(p), -1]));
  return parsed as Record<string, number>;
}

/** Whether to save: a base or a delta layer when the store gained blobs, and only when allowed. */
export function saveDecision(options: {
  enabled: boolean;
  writable: boolean;
  restore: 'exact' | 'partial' | 'none';
  plan: SavePlan;
  /** The store was not restored (the module tree was, exactly): see ActionState. */
  storeSkipped?: boolean;
}): SaveOutcome | 'save' {
  if (!options.enabled) return 'disabled';
  if (options.plan.kind === 'skip') return options.restore === 'exact' ? 'exact-hit' : 'nothing-new';
  // What an unrestored store gained is a subset of the stored chain at best: saved as a base it
  // would become the newest entry and replace the complete one; as a layer it would claim blobs
  // the chain may hold and list files it may hold in a newer form. Never saved.
  if (options.storeSkipped) return 'not-restored';
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
  let flushed = false;
  if (ready) {
    // Finish in-flight writes before looking at what the store gained.
    flushed = await flush(ready).then(
      () => true,
      (err: Error) => {
        report.problems.push(`could not flush the proxy's writes: ${err.message}`);
        return false;
      },
    );
  } else {
    report.problems.push(
      'the proxy was not running at the end of the job (it may have crashed; see its log in RUNNER_TEMP)',
    );
  }
  let decision: SaveOutcome | 'save' = 'disabled';
  let plan: SavePlan = { kind: 'skip', reason: 'nothing-new' };
  let changed: string[] = [];
  if (c && state.storeDir) {
    const before = parseListing(await readFile(c.listingFile, 'utf8').catch(() => '{}'));
    const now = await listStoreBlobs(state.storeDir);
    const added = addedBlobs(Object.keys(before), now);
    const delta = changedBlobs(before, now);
    changed = delta.files;
    plan = await confirmLayerBase(
      storeCacheClient(),
      STORE_FAMILY,
      c.chain?.baseId,
      planStoreSave(c.chain, delta),
    );
    decision = saveDecision({
      enabled: c.enabled,
      writable: c.writable,
      restore: c.restore,
      plan,
      storeSkipped: c.storeSkipped,
    });
    report.cache = {
      enabled: c.enabled,
      key: c.key,
      restore: c.restore,
      matchedKey: c.matchedKey,
      ...(c.storeSkipped ? { storeSkipped: true } : {}),
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
      // Only a new base is pruned: a layer adds to a chain whose older blobs stay in their entries.
      // With a restored module tree the go command asked the proxy only for what the tree
      // lacked: "not served this run" no longer means "not used", so nothing is pruned.
      const treeServed = (state.modTree?.kept ?? 0) > 0;
      const prune = decision === 'save' && plan.kind === 'base' && state.prune && !treeServed;
      const stopped = await stopProxy({ target: ready, prune, flushed });
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
    const listing = await listStoreBlobs(state.storeDir);
    const savedKey = await saveStore({
      client: storeCacheClient(),
      storeDir: state.storeDir,
      plan,
      chain: c.chain,
      changed,
      dependencyKey: c.key,
      env: process.env,
    });
    report.cache.saveMs = Date.now() - started;
    if (savedKey === undefined) {
      report.cache.save = 'failed';
      report.problems.push('the module cache could not be saved (see the log above)');
    } else {
      report.cache.save = 'saved';
      report.cache.savedKey = savedKey;
      report.cache.savedAs = plan.kind === 'layer' ? 'layer' : 'base';
      // A layer holds only the changed blobs; a base the whole (pruned) store.
      const layerBytes = changed.reduce((sum, p) => sum + (listing.files.get(p) ?? 0), 0);
      report.cache.savedBlobs = plan.kind === 'layer' ? changed.length : listing.files.size;
      report.cache.savedBytes = plan.kind === 'layer' ? layerBytes : listing.bytes;
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
  if (c?.enabled && c.storeSkipped) {
    lines.push('restore: skipped (the module tree restored exactly)');
    lines.push(`new blobs: ${c.addedBlobs ?? 0} (${formatBytes(c.addedBytes ?? 0)})`);
  } else if (c?.enabled) {
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
        ? `save: ${c.savedAs ?? 'base'} ${c.savedKey ?? ''} in ${c.saveMs ?? 0} ms (${c.savedBlobs ?? 0} blobs, ${formatBytes(c.savedBytes ?? 0)})`
        : `save: skipped (${c.save})`,
    );
  return lines;
}
