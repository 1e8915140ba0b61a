// The @v/list file: canonical versions, no pseudo-versions, in Go's semver order, one a line,
// as proxies serve it (the go command ignores lines it cannot parse, so be strict on writing).
import { isCanonicalVersion, isPseudoVersion, sortVersions } from '../gomod/version.ts';

/** True when `version` belongs in a list: canonical and not a pseudo-version. */
export function isListableVersion(version: string): boolean {
  return isCanonicalVersion(version) && !isPseudoVersion(version);
}

/** The listable versions of a list file's text (first field of each line; a time may follow). */
export function parseVersionList(text: string): string[] {
  const versions: string[] = [];
  for (const line of text.split('\n')) {
    const version = line.trim().split(/\s+/)[0] ?? '';
    if (isListableVersion(version)) versions.push(version);
  }
  return versions;
}

/** Sorted, de-duplicated list text; empty string for no versions. */
export function formatVersionList(versions: Iterable<string>): string {
  const sorted = sortVersions([...new Set(versions)].filter(isListableVersion));
  return sorted.map((v) => `${v}\n`).join('');
}
