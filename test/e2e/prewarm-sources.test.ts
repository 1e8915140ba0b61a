// prewarm's sources and what each makes it ask: the repository's own module at a pushed tag
// (a /v2 module, a sub-directory module), lists and queries resolved through the proxy,
// /go.mod-only go.sum lines, private modules, and the checksum database through the proxy.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { escapePath } from '../../src/gomod/module-path.ts';
import { startAnchorProxy } from '../support/anchor-proxies.ts';
import { type FixtureModule, goSumFor, writeFixtureModules } from '../support/fixture-modules.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureSumdb, type FixtureSumdb } from '../support/fixture-sumdb.ts';
import { createFixtureWorld, type FixtureWorld } from '../support/fixture-world.ts';
import { goEnv, makeTempDir, runGo } from '../support/go-env.ts';
import { prewarmEnv, runPrewarmCli } from '../support/prewarm-cli.ts';

let world: FixtureWorld;
let sumdb: FixtureSumdb;
let proxy: FixtureProxy;

before(async () => {
  world = await createFixtureWorld();
  sumdb = await createFixtureSumdb();
  // The world's records first, then fillers: the tree has a full level-0 tile holding them.
  sumdb.add(world.goSum);
  const fillers: string[] = [];
  for (let i = 0; i < 300; i++) fillers.push(`example.com/filler/m${i} v1.0.0 h1:${'A'.repeat(43)}=`);
  sumdb.add(fillers);
  proxy = await startFixtureProxy({ dir: world.dir, sumdb });
});
after(async () => {
  await proxy?.close();
  await sumdb?.close();
  await world?.remove();
});
beforeEach(() => {
  proxy.clearFaults();
  proxy.resetLog();
  sumdb.requests.length = 0;
});

const paths = (p: FixtureProxy) => p.requests.map((r) => r.path);

