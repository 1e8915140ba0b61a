// The dependency key of the module blob store: `goproxy-action-<format version>-<hash of the
// cache-key files>`. The store's entries themselves are a layered chain (store-layers.ts) whose
// marker records the dependency key of the run that saved the newest layer: equal keys make an
// exact hit (cache-hit). Nothing OS-specific goes in: module blobs are the same on every OS.
import { glob, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashFileContents } from '../cachelayers/file-contents-hash.ts';

/** Bumped whenever the archived layout changes in a way an older entry cannot be read. */
export const CACHE_FORMAT_VERSION = 'v2';
export const CACHE_KEY_PREFIX = `goproxy-action-${CACHE_FORMAT_VERSION}-`;

export type CacheKey = {
  key: string;
  restoreKeys: string[];
  /** The matched files, workspace-relative with `/` separators, sorted. */
  files: string[];
};

// Trees that never hold the project's own go.sum and are slow to walk.
const EXCLUDED = ['**/node_modules/**', '**/.git/**', '.goproxy-action/**'];

/** Workspace-relative paths (with `/`) of the files the patterns match, sorted, deduplicated. */
export async function matchKeyFiles(workspace: string, patterns: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    for await (const entry of glob(pattern, { cwd: workspace, exclude: EXCLUDED, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const absolute = join(entry.parentPath, entry.name);
      const relative = absolute.slice(workspace.length).replace(/^[\\/]+/, '');
      found.add(relative.split('\\').join('/'));
    }
  }
  return [...found].sort();
}

export function cacheKeyFromHash(hash: string): { key: string; restoreKeys: string[] } {
  return { key: `${CACHE_KEY_PREFIX}${hash}`, restoreKeys: [CACHE_KEY_PREFIX] };
}

export async function computeCacheKey(workspace: string, patterns: string[]): Promise<CacheKey> {
  const files = await matchKeyFiles(workspace, patterns);
  const entries = await Promise.all(
    files.map(async (path) => ({ path, content: await readFile(join(workspace, path)) })),
  );
  return { ...cacheKeyFromHash(hashFileContents(entries)), files };
}
