// A counting semaphore with a FIFO queue: at most `size` holders at once, waiters served in the
// order they asked, so a prewarm asks the proxy in its plan's order however many tasks wait.
export class Slots {
  readonly size: number;
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`slots: size must be a positive integer, not ${size}`);
    this.size = size;
    this.#free = size;
  }

  /** Waits for a slot; the returned function gives it back (once; later calls do nothing). */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.#free > 0) this.#free--;
    else {
      await new Promise<void>((done, fail) => {
        const wake = () => {
          signal?.removeEventListener('abort', onAbort);
          done();
        };
        const onAbort = () => {
          const at = this.#waiting.indexOf(wake);
          if (at >= 0) this.#waiting.splice(at, 1);
          fail(signal?.reason);
        };
        this.#waiting.push(wake);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The slot passes straight to the first waiter: it never becomes free in between.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    };
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
