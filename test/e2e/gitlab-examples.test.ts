// The example pipelines in gitlab/examples/ (linked from docs/gitlab.md) are valid GitLab CI
// configuration: gitlab-ci-local validates each against GitLab's schema and renders it with
// this project's components, included at the current commit instead of `<version>`.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { componentGroup, createComponentProject, projectRoot } from '../support/gitlab-ci-local.ts';

const examplesDir = join(projectRoot, 'gitlab', 'examples');

test('gitlab examples: every example pipeline renders with the components at this commit', {
  timeout: 300_000,
}, async (t) => {
  const project = await createComponentProject();
  t.after(() => project.remove());
  const sha = await project.commit('component');
  const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.gitlab-ci.yml'));
  assert.deepEqual(examples.sort(), [
    'check.gitlab-ci.yml',
    'in-job.gitlab-ci.yml',
    'remote.gitlab-ci.yml',
    'service.gitlab-ci.yml',
  ]);
  for (const example of examples) {
    const text = readFileSync(join(examplesDir, example), 'utf8');
    assert.match(
      text,
      /component: \$CI_SERVER_FQDN\/<group>\/goproxy-action\/[\w-]+@<version>/,
      `${example} shows the include form users write`,
    );
    await project.writePipeline(text.replaceAll('<group>', componentGroup).replaceAll('<version>', sha));
    const rendered = await project.preview().catch((err: Error) => assert.fail(`${example}: ${err.message}`));
    const jobs = Object.keys(rendered).filter((k) => !k.startsWith('.') && k !== 'stages');
    assert.ok(jobs.length > 0, `${example} has jobs`);
    for (const name of jobs) {
      const job = rendered[name]!;
      const scripts = [job.before_script, job.script, job.after_script]
        .flat()
        .filter((s) => typeof s === 'string') as string[];
      if (example === 'check.gitlab-ci.yml')
        assert.ok(
          scripts.some((s) => s.includes('goproxy_action ci check')),
          name,
        );
      else if (name !== 'vet')
        assert.ok(
          scripts.some((s) => s.startsWith('# goproxy:')),
          `${example}: ${name} runs the component's scripts`,
        );
    }
  }
});

test('gitlab release pipeline: valid configuration; npm package before the image before the catalog release', {
  timeout: 120_000,
}, async (t) => {
  const project = await createComponentProject();
  t.after(() => project.remove());
  await project.commit('component');
  await project.writePipeline(readFileSync(join(projectRoot, 'gitlab', 'release.gitlab-ci.yml'), 'utf8'));
  const rendered = await project.preview();
  assert.deepEqual(rendered.stages, ['.pre', 'test', 'publish', 'release', '.post']);
  assert.equal(rendered.test!.stage, 'test');
  const needs = (job: string): string[] => (rendered[job]!.needs as { job: string }[]).map((n) => n.job);
  assert.deepEqual(needs('service-image'), ['npm-publish']);
  assert.deepEqual(needs('catalog-release'), ['npm-publish', 'service-image']);
  assert.equal((rendered['catalog-release']!.release as { tag_name: string }).tag_name, '$CI_COMMIT_TAG');
  // On a branch only the tests run.
  const listed = await project.run(['--list']);
  assert.equal(listed.code, 0, listed.output);
  assert.match(listed.output, /^test\s/m);
  assert.doesNotMatch(listed.output, /npm-publish|catalog-release/);
});
