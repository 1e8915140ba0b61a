// The extracted module tree (src/modtree) in the goproxy component's in-job mode: GitLab's cache
// restores it into `.goproxy-modtree/` in the project directory; `ci start` moves it to a fixed
// place next to the checkout, checks it against go.sum and points GOMODCACHE there; `ci stop`
// leaves only the tree (no zips, locks, checksum database tiles) and moves it back for the save.
// A tree saved by a successful job for these very go.sum files (its marker) restores exactly:
// the job then does not use the store (in-job.ts), as the GitHub Action skips it.
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { hashFileContents } from '../cachelayers/file-contents-hash.ts';
import { formatBytes } from '../daemon/stats-text.ts';
import { findModuleFiles } from '../gomod/find-module-files.ts';
import { GoSumIndex } from '../gomod/go-sum.ts';
import {
  checkTreeAgainstGoSum,
  listTree,
  removeModCache,
  TREE_MARKER,
  trimToTree,
} from '../modtree/mod-tree.ts';
import { readTreeMarker, type TreeMarker, treeMarkerText } from '../modtree/tree-marker.ts';
import { unlinkLinksOnPath } from '../tree-walk.ts';
import { type GitLabJob, MOD_TREE_CACHE_DIR, modTreeWorkDir } from './predefined-variables.ts';

/** What `ci start` leaves for `ci stop` in the job's work directory. */
export type ModTreeSession = {
  gomodcache: string;
  /** Modules the restored tree kept: the go command did not ask the proxy for them. */
  kept: number;
  /** The kept modules (`path@version`, escaped as in GOMODCACHE). */
  keptModules?: string[];
  /**
   * The tree restored exactly (its marker names these go.sum files, nothing was removed) and no
   * earlier job asked for the store since: the job runs its proxy on an empty store (in-job.ts).
   */
  storeSkipped?: boolean;
  /** An earlier job skipped the store and still fetched zips of modules the tree holds. */
  storeWanted?: boolean;
};

/** The go.sum files' digest (path and content of each, as the GitHub Action's dependency key). */
async function goSumDigest(projectDir: string, goSumFiles: string[]): Promise<string> {
  const entries = await Promise.all(
    goSumFiles.map(async (file) => ({ path: relative(projectDir, file), content: await readFile(file) })),
  );
  return hashFileContents(entries);
}

const exists = async (path: string): Promise<boolean> => (await stat(path).catch(() => null)) !== null;

function sessionFile(work: string): string {
  return join(work, 'modtree.json');
}

/**
 * Moves the restored tree in place and removes what go.sum does not vouch for. Returns the
 * session (GOMODCACHE, whether the store is skipped), or undefined (with a line saying why)
 * when the tree is not carried.
 */
