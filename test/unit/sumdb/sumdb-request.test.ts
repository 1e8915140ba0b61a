// The grammar of checksum database requests: what the go command sends passes, in exactly one
// spelling, and whatever passes is rebuilt byte for byte from its parsed parts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { defaultSumdbName, knownSumdbKey } from '../../../src/sumdb/known-sumdb.ts';
import { parseVerifierKey } from '../../../src/sumdb/note.ts';
import {
  isDatabaseName,
  parseSumdbRequest,
  SumdbRequestError,
  sumdbRequestPath,
} from '../../../src/sumdb/sumdb-request.ts';
import { makeTempDir } from '../../support/go-env.ts';

test('sumdb requests: what the go command sends is accepted and rebuilt as sent', () => {
  for (const path of [
    'supported',
    'latest',
    'lookup/example.com/lib@v1.5.0',
    'lookup/example.com/!upper/!lib@v1.1.0',
    'lookup/example.com/lib/v2@v2.1.0',
    'lookup/example.org/legacy@v2.0.0+incompatible',
    'lookup/example.net/pseudo@v0.0.0-20240102030405-abcdefabcdef',
    'lookup/gopkg.in/yaml.v3@v3.0.1',
    'lookup/example.com/x@v1.0.0-!r!c1',
    'tile/8/0/000',
    'tile/8/0/x001/234.p/17',
    'tile/8/1/000.p/2',
    'tile/8/data/x123/x456/078',
    'tile/8/data/002.p/88',
    'tile/4/0/001.p/5',
    'tile/1/data/x003/x057/500',
  ]) {
    assert.equal(sumdbRequestPath(parseSumdbRequest(path)), path, path);
  }
  assert.deepEqual(parseSumdbRequest('lookup/example.com/!upper/!lib@v1.1.0'), {
    kind: 'lookup',
    module: 'example.com/Upper/Lib',
    version: 'v1.1.0',
  });
});

test('sumdb requests: everything else is refused, whatever its spelling', () => {
  for (const path of [
    '',
    'supported/',
    'latest/x',
    'lookup/',
    'lookup/example.com/lib',
    'lookup/example.com/lib@',
    'lookup/@v1.0.0',
    'lookup/example.com/lib@v1.5.0/go.mod',
    'lookup/example.com/lib@v1.5',
    'lookup/example.com/lib@v1.5.0+meta',
    'lookup/example.com/lib@latest',
    'lookup/example.com/lib@master',
    'lookup/example.com/Upper@v1.0.0',
    'lookup/example.com/!!upper@v1.0.0',
    'lookup/example.com/lib@V1.0.0',
    'lookup/example.com/lib/v2@v1.0.0',
    'lookup/example.com/lib@v2.0.0',
    'lookup/example.com/../lib@v1.0.0',
    'lookup/example.com/./lib@v1.0.0',
    'lookup/example.com//lib@v1.0.0',
    'lookup/example.com/%2e%2e@v1.0.0',
    'lookup/example.com/lib%40v1.0.0',
    'lookup/example.com/lib@v1.0.0/../../../x',
    'lookup/example.com\\lib@v1.0.0',
    'lookup/example.com/lib\u0000@v1.0.0',
    'lookup/exämple.com/lib@v1.0.0',
    'lookup/example.com/lib?x@v1.0.0',
    'lookup/example.com/lib#x@v1.0.0',
    `lookup/example.com/${'a'.repeat(256)}@v1.0.0`,
    'tile/8/0/1',
    'tile/8/0/0001',
    'tile/8/0/x000/001',
    'tile/8/0/000.p/256',
    'tile/8/0/000.p/0',
    'tile/8/0/000.p/',
    'tile/8/-1/000',
    'tile/08/0/000',
    'tile/0/0/000',
    'tile/31/0/000',
    'tile/8/00/000',
    'tile/8/data/000/',
    'tile/8/data/000.p/1/x',
    'tile/8/0/../../x',
    'tiles/8/0/000',
    'foo',
  ]) {
    assert.throws(() => parseSumdbRequest(path), SumdbRequestError, JSON.stringify(path));
  }
});

// Pieces a hostile client mixes: grammar words, encodings, dots, separators, odd characters.
const pieces = fc.constantFrom(
  'supported',
  'latest',
  'lookup/',
  'tile/',
  '8/',
  '0/',
  'data/',
  '000',
  'x001/',
  '.p/',
  '5',
  '256',
  'example.com/',
  'lib',
  '!upper',
  'Upper',
  '@',
  'v1.0.0',
  '+incompatible',
  '/go.mod',
  '..',
  '.',
  '/',
  '//',
  '%2e',
  '%2F',
  '%252e',
  '\\',
  '\u0000',
  '?',
  '#',
  'é',
  '-',
  '~',
);

test('property: any text either is refused or names exactly what it spells', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(pieces, fc.string({ maxLength: 4 })), { maxLength: 12 }), (parts) => {
      const path = parts.join('');
      let parsed: ReturnType<typeof parseSumdbRequest>;
      try {
        parsed = parseSumdbRequest(path);
      } catch (error) {
        assert.ok(error instanceof SumdbRequestError, String(error));
        return;
      }
      assert.equal(sumdbRequestPath(parsed), path);
      assert.doesNotMatch(path, /%|\\|\.\.|\/\/|[\u0000-\u001f?#]|^\/|\/$/);
    }),
    { numRuns: 20_000, seed: 8 },
  );
});

test('database names: host[:port][/path], nothing that could leave the name', () => {
  for (const name of [
    'sum.example.net',
    'sumdb-1a2b.fixture.test',
    'localhost.localdev/sumdb',
    'db.example:8443',
  ]) {
    assert.ok(isDatabaseName(name), name);
  }
  for (const name of [
    '',
    '..',
    'a/..',
    'a/./b',
    '-a.example',
    'a..b',
    'a.example/',
    'a%2fb',
    'a b',
    'a@b',
    'ä.example',
    `${'c'.repeat(256)}.example`,
  ]) {
    assert.ok(!isDatabaseName(name), name);
  }
});

test('the embedded key is the one the go command has built in for its default database', async () => {
  // The go command prints the default's name with GOSUMDB unset and no go.env file.
  const { stdout } = await promisify(execFile)('go', ['env', 'GOSUMDB'], {
    env: { PATH: process.env.PATH ?? '', HOME: makeTempDir('home'), GOENV: 'off', GOTOOLCHAIN: 'local' },
  });
  assert.equal(defaultSumdbName, stdout.trim());
  const key = knownSumdbKey(defaultSumdbName);
  assert.ok(key);
  assert.equal(parseVerifierKey(key).name, defaultSumdbName);
  assert.equal(knownSumdbKey('sum.example.net'), null);
});
