// Zips fetched before their client asks. `go mod download` first lists the build list, asking
// each module's .info (a few at a time), and only then asks each one's .zip (a few at a time):
// a cold proxy would pay an upstream round trip, a download and a commit per zip, one module
// after another. The .info of an exact version queues its zip here; a few are fetched at once
// (through the same fetch, verification and commit as a client's), and the client's .zip
// request takes the result, or joins the fetch under way. `go list -m all` asks the same .info
// files and no zip: what such a client can cost is bounded by how many prefetched zips may wait
// unasked at once (`ahead`), not by the size of its build list.

export type ZipPrefetchOptions<R> = {
  /** Most prefetches downloading at once (a client's fetch never waits for one of these). */
  concurrency: number;
  /** Most prefetched zips (under way or done) no client has asked for yet. */
  ahead: number;
  /** A queued zip not started within this long, or a prefetched one unasked for this long, is forgotten. */
  ttlMs: number;
  /** Fetches the zip as a client's request would; null when skipped (refused, stored, not stored). */
  fetch: (module: string, version: string) => Promise<R | null>;
  /** A zip this prefetch fetched and stored; `asked`: a client then asked for it. */
  onPrefetched?: (event: 'stored' | 'asked') => void;
};

/** Most zips waiting to start: a client naming more .info files than this adds no more. */
const maxQueued = 4096;

type Started<R> = { work: Promise<R | null>; timer: NodeJS.Timeout };

export class ZipPrefetch<R> {
  readonly #o: ZipPrefetchOptions<R>;
  /** Waiting to start, oldest first, with the time each was queued. */
  readonly #queue = new Map<string, { module: string; version: string; at: number }>();
  /** Started and not yet asked for: under way, or done and stored. */
  readonly #started = new Map<string, Started<R>>();
  readonly #running = new Set<Promise<R | null>>();
  #closed = false;

  constructor(options: ZipPrefetchOptions<R>) {
    this.#o = options;
  }

  /** A client asked for this version's .info: its .zip may follow. */
  offer(module: string, version: string): void {
    const key = `${module}@${version}`;
    if (this.#closed || this.#queue.has(key) || this.#started.has(key)) return;
    if (this.#queue.size >= maxQueued) return;
    this.#queue.set(key, { module, version, at: Date.now() });
    this.#pump();
  }

  /**
   * A client asks for this zip: null when no prefetch of it was started (one still queued is
   * dropped: the client fetches it now, itself), else the prefetch's result once it is done
   * (null when it stored nothing). Synchronous when there is none: a warm hit pays no await.
   */
  claim(module: string, version: string): Promise<R | null> | null {
    if (this.#queue.size === 0 && this.#started.size === 0) return null;
    const key = `${module}@${version}`;
    if (this.#queue.delete(key)) return null;
    const entry = this.#started.get(key);
    if (!entry) return null;
    this.#forget(key, entry);
    return entry.work.then((result) => {
      if (result !== null) this.#o.onPrefetched?.('asked');
      return result;
    });
  }

  /** Waits for the prefetches under way. */
  async settle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  /** Starts no more; waits for those under way. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#queue.clear();
    for (const [key, entry] of this.#started) this.#forget(key, entry);
    await this.settle();
  }

  #forget(key: string, entry: Started<R>): void {
    if (this.#started.get(key) !== entry) return;
    this.#started.delete(key);
    clearTimeout(entry.timer);
    this.#pump();
  }

  #pump(): void {
    const { concurrency, ahead, ttlMs } = this.#o;
    while (!this.#closed && this.#running.size < concurrency && this.#started.size < ahead) {
      const next = this.#queue.entries().next();
      if (next.done) return;
      const [key, { module, version, at }] = next.value;
      this.#queue.delete(key);
      if (Date.now() - at > ttlMs) continue;
      const work = this.#o.fetch(module, version).catch(() => null);
      const entry: Started<R> = {
        work,
        // Never asked: forgotten, so it holds no place in `ahead` for good (the zip stays stored).
        timer: setTimeout(() => this.#forget(key, entry), ttlMs).unref(),
      };
      this.#started.set(key, entry);
      this.#running.add(work);
      void work.then((result) => {
        this.#running.delete(work);
        if (result === null) this.#forget(key, entry);
        else this.#o.onPrefetched?.('stored');
        this.#pump();
      });
    }
  }
}
