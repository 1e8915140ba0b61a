// Compares two module caches as the go command left them: every file under cache/download
// (lock files, sumdb/ and partial downloads aside) and every extracted tree, byte for byte.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

async function walk(root: string, dir: string, out: Map<string, string>): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    const rel = relative(root, full);
    if (entry.isDirectory()) {
      if (rel === join('cache', 'download', 'sumdb') || rel === join('cache', 'vcs')) continue;
      await walk(root, full, out);
    } else if (
      entry.name !== 'lock' &&
      !entry.name.endsWith('.lock') &&
      !entry.name.endsWith('.partial') &&
      !entry.name.endsWith('.tmp')
    ) {
      out.set(
        rel,
        createHash('sha256')
          .update(await readFile(full))
          .digest('hex'),
      );
    }
  }
}

/** rel path -> sha256 of every file that should be identical between two caches. */
export async function modCacheDigest(gomodcache: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await walk(gomodcache, gomodcache, out);
  return out;
}

/** Human-readable differences; empty when the caches match. */
export function diffDigests(a: Map<string, string>, b: Map<string, string>): string[] {
  const diffs: string[] = [];
  for (const [path, hash] of a) {
    if (!b.has(path)) diffs.push(`only in first: ${path}`);
    else if (b.get(path) !== hash) diffs.push(`differs: ${path}`);
  }
  for (const path of b.keys()) if (!a.has(path)) diffs.push(`only in second: ${path}`);
  return diffs;
}
