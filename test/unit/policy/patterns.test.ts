import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isBadGlob, pathMatch } from '../../../src/policy/path-match.ts';
import {
  firstMatchingPattern,
  matchPatternList,
  matchPrefixPatterns,
  parsePatternList,
  validatePattern,
} from '../../../src/policy/patterns.ts';

// Cases whose answers are documented by Go (go help private, path.Match docs, x/mod tests).
const prefixCases: [patterns: string, path: string, want: boolean][] = [
  ['*/quote', 'rsc.io/quote', true],
  ['*/quote', 'rsc.io/quote/v3', true],
  ['*/quote', 'rsc.io/qu', false],
  ['rsc.io', 'rsc.io/quote', true],
  ['rsc.io', 'rsc.iox/quote', false],
  ['github.com/acme', 'github.com/acme', true],
  ['github.com/acme', 'github.com/acme/x/y', true],
  ['github.com/acme', 'github.com/acmex', false],
  ['github.com/acme', 'github.com', false],
  ['github.com/acme/', 'github.com/acme/x', true],
  ['*.corp.example.com', 'git.corp.example.com/a/b', true],
  ['*.corp.example.com', 'corp.example.com/a', false],
  ['', 'github.com/acme', false],
  [',,', 'github.com/acme', false],
  ['a.io,,github.com/acme', 'github.com/acme/x', true],
  ['*', 'anything.io/x/y', true],
  ['github.com/*/x', 'github.com/a/x/y', true],
  ['github.com/*/x', 'github.com/a/b/x', false],
  ['github.com/[a-c]cme', 'github.com/bcme/z', true],
  ['github.com/[^a-c]cme', 'github.com/bcme/z', false],
  ['github.com/\\*', 'github.com/*', true],
  ['github.com/\\*', 'github.com/a', false],
  ['github.com/a[', 'github.com/a[', false], // malformed glob: ignored, as Go does
  ['github.com/a[,github.com/b', 'github.com/b/x', true], // a malformed entry does not hide the others
  ['github.com/acme', 'github.com/ACME', false], // Go matches case-sensitively
  [' github.com/acme', 'github.com/acme', false], // Go does not trim spaces
];

test('matchPrefixPatterns: Go documented cases', () => {
  for (const [patterns, path, want] of prefixCases) {
    assert.equal(matchPrefixPatterns(patterns, path), want, `MatchPrefixPatterns(${patterns}, ${path})`);
  }
});

test('pathMatch: path.Match semantics incl. classes, escapes and bad patterns', () => {
  const cases: [string, string, boolean, boolean][] = [
    ['abc', 'abc', true, false],
    ['*', 'abc', true, false],
    ['*c', 'abc', true, false],
    ['a*', 'a/b', false, false],
    ['a*/b', 'abc/b', true, false],
    ['a*b*c*d*e*/f', 'axbxcxdxe/f', true, false],
    ['a*b?c*x', 'abxbbxdbxebxczzx', true, false],
    ['ab[c]', 'abc', true, false],
    ['ab[b-d]', 'abc', true, false],
    ['ab[e-g]', 'abc', false, false],
    ['ab[^c]', 'abc', false, false],
    ['ab[^e-g]', 'abc', true, false],
    ['a\\*b', 'a*b', true, false],
    ['a\\*b', 'ab', false, false],
    ['a?b', 'a☺b', true, false],
    ['a[^a]b', 'a☺b', true, false],
    ['[\\]a]', ']', true, false],
    ['[\\-]', '-', true, false],
    ['[x\\-]', 'z', false, false],
    ['[', 'a', false, true],
    ['[^', 'a', false, true],
    ['[^bc', 'a', false, true],
    ['a[', 'a', false, true],
    ['a[', 'ab', false, true],
    ['a[', 'x', false, true],
    ['a/b[', 'a/b', false, true],
    ['*x', 'xxx', true, false],
    ['[]a]', ']', false, true],
    ['[-]', '-', false, true],
    ['[x-]', 'x', false, true],
    ['[a-b-c]', 'a', false, true],
    ['\\', 'a', false, true],
    ['a?b', 'a/b', false, false],
    ['a*b', 'a/b', false, false],
  ];
  for (const [pattern, name, matched, badPattern] of cases) {
    assert.deepEqual(pathMatch(pattern, name), { matched, badPattern }, `Match(${pattern}, ${name})`);
    assert.equal(isBadGlob(pattern), badPattern, `isBadGlob(${pattern})`);
  }
});

