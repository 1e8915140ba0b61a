// The environment the action hands to later steps and to the proxy daemon.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderEnvLines } from '../../../src/daemon/env-lines.ts';
import { daemonEnv, gitTokenEnv } from '../../../src/github/git-token-env.ts';

test('env lines: shell lines quote safely, github/dotenv lines are NAME=value, line breaks refused', () => {
  const env = { GOPROXY: 'http://127.0.0.1:1234', GOPRIVATE: "it's,x" };
  assert.equal(
    renderEnvLines(env, 'shell'),
    "export GOPROXY='http://127.0.0.1:1234'\nexport GOPRIVATE='it'\\''s,x'\n",
  );
  assert.equal(renderEnvLines(env, 'github'), "GOPROXY=http://127.0.0.1:1234\nGOPRIVATE=it's,x\n");
  assert.equal(renderEnvLines(env, 'dotenv'), renderEnvLines(env, 'github'));
  assert.throws(() => renderEnvLines({ GOPROXY: 'a\nEVIL=1' }, 'github'), /line break/);
  assert.throws(() => renderEnvLines({ 'BAD NAME': 'x' }, 'shell'), /not a valid environment variable name/);
});

test('git token env: an extraheader for the server, appended after the job GIT_CONFIG entries', () => {
  const { env, secrets } = gitTokenEnv('ghs_abc', { GIT_CONFIG_COUNT: '2' }, 'https://github.example.com');
  assert.equal(env.GIT_CONFIG_COUNT, '3');
  assert.equal(env.GIT_CONFIG_KEY_2, 'http.https://github.example.com/.extraheader');
  const basic = Buffer.from('x-access-token:ghs_abc').toString('base64');
  assert.equal(env.GIT_CONFIG_VALUE_2, `AUTHORIZATION: basic ${basic}`);
  assert.deepEqual(secrets, ['ghs_abc', basic]);
  assert.deepEqual(gitTokenEnv('', {}), { env: {}, secrets: [] });
});

test('daemon env: no action inputs, state or runner tokens reach the proxy process', () => {
  const env = daemonEnv(
    {
      PATH: '/bin',
      INPUT_TOKEN: 'ghs_secret',
      STATE_x: 'y',
      ACTIONS_RUNTIME_TOKEN: 'rt',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
      GOPRIVATE: 'github.com/acme',
    },
    { GIT_CONFIG_COUNT: '1' },
  );
  assert.deepEqual(env, { PATH: '/bin', GOPRIVATE: 'github.com/acme', GIT_CONFIG_COUNT: '1' });
});
