// A lock between processes sharing one store (two jobs on one self-hosted runner), for
// read-modify-write of shared files such as @v/list. It is a file created with O_EXCL, which
// every OS and local filesystem make atomic (no fcntl, so Linux, macOS and Windows alike).
// The file names its holder (host, pid, a random nonce), so a lock left by a killed process
// is broken: at once when its pid is gone on this host, after staleLockMs otherwise.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive } from '../process-alive.ts';
import { asStoreWriteError } from './store-write-error.ts';

export type FileLockOptions = {
  /** A lock older than this is broken even if its holder looks alive (hung, other host). */
  staleLockMs: number;
  /** Give up waiting after this long. */
  timeoutMs: number;
};

export const defaultFileLockOptions: FileLockOptions = { staleLockMs: 30_000, timeoutMs: 120_000 };

type Holder = { host: string; pid: number; nonce: string };

function parseHolder(text: string): Holder | null {
  try {
    const value = JSON.parse(text) as Partial<Holder>;
    if (typeof value.host === 'string' && typeof value.pid === 'number' && typeof value.nonce === 'string')
      return value as Holder;
  } catch {
    // An empty or half-written lock file: its holder is between create and write.
  }
  return null;
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function tryCreate(path: string, holder: Holder): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    let created = false;
    try {
      const handle = await open(path, 'wx', 0o644);
      created = true;
      try {
        await handle.writeFile(JSON.stringify(holder));
      } finally {
        await handle.close();
      }
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (!created && code === 'EEXIST') return false;
      // The lock directory may not exist yet, or a prune removed it under us.
      if (!created && code === 'ENOENT' && attempt < 3) {
        await mkdir(dirname(path), { recursive: true }).catch((mkdirErr: unknown) => {
          throw asStoreWriteError(mkdirErr, path);
        });
        continue;
      }
      // A half-written lock of ours (disk full) would block everyone until it goes stale.
      if (created) await unlink(path).catch(() => undefined);
      throw asStoreWriteError(err, path);
    }
  }
}

/** The lock's holder text if the lock is stale, null if it is live (or already gone). */
async function staleLockText(path: string, staleLockMs: number): Promise<string | null> {
  let text: string;
  let ageMs: number;
  try {
    text = await readFile(path, 'utf8');
    ageMs = Date.now() - (await stat(path)).mtimeMs;
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
  if (ageMs >= staleLockMs) return text;
  const holder = parseHolder(text);
  if (holder && holder.host === hostname() && !isProcessAlive(holder.pid)) return text;
  return null;
}

/**
 * Breaks a stale lock. Renaming is atomic, so of several breakers one moves the stale file;
 * if what it moved is not the stale file it judged (another breaker was faster and a new
 * holder already took the lock), it puts that lock back (link never overwrites).
 */
async function breakStaleLock(path: string, staleText: string): Promise<void> {
  const aside = `${path}.broken-${randomBytes(6).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch (err) {
    if (isMissing(err)) return;
    throw err;
  }
  const moved = await readFile(aside, 'utf8').catch(() => staleText);
  if (moved !== staleText) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/** Runs `work` while holding the lock file at `path` (created, with its directory, as needed). */
export async function withFileLock<T>(
  path: string,
  work: () => Promise<T>,
  options: FileLockOptions = defaultFileLockOptions,
): Promise<T> {
  const holder: Holder = { host: hostname(), pid: process.pid, nonce: randomBytes(12).toString('hex') };
  const mine = JSON.stringify(holder);
  const started = Date.now();
  for (let attempt = 0; !(await tryCreate(path, holder)); attempt++) {
    const staleText = await staleLockText(path, options.staleLockMs);
    if (staleText !== null) {
      await breakStaleLock(path, staleText);
      continue;
    }
    if (Date.now() - started > options.timeoutMs) {
      throw new Error(
        `timed out after ${options.timeoutMs} ms waiting for the store lock ${path}; if no other goproxy-action process uses this store, delete that file`,
      );
    }
    // Holders keep the lock for one small read and write: poll quickly, with jitter.
    await sleep(Math.min(2 + attempt * 2, 50) * (0.5 + Math.random()));
  }
  try {
    return await work();
  } finally {
    // Remove the lock only if it is still ours (it may have been broken as stale meanwhile).
    const current = await readFile(path, 'utf8').catch(() => null);
    if (current === mine) await unlink(path).catch(() => undefined);
  }
}
