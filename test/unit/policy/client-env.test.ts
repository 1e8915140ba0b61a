import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clientEnvForProxy,
  clientEnvForRemote,
  privatePatternsFrom,
} from '../../../src/policy/client-env.ts';

test('privatePatternsFrom: union of lists, deduplicated, order kept, empties and none dropped', () => {
  assert.deepEqual(
    privatePatternsFrom(
      'github.com/acme,,git.corp.example.com/',
      undefined,
      ['github.com/acme', 'none'],
      'x.io/a, y.io',
    ),
    ['github.com/acme', 'git.corp.example.com/', 'x.io/a', 'y.io'],
  );
  assert.deepEqual(privatePatternsFrom(), []);
  assert.deepEqual(privatePatternsFrom('', undefined, []), []);
});

test('clientEnvForProxy: policy active, private modules through our proxy', () => {
  const env = clientEnvForProxy({
    proxyUrl: 'http://127.0.0.1:4000',
    privatePatterns: ['github.com/acme', 'git.corp.example.com'],
    gosumdb: 'sum.example.net',
  });
  assert.deepEqual(env, {
    GOPROXY: 'http://127.0.0.1:4000',
    GONOPROXY: 'none',
    GOPRIVATE: 'github.com/acme,git.corp.example.com',
    GONOSUMDB: 'github.com/acme,git.corp.example.com',
    GOSUMDB: 'sum.example.net',
  });
});

test('clientEnvForProxy: no private patterns leaves the private variables empty', () => {
  const env = clientEnvForProxy({ proxyUrl: 'http://127.0.0.1:4000', privatePatterns: [], gosumdb: 'off' });
  assert.equal(env.GONOPROXY, '');
  assert.equal(env.GOPRIVATE, '');
  assert.equal(env.GONOSUMDB, '');
  assert.equal(env.GOSUMDB, 'off');
});

test('clientEnvForProxy: a fallback reaching another server keeps private modules off the proxy list', () => {
  const env = clientEnvForProxy({
    proxyUrl: 'http://127.0.0.1:4000',
    fallback: 'https://mirror.example.org,direct',
    privatePatterns: ['github.com/acme'],
    gosumdb: 'sum.example.net',
  });
  assert.equal(env.GOPROXY, 'http://127.0.0.1:4000|https://mirror.example.org,direct');
  assert.equal(env.GONOPROXY, 'github.com/acme');
  assert.equal(env.GONOSUMDB, 'github.com/acme');
  const directOnly = clientEnvForProxy({
    proxyUrl: 'http://127.0.0.1:4000',
    fallback: 'direct',
    privatePatterns: ['github.com/acme'],
    gosumdb: 'x',
  });
  assert.equal(directOnly.GOPROXY, 'http://127.0.0.1:4000|direct');
  assert.equal(directOnly.GONOPROXY, 'none');
});

test('clientEnvForProxy: a bad proxy URL is refused with what to write', () => {
  assert.throws(
    () => clientEnvForProxy({ proxyUrl: '127.0.0.1:4000', privatePatterns: [], gosumdb: 'x' }),
    /http:\/\/127\.0\.0\.1:PORT/,
  );
  assert.throws(
    () => clientEnvForProxy({ proxyUrl: 'http://a,http://b', privatePatterns: [], gosumdb: 'x' }),
    /list separators/,
  );
});

test('clientEnvForRemote: private modules direct unless the remote proxy serves them', () => {
  const env = clientEnvForRemote({
    goproxy: 'https://goproxy.example.com',
    privatePatterns: ['github.com/acme'],
    gosumdb: 'sum.example.net',
  });
  assert.deepEqual(env, {
    GOPROXY: 'https://goproxy.example.com',
    GONOPROXY: 'github.com/acme',
    GOPRIVATE: 'github.com/acme',
    GONOSUMDB: 'github.com/acme',
    GOSUMDB: 'sum.example.net',
  });
  const own = clientEnvForRemote({
    goproxy: 'https://goproxy.example.com',
    privatePatterns: ['github.com/acme'],
    gosumdb: 'sum.example.net',
    privateThroughProxy: true,
  });
  assert.equal(own.GONOPROXY, 'none');
  assert.throws(() => clientEnvForRemote({ goproxy: ' ', privatePatterns: [], gosumdb: 'x' }), /empty/);
});
