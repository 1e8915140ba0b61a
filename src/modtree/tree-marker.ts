// The tree's marker (`cache/goproxy-action-tree.json` in GOMODCACHE, never a module): what the
// tree was saved for, `{ key, storeWanted }`. Both adapters write it when they save the tree and
// read it after a restore: `key` equal to the job's dependency digest (with the whole tree kept)
// makes the tree exact; `storeWanted` says an earlier job that skipped the store still fetched
// zips of modules the tree holds, so later jobs restore the store.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TREE_MARKER } from './mod-tree.ts';

export type TreeMarker = { key?: string; storeWanted?: boolean };

/** The restored marker; none (an older tree) or a damaged one reads as {}: only "exact" is lost. */
export async function readTreeMarker(gomodcache: string): Promise<TreeMarker> {
  try {
    const parsed = JSON.parse(await readFile(join(gomodcache, TREE_MARKER), 'utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return {};
    const { key, storeWanted } = parsed as { key?: unknown; storeWanted?: unknown };
    return {
      ...(typeof key === 'string' ? { key } : {}),
      ...(storeWanted === true ? { storeWanted: true } : {}),
    };
  } catch {
    return {};
  }
}

/** The marker's text, as written into a saved tree. */
export function treeMarkerText(marker: TreeMarker): string {
  return `${JSON.stringify({
    ...(marker.key !== undefined ? { key: marker.key } : {}),
    ...(marker.storeWanted ? { storeWanted: true } : {}),
  })}\n`;
}
