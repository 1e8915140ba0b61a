// Hostile request paths against the proxy, with recording fixture upstreams (public and
// private) and a real checksum database fixture: a deterministic corpus of known attack shapes
// plus over 10,000 generated ones (fast-check, fixed seed): /sumdb/ forms, percent-encodings
// single and double, dot segments, backslashes, NUL, overlong elements, non-ASCII, case
// variants of private paths, `!` escapes, query strings and fragments.
//
// For every one: no 5xx, the proxy stays up, every request the public upstream received is a
// validated module path or /sumdb/<name>/<validated>, no private module's path reaches it (no
// GONOSUMDB module's lookup either), and no file outside the store is touched.
import assert from 'node:assert/strict';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { Agent, get as httpGet } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { matchPatternList } from '../../src/policy/patterns.ts';
import { parseRequestPath } from '../../src/proxy/request-path.ts';
import { parseSumdbRequest, sumdbRequestPath } from '../../src/sumdb/sumdb-request.ts';
import { moduleSubpath } from '../../src/upstream/upstream-chain.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureSumdb, type FixtureSumdb } from '../support/fixture-sumdb.ts';
import { createFixtureWorld, type FixtureWorld } from '../support/fixture-world.ts';
import { makeTempDir } from '../support/go-env.ts';
import { startTestProxy } from '../support/test-proxy.ts';

const privatePatterns = ['example.com/upper', 'corp.example'];
const noSumPatterns = ['example.net/nogomod'];
const generatedCount = 10_000;

let world: FixtureWorld;
let sumdb: FixtureSumdb;
let publicUpstream: FixtureProxy;
let privateUpstream: FixtureProxy;

before(async () => {
  world = await createFixtureWorld();
  sumdb = await createFixtureSumdb();
  sumdb.add(world.goSum);
  publicUpstream = await startFixtureProxy({
    dir: world.dir,
    sumdb: { name: sumdb.name, handle: (p) => sumdb.handle(p) },
  });
  privateUpstream = await startFixtureProxy({ dir: world.dir });
});

after(async () => {
  await publicUpstream.close();
  await privateUpstream.close();
  await sumdb.close();
  await world.remove();
});

// --- the hostile paths ---------------------------------------------------------------------

const n = () => sumdb.name;

