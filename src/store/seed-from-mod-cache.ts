// Seeds the store from an existing module cache ($GOMODCACHE/cache/download), which already has
// the store's layout. Only whole blob files are taken: lock files, .partial markers and the go
// command's own temp files are not blobs and are skipped, and every copy goes through an atomic
// write. The caller's verifier decides per module version (go.sum, checksum database).
import { createReadStream } from 'node:fs';
import type { BlobStore } from './blob-store.ts';
import { scanStoredVersions } from './store-inventory.ts';
import { type BlobExt, blobExts } from './store-layout.ts';

/** Absolute paths of the module version's files in the module cache, by kind. */
export type SeedFiles = Partial<Record<BlobExt, string>>;

/** Decides whether a module version from the module cache may enter the store. */
export type SeedVerifier = (module: string, version: string, files: SeedFiles) => Promise<boolean>;

/** How many module versions are seeded at once: enough to overlap disk waits, few open files. */
const seedConcurrency = 4;

// The zip before its .ziphash, so a reader never finds a hash without the zip it describes.
const copyOrder: readonly BlobExt[] = ['info', 'mod', 'zip', 'ziphash'];

async function copyIntoStore(
  store: BlobStore,
  module: string,
  version: string,
  ext: BlobExt,
  source: string,
) {
  const pending = await store.beginWrite(module, version, ext);
  try {
    for await (const chunk of createReadStream(source)) await pending.write(chunk as Buffer);
    await pending.commit();
  } catch (err) {
    await pending.discard();
    throw err;
  }
}

/**
 * Copies into `store` the module versions of `downloadDir` that it lacks (or lacks some files
 * of) and that `verify` accepts. Counts are module versions: copied, or skipped because they
 * were already stored or the verifier refused them. A write failure (disk full) stops seeding.
 */
export async function seedFromModCache(
  store: BlobStore,
  downloadDir: string,
  verify: SeedVerifier,
): Promise<{ copied: number; skipped: number }> {
  const candidates = await scanStoredVersions(downloadDir);
  let copied = 0;
  let skipped = 0;
  let next = 0;

  const seedOne = async (index: number): Promise<void> => {
    const candidate = candidates[index] as (typeof candidates)[number];
    const { module, version } = candidate;
    const missing: BlobExt[] = [];
    for (const ext of blobExts) {
      const source = candidate.files[ext];
      if (!source) continue;
      const present = await store.stat(module, version, ext);
      if (present?.size !== source.size) missing.push(ext);
    }
    if (missing.length === 0) {
      skipped++;
      return;
    }
    const files: SeedFiles = {};
    for (const ext of blobExts) {
      const source = candidate.files[ext];
      if (source) files[ext] = source.path;
    }
    if (!(await verify(module, version, files))) {
      skipped++;
      return;
    }
    for (const ext of copyOrder) {
      const source = files[ext];
      if (source && missing.includes(ext)) await copyIntoStore(store, module, version, ext, source);
    }
    if (files.mod) await store.addVersionToList(module, version);
    copied++;
  };

  const worker = async (): Promise<void> => {
    while (next < candidates.length) await seedOne(next++);
  };
  await Promise.all(Array.from({ length: Math.min(seedConcurrency, candidates.length) }, worker));
  return { copied, skipped };
}
