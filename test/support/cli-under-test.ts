// Which CLI the end-to-end tests run, and on which Node: by default the sources (src/cli.ts)
// on the test runner's own Node. scripts/test.sh runs the CLI's tests again with the built
// bundle on every other Node line the CLI supports (22, 26):
//   GOPROXY_ACTION_TEST_CLI=dist/cli.js GOPROXY_ACTION_TEST_NODE=.tools/node22/bin/node
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/** The CLI script: GOPROXY_ACTION_TEST_CLI (relative to the project) or src/cli.ts. */
export const cliScript = process.env.GOPROXY_ACTION_TEST_CLI
  ? resolve(root, process.env.GOPROXY_ACTION_TEST_CLI)
  : join(root, 'src', 'cli.ts');

/** The node binary that runs it: GOPROXY_ACTION_TEST_NODE or the test runner's own. */
export const cliNode = process.env.GOPROXY_ACTION_TEST_NODE
  ? resolve(root, process.env.GOPROXY_ACTION_TEST_NODE)
  : process.execPath;

/** Runs the CLI under test to its end; a non-zero exit is a result, not an exception. */
export async function runCliUnderTest(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return await new Promise((resolvePromise) => {
    execFile(cliNode, [cliScript, ...args], { env, cwd }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolvePromise({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
