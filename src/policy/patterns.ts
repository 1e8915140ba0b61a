// GOPRIVATE-style prefix patterns, matched exactly as the go command matches them
// (golang.org/x/mod/module.MatchPrefixPatterns), plus the case-folding variant the policy uses
// to fail closed on hosts that treat paths case-insensitively.
import { isBadGlob, pathMatch } from './path-match.ts';

/**
 * module.MatchPrefixPatterns: `patterns` is a comma-separated list of globs; empty entries are
 * skipped, one trailing `/` is trimmed, and a glob with N slashes is matched with path.Match
 * against the first N+1 elements of `path`. A glob Go calls malformed matches nothing.
 */
export function matchPrefixPatterns(patterns: string, path: string): boolean {
  for (const raw of patterns.split(',')) {
    const glob = raw.endsWith('/') ? raw.slice(0, -1) : raw;
    if (glob === '') continue;
    let slashes = 0;
    for (let i = 0; i < glob.length; i++) if (glob[i] === '/') slashes++;
    let prefix = path;
    for (let i = 0; i < path.length; i++) {
      if (path[i] === '/') {
        if (slashes === 0) {
          prefix = path.slice(0, i);
          break;
        }
        slashes--;
      }
    }
    // Fewer path elements than the glob has: it cannot match.
    if (slashes > 0) continue;
    if (pathMatch(glob, prefix).matched) return true;
  }
  return false;
}

export type MatchOptions = {
  /**
   * Also match when pattern and path agree ignoring case. Used for `private` and `deny`: hosts
   * such as github.com serve `Evil-Org` and `evil-org` alike, so a case variant must not escape.
   */
  foldCase: boolean;
};

/** True when any pattern of the list matches `path` (each entry is one Go prefix pattern). */
export function matchPatternList(patterns: readonly string[], path: string, options: MatchOptions): boolean {
  return firstMatchingPattern(patterns, path, options) !== null;
}

/** The first pattern of the list that matches `path`, for messages that name the rule. */
export function firstMatchingPattern(
  patterns: readonly string[],
  path: string,
  options: MatchOptions,
): string | null {
  const folded = options.foldCase ? path.toLowerCase() : path;
  for (const pattern of patterns) {
    if (matchPrefixPatterns(pattern, path)) return pattern;
    if (options.foldCase && matchPrefixPatterns(pattern.toLowerCase(), folded)) return pattern;
  }
  return null;
}

/** Splits a GOPRIVATE-style value into the globs Go would use (empty entries dropped, trailing `/` trimmed). */
export function parsePatternList(csv: string): string[] {
  const out: string[] = [];
  for (const raw of csv.split(',')) {
    const glob = raw.endsWith('/') ? raw.slice(0, -1) : raw;
    if (glob !== '') out.push(glob);
  }
  return out;
}

/** Why a single pattern is unusable, or null when it is fine. Messages say what to write instead. */
export function validatePattern(pattern: string): string | null {
  if (pattern.trim() === '')
    return 'the pattern is empty; write a module path prefix such as github.com/acme-corp';
  if (/\s/.test(pattern)) {
    return `pattern '${pattern}' contains white space, which Go does not trim, so it would match nothing; write '${pattern.replace(/\s+/g, '')}'`;
  }
  if (pattern.includes(',')) {
    return `pattern '${pattern}' contains ',', which separates patterns; write each pattern as its own list item`;
  }
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.exec(pattern);
  if (scheme) {
    return `pattern '${pattern}' has a URL scheme; patterns match module paths, write '${pattern.slice(scheme[0].length)}'`;
  }
  if (pattern.startsWith('/')) {
    return `pattern '${pattern}' starts with '/'; module paths do not, write '${pattern.replace(/^\/+/, '')}'`;
  }
  if (/\/\//.test(pattern)) {
    return `pattern '${pattern}' contains '//', an empty path element no module path has; write '${pattern.replace(/\/{2,}/g, '/')}'`;
  }
  if (pattern.includes('@')) {
    return `pattern '${pattern}' contains '@'; patterns match module paths without versions (use 'versions:' in a deny entry for versions)`;
  }
  if (/![a-z]/.test(pattern)) {
    return `pattern '${pattern}' looks case-encoded; patterns match decoded module paths, write '${pattern.replace(/!([a-z])/g, (_m, c: string) => c.toUpperCase())}'`;
  }
  if (isBadGlob(pattern)) {
    return `pattern '${pattern}' is not a valid glob (Go's path.Match syntax: '*', '?', '[a-z]', '[^a-z]', '\\' escapes); Go would silently ignore it`;
  }
  return null;
}
