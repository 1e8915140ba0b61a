// The store-hit fast path (issue 9, warm serving): a raw URL already answered from the store as
// a .zip is answered again without the parse and the pipeline. Each test proves it is the same
// answer the full path gives (status, headers in order, bytes, statistics, audit lines), that a
// policy still decides every request, and that a pruned blob is never served from the file the
// cache held. Which way a request went is observed by counting the pipeline's store opens.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { escapePath } from '../../src/gomod/module-path.ts';
import { parsePolicyText } from '../../src/policy/policy-file.ts';
import { ProxyPolicy } from '../../src/policy/proxy-policy.ts';
import type { BlobStore } from '../../src/store/blob-store.ts';
import { type FixtureModule, goSumFor, writeFixtureModules } from '../support/fixture-modules.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { makeTempDir } from '../support/go-env.ts';
import { startTestProxy } from '../support/test-proxy.ts';

const lib: FixtureModule = { path: 'example.com/fast/lib', version: 'v1.0.0' };
const denied: FixtureModule = { path: 'example.com/fast/denied', version: 'v1.5.0' };
const modules = [lib, denied];
const upper: FixtureModule = { path: 'example.com/fast/Upper', version: 'v1.0.0' };
const zipPath = (m: FixtureModule) => `/${escapePath(m.path)}/@v/${m.version}.zip`;

let dir: string;
let upstream: FixtureProxy;
let goSumFile: string;

before(async () => {
  dir = makeTempDir('fast-path-fixtures');
  await writeFixtureModules(dir, [...modules, upper]);
  upstream = await startFixtureProxy({ dir });
  goSumFile = join(makeTempDir('fast-path-gosum'), 'go.sum');
  await writeFile(goSumFile, await goSumFor(dir, [...modules, upper]));
});

after(async () => {
  await upstream?.close();
});

type Answer = { status: number; headers: string[]; body: Buffer };

/** One request on a fresh connection: status, raw headers in order (without Date), body. */
function ask(base: string, path: string, method: 'GET' | 'HEAD' = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i]!.toLowerCase();
          if (name !== 'date') headers.push(`${name}: ${res.rawHeaders[i + 1]}`);
        }
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Counts the pipeline's store opens of blobs: the full path opens, the fast path does not. */
function countPipelineOpens(store: BlobStore): { readonly count: number } {
  const original = store.openBlob.bind(store);
  const counter = { count: 0 };
  store.openBlob = (...args) => {
    counter.count++;
    return original(...args);
  };
  return counter;
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(check(), what);
}

type AuditLine = Record<string, unknown>;

