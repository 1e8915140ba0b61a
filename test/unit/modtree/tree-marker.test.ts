// The tree marker both adapters read after a restore and write when they save (src/modtree/tree-marker.ts).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { TREE_MARKER } from '../../../src/modtree/mod-tree.ts';
import { readTreeMarker, treeMarkerText } from '../../../src/modtree/tree-marker.ts';

test('tree marker: written and read back; missing, damaged or odd markers read as {}', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'gpa-tree-marker-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, TREE_MARKER);
  assert.deepEqual(await readTreeMarker(dir), {}, 'no marker');
  await mkdir(dirname(file), { recursive: true });
  for (const marker of [{ key: 'k1' }, { key: 'k2', storeWanted: true }, { storeWanted: true }, {}]) {
    await writeFile(file, treeMarkerText(marker));
    assert.deepEqual(await readTreeMarker(dir), marker);
  }
  assert.equal(treeMarkerText({ key: 'k', storeWanted: false }), '{"key":"k"}\n');
  for (const [text, want] of [
    ['{not json', {}],
    ['null', {}],
    ['[1,2]', {}],
    ['"key"', {}],
    ['{"key":7,"storeWanted":"yes"}', {}],
    ['{"key":"k","storeWanted":1}', { key: 'k' }],
  ] as const) {
    await writeFile(file, text);
    assert.deepEqual(await readTreeMarker(dir), want, text);
  }
});
