// The names of the Go module cache's download layout (`$GOMODCACHE/cache/download`), which the
// store keeps exactly so that GOPROXY=file://<store> reads it and a module cache can seed it:
//   <escaped module>/@v/list
//   <escaped module>/@v/<escaped version>.info | .mod | .zip | .ziphash
//   sumdb/<name>/<subpath>                       checksum-database cache, same place as Go's
//   .goproxy-action/meta/<escaped module>/@v/<escaped version>.json   our own bookkeeping
// No valid escaped module path starts with "." or lacks a dot in its first element, so
// ".goproxy-action" and "sumdb" can never collide with a module.
import { isAbsolute, join, relative, sep } from 'node:path';

export type BlobExt = 'info' | 'mod' | 'zip' | 'ziphash';
export const blobExts: readonly BlobExt[] = ['info', 'mod', 'zip', 'ziphash'];

export const versionDirName = '@v';
export const listFileName = 'list';
export const bookkeepingDirName = '.goproxy-action';
export const sumdbDirName = 'sumdb';

export function isBlobExt(ext: string): ext is BlobExt {
  return (blobExts as readonly string[]).includes(ext);
}

/** Splits "<escaped version>.<ext>" ("v1.0.0.zip"); null for lists, locks, temp and partial files. */
export function parseBlobName(name: string): { escapedVersion: string; ext: BlobExt } | null {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || name.startsWith('.')) return null;
  const ext = name.slice(dot + 1);
  if (!isBlobExt(ext)) return null;
  return { escapedVersion: name.slice(0, dot), ext };
}

/**
 * Defence in depth below the callers' own validation: one path element that cannot climb out,
 * hide as a dot file, or smuggle a separator or a drive letter.
 */
export function checkSafeElement(element: string, what: string): void {
  if (
    element === '' ||
    element.startsWith('.') ||
    /[/\\:\0]/.test(element) ||
    element.length > 255 ||
    // Control characters never belong in a module path, version or sumdb path.
    [...element].some((c) => (c.codePointAt(0) as number) < 0x20)
  ) {
    throw new Error(`refusing unsafe ${what} ${JSON.stringify(element)}: not a store path element`);
  }
}

/** Joins `elements` under `root` and asserts the result is strictly inside `root`. */
export function joinInside(root: string, elements: readonly string[], what: string): string {
  const full = join(root, ...elements);
  const rel = relative(root, full);
  if (rel === '' || isAbsolute(rel) || rel.split(sep)[0] === '..') {
    throw new Error(`refusing ${what} ${JSON.stringify(elements.join('/'))}: it resolves outside the store`);
  }
  return full;
}
