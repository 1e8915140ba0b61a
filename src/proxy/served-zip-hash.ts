// The go.sum hash (h1) of the exact bytes a .zip answer would carry, for a client that asks
// (HEAD with `X-Goproxy-Action-Want: h1`; `goproxy-action health` through its in-job proxy), so
// it can check the zip against go.sum without downloading it.
//
// The answer must describe the bytes served, not what the store once held: a blob altered on
// disk after it was stored must not be vouched for. So nothing is read from disk to answer
// (a .ziphash or metadata file could be altered with the blob); the hash is either computed
// now from the file, or remembered in this process's memory from when it computed it (at
// store time, after verification, or at an earlier request), keyed by the file's identity and
// change times: device, inode, size, mtime and ctime in nanoseconds. Any write to the file
// changes its mtime and ctime (ctime cannot be set back by a process), and a replaced file is
// another inode, so a remembered hash is used only for the bytes it was computed from.
import type { BigIntStats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { OpenFile } from './reply.ts';

/** The request header that asks for it, and the response header that carries it. */
export const wantHeader = 'x-goproxy-action-want';
export const h1Header = 'x-goproxy-action-h1';

type Identity = { dev: bigint; ino: bigint; size: bigint; mtimeNs: bigint; ctimeNs: bigint };

const sameFile = (a: Identity, b: Identity) =>
  a.dev === b.dev &&
  a.ino === b.ino &&
  a.size === b.size &&
  a.mtimeNs === b.mtimeNs &&
  a.ctimeNs === b.ctimeNs;

const identity = (s: BigIntStats): Identity => ({
  dev: s.dev,
  ino: s.ino,
  size: s.size,
  mtimeNs: s.mtimeNs,
  ctimeNs: s.ctimeNs,
});

/** One entry per stored zip this process hashed; bounded so a huge store cannot grow it forever. */
const maxRemembered = 100_000;

export class ServedZipHashes {
  readonly #known = new Map<string, { file: Identity; h1: string }>();
  /** Hashes being computed, by file identity: a burst of HEADs for one zip hashes it once. */
  readonly #computing = new Map<string, Promise<string | null>>();
  /** Hashes computed for answers (not remembered ones), for tests and statistics. */
  computed = 0;

  static #key(module: string, version: string, file: Identity): string {
    return `${file.dev}:${file.ino} ${module}@${version}`;
  }

  /**
   * Records that the open file (a stored zip of module@version) hashed to `h1`: called right
   * after the blob was verified and renamed into place (a rename changes the ctime).
   */
  async remember(handle: OpenFile['handle'], module: string, version: string, h1: string): Promise<void> {
    const file = identity(await handle.stat({ bigint: true }));
    this.#set(module, version, file, h1);
  }

  #set(module: string, version: string, file: Identity, h1: string): void {
    if (this.#known.size >= maxRemembered) this.#known.delete(this.#known.keys().next().value as string);
    this.#known.set(ServedZipHashes.#key(module, version, file), { file, h1 });
  }

  /**
   * The h1 of the bytes `body` holds (an answer's open file, whose name is `path`), or null
   * when it cannot be said for sure (not a valid module zip, unreadable, or the file changed
   * while it was hashed): then the client downloads and hashes it itself.
   */
  async hashOf(body: OpenFile, path: string, module: string, version: string): Promise<string | null> {
    try {
      const before = identity(await body.handle.stat({ bigint: true }));
      // An answer whose length is not the file's (it changed since it was opened) is no answer
      // a client could complete: vouch for nothing.
      if (before.size !== BigInt(body.size)) return null;
      const key = ServedZipHashes.#key(module, version, before);
      const known = this.#known.get(key);
      if (known && sameFile(known.file, before)) return known.h1;
      const computingKey = `${key} ${before.size} ${before.mtimeNs} ${before.ctimeNs}`;
      let computing = this.#computing.get(computingKey);
      if (!computing) {
        computing = this.#compute(body, path, module, version, before).finally(() =>
          this.#computing.delete(computingKey),
        );
        this.#computing.set(computingKey, computing);
      }
      return await computing;
    } catch {
      return null;
    }
  }

  async #compute(
    body: OpenFile,
    path: string,
    module: string,
    version: string,
    before: Identity,
  ): Promise<string | null> {
    try {
      // The zip checker reads by name: the name must still be this open file before and after,
      // and the file unchanged, or the hash might be of other bytes than the answer's.
      const named = identity(await stat(path, { bigint: true }));
      if (!sameFile(named, before)) return null;
      // The zip checker (yauzl, zlib) loads on the first hash asked for, not at start-up.
      const { checkModuleZip } = await import('../gomod/module-zip.ts');
      const { hash } = await checkModuleZip(path, module, version);
      this.computed++;
      const after = identity(await body.handle.stat({ bigint: true }));
      const namedAfter = identity(await stat(path, { bigint: true }));
      if (!sameFile(after, before) || !sameFile(namedAfter, before)) return null;
      this.#set(module, version, before, hash);
      return hash;
    } catch {
      return null;
    }
  }
}
