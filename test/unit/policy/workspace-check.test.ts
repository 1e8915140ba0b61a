import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { findModuleFiles } from '../../../src/gomod/find-module-files.ts';
import { formatCheckReport } from '../../../src/policy/check-format.ts';
import { parsePolicyText } from '../../../src/policy/policy-file.ts';
import { checkWorkspace } from '../../../src/policy/workspace-check.ts';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function workspace(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'policy-check-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

const h = 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
const policy = parsePolicyText(
  `private:
  - github.com/acme-corp
allow:
  - github.com
  - golang.org/x
deny:
  - github.com/evil-org
  - module: github.com/some/lib
    versions: "< v1.4.2"
    reason: CVE-2026-1234
rules:
  pseudo-versions: warn
`,
  '.goproxy.yml',
);
// An environment in which the private module is kept from the checksum database: no lint findings.
const cleanEnv = { GOPRIVATE: 'github.com/acme-corp' };

test('checkWorkspace: go.mod requires and replaces, go.work replaces, go.sum lines, with file:line', async () => {
  const dir = await workspace({
    'go.mod': `module example.com/app

go 1.22

require (
	github.com/evil-org/tool v1.0.0
	github.com/some/lib v1.3.0
	github.com/good/x v0.0.0-20260101000000-abcdefabcdef
	github.com/local/y v1.0.0
	github.com/acme-corp/svc v0.1.0
)

replace github.com/local/y => ../y

replace github.com/good/z v1.0.0 => example.org/fork/z v1.0.1
`,
    'go.sum': [
      `github.com/some/lib v1.2.0/go.mod ${h}`,
      `github.com/some/lib v1.3.0 ${h}`,
      `github.com/some/lib v1.3.0/go.mod ${h}`,
      `golang.org/x/mod v0.20.0 ${h}`,
      `github.com/acme-corp/svc v0.1.0 ${h}`,
      '',
    ].join('\n'),
    'tools/go.work': 'go 1.22\n\nuse .\n\nreplace github.com/a/b => github.com/evil-org/b v1.0.0\n',
    'vendor/go.mod': 'module ignored\n',
  });
  assert.deepEqual(
    (await findModuleFiles(dir)).map((f) => f.slice(dir.length + 1)),
    ['go.mod', 'go.sum', 'tools/go.work'],
  );
  const report = await checkWorkspace({ dir, policy, env: cleanEnv });
  const got = report.findings.map(
    (f) => `${f.file}:${f.line} ${f.severity} ${f.module}@${f.version} ${f.rule}`,
  );
  assert.deepEqual(got, [
    'go.mod:6 error github.com/evil-org/tool@v1.0.0 deny github.com/evil-org',
    'go.mod:7 error github.com/some/lib@v1.3.0 deny github.com/some/lib < v1.4.2',
    'go.mod:8 warn github.com/good/x@v0.0.0-20260101000000-abcdefabcdef rules.pseudo-versions',
    'go.mod:15 error example.org/fork/z@v1.0.1 allow',
    // go.sum line 1 (v1.2.0/go.mod only) is checked by path rules alone: not denied.
    'go.sum:2 error github.com/some/lib@v1.3.0 deny github.com/some/lib < v1.4.2',
    'tools/go.work:5 error github.com/evil-org/b@v1.0.0 deny github.com/evil-org',
  ]);
  assert.equal(report.errors, 5);
  assert.equal(report.warnings, 1);
  assert.equal(report.policySource, '.goproxy.yml');
  // github.com/local/y is replaced by a directory: never downloaded, not checked.
  assert.ok(!got.some((g) => g.includes('local/y')));
});

test('checkWorkspace: a /go.mod-only line of a denied path is still denied; lint findings carry go.sum lines', async () => {
  const dir = await workspace({
    'go.sum': `github.com/evil-org/tool v1.0.0/go.mod ${h}\ngithub.com/acme-corp/svc v0.1.0 ${h}\n`,
  });
  const report = await checkWorkspace({ dir, policy, env: { GOSUMDB: 'off' } });
  assert.deepEqual(
    report.findings.map((f) => [f.check, f.file, f.line ?? null, f.severity]),
    [
      ['policy', 'go.sum', 1, 'error'],
      ['gosumdb-off', undefined, null, 'error'],
    ],
  );
  const leak = await checkWorkspace({ dir, policy, env: {} });
  assert.deepEqual(
    leak.findings.map((f) => [f.check, f.file, f.line]),
    [
      ['policy', 'go.sum', 1],
      ['private-module-not-in-gonosumdb', 'go.sum', 2],
    ],
  );
});

test('checkWorkspace: unreadable go.mod / go.sum become located errors; no policy checks only the environment', async () => {
  const dir = await workspace({
    'go.mod': 'module example.com/app\nrequire github.com/x/y\n',
    'go.sum': 'github.com/x/y v1.0.0\n',
  });
  const report = await checkWorkspace({ dir, policy: null, env: {} });
  assert.deepEqual(
    report.findings.map((f) => [f.check, f.file, f.line]),
    [
      ['parse', 'go.mod', 2],
      ['parse', 'go.sum', 1],
    ],
  );
  assert.match(report.findings[1]!.message, /wrong number of fields/);
  assert.equal(report.policySource, null);
});

test('formats: text, json, github annotations, GitLab code quality', async () => {
  const dir = await workspace({
    'go.mod': 'module example.com/app\n\nrequire github.com/evil-org/tool v1.0.0\n',
  });
  const report = await checkWorkspace({ dir, policy, env: { ...cleanEnv, GOINSECURE: 'x.io' } });
  const text = formatCheckReport(report, 'text');
  assert.match(
    text,
    /^go\.mod:3: error: github\.com\/evil-org\/tool@v1\.0\.0 \(require\) is denied: deny github\.com\/evil-org/m,
  );
  assert.match(text, /^environment: warn: GOINSECURE=x\.io: .* \[goinsecure\]$/m);
  assert.match(text, /1 error, 1 warning\n$/);
  assert.deepEqual(JSON.parse(formatCheckReport(report, 'json')).errors, 1);
  const github = formatCheckReport(report, 'github').split('\n');
  assert.match(
    github[0]!,
    /^::error file=go\.mod,line=3,title=goproxy-action policy::github\.com\/evil-org\/tool@v1\.0\.0 .*%0Afix: /,
  );
  assert.match(github[1]!, /^::warning title=goproxy-action goinsecure::GOINSECURE=x\.io/);
  const cq = JSON.parse(formatCheckReport(report, 'codequality')) as {
    description: string;
    check_name: string;
    fingerprint: string;
    severity: string;
    location: { path: string; lines: { begin: number } };
  }[];
  assert.equal(cq.length, 2);
  assert.deepEqual(
    cq.map((e) => [e.check_name, e.severity, e.location.path, e.location.lines.begin]),
    [
      ['goproxy-action/policy', 'major', 'go.mod', 3],
      ['goproxy-action/goinsecure', 'minor', '.goproxy.yml', 1],
    ],
  );
  assert.match(cq[0]!.fingerprint, /^[0-9a-f]{64}$/);
  assert.notEqual(cq[0]!.fingerprint, cq[1]!.fingerprint);
});
