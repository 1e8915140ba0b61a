// Differential test: our matchPrefixPatterns against golang.org/x/mod's MatchPrefixPatterns
// (through the Go oracle) on a generated table of pattern lists and module paths that
// exercises globs, classes, escapes, malformed globs, empty entries and trailing slashes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { matchPrefixPatterns } from '../../../src/policy/patterns.ts';
import { type GoOracle, startGoOracle } from '../../support/go-oracle.ts';

let oracle: GoOracle;
before(async () => {
  oracle = await startGoOracle();
});
after(() => oracle.close());

// A small deterministic generator (mulberry32), so a failure reproduces.
function random(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

const targets = [
  'github.com/acme/x',
  'github.com/acme',
  'github.com/Acme/x/v2',
  'github.com/acmex/y',
  'git.corp.example.com/a/b/c',
  'corp.example.com/a',
  'golang.org/x/mod',
  'gopkg.in/yaml.v3',
  'rsc.io/quote/v3',
  'example.com/[x]/y',
  'example.com/a*b/c',
  'example.com/é/ü',
  'a/b/c/d/e',
  'x.io',
  '',
];

const pieces = [
  'github.com',
  'acme',
  'Acme',
  'x',
  'y',
  'v2',
  '*',
  '?',
  '*.corp.example.com',
  'corp.example.com',
  'golang.org',
  'gopkg.in',
  'yaml.v?',
  'rsc.io',
  'quote',
  'git.corp.example.com',
  'example.com',
  '[a-c]cme',
  '[^a]cme',
  '[\\]x]',
  '\\*',
  'a\\*b',
  'a*b',
  '[x]',
  '\\[x\\]',
  '[',
  'a[',
  '[a-',
  '\\',
  '[]',
  '[^]',
  'é',
  '[à-ü]',
  'a',
  'b',
  'c',
  'x.io',
  '',
];

function generate(rnd: (n: number) => number): string {
  const entries: string[] = [];
  const count = 1 + rnd(3);
  for (let i = 0; i < count; i++) {
    const elements: string[] = [];
    const depth = 1 + rnd(4);
    for (let j = 0; j < depth; j++) elements.push(pieces[rnd(pieces.length)]!);
    let entry = elements.join('/');
    if (rnd(6) === 0) entry += '/';
    entries.push(entry);
  }
  if (rnd(8) === 0) entries.push('');
  return entries.join(',');
}

test('matchPrefixPatterns agrees with x/mod on a generated table', async () => {
  const rnd = random(20260601);
  const cases: [string, string][] = [];
  for (let i = 0; i < 4000; i++) {
    const globs = generate(rnd);
    for (const target of targets) cases.push([globs, target]);
    // Targets made from the pattern's own elements hit the interesting matches.
    const own = globs
      .split(',')[0]!
      .replace(/[*?[\]\\^]/g, 'x')
      .replace(/\/$/, '');
    cases.push([globs, own], [globs, `${own}/more/v2`]);
  }
  const answers = await Promise.all(
    cases.map(([globs, target]) => oracle.call('matchPrefixPatterns', { globs, target })),
  );
  let matched = 0;
  const mismatches: string[] = [];
  cases.forEach(([globs, target], i) => {
    const want = answers[i] as boolean;
    if (want) matched++;
    if (matchPrefixPatterns(globs, target) !== want)
      mismatches.push(`MatchPrefixPatterns(${JSON.stringify(globs)}, ${JSON.stringify(target)}) = ${want}`);
  });
  assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} mismatches of ${cases.length}`);
  // The table must exercise both answers, or it proves little.
  assert.ok(matched > cases.length / 20, `only ${matched} of ${cases.length} matched`);
  assert.ok(matched < cases.length - cases.length / 20, `${matched} of ${cases.length} matched`);
});
