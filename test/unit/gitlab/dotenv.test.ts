import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DOTENV_MAX_BYTES, DotenvError, parseDotenv, renderDotenv } from '../../../src/gitlab/dotenv.ts';

test('dotenv: one NAME=value line per variable, in order, empty values left out', () => {
  const text = renderDotenv({
    GOPROXY: 'https://proxy.example.com,off',
    GONOPROXY: '',
    GOPRIVATE: 'example.com/private',
  });
  assert.equal(text, 'GOPROXY=https://proxy.example.com,off\nGOPRIVATE=example.com/private\n');
  assert.deepEqual(parseDotenv(text), {
    GOPROXY: 'https://proxy.example.com,off',
    GOPRIVATE: 'example.com/private',
  });
});

test('dotenv: multi-line values, bad names and padded values are refused with the variable named', () => {
  assert.throws(
    () => renderDotenv({ GOPRIVATE: 'a\nb' }),
    (err: Error) => err instanceof DotenvError && /GOPRIVATE.*line break/.test(err.message),
  );
  assert.throws(() => renderDotenv({ 'GO-PROXY': 'x' }), /'GO-PROXY' cannot be a dotenv variable name/);
  assert.throws(() => renderDotenv({ GOPROXY: ' x' }), /GOPROXY starts or ends with white space/);
});

test('dotenv: credentials never go in, by name or by value', () => {
  assert.throws(() => renderDotenv({ NETRC: '/tmp/x/.netrc' }), /NETRC must not go into a dotenv report/);
  assert.throws(
    () =>
      renderDotenv({ GOPROXY: 'https://user:s3cret-token@proxy.example.com' }, { secrets: ['s3cret-token'] }),
    (err: Error) => /GOPROXY contains a secret/.test(err.message) && !err.message.includes('s3cret-token'),
  );
});

test('dotenv: at most 5 KB, and the error names the longest values', () => {
  const exactly = 'A='.length + 1; // name, '=', newline
  assert.equal(renderDotenv({ A: 'x'.repeat(DOTENV_MAX_BYTES - exactly) }).length, DOTENV_MAX_BYTES);
  assert.throws(
    () => renderDotenv({ GOPRIVATE: 'p'.repeat(DOTENV_MAX_BYTES), GOPROXY: 'x' }),
    /5121 bytes|would be \d+ bytes; GitLab accepts at most 5120.*GOPRIVATE: 5120 characters/,
  );
});
