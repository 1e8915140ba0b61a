import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);

// src/gitlab/code-quality.ts
import { createHash } from "node:crypto";
var CODE_QUALITY_SEVERITIES = ["info", "minor", "major", "critical", "blocker"];
function codeQualityIssue(finding) {
  if (!CODE_QUALITY_SEVERITIES.includes(finding.severity))
    throw new Error(
      `'${finding.severity}' is not a code quality severity (${CODE_QUALITY_SEVERITIES.join(", ")})`
    );
  const path = finding.path.replace(/\\/g, "/").replace(/^\.\//, "");
  if (path === "" || path.startsWith("/"))
    throw new Error(
      `a code quality location must be relative to the project directory, not '${finding.path}'`
    );
  const fingerprint = createHash("sha256").update(`${finding.checkName}\0${path}\0${finding.description}`).digest("hex");
  return {
    description: finding.description,
    check_name: finding.checkName,
    fingerprint,
    severity: finding.severity,
    location: { path, lines: { begin: Math.max(1, Math.trunc(finding.line ?? 1)) } }
  };
}
function renderCodeQualityReport(findings) {
  const seen = /* @__PURE__ */ new Set();
  const issues = [];
  for (const finding of findings) {
    const issue = codeQualityIssue(finding);
    if (seen.has(issue.fingerprint)) continue;
    seen.add(issue.fingerprint);
    issues.push(issue);
  }
  return `${JSON.stringify(issues, null, 2)}
`;
}

export {
  codeQualityIssue,
  renderCodeQualityReport
};
