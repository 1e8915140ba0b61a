// A Map bounded by entry count, least recently used out first. For memory that hostile input
// could otherwise grow for the life of the process (one entry per distinct thing a client asks
// for); an evicted entry must be cheap and safe to compute again.

export class LruMap<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #max: number;

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new Error(`LruMap: max must be a positive integer, not ${max}`);
    this.#max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The value, marked most recently used. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      // Map order is insertion order: re-inserting makes it the last to go.
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value as K);
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
