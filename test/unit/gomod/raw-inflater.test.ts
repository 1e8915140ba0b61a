import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { RawInflater } from '../../../src/gomod/raw-inflater.ts';

/** Text-like bytes that compress, of `size` bytes. */
function compressible(size: number, seed: number): Buffer {
  const words = ['func', 'return', 'package', 'import', `v${seed}`, '{', '}', '\n\t', 'err != nil'];
  let out = '';
  for (let i = 0; out.length < size; i++) out += `${words[(i * 7 + seed) % words.length]} `;
  return Buffer.from(out.slice(0, size));
}

test('inflates entry after entry with one stream, each exactly as inflateRawSync does', () => {
  const inflater = new RawInflater(1 << 20);
  for (let i = 0; i < 300; i++) {
    const plain = i % 3 === 0 ? randomBytes(i * 37) : compressible(i * 997, i);
    const data = deflateRawSync(plain, { level: i % 10 });
    const got = inflater.inflate(data);
    assert.equal(got.type, 'ok');
    if (got.type !== 'ok') continue;
    assert.equal(got.consumed, data.length);
    assert.deepEqual(got.plain, inflateRawSync(data));
    assert.deepEqual(got.plain, plain);
  }
  inflater.close();
});

test('an entry larger than the limit is too large, and the next one inflates whole', () => {
  const inflater = new RawInflater(64 << 10);
  // Exactly the limit: fits; one byte more: does not.
  const fits = compressible(64 << 10, 1);
  const over = compressible((64 << 10) + 1, 2);
  const fitsResult = inflater.inflate(deflateRawSync(fits));
  assert.equal(fitsResult.type, 'ok');
  if (fitsResult.type === 'ok') assert.deepEqual(fitsResult.plain, fits);
  assert.deepEqual(inflater.inflate(deflateRawSync(over)), { type: 'too-large' });
  assert.deepEqual(inflater.inflate(deflateRawSync(compressible(10 << 20, 3))), { type: 'too-large' });
  const small = compressible(1000, 4);
  const after = inflater.inflate(deflateRawSync(small));
  assert.equal(after.type, 'ok');
  if (after.type === 'ok') assert.deepEqual(after.plain, small);
});

test('a broken or truncated stream is unusable, and the inflater recovers for the next entry', () => {
  const inflater = new RawInflater(1 << 20);
  const plain = compressible(50_000, 5);
  const data = deflateRawSync(plain);
  assert.deepEqual(inflater.inflate(data.subarray(0, data.length - 10)), { type: 'unusable' });
  assert.throws(() => inflateRawSync(data.subarray(0, data.length - 10)));
  const garbage = Buffer.from(data);
  garbage[0] = 0xff; // an invalid block type
  assert.deepEqual(inflater.inflate(garbage), { type: 'unusable' });
  const good = inflater.inflate(data);
  assert.equal(good.type, 'ok');
  if (good.type === 'ok') assert.deepEqual(good.plain, plain);
});

test('bytes after the end of the deflate stream are not consumed', () => {
  const inflater = new RawInflater(1 << 20);
  const plain = compressible(5000, 6);
  const data = Buffer.concat([deflateRawSync(plain), Buffer.from('PK\x07\x08trailing')]);
  const got = inflater.inflate(data);
  assert.equal(got.type, 'ok');
  if (got.type !== 'ok') return;
  assert.equal(got.consumed, data.length - 'PK\x07\x08trailing'.length);
  assert.deepEqual(got.plain, plain);
});
