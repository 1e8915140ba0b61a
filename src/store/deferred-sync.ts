// Group-committed durability for the files a cold fill writes (.info, .mod, .zip). They are
// written to a temp file and renamed into place BEFORE the answer that implies them (a client
// that saw the answer sees the file), but fsynced AFTER it, in the background, a few at a
// time: about 1,450 fsyncs per cold fill of 382 module versions left the answer path
// (bench/README.md, stop 20). A .zip is fsynced before its rename where no marker can be made.
//
// Renaming before the fsync is safe against a killed process (the page cache keeps the
// bytes), not against a power loss or kernel crash: ext4's auto_da_alloc forces the data
// before the rename only when the rename REPLACES a file, and these are new names, so after
// a crash a renamed-but-unsynced file may be empty or (past a page) a prefix. So while any
// such file may be unsynced, a marker says so: `.goproxy-action/unsynced/<pid>-<n>.json`,
// made durable (file and directory fsynced) before the first rename it covers, removed once
// every file it covers has been fsynced. A marker left behind is found by the next open:
//   - same boot, writer gone: the bytes are in the page cache and whole; they are fsynced;
//   - another boot (or no telling): every covered kind of file written since the marker's
//     time may be torn, so each is removed (fetched again when asked for) and the lists of
//     the directories it touched are rebuilt from the .info files left (docs/architecture.md).
// Readers also treat an empty .info or .mod as missing (BlobStore.readFile), as defence in
// depth for a store written by something else.
import { readFileSync } from 'node:fs';
import { mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '../process-alive.ts';
import { writeFileAtomic } from './atomic-file.ts';

/** Files fsynced at once by the background pass: the thread pool serves the answers too. */
const syncConcurrency = 2;
/** Writes gather this long before a pass starts, so a burst is synced together. */
const batchDelayMs = 20;
/** An idle epoch keeps its marker this long, so sparse writes do not each pay for a new one. */
const lingerMs = 2_000;
/** Clock slack when a crashed writer's window is judged by modification times. */
export const windowSlackMs = 10_000;

/**
 * `store`: the store directory's identity (inode and birth time). A store restored from a cache
 * entry or copied elsewhere has another: its files were read whole from a live page cache, so
 * a marker that came along with them says nothing about them.
 */
export type UnsyncedMarker = { pid: number; boot: string | null; since: number; store: string | null };

/** The identity of the store directory (see UnsyncedMarker), or null if it cannot be read. */
export async function storeIdentity(root: string): Promise<string | null> {
  const info = await stat(root).catch(() => null);
  return info ? `${info.ino}:${Math.trunc(info.birthtimeMs)}` : null;
}

/** This boot's id (Linux), or null where there is none: then a marker always means "may be torn". */
export function currentBootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** Where the markers live under a store root. */
export function markerDir(root: string): string {
  return join(root, '.goproxy-action', 'unsynced');
}

export class DeferredSync {
  readonly #root: string;
  readonly #dir: string;
  /** Renamed, not yet fsynced. */
  readonly #pending = new Set<string>();
  /** Writes that took the marker and have not yet handed their path over (or given up). */
  #holders = 0;
  /** This epoch's marker (its path once durable); null between epochs. */
  #marker: Promise<string> | null = null;
  #epoch = 0;
  #pass: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #linger: NodeJS.Timeout | null = null;
  /** A file could not be fsynced: the marker stays for this process's life (recovered at next open). */
  #failed = false;

  constructor(root: string) {
    this.#root = root;
    this.#dir = markerDir(root);
  }

  /**
   * Call before renaming an unsynced file into place; then `release(path)` once it is renamed
   * (`release(null)` if it was not). Resolves once the marker covering it is durable.
   */
  async hold(): Promise<(path: string | null) => void> {
    this.#holders++;
    if (this.#linger) {
      clearTimeout(this.#linger);
      this.#linger = null;
    }
    try {
      this.#marker ??= this.#createMarker();
      await this.#marker;
    } catch (err) {
      this.#holders--;
      // The next write tries again (e.g. after a full disk).
      this.#marker = null;
      throw err;
    }
    let released = false;
    return (path) => {
      if (released) return;
      released = true;
      this.#holders--;
      if (path !== null) this.#pending.add(path);
      this.#schedule();
    };
  }

  /** Fsyncs everything renamed so far (and waits for passes under way); ends the epoch if idle. */
  async drain(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    while (this.#pass || this.#pending.size > 0) await this.#startPass();
    await this.#endEpochIfIdle();
  }

  async #createMarker(): Promise<string> {
    const path = join(this.#dir, `${process.pid}-${++this.#epoch}.json`);
    await mkdir(this.#dir, { recursive: true });
    const marker: UnsyncedMarker = {
      pid: process.pid,
      boot: currentBootId(),
      since: Date.now(),
      store: await storeIdentity(this.#root),
    };
    await writeFileAtomic(path, Buffer.from(`${JSON.stringify(marker)}\n`));
    // The marker's name must be on disk before any rename it covers can be.
    await syncDir(this.#dir);
    return path;
  }

  #schedule(): void {
    if (this.#timer || this.#pass) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#startPass();
    }, batchDelayMs);
    this.#timer.unref();
  }

  /** The pass under way, or a new one; `#pass` is cleared only once it is over. */
  #startPass(): Promise<void> {
    if (this.#pass) return this.#pass;
    const pass = (async () => {
      try {
        // Awaited even when nothing is pending: the pass must end after `#pass` is set.
        await this.#syncPending();
      } finally {
        this.#pass = null;
      }
      this.#afterPass();
    })();
    this.#pass = pass;
    return pass;
  }

  async #syncPending(): Promise<void> {
    while (this.#pending.size > 0) {
      const batch = [...this.#pending];
      this.#pending.clear();
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < batch.length) {
          const path = batch[next++]!;
          if (await syncFile(path)) continue;
          // Its bytes may never reach the disk: not stored after all (fetched again when
          // asked for). If even that fails, the marker stays for the next open to handle.
          if (!(await removeIfPresent(path))) this.#failed = true;
        }
      };
      await Promise.all(Array.from({ length: Math.min(syncConcurrency, batch.length) }, worker));
    }
  }

  #afterPass(): void {
    if (this.#pending.size > 0) {
      this.#schedule();
    } else if (this.#holders === 0) {
      // (A holder still writing schedules the next pass when it releases.)
      if (this.#linger) clearTimeout(this.#linger);
      this.#linger = setTimeout(() => {
        this.#linger = null;
        void this.#endEpochIfIdle().catch(() => {});
      }, lingerMs);
      this.#linger.unref();
    }
  }

  async #endEpochIfIdle(): Promise<void> {
    if (this.#holders > 0 || this.#pending.size > 0 || this.#pass || this.#failed || !this.#marker) return;
    if (this.#linger) {
      clearTimeout(this.#linger);
      this.#linger = null;
    }
    const marker = this.#marker;
    this.#marker = null;
    // Every file it covered is fsynced; a lost unlink only costs the next open a check.
    await unlink(await marker).catch(() => {});
  }
}

/** fsync a file by name; true when done or when it is gone (a prune removed it). */
async function syncFile(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'r');
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

async function removeIfPresent(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The markers under `root` whose writer is gone, with what they say (null: unreadable). */
export async function staleMarkers(
  root: string,
): Promise<Array<{ path: string; marker: UnsyncedMarker | null }>> {
  const dir = markerDir(root);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const boot = currentBootId();
  const stale: Array<{ path: string; marker: UnsyncedMarker | null }> = [];
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const path = join(dir, name);
    const marker = await readMarker(path);
    const pid = marker?.pid ?? Number.parseInt(name, 10);
    // A live pid on this boot is a writer at work (another proxy on the store); a pid from
    // another boot is someone else now.
    const sameBoot = marker !== null && boot !== null && marker.boot === boot;
    if (sameBoot && Number.isSafeInteger(pid) && pid > 0 && isProcessAlive(pid)) continue;
    stale.push({ path, marker });
  }
  return stale;
}

async function readMarker(path: string): Promise<UnsyncedMarker | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<UnsyncedMarker>;
    if (typeof parsed.pid !== 'number' || typeof parsed.since !== 'number') return null;
    return {
      pid: parsed.pid,
      since: parsed.since,
      store: typeof parsed.store === 'string' ? parsed.store : null,
      boot: typeof parsed.boot === 'string' ? parsed.boot : null,
    };
  } catch {
    return null; // torn by the crash itself: no telling which files it covered
  }
}

/** Modification time of a file in ms, or null if it is gone. */
export async function mtimeOf(path: string): Promise<number | null> {
  const info = await stat(path).catch(() => null);
  return info?.isFile() ? info.mtimeMs : null;
}

export { syncFile };
