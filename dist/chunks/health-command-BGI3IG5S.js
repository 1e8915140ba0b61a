import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  netrcMachineFor,
  readUserNetrc,
  userNetrcPath
} from "./chunk-BO5D4OGQ.js";
import {
  checkModuleZip,
  hashGoMod,
  maxGoMod,
  maxZipFile
} from "./chunk-OHL6JSWT.js";
import {
  moduleFindings,
  renderMarkdown
} from "./chunk-5J64LHN7.js";
import {
  codeQualityIssue,
  decideMetadata,
  decideVersion,
  isPrivateModule
} from "./chunk-MWYJDFQ4.js";
import {
  isRetracted,
  parseGoMod,
  parseGoWork,
  retractionRationales
} from "./chunk-T52YN4YC.js";
import "./chunk-P2IIJOQP.js";
import {
  matchPrefixPatterns
} from "./chunk-IUAILITG.js";
import {
  UsageError
} from "./chunk-F4IRGORQ.js";
import {
  CLIENT_TOKEN_SHOWN,
  hideClientPath
} from "./chunk-Z3RLGLLH.js";
import {
  getStats
} from "./chunk-MMNOBJZU.js";
import {
  readReadyFile,
  readyFilePath
} from "./chunk-L6W3GWGW.js";
import {
  findModuleFiles
} from "./chunk-4ZLOKNXU.js";
import {
  GoSumIndex
} from "./chunk-TP23J6CY.js";
import "./chunk-IZF6HKYA.js";
import {
  escapePath,
  escapeVersion,
  splitPathVersion
} from "./chunk-HYK6JFBE.js";
import {
  compareVersions,
  isPrerelease,
  isPseudoVersion,
  isValidVersion,
  pseudoVersionTime,
  semverCanonical,
  sortVersions,
  versionMajor
} from "./chunk-ACB7LVIP.js";
import {
  readGoEnv,
  redactUrlUserinfo
} from "./chunk-BDS5G37X.js";
import {
  loadPolicy
} from "./chunk-CUR5OLJO.js";
import {
  mkdir,
  mkdtemp,
  readFile,
  rm,
  writeFile
} from "./chunk-SY3SBDYW.js";
import "./chunk-UOOPJVRV.js";

// src/cli/health-command.ts
const { resolve: resolve2 } = require("node:path");
const { parseArgs } = require("node:util");

// src/health/run-health.ts
const { dirname: dirname2 } = require("node:path");

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

// src/health/fail-on.ts
var conditions = [
  "retracted",
  "denied",
  "checksum",
  "vuln",
  "new-vuln",
  "deprecated",
  "unresolvable",
  "missing-sum"
];
var severityRank = { LOW: 0, MODERATE: 1, MEDIUM: 1, HIGH: 2, CRITICAL: 3 };
var rank = (s) => severityRank[s.toUpperCase()] ?? -1;
function parseFailOn(text) {
  const out = [];
  for (const raw of text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean)) {
    const [name, severity] = raw.split(":");
    if (!conditions.includes(name)) {
      throw new Error(`fail-on: unknown condition '${name}'; use any of ${conditions.join(", ")}`);
    }
    if (severity !== void 0 && !(name === "vuln" || name === "new-vuln")) {
      throw new Error(`fail-on: '${raw}': only vuln and new-vuln take a severity (vuln:high)`);
    }
    if (severity !== void 0 && rank(severity) < 0) {
      throw new Error(`fail-on: '${raw}': severity must be one of low, moderate, high, critical`);
    }
    out.push({ condition: name, minSeverity: severity?.toUpperCase() ?? null });
  }
  return out;
}
function counts(v, min) {
  if (min === null || v.severity === null) return true;
  const r = rank(v.severity);
  return r < 0 || r >= rank(min);
}
function failures(s, failOn, diff) {
  const out = [];
  for (const { condition, minSeverity } of failOn) {
    for (const m of s.modules) {
      const id = `${m.path}@${m.version}`;
      if (condition === "retracted" && m.retracted) out.push(`${id} is retracted`);
      if (condition === "denied" && m.policy.action === "deny") out.push(`${id} is denied by policy`);
      if (condition === "checksum" && (m.verified.zip === "mismatch" || m.verified.mod === "mismatch"))
        out.push(`${id} does not match go.sum`);
      if (condition === "deprecated" && m.deprecated) out.push(`${id} is deprecated`);
      if (condition === "unresolvable" && !m.resolvable.ok)
        out.push(`${id} is not resolvable through the proxy`);
      if (condition === "missing-sum" && m.verified.missingLines.length > 0)
        out.push(`${id} lacks go.sum lines`);
      if (condition === "vuln") {
        for (const v of m.vulnerabilities ?? [])
          if (counts(v, minSeverity)) out.push(`${id} is affected by ${v.id}`);
      }
      if (condition === "new-vuln") {
        const fresh = new Set(
          (diff?.newlyVulnerable ?? []).filter((n) => n.module === m.path && n.version === m.version).map((n) => n.id)
        );
        for (const v of m.vulnerabilities ?? []) {
          if ((diff === null || fresh.has(v.id)) && counts(v, minSeverity))
            out.push(`${id} is newly affected by ${v.id}`);
        }
      }
    }
  }
  return [...new Set(out)];
}

