// Restores and saves a directory as a chain of cache entries (layer-keys.ts): the base and
// each delta layer hold files under the same path, so restoring them in order over one
// directory rebuilds the state the newest layer's run saved. A delta layer is saved by
// swapping the directory for one holding hard links to only the new files for the length of
// the upload, so @actions/cache archives the same path (same entry version) with less in it.
import { copyFile, link, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { eachLimited } from '../each-limited.ts';
import { layerKey, layerPrefix, parseLayerKey } from './layer-keys.ts';
import type { RestoredChain, SavePlan } from './save-plan.ts';

/** The cache service, reduced to what a chain needs; one cache path per client. */
export type CacheClient = {
  /** The key a restore with these keys would pick (newest prefix match), without downloading. */
  lookup(key: string, restoreKeys: string[]): Promise<string | undefined>;
  /**
   * Restores exactly `key` into the path, or with `prefix` (a tagged family's earlier layer,
   * layer-keys.ts) the newest entry whose key starts with it; the key restored, undefined on a miss.
   */
  restore(key: string, prefix?: string): Promise<string | undefined>;
  /** Saves the path under `key`; false when the service refused (exists, too big, failed). */
  save(key: string): Promise<boolean>;
  /**
   * Optional: told the entries `restore` will be asked for next, in this order, so their
   * lookups and downloads can start before their turn (src/github/streamed-restore.ts);
   * extraction still happens in `restore`, in order. The function returned drops what was
   * prefetched but never restored (a chain stopped at a missing entry).
   */
  prefetch?(entries: { key: string; prefix?: string }[]): () => void;
};

/** The real @actions/cache for one workspace-relative path. */
export function actionsCacheClient(path: string, crossOs: boolean): CacheClient {
  // Loaded on first use: with the Azure storage stack under it, it is most of the action's bundle.
  const actionsCache = () => import('@actions/cache');
  return {
    async lookup(key, restoreKeys) {
      const cache = await actionsCache();
      return await cache.restoreCache([path], key, restoreKeys, { lookupOnly: true }, crossOs);
    },
    async restore(key, prefix) {
      const cache = await actionsCache();
      // The prefix as a restore key: legacy cache servers prefix-match only restore keys.
      const matched = await cache.restoreCache([path], key, prefix ? [prefix] : [], {}, crossOs);
      // A prefix match on the primary key cannot happen with layer keys; refuse one anyway.
      if (matched === key) return key;
      return prefix && matched?.startsWith(prefix) ? matched : undefined;
    },
    async save(key) {
      const cache = await actionsCache();
      try {
        return (await cache.saveCache([path], key, {}, crossOs)) !== -1;
      } catch {
        // ReserveCacheError (another job saved the key first) and validation errors.
        return false;
      }
    },
  };
}

export type ChainRestoreResult = {
  chain?: RestoredChain;
  /** Keys restored, base first. */
  restoredKeys: string[];
  /** Why the newest chain was not (fully) restored, for the log. */
  note?: string;
  /**
   * Concurrent restores only: layers were extracted although the chain is unusable (its base is
   * gone): the caller must empty the directory.
   */
  strayLayers?: boolean;
};

/**
 * Restores the newest chain of the family: one lookup for the newest entry (on GitHub the
 * current branch's scope is searched first, then the default branch's), then its base and
 * layers in order, each by exact key. A missing base means nothing usable (cold start: the next
 * save writes a new base); a missing layer stops the chain there (an earlier, complete state).
 */
export async function restoreChain(
  client: CacheClient,
  family: string,
  options: {
    concurrent?: boolean;
    /** Told the newest entry's key (undefined: none) as soon as the lookup answers, before any download. */
    onNewest?: (key: string | undefined) => void;
  } = {},
): Promise<ChainRestoreResult> {
  const newest = await client.lookup(family, [family]);
  options.onNewest?.(newest);
  if (newest === undefined) return { restoredKeys: [] };
  const parsed = parseLayerKey(family, newest);
  if (!parsed) return { restoredKeys: [], note: `ignored an entry with an unknown key: ${newest}` };
  const restoreLayer = (layer: number) => restoreOneLayer(client, family, { ...parsed, key: newest }, layer);
  if (options.concurrent) return await restoreLayersConcurrently(restoreLayer, family, parsed);
  const requests = [];
  for (let layer = 0; layer <= parsed.layer; layer++)
    requests.push(layerRequest(family, { ...parsed, key: newest }, layer));
  const dropPrefetched = client.prefetch?.(requests);
  try {
    const restoredKeys: string[] = [];
    for (let layer = 0; layer <= parsed.layer; layer++) {
      const key = layerKey(family, parsed.baseId, layer);
      const got = await restoreLayer(layer);
      if (got === undefined) {
        if (layer === 0) return { restoredKeys, note: `the base ${key} is gone (evicted): starting cold` };
        return {
          chain: { baseId: parsed.baseId, count: layer, complete: false },
          restoredKeys,
          note: `layer ${key} is gone (evicted): restored the chain up to layer ${layer - 1}`,
        };
      }
      restoredKeys.push(got);
    }
    return { chain: { baseId: parsed.baseId, count: parsed.layer + 1, complete: true }, restoredKeys };
  } finally {
    dropPrefetched?.();
  }
}

/**
 * One layer of the newest chain: the newest itself by its key; an earlier one by its exact key,
 * or in a tagged family (whose earlier tags the lookup does not tell) by its layer's prefix.
 */
async function restoreOneLayer(
  client: CacheClient,
  family: string,
  newest: { baseId: string; layer: number; tag?: string; key: string },
  layer: number,
): Promise<string | undefined> {
  const { key, prefix } = layerRequest(family, newest, layer);
  return await client.restore(key, prefix);
}

/** What `restore` is asked for one layer of the newest chain (see restoreOneLayer). */
function layerRequest(
  family: string,
  newest: { baseId: string; layer: number; tag?: string; key: string },
  layer: number,
): { key: string; prefix?: string } {
  if (layer === newest.layer) return { key: newest.key };
  if (newest.tag === undefined) return { key: layerKey(family, newest.baseId, layer) };
  const prefix = layerPrefix(family, newest.baseId, layer);
  return { key: prefix, prefix };
}

/**
 * All of the chain's entries restored at once, for a directory whose files are independent of
 * each other and never in two entries (the build cache: each layer holds only entries the
 * chain before it lacked): the downloads and extractions overlap instead of queueing, and a
 * layer past a missing one is extracted but harmless. A missing base still means cold.
 */
async function restoreLayersConcurrently(
  restoreLayer: (layer: number) => Promise<string | undefined>,
  family: string,
  newest: { baseId: string; layer: number },
): Promise<ChainRestoreResult> {
  const keys: string[] = [];
  for (let layer = 0; layer <= newest.layer; layer++) keys.push(layerKey(family, newest.baseId, layer));
  const got = await Promise.all(keys.map((_, layer) => restoreLayer(layer)));
  if (got[0] === undefined)
    return {
      restoredKeys: [],
      note: `the base ${keys[0]} is gone (evicted): starting cold`,
      strayLayers: got.some((g) => g !== undefined),
    };
  const missing = got.indexOf(undefined);
  const restoredKeys = got.map((key, layer) => key ?? keys[layer]!);
  if (missing === -1)
    return { chain: { baseId: newest.baseId, count: keys.length, complete: true }, restoredKeys };
  return {
    chain: { baseId: newest.baseId, count: missing, complete: false },
    restoredKeys: restoredKeys.slice(0, missing),
    note: `layer ${keys[missing]} is gone (evicted): restored the chain up to layer ${missing - 1}`,
  };
}

/**
 * The plan to carry out: a layer on a chain whose base is no longer stored (deleted by a
 * concurrent job's compaction, or evicted since this run restored it) would make the newest
 * entry a layer over nothing, and the next run start cold: save a new base instead.
 * `baseStored`: the answer of a check started earlier (baseStillStored), when the caller began
 * it beside other work; otherwise the base is looked up now.
 */
export async function confirmLayerBase(
  client: CacheClient,
  family: string,
  baseId: string | undefined,
  plan: SavePlan,
  options: { tagged?: boolean; baseStored?: Promise<boolean> } = {},
): Promise<SavePlan> {
  if (plan.kind !== 'layer' || baseId === undefined) return plan;
  const stored = await (options.baseStored ?? baseStillStored(client, family, baseId, options));
  return stored ? plan : { kind: 'base', reason: 'chain-broken' };
}

/**
 * Whether the chain's base (layer 00) is still stored: one lookup (which loads @actions/cache
 * on first use). A failed lookup counts as stored: the plan stays as it was before the check.
 */
export async function baseStillStored(
  client: CacheClient,
  family: string,
  baseId: string,
  options: { tagged?: boolean } = {},
): Promise<boolean> {
  if (options.tagged) {
    // The base's tag is not known here: any key of layer 00 of this base.
    const prefix = layerPrefix(family, baseId, 0);
    const found = await client.lookup(prefix, [prefix]).catch(() => prefix);
    return found?.startsWith(prefix) === true;
  }
  const base = layerKey(family, baseId, 0);
  return (await client.lookup(base, []).catch(() => base)) === base;
}

/** Hard links (or copies) made at once while a layer's directory is rebuilt. */
const LINKS_AT_ONCE = 32;

/**
 * Saves only `files` (paths relative to `dir`) under `key`: `dir` is moved aside, rebuilt from
 * hard links (copies where linking fails) for the save, and moved back whatever happens.
 */
export async function saveFilesOnly(
  client: CacheClient,
  dir: string,
  files: Iterable<string>,
  key: string,
): Promise<boolean> {
  const aside = `${dir}.goproxy-action-full`;
  await rm(aside, { recursive: true, force: true });
  await rename(dir, aside);
  try {
    await mkdir(dir, { recursive: true });
    await linkFiles(aside, dir, [...files]);
    return await client.save(key);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rename(aside, dir);
  }
}

/**
 * Links each of `files` from `from` into `to` (an empty directory): every directory made once,
 * parents first, then the links many at once. One awaited mkdir and link after another was most
 * of a module tree base's save (a syscall round trip per file, for thousands of files).
 */
async function linkFiles(from: string, to: string, files: string[]): Promise<void> {
  const dirs = new Set<string>();
  for (const file of files) {
    for (let d = dirname(file); d !== '.' && d !== '/' && !dirs.has(d); d = dirname(d)) dirs.add(d);
  }
  // By depth: each level's directories at once, once their parents exist.
  const depth = (d: string) => d.split('/').length;
  const sorted = [...dirs].sort((a, b) => depth(a) - depth(b));
  for (let i = 0; i < sorted.length; ) {
    let end = i;
    while (end < sorted.length && depth(sorted[end]!) === depth(sorted[i]!)) end++;
    await eachLimited(sorted.slice(i, end), LINKS_AT_ONCE, (d) => mkdir(join(to, d)).catch(ignoreExists));
    i = end;
  }
  await eachLimited(files, LINKS_AT_ONCE, (file) =>
    link(join(from, file), join(to, file)).catch(() => copyFile(join(from, file), join(to, file))),
  );
}

function ignoreExists(err: NodeJS.ErrnoException): void {
  if (err.code !== 'EEXIST') throw err;
}
