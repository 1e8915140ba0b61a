// The goproxy-check component under gitlab-ci-local: its job runs the policy check on the
// project, fails on a denied module (unless allow-failure), and leaves a code quality report
// that points at the go.mod/go.sum line of the denied module.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { createFixtureWorld } from '../support/fixture-world.ts';
import { buildCliFromWorkingTree, createComponentProject } from '../support/gitlab-ci-local.ts';
import { makeTempDir, sharedGoCache } from '../support/go-env.ts';

function goVariables(): Record<string, string> {
  const home = makeTempDir('check-home');
  return {
    HOME: home,
    GOENV: 'off',
    GOFLAGS: '-modcacherw',
    GOMODCACHE: makeTempDir('check-gomodcache'),
    GOCACHE: sharedGoCache,
    GOPATH: join(home, 'go'),
    GOTOOLCHAIN: 'local',
    GOPROXY: 'off',
    // A named database (not off, which the environment lint reports); nothing contacts it.
    GOSUMDB: 'sum.example.invalid',
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

test('gitlab check component: a denied module fails the job and lands in the code quality report', {
  timeout: 300_000,
}, async (t) => {
  const world = await createFixtureWorld();
  const project = await createComponentProject({ cliBundle: await buildCliFromWorkingTree() });
  t.after(async () => {
    await world.remove();
    await project.remove();
  });
  const denied = world.roles.retracted.path;
  // The check covers the whole checkout; here that is the fixture program and the policy.
  for (const file of ['go.mod', 'go.sum', 'main.go'])
    await project.writeFile(join('program', file), await readFile(join(world.program, file), 'utf8'));
  await project.writeFile(
    'ci/policy.yml',
    `deny:\n  - module: ${denied}\n    reason: "replaced by the in-house fork"\n`,
  );
  const sha = await project.commit('fixture program and policy');
  const pipeline = (allowFailure: boolean): string => `include:
  - component: ${project.componentRef('goproxy-check', sha)}
    inputs:
      # (relative: gitlab-ci-local's --force-shell-executor keeps a container's CI_PROJECT_DIR)
      cli: node dist/cli.js
      policy-file: ci/policy.yml
      job-name: module-policy
      stage: build
      allow-failure: ${allowFailure}

# The check reads the go command's settings with 'go env': never the machine's.
module-policy:
  variables:
${Object.entries(goVariables())
  .map(([name, value]) => `    ${name}: ${JSON.stringify(value)}`)
  .join('\n')}
`;

  await project.writePipeline(pipeline(false));
  // The job names an image (a container on GitLab); here it runs in the shell.
  const failing = await project.run(['--force-shell-executor']);
  assert.notEqual(failing.code, 0, failing.output);
  assert.match(failing.output, new RegExp(denied.replaceAll('.', '\\.')));
  // The job fails because of the denied module alone (its go.mod and go.sum lines).
  assert.match(failing.output, /: 2 errors, 0 warnings/);
  const reportFile = findFile(
    join(project.dir, '.gitlab-ci-local', 'artifacts', 'module-policy'),
    'gl-code-quality-report.json',
  );
  assert.ok(reportFile, 'the report is kept although the job failed (artifacts:when always)');
  const issues = JSON.parse(await readFile(reportFile, 'utf8')) as {
    description: string;
    severity: string;
    fingerprint: string;
    location: { path: string; lines: { begin: number } };
  }[];
  const about = issues.filter((i) => i.description.includes(denied));
  assert.ok(about.length > 0, JSON.stringify(issues, null, 2));
  for (const issue of about) {
    assert.match(issue.location.path, /^program\/go\.(mod|sum)$/);
    assert.ok(issue.location.lines.begin >= 1);
    assert.match(issue.fingerprint, /^\S+$/);
  }

  await project.writePipeline(pipeline(true));
  const allowed = await project.run(['--force-shell-executor']);
  assert.equal(allowed.code, 0, allowed.output);
  assert.match(allowed.output, /module-policy.*WARN/);
});
