// The action's proxy runs with a client token (on by default): checking the client path and the
// admin token must not load node:crypto (about 10 ms of CPU and OpenSSL's pages on the first
// request, issue 9's start-up and memory), while every answer stays what it was: 200 under the
// token, 403 without it, 401 with a wrong admin token.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildCliFromWorkingTree } from '../support/gitlab-ci-local.ts';
import { makeTempDir } from '../support/go-env.ts';
import { startServeProcess } from '../support/serve-process.ts';

/** Preloaded into serve: on SIGUSR2 writes the crypto modules loaded so far to $CRYPTO_OUT. */
const recorder = `
process.on('SIGUSR2', () => {
  const crypto = process.moduleLoadList.filter((m) => /^NativeModule (internal\\/)?crypto\\b/.test(m));
  require('node:fs').writeFileSync(process.env.CRYPTO_OUT, JSON.stringify(crypto));
});
`;

test('serve under a client token answers the client path and the admin token without loading node:crypto', async () => {
  const cli = await buildCliFromWorkingTree();
  const dir = makeTempDir('client-token-crypto');
  const preload = join(dir, 'recorder.cjs');
  writeFileSync(preload, recorder);
  const out = join(dir, 'crypto.json');
  const clientToken = 'Cl1ent_token-0123456789abcdefXYZ';
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: join(dir, 'home'),
    GOPROXY_ACTION_GO_SETTINGS: JSON.stringify({
      GOPROXY: 'off',
      GOSUMDB: 'off',
      GOPRIVATE: '',
      GONOPROXY: '',
      GONOSUMDB: '',
    }),
    GP_CLIENT_TOKEN: clientToken,
    CRYPTO_OUT: out,
  };
  const serve = await startServeProcess(
    [
      '--store',
      join(dir, 'store'),
      '--upstream',
      'off',
      '--gosumdb',
      'off',
      '--client-token-env',
      'GP_CLIENT_TOKEN',
    ],
    [],
    { entry: cli, nodeArgs: ['-r', preload], env, cwd: dir },
  );
  try {
    const { ready } = serve;
    assert.equal(ready.goproxy, `${ready.url}/${clientToken}`);
    const status = async (path: string, headers: Record<string, string> = {}) => {
      const res = await fetch(`${ready.url}${path}`, { headers });
      await res.arrayBuffer();
      return res.status;
    };
    assert.equal(await status(`/${clientToken}/`), 200, 'under the client path');
    assert.equal(await status(`/${clientToken}`), 200, 'the client path itself');
    assert.equal(await status('/'), 403, 'without the client path');
    assert.equal(
      await status(`/${clientToken.slice(0, -1)}Q/`),
      403,
      'under another path of the same length',
    );
    assert.equal(await status(`/${clientToken}x/`), 403, 'under a longer path');
    const wrongAdmin = { authorization: `Bearer ${'0'.repeat(ready.token.length)}` };
    assert.equal(await status('/_admin/stats', wrongAdmin), 401, 'a wrong admin token');
    assert.equal(
      await status('/_admin/stats', { authorization: `Bearer ${ready.token}` }),
      200,
      'the admin token',
    );

    serve.child.kill('SIGUSR2');
    for (let i = 0; i < 400 && !existsSync(out); i++) await new Promise((r) => setTimeout(r, 25));
    assert.deepEqual(JSON.parse(await readFile(out, 'utf8')), [], 'node:crypto not loaded');
  } finally {
    assert.equal(await serve.stop(), 0, serve.log());
  }
});
