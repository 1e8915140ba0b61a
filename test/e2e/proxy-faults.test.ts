// Bad input and upstream faults: each is answered with a clear error (or the next upstream
// per `,` / `|`), nothing unverified or partial is stored, and the proxy keeps serving.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { request } from 'undici';
import { escapePath } from '../../src/gomod/module-path.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld, type FixtureWorld } from '../support/fixture-world.ts';
import { goEnv, makeTempDir, runGo } from '../support/go-env.ts';
import { startTestProxy } from '../support/test-proxy.ts';

let world: FixtureWorld;
let upstream: FixtureProxy;
let second: FixtureProxy;

before(async () => {
  world = await createFixtureWorld();
  upstream = await startFixtureProxy({ dir: world.dir });
  second = await startFixtureProxy({ dir: world.dir });
});

after(async () => {
  await upstream.close();
  await second.close();
  await world.remove();
});

const goSum = () => [join(world.program, 'go.sum')];
const lib = () => world.roles.majorV1;
const zipPath = (m: { path: string; required: string }) => `/${escapePath(m.path)}/@v/${m.required}.zip`;

async function get(base: string, path: string) {
  const res = await request(`${base}${path}`);
  return {
    status: res.statusCode,
    type: String(res.headers['content-type']),
    text: await res.body.text(),
    headers: res.headers,
  };
}

/** Statistics are recorded once the answer is written, a moment after the client has it. */
async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check());
}

function storedFiles(storeDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else out.push(join(dir, e.name).slice(storeDir.length));
    }
  };
  walk(storeDir);
  return out;
}

test('hostile and malformed paths get a 4xx text answer and touch nothing outside the store', async () => {
  const root = makeTempDir('hostile');
  const storeDir = join(root, 'store');
  const proxy = await startTestProxy({ upstream: upstream.url, storeDir });
  try {
    const cases = [
      '/example.com/../../etc/passwd/@v/list',
      '/..%2f..%2fetc/@v/list',
      '/example.com%2fx/@v/list',
      '/example.com/!!bad/@v/list',
      '/example.com/Upper/@v/list',
      '/example.com/x/@v/v1.0.zip',
      '/example.com/x/@v/v1.0.0-.zip',
      '/example.com/x/@v/..%2f..%2fv1.0.0.zip',
      '/example.com/x%00/@v/list',
      `/example.com/${'a'.repeat(5000)}/@v/list`,
      '/example.com/x/v2/@v/v1.0.0.zip',
      '//etc/passwd',
      '/example.com/x/@v/v1.0.0.exe',
      '/sumdb/../x/latest',
    ];
    for (const path of cases) {
      const res = await get(proxy.url, path);
      assert.ok(res.status >= 400 && res.status < 500, `${path}: ${res.status}`);
      assert.match(res.type, /^text\/plain/, path);
      assert.ok(res.text.length > 0 && res.text.length <= 650, path);
    }
    assert.deepEqual(readdirSync(root), ['store'], 'nothing written beside the store');
    assert.equal(upstream.requests.filter((r) => r.path.includes('passwd')).length, 0);
  } finally {
    await proxy.close();
  }
});

test('upstream 5xx: a clear error with `,`; the next upstream with `|`; the proxy keeps serving', async () => {
  const target = zipPath(lib());
  upstream.setFault((p) => p === target, { kind: 'status', status: 503, body: 'upstream on fire' });
  try {
    const comma = await startTestProxy({ upstream: `${upstream.url},${second.url}`, goSumFiles: goSum() });
    const failed = await get(comma.url, target);
    assert.equal(failed.status, 502);
    assert.match(failed.text, /upstream failed: .*503/);
    assert.match(failed.type, /^text\/plain/);
    const other = await get(comma.url, zipPath(world.roles.noGoMod));
    assert.equal(other.status, 200, 'other modules still served');
    assert.ok(!storedFiles(comma.storeDir).some((f) => f.endsWith(`${lib().required}.zip`)));
    await comma.close();

    second.resetLog();
    const pipe = await startTestProxy({ upstream: `${upstream.url}|${second.url}`, goSumFiles: goSum() });
    const ok = await get(pipe.url, target);
    assert.equal(ok.status, 200);
    assert.equal(
      second.requests.filter((r) => r.path === target).length,
      1,
      'fell through to the second upstream',
    );
    await pipe.close();
  } finally {
    upstream.clearFaults();
  }
});

test('404 from the first upstream moves on with `,`', async () => {
  const target = zipPath(lib());
  upstream.setFault((p) => p === target, { kind: 'status', status: 404 });
  try {
    const proxy = await startTestProxy({ upstream: `${upstream.url},${second.url}`, goSumFiles: goSum() });
    assert.equal((await get(proxy.url, target)).status, 200);
    await proxy.close();
  } finally {
    upstream.clearFaults();
  }
});

