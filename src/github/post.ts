// The action's post step (action.yml `runs.post`, always run): stop, prune, save, summarize.
import * as core from '@actions/core';
import { logFilePath, logTail } from '../daemon/start-proxy.ts';
import { listStoreBlobs } from '../store/store-listing.ts';
import { parseActionState, STATE_NAME } from './action-state.ts';
import { buildCacheLines, finishBuildCache } from './build-cache-step.ts';
import { finishModTree, modTreeLines, treeZipsFetched } from './mod-tree-step.ts';
import { STORE_FAMILY } from './store-layers.ts';
import { renderSummary } from './summary.ts';
import { deleteSupersededAfterBases } from './superseded-entries.ts';
import { teardown, timingLines } from './teardown.ts';

// Since the process started: Node's start-up and the bundle's static imports.
const loadedAt = performance.now();

async function post(): Promise<void> {
  const state = parseActionState(core.getState(STATE_NAME));
  if (!state) {
    core.info('goproxy-action: the main step did not finish setting up; nothing to stop or save.');
    return;
  }
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  process.chdir(workspace);
  // The build cache is saved while the proxy stops and the store is saved: independent work.
  // When each part was done, since the process started: where post's time goes.
  const doneAt: string[] = [`imports ${Math.round(loadedAt)} ms`];
  const timed = <T>(name: string, p: Promise<T>): Promise<T> =>
    p.finally(() => doneAt.push(`${name} ${Math.round(performance.now())} ms`));
  const teardownDone = timed('proxy and store', teardown(state));
  const buildCacheSave = state.buildCache
    ? timed('build cache', finishBuildCache(state.buildCache, process.env)).then(
        (saved) => ({ saved }),
        (err: Error) => ({ error: err.message }),
      )
    : undefined;
  // The store skipped on an exact tree gained zips of modules the tree holds (go mod download):
  // the tree's marker records it, so later runs restore the store. Only then does the tree's
  // save wait for the teardown (which saves nothing for a skipped store); otherwise the answer
  // is known now, and the tree's save runs beside the store's rather than after it.
  const storeDir = state.storeDir;
  const treeListing = state.modTree?.listingFile;
  const storeWanted =
    state.cache?.storeSkipped === true && storeDir && treeListing
      ? teardownDone
          .then(async (r) =>
            (r.cache?.addedBlobs ?? 0) > 0
              ? await treeZipsFetched((await listStoreBlobs(storeDir)).files.keys(), treeListing)
              : false,
          )
          .catch(() => false)
      : false;
  const modTreeSave = state.modTree
    ? timed('module tree', finishModTree(state.modTree, process.env, storeWanted)).then(
        (saved) => ({ saved }),
        (err: Error) => ({ error: err.message }),
      )
    : undefined;
  const report = await teardownDone;
  const buildCache = await buildCacheSave;
  const modTree = await modTreeSave;
  if (modTree && 'saved' in modTree) report.modTree = modTree.saved;
  else if (modTree) report.problems.push(`the module tree could not be saved: ${modTree.error}`);
  if (buildCache && 'saved' in buildCache) report.buildCache = buildCache.saved;
  else if (buildCache) report.problems.push(`the Go build cache could not be saved: ${buildCache.error}`);
  for (const line of timingLines(report)) core.info(line);
  if (report.buildCache) for (const line of buildCacheLines(report.buildCache)) core.info(line);
  if (report.modTree) for (const line of modTreeLines(report.modTree)) core.info(line);
  // A new base (a compaction) supersedes this ref's older chains of its family: deleted where
  // the token may (`actions: write`), kept otherwise.
  const bases: { family: string; key: string }[] = [];
  if (report.cache?.savedAs === 'base' && report.cache.savedKey)
    bases.push({ family: STORE_FAMILY, key: report.cache.savedKey });
  if (state.buildCache && report.buildCache?.save === 'saved-base' && report.buildCache.savedKey)
    bases.push({ family: state.buildCache.family, key: report.buildCache.savedKey });
  if (state.modTree && report.modTree?.save === 'saved-base' && report.modTree.savedKey)
    bases.push({ family: state.modTree.family, key: report.modTree.savedKey });
  const token = core.getInput('github-token');
  if (token) core.setSecret(token);
  const deletionLines = await deleteSupersededAfterBases({
    bases,
    env: process.env,
    token,
    restoreStartedAt: state.restoreStartedAt,
    restoreDoneAt: state.restoreDoneAt,
  });
  for (const line of deletionLines) core.info(line);
  doneAt.push(`superseded entries ${Math.round(performance.now())} ms`);
  core.info(`Post timing: ${doneAt.join(', ')}`);
  for (const problem of report.problems) core.warning(problem, { title: 'goproxy-action' });
  if (report.problems.length > 0 && state.stateDir) {
    // The proxy's own words are the quickest way to see what went wrong.
    core.startGroup('goproxy-action: the end of the proxy log');
    core.info(await logTail(logFilePath(state.stateDir)));
    core.endGroup();
  }
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderSummary(report)).write();
}

try {
  await post();
} catch (err) {
  // The build's result is not ours to change: report the failure without failing the job.
  core.warning(`goproxy-action post step: ${(err as Error).message}`);
}
