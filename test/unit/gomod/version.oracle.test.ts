// Differential tests: Go semver, module.CanonicalVersion and pseudo-versions against
// golang.org/x/mod, over thousands of generated versions (valid, pseudo, prerelease,
// +incompatible, build metadata, and malformed).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import {
  canonicalVersion,
  compareVersions,
  isCanonicalVersion,
  isPrerelease,
  isPseudoVersion,
  isValidVersion,
  pseudoVersionBase,
  pseudoVersionRev,
  pseudoVersionTime,
  semverCanonical,
  sortVersions,
  versionBuild,
  versionMajor,
  versionPrerelease,
} from '../../../src/gomod/version.ts';
import { type GoOracle, startGoOracle } from '../../support/go-oracle.ts';

let oracle: GoOracle;
before(async () => {
  oracle = await startGoOracle();
});
after(() => oracle?.close());

const seed = Number(process.env.GOMOD_ORACLE_SEED ?? Date.now() % 2 ** 31);
const sample = <T>(arb: fc.Arbitrary<T>, numRuns: number) => fc.sample(arb, { numRuns, seed });

const num = fc.oneof(
  fc.constantFrom('0', '1', '2', '9', '10', '01', '00', '99999999999999999999'),
  fc.nat(30).map(String),
);
const ident = fc.oneof(
  fc.constantFrom(
    'alpha',
    'beta',
    'rc',
    'pre',
    '0',
    '1',
    '01',
    '11',
    'x-y',
    'A',
    'Z9',
    '-',
    'incompatible',
    '',
  ),
  fc.stringMatching(/^[0-9A-Za-z-]{1,6}$/),
);
const dotted = fc.array(ident, { minLength: 1, maxLength: 4 }).map((ids) => ids.join('.'));
const timestamp = fc.oneof(
  fc.constantFrom(
    '20191109021931',
    '00000000000000',
    '20200229120000',
    '20190229120000',
    '20191332021931',
    '20191109246060',
    '2019110902193',
  ),
  fc
    .date({ min: new Date(Date.UTC(1970, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true })
    .map((d) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14)),
);
const rev = fc.oneof(
  fc.constantFrom('daa7c04131f5', 'abcdefabcdef', '000000000000', 'ABC', 'g1'),
  fc.stringMatching(/^[0-9a-f]{12}$/),
);
const build = fc.oneof(
  fc.constant(''),
  fc.constant('+incompatible'),
  dotted.map((d) => `+${d}`),
);
const release = fc.tuple(num, num, num).map(([a, b, c]) => `v${a}.${b}.${c}`);
const pseudo = fc.oneof(
  fc.tuple(num, timestamp, rev, build).map(([m, t, r, b]) => `v${m}.0.0-${t}-${r}${b}`),
  fc
    .tuple(num, num, num, timestamp, rev, build)
    .map(([a, b, c, t, r, bd]) => `v${a}.${b}.${c}-0.${t}-${r}${bd}`),
  fc.tuple(release, dotted, timestamp, rev, build).map(([v, pre, t, r, b]) => `${v}-${pre}.0.${t}-${r}${b}`),
);
const version = fc.oneof(
  fc
    .tuple(release, fc.option(dotted, { nil: undefined }), build)
    .map(([v, pre, b]) => `${v}${pre === undefined ? '' : `-${pre}`}${b}`),
  pseudo,
  fc
    .tuple(num, fc.option(num, { nil: undefined }), fc.constantFrom('', '+meta', '-pre'))
    .map(([a, b, s]) => `v${a}${b === undefined ? '' : `.${b}`}${s}`),
  fc.string({ unit: fc.constantFrom(...'v0123456789.-+aZ!'.split('')), maxLength: 16 }),
);

const table = [
  'v1',
  'v1.2',
  'v1.2.3',
  'v1.2.3-pre',
  'v1.2.3+meta',
  'v1.2+meta',
  'v1+meta',
  'v1.2.3-pre+meta',
  'v2.0.0+incompatible',
  'v2.0.0-pre+incompatible',
  'v2+incompatible',
  'v01.2.3',
  'v1.02.3',
  'v1.2.03',
  'v1.2.3-01',
  'v1.2.3-0',
  'v1.2.3-',
  'v1.2.3+',
  'v1.2.3-a..b',
  '1.2.3',
  'V1.2.3',
  '',
  'v',
  'v1.2.3.4',
  'v0.0.0-20191109021931-daa7c04131f5',
  'v1.2.4-0.20191109021931-daa7c04131f5',
  'v1.2.3-pre.0.20191109021931-daa7c04131f5',
  'v1.0.0-0.20191109021931-daa7c04131f5',
  'v2.0.0-20191109021931-daa7c04131f5+incompatible',
  'v0.0.0-20191332021931-daa7c04131f5',
  'v0.0.0-00000000000000-000000000000',
  'v1.10.0-0.20191109021931-daa7c04131f5',
  'v1.2.10-0.20191109021931-daa7c04131f5',
  'v1.2.3-0.0.20191109021931-a',
];

function ours(v: string) {
  return {
    valid: isValidVersion(v),
    canonical: semverCanonical(v),
    moduleCanonical: canonicalVersion(v),
    major: versionMajor(v),
    prerelease: versionPrerelease(v),
    build: versionBuild(v),
    isPseudo: isPseudoVersion(v),
    pseudoTime: pseudoVersionTime(v)?.toISOString().replace('.000Z', 'Z') ?? null,
    pseudoBase: pseudoVersionBase(v),
    pseudoRev: pseudoVersionRev(v),
  };
}

async function compareFacts(inputs: string[]) {
  const unique = [...new Set(inputs)];
  const answers = await Promise.all(unique.map((v) => oracle.call('semver', { version: v })));
  unique.forEach((v, i) => {
    const go = answers[i];
    assert.deepEqual(ours(v), go, `version ${JSON.stringify(v)} (seed ${seed})`);
    assert.equal(isPrerelease(v), go.prerelease !== '');
    assert.equal(isCanonicalVersion(v), v !== '' && go.moduleCanonical === v);
  });
  return unique;
}

test('table: validity, canonical forms, major, prerelease, build, pseudo-version parts agree with x/mod', async () => {
  await compareFacts(table);
});

test('5000 generated versions agree with x/mod', async () => {
  const inputs = await compareFacts(sample(version, 5000));
  // The generator must reach the interesting classes, or the test proves little.
  assert.ok(inputs.filter(isPseudoVersion).length > 300, 'enough pseudo-versions');
  assert.ok(inputs.filter((v) => versionBuild(v) === '+incompatible').length > 100, 'enough +incompatible');
  assert.ok(inputs.filter((v) => !isValidVersion(v)).length > 300, 'enough invalid versions');
  assert.ok(inputs.filter(isPrerelease).length > 1000, 'enough prereleases');
});

test('comparison and sort order agree with x/mod', async () => {
  const pool = [...table, ...sample(version, 400)];
  const pairs = sample(fc.tuple(fc.constantFrom(...pool), fc.constantFrom(...pool)), 4000);
  const answers = await Promise.all(pairs.map(([a, b]) => oracle.call('semverCompare', { a, b })));
  for (const [i, [a, b]] of pairs.entries()) {
    assert.equal(compareVersions(a, b), answers[i], `compare ${a} ${b} (seed ${seed})`);
  }
  const lists = sample(fc.shuffledSubarray(pool, { minLength: 2, maxLength: 60 }), 60);
  const sorted = await Promise.all(lists.map((list) => oracle.call('semverSort', { list })));
  for (const [i, list] of lists.entries()) {
    assert.deepEqual(sortVersions(list), sorted[i], `sort (seed ${seed})`);
  }
});
