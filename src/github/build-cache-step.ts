// The Go build cache in a GitHub job: restored in main (GOCACHE is pointed at it), pruned and
// saved in post, as a layered chain of cache entries (src/cachelayers). Both modes use it.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as core from '@actions/core';
import {
  AGE_BACK_MS,
  ageEntries,
  type BuildCacheListing,
  buildCacheUsage,
  entryFiles,
  listBuildCache,
  pruneToUsed,
} from '../buildcache/build-cache-dir.ts';
import { type BuildCacheGoEnv, buildCacheFamilyFromGo } from '../buildcache/build-cache-key.ts';
import { layerKey, newBaseId } from '../cachelayers/layer-keys.ts';
import {
  actionsCacheClient,
  baseStillStored,
  type CacheClient,
  confirmLayerBase,
  restoreChain,
  saveFilesOnly,
} from '../cachelayers/layered-cache.ts';
import { planSave, type RestoredChain, type SavePlan } from '../cachelayers/save-plan.ts';
import { formatBytes } from '../daemon/stats-text.ts';
import { unlinkLinksOnPath } from '../tree-walk.ts';
import { cacheAccess, cacheFeatureAvailable } from './cache-access.ts';
import { streamedCacheClient } from './streamed-restore.ts';

/** Workspace-relative, like the module store's, so the path string is the same on every runner. */
export const BUILD_CACHE_PATH = '.goproxy-action/gocache';

/**
 * A run that added less than this to the build cache saves no layer: the next run redoes that
 * little compilation (well under a second) rather than download one more entry.
 */
export const MIN_BUILD_CACHE_LAYER_BYTES = 256 * 1024;

/**
 * Delta layers on a build cache base before compaction: more than the store's and the tree's
 * (src/cachelayers MAX_LAYERS), because its entries are restored all at once, so a layer adds an
 * overlapping download rather than a queued one, while each compaction uploads the whole cache
 * again (the job's longest save) and leaves the old chain stored until the service evicts it.
 */
export const MAX_BUILD_CACHE_LAYERS = 8;

/**
 * A restored entry whose mtime is newer than this is set back (AGE_BACK_MS); older ones are left:
 * the go command marks an entry used (mtime to now) only when its mtime is over an hour old.
 */
const AGE_FRESH_MS = (AGE_BACK_MS * 3) / 4;

export type BuildCacheState = {
  dir: string;
  family: string;
  enabled: boolean;
  writable: boolean;
  chain?: RestoredChain;
  restoredKeys: string[];
  restoreMs: number;
  /** Listing and ageing the restored entries, after the restore. */
  prepareMs: number;
  /** Restored entries whose mtime had to be set back (the rest came aged from their save). */
  agedEntries?: number;
  restoredEntries: number;
  restoredBytes: number;
  /** An entry with an mtime at or after this was used by the run (see build-cache-dir.ts). */
  usedSinceMs: number;
  /** File listing the entries present after restore. */
  listingFile: string;
  note?: string;
};

export type BuildCacheSaveOutcome =
  | 'saved-base'
  | 'saved-layer'
  | 'nothing-new'
  | 'below-threshold'
  | 'refused'
  | 'read-only'
  | 'disabled';

export type BuildCacheReport = {
  enabled: boolean;
  restoredKeys: string[];
  restoreMs: number;
  restoredEntries: number;
  restoredBytes: number;
  /** Restored entries the run used; not counted when the names alone showed nothing to save. */
  usedEntries?: number;
  addedEntries: number;
  addedBytes: number;
  prunedEntries: number;
  prunedBytes: number;
  /** Unused action entries kept with a new base because their output is kept. */
  partnerEntries?: number;
  save: BuildCacheSaveOutcome;
  savedKey?: string;
  saveMs?: number;
  plan?: SavePlan;
  note?: string;
};

