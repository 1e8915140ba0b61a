// The check and env commands as users run them: the real CLI entry, the real go command for
// `go env`, an explicit environment (no machine settings leak in).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { goEnv } from '../../support/go-env.ts';

const run = promisify(execFile);
const cli = resolve('src/cli.ts');
const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function workspace(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'policy-cli-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

type Result = { code: number; stdout: string; stderr: string };
async function goproxyAction(
  args: string[],
  cwd: string,
  extra: Record<string, string> = {},
): Promise<Result> {
  const env = {
    ...goEnv({ goproxy: 'http://127.0.0.1:9/upstream', gosumdb: 'sum.example.net' }),
    ...extra,
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd, env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const h = 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
const policyText = 'private:\n  - github.com/acme-corp\ndeny:\n  - github.com/evil-org\n';

test('check: exit 1 on a denied module, with file:line; exit 0 when clean', async () => {
  const dir = await workspace({
    '.goproxy.yml': policyText,
    'go.mod': 'module example.com/app\n\ngo 1.22\n\nrequire github.com/evil-org/tool v1.0.0\n',
  });
  const denied = await goproxyAction(['check'], dir);
  assert.equal(denied.code, 1, denied.stderr);
  assert.match(
    denied.stdout,
    /^go\.mod:5: error: github\.com\/evil-org\/tool@v1\.0\.0 \(require\) is denied/m,
  );
  assert.match(denied.stderr, /^policy: \.goproxy\.yml$/m);

  const clean = await workspace({
    '.goproxy.yml': policyText,
    'go.sum': `github.com/acme-corp/svc v1.0.0 ${h}\n`,
  });
  const ok = await goproxyAction(['check', '--format', 'json'], clean, { GOPRIVATE: 'github.com/acme-corp' });
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.deepEqual(JSON.parse(ok.stdout).findings, []);
  // The same workspace in an environment that leaks the private path: an error-level lint finding.
  const leak = await goproxyAction(['check', '--dir', clean, '--format', 'github'], tmpdir());
  assert.equal(leak.code, 1);
  assert.match(
    leak.stdout,
    /^::error file=.*go\.sum,line=1,title=goproxy-action private-module-not-in-gonosumdb::/m,
  );
});

test('check: the go env file counts too (GOENV), so a setting made with go env -w is linted', async () => {
  const dir = await workspace({ 'go.mod': 'module example.com/app\n' });
  const goenvFile = join(dir, 'go.env.user');
  await writeFile(goenvFile, 'GOINSECURE=git.corp.example.com\n');
  const r = await goproxyAction(['check'], dir, { GOENV: goenvFile });
  assert.equal(r.code, 0, 'goinsecure warns by default');
  assert.match(r.stdout, /^environment: warn: GOINSECURE=git\.corp\.example\.com/m);
  assert.match(r.stderr, /no policy: \.goproxy\.yml does not exist, so every module is allowed/);
});

test('check: bad policy, missing explicit policy, bad options', async () => {
  const dir = await workspace({
    '.goproxy.yml': 'alow: [github.com]\n',
    'go.mod': 'module example.com/m\n\ngo 1.22\n',
  });
  const bad = await goproxyAction(['check'], dir);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /\.goproxy\.yml:1:1: unknown key 'alow' in the policy; write 'allow' instead/);
  const missing = await goproxyAction(['check', '--policy', 'ci/policy.yml'], dir);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /ci\/policy\.yml: the policy file does not exist/);
  const format = await goproxyAction(['check', '--format', 'xml', '--policy', '.goproxy.yml'], dir);
  assert.equal(format.code, 2);
  assert.match(format.stderr, /--format xml: write one of text, json, github, codequality/);
  const unknown = await goproxyAction(['check', '--polcy', 'x'], dir);
  assert.equal(unknown.code, 2);
});

test('env: through the proxy with a policy, shell / github / dotenv', async () => {
  const dir = await workspace({ '.goproxy.yml': policyText });
  const shell = await goproxyAction(['env', '--proxy-url', 'http://127.0.0.1:4321'], dir, {
    GOPRIVATE: 'git.corp.example.com',
  });
  assert.equal(shell.code, 0, shell.stderr);
  assert.equal(
    shell.stdout,
    [
      "export GOPROXY='http://127.0.0.1:4321'",
      "export GONOPROXY='none'",
      "export GOPRIVATE='github.com/acme-corp,git.corp.example.com'",
      "export GONOSUMDB='github.com/acme-corp,git.corp.example.com'",
      "export GOSUMDB='sum.example.net'",
      '',
    ].join('\n'),
  );
  const github = await goproxyAction(
    ['env', '--proxy-url', 'http://127.0.0.1:4321', '--format', 'github'],
    dir,
  );
  assert.match(
    github.stdout,
    /^GOPROXY=http:\/\/127\.0\.0\.1:4321\nGONOPROXY=none\nGOPRIVATE=github\.com\/acme-corp\n/,
  );
  const refused = await goproxyAction(
    ['env', '--proxy-url', 'http://127.0.0.1:4321', '--fallback', 'direct'],
    dir,
  );
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /a policy is active \(\.goproxy\.yml\).*Drop --fallback/);
});

test('env: without a proxy, the current GOPROXY with private modules kept direct; a fallback only without policy', async () => {
  const none = await workspace({});
  const remote = await goproxyAction(['env', '--format', 'dotenv'], none, {
    GOPRIVATE: 'github.com/acme-corp',
  });
  assert.equal(
    remote.stdout,
    'GOPROXY=http://127.0.0.1:9/upstream\nGONOPROXY=github.com/acme-corp\nGOPRIVATE=github.com/acme-corp\nGONOSUMDB=github.com/acme-corp\nGOSUMDB=sum.example.net\n',
  );
  const fallback = await goproxyAction(
    ['env', '--proxy-url', 'http://127.0.0.1:4321', '--fallback', 'direct'],
    none,
  );
  assert.equal(fallback.code, 0);
  assert.match(fallback.stdout, /^export GOPROXY='http:\/\/127\.0\.0\.1:4321\|direct'$/m);
  const bad = await goproxyAction(['env', '--proxy-url', '127.0.0.1:4321'], none);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /write it as http:\/\/127\.0\.0\.1:PORT/);
});
