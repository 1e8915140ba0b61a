// The real go command checks modules against the fixture checksum database: if it accepts our
// signed notes, records, full and partial tiles and consistency proofs, they are right. The
// modules come from GOPROXY=file://, and there is no go.sum line for them beforehand.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type FixtureModule, goSumFor, writeFixtureModules } from '../../support/fixture-modules.ts';
import { startFixtureProxy } from '../../support/fixture-proxy.ts';
import { createFixtureSumdb, type FixtureSumdb } from '../../support/fixture-sumdb.ts';
import { goEnv, makeTempDir, runGo } from '../../support/go-env.ts';

const alpha: FixtureModule = { path: 'example.com/sumfix/alpha', version: 'v1.0.0' };
// Upper case: the lookup path is case-encoded (`!beta`).
const beta: FixtureModule = { path: 'example.com/sumfix/Beta', version: 'v1.2.0' };
const gamma: FixtureModule = { path: 'example.com/sumfix/gamma', version: 'v0.3.0' };

let root: string;
let proxyDir: string;
let sums: Map<string, string[]>;

/** go.sum lines of made-up module versions, so the log is big enough for several tiles and levels. */
function fillerLines(from: number, count: number): string[] {
  const lines: string[] = [];
  for (let i = from; i < from + count; i++) {
    const h = (s: string) => `h1:${createHash('sha256').update(s).digest('base64')}`;
    lines.push(`example.com/filler/m${i} v1.0.0 ${h(`zip${i}`)}`);
    lines.push(`example.com/filler/m${i} v1.0.0/go.mod ${h(`mod${i}`)}`);
  }
  return lines;
}

function linesOf(module: FixtureModule): string[] {
  return sums.get(`${module.path}@${module.version}`) ?? assert.fail(`no sums for ${module.path}`);
}

async function newWorkModule(): Promise<string> {
  const work = makeTempDir('sumdb-work');
  await writeFile(join(work, 'go.mod'), 'module example.com/work\n\ngo 1.21\n');
  return work;
}

