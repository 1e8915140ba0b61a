import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);

// src/health/findings.ts
function moduleFindings(m) {
  const out = [];
  const add = (kind, severity, message) => out.push({
    kind,
    severity,
    module: m.path,
    version: m.version,
    message: `${m.path}@${m.version}: ${message}`
  });
  if (!m.resolvable.ok) {
    const failed = ["info", "mod", "zip"].filter((k) => m.resolvable[k].status !== 200);
    const detail = failed.map((k) => `.${k} ${m.resolvable[k].error ?? `HTTP ${m.resolvable[k].status}`}`).join("; ");
    add(
      "unresolvable",
      "error",
      `not resolvable through the proxy (${detail || "the zip is not a valid module zip"})`
    );
  }
  if (m.verified.zip === "mismatch" || m.verified.mod === "mismatch") {
    const which = [m.verified.zip === "mismatch" ? "zip" : "", m.verified.mod === "mismatch" ? "go.mod" : ""].filter(Boolean).join(" and ");
    add(
      "checksum",
      "error",
      `${which} hash does not match go.sum (got ${m.verified.zip === "mismatch" ? m.verified.zipHash : m.verified.modHash})`
    );
  }
  if (m.verified.missingLines.length > 0)
    add(
      "missing-sum",
      "warning",
      `go.sum lacks ${m.verified.missingLines.length} line(s): ${m.verified.missingLines.join(", ")}`
    );
  if (m.retracted) add("retracted", "error", `retracted by its author: ${m.retracted.join("; ")}`);
  if (m.deprecated) add("deprecated", "warning", `deprecated: ${m.deprecated.split("\n")[0]}`);
  if (m.policy.action === "deny")
    add("denied", "error", `denied by policy (${m.policy.rule}): ${m.policy.reason}`);
  if (m.policy.action === "warn")
    add("warned", "warning", `policy warning (${m.policy.rule}): ${m.policy.reason}`);
  for (const v of m.vulnerabilities ?? []) {
    const fix = v.fixed.length > 0 ? `fixed in ${v.fixed.join(", ")}` : "no fixed version";
    const aka = v.aliases.length > 0 ? ` (${v.aliases.join(", ")})` : "";
    add("vuln", "error", `${v.id}${aka}${v.severity ? ` [${v.severity}]` : ""}: ${v.summary}; ${fix}`);
  }
  if (m.current.update) {
    const major = m.current.newerMajor ? `; a newer major exists: ${m.current.newerMajor.path}@${m.current.newerMajor.version}` : "";
    add("outdated", "notice", `${m.current.behind} update available: ${m.current.update}${major}`);
  } else if (m.current.newerMajor) {
    add(
      "outdated",
      "notice",
      `a newer major version exists: ${m.current.newerMajor.path}@${m.current.newerMajor.version}`
    );
  }
  return out;
}