/** Hand-written shapes of every attack class the issue names, and their neighbours. */
function corpus(): string[] {
  const up = (k: number, dots = '%252e%252e') => `${dots}/`.repeat(k);
  const paths: string[] = [];
  for (const dots of [
    '..',
    '%2e%2e',
    '%2E%2E',
    '%252e%252e',
    '.%2e',
    '%2e.',
    '%25%32%65%25%32%65',
    '%c0%ae%c0%ae',
  ]) {
    for (const target of [
      'example.com/lib/@v/v1.5.0.zip',
      'example.com/!upper/!lib/@v/list',
      'corp.example/x/@v/list',
    ]) {
      for (const at of ['@', '%40', '%2540']) {
        const t = target.replace('@v', `${at}v`);
        paths.push(`/sumdb/${n()}/lookup/example.com/x@v1.0.0/${up(5, dots)}${t}`);
        paths.push(`/sumdb/${n()}/lookup/${up(3, dots)}${t}`);
        paths.push(`/sumdb/${n()}/tile/8/0/000/${up(6, dots)}${t}`);
        paths.push(`/sumdb/${n()}/${up(2, dots)}${t}`);
        paths.push(`/sumdb/${up(1, dots)}${t}`);
        paths.push(`/example.com/lib/${up(2, dots)}${t}`);
        paths.push(`/example.com/lib/@v/${up(4, dots)}${t}`);
      }
    }
  }
  for (const sep of ['%2f', '%2F', '%252f', '%5c', '%5C', '%255c', '\\']) {
    paths.push(`/sumdb/${n()}/lookup/example.com${sep}lib@v1.5.0`);
    paths.push(`/sumdb/${n()}${sep}..${sep}example.com${sep}lib/@v/list`);
    paths.push(`/example.com${sep}lib/@v/list`);
    paths.push(`/example.com/lib/@v/..${sep}..${sep}..${sep}corp.example/x/@v/list`);
  }
  for (const spelling of [
    'example.com/!upper/!lib',
    'example.com/upper/lib',
    'example.com/%21upper/%21lib',
    'example.com/%2521upper/%2521lib',
    'example.com/%75pper/lib',
    'example.com/!u!p!p!e!r/!l!i!b',
    'example.com/uPPer/lib',
    'Example.com/Upper/Lib',
    'corp.example/x',
    'corp.example/!x',
    'CORP.example/x',
    'corp%2eexample/x',
    'corp.example./x',
  ]) {
    paths.push(`/sumdb/${n()}/lookup/${spelling}@v1.1.0`);
    paths.push(
      `/${spelling}/@v/list`,
      `/${spelling}/@v/v1.1.0.info`,
      `/${spelling}/@v/v1.1.0.zip`,
      `/${spelling}/@latest`,
    );
  }
  for (const spelling of [
    'example.net/nogomod',
    'example.net/%6eogomod',
    'example.net/!nogomod',
    'example.net/nogomod/sub',
  ]) {
    paths.push(`/sumdb/${n()}/lookup/${spelling}@v1.0.0`);
  }
  const long = 'a'.repeat(256);
  paths.push(
    `/${long}/@v/list`,
    `/example.com/${long}/@v/v1.0.0.zip`,
    `/example.com/lib/@v/v1.0.0-${long}.info`,
    `/sumdb/${n()}/lookup/example.com/${long}@v1.0.0`,
    `/sumdb/${long}/supported`,
    `/${'x/'.repeat(1100)}@v/list`,
  );
  for (const q of ['?go-get=1', '?x=../../corp.example/x/@v/list', '#../../x', '?%2e%2e', ';x']) {
    paths.push(
      `/example.com/lib/@v/list${q}`,
      `/sumdb/${n()}/latest${q}`,
      `/sumdb/${n()}/lookup/example.com/lib@v1.5.0${q}`,
    );
  }
  paths.push(
    '/',
    '//',
    '/%00',
    `/sumdb/${n()}/lookup/example.com/lib%00@v1.5.0`,
    '/example.com/lib/@v/v1.5.0.zip%00.info',
    `/sumdb/${n()}/lookup/example.com/lib@v1.5.0/go.mod`,
    `/sumdb/${n()}/tile/8/0/000.p/256`,
    `/sumdb/${n()}/tile/30/63/x999/x999/999.p/1`,
    `/sumdb/${n()}/tile/8/data/x000/000`,
    `/sumdb/other.example/supported`,
    `/sumdb/${n().toUpperCase()}/supported`,
    '/_admin/../example.com/lib/@v/list',
    '/example.com/%C3%A9/@v/list',
    '/ex%C3%A4mple.com/lib/@v/list',
    '/example.com/lib/@v/v1.5.0.zip/',
    '/example.com/lib/@v//v1.5.0.zip',
    '/example.com/lib/@v/!v1.5.0.zip',
    '/example.com/lib/@v/v1.5.0!.zip',
    '/example.com/!/@v/list',
    '/example.com/!!a/@v/list',
  );
  // Query versions holding what Go allows in a file name but a URL reads as syntax.
  for (const query of [
    'v1.5.0.zip%23',
    'v1.5.0.mod%23x',
    '%25',
    '%25zz',
    '%2525',
    'a%20b',
    '%23%2e%2e',
    'x%25%32%66y',
  ]) {
    paths.push(`/example.com/lib/@v/${query}.info`, `/corp.example/x/@v/${query}.info`);
  }
  return paths;
}

const pieces = fc.constantFrom(
  '/',
  '//',
  'sumdb/',
  'SUMDB/',
  'supported',
  'latest',
  'lookup/',
  'tile/',
  '8/',
  '0/',
  '1/',
  'data/',
  '000',
  'x001/',
  '.p/',
  '7',
  'example.com/',
  'lib',
  '/v2',
  '!upper/!lib',
  'Upper/Lib',
  'upper/lib',
  'corp.example/',
  'x',
  'example.net/nogomod',
  '@',
  '@v/',
  '@latest',
  'list',
  'v1.5.0',
  'v1.1.0',
  'v2.0.0+incompatible',
  '.info',
  '.mod',
  '.zip',
  '/go.mod',
  '..',
  '.',
  '%2e',
  '%2E%2e',
  '%252e%252e',
  '%2f',
  '%252F',
  '%5c',
  '\\',
  '%00',
  '%21',
  '%2521',
  '!',
  '!!',
  '%40',
  '?',
  '?go-get=1',
  '#',
  '%C3%A9',
  '%E2%80%AE',
  '%FF',
  '%',
  '%zz',
  '~',
  'a'.repeat(120),
  'b'.repeat(300),
);

