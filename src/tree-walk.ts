// Walking and pruning directories restored from a cache entry, whose content is not ours to
// trust: a symbolic link in it must never lead a walk, a chmod, an rm or a save outside. Node's
// readdir({ recursive: true }) descends into linked directories, so it is not used on them.
import type { Dirent } from 'node:fs';
import { lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Every entry below `root` (not root itself), descending only into real directories: a link is
 * listed as a link and never followed. `root` itself is opened as given (it is configuration,
 * or a path checked with unlinkLinksOnPath). A missing root gives [].
 */
export async function walkNoFollow(root: string): Promise<Dirent[]> {
  const found: Dirent[] = [];
  async function walk(dir: string): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || (code === 'ENOTDIR' && dir !== root)) return;
      throw err;
    }
    found.push(...entries);
    // Dirent types come from lstat (or the d_type readdir gives): a link is never a directory.
    await Promise.all(entries.filter((e) => e.isDirectory()).map((e) => walk(join(dir, e.name))));
  }
  await walk(root);
  return found;
}

/**
 * Removes a symbolic link found on `rel`'s path below `root` (each element checked with lstat,
 * the link itself unlinked, never its target); true when there was one. After it, `root/rel`
 * is either missing or reached through real directories only.
 */
export async function unlinkLinksOnPath(root: string, rel: string): Promise<boolean> {
  let path = root;
  for (const element of rel.split('/').filter((e) => e !== '')) {
    path = join(path, element);
    let info: Awaited<ReturnType<typeof lstat>>;
    try {
      info = await lstat(path);
    } catch {
      return false;
    }
    if (info.isSymbolicLink()) {
      // Gone already: a concurrent check of another path through the same link removed it.
      await unlink(path).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
      return true;
    }
    if (!info.isDirectory()) return false;
  }
  return false;
}
