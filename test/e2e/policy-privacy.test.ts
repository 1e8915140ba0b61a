// Proof of privacy (issue 4), with the real go command: a program using a private module
// (behind a git server that requires credentials) and a public one (from a fixture upstream
// that logs every request, with a fixture checksum database mounted under it that logs every
// request too) is downloaded and built through our proxy with the policy's environment.
// Afterwards: the public upstream and the checksum database never saw the private path; the
// private module came from the git server with the proxy's credentials (the go command the
// user runs has none); and the token is in no output, log, statistics answer or stored file.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { jobGoEnv } from '../../src/policy/job-go-env.ts';
import { parsePolicyText } from '../../src/policy/policy-file.ts';
import { ProxyPolicy } from '../../src/policy/proxy-policy.ts';
import { type FixtureModule, goSumFor, writeFixtureModules } from '../support/fixture-modules.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureSumdb, type FixtureSumdb } from '../support/fixture-sumdb.ts';
import {
  type GitServer,
  gitConfigEnv,
  gitCredentialHelper,
  gitUrlRewrite,
  startGitServer,
} from '../support/git-server.ts';
import { goEnv, makeTempDir, runGo } from '../support/go-env.ts';
import { startTestProxy } from '../support/test-proxy.ts';

const user = 'ci-bot';
const token = `tok_${randomBytes(12).toString('hex')}`;
const privatePath = 'example.com/private/lib.git';
const publicModule: FixtureModule = {
  path: 'example.com/public/lib',
  version: 'v1.0.0',
  files: { 'lib.go': 'package lib\n\n// Name says where the module came from.\nconst Name = "public"\n' },
};

let git: GitServer;
let sumdb: FixtureSumdb;
let upstream: FixtureProxy;

before(async () => {
  git = await startGitServer({
    user,
    password: token,
    repos: [
      {
        name: 'private/lib',
        files: {
          'go.mod': `module ${privatePath}\n\ngo 1.21\n`,
          'lib.go': 'package lib\n\n// Name says where the module came from.\nconst Name = "private"\n',
        },
        tags: ['v1.0.0'],
      },
    ],
  });
  const fixtureDir = makeTempDir('privacy-fixtures');
  await writeFixtureModules(fixtureDir, [publicModule]);
  sumdb = await createFixtureSumdb();
  sumdb.add(await goSumFor(fixtureDir, [publicModule]));
  upstream = await startFixtureProxy({
    dir: fixtureDir,
    sumdb: { name: sumdb.name, handle: (p) => sumdb.handle(p) },
  });
});
after(async () => {
  await upstream.close();
  await sumdb.close();
  await git.close();
});

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name));
  }
  return out;
}

