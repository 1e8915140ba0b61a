// The module request pipeline of the engine issue: per-attempt state for `A|B` (item 5),
// the fetch deadline and a bounded SIGTERM (item 6), the store answering list/@latest when no
// upstream can (item 10), policy-blocked versions left out of lists and @latest (item 17),
// one record per request feeding statistics and the audit log (item 19), streaming a cold
// zip only where no `|` fallback remains, aborting it when it fails verification (issue 9),
// and the X-Goproxy-Source header (issue 10).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { get, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { request } from 'undici';
import { escapePath } from '../../src/gomod/module-path.ts';
import { parsePolicyText } from '../../src/policy/policy-file.ts';
import { ProxyPolicy } from '../../src/policy/proxy-policy.ts';
import { type FixtureModule, goSumFor, writeFixtureModules } from '../support/fixture-modules.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { goEnv, makeTempDir, runGo } from '../support/go-env.ts';
import { startServeProcess } from '../support/serve-process.ts';
import { startTestProxy } from '../support/test-proxy.ts';

const hourAgo = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const filler = (kib: number) => randomBytes(kib * 1024).toString('base64');

const big: FixtureModule = {
  path: 'example.com/pipe/big',
  version: 'v1.0.0',
  // Incompressible: the zip is over the 1 MiB from which cold zips are streamed.
  files: { 'big.go': `package big\n\n// Data is filler.\nconst Data = "${filler(1100)}"\n` },
};
const small: FixtureModule = { path: 'example.com/pipe/small', version: 'v1.0.0' };
const toolFiles = { 'main.go': 'package main\n\nfunc main() {}\n' };
const modules: FixtureModule[] = [
  big,
  small,
  { path: 'example.com/pipe/tool', version: 'v1.0.0', files: toolFiles },
  { path: 'example.com/pipe/tool', version: 'v1.1.0', files: toolFiles },
  { path: 'example.com/pipe/tool', version: 'v1.2.0', files: toolFiles },
  // item 17: v1.1.0 is too new for min-age 72h.
  { path: 'example.com/age/lib', version: 'v1.0.0' },
  { path: 'example.com/age/lib', version: 'v1.1.0', time: hourAgo },
  // item 17: v1.5.0 is in a denied range.
  { path: 'example.com/range/lib', version: 'v1.0.0' },
  { path: 'example.com/range/lib', version: 'v1.5.0' },
  // item 17: the latest version retracts v1.1.0.
  { path: 'example.com/retr/lib', version: 'v1.0.0' },
  { path: 'example.com/retr/lib', version: 'v1.1.0' },
  {
    path: 'example.com/retr/lib',
    version: 'v1.2.0',
    goMod: 'module example.com/retr/lib\n\ngo 1.21\n\n// Broken build.\nretract v1.1.0\n',
  },
];

const policyText = `deny:
  - module: example.com/range/lib
    versions: ">= v1.5.0"
    reason: "v1.5.0 corrupts data"
rules:
  retracted: deny
  min-age: 72h
`;

let dir: string;
let goSumFile: string;
let upstream: FixtureProxy;
let second: FixtureProxy;
let zipSha: (m: FixtureModule) => Promise<string>;

before(async () => {
  dir = makeTempDir('pipeline-fixtures');
  await writeFixtureModules(dir, modules);
  goSumFile = join(makeTempDir('pipeline-gosum'), 'go.sum');
  await writeFile(goSumFile, await goSumFor(dir, modules));
  upstream = await startFixtureProxy({ dir });
  second = await startFixtureProxy({ dir });
  zipSha = async (m) =>
    createHash('sha256')
      .update(await readFile(join(dir, escapePath(m.path), '@v', `${m.version}.zip`)))
      .digest('hex');
});

after(async () => {
  await upstream.close();
  await second.close();
});

const zipPath = (m: FixtureModule) => `/${escapePath(m.path)}/@v/${m.version}.zip`;

async function getBytes(base: string, path: string) {
  const res = await request(`${base}${path}`);
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers, body, text: body.toString('utf8') };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function storedZip(storeDir: string, m: FixtureModule): string {
  return join(storeDir, escapePath(m.path), '@v', `${m.version}.zip`);
}

