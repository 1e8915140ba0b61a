// Where one upstream attempt's bytes go: a temp file next to the blob's place in the store
// while the store takes them, else a scratch file outside it. If the store fails half-way
// (disk or inodes full, quota), the bytes it took are copied to scratch and the rest follows
// them there, so the answer is still served whole, only not stored. Each attempt owns one.
import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { beginAtomicWrite, type PendingBlob } from '../store/atomic-file.ts';
import { StoreWriteError } from '../store/store-write-error.ts';

export type SpoolPlace = {
  /** The blob's final path in the store; null when the store is known not to take it. */
  storePath: string | null;
  /** A fresh temp-file path in the scratch directory (outside the store). */
  scratchPath: () => Promise<string>;
};

/** Reads what a spool holds so far, at any position, whatever later becomes of the spool. */
export type SpoolReader = {
  read(buffer: Buffer, position: number, length: number): Promise<number>;
  close(): Promise<void>;
};

export class BlobSpool {
  #pending: PendingBlob;
  #inStore: boolean;
  readonly #place: SpoolPlace;
  /** Why the store did not take this blob, when it did not. */
  storeError: StoreWriteError | null = null;
  /** A second descriptor of the store temp file for early write-back (flushEarly), and its fdatasync under way. */
  #flusher: { handle: Promise<FileHandle | null>; running: Promise<void> | null } | null = null;

  private constructor(
    pending: PendingBlob,
    inStore: boolean,
    place: SpoolPlace,
    error: StoreWriteError | null,
  ) {
    this.#pending = pending;
    this.#inStore = inStore;
    this.#place = place;
    this.storeError = error;
  }

  static async open(place: SpoolPlace): Promise<BlobSpool> {
    if (place.storePath !== null) {
      try {
        return new BlobSpool(await beginAtomicWrite(place.storePath), true, place, null);
      } catch (err) {
        if (!(err instanceof StoreWriteError)) throw err;
        return new BlobSpool(await beginAtomicWrite(await place.scratchPath()), false, place, err);
      }
    }
    return new BlobSpool(await beginAtomicWrite(await place.scratchPath()), false, place, null);
  }

  /** The file holding the bytes so far. */
  get path(): string {
    return this.#pending.path;
  }

  get size(): number {
    return this.#pending.size;
  }

  get inStore(): boolean {
    return this.#inStore;
  }

  /**
   * A reader of the bytes written so far, for a client served from the growing spool. It
   * keeps its own descriptor, so a commit (rename) or detach does not disturb it; after a
   * spill it moves to the scratch copy, which holds every byte from the start.
   */
  async openReader(): Promise<SpoolReader> {
    let path = this.#pending.path;
    let handle: FileHandle | null = await open(path, 'r');
    return {
      read: async (buffer, position, length) => {
        if (!handle) throw new Error('spool reader is closed');
        if (this.#pending.path !== path) {
          const moved = await open(this.#pending.path, 'r');
          await handle.close().catch(() => {});
          handle = moved;
          path = this.#pending.path;
        }
        const { bytesRead } = await handle.read(buffer, 0, length, position);
        return bytesRead;
      },
      close: async () => {
        const h = handle;
        handle = null;
        await h?.close().catch(() => {});
      },
    };
  }

  async write(chunk: Buffer): Promise<void> {
    const before = this.#pending.size;
    try {
      await this.#pending.write(chunk);
    } catch (err) {
      if (!(err instanceof StoreWriteError) || !this.#inStore) throw err;
      const taken = this.#pending.size;
      await this.#spill(err);
      // The part of the chunk the store took was copied with the rest: write what remains.
      await this.#pending.write(chunk.subarray(taken - before));
    }
  }

  /** Moves the store temp file's bytes to scratch; later writes go there. */
  async #spill(error: StoreWriteError): Promise<void> {
    const failed = this.#pending;
    const taken = failed.size;
    const scratch = await beginAtomicWrite(await this.#place.scratchPath());
    try {
      if (taken > 0) {
        for await (const part of createReadStream(failed.path, { start: 0, end: taken - 1 })) {
          await scratch.write(part as Buffer);
        }
      }
    } catch (err) {
      await scratch.discard();
      await failed.discard();
      throw err;
    }
    await failed.discard();
    this.#pending = scratch;
    this.#inStore = false;
    this.storeError = error;
  }

  /**
   * Starts writing back the bytes so far: an fdatasync on a second descriptor, so writes go on
   * meanwhile. The fsync before the commit then has only the last bytes left, and a large zip's
   * last byte (held until it is committed) does not wait for all of its write-back. Skipped
   * while the previous one runs; a failure is left to the real fsync to report.
   */
  flushEarly(): void {
    if (!this.#inStore) return;
    this.#flusher ??= { handle: open(this.#pending.path, 'r').catch(() => null), running: null };
    const flusher = this.#flusher;
    if (flusher.running) return;
    flusher.running = flusher.handle
      .then((h) => h?.datasync())
      .catch(() => {})
      .finally(() => {
        flusher.running = null;
      });
  }

  async #closeFlusher(): Promise<void> {
    const flusher = this.#flusher;
    if (!flusher) return;
    this.#flusher = null;
    await flusher.running;
    await (await flusher.handle)?.close().catch(() => {});
  }

  /**
   * fsyncs the store's temp file now (beside the zip check), so the commit after it only
   * renames. A failure means the store does not take this blob: it is then served, not stored.
   */
  async sync(): Promise<void> {
    await this.#closeFlusher();
    if (!this.#inStore) return;
    try {
      await this.#pending.sync();
    } catch (err) {
      if (!(err instanceof StoreWriteError)) throw err;
      this.storeError = err;
      this.#inStore = false;
    }
  }

  /**
   * Puts the blob in the store (`durable: false`: renamed without an fsync, for a caller that
   * has it fsynced later, see deferred-sync.ts). Resolves to true when stored; false when the store refused
   * at the last step (the bytes then stay in a detached temp file at `path`).
   */
  async commit(options?: { durable?: boolean }): Promise<boolean> {
    await this.#closeFlusher();
    if (!this.#inStore) return false;
    try {
      await this.#pending.commit(options);
      return true;
    } catch (err) {
      if (!(err instanceof StoreWriteError)) throw err;
      this.storeError = err;
      this.#inStore = false;
      await this.#pending.detach();
      return false;
    }
  }

  /** Closes without storing; the temp file stays at the returned path for the caller to serve and remove. */
  async detach(): Promise<string> {
    await this.#closeFlusher();
    return this.#pending.detach();
  }

  async discard(): Promise<void> {
    await this.#closeFlusher();
    await this.#pending.discard();
  }
}
