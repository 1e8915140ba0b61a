import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readGoEnv } from '../../../src/gomod/read-go-env.ts';
import { goEnv } from '../../support/go-env.ts';

test('a go command that refuses its settings: its own words, not "install Go"', async () => {
  const env = { ...goEnv({ goproxy: 'off' }), GOTOOLCHAIN: 'bogus' };
  await assert.rejects(readGoEnv(['GOOS'], { env }), (err: Error) => {
    assert.match(err.message, /^'go env' failed: go: invalid GOTOOLCHAIN "bogus"; fix the setting it names/);
    assert.doesNotMatch(err.message, /install Go/);
    return true;
  });
});

test('no go command on PATH: install Go first', async () => {
  const env = { ...goEnv({ goproxy: 'off' }), PATH: '/nonexistent' };
  await assert.rejects(
    readGoEnv(['GOOS'], { env }),
    /could not run 'go env' \(.*ENOENT.*\); install Go first/,
  );
});

test('the settings it reads, from the environment given', async () => {
  const env = { ...goEnv({ goproxy: 'off', goprivate: 'example.com/private' }) };
  const values = await readGoEnv(['GOPROXY', 'GOPRIVATE', 'GONOPROXY'], { env });
  assert.deepEqual(values, {
    GOPROXY: 'off',
    GOPRIVATE: 'example.com/private',
    GONOPROXY: 'example.com/private',
  });
});