// src/health/phase-profile.ts
var PhaseProfile = class {
  #phases = /* @__PURE__ */ new Map();
  #origin = performance.now();
  /** Times `work` as one run of `phase`. */
  async time(phase, work) {
    let p = this.#phases.get(phase);
    if (!p) {
      p = { count: 0, sumMs: 0, wallMs: 0, maxInFlight: 0, first: Infinity, last: 0, inFlight: 0 };
      this.#phases.set(phase, p);
    }
    const started = performance.now();
    p.first = Math.min(p.first, started);
    p.inFlight++;
    p.maxInFlight = Math.max(p.maxInFlight, p.inFlight);
    try {
      return await work();
    } finally {
      const ended = performance.now();
      p.inFlight--;
      p.count++;
      p.sumMs += ended - started;
      p.last = Math.max(p.last, ended);
    }
  }
  /** Per phase, in the order phases first ran; `wallMs` also says when it ended (`endMs`). */
  figures() {
    const out = {};
    for (const [name, p] of this.#phases) {
      out[name] = {
        count: p.count,
        sumMs: Math.round(p.sumMs),
        wallMs: Math.round(p.last - p.first),
        maxInFlight: p.maxInFlight,
        startMs: Math.round(p.first - this.#origin),
        endMs: Math.round(p.last - this.#origin)
      };
    }
    return out;
  }
  /** One line per phase, for stderr. */
  render() {
    return Object.entries(this.figures()).map(
      ([name, f]) => `health profile: ${name}: ${f.count}x, sum ${f.sumMs} ms, wall ${f.wallMs} ms (${f.startMs}..${f.endMs}), at once <= ${f.maxInFlight}`
    ).join("\n");
  }
};
var noProfile = {
  time(_phase, work) {
    return work();
  }
};

// src/health/progress.ts
function createProgress(stream, intervalMs = 5e3) {
  const tty = "isTTY" in stream && stream.isTTY === true;
  let last = 0;
  let lastLine = "";
  return {
    update(done, total, current) {
      const line = `health: ${done}/${total} modules${current ? ` (${current})` : ""}`;
      if (tty) {
        stream.write(`\r\x1B[2K${line.slice(0, 150)}`);
        lastLine = line;
        return;
      }
      const now = Date.now();
      if (now - last >= intervalMs || done === total) {
        last = now;
        stream.write(`${line}
`);
      }
    },
    finish() {
      if (tty && lastLine) stream.write("\r\x1B[2K");
    }
  };
}

// src/health/render-reports.ts
function xml(text) {
  return text.replace(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
function where(s, m) {
  return m.location ?? { file: s.workspace.goModFiles[0] ?? "go.mod", line: 1 };
}
function renderJUnit(s) {
  const cases = s.modules.map((m) => {
    const findings = moduleFindings(m);
    const errors = findings.filter((f) => f.severity === "error");
    const others = findings.filter((f) => f.severity !== "error");
    const ms = m.resolvable.info.ms + m.resolvable.mod.ms + m.resolvable.zip.ms;
    const loc = where(s, m);
    const body = [];
    if (errors.length > 0) {
      body.push(
        `      <failure message="${xml(errors.map((f) => f.kind).join(", "))}" type="${xml(errors[0].kind)}">${xml(errors.map((f) => f.message).join("\n"))}</failure>`
      );
    }
    if (others.length > 0)
      body.push(`      <system-out>${xml(others.map((f) => f.message).join("\n"))}</system-out>`);
    const open = `    <testcase classname="go-modules" name="${xml(`${m.path}@${m.version}`)}" file="${xml(loc.file)}" line="${loc.line}" time="${(ms / 1e3).toFixed(3)}"`;
    return body.length === 0 ? `${open}/>` : `${open}>
${body.join("\n")}
    </testcase>`;
  });
  const failures2 = s.modules.filter((m) => moduleFindings(m).some((f) => f.severity === "error")).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="goproxy-action health" tests="${s.modules.length}" failures="${failures2}" errors="0">`,
    `  <testsuite name="go module health" tests="${s.modules.length}" failures="${failures2}" errors="0" skipped="0" timestamp="${xml(s.generatedAt)}">`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    ""
  ].join("\n");
}
var qualitySeverity = {
  unresolvable: "critical",
  checksum: "blocker",
  "missing-sum": "minor",
  retracted: "major",
  deprecated: "minor",
  denied: "critical",
  warned: "minor",
  vuln: "critical",
  outdated: "info"
};
function renderCodeQuality(s) {
  const issues = s.modules.flatMap(
    (m) => moduleFindings(m).map((f) => {
      const loc = where(s, m);
      return codeQualityIssue({
        checkName: `goproxy-health/${f.kind}`,
        description: f.message,
        severity: qualitySeverity[f.kind],
        path: loc.file,
        line: loc.line
      });
    })
  );
  return `${JSON.stringify(issues, null, 2)}
`;
}
function escapeData(text) {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(text) {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
function renderAnnotations(s) {
  const lines = s.modules.flatMap(
    (m) => moduleFindings(m).map((f) => {
      const loc = where(s, m);
      const level = f.severity === "notice" ? "notice" : f.severity;
      return `::${level} file=${escapeProperty(loc.file)},line=${loc.line},title=${escapeProperty(`module ${f.kind}`)}::${escapeData(f.message)}`;
    })
  );
  return lines.length > 0 ? `${lines.join("\n")}
` : "";
}

// src/health/snapshot.ts
var snapshotSchemaVersion = 1;
function summarize(modules) {
  return {
    modules: modules.length,
    unresolvable: modules.filter((m) => !m.resolvable.ok).length,
    checksumMismatch: modules.filter((m) => m.verified.zip === "mismatch" || m.verified.mod === "mismatch").length,
    missingSums: modules.filter((m) => m.verified.missingLines.length > 0).length,
    outdated: modules.filter((m) => m.current.update !== null).length,
    deprecated: modules.filter((m) => m.deprecated !== null).length,
    retracted: modules.filter((m) => m.retracted !== null).length,
    denied: modules.filter((m) => m.policy.action === "deny").length,
    warned: modules.filter((m) => m.policy.action === "warn").length,
    vulnerable: modules.filter((m) => (m.vulnerabilities?.length ?? 0) > 0).length,
    errors: modules.filter((m) => m.errors.length > 0).length
  };
}
function parseSnapshot(text, source) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: not a JSON health snapshot (${err.message})`);
  }
  const v = value;
  if (!v || typeof v !== "object" || !Array.isArray(v.modules)) {
    throw new Error(`${source}: not a health snapshot (no "modules" array)`);
  }
  if (v.schemaVersion !== snapshotSchemaVersion) {
    throw new Error(
      `${source}: health snapshot schemaVersion ${String(v.schemaVersion)} is not ${snapshotSchemaVersion}; take a new baseline`
    );
  }
  return v;
}

// src/health/snapshot-diff.ts
function byPath(s) {
  const map = /* @__PURE__ */ new Map();
  for (const m of s.modules) map.set(m.path, [...map.get(m.path) ?? [], m]);
  return map;
}
function diffSnapshots(baseline, current) {
  const before = byPath(baseline);
  const after = byPath(current);
  const diff = {
    added: [],
    removed: [],
    upgraded: [],
    downgraded: [],
    newlyDeprecated: [],
    newlyRetracted: [],
    newlyDenied: [],
    newlyVulnerable: []
  };
  for (const [path, now] of after) {
    const was = before.get(path);
    if (!was) {
      for (const m of now) diff.added.push({ path, version: m.version });
    } else if (was.length === 1 && now.length === 1) {
      const [a, b] = [was[0], now[0]];
      const c = compareVersions(b.version, a.version);
      if (c > 0) diff.upgraded.push({ path, from: a.version, to: b.version });
      if (c < 0) diff.downgraded.push({ path, from: a.version, to: b.version });
    } else {
      const old = new Set(was.map((m) => m.version));
      const fresh = new Set(now.map((m) => m.version));
      for (const m of now) if (!old.has(m.version)) diff.added.push({ path, version: m.version });
      for (const m of was) if (!fresh.has(m.version)) diff.removed.push({ path, version: m.version });
    }
    const prior = was ?? [];
    for (const m of now) {
      const id = `${m.path}@${m.version}`;
      if (m.deprecated && !prior.some((p) => p.deprecated)) diff.newlyDeprecated.push(id);
      if (m.retracted && !prior.some((p) => p.version === m.version && p.retracted))
        diff.newlyRetracted.push(id);
      if (m.policy.action === "deny" && !prior.some((p) => p.version === m.version && p.policy.action === "deny"))
        diff.newlyDenied.push(id);
      const knownIds = new Set(
        prior.filter((p) => p.version === m.version).flatMap((p) => (p.vulnerabilities ?? []).map((v) => v.id))
      );
      for (const v of m.vulnerabilities ?? []) {
        if (!knownIds.has(v.id)) diff.newlyVulnerable.push({ module: m.path, version: m.version, id: v.id });
      }
    }
  }
  for (const [path, was] of before) {
    if (!after.has(path)) for (const m of was) diff.removed.push({ path, version: m.version });
  }
  return diff;
}

// src/health/take-snapshot.ts
const { tmpdir } = require("node:os");
const { isAbsolute, join: join3, relative } = require("node:path");

// src/health/build-list.ts
const { execFile } = require("node:child_process");
const { dirname, join, resolve } = require("node:path");
async function parseWorkspace(dir) {
  const files2 = await findModuleFiles(dir);
  const goModFiles = files2.filter((f) => f.endsWith("/go.mod") || f.endsWith("\\go.mod"));
  const goWorkFiles = files2.filter((f) => f.endsWith("go.work"));
  const goSumFiles = files2.filter((f) => f.endsWith("go.sum"));
  const parsedMods = /* @__PURE__ */ new Map();
  for (const f of goModFiles) parsedMods.set(f, parseGoMod(await readFile(f, "utf8"), f));
  const usedByWork = /* @__PURE__ */ new Set();
  for (const w of goWorkFiles) {
    const work = parseGoWork(await readFile(w, "utf8"), w);
    for (const u of work.use) usedByWork.add(resolve(dirname(w), u.dir, "go.mod"));
  }
  const roots = [
    ...goWorkFiles.map((w) => ({ dir: dirname(w), work: true })),
    ...goModFiles.filter((f) => !usedByWork.has(resolve(f))).map((f) => ({ dir: dirname(f), work: false }))
  ];
  return { goModFiles, goWorkFiles, goSumFiles, parsedMods, roots };
}
function runGoList(goBinary, cwd, env) {
  return new Promise((done, fail) => {
    execFile(
      goBinary,
      ["list", "-m", "-json", "all"],
      { cwd, env, maxBuffer: 256 << 20 },
      (err, stdout, stderr) => {
        if (err) {
          const missing = err.code === "ENOENT";
          const first = stderr.split("\n").find((l) => l.trim() !== "") ?? err.message;
          fail(Object.assign(new Error(missing ? `no go command (${goBinary})` : first.trim()), { missing }));
        } else done(stdout);
      }
    );
  });
}
function parseJsonObjects(text) {
  const out = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") {
      if (depth++ === 0) start = i;
    } else if (c === "}" && --depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
  }
  return out;
}
async function planBuildList(options) {
  const dir = resolve(options.dir);
  const ws = await parseWorkspace(dir);
  if (ws.roots.length === 0) {
    throw new Error(`${dir}: no go.mod or go.work below it; run health in a Go module's directory (--dir)`);
  }
  const locations = /* @__PURE__ */ new Map();
  const excluded = /* @__PURE__ */ new Set();
  const mainModules = [];
  for (const [file, mod] of ws.parsedMods) {
    if (mod.module) mainModules.push(mod.module.path);
    for (const e of mod.exclude) excluded.add(`${e.path}@${e.version}`);
    for (const r of mod.require) {
      const known = locations.get(r.path);
      if (!known || known.indirect && !r.indirect)
        locations.set(r.path, { file, line: r.line, indirect: r.indirect });
    }
  }
  const mains = new Set(mainModules);
  const at = (path) => {
    const l = locations.get(path);
    return l ? { file: l.file, line: l.line } : null;
  };
  const highest = /* @__PURE__ */ new Map();
  const replaces = /* @__PURE__ */ new Map();
  for (const mod of ws.parsedMods.values()) {
    for (const r of mod.require) {
      if (mains.has(r.path)) continue;
      const seen = highest.get(r.path);
      if (!seen || compareVersions(r.version, seen) > 0) highest.set(r.path, r.version);
    }
    for (const r of mod.replace) replaces.set(r.old.path, { path: r.new.path, version: r.new.version });
  }
  const fromGoMod = (note) => ({
    source: "go-mod",
    note,
    ...files(ws),
    mainModules,
    excluded,
    modules: sortModules(
      [...highest].map(([path, version]) => ({
        path,
        version,
        indirect: !(locations.get(path)?.indirect === false),
        location: at(path),
        replace: replaces.get(path) ?? null
      }))
    )
  });
  const preliminary = fromGoMod(
    "no go command: read the go.mod files (direct and listed indirect requirements only)"
  );
  const goBinary = options.goBinary;
  if (goBinary === null) return { preliminary, final: Promise.resolve(preliminary) };
  const fromGoList = async () => {
    const byKey = /* @__PURE__ */ new Map();
    for (const root of ws.roots) {
      const env = {
        ...options.env,
        ...root.work ? { GOWORK: join(root.dir, "go.work") } : { GOWORK: "off" }
      };
      const listed = parseJsonObjects(await runGoList(goBinary, root.dir, env));
      for (const m of listed) {
        if (m.Main || !m.Version || mains.has(m.Path)) continue;
        const key = `${m.Path}@${m.Version}`;
        if (byKey.has(key)) continue;
        byKey.set(key, {
          path: m.Path,
          version: m.Version,
          indirect: !(locations.get(m.Path)?.indirect === false),
          location: at(m.Path),
          replace: m.Replace ? { path: m.Replace.Path, version: m.Replace.Version ?? "" } : null
        });
      }
    }
    return {
      source: "go-list",
      note: null,
      ...files(ws),
      mainModules,
      excluded,
      modules: sortModules([...byKey.values()])
    };
  };
  const final = fromGoList().catch(
    (err) => fromGoMod(`go list -m -json all failed (${err.message}); read the go.mod files instead`)
  );
  return { preliminary, final };
}
function files(ws) {
  return { goModFiles: ws.goModFiles, goWorkFiles: ws.goWorkFiles, goSumFiles: ws.goSumFiles };
}
function sortModules(modules) {
  return modules.sort(
    (a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : compareVersions(a.version, b.version)
  );
}

// src/health/module-probe.ts
const { join: join2 } = require("node:path");

// src/health/version-query.ts
function listedVersions(listText) {
  const versions = [];
  for (const line of listText.split("\n")) {
    const v = line.trim().split(/\s+/)[0] ?? "";
    if (v !== "" && isValidVersion(v) && !isPseudoVersion(v)) versions.push(v);
  }
  return sortVersions([...new Set(versions)]);
}
async function queryVersion(source, query, allowed) {
  const current = query.kind === "upgrade" ? query.current : "";
  const mayUseLatest = query.kind === "latest" || isPseudoVersion(current);
  const filter = (v) => query.kind === "latest" || compareVersions(v, current) >= 0;
  const preferIncompatible = current.endsWith("+incompatible");
  const versions = await source.list();
  const releases = [];
  const prereleases = [];
  let needIncompatible = preferIncompatible;
  let lastCompatible = "";
  for (const v of versions) {
    if (!filter(v)) continue;
    if (!needIncompatible) {
      if (!v.endsWith("+incompatible")) lastCompatible = v;
      else if (lastCompatible !== "") {
        if (await source.hasGoMod(lastCompatible)) break;
        needIncompatible = true;
      }
    }
    (isPrerelease(v) ? prereleases : releases).push(v);
  }
  for (const pool of [releases, prereleases]) {
    for (let i = pool.length - 1; i >= 0; i--) {
      const v = pool[i];
      if (allowed(v)) return v;
    }
  }
  if (mayUseLatest) {
    const latest = await source.latest();
    if (latest !== null && filter(latest)) return latest;
  }
  if (query.kind === "upgrade") return allowed(current) ? current : null;
  return null;
}

// src/health/module-probe.ts
var dayMs = 864e5;
function fetchResult(a) {
  return { status: a.status, ms: a.ms, bytes: a.bytes, ...a.error ? { error: a.error } : {} };
}
function ageDays(time, now) {
  if (!time) return null;
  const t = Date.parse(time);
  return Number.isNaN(t) ? null : Math.max(0, Math.floor((now.getTime() - t) / dayMs));
}
function behindBy(used, latest) {
  if (compareVersions(latest, used) <= 0) return "none";
  const parts = (v) => (/^v(\d+)\.(\d+)\.(\d+)/.exec(semverCanonical(v)) ?? []).slice(1);
  const [a, b] = [parts(used), parts(latest)];
  if (a[0] !== b[0]) return "major";
  if (a[1] !== b[1]) return "minor";
  return "patch";
}
function mostSevere(decisions) {
  const rank2 = { allow: 0, warn: 1, deny: 2 };
  return decisions.reduce((worst, d) => rank2[d.action] > rank2[worst.action] ? d : worst, {
    action: "allow"
  });
}
async function probeModule(m, ctx) {
  const profile = ctx.profile ?? noProfile;
  const errors = [];
  const note = (what) => (err) => {
    errors.push(`${what}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
    return null;
  };
  const directory = m.replace !== null && m.replace.version === "";
  const target = m.replace && !directory ? m.replace : { path: m.path, version: m.version };
  const pv = ctx.paths(m.path);
  void pv.list().catch(() => null);
  const newerMajorSoon = ctx.newerMajors ? findNewerMajor(m.path, m.version, ctx).then(
    (v) => ({ v, err: null }),
    (err) => ({ v: null, err })
  ) : null;
  const targetPv = ctx.paths(target.path);
  const empty = { status: 0, ms: 0, bytes: 0 };
  let info = empty;
  let mod = empty;
  let zip = empty;
  let source = "unknown";
  let zipHash = null;
  let zipHashedBy = null;
  let modHash = null;
  if (directory) {
    errors.push(`replaced by the directory ${m.replace?.path}: nothing to fetch`);
  } else {
    const base = `${escapePath(target.path)}/@v/${escapeVersion(target.version)}`;
    const zipFile = join2(
      ctx.scratchDir,
      `${escapePath(target.path).replace(/[/!]/g, "_")}@${escapeVersion(target.version)}.zip`
    );
    const zipByHead = async () => {
      if (!ctx.zipHashFromProxy) return null;
      const a = await ctx.client.head(`${base}.zip`, "zip", target.path, true);
      return a.status === 200 && a.h1 ? { answer: a, h1: a.h1 } : null;
    };
    try {
      const [infoA, modA, zipHead] = await profile.time(
        "probe .info/.mod/.zip",
        () => Promise.all([
          ctx.client.get(`${base}.info`, "info", target.path),
          ctx.client.get(`${base}.mod`, "mod", target.path),
          zipByHead()
        ])
      );
      let zipA;
      if (zipHead) {
        zipA = zipHead.answer;
        zipHash = zipHead.h1;
        zipHashedBy = "proxy";
        zip = { ...fetchResult(zipA), bytes: zipA.size ?? 0, method: "HEAD" };
      } else {
        zipA = await profile.time(
          "download .zip",
          () => ctx.client.get(`${base}.zip`, "zip", target.path, zipFile)
        );
        zip = fetchResult(zipA);
        if (zipA.status === 200) {
          zipHash = await profile.time("hash zip", () => checkModuleZip(zipFile, target.path, target.version)).then(
            (c) => c.hash,
            (err) => note(".zip")(err)
          );
          if (zipHash !== null) zipHashedBy = "download";
        }
      }
      info = fetchResult(infoA);
      mod = fetchResult(modA);
      targetPv.seedInfo(target.version, infoA.body);
      targetPv.seedMod(target.version, modA.body);
      const s = zipA.source ?? infoA.source ?? modA.source;
      if (s === "store" || s === "upstream" || s === "direct") source = s;
      for (const [what, a] of [
        [".info", infoA],
        [".mod", modA],
        [".zip", zipA]
      ]) {
        if (a.status !== 200) errors.push(`${what}: ${a.error ?? `HTTP ${a.status}`}`);
      }
      if (modA.body) modHash = hashGoMod(modA.body);
    } finally {
      await rm(zipFile, { force: true });
    }
  }
  const verify = (hash, recorded) => recorded.length === 0 ? "missing" : hash === null ? "unchecked" : recorded.includes(hash) ? "match" : "mismatch";
  const recordedZip = ctx.goSum.zipHash(target.path, target.version);
  const recordedMod = ctx.goSum.modHash(target.path, target.version);
  const missingLines = [];
  if (!directory) {
    if (recordedMod.length === 0)
      missingLines.push(`${target.path} ${target.version}/go.mod${modHash ? ` ${modHash}` : ""}`);
    if (recordedZip.length === 0 && m.location !== null)
      missingLines.push(`${target.path} ${target.version}${zipHash ? ` ${zipHash}` : ""}`);
  }
  let retracted = null;
  let deprecated = null;
  let update = null;
  let versionsBehind = 0;
  const isExcluded = (v) => ctx.excluded.has(`${m.path}@${v}`);
  const latestForRetractions = await profile.time("query latest (list, @latest)", () => queryVersion(pv, { kind: "latest" }, (v) => !isExcluded(v))).catch(note("latest"));
  if (latestForRetractions && latestForRetractions !== m.version)
    void pv.info(latestForRetractions).catch(() => null);
  const latestGoMod = latestForRetractions ? await profile.time("latest go.mod (deprecation, retractions)", () => pv.goMod(latestForRetractions)).catch(note("latest go.mod")) : null;
  if (latestGoMod) {
    if (isRetracted(m.version, latestGoMod.retract)) {
      const why = retractionRationales(m.version, latestGoMod.retract);
      retracted = why.length > 0 ? why : ["retracted by module author"];
    }
    deprecated = latestGoMod.deprecated;
  }
  const retractions = latestGoMod?.retract ?? [];
  const allowed = (v) => !isExcluded(v) && !isRetracted(v, retractions);
  const upgraded = await profile.time("query upgrade", () => queryVersion(pv, { kind: "upgrade", current: m.version }, allowed)).catch(note("update"));
  if (upgraded && compareVersions(upgraded, m.version) > 0) update = upgraded;
  const latest = update ?? m.version;
  if (update) {
    const list = await pv.list().catch(() => []);
    versionsBehind = list.filter(
      (v) => compareVersions(v, m.version) > 0 && compareVersions(v, latest) <= 0 && allowed(v)
    ).length;
  }
  const usedTime = (await pv.info(m.version).catch(() => null))?.Time ?? null;
  const latestTime = latest === m.version ? usedTime : (await profile.time("latest .info", () => pv.info(latest)).catch(() => null))?.Time ?? null;
  let newerMajor = null;
  if (newerMajorSoon) {
    const probed = await profile.time("newer major (wait)", () => newerMajorSoon);
    if (probed.err) note("newer major")(probed.err);
    newerMajor = probed.v;
  }
  let decision = { action: "allow" };
  if (ctx.policy) {
    decision = mostSevere([
      decideVersion(ctx.policy, m.path, m.version, "zip"),
      decideMetadata(ctx.policy, {
        module: m.path,
        version: m.version,
        time: usedTime ? new Date(usedTime) : null,
        retracted: retracted ? { rationale: retracted.join("; ") } : null,
        now: ctx.now
      })
    ]);
  }
  const goPrivate = ctx.goEnv.GOPRIVATE;
  const isPrivate = ctx.policy !== null && isPrivateModule(ctx.policy, m.path) || matchPrefixPatterns(ctx.goEnv.GONOPROXY || goPrivate, m.path);
  const noSumDb = matchPrefixPatterns(ctx.goEnv.GONOSUMDB || goPrivate, m.path) || isPrivate;
  const vulnerabilities = ctx.vulnDb ? await profile.time("vuln db", () => ctx.vulnDb.affecting(m.path, m.version)).catch((err) => {
    note("vulnerability database")(err);
    return [];
  }) : null;
  return {
    path: m.path,
    version: m.version,
    indirect: m.indirect,
    location: m.location,
    replace: m.replace,
    resolvable: {
      ok: directory || info.status === 200 && mod.status === 200 && zip.status === 200 && zipHash !== null,
      info,
      mod,
      zip,
      source
    },
    verified: {
      zip: directory ? "unchecked" : verify(zipHash, recordedZip),
      mod: directory ? "unchecked" : verify(modHash, recordedMod),
      zipHash,
      zipHashedBy,
      modHash,
      missingLines
    },
    current: {
      update,
      latest,
      behind: behindBy(m.version, latest),
      versionsBehind,
      newerMajor,
      usedTime,
      latestTime,
      usedAgeDays: ageDays(usedTime, ctx.now),
      latestAgeDays: ageDays(latestTime, ctx.now)
    },
    deprecated,
    retracted,
    policy: {
      action: decision.action,
      rule: decision.rule ?? null,
      reason: decision.reason ?? null,
      private: isPrivate,
      noSumDb
    },
    vulnerabilities,
    errors
  };
}
async function findNewerMajor(path, version, ctx) {
  const split = splitPathVersion(path);
  if (!split || split.pathMajor.startsWith(".")) return null;
  const used = split.pathMajor ? Number(split.pathMajor.slice(2)) : Math.max(1, Number(versionMajor(version).slice(1)) || 1);
  if (isPseudoVersion(version) && !split.pathMajor && used < 1) return null;
  let found = null;
  for (let n = used + 1; n <= used + 5; n++) {
    const candidate = `${split.prefix}/v${n}`;
    const list = await ctx.paths(candidate).list().catch(() => []);
    const releases = list.filter((v2) => !isPrerelease(v2));
    const v = (releases.length > 0 ? releases : list).at(-1);
    if (!v) break;
    found = { path: candidate, version: v };
  }
  return found;
}

// src/health/path-versions.ts
var ProxyQueryError = class extends Error {
};
var PathVersions = class {
  path;
  #client;
  #escaped;
  #rawList = null;
  #list = null;
  #latest = null;
  #mods = /* @__PURE__ */ new Map();
  #infos = /* @__PURE__ */ new Map();
  constructor(client, path) {
    this.#client = client;
    this.path = path;
    this.#escaped = escapePath(path);
  }
  /** The raw @v/list text ('' when the proxy has no such module). */
  #listText() {
    this.#rawList ??= this.#client.get(`${this.#escaped}/@v/list`, "list", this.path).then((a) => {
      if (a.status === 404 || a.status === 410) return "";
      if (a.status !== 200 || !a.body)
        throw new ProxyQueryError(`${this.path}/@v/list: ${a.error ?? "no answer"}`);
      return a.body.toString("utf8");
    });
    return this.#rawList;
  }
  list() {
    this.#list ??= this.#listText().then(listedVersions);
    return this.#list;
  }
  /**
   * modfetch's proxyRepo.Latest: the @latest answer; without one (404/410), the newest
   * untagged version in the list by its time (proxies may list pseudo-versions).
   */
  latest() {
    this.#latest ??= this.#client.get(`${this.#escaped}/@latest`, "latest", this.path).then(async (a) => {
      if (a.status === 404 || a.status === 410) return latestFromList(await this.#listText());
      if (a.status !== 200 || !a.body)
        throw new ProxyQueryError(`${this.path}/@latest: ${a.error ?? "no answer"}`);
      const v = safeJson(a.body)?.Version;
      return typeof v === "string" ? v : null;
    });
    return this.#latest;
  }
  /** The .mod bytes of a version; null when the proxy has none (404/410). */
  mod(version) {
    let p = this.#mods.get(version);
    if (!p) {
      p = this.#client.get(`${this.#escaped}/@v/${escapeVersion(version)}.mod`, "mod", this.path).then((a) => {
        if (a.status === 404 || a.status === 410) return null;
        if (a.status !== 200 || !a.body)
          throw new ProxyQueryError(`${this.path}@${version}.mod: ${a.error ?? "no answer"}`);
        return a.body;
      });
      this.#mods.set(version, p);
    }
    return p;
  }
  async goMod(version) {
    const bytes = await this.mod(version);
    if (!bytes) return null;
    return parseGoMod(bytes.toString("utf8"), `${this.path}@${version}/go.mod`, { lax: true });
  }
  async hasGoMod(version) {
    const bytes = await this.mod(version);
    return bytes !== null && bytes.toString("utf8") !== `module ${quotedPath(this.path)}
`;
  }
  info(version) {
    let p = this.#infos.get(version);
    if (!p) {
      p = this.#client.get(`${this.#escaped}/@v/${escapeVersion(version)}.info`, "info", this.path).then((a) => a.status === 200 && a.body ? safeJson(a.body) : null);
      this.#infos.set(version, p);
    }
    return p;
  }
  /** Records an .info answer fetched elsewhere (the resolvability probe) so it is not asked twice. */
  seedInfo(version, body) {
    if (!this.#infos.has(version)) this.#infos.set(version, Promise.resolve(body ? safeJson(body) : null));
  }
  seedMod(version, body) {
    if (body && !this.#mods.has(version)) this.#mods.set(version, Promise.resolve(body));
  }
};
function latestFromList(text) {
  let best = null;
  let bestTime = -621355968e5;
  for (const line of text.split("\n")) {
    const fields = line.trim().split(/\s+/);
    const v = fields[0] ?? "";
    if (v === "" || !isValidVersion(v)) continue;
    let time;
    if (fields.length >= 2) time = Date.parse(fields[1]);
    else if (isPseudoVersion(v)) time = pseudoVersionTime(v)?.getTime() ?? Number.NaN;
    else continue;
    if (!Number.isNaN(time) && time > bestTime) {
      best = v;
      bestTime = time;
    }
  }
  return best;
}
function safeJson(body) {
  try {
    const v = JSON.parse(body.toString("utf8"));
    return v && typeof v === "object" ? v : null;
  } catch {
    return null;
  }
}
function quotedPath(path) {
  return /^[^\s"'`()[\]{},/]*(?:\/[^\s"'`()[\]{},/]*)*$/.test(path) && !path.includes("//") ? path : JSON.stringify(path);
}

// src/health/proxy-client.ts
const { createWriteStream } = require("node:fs");
const { Transform } = require("node:stream");
const { pipeline } = require("node:stream/promises");

// src/proxy/served-zip-hash.ts
var wantHeader = "x-goproxy-action-want";
var h1Header = "x-goproxy-action-h1";

// src/health/proxy-client.ts
var maxSmallBody = maxGoMod;
var ProxyClient = class {
  base;
  #options;
  #undici = null;
  /** Every answer's latency and outcome, for the proxy summary when no statistics endpoint exists. */
  log = [];
  constructor(options) {
    const parsed = new URL(options.url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new Error(`--proxy ${options.url}: give an http:// or https:// module proxy URL`);
    }
    this.base = options.url.replace(/\/+$/, "");
    this.#options = options;
  }
  #client() {
    this.#undici ??= import("./undici-LCMKDQIV.js").then((loaded) => {
      const u = "Agent" in loaded ? loaded : loaded.default;
      return {
        request: u.request,
        dispatcher: new u.Agent({ connections: this.#options.connections, keepAliveTimeout: 1e4 })
      };
    });
    return this.#undici;
  }
  /**
   * GET `<base>/<subpath>` (subpath already escaped). With `toFile` the body streams there;
   * otherwise it is returned (up to the go.mod size limit).
   */
  async get(subpath, kind, module, toFile) {
    const limit = toFile ? maxZipFile : maxSmallBody;
    return this.#timed(`http ${kind}`, kind, module, () => this.#fetch(subpath, limit, toFile));
  }
  /**
   * HEAD `<base>/<subpath>`: whether it answers, and its size, without transferring it; for a
   * .zip of our own `serve`, asked with `X-Goproxy-Action-Want: h1`, the zip's h1 too.
   */
  async head(subpath, kind, module, wantH1) {
    return this.#timed(`http ${kind} (HEAD)`, kind, module, () => this.#head(subpath, wantH1), 0);
  }
  /** Runs one request under the profile and the client's log; a failure becomes status 0. */
  async #timed(label2, kind, module, request, loggedBytes) {
    const started = performance.now();
    const answer = await (this.#options.profile ?? noProfile).time(label2, request).catch(
      (err) => ({
        status: 0,
        ms: 0,
        bytes: 0,
        source: null,
        body: null,
        error: describe(err, this.#options.timeoutMs)
      })
    );
    answer.ms = Math.round((performance.now() - started) * 100) / 100;
    this.log.push({
      kind,
      module,
      ms: answer.ms,
      status: answer.status,
      bytes: loggedBytes ?? answer.bytes,
      source: answer.source
    });
    return answer;
  }
  async #head(subpath, wantH1) {
    const { request, dispatcher } = await this.#client();
    const headers = { "user-agent": "goproxy-action-health" };
    if (this.#options.authorization) headers.authorization = this.#options.authorization;
    if (wantH1) headers[wantHeader] = "h1";
    const deadline = this.#options.timeoutMs * 10;
    const res = await request(`${this.base}/${subpath}`, {
      method: "HEAD",
      dispatcher,
      signal: AbortSignal.timeout(deadline),
      headers,
      headersTimeout: deadline,
      bodyTimeout: this.#options.timeoutMs
    });
    await res.body.dump().catch(() => void 0);
    const header = (name) => {
      const v = res.headers[name];
      return typeof v === "string" ? v : null;
    };
    const length = Number(header("content-length") ?? Number.NaN);
    const h1 = header(h1Header);
    return {
      status: res.statusCode,
      ms: 0,
      bytes: 0,
      source: header("x-goproxy-source"),
      body: null,
      ...res.statusCode !== 200 ? { error: `HTTP ${res.statusCode}` } : {},
      ...Number.isSafeInteger(length) && length >= 0 ? { size: length } : {},
      // Only a well-formed h1 (SHA-256, base64): anything else is as if none was sent.
      ...h1 && /^h1:[A-Za-z0-9+/]{43}=$/.test(h1) ? { h1 } : {}
    };
  }
  async #fetch(subpath, limit, toFile) {
    const { request, dispatcher } = await this.#client();
    const signal = AbortSignal.timeout(this.#options.timeoutMs * (toFile ? 10 : 1));
    const headers = { "user-agent": "goproxy-action-health" };
    if (this.#options.authorization) headers.authorization = this.#options.authorization;
    const res = await request(`${this.base}/${subpath}`, {
      dispatcher,
      signal,
      headers,
      headersTimeout: this.#options.timeoutMs,
      bodyTimeout: this.#options.timeoutMs
    });
    const sourceHeader = res.headers["x-goproxy-source"];
    const source = typeof sourceHeader === "string" ? sourceHeader : null;
    if (res.statusCode !== 200) {
      const text = (await readCapped(res.body, 4096).catch(() => Buffer.alloc(0))).toString("utf8");
      const line = text.split("\n")[0]?.trim().slice(0, 300) ?? "";
      return {
        status: res.statusCode,
        ms: 0,
        bytes: 0,
        source,
        body: null,
        error: `HTTP ${res.statusCode}${line ? `: ${line}` : ""}`
      };
    }
    if (toFile) {
      let bytes = 0;
      const counter = new Transform({
        transform(chunk, _enc, done) {
          bytes += chunk.length;
          if (bytes > limit) done(new Error(`answer larger than ${limit} bytes`));
          else done(null, chunk);
        }
      });
      await pipeline(res.body, counter, createWriteStream(toFile, { mode: 384 }));
      return { status: 200, ms: 0, bytes, source, body: null };
    }
    const body = await readCapped(res.body, limit);
    return { status: 200, ms: 0, bytes: body.length, source, body };
  }
};
async function readCapped(stream, limit) {
  const chunks = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > limit) throw new Error(`answer larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
function describe(err, timeoutMs) {
  const e = err;
  if (e?.name === "TimeoutError" || e?.name === "AbortError")
    return `no complete answer in time (deadline ${timeoutMs} ms of silence, 10x for a zip)`;
  if (/timeout/i.test(e?.code ?? "")) return `no answer within ${timeoutMs} ms`;
  return (e?.message ?? String(err)).split("\n")[0] ?? "request failed";
}

// src/health/proxy-summary.ts
function percentile(values, p) {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1));
  return Math.round(sorted[index] * 100) / 100;
}
function isError(status) {
  return status === 0 || status >= 500 || status >= 400 && status !== 404 && status !== 410;
}
function latency(entries) {
  return {
    requests: entries.length,
    errors: entries.filter((e) => isError(e.status)).length,
    p50Ms: percentile(
      entries.map((e) => e.ms),
      50
    ),
    p95Ms: percentile(
      entries.map((e) => e.ms),
      95
    )
  };
}
function summarizeProxy(client, stats) {
  const log = client.log;
  const overall = latency(log);
  const byKind = {};
  for (const kind of [...new Set(log.map((e) => e.kind))].sort())
    byKind[kind] = latency(log.filter((e) => e.kind === kind));
  const perPath = /* @__PURE__ */ new Map();
  for (const e of log) perPath.set(e.module, [...perPath.get(e.module) ?? [], e]);
  const statsByPath = new Map((stats?.modules ?? []).map((m) => [m.path, m]));
  const modules = [...perPath].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([path, entries]) => {
    const s = statsByPath.get(path);
    const sourced2 = entries.filter((e) => e.source !== null && e.status === 200);
    return {
      path,
      ...latency(entries),
      hits: s ? s.hits : sourced2.filter((e) => e.source === "store").length,
      misses: s ? s.misses : sourced2.filter((e) => e.source !== "store").length
    };
  });
  if (stats) {
    const t = stats.totals;
    for (const [kind, c] of Object.entries(stats.byKind)) {
      if (c.requests > 0)
        byKind[`proxy:${kind}`] = { requests: c.requests, errors: c.errors, p50Ms: c.p50Ms, p95Ms: c.p95Ms };
    }
    return {
      url: client.base,
      statsSource: "admin",
      requests: t.requests,
      errors: t.errors,
      errorRate: t.requests > 0 ? round(t.errors / t.requests) : 0,
      // The proxy's own latency for what matters most to a build: the blobs.
      p50Ms: overall.p50Ms,
      p95Ms: overall.p95Ms,
      cacheHitRatio: t.hits + t.misses > 0 ? round(t.hits / (t.hits + t.misses)) : null,
      bytes: t.servedBytes,
      byKind,
      modules
    };
  }
  const sourced = log.filter((e) => e.source !== null && e.status === 200);
  return {
    url: client.base,
    statsSource: "probes",
    requests: overall.requests,
    errors: overall.errors,
    errorRate: overall.requests > 0 ? round(overall.errors / overall.requests) : 0,
    p50Ms: overall.p50Ms,
    p95Ms: overall.p95Ms,
    cacheHitRatio: sourced.length > 0 ? round(sourced.filter((e) => e.source === "store").length / sourced.length) : null,
    bytes: log.reduce((sum, e) => sum + e.bytes, 0),
    byKind,
    modules
  };
}
function round(x) {
  return Math.round(x * 1e4) / 1e4;
}

// src/health/vuln-database.ts
const { fileURLToPath } = require("node:url");
var maxIndexBytes = 64 << 20;
var idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
var VulnDatabase = class _VulnDatabase {
  url;
  modified;
  #byModule;
  #entries = /* @__PURE__ */ new Map();
  #timeoutMs;
  constructor(url, modified, byModule, timeoutMs) {
    this.url = url;
    this.modified = modified;
    this.#byModule = byModule;
    this.#timeoutMs = timeoutMs;
  }
  static async open(url, timeoutMs = 3e4) {
    const base = url.replace(/\/+$/, "");
    const scheme = new URL(base).protocol;
    if (scheme !== "file:" && scheme !== "https:" && scheme !== "http:") {
      throw new Error(`--vuln-db ${url}: give a file:// or https:// base of a Go vulnerability database`);
    }
    let modified = null;
    try {
      const db = JSON.parse((await fetchText(`${base}/index/db.json`, timeoutMs)).toString("utf8"));
      if (typeof db.modified === "string") modified = db.modified;
    } catch {
    }
    const text = await fetchText(`${base}/index/modules.json`, timeoutMs).catch((err) => {
      throw new Error(`--vuln-db ${url}: cannot read index/modules.json (${err.message})`);
    });
    let index;
    try {
      index = JSON.parse(text.toString("utf8"));
    } catch (err) {
      throw new Error(`--vuln-db ${url}: index/modules.json is not JSON (${err.message})`);
    }
    if (!Array.isArray(index))
      throw new Error(`--vuln-db ${url}: index/modules.json is not a list of modules`);
    const byModule = /* @__PURE__ */ new Map();
    for (const item of index) {
      if (typeof item?.path !== "string" || !Array.isArray(item.vulns)) continue;
      const ids = item.vulns.map((v) => v?.id).filter((id) => typeof id === "string" && idPattern.test(id));
      byModule.set(item.path, [...byModule.get(item.path) ?? [], ...ids]);
    }
    return new _VulnDatabase(base, modified, byModule, timeoutMs);
  }
  #entry(id) {
    let p = this.#entries.get(id);
    if (!p) {
      p = fetchText(`${this.url}/ID/${id}.json`, this.#timeoutMs).then((t) => {
        const e = JSON.parse(t.toString("utf8"));
        return e && typeof e.id === "string" ? e : null;
      });
      this.#entries.set(id, p);
    }
    return p;
  }
  /** The entries affecting module@version (withdrawn ones left out), in ID order. */
  async affecting(module, version) {
    const ids = this.#byModule.get(module) ?? [];
    const found = [];
    for (const id of [...new Set(ids)].sort()) {
      const entry = await this.#entry(id);
      if (!entry || entry.withdrawn) continue;
      for (const affected of entry.affected ?? []) {
        if (affected.package?.name !== module) continue;
        const ranges = (affected.ranges ?? []).filter((r) => r.type === "SEMVER");
        if (!ranges.some((r) => inRange(version, r.events ?? []))) continue;
        const events = ranges.flatMap((r) => r.events ?? []);
        const severity = label(affected.ecosystem_specific?.severity) ?? label(affected.database_specific?.severity) ?? label(entry.database_specific?.severity);
        found.push({
          id: entry.id,
          aliases: (entry.aliases ?? []).filter((a) => typeof a === "string"),
          summary: typeof entry.summary === "string" ? entry.summary : (entry.details ?? "").split("\n")[0] ?? "",
          fixed: [...new Set(events.map((e) => e.fixed).filter((f) => typeof f === "string"))].map(goVersion).sort(compareVersions),
          severity,
          ranges: ranges.flatMap((r) => pairs(r.events ?? []))
        });
        break;
      }
    }
    return found;
  }
};
function label(v) {
  return typeof v === "string" && v !== "" ? v.toUpperCase() : null;
}
function goVersion(v) {
  return v.startsWith("v") ? v : `v${v}`;
}
function inRange(version, events) {
  if (!isValidVersion(version)) return false;
  const list = [];
  for (const e of events) {
    if (typeof e.introduced === "string")
      list.push({ at: e.introduced === "0" ? "" : goVersion(e.introduced), kind: "introduced" });
    if (typeof e.fixed === "string") list.push({ at: goVersion(e.fixed), kind: "fixed" });
    if (typeof e.last_affected === "string")
      list.push({ at: goVersion(e.last_affected), kind: "last_affected" });
  }
  list.sort((a, b) => a.at === "" ? -1 : b.at === "" ? 1 : compareVersions(a.at, b.at));
  let affected = false;
  for (const e of list) {
    const cmp = e.at === "" ? 1 : compareVersions(version, e.at);
    if (e.kind === "introduced" && cmp >= 0) affected = true;
    else if (e.kind === "fixed" && cmp >= 0) affected = false;
    else if (e.kind === "last_affected" && cmp > 0) affected = false;
  }
  return affected;
}
function pairs(events) {
  const out = [];
  let open = null;
  for (const e of events) {
    if (typeof e.introduced === "string") open = e.introduced === "0" ? "" : goVersion(e.introduced);
    const end = e.fixed ?? e.last_affected;
    if (typeof end === "string" && open !== null) {
      out.push({ introduced: open, fixed: goVersion(end) });
      open = null;
    }
  }
  if (open !== null) out.push({ introduced: open, fixed: "" });
  return out;
}
async function fetchText(url, timeoutMs) {
  if (url.startsWith("file:")) {
    const buf2 = await readFile(fileURLToPath(url));
    if (buf2.length > maxIndexBytes) throw new Error(`${url} is larger than ${maxIndexBytes} bytes`);
    return buf2;
  }
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
  const buf = Buffer.from(await res.arrayBuffer());
  if (buf.length > maxIndexBytes) throw new Error(`${url} is larger than ${maxIndexBytes} bytes`);
  return buf;
}