/** A GET whose body is read as it arrives: `received` grows while the answer is under way. */
function openGet(base: string, path: string) {
  const state = { status: 0, received: 0, ended: false, failed: false, res: null as IncomingMessage | null };
  const done = new Promise<void>((resolve) => {
    const req = get(`${base}${path}`, (res) => {
      state.status = res.statusCode ?? 0;
      state.res = res;
      res.on('data', (c: Buffer) => {
        state.received += c.length;
      });
      res.on('end', () => {
        state.ended = true;
        resolve();
      });
      res.on('error', () => {
        state.failed = true;
        resolve();
      });
      res.on('close', () => resolve());
    });
    req.on('error', () => {
      state.failed = true;
      resolve();
    });
  });
  return { state, done };
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(check(), what);
}

// ---- item 5 ---------------------------------------------------------------------------------

test('item 5: `A|B` falls back to B for a .zip after A sent part of a body (reset, truncated, wrong bytes, garbage)', async () => {
  const faults = [
    { kind: 'reset' },
    { kind: 'truncate', bytes: 2000 },
    { kind: 'corrupt' },
    { kind: 'garbage' },
  ] as const;
  for (const fault of faults) {
    for (const m of [small, big]) {
      upstream.setFault((p) => p === zipPath(m), fault);
      second.resetLog();
      const proxy = await startTestProxy({
        upstream: `${upstream.url}|${second.url}`,
        goSumFiles: [goSumFile],
        http: { attempts: 1 },
      });
      try {
        const res = await getBytes(proxy.url, zipPath(m));
        assert.equal(res.status, 200, `${fault.kind} ${m.path}: ${res.text.slice(0, 300)}`);
        assert.equal(sha(res.body), await zipSha(m), `${fault.kind} ${m.path}: B's bytes`);
        assert.equal(second.requests.filter((r) => r.path === zipPath(m)).length, 1, 'B was asked');
        assert.ok(existsSync(storedZip(proxy.storeDir, m)), `${fault.kind} ${m.path}: B's zip stored`);
        assert.equal(sha(await readFile(storedZip(proxy.storeDir, m))), await zipSha(m));
      } finally {
        upstream.clearFaults();
        await proxy.close();
      }
    }
  }
});

// ---- item 6 ---------------------------------------------------------------------------------

test('item 6: an upstream trickling a byte at a time hits the fetch deadline (502), and `|` moves on to the next', async () => {
  upstream.setFault((p) => p === zipPath(small), { kind: 'trickle', intervalMs: 100 });
  const alone = await startTestProxy({
    upstream: upstream.url,
    goSumFiles: [goSumFile],
    http: { attempts: 1, timeoutMs: 5_000, deadlineMs: 1_500 },
  });
  const piped = await startTestProxy({
    upstream: `${upstream.url}|${second.url}`,
    goSumFiles: [goSumFile],
    http: { attempts: 1, timeoutMs: 5_000, deadlineMs: 1_500 },
  });
  try {
    const failed = await getBytes(alone.url, zipPath(small));
    assert.equal(failed.status, 502);
    assert.match(failed.text, /fetch deadline/);
    const ok = await getBytes(piped.url, zipPath(small));
    assert.equal(ok.status, 200, ok.text);
    assert.equal(sha(ok.body), await zipSha(small));
  } finally {
    upstream.clearFaults();
    await alone.close();
    await piped.close();
  }
});

test('item 6: SIGTERM stops the real serve process while an upstream trickles forever', {
  timeout: 90_000,
}, async () => {
  upstream.setFault((p) => p === zipPath(big), { kind: 'trickle', intervalMs: 200 });
  upstream.resetLog();
  const store = join(makeTempDir('sigterm'), 'store');
  // Default fetch deadline (minutes): only the shutdown grace can end this request.
  const proxy = await startServeProcess([
    '--store',
    store,
    '--upstream',
    upstream.url,
    '--go-sum',
    goSumFile,
    '--shutdown-grace',
    '1s',
  ]);
  try {
    const pending = openGet(proxy.ready.url, zipPath(big));
    await until('the upstream is trickling', () =>
      upstream.requests.some((r) => r.path === zipPath(big) && r.bytes > 0),
    );
    proxy.child.kill('SIGTERM');
    assert.equal(await proxy.exited, 0, proxy.log());
    await pending.done;
    assert.ok(!pending.state.ended || pending.state.status !== 200, 'the client got no complete answer');
    assert.ok(!existsSync(join(store, escapePath(big.path), '@v', 'v1.0.0.zip')), 'nothing stored');
  } finally {
    upstream.clearFaults();
    proxy.child.kill('SIGKILL');
  }
});

