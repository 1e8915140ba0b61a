// Where the blob store lives in a GitHub job, and what it holds. The cache entry's "version"
// hashes the path strings given to @actions/cache, and its archive stores paths relative to
// GITHUB_WORKSPACE, so the store is one literal workspace-relative path, the same string on
// Linux, macOS and Windows: that is what lets one entry serve every OS.
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The path handed to restoreCache/saveCache; resolved against GITHUB_WORKSPACE (the step's cwd). */
export const STORE_CACHE_PATH = '.goproxy-action/store';

export function storeDirIn(workspace: string): string {
  return join(workspace, '.goproxy-action', 'store');
}

/**
 * Creates the store directory. The `.gitignore` holding `*` keeps the whole `.goproxy-action`
 * directory out of `git status`, so checks for a clean tree after a build still pass (the go
 * command already skips directories whose names start with a dot).
 */
export async function prepareStoreDir(workspace: string): Promise<string> {
  const dir = storeDirIn(workspace);
  await mkdir(dir, { recursive: true });
  await writeFile(join(workspace, '.goproxy-action', '.gitignore'), '*\n');
  return dir;
}

export type StoreListing = { files: Map<string, number>; bytes: number };

/**
 * The module blobs in a store (relative paths with `/` -> size). The engine's bookkeeping
 * directory and temp files (names starting with `.`) are not blobs.
 */
export async function listStoreBlobs(storeDir: string): Promise<StoreListing> {
  const files = new Map<string, number>();
  let bytes = 0;
  async function walk(dir: string, prefix: string): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) await walk(full, rel);
      else if (entry.isFile()) {
        const { size } = await stat(full);
        files.set(rel, size);
        bytes += size;
      }
    }
  }
  await walk(storeDir, '');
  return { files, bytes };
}

/** Blobs in `after` that were not in `before` (by path): what this run added to the store. */
export function addedBlobs(before: Iterable<string>, after: StoreListing): { count: number; bytes: number } {
  const known = new Set(before);
  let count = 0;
  let bytes = 0;
  for (const [path, size] of after.files) {
    if (known.has(path)) continue;
    count++;
    bytes += size;
  }
  return { count, bytes };
}