// src/health/take-snapshot.ts
function createLimiter(limit) {
  let running = 0;
  const waiting = [];
  return async (task) => {
    if (running >= limit) await new Promise((go) => waiting.push(go));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
async function takeSnapshot(options) {
  const now = options.now ?? /* @__PURE__ */ new Date();
  const profile = options.profile;
  const plan = await planBuildList({
    dir: options.dir,
    goBinary: options.goBinary,
    env: options.goCommandEnv
  });
  const finalBuildList = profile ? profile.time("build list (go list -m -json all)", () => plan.final) : plan.final;
  const goSum = await GoSumIndex.load(plan.preliminary.goSumFiles);
  const vulnDb = options.vulnDbUrl ? await VulnDatabase.open(options.vulnDbUrl, options.timeoutMs) : null;
  const client = new ProxyClient({
    url: options.proxyUrl,
    timeoutMs: options.timeoutMs,
    connections: Math.max(4, options.concurrency * 2),
    ...profile ? { profile } : {},
    ...options.authorization ? { authorization: options.authorization } : {}
  });
  const paths = /* @__PURE__ */ new Map();
  const pathVersions = (path) => {
    let pv = paths.get(path);
    if (!pv) {
      pv = new PathVersions(client, path);
      paths.set(path, pv);
    }
    return pv;
  };
  const scratchDir = await mkdtemp(join3(tmpdir(), "goproxy-health-"));
  const limit = createLimiter(options.concurrency);
  const probes = /* @__PURE__ */ new Map();
  const probe = (m) => {
    const key = `${m.path}@${m.version}=>${m.replace?.path ?? ""}@${m.replace?.version ?? ""}`;
    let p = probes.get(key);
    if (!p) {
      p = limit(
        () => (profile ?? noProfile).time(
          "module probe",
          () => probeModule(m, {
            client,
            paths: pathVersions,
            goSum,
            excluded: plan.preliminary.excluded,
            policy: options.policy,
            goEnv: options.goEnv,
            vulnDb,
            scratchDir,
            now,
            newerMajors: options.newerMajors,
            zipHashFromProxy: options.zipHashFromProxy === true,
            ...profile ? { profile } : {}
          })
        )
      );
      probes.set(key, p);
    }
    return p;
  };
  let buildList;
  let modules;
  try {
    for (const m of plan.preliminary.modules) void probe(m).catch(() => void 0);
    buildList = await finalBuildList;
    let done = 0;
    modules = await Promise.all(
      buildList.modules.map(async (m) => {
        const result = await probe(m);
        options.progress?.update(++done, buildList.modules.length, `${m.path}@${m.version}`);
        return { ...result, indirect: m.indirect, location: m.location, replace: m.replace };
      })
    );
  } finally {
    await Promise.allSettled(probes.values());
    options.progress?.finish();
    await rm(scratchDir, { recursive: true, force: true });
  }
  const rel = (file) => {
    const r = relative(options.dir, file);
    return r !== "" && !r.startsWith("..") && !isAbsolute(r) ? r.split("\\").join("/") : file;
  };
  for (const m of modules) if (m.location) m.location = { ...m.location, file: rel(m.location.file) };
  let stats = null;
  if (options.readStats) stats = await options.readStats();
  return {
    schemaVersion: snapshotSchemaVersion,
    generatedAt: now.toISOString(),
    workspace: {
      dir: options.dir,
      buildListSource: buildList.source,
      buildListNote: buildList.note,
      goModFiles: buildList.goModFiles.map(rel),
      goWorkFiles: buildList.goWorkFiles.map(rel),
      goSumFiles: buildList.goSumFiles.map(rel),
      mainModules: buildList.mainModules
    },
    proxy: {
      ...summarizeProxy(client, stats),
      ...options.proxyShown !== void 0 ? { url: options.proxyShown } : {}
    },
    vulnDb: vulnDb ? { url: vulnDb.url, modified: vulnDb.modified } : null,
    policySource: options.policySource,
    modules,
    summary: summarize(modules)
  };
}

// src/health/run-health.ts
function credentialsFromUrl(raw) {
  const u = new URL(raw);
  if (!u.username && !u.password) return { url: raw };
  const auth = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString("base64")}`;
  u.username = "";
  u.password = "";
  return { url: u.toString().replace(/\/+$/, ""), authorization: auth };
}
async function readHealthInputs(raw) {
  const failOn = parseFailOn(raw.failOn);
  const goVars = await readGoEnv(["GOPROXY", "GOPRIVATE", "GONOPROXY", "GONOSUMDB"], {
    env: raw.env,
    whenGoMissing: "environment"
  });
  const readyFile = raw.readyFile ?? (raw.stateDir ? readyFilePath(raw.stateDir) : void 0);
  let readStats = null;
  let proxyUrl = raw.proxy;
  let proxyShown;
  if (readyFile) {
    const ready = await readReadyFile(readyFile);
    if (!ready)
      throw new Error(
        `${readyFile}: no running proxy's ready file there; start the proxy first or leave --ready-file out`
      );
    const clientUrl = ready.goproxy ?? ready.url;
    proxyUrl ??= clientUrl;
    if (proxyUrl === clientUrl && clientUrl !== ready.url) proxyShown = `${ready.url}/${CLIENT_TOKEN_SHOWN}`;
    const target = { adminUrl: ready.adminUrl, token: ready.token };
    if (proxyUrl === clientUrl || proxyUrl === ready.url) readStats = () => getStats(target);
  }
  if (proxyUrl === void 0) {
    const first = parseGoproxyList(goVars.GOPROXY).find((e) => e.kind === "url");
    if (first?.kind !== "url") {
      throw new Error(`GOPROXY is '${goVars.GOPROXY}', which names no proxy URL; give --proxy URL`);
    }
    proxyUrl = first.url;
  }
  const { url, authorization: fromUrl } = credentialsFromUrl(proxyUrl);
  if (proxyShown === void 0 && hideClientPath(url) !== url) proxyShown = hideClientPath(url);
  let authorization = fromUrl;
  if (!authorization && !readStats) {
    const machine = netrcMachineFor(url);
    const entry = (await readUserNetrc(userNetrcPath(raw.env))).find((e) => e.machine === machine);
    if (entry) authorization = `Basic ${Buffer.from(`${entry.login}:${entry.password}`).toString("base64")}`;
  }
  const loaded = await loadPolicy({
    workspace: raw.dir,
    ...raw.policy ? { explicitPath: raw.policy } : {}
  });
  const policy = loaded.policy;
  return {
    dir: raw.dir,
    proxyUrl: url,
    ...proxyShown !== void 0 ? { proxyShown } : {},
    ...authorization ? { authorization } : {},
    goBinary: raw.useGo ? "go" : null,
    // The build list comes through the same proxy.
    goCommandEnv: { ...raw.env, GOPROXY: proxyUrl },
    goEnv: { GOPRIVATE: goVars.GOPRIVATE, GONOPROXY: goVars.GONOPROXY, GONOSUMDB: goVars.GONOSUMDB },
    policy,
    policySource: loaded.source,
    vulnDbUrl: raw.vulnDb || null,
    readStats,
    // Only our own in-job proxy, found through its ready file, is asked for zip hashes.
    zipHashFromProxy: readStats !== null,
    concurrency: raw.concurrency,
    timeoutMs: raw.timeoutMs,
    newerMajors: raw.newerMajors,
    failOn
  };
}
async function runHealth(inputs, options) {
  const baseline = options.baseline ? parseSnapshot(options.baseline.text, options.baseline.source) : null;
  const profile = process.env.GOPROXY_ACTION_HEALTH_PROFILE === "1" ? new PhaseProfile() : void 0;
  const snapshot = await (profile ?? noProfile).time(
    "snapshot",
    () => takeSnapshot({
      ...inputs,
      ...options.progress ? { progress: createProgress(options.progress) } : {},
      ...profile ? { profile } : {}
    })
  );
  const { diff, markdown } = await (profile ?? noProfile).time("render and write reports", async () => {
    const diff2 = baseline ? diffSnapshots(baseline, snapshot) : null;
    const markdown2 = renderMarkdown(snapshot, diff2);
    const write = async (file, text) => {
      if (!file) return;
      await mkdir(dirname2(file), { recursive: true });
      await writeFile(file, text);
    };
    await write(options.outputs.json, `${JSON.stringify(snapshot, null, 2)}
`);
    await write(options.outputs.markdown, markdown2);
    await write(options.outputs.junit, renderJUnit(snapshot));
    await write(options.outputs.codequality, renderCodeQuality(snapshot));
    return { diff: diff2, markdown: markdown2 };
  });
  if (profile) process.stderr.write(`${profile.render()}
`);
  return {
    snapshot,
    diff,
    markdown,
    annotations: renderAnnotations(snapshot),
    text: renderText(snapshot, diff),
    failures: failures(snapshot, inputs.failOn, diff)
  };
}
function renderText(s, diff) {
  const lines = s.modules.flatMap(moduleFindings).map((f) => `${f.severity}: ${f.message}`);
  const sum = s.summary;
  lines.push(
    `health: ${sum.modules} modules (${s.workspace.buildListSource}); ${sum.unresolvable} unresolvable, ${sum.checksumMismatch} checksum mismatches, ${sum.retracted} retracted, ${sum.deprecated} deprecated, ${sum.denied} denied, ${sum.vulnerable} vulnerable, ${sum.outdated} with updates`
  );
  lines.push(
    `proxy ${s.proxy.url}: p50 ${s.proxy.p50Ms} ms, p95 ${s.proxy.p95Ms} ms, error rate ${(s.proxy.errorRate * 100).toFixed(1)}%, cache hits ${s.proxy.cacheHitRatio === null ? "unknown" : `${(s.proxy.cacheHitRatio * 100).toFixed(1)}%`}`
  );
  if (diff) {
    lines.push(
      `since baseline: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.upgraded.length} upgraded, ${diff.downgraded.length} downgraded, ${diff.newlyVulnerable.length} newly vulnerable`
    );
  }
  return `${lines.join("\n")}
`;
}