test('429 and a reset are retried; a timeout is an error that `|` routes around', async () => {
  const target = zipPath(world.roles.upperCase);
  upstream.setFault((p) => p === target, {
    kind: 'once',
    fault: { kind: 'status', status: 429, retryAfter: '0' },
  });
  let proxy = await startTestProxy({ upstream: upstream.url, goSumFiles: goSum() });
  assert.equal((await get(proxy.url, target)).status, 200, 'retried after 429');
  await proxy.close();

  upstream.setFault((p) => p === target, { kind: 'delay', ms: 3_000 });
  try {
    proxy = await startTestProxy({
      upstream: `${upstream.url}|${second.url}`,
      goSumFiles: goSum(),
      http: { timeoutMs: 500, attempts: 1 },
    });
    second.resetLog();
    assert.equal((await get(proxy.url, target)).status, 200);
    assert.equal(second.requests.length, 1, 'timed-out upstream routed around');
    await proxy.close();
  } finally {
    upstream.clearFaults();
  }
});

test('truncated, reset and corrupt bodies are never stored; the go command prints why', async () => {
  for (const fault of [
    { kind: 'truncate', bytes: 100 } as const,
    { kind: 'reset' } as const,
    { kind: 'corrupt' } as const,
    { kind: 'corrupt', raw: true } as const,
  ]) {
    const target = zipPath(lib());
    upstream.setFault((p) => p === target, fault);
    const proxy = await startTestProxy({
      upstream: upstream.url,
      goSumFiles: goSum(),
      http: { attempts: 1 },
    });
    try {
      const res = await get(proxy.url, target);
      assert.equal(res.status, 502, JSON.stringify(fault));
      if (fault.kind === 'corrupt' && !('raw' in fault))
        assert.match(res.text, /checksum mismatch.*go\.sum/s);
      assert.ok(
        !storedFiles(proxy.storeDir).some((f) => f.endsWith('.zip') || f.includes('.tmp-')),
        `${JSON.stringify(fault)}: nothing stored`,
      );
      if (fault.kind === 'corrupt' && !('raw' in fault)) {
        const env = goEnv({ goproxy: proxy.url });
        const run = await runGo(['mod', 'download', `${lib().path}@${lib().required}`], world.program, env);
        assert.notEqual(run.code, 0);
        assert.match(
          run.stderr,
          /server response: .*checksum mismatch for example\.com\/lib@v1\.5\.0.*Not stored/,
        );
      }
      upstream.clearFaults();
      assert.equal((await get(proxy.url, target)).status, 200, 'served once the upstream is healthy');
      assert.ok(storedFiles(proxy.storeDir).some((f) => f.endsWith(`${lib().required}.zip`)));
    } finally {
      upstream.clearFaults();
      await proxy.close();
    }
  }
});

test('concurrent requests for one blob cause one upstream fetch', async () => {
  const target = zipPath(world.roles.majorV2);
  upstream.setFault((p) => p === target, { kind: 'delay', ms: 300 });
  const proxy = await startTestProxy({ upstream: upstream.url, goSumFiles: goSum() });
  try {
    upstream.resetLog();
    const answers = await Promise.all(Array.from({ length: 12 }, () => get(proxy.url, target)));
    assert.ok(answers.every((a) => a.status === 200));
    assert.equal(upstream.requests.filter((r) => r.path === target).length, 1);
  } finally {
    upstream.clearFaults();
    await proxy.close();
  }
});

test('list and @latest are fetched fresh; the stored answer is served (and marked) only when upstream fails', async () => {
  const path = `/${escapePath(world.roles.several.path)}/@v/list`;
  const proxy = await startTestProxy({ upstream: upstream.url });
  try {
    const fresh = await get(proxy.url, path);
    assert.equal(fresh.status, 200);
    assert.match(fresh.text, /v1\.3\.0-beta\.1/);
    upstream.resetLog();
    assert.equal((await get(proxy.url, path)).status, 200);
    assert.equal(upstream.requests.length, 1, 'asked upstream again');
    upstream.setFault((p) => p === path, { kind: 'status', status: 500 });
    const stale = await get(proxy.url, path);
    assert.equal(stale.status, 200);
    assert.equal(stale.text, fresh.text);
    assert.match(String(stale.headers['x-goproxy-action-stale']), /upstream failed/);
    await eventually(() => proxy.stats.snapshot().totals.staleServed === 1);
    upstream.setFault((p) => p === path, { kind: 'status', status: 404 });
    assert.equal((await get(proxy.url, path)).status, 404, 'a 404 is an answer, not a failure');
  } finally {
    upstream.clearFaults();
    await proxy.close();
  }
});

test('a blob with no go.sum line and GOSUMDB=off is served but not stored, and counted', async () => {
  const proxy = await startTestProxy({ upstream: upstream.url, gosumdb: 'off' });
  try {
    const res = await get(proxy.url, zipPath(lib()));
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-goproxy-action-stored'], 'false');
    assert.ok(!storedFiles(proxy.storeDir).some((f) => f.endsWith('.zip')));
    await eventually(() => proxy.stats.snapshot().totals.unverified === 1);
  } finally {
    await proxy.close();
  }
});
