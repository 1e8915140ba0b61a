// The loaded, validated policy: what the proxy, `check` and `env` decide with. Built only by
// policy-file.ts (from YAML) or policyFrom (tests, programmatic use), both validated.
import type { VersionConstraint } from './version-constraint.ts';

export type RuleAction = 'deny' | 'warn' | 'allow';
export type LintSeverity = 'error' | 'warn' | 'off';

export type DenyRule = {
  /** A Go prefix pattern, matched regardless of case. */
  module: string;
  /** null: every version is denied, for every kind of request. */
  versions: VersionConstraint | null;
  reason: string | null;
  /** 1-based line of the entry in the policy file (0 when not from a file). */
  line: number;
};

export type Policy = {
  /** How messages name the policy file, e.g. `.goproxy.yml`. */
  source: string;
  private: string[];
  /** null: no allow list, every module not denied may be fetched. */
  allow: string[] | null;
  deny: DenyRule[];
  rules: {
    retracted: RuleAction;
    pseudoVersions: RuleAction;
    /** Minimum age in milliseconds, null when not set. */
    minAgeMs: number | null;
    /** min-age as written, for messages. */
    minAge: string | null;
  };
  /** Severity overrides of environment findings, by finding id. */
  lint: Record<string, LintSeverity>;
  /** GOPROXY-syntax list of private proxies serving the private modules, null: fetch them direct. */
  privateUpstream: string | null;
};

/** Defaults chosen so that a policy with only `private:` or `allow:` changes nothing else. */
export const defaultRules: Policy['rules'] = {
  retracted: 'warn',
  pseudoVersions: 'allow',
  minAgeMs: null,
  minAge: null,
};
