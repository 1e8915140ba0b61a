// Version constraints of deny rules: `>= v1.2.0, < v1.4.2 || v2.0.0`. `||` separates
// alternatives, `,` joins comparisons that must all hold, a bare version means `=`.
// Comparison is Go's semver order (compareVersions), so build metadata such as
// `+incompatible` is ignored: a deny of v2.0.0 also covers v2.0.0+incompatible.
import { compareVersions, isValidVersion } from '../gomod/version.ts';

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type VersionComparison = { op: ComparisonOperator; version: string };
export type VersionConstraint = {
  /** The constraint as written, for messages. */
  text: string;
  /** Any alternative holding is enough; every comparison of an alternative must hold. */
  alternatives: VersionComparison[][];
};

export class VersionConstraintError extends Error {
  override name = 'VersionConstraintError';
}

const comparisonPattern = /^(>=|<=|!=|==|=|>|<)?\s*(\S+)$/;
const example = "write it like '>= v1.2.0, < v1.4.2 || v2.0.0'";

export function parseVersionConstraint(text: string): VersionConstraint {
  if (text.trim() === '') throw new VersionConstraintError(`the version constraint is empty; ${example}`);
  const alternatives: VersionComparison[][] = [];
  for (const alternative of text.split('||')) {
    if (alternative.trim() === '') {
      throw new VersionConstraintError(`'${text}' has an empty alternative around '||'; ${example}`);
    }
    const comparisons: VersionComparison[] = [];
    for (const part of alternative.split(',')) {
      const trimmed = part.trim();
      if (trimmed === '')
        throw new VersionConstraintError(`'${text}' has an empty comparison around ','; ${example}`);
      const m = comparisonPattern.exec(trimmed);
      if (!m) {
        throw new VersionConstraintError(
          `'${trimmed}' in '${text}' is not an operator (>=, >, <=, <, =, !=) followed by one version; ${example}`,
        );
      }
      const version = m[2]!;
      if (!isValidVersion(version)) {
        const hint = /^[0-9]/.test(version) && isValidVersion(`v${version}`) ? ` (write 'v${version}')` : '';
        throw new VersionConstraintError(
          `'${version}' in '${text}' is not a Go module version${hint}; versions look like v1.2.3, v1.2.3-pre or v2.0.0+incompatible`,
        );
      }
      const op = (m[1] === '==' ? '=' : (m[1] ?? '=')) as ComparisonOperator;
      comparisons.push({ op, version });
    }
    alternatives.push(comparisons);
  }
  return { text, alternatives };
}

function holds(c: VersionComparison, version: string): boolean {
  const cmp = compareVersions(version, c.version);
  switch (c.op) {
    case '=':
      return cmp === 0;
    case '!=':
      return cmp !== 0;
    case '<':
      return cmp < 0;
    case '<=':
      return cmp <= 0;
    case '>':
      return cmp > 0;
    case '>=':
      return cmp >= 0;
  }
}

/** True when `version` satisfies the constraint; an invalid version satisfies nothing. */
export function versionSatisfies(constraint: VersionConstraint, version: string): boolean {
  if (!isValidVersion(version)) return false;
  return constraint.alternatives.some((all) => all.every((c) => holds(c, version)));
}
