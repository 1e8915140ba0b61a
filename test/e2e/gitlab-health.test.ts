// The health component under gitlab-ci-local at HEAD's SHA: its job bootstraps the CLI and runs
// `goproxy-action health`, leaving JUnit and code quality reports and the snapshot; the second
// pipeline compares with the first through the GitLab cache; fail-on fails the job.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { startFixtureProxy } from '../support/fixture-proxy.ts';
import { buildCliFromWorkingTree, createComponentProject } from '../support/gitlab-ci-local.ts';
import { makeTempDir, sharedGoCache } from '../support/go-env.ts';
import { createHealthWorld, healthModuleCount, healthRoles as r } from '../support/health-fixtures.ts';

function goVariables(goproxy: string): Record<string, string> {
  const home = makeTempDir('health-home');
  return {
    HOME: home,
    GOENV: 'off',
    GOFLAGS: '-modcacherw',
    GOMODCACHE: makeTempDir('health-gomodcache'),
    GOCACHE: sharedGoCache,
    GOPATH: join(home, 'go'),
    GOTOOLCHAIN: 'local',
    GOPROXY: goproxy,
    GOSUMDB: 'off',
    GOPRIVATE: '',
    GONOPROXY: '',
    GONOSUMDB: '',
    GOINSECURE: '',
    GOWORK: 'off',
  };
}

function findFile(root: string, name: string): string | undefined {
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true }))
    if (entry.isFile() && entry.name === name) return join(entry.parentPath, entry.name);
  return undefined;
}

test('gitlab health component: reports, a baseline from the cache, fail-on', {
  timeout: 400_000,
}, async (t) => {
  const world = await createHealthWorld();
  const upstream = await startFixtureProxy({ dir: world.dir });
  const project = await createComponentProject({ cliBundle: await buildCliFromWorkingTree() });
  t.after(async () => {
    await upstream.close();
    await world.remove();
    await project.remove();
  });
  for (const file of ['go.mod', 'go.sum', 'main.go', '.goproxy.yml'])
    await project.writeFile(join('program', file), await readFile(join(world.program, file), 'utf8'));
  const sha = await project.commit('fixture program');
  const pipeline = (failOn: string) => `include:
  - component: ${project.componentRef('health', sha)}
    inputs:
      cli: node dist/cli.js
      dir: program
      vuln-db: ${world.vulnDbUrl}
      fail-on: ${JSON.stringify(failOn)}
      job-name: module-health
      stage: build

# The job's go command settings: never the machine's.
module-health:
  variables:
${Object.entries(goVariables(upstream.url))
  .map(([name, value]) => `    ${name}: ${JSON.stringify(value)}`)
  .join('\n')}
`;

  await project.writePipeline(pipeline('deprecated'));
  const first = await project.run(['--force-shell-executor']);
  assert.notEqual(first.code, 0, first.output);
  assert.match(first.output, /fail-on: example\.com\/health\/deprecated@v1\.0\.0 is deprecated/);
  assert.match(first.output, new RegExp(`health: ${healthModuleCount} modules \\(go-list\\)`));
  const artifacts = join(project.dir, '.gitlab-ci-local', 'artifacts', 'module-health');
  const junitFile = findFile(artifacts, 'goproxy-health-junit.xml');
  assert.ok(junitFile, 'the JUnit report is an artifact although the job failed');
  const xml = await readFile(junitFile, 'utf8');
  assert.equal(XMLValidator.validate(xml), true);
  const suite = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml).testsuites
    .testsuite;
  assert.equal(Number(suite.tests), healthModuleCount);
  const cqFile = findFile(artifacts, 'gl-code-quality-report.json');
  assert.ok(cqFile);
  const issues = JSON.parse(await readFile(cqFile, 'utf8')) as { location: { path: string } }[];
  assert.ok(issues.length > 0);
  // Paths relative to the workspace dir given (program/), as the snapshot records them.
  for (const issue of issues) assert.equal(issue.location.path, 'go.mod');

  await project.writePipeline(pipeline(''));
  const second = await project.run(['--force-shell-executor']);
  assert.equal(second.code, 0, second.output);
  assert.match(
    second.output,
    /since baseline: 0 added, 0 removed, 0 upgraded, 0 downgraded, 0 newly vulnerable/,
  );
  assert.match(
    second.output,
    new RegExp(`${r.vulnerable.path.replaceAll('.', '\\.')}@v1\\.0\\.0: GO-2024-0001`),
  );
});
