// zipsOfModules (src/modtree/mod-tree.ts): which store paths tell ci stop that a job that skipped
// the store still wanted zips of modules the restored tree holds (`go mod download`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { zipsOfModules } from '../../../src/modtree/mod-tree.ts';

test('a zip of a module the tree kept is a sign; its .info or .mod, or a zip of another module, is not', () => {
  const kept = ['example.com/!upper@v1.2.0', 'example.com/a@v0.1.0'];
  assert.equal(zipsOfModules(['example.com/!upper/@v/v1.2.0.zip'], kept), true);
  assert.equal(zipsOfModules(['example.com/a/@v/v0.1.0.mod', 'example.com/a/@v/v0.1.0.info'], kept), false);
  assert.equal(zipsOfModules(['example.com/a/@v/v0.2.0.zip', 'example.com/new/@v/v1.0.0.zip'], kept), false);
  assert.equal(zipsOfModules([], kept), false);
  assert.equal(zipsOfModules(['example.com/a/@v/v0.1.0.zip'], []), false);
});
