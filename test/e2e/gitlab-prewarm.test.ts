// The prewarm component (templates/prewarm.yml) under gitlab-ci-local at HEAD's SHA, in the
// shell: one job warms the project's dependencies from its go.sum, one the project's own module
// at $CI_COMMIT_TAG, both into real goproxy/goproxy; both keep their reports as artifacts, and
// goproxy then serves everything with its upstream switched off.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PrewarmReport } from '../../src/prewarm/prewarm-report.ts';
import { startAnchorProxy } from '../support/anchor-proxies.ts';
import { writeFixtureModules } from '../support/fixture-modules.ts';
import { startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld } from '../support/fixture-world.ts';
import { buildCliFromWorkingTree, createComponentProject } from '../support/gitlab-ci-local.ts';
import { goEnv, makeTempDir, runGo, sharedGoCache } from '../support/go-env.ts';

function jobVariables(extra: Record<string, string> = {}): string {
  const home = makeTempDir('gl-prewarm-home');
  const vars: Record<string, string> = {
    HOME: home,
    GOENV: 'off',
    GOFLAGS: '-modcacherw',
    GOCACHE: sharedGoCache,
    GOTOOLCHAIN: 'local',
    GOPRIVATE: '',
    GONOPROXY: '',
    GONOSUMDB: '',
    GOSUMDB: 'off',
    ...extra,
  };
  return Object.entries(vars)
    .map(([name, value]) => `    ${name}: ${JSON.stringify(value)}`)
    .join('\n');
}

function reportsUnder(root: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true }))
    if (entry.isFile() && entry.name === 'goproxy-prewarm.json')
      found.push(join(entry.parentPath, entry.name));
  return found.sort();
}

test('gitlab prewarm component: dependencies and the tagged module warmed into real goproxy', {
  timeout: 300_000,
}, async (t) => {
  const world = await createFixtureWorld();
  await writeFixtureModules(world.dir, [
    {
      path: 'example.com/released/v2',
      version: 'v2.0.0',
      files: { 'released.go': 'package released\n\nconst V = 2\n' },
    },
  ]);
  const upstream = await startFixtureProxy({ dir: world.dir });
  const peer = await startAnchorProxy('goproxy', { upstream: upstream.url });
  const project = await createComponentProject({ cliBundle: await buildCliFromWorkingTree() });
  t.after(async () => {
    await peer.stop();
    await upstream.close().catch(() => {});
    await project.remove();
    await world.remove();
  });
  for (const file of ['go.mod', 'go.sum', 'main.go'])
    await project.writeFile(join('program', file), await readFile(join(world.program, file), 'utf8'));
  await project.writeFile('release/go.mod', 'module example.com/released/v2\n\ngo 1.21\n');
  const sha = await project.commit('program and released module');
  await project.writePipeline(`include:
  - component: ${project.componentRef('prewarm', sha)}
    inputs:
      job-name: warm-deps
      cli: node dist/cli.js
      proxy-url: ${peer.url}
      files: program/go.sum
      concurrency: 4
  - component: ${project.componentRef('prewarm', sha)}
    inputs:
      job-name: warm-release
      cli: node dist/cli.js
      proxy-url: ${peer.url}
      tag: true

warm-deps:
  variables:
${jobVariables()}

# A tag pipeline of the module in release/ (a sub-directory module tag).
warm-release:
  variables:
${jobVariables({ CI_COMMIT_TAG: 'release/v2.0.0' })}
`);
  const preview = await project.preview();
  assert.equal(preview['warm-deps']?.stage, '.post');
  const result = await project.run(['--force-shell-executor']);
  assert.equal(result.code, 0, result.output);
  const reports = await Promise.all(
    reportsUnder(join(project.dir, '.gitlab-ci-local', 'artifacts')).map(
      async (f) => JSON.parse(await readFile(f, 'utf8')) as PrewarmReport,
    ),
  );
  assert.equal(reports.length, 2, result.output);
  const deps = reports.find((r) => r.totals.modules === world.requires.length);
  const release = reports.find((r) => r.totals.modules === 1);
  assert.equal(deps?.totals.failed, 0);
  assert.deepEqual(
    release?.modules.map((m) => `${m.module}@${m.version} ${m.sources.join()}`),
    ['example.com/released/v2@v2.0.0 tag release/v2.0.0'],
  );
  await upstream.close();
  const offline = await runGo(['mod', 'download', 'all'], world.program, goEnv({ goproxy: peer.url }));
  assert.equal(offline.code, 0, offline.stderr);
  const released = await runGo(
    ['mod', 'download', 'example.com/released/v2@v2.0.0'],
    makeTempDir('consumer'),
    goEnv({ goproxy: peer.url }),
  );
  assert.equal(released.code, 0, released.stderr);
});
