// Walks a tree in the module cache's download layout (our store, or an existing
// $GOMODCACHE/cache/download) and lists the module versions in it, for prune, summary and
// seeding. Dot names (our bookkeeping, temp files) and the sumdb/ cache are not modules.
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { unescapePath, unescapeVersion } from '../gomod/module-path.ts';
import { type BlobExt, parseBlobName, sumdbDirName, versionDirName } from './store-layout.ts';

export type BlobFile = { path: string; size: number };

export type StoredVersion = {
  module: string;
  version: string;
  escapedModule: string;
  escapedVersion: string;
  /** The module's @v directory. */
  versionDir: string;
  files: Partial<Record<BlobExt, BlobFile>>;
};

export type ModuleDir = {
  escapedModule: string;
  /** The module's @v directory. */
  versionDir: string;
  entries: Dirent[];
};

async function readDirOrEmpty(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
}

/** Every directory under `root` that holds an @v directory, with the @v entries. */
export async function findModuleDirs(root: string): Promise<ModuleDir[]> {
  const found: ModuleDir[] = [];
  const visit = async (dir: string, escapedPrefix: string): Promise<void> => {
    const entries = await readDirOrEmpty(dir);
    await Promise.all(
      entries.map(async (entry) => {
        if (!entry.isDirectory() || entry.name.startsWith('.')) return;
        if (escapedPrefix === '' && entry.name === sumdbDirName) return;
        const child = join(dir, entry.name);
        if (entry.name === versionDirName) {
          if (escapedPrefix !== '') {
            found.push({
              escapedModule: escapedPrefix,
              versionDir: child,
              entries: await readDirOrEmpty(child),
            });
          }
          return;
        }
        // Keep descending: modules nest (example.com/a and example.com/a/b are both modules).
        await visit(child, escapedPrefix === '' ? entry.name : `${escapedPrefix}/${entry.name}`);
      }),
    );
  };
  await visit(root, '');
  return found;
}

/** The decoded module path of an escaped one, or null if it is not a valid module path. */
export function decodeModulePath(escaped: string): string | null {
  try {
    return unescapePath(escaped);
  } catch {
    return null;
  }
}

/** The decoded version of an escaped one, or null if it does not decode. */
export function decodeVersion(escaped: string): string | null {
  try {
    return unescapeVersion(escaped);
  } catch {
    return null;
  }
}

/** The versions stored in one module's @v directory, with their blob files and sizes. */
export async function scanVersionDir(
  module: string,
  escapedModule: string,
  versionDir: string,
  entries?: Dirent[],
): Promise<StoredVersion[]> {
  const byVersion = new Map<string, StoredVersion>();
  await Promise.all(
    (entries ?? (await readDirOrEmpty(versionDir))).map(async (entry) => {
      if (!entry.isFile()) return;
      const parsed = parseBlobName(entry.name);
      if (!parsed) return;
      const version = decodeVersion(parsed.escapedVersion);
      if (version === null) return;
      const path = join(versionDir, entry.name);
      const info = await stat(path).catch(() => null);
      if (!info?.isFile()) return;
      let stored = byVersion.get(version);
      if (!stored) {
        stored = {
          module,
          version,
          escapedModule,
          escapedVersion: parsed.escapedVersion,
          versionDir,
          files: {},
        };
        byVersion.set(version, stored);
      }
      stored.files[parsed.ext] = { path, size: info.size };
    }),
  );
  return [...byVersion.values()];
}

/** Every module version under `root`; directories and files whose names do not decode are skipped. */
export async function scanStoredVersions(root: string): Promise<StoredVersion[]> {
  const all = await Promise.all(
    (await findModuleDirs(root)).map(async (dir) => {
      const module = decodeModulePath(dir.escapedModule);
      return module === null ? [] : scanVersionDir(module, dir.escapedModule, dir.versionDir, dir.entries);
    }),
  );
  return all.flat();
}
