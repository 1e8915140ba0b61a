// The machine-read reports: JUnit XML (one test case per module: GitLab's test widget), GitLab
// code quality JSON and GitHub workflow annotations, both at the go.mod line requiring the
// module (the first go.mod of the workspace when none names it).
import { type CodeQualitySeverity, codeQualityIssue } from '../gitlab/code-quality.ts';
import { type Finding, moduleFindings } from './findings.ts';
import type { HealthSnapshot, ModuleHealth } from './snapshot.ts';

function xml(text: string): string {
  // XML 1.0 cannot carry most control characters at all; drop them.
  return text
    .replace(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function where(s: HealthSnapshot, m: ModuleHealth): { file: string; line: number } {
  return m.location ?? { file: s.workspace.goModFiles[0] ?? 'go.mod', line: 1 };
}

/** Findings that fail a module's test case: errors only (warnings and notices go to system-out). */
export function renderJUnit(s: HealthSnapshot): string {
  const cases = s.modules.map((m) => {
    const findings = moduleFindings(m);
    const errors = findings.filter((f) => f.severity === 'error');
    const others = findings.filter((f) => f.severity !== 'error');
    const ms = m.resolvable.info.ms + m.resolvable.mod.ms + m.resolvable.zip.ms;
    const loc = where(s, m);
    const body: string[] = [];
    if (errors.length > 0) {
      body.push(
        `      <failure message="${xml(errors.map((f) => f.kind).join(', '))}" type="${xml(errors[0]!.kind)}">${xml(errors.map((f) => f.message).join('\n'))}</failure>`,
      );
    }
    if (others.length > 0)
      body.push(`      <system-out>${xml(others.map((f) => f.message).join('\n'))}</system-out>`);
    const open = `    <testcase classname="go-modules" name="${xml(`${m.path}@${m.version}`)}" file="${xml(loc.file)}" line="${loc.line}" time="${(ms / 1000).toFixed(3)}"`;
    return body.length === 0 ? `${open}/>` : `${open}>\n${body.join('\n')}\n    </testcase>`;
  });
  const failures = s.modules.filter((m) => moduleFindings(m).some((f) => f.severity === 'error')).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="goproxy-action health" tests="${s.modules.length}" failures="${failures}" errors="0">`,
    `  <testsuite name="go module health" tests="${s.modules.length}" failures="${failures}" errors="0" skipped="0" timestamp="${xml(s.generatedAt)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

const qualitySeverity: Record<Finding['kind'], CodeQualitySeverity> = {
  unresolvable: 'critical',
  checksum: 'blocker',
  'missing-sum': 'minor',
  retracted: 'major',
  deprecated: 'minor',
  denied: 'critical',
  warned: 'minor',
  vuln: 'critical',
  outdated: 'info',
};

export function renderCodeQuality(s: HealthSnapshot): string {
  const issues = s.modules.flatMap((m) =>
    moduleFindings(m).map((f) => {
      const loc = where(s, m);
      return codeQualityIssue({
        checkName: `goproxy-health/${f.kind}`,
        description: f.message,
        severity: qualitySeverity[f.kind],
        path: loc.file,
        line: loc.line,
      });
    }),
  );
  return `${JSON.stringify(issues, null, 2)}\n`;
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub workflow commands (`::error file=go.mod,line=7,title=...::message`), one per finding. */
export function renderAnnotations(s: HealthSnapshot): string {
  const lines = s.modules.flatMap((m) =>
    moduleFindings(m).map((f) => {
      const loc = where(s, m);
      const level = f.severity === 'notice' ? 'notice' : f.severity;
      return `::${level} file=${escapeProperty(loc.file)},line=${loc.line},title=${escapeProperty(`module ${f.kind}`)}::${escapeData(f.message)}`;
    }),
  );
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
