// GOPROXY values are refused exactly when the go command refuses them: the function's verdict
// is compared with the real go command's for each value (offline: every URL points at a
// closed local port, and the module path's host is 127.0.0.1).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { goproxySettingError } from '../../../src/policy/goproxy-setting.ts';
import { goEnv } from '../../support/go-env.ts';

const run = promisify(execFile);

const values = [
  'foo',
  'noproxy',
  'direct',
  'off',
  'direct,foo',
  'foo,direct',
  '127.0.0.1:9',
  '127.0.0.1:9/path',
  'http://127.0.0.1:9',
  'HTTP://127.0.0.1:9',
  'ftp://127.0.0.1:9',
  'file:///nonexistent/goproxy',
  '/abs/path',
  'http://127.0.0.1:9|bar',
  'http://127.0.0.1:9|off',
  ' , ',
  'foo:bar',
  ' http://127.0.0.1:9 , direct ',
];

/** True when go refuses the GOPROXY value itself (not the fetch it leads to). */
async function goRefuses(value: string): Promise<{ refused: boolean; error: string }> {
  const env = goEnv({ goproxy: value, gosumdb: 'off' });
  const result = await run('go', ['mod', 'download', '-json', '127.0.0.1/m@v1.0.0'], { env }).catch(
    (err: { stdout: string }) => err,
  );
  const error = (JSON.parse(result.stdout) as { Error?: string }).Error ?? '';
  const refused = /invalid proxy URL|contains no entries|: parse "/.test(error);
  return { refused, error };
}

test('goproxySettingError refuses what the go command refuses, and nothing else', async () => {
  for (const value of values) {
    const go = await goRefuses(value);
    const ours = goproxySettingError(value);
    assert.equal(
      ours !== null,
      go.refused,
      `GOPROXY=${JSON.stringify(value)}: go says ${go.error}; we say ${ours}`,
    );
  }
});

test('goproxySettingError: the message says what go says and what to write', () => {
  assert.match(
    goproxySettingError('foo') ?? '',
    /'foo': invalid proxy URL missing scheme \(write a URL such as https:\/\/foo/,
  );
  assert.match(goproxySettingError('ftp://x') ?? '', /must be https, http, file/);
});