export async function beginModTree(
  job: Pick<GitLabJob, 'projectDir' | 'jobId'>,
  work: string,
  log: (line: string) => void,
): Promise<ModTreeSession | undefined> {
  const cached = join(job.projectDir, MOD_TREE_CACHE_DIR);
  const goSumFiles = await findModuleFiles(job.projectDir, ['go.sum', 'go.work.sum']);
  if (goSumFiles.length === 0) {
    log('goproxy: module tree: no go.sum in the project: not carried, GOMODCACHE left as it is');
    return undefined;
  }
  let sums: GoSumIndex;
  try {
    sums = await GoSumIndex.load(goSumFiles);
  } catch (err) {
    log(`goproxy: module tree: not carried: ${(err as Error).message}`);
    return undefined;
  }
  // A fixed path, not the per-job work directory: the go command's build cache keys packages by
  // their directory, so a module cache that moved would miss every dependency's build outputs.
  const gomodcache = modTreeWorkDir(job);
  await removeModCache(gomodcache);
  let kept: string[] = [];
  let storeSkipped = false;
  let storeWanted = false;
  // Restored content: a link in the tree's place is removed, never moved in as GOMODCACHE.
  await unlinkLinksOnPath(job.projectDir, MOD_TREE_CACHE_DIR);
  if (await exists(cached)) {
    await rename(cached, gomodcache);
    const started = Date.now();
    const { modules } = await listTree(gomodcache);
    const check = await checkTreeAgainstGoSum(gomodcache, modules, sums);
    kept = check.kept.map((m) => m.dir);
    const marker = await readTreeMarker(gomodcache);
    storeWanted = marker.storeWanted === true;
    const exact =
      kept.length > 0 &&
      check.mismatched.length === 0 &&
      marker.key !== undefined &&
      marker.key === (await goSumDigest(job.projectDir, goSumFiles));
    storeSkipped = exact && !storeWanted;
    log(
      `goproxy: module tree restore: ${check.kept.length} modules kept, ${check.pruned.length} pruned (not in go.sum), ${check.mismatched.length} removed (.ziphash not as go.sum records) in ${Date.now() - started} ms`,
    );
    if (check.mismatched.length > 0)
      log(
        `goproxy: module tree removed: ${check.mismatched.map((m) => `${m.path}@${m.version}`).join(', ')}`,
      );
  } else {
    await mkdir(gomodcache, { recursive: true });
    log('goproxy: module tree restore: none (nothing in the cache yet)');
  }
  const session: ModTreeSession = {
    gomodcache,
    kept: kept.length,
    keptModules: kept,
    ...(storeSkipped ? { storeSkipped } : {}),
    ...(storeWanted ? { storeWanted } : {}),
  };
  await writeFile(sessionFile(work), JSON.stringify(session));
  log(`goproxy: GOMODCACHE=${gomodcache}`);
  return session;
}

export async function readModTreeSession(work: string): Promise<ModTreeSession | undefined> {
  try {
    return JSON.parse(await readFile(sessionFile(work), 'utf8')) as ModTreeSession;
  } catch {
    return undefined;
  }
}

/**
 * Leaves the extracted tree only and hands it to GitLab's cache, marked with the go.sum files it
 * was saved for when the job succeeded (a failed job's tree may lack modules: never exact).
 * `storeWanted`: the store was skipped and the job still fetched zips of modules the tree holds.
 */
export async function endModTree(
  projectDir: string,
  session: ModTreeSession,
  options: { succeeded: boolean; storeWanted: boolean },
  log: (line: string) => void,
): Promise<void> {
  if (!(await exists(session.gomodcache))) return;
  try {
    const goSumFiles = await findModuleFiles(projectDir, ['go.sum', 'go.work.sum']);
    const marker: TreeMarker = {
      ...(options.succeeded && goSumFiles.length > 0
        ? { key: await goSumDigest(projectDir, goSumFiles) }
        : {}),
      ...(session.storeWanted || options.storeWanted ? { storeWanted: true } : {}),
    };
    await mkdir(join(session.gomodcache, 'cache'), { recursive: true });
    await writeFile(join(session.gomodcache, TREE_MARKER), treeMarkerText(marker));
  } catch (err) {
    // Unmarked, the next job's tree is not exact: it uses the store, as before the marker.
    log(`goproxy: could not mark the module tree (${(err as Error).message})`);
  }
  try {
    const trim = await trimToTree(session.gomodcache);
    const { modules } = await listTree(session.gomodcache);
    log(
      `goproxy: module tree: ${modules.length} modules saved; removed ${trim.removedFiles} files (zips, locks, checksum database tiles: ${formatBytes(trim.removedBytes)})` +
        (trim.partialModules > 0 ? ` and ${trim.partialModules} modules not fully extracted` : ''),
    );
  } catch (err) {
    // A tree with zips left in it is only larger; one with a half-removed module is checked on restore.
    log(`goproxy: could not trim the module tree (${(err as Error).message}); it is saved as it is`);
  }
  const cached = join(projectDir, MOD_TREE_CACHE_DIR);
  await removeModCache(cached);
  await rename(session.gomodcache, cached);
}
