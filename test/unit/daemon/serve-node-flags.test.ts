// The serve daemon's node flags must stay outside V8's flag hash: a flag inside it (such as
// --no-maglev) makes V8 reject Node's built-in code cache and serve's compile cache, and every
// start compiles from source (+15-20 ms before ready, bench/README.md stop 19).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { serveNodeFlags } from '../../../src/daemon/start-proxy.ts';

const run = promisify(execFile);

async function versionTag(flags: readonly string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [
    ...flags,
    '-p',
    "require('node:v8').cachedDataVersionTag()",
  ]);
  return stdout.trim();
}

test("serve's node flags leave V8's code-cache tag as without them (compiled code caches still apply)", async () => {
  assert.ok(serveNodeFlags.length > 0);
  const plain = await versionTag([]);
  assert.equal(await versionTag(serveNodeFlags), plain);
  // The check can fail: a flag inside the hash changes the tag.
  assert.notEqual(await versionTag([...serveNodeFlags, '--no-maglev']), plain);
});