// ---- item 10 --------------------------------------------------------------------------------

test('item 10: with --upstream off the store answers list and @latest: go list -m -versions and go install work offline, as from file://', async () => {
  const warm = await startTestProxy({ upstream: upstream.url, goSumFiles: [goSumFile] });
  const storeDir = warm.storeDir;
  try {
    const env = goEnv({ goproxy: warm.url });
    const run = await runGo(
      ['mod', 'download', 'example.com/pipe/tool@v1.0.0', 'example.com/pipe/tool@v1.1.0'],
      makeTempDir('warm'),
      env,
    );
    assert.equal(run.code, 0, run.stderr);
  } finally {
    await warm.close();
  }
  const offline = await startTestProxy({ upstream: 'off', goSumFiles: [goSumFile], storeDir });
  // The end of a chain that found nothing: an upstream that has no such module.
  const emptyUpstream = await startFixtureProxy({ dir: makeTempDir('empty-upstream') });
  const notFound = await startTestProxy({ upstream: emptyUpstream.url, goSumFiles: [goSumFile], storeDir });
  try {
    for (const [name, url] of [
      ['off', offline.url],
      ['a chain that found nothing', notFound.url],
      ['file://', `file://${storeDir}`],
    ] as const) {
      const work = makeTempDir('offline');
      const env = goEnv({ goproxy: url });
      const versions = await runGo(['list', '-m', '-versions', 'example.com/pipe/tool'], work, env);
      assert.equal(versions.code, 0, `${name}: ${versions.stderr}`);
      assert.equal(versions.stdout.trim(), 'example.com/pipe/tool v1.0.0 v1.1.0', name);
      const gobin = makeTempDir('gobin');
      for (const query of ['latest', 'v1.0.0', 'v1']) {
        const install = await runGo(['install', `example.com/pipe/tool@${query}`], work, {
          ...env,
          GOBIN: gobin,
        });
        assert.equal(install.code, 0, `${name} install @${query}: ${install.stderr}`);
      }
      assert.ok(existsSync(join(gobin, 'tool')), name);
    }
    const latest = await getBytes(offline.url, '/example.com/pipe/tool/@latest');
    assert.equal(JSON.parse(latest.text).Version, 'v1.1.0');
    assert.equal(latest.headers['x-goproxy-source'], 'store');
    assert.equal((await getBytes(offline.url, '/example.com/pipe/none/@v/list')).status, 404);
  } finally {
    await offline.close();
    await notFound.close();
    await emptyUpstream.close();
  }
});

// ---- item 17 --------------------------------------------------------------------------------