export async function restoreBuildCache(options: {
  workspace: string;
  stateDir: string;
  family: string;
  client: CacheClient;
  enabled: boolean;
  canRestore: boolean;
  writable: boolean;
}): Promise<BuildCacheState> {
  const dir = join(options.workspace, '.goproxy-action', 'gocache');
  await mkdir(dir, { recursive: true });
  // Keeps the whole .goproxy-action directory out of `git status` (the store's does the same).
  await writeFile(join(options.workspace, '.goproxy-action', '.gitignore'), '*\n');
  const started = Date.now();
  let restored: Awaited<ReturnType<typeof restoreChain>> = { restoredKeys: [] };
  if (options.enabled && options.canRestore)
    restored = await restoreChain(options.client, options.family, { concurrent: true });
  // Restored content: a link in the cache's place (or on the way to it) is removed, never used.
  if (await unlinkLinksOnPath(options.workspace, '.goproxy-action/gocache'))
    await mkdir(dir, { recursive: true });
  if (restored.strayLayers) {
    // Layers of a chain whose base is gone: never half a cache, start cold.
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
  }
  const restoreMs = Date.now() - started;
  const listing = await listBuildCache(dir);
  const now = Date.now();
  // Only entries the go command would not mark used are set back (mtime within the last
  // AGE_FRESH_MS): saves set their entries back already (saveBuildCache), so a restored chain
  // needs a utimes only for what its archive carried fresh (a layer's directory entries, entries
  // of older versions), not for each of its thousands of entries on a warm job's critical path.
  const fresh = new Map([...listing].filter(([, entry]) => entry.mtimeMs > now - AGE_FRESH_MS));
  await ageEntries(dir, fresh, new Date(now - AGE_BACK_MS));
  const listingFile = join(options.stateDir, 'restored-gocache.json');
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
    usedSinceMs: now - 1000,
    listingFile,
    note: restored.note,
  };
}

export async function saveBuildCache(
  state: BuildCacheState,
  client: CacheClient,
  env: NodeJS.ProcessEnv,
): Promise<BuildCacheReport> {
  const restored = new Set<string>(JSON.parse(await readFile(state.listingFile, 'utf8').catch(() => '[]')));
  let listing: BuildCacheListing;
  let baseStored: Promise<boolean> | undefined;
  if (state.enabled && state.chain) {
    // A warm run adds too little to save (planSave: below the threshold on a restored chain):
    // known from the new entries alone, without a stat of every restored one.
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
        save: added.size === 0 ? 'nothing-new' : 'below-threshold',
        note: state.note,
      };
    // Enough is new to save. Unless the chain is full or broken (a new base, whatever the rest
    // says), the save is most likely a layer, which needs its base still stored: that lookup
    // (and @actions/cache's loading) runs while the restored entries are stat-ed.
    const mayLayer = state.chain.complete && state.chain.count <= MAX_BUILD_CACHE_LAYERS && state.writable;
    if (mayLayer) {
      baseStored = baseStillStored(client, state.family, state.chain.baseId);
      baseStored.catch(() => undefined);
    }
    // The new entries are listed already: only the restored ones are stat-ed.
    listing = new Map([...added, ...(await listBuildCache(state.dir, (key) => restored.has(key)))]);
  } else {
    listing = await listBuildCache(state.dir);
  }
  const usage = buildCacheUsage(restored, listing, state.usedSinceMs);
  const report: BuildCacheReport = {
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
    save: 'disabled',
    note: state.note,
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
      maxLayers: MAX_BUILD_CACHE_LAYERS,
    }),
    baseStored ? { baseStored } : {},
  );
  report.plan = plan;
  if (plan.kind === 'skip') {
    report.save = plan.reason;
    return report;
  }
  if (!state.writable) {
    report.save = 'read-only';
    return report;
  }
  const started = Date.now();
  if (plan.kind === 'base') {
    // A new base holds what this run used plus what it added (and the action entries pointing
    // at those outputs): the rest is dropped first.
    const kept = await pruneToUsed(state.dir, usage);
    report.prunedEntries = kept.unused.length;
    report.prunedBytes = kept.unusedBytes;
    report.partnerEntries = kept.partners.length;
    // Saved set back (tar keeps mtimes): the next restore need not age them (restoreBuildCache).
    const removed = new Set(kept.unused);
    await ageEntries(
      state.dir,
      new Map([...listing].filter(([path]) => !removed.has(path))),
      new Date(Date.now() - AGE_BACK_MS),
    );
    const key = layerKey(
      state.family,
      newBaseId(env, () => randomBytes(4).toString('hex')),
      0,
    );
    const ok = await client.save(key);
    report.save = ok ? 'saved-base' : 'refused';
    if (ok) report.savedKey = key;
  } else {
    const key = layerKey(state.family, state.chain!.baseId, plan.layer);
    // Set back before the hard links of the layer are made (they share the mtime), as a base's.
    const added = new Set(usage.added);
    await ageEntries(
      state.dir,
      new Map([...listing].filter(([path]) => added.has(path))),
      new Date(Date.now() - AGE_BACK_MS),
    );
    const files = await entryFiles(state.dir, listing, usage.added);
    const ok = await saveFilesOnly(client, state.dir, files, key);
    report.save = ok ? 'saved-layer' : 'refused';
    if (ok) report.savedKey = key;
  }
  report.saveMs = Date.now() - started;
  return report;
}

