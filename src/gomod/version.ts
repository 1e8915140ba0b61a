// Go's module versions: golang.org/x/mod/semver (a "v"-prefixed semver with v1 and v1.2
// shorthands) and the pseudo-version rules of golang.org/x/mod/module. Exact ports: a proxy
// that orders or validates versions differently from the go command serves the wrong @latest.

interface ParsedVersion {
  major: string;
  minor: string;
  patch: string;
  /** What Canonical appends for the v1 / v1.2 shorthands (".0.0" / ".0"). */
  short: string;
  prerelease: string;
  build: string;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isIdentChar(c: string): boolean {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '-';
}

/** A numeric identifier with a leading zero ("01"): not allowed in a prerelease. */
function isBadNum(s: string): boolean {
  return /^[0-9]+$/.test(s) && s.length > 1 && s[0] === '0';
}

function isNum(s: string): boolean {
  return /^[0-9]*$/.test(s);
}

/** Reads a decimal with no leading zero from the start of `s`. */
function parseNumber(s: string): [value: string, rest: string] | null {
  if (!isDigit(s[0])) return null;
  let i = 1;
  while (i < s.length && isDigit(s[i])) i++;
  if (s[0] === '0' && i !== 1) return null;
  return [s.slice(0, i), s.slice(i)];
}

function parsePrerelease(s: string): [value: string, rest: string] | null {
  if (s[0] !== '-') return null;
  let i = 1;
  let start = 1;
  while (i < s.length && s[i] !== '+') {
    const c = s[i] as string;
    if (!isIdentChar(c) && c !== '.') return null;
    if (c === '.') {
      if (start === i || isBadNum(s.slice(start, i))) return null;
      start = i + 1;
    }
    i++;
  }
  if (start === i || isBadNum(s.slice(start, i))) return null;
  return [s.slice(0, i), s.slice(i)];
}

function parseBuild(s: string): [value: string, rest: string] | null {
  if (s[0] !== '+') return null;
  let i = 1;
  let start = 1;
  while (i < s.length) {
    const c = s[i] as string;
    if (!isIdentChar(c) && c !== '.') return null;
    if (c === '.') {
      if (start === i) return null;
      start = i + 1;
    }
    i++;
  }
  if (start === i) return null;
  return [s.slice(0, i), s.slice(i)];
}

function parse(v: string): ParsedVersion | null {
  if (v === '' || v[0] !== 'v') return null;
  const major = parseNumber(v.slice(1));
  if (!major) return null;
  let rest = major[1];
  if (rest === '')
    return { major: major[0], minor: '0', patch: '0', short: '.0.0', prerelease: '', build: '' };
  if (rest[0] !== '.') return null;
  const minor = parseNumber(rest.slice(1));
  if (!minor) return null;
  rest = minor[1];
  if (rest === '')
    return { major: major[0], minor: minor[0], patch: '0', short: '.0', prerelease: '', build: '' };
  if (rest[0] !== '.') return null;
  const patch = parseNumber(rest.slice(1));
  if (!patch) return null;
  rest = patch[1];
  let prerelease = '';
  let build = '';
  if (rest[0] === '-') {
    const p = parsePrerelease(rest);
    if (!p) return null;
    [prerelease, rest] = p;
  }
  if (rest[0] === '+') {
    const b = parseBuild(rest);
    if (!b) return null;
    [build, rest] = b;
  }
  if (rest !== '') return null;
  return { major: major[0], minor: minor[0], patch: patch[0], short: '', prerelease, build };
}

/** semver.IsValid: "v1", "v1.2", "v1.2.3", "v1.2.3-pre+build" are valid; "1.2.3" is not. */
export function isValidVersion(v: string): boolean {
  return parse(v) !== null;
}

/** semver.Canonical: "vX.Y.Z[-pre]", build metadata dropped; '' if invalid. */
export function semverCanonical(v: string): string {
  const p = parse(v);
  if (!p) return '';
  if (p.build !== '') return v.slice(0, v.length - p.build.length);
  return v + p.short;
}

/**
 * module.CanonicalVersion: like semver.Canonical, but "+incompatible" survives, because for
 * the go command v2.0.0+incompatible and v2.0.0 are different module versions.
 */
export function canonicalVersion(v: string): string {
  const cv = semverCanonical(v);
  if (cv !== '' && versionBuild(v) === '+incompatible') return `${cv}+incompatible`;
  return cv;
}

/** True when `v` is already in canonical form: what a proxy may store and list. */
export function isCanonicalVersion(v: string): boolean {
  return v !== '' && canonicalVersion(v) === v;
}

/** semver.Major: "v2" for "v2.1.0"; '' if invalid. */
export function versionMajor(v: string): string {
  const p = parse(v);
  return p ? v.slice(0, 1 + p.major.length) : '';
}

/** semver.Prerelease: "-beta.1" for "v1.0.0-beta.1+x"; '' if none or invalid. */
export function versionPrerelease(v: string): string {
  return parse(v)?.prerelease ?? '';
}

/** semver.Build: "+incompatible" for "v2.0.0+incompatible"; '' if none or invalid. */
export function versionBuild(v: string): string {
  return parse(v)?.build ?? '';
}

export function isPrerelease(v: string): boolean {
  return versionPrerelease(v) !== '';
}

function compareInt(x: string, y: string): -1 | 0 | 1 {
  if (x === y) return 0;
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : 1;
}

function comparePrerelease(x: string, y: string): -1 | 0 | 1 {
  if (x === y) return 0;
  if (x === '') return 1;
  if (y === '') return -1;
  // Both start with "-"; identifiers are separated by ".". Walk them pairwise like Go does.
  const xs = x.slice(1).split('.');
  const ys = y.slice(1).split('.');
  for (let i = 0; i < xs.length && i < ys.length; i++) {
    const dx = xs[i] as string;
    const dy = ys[i] as string;
    if (dx === dy) continue;
    const ix = isNum(dx);
    const iy = isNum(dy);
    if (ix !== iy) return ix ? -1 : 1;
    if (ix && dx.length !== dy.length) return dx.length < dy.length ? -1 : 1;
    return dx < dy ? -1 : 1;
  }
  return xs.length < ys.length ? -1 : 1;
}

/** semver.Compare: -1, 0 or 1; an invalid version is below every valid one and equal to another invalid one. */
export function compareVersions(a: string, b: string): -1 | 0 | 1 {
  const pa = parse(a);
  const pb = parse(b);
  if (!pa && !pb) return 0;
  if (!pa) return -1;
  if (!pb) return 1;
  return (
    compareInt(pa.major, pb.major) ||
    compareInt(pa.minor, pb.minor) ||
    compareInt(pa.patch, pb.patch) ||
    comparePrerelease(pa.prerelease, pb.prerelease)
  );
}

/** Go's strings.Compare: UTF-8 byte order, which is code point order (not UTF-16 unit order). */
export function compareGoStrings(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done || cb.done) return ca.done ? (cb.done ? 0 : -1) : 1;
    const pa = ca.value.codePointAt(0) as number;
    const pb = cb.value.codePointAt(0) as number;
    if (pa !== pb) return pa < pb ? -1 : 1;
  }
}

