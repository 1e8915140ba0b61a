// What a blob store directory holds, as the CI adapters see it between runs: which blobs a
// run added (what to save) and which zips it fetched (GitHub's and GitLab's store skip).
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type StoreListing = { files: Map<string, number>; bytes: number };

/**
 * The module blobs in a store (relative paths with `/` -> size). The engine's bookkeeping
 * directory and temp files (names starting with `.`) are not blobs.
 */
export async function listStoreBlobs(storeDir: string): Promise<StoreListing> {
  const files = new Map<string, number>();
  let bytes = 0;
  async function walk(dir: string, prefix: string): Promise<void> {
    let entries: Dirent[];
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
