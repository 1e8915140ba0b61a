// Pure policy decisions: no I/O, no clock (the caller passes `now`). Path rules are decided
// before any upstream contact; version constraints and metadata rules apply to `.zip`, what
// gets built (minimal version selection reads the go.mod of versions it does not select).
import { isValidModulePath } from '../gomod/module-path.ts';
import type { ModuleRequestKind as RequestKind } from '../gomod/request-kind.ts';
import { isPseudoVersion, isValidVersion } from '../gomod/version.ts';
import { firstMatchingPattern } from './patterns.ts';
import type { Policy, RuleAction } from './policy.ts';
import { versionSatisfies } from './version-constraint.ts';

export type { RequestKind };

export type Decision = {
  action: 'allow' | 'warn' | 'deny';
  /** The rule that decided, as a user finds it in the policy file: `deny github.com/evil-org`. */
  rule?: string;
  reason?: string;
  /** What the decision was about, so that a recorded decision explains itself later. */
  module?: string;
  version?: string;
  /** The policy file that decided. */
  source?: string;
  /** 1-based line of the rule in the policy file, when known. */
  line?: number;
  /** What the user can do about it. */
  fix?: string;
  /** ISO time after which the decision may change by itself (min-age). */
  recheckAfter?: string;
};

const allow: Decision = { action: 'allow' };

function about(
  policy: Policy,
  module: string,
  version: string | null,
): Pick<Decision, 'module' | 'version' | 'source'> {
  return version === null ? { module, source: policy.source } : { module, version, source: policy.source };
}

/** True when a private pattern covers the module (case-insensitively: fail closed). */
export function isPrivateModule(policy: Policy, module: string): boolean {
  return firstMatchingPattern(policy.private, module, { foldCase: true }) !== null;
}

/**
 * Path rules: unversioned denies (regardless of case), then private (regardless of case), then
 * the allow list (case-sensitive, as Go matches). An invalid module path is denied outright so
 * that `..`, empty elements, `%` escapes or stray slashes cannot slip past a prefix match.
 */
export function decidePath(policy: Policy, module: string): Decision {
  if (!isValidModulePath(module)) {
    return {
      action: 'deny',
      rule: 'module path check',
      reason: 'not a valid module path',
      fix: 'request the module by its canonical path',
      ...about(policy, module, null),
    };
  }
  for (const rule of policy.deny) {
    if (rule.versions !== null) continue;
    if (firstMatchingPattern([rule.module], module, { foldCase: true }) === null) continue;
    return {
      action: 'deny',
      rule: `deny ${rule.module}`,
      reason: rule.reason ?? `modules under ${rule.module} are denied`,
      fix: `use another module, or remove the entry from ${policy.source} if it is wrong`,
      ...(rule.line > 0 ? { line: rule.line } : {}),
      ...about(policy, module, null),
    };
  }
  const privatePattern = firstMatchingPattern(policy.private, module, { foldCase: true });
  if (privatePattern !== null) return { action: 'allow', rule: `private ${privatePattern}` };
  if (policy.allow !== null && firstMatchingPattern(policy.allow, module, { foldCase: false }) === null) {
    return {
      action: 'deny',
      rule: 'allow',
      reason: 'the module is not on the allow list',
      fix: `add a pattern covering it to 'allow:' in ${policy.source} (patterns match case-sensitively)`,
      ...about(policy, module, null),
    };
  }
  return allow;
}