/**
 * Main's part: where the runner has a cache service, restore the chain into the workspace's
 * `.goproxy-action/gocache` and return the state (GOCACHE is then exported to point there).
 * Without a cache service, undefined: the runner's own GOCACHE is left alone.
 */
export async function setupBuildCache(ctx: {
  env: NodeJS.ProcessEnv;
  workspace: string;
  stateDir: string;
  /** BUILD_CACHE_GO_NAMES from the step's one `go env` (step-go-env.ts). */
  goEnv: Promise<BuildCacheGoEnv>;
}): Promise<BuildCacheState | undefined> {
  if (!cacheFeatureAvailable(ctx.env)) {
    core.info('No cache service in this job: the Go build cache is not carried between runs.');
    return undefined;
  }
  const access = cacheAccess(ctx.env);
  const state = await restoreBuildCache({
    workspace: ctx.workspace,
    stateDir: ctx.stateDir,
    family: buildCacheFamilyFromGo(await ctx.goEnv),
    client: streamedCacheClient(BUILD_CACHE_PATH, false),
    enabled: true,
    canRestore: access.read,
    writable: access.write,
  });
  if (state.note) core.info(`Build cache: ${state.note}`);
  core.info(
    `Build cache restore: ${state.restoredKeys.length === 0 ? 'none' : state.restoredKeys.join(' + ')}, ${state.restoredEntries} entries, ${formatBytes(state.restoredBytes)}, ${state.restoreMs} ms, listed and aged in ${state.prepareMs} ms (${state.agedEntries ?? 0} set back)`,
  );
  return state;
}

/** Post's part, with the real cache service. */
export async function finishBuildCache(
  state: BuildCacheState,
  env: NodeJS.ProcessEnv,
): Promise<BuildCacheReport> {
  return await saveBuildCache(state, actionsCacheClient(BUILD_CACHE_PATH, false), env);
}

/** Log lines for the build cache. */
export function buildCacheLines(report: BuildCacheReport): string[] {
  const lines = [
    `build cache restore: ${report.restoredKeys.length} entries of the chain in ${report.restoreMs} ms (${report.restoredEntries} cache entries, ${formatBytes(report.restoredBytes)})`,
    `build cache use: ${report.usedEntries === undefined ? 'restored entries not counted (nothing to save), ' : `${report.usedEntries} restored entries used, `}${report.addedEntries} added (${formatBytes(report.addedBytes)})`,
  ];
  if (report.prunedEntries > 0)
    lines.push(
      `build cache prune: ${report.prunedEntries} unused entries (${formatBytes(report.prunedBytes)}), ${report.partnerEntries ?? 0} kept as partners of used outputs`,
    );
  lines.push(
    report.savedKey
      ? `build cache save: ${report.save} ${report.savedKey} in ${report.saveMs ?? 0} ms`
      : `build cache save: skipped (${report.save})`,
  );
  return lines;
}
