// health/action.yml under the runner harness: the bundled action with INPUT_* variables and the
// runner's file commands; job summary, annotations, outputs and a failing fail-on.
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { buildActionBundles, newJob } from '../support/action-runner.ts';
import { startCacheService } from '../support/cache-service.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { goEnv, makeTempDir } from '../support/go-env.ts';
import {
  createHealthWorld,
  type HealthWorld,
  healthModuleCount,
  healthRoles as r,
} from '../support/health-fixtures.ts';

let world: HealthWorld;
let upstream: FixtureProxy;
let distDir: string;

before(async () => {
  world = await createHealthWorld();
  upstream = await startFixtureProxy({ dir: world.dir });
  const built = await buildActionBundles();
  // The harness runs <distDir>/main.js: point it at the health bundle.
  distDir = makeTempDir('health-dist');
  await writeFile(join(distDir, 'main.js'), `import ${JSON.stringify(join(built, 'health.js'))};\n`);
});

after(async () => {
  await upstream?.close();
  await world?.remove();
});

test('health/action.yml declares a node24 action running the health bundle', async () => {
  const action = parse(await readFile(join(import.meta.dirname, '../../health/action.yml'), 'utf8'));
  assert.equal(action.runs.using, 'node24');
  assert.equal(action.runs.main, '../dist/health.js');
  for (const input of ['proxy-url', 'vuln-db', 'fail-on', 'baseline', 'policy-file'])
    assert.ok(action.inputs[input], input);
});

test('the action writes the job summary, annotates go.mod lines, sets outputs and fails on fail-on', async () => {
  const job = await newJob({
    env: goEnv({ goproxy: upstream.url }),
    inputs: {
      'working-directory': '.',
      'proxy-url': upstream.url,
      'vuln-db': world.vulnDbUrl,
      'fail-on': 'vuln',
      'baseline-cache': 'true',
      annotations: 'true',
    },
    workspace: world.program,
    distDir,
  });
  const run = await job.runMain();
  assert.equal(run.main.code, 1, run.main.stderr);
  assert.match(
    run.main.stdout,
    /::error::fail-on: 1 finding\(s\):%0Aexample\.com\/health\/vulny@v1\.0\.0 is affected by GO-2024-0001/,
  );
  assert.ok(
    run.main.stdout.includes(
      `::error file=go.mod,line=${world.lines[r.vulnerable.path]},title=module vuln::`,
    ),
    run.main.stdout,
  );
  assert.equal(run.outputs.modules, String(healthModuleCount));
  assert.equal(run.outputs.retracted, '2');
  assert.equal(run.outputs.vulnerable, '1');
  assert.equal(run.outputs.failures, '1');
  const snapshot = JSON.parse(await readFile(run.outputs.snapshot ?? '', 'utf8'));
  assert.equal(snapshot.summary.deprecated, 1);
  const summary = await readFile(job.runner.files.GITHUB_STEP_SUMMARY as string, 'utf8');
  assert.match(summary, /<!-- goproxy-action:health -->/);
  assert.match(summary, /GO-2024-0001/);
  // No cache service in this job: nothing restored, nothing saved, and it said so by not trying.
  assert.doesNotMatch(run.main.stdout, /Could not (restore|save)/);
});

test("the baseline: this run's snapshot saved to the Actions cache, the next run compares with it", async () => {
  const service = await startCacheService();
  try {
    const runJob = async (runId: string) => {
      const job = await newJob({
        env: { ...goEnv({ goproxy: upstream.url }), ...service.envLegacy(), GITHUB_RUN_ID: runId },
        inputs: { 'proxy-url': upstream.url, 'baseline-cache': 'true', annotations: 'false', 'fail-on': '' },
        workspace: world.program,
        distDir,
      });
      return { job, run: await job.runMain() };
    };
    const first = await runJob('1');
    assert.equal(first.run.main.code, 0, first.run.main.stderr + first.run.main.stdout);
    assert.match(first.run.main.stdout, /No cached baseline snapshot/);
    assert.deepEqual(
      service.entries.map((e) => e.key),
      ['goproxy-health-refs/heads/main-1-1'],
    );
    // A fresh runner: only the cache can bring the baseline back.
    await rm(join(world.program, '.goproxy-health'), { recursive: true, force: true });
    const second = await runJob('2');
    assert.equal(second.run.main.code, 0, second.run.main.stderr);
    assert.match(
      second.run.main.stdout,
      /Baseline: the snapshot cached as goproxy-health-refs\/heads\/main-1-1\./,
    );
    assert.match(
      second.run.main.stdout,
      /since baseline: 0 added, 0 removed, 0 upgraded, 0 downgraded, 0 newly vulnerable/,
    );
    const summary = await readFile(second.job.runner.files.GITHUB_STEP_SUMMARY as string, 'utf8');
    assert.match(summary, /### Since the baseline\n\nNo changes\./);
    assert.equal(service.entries.length, 2);
  } finally {
    await service.close();
  }
});
