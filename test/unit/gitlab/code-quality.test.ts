import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeQualityIssue, renderCodeQualityReport } from '../../../src/gitlab/code-quality.ts';

const finding = {
  checkName: 'goproxy/deny',
  description: 'github.com/evil-org/x v1.0.0 is denied by .goproxy.yml (deny: github.com/evil-org)',
  severity: 'major' as const,
  path: './go.sum',
  line: 7,
};

test('code quality: GitLab fields, a relative path and a line', () => {
  const issue = codeQualityIssue(finding);
  assert.equal(issue.check_name, 'goproxy/deny');
  assert.equal(issue.severity, 'major');
  assert.deepEqual(issue.location, { path: 'go.sum', lines: { begin: 7 } });
  assert.match(issue.fingerprint, /^[0-9a-f]{64}$/);
});

test('code quality: a finding that only moved keeps its fingerprint; another finding does not share it', () => {
  const moved = codeQualityIssue({ ...finding, line: 9 });
  assert.equal(moved.fingerprint, codeQualityIssue(finding).fingerprint);
  assert.notEqual(codeQualityIssue({ ...finding, path: 'tools/go.sum' }).fingerprint, moved.fingerprint);
});

test('code quality: the report is a JSON array, duplicates collapsed; bad input refused', () => {
  const report = JSON.parse(
    renderCodeQualityReport([finding, { ...finding, line: 8 }, { ...finding, checkName: 'goproxy/lint' }]),
  );
  assert.equal(report.length, 2);
  assert.equal(renderCodeQualityReport([]), '[]\n');
  assert.throws(
    () => codeQualityIssue({ ...finding, path: '/abs/go.sum' }),
    /relative to the project directory/,
  );
  assert.throws(
    () => codeQualityIssue({ ...finding, severity: 'fatal' as never }),
    /'fatal' is not a code quality severity/,
  );
});
