// Issue 9, cold fill: a zip is fetched when its exact version's .info is asked (zip-prefetch.ts),
// so the go command's .zip request that follows joins that fetch or finds it stored. Proven with
// the real go command: the bytes it gets, the policy (a refused zip is never fetched), a zip that
// fails verification (nothing stored, the client's own request gets the error), the bound on
// zips prefetched for a client that asks only .info, and the statistics and audit log.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { request } from 'undici';
import { escapePath } from '../../src/gomod/module-path.ts';
import { parsePolicyText } from '../../src/policy/policy-file.ts';
import { ProxyPolicy } from '../../src/policy/proxy-policy.ts';
import { type FixtureModule, goSumFor, writeFixtureModules } from '../support/fixture-modules.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { goEnv, makeTempDir, runGo } from '../support/go-env.ts';
import { startTestProxy } from '../support/test-proxy.ts';

const hourAgo = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const big: FixtureModule = {
  path: 'example.com/pre/big',
  version: 'v1.0.0',
  // Incompressible and over 1 MiB: a zip the normal path would stream to its client.
  files: {
    'big.go': `package big\n\n// Data is filler.\nconst Data = "${randomBytes(1100 * 1024).toString('base64')}"\n`,
  },
};
const leaf: FixtureModule = { path: 'example.com/pre/leaf', version: 'v1.2.0' };
const mid: FixtureModule = {
  path: 'example.com/pre/mid',
  version: 'v1.0.0',
  goMod: 'module example.com/pre/mid\n\ngo 1.21\n\nrequire example.com/pre/leaf v1.2.0\n',
};
const young: FixtureModule = { path: 'example.com/pre/young', version: 'v1.0.0', time: hourAgo };
const ranged: FixtureModule = { path: 'example.com/pre/ranged', version: 'v1.5.0' };
const graph = [big, leaf, mid];
const modules = [...graph, young, ranged];

let dir: string;
let goSum: string;
let goSumFile: string;
let upstream: FixtureProxy;

before(async () => {
  dir = makeTempDir('prefetch-fixtures');
  await writeFixtureModules(dir, modules);
  goSum = await goSumFor(dir, modules);
  goSumFile = join(makeTempDir('prefetch-gosum'), 'go.sum');
  await writeFile(goSumFile, goSum);
  upstream = await startFixtureProxy({ dir });
});

after(async () => {
  await upstream.close();
});

const zipPath = (m: FixtureModule) => `/${escapePath(m.path)}/@v/${m.version}.zip`;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const fixtureZip = (m: FixtureModule) => readFile(join(dir, escapePath(m.path), '@v', `${m.version}.zip`));
const zipFetches = (m: FixtureModule) => upstream.requests.filter((r) => r.path === zipPath(m)).length;

/** A program requiring `required`, with the go.sum lines of every fixture module. */
async function program(required: FixtureModule[]): Promise<string> {
  const work = makeTempDir('prefetch-program');
  const requires = required.map((m) => `\t${m.path} ${m.version}\n`).join('');
  await writeFile(join(work, 'go.mod'), `module example.com/app\n\ngo 1.21\n\nrequire (\n${requires})\n`);
  await writeFile(join(work, 'go.sum'), goSum);
  return work;
}

/** Waits for every fetch under way, prefetches included (the admin flush). */
async function flush(proxy: { adminUrl: string; token: string }): Promise<void> {
  const res = await request(`${proxy.adminUrl}/flush`, {
    method: 'POST',
    headers: { authorization: `Bearer ${proxy.token}` },
  });
  assert.equal(res.statusCode, 200, await res.body.text());
}

type AuditLine = { module: string; kind: string; source: string; verification?: string };

