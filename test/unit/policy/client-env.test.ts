import assert from 'node:assert/strict';
import { test } from 'node:test';
import { privatePatternsFrom } from '../../../src/policy/client-env.ts';

test('privatePatternsFrom: union of lists, deduplicated, order kept, empties and none dropped', () => {
  assert.deepEqual(
    privatePatternsFrom(
      'github.com/acme,,git.corp.example.com/',
      undefined,
      ['github.com/acme', 'none'],
      'x.io/a, y.io',
    ),
    ['github.com/acme', 'git.corp.example.com/', 'x.io/a', 'y.io'],
  );
  assert.deepEqual(privatePatternsFrom(), []);
  assert.deepEqual(privatePatternsFrom('', undefined, []), []);
});
