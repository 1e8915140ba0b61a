// The verifier knows what a blob must hash to before its bytes arrive (so a zip can stream),
// judges it when they are in, and needs nothing from the proxy but go.sum and lookups.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { GoSumIndex } from '../../../src/gomod/go-sum.ts';
import { BlobVerifier } from '../../../src/proxy/blob-verifier.ts';
import { SumdbClient, type SumdbFetch } from '../../../src/sumdb/sumdb-client.ts';
import { createFixtureSumdb } from '../../support/fixture-sumdb.ts';

const zipA = 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
const zipB = 'h1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=';

async function goSum(t: { after: (fn: () => Promise<void>) => void }, text: string): Promise<GoSumIndex> {
  const dir = await mkdtemp(join(tmpdir(), 'verifier-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'go.sum'), text);
  return GoSumIndex.load([join(dir, 'go.sum')]);
}

test('verifier: go.sum lines are the expectation; a match verifies, anything else is a mismatch naming go.sum', async (t) => {
  const lookups: string[] = [];
  const verifier = new BlobVerifier({
    goSum: await goSum(t, `example.com/a v1.0.0 ${zipA}\n`),
    isNoSum: () => false,
    sumdbName: 'sum.example.org',
    sumdbLookup: async (m, v) => {
      lookups.push(`${m}@${v}`);
      return [];
    },
  });
  const expectation = await verifier.expect('example.com/a', 'v1.0.0', 'zip');
  assert.deepEqual(verifier.judge(expectation, zipA), { status: 'verified', by: 'go.sum' });
  const bad = verifier.judge(expectation, zipB);
  assert.equal(bad.status, 'mismatch');
  assert.match(
    bad.status === 'mismatch' ? bad.message : '',
    /checksum mismatch for example\.com\/a@v1\.0\.0: upstream sent h1:B.*go\.sum \(.*go\.sum\) has h1:A/,
  );
  assert.deepEqual(lookups, [], 'go.sum answered: no checksum-database lookup');
});

test('verifier: the checksum database is asked once per version; a private module is trusted; GOSUMDB=off is unverified', async (t) => {
  const lookups: string[] = [];
  const verifier = new BlobVerifier({
    goSum: await goSum(t, ''),
    isNoSum: (m) => m.startsWith('corp.example/'),
    sumdbName: 'sum.example.org',
    sumdbLookup: async (m, v) => {
      lookups.push(`${m}@${v}`);
      return [`${m} ${v} ${zipA}`, `${m} ${v}/go.mod ${zipB}`];
    },
  });
  assert.deepEqual(await verifier.verify('example.com/b', 'v1.0.0', 'zip', zipA), {
    status: 'verified',
    by: 'sumdb',
  });
  assert.deepEqual(await verifier.verify('example.com/b', 'v1.0.0', 'mod', zipB), {
    status: 'verified',
    by: 'sumdb',
  });
  const forged = await verifier.verify('example.com/b', 'v1.0.0', 'zip', zipB);
  assert.equal(forged.status, 'mismatch');
  assert.deepEqual(lookups, ['example.com/b@v1.0.0']);
  assert.deepEqual(await verifier.verify('corp.example/x', 'v1.0.0', 'zip', zipA), {
    status: 'trusted',
    by: 'first-use',
  });

  const off = new BlobVerifier({
    goSum: await goSum(t, ''),
    isNoSum: () => false,
    sumdbName: null,
    sumdbLookup: null,
  });
  const unverified = await off.verify('example.com/b', 'v1.0.0', 'zip', zipA);
  assert.equal(unverified.status, 'unverified');
});

test('verifier: a forged checksum-database answer is a mismatch, a network failure only unverified', async (t) => {
  const empty = await goSum(t, '');
  for (const [kind, status] of [
    ['bad-signature', 'mismatch'],
    ['not-included', 'mismatch'],
    ['network', 'unverified'],
  ] as const) {
    const verifier = new BlobVerifier({
      goSum: empty,
      isNoSum: () => false,
      sumdbName: 'sum.example.org',
      sumdbLookup: async () => {
        throw Object.assign(new Error(`lookup failed: ${kind}`), { kind });
      },
    });
    assert.equal((await verifier.verify('example.com/c', 'v1.0.0', 'zip', zipA)).status, status, kind);
  }
});

test('verifier: lookup answers are bounded; an evicted one is looked up and verified again', async (t) => {
  const db = await createFixtureSumdb();
  t.after(() => db.close());
  const versions = ['v1.0.0', 'v1.1.0', 'v1.2.0', 'v1.3.0'];
  const lines = (v: string) => [
    `example.com/many ${v} h1:${createHash('sha256').update(`zip ${v}`).digest('base64')}`,
    `example.com/many ${v}/go.mod h1:${createHash('sha256').update(`mod ${v}`).digest('base64')}`,
  ];
  for (const v of versions) db.add(lines(v));
  let tamper = false;
  const fetch: SumdbFetch = async (path) => {
    const body = await db.fetch(path);
    if (!tamper || body === null || !path.startsWith('lookup/')) return body;
    return Buffer.from(Buffer.from(body).toString().replace(/h1:./, 'h1:A'));
  };
  // Both layers bounded alike, as in the proxy: the verifier's answers and the client's.
  const client = new SumdbClient({ name: db.name, key: db.vkey, fetch, maxVerifiedLookups: 3 });
  const verifier = new BlobVerifier({
    goSum: await goSum(t, ''),
    isNoSum: () => false,
    sumdbName: db.name,
    sumdbLookup: (m, v) => client.lookup(m, v),
    maxCachedLookups: 3,
  });
  const zipOf = (v: string) => (lines(v)[0] as string).split(' ')[2] as string;
  const lookupsOf = (v: string) => db.requests.filter((r) => r === `lookup/example.com/many@${v}`).length;
  const verified = { status: 'verified', by: 'sumdb' };
  for (const v of versions)
    assert.deepEqual(await verifier.verify('example.com/many', v, 'zip', zipOf(v)), verified);
  assert.deepEqual(await verifier.verify('example.com/many', 'v1.3.0', 'zip', zipOf('v1.3.0')), verified);
  assert.equal(lookupsOf('v1.3.0'), 1, 'a kept answer is not looked up again');
  assert.deepEqual(await verifier.verify('example.com/many', 'v1.0.0', 'zip', zipOf('v1.0.0')), verified);
  assert.equal(lookupsOf('v1.0.0'), 2, 'the evicted answer is looked up again, and verifies');
  // An evicted answer is proven again, not trusted from an earlier proof: a forged record now fails.
  tamper = true;
  const forged = await verifier.verify('example.com/many', 'v1.1.0', 'zip', zipOf('v1.1.0'));
  assert.equal(forged.status, 'mismatch', JSON.stringify(forged));
  assert.equal(lookupsOf('v1.1.0'), 2);
});
