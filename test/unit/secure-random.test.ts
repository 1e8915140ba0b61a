// src/secure-random.ts: secret random bytes of the size asked, different on every call, and
// node:crypto not loaded to make them (serve's start-up: the admin token and ready file name).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { secureRandomBytes } from '../../src/secure-random.ts';

const run = promisify(execFile);

test('secureRandomBytes gives the size asked, and no two tokens alike', () => {
  for (const size of [0, 1, 4, 24, 4096]) assert.equal(secureRandomBytes(size).length, size);
  const tokens = new Set(Array.from({ length: 200 }, () => secureRandomBytes(24).toString('hex')));
  assert.equal(tokens.size, 200);
  // Not a constant fill: 4096 random bytes hold most of the 256 byte values.
  assert.ok(new Set(secureRandomBytes(4096)).size > 200);
});

test('secureRandomBytes does not load node:crypto where the kernel has a random device', async () => {
  const module = join(import.meta.dirname, '..', '..', 'src', 'secure-random.ts');
  const script = `
    const { secureRandomBytes } = await import(${JSON.stringify(module)});
    const token = secureRandomBytes(24).toString('hex');
    const loaded = process.moduleLoadList.filter((m) => /^NativeModule (internal\\/)?crypto\\b/.test(m));
    console.log(JSON.stringify({ token, loaded }));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
  const { token, loaded } = JSON.parse(stdout) as { token: string; loaded: string[] };
  assert.match(token, /^[0-9a-f]{48}$/);
  // Windows has no random device: there they come from node:crypto.
  assert.equal(loaded.length > 0, process.platform === 'win32', loaded.join(', '));
});
