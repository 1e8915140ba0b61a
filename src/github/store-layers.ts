// The module blob store as a layered chain of cache entries (src/cachelayers): a run that
// fetched new modules saves only those blobs (and the version lists they changed) as a delta
// layer on the chain it restored, instead of the whole store again. A marker file records the
// dependency key (hash of the cache-key files) of the run that saved the newest layer, so an
// "exact" restore (cache-hit) still means: saved for these very go.sum files.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { layerKey, newBaseId } from '../cachelayers/layer-keys.ts';
import { type CacheClient, restoreChain, saveFilesOnly } from '../cachelayers/layered-cache.ts';
import { planSave, type RestoredChain, type SavePlan } from '../cachelayers/save-plan.ts';
import { listStoreBlobs, type StoreListing } from '../store/store-listing.ts';
import { CACHE_FORMAT_VERSION } from './cache-key.ts';
import type { RestoreKind } from './run-report.ts';
import { STORE_CACHE_PATH } from './store-location.ts';
import { streamedCacheClient } from './streamed-restore.ts';

export const STORE_FAMILY = `goproxy-action-${CACHE_FORMAT_VERSION}-store-`;

/** Inside the engine's bookkeeping directory: never a module path, never served. */
const MARKER = '.goproxy-action/cache-entry.json';

export function storeCacheClient(): CacheClient {
  // Cross-OS archives: one chain serves Linux, macOS and Windows (blobs do not depend on the OS).
  return streamedCacheClient(STORE_CACHE_PATH, true);
}

export type StoreRestore = {
  restore: RestoreKind;
  chain?: RestoredChain;
  restoredKeys: string[];
  note?: string;
};

export async function restoreStore(
  client: CacheClient,
  storeDir: string,
  dependencyKey: string,
): Promise<StoreRestore> {
  const result = await restoreChain(client, STORE_FAMILY);
  if (!result.chain) return { restore: 'none', restoredKeys: result.restoredKeys, note: result.note };
  const marker = await readFile(join(storeDir, MARKER), 'utf8').catch(() => '{}');
  let savedFor = '';
  try {
    savedFor = String((JSON.parse(marker) as { key?: unknown }).key ?? '');
  } catch {
    // A damaged marker only costs the "exact" label.
  }
  return {
    restore: savedFor === dependencyKey && result.chain.complete ? 'exact' : 'partial',
    chain: result.chain,
    restoredKeys: result.restoredKeys,
    note: result.note,
  };
}

/** Blobs new since the restore, or changed (a version list that grew): what a layer holds. */
export function changedBlobs(
  restored: Record<string, number>,
  now: StoreListing,
): { files: string[]; bytes: number } {
  const files: string[] = [];
  let bytes = 0;
  for (const [path, size] of now.files) {
    if (restored[path] === size) continue;
    files.push(path);
    bytes += size;
  }
  return { files, bytes };
}

export function planStoreSave(
  chain: RestoredChain | undefined,
  changed: { files: string[]; bytes: number },
): SavePlan {
  // Any new module is worth keeping: fetching it again costs network and the upstream's time.
  return planSave({
    chain,
    addedFiles: changed.files.length,
    addedBytes: changed.bytes,
    unusedBytes: 0,
    restoredBytes: 0,
    minAddedBytes: 1,
  });
}

/** Saves a base (the whole store: prune it first) or a layer (only `changed`); the key, or undefined if refused. */
export async function saveStore(options: {
  client: CacheClient;
  storeDir: string;
  plan: SavePlan;
  chain?: RestoredChain;
  changed: string[];
  dependencyKey: string;
  env: NodeJS.ProcessEnv;
}): Promise<string | undefined> {
  const { plan } = options;
  if (plan.kind === 'skip') return undefined;
  const marker = join(options.storeDir, MARKER);
  await mkdir(dirname(marker), { recursive: true });
  await writeFile(marker, `${JSON.stringify({ key: options.dependencyKey })}\n`);
  if (plan.kind === 'base') {
    const key = layerKey(
      STORE_FAMILY,
      newBaseId(options.env, () => randomBytes(4).toString('hex')),
      0,
    );
    return (await options.client.save(key)) ? key : undefined;
  }
  const key = layerKey(STORE_FAMILY, options.chain!.baseId, plan.layer);
  const ok = await saveFilesOnly(options.client, options.storeDir, [...options.changed, MARKER], key);
  return ok ? key : undefined;
}

/** The listing saved at restore: path -> size. */
export async function storeSizes(storeDir: string): Promise<Record<string, number>> {
  return Object.fromEntries((await listStoreBlobs(storeDir)).files);
}
