import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { prewarmArgs, splitList } from '../../../src/gitlab/prewarm-step.ts';
import { projectRoot } from '../../support/gitlab-ci-local.ts';

// The variables as GitLab renders templates/prewarm.yml with every input at its default.
const defaults: NodeJS.ProcessEnv = {
  GOPROXY_ACTION_PREWARM_PROXY: 'https://proxy.example.com',
  GOPROXY_ACTION_PREWARM_TOKEN_VARIABLE: '',
  GOPROXY_ACTION_PREWARM_FILES: '',
  GOPROXY_ACTION_PREWARM_LIST: '',
  GOPROXY_ACTION_PREWARM_MODULES: '',
  GOPROXY_ACTION_PREWARM_TAG: 'false',
  GOPROXY_ACTION_PREWARM_GITLAB_GROUP: '',
  GOPROXY_ACTION_PREWARM_GITLAB_SUBGROUPS: 'false',
  GOPROXY_ACTION_PREWARM_GITLAB_PROJECTS: '',
  GOPROXY_ACTION_PREWARM_GITLAB_REF: '',
  GOPROXY_ACTION_PREWARM_GITLAB_TOKEN_VARIABLE: 'GITLAB_TOKEN',
  GOPROXY_ACTION_PREWARM_ALLOW_PRIVATE: 'false',
  GOPROXY_ACTION_PREWARM_SUMDB: 'false',
  GOPROXY_ACTION_PREWARM_CONCURRENCY: '16',
};

const reports = ['--json', 'goproxy-prewarm.json', '--markdown', 'goproxy-prewarm.md', '--progress', 'lines'];

test('ci prewarm: the defaults warm the job directory and write both reports there', () => {
  assert.deepEqual(prewarmArgs(defaults), [
    '--proxy',
    'https://proxy.example.com',
    '--concurrency',
    '16',
    '--gitlab-token-env',
    'GITLAB_TOKEN',
    ...reports,
  ]);
});

test('ci prewarm: every input becomes its prewarm option', () => {
  const args = prewarmArgs({
    ...defaults,
    GOPROXY_ACTION_PREWARM_TOKEN_VARIABLE: 'PROXY_TOKEN',
    GOPROXY_ACTION_PREWARM_FILES: 'program/go.sum,tools/*/go.mod',
    GOPROXY_ACTION_PREWARM_LIST: 'warm.txt',
    GOPROXY_ACTION_PREWARM_MODULES: 'example.com/a@latest, example.com/b@v1.2.3',
    GOPROXY_ACTION_PREWARM_TAG: 'true',
    GOPROXY_ACTION_PREWARM_GITLAB_GROUP: 'acme/go',
    GOPROXY_ACTION_PREWARM_GITLAB_SUBGROUPS: 'true',
    GOPROXY_ACTION_PREWARM_GITLAB_PROJECTS: '12,acme/tools',
    GOPROXY_ACTION_PREWARM_GITLAB_REF: 'release',
    GOPROXY_ACTION_PREWARM_GITLAB_TOKEN_VARIABLE: 'READ_API_TOKEN',
    GOPROXY_ACTION_PREWARM_ALLOW_PRIVATE: 'true',
    GOPROXY_ACTION_PREWARM_SUMDB: 'true',
    GOPROXY_ACTION_PREWARM_CONCURRENCY: '3',
  });
  assert.deepEqual(args, [
    '--proxy',
    'https://proxy.example.com',
    '--concurrency',
    '3',
    '--token-env',
    'PROXY_TOKEN',
    '--files',
    'program/go.sum',
    '--files',
    'tools/*/go.mod',
    '--list',
    'warm.txt',
    '--module',
    'example.com/a@latest',
    '--module',
    'example.com/b@v1.2.3',
    '--tag',
    '--gitlab-group',
    'acme/go',
    '--gitlab-subgroups',
    '--gitlab-project',
    '12',
    '--gitlab-project',
    'acme/tools',
    '--gitlab-ref',
    'release',
    '--gitlab-token-env',
    'READ_API_TOKEN',
    '--allow-private',
    '--sumdb',
    ...reports,
  ]);
});

