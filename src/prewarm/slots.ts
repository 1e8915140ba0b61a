// A counting semaphore: at most `size` holders at once. Waiters are served in the order they
// asked, so a prewarm asks the proxy in its plan's order however many tasks wait, unless a waiter
// gives a rank: a freed slot then goes to the lowest rank, read at that moment (so a rank can
// follow what the run has learnt meanwhile), first come first served among equals.
type Waiter = { wake: () => void; rank: (() => number) | undefined };

export class Slots {
  readonly size: number;
  #free: number;
  readonly #waiting: Waiter[] = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`slots: size must be a positive integer, not ${size}`);
    this.size = size;
    this.#free = size;
  }

  /**
   * Waits for a slot; the returned function gives it back (once; later calls do nothing).
   * `rank`: lower goes first, never below 0 (a waiter without one ranks 0).
   */
  async acquire(signal?: AbortSignal, rank?: () => number): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.#free > 0) this.#free--;
    else {
      await new Promise<void>((done, fail) => {
        const waiter: Waiter = {
          wake: () => {
            signal?.removeEventListener('abort', onAbort);
            done();
          },
          rank,
        };
        const onAbort = () => {
          const at = this.#waiting.indexOf(waiter);
          if (at >= 0) this.#waiting.splice(at, 1);
          fail(signal?.reason);
        };
        this.#waiting.push(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The slot passes straight to the next waiter: it never becomes free in between.
      const next = this.#takeNext();
      if (next) next.wake();
      else this.#free++;
    };
  }

  /** The first waiter, or with ranks the lowest-ranked one (earliest among equals). */
  #takeNext(): Waiter | undefined {
    if (this.#waiting.length === 0) return undefined;
    // Ranks are never below 0, so an unranked head (rank 0, first come) wins without a scan:
    // a prewarm queues its whole plan at once, and a scan per freed lane is quadratic in it.
    if (!this.#waiting[0]!.rank) return this.#waiting.shift();
    let best = 0;
    let bestRank = Number.POSITIVE_INFINITY;
    for (const [at, waiter] of this.#waiting.entries()) {
      const rank = waiter.rank?.() ?? 0;
      // The queue is in arrival order: a later waiter wins only with a strictly lower rank.
      if (rank < bestRank) {
        bestRank = rank;
        best = at;
        if (rank <= 0) break; // nothing ranks lower
      }
    }
    return this.#waiting.splice(best, 1)[0];
  }

  /** Runs `work` in a slot. */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await work();
    } finally {
      release();
    }
  }
}
