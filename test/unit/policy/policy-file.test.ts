import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import schema from '../../../schema/goproxy-policy.schema.json' with { type: 'json' };
import { loadPolicy, PolicyFileError, parsePolicyText } from '../../../src/policy/policy-file.ts';

const issueExample = `private:            # modules fetched only direct or from a private upstream
  - github.com/acme-corp
allow:
  - github.com
  - golang.org/x
deny:
  - github.com/evil-org
  - module: github.com/some/lib
    versions: ">= v1.2.0, < v1.4.2 || v2.0.0"
    reason: "CVE-2026-1234, upgrade"
rules:
  retracted: deny
  pseudo-versions: warn
  min-age: 72h
lint:
  gosumdb-off: error
private-upstream: https://goproxy.corp.example.com
`;

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function workspace(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'policy-file-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

function problemsOf(text: string): string[] {
  try {
    parsePolicyText(text, '.goproxy.yml');
  } catch (err) {
    assert.ok(err instanceof PolicyFileError, String(err));
    return err.problems;
  }
  assert.fail('expected a PolicyFileError');
}

test('the issue example loads with every key', () => {
  const p = parsePolicyText(issueExample, '.goproxy.yml');
  assert.deepEqual(p.private, ['github.com/acme-corp']);
  assert.deepEqual(p.allow, ['github.com', 'golang.org/x']);
  assert.equal(p.deny.length, 2);
  assert.deepEqual(
    p.deny.map((d) => [d.module, d.versions?.text ?? null, d.reason, d.line]),
    [
      ['github.com/evil-org', null, null, 7],
      ['github.com/some/lib', '>= v1.2.0, < v1.4.2 || v2.0.0', 'CVE-2026-1234, upgrade', 8],
    ],
  );
  assert.deepEqual(p.rules, {
    retracted: 'deny',
    pseudoVersions: 'warn',
    minAgeMs: 72 * 3600_000,
    minAge: '72h',
  });
  assert.deepEqual(p.lint, { 'gosumdb-off': 'error' });
  assert.equal(p.privateUpstream, 'https://goproxy.corp.example.com');
  assert.equal(p.source, '.goproxy.yml');
});

test('the shipped schema accepts the issue example and the docs example', async () => {
  const validate = new Ajv({ allErrors: true }).compile(schema);
  assert.equal(validate(parse(issueExample)), true, JSON.stringify(validate.errors));
  assert.equal(validate({ allow: 'github.com' }), false);
  // The example in docs/policy.md is a file users copy: it must load as written.
  const docs = await readFile(new URL('../../../docs/policy.md', import.meta.url), 'utf8');
  const example = /## The file\n\n```yaml\n([\s\S]*?)```/.exec(docs)?.[1];
  assert.ok(example, 'docs/policy.md has its example');
  assert.equal(validate(parse(example)), true, JSON.stringify(validate.errors));
  const loaded = parsePolicyText(example, '.goproxy.yml');
  assert.deepEqual(loaded.private, ['github.com/acme-corp', '*.corp.example.com']);
  assert.equal(loaded.deny[1]?.versions?.text, '>= v1.2.0, < v1.4.2 || v2.0.0');
  assert.equal(loaded.privateUpstream, 'https://goproxy.corp.example.com');
});

test('defaults: no allow list, retracted warn, pseudo-versions allow, no min-age; an empty file is an empty policy', () => {
  const p = parsePolicyText('', 'p.yml');
  assert.equal(p.allow, null);
  assert.deepEqual(p.private, []);
  assert.deepEqual(p.rules, { retracted: 'warn', pseudoVersions: 'allow', minAgeMs: null, minAge: null });
  assert.deepEqual(parsePolicyText('allow: []\n', 'p.yml').allow, []);
});

test('unknown keys: file:line:column and the key to write instead', () => {
  const problems = problemsOf(
    'alow:\n  - github.com\nrules:\n  pseudo-version: warn\nlint:\n  gosumdb: warn\n',
  );
  assert.deepEqual(problems, [
    ".goproxy.yml:1:1: unknown key 'alow' in the policy; write 'allow' instead (private, allow, deny, rules, lint, private-upstream)",
    ".goproxy.yml:4:3: unknown key 'pseudo-version' in rules; write 'pseudo-versions' instead (retracted, pseudo-versions, min-age)",
    ".goproxy.yml:6:3: unknown key 'gosumdb' in lint; write 'gosumdb-off' instead (gosumdb-off, private-patterns-too-broad, private-module-not-in-gonosumdb, goinsecure, gonosumcheck, goflags-insecure, public-upstream-after-private)",
  ]);
});

test('wrong types, enums, durations and deny entries are located', () => {
  const problems = problemsOf(
    'private: github.com/acme\nrules:\n  retracted: block\n  min-age: 3 days\ndeny:\n  - 42\n  - versions: v1.0.0\n  - module: x.io/a\n    version: v1\nlint:\n  goinsecure: fatal\n',
  );
  assert.equal(problems.length, 7, problems.join('\n'));
  assert.match(problems[0]!, /^\.goproxy\.yml:1:10: private must be a list; write a list of patterns/);
  assert.match(
    problems[1]!,
    /^\.goproxy\.yml:3:14: rules\.retracted is 'block'; write one of deny, warn, allow$/,
  );
  assert.match(
    problems[2]!,
    /^\.goproxy\.yml:4:12: rules\.min-age '3 days' is not a Go duration; write e\.g\. '72h'/,
  );
  assert.match(
    problems[3]!,
    /^\.goproxy\.yml:6:5: deny\[0\] must be a pattern or a \{module, versions, reason\} entry/,
  );
  assert.match(problems[4]!, /^\.goproxy\.yml:7:5: deny\[1\] has no 'module'; write e\.g\. 'module: /);
  assert.match(
    problems[5]!,
    /^\.goproxy\.yml:9:5: unknown key 'version' in deny\[2\]; write 'versions' instead/,
  );
  assert.match(
    problems[6]!,
    /^\.goproxy\.yml:11:15: lint\.goinsecure is 'fatal'; write one of error, warn, off$/,
  );
});

test('bad patterns, version constraints and upstream URLs are located', () => {
  const problems = problemsOf(
    'allow:\n  - https://github.com/x\ndeny:\n  - github.com/a[\n  - module: github.com/b\n    versions: ">= 1.2.0"\nprivate-upstream: https://user:hunter2@goproxy.corp.example.com\n',
  );
  assert.equal(problems.length, 4, problems.join('\n'));
  assert.match(problems[0]!, /^\.goproxy\.yml:2:5: allow\[0\]: .*write 'github\.com\/x'/);
  assert.match(problems[1]!, /^\.goproxy\.yml:4:5: deny\[0\]: .*not a valid glob/);
  assert.match(problems[2]!, /^\.goproxy\.yml:6:15: deny\[1\]\.versions: .*write 'v1\.2\.0'/);
  assert.match(problems[3]!, /^\.goproxy\.yml:7:19: private-upstream holds credentials/);
  assert.doesNotMatch(problems.join('\n'), /hunter2/, 'a credential is never echoed');
});

test('malformed YAML and duplicate keys: located errors', () => {
  assert.match(problemsOf('allow: [github.com\n')[0]!, /^\.goproxy\.yml:\d+:\d+: .*fix the YAML syntax/);
  assert.match(problemsOf('allow: []\nallow: []\n')[0]!, /^\.goproxy\.yml:2:1: .*write each key once/);
  assert.match(problemsOf('- github.com\n')[0]!, /^\.goproxy\.yml:1:1: the policy must be a mapping/);
  assert.match(problemsOf('allow:\n')[0]!, /allow has no value/);
});

test('loadPolicy: default file, explicit file, missing files', async () => {
  const none = await workspace({});
  const missingDefault = await loadPolicy({ workspace: none });
  assert.equal(missingDefault.policy, null);
  assert.equal(missingDefault.source, null);
  assert.match(
    missingDefault.message ?? '',
    /no policy: \.goproxy\.yml does not exist, so every module is allowed/,
  );

  const withDefault = await workspace({ '.goproxy.yml': 'deny:\n  - github.com/evil-org\n' });
  const loaded = await loadPolicy({ workspace: withDefault });
  assert.equal(loaded.source, '.goproxy.yml');
  assert.equal(loaded.policy?.deny[0]?.module, 'github.com/evil-org');

  const explicit = await workspace({ 'ci-policy.yml': 'allow: [golang.org/x]\n' });
  const byName = await loadPolicy({ workspace: explicit, explicitPath: 'ci-policy.yml' });
  assert.deepEqual(byName.policy?.allow, ['golang.org/x']);
  assert.equal(byName.source, 'ci-policy.yml');

  await assert.rejects(loadPolicy({ workspace: explicit, explicitPath: 'nope.yml' }), (err: Error) => {
    assert.ok(err instanceof PolicyFileError);
    assert.match(err.message, /^nope\.yml: the policy file does not exist; create it/);
    return true;
  });

  const yamlSpelling = await workspace({ '.goproxy.yaml': 'allow: []\n' });
  assert.match((await loadPolicy({ workspace: yamlSpelling })).message ?? '', /rename it to \.goproxy\.yml/);

  const broken = await workspace({ '.goproxy.yml': 'allow: github.com\n' });
  await assert.rejects(
    loadPolicy({ workspace: broken }),
    /^PolicyFileError: \.goproxy\.yml:1:8: allow must be a list/,
  );
});
