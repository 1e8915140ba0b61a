// The streamed restore's pieces that need no cache service: the entry version as @actions/cache
// computes it, which URLs get a request, how tar's verbose names are read back, and what a
// failed extraction may remove. The restore itself, against the stand-in and the real
// @actions/cache, is test/e2e/github-streamed-restore.test.ts.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
// @actions/cache's own function, reached by file (its package exports only the entry point).
import { getCacheVersion } from '../../../node_modules/@actions/cache/lib/internal/cacheUtils.js';
import { acceptableUrl } from '../../../src/github/cache-download-url.ts';
import { cacheEntryVersion } from '../../../src/github/cache-entry-version.ts';
import { removeBegun, unescapeTarName } from '../../../src/github/streamed-extract.ts';

test('cache entry version: the same as @actions/cache for absolute, relative and cross-OS paths', () => {
  for (const [path, crossOs] of [
    ['/home/runner/go/pkg/mod', false],
    ['.goproxy-action/store', true],
    ['.goproxy-action/gocache', false],
  ] as const) {
    for (const method of ['zstd-without-long', 'gzip'] as const)
      assert.equal(
        cacheEntryVersion([path], method, crossOs),
        getCacheVersion([path], method as Parameters<typeof getCacheVersion>[1], crossOs),
      );
  }
  // Windows without the cross-OS flag is kept apart; with it, one version for every OS.
  assert.notEqual(
    cacheEntryVersion(['p'], 'gzip', false, 'win32'),
    cacheEntryVersion(['p'], 'gzip', false, 'linux'),
  );
  assert.equal(
    cacheEntryVersion(['p'], 'gzip', true, 'win32'),
    cacheEntryVersion(['p'], 'gzip', true, 'linux'),
  );
});

test('download URLs: https anywhere, plain http only to loopback', () => {
  assert.equal(acceptableUrl(new URL('https://results.example/x?sig=s')), true);
  assert.equal(acceptableUrl(new URL('http://127.0.0.1:1234/x?sig=s')), true);
  assert.equal(acceptableUrl(new URL('http://[::1]:1234/x')), true);
  assert.equal(acceptableUrl(new URL('http://localhost/x')), true);
  assert.equal(acceptableUrl(new URL('http://blob.example/x?sig=s')), false);
  assert.equal(acceptableUrl(new URL('http://127.0.0.1.example/x')), false);
  assert.equal(acceptableUrl(new URL('ftp://127.0.0.1/x')), false);
  assert.equal(acceptableUrl(new URL('file:///etc/passwd')), false);
});

test("tar's escaped names read back: backslashes, C escapes, octal bytes of a non-UTF-8 locale", () => {
  assert.equal(unescapeTarName(Buffer.from('a/b c.go')), 'a/b c.go');
  assert.equal(unescapeTarName(Buffer.from('back\\\\slash')), 'back\\slash');
  assert.equal(unescapeTarName(Buffer.from('new\\nline\\ttab')), 'new\nline\ttab');
  assert.equal(unescapeTarName(Buffer.from('\\303\\274n\\303\\257')), 'ünï');
  assert.equal(unescapeTarName(Buffer.from('ünï')), 'ünï');
});

test('a failed extraction removes only what tar began inside the cache path, never through a link', async () => {
  const root = await mkdtemp(join(tmpdir(), 'gpa-removebegun-'));
  try {
    const ws = join(root, 'ws');
    const cache = join(root, 'cache');
    const outside = join(root, 'outside');
    await mkdir(join(cache, 'mod@v1', 'sub'), { recursive: true });
    await mkdir(join(cache, 'kept'), { recursive: true });
    await mkdir(outside, { recursive: true });
    await mkdir(ws, { recursive: true });
    await writeFile(join(cache, 'mod@v1', 'sub', 'half.go'), 'pack');
    await writeFile(join(cache, 'kept', 'earlier.go'), 'package kept\n');
    await writeFile(join(outside, 'victim'), 'not ours\n');
    await symlink(outside, join(cache, 'link'));
    const lines = [
      '../cache/',
      '../cache/mod@v1/',
      '../cache/mod@v1/sub/',
      '../cache/mod@v1/sub/half.go',
      '../cache/kept/',
      '../outside/victim',
      '../cache/link/victim',
      '',
    ].map((l) => Buffer.from(l));
    assert.equal(await removeBegun(lines, ws, cache), 1);
    // The begun module is gone, directories and all; the cache path itself and what an earlier
    // entry left stay; nothing outside it, nothing behind a link.
    assert.deepEqual((await readdir(cache)).sort(), ['kept', 'link']);
    assert.deepEqual(await readdir(join(cache, 'kept')), ['earlier.go']);
    assert.deepEqual(await readdir(outside), ['victim']);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
