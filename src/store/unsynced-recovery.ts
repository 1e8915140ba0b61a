// What BlobStore.open does with the markers of a writer that died with renamed-but-unsynced
// files (see deferred-sync.ts). Runs before the store serves anything, so no reader can see
// a file torn by a crash. Rare: only after a killed proxy or a crashed machine.
import { readdirSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  currentBootId,
  markerDir,
  mtimeOf,
  staleMarkers,
  storeIdentity,
  syncFile,
  windowSlackMs,
} from './deferred-sync.ts';
import { withFileLock } from './file-lock.ts';
import { decodeModulePath, findModuleDirs } from './store-inventory.ts';
import { bookkeepingDirName, parseBlobName } from './store-layout.ts';

/**
 * The kinds of file renamed before their fsync: .info, .mod and .zip by the deferred writes,
 * .ziphash never fsynced (derived), and removed with its zip.
 */
const deferredExts = new Set(['info', 'mod', 'zip', 'ziphash']);

export type RecoveryResult = { markers: number; synced: number; removed: number };

/** A whole store's walk may take a while: another opener waits rather than breaking in. */
const recoveryLockOptions = { staleLockMs: 10 * 60_000, timeoutMs: 10 * 60_000 };

/** Writes a module's @v/list afresh from the .info files left (BlobStore.rebuildVersionList). */
export type RebuildVersionList = (module: string) => Promise<void>;

export async function recoverUnsynced(
  root: string,
  rebuildList: RebuildVersionList,
): Promise<RecoveryResult> {
  // Synchronous, as the rest of a store's open: serve opens it before its ready file and makes
  // no asynchronous file call until then (serve-before-ready). Markers are rare.
  if (!hasMarkers(root)) return { markers: 0, synced: 0, removed: 0 };
  if ((await staleMarkers(root)).length === 0) return { markers: 0, synced: 0, removed: 0 };
  // Under a lock, and the markers read again under it: two proxies opening the store after a
  // crash recover once, and the second never removes what the first wrote since.
  const lockPath = join(root, bookkeepingDirName, 'locks', 'unsynced-recovery.lock');
  return withFileLock(lockPath, () => recoverLocked(root, rebuildList), recoveryLockOptions);
}

async function recoverLocked(root: string, rebuildList: RebuildVersionList): Promise<RecoveryResult> {
  const found = await staleMarkers(root);
  const result: RecoveryResult = { markers: found.length, synced: 0, removed: 0 };
  // Markers written for another directory (this store was restored or copied): not ours.
  const identity = await storeIdentity(root);
  const stale = found.filter(
    (s) => s.marker === null || s.marker.store === null || s.marker.store === identity,
  );
  for (const { path } of found.filter((s) => !stale.includes(s))) await unlink(path).catch(() => {});
  if (stale.length === 0) return result;
  const boot = currentBootId();
  // The machine went down (or there is no telling): the page cache is lost and any covered
  // file may be empty or torn. Otherwise only the writer died: its bytes are whole in the
  // page cache and only need the fsync it never made.
  const crashed = boot === null || stale.some((s) => s.marker === null || s.marker.boot !== boot);
  // An unreadable marker (none of ours is: each is fsynced before its rename) dates its
  // window by its own modification time.
  const starts = await Promise.all(stale.map(async (s) => s.marker?.since ?? (await mtimeOf(s.path)) ?? 0));
  const since = Math.min(...starts) - windowSlackMs;
  for (const dir of await findModuleDirs(root)) {
    let removedHere = false;
    for (const entry of dir.entries) {
      if (!entry.isFile()) continue;
      const parsed = parseBlobName(entry.name);
      if (!parsed || !deferredExts.has(parsed.ext)) continue;
      const path = join(dir.versionDir, entry.name);
      const mtime = await mtimeOf(path);
      if (mtime === null || mtime < since) continue;
      if (!crashed && (await syncFile(path))) {
        result.synced++;
        continue;
      }
      // Possibly torn (or its fsync failed): removed, fetched again when asked for.
      await unlink(path).catch(() => {});
      result.removed++;
      removedHere = true;
    }
    const module = removedHere ? decodeModulePath(dir.escapedModule) : null;
    if (module !== null) await rebuildList(module);
  }
  for (const { path } of stale) await unlink(path).catch(() => {});
  return result;
}

function hasMarkers(root: string): boolean {
  try {
    return readdirSync(markerDir(root)).some((name) => name.endsWith('.json'));
  } catch {
    return false;
  }
}
