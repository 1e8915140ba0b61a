// A cold blob streamed to its client from the growing spool file, at the client's own pace.
// The upstream fetch writes the spool at upstream speed and never waits for a socket, so a
// slow (or stalled) client cannot hold the fetch, nor every other client waiting for the same
// blob, until the fetch deadline. Memory stays bounded: the client takes one chunk at a time
// from disk, and the next is read only once the socket has drained the last. The final byte
// is held back until the blob is verified (and committed): a blob that fails ends in a dropped
// connection, never in a complete answer. The last bytes written are also kept in memory: a
// client that keeps up (the usual case) takes them from there, without reading the spool back
// (a thread-pool read and a fresh buffer per chunk, which showed in a cold fill's profile).
import type { SpoolReader } from './blob-spool.ts';
import type { CachePolicy, ClientStream } from './module-answer.ts';

const chunkBytes = 256 << 10;
/**
 * At most this many of the last bytes written stay in memory for the client (about two of the
 * reader's chunks): a client further behind reads the spool, so memory stays bounded per fetch.
 */
const recentBytes = 512 << 10;

/** How far the fetch has come: bytes on disk, then verified (the whole blob) or failed. */
export class SpoolProgress {
  #available = 0;
  #state: 'growing' | 'verified' | 'failed' = 'growing';
  #wake: Array<() => void> = [];
  /** The last chunks written, in order, ending at #available; #recentFrom is where the first starts. */
  #recent: Buffer[] = [];
  #recentFrom = 0;
  #recentSize = 0;

  get available(): number {
    return this.#available;
  }

  get state(): 'growing' | 'verified' | 'failed' {
    return this.#state;
  }

  /**
   * The spool now holds `bytes`; `written`, if given, are the last of them (the chunk just
   * written, not to be changed afterwards): kept for a client that takes them soon.
   */
  grow(bytes: number, written?: Buffer): void {
    if (written && written.length > 0 && bytes - written.length === this.#available) {
      this.#recent.push(written);
      this.#recentSize += written.length;
      while (this.#recentSize - this.#recent[0]!.length >= recentBytes) {
        const dropped = this.#recent.shift()!;
        this.#recentSize -= dropped.length;
        this.#recentFrom += dropped.length;
      }
    } else {
      // Bytes came that are not held here: nothing before them is either.
      this.#recent = [];
      this.#recentSize = 0;
      this.#recentFrom = bytes;
    }
    this.#available = bytes;
    this.#notify();
  }

  /** The bytes from `position` on (up to `limit`) if they are still in memory, else null. */
  recent(position: number, limit: number): Buffer | null {
    if (position < this.#recentFrom || position >= limit) return null;
    let start = this.#recentFrom;
    for (const chunk of this.#recent) {
      const end = start + chunk.length;
      if (position < end) return chunk.subarray(position - start, Math.min(end, limit) - start);
      start = end;
    }
    return null;
  }

  verified(): void {
    this.#state = 'verified';
    this.#notify();
  }

  failed(): void {
    if (this.#state === 'growing') this.#state = 'failed';
    this.#notify();
  }

  /** Resolves at the next change (take it in the same tick as the check it follows). */
  changed(): Promise<void> {
    return new Promise((resolve) => this.#wake.push(resolve));
  }

  #notify(): void {
    const waiting = this.#wake;
    this.#wake = [];
    for (const wake of waiting) wake();
  }
}

export type StreamHead = {
  contentType: string;
  source: 'upstream' | 'direct';
  cache: CachePolicy;
  notStored: boolean;
};

/**
 * Streams `size` bytes from the spool to `client` as they arrive. Resolves to true when it
 * took the answer (headers sent: it completed or was aborted), false when the fetch failed
 * before any byte arrived (the caller answers with the error).
 */
export async function streamFromSpool(
  client: ClientStream,
  reader: SpoolReader,
  progress: SpoolProgress,
  size: number,
  head: () => StreamHead,
): Promise<boolean> {
  let started = false;
  let sent = 0;
  try {
    for (;;) {
      if (progress.state === 'failed') {
        if (started) client.abort();
        return started;
      }
      // Until verified, the last byte stays back.
      const limit = progress.state === 'verified' ? size : Math.min(progress.available, size - 1);
      if (sent >= limit) {
        if (sent === size) {
          await client.end(null);
          return true;
        }
        await progress.changed();
        continue;
      }
      if (!started) {
        const { contentType, source, cache, notStored } = head();
        client.start(size, contentType, source, cache, notStored);
        started = true;
      }
      if (client.gone) return true;
      const kept = progress.recent(sent, limit);
      if (kept) {
        await client.write(kept);
        sent += kept.length;
        continue;
      }
      // A fresh buffer per chunk: the socket may hold on to it after write() returns.
      const chunk = Buffer.allocUnsafe(Math.min(chunkBytes, limit - sent));
      const n = await reader.read(chunk, sent, chunk.length);
      if (n <= 0) throw new Error(`spool shorter than the ${limit} bytes written`);
      await client.write(n === chunk.length ? chunk : chunk.subarray(0, n));
      sent += n;
    }
  } catch {
    if (started) client.abort();
    return started;
  } finally {
    await reader.close();
  }
}