/** semver.Sort: ascending by compareVersions, ties (e.g. differing build metadata) by Go string order. */
export function sortVersions(list: readonly string[]): string[] {
  return [...list].sort((a, b) => compareVersions(a, b) || compareGoStrings(a, b));
}

const pseudoVersionPattern =
  /^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** module.IsPseudoVersion: "v0.0.0-20191109021931-daa7c04131f5" and its two other forms. */
export function isPseudoVersion(v: string): boolean {
  let dashes = 0;
  for (const c of v) if (c === '-') dashes++;
  return dashes >= 2 && isValidVersion(v) && pseudoVersionPattern.test(v);
}

interface PseudoParts {
  base: string;
  timestamp: string;
  rev: string;
  build: string;
}

function parsePseudoVersion(v: string): PseudoParts | null {
  if (!isPseudoVersion(v)) return null;
  const build = versionBuild(v);
  let rest = v.slice(0, v.length - build.length);
  const j = rest.lastIndexOf('-');
  const rev = rest.slice(j + 1);
  rest = rest.slice(0, j);
  const i = rest.lastIndexOf('-');
  const dot = rest.lastIndexOf('.');
  if (dot > i) return { base: rest.slice(0, dot), timestamp: rest.slice(dot + 1), rev, build };
  return { base: rest.slice(0, i), timestamp: rest.slice(i + 1), rev, build };
}

const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** module.PseudoVersionTime: the commit time (UTC) in a pseudo-version; null if not one or the time is impossible. */
export function pseudoVersionTime(v: string): Date | null {
  const parts = parsePseudoVersion(v);
  if (!parts) return null;
  const t = parts.timestamp;
  const year = Number(t.slice(0, 4));
  const month = Number(t.slice(4, 6));
  const day = Number(t.slice(6, 8));
  const hour = Number(t.slice(8, 10));
  const minute = Number(t.slice(10, 12));
  const second = Number(t.slice(12, 14));
  if (month < 1 || month > 12) return null;
  const monthDays = month === 2 && isLeap(year) ? 29 : (daysInMonth[month - 1] as number);
  if (day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0..99 to 1900..1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date;
}

/** module.PseudoVersionRev: the short commit hash at the end of a pseudo-version; null if not one. */
export function pseudoVersionRev(v: string): string | null {
  return parsePseudoVersion(v)?.rev ?? null;
}

/** Subtracts one from a decimal string; '' when it would go negative. */
function decDecimal(decimal: string): string {
  const digits = decimal.split('');
  let i = digits.length - 1;
  for (; i >= 0 && digits[i] === '0'; i--) digits[i] = '9';
  if (i < 0) return '';
  if (i === 0 && digits[i] === '1' && digits.length > 1) return digits.slice(1).join('');
  digits[i] = String(Number(digits[i]) - 1);
  return digits.join('');
}

/**
 * module.PseudoVersionBase: the tagged version a pseudo-version builds on ('' for the
 * vX.0.0-… form with no base); null if `v` is not a pseudo-version or its base is impossible.
 */
export function pseudoVersionBase(v: string): string | null {
  const parts = parsePseudoVersion(v);
  if (!parts) return null;
  const { base, build } = parts;
  const pre = versionPrerelease(base);
  if (pre === '') return build === '' ? '' : null;
  if (pre === '-0') {
    const release = base.slice(0, base.length - pre.length);
    const i = release.lastIndexOf('.');
    const patch = decDecimal(release.slice(i + 1));
    if (patch === '') return null;
    return release.slice(0, i + 1) + patch + build;
  }
  return base.slice(0, base.length - '.0'.length) + build;
}
