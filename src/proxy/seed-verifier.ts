// Seeding the store from an existing module cache ($GOMODCACHE/cache/download): a version is
// taken only when its files match the workspace's go.sum lines, so a tampered or partial
// cache cannot slip anything unverified into the store.
import { readFile } from 'node:fs/promises';
import { hashGoMod } from '../gomod/dirhash.ts';
import type { GoSumIndex } from '../gomod/go-sum.ts';
import type { SeedVerifier } from '../store/blob-store.ts';

export function goSumSeedVerifier(goSum: GoSumIndex): SeedVerifier {
  return async (module, version, files) => {
    const zipHashes = goSum.zipHash(module, version);
    const modHashes = goSum.modHash(module, version);
    if (zipHashes.length === 0 && modHashes.length === 0) return false;
    if (files.zip) {
      if (zipHashes.length === 0) return false;
      // Loaded on the first zip seeded (yauzl, zlib): serve reaches ready without it.
      const { checkModuleZip } = await import('../gomod/module-zip.ts');
      try {
        if (!zipHashes.includes((await checkModuleZip(files.zip, module, version)).hash)) return false;
      } catch {
        return false;
      }
    }
    if (files.mod) {
      if (modHashes.length === 0) return false;
      if (!modHashes.includes(hashGoMod(await readFile(files.mod)))) return false;
    }
    return Boolean(files.zip || files.mod);
  };
}
