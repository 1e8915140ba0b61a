// A cold blob streamed to its client from the growing spool file, at the client's own pace.
// The upstream fetch writes the spool at upstream speed and never waits for a socket, so a
// slow (or stalled) client cannot hold the fetch, nor every other client waiting for the same
// blob, until the fetch deadline. Memory stays bounded: the client takes one chunk at a time
// from disk, and the next is read only once the socket has drained the last. The final byte
// is held back until the blob is verified (and committed): a blob that fails ends in a dropped
// connection, never in a complete answer.
import type { SpoolReader } from './blob-spool.ts';
import type { CachePolicy, ClientStream } from './module-answer.ts';

const chunkBytes = 256 << 10;

/** How far the fetch has come: bytes on disk, then verified (the whole blob) or failed. */
export class SpoolProgress {
  #available = 0;
  #state: 'growing' | 'verified' | 'failed' = 'growing';
  #wake: Array<() => void> = [];

  get available(): number {
    return this.#available;
  }

  get state(): 'growing' | 'verified' | 'failed' {
    return this.#state;
  }

  grow(bytes: number): void {
    this.#available = bytes;
    this.#notify();
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