test('ci prewarm: every variable the template sets is read by the step', () => {
  const [, content] = parseAllDocuments(readFileSync(join(projectRoot, 'templates', 'prewarm.yml'), 'utf8'));
  const job = Object.values(content!.toJS() as Record<string, { variables: Record<string, unknown> }>)[0]!;
  const names = Object.keys(job.variables).filter((n) => n.startsWith('GOPROXY_ACTION_PREWARM_'));
  assert.deepEqual(names.sort(), Object.keys(defaults).sort());
  const samples: Record<string, string> = {
    GOPROXY_ACTION_PREWARM_PROXY: 'http://127.0.0.1:1/',
    GOPROXY_ACTION_PREWARM_TOKEN_VARIABLE: 'T',
    GOPROXY_ACTION_PREWARM_CONCURRENCY: '2',
    GOPROXY_ACTION_PREWARM_GITLAB_TOKEN_VARIABLE: 'OTHER_TOKEN',
  };
  for (const name of names) {
    const value = samples[name] ?? (defaults[name] === 'false' ? 'true' : 'x');
    assert.notDeepEqual(prewarmArgs({ ...defaults, [name]: value }), prewarmArgs(defaults), name);
  }
});

test('ci prewarm: comma-separated lists are split as text, globs never expanded', () => {
  // The tests' directory holds files a shell would match; the list keeps the patterns as written.
  assert.deepEqual(splitList(' *.ts ,, test/**/go.sum,'), ['*.ts', 'test/**/go.sum']);
  assert.deepEqual(splitList(''), []);
  assert.deepEqual(splitList(undefined), []);
  const args = prewarmArgs({ ...defaults, GOPROXY_ACTION_PREWARM_FILES: '*' });
  assert.deepEqual(args.slice(args.indexOf('--files'), args.indexOf('--files') + 2), ['--files', '*']);
  assert.equal(args.filter((a) => a === '--files').length, 1);
});

test('ci prewarm: credentials are passed by variable name only, never their values', () => {
  const env = {
    ...defaults,
    GOPROXY_ACTION_PREWARM_TOKEN_VARIABLE: 'PROXY_TOKEN',
    PROXY_TOKEN: 'glpat-proxy-secret',
    GITLAB_TOKEN: 'glpat-gitlab-secret',
  };
  const args = prewarmArgs(env).join(' ');
  assert.match(args, /--token-env PROXY_TOKEN/);
  assert.match(args, /--gitlab-token-env GITLAB_TOKEN/);
  assert.doesNotMatch(args, /secret/);
  // A token pasted where its variable's name belongs is refused, without echoing more than the input.
  assert.throws(
    () => prewarmArgs({ ...defaults, GOPROXY_ACTION_PREWARM_TOKEN_VARIABLE: 'glpat-abc.def' }),
    /^Error: the proxy-token-variable input is 'glpat-abc\.def', which is not a variable name; give the NAME/,
  );
  assert.throws(
    () => prewarmArgs({ ...defaults, GOPROXY_ACTION_PREWARM_GITLAB_TOKEN_VARIABLE: 'a b' }),
    /the gitlab-token-variable input is 'a b', which is not a variable name/,
  );
});

test('ci prewarm: bad inputs fail with one line naming the input', () => {
  assert.throws(
    () => prewarmArgs({ ...defaults, GOPROXY_ACTION_PREWARM_PROXY: '' }),
    /^Error: the proxy-url input is empty; set it to the module proxy to warm$/,
  );
  assert.throws(
    () => prewarmArgs({ ...defaults, GOPROXY_ACTION_PREWARM_SUMDB: 'yes' }),
    /^Error: the sumdb input is 'yes'; write true or false$/,
  );
  assert.throws(
    () => prewarmArgs({ ...defaults, GOPROXY_ACTION_PREWARM_CONCURRENCY: '0' }),
    /^Error: the concurrency input is '0'; give a whole number of 1 or more$/,
  );
});
