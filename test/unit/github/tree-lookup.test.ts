// The module tree's key tag (treeKeyTag) and what the newest entry's key says before anything is
// downloaded (treeLookup): the store's restore waits for the tree only when the newest tree entry
// was saved for the job's dependency key and does not want the store. The real flow, with
// @actions/cache against the stand-in, is test/e2e/github-store-skip.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layerKey } from '../../../src/cachelayers/layer-keys.ts';
import { treeFamily, treeKeyTag, treeLookup } from '../../../src/github/mod-tree-step.ts';

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
