// `fail-on`: which findings fail the job. A comma-separated list of retracted, denied,
// checksum, vuln, new-vuln, deprecated, unresolvable, missing-sum; vuln and new-vuln may carry a
// minimum severity (`vuln:high`) that filters only entries that carry a severity at all (most
// Go vulnerability entries carry none, and those always count).

import type { HealthSnapshot, Vulnerability } from './snapshot.ts';
import type { SnapshotDiff } from './snapshot-diff.ts';

const conditions = [
  'retracted',
  'denied',
  'checksum',
  'vuln',
  'new-vuln',
  'deprecated',
  'unresolvable',
  'missing-sum',
] as const;
type Condition = (typeof conditions)[number];
const severityRank: Record<string, number> = { LOW: 0, MODERATE: 1, MEDIUM: 1, HIGH: 2, CRITICAL: 3 };
const rank = (s: string) => severityRank[s.toUpperCase()] ?? -1;

export type FailOn = { condition: Condition; minSeverity: string | null }[];

export function parseFailOn(text: string): FailOn {
  const out: FailOn = [];
  for (const raw of text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, severity] = raw.split(':') as [string, string | undefined];
    if (!(conditions as readonly string[]).includes(name)) {
      throw new Error(`fail-on: unknown condition '${name}'; use any of ${conditions.join(', ')}`);
    }
    if (severity !== undefined && !(name === 'vuln' || name === 'new-vuln')) {
      throw new Error(`fail-on: '${raw}': only vuln and new-vuln take a severity (vuln:high)`);
    }
    if (severity !== undefined && rank(severity) < 0) {
      throw new Error(`fail-on: '${raw}': severity must be one of low, moderate, high, critical`);
    }
    out.push({ condition: name as Condition, minSeverity: severity?.toUpperCase() ?? null });
  }
  return out;
}

function counts(v: Vulnerability, min: string | null): boolean {
  if (min === null || v.severity === null) return true;
  const r = rank(v.severity);
  return r < 0 || r >= rank(min);
}

/** One line per reason the job fails; empty when it passes. */
export function failures(s: HealthSnapshot, failOn: FailOn, diff: SnapshotDiff | null): string[] {
  const out: string[] = [];
  for (const { condition, minSeverity } of failOn) {
    for (const m of s.modules) {
      const id = `${m.path}@${m.version}`;
      if (condition === 'retracted' && m.retracted) out.push(`${id} is retracted`);
      if (condition === 'denied' && m.policy.action === 'deny') out.push(`${id} is denied by policy`);
      if (condition === 'checksum' && (m.verified.zip === 'mismatch' || m.verified.mod === 'mismatch'))
        out.push(`${id} does not match go.sum`);
      if (condition === 'deprecated' && m.deprecated) out.push(`${id} is deprecated`);
      if (condition === 'unresolvable' && !m.resolvable.ok)
        out.push(`${id} is not resolvable through the proxy`);
      if (condition === 'missing-sum' && m.verified.missingLines.length > 0)
        out.push(`${id} lacks go.sum lines`);
      if (condition === 'vuln') {
        for (const v of m.vulnerabilities ?? [])
          if (counts(v, minSeverity)) out.push(`${id} is affected by ${v.id}`);
      }
      if (condition === 'new-vuln') {
        const fresh = new Set(
          (diff?.newlyVulnerable ?? [])
            .filter((n) => n.module === m.path && n.version === m.version)
            .map((n) => n.id),
        );
        // Without a baseline every vulnerability is new.
        for (const v of m.vulnerabilities ?? []) {
          if ((diff === null || fresh.has(v.id)) && counts(v, minSeverity))
            out.push(`${id} is newly affected by ${v.id}`);
        }
      }
    }
  }
  return [...new Set(out)];
}