before(async () => {
  root = makeTempDir('sumdb-gocmd');
  proxyDir = join(root, 'proxy');
  await writeFixtureModules(proxyDir, [alpha, beta, gamma]);
  const text = await goSumFor(proxyDir, [alpha, beta, gamma]);
  sums = new Map();
  for (const line of text.split('\n').filter((l) => l !== '')) {
    const [path, version] = line.split(' ') as [string, string];
    const key = `${path}@${version.replace('/go.mod', '')}`;
    sums.set(key, [...(sums.get(key) ?? []), line]);
  }
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function withDb<T>(fn: (db: FixtureSumdb) => Promise<T>, name?: string, skey?: string): Promise<T> {
  const db = await createFixtureSumdb(name, skey ? { skey } : {});
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

test('go get verifies modules against the fixture database (full and partial tiles, two tile levels)', async () => {
  await withDb(async (db) => {
    // alpha sits in the first, full level-0 tile; beta and gamma in the partial second one;
    // 300 records also make a level-1 tile, so the go command combines two levels.
    db.add(linesOf(alpha));
    db.add(fillerLines(0, 299));
    db.add(linesOf(beta));
    db.add(linesOf(gamma));
    assert.equal(db.size, 302);
    const work = await newWorkModule();
    const env = goEnv({ goproxy: `file://${proxyDir}`, gosumdb: db.gosumdb });
    const got = await runGo(
      ['get', `${alpha.path}@${alpha.version}`, `${beta.path}@${beta.version}`],
      work,
      env,
    );
    assert.equal(got.code, 0, got.stderr);
    const goSum = await readFile(join(work, 'go.sum'), 'utf8');
    for (const line of [...linesOf(alpha), ...linesOf(beta)]) assert.ok(goSum.includes(`${line}\n`), line);

    assert.ok(db.requests.includes('lookup/example.com/sumfix/alpha@v1.0.0'), db.requests.join('\n'));
    assert.ok(db.requests.includes('lookup/example.com/sumfix/!beta@v1.2.0'), db.requests.join('\n'));
    assert.ok(db.requests.includes('tile/8/0/000'), db.requests.join('\n'));
    assert.ok(db.requests.includes('tile/8/0/001.p/46'), db.requests.join('\n'));
    assert.ok(db.requests.includes('tile/8/1/000.p/1'), db.requests.join('\n'));
  });
});

test('go mod download refuses a module whose hash differs from the database (SECURITY ERROR)', async () => {
  await withDb(async (db) => {
    const wrong = linesOf(alpha).map((line) =>
      line.includes('/go.mod ')
        ? line
        : line.replace(/h1:.*/, `h1:${createHash('sha256').update('x').digest('base64')}`),
    );
    db.add(fillerLines(0, 10));
    db.add(wrong);
    const work = await newWorkModule();
    const env = goEnv({ goproxy: `file://${proxyDir}`, gosumdb: db.gosumdb });
    const result = await runGo(['mod', 'download', `${alpha.path}@${alpha.version}`], work, env);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /example\.com\/sumfix\/alpha@v1\.0\.0: verifying module: checksum mismatch/);
    assert.match(result.stderr, /SECURITY ERROR/);
    assert.ok(db.requests.includes('lookup/example.com/sumfix/alpha@v1.0.0'));
  });
});

test('the go command accepts a grown tree as consistent with the one it saw before', async () => {
  await withDb(async (db) => {
    db.add(fillerLines(0, 5));
    db.add(linesOf(alpha));
    const work = await newWorkModule();
    // One environment: the same GOPATH keeps the go command's memory of the latest tree.
    const env = goEnv({ goproxy: `file://${proxyDir}`, gosumdb: db.gosumdb });
    const first = await runGo(['mod', 'download', `${alpha.path}@${alpha.version}`], work, env);
    assert.equal(first.code, 0, first.stderr);
    db.add(fillerLines(5, 400));
    db.add(linesOf(gamma));
    const second = await runGo(['mod', 'download', `${gamma.path}@${gamma.version}`], work, env);
    assert.equal(second.code, 0, second.stderr);
    const latest = await readFile(join(env.GOPATH as string, 'pkg', 'sumdb', db.name, 'latest'), 'utf8');
    assert.equal(latest, db.signedTree());
  });
});

test('the go command detects a forked log signed by the same key', async () => {
  const name = `sumdb-fork-${process.pid}.fixture.test`;
  await withDb(async (original) => {
    original.add(fillerLines(0, 40));
    original.add(linesOf(alpha));
    const work = await newWorkModule();
    const env = goEnv({ goproxy: `file://${proxyDir}`, gosumdb: original.gosumdb });
    const first = await runGo(['mod', 'download', `${alpha.path}@${alpha.version}`], work, env);
    assert.equal(first.code, 0, first.stderr);
    // Same name and key, different history: record 3 differs, then the log goes on.
    await withDb(
      async (fork) => {
        fork.add(fillerLines(0, 3));
        fork.add(fillerLines(1000, 1));
        fork.add(fillerLines(4, 36));
        fork.add(linesOf(alpha));
        fork.add(linesOf(gamma));
        const forkEnv = { ...env, GOSUMDB: fork.gosumdb };
        const second = await runGo(['mod', 'download', `${gamma.path}@${gamma.version}`], work, forkEnv);
        assert.notEqual(second.code, 0, 'the go command accepted a forked log');
        assert.match(second.stderr, /SECURITY ERROR/);
        assert.match(second.stderr, /misbehavior detected/);
      },
      name,
      original.skey,
    );
  }, name);
});

test('mounted under a proxy at /sumdb/<name>/, the database is found through GOPROXY (GOSUMDB without URL)', async () => {
  await withDb(async (db) => {
    db.add(linesOf(beta));
    db.add(fillerLines(0, 260));
    db.add(linesOf(gamma));
    const proxy = await startFixtureProxy({ dir: proxyDir, sumdb: db });
    try {
      const work = await newWorkModule();
      const env = goEnv({ goproxy: proxy.url, gosumdb: db.vkey });
      const got = await runGo(
        ['get', `${beta.path}@${beta.version}`, `${gamma.path}@${gamma.version}`],
        work,
        env,
      );
      assert.equal(got.code, 0, got.stderr);
      const goSum = await readFile(join(work, 'go.sum'), 'utf8');
      for (const line of [...linesOf(beta), ...linesOf(gamma)]) assert.ok(goSum.includes(`${line}\n`), line);
      assert.equal(db.requests[0], 'supported');
      assert.ok(db.requests.includes('lookup/example.com/sumfix/!beta@v1.2.0'), db.requests.join('\n'));
      assert.ok(
        proxy.requests.some((r) => r.path === `/sumdb/${db.name}/tile/8/0/001.p/6` && r.status === 200),
        proxy.requests.map((r) => `${r.path} ${r.status}`).join('\n'),
      );
    } finally {
      await proxy.close();
    }
  });
});
