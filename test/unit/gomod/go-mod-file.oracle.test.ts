// Differential tests: go.mod / go.work parsing against golang.org/x/mod/modfile (Parse,
// ParseLax, ParseWork): fields, lines, deprecation, retraction rationale and error text, on
// hand-written files and thousands of generated ones.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { type GoModFile, parseGoMod, parseGoWork } from '../../../src/gomod/go-mod-file.ts';
import { type GoOracle, startGoOracle } from '../../support/go-oracle.ts';

let oracle: GoOracle;
before(async () => {
  oracle = await startGoOracle();
});
after(() => oracle?.close());

const seed = Number(process.env.GOMOD_ORACLE_SEED ?? Date.now() % 2 ** 31);

function oursGoMod(text: string, lax: boolean) {
  let f: GoModFile;
  try {
    f = parseGoMod(text, 'go.mod', { lax });
  } catch (err) {
    return { error: (err as Error).message };
  }
  return {
    error: null,
    module: f.module,
    deprecated: f.deprecated,
    go: f.go,
    toolchain: f.toolchain,
    require: f.require,
    exclude: f.exclude,
    replace: f.replace,
    retract: f.retract,
  };
}

async function compareGoMod(texts: string[]) {
  let errors = 0;
  const unique = [...new Set(texts)];
  const answers = await Promise.all(
    unique.flatMap((text) =>
      [false, true].map((lax) => oracle.call('parseGoMod', { text, file: 'go.mod', lax })),
    ),
  );
  unique.forEach((text, i) => {
    for (const [j, lax] of [false, true].entries()) {
      const go = answers[i * 2 + j];
      if (go.error) errors++;
      assert.deepEqual(
        oursGoMod(text, lax),
        go,
        `${lax ? 'ParseLax' : 'Parse'} of ${JSON.stringify(text)} (seed ${seed})`,
      );
    }
  });
  return { total: unique.length * 2, errors };
}

const handWritten = [
  `// Deprecated: use example.com/new instead.
module "example.com/old" // trailing

go 1.22
toolchain go1.22.3

require (
	example.com/a v1.2 // indirect
	example.com/b/v2 v2.0.0 // indirect; for tests
	"example.com/q" v1.0.0
)
exclude example.com/a v1.1.0
replace example.com/a => ../a
replace example.com/c v1.0.0 => example.com/d v1.1.0
replace (
	example.com/e => /abs/e
	example.com/f v1.0.0 => example.com/g@v1
)

// broke things
// badly
retract [v1.0.0, v1.0.5]

retract (
	// one

	// two
	v0.9.0 // three
	v0.8.0
	[v0.1.0, v0.2.0] // range
)
`,
  'module example.com/m\n// Deprecated: after, not before\n',
  '// Deprecated:\nmodule example.com/m\n',
  '// Deprecated:   spaced   \n//\n// next\nmodule example.com/m\n',
  '// A\n//\n// Deprecated: second\n// more\n//\n// third\nmodule example.com/m\n',
  '// Deprecated: a\n//\n// Deprecated: b\nmodule example.com/m\n',
  'module ( // c\n\texample.com/m\n)\n',
  '// Deprecated: block\nmodule (\n\texample.com/m\n)\n',
  'module example.com/m\nretract v1.0.0 // Deprecated: not a module\n',
  'module example.com/m\nretract (\n)\n',
  'module example.com/m\nretract (\n\tv1.0.0\n) // after the block\n',
  'module (\n\texample.com/m\n) // Deprecated: after the block\n',
  'module example.com/m\nretract ( // on the paren\n\tv1.0.0\n)\n',
  'module example.com/m\n// Deprecated: before retract block\nretract (\n\tv1.0.0 // own\n\tv1.1.0\n)\n',
  'module example.com/m\nrequire ()\n',
  'module example.com/m\nrequire example.com/a v2.0.0\n',
  'module example.com/m\nrequire example.com/a v2.0.0+incompatible\n',
  'module example.com/m\nrequire example.com/a/v1 v1.0.0\n',
  'module example.com/m\nrequire gopkg.in/yaml.v3 v3.0.1\nrequire gopkg.in/yaml.v3 v2.0.0\n',
  'module example.com/m\nrequire example.com/a\n',
  'module example.com/m\nrequire example.com/a v1.0.0 extra\n',
  'module example.com/m\nrequire example.com/a "v1.0.0"\n',
  'module example.com/m\nrequire example.com/a `v1.0.0`\n',
  'module example.com/m\nrequire "example.com/a\\x41" v1.0.0\n',
  'module example.com/m\nrequire "example.com/a\\q" v1.0.0\n',
  'module example.com/m\nrequire "unterminated v1.0.0\n',
  'module example.com/m\nrequire ex"ample.com/a v1.0.0\n',
  'module example.com/m /* no */\n',
  'module example.com/m\ngo 1.22\ngo 1.23\n',
  'module example.com/m\ngo v1.22.x\n',
  'module example.com/m\ngo 1.21rc1\n',
  'module example.com/m\ngo 1.021\n',
  'module example.com/m\ntoolchain go1.22\ntoolchain default\n',
  'module example.com/m\ntoolchain 1.22\n',
  'module example.com/m\nmodule example.com/n\n',
  'module\n',
  'module a b\n',
  'go 1.22\n',
  '',
  '\n\n// only comments\n',
  'module example.com/m\nunknown directive here\n',
  'module example.com/m\nfoo (\n\tbar\n)\n',
  'module example.com/m\nrequire (\n\texample.com/a v1.0.0\n',
  'module example.com/m\nrequire (\n\texample.com/a v1.0.0\n) x\n',
  'module example.com/m\nrequire ( example.com/a v1.0.0 )\n',
  'module example.com/m\nretract [v1.0.0 v1.1.0]\n',
  'module example.com/m\nretract [v1.0.0,\n',
  'module example.com/m\nretract v1.0.0 v1.1.0\n',
  'module example.com/m\nretract (v1.0.0)\n',
  'module example.com/m\nretract not-a-version\n',
  'module example.com/m\nreplace example.com/a => example.com/b\n',
  'module example.com/m\nreplace example.com/a => example.com/b@v1.0.0\n',
  'module example.com/m\nreplace example.com/a => ./b v1.0.0\n',
  'module example.com/m\nreplace example.com/a => .\\b\n',
  'module example.com/m\nreplace example.com/a v1 => example.com/b v1.2\n',
  'module example.com/m\nreplace example.com/a/v1 => ./b\n',
  'module example.com/m\nreplace example.com/a\n',
  'module example.com/m\nexclude example.com/a v1.x\n',
  'module example.com/m\ngodebug default=go1.21\ngodebug (\n\tpanicnil=1\n)\ngodebug x\n',
  'module example.com/m\ntool example.com/a/cmd\ntool\nignore ./x\nignore\n',
  'module example.com/m\r\nrequire example.com/a v1.0.0 // indirect\r\n',
  'module example.com/m\nrequire example.com/a v1.0.0 //indirect\nrequire example.com/b v1.0.0 // Indirect\nrequire example.com/c v1.0.0 // indirect ; x\n',
  'module example.com/m\n\u0000\n',
  'module example.com/m\nrequire example.com/a v1.0.0 \u00a0\n',
  'module example.com/é\n',
];

