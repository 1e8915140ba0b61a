// go.mod / go.work / go.sum files of a workspace: what its builds will read. Vendored,
// testdata, hidden, `_`-prefixed and dependency directories are not the workspace's own.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const skippedDirs = new Set(['node_modules', 'vendor', 'testdata', 'dist']);

/**
 * A directory whose go.mod/go.sum files are not the workspace's: the go command ignores
 * directories named testdata or starting with `.` or `_`; vendor holds copies of other
 * modules; node_modules and dist are other tools'. A go.sum there (a test fixture's, often
 * with deliberately wrong hashes) must not decide what the proxy verifies or keeps.
 */
export function isSkippedDir(name: string): boolean {
  return skippedDirs.has(name) || name.startsWith('.') || name.startsWith('_');
}

/** True when no directory on the workspace-relative `path` (either separator) is skipped. */
export function isWorkspaceModuleFile(path: string): boolean {
  const dirs = path.split(/[\\/]/).slice(0, -1);
  return dirs.every((d) => d === '' || d === '.' || !isSkippedDir(d));
}

export const moduleFileNames = ['go.mod', 'go.work', 'go.sum'] as const;

export async function findModuleFiles(
  root: string,
  names: readonly string[] = moduleFileNames,
  maxDepth = 12,
): Promise<string[]> {
  const wanted = new Set(names);
  const found: string[] = [];
  async function walk(dir: string, depth: number): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isFile() && wanted.has(entry.name)) found.push(join(dir, entry.name));
      else if (entry.isDirectory() && depth < maxDepth && !isSkippedDir(entry.name)) {
        await walk(join(dir, entry.name), depth + 1);
      }
    }
  }
  await walk(root, 0);
  return found.sort();
}
