import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compareVersions } from '../../../src/gomod/version.ts';
import { parseGoDuration } from '../../../src/policy/go-duration.ts';
import { parseVersionConstraint, versionSatisfies } from '../../../src/policy/version-constraint.ts';

test('version constraints: comma is and, || is or, Go version order', () => {
  const c = parseVersionConstraint('>= v1.2.0, < v1.4.2 || v2.0.0');
  const cases: [string, boolean][] = [
    ['v1.1.9', false],
    ['v1.2.0', true],
    ['v1.3.0', true],
    ['v1.4.2-rc.1', true], // a prerelease of v1.4.2 sorts before it
    ['v1.4.2-0.20240101000000-abcdefabcdef', true], // so does a pseudo-version based on it
    ['v1.4.2', false],
    ['v1.10.0', false], // numeric, not string, order
    ['v2.0.0', true],
    ['v2.0.0+incompatible', true], // build metadata does not escape an equality
    ['v2.0.1', false],
    ['not-a-version', false],
  ];
  for (const [v, want] of cases) assert.equal(versionSatisfies(c, v), want, v);
  assert.equal(versionSatisfies(parseVersionConstraint('v1.2'), 'v1.2.0'), true, 'shorthand');
  assert.equal(versionSatisfies(parseVersionConstraint('==v1.2.0'), 'v1.2.0'), true);
  assert.equal(versionSatisfies(parseVersionConstraint('!= v1.2.0'), 'v1.2.0'), false);
  assert.equal(versionSatisfies(parseVersionConstraint('<=v1.2.0'), 'v1.2.0'), true);
  assert.equal(versionSatisfies(parseVersionConstraint('>v1.2.0'), 'v1.2.0'), false);
});

test('version constraints: bad input says what to write', () => {
  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['>= v1.0.0 ||', /empty alternative/],
    ['>= v1.0.0,', /empty comparison/],
    ['>= 1.2.0', /write 'v1.2.0'/],
    ['~> v1.2.0', /not an operator/],
    ['>= v1.0.0 v2.0.0', /not an operator/],
    ['>= latest', /not a Go module version/],
  ];
  for (const [text, re] of bad) assert.throws(() => parseVersionConstraint(text), re, text);
});

const version = fc
  .tuple(
    fc.nat(3),
    fc.nat(12),
    fc.nat(12),
    fc.option(fc.constantFrom('-rc.1', '-alpha', '-0.20240101000000-abcdefabcdef')),
  )
  .map(([a, b, c, pre]) => `v${a}.${b}.${c}${pre ?? ''}`);

test('property: a range constraint is exactly the Go-ordered interval', () => {
  fc.assert(
    fc.property(version, version, version, (lo, hi, v) => {
      const c = parseVersionConstraint(`>= ${lo}, < ${hi}`);
      assert.equal(versionSatisfies(c, v), compareVersions(v, lo) >= 0 && compareVersions(v, hi) < 0);
      const either = parseVersionConstraint(`< ${lo} || >= ${hi}`);
      assert.equal(versionSatisfies(either, v), compareVersions(v, lo) < 0 || compareVersions(v, hi) >= 0);
    }),
    { numRuns: 1000 },
  );
});

test('Go durations as time.ParseDuration reads them', () => {
  assert.equal(parseGoDuration('72h'), 72 * 3600_000);
  assert.equal(parseGoDuration('1h30m'), 90 * 60_000);
  assert.equal(parseGoDuration('1.5h'), 90 * 60_000);
  assert.equal(parseGoDuration('.5s'), 500);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('250ms'), 250);
  assert.equal(parseGoDuration('-1m'), -60_000);
  for (const bad of ['', '3', '3 days', '3d', 'h', '.h', '1h 30m', '1.2.3h']) {
    assert.equal(parseGoDuration(bad), null, bad);
  }
});
