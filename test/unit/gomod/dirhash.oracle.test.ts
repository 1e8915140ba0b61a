// hashGoMod against dirhash.Hash1 over one file named go.mod, on generated contents
// (empty, binary, non-UTF-8, CRLF, large).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { hashGoMod } from '../../../src/gomod/dirhash.ts';
import { type GoOracle, startGoOracle } from '../../support/go-oracle.ts';

let oracle: GoOracle;
before(async () => {
  oracle = await startGoOracle();
});
after(() => oracle?.close());

const seed = Number(process.env.GOMOD_ORACLE_SEED ?? Date.now() % 2 ** 31);

test('hashGoMod equals dirhash.Hash1 of a go.mod file for 500 generated contents', async () => {
  const contents = [
    new Uint8Array(),
    Buffer.from('module example.com/m\r\n\r\ngo 1.21\r\n'),
    Buffer.from([0xff, 0xfe, 0x00, 0x80]),
    Buffer.alloc(3 * 1024 * 1024, 'a'),
    ...fc.sample(fc.uint8Array({ maxLength: 300 }), { numRuns: 300, seed }),
    ...fc.sample(fc.string({ maxLength: 200 }), { numRuns: 200, seed }).map((s) => Buffer.from(s)),
  ];
  const answers = await Promise.all(
    contents.map((c) => oracle.call('hashGoMod', { data: Buffer.from(c).toString('base64') })),
  );
  for (const [i, c] of contents.entries()) {
    assert.equal(hashGoMod(c), answers[i], `content #${i} (seed ${seed})`);
  }
});
