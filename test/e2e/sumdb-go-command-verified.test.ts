// The real go command checks modules against a checksum database through our /sumdb/, over a
// log big enough for tiles on two levels, partial tiles and a consistency proof between runs.
// When the upstream forges a lookup or a tile, the go command fails with our 502, and neither
// the forged answer nor the module it was to vouch for is stored.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { escapePath } from '../../src/gomod/module-path.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureSumdb, type FixtureSumdb, type SumdbAnswer } from '../support/fixture-sumdb.ts';
import { createFixtureWorld, type FixtureWorld } from '../support/fixture-world.ts';
import { goEnv, makeTempDir, runGo } from '../support/go-env.ts';
import { startTestProxy } from '../support/test-proxy.ts';

let world: FixtureWorld;
let sumdb: FixtureSumdb;
let upstream: FixtureProxy;
let forge: ((subpath: string, real: SumdbAnswer) => SumdbAnswer | null) | null = null;

function fillers(from: number, count: number): string[] {
  const lines: string[] = [];
  for (let i = from; i < from + count; i++) {
    const h = (s: string) => `h1:${createHash('sha256').update(s).digest('base64')}`;
    lines.push(`example.com/filler/m${i} v1.0.0 ${h(`zip${i}`)}`);
    lines.push(`example.com/filler/m${i} v1.0.0/go.mod ${h(`mod${i}`)}`);
  }
  return lines;
}

before(async () => {
  world = await createFixtureWorld();
  sumdb = await createFixtureSumdb();
  // Records before and after the fixture modules: level-0 full and partial tiles, level 1 too.
  sumdb.add(fillers(0, 300));
  sumdb.add(world.goSum);
  sumdb.add(fillers(300, 80));
  upstream = await startFixtureProxy({
    dir: world.dir,
    sumdb: {
      name: sumdb.name,
      handle: async (p) => {
        const real = await sumdb.handle(p);
        return (real.status === 200 ? forge?.(p, real) : null) ?? real;
      },
    },
  });
});

after(async () => {
  await upstream.close();
  await sumdb.close();
  await world.remove();
});

async function storedFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

function download(proxyUrl: string, module: string, version: string, gomodcache?: string) {
  const env = goEnv({
    goproxy: proxyUrl,
    gosumdb: sumdb.vkey, // the key only: the go command finds the database through GOPROXY
    ...(gomodcache ? { gomodcache } : {}),
  });
  return runGo(['mod', 'download', '-json', `${module}@${version}`], makeTempDir('sumdb-go'), env);
}

test('go mod download with no go.sum verifies through our /sumdb/, across runs as the log grows', async () => {
  const proxy = await startTestProxy({ upstream: upstream.url, gosumdb: sumdb.vkey });
  try {
    const gomodcache = makeTempDir('gomodcache');
    const from = sumdb.requests.length;
    const { path, required } = world.roles.majorV2;
    const first = await download(proxy.url, path, required, gomodcache);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    const asked = sumdb.requests.slice(from);
    assert.ok(asked.includes('supported'), 'the go command found the database through our proxy');
    assert.ok(
      asked.some((p) => p.startsWith('tile/8/1/')),
      `tiles of level 1 were asked: ${asked.join(' ')}`,
    );
    const stored = await storedFiles(join(proxy.storeDir, 'sumdb', sumdb.name));
    assert.ok(stored.includes(join('lookup', `${escapePath(path)}@${required}`)), stored.join(' '));
    assert.ok(
      stored.some((f) => f.startsWith(join('tile', '8', '0'))),
      stored.join(' '),
    );
    assert.ok(existsSync(join(proxy.storeDir, escapePath(path), '@v', `${required}.zip`)));

    // The log grows; the go command (same module cache, so it remembers the older tree) now
    // needs a consistency proof between the two trees, through us.
    sumdb.add(fillers(380, 300));
    const other = world.roles.majorV1;
    const second = await download(proxy.url, other.path, other.required, gomodcache);
    assert.equal(second.code, 0, second.stderr + second.stdout);
  } finally {
    await proxy.close();
  }
});

test('a forged lookup or tile makes the go command fail with our 502, and nothing of it is stored', async () => {
  // Our proxy checks the blobs by the program's go.sum, so the only checksum database traffic
  // is the go command's own, through /sumdb/ (this go command runs with no go.sum).
  const goSumFiles = [join(world.program, 'go.sum')];
  const cases: [
    string,
    { path: string; required: string },
    (p: string, real: SumdbAnswer) => SumdbAnswer | null,
  ][] = [
    [
      'lookup',
      world.roles.several,
      (p, real) =>
        p.startsWith(`lookup/${escapePath(world.roles.several.path)}@`)
          ? { ...real, body: Buffer.from(Buffer.from(real.body).toString().replace(/h1:./, 'h1:A')) }
          : null,
    ],
    [
      'tile',
      world.roles.noGoMod,
      (p, real) =>
        /^tile\/8\/[01]\//.test(p)
          ? { ...real, body: Buffer.from(real.body).map((b, i) => (i === 0 ? b ^ 1 : b)) }
          : null,
    ],
  ];
  for (const [what, { path, required }, forgery] of cases) {
    const proxy = await startTestProxy({
      upstream: upstream.url,
      gosumdb: sumdb.vkey,
      goSumFiles,
      http: { attempts: 1 },
    });
    try {
      if (what === 'tile') {
        // The lookup itself verifies (and is kept); only the tiles the go command asks next are forged.
        const res = await fetch(`${proxy.url}/sumdb/${sumdb.name}/lookup/${escapePath(path)}@${required}`);
        assert.equal(res.status, 200, await res.text());
      }
      forge = forgery;
      const run = await download(proxy.url, path, required);
      assert.notEqual(run.code, 0, `${what}: the go command accepted a forged answer`);
      const said = run.stderr + run.stdout;
      assert.match(said, /verifying (module|go\.mod)/, `${what}: ${said}`);
      assert.match(
        said,
        new RegExp(`/sumdb/${sumdb.name.replaceAll('.', '\\.')}/${what}/.*502 Bad Gateway`),
        `${what}: ${said}`,
      );
      assert.match(said, /refused an answer of checksum database/, `${what}: ${said}`);
      const stored = await storedFiles(join(proxy.storeDir, 'sumdb'));
      const forged =
        what === 'lookup'
          ? (f: string) => f.includes(`${escapePath(path)}@`)
          : (f: string) => /\/tile\//.test(f);
      assert.deepEqual(stored.filter(forged), [], `${what}: the forged answer is not stored`);
    } finally {
      forge = null;
      await proxy.close();
    }
  }
});
