import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  GoModError,
  isRetracted,
  parseGoMod,
  parseGoWork,
  retractionLookup,
  retractionRationales,
  shortMessage,
} from '../../../src/gomod/go-mod-file.ts';

const sample = `// Deprecated: use example.com/new instead.
module "example.com/old"

go 1.22
toolchain go1.22.3

require (
	example.com/a v1.2 // indirect
	example.com/b/v2 v2.0.0
)
exclude example.com/a v1.1.0
replace example.com/a => ../a
replace example.com/c v1.0.0 => example.com/d v1.1.0

// broke things
retract [v1.0.0, v1.0.5]

retract (
	// one
	v0.9.0 // two
	v0.8.0
)
`;

test('parses every directive with lines, deprecation and retraction rationale', () => {
  const f = parseGoMod(sample, 'go.mod');
  assert.deepEqual(f.module, { path: 'example.com/old', line: 2 });
  assert.equal(f.deprecated, 'use example.com/new instead.');
  assert.equal(f.go, '1.22');
  assert.equal(f.toolchain, 'go1.22.3');
  assert.deepEqual(f.require, [
    { path: 'example.com/a', version: 'v1.2.0', indirect: true, line: 8 },
    { path: 'example.com/b/v2', version: 'v2.0.0', indirect: false, line: 9 },
  ]);
  assert.deepEqual(f.exclude, [{ path: 'example.com/a', version: 'v1.1.0', line: 11 }]);
  assert.deepEqual(f.replace, [
    { old: { path: 'example.com/a', version: '' }, new: { path: '../a', version: '' }, line: 12 },
    {
      old: { path: 'example.com/c', version: 'v1.0.0' },
      new: { path: 'example.com/d', version: 'v1.1.0' },
      line: 13,
    },
  ]);
  assert.deepEqual(
    f.retract.map((r) => [r.low, r.high, r.rationale, r.line]),
    [
      ['v1.0.0', 'v1.0.5', 'broke things', 16],
      ['v0.9.0', 'v0.9.0', 'one\ntwo', 20],
      ['v0.8.0', 'v0.8.0', '', 21],
    ],
  );
  assert.ok(isRetracted('v1.0.3', f.retract));
  assert.ok(!isRetracted('v1.0.6', f.retract));
  assert.deepEqual(retractionRationales('v1.0.0', f.retract), ['broke things']);
  assert.equal(shortMessage('', 'retracted by module author'), 'retracted by module author');
  assert.equal(shortMessage('first\nsecond', 'x'), 'first');
});

test('a deprecation must start its paragraph; a blank line detaches a comment block', () => {
  assert.equal(parseGoMod('// Note: Deprecated: no\nmodule example.com/m\n', 'go.mod').deprecated, null);
  assert.equal(parseGoMod('// Deprecated: gone\n\nmodule example.com/m\n', 'go.mod').deprecated, null);
  assert.equal(
    parseGoMod('module example.com/m // Deprecated: on the line\n', 'go.mod').deprecated,
    'on the line',
  );
  assert.equal(
    parseGoMod('// intro\n//\n// Deprecated: second paragraph\nmodule example.com/m\n', 'go.mod').deprecated,
    'second paragraph',
  );
});

test('errors name file:line and say what is wrong', () => {
  assert.throws(
    () => parseGoMod('module x\nrequire example.com/a/v2 v1.0.0\nfoo bar\n', 'a/go.mod'),
    (e: unknown) =>
      e instanceof GoModError &&
      e.message ===
        'a/go.mod:2: require example.com/a/v2: version "v1.0.0" invalid: should be v2, not v1\na/go.mod:3: unknown directive: foo',
  );
  assert.throws(
    () => parseGoMod('module x\nrequire (\n', 'go.mod'),
    /go\.mod:3: syntax error \(unterminated block/,
  );
  assert.throws(() => parseGoMod('module x /* c */\n', 'go.mod'), /must use \/\/ comments/);
  assert.throws(
    () => parseGoMod('module x\nrequire example.com/a 1.0\n', 'go.mod'),
    /must be of the form v1\.2\.3/,
  );
  // Lax (dependencies' go.mod): unknown directives and bad retractions are ignored.
  const lax = parseGoMod('module x\nfoo bar\nretract [v1\nrequire example.com/a v1.0.0\n', 'go.mod', {
    lax: true,
  });
  assert.deepEqual(lax.retract, []);
  assert.equal(lax.require.length, 1);
});

test('go.work', () => {
  const w = parseGoWork('go 1.22\nuse (\n  ./a\n  "./b c"\n)\nreplace example.com/x => ./x\n', 'go.work');
  assert.deepEqual(w.use, [
    { dir: './a', line: 3 },
    { dir: './b c', line: 4 },
  ]);
  assert.equal(w.go, '1.22');
  assert.equal(w.replace[0]?.new.path, './x');
  assert.throws(
    () => parseGoWork('go 1.22\nrequire example.com/a v1.0.0\n', 'go.work'),
    /go\.work:2: unknown directive: require/,
  );
});

test('retractionLookup answers as isRetracted and retractionRationales do, for any intervals and versions', () => {
  // A small version space, so that intervals overlap, nest, touch, repeat and run backwards.
  const versions = [
    'v0.0.0',
    'v0.1.0-pre',
    'v0.1.0',
    'v0.2.0',
    'v1.0.0-rc.1',
    'v1.0.0',
    'v1.0.1',
    'v1.2.0',
    'v2.0.0+incompatible',
    'v3.0.0',
  ];
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let round = 0; round < 400; round++) {
    const retract = Array.from({ length: next(9) }, (_, line) => ({
      low: versions[next(versions.length)] as string,
      high: versions[next(versions.length)] as string,
      rationale: next(3) === 0 ? '' : `reason ${line}`,
      line,
    }));
    const lookup = retractionLookup(retract);
    for (const version of [
      ...versions,
      'v0.0.1',
      'v9.9.9',
      'v0.0.0-20200101000000-abcdefabcdef',
      'not-a-version',
    ]) {
      assert.deepEqual(
        lookup(version),
        {
          retracted: isRetracted(version, retract),
          rationale: retractionRationales(version, retract)[0] ?? '',
        },
        `${version} against ${JSON.stringify(retract)}`,
      );
    }
  }
});
