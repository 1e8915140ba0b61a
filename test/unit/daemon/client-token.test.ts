import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkServeValues } from '../../../src/cli/serve-options.ts';
import {
  CLIENT_TOKEN_SHOWN,
  hideClientPath,
  hideClientToken,
  newClientToken,
} from '../../../src/daemon/client-token.ts';

test('client token: 32 base64url characters, new each time, accepted by serve --client-token-env', async () => {
  const a = newClientToken();
  const b = newClientToken();
  assert.match(a, /^[A-Za-z0-9_-]{32}$/);
  assert.notEqual(a, b);
  const checked = await checkServeValues({ 'client-token-env': 'T' }, { T: a });
  assert.equal(checked.clientToken, a);
});

test('client token: hidden in text that holds it, and in a URL whose path is one token', () => {
  const token = newClientToken();
  assert.equal(
    hideClientToken(`GOPROXY=http://127.0.0.1:1/${token} and ${token}`, token),
    `GOPROXY=http://127.0.0.1:1/${CLIENT_TOKEN_SHOWN} and ${CLIENT_TOKEN_SHOWN}`,
  );
  assert.equal(hideClientToken('unchanged', undefined), 'unchanged');
  assert.equal(hideClientPath(`http://goproxy:8080/${token}`), `http://goproxy:8080/${CLIENT_TOKEN_SHOWN}`);
  assert.equal(hideClientPath(`http://127.0.0.1:9/${token}/`), `http://127.0.0.1:9/${CLIENT_TOKEN_SHOWN}`);
  // Other proxies' paths are shown as they are.
  for (const url of [
    'https://proxy.example.com/go',
    'https://a.example/api/go/go-remote',
    'http://127.0.0.1:9',
  ])
    assert.equal(hideClientPath(url), url);
});
