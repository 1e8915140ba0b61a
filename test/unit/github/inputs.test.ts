import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError, inputReaderFromEnv, readInputs, splitList } from '../../../src/github/inputs.ts';

const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

test('inputs: defaults', () => {
  const inputs = readInputs(reader({}));
  assert.equal(inputs.mode, 'ephemeral');
  assert.equal(inputs.cache, true);
  assert.equal(inputs.cachePrune, true);
  assert.equal(inputs.buildCache, true);
  assert.equal(readInputs(reader({ 'build-cache': 'false' })).buildCache, false);
  assert.equal(inputs.clientToken, true, 'the in-job proxy wants its client token by default');
  assert.equal(readInputs(reader({ 'client-token': 'false' })).clientToken, false);
  assert.throws(
    () => readInputs(reader({ 'build-cache': 'off' })),
    /input 'build-cache' must be true or false/,
  );
  assert.deepEqual(inputs.cacheKeyFiles, ['**/go.sum']);
  assert.deepEqual(inputs.privatePatterns, []);
  assert.equal(inputs.proxyAuth, 'netrc');
});

test('inputs: read from INPUT_* as the runner sets them (kebab-case names upper-cased, dashes kept)', () => {
  const read = inputReaderFromEnv({
    'INPUT_CACHE-PRUNE': 'false',
    INPUT_PRIVATE: ' github.com/acme \n',
    INPUT_MODE: 'ephemeral',
  });
  const inputs = readInputs(read);
  assert.equal(inputs.cachePrune, false);
  assert.deepEqual(inputs.privatePatterns, ['github.com/acme']);
});

test('inputs: lists split on lines and commas, comments dropped', () => {
  assert.deepEqual(splitList('a/go.sum, b/go.sum\n# note\n\n c/go.sum '), [
    'a/go.sum',
    'b/go.sum',
    'c/go.sum',
  ]);
});

test('inputs: bad values name the input and what to write', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ mode: 'local' }, /input 'mode' must be one of ephemeral, remote, not 'local'/],
    [{ cache: 'yes' }, /input 'cache' must be true or false, not 'yes'/],
    [{ 'cache-prune': '0' }, /input 'cache-prune' must be true or false/],
    [{ mode: 'remote' }, /mode 'remote' needs input 'proxy-url'/],
    [{ 'proxy-url': 'https://p.example.com' }, /'proxy-url' is only used with 'mode: remote'/],
    [{ private: 'https://github.com/acme' }, /input 'private': .*URL scheme.*write 'github.com\/acme'/],
    [{ upstream: 'ftp://x.example.com' }, /input 'upstream': .*must be https, http, file/],
    // Refused as the go command refuses them (issue 8 item 12): a bare word, noproxy.
    [{ upstream: 'foo' }, /input 'upstream': 'foo': invalid proxy URL missing scheme/],
    [{ fallback: 'noproxy' }, /input 'fallback': 'noproxy': invalid proxy URL missing scheme/],
    [{ mode: 'remote', 'proxy-url': 'not a url' }, /'proxy-url' is not a URL/],
    [{ mode: 'remote', 'proxy-url': 'https://u:p@p.example.com' }, /must not carry credentials in the URL/],
    [
      { mode: 'remote', 'proxy-url': 'https://a.example.com,direct' },
      /must be one URL; put further GOPROXY entries in 'fallback'/,
    ],
    [
      { mode: 'remote', 'proxy-url': 'https://p.example.com', 'proxy-password': 'pw' },
      /'proxy-password' needs 'proxy-username'/,
    ],
    [
      {
        mode: 'remote',
        'proxy-url': 'https://p.example.com',
        'proxy-password': 'pw',
        'proxy-username': 'u',
        'proxy-token': 't',
      },
      /either 'proxy-token' or 'proxy-password'/,
    ],
    [
      { mode: 'remote', 'proxy-url': 'https://p.example.com', 'proxy-auth': 'bearer' },
      /bearer.*give 'proxy-token'/,
    ],
    [
      { mode: 'remote', 'proxy-url': 'https://p.example.com', upstream: 'direct' },
      /'upstream' is for mode 'ephemeral'/,
    ],
  ];
  for (const [values, message] of cases) {
    assert.throws(
      () => readInputs(reader(values)),
      (err: Error) => {
        assert.ok(err instanceof InputError, `${JSON.stringify(values)} -> InputError`);
        assert.match(err.message, message);
        return true;
      },
    );
  }
});

test('inputs: credentials with an http:// proxy-url are refused with the reason, and never echoed', () => {
  assert.throws(
    () =>
      readInputs(
        reader({
          mode: 'remote',
          'proxy-url': 'http://p.example.com',
          'proxy-username': 'u',
          'proxy-password': 's3cret-value',
        }),
      ),
    (err: Error) => {
      assert.match(err.message, /never sends credentials over plain http/);
      assert.doesNotMatch(err.message, /s3cret-value/);
      return true;
    },
  );
  // Without credentials a plain-http remote is fine (e.g. a proxy on the runner's network).
  assert.equal(
    readInputs(reader({ mode: 'remote', 'proxy-url': 'http://p.example.com' })).proxyUrl,
    'http://p.example.com',
  );
});