describe('prewarm sources', () => {
  test('/go.mod-only go.sum lines ask for the .mod alone; zip lines for .info, .mod and .zip', async () => {
    const dir = makeTempDir('modonly');
    const several = world.roles.several;
    const lines = world.goSum.split('\n').filter((l) => l.startsWith(`${several.path} ${several.required}`));
    assert.equal(lines.length, 2);
    const modOnly = lines.filter((l) => l.includes('/go.mod '));
    await writeFile(
      join(dir, 'go.sum'),
      `${modOnly.join('\n')}\n${world.goSum
        .split('\n')
        .filter((l) => l.startsWith(`${world.roles.majorV1.path} `))
        .join('\n')}\n`,
    );
    const run = await runPrewarmCli(['--proxy', proxy.url], { cwd: dir });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(
      paths(proxy).sort(),
      [
        `/${several.path}/@v/${several.required}.mod`,
        `/${world.roles.majorV1.path}/@v/v1.5.0.info`,
        `/${world.roles.majorV1.path}/@v/v1.5.0.mod`,
        `/${world.roles.majorV1.path}/@v/v1.5.0.zip`,
      ].sort(),
    );
    assert.equal(run.report?.modules.find((m) => m.module === several.path)?.want, 'mod');
  });

  test('whole modules are asked first, .mod-only versions last, each in plan order (one lane)', async () => {
    const dir = makeTempDir('order');
    const r = world.roles;
    const linesOf = (path: string) => world.goSum.split('\n').filter((l) => l.startsWith(`${path} `));
    // Upper/Lib sorts first in the plan (Go byte order) but is .mod-only: it goes last.
    const modOnly = linesOf(r.upperCase.path).filter((l) => l.includes('/go.mod '));
    assert.ok(modOnly.length > 0);
    await writeFile(
      join(dir, 'go.sum'),
      `${[...modOnly, ...linesOf(r.majorV1.path), ...linesOf(r.noGoMod.path)].join('\n')}\n`,
    );
    const run = await runPrewarmCli(['--proxy', proxy.url, '--concurrency', '1'], { cwd: dir });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const upper = '/example.com/!upper/!lib/@v';
    assert.deepEqual(paths(proxy), [
      `/${r.majorV1.path}/@v/v1.5.0.info`,
      `/${r.majorV1.path}/@v/v1.5.0.mod`,
      `/${r.majorV1.path}/@v/v1.5.0.zip`,
      `/${r.noGoMod.path}/@v/v1.0.0.info`,
      `/${r.noGoMod.path}/@v/v1.0.0.mod`,
      `/${r.noGoMod.path}/@v/v1.0.0.zip`,
      ...modOnly.map((l) => `${upper}/${l.split(' ')[1]?.replace('/go.mod', '')}.mod`),
    ]);
    // The report keeps plan order whatever the request order.
    assert.deepEqual(
      run.report?.modules.map((m) => m.module),
      [...modOnly.map(() => r.upperCase.path), r.majorV1.path, r.noGoMod.path],
    );
  });

  test('.mod-only versions go largest module first (zip sizes seen in this run), unknown sizes first; the report keeps plan order (one lane)', async () => {
    const dir = makeTempDir('size-order');
    const store = join(dir, 'proxy');
    // b-big's zip is ~100 times a-small's: hex text of chained hashes compresses only by half.
    let big = '';
    let seed = 'size-order';
    while (big.length < 200_000) {
      seed = createHash('sha256').update(seed).digest('hex');
      big += `${seed}\n`;
    }
    const modules: FixtureModule[] = [
      { path: 'example.com/order/a-small', version: 'v0.9.0' },
      { path: 'example.com/order/a-small', version: 'v1.0.0' },
      { path: 'example.com/order/b-big', version: 'v0.8.0', files: { 'data.txt': big } },
      { path: 'example.com/order/b-big', version: 'v0.9.0', files: { 'data.txt': big } },
      { path: 'example.com/order/b-big', version: 'v1.0.0', files: { 'data.txt': big } },
      { path: 'example.com/order/c-unknown', version: 'v1.0.0' },
      { path: 'example.com/order/c-unknown', version: 'v1.1.0' },
    ];
    await writeFixtureModules(store, modules);
    const full = new Set(['example.com/order/a-small v1.0.0', 'example.com/order/b-big v1.0.0']);
    // Every version's /go.mod line; the zip line only for the two whole modules.
    const goSum = (await goSumFor(store, modules))
      .split('\n')
      .filter((l) => l !== '' && (l.includes('/go.mod ') || full.has(l.split(' ').slice(0, 2).join(' '))));
    await writeFile(join(dir, 'go.sum'), `${goSum.join('\n')}\n`);
    const ordered = await startFixtureProxy({ dir: store });
    try {
      const run = await runPrewarmCli(['--proxy', ordered.url, '--concurrency', '1'], { cwd: dir });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const v = (path: string, version: string, kind: string) =>
        `/example.com/order/${path}/@v/${version}.${kind}`;
      assert.deepEqual(paths(ordered), [
        v('a-small', 'v1.0.0', 'info'),
        v('a-small', 'v1.0.0', 'mod'),
        v('a-small', 'v1.0.0', 'zip'),
        v('b-big', 'v1.0.0', 'info'),
        v('b-big', 'v1.0.0', 'mod'),
        v('b-big', 'v1.0.0', 'zip'),
        // No zip of c-unknown seen: it might be the largest, so it goes first.
        v('c-unknown', 'v1.0.0', 'mod'),
        v('c-unknown', 'v1.1.0', 'mod'),
        // Then by the size of the module's zip, largest first, plan order among equals.
        v('b-big', 'v0.8.0', 'mod'),
        v('b-big', 'v0.9.0', 'mod'),
        v('a-small', 'v0.9.0', 'mod'),
      ]);
      // The report keeps plan order whatever the request order.
      assert.deepEqual(
        run.report?.modules.map(
          (m) =>
            `${m.module.split('/').at(-1)}@${m.version} ${m.want} ${m.status === 'failed' ? 'failed' : 'ok'}`,
        ),
        [
          'a-small@v0.9.0 mod ok',
          'a-small@v1.0.0 full ok',
          'b-big@v0.8.0 mod ok',
          'b-big@v0.9.0 mod ok',
          'b-big@v1.0.0 full ok',
          'c-unknown@v1.0.0 mod ok',
          'c-unknown@v1.1.0 mod ok',
        ],
      );
    } finally {
      await ordered.close();
    }
  });

  test('list files and --module queries are resolved through the proxy first, then warmed; bad queries reported', async () => {
    const dir = makeTempDir('list');
    await writeFile(
      join(dir, 'modules.txt'),
      `${world.roles.several.path}@latest\n${world.roles.majorV2.path}@v2.0\n`,
    );
    const run = await runPrewarmCli(
      [
        '--proxy',
        proxy.url,
        '--list',
        'modules.txt',
        '--module',
        `${world.roles.several.path}@<v1.2.0`,
        '--module',
        'example.com/absent@latest',
      ],
      { cwd: dir },
    );
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.deepEqual(
      run.report?.queries.map((q) => [q.module, q.query, q.version ?? null, q.error === undefined]),
      [
        ['example.com/absent', 'latest', null, false],
        [world.roles.majorV2.path, 'v2.0', 'v2.0.0', true],
        [world.roles.several.path, '<v1.2.0', 'v1.1.0', true],
        [world.roles.several.path, 'latest', 'v1.2.0', true],
      ],
    );
    assert.deepEqual(
      run.report?.modules.map((m) => `${m.module}@${m.version}:${m.status === 'failed' ? 'failed' : 'ok'}`),
      ['example.com/lib/v2@v2.0.0:ok', 'example.com/multi@v1.1.0:ok', 'example.com/multi@v1.2.0:ok'],
    );
    assert.ok(paths(proxy).includes(`/${world.roles.several.path}/@latest`));
    assert.ok(paths(proxy).includes(`/${world.roles.majorV2.path}/@v/list`));
    assert.match(run.stdout, /QUERY example\.com\/absent@latest: /);
  });

  test('private modules are skipped unless --allow-private, and never looked up in the checksum database', async () => {
    const env = prewarmEnv({ GOPRIVATE: 'example.com/lib', GOSUMDB: sumdb.name });
    const skipped = await runPrewarmCli(['--proxy', proxy.url, '--files', 'go.sum', '--sumdb'], {
      cwd: world.program,
      env,
    });
    assert.equal(skipped.code, 0, skipped.stdout + skipped.stderr);
    const privateOnes = skipped.report?.modules.filter((m) => m.status === 'skipped').map((m) => m.module);
    // A GOPRIVATE pattern is a path prefix: example.com/lib/v2 is private too.
    assert.deepEqual(privateOnes, ['example.com/lib', 'example.com/lib/v2']);
    assert.ok(
      !paths(proxy).some((p) => p.startsWith('/example.com/lib/@v/')),
      'nothing of the private module was asked',
    );
    assert.ok(!sumdb.requests.some((p) => p.includes('example.com/lib@')));
    proxy.resetLog();
    sumdb.requests.length = 0;
    const allowed = await runPrewarmCli(
      ['--proxy', proxy.url, '--files', 'go.sum', '--sumdb', '--allow-private'],
      { cwd: world.program, env },
    );
    assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
    assert.equal(allowed.report?.totals.skipped, 0);
    assert.ok(paths(proxy).includes('/example.com/lib/@v/v1.5.0.zip'));
    // Still no sumdb lookup for it (GONOSUMDB follows GOPRIVATE).
    assert.ok(!sumdb.requests.some((p) => p.includes('example.com/lib@')));
    assert.ok(sumdb.requests.some((p) => p.includes('example.com/multi@')));
    // The policy file's private patterns count the same.
    const policy = join(makeTempDir('policy'), 'policy.yml');
    await writeFile(policy, 'private:\n  - example.org/retract\n');
    const byPolicy = await runPrewarmCli(['--proxy', proxy.url, '--files', 'go.sum', '--policy', policy], {
      cwd: world.program,
      env: prewarmEnv(),
    });
    assert.equal(byPolicy.code, 0, byPolicy.stdout + byPolicy.stderr);
    assert.deepEqual(
      byPolicy.report?.modules.filter((m) => m.status === 'skipped').map((m) => m.module),
      ['example.org/retract'],
    );
  });

  test('--sumdb warms one lookup per module and only the full tiles the proofs need (no latest, no partial tiles)', async () => {
    const env = prewarmEnv({ GOSUMDB: sumdb.name });
    const run = await runPrewarmCli(['--proxy', proxy.url, '--files', 'go.sum', '--sumdb'], {
      cwd: world.program,
      env,
    });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const lookups = sumdb.requests.filter((p) => p.startsWith('lookup/'));
    assert.equal(lookups.length, world.requires.length);
    const tiles = sumdb.requests.filter((p) => p.startsWith('tile/'));
    assert.deepEqual(tiles, ['tile/8/0/000']);
    assert.ok(!sumdb.requests.includes('latest'));
    assert.equal(run.report?.sumdb?.supported, true);
    assert.equal(
      run.report?.sumdb?.lookups.filter((l) => l.status === 'warmed').length,
      world.requires.length,
    );
    assert.deepEqual(run.report?.sumdb?.tiles, [{ path: 'tile/8/0/000', status: 'warmed' }]);
  });

  test('--sumdb lookups go beside the modules on the same lanes: after the whole modules, before the last .mod-only versions (one lane)', async () => {
    const dir = makeTempDir('sumdb-beside');
    // Half the world's modules whole, the other half by their /go.mod line only.
    const paths_ = [
      ...new Set(
        world.goSum
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split(' ')[0] as string),
      ),
    ];
    const modOnlyPaths = new Set(paths_.filter((_, i) => i % 2 === 1));
    const lines = world.goSum
      .split('\n')
      .filter((l) => l !== '' && (!modOnlyPaths.has(l.split(' ')[0] as string) || l.includes('/go.mod ')));
    await writeFile(join(dir, 'go.sum'), `${lines.join('\n')}\n`);
    const run = await runPrewarmCli(['--proxy', proxy.url, '--sumdb', '--concurrency', '1'], {
      cwd: dir,
      env: prewarmEnv({ GOSUMDB: sumdb.name }),
    });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const asked = paths(proxy);
    const lookups = asked.flatMap((p, at) => (p.includes('/lookup/') ? [at] : []));
    const zips = asked.flatMap((p, at) => (p.endsWith('.zip') ? [at] : []));
    const modOnly = asked.flatMap((p, at) =>
      p.endsWith('.mod') && [...modOnlyPaths].some((m) => p.startsWith(`/${escapePath(m)}/@v/`)) ? [at] : [],
    );
    assert.equal(lookups.length, paths_.length);
    assert.ok(modOnly.length > 0 && zips.length > 0);
    // The lookups did not wait for the modules: the first comes before the last .mod-only request...
    assert.ok((lookups[0] ?? 0) < (modOnly.at(-1) ?? 0), asked.join('\n'));
    // ...and after every whole module (those queued first).
    assert.ok((lookups[0] ?? 0) > (zips.at(-1) ?? 0), asked.join('\n'));
    assert.equal(run.report?.sumdb?.lookups.filter((l) => l.status === 'warmed').length, paths_.length);
  });

  test('a checksum database answer that differs from go.sum is a loud mismatch', async () => {
    const dir = makeTempDir('sumdb-mismatch');
    const lib = world.roles.majorV1;
    const real = world.goSum.split('\n').filter((l) => l.startsWith(`${lib.path} `));
    // A go.sum claiming another zip hash: the proxy's zip and the database both disagree with it.
    const forged = real.map((l) => (l.includes('/go.mod') ? l : `${lib.path} v1.5.0 h1:${'B'.repeat(43)}=`));
    await writeFile(join(dir, 'go.sum'), `${forged.join('\n')}\n`);
    const run = await runPrewarmCli(['--proxy', proxy.url, '--sumdb'], {
      cwd: dir,
      env: prewarmEnv({ GOSUMDB: sumdb.name }),
    });
    assert.equal(run.code, 1);
    const lookup = run.report?.sumdb?.lookups[0];
    assert.equal(lookup?.mismatch, true);
    assert.match(
      lookup?.reason ?? '',
      /CHECKSUM MISMATCH: the checksum database \(through the proxy\) says example\.com\/lib v1\.5\.0 h1:/,
    );
  });
});