// src/cli/health-command.ts
var help = `usage: goproxy-action health [options]

Takes a health snapshot of every module@version in the workspace's build list (go list -m all,
or the go.mod files without a go command): resolvable through the proxy, verified against
go.sum, current, deprecated, retracted, allowed by policy, vulnerable; and of the proxy itself.

options:
  --dir DIR             workspace root (default: the current directory)
  --proxy URL           module proxy to probe (default: the in-job proxy of --ready-file, else
                        the first http(s) entry of the job's GOPROXY); credentials from NETRC
  --ready-file FILE     the in-job proxy's ready file: its URL and admin token (statistics)
  --state-dir DIR       the state directory given to 'start' (its ready file is used)
  --policy FILE         policy file (default: DIR/.goproxy.yml when present)
  --vuln-db URL         Go vulnerability database (OSV) at a file:// or https:// base
  --baseline FILE       an earlier snapshot (JSON) to compare with (a missing file is noted)
  --json FILE           write the snapshot (JSON, schema/health-snapshot.schema.json)
  --markdown FILE       write the Markdown report
  --junit FILE          write JUnit XML (one test case per module)
  --codequality FILE    write a GitLab code quality report
  --annotations         print GitHub workflow annotations at the go.mod lines
  --gitlab-mr-note      in a GitLab merge request pipeline: create or update one note with the
                        report (token: the GOPROXY_HEALTH_GITLAB_TOKEN variable)
  --fail-on LIST        retracted,denied,checksum,vuln[:SEVERITY],new-vuln[:SEVERITY],
                        deprecated,unresolvable,missing-sum (default: none)
  --concurrency N       modules probed at once (default 16)
  --timeout MS          deadline of each request to the proxy (default 30000)
  --no-go               do not run the go command; read the go.mod files
  --no-newer-majors     do not look for newer major version paths (/vN)
  --format FORMAT       what goes to stdout: text (default), markdown, json
  -h, --help            show this help`;
