// Atomic files: every write goes to a temp file in the destination's own directory and is
// renamed into place (after an fsync, unless the caller says the file is derived data), so a
// reader (our server, or the go command through GOPROXY=file://) sees either nothing or the
// whole file, even if the process is SIGKILLed.
import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isProcessAlive } from '../process-alive.ts';
import { asStoreWriteError } from './store-write-error.ts';

/** Temp files start with this, so a restart can find and remove what a killed writer left. */
export const tempPrefix = '.tmp-';

/** Why removing a stale temp file may fail without making the store unusable. */
const cleanupMayFail = new Set(['ENOENT', 'EROFS', 'EACCES', 'EPERM']);

/** A temp file older than this is removed on open even if its writer's pid is alive again (pid reuse). */
const staleTempAgeMs = 24 * 60 * 60 * 1000;

/** A blob being written: stream chunks in, then commit (fsync + rename) or discard. */
export type PendingBlob = {
  /** The temp file, in the same directory as the final path. */
  path: string;
  /** Bytes written so far (all of them on disk: a failed write counts only what the disk took). */
  readonly size: number;
  write(chunk: Uint8Array): Promise<void>;
  /**
   * fsync the bytes written so far, e.g. while the caller still checks them: a commit with no
   * write after it then only closes and renames (a failure leaves the temp file as a failed
   * write does).
   */
  sync(): Promise<void>;
  /**
   * fsync, close and rename into place; replacing an existing file is fine (same immutable
   * content). `durable: false` skips the fsync: for what can be rebuilt or decided again.
   */
  commit(options?: { durable?: boolean }): Promise<void>;
  /** Close and remove the temp file; safe to call more than once, and after a failed write or commit. */
  discard(): Promise<void>;
  /**
   * Close without storing: the temp file stays where it is (invisible to readers, as every
   * `.tmp-` file) and becomes the caller's, e.g. to serve an unverified blob once and then
   * remove it. Also allowed after a failed write or commit, whose temp file (holding `size`
   * bytes) is kept until discard or detach so its bytes can be salvaged. If the caller never
   * removes it, the next BlobStore.open after this process exits does. Resolves to its path.
   */
  detach(): Promise<string>;
};

function newTempPath(finalPath: string): string {
  // The pid tells a later open whether the writer may still be alive; the random part keeps
  // concurrent writers of the same blob apart.
  return join(dirname(finalPath), `${tempPrefix}${process.pid}-${randomBytes(8).toString('hex')}`);
}

async function openTemp(finalPath: string): Promise<{ handle: FileHandle; tempPath: string }> {
  const dir = dirname(finalPath);
  // The directory usually exists (a module's .info, .mod, .zip and .ziphash share one): open
  // first and create it only on ENOENT, which saves a recursive mkdir per blob on a cold fill.
  // A few attempts: prune may remove the (empty) directory between our mkdir and open.
  for (let attempt = 0; ; attempt++) {
    const tempPath = newTempPath(finalPath);
    try {
      // mkdir inside the try: a prune removing an empty parent while it creates the children
      // fails it with ENOENT too, and that is retried the same way.
      if (attempt > 0) await mkdir(dir, { recursive: true });
      return { handle: await open(tempPath, 'wx', 0o644), tempPath };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 4) throw err;
    }
  }
}

/**
 * Starts an atomic write of `finalPath`. Every filesystem failure is thrown as a
 * StoreWriteError (see store-write-error.ts); a failed write or commit leaves the temp file
 * closed but in place until discard() or detach().
 */