test('hand-written go.mod files: Parse and ParseLax agree with x/mod, errors word for word', async () => {
  const { errors } = await compareGoMod(handWritten);
  assert.ok(errors > 20, 'the table reaches many error paths');
});

const paths = [
  'example.com/a',
  'example.com/a/v2',
  '"example.com/q"',
  'gopkg.in/yaml.v3',
  'x',
  '"bad',
  '../dir',
  '/abs',
];
const versions = [
  'v1.0.0',
  'v1.2',
  'v2.0.0',
  'v2.0.0+incompatible',
  'v1.0.0-pre',
  'v0.0.0-20200101000000-abcdefabcdef',
  'bad',
  '"v1.0.0"',
];
const comments = ['', ' // indirect', ' // Deprecated: x', ' // why', ' //', ' // indirect; more'];
const lineArb = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('require', 'exclude'),
      fc.constantFrom(...paths),
      fc.constantFrom(...versions),
      fc.constantFrom(...comments),
    )
    .map(([d, p, v, c]) => `${d} ${p} ${v}${c}`),
  fc
    .tuple(fc.constantFrom(...paths), fc.constantFrom(...versions), fc.constantFrom(...comments))
    .map(([p, v, c]) => `\t${p} ${v}${c}`),
  fc
    .tuple(fc.constantFrom(...versions), fc.constantFrom(...versions), fc.constantFrom(...comments))
    .map(([a, b, c]) => `retract [${a}, ${b}]${c}`),
  fc.tuple(fc.constantFrom(...versions), fc.constantFrom(...comments)).map(([a, c]) => `retract ${a}${c}`),
  fc
    .tuple(
      fc.constantFrom(...paths),
      fc.constantFrom('', ' v1.0.0'),
      fc.constantFrom(...paths),
      fc.constantFrom('', ' v1.1.0'),
    )
    .map(([a, av, b, bv]) => `replace ${a}${av} => ${b}${bv}`),
  fc.constantFrom(
    'module example.com/m',
    'module example.com/other // Deprecated: on the line',
    'module "example.com/q"',
    'go 1.22',
    'go 1.22.0',
    'go 1.2x',
    'toolchain go1.23',
    'toolchain x',
    'require (',
    'retract (',
    'replace (',
    'exclude (',
    ')',
    '',
    '',
    '//',
    '// Deprecated: gone',
    '// Deprecated: two',
    '// plain comment',
    'godebug a=b',
    'tool example.com/t',
    'ignore ./x',
    'bogus x',
  ),
);
const fileArb = fc.array(lineArb, { minLength: 1, maxLength: 14 }).map((lines) => `${lines.join('\n')}\n`);

test('2000 generated go.mod files agree with x/mod (Parse and ParseLax)', async () => {
  const texts = fc.sample(fileArb, { numRuns: 2000, seed });
  const { total, errors } = await compareGoMod(texts);
  assert.ok(
    errors > total / 10 && errors < total * 0.9,
    `valid and invalid files both exercised (${errors}/${total} errors)`,
  );
});

async function compareGoWork(texts: string[]) {
  const answers = await Promise.all(
    texts.map((text) => oracle.call('parseGoWork', { text, file: 'go.work' })),
  );
  texts.forEach((text, i) => {
    let ours: object;
    try {
      const w = parseGoWork(text, 'go.work');
      ours = { error: null, go: w.go, toolchain: w.toolchain, use: w.use, replace: w.replace };
    } catch (err) {
      ours = { error: (err as Error).message };
    }
    assert.deepEqual(ours, answers[i], `ParseWork of ${JSON.stringify(text)}`);
  });
}

test('go.work files agree with x/mod ParseWork', async () => {
  await compareGoWork([
    'go 1.22\nuse (\n  ./a\n  "./b c"\n)\nreplace example.com/x => ./x\n',
    'go 1.22\nuse ./a\nuse ../b // comment\ntoolchain go1.22.1\n',
    'go 1.22\nrequire example.com/a v1.0.0\n',
    'use\n',
    'use a b\n',
    'go 1.22.x\n',
    'go v1.22\n',
    'foo (\n)\n',
    'godebug (\n\tx=1\n)\n',
    '',
  ]);
});
