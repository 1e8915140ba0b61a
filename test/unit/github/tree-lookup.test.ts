// The module tree's key tag (treeKeyTag) and what the newest entry's key says before anything is
// downloaded (treeLookup): the store's restore waits for the tree only when the newest tree entry
// was saved for the job's dependency key and does not want the store. The real flow, with
// @actions/cache against the stand-in, is test/e2e/github-store-skip.test.ts.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { layerKey } from '../../../src/cachelayers/layer-keys.ts';
import type { CacheClient } from '../../../src/cachelayers/layered-cache.ts';
import {
  restoreModTree,
  type TreeLookup,
  treeFamily,
  treeKeyTag,
  treeLookup,
} from '../../../src/github/mod-tree-step.ts';

const family = treeFamily('linux');
const dep = 'goproxy-action-v2-1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a7988';
const otherDep = 'goproxy-action-v2-0000000000000000000000000000000000000000000000000000000000000000';

test('tree key tag: 16 hex digits of the dependency key, w when the store is wanted; a valid key part', () => {
  assert.match(treeKeyTag(dep, false), /^[0-9a-f]{16}$/);
  assert.equal(treeKeyTag(dep, true), `${treeKeyTag(dep, false)}w`);
  assert.notEqual(treeKeyTag(dep, false), treeKeyTag(otherDep, false));
  assert.match(layerKey(family, '9-0000abcd', 0, treeKeyTag(dep, true)), /-00-[0-9a-f]{16}w$/);
  // A new family: the untagged entries of earlier versions are never found by its prefix.
  assert.ok(!'goproxy-action-v2-modtree-linux-9-0000abcd-00'.startsWith(family));
  assert.ok(!family.startsWith('goproxy-action-v2-modtree-linux-'));
});

test('tree lookup: same dependencies only when the newest key carries this dependency key', () => {
  const key = (tag?: string) => layerKey(family, '9-0000abcd', 2, tag);
  assert.deepEqual(treeLookup(family, key(treeKeyTag(dep, false)), dep), {
    sameDependencies: true,
    storeWanted: false,
  });
  assert.deepEqual(treeLookup(family, key(treeKeyTag(dep, true)), dep), {
    sameDependencies: true,
    storeWanted: true,
  });
  assert.deepEqual(treeLookup(family, key(treeKeyTag(otherDep, false)), dep).sameDependencies, false);
  // No entry, an untagged key, another family's key, garbage: never "same".
  for (const newest of [
    undefined,
    key(),
    `${treeFamily('darwin')}9-0000abcd-00-${treeKeyTag(dep, false)}`,
    'x',
  ])
    assert.deepEqual(
      treeLookup(family, newest, dep),
      { sameDependencies: false, storeWanted: false },
      String(newest),
    );
});

test('restoreModTree tells the lookup before any download, and "not the same" at once when it looks nothing up', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'gpa-tree-lookup-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const goSum = join(dir, 'go.sum');
  await writeFile(goSum, '');
  const events: string[] = [];
  const newest = layerKey(family, '9-0000abcd', 1, treeKeyTag(dep, false));
  const client: CacheClient = {
    async lookup() {
      events.push('lookup');
      return newest;
    },
    async restore(key, prefix) {
      events.push(`restore ${prefix ? 'prefix' : key === newest ? 'newest' : key}`);
      return undefined; // the base is gone: a cold tree after all
    },
    async save() {
      return false;
    },
  };
  const options = {
    client,
    gomodcache: join(dir, 'modcache'),
    goos: 'linux',
    goSumFiles: [goSum],
    dependencyKey: dep,
    stateDir: dir,
    canRestore: true,
    writable: true,
    onLookup: (l: TreeLookup) => events.push(`told ${l.sameDependencies}`),
  };
  const state = await restoreModTree(options);
  assert.deepEqual(events, ['lookup', 'told true', 'restore prefix']);
  assert.equal(state.restore, 'none');
  // No reads allowed, no go.sum, a runner's own GOMODCACHE: told at once, nothing asked.
  for (const other of [
    { canRestore: false },
    { goSumFiles: [] },
    { gomodcache: dir }, // not empty
  ]) {
    events.length = 0;
    await restoreModTree({ ...options, ...other });
    assert.deepEqual(events, ['told false'], JSON.stringify(other));
  }
});
