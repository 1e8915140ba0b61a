import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { emptyGoModHash, GoSumError, GoSumIndex, parseGoSum } from '../../../src/gomod/go-sum.ts';

const zipA = 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
const zipB = 'h1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=';
const modA = 'h1:MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM=';

test('parses zip and go.mod lines with their line numbers, skipping blanks and the empty-go.mod bug', () => {
  const text = `example.com/a v1.0.0 ${zipA}\n\nexample.com/a v1.0.0/go.mod ${modA}\r\nexample.com/b v0.1.0/go.mod ${emptyGoModHash}\n`;
  const lines = parseGoSum(text, 'x/go.sum');
  assert.deepEqual(lines, [
    { module: 'example.com/a', version: 'v1.0.0', isGoMod: false, hash: zipA, line: 1, file: 'x/go.sum' },
    { module: 'example.com/a', version: 'v1.0.0', isGoMod: true, hash: modA, line: 3, file: 'x/go.sum' },
  ]);
});

test('fields are split on the whitespace Go splits on', () => {
  const lines = parseGoSum(`example.com/a\u00a0v1.0.0\t\t${zipA}\u0085\n`, 'f');
  assert.deepEqual(
    lines.map((l) => [l.module, l.version, l.hash]),
    [['example.com/a', 'v1.0.0', zipA]],
  );
  // BOM is not whitespace to Go: it stays part of the module path, which is then invalid.
  assert.throws(() => parseGoSum(`\ufeffexample.com/a v1.0.0 ${zipA}`, 'f'), /f:1: .*invalid char/);
});

test('bad lines name file:line and the problem', () => {
  assert.throws(
    () => parseGoSum(`example.com/a v1.0.0 ${zipA}\nexample.com/a v1.0.0\n`, 'go.sum'),
    (e: unknown) =>
      e instanceof GoSumError && e.line === 2 && /^go\.sum:2: .*wrong number of fields 2/.test(e.message),
  );
  assert.throws(() => parseGoSum(`example.com/a 1.0.0 ${zipA}`, 'f'), /f:1: .*invalid version "1.0.0"/);
  assert.throws(() => parseGoSum('example.com/a v1.0.0 h1:short=', 'f'), /f:1: .*invalid hash/);
  assert.throws(() => parseGoSum(`example.com//a v1.0.0 ${zipA}`, 'f'), /f:1: .*double slash/);
  assert.throws(() => parseGoSum(`example.com/a v1.0.0 nohash`, 'f'), /invalid hash/);
});

test('index keeps every hash several files give, the caller decides', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gosum-'));
  try {
    await writeFile(
      join(dir, 'a.sum'),
      `example.com/a v1.0.0 ${zipA}\nexample.com/a v1.0.0/go.mod ${modA}\n`,
    );
    await writeFile(join(dir, 'b.sum'), `example.com/a v1.0.0 ${zipB}\nexample.com/a v1.0.0 ${zipA}\n`);
    const index = await GoSumIndex.load([join(dir, 'a.sum'), join(dir, 'b.sum')]);
    assert.deepEqual(index.zipHash('example.com/a', 'v1.0.0'), [zipA, zipB]);
    assert.deepEqual(index.modHash('example.com/a', 'v1.0.0'), [modA]);
    assert.deepEqual(index.zipHash('example.com/a', 'v1.0.1'), []);
    assert.ok(index.has('example.com/a', 'v1.0.0') && index.hasMod('example.com/a', 'v1.0.0'));
    assert.ok(!index.has('example.com/other', 'v1.0.0'));
    assert.equal(index.lines('example.com/a', 'v1.0.0', false).length, 3);
    assert.equal(index.size, 1);
    await assert.rejects(
      GoSumIndex.load([join(dir, 'missing.sum')]),
      /cannot read go\.sum file .*missing\.sum \(ENOENT\)/,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('parseInSlices gives the index parse gives, yields to the event loop, and throws the same first error', async () => {
  // Enough lines for many slices of 64, over two files, with a go.mod line for each version.
  const lines = (n: number, major: number) =>
    Array.from(
      { length: n },
      (_, i) =>
        `example.com/m${i % 50} v${major}.${i}.0 ${zipA}\nexample.com/m${i % 50} v${major}.${i}.0/go.mod ${modA}\n`,
    ).join('');
  const texts = [
    { file: 'a/go.sum', text: lines(300, 1) },
    { file: 'b/go.sum', text: `example.com/m1 v1.1.0 ${zipB}\n${lines(200, 2)}` },
  ];
  const whole = GoSumIndex.parse(texts);
  // Another task on the event loop, one step per turn; a zero slice length: a turn after
  // every 64 lines (1,000 lines: more than 10 turns).
  let turns = 0;
  let done = false;
  const step = () => {
    turns++;
    if (!done) setImmediate(step);
  };
  setImmediate(step);
  const sliced = await GoSumIndex.parseInSlices(texts, 0);
  done = true;
  assert.ok(turns >= 10, `other work ran while the go.sum was parsed (${turns} turns)`);
  assert.equal(sliced.size, whole.size);
  assert.equal(sliced.size, 500);
  assert.deepEqual(sliced.zipHash('example.com/m1', 'v1.1.0'), [zipA, zipB]);
  assert.deepEqual(
    sliced.lines('example.com/m1', 'v1.1.0', false),
    whole.lines('example.com/m1', 'v1.1.0', false),
  );
  assert.deepEqual(sliced.modHash('example.com/m49', 'v2.199.0'), [modA]);

  const bad = [
    texts[0]!,
    {
      file: 'c/go.sum',
      text: `${lines(100, 3)}example.com/x 1.0.0 ${zipA}\nexample.com//y v1.0.0 ${zipA}\n`,
    },
  ];
  const expected = (e: unknown) =>
    e instanceof GoSumError &&
    e.file === 'c/go.sum' &&
    e.line === 201 &&
    /invalid version "1.0.0"/.test(e.message);
  assert.throws(() => GoSumIndex.parse(bad), expected);
  await assert.rejects(GoSumIndex.parseInSlices(bad, 0), expected);
});
