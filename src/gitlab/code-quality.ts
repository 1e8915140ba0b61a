// GitLab's code quality report (artifacts:reports:codequality): a JSON array of issues in the
// subset of the Code Climate format GitLab reads. Used for the policy check's findings, so they
// show in merge requests next to the go.mod or go.sum line they are about.
import { createHash } from 'node:crypto';

/** The severities GitLab knows, mildest first. */
export const CODE_QUALITY_SEVERITIES = ['info', 'minor', 'major', 'critical', 'blocker'] as const;
export type CodeQualitySeverity = (typeof CODE_QUALITY_SEVERITIES)[number];

export type CodeQualityFinding = {
  /** A stable rule id, e.g. `goproxy/deny`. */
  checkName: string;
  description: string;
  severity: CodeQualitySeverity;
  /** Relative to the project directory (GitLab links it in the merge request). */
  path: string;
  /** 1-based; 1 when the finding is about the file as a whole or the environment. */
  line?: number;
};

export type CodeQualityIssue = {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: CodeQualitySeverity;
  location: { path: string; lines: { begin: number } };
};

/**
 * One issue. The fingerprint leaves the line number out so that a finding which only moved (a
 * line added above it) is not shown as fixed-and-new when GitLab compares two pipelines.
 */
export function codeQualityIssue(finding: CodeQualityFinding): CodeQualityIssue {
  if (!CODE_QUALITY_SEVERITIES.includes(finding.severity))
    throw new Error(
      `'${finding.severity}' is not a code quality severity (${CODE_QUALITY_SEVERITIES.join(', ')})`,
    );
  const path = finding.path.replace(/\\/g, '/').replace(/^\.\//, '');
  if (path === '' || path.startsWith('/'))
    throw new Error(
      `a code quality location must be relative to the project directory, not '${finding.path}'`,
    );
  const fingerprint = createHash('sha256')
    .update(`${finding.checkName}\0${path}\0${finding.description}`)
    .digest('hex');
  return {
    description: finding.description,
    check_name: finding.checkName,
    fingerprint,
    severity: finding.severity,
    location: { path, lines: { begin: Math.max(1, Math.trunc(finding.line ?? 1)) } },
  };
}

/** The report file's text; identical findings collapse into one issue (GitLab dedupes by fingerprint). */
export function renderCodeQualityReport(findings: CodeQualityFinding[]): string {
  const seen = new Set<string>();
  const issues: CodeQualityIssue[] = [];
  for (const finding of findings) {
    const issue = codeQualityIssue(finding);
    if (seen.has(issue.fingerprint)) continue;
    seen.add(issue.fingerprint);
    issues.push(issue);
  }
  return `${JSON.stringify(issues, null, 2)}\n`;
}
