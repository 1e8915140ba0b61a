// One job of the bundled action on a fresh runner, as the GitHub cache tests run several in a row
// against one fixture world and one cache-service stand-in: no store left in the workspace, an
// empty module cache at the same path every time (the go command's action IDs include a
// package's directory, so the build cache is only reusable at a fixed path), a new RUNNER_TEMP.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type ActionRun, killLeftoverProxy, newJob } from './action-runner.ts';
import type { CacheService } from './cache-service.ts';
import type { FixtureWorld } from './fixture-world.ts';
import { goEnv, neverAskedSumdb } from './go-env.ts';

export type FreshRunner = {
  distDir: string;
  world: FixtureWorld;
  /** The job's GOPROXY before the action runs (the action's upstream). */
  upstreamUrl: string;
  service: CacheService;
};

export type FreshRunnerJob<T> = {
  /** The main step alone (its stdout, stderr, exports). */
  main: ActionRun;
  /** Main and post. */
  run: ActionRun;
  /** Post's stdout. */
  post: string;
  /** What the job's own steps returned. */
  steps: T;
};

/**
 * Main, then `steps` with the job's go environment (the runner's plus what main exported), then
 * post; main and post must succeed. A proxy that post left running is ended either way.
 */
export async function runFreshRunnerJob<T>(
  runner: FreshRunner,
  options: { inputs?: Record<string, string>; env?: Record<string, string> },
  steps: (env: Record<string, string>) => Promise<T>,
): Promise<FreshRunnerJob<T>> {
  const { world } = runner;
  await rm(join(world.program, '.goproxy-action'), { recursive: true, force: true });
  const modcache = join(world.root, 'runner-gomodcache');
  await rm(modcache, { recursive: true, force: true });
  const runnerEnv = {
    ...goEnv({ goproxy: runner.upstreamUrl, gosumdb: neverAskedSumdb, gomodcache: modcache }),
    ...runner.service.envV2(),
    ...options.env,
  };
  const job = await newJob({
    distDir: runner.distDir,
    env: runnerEnv,
    inputs: options.inputs ?? {},
    workspace: world.program,
  });
  const main = await job.runMain();
  try {
    assert.equal(main.main.code, 0, `main failed:\n${main.main.stdout}\n${main.main.stderr}`);
    const result = await steps({ ...runnerEnv, ...main.exported });
    const done = await job.runPost(main);
    assert.equal(done.post?.code, 0, `post failed:\n${done.post?.stdout}\n${done.post?.stderr}`);
    await rm(job.runner.runnerTemp, { recursive: true, force: true });
    return { main, run: done, post: done.post?.stdout ?? '', steps: result };
  } finally {
    killLeftoverProxy(main);
  }
}