/** A piece, its case flipped, or encoded (once or twice) — byte by byte, as an attacker would. */
const mutated = fc.tuple(pieces, fc.nat(7)).map(([piece, how]) => {
  switch (how) {
    case 0:
      return piece.toUpperCase();
    case 1:
      return encodeAll(piece);
    case 2:
      return encodeAll(piece).replaceAll('%', '%25');
    default:
      return piece;
  }
});

function encodeAll(text: string): string {
  return [...Buffer.from(text)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}

/** Any printable-ASCII text, with the characters an HTTP client cannot send raw encoded. */
const randomText = fc
  .string({ unit: 'binary', maxLength: 12 })
  .map((s) =>
    [...Buffer.from(s)]
      .map((b) =>
        b > 0x20 && b < 0x7f && b !== 0x23 ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`,
      )
      .join(''),
  );

const hostilePath = fc
  .tuple(
    fc.constantFrom('/', () => `/sumdb/${n()}/`, '/sumdb/', '/example.com/', '/_admin/'),
    fc.array(
      fc.oneof(
        { weight: 5, arbitrary: pieces },
        { weight: 3, arbitrary: mutated },
        { weight: 2, arbitrary: randomText },
      ),
      {
        minLength: 1,
        maxLength: 10,
      },
    ),
  )
  .map(([start, parts]) => (typeof start === 'function' ? start() : start) + parts.join(''));

// --- what the upstream may see ------------------------------------------------------------

const isPrivate = (m: string) => matchPatternList(privatePatterns, m, { foldCase: true });
const isNoSum = (m: string) => isPrivate(m) || matchPatternList(noSumPatterns, m, { foldCase: true });

/** Why this request must never have reached the public upstream; null when it is fine. */
function upstreamViolation(rawUrl: string): string | null {
  // A module request is fine in exactly one spelling: the one the proxy builds (a query
  // version may hold `#`, `%` or a space, which Go allows in file names, percent-encoded).
  let direct: ReturnType<typeof parseRequestPath> | null = null;
  try {
    direct = parseRequestPath(rawUrl);
  } catch {
    // judged below
  }
  if (direct?.type === 'module') {
    const { kind, module, version } = direct;
    const canonical = `/${moduleSubpath(version === null ? { kind, module } : { kind, module, version })}`;
    if (canonical === rawUrl) return isPrivate(module) ? `private module ${module}` : null;
  }
  if (/%2e|%2f|%5c|%00|%25|\.\.|\/\/|\\|[?#]/i.test(rawUrl)) return 'encoded or dot segments, or a query';
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawUrl);
  } catch {
    return 'bad percent-encoding';
  }
  let parsed: ReturnType<typeof parseRequestPath>;
  try {
    parsed = parseRequestPath(decoded);
  } catch (error) {
    return `not a valid path: ${(error as Error).message}`;
  }
  if (parsed.type === 'module') return isPrivate(parsed.module) ? `private module ${parsed.module}` : null;
  if (parsed.type !== 'sumdb') return `not a module or checksum database path (${parsed.type})`;
  if (parsed.name !== sumdb.name) return `another database ${parsed.name}`;
  const request = parseSumdbRequest(parsed.subpath);
  if (`/sumdb/${parsed.name}/${sumdbRequestPath(request)}` !== decoded) return 'not the canonical spelling';
  if (request.kind === 'lookup' && isNoSum(request.module))
    return `lookup of no-sum module ${request.module}`;
  return null;
}

// --- the run -------------------------------------------------------------------------------

async function snapshot(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    const full = join(e.parentPath, e.name);
    const info = await stat(full);
    out.push(`${full} ${e.isDirectory() ? 'dir' : info.size} ${info.mtimeMs}`);
  }
  return out.sort();
}

test(`fuzz: ${generatedCount}+ hostile paths: no 5xx, no crash, nothing unvalidated or private upstream, nothing outside the store`, async () => {
  const root = makeTempDir('fuzz');
  const storeDir = join(root, 'store');
  const outside = join(root, 'outside');
  await mkdir(join(outside, 'corp.example', 'x', '@v'), { recursive: true });
  await writeFile(join(outside, 'sentinel'), 'must stay as it is\n');
  await writeFile(join(outside, 'corp.example', 'x', '@v', 'list'), 'v1.0.0\n');
  const before = await snapshot(outside);
  const proxy = await startTestProxy({
    storeDir,
    upstream: publicUpstream.url,
    privateUpstream: privateUpstream.url,
    privatePatterns,
    noSumPatterns: [...privatePatterns, ...noSumPatterns],
    gosumdb: sumdb.vkey,
    http: { attempts: 1, timeoutMs: 5_000 },
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const { hostname, port } = new URL(proxy.url);
  const send = (path: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpGet({ host: hostname, port, path, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('latin1') }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  try {
    const paths = [...corpus(), ...fc.sample(hostilePath, { numRuns: generatedCount, seed: 20261201 })];
    assert.ok(paths.length >= generatedCount);
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < paths.length) {
        const path = paths[next++] as string;
        let answer: { status: number; text: string };
        try {
          answer = await send(path);
        } catch (error) {
          // The client library refuses some targets before sending (that is not the proxy's doing).
          if ((error as NodeJS.ErrnoException).code === 'ERR_UNESCAPED_CHARACTERS') continue;
          failures.push(`${path}: request failed: ${(error as Error).message}`);
          continue;
        }
        if (answer.status >= 500 || answer.status < 200)
          failures.push(`${path}: ${answer.status} ${answer.text.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} paths failed`);

    const violations = publicUpstream.requests
      .map((r) => ({ url: r.rawUrl, why: upstreamViolation(r.rawUrl) }))
      .filter((v) => v.why !== null);
    assert.deepEqual(violations.slice(0, 20), [], `${violations.length} bad upstream requests`);
    assert.ok(publicUpstream.requests.length > 0, 'valid requests did reach the upstream');
    // Private modules went to the private upstream only, validated as well.
    for (const r of privateUpstream.requests) {
      const parsed = parseRequestPath(r.rawUrl);
      assert.equal(parsed.type, 'module', r.rawUrl);
      assert.ok(parsed.type === 'module' && isPrivate(parsed.module), r.rawUrl);
    }

    // Still up and serving.
    const health = await send('/_admin/healthz');
    assert.equal(health.status, 200);
    const lookup = await send(`/sumdb/${sumdb.name}/lookup/example.com/lib@v1.5.0`);
    assert.equal(lookup.status, 200, lookup.text);
  } finally {
    agent.destroy();
    await proxy.close();
  }
  assert.deepEqual(await readdir(root).then((e) => e.sort()), ['outside', 'store']);
  assert.deepEqual(await snapshot(outside), before, 'nothing outside the store changed');
});

test('fuzz oracle: the upstream check itself refuses what it must', () => {
  // The checker above must not be a check that cannot fail.
  assert.equal(upstreamViolation('/example.com/lib/@v/list'), null);
  assert.equal(upstreamViolation(`/sumdb/${sumdb.name}/lookup/example.com/lib@v1.5.0`), null);
  assert.match(upstreamViolation('/example.com/!upper/!lib/@v/list') ?? '', /private/);
  assert.match(upstreamViolation('/corp.example/x/@v/list') ?? '', /private/);
  assert.match(upstreamViolation(`/sumdb/${sumdb.name}/lookup/example.net/nogomod@v1.0.0`) ?? '', /no-sum/);
  assert.match(upstreamViolation(`/sumdb/${sumdb.name}/lookup/a.example/%2e%2e/b@v1.0.0`) ?? '', /encoded/);
  assert.match(upstreamViolation('/sumdb/other.example/latest') ?? '', /another database/);
  assert.match(upstreamViolation('/x/y') ?? '', /not a valid path/);
  assert.equal(upstreamViolation('/example.com/lib/@v/v1.5.0.zip%23.info'), null);
  assert.match(upstreamViolation('/example.com/lib/@v/v1.5.0.zip#.info') ?? '', /encoded|not a valid/);
  assert.match(upstreamViolation('/example.com/lib/@v/%.info') ?? '', /encoded|not a valid|percent/);
  assert.match(upstreamViolation('/corp.example/x/@v/%25.info') ?? '', /private/);
});
