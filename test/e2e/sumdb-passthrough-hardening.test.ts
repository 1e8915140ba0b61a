// The /sumdb/ pass-through under attack: requests outside the database's grammar, encoded
// traversals, private module paths in any spelling, forged answers from the upstream, a store
// poisoned by an older version, and path elements no file system can hold. A recording
// fixture upstream shows exactly what reached it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { escapePath } from '../../src/gomod/module-path.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureSumdb, type FixtureSumdb, type SumdbAnswer } from '../support/fixture-sumdb.ts';
import { createFixtureWorld, type FixtureWorld } from '../support/fixture-world.ts';
import { makeTempDir } from '../support/go-env.ts';
import { startTestProxy } from '../support/test-proxy.ts';

let world: FixtureWorld;
let sumdb: FixtureSumdb;
let upstream: FixtureProxy;
/** When set and returning an answer, the upstream's database answers that instead (a forgery). */
let forge: ((subpath: string, real: SumdbAnswer) => SumdbAnswer | null) | null = null;

before(async () => {
  world = await createFixtureWorld();
  sumdb = await createFixtureSumdb();
  sumdb.add(world.goSum);
  upstream = await startFixtureProxy({
    dir: world.dir,
    sumdb: {
      name: sumdb.name,
      handle: async (p) => {
        const real = await sumdb.handle(p);
        return forge?.(p, real) ?? real;
      },
    },
  });
});

after(async () => {
  await upstream.close();
  await sumdb.close();
  await world.remove();
});

