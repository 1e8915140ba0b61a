// Three engine limits of issue 9's cold path: a slow client of a streamed cold zip holds
// neither the upstream fetch nor the other clients of that blob; a min-age list does not fan
// out into one upstream .info per version without bound; the stale answers served when the
// upstream fails are kept apart per module and per question.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { get, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { request } from 'undici';
import { escapePath } from '../../src/gomod/module-path.ts';
import { parsePolicyText } from '../../src/policy/policy-file.ts';
import { ProxyPolicy } from '../../src/policy/proxy-policy.ts';
import { type FixtureModule, goSumFor, writeFixtureModules } from '../support/fixture-modules.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { makeTempDir } from '../support/go-env.ts';
import { startTestProxy } from '../support/test-proxy.ts';

// Incompressible and well over what the loopback socket buffers hold (a few MiB), so a client
// that reads slowly really makes the server wait on it.
const huge: FixtureModule = {
  path: 'example.com/limits/huge',
  version: 'v1.0.0',
  files: {
    'huge.go': `package huge\n\n// Data is filler.\nconst Data = "${randomBytes(12 << 20).toString('base64')}"\n`,
  },
};
// min-age: twelve old versions.
const many: FixtureModule[] = Array.from({ length: 12 }, (_, i) => ({
  path: 'example.com/limits/many',
  version: `v1.${i}.0`,
}));
// Stale answers: a module, and two modules whose paths continue it with `list` and `latest`.
const lib = ['v1.0.0', 'v1.1.0', 'v1.2.0'].map((version) => ({ path: 'example.com/st/lib', version }));
const nestedList: FixtureModule = { path: 'example.com/st/lib/list', version: 'v1.0.0' };
const nestedLatest: FixtureModule = { path: 'example.com/st/lib/latest', version: 'v1.0.0' };
const modules = [huge, ...many, ...lib, nestedList, nestedLatest];

let dir: string;
let goSumFile: string;
let upstream: FixtureProxy;

before(async () => {
  dir = makeTempDir('limits-fixtures');
  await writeFixtureModules(dir, modules);
  goSumFile = join(makeTempDir('limits-gosum'), 'go.sum');
  await writeFile(goSumFile, await goSumFor(dir, [huge]));
  upstream = await startFixtureProxy({ dir });
});

after(async () => {
  await upstream.close();
});

const zipPath = (m: FixtureModule) => `/${escapePath(m.path)}/@v/${m.version}.zip`;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function getText(base: string, path: string) {
  const res = await request(`${base}${path}`);
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers, body, text: body.toString('utf8') };
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 1500 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(check(), what);
}

/** A GET that reads its body slowly: what Node buffered, every 250 ms, until `fast()`. */
function slowGet(base: string, path: string) {
  const chunks: Buffer[] = [];
  const state = { status: 0, received: 0, ended: false, closed: false };
  let res: IncomingMessage | null = null;
  let timer: NodeJS.Timeout | undefined;
  const take = () => {
    for (let c = res?.read() as Buffer | null; c; c = res?.read() as Buffer | null) {
      chunks.push(c);
      state.received += c.length;
    }
  };
  const done = new Promise<void>((resolve) => {
    const req = get(`${base}${path}`, (r) => {
      res = r;
      state.status = r.statusCode ?? 0;
      r.pause();
      timer = setInterval(take, 250);
      r.on('end', () => {
        state.ended = true;
        resolve();
      });
      r.on('close', () => {
        state.closed = true;
        resolve();
      });
      r.on('error', () => resolve());
    });
    req.on('error', () => resolve());
  });
  return {
    state,
    done,
    body: () => Buffer.concat(chunks),
    /** From now on, read as fast as the data comes. */
    fast() {
      clearInterval(timer);
      res?.on('readable', take);
      take();
    },
    destroy() {
      clearInterval(timer);
      res?.destroy();
    },
  };
}

// ---- limit 1 --------------------------------------------------------------------------------

test('limit 1: a slow-but-reading client of a streamed cold zip holds neither the upstream fetch nor another client of the same zip', async () => {
  const want = await readFile(join(dir, escapePath(huge.path), '@v', `${huge.version}.zip`));
  assert.ok(want.length > 10 << 20, 'the fixture zip is far larger than the socket buffers');
  // The slow client is never silent long enough to be dropped (60 s); the fetch deadline is 20 s.
  const proxy = await startTestProxy({
    upstream: upstream.url,
    goSumFiles: [goSumFile],
    http: { attempts: 1, timeoutMs: 60_000, deadlineMs: 20_000 },
  });
  const slow = slowGet(proxy.url, zipPath(huge));
  try {
    upstream.resetLog();
    await until('the slow client receives the first bytes', () => slow.state.received > 0);
    assert.equal(slow.state.status, 200);

    // Another client of the same blob joins the shared fetch: it gets the whole zip as soon as
    // the upstream has sent it and it is verified, not when the slow client is done.
    const other = await getText(proxy.url, zipPath(huge));
    assert.equal(other.status, 200, other.text.slice(0, 300));
    assert.equal(sha(other.body), sha(want));
    assert.ok(!slow.state.ended && !slow.state.closed, 'the slow client is still reading');
    assert.ok(slow.state.received < want.length, 'and has not had the whole zip yet');
    const stored = join(proxy.storeDir, escapePath(huge.path), '@v', `${huge.version}.zip`);
    await until('the fetch completed and was stored while the slow client reads', () => existsSync(stored));
    assert.ok(!slow.state.ended && !slow.state.closed, 'the slow client is still reading');
    assert.equal(upstream.requests.filter((r) => r.path === zipPath(huge)).length, 1, 'one upstream fetch');

    // The slow client still gets every byte, right, from the spool file.
    slow.fast();
    await slow.done;
    assert.ok(slow.state.ended, 'the slow client got a complete answer');
    assert.equal(sha(slow.body()), sha(want));
  } finally {
    slow.destroy();
    await proxy.close();
  }
});

