import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  decideVersion,
  isPrivateModule,
  renderCodeQualityReport
} from "./chunk-MWYJDFQ4.js";
import {
  GoModError,
  parseGoMod,
  parseGoWork
} from "./chunk-T52YN4YC.js";
import {
  firstMatchingPattern,
  matchPrefixPatterns,
  parsePatternList
} from "./chunk-IUAILITG.js";
import {
  parseOptions
} from "./chunk-HMDSBVIM.js";
import {
  UsageError
} from "./chunk-F4IRGORQ.js";
import {
  findModuleFiles
} from "./chunk-4ZLOKNXU.js";
import {
  GoSumError,
  parseGoSum
} from "./chunk-TP23J6CY.js";
import {
  isPseudoVersion
} from "./chunk-ACB7LVIP.js";
import {
  readGoEnv
} from "./chunk-BDS5G37X.js";
import {
  loadPolicy
} from "./chunk-CUR5OLJO.js";
import {
  readFile,
  stat
} from "./chunk-SY3SBDYW.js";

// src/cli/check-command.ts
const { resolve } = require("node:path");

// src/policy/check-format.ts
var checkFormats = ["text", "json", "github", "codequality"];
function where(f) {
  if (!f.file) return "environment";
  return f.line ? `${f.file}:${f.line}` : f.file;
}
function summary(report) {
  const policy = report.policySource ? `policy ${report.policySource}` : "no policy";
  return `goproxy-action check: ${report.checked} module references in ${report.files.length} files, ${policy}: ${report.errors} error${report.errors === 1 ? "" : "s"}, ${report.warnings} warning${report.warnings === 1 ? "" : "s"}`;
}
function formatText(report) {
  const lines = report.findings.map(
    (f) => `${where(f)}: ${f.severity}: ${f.message}${f.check !== "policy" ? ` [${f.check}]` : ""}${f.fix ? `
    fix: ${f.fix}` : ""}`
  );
  lines.push(summary(report));
  return `${lines.join("\n")}
`;
}
function formatJson(report) {
  return `${JSON.stringify(report, null, 2)}
`;
}
function escapeData(s) {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s) {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
function formatGithub(report) {
  const lines = report.findings.map((f) => {
    const props = [`title=${escapeProperty(`goproxy-action ${f.check}`)}`];
    if (f.file) props.unshift(`file=${escapeProperty(f.file)}`);
    if (f.file && f.line) props.splice(1, 0, `line=${f.line}`);
    const text = `${f.message}${f.fix ? `
fix: ${f.fix}` : ""}`;
    return `::${f.severity === "error" ? "error" : "warning"} ${props.join(",")}::${escapeData(text)}`;
  });
  lines.push(summary(report));
  return `${lines.join("\n")}
`;
}
function formatCodeQuality(report) {
  return renderCodeQualityReport(
    report.findings.map((f) => ({
      checkName: `goproxy-action/${f.check}`,
      description: `${f.message}${f.fix ? ` Fix: ${f.fix}` : ""}`,
      severity: f.severity === "error" ? "major" : "minor",
      path: f.file ?? report.policySource ?? "go.mod",
      ...f.line ? { line: f.line } : {}
    }))
  );
}
function formatCheckReport(report, format) {
  switch (format) {
    case "text":
      return formatText(report);
    case "json":
      return formatJson(report);
    case "github":
      return formatGithub(report);
    case "codequality":
      return formatCodeQuality(report);
  }
}

// src/policy/effective-go-env.ts
var goVariables = ["GOPROXY", "GOSUMDB", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOINSECURE", "GOFLAGS"];
async function effectiveGoEnv(env = process.env) {
  const out = await readGoEnv(goVariables, {
    env,
    whenGoMissing: "environment"
  });
  out.GONOSUMCHECK = env.GONOSUMCHECK;
  return out;
}

// src/policy/workspace-check.ts
const { isAbsolute, relative } = require("node:path");

// src/policy/env-lint.ts
var defaultLintSeverity = {
  "gosumdb-off": "error",
  "private-patterns-too-broad": "error",
  "private-module-not-in-gonosumdb": "error",
  goinsecure: "warn",
  gonosumcheck: "warn",
  "goflags-insecure": "warn",
  "public-upstream-after-private": "error"
};
var sharedHosts = /* @__PURE__ */ new Set([
  "github.com",
  "gitlab.com",
  "bitbucket.org",
  "codeberg.org",
  "gitea.com",
  "golang.org",
  "google.golang.org",
  "gopkg.in",
  "go.googlesource.com",
  "k8s.io",
  "sigs.k8s.io",
  "cloud.google.com",
  "go.opentelemetry.io",
  "go.uber.org",
  "dev.azure.com"
]);
function value(env, name) {
  return (env[name] ?? "").trim();
}
function effectiveNoSumDb(env) {
  const own = value(env, "GONOSUMDB");
  return own !== "" ? { name: "GONOSUMDB", value: own } : { name: "GOPRIVATE", value: value(env, "GOPRIVATE") };
}
function examples(list) {
  const shown = list.slice(0, 3).join(", ");
  return list.length > 3 ? `${shown} and ${list.length - 3} more` : shown;
}
function normalizeUpstream(entry) {
  const withScheme = /^[a-z]+:\/\//i.test(entry) ? entry : `https://${entry}`;
  return withScheme.replace(/\/+$/, "").toLowerCase();
}
function tooBroad(input, modules) {
  const out = [];
  const policyPrivate = input.policy?.private ?? [];
  for (const name of ["GONOSUMDB", "GOPRIVATE"]) {
    for (const pattern of parsePatternList(value(input.env, name))) {
      let why = null;
      let at;
      if (pattern === "*" || /^[*?]+$/.test(pattern) || pattern === "*.*") {
        why = "it matches every module";
      } else if (sharedHosts.has(pattern.toLowerCase())) {
        why = `it covers every owner's modules on ${pattern}`;
      } else if (policyPrivate.length > 0) {
        const publicCovered = modules.filter(
          (m) => matchPrefixPatterns(pattern, m.module) && firstMatchingPattern(policyPrivate, m.module, { foldCase: true }) === null
        );
        if (publicCovered.length > 0) {
          at = publicCovered[0];
          why = `it covers public modules of go.sum (${examples(publicCovered.map((m) => m.module))})`;
        }
      }
      if (why === null) continue;
      const checksum = name === "GONOSUMDB" || value(input.env, "GONOSUMDB") === "";
      out.push({
        id: "private-patterns-too-broad",
        variable: name,
        message: `${name} pattern '${pattern}' is too broad: ${why}, so ${checksum ? "their checksums are not verified against the checksum database" : "they are treated as private"}`,
        fix: `list only your private module prefixes in ${name}, e.g. ${name}=github.com/your-org${policyPrivate.length > 0 ? ` (the policy's private patterns: ${policyPrivate.join(",")})` : ""}`,
        ...at ? { file: at.file, line: at.line } : {}
      });
    }
  }
  return out;
}
function privateNotInNoSumDb(input, modules) {
  const env = input.env;
  if (value(env, "GOSUMDB") === "off") return [];
  const policyPrivate = input.policy?.private ?? [];
  const envPrivate = [
    ...parsePatternList(value(env, "GOPRIVATE")),
    ...parsePatternList(value(env, "GONOPROXY"))
  ];
  const isPrivate = (m) => policyPrivate.length > 0 ? firstMatchingPattern(policyPrivate, m, { foldCase: true }) !== null : envPrivate.some((p) => matchPrefixPatterns(p, m));
  const noSumDb = effectiveNoSumDb(env);
  const leaking = modules.filter((m) => isPrivate(m.module) && !matchPrefixPatterns(noSumDb.value, m.module));
  if (leaking.length === 0) return [];
  const patterns = policyPrivate.length > 0 ? policyPrivate : envPrivate;
  const first = leaking[0];
  return [
    {
      id: "private-module-not-in-gonosumdb",
      variable: "GONOSUMDB",
      message: `private module${leaking.length > 1 ? "s" : ""} ${examples([...new Set(leaking.map((m) => m.module))])} ${leaking.length > 1 ? "are" : "is"} not covered by ${noSumDb.value === "" ? "GONOSUMDB (unset, and GOPRIVATE is empty)" : `${noSumDb.name}=${noSumDb.value}`}: the go command sends ${leaking.length > 1 ? "their paths" : "its path"} to the checksum database (Go matches these patterns case-sensitively)`,
      fix: `set GONOSUMDB=${patterns.join(",")} (or GOPRIVATE, which GONOSUMDB defaults to); 'goproxy-action env' prints the full environment`,
      file: first.file,
      line: first.line
    }
  ];
}
function upstreamOrder(input) {
  const declared = new Set(
    parseUpstreamEntries(input.policy?.privateUpstream ?? "").map((e) => e.entry).filter((e) => e !== "direct" && e !== "off").map(normalizeUpstream)
  );
  if (declared.size === 0) return [];
  const lists = input.upstreams ?? [value(input.env, "GOPROXY")];
  const out = [];
  for (const list of lists) {
    const entries = parseUpstreamEntries(list);
    let sawPrivate = null;
    for (const { entry, separator } of entries) {
      if (entry === "direct" || entry === "off") continue;
      const isPrivate = declared.has(normalizeUpstream(entry));
      if (isPrivate) {
        sawPrivate = entry;
        continue;
      }
      if (sawPrivate === null) continue;
      const how = separator === "|" ? "after any error of the private one (timeouts included)" : "when the private one answers 404 or 410";
      out.push({
        id: "public-upstream-after-private",
        variable: "GOPROXY",
        message: `upstream '${entry}' is not declared private but follows the private '${sawPrivate}' with '${separator}': the go command hands it private module paths ${how}`,
        fix: `put '${entry}' before the private upstream and set GONOPROXY/GOPRIVATE for private modules, or declare it in private-upstream if it is yours`
      });
    }
  }
  return out;
}
function parseUpstreamEntries(list) {
  const out = [];
  let separator = "";
  let current = "";
  for (const ch of list) {
    if (ch === "," || ch === "|") {
      if (current.trim() !== "") out.push({ entry: current.trim(), separator });
      separator = ch;
      current = "";
    } else {
      current += ch;
    }
  }
  if (current.trim() !== "") out.push({ entry: current.trim(), separator });
  return out;
}
function lintEnvironment(input) {
  const env = input.env;
  const modules = input.goSumModules ?? [];
  const raw = [];
  if (value(env, "GOSUMDB") === "off") {
    raw.push({
      id: "gosumdb-off",
      variable: "GOSUMDB",
      message: "GOSUMDB=off: modules not yet in go.sum are accepted without any checksum verification",
      fix: "unset GOSUMDB (the go command then uses its default checksum database) and list private modules in GONOSUMDB or GOPRIVATE instead"
    });
  }
  raw.push(...tooBroad(input, modules));
  raw.push(...privateNotInNoSumDb(input, modules));
  const insecure = value(env, "GOINSECURE");
  if (insecure !== "") {
    raw.push({
      id: "goinsecure",
      variable: "GOINSECURE",
      message: `GOINSECURE=${insecure}: matching modules are fetched direct over plain HTTP or without certificate checks (checksums are still verified)`,
      fix: "unset GOINSECURE and serve those repositories over HTTPS with a trusted certificate (SSL_CERT_FILE can add a private CA)"
    });
  }
  if (env.GONOSUMCHECK !== void 0) {
    raw.push({
      id: "gonosumcheck",
      variable: "GONOSUMCHECK",
      message: "GONOSUMCHECK is set, but the go command has no such variable: it does nothing",
      fix: "remove GONOSUMCHECK; to keep private modules away from the checksum database set GONOSUMDB=<your private prefixes>"
    });
  }
  const goflags = value(env, "GOFLAGS");
  if (/(^|\s)--?insecure(=\S*)?(\s|$)/.test(goflags)) {
    raw.push({
      id: "goflags-insecure",
      variable: "GOFLAGS",
      message: "GOFLAGS holds -insecure, which Go removed in 1.17: it is ignored, and whoever set it wanted unverified fetches",
      fix: "remove -insecure from GOFLAGS; for private hosts without HTTPS the (also discouraged) setting is GOINSECURE"
    });
  }
  raw.push(...upstreamOrder(input));
  const overrides = input.policy?.lint ?? {};
  const out = [];
  for (const r of raw) {
    const severity = overrides[r.id] ?? defaultLintSeverity[r.id];
    if (severity === "off") continue;
    out.push({ ...r, severity });
  }
  return out;
}

// src/policy/workspace-check.ts
function display(base, file) {
  const rel = relative(base, file);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
}
function pseudoFinding(policy, ref) {
  const action = policy.rules.pseudoVersions;
  if (action === "allow" || ref.kind !== "zip" || !isPseudoVersion(ref.version)) return null;
  if (isPrivateModule(policy, ref.module)) return null;
  return {
    action,
    rule: "rules.pseudo-versions",
    reason: "a pseudo-version (an untagged commit)",
    fix: "require a tagged release of the module"
  };
}
async function checkWorkspace(options) {
  const base = options.displayBase ?? options.dir;
  const files = await findModuleFiles(options.dir);
  const findings = [];
  const references = [];
  const goSumModules = [];
  const seenGoSumModule = /* @__PURE__ */ new Set();
  for (const path of files) {
    const file = display(base, path);
    const text = await readFile(path, "utf8");
    try {
      if (path.endsWith("go.sum")) {
        const byVersion = /* @__PURE__ */ new Map();
        for (const l of parseGoSum(text, file)) {
          const key = `${l.module}@${l.version}`;
          const ref = {
            module: l.module,
            version: l.version,
            kind: l.isGoMod ? "mod" : "zip",
            file,
            line: l.line,
            what: l.isGoMod ? "go.sum (go.mod hash only)" : "go.sum"
          };
          const prev = byVersion.get(key);
          if (!prev || prev.kind === "mod" && ref.kind === "zip") byVersion.set(key, ref);
          if (!seenGoSumModule.has(`${file} ${l.module}`)) {
            seenGoSumModule.add(`${file} ${l.module}`);
            goSumModules.push({ module: l.module, version: l.version, file, line: l.line });
          }
        }
        references.push(...byVersion.values());
      } else if (path.endsWith("go.work")) {
        const work = parseGoWork(text, file);
        for (const r of work.replace) {
          if (r.new.version !== "")
            references.push({
              module: r.new.path,
              version: r.new.version,
              kind: "zip",
              file,
              line: r.line,
              what: "replace"
            });
        }
      } else {
        const mod = parseGoMod(text, file);
        const localReplaced = new Set(mod.replace.filter((r) => r.new.version === "").map((r) => r.old.path));
        for (const r of mod.require) {
          if (localReplaced.has(r.path)) continue;
          references.push({
            module: r.path,
            version: r.version,
            kind: "zip",
            file,
            line: r.line,
            what: "require"
          });
        }
        for (const r of mod.replace) {
          if (r.new.version !== "")
            references.push({
              module: r.new.path,
              version: r.new.version,
              kind: "zip",
              file,
              line: r.line,
              what: "replace"
            });
        }
      }
    } catch (err) {
      if (err instanceof GoModError) {
        for (const p of err.problems) {
          findings.push({
            severity: "error",
            check: "parse",
            message: p.message,
            fix: "fix the file (go mod tidy rewrites go.mod and go.sum)",
            file,
            line: p.line
          });
        }
      } else if (err instanceof GoSumError) {
        findings.push({
          severity: "error",
          check: "parse",
          message: err.message.replace(/^[^:]+:\d+: /, ""),
          file,
          line: err.line
        });
      } else {
        throw err;
      }
    }
  }
  if (options.policy) {
    for (const ref of references) {
      const decision = decideVersion(options.policy, ref.module, ref.version, ref.kind);
      const outcome = decision.action !== "allow" ? decision : pseudoFinding(options.policy, ref);
      if (!outcome || outcome.action === "allow") continue;
      findings.push({
        severity: outcome.action === "deny" ? "error" : "warn",
        check: "policy",
        message: `${ref.module}@${ref.version} (${ref.what}) ${outcome.action === "deny" ? "is denied" : "needs attention"}: ${outcome.rule ?? "policy"}${outcome.reason ? `: ${outcome.reason}` : ""}`,
        ...outcome.fix ? { fix: outcome.fix } : {},
        file: ref.file,
        line: ref.line,
        module: ref.module,
        version: ref.version,
        ...outcome.rule ? { rule: outcome.rule } : {}
      });
    }
  }
  const lint = lintEnvironment({ env: options.env, policy: options.policy, goSumModules });
  for (const f of lint) {
    findings.push({
      severity: f.severity,
      check: f.id,
      message: f.message,
      fix: f.fix,
      ...f.file ? { file: f.file } : {},
      ...f.line ? { line: f.line } : {}
    });
  }
  return {
    policySource: options.policy?.source ?? null,
    files: files.map((f) => display(base, f)),
    checked: references.length,
    findings,
    errors: findings.filter((f) => f.severity === "error").length,
    warnings: findings.filter((f) => f.severity === "warn").length
  };
}

// src/cli/check-command.ts
var help = `usage: goproxy-action check [options]

Checks every module@version named by the go.mod, go.work and go.sum files below DIR against
the policy, and the go command's environment for settings that weaken verification or leak
private module paths. Exit status 1 when anything is denied or an error-level finding exists.

options:
  --policy FILE    policy file (default: DIR/.goproxy.yml when present; none means no policy)
  --dir DIR        workspace root (default: the current directory)
  --format FORMAT  text (default), json, github (workflow annotations), codequality (GitLab)
  -h, --help       show this help`;
async function checkProject(dirOption, policyOption) {
  const dir = resolve(dirOption ?? ".");
  const dirStat = await stat(dir).catch(() => null);
  if (!dirStat?.isDirectory())
    throw new UsageError(
      `--dir ${dirOption ?? "."}: no such directory; give the workspace root (where go.mod is)`
    );
  if ((await findModuleFiles(dir)).length === 0)
    throw new UsageError(
      `nothing to check: no go.mod, go.work or go.sum below ${dir}; run it in the workspace root or pass --dir`
    );
  const explicitPath = policyOption !== void 0 && policyOption !== "" ? resolve(policyOption) : void 0;
  const loaded = await loadPolicy({ workspace: dir, ...explicitPath ? { explicitPath } : {} });
  if (loaded.message) process.stderr.write(`${loaded.message}
`);
  const report = await checkWorkspace({
    dir,
    policy: loaded.policy,
    env: await effectiveGoEnv(),
    displayBase: process.cwd()
  });
  return report;
}
var checkCommand = {
  async run(args) {
    const values = parseOptions("check", args, {
      policy: { type: "string" },
      dir: { type: "string" },
      format: { type: "string" },
      help: { type: "boolean", short: "h" }
    });
    if (values.help) {
      process.stdout.write(`${help}
`);
      return 0;
    }
    const format = values.format ?? "text";
    if (!checkFormats.includes(format)) {
      throw new UsageError(`--format ${values.format}: write one of ${checkFormats.join(", ")}`);
    }
    const report = await checkProject(values.dir, values.policy);
    process.stdout.write(formatCheckReport(report, format));
    if (format === "codequality" || format === "json") {
      process.stderr.write(`${report.errors} error(s), ${report.warnings} warning(s)
`);
    }
    return report.errors > 0 ? 1 : 0;
  }
};

export {
  formatCheckReport,
  checkProject,
  checkCommand
};