test('item 17: versions the policy blocks are left out of @v/list and @latest; go get @latest and go mod tidy pick the newest allowed', async () => {
  const policy = new ProxyPolicy(parsePolicyText(policyText, '.goproxy.yml'));
  const proxy = await startTestProxy({ upstream: upstream.url, goSumFiles: [goSumFile], policy });
  try {
    const list = async (m: string) => (await getBytes(proxy.url, `/${m}/@v/list`)).text.trim().split('\n');
    assert.deepEqual(await list('example.com/age/lib'), ['v1.0.0'], 'too new by min-age');
    assert.deepEqual(await list('example.com/range/lib'), ['v1.0.0'], 'in a denied range');
    assert.deepEqual(await list('example.com/retr/lib'), ['v1.0.0', 'v1.2.0'], 'retracted by the latest');
    const latest = async (m: string) => JSON.parse((await getBytes(proxy.url, `/${m}/@latest`)).text).Version;
    assert.equal(await latest('example.com/age/lib'), 'v1.0.0');
    assert.equal(await latest('example.com/range/lib'), 'v1.0.0');
    // The .info of each listed version was fetched once, and kept: it is immutable.
    assert.ok(existsSync(join(proxy.storeDir, 'example.com/age/lib/@v/v1.1.0.info')));

    // An explicit request for a blocked version still gets the 403 and its reason.
    const young = await getBytes(proxy.url, '/example.com/age/lib/@v/v1.1.0.zip');
    assert.equal(young.status, 403);
    assert.match(young.text, /rules\.min-age 72h/);
    const ranged = await getBytes(proxy.url, '/example.com/range/lib/@v/v1.5.0.zip');
    assert.equal(ranged.status, 403);
    assert.match(ranged.text, /v1\.5\.0 corrupts data/);

    // The real go command picks the newest allowed version by itself.
    const work = makeTempDir('item17');
    const env = goEnv({ goproxy: proxy.url, extra: { GOFLAGS: '-modcacherw -mod=mod' } });
    await writeFile(join(work, 'go.mod'), 'module example.com/app\n\ngo 1.21\n');
    const got = await runGo(['get', 'example.com/age/lib@latest'], work, env);
    assert.equal(got.code, 0, got.stderr);
    assert.match(await readFile(join(work, 'go.mod'), 'utf8'), /example\.com\/age\/lib v1\.0\.0/);

    const tidyDir = makeTempDir('item17-tidy');
    await writeFile(join(tidyDir, 'go.mod'), 'module example.com/app\n\ngo 1.21\n');
    await writeFile(
      join(tidyDir, 'main.go'),
      'package main\n\nimport (\n\t_ "example.com/age/lib"\n\t_ "example.com/range/lib"\n)\n\nfunc main() {}\n',
    );
    const tidy = await runGo(['mod', 'tidy'], tidyDir, env);
    assert.equal(tidy.code, 0, tidy.stderr);
    const goMod = await readFile(join(tidyDir, 'go.mod'), 'utf8');
    assert.match(goMod, /example\.com\/age\/lib v1\.0\.0/);
    assert.match(goMod, /example\.com\/range\/lib v1\.0\.0/);
  } finally {
    await proxy.close();
  }
});

// ---- issue 9: streaming ---------------------------------------------------------------------

test('issue 9: a cold zip from the last upstream streams to the client while it arrives; with a `|` fallback left it is buffered', async () => {
  upstream.setFault((p) => p === zipPath(big), { kind: 'stall' });
  const last = await startTestProxy({ upstream: upstream.url, goSumFiles: [goSumFile] });
  const piped = await startTestProxy({
    upstream: `${upstream.url}|${second.url}`,
    goSumFiles: [goSumFile],
    http: { attempts: 1, deadlineMs: 3_000 },
  });
  try {
    upstream.resetLog();
    const streaming = openGet(last.url, zipPath(big));
    await until(
      'the client receives bytes while the upstream is stalled half-way',
      () => streaming.state.received > 0,
    );
    assert.equal(streaming.state.status, 200);
    assert.ok(
      streaming.state.received < (await readFile(join(dir, escapePath(big.path), '@v/v1.0.0.zip'))).length,
    );
    streaming.state.res?.destroy();

    const buffered = openGet(piped.url, zipPath(big));
    await until(
      'the stalled upstream was asked',
      () => upstream.requests.filter((r) => r.path === zipPath(big)).length >= 2,
    );
    assert.equal(buffered.state.received, 0, 'nothing reaches the client while `|` may still move on');
    await buffered.done;
    assert.equal(buffered.state.status, 200);
    assert.ok(buffered.state.ended);
    assert.equal(buffered.state.received, (await readFile(storedZip(piped.storeDir, big))).length);
  } finally {
    upstream.clearFaults();
    await last.close();
    await piped.close();
  }
});