/** A proxy whose zip prefetch has the given bounds, and its audit log's lines. */
async function auditedProxy(zipPrefetch: { concurrency: number; ahead: number }) {
  const auditLogFile = join(makeTempDir('prefetch-audit'), 'audit.jsonl');
  const proxy = await startTestProxy({
    upstream: upstream.url,
    goSumFiles: [goSumFile],
    auditLogFile,
    zipPrefetch,
  });
  const audit = async () =>
    (await readFile(auditLogFile, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditLine);
  return { proxy, audit };
}

test('issue 9: go mod download all gets each zip through its prefetch: right bytes, one upstream fetch each, counted and audited as the client request', async () => {
  // Room for every zip of the graph at once: each .info starts its zip before the go command asks.
  const { proxy, audit } = await auditedProxy({ concurrency: 8, ahead: 8 });
  const gomodcache = makeTempDir('prefetch-modcache');
  try {
    upstream.resetLog();
    const work = await program([big, mid]);
    const run = await runGo(['mod', 'download', 'all'], work, goEnv({ goproxy: proxy.url, gomodcache }));
    assert.equal(run.code, 0, run.stderr);
    for (const m of graph) {
      const cached = await readFile(
        join(gomodcache, 'cache/download', escapePath(m.path), '@v', `${m.version}.zip`),
      );
      assert.equal(
        sha(cached),
        sha(await fixtureZip(m)),
        `${m.path}: the go command got the upstream's bytes`,
      );
      assert.equal(zipFetches(m), 1, `${m.path}: one upstream fetch, shared by the prefetch and the client`);
      assert.ok(existsSync(join(proxy.storeDir, escapePath(m.path), '@v', `${m.version}.zip`)), 'stored');
    }
    await flush(proxy);
    const stats = proxy.stats.snapshot();
    assert.deepEqual(stats.prefetch, { zips: graph.length, asked: graph.length });
    // The client's requests, each once: a prefetch is not a request.
    assert.equal(stats.byKind.zip.requests, graph.length);
    assert.equal(stats.byKind.zip.upstreamFetches, graph.length, 'each zip request caused its fetch');
    assert.equal(stats.byKind.zip.hits, 0);
  } finally {
    await proxy.close();
  }
  const zipLines = (await audit()).filter((l) => l.kind === 'zip');
  assert.deepEqual(zipLines.map((l) => l.module).sort(), graph.map((m) => m.path).sort());
  for (const line of zipLines) {
    assert.equal(line.source, 'upstream', `${line.module}: fetched for this request, ahead of it`);
    assert.equal(line.verification, 'verified:go.sum');
  }
});

test('issue 9: a zip the policy refuses (by version range or by age) is never prefetched; an allowed one beside it is', async () => {
  const policy = new ProxyPolicy(
    parsePolicyText(
      `deny:
  - module: example.com/pre/ranged
    versions: ">= v1.5.0"
    reason: "v1.5.0 is broken"
rules:
  min-age: 72h
`,
      '.goproxy.yml',
    ),
  );
  const proxy = await startTestProxy({
    upstream: upstream.url,
    goSumFiles: [goSumFile],
    policy,
    zipPrefetch: { concurrency: 8, ahead: 8 },
  });
  try {
    upstream.resetLog();
    for (const m of [young, ranged, leaf]) {
      const info = await request(`${proxy.url}/${escapePath(m.path)}/@v/${m.version}.info`);
      await info.body.text();
    }
    await flush(proxy);
    assert.equal(zipFetches(young), 0, 'too new for min-age: its zip is not fetched');
    assert.equal(zipFetches(ranged), 0, 'in a denied range: its zip is not fetched');
    assert.equal(zipFetches(leaf), 1, 'allowed: prefetched');
    assert.deepEqual(proxy.stats.snapshot().prefetch, { zips: 1, asked: 0 });

    // The go command asking for the refused ones still gets the policy's answer.
    const work = makeTempDir('prefetch-policy');
    await writeFile(join(work, 'go.mod'), 'module example.com/app\n\ngo 1.21\n');
    const env = goEnv({ goproxy: proxy.url, extra: { GOFLAGS: '-modcacherw -mod=mod' } });
    const run = await runGo(['mod', 'download', `${young.path}@${young.version}`], work, env);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /min-age/);
    assert.equal(zipFetches(young), 0);
  } finally {
    await proxy.close();
  }
});

test('issue 9: a prefetched zip that fails verification stores nothing; the go command then gets the error from its own request', async () => {
  upstream.setFault((p) => p === zipPath(leaf), { kind: 'corrupt' });
  const proxy = await startTestProxy({
    upstream: upstream.url,
    goSumFiles: [goSumFile],
    http: { attempts: 1 },
    zipPrefetch: { concurrency: 8, ahead: 8 },
  });
  try {
    upstream.resetLog();
    const work = makeTempDir('prefetch-corrupt');
    await writeFile(join(work, 'go.mod'), 'module example.com/app\n\ngo 1.21\n');
    const gomodcache = makeTempDir('prefetch-corrupt-modcache');
    const env = goEnv({ goproxy: proxy.url, gomodcache, extra: { GOFLAGS: '-modcacherw -mod=mod' } });
    const run = await runGo(['mod', 'download', `${leaf.path}@${leaf.version}`], work, env);
    assert.notEqual(run.code, 0, 'the go command fails');
    assert.match(run.stderr, /502|checksum|does not match|mismatch/i);
    assert.doesNotMatch(run.stderr, /SECURITY ERROR/, 'no bad zip ever reached it whole');
    assert.equal(zipFetches(leaf), 2, 'the prefetch fetched it, then the client request fetched it again');
    assert.ok(!existsSync(join(proxy.storeDir, escapePath(leaf.path), '@v', `${leaf.version}.zip`)));
    assert.ok(!existsSync(join(gomodcache, `${leaf.path}@${leaf.version}`)), 'nothing extracted');
    await flush(proxy);
    const stats = proxy.stats.snapshot();
    assert.deepEqual(stats.prefetch, { zips: 0, asked: 0 });
    assert.equal(stats.byKind.zip.errors, 1);

    upstream.clearFaults();
    const again = await runGo(['mod', 'download', `${leaf.path}@${leaf.version}`], work, env);
    assert.equal(again.code, 0, `a healthy upstream then serves it: ${again.stderr}`);
  } finally {
    upstream.clearFaults();
    await proxy.close();
  }
});

test('issue 9: go list -m -json all asks .info and no zip: at most `ahead` zips are prefetched for it, none counted as a request', async () => {
  const { proxy, audit } = await auditedProxy({ concurrency: 1, ahead: 1 });
  try {
    upstream.resetLog();
    const work = await program([big, mid]);
    const run = await runGo(['list', '-m', '-json', 'all'], work, goEnv({ goproxy: proxy.url }));
    assert.equal(run.code, 0, run.stderr);
    const infos = upstream.requests.filter((r) => r.path.endsWith('.info')).length;
    assert.equal(infos, graph.length, 'the go command asked each module .info');
    await flush(proxy);
    const zips = graph.reduce((n, m) => n + zipFetches(m), 0);
    assert.equal(zips, 1, 'one zip prefetched: the bound, not the build list');
    const stats = proxy.stats.snapshot();
    assert.deepEqual(stats.prefetch, { zips: 1, asked: 0 });
    assert.equal(stats.byKind.zip.requests, 0);
  } finally {
    await proxy.close();
  }
  const kinds = (await audit()).map((l) => l.kind);
  assert.ok(!kinds.includes('zip'), 'no audit line for a zip no client asked for');
});