async function auditLines(file: string): Promise<AuditLine[]> {
  return (await readFile(file, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as AuditLine);
}

/** An audit line without what differs per request (when, how long); keys kept in their order. */
function withoutTiming(line: AuditLine): string {
  const { time, durationMs, ...rest } = line;
  assert.equal(typeof time, 'string');
  assert.equal(typeof durationMs, 'number');
  return JSON.stringify(rest);
}

test('issue 9 fast path: repeated .zip store hits give the same status, headers, bytes, statistics and audit lines as the full path', async () => {
  const auditLogFile = join(makeTempDir('fast-path-audit'), 'audit.jsonl');
  const proxy = await startTestProxy({ upstream: upstream.url, goSumFiles: [goSumFile], auditLogFile });
  try {
    const opens = countPipelineOpens(proxy.store);
    const want = await readFile(join(dir, escapePath(lib.path), '@v', `${lib.version}.zip`));
    const cold = await ask(proxy.url, zipPath(lib));
    assert.equal(cold.status, 200);
    assert.ok(cold.headers.includes('x-goproxy-source: upstream'));
    // The first store hit takes the full path (and is remembered) ...
    const opensBefore = opens.count;
    const first = await ask(proxy.url, zipPath(lib));
    assert.equal(opens.count, opensBefore + 1, 'the first hit goes through the pipeline');
    // ... the next ones the fast path: no pipeline open at all.
    const repeated = [await ask(proxy.url, zipPath(lib)), await ask(proxy.url, zipPath(lib))];
    assert.equal(opens.count, opensBefore + 1, 'repeated hits skip the pipeline');
    for (const answer of [first, ...repeated]) {
      assert.equal(answer.status, 200);
      assert.ok(answer.body.equals(want), 'the stored zip, byte for byte');
    }
    assert.deepEqual(first.headers.slice(0, 4), [
      'content-type: application/zip',
      `content-length: ${want.length}`,
      'x-goproxy-source: store',
      'cache-control: public, max-age=604800, immutable',
    ]);
    for (const answer of repeated) assert.deepEqual(answer.headers, first.headers);

    // HEAD: another spelling of the path (never remembered) goes the full way; the
    // remembered one the fast way; the same answer either way.
    const headFull = await ask(proxy.url, zipPath(lib).replace('lib', '%6cib'), 'HEAD');
    const opensAfterFullHead = opens.count;
    const headFast = await ask(proxy.url, zipPath(lib), 'HEAD');
    assert.equal(opens.count, opensAfterFullHead, 'the remembered URL answers HEAD on the fast path');
    assert.equal(headFull.status, 200);
    assert.equal(headFull.body.length, 0);
    assert.deepEqual(headFast, headFull);
    assert.deepEqual(headFast.headers, first.headers, 'HEAD announces what GET sends');

    await until('statistics recorded', () => proxy.stats.snapshot().byKind.zip.requests === 6);
    const zip = proxy.stats.snapshot().byKind.zip;
    assert.equal(zip.hits, 5, 'every store answer counts as a hit, fast or not');
    assert.equal(zip.misses, 1);
    assert.equal(zip.servedBytes, 4 * want.length, 'HEAD answers send no body bytes');
    const module = proxy.stats.snapshot().modules.find((m) => m.path === lib.path);
    assert.deepEqual(module?.versions, [lib.version]);
    assert.equal(module?.hits, 5);
    assert.ok(proxy.store.usedVersions().has(`${lib.path}@${lib.version}`));
  } finally {
    await proxy.close();
  }
  const lines = await auditLines(auditLogFile);
  assert.equal(lines.length, 6);
  const [, firstHit, ...rest] = lines.map(withoutTiming);
  const [fast1, fast2, headFull, headFast] = rest;
  assert.equal(fast1, firstHit, 'a fast hit writes the very audit line the full path writes');
  assert.equal(fast2, firstHit);
  assert.equal(headFast, headFull);
  assert.deepEqual(Object.keys(lines[1]!), [
    'time',
    'module',
    'version',
    'kind',
    'source',
    'status',
    'bytes',
    'durationMs',
  ]);
});

test('issue 9 fast path: with a policy every request is decided again; a denial wins over a stored zip', async () => {
  const storeDir = join(makeTempDir('fast-path-policy'), 'store');
  // Fill the store without a policy (both versions stored) ...
  const filler = await startTestProxy({ upstream: upstream.url, goSumFiles: [goSumFile], storeDir });
  try {
    for (const m of modules) {
      assert.equal((await ask(filler.url, zipPath(m))).status, 200);
      assert.equal((await ask(filler.url, zipPath(m))).status, 200);
    }
  } finally {
    await filler.close();
  }
  // ... then serve it under a policy that denies one of them.
  const policy = new ProxyPolicy(
    parsePolicyText(
      `deny:\n  - module: ${denied.path}\n    versions: ">= v1.5.0"\n    reason: "v1.5.0 corrupts data"\n`,
      '.goproxy.yml',
    ),
  );
  const proxy = await startTestProxy({ upstream: upstream.url, goSumFiles: [goSumFile], storeDir, policy });
  try {
    const opens = countPipelineOpens(proxy.store);
    for (let i = 0; i < 3; i++) {
      const answer = await ask(proxy.url, zipPath(denied));
      assert.equal(answer.status, 403, `request ${i + 1} of a denied stored zip`);
      assert.match(answer.body.toString('utf8'), /corrupts data/);
    }
    for (let i = 0; i < 3; i++) {
      const answer = await ask(proxy.url, zipPath(lib));
      assert.equal(answer.status, 200);
      assert.ok(answer.headers.includes('x-goproxy-source: store'));
    }
    assert.equal(opens.count, 3, 'under a policy every allowed hit goes through the pipeline');
    await until('statistics recorded', () => proxy.stats.snapshot().byKind.zip.requests === 6);
    assert.equal(proxy.stats.snapshot().byKind.zip.denied, 3);
  } finally {
    await proxy.close();
  }
});

test('issue 9 fast path: a blob pruned under the open-file cache is not served from the file it held', async () => {
  const proxy = await startTestProxy({ upstream: upstream.url, goSumFiles: [goSumFile] });
  try {
    const opens = countPipelineOpens(proxy.store);
    const want = await readFile(join(dir, escapePath(lib.path), '@v', `${lib.version}.zip`));
    for (let i = 0; i < 3; i++) assert.equal((await ask(proxy.url, zipPath(lib))).status, 200);
    const opensBefore = opens.count;
    assert.equal((await ask(proxy.url, zipPath(lib))).status, 200);
    assert.equal(opens.count, opensBefore, 'the fast path was in use');
    // Prune everything (as a prune of versions this process did not serve would, or another
    // process on the same store): the blob is gone from disk.
    const pruned = await proxy.store.prune(new Set());
    assert.ok(pruned.removedFiles > 0);
    assert.equal(await proxy.store.stat(lib.path, lib.version, 'zip'), null);
    // The upstream now fails: an answer from the pruned file would still be a 200.
    upstream.setFault((p) => p.endsWith('.zip'), { kind: 'status', status: 404 });
    const gone = await ask(proxy.url, zipPath(lib));
    assert.equal(gone.status, 404, 'not served from the file the cache held');
    assert.equal(opens.count, opensBefore + 1, 'the full path decided it');
    upstream.clearFaults();
    const refetched = await ask(proxy.url, zipPath(lib));
    assert.equal(refetched.status, 200);
    assert.ok(refetched.headers.includes('x-goproxy-source: upstream'), 'fetched again');
    assert.ok(refetched.body.equals(want));
    const hitAgain = await ask(proxy.url, zipPath(lib));
    assert.ok(hitAgain.headers.includes('x-goproxy-source: store'));
    assert.ok(hitAgain.body.equals(want));
  } finally {
    upstream.clearFaults();
    await proxy.close();
  }
});

test('fast path: a query string or another spelling of the path never enters its URL map, so clients cannot churn it', async () => {
  const auditLogFile = join(makeTempDir('fast-path-churn-audit'), 'audit.jsonl');
  const proxy = await startTestProxy({ upstream: upstream.url, goSumFiles: [goSumFile], auditLogFile });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const head = (path: string) =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${proxy.url}${path}`, { method: 'HEAD', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
  try {
    const opens = countPipelineOpens(proxy.store);
    assert.equal((await ask(proxy.url, zipPath(lib))).status, 200); // fetched and stored
    assert.equal((await ask(proxy.url, zipPath(lib))).status, 200); // a store hit, remembered
    const remembered = opens.count;
    // More distinct queries than the map holds (4096): the path alone decides, as on the full
    // path (which ignores the query), so each takes the fast path and nothing new is kept.
    const queries = 4200;
    for (let i = 0; i < queries; i++) assert.equal(await head(`${zipPath(lib)}?x=${i}`), 200);
    assert.equal(opens.count, remembered, 'a query does not change which path answers');
    // Other spellings of the same path (percent-encoded letters) go the full way every time.
    const spellings = ['/%65xample.com/fast/lib', '/example.com/f%61st/lib', '/example.com/fast/li%62'];
    for (const s of [...spellings, ...spellings]) assert.equal(await head(`${s}/@v/${lib.version}.zip`), 200);
    assert.equal(opens.count, remembered + 6, 'a non-canonical spelling is answered but never remembered');
    assert.equal((await ask(proxy.url, zipPath(lib))).status, 200);
    assert.equal(opens.count, remembered + 6, 'the go command’s URL is still on the fast path');
    // The go command sends `!` as %21; either spelling is the same fast-path entry.
    const upperPath = `/example.com/fast/%21upper/@v/${upper.version}.zip`;
    assert.equal((await ask(proxy.url, upperPath)).status, 200);
    assert.equal((await ask(proxy.url, upperPath)).status, 200);
    const upperRemembered = opens.count;
    assert.equal((await ask(proxy.url, upperPath)).status, 200);
    assert.equal((await ask(proxy.url, upperPath.replace('%21', '!'))).status, 200);
    assert.equal(opens.count, upperRemembered, 'a module path with capitals keeps its fast path');
    const total = 2 + queries + 6 + 1 + 4;
    await until('statistics recorded', () => proxy.stats.snapshot().byKind.zip.requests === total);
    const zip = proxy.stats.snapshot().byKind.zip;
    assert.equal(zip.hits, total - 2);
    assert.equal(zip.misses, 2);
  } finally {
    agent.destroy();
    await proxy.close();
  }
  const lines = (await auditLines(auditLogFile)).map(withoutTiming);
  assert.equal(lines.length, 2 + 4200 + 6 + 1 + 4);
  const [, firstHit, ...rest] = lines;
  const heads = new Set(rest.slice(0, 4206));
  assert.equal(heads.size, 1, 'every HEAD, fast or full, writes the same audit line');
  assert.equal(rest[4206], firstHit);
  assert.equal(new Set(rest.slice(-3)).size, 1, 'fast and full hits of the capitalised module: one line');
});
