// The default --go-sum: every go.sum under the workspace (what the job's builds will check).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const skipped = new Set(['node_modules', '.git', 'vendor', 'testdata', '.tools', 'dist']);

export async function findGoSumFiles(root: string, maxDepth = 8): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string, depth: number): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isFile() && entry.name === 'go.sum') found.push(join(dir, entry.name));
      else if (
        entry.isDirectory() &&
        depth < maxDepth &&
        !skipped.has(entry.name) &&
        !entry.name.startsWith('.')
      ) {
        await walk(join(dir, entry.name), depth + 1);
      }
    }
  }
  await walk(root, 0);
  return found.sort();
}
