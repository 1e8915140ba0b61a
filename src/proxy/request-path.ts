// Turns a request path into a validated request, or a 4xx with a message that says what is
// wrong. Validation is strict on purpose: the decoded module path and version are used to
// build store paths, so anything odd (`..`, percent-encoding, NUL, bad `!` escapes,
// non-canonical versions where Go sends only canonical ones) is refused here, first.
import {
  checkModulePath,
  checkPathMajor,
  ModulePathError,
  splitPathVersion,
  unescapePath,
  unescapeVersion,
} from '../gomod/module-path.ts';
import type { ModuleRequestKind } from '../gomod/request-kind.ts';
import { isCanonicalVersion } from '../gomod/version.ts';
import {
  hasOverlongElement,
  isDatabaseName,
  maxPathElementBytes,
  parseSumdbRequest,
  SumdbRequestError,
  sumdbRequestPath,
} from '../sumdb/sumdb-request.ts';

export type ParsedRequest =
  | { type: 'module'; kind: ModuleRequestKind; module: string; version: string | null; escaped: string }
  | { type: 'sumdb'; name: string; subpath: string }
  | { type: 'admin'; action: string }
  | { type: 'root' };

export class BadRequestError extends Error {
  override name = 'BadRequestError';
  readonly status: number;
  constructor(message: string, status = 400) {
    super(message);
    this.status = status;
  }
}

const maxPathLength = 2048;
/** The first element of a checksum database request; what precedes it is the database name. */
const sumdbEndpoints = new Set(['supported', 'latest', 'lookup', 'tile']);

export function parseRequestPath(rawUrl: string): ParsedRequest {
  const rawPath = rawUrl.split('?')[0] ?? '';
  if (rawPath.length > maxPathLength)
    throw new BadRequestError(`request path is longer than ${maxPathLength} bytes`, 414);
  if (!rawPath.startsWith('/')) throw new BadRequestError('request path must start with /');
  if (rawPath === '/' || rawPath === '') return { type: 'root' };
  // The go command percent-encodes `!` (as %21); decode each element on its own so that an
  // encoded slash can never join or split path elements.
  const segments = rawPath
    .slice(1)
    .split('/')
    .map((raw) => {
      let segment: string;
      try {
        segment = decodeURIComponent(raw);
      } catch {
        throw new BadRequestError(`"${raw}" is not valid percent-encoding`);
      }
      if (segment.includes('/'))
        throw new BadRequestError('encoded slashes are not valid in a module proxy path');
      return segment;
    });
  const path = `/${segments.join('/')}`;
  if (/[\u0000-\u001f\u007f\\]/.test(path))
    throw new BadRequestError('control characters and backslashes are not valid here');
  if (segments.some((s) => s === '..' || s === '.'))
    throw new BadRequestError('"." and ".." are not valid path elements');
  if (segments[0] === '_admin') return { type: 'admin', action: segments.slice(1).join('/') };
  if (segments[0] === 'sumdb') return parseSumdb(segments);
  return parseModule(path.slice(1));
}

// `/sumdb/<name>/<request>`: the name may be host[/path] (as GOSUMDB allows), so it ends where
// the first endpoint word starts. Both parts are checked by grammar; the subpath handed on is
// rebuilt from the parsed request, so it holds no byte the grammar did not produce.
function parseSumdb(segments: string[]): ParsedRequest {
  let end = 2;
  while (end < segments.length && !sumdbEndpoints.has(segments[end] as string)) end++;
  const name = segments.slice(1, end).join('/');
  if (!isDatabaseName(name)) throw new BadRequestError(`"${name}" is not a checksum database name`);
  try {
    const request = parseSumdbRequest(segments.slice(end).join('/'));
    return { type: 'sumdb', name, subpath: sumdbRequestPath(request) };
  } catch (err) {
    if (err instanceof SumdbRequestError)
      throw new BadRequestError(`checksum database ${name}: ${err.message}`);
    throw err;
  }
}

function parseModule(rest: string): ParsedRequest {
  let escaped: string;
  let kind: ModuleRequestKind;
  let escapedVersion: string | null = null;
  if (rest.endsWith('/@latest')) {
    escaped = rest.slice(0, -'/@latest'.length);
    kind = 'latest';
  } else {
    const at = rest.lastIndexOf('/@v/');
    if (at < 0)
      throw new BadRequestError('not a module proxy path: expected <module>/@v/... or <module>/@latest', 404);
    escaped = rest.slice(0, at);
    const file = rest.slice(at + '/@v/'.length);
    if (file === 'list') {
      kind = 'list';
    } else {
      const dot = file.lastIndexOf('.');
      const ext = dot < 0 ? '' : file.slice(dot + 1);
      if (ext !== 'info' && ext !== 'mod' && ext !== 'zip') {
        throw new BadRequestError(
          `"${file}" is not a module proxy file: expected list, <version>.info, .mod or .zip`,
          404,
        );
      }
      kind = ext;
      escapedVersion = file.slice(0, dot);
    }
  }
  // Each element becomes a file or directory name in the store (a version also as
  // `<version>.json`): longer than a file name can be is the client's fault, not a store error.
  if (
    hasOverlongElement(escaped) ||
    Buffer.byteLength(`${escapedVersion ?? ''}.json`) > maxPathElementBytes
  ) {
    throw new BadRequestError(
      `a path element is longer than ${maxPathElementBytes} bytes: no module proxy path is`,
    );
  }
  let module: string;
  try {
    module = unescapePath(escaped);
    checkModulePath(module);
  } catch (err) {
    throw new BadRequestError(`invalid module path "${escaped}": ${messageOf(err)}`);
  }
  let version: string | null = null;
  if (escapedVersion !== null) {
    try {
      version = unescapeVersion(escapedVersion);
    } catch (err) {
      throw new BadRequestError(`invalid version "${escapedVersion}": ${messageOf(err)}`);
    }
    if (version === '' || version.includes('/'))
      throw new BadRequestError(`invalid version "${escapedVersion}"`);
    // The go command asks for .mod and .zip only of canonical versions; .info may be a query.
    if (kind === 'mod' || kind === 'zip') {
      if (!isCanonicalVersion(version)) {
        throw new BadRequestError(
          `${module}@${version}: .${kind} is served only for canonical versions (vX.Y.Z)`,
          404,
        );
      }
      const split = splitPathVersion(module);
      try {
        checkPathMajor(version, split?.pathMajor ?? '');
      } catch (err) {
        throw new BadRequestError(`${module}@${version}: ${messageOf(err)}`, 404);
      }
    }
  }
  return { type: 'module', kind, module, version, escaped };
}

function messageOf(err: unknown): string {
  if (err instanceof ModulePathError) return err.message;
  return err instanceof Error ? err.message : String(err);
}
