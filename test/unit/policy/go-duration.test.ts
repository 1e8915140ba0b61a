import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatGoDuration, parseGoDuration } from '../../../src/policy/go-duration.ts';

test('formatGoDuration: the largest whole unit, read back by parseGoDuration', () => {
  assert.equal(formatGoDuration(1_200_000), '20m');
  assert.equal(formatGoDuration(90_000), '90s');
  assert.equal(formatGoDuration(1500), '1500ms');
  assert.equal(formatGoDuration(0), '0ms');
  fc.assert(
    fc.property(fc.nat({ max: 10 * 86_400_000 }), (ms) => {
      assert.equal(parseGoDuration(formatGoDuration(ms)), ms);
    }),
  );
});
