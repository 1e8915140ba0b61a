import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  redactUrlUserinfo
} from "./chunk-JK6UBD6T.js";
import {
  versionSatisfies
} from "./chunk-4QIFAFBJ.js";
import {
  firstMatchingPattern
} from "./chunk-XBICIGSA.js";
import {
  createHash,
  isValidModulePath
} from "./chunk-HEGZARSW.js";
import {
  isPseudoVersion,
  isValidVersion
} from "./chunk-TPCHYJEY.js";

// src/gitlab/code-quality.ts
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

// src/upstream/goproxy-list.ts
var GoproxyListError = class extends Error {
  name = "GoproxyListError";
};
function parseGoproxyList(value) {
  const entries = [];
  let rest = value.trim();
  if (rest === "")
    throw new GoproxyListError('GOPROXY list is empty: give at least one proxy URL, "direct" or "off"');
  while (rest !== "") {
    const match = /[,|]/.exec(rest);
    const raw = (match ? rest.slice(0, match.index) : rest).trim();
    const separator = match?.[0];
    rest = match ? rest.slice(match.index + 1) : "";
    if (raw === "") continue;
    const fallThroughOnAnyError = separator === "|";
    if (raw === "direct") {
      entries.push({ kind: "direct", fallThroughOnAnyError });
    } else if (raw === "off") {
      entries.push({ kind: "off" });
    } else if (raw === "noproxy") {
      entries.push({ kind: "direct", fallThroughOnAnyError });
    } else {
      entries.push({ kind: "url", ...normalizeProxyUrl(raw), fallThroughOnAnyError });
    }
  }
  if (entries.length === 0) {
    throw new GoproxyListError(
      `GOPROXY list "${redactUrlUserinfo(value)}" has no entries: give a proxy URL, "direct" or "off"`
    );
  }
  return entries;
}
function normalizeProxyUrl(raw) {
  const shown = redactUrlUserinfo(raw);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url;
  try {
    url = new URL(withScheme);
  } catch {
    throw new GoproxyListError(`GOPROXY entry "${shown}" is not a valid URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:" && url.protocol !== "file:") {
    throw new GoproxyListError(
      `GOPROXY entry "${shown}" uses the scheme ${url.protocol.slice(0, -1)}: only https, http and file are supported`
    );
  }
  if (url.username === "" && url.password === "") return { url: withScheme.replace(/\/+$/, "") };
  if (url.protocol !== "https:") {
    throw new GoproxyListError(
      `refusing to pass credentials to insecure URL: ${redactUrlUserinfo(withScheme)}; use https, or drop the credentials from the URL`
    );
  }
  let credentials;
  try {
    credentials = {
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password)
    };
  } catch {
    throw new GoproxyListError(`GOPROXY entry "${shown}" has badly percent-encoded credentials`);
  }
  url.username = "";
  url.password = "";
  return { url: url.href.replace(/\/+$/, ""), credentials };
}

// src/policy/decide.ts
var allow = { action: "allow" };
function about(policy, module, version) {
  return version === null ? { module, source: policy.source } : { module, version, source: policy.source };
}
function isPrivateModule(policy, module) {
  return firstMatchingPattern(policy.private, module, { foldCase: true }) !== null;
}
function decidePath(policy, module) {
  if (!isValidModulePath(module)) {
    return {
      action: "deny",
      rule: "module path check",
      reason: "not a valid module path",
      fix: "request the module by its canonical path",
      ...about(policy, module, null)
    };
  }
  for (const rule of policy.deny) {
    if (rule.versions !== null) continue;
    if (firstMatchingPattern([rule.module], module, { foldCase: true }) === null) continue;
    return {
      action: "deny",
      rule: `deny ${rule.module}`,
      reason: rule.reason ?? `modules under ${rule.module} are denied`,
      fix: `use another module, or remove the entry from ${policy.source} if it is wrong`,
      ...rule.line > 0 ? { line: rule.line } : {},
      ...about(policy, module, null)
    };
  }
  const privatePattern = firstMatchingPattern(policy.private, module, { foldCase: true });
  if (privatePattern !== null) return { action: "allow", rule: `private ${privatePattern}` };
  if (policy.allow !== null && firstMatchingPattern(policy.allow, module, { foldCase: false }) === null) {
    return {
      action: "deny",
      rule: "allow",
      reason: "the module is not on the allow list",
      fix: `add a pattern covering it to 'allow:' in ${policy.source} (patterns match case-sensitively)`,
      ...about(policy, module, null)
    };
  }
  return allow;
}
function decideVersion(policy, module, version, kind) {
  const byPath = decidePath(policy, module);
  if (byPath.action === "deny") return version === null ? byPath : { ...byPath, version };
  if (kind !== "zip") return byPath;
  if (version === null || !isValidVersion(version)) {
    return {
      action: "deny",
      rule: "version check",
      reason: `'${version ?? ""}' is not a Go module version`,
      fix: "request a canonical version such as v1.2.3",
      ...about(policy, module, version)
    };
  }
  for (const rule of policy.deny) {
    if (rule.versions === null) continue;
    if (firstMatchingPattern([rule.module], module, { foldCase: true }) === null) continue;
    if (!versionSatisfies(rule.versions, version)) continue;
    return {
      action: "deny",
      rule: `deny ${rule.module} ${rule.versions.text}`,
      reason: rule.reason ?? `versions ${rule.versions.text} of ${rule.module} are denied`,
      fix: `require a version outside '${rule.versions.text}' (go get ${module}@<version>)`,
      ...rule.line > 0 ? { line: rule.line } : {},
      ...about(policy, module, version)
    };
  }
  return byPath;
}
var severity = { allow: 0, warn: 1, deny: 2 };
function formatAge(ms) {
  const hours = ms / 36e5;
  if (hours >= 48) return `${Math.floor(hours / 24)}d`;
  if (hours >= 1) return `${Math.floor(hours)}h`;
  return `${Math.max(0, Math.floor(ms / 6e4))}m`;
}
function decideMetadata(policy, meta) {
  const isPrivate = isPrivateModule(policy, meta.module);
  const outcomes = [];
  const add = (action, d) => {
    if (action !== "allow") outcomes.push({ action, ...d, ...about(policy, meta.module, meta.version) });
  };
  if (meta.retracted !== null) {
    const rationale = meta.retracted.rationale.trim() || "retracted by module author";
    add(policy.rules.retracted, {
      rule: "rules.retracted",
      reason: `retracted: ${rationale}`,
      fix: `use a version that is not retracted (go list -m -versions ${meta.module})`
    });
  }
  if (!isPrivate && isPseudoVersion(meta.version)) {
    add(policy.rules.pseudoVersions, {
      rule: "rules.pseudo-versions",
      reason: "a pseudo-version (an untagged commit)",
      fix: "require a tagged release of the module"
    });
  }
  const minAgeMs = policy.rules.minAgeMs;
  if (!isPrivate && minAgeMs !== null && minAgeMs > 0) {
    if (meta.time === null || Number.isNaN(meta.time.getTime())) {
      add("deny", {
        rule: `rules.min-age ${policy.rules.minAge}`,
        reason: "the version has no publication time, so its age cannot be checked",
        fix: "require a tagged version whose .info carries a Time"
      });
    } else {
      const age = meta.now.getTime() - meta.time.getTime();
      if (age < minAgeMs) {
        const availableAt = new Date(meta.time.getTime() + minAgeMs);
        add("deny", {
          rule: `rules.min-age ${policy.rules.minAge}`,
          reason: `published ${meta.time.toISOString()}, ${formatAge(age)} ago (author-set time)`,
          fix: `wait until ${availableAt.toISOString()} or require an older version`,
          recheckAfter: availableAt.toISOString()
        });
      }
    }
  }
  if (outcomes.length === 0) return allow;
  const worst = outcomes.reduce((a, b) => severity[b.action] > severity[a.action] ? b : a);
  if (worst.action === "deny") return worst;
  return {
    ...worst,
    rule: outcomes.map((o) => o.rule).join(", "),
    reason: outcomes.map((o) => o.reason).join("; ")
  };
}

export {
  codeQualityIssue,
  renderCodeQualityReport,
  isPrivateModule,
  decideVersion,
  decideMetadata,
  parseGoproxyList
};
