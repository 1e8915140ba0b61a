// The main step's one `go env`: the store's setup (either mode), the build cache and the module
// tree each need a few of the go command's settings, and each ran `go env` for them, at the
// same time (three go processes, 60 to 77 ms of wall time on a 2-core runner against about
// 25 ms for one). One call for the union of their variables serves all three: they ran it
// with the same environment (the step's, unchanged until the exports at its end) from the same
// directory (the workspace), and `go env` prints a variable's value whatever else is asked.
// Not served from it: the environment check (environment-check.ts) runs `go env` after the
// exports, with the job's new environment, on purpose.
import { BUILD_CACHE_GO_NAMES } from '../buildcache/build-cache-key.ts';
import { readGoEnv } from '../gomod/read-go-env.ts';
import { GO_SETTING_NAMES } from '../policy/job-go-env.ts';
import { TREE_GO_NAMES } from './mod-tree-step.ts';

/** Every variable a setup of the main step reads. */
export const STEP_GO_ENV_NAMES = [
  ...new Set([...GO_SETTING_NAMES, ...BUILD_CACHE_GO_NAMES, ...TREE_GO_NAMES]),
];

export type StepGoEnv = Record<(typeof STEP_GO_ENV_NAMES)[number], string>;

/**
 * Starts the one `go env` (no go command, or one that fails: the same error as each setup's
 * own call gave, from whichever setup awaits it first). Observed here, so a setup that fails
 * before it awaits the result leaves no unhandled rejection.
 */
export function readStepGoEnv(env: NodeJS.ProcessEnv): Promise<StepGoEnv> {
  const read = readGoEnv(STEP_GO_ENV_NAMES, { env });
  read.catch(() => undefined);
  return read;
}
