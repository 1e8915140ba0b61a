import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LruMap } from '../../src/lru-map.ts';

test('LruMap: holds at most max entries; the least recently used (read or written) goes first', () => {
  const map = new LruMap<string, number>(3);
  map.set('a', 1);
  map.set('b', 2);
  map.set('c', 3);
  assert.equal(map.get('a'), 1); // a is now the most recently used
  map.set('d', 4);
  assert.equal(map.size, 3);
  assert.equal(map.get('b'), undefined, 'b was the least recently used');
  assert.deepEqual([map.get('a'), map.get('c'), map.get('d')], [1, 3, 4]);
  map.set('c', 30); // rewriting refreshes too
  map.set('e', 5);
  assert.equal(map.get('a'), undefined);
  assert.equal(map.get('c'), 30);
  for (let i = 0; i < 1000; i++) map.set(`k${i}`, i);
  assert.equal(map.size, 3);
  assert.throws(() => new LruMap(0), /positive integer/);
});
