// One open file read by several answers at once (positional reads, so they never disturb each
// other), closed when the last one is done. A fetched blob is opened before it is renamed into
// the store, so whoever asked for it gets it whole even if a concurrent prune (another process
// on the same store) removes it the next moment.
import type { FileHandle } from 'node:fs/promises';
import type { OpenFile } from './reply.ts';

/** How long the fetch keeps its own reference: long enough for every waiting asker to take one. */
const holdMs = 1_000;

export class SharedFile {
  readonly #handle: FileHandle;
  readonly size: number;
  #refs = 1;

  constructor(handle: FileHandle, size: number) {
    this.#handle = handle;
    this.size = size;
    setTimeout(() => void this.#release(), holdMs).unref();
  }

  /** A reference for one answer, or null once the file is closed. */
  acquire(): OpenFile | null {
    if (this.#refs === 0) return null;
    this.#refs++;
    let released = false;
    return {
      handle: this.#handle,
      size: this.size,
      close: async () => {
        if (released) return;
        released = true;
        await this.#release();
      },
    };
  }

  async #release(): Promise<void> {
    this.#refs--;
    if (this.#refs === 0) await this.#handle.close().catch(() => {});
  }
}
