// Open file descriptors of stored immutable blobs, kept between requests. A warm proxy
// answers the same zips over and over; opening, stat-ing and closing the file each time
// costs about a fifth of its CPU under load (measured with bench/engine-profile.ts). A blob
// never changes once renamed into place, so an open descriptor stays valid; prune clears the
// cache. Bounded, least recently used first out, and a descriptor is closed only when no
// answer is still reading it.
import { closeSync, fstat, open } from 'node:fs';

type Entry = { fd: number; size: number; users: number; evicted: boolean };

export type OpenBlob = { fd: number; size: number; release: () => void };

export class OpenBlobCache {
  readonly #entries = new Map<string, Entry>();
  readonly #max: number;

  constructor(max = 256) {
    this.#max = max;
  }

  /** An open descriptor of `file` and its size; call release() when done reading. */
  async acquire(file: string): Promise<OpenBlob> {
    let entry = this.#entries.get(file);
    if (entry) {
      // Map order is insertion order: re-inserting marks it most recently used.
      this.#entries.delete(file);
      this.#entries.set(file, entry);
    } else {
      entry = await this.#open(file);
      const raced = this.#entries.get(file);
      if (raced) {
        closeQuietly(entry.fd);
        entry = raced;
      } else {
        this.#entries.set(file, entry);
        this.#evictBeyond(this.#max);
      }
    }
    entry.users++;
    const held = entry;
    let released = false;
    return {
      fd: held.fd,
      size: held.size,
      release: () => {
        if (released) return;
        released = true;
        held.users--;
        if (held.evicted && held.users === 0) closeQuietly(held.fd);
      },
    };
  }

  /** Closes every idle descriptor and forgets the rest (after a prune removed files). */
  clear(): void {
    this.#evictBeyond(0);
  }

  async #open(file: string): Promise<Entry> {
    let fd: number;
    try {
      fd = await openAsync(file);
    } catch (err) {
      // Out of descriptors: give back the idle ones we hold, then try once more.
      if ((err as NodeJS.ErrnoException).code !== 'EMFILE') throw err;
      this.clear();
      fd = await openAsync(file);
    }
    try {
      return { fd, size: await fstatSize(fd), users: 0, evicted: false };
    } catch (err) {
      closeQuietly(fd);
      throw err;
    }
  }

  #evictBeyond(limit: number): void {
    for (const [file, entry] of this.#entries) {
      if (this.#entries.size <= limit) break;
      this.#entries.delete(file);
      entry.evicted = true;
      if (entry.users === 0) closeQuietly(entry.fd);
    }
  }
}

function openAsync(file: string): Promise<number> {
  return new Promise((resolve, reject) => open(file, 'r', (err, fd) => (err ? reject(err) : resolve(fd))));
}

function fstatSize(fd: number): Promise<number> {
  return new Promise((resolve, reject) => fstat(fd, (err, s) => (err ? reject(err) : resolve(s.size))));
}

/** Synchronous: closing a regular file is one cheap syscall, and the number is free at once. */
function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed: nothing to give back
  }
}
