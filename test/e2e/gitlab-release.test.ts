// The GitLab release pipeline (gitlab/release.gitlab-ci.yml) on a version tag, under
// gitlab-ci-local: npm-publish runs for real against a local registry (verdaccio), after
// which `npx goproxy-action@<version>` runs from a clean directory; the image build (no
// Docker here) and the catalog `release:` are rendered and checked, not run. The test job
// runs .ci/run, the whole suite this test is part of: rendered and checked here, run by CI.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { changelogNotes } from '../../scripts/changelog-notes.ts';
import { buildCliFromWorkingTree, createComponentProject, projectRoot } from '../support/gitlab-ci-local.ts';
import { npmEnv } from '../support/npm-package.ts';
import { startNpmRegistry } from '../support/npm-registry.ts';

const execFileAsync = promisify(execFile);

test('gitlab release pipeline on a tag: npm-publish publishes to the registry, npx runs that version; image and catalog release rendered', {
  timeout: 300_000,
}, async (t) => {
  const scratch = await mkdtemp(join(tmpdir(), 'gpa-gitlab-release-'));
  t.after(() => rm(scratch, { recursive: true, force: true }));
  const project = await createComponentProject({ cliBundle: await buildCliFromWorkingTree() });
  t.after(() => project.remove());
  const registry = await startNpmRegistry(join(scratch, 'verdaccio'));
  t.after(() => registry.close());

  const manifest = JSON.parse(await readFile(join(projectRoot, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const tag = manifest.version;
  await project.commit('release');
  await project.writePipeline(await readFile(join(projectRoot, 'gitlab', 'release.gitlab-ci.yml'), 'utf8'));
  const onTag = ['--variable', `CI_COMMIT_TAG=${tag}`];

  // On the tag: test, then npm-publish and the image, then the catalog release.
  const listed = await project.run(['--list', ...onTag]);
  assert.equal(listed.code, 0, listed.output);
  for (const job of ['test', 'npm-publish', 'service-image', 'catalog-release'])
    assert.match(listed.output, new RegExp(`^${job}\\s`, 'm'));
  const rendered = await project.preview();
  const script = (job: string) => (rendered[job]!.script as string[]).join('\n');
  assert.match(script('test'), /bash \.ci\/run/);
  assert.match(
    script('service-image'),
    /docker build --build-arg GOPROXY_ACTION_VERSION="\$CI_COMMIT_TAG" .* gitlab\//,
  );
  assert.match(script('service-image'), /docker push "\$CI_REGISTRY_IMAGE\/goproxy:\$CI_COMMIT_TAG"/);
  const release = rendered['catalog-release']!.release as { tag_name: string; description: string };
  assert.deepEqual(release, { tag_name: '$CI_COMMIT_TAG', description: './release-notes.md' });

  // npm-publish for real (the shell stands in for the node image), against verdaccio.
  const registryVars = [
    '--variable',
    `npm_config_registry=${registry.url}`,
    '--variable',
    `NPM_TOKEN=${registry.token}`,
  ];
  const published = await project.run(['npm-publish', '--force-shell-executor', ...onTag, ...registryVars]);
  assert.equal(published.code, 0, `${published.output}\n${registry.log()}`);
  assert.match(
    published.output,
    new RegExp(`published ${manifest.name}@${tag.replace(/\./g, '\\.')} to ${registry.url}`),
  );
  assert.doesNotMatch(published.output, new RegExp(registry.token), 'the token is not printed');
  const notes = join(project.dir, 'release-notes.md');
  assert.ok(existsSync(notes), 'release-notes.md is the artifact catalog-release reads');
  const changelog = await readFile(join(projectRoot, 'CHANGELOG.md'), 'utf8');
  assert.equal((await readFile(notes, 'utf8')).trim(), changelogNotes(changelog, tag));
  assert.notEqual(changelogNotes(changelog, tag), '', `CHANGELOG.md has a section for ${tag}`);

  // What a component released as <tag> runs by default: npx goproxy-action@<tag>.
  const clean = join(scratch, 'clean');
  await mkdir(clean);
  const env = npmEnv(registry.url, join(scratch, 'user'));
  const { stdout } = await execFileAsync('npx', ['--yes', `${manifest.name}@${tag}`, '--version'], {
    cwd: clean,
    env,
  });
  assert.equal(stdout.trim(), `goproxy-action ${manifest.version}`);

  // A re-run after a later job failed does not fail on the version already published.
  const again = await project.run(['npm-publish', '--force-shell-executor', ...onTag, ...registryVars]);
  assert.equal(again.code, 0, again.output);
  assert.match(again.output, /is already published/);

  // A tag that is not package.json's version publishes nothing.
  const wrongTag = await project.run([
    'npm-publish',
    '--force-shell-executor',
    '--variable',
    'CI_COMMIT_TAG=9.9.9',
    ...registryVars,
  ]);
  assert.notEqual(wrongTag.code, 0);
  assert.match(wrongTag.output, /tag 9\.9\.9 but package\.json says/);
});
