// The extracted module tree (src/modtree) in a GitHub job: restored into GOMODCACHE in main,
// beside the store and the build cache and at the same time, checked against go.sum; saved in
// post as a layered chain (src/cachelayers) keyed like the store: a base, then delta layers
// holding only the modules a run extracted. Its keys are tagged with the dependency key they
// were saved for (and the marker's storeWanted), so the lookup of the newest entry tells, before
// any download, whether the tree can be exact: the store's restore waits for the tree only then.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { layerKey, newBaseId, parseLayerKey } from '../cachelayers/layer-keys.ts';
import {
  type CacheClient,
  confirmLayerBase,
  restoreChain,
  saveFilesOnly,
} from '../cachelayers/layered-cache.ts';
import { planSave, type RestoredChain, type SavePlan } from '../cachelayers/save-plan.ts';
import { isWorkspaceModuleFile } from '../gomod/find-module-files.ts';
import { GoSumIndex } from '../gomod/go-sum.ts';
import {
  checkTreeAgainstGoSum,
  listTree,
  moduleFiles,
  TREE_MARKER,
  zipsOfModules,
} from '../modtree/mod-tree.ts';
import { readTreeMarker, treeMarkerText } from '../modtree/tree-marker.ts';
import { cacheAccess, cacheFeatureAvailable } from './cache-access.ts';
import { CACHE_FORMAT_VERSION, computeCacheKey } from './cache-key.ts';
import type { RestoreKind } from './run-report.ts';
import { streamedCacheClient } from './streamed-restore.ts';

/**
 * Per OS: the archive holds GOMODCACHE's absolute path, which differs between runners' OSes.
 * `modtree2`: keys tagged with the dependency key (treeKeyTag). The untagged `modtree-` entries
 * of earlier versions are never looked up (a cold tree once, never a broken restore).
 */
export function treeFamily(goos: string): string {
  return `goproxy-action-${CACHE_FORMAT_VERSION}-modtree2-${goos.replace(/[^a-z0-9]/g, '_')}-`;
}

/**
 * A tree key's tag: 16 hex digits of the dependency key's sha256 (the store's key, the hash of
 * the cache-key files), then `w` when the saved marker says storeWanted.
 */
export function treeKeyTag(dependencyKey: string, storeWanted: boolean): string {
  const digest = createHash('sha256').update(dependencyKey).digest('hex').slice(0, 16);
  return storeWanted ? `${digest}w` : digest;
}

/**
 * What the newest tree entry's key says before anything is downloaded: whether it was saved for
 * this dependency key, and whether its marker wants the store. A hint only: the restored
 * marker, the whole chain and the go.sum check still decide "exact".
 */
export type TreeLookup = { sameDependencies: boolean; storeWanted: boolean };

export function treeLookup(family: string, newestKey: string | undefined, dependencyKey: string): TreeLookup {
  const tag = newestKey === undefined ? undefined : parseLayerKey(family, newestKey)?.tag;
  if (tag === undefined) return { sameDependencies: false, storeWanted: false };
  if (tag === treeKeyTag(dependencyKey, false)) return { sameDependencies: true, storeWanted: false };
  if (tag === treeKeyTag(dependencyKey, true)) return { sameDependencies: true, storeWanted: true };
  return { sameDependencies: false, storeWanted: tag.endsWith('w') };
}

export type ModTreeState = {
  gomodcache: string;
  family: string;
  writable: boolean;
  restore: RestoreKind;
  chain?: RestoredChain;
  restoredKeys: string[];
  restoreMs: number;
  /** Modules kept after the go.sum check, pruned (not in go.sum), and removed (hash mismatch). */
  kept: number;
  pruned: number;
  mismatched: string[];
  /** go.sum files (absolute) the tree is checked and pruned against. */
  goSumFiles: string[];
  /** Listing after restore: carried metadata files (path -> size) and module dirs. */
  listingFile: string;
  /** The store's dependency key (hash of the cache-key files) at restore. */
  dependencyKey?: string;
  /**
   * The restored marker says an earlier run skipped the store on an exact tree and its go
   * command still asked the proxy for modules (a `go mod download`): restore the store anyway.
   */
  storeWanted?: boolean;
  /** Where restoreMs went, in ms since the restore began (for the verbose log and bench/). */
  phases?: Record<string, number>;
  note?: string;
};

