import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseGosumdb } from '../../../src/sumdb/gosumdb-setting.ts';
import { generateSignerKey } from '../../../src/sumdb/note.ts';

const { vkey } = generateSignerKey('sum.example.test');

test('GOSUMDB forms: off, name, name+key, name+key url', () => {
  assert.deepEqual(parseGosumdb('off'), { name: 'off', key: null, url: null, off: true });
  assert.deepEqual(parseGosumdb('sum.example.test'), {
    name: 'sum.example.test',
    key: null,
    url: null,
    off: false,
  });
  assert.deepEqual(parseGosumdb(vkey), { name: 'sum.example.test', key: vkey, url: null, off: false });
  assert.deepEqual(parseGosumdb(`  ${vkey}   http://127.0.0.1:8080/sumdb/sum.example.test/  `), {
    name: 'sum.example.test',
    key: vkey,
    url: 'http://127.0.0.1:8080/sumdb/sum.example.test',
    off: false,
  });
  // A name with a path, and a name alone with a URL (valid for the database whose key Go has built in).
  const withPath = generateSignerKey('example.test/sumdb').vkey;
  assert.equal(parseGosumdb(withPath).name, 'example.test/sumdb');
  assert.deepEqual(parseGosumdb('sum.example.test https://mirror.example.test'), {
    name: 'sum.example.test',
    key: null,
    url: 'https://mirror.example.test',
    off: false,
  });
});

test('malformed GOSUMDB values get an error that says what is wrong and which forms exist', () => {
  const cases: [string, RegExp][] = [
    ['', /it is empty/],
    ['   ', /it is empty/],
    [`${vkey} https://a.test extra`, /too many fields/],
    ['off https://a.test', /"off" takes no URL/],
    [`${vkey.slice(0, -3)}AAA`, /key hash does not match|invalid verifier key/],
    ['sum.example.test+zz+AAAA', /8 hex digits/],
    ['https://sum.example.test', /must be host\[\/path\]/],
    ['sum.example.test/', /must be host\[\/path\]/],
    [`${vkey} ftp://a.test`, /scheme ftp: is not supported/],
    [`${vkey} not-a-url`, /is not a URL/],
  ];
  for (const [value, message] of cases) {
    assert.throws(
      () => parseGosumdb(value),
      (err: Error) => {
        assert.match(err.message, message, value);
        assert.match(err.message, /use off, <name>, <name>\+<key>, or "<name>\+<key> <url>"/);
        return true;
      },
      value,
    );
  }
});