test('issue 9: a streamed zip that fails verification is aborted: the go command gets a clean error and no corrupted module cache', async () => {
  for (const fault of [{ kind: 'corrupt' } as const, { kind: 'garbage' } as const]) {
    upstream.setFault((p) => p === zipPath(big), fault);
    const proxy = await startTestProxy({
      upstream: upstream.url,
      goSumFiles: [goSumFile],
      http: { attempts: 1 },
    });
    try {
      const raw = openGet(proxy.url, zipPath(big));
      await raw.done;
      assert.equal(raw.state.status, 200, 'streaming had begun');
      assert.ok(!raw.state.ended, `${fault.kind}: the answer never completes`);

      const gomodcache = makeTempDir('item9-modcache');
      const work = makeTempDir('item9');
      await writeFile(join(work, 'go.mod'), 'module example.com/app\n\ngo 1.21\n');
      const env = goEnv({ goproxy: proxy.url, gomodcache, extra: { GOFLAGS: '-modcacherw -mod=mod' } });
      const run = await runGo(['mod', 'download', `${big.path}@${big.version}`], work, env);
      assert.notEqual(run.code, 0, `${fault.kind}: the go command fails`);
      assert.doesNotMatch(run.stderr, /SECURITY ERROR|checksum mismatch/, 'it never held the whole bad zip');
      assert.ok(!existsSync(join(gomodcache, `${big.path}@${big.version}`)), 'nothing extracted');
      const cached = join(gomodcache, 'cache/download', escapePath(big.path), '@v');
      const zips = existsSync(cached) ? readdirSync(cached).filter((f) => f.endsWith('.zip')) : [];
      assert.deepEqual(zips, [], 'no zip in the module cache');
      assert.ok(!existsSync(storedZip(proxy.storeDir, big)), 'nothing stored');

      upstream.clearFaults();
      const again = await runGo(['mod', 'download', `${big.path}@${big.version}`], work, env);
      assert.equal(again.code, 0, `${fault.kind}: a healthy upstream then serves it: ${again.stderr}`);
    } finally {
      upstream.clearFaults();
      await proxy.close();
    }
  }
});

// ---- item 19 and issue 10 -------------------------------------------------------------------

test('item 19: one record per request feeds statistics and the audit log: one upstream fetch for 8 concurrent cold requests; X-Goproxy-Source names the source', async () => {
  const auditLogFile = join(makeTempDir('pipeline-audit'), 'audit.jsonl');
  upstream.setFault((p) => p === zipPath(small), { kind: 'delay', ms: 300 });
  const proxy = await startTestProxy({ upstream: upstream.url, goSumFiles: [goSumFile], auditLogFile });
  try {
    const answers = await Promise.all(Array.from({ length: 8 }, () => getBytes(proxy.url, zipPath(small))));
    assert.ok(answers.every((a) => a.status === 200 && a.headers['x-goproxy-source'] === 'upstream'));
    const hit = await getBytes(proxy.url, zipPath(small));
    assert.equal(hit.headers['x-goproxy-source'], 'store');
    const streamed = await getBytes(proxy.url, zipPath(big));
    assert.equal(streamed.headers['x-goproxy-source'], 'upstream');
    assert.equal(sha(streamed.body), await zipSha(big));
    await until('statistics recorded', () => proxy.stats.snapshot().byKind.zip.requests === 10);
    const zip = proxy.stats.snapshot().byKind.zip;
    assert.equal(zip.upstreamFetches, 2, 'one fetch per cold blob, not one per request');
    assert.equal(zip.hits, 1);
    assert.equal(zip.misses, 9);
  } finally {
    upstream.clearFaults();
    await proxy.close();
  }
  const lines = (await readFile(auditLogFile, 'utf8'))
    .trim()
    .split('\n')
    .map(
      (l) =>
        JSON.parse(l) as {
          module: string;
          source: string;
          status: number;
          bytes: number;
          verification?: string;
        },
    );
  const bigLine = lines.find((l) => l.module === big.path);
  assert.ok(bigLine, 'the streamed answer is audited');
  assert.equal(bigLine.status, 200);
  assert.equal(bigLine.source, 'upstream');
  assert.equal(bigLine.verification, 'verified:go.sum');
  assert.equal(bigLine.bytes, (await readFile(join(dir, escapePath(big.path), '@v/v1.0.0.zip'))).length);
});