export type ModTreeReport = {
  restore: RestoreKind;
  restoredKeys: string[];
  restoreMs: number;
  kept: number;
  pruned: number;
  mismatched: string[];
  addedModules: number;
  addedFiles: number;
  save: 'saved-base' | 'saved-layer' | 'nothing-new' | 'below-threshold' | 'refused' | 'read-only';
  savedKey?: string;
  saveMs?: number;
  plan?: SavePlan;
  note?: string;
};

export function treeCacheClient(gomodcache: string): CacheClient {
  return streamedCacheClient(gomodcache, false);
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}

export async function restoreModTree(options: {
  client: CacheClient;
  gomodcache: string;
  goos: string;
  goSumFiles: string[];
  dependencyKey: string;
  stateDir: string;
  canRestore: boolean;
  writable: boolean;
  /**
   * Told once: what the newest entry's key says as soon as the lookup answers, before any
   * download; "not the same" at once when no lookup is made.
   */
  onLookup?: (lookup: TreeLookup) => void;
}): Promise<ModTreeState> {
  const family = treeFamily(options.goos);
  const started = Date.now();
  const phases: Record<string, number> = {};
  const mark = (name: string): void => {
    phases[name] = Date.now() - started;
  };
  let restored: Awaited<ReturnType<typeof restoreChain>> = { restoredKeys: [] };
  let note: string | undefined;
  let lookedUp = false;
  // go.sum is read and parsed while the chain downloads: the check needs it right after.
  const sumsLoaded = GoSumIndex.load(options.goSumFiles);
  sumsLoaded.catch(() => undefined);
  if (options.goSumFiles.length === 0)
    note = 'no go.sum among the cache-key files: the module tree is not carried';
  else if (!(await isEmptyDir(options.gomodcache)))
    // A runner that keeps its own GOMODCACHE (self-hosted) already has a tree; never mix two.
    note = `GOMODCACHE (${options.gomodcache}) is not empty: the runner's own module tree is used as it is`;
  else if (options.canRestore) {
    let layers = 0;
    const client: CacheClient = {
      ...options.client,
      restore: (key, prefix) => options.client.restore(key, prefix).finally(() => mark(`layer${layers++}`)),
    };
    restored = await restoreChain(client, family, {
      onNewest: (key) => {
        mark('lookup');
        lookedUp = true;
        options.onLookup?.(treeLookup(family, key, options.dependencyKey));
      },
    });
  }
  // No lookup made (no go.sum, a runner's own GOMODCACHE, no reads): nothing for the store to wait for.
  if (!lookedUp) options.onLookup?.({ sameDependencies: false, storeWanted: false });
  mark('extracted');
  note ??= restored.note;
  const sums = await sumsLoaded;
  const before = await listTree(options.gomodcache);
  mark('listed');
  const check =
    restored.restoredKeys.length > 0
      ? await checkTreeAgainstGoSum(options.gomodcache, before.modules, sums)
      : { kept: before.modules, pruned: [], mismatched: [] };
  mark('checked');
  const restoreMs = Date.now() - started;
  // Nothing removed (a link found counts as a mismatch, so none was unlinked): the same listing.
  const after =
    check.pruned.length === 0 && check.mismatched.length === 0 ? before : await listTree(options.gomodcache);
  const listingFile = join(options.stateDir, 'restored-modtree.json');
  await writeFile(
    listingFile,
    JSON.stringify({ meta: Object.fromEntries(after.meta), modules: after.modules.map((m) => m.dir) }),
  );
  let restore: RestoreKind = 'none';
  let storeWanted = false;
  if (restored.chain) {
    const marker = await readTreeMarker(options.gomodcache);
    storeWanted = marker.storeWanted === true;
    restore =
      marker.key === options.dependencyKey && restored.chain.complete && check.mismatched.length === 0
        ? 'exact'
        : 'partial';
  }
  // A module removed for its hash cannot be replaced by a layer (a layer only adds files over
  // what the earlier entries extract): the next save must be a new base without it.
  const chain =
    restored.chain && check.mismatched.length > 0 ? { ...restored.chain, complete: false } : restored.chain;
  mark('done');
  return {
    gomodcache: options.gomodcache,
    family,
    writable: options.writable && options.goSumFiles.length > 0 && note?.startsWith('GOMODCACHE') !== true,
    restore,
    chain,
    restoredKeys: restored.restoredKeys,
    restoreMs,
    kept: check.kept.length,
    pruned: check.pruned.length,
    mismatched: check.mismatched.map((m) => `${m.path}@${m.version}`),
    goSumFiles: options.goSumFiles,
    listingFile,
    ...(storeWanted ? { storeWanted } : {}),
    phases,
    note,
  };
}

