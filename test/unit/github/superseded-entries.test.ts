import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ACCESS_SLACK_MS,
  type ApiCacheEntry,
  type CacheApi,
  CacheApiRefused,
  deleteSupersededAfterBases,
  supersededEntries,
} from '../../../src/github/superseded-entries.ts';

const FAMILY = 'goproxy-action-gocache-v1-linux-amd64-go1.26.8-';
const MAIN = 'refs/heads/main';
const T0 = Date.parse('2026-12-01T10:00:00Z');
const restoreStartedAt = T0 + 100_000;
const restoreDoneAt = T0 + 110_000;

let nextId = 1;
function entry(key: string, created: number, accessed = created, ref = MAIN): ApiCacheEntry {
  return {
    id: nextId++,
    key,
    ref,
    created_at: new Date(created).toISOString(),
    last_accessed_at: new Date(accessed).toISOString(),
    size_in_bytes: 1000,
  };
}

const keys = (list: ApiCacheEntry[]) => list.map((e) => e.key).sort();

test('superseded entries: the older chains of this ref and family, never the new base, another ref, another family or a chain in use', () => {
  const old = [entry(`${FAMILY}1-aaaaaaaa-00`, T0), entry(`${FAMILY}1-aaaaaaaa-01`, T0 + 10)];
  // The chain this job restored: accessed by its own restore (before restoreDoneAt), superseded.
  const restored = [
    entry(`${FAMILY}2-bbbbbbbb-00`, T0 + 20, restoreDoneAt - 1000),
    entry(`${FAMILY}2-bbbbbbbb-01`, T0 + 30, restoreDoneAt - 500),
  ];
  const newBase = entry(`${FAMILY}9-cccccccc-00`, restoreDoneAt + 5000);
  const otherRef = entry(`${FAMILY}3-dddddddd-00`, T0, T0, 'refs/heads/feature');
  const otherFamily = entry('goproxy-action-gocache-v1-linux-amd64-go1.25.0-4-eeeeeeee-00', T0);
  const storeFamily = entry('goproxy-action-v2-store-5-ffffffff-00', T0);
  // Another job restored this chain after ours (it may still save a layer on it): kept whole.
  const accessedLater = [
    entry(`${FAMILY}6-11111111-00`, T0, restoreDoneAt + ACCESS_SLACK_MS + 1000),
    entry(`${FAMILY}6-11111111-01`, T0),
  ];
  // Saved by a concurrent job after ours began restoring (its own compaction): kept.
  const createdLater = entry(`${FAMILY}7-22222222-00`, restoreStartedAt + 1000);
  // A key of the family's prefix but not a layer key: not ours to delete.
  const foreign = entry(`${FAMILY}manual`, T0);
  const all = [
    ...old,
    ...restored,
    newBase,
    otherRef,
    otherFamily,
    storeFamily,
    ...accessedLater,
    createdLater,
    foreign,
  ];
  const doomed = supersededEntries(all, {
    family: FAMILY,
    ref: MAIN,
    newBaseId: '9-cccccccc',
    restoreStartedAt,
    restoreDoneAt,
  });
  assert.deepEqual(keys(doomed), keys([...old, ...restored]));
  // Within the slack, an access counts as this job's own restore (clocks differ).
  const ownAccess = entry(`${FAMILY}8-33333333-00`, T0, restoreDoneAt + ACCESS_SLACK_MS - 1000);
  assert.deepEqual(
    keys(
      supersededEntries([ownAccess], {
        family: FAMILY,
        ref: MAIN,
        newBaseId: '9-cccccccc',
        restoreStartedAt,
        restoreDoneAt,
      }),
    ),
    [ownAccess.key],
  );
});

function fakeApi(listed: ApiCacheEntry[], options: { refuseDelete?: boolean } = {}) {
  const calls: string[] = [];
  const api: CacheApi = {
    async list(prefix, ref) {
      calls.push(`list ${prefix} ${ref}`);
      return listed.filter((e) => e.key.startsWith(prefix) && e.ref === ref);
    },
    async delete(id) {
      calls.push(`delete ${id}`);
      if (options.refuseDelete) throw new CacheApiRefused('DELETE answered 403');
    },
  };
  return { api, calls };
}

test('deleteSupersededAfterBases: one info line per family; a refusal is one line and stops', async () => {
  const a = entry(`${FAMILY}1-aaaaaaaa-00`, T0);
  const b = entry(`${FAMILY}9-cccccccc-00`, restoreDoneAt + 5000);
  const env = { GITHUB_REF: MAIN };
  const ok = fakeApi([a, b]);
  const lines = await deleteSupersededAfterBases({
    bases: [{ family: FAMILY, key: b.key }],
    env,
    token: 'x',
    restoreStartedAt,
    restoreDoneAt,
    api: ok.api,
  });
  assert.deepEqual(ok.calls, [`list ${FAMILY} ${MAIN}`, `delete ${a.id}`]);
  assert.deepEqual(lines, [`superseded cache entries: deleted 1 of ${FAMILY}* (0.0 MiB), 1 kept on ${MAIN}`]);

  const refused = fakeApi([a, b], { refuseDelete: true });
  const refusedLines = await deleteSupersededAfterBases({
    bases: [
      { family: FAMILY, key: b.key },
      { family: 'goproxy-action-v2-store-', key: 'goproxy-action-v2-store-9-cccccccc-00' },
    ],
    env,
    token: 'x',
    restoreStartedAt,
    restoreDoneAt,
    api: refused.api,
  });
  assert.deepEqual(refusedLines, ['superseded cache entries kept: the token lacks actions: write']);
  assert.equal(refused.calls.filter((c) => c.startsWith('list')).length, 1, 'the second family is not asked');

  // Without main's restore times every chain counts as in use: nothing deleted.
  const noTimes = fakeApi([a, b]);
  await deleteSupersededAfterBases({
    bases: [{ family: FAMILY, key: b.key }],
    env,
    token: 'x',
    api: noTimes.api,
  });
  assert.deepEqual(noTimes.calls, [`list ${FAMILY} ${MAIN}`]);

  // No API to call (no token or no GITHUB_API_URL): one line, nothing asked.
  assert.deepEqual(
    await deleteSupersededAfterBases({ bases: [{ family: FAMILY, key: b.key }], env, token: '' }),
    ['superseded cache entries kept: no github-token, GITHUB_API_URL, GITHUB_REPOSITORY or GITHUB_REF'],
  );
  assert.deepEqual(await deleteSupersededAfterBases({ bases: [], env, token: 'x' }), []);
});
