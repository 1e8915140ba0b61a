// Private modules never reach the main upstream: they go to the private upstream (or direct),
// whatever their case, and their checksum-database lookups are refused.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld, type FixtureWorld } from '../support/fixture-world.ts';
import { goEnv, runGo } from '../support/go-env.ts';
import { startTestProxy } from '../support/test-proxy.ts';

let world: FixtureWorld;
let publicUpstream: FixtureProxy;
let privateUpstream: FixtureProxy;

before(async () => {
  world = await createFixtureWorld();
  publicUpstream = await startFixtureProxy({ dir: world.dir });
  privateUpstream = await startFixtureProxy({ dir: world.dir });
});

after(async () => {
  await publicUpstream.close();
  await privateUpstream.close();
  await world.remove();
});

test('modules matching the private patterns go only to the private upstream, in any case', async () => {
  const proxy = await startTestProxy({
    upstream: publicUpstream.url,
    privateUpstream: privateUpstream.url,
    // Lower case on purpose: hosts treat paths case-insensitively, so must we.
    privatePatterns: ['example.com/upper'],
    goSumFiles: [join(world.program, 'go.sum')],
  });
  try {
    const run = await runGo(['mod', 'download', 'all'], world.program, goEnv({ goproxy: proxy.url }));
    assert.equal(run.code, 0, run.stderr);
    const leaked = publicUpstream.requests.filter((r) => r.path.toLowerCase().includes('upper'));
    assert.deepEqual(leaked, [], 'the private path never reached the public upstream');
    assert.ok(
      privateUpstream.requests.some((r) => r.path.includes('!upper/!lib')),
      'fetched from the private upstream',
    );
    assert.ok(
      privateUpstream.requests.every((r) => r.path.toLowerCase().includes('upper')),
      'and nothing public went there',
    );
  } finally {
    await proxy.close();
  }
});

test('GOPROXY=off upstream: only the store answers (404 for the rest, which lets a client list move on)', async () => {
  const proxy = await startTestProxy({ upstream: 'off' });
  try {
    const res = await fetch(`${proxy.url}/example.com/lib/@v/v1.5.0.mod`);
    assert.equal(res.status, 404);
    assert.match(await res.text(), /GOPROXY=off/);
  } finally {
    await proxy.close();
  }
});