export async function saveModTree(
  state: ModTreeState,
  client: CacheClient,
  dependencyKey: string,
  env: NodeJS.ProcessEnv,
  /**
   * True when this run skipped the store (exact tree) and its proxy still stored blobs: the
   * marker then records storeWanted, so later runs restore the store (setup-ephemeral.ts).
   */
  storeWantedNow: Promise<boolean> | boolean = false,
): Promise<ModTreeReport> {
  const report: ModTreeReport = {
    restore: state.restore,
    restoredKeys: state.restoredKeys,
    restoreMs: state.restoreMs,
    kept: state.kept,
    pruned: state.pruned,
    mismatched: state.mismatched,
    addedModules: 0,
    addedFiles: 0,
    save: 'nothing-new',
    note: state.note,
  };
  if (!state.writable) {
    report.save = 'read-only';
    return report;
  }
  const restored = JSON.parse(await readFile(state.listingFile, 'utf8')) as {
    meta: Record<string, number>;
    modules: string[];
  };
  const restoredDirs = new Set(restored.modules);
  const now = await listTree(state.gomodcache);
  // Only modules this project's go.sum names (go.sum may have changed during the job).
  const sums = await GoSumIndex.load(state.goSumFiles).catch(() => undefined);
  const wanted = now.modules.filter((m) => !sums || sums.zipHash(m.path, m.version).length > 0);
  const added = wanted.filter((m) => !restoredDirs.has(m.dir));
  const addedMeta = [...now.meta].filter(([path, size]) => restored.meta[path] !== size).map(([p]) => p);
  report.addedModules = added.length;
  report.addedFiles = addedMeta.length;
  // A marker that gains storeWanted is worth a layer of its own (a few bytes), once.
  const storeWanted = state.storeWanted === true || (await storeWantedNow);
  const markerChanged = storeWanted && state.storeWanted !== true ? 1 : 0;
  const plan = await confirmLayerBase(
    client,
    state.family,
    state.chain?.baseId,
    planSave({
      chain: state.chain,
      addedFiles: addedMeta.length + markerChanged,
      addedBytes: addedMeta.length + markerChanged,
      // In modules: more than half of the restored tree pruned means a smaller base is due.
      unusedBytes: state.pruned,
      restoredBytes: state.kept + state.pruned,
      minAddedBytes: 1,
    }),
    { tagged: true },
  );
  report.plan = plan;
  if (plan.kind === 'skip') {
    report.save = plan.reason;
    return report;
  }
  const started = Date.now();
  const marker = join(state.gomodcache, TREE_MARKER);
  await mkdir(dirname(marker), { recursive: true });
  await writeFile(marker, treeMarkerText({ key: dependencyKey, storeWanted }));
  const tag = treeKeyTag(dependencyKey, storeWanted);
  const wantedZiphash = new Set(wanted.map((m) => m.ziphash));
  const unwanted = new Set(now.modules.filter((m) => !wantedZiphash.has(m.ziphash)).map((m) => m.ziphash));
  let files: string[];
  let key: string;
  if (plan.kind === 'base') {
    key = layerKey(
      state.family,
      newBaseId(env, () => randomBytes(4).toString('hex')),
      0,
      tag,
    );
    files = [
      ...[...now.meta.keys()].filter((p) => !unwanted.has(p)),
      ...(await moduleFiles(state.gomodcache, wanted)),
    ];
  } else {
    key = layerKey(state.family, state.chain!.baseId, plan.layer, tag);
    files = [...addedMeta.filter((p) => !unwanted.has(p)), ...(await moduleFiles(state.gomodcache, added))];
  }
  files.push(TREE_MARKER);
  const ok = await saveFilesOnly(client, state.gomodcache, files, key);
  report.save = ok ? (plan.kind === 'base' ? 'saved-base' : 'saved-layer') : 'refused';
  if (ok) report.savedKey = key;
  report.saveMs = Date.now() - started;
  return report;
}

