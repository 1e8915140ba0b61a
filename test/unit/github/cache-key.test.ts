import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hashFileContents } from '../../../src/cachelayers/file-contents-hash.ts';
import { CACHE_KEY_PREFIX, computeCacheKey } from '../../../src/github/cache-key.ts';

async function workspaceWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gpa-key-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

test('cache key: prefix + hash of the go.sum files; restore key is the prefix', async () => {
  const ws = await workspaceWith({
    'go.sum': 'a v1 h1:x\n',
    'tools/go.sum': 'b v1 h1:y\n',
    'node_modules/x/go.sum': 'ignored\n',
    '.goproxy-action/store/go.sum': 'ignored\n',
    'README.md': 'not a key file',
  });
  try {
    const key = await computeCacheKey(ws, ['**/go.sum']);
    assert.deepEqual(key.files, ['go.sum', 'tools/go.sum']);
    assert.match(key.key, /^goproxy-action-v2-[0-9a-f]{64}$/);
    assert.deepEqual(key.restoreKeys, [CACHE_KEY_PREFIX]);
    assert.ok(key.key.startsWith(CACHE_KEY_PREFIX));
    // Same content, same key; the order patterns match in does not matter.
    assert.equal((await computeCacheKey(ws, ['tools/go.sum', 'go.sum'])).key, key.key);
    // One changed line changes the key, keeps the prefix.
    await writeFile(join(ws, 'tools/go.sum'), 'b v2 h1:z\n');
    const changed = await computeCacheKey(ws, ['**/go.sum']);
    assert.notEqual(changed.key, key.key);
    assert.ok(changed.key.startsWith(CACHE_KEY_PREFIX));
  } finally {
    await rm(ws, { recursive: true, force: true });
  }
});

test('cache key: the hash covers paths and contents, independent of entry order', () => {
  const a = { path: 'go.sum', content: Buffer.from('x') };
  const b = { path: 'sub/go.sum', content: Buffer.from('y') };
  assert.equal(hashFileContents([a, b]), hashFileContents([b, a]));
  assert.notEqual(hashFileContents([a]), hashFileContents([{ ...a, path: 'moved/go.sum' }]));
  assert.notEqual(hashFileContents([a]), hashFileContents([]));
});

test('cache key: no matching file gives a stable key (and the caller warns)', async () => {
  const ws = await workspaceWith({ 'main.go': 'package main' });
  try {
    const key = await computeCacheKey(ws, ['**/go.sum']);
    assert.deepEqual(key.files, []);
    assert.equal(key.key, (await computeCacheKey(ws, ['**/go.sum'])).key);
  } finally {
    await rm(ws, { recursive: true, force: true });
  }
});
