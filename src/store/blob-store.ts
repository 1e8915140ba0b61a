// The blob store: module versions on disk in the Go module cache's download layout (see
// store-layout.ts), written atomically, tracked for use, pruned to what a job used, and
// seedable from an existing module cache. Callers pass decoded, canonical, validated module
// paths and versions; the store still refuses anything that would land outside its root.
import { createHash } from 'node:crypto';
import { constants, mkdirSync } from 'node:fs';
import { type FileHandle, lstat, open, readFile, rmdir, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { escapePath, escapeVersion } from '../gomod/module-path.ts';
import { sortVersions } from '../gomod/version.ts';
import { beginAtomicWrite, type PendingBlob, removeStaleTempFiles, writeFileAtomic } from './atomic-file.ts';
import { DeferredSync } from './deferred-sync.ts';
import { withFileLock } from './file-lock.ts';
import { KeyedLock } from './keyed-lock.ts';
import { OpenBlobCache, type OpenedFile } from './open-blob-cache.ts';
import { type SeedVerifier, seedFromModCache } from './seed-from-mod-cache.ts';
import {
  decodeModulePath,
  decodeVersion,
  findModuleDirs,
  type StoredVersion,
  scanStoredVersions,
  scanVersionDir,
} from './store-inventory.ts';
import {
  type BlobExt,
  bookkeepingDirName,
  checkSafeElement,
  isBlobExt,
  joinInside,
  listFileName,
  sumdbDirName,
  versionDirName,
} from './store-layout.ts';
import { asStoreWriteError } from './store-write-error.ts';
import { recoverUnsynced } from './unsynced-recovery.ts';
import { formatVersionList, isListableVersion, parseVersionList } from './version-list.ts';

export type { PendingBlob } from './atomic-file.ts';
export type { OpenedFile } from './open-blob-cache.ts';
export type { SeedVerifier } from './seed-from-mod-cache.ts';
export type { BlobExt } from './store-layout.ts';
export { StoreWriteError } from './store-write-error.ts';

export type PruneResult = {
  removedFiles: number;
  removedBytes: number;
  keptFiles: number;
  keptBytes: number;
};
export type StoreSummary = { files: number; bytes: number; versions: number; modules: number };

const metaDirName = 'meta';
const locksDirName = 'locks';
const sumdbNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,253}$/;

