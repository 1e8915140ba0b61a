// Renders a CheckReport for people (text), programs (json), GitHub (workflow-command
// annotations) and GitLab (a Code Quality report).
import { renderCodeQualityReport } from '../gitlab/code-quality.ts';
import type { CheckFinding, CheckReport } from './workspace-check.ts';

export const checkFormats = ['text', 'json', 'github', 'codequality'] as const;
export type CheckFormat = (typeof checkFormats)[number];

function where(f: CheckFinding): string {
  if (!f.file) return 'environment';
  return f.line ? `${f.file}:${f.line}` : f.file;
}

function summary(report: CheckReport): string {
  const policy = report.policySource ? `policy ${report.policySource}` : 'no policy';
  return `goproxy-action check: ${report.checked} module references in ${report.files.length} files, ${policy}: ${report.errors} error${report.errors === 1 ? '' : 's'}, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}`;
}

export function formatText(report: CheckReport): string {
  const lines = report.findings.map(
    (f) =>
      `${where(f)}: ${f.severity}: ${f.message}${f.check !== 'policy' ? ` [${f.check}]` : ''}${f.fix ? `\n    fix: ${f.fix}` : ''}`,
  );
  lines.push(summary(report));
  return `${lines.join('\n')}\n`;
}

export function formatJson(report: CheckReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

// Workflow commands: data escapes %, CR, LF; property values also ':' and ','.
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(report: CheckReport): string {
  const lines = report.findings.map((f) => {
    const props = [`title=${escapeProperty(`goproxy-action ${f.check}`)}`];
    if (f.file) props.unshift(`file=${escapeProperty(f.file)}`);
    if (f.file && f.line) props.splice(1, 0, `line=${f.line}`);
    const text = `${f.message}${f.fix ? `\nfix: ${f.fix}` : ''}`;
    return `::${f.severity === 'error' ? 'error' : 'warning'} ${props.join(',')}::${escapeData(text)}`;
  });
  lines.push(summary(report));
  return `${lines.join('\n')}\n`;
}

/** GitLab Code Quality: every entry needs a path, so environment findings point at the policy file (or go.mod). */
export function formatCodeQuality(report: CheckReport): string {
  return renderCodeQualityReport(
    report.findings.map((f) => ({
      checkName: `goproxy-action/${f.check}`,
      description: `${f.message}${f.fix ? ` Fix: ${f.fix}` : ''}`,
      severity: f.severity === 'error' ? 'major' : 'minor',
      path: f.file ?? report.policySource ?? 'go.mod',
      ...(f.line ? { line: f.line } : {}),
    })),
  );
}

export function formatCheckReport(report: CheckReport, format: CheckFormat): string {
  switch (format) {
    case 'text':
      return formatText(report);
    case 'json':
      return formatJson(report);
    case 'github':
      return formatGithub(report);
    case 'codequality':
      return formatCodeQuality(report);
  }
}