// A reference model for patterns made only of literals, `*` and `?`, none crossing `/`.
function modelMatch(pattern: string, name: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|\\[\]]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${re}$`, 'u').test(name);
}

const pathChar = fc.constantFrom('a', 'b', 'A', '.', '-', '/', 'é');
const globChar = fc.constantFrom('a', 'b', 'A', '.', '-', '/', 'é', '*', '?');

test('property: pathMatch agrees with a regular-expression model on * ? and literals', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: globChar, maxLength: 8 }),
      fc.string({ unit: pathChar, maxLength: 8 }),
      (p, n) => {
        assert.equal(pathMatch(p, n).matched, modelMatch(p, n));
        assert.equal(pathMatch(p, n).badPattern, false);
      },
    ),
    { numRuns: 3000 },
  );
});

const element = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,6}$/);
const modulePath = fc.array(element, { minLength: 1, maxLength: 5 }).map((e) => e.join('/'));

test('property: a literal pattern matches exactly the paths it is an element-prefix of', () => {
  fc.assert(
    fc.property(modulePath, modulePath, (pattern, path) => {
      const want = path === pattern || path.startsWith(`${pattern}/`);
      assert.equal(matchPrefixPatterns(pattern, path), want);
      assert.equal(matchPrefixPatterns(`${pattern}/`, path), want, 'a trailing slash changes nothing');
    }),
    { numRuns: 2000 },
  );
});

test('property: a comma list matches when any entry matches', () => {
  fc.assert(
    fc.property(fc.array(modulePath, { maxLength: 4 }), modulePath, (patterns, path) => {
      const joined = patterns.join(',');
      assert.equal(
        matchPrefixPatterns(joined, path),
        patterns.some((p) => matchPrefixPatterns(p, path)),
      );
      assert.equal(
        matchPatternList(parsePatternList(joined), path, { foldCase: false }),
        matchPrefixPatterns(joined, path),
      );
    }),
    { numRuns: 1000 },
  );
});

const caseFlip = (s: string, mask: number[]): string =>
  [...s].map((c, i) => ((mask[i % mask.length] ?? 0) % 2 === 1 ? c.toUpperCase() : c)).join('');

test('property: folding case never matches less, and a case variant of the path cannot escape', () => {
  fc.assert(
    fc.property(
      modulePath,
      modulePath,
      fc.array(fc.nat(1), { minLength: 1, maxLength: 9 }),
      fc.array(fc.nat(1), { minLength: 1, maxLength: 9 }),
      (pattern, path, mask1, mask2) => {
        const p = caseFlip(pattern, mask1);
        const variant = caseFlip(path, mask2);
        const exact = matchPatternList([p], path, { foldCase: false });
        const folded = matchPatternList([p], path, { foldCase: true });
        if (exact) assert.ok(folded);
        assert.equal(matchPatternList([p], variant, { foldCase: true }), folded);
        assert.equal(folded, path === pattern || path.startsWith(`${pattern}/`));
      },
    ),
    { numRuns: 2000 },
  );
});

test('matchPatternList and firstMatchingPattern: case folding as the policy needs', () => {
  assert.equal(matchPatternList(['github.com/evil-org'], 'github.com/Evil-Org/x', { foldCase: true }), true);
  assert.equal(
    matchPatternList(['github.com/evil-org'], 'github.com/Evil-Org/x', { foldCase: false }),
    false,
  );
  assert.equal(matchPatternList(['github.com/Evil-Org'], 'github.com/evil-org', { foldCase: true }), true);
  assert.equal(
    firstMatchingPattern(['a.io', 'github.com/*-org'], 'github.com/EVIL-ORG/x', { foldCase: true }),
    'github.com/*-org',
  );
  assert.equal(firstMatchingPattern(['a.io'], 'github.com/x', { foldCase: true }), null);
  assert.equal(matchPatternList([], 'github.com/x', { foldCase: true }), false);
});

test('parsePatternList: Go splitting, no trimming of spaces', () => {
  assert.deepEqual(parsePatternList('a.io/,,b.io, c.io'), ['a.io', 'b.io', ' c.io']);
  assert.deepEqual(parsePatternList(''), []);
  assert.deepEqual(parsePatternList('/'), []);
});

test('validatePattern: clear errors that say what to write', () => {
  assert.equal(validatePattern('github.com/acme-corp'), null);
  assert.equal(validatePattern('*.corp.example.com'), null);
  assert.equal(validatePattern('github.com/[a-z]*'), null);
  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['github.com/ acme', /white space.*write 'github.com\/acme'/],
    ['a.io,b.io', /own list item/],
    ['https://github.com/acme', /write 'github.com\/acme'/],
    ['/github.com', /write 'github.com'/],
    ['github.com//acme', /write 'github.com\/acme'/],
    ['github.com/acme@v1.0.0', /versions/],
    ['github.com/!azure', /write 'github.com\/Azure'/],
    ['github.com/a[', /not a valid glob/],
    ['github.com/\\', /not a valid glob/],
  ];
  for (const [pattern, re] of bad) assert.match(validatePattern(pattern) ?? '', re, pattern);
});
