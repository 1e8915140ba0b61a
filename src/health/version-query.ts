// The go command's version queries that `go list -m -u -retracted` runs (modload/query.go):
// "latest" ignoring retractions (whose go.mod says what is retracted and deprecated) and
// "upgrade" from the used version with retracted and excluded versions disallowed (the
// update). Ported rule by rule, because a health report that disagrees with the go command
// about what is retracted or newer is worse than none.
import {
  compareVersions,
  isPrerelease,
  isPseudoVersion,
  isValidVersion,
  sortVersions,
} from '../gomod/version.ts';

export type QuerySource = {
  /** The proxy's @v/list: canonical tags (pseudo-versions dropped, as the go command drops them). */
  list(): Promise<string[]>;
  /** The proxy's @latest version, null when it has none (404/410). */
  latest(): Promise<string | null>;
  /** True when the version has a real go.mod (not the synthesized `module <path>` line). */
  hasGoMod(version: string): Promise<boolean>;
};

export type Query = { kind: 'latest' } | { kind: 'upgrade'; current: string };

/** The versions the go command reads from a proxy's list: valid, not pseudo, in semver order. */
export function listedVersions(listText: string): string[] {
  const versions: string[] = [];
  for (const line of listText.split('\n')) {
    const v = line.trim().split(/\s+/)[0] ?? '';
    if (v !== '' && isValidVersion(v) && !isPseudoVersion(v)) versions.push(v);
  }
  return sortVersions([...new Set(versions)]);
}

/**
 * modload.Query for "latest" and "upgrade" (not the prefix/comparison forms). `allowed` says
 * whether a version is permitted (CheckAllowed: not excluded, not retracted). Returns the
 * chosen version, or null where the go command finds no matching version (or, for upgrade,
 * the current one is disallowed and nothing newer is allowed).
 */
export async function queryVersion(
  source: QuerySource,
  query: Query,
  allowed: (version: string) => boolean,
): Promise<string | null> {
  const current = query.kind === 'upgrade' ? query.current : '';
  const mayUseLatest = query.kind === 'latest' || isPseudoVersion(current);
  const filter = (v: string) => query.kind === 'latest' || compareVersions(v, current) >= 0;
  const preferIncompatible = current.endsWith('+incompatible');

  const versions = await source.list();
  const releases: string[] = [];
  const prereleases: string[] = [];
  let needIncompatible = preferIncompatible;
  let lastCompatible = '';
  for (const v of versions) {
    if (!filter(v)) continue;
    if (!needIncompatible) {
      // A go.mod in the newest compatible version means the author supports modules there:
      // +incompatible versions are then ignored unless asked for (queryMatcher.filterVersions).
      if (!v.endsWith('+incompatible')) lastCompatible = v;
      else if (lastCompatible !== '') {
        if (await source.hasGoMod(lastCompatible)) break;
        needIncompatible = true;
      }
    }
    (isPrerelease(v) ? prereleases : releases).push(v);
  }
  for (const pool of [releases, prereleases]) {
    for (let i = pool.length - 1; i >= 0; i--) {
      const v = pool[i] as string;
      if (allowed(v)) return v;
    }
  }
  if (mayUseLatest) {
    const latest = await source.latest();
    if (latest !== null && filter(latest)) return latest;
  }
  if (query.kind === 'upgrade') return allowed(current) ? current : null;
  return null;
}
