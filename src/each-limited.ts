// A bounded number of async jobs at a time, over a list.

/** Runs `work` over `list` with at most `limit` at a time. */
export async function eachLimited<T>(
  list: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const item = list[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, list.length)) }, worker));
}