/**
 * Main's part: restore the tree into the job's GOMODCACHE when the runner has a cache service.
 * Undefined without one.
 */
/**
 * The go.sum files among the cache-key files that are the workspace's own: what the module
 * tree is checked against. The key may hash more (a testdata go.sum, say), but a fixture's
 * go.sum must not keep modules alive nor vouch for their hashes.
 */
export function workspaceGoSumFiles(workspace: string, keyFiles: readonly string[]): string[] {
  return keyFiles
    .filter((f) => /(^|\/)go\.(work\.)?sum$/.test(f) && isWorkspaceModuleFile(f))
    .map((f) => join(workspace, f));
}

export async function setupModTree(ctx: {
  env: NodeJS.ProcessEnv;
  workspace: string;
  stateDir: string;
  cacheKeyFiles: string[];
  /** TREE_GO_NAMES from the step's one `go env` (step-go-env.ts), read beside the key's hash. */
  goEnv: Promise<TreeGoEnv>;
  onLookup?: (lookup: TreeLookup) => void;
}): Promise<ModTreeState | undefined> {
  if (!cacheFeatureAvailable(ctx.env)) return undefined;
  const access = cacheAccess(ctx.env);
  const { key, files } = await computeCacheKey(ctx.workspace, ctx.cacheKeyFiles);
  const go = treeGoEnv(await ctx.goEnv);
  const state = await restoreModTree({
    client: treeCacheClient(go.gomodcache),
    gomodcache: go.gomodcache,
    goos: go.goos,
    goSumFiles: workspaceGoSumFiles(ctx.workspace, files),
    dependencyKey: key,
    stateDir: ctx.stateDir,
    canRestore: access.read,
    writable: access.write,
    ...(ctx.onLookup ? { onLookup: ctx.onLookup } : {}),
  });
  return { ...state, dependencyKey: key };
}

/**
 * Whether the store gained the zip of a module the restored tree holds: the go command asked
 * the proxy for what the tree has (`go mod download` wants every zip), which restoring the
 * store answers. A module the tree lacked is not such a sign: the tree's next layer holds it.
 * `storeBlobs`: paths in the store (the download layout, escaped like GOMODCACHE's).
 */
export async function treeZipsFetched(storeBlobs: Iterable<string>, listingFile: string): Promise<boolean> {
  const listing = JSON.parse(await readFile(listingFile, 'utf8')) as { modules?: unknown };
  return zipsOfModules(storeBlobs, Array.isArray(listing.modules) ? listing.modules.map(String) : []);
}

/** Post's part, with the real cache service. */
export async function finishModTree(
  state: ModTreeState,
  env: NodeJS.ProcessEnv,
  storeWantedNow: Promise<boolean> | boolean = false,
): Promise<ModTreeReport> {
  return await saveModTree(
    state,
    treeCacheClient(state.gomodcache),
    state.dependencyKey ?? '',
    env,
    storeWantedNow,
  );
}

/** The `go env` variables the tree needs: where it goes, and the OS in its key. */
export const TREE_GO_NAMES = ['GOMODCACHE', 'GOOS'] as const;

/** What `go env` printed for TREE_GO_NAMES. */
export type TreeGoEnv = Record<(typeof TREE_GO_NAMES)[number], string>;

/** GOMODCACHE and GOOS as the job's go command sees them. */
export function treeGoEnv(go: TreeGoEnv): { gomodcache: string; goos: string } {
  if (!go.GOMODCACHE) throw new Error('go env printed no GOMODCACHE');
  return { gomodcache: go.GOMODCACHE, goos: go.GOOS ?? 'unknown' };
}

export function modTreeLines(r: ModTreeReport): string[] {
  const lines = [
    `module tree restore: ${r.restore}${r.restoredKeys.length > 0 ? ` (${r.restoredKeys.join(' + ')})` : ''} in ${r.restoreMs} ms: ${r.kept} modules kept, ${r.pruned} pruned (not in go.sum), ${r.mismatched.length} removed (.ziphash not as go.sum records)`,
  ];
  if (r.mismatched.length > 0) lines.push(`module tree removed: ${r.mismatched.join(', ')}`);
  lines.push(
    r.savedKey
      ? `module tree save: ${r.save} ${r.savedKey} in ${r.saveMs ?? 0} ms (${r.addedModules} new modules)`
      : `module tree save: skipped (${r.save})`,
  );
  return lines;
}