test('private module paths reach neither the public upstream nor the checksum database; the token leaks nowhere', async () => {
  const policy = parsePolicyText('private:\n  - example.com/private\n', '.goproxy.yml');
  const auditLogFile = join(makeTempDir('privacy-audit'), 'audit.jsonl');
  // Credentials live only in the proxy's environment (git config through the environment).
  const proxyEnv = {
    PATH: process.env.PATH ?? '',
    HOME: makeTempDir('privacy-home'),
    GOENV: 'off',
    GOTOOLCHAIN: 'local',
    GOCACHE: makeTempDir('privacy-gocache'),
    ...gitConfigEnv([gitUrlRewrite(git), gitCredentialHelper(user, token)]),
  };
  const proxy = await startTestProxy({
    upstream: upstream.url,
    gosumdb: sumdb.vkey,
    privatePatterns: policy.private,
    noSumPatterns: policy.private,
    policy: new ProxyPolicy(policy),
    auditLogFile,
    env: proxyEnv,
  });
  upstream.resetLog();
  sumdb.requests.length = 0;
  git.resetLog();
  try {
    const program = makeTempDir('privacy-program');
    await writeFile(
      join(program, 'go.mod'),
      `module example.com/app\n\ngo 1.21\n\nrequire (\n\t${privatePath} v1.0.0\n\t${publicModule.path} ${publicModule.version}\n)\n`,
    );
    await writeFile(
      join(program, 'main.go'),
      `package main\n\nimport (\n\tprivlib "${privatePath}"\n\tpublib "${publicModule.path}"\n)\n\nfunc main() { println(privlib.Name, publib.Name) }\n`,
    );
    // The environment the action exports while this policy is active. No credentials here.
    const exported = jobGoEnv(
      { goEnv: { GOSUMDB: sumdb.vkey }, policyPrivate: policy.private },
      { kind: 'proxy', proxyUrl: proxy.url },
    );
    assert.equal(exported.GONOPROXY, 'none');
    const env = goEnv({
      goproxy: exported.GOPROXY!,
      gosumdb: exported.GOSUMDB!,
      goprivate: exported.GOPRIVATE!,
      gonoproxy: exported.GONOPROXY!,
      gonosumdb: exported.GONOSUMDB!,
      extra: { GOFLAGS: '-modcacherw -mod=mod' },
    });
    const download = await runGo(['mod', 'download'], program, env);
    assert.equal(download.code, 0, download.stderr);
    const build = await runGo(['build', '-o', join(program, 'app'), '.'], program, env);
    assert.equal(build.code, 0, build.stderr);
    const goSum = await readFile(join(program, 'go.sum'), 'utf8');
    assert.match(goSum, /^example\.com\/private\/lib\.git v1\.0\.0 h1:/m);
    assert.match(goSum, /^example\.com\/public\/lib v1\.0\.0 h1:/m);

    // The public side was really used: the upstream served the public module, the checksum
    // database was asked about it (through our proxy's /sumdb/ pass-through).
    assert.ok(upstream.requests.some((r) => r.path.startsWith('/example.com/public/lib/@v/')));
    assert.ok(
      sumdb.requests.some((r) => r.startsWith('lookup/example.com/public/lib@')),
      sumdb.requests.join('\n'),
    );
    // ... and never heard of the private module.
    assert.deepEqual(
      upstream.requests.filter((r) => /private/i.test(r.path)).map((r) => r.path),
      [],
    );
    assert.deepEqual(
      sumdb.requests.filter((r) => /private/i.test(r)),
      [],
    );

    // The private module came from the git server, with the proxy's credentials.
    assert.ok(
      git.requests.some(
        (r) =>
          r.method === 'POST' &&
          r.path === '/private/lib/git-upload-pack' &&
          r.authorized &&
          r.status === 200,
      ),
      JSON.stringify(git.requests),
    );
    assert.ok(git.requests.filter((r) => r.credentialsPresent).every((r) => r.authorized));

    // The token: in no output, audit log, statistics answer or stored file.
    const stats = await (
      await fetch(`${proxy.adminUrl}/stats`, { headers: { authorization: `Bearer ${proxy.token}` } })
    ).text();
    assert.match(stats, /example\.com\/private\/lib\.git/, 'the statistics do list the private module');
    const basic = Buffer.from(`${user}:${token}`).toString('base64');
    const places: [string, string][] = [
      ['go mod download output', download.stdout + download.stderr],
      ['go build output', build.stdout + build.stderr],
      ['statistics', stats],
      ['audit log', await readFile(auditLogFile, 'utf8')],
      ['program go.sum', goSum],
    ];
    for (const file of await filesUnder(proxy.storeDir)) places.push([file, await readFile(file, 'latin1')]);
    assert.ok(places.length > 8, 'the store holds the downloaded modules');
    for (const [where, text] of places) {
      assert.ok(!text.includes(token), `token found in ${where}`);
      assert.ok(!text.includes(basic), `encoded credentials found in ${where}`);
    }
  } finally {
    await proxy.close();
  }
});

test('a client that forgets GONOSUMDB still leaks nothing: the proxy refuses private checksum lookups', async () => {
  const policy = parsePolicyText('private:\n  - example.com/private\n', '.goproxy.yml');
  const proxy = await startTestProxy({
    upstream: upstream.url,
    gosumdb: sumdb.vkey,
    privatePatterns: policy.private,
    noSumPatterns: policy.private,
    policy: new ProxyPolicy(policy),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: makeTempDir('privacy-home'),
      GOENV: 'off',
      GOTOOLCHAIN: 'local',
      GOCACHE: makeTempDir('privacy-gocache'),
      ...gitConfigEnv([gitUrlRewrite(git), gitCredentialHelper(user, token)]),
    },
  });
  upstream.resetLog();
  sumdb.requests.length = 0;
  try {
    const work = makeTempDir('privacy-careless');
    // Only GOPROXY and GOSUMDB: the go command will want to verify the private module too.
    const env = goEnv({ goproxy: proxy.url, gosumdb: sumdb.vkey });
    const result = await runGo(['mod', 'download', `${privatePath}@v1.0.0`], work, env);
    assert.notEqual(result.code, 0, 'the go command cannot verify what the database must not see');
    assert.match(result.stderr, /403 Forbidden/);
    assert.match(result.stderr, /is private .*never sent to a checksum database/);
    assert.deepEqual(
      sumdb.requests.filter((r) => /private/i.test(r)),
      [],
    );
    assert.deepEqual(
      upstream.requests.filter((r) => /private/i.test(r.path)).map((r) => r.path),
      [],
    );
    assert.ok(!result.stderr.includes(token));
  } finally {
    await proxy.close();
  }
});
