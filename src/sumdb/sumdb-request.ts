// What a client may ask a checksum database through our /sumdb/<name>/ pass-through, by grammar
// only: `supported`, `latest`, `lookup/<escaped module>@<escaped canonical version>` and tile
// paths. Anything else is refused. The upstream path is rebuilt from the parsed parts
// (sumdbRequestPath), never copied from the client's text, so no encoding trick can reach
// another path on the upstream host.

import {
  checkModuleVersion,
  escapePath,
  escapeVersion,
  ModulePathError,
  unescapePath,
  unescapeVersion,
} from '../gomod/module-path.ts';
import { isCanonicalVersion } from '../gomod/version.ts';
import { parseTilePath, type Tile, tilePath } from './tile.ts';

export type SumdbRequest =
  | { kind: 'supported' }
  | { kind: 'latest' }
  | { kind: 'lookup'; module: string; version: string }
  | { kind: 'tile'; tile: Tile };

/** A request outside the grammar; `message` says what is wrong. */
export class SumdbRequestError extends Error {
  override name = 'SumdbRequestError';
}

/** The most bytes one path element may have: what file systems store (the store mirrors the path). */
export const maxPathElementBytes = 255;

/** True when some `/`-separated element of `path` is longer than a file name can be. */
export function hasOverlongElement(path: string): boolean {
  return path.split('/').some((element) => Buffer.byteLength(element) > maxPathElementBytes);
}

// A database name as GOSUMDB gives it (the go command dials https://<name>): host[:port][/path].
const databaseNamePattern =
  /^(?=.{1,253}(?:[:/]|$))[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~-]+)*$/i;

export function isDatabaseName(name: string): boolean {
  return (
    databaseNamePattern.test(name) &&
    !name.split('/').some((element) => element === '.' || element === '..') &&
    !hasOverlongElement(name)
  );
}

/**
 * Parses a (percent-decoded) path relative to the database root. Throws SumdbRequestError for
 * anything that is not exactly one of the database's endpoints.
 */
export function parseSumdbRequest(subpath: string): SumdbRequest {
  if (subpath === 'supported') return { kind: 'supported' };
  if (subpath === 'latest') return { kind: 'latest' };
  if (subpath.startsWith('lookup/')) return parseLookup(subpath.slice('lookup/'.length));
  if (subpath.startsWith('tile/')) {
    const tile = parseTilePath(subpath);
    if (tile === null) {
      throw new SumdbRequestError(
        `"${subpath}" is not a tile path: want tile/<H>/<L>/<K>[.p/<W>] or tile/<H>/data/<K>[.p/<W>], K in 3-digit groups (x001/234)`,
      );
    }
    return { kind: 'tile', tile };
  }
  throw new SumdbRequestError(
    `"${subpath}" is not a checksum database request: want supported, latest, lookup/<module>@<version> or tile/...`,
  );
}

function parseLookup(target: string): SumdbRequest {
  const at = target.lastIndexOf('@');
  if (at <= 0) throw new SumdbRequestError(`lookup "${target}" is not <escaped module>@<escaped version>`);
  const escapedModule = target.slice(0, at);
  const escapedVersion = target.slice(at + 1);
  if (hasOverlongElement(target)) {
    throw new SumdbRequestError(`lookup "${target}" has a path element over ${maxPathElementBytes} bytes`);
  }
  let module: string;
  let version: string;
  try {
    module = unescapePath(escapedModule);
    version = unescapeVersion(escapedVersion);
    // module.Check: Go's module path rules, and a version that fits the path's major suffix.
    checkModuleVersion(module, version);
  } catch (error) {
    const why = error instanceof ModulePathError || error instanceof Error ? error.message : String(error);
    throw new SumdbRequestError(`invalid lookup "${target}": ${why}`);
  }
  // The go command looks up canonical versions only, with any /go.mod suffix stripped.
  if (!isCanonicalVersion(version)) {
    throw new SumdbRequestError(`invalid lookup "${target}": ${version} is not a canonical version`);
  }
  // Only one spelling names a module version: the one the go command sends.
  if (escapePath(module) !== escapedModule || escapeVersion(version) !== escapedVersion) {
    throw new SumdbRequestError(`invalid lookup "${target}": not the canonical escaping`);
  }
  return { kind: 'lookup', module, version };
}

/** The path relative to the database root, rebuilt from the parsed parts. */
export function sumdbRequestPath(request: SumdbRequest): string {
  switch (request.kind) {
    case 'supported':
    case 'latest':
      return request.kind;
    case 'lookup':
      return `lookup/${escapePath(request.module)}@${escapeVersion(request.version)}`;
    case 'tile':
      return tilePath(request.tile);
  }
}
