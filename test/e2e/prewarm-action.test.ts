// The prewarm action (prewarm/action.yml -> dist/prewarm-main.js), bundled from the working tree
// and run as a runner runs it: inputs as INPUT_*, outputs, the job summary.
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { buildActionBundles, newJob } from '../support/action-runner.ts';
import { startAnchorProxy } from '../support/anchor-proxies.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld, type FixtureWorld } from '../support/fixture-world.ts';
import { projectRoot } from '../support/gitlab-ci-local.ts';
import { goEnv, makeTempDir, runGo } from '../support/go-env.ts';

let world: FixtureWorld;
let upstream: FixtureProxy;
let distDir = '';

before(async () => {
  const built = await buildActionBundles();
  // The harness runs <dist>/main.js: point it at the prewarm action's entry point.
  distDir = makeTempDir('prewarm-dist');
  await writeFile(join(distDir, 'main.js'), `import ${JSON.stringify(join(built, 'prewarm-main.js'))};\n`);
  world = await createFixtureWorld();
  upstream = await startFixtureProxy({ dir: world.dir });
});
after(async () => {
  await upstream?.close();
  await world?.remove();
});

test('prewarm/action.yml runs the bundled prewarm entry on node24 and declares the inputs it reads', async () => {
  const action = parseYaml(await readFile(join(projectRoot, 'prewarm', 'action.yml'), 'utf8')) as {
    runs: { using: string; main: string };
    inputs: Record<string, { required?: boolean }>;
  };
  assert.equal(action.runs.using, 'node24');
  assert.equal(action.runs.main, '../dist/prewarm-main.js');
  const source = await readFile(join(projectRoot, 'src', 'github', 'prewarm-inputs.ts'), 'utf8');
  const read = [
    ...source.matchAll(/read\(\s*'([a-z-]+)'/g),
    ...source.matchAll(/(?:bool|int|dur)\(read, '([a-z-]+)'/g),
  ].map((m) => m[1]);
  for (const name of new Set(read)) assert.ok(name && name in action.inputs, `input ${name} is declared`);
  assert.equal(action.inputs['proxy-url']?.required, true);
});

test('the action warms real goproxy: outputs, job summary, report file; goproxy then serves the program offline', async () => {
  const peer = await startAnchorProxy('goproxy', { upstream: upstream.url });
  try {
    const runnerEnv = goEnv({ goproxy: 'off' });
    const job = await newJob({
      distDir,
      env: runnerEnv,
      inputs: {
        'proxy-url': peer.url,
        files: 'go.sum',
        'proxy-username': 'ci',
        'proxy-password': 'action-secret-password-42',
      },
      workspace: world.program,
    });
    const run = await job.runMain();
    assert.equal(run.main.code, 0, run.main.stdout + run.main.stderr);
    assert.equal(run.outputs.failed, '0');
    assert.equal(Number(run.outputs.warmed) + Number(run.outputs['already-warm']), world.requires.length);
    const report = JSON.parse(await readFile(run.outputs['report-file'] ?? '', 'utf8')) as {
      totals: { modules: number };
    };
    assert.equal(report.totals.modules, world.requires.length);
    const summary = await readFile(job.runner.files.GITHUB_STEP_SUMMARY ?? '', 'utf8');
    assert.match(summary, /^## goproxy prewarm: ok$/m);
    // The password was masked, and its netrc file removed with its directory.
    assert.match(run.main.stdout, /::add-mask::action-secret-password-42/);
    assert.equal(run.main.stdout.split('action-secret-password-42').length, 2);
    assert.deepEqual(
      (await readdir(job.runner.runnerTemp)).filter((f) => f.startsWith('goproxy-action-credentials-')),
      [],
    );
    await upstream.close();
    const offline = await runGo(['mod', 'download', 'all'], world.program, goEnv({ goproxy: peer.url }));
    assert.equal(offline.code, 0, offline.stderr);
  } finally {
    await peer.stop();
  }
});

test('a checksum mismatch fails the step with an annotation and the summary says so', async () => {
  const proxy = await startFixtureProxy({ dir: world.dir });
  try {
    proxy.setFault((p) => p === '/example.com/lib/@v/v1.5.0.zip', { kind: 'corrupt' });
    const job = await newJob({
      distDir,
      env: goEnv({ goproxy: 'off' }),
      inputs: { 'proxy-url': proxy.url },
      workspace: world.program,
    });
    const run = await job.runMain();
    assert.equal(run.main.code, 1);
    assert.match(
      run.main.stdout,
      /::error title=checksum mismatch::example\.com\/lib@v1\.5\.0: zip: CHECKSUM MISMATCH/,
    );
    assert.match(
      run.main.stdout,
      /::error::goproxy-action prewarm: 1 module version\(s\) failed, 1 with a CHECKSUM MISMATCH/,
    );
    assert.equal(run.outputs.failed, '1');
    const summary = await readFile(job.runner.files.GITHUB_STEP_SUMMARY ?? '', 'utf8');
    assert.match(summary, /^## goproxy prewarm: failures$/m);
    // allow-failures reports without failing.
    const lenient = await newJob({
      distDir,
      env: goEnv({ goproxy: 'off' }),
      inputs: { 'proxy-url': proxy.url, 'allow-failures': 'true' },
      workspace: world.program,
    });
    assert.equal((await lenient.runMain()).main.code, 0);
    const bad = await newJob({
      distDir,
      env: goEnv({ goproxy: 'off' }),
      inputs: { 'proxy-url': proxy.url, concurrency: 'many' },
      workspace: world.program,
    });
    const badRun = await bad.runMain();
    assert.equal(badRun.main.code, 1);
    assert.match(
      badRun.main.stdout,
      /::error::input 'concurrency' must be a whole number of 1 or more, not 'many'/,
    );
  } finally {
    await proxy.close();
  }
});
