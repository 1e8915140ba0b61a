// go.mod / go.work / go.sum files of a workspace: what its builds will read. Vendored,
// testdata, hidden and dependency directories are not the workspace's own.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const skippedDirs = new Set(['node_modules', 'vendor', 'testdata', 'dist']);

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
      else if (
        entry.isDirectory() &&
        depth < maxDepth &&
        !skippedDirs.has(entry.name) &&
        !entry.name.startsWith('.')
      ) {
        await walk(join(dir, entry.name), depth + 1);
      }
    }
  }
  await walk(root, 0);
  return found.sort();
}
