// The Go build cache (GOCACHE) as a directory carried between runs. Its entries live in the
// 256 subdirectories 00..ff as `<hash>-a` (action) and `<hash>-d` (output: a file, or a
// directory for a cached executable). The go command marks an entry used by setting its
// mtime to now, but only when the mtime is at least an hour old (cmd/go/internal/cache
// markUsed); so after a restore every entry's mtime is set back two hours, and at the end of
// the job an mtime newer than one hour before the restore means "used by this run". Two hours
// stays far inside the go command's own trim limit (5 days), so it never trims them.
// A restored cache is not trusted: a symbolic link in it (the go command never makes one) is
// not an entry, and no walk follows one, so ageing, pruning and saving stay inside GOCACHE.
import { lstat, readdir, readFile, rm, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { walkNoFollow } from '../tree-walk.ts';

/** How far restored entries' mtimes are set back: more than the go command's 1 h interval. */
export const AGE_BACK_MS = 2 * 60 * 60 * 1000;

export type BuildCacheEntry = { bytes: number; mtimeMs: number; isDir: boolean };

/** Entries by path relative to the cache dir (`xx/<hash>-a`). Top-level files are not entries. */
export type BuildCacheListing = Map<string, BuildCacheEntry>;

const SUBDIR = /^[0-9a-f]{2}$/;

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await walkNoFollow(dir)) {
    if (entry.isFile()) total += (await lstat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/** The entries (`<subdir>/<name>` -> size, mtime); with `only`, just those it accepts are stat-ed. */
export async function listBuildCache(
  dir: string,
  only?: (key: string) => boolean,
): Promise<BuildCacheListing> {
  const listing: BuildCacheListing = new Map();
  let subdirs: string[];
  try {
    subdirs = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && SUBDIR.test(e.name))
      .map((e) => e.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return listing;
    throw err;
  }
  // The 256 subdirectories' names all at once (one awaited readdir after another was most of a
  // warm post step's "too little new" check, which stats only the few new entries).
  const named = await Promise.all(
    subdirs.map(async (sub) =>
      (await readdir(join(dir, sub))).filter(
        // Temp files of an interrupted write are not entries.
        (name) => !name.startsWith('.') && /-[ad]$/.test(name) && (!only || only(`${sub}/${name}`)),
      ),
    ),
  );
  // One subdirectory's stats at a time, all at once within it: tens of thousands of entries, one
  // awaited stat after another, took 30 s on a loaded runner; the thread pool takes them in parallel.
  for (const [index, sub] of subdirs.entries()) {
    const names = named[index] ?? [];
    if (names.length === 0) continue;
    const entries = await Promise.all(
      names.map(async (name): Promise<BuildCacheEntry | null> => {
        const path = join(dir, sub, name);
        const info = await lstat(path);
        const isDir = info.isDirectory();
        if (!isDir && !info.isFile()) return null; // a link (or a device): not an entry
        return { bytes: isDir ? await dirBytes(path) : info.size, mtimeMs: info.mtimeMs, isDir };
      }),
    );
    for (const [i, name] of names.entries()) {
      const entry = entries[i];
      if (entry) listing.set(`${sub}/${name}`, entry);
    }
  }
  return listing;
}

/** Sets every entry's mtime to `at`, so the go command's next use of it sets it to now. */
export async function ageEntries(dir: string, listing: BuildCacheListing, at: Date): Promise<void> {
  await Promise.all([...listing.keys()].map((path) => utimes(join(dir, path), at, at)));
}

export type BuildCacheUsage = {
  used: string[];
  added: string[];
  unused: string[];
  usedBytes: number;
  addedBytes: number;
  unusedBytes: number;
};

/**
 * What a run did with the cache: entries not restored are added; restored entries whose mtime
 * is at or after `usedSinceMs` were used (the go command touched them); the rest are unused.
 */
export function buildCacheUsage(
  restored: ReadonlySet<string>,
  now: BuildCacheListing,
  usedSinceMs: number,
): BuildCacheUsage {
  const usage: BuildCacheUsage = {
    used: [],
    added: [],
    unused: [],
    usedBytes: 0,
    addedBytes: 0,
    unusedBytes: 0,
  };
  for (const [path, entry] of now) {
    if (!restored.has(path)) {
      usage.added.push(path);
      usage.addedBytes += entry.bytes;
    } else if (entry.mtimeMs >= usedSinceMs) {
      usage.used.push(path);
      usage.usedBytes += entry.bytes;
    } else {
      usage.unused.push(path);
      usage.unusedBytes += entry.bytes;
    }
  }
  return usage;
}

export type KeptUsage = BuildCacheUsage & {
  /** Unused action entries kept because the output they point at is kept. */
  partners: string[];
  partnerBytes: number;
};

/** `v1 <action id> <output id> <size> <time>`: cmd/go/internal/cache putIndexEntry. */
const ACTION_ENTRY = /^v1 [0-9a-f]{64} ([0-9a-f]{64}) /;

/**
 * Keeps every unused action entry (`-a`) whose output (`-d`) the run used or added. The go command
 * files one output under several action IDs and a run may read it through only one: a passing
 * test result is saved under the link step's action ID and under the test binary's content ID
 * (cmd/go/internal/test: tryCacheWithID, saveOutput), and an unchanged run reads only the
 * first. The second is what hits after an edit the linker drops (dead code, a comment-only
 * change in a dependency). An action entry is 175 bytes; its output is kept anyway.
 */
export async function keepPartnerEntries(dir: string, usage: BuildCacheUsage): Promise<KeptUsage> {
  const keptOutputs = new Set<string>();
  for (const path of [...usage.used, ...usage.added]) if (path.endsWith('-d')) keptOutputs.add(path);
  const unused: string[] = [];
  const partners: string[] = [];
  let partnerBytes = 0;
  // In slices: a big cache can have tens of thousands of unused entries, one open file each.
  for (let i = 0; i < usage.unused.length; i += 256) {
    await Promise.all(
      usage.unused.slice(i, i + 256).map(async (path) => {
        const text = path.endsWith('-a') ? await readFile(join(dir, path), 'latin1').catch(() => '') : '';
        const id = ACTION_ENTRY.exec(text)?.[1];
        if (id !== undefined && keptOutputs.has(`${id.slice(0, 2)}/${id}-d`)) {
          partners.push(path);
          partnerBytes += text.length;
        } else unused.push(path);
      }),
    );
  }
  return {
    ...usage,
    unused,
    unusedBytes: usage.unusedBytes - partnerBytes,
    partners,
    partnerBytes,
  };
}

/**
 * Prunes the cache to what the run used plus what it added, and the action entries pointing at
 * those outputs (keepPartnerEntries): the one prune every caller does before a save.
 */
export async function pruneToUsed(dir: string, usage: BuildCacheUsage): Promise<KeptUsage> {
  const kept = await keepPartnerEntries(dir, usage);
  await removeEntries(dir, kept.unused);
  return kept;
}

/** Removes the given entries (relative paths). */
export async function removeEntries(dir: string, paths: Iterable<string>): Promise<void> {
  for (const path of paths) await rm(join(dir, path), { recursive: true, force: true });
}

/** The files (relative paths) that make up the given entries: a directory entry's files. */
export async function entryFiles(
  dir: string,
  listing: BuildCacheListing,
  paths: Iterable<string>,
): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if (!listing.get(path)?.isDir) {
      files.push(path);
      continue;
    }
    for (const entry of await walkNoFollow(join(dir, path))) {
      if (!entry.isFile()) continue;
      const rel = join(entry.parentPath, entry.name)
        .slice(dir.length + 1)
        .split('\\')
        .join('/');
      files.push(rel);
    }
  }
  return files;
}
