// Module paths, import paths and file paths as golang.org/x/mod/module defines them, and the
// case-encoding the GOPROXY protocol uses ("!" + lower-case for each upper-case letter).
// Exact ports: the proxy must accept and refuse exactly what the go command does.

import { goQuote, goQuoteRune } from './go-quote.ts';
import { isValidVersion, versionBuild, versionMajor } from './version.ts';

export type PathKind = 'module' | 'import' | 'file';

/**
 * An invalid module path, import path, file path, version or escaped form. `reason` is Go's
 * own wording ("missing dot in first path element"); the message names the input.
 */
export class ModulePathError extends Error {
  readonly input: string;
  readonly reason: string;
  constructor(message: string, input: string, reason: string) {
    super(message);
    this.name = 'ModulePathError';
    this.input = input;
    this.reason = reason;
  }
}

function pathError(kind: PathKind, path: string, reason: string): ModulePathError {
  return new ModulePathError(`malformed ${kind} path ${goQuote(path)}: ${reason}`, path, reason);
}

function isAsciiAlnum(r: string): boolean {
  return (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z');
}

function firstPathOK(r: string): boolean {
  return r === '-' || r === '.' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z');
}

function modPathOK(r: string): boolean {
  return r === '-' || r === '.' || r === '_' || r === '~' || isAsciiAlnum(r);
}

function importPathOK(r: string): boolean {
  return modPathOK(r) || r === '+';
}

const fileNameAllowed = '!#$%&()+,-.=@[]^_{}~ ';

function fileNameOK(r: string): boolean {
  if ((r.codePointAt(0) as number) < 0x80) return isAsciiAlnum(r) || fileNameAllowed.includes(r);
  return /^\p{L}$/u.test(r);
}

const badWindowsNames = [
  'CON',
  'PRN',
  'AUX',
  'NUL',
  'COM1',
  'COM2',
  'COM3',
  'COM4',
  'COM5',
  'COM6',
  'COM7',
  'COM8',
  'COM9',
  'LPT1',
  'LPT2',
  'LPT3',
  'LPT4',
  'LPT5',
  'LPT6',
  'LPT7',
  'LPT8',
  'LPT9',
];

/** checkElem: the reason an element is invalid, or null. */
function elemProblem(elem: string, kind: PathKind): string | null {
  if (elem === '') return 'empty path element';
  if (/^\.+$/.test(elem)) return `invalid path element ${goQuote(elem)}`;
  if (elem[0] === '.' && kind === 'module') return 'leading dot in path element';
  if (elem.endsWith('.')) return 'trailing dot in path element';
  for (const r of elem) {
    const ok = kind === 'module' ? modPathOK(r) : kind === 'import' ? importPathOK(r) : fileNameOK(r);
    if (!ok) return `invalid char ${goQuoteRune(r)}`;
  }
  const dot = elem.indexOf('.');
  const short = dot >= 0 ? elem.slice(0, dot) : elem;
  const upperShort = short.toUpperCase();
  // EqualFold with ASCII names: only an ASCII-only `short` can match.
  if (/^[\x00-\x7f]*$/.test(short) && badWindowsNames.includes(upperShort)) {
    return `${goQuote(short)} disallowed as path element component on Windows`;
  }
  if (kind === 'file') return null;
  // Windows short names ("PROGRA~1") end in a tilde and digits.
  const tilde = short.lastIndexOf('~');
  if (tilde >= 0 && tilde < short.length - 1 && /^[0-9]+$/.test(short.slice(tilde + 1))) {
    return 'trailing tilde and digits in path element';
  }
  return null;
}

/** checkPath: the reason a path of this kind is invalid, or null. */
function pathProblem(path: string, kind: PathKind): string | null {
  if (!path.isWellFormed()) return 'invalid UTF-8';
  if (path === '') return 'empty string';
  if (path[0] === '-' && kind !== 'file') return 'leading dash';
  if (path.includes('//')) return 'double slash';
  if (path.endsWith('/')) return 'trailing slash';
  for (const elem of path.split('/')) {
    const problem = elemProblem(elem, kind);
    if (problem) return problem;
  }
  return null;
}

function modulePathProblem(path: string): string | null {
  const problem = pathProblem(path, 'module');
  if (problem) return problem;
  let i = path.indexOf('/');
  if (i < 0) i = path.length;
  if (i === 0) return 'leading slash';
  const first = path.slice(0, i);
  if (!first.includes('.')) return 'missing dot in first path element';
  if (path[0] === '-') return 'leading dash in first path element';
  for (const r of first) {
    if (!firstPathOK(r)) return `invalid char ${goQuoteRune(r)} in first path element`;
  }
  if (!splitPathVersion(path)) return 'invalid version';
  return null;
}

/** module.CheckPath: throws ModulePathError saying why `path` is not a valid module path. */
export function checkModulePath(path: string): void {
  const problem = modulePathProblem(path);
  if (problem) throw pathError('module', path, problem);
}

export function isValidModulePath(path: string): boolean {
  return modulePathProblem(path) === null;
}

/** module.CheckImportPath: like a module path, but "+" is allowed and no dot is required. */
export function checkImportPath(path: string): void {
  const problem = pathProblem(path, 'import');
  if (problem) throw pathError('import', path, problem);
}

/** module.CheckFilePath: a file name inside a module zip (after the module@version/ prefix). */
export function checkFilePath(path: string): void {
  const problem = pathProblem(path, 'file');
  if (problem) throw pathError('file', path, problem);
}

function splitGopkgIn(path: string): { prefix: string; pathMajor: string } | null {
  let i = path.length;
  if (path.endsWith('-unstable')) i -= '-unstable'.length;
  while (
    i > 0 &&
    path[i - 1] !== undefined &&
    (path[i - 1] as string) >= '0' &&
    (path[i - 1] as string) <= '9'
  )
    i--;
  if (i <= 1 || path[i - 1] !== 'v' || path[i - 2] !== '.') return null;
  const prefix = path.slice(0, i - 2);
  const pathMajor = path.slice(i - 2);
  if (pathMajor.length <= 2 || (pathMajor[2] === '0' && pathMajor !== '.v0')) return null;
  return { prefix, pathMajor };
}

/**
 * module.SplitPathVersion: "example.com/m/v2" -> { prefix: "example.com/m", pathMajor: "/v2" },
 * "gopkg.in/yaml.v3" -> { "gopkg.in/yaml", ".v3" }, no suffix -> pathMajor ''. null when the
 * suffix is malformed ("/v1", "/v0", "/v2.1", "/v02").
 */
export function splitPathVersion(path: string): { prefix: string; pathMajor: string } | null {
  if (path.startsWith('gopkg.in/')) return splitGopkgIn(path);
  let i = path.length;
  let dot = false;
  for (; i > 0; i--) {
    const c = path[i - 1] as string;
    if (!((c >= '0' && c <= '9') || c === '.')) break;
    if (c === '.') dot = true;
  }
  if (i <= 1 || i === path.length || path[i - 1] !== 'v' || path[i - 2] !== '/')
    return { prefix: path, pathMajor: '' };
  const prefix = path.slice(0, i - 2);
  const pathMajor = path.slice(i - 2);
  if (dot || pathMajor.length <= 2 || pathMajor[2] === '0' || pathMajor === '/v1') return null;
  return { prefix, pathMajor };
}

/**
 * module.CheckPathMajor: does version `v` fit a module path ending in `pathMajor`? No suffix
 * takes v0/v1 and vN+incompatible; "/v2" takes v2 only; gopkg.in ".v1" also takes v0.0.0-
 * pseudo-versions. Throws ModulePathError ("should be v2, not v3").
 */
export function checkPathMajor(v: string, pathMajor: string): void {
  let pm = pathMajor;
  if (pm.startsWith('.v') && pm.endsWith('-unstable')) pm = pm.slice(0, -'-unstable'.length);
  if (v.startsWith('v0.0.0-') && pm === '.v1') return;
  const m = versionMajor(v);
  let want: string;
  if (pm === '') {
    if (m === 'v0' || m === 'v1' || versionBuild(v) === '+incompatible') return;
    want = 'v0 or v1';
  } else if (pm[0] === '/' || pm[0] === '.') {
    if (m === pm.slice(1)) return;
    want = pm.slice(1);
  } else {
    want = pm;
  }
  const reason = `should be ${want}, not ${m}`;
  throw new ModulePathError(`version ${goQuote(v)} invalid: ${reason}`, v, reason);
}

/**
 * module.Check: `path` is a valid module path and `version` a valid semantic version that fits
 * its major-version suffix. Throws ModulePathError worded as the go command words it.
 */
export function checkModuleVersion(path: string, version: string): void {
  checkModulePath(path);
  if (!isValidVersion(version)) {
    const reason = 'not a semantic version';
    throw new ModulePathError(`${path}@${version}: invalid version: ${reason}`, version, reason);
  }
  try {
    checkPathMajor(version, splitPathVersion(path)?.pathMajor ?? '');
  } catch (err) {
    if (!(err instanceof ModulePathError)) throw err;
    throw new ModulePathError(`${path}@${version}: invalid version: ${err.reason}`, version, err.reason);
  }
}

function escapeString(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/** Reverses "!x" -> "X"; null if malformed (upper-case, non-ASCII, "!" not before a-z). */
function unescapeString(escaped: string): string | null {
  let out = '';
  let bang = false;
  for (const r of escaped) {
    if ((r.codePointAt(0) as number) >= 0x80) return null;
    if (bang) {
      bang = false;
      if (r < 'a' || r > 'z') return null;
      out += r.toUpperCase();
      continue;
    }
    if (r === '!') {
      bang = true;
      continue;
    }
    if (r >= 'A' && r <= 'Z') return null;
    out += r;
  }
  return bang ? null : out;
}

/** module.EscapePath: the case-encoded form used in proxy URLs and cache directories. */
export function escapePath(path: string): string {
  checkModulePath(path);
  return escapeString(path);
}

function versionStringProblem(v: string): string | null {
  // Versions become file names in the cache; EscapeVersion also refuses "!" and non-ASCII.
  if (elemProblem(v, 'file') !== null || v.includes('!') || !/^[\x00-\x7f]*$/.test(v)) {
    return 'disallowed version string';
  }
  return null;
}

/** module.EscapeVersion: case-encodes a version for a proxy URL ("v1.0.0-RC1" -> "v1.0.0-!r!c1"). */
export function escapeVersion(v: string): string {
  const problem = versionStringProblem(v);
  if (problem) throw new ModulePathError(`version ${goQuote(v)} invalid: ${problem}`, v, problem);
  return escapeString(v);
}

/** module.UnescapePath: decodes a case-encoded module path and checks it is a valid module path. */
export function unescapePath(escaped: string): string {
  const path = unescapeString(escaped);
  if (path === null) {
    throw new ModulePathError(
      `invalid escaped module path ${goQuote(escaped)}: upper-case letters must be written as "!" + lower-case, and "!" must be followed by a-z`,
      escaped,
      'bad escape',
    );
  }
  const problem = modulePathProblem(path);
  if (problem) {
    throw new ModulePathError(
      `invalid escaped module path ${goQuote(escaped)}: malformed module path ${goQuote(path)}: ${problem}`,
      escaped,
      problem,
    );
  }
  return path;
}

/** module.UnescapeVersion: decodes a case-encoded version (it need not be valid semver). */
export function unescapeVersion(escaped: string): string {
  const v = unescapeString(escaped);
  if (v === null) {
    throw new ModulePathError(
      `invalid escaped version ${goQuote(escaped)}: upper-case letters must be written as "!" + lower-case, and "!" must be followed by a-z`,
      escaped,
      'bad escape',
    );
  }
  const problem = elemProblem(v, 'file');
  if (problem) {
    throw new ModulePathError(`invalid escaped version ${goQuote(v)}: ${problem}`, escaped, problem);
  }
  return v;
}
