import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  goSettingsEnvName,
  passedGoSettings,
  passGoSettings,
} from '../../../src/policy/passed-go-settings.ts';

test('passGoSettings / passedGoSettings: the five settings round-trip, unset ones as go env prints them', () => {
  const settings = {
    GOPROXY: 'https://user:secret@proxy.example.com,direct',
    GOSUMDB: 'sum.golang.org',
    GOPRIVATE: 'example.com/private,*.corp.example',
    GONOPROXY: '',
    GONOSUMDB: undefined,
  };
  const env = passGoSettings(settings);
  assert.deepEqual(Object.keys(env), [goSettingsEnvName]);
  assert.deepEqual(passedGoSettings(env), { ...settings, GONOSUMDB: '' });
  assert.equal(passedGoSettings({}), null, 'not passed: serve runs go env');
  assert.equal(passedGoSettings({ [goSettingsEnvName]: '' }), null);
});

test('passedGoSettings: anything but the five strings is refused with the fix', () => {
  const all = { GOPROXY: 'off', GOSUMDB: 'off', GOPRIVATE: '', GONOPROXY: '', GONOSUMDB: '' };
  for (const bad of [
    '{',
    'null',
    '"off"',
    '[]',
    JSON.stringify({ ...all, GONOSUMDB: undefined }),
    JSON.stringify({ ...all, GOPRIVATE: 1 }),
  ]) {
    assert.throws(
      () => passedGoSettings({ [goSettingsEnvName]: bad }),
      /GOPROXY_ACTION_GO_SETTINGS must be a JSON object with the string fields GOPROXY, GOSUMDB, GOPRIVATE, GONOPROXY, GONOSUMDB .*unset it/,
      bad,
    );
  }
});
