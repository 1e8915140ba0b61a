import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import {
  HEALTH_BASELINE,
  HEALTH_CACHE_DIR,
  HEALTH_CODEQUALITY,
  HEALTH_JUNIT,
  HEALTH_MARKDOWN,
  HEALTH_SNAPSHOT,
  healthArgs,
  prepareHealthBaseline,
} from '../../../src/gitlab/health-step.ts';
import { projectRoot } from '../../support/gitlab-ci-local.ts';
import { makeTempDir } from '../../support/go-env.ts';

// The variables as GitLab renders templates/health.yml with every input at its default.
const defaults: NodeJS.ProcessEnv = {
  GOPROXY_ACTION_HEALTH_DIR: '.',
  GOPROXY_ACTION_HEALTH_PROXY_URL: '',
  GOPROXY_ACTION_HEALTH_VULN_DB: '',
  GOPROXY_ACTION_HEALTH_FAIL_ON: '',
  GOPROXY_ACTION_POLICY_FILE: '',
};

const reports = [
  '--json',
  '.goproxy-health/health.json',
  '--markdown',
  'goproxy-health.md',
  '--junit',
  'goproxy-health-junit.xml',
  '--codequality',
  'gl-code-quality-report.json',
];

test('ci health: the defaults snapshot the job directory and write every report', () => {
  assert.deepEqual(healthArgs(defaults, { hasBaseline: false }), ['--dir', '.', ...reports]);
});

test('ci health: every input becomes its health option; a baseline and an MR pipeline add theirs', () => {
  const args = healthArgs(
    {
      GOPROXY_ACTION_HEALTH_DIR: 'program',
      GOPROXY_ACTION_HEALTH_PROXY_URL: 'https://proxy.example.com/go',
      GOPROXY_ACTION_HEALTH_VULN_DB: 'file:///vulndb',
      GOPROXY_ACTION_HEALTH_FAIL_ON: 'retracted,vuln:HIGH',
      GOPROXY_ACTION_POLICY_FILE: 'ci/policy.yml',
      CI_MERGE_REQUEST_IID: '7',
    },
    { hasBaseline: true },
  );
  assert.deepEqual(args, [
    '--dir',
    'program',
    ...reports,
    '--baseline',
    '.goproxy-health/baseline.json',
    '--proxy',
    'https://proxy.example.com/go',
    '--vuln-db',
    'file:///vulndb',
    '--fail-on',
    'retracted,vuln:HIGH',
    '--policy',
    'ci/policy.yml',
    '--gitlab-mr-note',
  ]);
  // The note's token is read by name inside health; it never becomes an option.
  assert.doesNotMatch(
    healthArgs(
      { ...defaults, CI_MERGE_REQUEST_IID: '7', GOPROXY_HEALTH_GITLAB_TOKEN: 'glpat-secret' },
      {
        hasBaseline: false,
      },
    ).join(' '),
    /secret/,
  );
});

test('ci health: every variable the template sets is read; its cache and artifacts are the files the step writes', () => {
  const [, content] = parseAllDocuments(readFileSync(join(projectRoot, 'templates', 'health.yml'), 'utf8'));
  const job = Object.values(
    content!.toJS() as Record<
      string,
      {
        variables: Record<string, unknown>;
        cache: { paths: string[] };
        artifacts: { paths: string[]; reports: Record<string, string> };
      }
    >,
  )[0]!;
  const names = Object.keys(job.variables).filter(
    (n) =>
      n.startsWith('GOPROXY_ACTION_') &&
      !['GOPROXY_ACTION_CLI', 'GOPROXY_ACTION_VERSION', 'GOPROXY_ACTION_BOOTSTRAP'].includes(n),
  );
  assert.deepEqual(names.sort(), Object.keys(defaults).sort());
  for (const name of names) {
    const value = name.endsWith('PROXY_URL') ? 'http://127.0.0.1:1' : 'x';
    assert.notDeepEqual(
      healthArgs({ ...defaults, [name]: value }, { hasBaseline: false }),
      healthArgs(defaults, { hasBaseline: false }),
      name,
    );
  }
  assert.deepEqual(job.cache.paths, [`${HEALTH_CACHE_DIR}/`]);
  assert.deepEqual(job.artifacts.paths, [HEALTH_SNAPSHOT, HEALTH_MARKDOWN, HEALTH_JUNIT, HEALTH_CODEQUALITY]);
  assert.deepEqual(job.artifacts.reports, { junit: HEALTH_JUNIT, codequality: HEALTH_CODEQUALITY });
});

test('ci health: a proxy-url that is no http(s) URL fails with one line naming the input', () => {
  assert.throws(
    () =>
      healthArgs(
        { ...defaults, GOPROXY_ACTION_HEALTH_PROXY_URL: 'proxy.example.com' },
        { hasBaseline: false },
      ),
    /^Error: the proxy-url input 'proxy\.example\.com' is not an http\(s\) URL; set it to the module proxy to probe, or leave it empty for the job's GOPROXY$/,
  );
});

test('ci health: the previous snapshot from the cache becomes the baseline; none on a first run', async (t) => {
  const dir = makeTempDir('health-step');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // First run: no cache yet; the cache directory is made for this run's snapshot.
  assert.equal(await prepareHealthBaseline(dir), false);
  assert.ok(existsSync(join(dir, HEALTH_CACHE_DIR)));
  // Next run: GitLab restored the snapshot; it is moved aside, replacing an older baseline.
  writeFileSync(join(dir, HEALTH_SNAPSHOT), '{"run":2}');
  writeFileSync(join(dir, HEALTH_BASELINE), '{"run":1}');
  assert.equal(await prepareHealthBaseline(dir), true);
  assert.equal(readFileSync(join(dir, HEALTH_BASELINE), 'utf8'), '{"run":2}');
  assert.equal(existsSync(join(dir, HEALTH_SNAPSHOT)), false);
  // A stale baseline alone (the last run wrote no snapshot) is no baseline.
  mkdirSync(join(dir, HEALTH_CACHE_DIR), { recursive: true });
  assert.equal(await prepareHealthBaseline(dir), false);
});
