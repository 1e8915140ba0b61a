// Differential tests: module path checks and case-encoding against golang.org/x/mod/module,
// over hand-picked tables and thousands of generated inputs (valid and invalid).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import {
  checkFilePath,
  checkImportPath,
  checkModulePath,
  checkModuleVersion,
  checkPathMajor,
  escapePath,
  escapeVersion,
  splitPathVersion,
  unescapePath,
  unescapeVersion,
} from '../../../src/gomod/module-path.ts';
import { type GoOracle, startGoOracle } from '../../support/go-oracle.ts';

let oracle: GoOracle;
before(async () => {
  oracle = await startGoOracle();
});
after(() => oracle?.close());

const seed = Number(process.env.GOMOD_ORACLE_SEED ?? Date.now() % 2 ** 31);
const sample = <T>(arb: fc.Arbitrary<T>, numRuns: number) => fc.sample(arb, { numRuns, seed });

// Pieces that hit every rule: dots, dashes, tildes, case, Windows names, major suffixes, escapes.
const pieces = [
  'example.com',
  'github.com',
  'gopkg.in',
  'golang.org',
  'x',
  'Azure',
  'BurntSushi',
  'mod',
  'v2',
  'v0',
  'v1',
  'v10',
  'v2.1',
  'v02',
  'yaml.v3',
  'yaml.v0',
  'yaml.v1-unstable',
  'yaml.v2.1',
  'con',
  'COM1.txt',
  'lpt9',
  'aux.go',
  'nul',
  'PROGRA~1',
  'a~b',
  'a~',
  '.',
  '..',
  '.hidden',
  'trailing.',
  '-dash',
  'a-b',
  'a_b',
  'a+b',
  'a b',
  'a:b',
  'é',
  'ÿ',
  '!',
  '!a',
  '!A',
  'a!',
  '~1',
  'prn~',
  'Ünï',
  '',
  '\u00a0',
  '\t',
  'a*b',
  '@',
  '#',
  '%',
  '&',
  '(x)',
  '[x]',
  '{x}',
  '^',
  '=',
  ',',
];
const pathArb = fc
  .array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 5 })
  .map((parts) => parts.join('/'));
const rawArb = fc.string({ unit: fc.constantFrom(...'aZz09.-_~/!+ :éA@'.split('')), maxLength: 24 });
const anyPathArb = fc.oneof(pathArb, rawArb);

const tablePaths = [
  'example.com/m',
  'example.com/m/v2',
  'example.com/m/v1',
  'example.com/m/v0',
  'example.com/m/v2.1',
  'gopkg.in/yaml.v3',
  'gopkg.in/yaml.v0',
  'gopkg.in/yaml.v1-unstable',
  'gopkg.in/yaml',
  'gopkg.in/x/yaml.v2',
  'github.com/Azure/azure-sdk',
  'Example.com/m',
  'example',
  '-example.com',
  'example.com/',
  '/example.com',
  'example.com//m',
  'example.com/.m',
  'example.com/m.',
  'example.com/con',
  'example.com/CON.d',
  'example.com/a~1',
  'example.com/a~b',
  'exa_mple.com/m',
  'example.com/a+b',
  'example.com/a b',
  'example.com/é',
  'example.com/../m',
  '',
  '.',
  'example.com/v2',
  'x.y/v1/v2',
];

type Outcome = { value: unknown; error: string | null };

function ts(fn: () => unknown): Outcome {
  try {
    return { value: fn(), error: null };
  } catch (err) {
    return { value: null, error: (err as Error).message };
  }
}

/** Same verdict; error text equal to Go's or Go's followed by our advice. */
function sameOutcome(input: string, ours: Outcome, go: Outcome, exactErrors = true) {
  const ctx = `input ${JSON.stringify(input)} (seed ${seed})`;
  assert.equal(
    ours.error === null,
    go.error === null,
    `${ctx}: ours ${JSON.stringify(ours)} go ${JSON.stringify(go)}`,
  );
  if (go.error === null) assert.deepEqual(ours.value, go.value, ctx);
  else if (exactErrors)
    assert.ok(
      ours.error === go.error || ours.error?.startsWith(`${go.error}:`),
      `${ctx}: ${ours.error} vs ${go.error}`,
    );
}

