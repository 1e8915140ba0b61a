// The go command's extracted module tree: GOMODCACHE without the module zips. The go command
// uses an extracted `<path>@<version>` directory as it is when the directory exists, no
// `.partial` marker is beside it and its `.ziphash` exists (cmd/go/internal/modfetch
// DownloadDir); it then checks that `.ziphash` against go.sum (checkMod: a mismatch is a fatal
// "SECURITY ERROR") and never opens the zip. So a tree carried between runs skips both the
// download and the extraction. The go command does NOT re-hash the extracted files: a tree
// restored from a cache entry is trusted as much as setup-go's (the entry was saved by this
// repository's own jobs from modules the go command verified). What we add on restore is the
// go.sum check done early: a module whose `.ziphash` is missing from or differs from go.sum is
// removed, so the go command downloads it again through the proxy (which verifies it) instead
// of stopping; modules go.sum does not name are pruned.
// Nor is the restored tree trusted by our own code: the go command never writes a symbolic
// link in GOMODCACHE, so one found in a restored tree is removed (the link, not its target), a
// module reached through one counts as altered, and no walk, chmod or rm here follows one.
import { chmod, lstat, readFile, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { eachLimited } from '../each-limited.ts';
import type { GoSumIndex } from '../gomod/go-sum.ts';
import { unescapePath, unescapeVersion } from '../gomod/module-path.ts';
import { unlinkLinksOnPath, walkNoFollow } from '../tree-walk.ts';

/** Records the dependency key the entry was saved for; `cache/` never holds a module. */
export const TREE_MARKER = 'cache/goproxy-action-tree.json';

const DOWNLOAD = 'cache/download';

/**
 * Whether any store path (the download layout) is the zip of one of the tree's modules
 * (`path@version` directories, escaped alike): a job that skipped the store still asked the
 * proxy for what the tree holds (`go mod download`), so later jobs should keep the store.
 */
export function zipsOfModules(storePaths: Iterable<string>, modules: string[]): boolean {
  const wanted = new Set(modules);
  for (const path of storePaths) {
    const m = /^(.+)\/@v\/([^/]+)\.zip$/.exec(path);
    if (m && wanted.has(`${m[1]}@${m[2]}`)) return true;
  }
  return false;
}

export type TreeModule = {
  path: string;
  version: string;
  /** The extracted directory, relative to GOMODCACHE (`<escaped path>@<escaped version>`). */
  dir: string;
  /** The `.ziphash`, relative to GOMODCACHE. */
  ziphash: string;
};

/** Metadata files worth carrying: .mod, .info, .ziphash, version lists. Never zips or locks. */
function carried(name: string): boolean {
  return !/\.(zip|lock|partial|tmp)$/.test(name) && !name.includes('.tmp-');
}

/**
 * The carried files under cache/download (path relative to GOMODCACHE -> size for version
 * lists, 0 for the files written once), and the
 * extracted modules (those with a `.ziphash`). The checksum database's tiles are left out:
 * the go command asks for them only for modules go.sum does not list.
 */
export async function listTree(
  gomodcache: string,
): Promise<{ meta: Map<string, number>; modules: TreeModule[] }> {
  const meta = new Map<string, number>();
  const modules: TreeModule[] = [];
  const root = join(gomodcache, DOWNLOAD);
  await unlinkLinksOnPath(gomodcache, DOWNLOAD);
  for (const entry of await walkNoFollow(root)) {
    const link = entry.isSymbolicLink();
    if (link) await unlink(join(entry.parentPath, entry.name)).catch(() => {});
    // A .ziphash that was a link still names a module: checkTreeAgainstGoSum then finds no
    // hash and removes it, so the go command downloads it again rather than trust the tree.
    if (link ? !entry.name.endsWith('.ziphash') : !entry.isFile() || !carried(entry.name)) continue;
    const rel = `${DOWNLOAD}/${join(entry.parentPath, entry.name)
      .slice(root.length + 1)
      .split('\\')
      .join('/')}`;
    if (rel.startsWith(`${DOWNLOAD}/sumdb/`)) continue;
    // Only a version list changes once written (it grows): the go command writes .mod, .info
    // and .ziphash once. Their size is not asked for (a stat each, most of the walk's time on
    // a large graph); 0 stands for "present".
    if (!link) meta.set(rel, entry.name === 'list' ? (await lstat(join(gomodcache, rel))).size : 0);
    const m = /^cache\/download\/(.+)\/@v\/([^/]+)\.ziphash$/.exec(rel);
    if (!m) continue;
    try {
      modules.push({
        path: unescapePath(m[1]!),
        version: unescapeVersion(m[2]!),
        dir: `${m[1]}@${m[2]}`,
        ziphash: rel,
      });
    } catch {
      // A name the go command could not have written: not a module.
    }
  }
  return { meta, modules };
}

/** Lets the go command's read-only module directories be removed (or cleaned by a runner). */
export async function makeWritable(dir: string): Promise<void> {
  try {
    await chmod(dir, 0o755);
    for (const entry of await walkNoFollow(dir)) {
      if (entry.isDirectory()) await chmod(join(entry.parentPath, entry.name), 0o755);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

export async function removeModule(gomodcache: string, mod: TreeModule): Promise<void> {
  // A link on either path is removed itself: what it points at is not ours to change.
  await unlinkLinksOnPath(gomodcache, mod.dir);
  await unlinkLinksOnPath(gomodcache, mod.ziphash);
  await makeWritable(join(gomodcache, mod.dir));
  await rm(join(gomodcache, mod.dir), { recursive: true, force: true });
  // Without its .ziphash the go command sees the module as not downloaded.
  await rm(join(gomodcache, mod.ziphash), { force: true });
  await rm(join(gomodcache, mod.ziphash.replace(/\.ziphash$/, '.zip')), { force: true });
}

export type TreeCheck = {
  kept: TreeModule[];
  /** Not in go.sum: not used by this project (an older version, a removed dependency). */
  pruned: TreeModule[];
  /** In go.sum with another hash (or an unreadable .ziphash): removed, re-downloaded through the proxy. */
  mismatched: TreeModule[];
};

/**
 * Modules checked at once: the check is a few lstats and one small read per module, each a
 * round trip to libuv's thread pool, so one after another they add up on a large tree (it is on
 * the main step's critical path); the pool has 4 threads by default.
 */
const CHECK_CONCURRENCY = 16;

/** Keeps the modules whose `.ziphash` go.sum records; removes the rest (see the file comment). */
export async function checkTreeAgainstGoSum(
  gomodcache: string,
  modules: TreeModule[],
  sums: GoSumIndex,
): Promise<TreeCheck> {
  const check: TreeCheck = { kept: [], pruned: [], mismatched: [] };
  const verdicts: TreeModule[][] = new Array(modules.length);
  await eachLimited([...modules.keys()], CHECK_CONCURRENCY, async (i) => {
    const mod = modules[i]!;
    const recorded = sums.zipHash(mod.path, mod.version);
    if (recorded.length === 0) {
      verdicts[i] = check.pruned;
      return;
    }
    // Reached through a link (the go command never makes one): altered, whatever it says.
    const linked =
      (await unlinkLinksOnPath(gomodcache, mod.dir)) || (await unlinkLinksOnPath(gomodcache, mod.ziphash));
    const hash = linked ? '' : (await readFile(join(gomodcache, mod.ziphash), 'utf8').catch(() => '')).trim();
    verdicts[i] = recorded.includes(hash) ? check.kept : check.mismatched;
  });
  // In the listing's order, whatever order the reads finished in.
  for (const [i, mod] of modules.entries()) verdicts[i]!.push(mod);
  for (const mod of [...check.pruned, ...check.mismatched]) await removeModule(gomodcache, mod);
  return check;
}

/** Every file of the given modules' directories, relative to GOMODCACHE. */
export async function moduleFiles(gomodcache: string, modules: TreeModule[]): Promise<string[]> {
  const files: string[] = [];
  for (const mod of modules) {
    // Only through real directories: a link on the way is removed, never followed into.
    if (await unlinkLinksOnPath(gomodcache, mod.dir)) continue;
    for (const entry of await walkNoFollow(join(gomodcache, mod.dir))) {
      // Symlinks are never in a module zip; the go command writes regular files only.
      if (!entry.isFile()) continue;
      files.push(
        join(entry.parentPath, entry.name)
          .slice(gomodcache.length + 1)
          .split('\\')
          .join('/'),
      );
    }
  }
  return files;
}

/** Removes a whole module cache directory, read-only module directories included. */
export async function removeModCache(gomodcache: string): Promise<void> {
  // A link in its place (a restored cache path) is removed itself, never what it points at.
  if ((await lstat(gomodcache).catch(() => null))?.isSymbolicLink()) {
    await unlink(gomodcache);
    return;
  }
  await makeWritable(gomodcache);
  await rm(gomodcache, { recursive: true, force: true });
}

export type TreeTrim = { removedFiles: number; removedBytes: number; partialModules: number };

/**
 * Leaves in GOMODCACHE only what listTree carries (for caches that archive a whole directory):
 * removes the zips, lock and temporary files, the checksum database's tiles (cache/download/sumdb)
 * and version control checkouts (cache/vcs), and a module whose extraction never finished (its
 * `.partial` marker is still there). Directories are left writable, so a runner's clean-up
 * of the directory the cache is restored into cannot trip over the go command's read-only ones.
 */
export async function trimToTree(gomodcache: string): Promise<TreeTrim> {
  const trim: TreeTrim = { removedFiles: 0, removedBytes: 0, partialModules: 0 };
  await makeWritable(gomodcache);
  for (const sub of ['cache/download/sumdb', 'cache/vcs']) {
    const dir = join(gomodcache, sub);
    await unlinkLinksOnPath(gomodcache, sub);
    const files = await walkNoFollow(dir).catch(() => []);
    for (const entry of files) {
      if (!entry.isFile()) continue;
      trim.removedFiles++;
      trim.removedBytes += (await lstat(join(entry.parentPath, entry.name)).catch(() => ({ size: 0 }))).size;
    }
    await rm(dir, { recursive: true, force: true });
  }
  const root = join(gomodcache, DOWNLOAD);
  await unlinkLinksOnPath(gomodcache, DOWNLOAD);
  const entries = await walkNoFollow(root).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile() || carried(entry.name)) continue;
    const file = join(entry.parentPath, entry.name);
    trim.removedBytes += (await lstat(file).catch(() => ({ size: 0 }))).size;
    trim.removedFiles++;
    await rm(file, { force: true });
    const partial = /^(.+)\/@v\/([^/]+)\.partial$/.exec(
      file
        .slice(root.length + 1)
        .split('\\')
        .join('/'),
    );
    if (partial) {
      trim.partialModules++;
      await unlinkLinksOnPath(gomodcache, `${partial[1]}@${partial[2]}`);
      await rm(join(gomodcache, `${partial[1]}@${partial[2]}`), { recursive: true, force: true });
      await rm(join(root, partial[1]!, '@v', `${partial[2]}.ziphash`), { force: true });
    }
  }
  return trim;
}
