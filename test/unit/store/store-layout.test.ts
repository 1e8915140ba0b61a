// The store's own guard below the gomod checks: path elements and joins that cannot leave the root.
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { checkSafeElement, joinInside, parseBlobName } from '../../../src/store/store-layout.ts';

test('store layout: unsafe path elements are refused', () => {
  for (const element of [
    '',
    '.',
    '..',
    '.hidden',
    '.tmp-1-x',
    'a/b',
    'a\\b',
    'c:',
    'a\0b',
    'a\nb',
    'x'.repeat(256),
  ]) {
    assert.throws(
      () => checkSafeElement(element, 'element'),
      /refusing unsafe element/,
      JSON.stringify(element),
    );
  }
  for (const element of ['example.com', '!azure', 'v1.0.0-!r!c1', 'v2.0.0+incompatible', 'x'.repeat(255)]) {
    assert.doesNotThrow(() => checkSafeElement(element, 'element'), element);
  }
});

test('store layout: joins that resolve outside the root (or onto it) are refused', () => {
  const root = resolve('/srv/store');
  assert.equal(
    joinInside(root, ['example.com', '@v', 'list'], 'list'),
    join(root, 'example.com', '@v', 'list'),
  );
  for (const elements of [
    ['..', 'x'],
    ['a', '..', '..', 'x'],
    ['..'],
    ['.'],
    [],
    ['a', '..'],
    ['../store-evil'],
  ]) {
    assert.throws(() => joinInside(root, elements, 'file'), /outside the store/, JSON.stringify(elements));
  }
});

test('store layout: blob names parse; lists, locks, partials and temp files do not', () => {
  assert.deepEqual(parseBlobName('v1.0.0.zip'), { escapedVersion: 'v1.0.0', ext: 'zip' });
  assert.deepEqual(parseBlobName('v1.0.0-!r!c1.ziphash'), { escapedVersion: 'v1.0.0-!r!c1', ext: 'ziphash' });
  assert.deepEqual(parseBlobName('v2.0.0+incompatible.info'), {
    escapedVersion: 'v2.0.0+incompatible',
    ext: 'info',
  });
  for (const name of [
    'list',
    'list.lock',
    'v1.0.0.lock',
    'v1.0.0.partial',
    'v1.0.0.zip123.tmp',
    '.tmp-1-ab',
    '.zip',
    'v1.0.0.json',
  ]) {
    assert.equal(parseBlobName(name), null, name);
  }
});