// ---- limit 2 --------------------------------------------------------------------------------

test("limit 2: a min-age list looks up at most the newest N versions' .info; older versions of unknown age are left out, and asked for by name are judged on their own", async () => {
  const policy = new ProxyPolicy(parsePolicyText('rules:\n  min-age: 72h\n', 'policy.yml'));
  const proxy = await startTestProxy({ upstream: upstream.url, policy, listMetadataLimit: 4 });
  const base = `/${escapePath('example.com/limits/many')}/@v`;
  try {
    upstream.resetLog();
    const list = await getText(proxy.url, `${base}/list`);
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.text.trim().split('\n'), ['v1.8.0', 'v1.9.0', 'v1.10.0', 'v1.11.0']);
    const infos = upstream.requests.filter((r) => r.path.startsWith(base) && r.path.endsWith('.info'));
    assert.equal(
      infos.length,
      4,
      `one .info per looked-up version only: ${infos.map((r) => r.path).join(' ')}`,
    );

    // An older version asked for by name is judged on its own .info (old enough: allowed).
    const zip = await getText(proxy.url, `${base}/v1.2.0.zip`);
    assert.equal(zip.status, 200, zip.text);

    // Known ages cost no fetch: the next list looks up the newest 4 still unknown.
    upstream.resetLog();
    const again = await getText(proxy.url, `${base}/list`);
    assert.deepEqual(again.text.trim().split('\n'), [
      'v1.2.0',
      'v1.4.0',
      'v1.5.0',
      'v1.6.0',
      'v1.7.0',
      'v1.8.0',
      'v1.9.0',
      'v1.10.0',
      'v1.11.0',
    ]);
    const fetched = upstream.requests.filter((r) => r.path.endsWith('.info')).map((r) => r.path);
    assert.deepEqual(
      fetched.sort(),
      ['v1.4.0', 'v1.5.0', 'v1.6.0', 'v1.7.0'].map((v) => `${base}/${v}.info`),
      'only versions of unknown age are looked up',
    );
  } finally {
    await proxy.close();
  }
});

// ---- limit 3 --------------------------------------------------------------------------------

test('limit 3: stale answers are kept per module and per question: list, @latest and each query of a module, and modules whose paths continue it, never share one', async () => {
  const libDir = join(dir, escapePath('example.com/st/lib'), '@v');
  // Query answers the fixture serves as files: each names a different version, so a mix-up shows.
  await mkdir(libDir, { recursive: true });
  await writeFile(join(libDir, 'v1.info'), '{"Version":"v1.1.0","Time":"2021-01-01T00:00:01Z"}\n');
  await writeFile(join(libDir, 'latest.info'), '{"Version":"v1.0.0","Time":"2021-01-01T00:00:02Z"}\n');
  await writeFile(join(libDir, 'main.info'), '{"Version":"v1.2.0","Time":"2021-01-01T00:00:03Z"}\n');
  const proxy = await startTestProxy({ upstream: upstream.url });
  const m = (p: string) => `/${escapePath(p)}`;
  // Nested modules first, then the outer one, then the other way round: each order once.
  const paths = [
    `${m(nestedList.path)}/@v/list`,
    `${m('example.com/st/lib')}/@v/list`,
    `${m('example.com/st/lib')}/@latest`,
    `${m(nestedLatest.path)}/@latest`,
    `${m(nestedLatest.path)}/@v/list`,
    `${m(nestedList.path)}/@latest`,
    `${m('example.com/st/lib')}/@v/v1.info`,
    `${m('example.com/st/lib')}/@v/latest.info`,
    `${m('example.com/st/lib')}/@v/main.info`,
  ];
  try {
    const fresh = new Map<string, string>();
    for (const path of paths) {
      const answer = await getText(proxy.url, path);
      assert.equal(answer.status, 200, `${path}: ${answer.text}`);
      assert.equal(answer.headers['x-goproxy-action-stale'], undefined);
      fresh.set(path, answer.text);
    }
    assert.equal(
      new Set(fresh.values()).size,
      paths.length - 2,
      'the nested modules answer alike, the rest differ',
    );
    upstream.setFault((p) => p.startsWith('/example.com/st/'), { kind: 'status', status: 500 });
    for (const path of paths) {
      const stale = await getText(proxy.url, path);
      assert.equal(stale.status, 200, `${path}: its own saved answer is served: ${stale.text}`);
      assert.match(String(stale.headers['x-goproxy-action-stale']), /upstream failed/);
      assert.equal(stale.text, fresh.get(path), `${path}: its own answer, not another's`);
    }
  } finally {
    upstream.clearFaults();
    await proxy.close();
  }
});