/** GET with the path sent exactly as written (a URL parser would resolve encoded dots first). */
async function get(url: string): Promise<{ status: number; text: string }> {
  const { origin, hostname, port } = new URL(url);
  const path = url.slice(origin.length);
  return await new Promise((resolve, reject) => {
    const req = httpGet({ host: hostname, port, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** Every upstream request must be a database path the grammar allows, and name no private module. */
function assertUpstreamClean(from: number): void {
  const name = sumdb.name.replaceAll('.', '\\.');
  const allowed = new RegExp(
    `^/sumdb/${name}/(supported|latest|lookup/[a-z0-9.~_/!+-]+@v[0-9A-Za-z.+!-]+|tile/8/(data|[0-9]+)(/x[0-9]{3})*/[0-9]{3}(\\.p/[0-9]+)?)$`,
  );
  for (const r of upstream.requests.slice(from)) {
    assert.match(r.path, allowed, `upstream was asked for ${r.path}`);
    assert.doesNotMatch(
      r.path.toLowerCase(),
      /upper|nogomod/,
      `a private path reached the upstream: ${r.path}`,
    );
  }
}

test('sumdb pass-through: only the grammar passes; encoded traversals and private lookups never reach the upstream', async () => {
  const proxy = await startTestProxy({
    upstream: upstream.url,
    gosumdb: sumdb.vkey,
    // As every surface passes them (the job environment): GOPRIVATE-style patterns are in both.
    privatePatterns: ['example.com/upper'],
    noSumPatterns: ['example.com/upper', 'example.net/nogomod'],
  });
  try {
    const n = sumdb.name;
    const from = upstream.requests.length;
    const up = '%252e%252e/'.repeat(5);
    const refused: [string, number][] = [
      // A module-looking prefix, then encoded `..` a URL parser resolves after one decoding:
      // a policy's and a private module's paths on the upstream host.
      [`/sumdb/${n}/lookup/example.com/x@v1.0.0/${up}example.com/lib/%2540v/v1.5.0.zip`, 400],
      [`/sumdb/${n}/lookup/example.com/x@v1.0.0/${up}example.com/!upper/!lib/%2540v/list`, 400],
      [`/sumdb/${n}/lookup/example.com/x@v1.0.0/${up}example.com/!upper/!lib/%2540v/v1.1.0.info`, 400],
      // Encoded `..` that a URL parser resolves after one decoding.
      [`/sumdb/${n}/lookup/%252e%252e/%252e%252e/%252e%252e/example.com/lib/@v/v1.5.0.zip`, 400],
      [`/sumdb/${n}/lookup/%252e%252e%252f%252e%252e%252fexample.com/lib/@v/list`, 400],
      [`/sumdb/${n}/lookup/.%252e/.%252e/.%252e/example.com/!upper/!lib/@v/list`, 400],
      [`/sumdb/${n}/tile/8/0/%252e%252e/%252e%252e/%252e%252e/%252e%252e/example.com/lib/@v/list`, 400],
      [`/sumdb/${n}/latest/..%252f..%252f..%252fexample.com/lib/@v/list`, 400],
      // Not canonical: the go command never sends these.
      [`/sumdb/${n}/lookup/example.com/lib@v1.5.0/go.mod`, 400],
      [`/sumdb/${n}/lookup/example.com/lib@v1.5`, 400],
      [`/sumdb/${n}/lookup/example.com/lib@latest`, 400],
      [`/sumdb/${n}/lookup/Example.com/lib@v1.5.0`, 400],
      [`/sumdb/${n}/lookup/example.com/lib/v2@v1.0.0`, 400],
      [`/sumdb/${n}/lookup/example.com/lib%3Fx=1@v1.5.0`, 400],
      [`/sumdb/${n}/lookup/example.com/lib@v1.5.0%3F`, 400],
      [`/sumdb/${n}/lookup/example.com/lib@v1.5.0%23x`, 400],
      [`/sumdb/${n}/lookup/example.com%5Clib@v1.5.0`, 400],
      [`/sumdb/${n}/tile/8/0/1`, 400],
      [`/sumdb/${n}/tile/8/0/001.p/0`, 400],
      [`/sumdb/${n}/tile/8/0/001.p/256`, 400],
      [`/sumdb/${n}/tile/8/0/x000/001`, 400],
      [`/sumdb/${n}/tile/8/-1/000`, 400],
      [`/sumdb/${n}/tile/08/0/000`, 400],
      [`/sumdb/${n}/tile/8/data/000.p/1/x`, 400],
      [`/sumdb/${n}/foo`, 400],
      [`/sumdb/${n}/`, 400],
      [`/sumdb/${n}/supported/x`, 400],
      [`/sumdb/%2e%2e/supported`, 400],
      [`/sumdb/a%252fb/supported`, 400],
      [`/sumdb/other.example/supported`, 404],
      [`/sumdb/other.example/lookup/example.com/lib@v1.5.0`, 404],
      // Private (GOPRIVATE) and GONOSUMDB modules, in every spelling that names them.
      [`/sumdb/${n}/lookup/example.com/!upper/!lib@v1.1.0`, 403],
      [`/sumdb/${n}/lookup/example.com/%21upper/%21lib@v1.1.0`, 403],
      [`/sumdb/${n}/lookup/example.com/upper/lib@v1.1.0`, 403],
      [`/sumdb/${n}/lookup/example.com/%75pper/lib@v1.1.0`, 403],
      [`/sumdb/${n}/lookup/example.com/!u!p!p!e!r/lib@v1.1.0`, 403],
      [`/sumdb/${n}/lookup/example.net/nogomod@v1.0.0`, 403],
      [`/sumdb/${n}/lookup/example.net/%6eogomod@v1.0.0`, 403],
      [`/sumdb/${n}/lookup/example.net/nogomod/sub@v1.0.0`, 403],
    ];
    for (const [path, want] of refused) {
      const res = await get(`${proxy.url}${path}`);
      assert.equal(res.status, want, `${path}: ${res.status} ${res.text}`);
    }
    // What the go command does send still works.
    const ok = await get(`${proxy.url}/sumdb/${n}/lookup/example.com/lib@v1.5.0`);
    assert.equal(ok.status, 200, ok.text);
    assert.match(ok.text, /^\d+\nexample\.com\/lib v1\.5\.0 h1:/);
    assertUpstreamClean(from);
    assert.ok(upstream.requests.length > from, 'the valid lookup reached the upstream');
  } finally {
    await proxy.close();
  }
});

test('sumdb pass-through: a lookup the database does not have keeps its 404 or 410; a failing database is a 502', async () => {
  const proxy = await startTestProxy({ upstream: upstream.url, gosumdb: sumdb.vkey });
  forge = (p) =>
    p === 'lookup/example.com/gone@v1.0.0'
      ? { status: 410, body: Buffer.from('gone\n'), contentType: 'text/plain' }
      : p === 'lookup/example.com/down@v1.0.0'
        ? { status: 503, body: Buffer.from('down\n'), contentType: 'text/plain' }
        : null;
  try {
    const missing = await get(`${proxy.url}/sumdb/${sumdb.name}/lookup/example.com/notthere@v1.0.0`);
    assert.equal(missing.status, 404, missing.text);
    const gone = await get(`${proxy.url}/sumdb/${sumdb.name}/lookup/example.com/gone@v1.0.0`);
    assert.equal(gone.status, 410, gone.text);
    const tile = await get(`${proxy.url}/sumdb/${sumdb.name}/tile/8/0/x999/000`);
    assert.equal(tile.status, 404, tile.text);
    // A database that fails is a 502 that says so (the go command must not go on unverified).
    const down = await get(`${proxy.url}/sumdb/${sumdb.name}/lookup/example.com/down@v1.0.0`);
    assert.equal(down.status, 502, down.text);
    assert.match(down.text, /checksum database .* unreachable: .*503/);
  } finally {
    forge = null;
    await proxy.close();
  }
});

function flipLastHashChar(text: string): string {
  // Changes one character of the first h1: hash in the record: the record no longer hashes to
  // what the signed tree holds, but still parses.
  return text.replace(/h1:(.)/, (_m, c: string) => `h1:${c === 'A' ? 'B' : 'A'}`);
}

async function storedSumdbFiles(storeDir: string): Promise<string[]> {
  const dir = join(storeDir, 'sumdb');
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => join(e.parentPath, e.name));
}

test('sumdb pass-through: forged lookups, tiles and tree heads are refused with 502 and never stored', async () => {
  const { path, required } = world.roles.majorV2;
  const lookup = `lookup/${escapePath(path)}@${required}`;
  const size = sumdb.size;
  const hashTile = `tile/8/0/000.p/${size}`;
  const dataTile = `tile/8/data/000.p/${size}`;
  const forgeries: [string, (real: SumdbAnswer) => SumdbAnswer][] = [
    [lookup, (real) => ({ ...real, body: Buffer.from(flipLastHashChar(Buffer.from(real.body).toString())) })],
    [hashTile, (real) => ({ ...real, body: Buffer.from(real.body).map((b, i) => (i === 5 ? b ^ 1 : b)) })],
    [
      dataTile,
      (real) => ({ ...real, body: Buffer.from(flipLastHashChar(Buffer.from(real.body).toString())) }),
    ],
    [
      'latest',
      (real) => ({
        ...real,
        body: Buffer.from(
          Buffer.from(real.body)
            .toString()
            .replace(/\n(\d+)\n/, (_m, s: string) => `\n${Number(s) + 1}\n`),
        ),
      }),
    ],
  ];
  for (const [target, change] of forgeries) {
    const proxy = await startTestProxy({
      upstream: upstream.url,
      gosumdb: sumdb.vkey,
      http: { attempts: 1 },
    });
    try {
      forge = (p, real) => (p === target && real.status === 200 ? change(real) : null);
      const res = await get(`${proxy.url}/sumdb/${sumdb.name}/${target}`);
      assert.equal(res.status, 502, `${target}: ${res.status} ${res.text}`);
      assert.match(res.text, /refused an answer of checksum database .*(verif|check|signature|match)/i);
      assert.deepEqual(
        (await storedSumdbFiles(proxy.storeDir)).filter((f) => f.endsWith(target)),
        [],
        `${target}: nothing forged is stored`,
      );
      // Once the upstream is honest again, the same proxy serves the real answer: nothing stuck.
      forge = null;
      const again = await get(`${proxy.url}/sumdb/${sumdb.name}/${target}`);
      assert.equal(again.status, 200, `${target} after the forgery: ${again.text}`);
      assert.equal(again.text, Buffer.from((await sumdb.handle(target)).body).toString());
    } finally {
      forge = null;
      await proxy.close();
    }
  }
});

test('sumdb pass-through: answers an older version cached unchecked are dropped when the store opens', async () => {
  const storeDir = join(makeTempDir('legacy-store'), 'store');
  const target = 'lookup/example.com/lib@v1.5.0';
  const poisoned = join(storeDir, 'sumdb', sumdb.name, ...target.split('/'));
  await mkdir(join(poisoned, '..'), { recursive: true });
  await writeFile(
    poisoned,
    '0\nexample.com/lib v1.5.0 h1:forgedforgedforgedforgedforgedforgedforged=\n\nforged note\n',
  );
  const proxy = await startTestProxy({ upstream: upstream.url, gosumdb: sumdb.vkey, storeDir });
  try {
    const res = await get(`${proxy.url}/sumdb/${sumdb.name}/${target}`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.text, Buffer.from((await sumdb.handle(target)).body).toString());
  } finally {
    await proxy.close();
  }
});

test('sumdb pass-through: the default database is verified with its built-in key, so an impostor is refused', async () => {
  // The default database's name, as the go command knows it (never written into the tests).
  const { stdout } = await promisify(execFile)('go', ['env', 'GOSUMDB'], {
    env: { PATH: process.env.PATH ?? '', HOME: makeTempDir('home'), GOENV: 'off', GOTOOLCHAIN: 'local' },
  });
  const defaultName = stdout.trim();
  assert.match(defaultName, /^[a-z0-9.-]+$/);
  // A database under that name, signed with some other key.
  const impostor = await createFixtureSumdb(defaultName);
  impostor.add(world.goSum);
  const fake = await startFixtureProxy({
    dir: world.dir,
    sumdb: { name: defaultName, handle: (p) => impostor.handle(p) },
  });
  const proxy = await startTestProxy({ upstream: fake.url, gosumdb: defaultName, http: { attempts: 1 } });
  try {
    const latest = await get(`${proxy.url}/sumdb/${defaultName}/latest`);
    assert.equal(latest.status, 502, latest.text);
    assert.match(latest.text, /signature|key/i);
    const { path, required } = world.roles.majorV1;
    const lookup = await get(`${proxy.url}/sumdb/${defaultName}/lookup/${escapePath(path)}@${required}`);
    assert.equal(lookup.status, 502, lookup.text);
    assert.deepEqual(await storedSumdbFiles(proxy.storeDir), []);
    // A blob with no go.sum line is checked against that database natively: refused, not stored.
    const zip = await get(`${proxy.url}/${escapePath(path)}/@v/${required}.mod`);
    assert.equal(zip.status, 502, zip.text);
    assert.match(zip.text, /checksum database/);
    assert.ok(!existsSync(join(proxy.storeDir, escapePath(path), '@v', `${required}.mod`)));
  } finally {
    await proxy.close();
    await fake.close();
    await impostor.close();
  }
});

test("path elements longer than a file name can be are the client's fault (4xx), for module and sumdb paths", async () => {
  const proxy = await startTestProxy({ upstream: upstream.url, gosumdb: sumdb.vkey });
  try {
    const long = 'a'.repeat(256);
    const paths = [
      `/example.com/${long}/@v/list`,
      `/example.com/${long}/@latest`,
      `/example.com/${long}/@v/v1.0.0.info`,
      `/example.com/${long}/@v/v1.0.0.zip`,
      `/example.com/${'!a'.repeat(130)}/@v/v1.0.0.mod`,
      `/example.com/lib/@v/v1.0.0-${'a'.repeat(250)}.info`,
      `/example.com/lib/@v/v1.0.0-${'a'.repeat(246)}.zip`,
      `/${'b'.repeat(250)}.example/@v/v1.0.0.mod`,
      `/sumdb/${sumdb.name}/lookup/example.com/${long}@v1.0.0`,
      `/sumdb/${sumdb.name}/lookup/example.com/lib@v1.0.0-${'a'.repeat(250)}`,
      `/sumdb/${'c'.repeat(256)}.example/supported`,
    ];
    for (const path of paths) {
      const res = await get(`${proxy.url}${path}`);
      assert.ok(res.status >= 400 && res.status < 500, `${path.slice(0, 60)}...: ${res.status} ${res.text}`);
    }
  } finally {
    await proxy.close();
  }
});

test('property: whatever the upstream changes in an answer, the proxy serves and stores only the genuine one', async () => {
  const lookupOf = (m: { path: string; required: string }) => `lookup/${escapePath(m.path)}@${m.required}`;
  const size = sumdb.size;
  const targets = [
    lookupOf(world.roles.majorV1),
    lookupOf(world.roles.incompatible),
    `tile/8/0/000.p/${size}`,
    `tile/8/data/000.p/${size}`,
    'latest',
  ];
  const genuine = new Map<string, Buffer>();
  for (const t of targets) genuine.set(t, Buffer.from((await sumdb.handle(t)).body));
  // Another genuine, signed answer to swap in (a record of another module, another tile).
  const other = Buffer.from((await sumdb.handle(lookupOf(world.roles.several))).body);
  const otherTile = Buffer.from((await sumdb.handle(`tile/8/0/000.p/${size - 1}`)).body);
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...targets),
      fc.oneof(
        fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
        fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
        fc.record({
          kind: fc.constant('append' as const),
          extra: fc.uint8Array({ minLength: 1, maxLength: 40 }),
        }),
        fc.record({ kind: fc.constant('swap' as const) }),
      ),
      async (target, change) => {
        const real = genuine.get(target) as Buffer;
        let body: Buffer;
        if (change.kind === 'flip') {
          body = Buffer.from(real);
          const i = change.at % body.length;
          body[i] = (body[i] as number) ^ (1 << change.bit);
        } else if (change.kind === 'cut') body = real.subarray(0, change.at % real.length);
        else if (change.kind === 'append') body = Buffer.concat([real, change.extra]);
        else body = target.startsWith('tile/8/0/') ? otherTile : other;
        const proxy = await startTestProxy({
          upstream: upstream.url,
          gosumdb: sumdb.vkey,
          http: { attempts: 1 },
        });
        forge = (p, ans) => (p === target ? { ...ans, body } : null);
        try {
          const res = await get(`${proxy.url}/sumdb/${sumdb.name}/${target}`);
          if (res.status === 200)
            assert.equal(res.text, real.toString(), `${target}: a changed answer was served`);
          else assert.equal(res.status, 502, `${target}: ${res.status} ${res.text}`);
          for (const file of await storedSumdbFiles(proxy.storeDir)) {
            const rel = file.slice(join(proxy.storeDir, 'sumdb', sumdb.name).length + 1);
            const want = genuine.get(rel) ?? Buffer.from((await sumdb.handle(rel)).body);
            assert.ok(want.equals(await readFile(file)), `${rel}: a changed answer was stored`);
          }
        } finally {
          forge = null;
          await proxy.close();
        }
      },
    ),
    { numRuns: 60, seed: 8 },
  );
});