/** Path rules for every kind; version-constrained denies only for `.zip`. */
export function decideVersion(
  policy: Policy,
  module: string,
  version: string | null,
  kind: RequestKind,
): Decision {
  const byPath = decidePath(policy, module);
  if (byPath.action === 'deny') return version === null ? byPath : { ...byPath, version };
  if (kind !== 'zip') return byPath;
  if (version === null || !isValidVersion(version)) {
    return {
      action: 'deny',
      rule: 'version check',
      reason: `'${version ?? ''}' is not a Go module version`,
      fix: 'request a canonical version such as v1.2.3',
      ...about(policy, module, version),
    };
  }
  for (const rule of policy.deny) {
    if (rule.versions === null) continue;
    if (firstMatchingPattern([rule.module], module, { foldCase: true }) === null) continue;
    if (!versionSatisfies(rule.versions, version)) continue;
    return {
      action: 'deny',
      rule: `deny ${rule.module} ${rule.versions.text}`,
      reason: rule.reason ?? `versions ${rule.versions.text} of ${rule.module} are denied`,
      fix: `require a version outside '${rule.versions.text}' (go get ${module}@<version>)`,
      ...(rule.line > 0 ? { line: rule.line } : {}),
      ...about(policy, module, version),
    };
  }
  return byPath;
}

export type VersionMetadata = {
  module: string;
  version: string;
  /** The `.info` Time: set by the module's author (commit or tag time), so it can be forged. */
  time: Date | null;
  /** null when the latest go.mod does not retract this version. */
  retracted: { rationale: string } | null;
  now: Date;
};

const severity: Record<Decision['action'], number> = { allow: 0, warn: 1, deny: 2 };

function formatAge(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours >= 48) return `${Math.floor(hours / 24)}d`;
  if (hours >= 1) return `${Math.floor(hours)}h`;
  return `${Math.max(0, Math.floor(ms / 60_000))}m`;
}

/**
 * Metadata rules, decided once when a `.zip` first enters the store: retracted, pseudo-versions,
 * min-age. The most severe outcome wins; warnings are combined. Private modules are the team's
 * own code, so the cool-down and the pseudo-version rule do not apply to them; retraction does.
 */
export function decideMetadata(policy: Policy, meta: VersionMetadata): Decision {
  const isPrivate = isPrivateModule(policy, meta.module);
  const outcomes: Decision[] = [];
  const add = (action: RuleAction, d: Omit<Decision, 'action'>): void => {
    if (action !== 'allow') outcomes.push({ action, ...d, ...about(policy, meta.module, meta.version) });
  };
  if (meta.retracted !== null) {
    const rationale = meta.retracted.rationale.trim() || 'retracted by module author';
    add(policy.rules.retracted, {
      rule: 'rules.retracted',
      reason: `retracted: ${rationale}`,
      fix: `use a version that is not retracted (go list -m -versions ${meta.module})`,
    });
  }
  if (!isPrivate && isPseudoVersion(meta.version)) {
    add(policy.rules.pseudoVersions, {
      rule: 'rules.pseudo-versions',
      reason: 'a pseudo-version (an untagged commit)',
      fix: 'require a tagged release of the module',
    });
  }
  const minAgeMs = policy.rules.minAgeMs;
  if (!isPrivate && minAgeMs !== null && minAgeMs > 0) {
    if (meta.time === null || Number.isNaN(meta.time.getTime())) {
      add('deny', {
        rule: `rules.min-age ${policy.rules.minAge}`,
        reason: 'the version has no publication time, so its age cannot be checked',
        fix: 'require a tagged version whose .info carries a Time',
      });
    } else {
      const age = meta.now.getTime() - meta.time.getTime();
      if (age < minAgeMs) {
        const availableAt = new Date(meta.time.getTime() + minAgeMs);
        add('deny', {
          rule: `rules.min-age ${policy.rules.minAge}`,
          reason: `published ${meta.time.toISOString()}, ${formatAge(age)} ago (author-set time)`,
          fix: `wait until ${availableAt.toISOString()} or require an older version`,
          recheckAfter: availableAt.toISOString(),
        });
      }
    }
  }
  if (outcomes.length === 0) return allow;
  const worst = outcomes.reduce((a, b) => (severity[b.action] > severity[a.action] ? b : a));
  if (worst.action === 'deny') return worst;
  // Only warnings: say all of them.
  return {
    ...worst,
    rule: outcomes.map((o) => o.rule).join(', '),
    reason: outcomes.map((o) => o.reason).join('; '),
  };
}
