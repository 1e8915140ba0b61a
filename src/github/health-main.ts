// The health action (health/action.yml): inputs to options, the snapshot to a job summary,
// annotations and outputs; the previous run's snapshot comes from (and this one goes to) the
// Actions cache, so each run is compared with the last on the same ref.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { readHealthInputs, runHealth } from '../health/run-health.ts';
import { cacheAccess } from './cache-access.ts';

function positive(name: string, fallback: number): number {
  const raw = core.getInput(name);
  if (raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`input ${name}: '${raw}' is not a whole number >= 1`);
  return n;
}

/** Cache keys per ref: a run compares with the newest snapshot of its branch, else of any. */
function cacheKeys(env: NodeJS.ProcessEnv): { key: string; restoreKeys: string[] } {
  const ref = (env.GITHUB_REF ?? 'unknown').replace(/[^A-Za-z0-9._/-]/g, '_');
  const prefix = `goproxy-health-${ref}-`;
  return {
    key: `${prefix}${env.GITHUB_RUN_ID ?? Date.now()}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`,
    restoreKeys: [prefix, 'goproxy-health-'],
  };
}

async function main(): Promise<void> {
  const env = process.env;
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const dir = resolve(workspace, core.getInput('working-directory') || '.');
  const temp = join(env.RUNNER_TEMP ?? workspace, 'goproxy-health');
  await mkdir(temp, { recursive: true });
  const snapshotFile = join(temp, 'health.json');
  // The cache entry's version hashes its paths: a directory in the workspace has the same
  // relative path on every runner (RUNNER_TEMP need not), as in the GitLab component.
  const baselineDir = join(workspace, '.goproxy-health');
  const baselineFile = join(baselineDir, 'health.json');
  const access = cacheAccess(env);
  // Outside a runner with a cache service there is nothing to restore from.
  const useCache =
    core.getBooleanInput('baseline-cache') &&
    (env.ACTIONS_CACHE_URL !== undefined || env.ACTIONS_RESULTS_URL !== undefined);
  const keys = cacheKeys(env);

  const inputs = await readHealthInputs({
    dir,
    proxy: core.getInput('proxy-url') || undefined,
    readyFile: core.getInput('ready-file') || undefined,
    policy: core.getInput('policy-file') ? resolve(workspace, core.getInput('policy-file')) : undefined,
    vulnDb: core.getInput('vuln-db') || undefined,
    failOn: core.getInput('fail-on'),
    concurrency: positive('concurrency', 16),
    timeoutMs: positive('timeout-ms', 30_000),
    useGo: true,
    newerMajors: true,
    env,
  });

  let baseline: { text: string; source: string } | null = null;
  const baselinePath = core.getInput('baseline');
  if (baselinePath) {
    const file = resolve(workspace, baselinePath);
    if (existsSync(file)) baseline = { text: await readFile(file, 'utf8'), source: baselinePath };
    else core.info(`No baseline at ${baselinePath}: nothing to compare with.`);
  } else if (useCache && access.read) {
    const cache = await import('@actions/cache');
    const hit = await cache.restoreCache([baselineDir], keys.key, keys.restoreKeys).catch((err: Error) => {
      core.warning(`Could not restore the baseline snapshot from the cache: ${err.message}`);
      return undefined;
    });
    if (hit && existsSync(baselineFile)) {
      baseline = { text: await readFile(baselineFile, 'utf8'), source: `cache ${hit}` };
      core.info(`Baseline: the snapshot cached as ${hit}.`);
    } else core.info('No cached baseline snapshot (first run on this ref?): nothing to compare with.');
  }

  const result = await runHealth(inputs, {
    baseline,
    outputs: {
      json: snapshotFile,
      junit: core.getInput('junit-file') ? resolve(workspace, core.getInput('junit-file')) : undefined,
      codequality: undefined,
    },
    progress: process.stdout,
  });
  process.stdout.write(result.text);
  if (core.getBooleanInput('annotations')) process.stdout.write(result.annotations);
  await core.summary.addRaw(result.markdown).write();

  if (useCache && access.write) {
    // The next run's baseline: this snapshot under a fresh key (cache entries are immutable).
    await mkdir(baselineDir, { recursive: true });
    await writeFile(baselineFile, await readFile(snapshotFile));
    const cache = await import('@actions/cache');
    await cache.saveCache([baselineDir], keys.key).catch((err: Error) => {
      core.warning(`Could not save the snapshot to the cache: ${err.message}`);
    });
  }

  const s = result.snapshot.summary;
  core.setOutput('snapshot', snapshotFile);
  core.setOutput('modules', String(s.modules));
  core.setOutput('retracted', String(s.retracted));
  core.setOutput('deprecated', String(s.deprecated));
  core.setOutput('vulnerable', String(s.vulnerable));
  core.setOutput('denied', String(s.denied));
  core.setOutput('outdated', String(s.outdated));
  core.setOutput('failures', String(result.failures.length));
  if (result.failures.length > 0) {
    core.setFailed(`fail-on: ${result.failures.length} finding(s):\n${result.failures.join('\n')}`);
  }
}

main().catch((err: unknown) => core.setFailed(err instanceof Error ? err.message : String(err)));
