// The verifier knows what a blob must hash to before its bytes arrive (so a zip can stream),
// judges it when they are in, and needs nothing from the proxy but go.sum and lookups.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { GoSumIndex } from '../../../src/gomod/go-sum.ts';
import { BlobVerifier } from '../../../src/proxy/blob-verifier.ts';

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
