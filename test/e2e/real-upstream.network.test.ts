// [network] The few tests that use the real module proxy and checksum database, read from
// `go env` at run time. They tolerate nothing silently: no network means they fail.
// A real module graph downloaded through our proxy must equal the one downloaded straight
// from the machine's GOPROXY; a `go get` with no go.sum line is verified natively against the
// default checksum database, with the key the engine embeds (as the go command does).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { escapePath } from '../../src/gomod/module-path.ts';
import { goEnv, machineGoEnv, makeTempDir, runGo } from '../support/go-env.ts';
import { diffDigests, modCacheDigest } from '../support/mod-cache-compare.ts';
import { startTestProxy } from '../support/test-proxy.ts';

// A small real graph: x/mod and its own requirements.
const root = 'golang.org/x/mod';
const rootVersion = 'v0.20.0';

async function program(): Promise<string> {
  const dir = makeTempDir('real-program');
  await writeFile(
    join(dir, 'go.mod'),
    `module example.com/realprogram\n\ngo 1.22\n\nrequire ${root} ${rootVersion}\n`,
  );
  await writeFile(
    join(dir, 'main.go'),
    'package main\n\nimport "golang.org/x/mod/semver"\n\nfunc main() { println(semver.IsValid("v1.0.0")) }\n',
  );
  return dir;
}

test('[network] a real module graph through the proxy equals the one straight from the machine GOPROXY', async () => {
  const goproxy = await machineGoEnv('GOPROXY');
  const gosumdb = await machineGoEnv('GOSUMDB');
  const dir = await program();
  // go.sum made by the go command itself, straight from the real upstream and database.
  const tidy = await runGo(['mod', 'tidy'], dir, goEnv({ goproxy, gosumdb }));
  assert.equal(tidy.code, 0, tidy.stderr);
  const proxy = await startTestProxy({ upstream: goproxy, gosumdb, goSumFiles: [join(dir, 'go.sum')] });
  try {
    const viaProxy = makeTempDir('real-proxy-cache');
    const straight = makeTempDir('real-straight-cache');
    for (const [cache, proxyList] of [
      [viaProxy, proxy.url],
      [straight, goproxy],
    ] as const) {
      const env = goEnv({ goproxy: proxyList, gosumdb, gomodcache: cache });
      const download = await runGo(['mod', 'download', 'all'], dir, env);
      assert.equal(download.code, 0, download.stderr);
      const build = await runGo(['build', '-o', join(makeTempDir('bin'), 'p'), '.'], dir, env);
      assert.equal(build.code, 0, build.stderr);
    }
    assert.deepEqual(diffDigests(await modCacheDigest(viaProxy), await modCacheDigest(straight)), []);
    assert.ok(proxy.stats.snapshot().totals.unverified === 0, 'every blob was covered by go.sum');
  } finally {
    await proxy.close();
  }
});

test('[network] go get with no go.sum line: verified natively against the default checksum database, then stored', async () => {
  const goproxy = await machineGoEnv('GOPROXY');
  const gosumdb = await machineGoEnv('GOSUMDB');
  assert.ok(!gosumdb.includes('+'), 'this test covers a GOSUMDB without a key (the default)');
  const proxy = await startTestProxy({ upstream: goproxy, gosumdb });
  try {
    const work = makeTempDir('real-get');
    const env = goEnv({ goproxy: proxy.url, gosumdb, extra: { GOFLAGS: '-modcacherw -mod=mod' } });
    const run = await runGo(['mod', 'download', '-json', `${root}@${rootVersion}`], work, env);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const zip = join(proxy.storeDir, escapePath(root), '@v', `${rootVersion}.zip`);
    assert.ok(existsSync(zip), 'verified and stored');
    const meta = JSON.parse(
      await readFile(
        join(proxy.storeDir, '.goproxy-action', 'meta', escapePath(root), '@v', `${rootVersion}.json`),
        'utf8',
      ),
    );
    assert.equal(meta.verification, 'verified:sumdb');
    const stats = proxy.stats.snapshot();
    assert.ok(stats.byKind.sumdb.requests > 0, "the go command's checksum traffic went through the proxy");
    assert.equal(stats.byKind.sumdb.errors, 0, 'every answer of the real database verified');
    // What the go command got through /sumdb/ verified against the embedded key, and was kept.
    assert.ok(
      existsSync(join(proxy.storeDir, 'sumdb', gosumdb, 'lookup', `${escapePath(root)}@${rootVersion}`)),
      'the verified lookup is stored',
    );
  } finally {
    await proxy.close();
  }
});
