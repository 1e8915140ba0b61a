// health/action.yml under the runner harness: the bundled action with INPUT_* variables and the
// runner's file commands; job summary, annotations, outputs and a failing fail-on.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { buildActionBundles, newJob } from '../support/action-runner.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { goEnv, makeTempDir } from '../support/go-env.ts';
import { createHealthWorld, type HealthWorld, healthRoles as r } from '../support/health-fixtures.ts';

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
  assert.equal(run.outputs.modules, '11');
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
