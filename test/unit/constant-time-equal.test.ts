import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { constantTimeEqual } from '../../src/constant-time-equal.ts';

test('constantTimeEqual agrees with Buffer.equals on equal, one-byte-different and differently sized inputs', () => {
  for (let i = 0; i < 500; i++) {
    const a = randomBytes(i % 40);
    assert.equal(constantTimeEqual(a, Buffer.from(a)), true);
    if (a.length > 0) {
      const b = Buffer.from(a);
      const at = i % a.length;
      b[at] = b[at]! ^ (1 << (i % 8));
      assert.equal(constantTimeEqual(a, b), false, `differs at ${at}`);
    }
    const c = randomBytes((i + 1) % 40);
    assert.equal(constantTimeEqual(a, c), a.equals(c));
  }
});