// src/health/render-markdown.ts
var noteMarker = "<!-- goproxy-action:health -->";
function cell(text) {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ").replace(/</g, "&lt;");
}
function mark(m) {
  const findings = moduleFindings(m);
  if (findings.some((f) => f.severity === "error")) return "\u274C";
  if (findings.some((f) => f.severity === "warning")) return "\u26A0\uFE0F";
  return "\u2705";
}
function renderMarkdown(s, diff = null) {
  const out = [noteMarker, "## Go module health", ""];
  const sum = s.summary;
  out.push(
    `${sum.modules} modules (${s.workspace.buildListSource === "go-list" ? "build list from `go list -m all`" : "from go.mod files"}) \xB7 ${sum.unresolvable} unresolvable \xB7 ${sum.checksumMismatch} checksum mismatches \xB7 ${sum.retracted} retracted \xB7 ${sum.deprecated} deprecated \xB7 ${sum.denied} denied \xB7 ${s.vulnDb ? `${sum.vulnerable} vulnerable` : "no vulnerability database"} \xB7 ${sum.outdated} with updates`,
    ""
  );
  if (s.workspace.buildListNote) out.push(`> ${cell(s.workspace.buildListNote)}`, "");
  const problems = s.modules.flatMap(moduleFindings).filter((f) => f.severity !== "notice");
  if (problems.length > 0) {
    out.push("### Findings", "", "| | module | finding |", "|---|---|---|");
    for (const f of problems) {
      out.push(
        `| ${f.severity === "error" ? "\u274C" : "\u26A0\uFE0F"} | \`${f.module}@${f.version}\` | ${cell(f.message.slice(f.module.length + f.version.length + 3))} |`
      );
    }
    out.push("");
  }
  if (diff) {
    out.push("### Since the baseline", "");
    const lines = [
      ["added", diff.added.map((m) => `${m.path}@${m.version}`)],
      ["removed", diff.removed.map((m) => `${m.path}@${m.version}`)],
      ["upgraded", diff.upgraded.map((c) => `${c.path} ${c.from} \u2192 ${c.to}`)],
      ["downgraded", diff.downgraded.map((c) => `${c.path} ${c.from} \u2192 ${c.to}`)],
      ["newly deprecated", diff.newlyDeprecated],
      ["newly retracted", diff.newlyRetracted],
      ["newly vulnerable", diff.newlyVulnerable.map((v) => `${v.module} ${v.id}`)],
      ["newly denied", diff.newlyDenied]
    ];
    const changed = lines.filter(([, items]) => items.length > 0);
    if (changed.length === 0) out.push("No changes.");
    for (const [what, items] of changed)
      out.push(`- **${what}** (${items.length}): ${items.map((i) => `\`${cell(i)}\``).join(", ")}`);
    out.push("");
  }
  const p = s.proxy;
  out.push(
    "### Proxy",
    "",
    `\`${p.url}\` (${p.statsSource === "admin" ? "the proxy's own statistics" : "measured by these probes"}): p50 ${p.p50Ms} ms \xB7 p95 ${p.p95Ms} ms \xB7 ${p.requests} requests \xB7 error rate ${(p.errorRate * 100).toFixed(1)}% \xB7 cache hits ${p.cacheHitRatio === null ? "unknown" : `${(p.cacheHitRatio * 100).toFixed(1)}%`} \xB7 ${formatBytes(p.bytes)}`,
    "",
    zipHashLine(s),
    ""
  );
  out.push(
    "<details><summary>All modules</summary>",
    "",
    "| | module | version | latest | behind | age | source | go.sum |",
    "|---|---|---|---|---|---|---|---|"
  );
  for (const m of s.modules) {
    const { zip, mod } = m.verified;
    const sums = zip === "mismatch" || mod === "mismatch" ? "mismatch" : zip === "match" && mod === "match" ? "ok" : zip === "missing" && mod === "match" && m.verified.missingLines.length === 0 ? "ok (go.mod only)" : `zip ${zip}, go.mod ${mod}`;
    out.push(
      `| ${mark(m)} | \`${cell(m.path)}\` | ${cell(m.version)} | ${cell(m.current.latest)}${m.current.newerMajor ? ` (${cell(m.current.newerMajor.path)})` : ""} | ${m.current.behind} | ${m.current.usedAgeDays ?? "?"}d | ${m.resolvable.source} | ${sums} |`
    );
  }
  out.push("", "</details>", "");
  return out.join("\n");
}
function zipHashLine(s) {
  const by = (who) => s.modules.filter((m) => (m.verified.zipHashedBy ?? null) === who).length;
  return `Zips hashed for the go.sum check: ${by("proxy")} by the in-job proxy (its h1 for the bytes it serves, not downloaded), ${by("download")} downloaded and hashed here, ${by(null)} not hashed.`;
}
function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1 << 20) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1 << 20)).toFixed(1)} MiB`;
}

export {
  moduleFindings,
  noteMarker,
  renderMarkdown
};
