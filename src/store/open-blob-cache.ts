// Open files of stored immutable blobs, kept between requests. A warm proxy answers the same
// zips over and over; opening, stat-ing and closing the file each time costs about a fifth of
// its CPU under load (measured with bench/engine-profile.ts). A blob never changes once renamed
// into place, so an open file stays valid; prune clears the cache. An entry older than a
// second is checked once (one fstat: still linked?) before it is reused, so a blob another
// process removed is opened afresh (or found missing) as it would be without the cache.
// Bounded, least recently used first out; a file is closed only when no answer still reads it.
import { fstatSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** A file opened for reading; the caller closes it (for a cached one: gives it back). */
export type OpenedFile = {
  handle: FileHandle;
  size: number;
  close(): Promise<void>;
  /** Handed out before by the cache (its pages most likely in the page cache). */
  warm?: boolean;
};

type Entry = { handle: FileHandle; size: number; users: number; evicted: boolean; checkedAt: number };

export class OpenBlobCache {
  readonly #entries = new Map<string, Entry>();
  readonly #max: number;
  /** How long an entry is trusted without asking whether its file is still linked. */
  readonly #recheckMs: number;

  // 1024: a large graph's zips (hits on an evicted file cost an open, fstat and close); Node
  // raises the soft descriptor limit to the hard one, which is far above this on CI runners.
  constructor(max = 1024, recheckMs = 1_000) {
    this.#max = max;
    this.#recheckMs = recheckMs;
  }

  /**
   * The open file at `path` with its size, or null when no regular file is there.
   * `openFile` opens it on a miss (null: missing).
   */
  async acquire(
    path: string,
    openFile: (path: string) => Promise<{ handle: FileHandle; size: number } | null>,
  ): Promise<OpenedFile | null> {
    const cached = this.acquireOpen(path);
    if (cached) return cached;
    let opened: { handle: FileHandle; size: number } | null;
    try {
      opened = await openFile(path);
    } catch (err) {
      // Out of descriptors: give back the idle ones we hold, then try once more.
      if ((err as NodeJS.ErrnoException).code !== 'EMFILE') throw err;
      this.clear();
      opened = await openFile(path);
    }
    if (!opened) return null;
    let entry = this.#entries.get(path);
    if (entry) {
      await opened.handle.close().catch(() => {});
    } else {
      entry = { ...opened, users: 0, evicted: false, checkedAt: performance.now() };
      this.#entries.set(path, entry);
      this.#evictBeyond(this.#max);
    }
    return this.#handOut(entry, false);
  }

  /**
   * The file at `path` if it is held open here and still linked, else null (then nothing was
   * opened): synchronous, so a hit costs no hand-off at all.
   */
  acquireOpen(path: string): OpenedFile | null {
    const entry = this.#entries.get(path);
    if (!entry) return null;
    if (performance.now() - entry.checkedAt >= this.#recheckMs) {
      // fstat of an open descriptor is one cheap syscall: done inline, not in the thread pool
      // (a hand-off per recheck cost more, and an await would let an eviction slip in).
      let linked = false;
      try {
        linked = fstatSync(entry.handle.fd).nlink > 0;
      } catch {
        // closed or unreadable: treat as gone
      }
      if (!linked) {
        this.#evict(path, entry);
        return null;
      }
      entry.checkedAt = performance.now();
    }
    // Map order is insertion order: re-inserting marks it most recently used.
    this.#entries.delete(path);
    this.#entries.set(path, entry);
    return this.#handOut(entry, true);
  }

  #handOut(held: Entry, warm: boolean): OpenedFile {
    held.users++;
    let released = false;
    return {
      handle: held.handle,
      size: held.size,
      warm,
      close: async () => {
        if (released) return;
        released = true;
        held.users--;
        if (held.evicted && held.users === 0) await held.handle.close().catch(() => {});
      },
    };
  }

  /** Closes every idle file and forgets the rest (they close when their last reader is done). */
  clear(): void {
    this.#evictBeyond(0);
  }

  #evictBeyond(limit: number): void {
    for (const [path, entry] of this.#entries) {
      if (this.#entries.size <= limit) break;
      this.#evict(path, entry);
    }
  }

  #evict(path: string, entry: Entry): void {
    if (this.#entries.get(path) === entry) this.#entries.delete(path);
    entry.evicted = true;
    if (entry.users === 0) entry.handle.close().catch(() => {});
  }
}