/** The key markUsed records a version under (and prune's `used` set holds). */
export function usedKey(module: string, version: string): string {
  return `${module}@${version}`;
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

// A stored file is read only as itself, never through a symbolic link: a store restored from a
// cache entry someone else wrote could otherwise serve any file this process can read (a
// netrc, a token file). A link in the store's place is treated as absent (fetched again).
const readNoFollow = constants.O_RDONLY | constants.O_NOFOLLOW;

function isMissingOrLink(err: unknown): boolean {
  return isMissing(err) || (err as NodeJS.ErrnoException | null)?.code === 'ELOOP';
}

export class BlobStore {
  /** Absolute path of the store directory. */
  readonly root: string;
  readonly #listLock = new KeyedLock();
  readonly #metaLock = new KeyedLock();
  readonly #used = new Set<string>();
  /** Stored .zip files kept open between hits (a hit then costs no open, stat or close). */
  readonly #openZips = new OpenBlobCache();
  /** .info/.mod/.zip renamed into place before their fsync (deferred-sync.ts). */
  readonly #deferred: DeferredSync;

  private constructor(root: string) {
    this.root = root;
    this.#deferred = new DeferredSync(root);
  }

  /**
   * Opens (creating) the store at `root` and removes temp files a killed writer left behind;
   * with `sweep: 'later'` the caller does that with removeStaleTempFiles() (a server: once it
   * is ready, since the walk over the whole store costs start-up time and nothing needs it).
   */
  static async open(root: string, options: { sweep?: 'now' | 'later' } = {}): Promise<BlobStore> {
    const absolute = resolve(root);
    try {
      // Synchronous: serve opens its store before it is ready (see go-sum.ts's read).
      mkdirSync(absolute, { recursive: true });
    } catch (err) {
      throw new Error(
        `cannot use ${absolute} as the module store: ${(err as Error).message}; give a directory that can be created or exists`,
        { cause: err },
      );
    }
    const store = new BlobStore(absolute);
    // Before anything is served: a dead writer's renamed-but-unsynced files are fsynced, or
    // removed if the machine crashed since (they may be torn); their lists are rebuilt.
    await recoverUnsynced(absolute, (module) => store.rebuildVersionList(module));
    if (options.sweep !== 'later') await removeStaleTempFiles(absolute);
    return store;
  }

  /** Removes temp files a killed writer left behind (those of live writers stay); returns how many. */
  removeStaleTempFiles(): Promise<number> {
    return removeStaleTempFiles(this.root);
  }

  // ---- paths -------------------------------------------------------------------------------

  #escapedModuleElements(module: string): string[] {
    const elements = escapePath(module).split('/');
    for (const element of elements) checkSafeElement(element, 'module path element');
    if (!elements[0]?.includes('.')) {
      throw new Error(`refusing module path ${JSON.stringify(module)}: its first element has no dot`);
    }
    return elements;
  }

  #versionFileName(version: string, suffix: string): string {
    const escaped = escapeVersion(version);
    checkSafeElement(escaped, 'version');
    return `${escaped}.${suffix}`;
  }

  /** `<root>/<escaped module>/@v/<escaped version>.<ext>` */
  filePath(module: string, version: string, ext: BlobExt): string {
    if (!isBlobExt(ext))
      throw new Error(`unknown blob kind ${JSON.stringify(ext)}: use info, mod, zip or ziphash`);
    return joinInside(
      this.root,
      [...this.#escapedModuleElements(module), versionDirName, this.#versionFileName(version, ext)],
      'module file',
    );
  }

  /** `<root>/<escaped module>/@v/list` */
  listPath(module: string): string {
    return joinInside(
      this.root,
      [...this.#escapedModuleElements(module), versionDirName, listFileName],
      'list',
    );
  }

  /** `<root>/.goproxy-action/meta/<escaped module>/@v/<escaped version>.json` */
  metaPath(module: string, version: string): string {
    return joinInside(
      this.root,
      [
        bookkeepingDirName,
        metaDirName,
        ...this.#escapedModuleElements(module),
        versionDirName,
        this.#versionFileName(version, 'json'),
      ],
      'metadata file',
    );
  }

  /** `<root>/sumdb/<name>/<subpath>`; subpath like "lookup/golang.org/x/text@v0.3.0" or "tile/8/0/x001/234.p/5". */
  sumdbPath(name: string, subpath: string): string {
    if (!sumdbNamePattern.test(name) || name.includes('..')) {
      throw new Error(`invalid checksum database name ${JSON.stringify(name)}: expected a host-like name`);
    }
    const elements = subpath.split('/');
    for (const element of elements) {
      if (!/^[A-Za-z0-9_~!@+-][A-Za-z0-9._~!@+-]*$/.test(element)) {
        throw new Error(
          `invalid checksum database path ${JSON.stringify(subpath)}: elements must be non-empty, not start with a dot, and use only letters, digits and -._~!@+`,
        );
      }
    }
    return joinInside(this.root, [sumdbDirName, name, ...elements], 'checksum database path');
  }

  // ---- reading -----------------------------------------------------------------------------

  async stat(module: string, version: string, ext: BlobExt): Promise<{ size: number } | null> {
    try {
      const info = await lstat(this.filePath(module, version, ext));
      // An empty .info/.mod counts as missing, as readFile says.
      return info.isFile() && (info.size > 0 || ext === 'zip') ? { size: info.size } : null;
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  /**
   * The stored blob, opened (or null if it is not stored): once open, a concurrent prune
   * cannot turn the hit into a failed answer. The caller closes the handle.
   */
  async openBlob(module: string, version: string, ext: BlobExt): Promise<OpenedFile | null> {
    const path = this.filePath(module, version, ext);
    return ext === 'zip' ? this.#openZips.acquire(path, openOrNull) : openOrNull(path);
  }

  /**
   * The stored .zip at `path` (as filePath gives it) when an earlier hit left it open here and
   * it is still linked, else null (nothing is opened then: openBlob finds it or not). No I/O
   * beyond an occasional fstat: a warm proxy's repeated hits take this way.
   */
  openZipIfOpen(path: string): OpenedFile | null {
    return this.#openZips.acquireOpen(path);
  }

  async readFile(module: string, version: string, ext: BlobExt): Promise<Buffer | null> {
    const data = await readOrNull(this.filePath(module, version, ext));
    // No valid .info or .mod is empty; one that is was torn by a crash (or by another writer
    // of the store): missing, fetched again.
    return data !== null && data.length === 0 && ext !== 'zip' ? null : data;
  }

  /**
   * The versions whose .info is stored (pseudo-versions included), in Go's order: what the
   * store can answer a list or @latest with when no upstream can (GOPROXY=file:// reads the
   * same files).
   */
  async versionsWithInfo(module: string): Promise<string[]> {
    const versionDir = dirname(this.listPath(module));
    const stored = await scanVersionDir(module, escapePath(module), versionDir);
    return sortVersions(stored.filter((v) => v.files.info !== undefined).map((v) => v.version));
  }

  // ---- writing -----------------------------------------------------------------------------

  /** Starts streaming a blob to a temp file next to its final path; commit or discard it. */
  async beginWrite(module: string, version: string, ext: BlobExt): Promise<PendingBlob> {
    return beginAtomicWrite(this.filePath(module, version, ext));
  }

  async writeFileAtomic(module: string, version: string, ext: BlobExt, data: Uint8Array): Promise<void> {
    // A .ziphash is derived (the go command recomputes one it lacks): not worth an fsync.
    await writeFileAtomic(this.filePath(module, version, ext), data, { durable: ext !== 'ziphash' });
  }

  /**
   * Writes a .info or .mod atomically and visibly now, durably a little later: the fsync runs
   * in the background with others (deferred-sync.ts), so the answer does not wait for it.
   */
  async writeFileDeferred(
    module: string,
    version: string,
    ext: 'info' | 'mod',
    data: Uint8Array,
  ): Promise<void> {
    const path = this.filePath(module, version, ext);
    const release = await this.holdUnsynced(module, version, ext);
    let renamed: string | null = null;
    try {
      await writeFileAtomic(path, data, { durable: false });
      renamed = path;
    } finally {
      release(renamed);
    }
  }

  /**
   * For a writer that renames its own temp file (a streamed .zip) before the fsync: resolves
   * once a marker covers it; call the result with the final path once renamed (null if not).
   * Take it before the last write: the recovery judges the window by modification times.
   */
  async holdUnsynced(
    module: string,
    version: string,
    ext: BlobExt,
  ): Promise<(renamed: string | null) => void> {
    try {
      return await this.#deferred.hold();
    } catch (err) {
      throw asStoreWriteError(err, this.filePath(module, version, ext));
    }
  }

  /** Fsyncs every file writeFileDeferred has renamed so far (flush, shutdown). */
  syncDeferred(): Promise<void> {
    return this.#deferred.drain();
  }

  /**
   * Adds `version` to the module's @v/list (for GOPROXY=file:// readers). Pseudo-versions and
   * non-canonical versions are ignored, as proxies leave them out of lists.
   */
  async addVersionToList(module: string, version: string): Promise<void> {
    const listPath = this.listPath(module);
    if (!isListableVersion(version)) return;
    await this.#withListLock(module, async () => {
      const current = await readOrNull(listPath);
      const versions = current ? parseVersionList(current.toString('utf8')) : [];
      if (versions.includes(version)) return;
      // Derived from the stored .info files (rebuilt when pruning): no fsync.
      await writeFileAtomic(listPath, Buffer.from(formatVersionList([...versions, version])), {
        durable: false,
      });
    });
  }

  /**
   * Writes the module's @v/list afresh from the non-empty .info files stored, under the list
   * lock: after a crash the list itself may be torn, and another proxy on the store may be
   * adding to it.
   */
  async rebuildVersionList(module: string): Promise<void> {
    const listPath = this.listPath(module);
    await this.#withListLock(module, async () => {
      const stored = await scanVersionDir(module, escapePath(module), dirname(listPath));
      // formatVersionList leaves pseudo-versions out, as addVersionToList does.
      const text = formatVersionList(
        stored.filter((v) => (v.files.info?.size ?? 0) > 0).map((v) => v.version),
      );
      if (text === '') await unlinkIfPresent(listPath);
      else await writeFileAtomic(listPath, Buffer.from(text), { durable: false });
    });
  }

  /** `<root>/.goproxy-action/locks/list-<sha256 of the module path>.lock` */
  listLockPath(module: string): string {
    this.#escapedModuleElements(module);
    const digest = createHash('sha256').update(module).digest('hex').slice(0, 32);
    return joinInside(this.root, [bookkeepingDirName, locksDirName, `list-${digest}.lock`], 'lock file');
  }

  /**
   * Serializes read-modify-write of a module's @v/list: in this process (KeyedLock, so callers
   * queue without polling) and across processes sharing the store (a lock file), so neither
   * two requests nor two proxies lose each other's versions.
   */
  #withListLock<T>(module: string, work: () => Promise<T>): Promise<T> {
    const lockPath = this.listLockPath(module);
    return this.#listLock.run(module, () => withFileLock(lockPath, work));
  }

  // ---- metadata and checksum-database cache -------------------------------------------------

  async writeMeta(module: string, version: string, meta: object): Promise<void> {
    // A lost or torn record is decided again (readMeta failing means "no record"): no fsync.
    await writeFileAtomic(this.metaPath(module, version), Buffer.from(`${JSON.stringify(meta, null, 2)}\n`), {
      durable: false,
    });
  }

  /**
   * Read-modify-write of a version's metadata under the store's lock (across processes too),
   * so two writers adding different fields (verification, a policy decision) keep both.
   */
  async updateMeta(
    module: string,
    version: string,
    update: (current: object | null) => object,
  ): Promise<void> {
    const key = `${module}@${version}`;
    const digest = createHash('sha256').update(key).digest('hex').slice(0, 32);
    const lockPath = joinInside(
      this.root,
      [bookkeepingDirName, locksDirName, `meta-${digest}.lock`],
      'lock file',
    );
    await this.#metaLock.run(key, () =>
      withFileLock(lockPath, async () => {
        // A corrupt or unreadable record is replaced, as the callers would decide it again anyway.
        const current = await this.readMeta(module, version).catch(() => null);
        await this.writeMeta(module, version, update(current));
      }),
    );
  }

  async readMeta(module: string, version: string): Promise<object | null> {
    const path = this.metaPath(module, version);
    const data = await readOrNull(path);
    if (data === null) return null;
    try {
      return JSON.parse(data.toString('utf8')) as object;
    } catch (err) {
      throw new Error(
        `corrupt metadata file ${path} (${(err as Error).message}); delete it to have it rebuilt`,
      );
    }
  }

  async readSumdb(name: string, subpath: string): Promise<Buffer | null> {
    return readOrNull(this.sumdbPath(name, subpath));
  }

  async writeSumdb(name: string, subpath: string, data: Uint8Array): Promise<void> {
    await writeFileAtomic(this.sumdbPath(name, subpath), data);
  }

  // ---- usage, prune, summary, seeding -------------------------------------------------------

  /** Records that `module@version` was served by this process (in memory). */
  markUsed(module: string, version: string): void {
    this.#used.add(usedKey(module, version));
  }

  /** markUsed with the key usedKey gave, built once by a caller that marks the same version often. */
  markUsedKey(key: string): void {
    this.#used.add(key);
  }

  /** A copy of the `module@version` keys marked used so far. */
  usedVersions(): Set<string> {
    return new Set(this.#used);
  }

  /**
   * Removes every stored module version whose `module@version` is not in `used`: its blobs and
   * its metadata; rewrites the affected lists and removes directories left empty. sumdb/ is left
   * alone. The counts are of blob files (.info, .mod, .zip, .ziphash).
   */
  async prune(used: Set<string> = this.usedVersions()): Promise<PruneResult> {
    this.#openZips.clear();
    const result: PruneResult = { removedFiles: 0, removedBytes: 0, keptFiles: 0, keptBytes: 0 };
    const touched = new Map<string, StoredVersion>();
    for (const stored of await scanStoredVersions(this.root)) {
      const files = Object.values(stored.files);
      if (used.has(`${stored.module}@${stored.version}`)) {
        result.keptFiles += files.length;
        result.keptBytes += files.reduce((sum, f) => sum + f.size, 0);
        continue;
      }
      for (const file of files) {
        if (await unlinkIfPresent(file.path)) {
          result.removedFiles++;
          result.removedBytes += file.size;
        }
      }
      touched.set(stored.module, stored);
    }
    for (const [module, stored] of touched) {
      await this.#withListLock(module, () => this.#rewriteListAfterPrune(module, stored.versionDir));
      await removeEmptyDirs(stored.versionDir, this.root);
    }
    await this.#pruneMeta(used);
    // Again: a hit during the prune may have opened a file it then removed.
    this.#openZips.clear();
    return result;
  }

  async #rewriteListAfterPrune(module: string, versionDir: string): Promise<void> {
    const listPath = join(versionDir, listFileName);
    const current = await readOrNull(listPath);
    if (current === null) return;
    const remaining = new Set(
      (await scanVersionDir(module, escapePath(module), versionDir)).map((v) => v.version),
    );
    const text = formatVersionList(
      parseVersionList(current.toString('utf8')).filter((v) => remaining.has(v)),
    );
    if (text === '') await unlinkIfPresent(listPath);
    else if (text !== current.toString('utf8')) await writeFileAtomic(listPath, Buffer.from(text));
  }

  async #pruneMeta(used: Set<string>): Promise<void> {
    const metaRoot = join(this.root, bookkeepingDirName, metaDirName);
    for (const dir of await findModuleDirs(metaRoot)) {
      const module = decodeModulePath(dir.escapedModule);
      if (module === null) continue;
      let removedAny = false;
      for (const entry of dir.entries) {
        if (!entry.isFile() || !entry.name.endsWith('.json') || entry.name.startsWith('.')) continue;
        const version = decodeVersion(entry.name.slice(0, -'.json'.length));
        if (version === null || used.has(`${module}@${version}`)) continue;
        removedAny = (await unlinkIfPresent(join(dir.versionDir, entry.name))) || removedAny;
      }
      if (removedAny) await removeEmptyDirs(dir.versionDir, metaRoot);
    }
  }

  /** Counts of stored blob files, their bytes, module versions and modules. */
  async summary(): Promise<StoreSummary> {
    const versions = await scanStoredVersions(this.root);
    let files = 0;
    let bytes = 0;
    for (const stored of versions) {
      for (const file of Object.values(stored.files)) {
        files++;
        bytes += file.size;
      }
    }
    return { files, bytes, versions: versions.length, modules: new Set(versions.map((v) => v.module)).size };
  }

  /**
   * Imports an existing `$GOMODCACHE/cache/download` tree. For each module version that has
   * files the store lacks, `verify` decides whether it is copied. Counts are module versions.
   */
  async seedFromModCache(
    downloadDir: string,
    verify: SeedVerifier,
  ): Promise<{ copied: number; skipped: number }> {
    return seedFromModCache(this, downloadDir, verify);
  }

  /** Closes the .zip files kept open for hits (those still being read close when done). */
  closeOpenBlobs(): void {
    this.#openZips.clear();
  }
}

/** Opens a regular file for reading with its size, or null when it is not there. */
export async function openOrNull(path: string): Promise<OpenedFile | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, readNoFollow);
  } catch (err) {
    if (isMissingOrLink(err)) return null;
    throw err;
  }
  const info = await handle.stat().catch(async (err) => {
    await handle.close();
    throw err;
  });
  if (!info.isFile()) {
    await handle.close();
    return null;
  }
  return { handle, size: info.size, close: () => handle.close() };
}

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path, { flag: readNoFollow });
  } catch (err) {
    if (isMissingOrLink(err)) return null;
    throw err;
  }
}

async function unlinkIfPresent(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  }
}

/** Removes `dir` and its parents while they are empty, stopping at (and keeping) `stopAt`. */
async function removeEmptyDirs(dir: string, stopAt: string): Promise<void> {
  let current = dir;
  while (current !== stopAt && current.startsWith(stopAt)) {
    try {
      await rmdir(current);
    } catch {
      return; // not empty (or already gone, or raced by a writer): stop climbing
    }
    current = dirname(current);
  }
}
