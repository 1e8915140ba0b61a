import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  compareVersions,
  isValidVersion
} from "./chunk-TPCHYJEY.js";

// src/policy/version-constraint.ts
var VersionConstraintError = class extends Error {
  name = "VersionConstraintError";
};
var comparisonPattern = /^(>=|<=|!=|==|=|>|<)?\s*(\S+)$/;
var example = "write it like '>= v1.2.0, < v1.4.2 || v2.0.0'";
function parseVersionConstraint(text) {
  if (text.trim() === "") throw new VersionConstraintError(`the version constraint is empty; ${example}`);
  const alternatives = [];
  for (const alternative of text.split("||")) {
    if (alternative.trim() === "") {
      throw new VersionConstraintError(`'${text}' has an empty alternative around '||'; ${example}`);
    }
    const comparisons = [];
    for (const part of alternative.split(",")) {
      const trimmed = part.trim();
      if (trimmed === "")
        throw new VersionConstraintError(`'${text}' has an empty comparison around ','; ${example}`);
      const m = comparisonPattern.exec(trimmed);
      if (!m) {
        throw new VersionConstraintError(
          `'${trimmed}' in '${text}' is not an operator (>=, >, <=, <, =, !=) followed by one version; ${example}`
        );
      }
      const version = m[2];
      if (!isValidVersion(version)) {
        const hint = /^[0-9]/.test(version) && isValidVersion(`v${version}`) ? ` (write 'v${version}')` : "";
        throw new VersionConstraintError(
          `'${version}' in '${text}' is not a Go module version${hint}; versions look like v1.2.3, v1.2.3-pre or v2.0.0+incompatible`
        );
      }
      const op = m[1] === "==" ? "=" : m[1] ?? "=";
      comparisons.push({ op, version });
    }
    alternatives.push(comparisons);
  }
  return { text, alternatives };
}
function holds(c, version) {
  const cmp = compareVersions(version, c.version);
  switch (c.op) {
    case "=":
      return cmp === 0;
    case "!=":
      return cmp !== 0;
    case "<":
      return cmp < 0;
    case "<=":
      return cmp <= 0;
    case ">":
      return cmp > 0;
    case ">=":
      return cmp >= 0;
  }
}
function versionSatisfies(constraint, version) {
  if (!isValidVersion(version)) return false;
  return constraint.alternatives.some((all) => all.every((c) => holds(c, version)));
}

export {
  VersionConstraintError,
  parseVersionConstraint,
  versionSatisfies
};
