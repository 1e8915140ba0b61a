// @actions/core writes its log (core.debug as `::debug::` lines, core.info, masks) and
// @actions/exec its `[command]` lines straight to process.stdout: for a test that calls the
// @actions packages in-process that is hundreds of lines of noise per run. Tests show
// failures, not noise: the text is held back and printed (on stderr) only if the test fails.
// Only string writes are held: the test runner's own channel writes buffers.

/**
 * Runs fn with the @actions packages' stdout text held back; prints it if fn throws. fn may read
 * what was held so far (`output()`), to check a line the code under test logged.
 */
export async function quietActionsOutput<T>(fn: (output: () => string) => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  const held: string[] = [];
  process.stdout.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    if (typeof chunk !== 'string')
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    held.push(chunk);
    (rest.find((arg) => typeof arg === 'function') as (() => void) | undefined)?.();
    return true;
  } as typeof process.stdout.write;
  try {
    return await fn(() => held.join(''));
  } catch (err) {
    process.stderr.write(`--- output of the @actions packages during the failed test ---\n${held.join('')}`);
    throw err;
  } finally {
    process.stdout.write = write;
  }
}