export async function beginAtomicWrite(finalPath: string): Promise<PendingBlob> {
  let opened: { handle: FileHandle; tempPath: string };
  try {
    opened = await openTemp(finalPath);
  } catch (err) {
    throw asStoreWriteError(err, finalPath);
  }
  const { handle, tempPath } = opened;
  // open -> (failed: closed, file kept) -> done (renamed, removed or handed over)
  let state: 'open' | 'failed' | 'done' = 'open';
  let size = 0;
  /** Bytes on disk as of the last fsync (sync()): a commit with none after it needs no other. */
  let syncedSize = -1;
  // Calls are queued so a caller that does not await each write still writes in order.
  let queue: Promise<unknown> = Promise.resolve();

  const close = async (): Promise<void> => {
    if (state === 'open') {
      state = 'failed';
      await handle.close().catch(() => undefined);
    }
  };
  const cleanup = async (): Promise<void> => {
    await close();
    if (state === 'failed') {
      state = 'done';
      await unlink(tempPath).catch(() => undefined);
    }
  };
  const failWith = async (err: unknown): Promise<never> => {
    await close();
    throw asStoreWriteError(err, finalPath);
  };
  const enqueue = (step: () => Promise<void>): Promise<void> => {
    const next = queue.then(step);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    path: tempPath,
    get size() {
      return size;
    },
    write: (chunk) =>
      enqueue(async () => {
        if (state !== 'open')
          throw new Error(`write after commit, discard, detach or a failed write of ${finalPath}`);
        try {
          let offset = 0;
          while (offset < chunk.byteLength) {
            const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
            offset += bytesWritten;
            size += bytesWritten;
          }
        } catch (err) {
          await failWith(err);
        }
      }),
    sync: () =>
      enqueue(async () => {
        if (state !== 'open')
          throw new Error(`sync after commit, discard, detach or a failed write of ${finalPath}`);
        try {
          await handle.sync();
          syncedSize = size;
        } catch (err) {
          await failWith(err);
        }
      }),
    commit: (options) =>
      enqueue(async () => {
        if (state !== 'open')
          throw new Error(`commit after commit, discard, detach or a failed write of ${finalPath}`);
        try {
          if (options?.durable !== false && syncedSize !== size) await handle.sync();
          state = 'failed'; // closed from here on: a failed rename keeps the temp file
          await handle.close();
          await rename(tempPath, finalPath);
          state = 'done';
        } catch (err) {
          await failWith(err);
        }
      }),
    discard: () => enqueue(cleanup),
    detach: async () => {
      await enqueue(async () => {
        if (state === 'done') throw new Error(`detach after commit, discard or detach of ${finalPath}`);
        await close();
        state = 'done';
      });
      return tempPath;
    },
  };
}

/**
 * Writes a whole file atomically. `durable: false` skips the fsync (still all or nothing for
 * readers and a killed process; a power loss may leave it empty): for derived data only.
 */
export async function writeFileAtomic(
  finalPath: string,
  data: Uint8Array,
  options?: { durable?: boolean },
): Promise<void> {
  const pending = await beginAtomicWrite(finalPath);
  try {
    await pending.write(data);
    await pending.commit(options);
  } catch (err) {
    await pending.discard();
    throw err;
  }
}

/**
 * Removes temp files under `root` whose writer is gone (its pid is not running, or the file is a
 * day old). Temp files of live writers (another store instance, another process) are left alone.
 * Returns how many were removed.
 */
export async function removeStaleTempFiles(root: string): Promise<number> {
  let removed = 0;
  // A parallel walk, several times faster than readdir({ recursive: true }) on a store of
  // thousands of files (this runs on every start-up), but with a few directories in flight
  // at a time (as many as the thread pool reads at once anyway): a walk that starts every
  // directory at once holds all their listings and promises together, which raised a warm
  // proxy's peak memory by about 10 MiB on a 382-module store (bench/engine-startup.ts).
  const pending: string[] = [root];
  const visit = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // removed under us
      throw err;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile() && entry.name.startsWith(tempPrefix) && (await isStaleTemp(path, entry.name))) {
        try {
          await unlink(path);
          removed++;
        } catch (err) {
          // A read-only store can still be served from: its temp files are invisible anyway.
          if (!cleanupMayFail.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
        }
      }
    }
  };
  let active = 0;
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const next = (): void => {
      if (failed) return;
      while (active < walkConcurrency && pending.length > 0) {
        active++;
        visit(pending.pop()!).then(
          () => {
            active--;
            next();
          },
          (err: unknown) => {
            failed = true;
            reject(err);
          },
        );
      }
      if (active === 0 && pending.length === 0) resolve();
    };
    next();
  });
  return removed;
}

/** Directories read at once by the temp-file sweep (Node's thread pool runs 4 by default). */
const walkConcurrency = 4;

async function isStaleTemp(path: string, name: string): Promise<boolean> {
  const pid = Number.parseInt(name.slice(tempPrefix.length), 10);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !isProcessAlive(pid)) return true;
  const info = await stat(path).catch(() => null);
  return info !== null && Date.now() - info.mtimeMs >= staleTempAgeMs;
}
