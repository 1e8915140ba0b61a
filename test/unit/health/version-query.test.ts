// The go command's "latest" and "upgrade" queries (modload/query.go) over a proxy's answers.
// The same rules are checked end to end against the real go command in
// test/e2e/health-snapshot.test.ts (differential) and health-real.network.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { latestFromList } from '../../../src/health/path-versions.ts';
import { listedVersions, type QuerySource, queryVersion } from '../../../src/health/version-query.ts';

function source(list: string[], latest: string | null = null, withGoMod: string[] = []): QuerySource {
  return {
    list: async () => listedVersions(list.join('\n')),
    latest: async () => latest,
    hasGoMod: async (v) => withGoMod.includes(v),
  };
}
const all = () => true;

test('listedVersions: valid tags only, pseudo-versions and junk dropped, semver order', () => {
  assert.deepEqual(
    listedVersions(
      'v1.10.0\nv1.2.0 2024-01-01T00:00:00Z\nbogus\nv0.0.0-20240102030405-abcdefabcdef\nv1.2.0\n\nv1.3.0-rc.1\n',
    ),
    ['v1.2.0', 'v1.3.0-rc.1', 'v1.10.0'],
  );
});

test('latest prefers releases; pre-releases only when there is no release', async () => {
  assert.equal(
    await queryVersion(source(['v1.0.0', 'v1.1.0', 'v1.2.0-rc.1']), { kind: 'latest' }, all),
    'v1.1.0',
  );
  assert.equal(
    await queryVersion(source(['v1.2.0-rc.1', 'v1.2.0-rc.2']), { kind: 'latest' }, all),
    'v1.2.0-rc.2',
  );
  assert.equal(
    await queryVersion(source([], 'v0.0.0-20240102030405-abcdefabcdef'), { kind: 'latest' }, all),
    'v0.0.0-20240102030405-abcdefabcdef',
  );
  assert.equal(await queryVersion(source([]), { kind: 'latest' }, all), null);
});

test('upgrade: never below the current version; disallowed versions skipped', async () => {
  const s = source(['v1.0.0', 'v1.1.0', 'v1.2.0', 'v1.3.0']);
  assert.equal(await queryVersion(s, { kind: 'upgrade', current: 'v1.1.0' }, all), 'v1.3.0');
  assert.equal(
    await queryVersion(s, { kind: 'upgrade', current: 'v1.1.0' }, (v) => v !== 'v1.3.0'),
    'v1.2.0',
  );
  // Current newer than every tag (a later pseudo-version is not offered a downgrade).
  assert.equal(await queryVersion(s, { kind: 'upgrade', current: 'v1.4.0' }, all), 'v1.4.0');
  // Current retracted and nothing newer allowed: no answer (go list shows no update).
  assert.equal(await queryVersion(s, { kind: 'upgrade', current: 'v1.3.0' }, (v) => v !== 'v1.3.0'), null);
  // A pre-release user is offered the newer pre-release when no release is newer.
  assert.equal(
    await queryVersion(
      source(['v1.0.0', 'v1.1.0-beta.1', 'v1.1.0-beta.2']),
      { kind: 'upgrade', current: 'v1.1.0-beta.1' },
      all,
    ),
    'v1.1.0-beta.2',
  );
});

test('upgrade from a pseudo-version may use @latest', async () => {
  const current = 'v0.0.0-20200101000000-aaaaaaaaaaaa';
  assert.equal(
    await queryVersion(source([], 'v0.0.0-20240101000000-bbbbbbbbbbbb'), { kind: 'upgrade', current }, all),
    'v0.0.0-20240101000000-bbbbbbbbbbbb',
  );
  assert.equal(
    await queryVersion(source([], 'v0.0.0-20190101000000-cccccccccccc'), { kind: 'upgrade', current }, all),
    current,
  );
});

test('+incompatible versions are ignored when the newest compatible version has a go.mod', async () => {
  const list = ['v1.0.0', 'v2.0.0+incompatible'];
  assert.equal(await queryVersion(source(list, null, ['v1.0.0']), { kind: 'latest' }, all), 'v1.0.0');
  assert.equal(await queryVersion(source(list, null, []), { kind: 'latest' }, all), 'v2.0.0+incompatible');
  // Asked from a +incompatible version they always count.
  assert.equal(
    await queryVersion(
      source([...list, 'v3.0.0+incompatible'], null, ['v1.0.0']),
      { kind: 'upgrade', current: 'v2.0.0+incompatible' },
      all,
    ),
    'v3.0.0+incompatible',
  );
});

test('latestFromList: the newest untagged version by time, as proxyRepo.latestFromList', () => {
  assert.equal(
    latestFromList(
      'v0.0.0-20190410155217-1f06c39b4373\nv0.0.0-20240903120638-7835f813f4da\nv0.0.0-20200804184101-5ec99f83aff1\n',
    ),
    'v0.0.0-20240903120638-7835f813f4da',
  );
  // A listed time wins over the pseudo-version's own; tags without a time are skipped.
  assert.equal(
    latestFromList(
      'v1.0.0\nv0.0.0-20190410155217-1f06c39b4373 2030-01-01T00:00:00Z\nv0.0.0-20240903120638-7835f813f4da\n',
    ),
    'v0.0.0-20190410155217-1f06c39b4373',
  );
  assert.equal(latestFromList('v1.0.0\nv1.1.0\n'), null);
});