var healthCommand = {
  summary: "module health snapshot of the workspace and the proxy",
  async run(args) {
    let values;
    try {
      values = parse(args).values;
    } catch (err) {
      throw new UsageError(`${err.message}
${help}`);
    }
    if (values.help) {
      process.stdout.write(`${help}
`);
      return 0;
    }
    const format = values.format ?? "text";
    if (!["text", "markdown", "json"].includes(format))
      throw new UsageError(`--format ${format}: write text, markdown or json`);
    const number = (name, value, fallback, min) => {
      if (value === void 0) return fallback;
      const n = Number(value);
      if (!Number.isInteger(n) || n < min)
        throw new UsageError(`--${name} ${value}: give a whole number >= ${min}`);
      return n;
    };
    const inputs = await readHealthInputs({
      dir: resolve2(values.dir ?? "."),
      proxy: values.proxy,
      readyFile: values["ready-file"],
      stateDir: values["state-dir"],
      policy: values.policy !== void 0 ? resolve2(values.policy) : void 0,
      vulnDb: values["vuln-db"],
      failOn: values["fail-on"] ?? "",
      concurrency: number("concurrency", values.concurrency, 16, 1),
      timeoutMs: number("timeout", values.timeout, 3e4, 100),
      useGo: !values["no-go"],
      newerMajors: !values["no-newer-majors"],
      env: process.env
    });
    const baseline = values.baseline !== void 0 ? await readBaseline(resolve2(values.baseline)) : null;
    const result = await runHealth(inputs, {
      baseline,
      outputs: {
        json: values.json,
        markdown: values.markdown,
        junit: values.junit,
        codequality: values.codequality
      },
      progress: process.stderr
    });
    if (values.annotations) process.stdout.write(result.annotations);
    if (format === "json") process.stdout.write(`${JSON.stringify(result.snapshot, null, 2)}
`);
    else if (format === "markdown") process.stdout.write(result.markdown);
    else process.stdout.write(result.text);
    if (values["gitlab-mr-note"]) await writeMrNote(result.markdown);
    for (const line of result.failures) process.stderr.write(`fail-on: ${line}
`);
    return result.failures.length > 0 ? 1 : 0;
  }
};
async function writeMrNote(markdown) {
  const { mrNoteTarget, upsertMrNote } = await import("./health-mr-note-NZMUFFAI.js");
  const found = mrNoteTarget(process.env);
  if ("notice" in found) {
    process.stderr.write(`${found.notice}
`);
    return;
  }
  try {
    const done = await upsertMrNote(found.target, markdown);
    process.stderr.write(`health: merge request note ${done.action} (note ${done.noteId})
`);
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "";
    process.stderr.write(
      `health: could not write the merge request note (${message.replaceAll(found.target.token, "***")}); check that the token has the api scope
`
    );
  }
}
async function readBaseline(file) {
  try {
    return { text: await readFile(file, "utf8"), source: file };
  } catch (err) {
    if (err.code === "ENOENT") {
      process.stderr.write(`health: no baseline at ${file} (first run?): nothing to compare with
`);
      return null;
    }
    throw err;
  }
}
function parse(args) {
  return parseArgs({
    args,
    allowPositionals: false,
    options: {
      dir: { type: "string" },
      proxy: { type: "string" },
      "ready-file": { type: "string" },
      "state-dir": { type: "string" },
      policy: { type: "string" },
      "vuln-db": { type: "string" },
      baseline: { type: "string" },
      json: { type: "string" },
      markdown: { type: "string" },
      junit: { type: "string" },
      codequality: { type: "string" },
      annotations: { type: "boolean" },
      "gitlab-mr-note": { type: "boolean" },
      "fail-on": { type: "string" },
      concurrency: { type: "string" },
      timeout: { type: "string" },
      "no-go": { type: "boolean" },
      "no-newer-majors": { type: "boolean" },
      format: { type: "string" },
      help: { type: "boolean", short: "h" }
    }
  });
}
export {
  healthCommand
};
