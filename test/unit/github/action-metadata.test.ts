// Marketplace-ready metadata: GitHub lists the root action with its name, a short description
// and branding (an icon and one of the allowed colours); every action.yml (the sub-actions
// too) needs a name and a description to be used at all.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..', '..');
type Action = {
  name?: string;
  description?: string;
  author?: string;
  branding?: { icon?: string; color?: string };
};
const read = (file: string) => parse(readFileSync(join(root, file), 'utf8')) as Action;

test('action.yml: name, a Marketplace-length description, author and branding', () => {
  const action = read('action.yml');
  assert.equal(action.name, 'goproxy-action');
  assert.ok(
    action.description && action.description.length <= 125,
    `description: ${action.description?.length} characters (125 at most)`,
  );
  assert.ok(action.author);
  assert.ok(action.branding?.icon, 'branding.icon');
  const colors = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark'];
  assert.ok(colors.includes(action.branding?.color ?? ''), `branding.color is one of ${colors.join(', ')}`);
});

test('every sub-action (prewarm/, health/, ...) has a name and a description', () => {
  const subs = readdirSync(root).filter(
    (dir) => !dir.startsWith('.') && dir !== 'node_modules' && existsSync(join(root, dir, 'action.yml')),
  );
  for (const dir of subs) {
    const action = read(join(dir, 'action.yml'));
    assert.ok(action.name, `${dir}/action.yml: name`);
    assert.ok(action.description, `${dir}/action.yml: description`);
  }
});