async function compareAll(inputs: string[]) {
  const unique = [...new Set(inputs)];
  await Promise.all(
    unique.map(async (p) => {
      const [check, imp, file, split, esc, escV, unesc, unescV] = await Promise.all([
        oracle.call('checkPath', { path: p }),
        oracle.call('checkImportPath', { path: p }),
        oracle.call('checkFilePath', { path: p }),
        oracle.call('splitPathVersion', { path: p }),
        oracle.call('escapePath', { path: p }),
        oracle.call('escapeVersion', { version: p }),
        oracle.call('unescapePath', { escaped: p }),
        oracle.call('unescapeVersion', { escaped: p }),
      ]);
      sameOutcome(
        p,
        ts(() => checkModulePath(p) ?? null),
        { value: null, error: check.error },
      );
      sameOutcome(
        p,
        ts(() => checkImportPath(p) ?? null),
        { value: null, error: imp.error },
      );
      sameOutcome(
        p,
        ts(() => checkFilePath(p) ?? null),
        { value: null, error: file.error },
      );
      const ours = splitPathVersion(p);
      if (split.ok) assert.deepEqual(ours, { prefix: split.prefix, pathMajor: split.pathMajor }, p);
      else assert.equal(ours, null, p);
      sameOutcome(
        p,
        ts(() => escapePath(p)),
        esc,
      );
      // For non-ASCII, Go fails with an "internal error" wording; only the verdict must agree.
      sameOutcome(
        p,
        ts(() => escapeVersion(p)),
        escV,
        !String(escV.error).includes('internal error'),
      );
      sameOutcome(
        p,
        ts(() => unescapePath(p)),
        unesc,
      );
      sameOutcome(
        p,
        ts(() => unescapeVersion(p)),
        unescV,
      );
      if (esc.error === null) assert.equal(unescapePath(esc.value), p, 'round trip');
      if (escV.error === null) assert.equal(unescapeVersion(escV.value), p, 'version round trip');
    }),
  );
}

test('table of paths agrees with x/mod (check, split, escape, unescape)', async () => {
  await compareAll(tablePaths);
});

test('generated paths agree with x/mod', async () => {
  await compareAll(sample(anyPathArb, 3000));
});

test('escape then unescape round-trips every valid generated path', async () => {
  const valid = fc
    .tuple(
      fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,8}\.[a-z]{2,5}$/),
      fc.array(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._~-]{0,10}[A-Za-z0-9_]$/), { maxLength: 4 }),
    )
    .map(([host, rest]) => [host, ...rest].join('/'));
  const inputs = sample(valid, 1500);
  const answers = await Promise.all(inputs.map((p) => oracle.call('escapePath', { path: p })));
  inputs.forEach((p, i) => {
    const go = answers[i];
    sameOutcome(
      p,
      ts(() => escapePath(p)),
      go,
    );
    if (go.error === null) assert.equal(unescapePath(go.value), p);
  });
});

test('checkPathMajor agrees with x/mod, +incompatible and gopkg.in included', async () => {
  const versions = [
    'v0.1.0',
    'v1.0.0',
    'v2.0.0',
    'v2.0.0+incompatible',
    'v3.1.0-pre',
    'v0.0.0-20200101000000-abcdefabcdef',
    'v1.0.0-20200101000000-abcdefabcdef',
    'v2.0.0-20200101000000-abcdefabcdef+incompatible',
    'bad',
    '',
    'v1',
    'v10.0.0',
  ];
  const majors = ['', '/v2', '/v3', '/v10', '.v0', '.v1', '.v2', '.v1-unstable', '.v2-unstable', 'v2', '/v1'];
  const cases = versions.flatMap((v) => majors.map((m) => [v, m] as const));
  const answers = await Promise.all(
    cases.map(([v, m]) => oracle.call('checkPathMajor', { version: v, pathMajor: m })),
  );
  cases.forEach(([v, m], i) => {
    sameOutcome(
      `${v} ${m}`,
      ts(() => checkPathMajor(v, m) ?? null),
      { value: null, error: answers[i].error },
    );
  });
});

test('checkModuleVersion agrees with module.Check on paths x versions', async () => {
  const paths = [
    'example.com/m',
    'example.com/m/v2',
    'gopkg.in/yaml.v2',
    'gopkg.in/yaml.v1',
    'Bad/path',
    'example.com/m/v1',
  ];
  const versions = [
    'v1.0.0',
    'v1.2',
    'v2.0.0',
    'v2.0.0+incompatible',
    'v0.0.0-20200101000000-abcdefabcdef',
    'junk',
    '',
    'v3.0.0',
  ];
  const cases = paths.flatMap((p) => versions.map((v) => [p, v] as const));
  const answers = await Promise.all(cases.map(([path, version]) => oracle.call('check', { path, version })));
  cases.forEach(([path, version], i) => {
    sameOutcome(
      `${path}@${version}`,
      ts(() => checkModuleVersion(path, version) ?? null),
      {
        value: null,
        error: answers[i].error,
      },
    );
  });
});