describe('prewarm the module at the pushed tag', () => {
  test('GITHUB_REF=refs/tags/v2.0.0 warms the /v2 module; CI_COMMIT_TAG=sub/v1.0.0 the sub-directory module; goproxy then serves them offline', async () => {
    const upstreamDir = makeTempDir('tag-upstream');
    const released: FixtureModule[] = [
      {
        path: 'example.com/released/v2',
        version: 'v2.0.0',
        files: { 'released.go': 'package released\n\nconst Version = "v2.0.0"\n' },
      },
      {
        path: 'example.com/released/sub',
        version: 'v1.0.0',
        files: { 'sub.go': 'package sub\n\nconst Version = "v1.0.0"\n' },
      },
    ];
    await writeFixtureModules(upstreamDir, released);
    const upstream = await startFixtureProxy({ dir: upstreamDir });
    const peer = await startAnchorProxy('goproxy', { upstream: upstream.url });
    try {
      const repo = makeTempDir('tag-repo');
      await writeFile(join(repo, 'go.mod'), 'module example.com/released/v2\n\ngo 1.21\n');
      await mkdir(join(repo, 'sub'));
      await writeFile(join(repo, 'sub', 'go.mod'), 'module example.com/released/sub\n\ngo 1.21\n');
      const github = await runPrewarmCli(['--proxy', peer.url, '--tag'], {
        cwd: repo,
        env: prewarmEnv({ GITHUB_REF: 'refs/tags/v2.0.0' }),
      });
      assert.equal(github.code, 0, github.stdout + github.stderr);
      assert.deepEqual(
        github.report?.modules.map((m) => [m.module, m.version, m.sources]),
        [['example.com/released/v2', 'v2.0.0', ['tag v2.0.0']]],
      );
      const gitlab = await runPrewarmCli(['--proxy', peer.url, '--tag'], {
        cwd: repo,
        env: prewarmEnv({ CI_COMMIT_TAG: 'sub/v1.0.0' }),
      });
      assert.equal(gitlab.code, 0, gitlab.stdout + gitlab.stderr);
      assert.deepEqual(
        gitlab.report?.modules.map((m) => `${m.module}@${m.version}`),
        ['example.com/released/sub@v1.0.0'],
      );
      // A tag the module path does not fit is a clear error.
      const wrong = await runPrewarmCli(['--proxy', peer.url, '--tag'], {
        cwd: repo,
        env: prewarmEnv({ GITHUB_REF: 'refs/tags/v1.0.0' }),
      });
      assert.equal(wrong.code, 1);
      assert.match(wrong.stderr, /the tag v1\.0\.0 does not fit module example\.com\/released\/v2/);

      await upstream.close();
      const work = makeTempDir('tag-consumer');
      const env = goEnv({ goproxy: peer.url });
      for (const m of released) {
        const got = await runGo(['mod', 'download', '-json', `${m.path}@${m.version}`], work, env);
        assert.equal(got.code, 0, got.stdout + got.stderr);
        assert.ok(await peer.holds(m.path, m.version, 'zip'), `${m.path} stored`);
      }
    } finally {
      await peer.stop();
      await upstream.close().catch(() => {});
    }
  });
});
