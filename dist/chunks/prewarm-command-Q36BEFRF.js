import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  require_undici
} from "./chunk-LQXP64C3.js";
import {
  netrcMachineFor,
  readUserNetrc,
  userNetrcPath
} from "./chunk-BO5D4OGQ.js";
import {
  Gitlab
} from "./chunk-Y226PJ7M.js";
import {
  ModuleZipError,
  checkModuleZip,
  hashGoMod,
  maxGoMod,
  maxZipFile
} from "./chunk-OHL6JSWT.js";
import {
  formatGoDuration,
  parseGoDuration
} from "./chunk-VCQX7A6J.js";
import {
  parseGoMod,
  parseGoWork
} from "./chunk-T52YN4YC.js";
import {
  matchPatternList
} from "./chunk-IUAILITG.js";
import {
  UsageError
} from "./chunk-F4IRGORQ.js";
import {
  eachLimited
} from "./chunk-LX67Z6VI.js";
import {
  hideClientPath
} from "./chunk-Z3RLGLLH.js";
import {
  findModuleFiles,
  isWorkspaceModuleFile
} from "./chunk-4ZLOKNXU.js";
import {
  parseGoSum
} from "./chunk-TP23J6CY.js";
import {
  createHash
} from "./chunk-IZF6HKYA.js";
import {
  ModulePathError,
  checkModulePath,
  checkModuleVersion,
  escapePath,
  escapeVersion
} from "./chunk-HYK6JFBE.js";
import {
  canonicalVersion,
  compareGoStrings,
  compareVersions,
  isPrerelease,
  isValidVersion,
  sortVersions,
  versionMajor
} from "./chunk-ACB7LVIP.js";
import {
  privatePatternsFrom
} from "./chunk-XN7JYT6V.js";
import {
  readGoEnv,
  redactSecrets
} from "./chunk-BDS5G37X.js";
import {
  loadPolicy
} from "./chunk-CUR5OLJO.js";
import {
  glob,
  mkdtemp,
  readFile,
  rm,
  writeFile
} from "./chunk-SY3SBDYW.js";
import {
  __toESM
} from "./chunk-UOOPJVRV.js";

// src/cli/prewarm-command.ts
const { parseArgs } = require("node:util");

// src/prewarm/prewarm-defaults.ts
var prewarmDefaults = {
  /**
   * Requests at once. The work is waiting on the proxy's own fetches (a cold Athens or goproxy
   * answers a miss only after fetching the whole module upstream), not CPU: measured in
   * bench/prewarm-peers.ts (bench/README.md).
   */
  concurrency: 16,
  /**
   * To the headers, and the longest silence in a body. A cold proxy's first answer for a module
   * waits for its whole upstream fetch: over a minute for a large module on a loaded peer
   * (google.golang.org/api, 37 MB, took 88 s on Athens in the benchmark), and retrying then only
   * asks for the same fetch again (goproxy/goproxy even starts a second one).
   */
  timeoutMs: 3e5,
  /**
   * The longest one attempt may take from start to the body's last byte. The per-read timeout
   * alone lets a proxy that sends one byte just inside it hold a request for hours. 20 minutes
   * leave the headers their 5 minutes and a module zip of the go command's 500 MB limit
   * 15 minutes (about 0.6 MB/s).
   */
  requestDeadlineMs: 12e5
};

// src/prewarm/prewarm-job.ts
const { resolve: resolve2 } = require("node:path");

// src/prewarm/workspace-source.ts
const { basename, dirname, join, relative, resolve } = require("node:path");
async function expandModuleFileGlobs(dir, patterns) {
  const found = /* @__PURE__ */ new Set();
  for (const pattern of patterns) {
    let matched = 0;
    for await (const entry of glob(pattern, { cwd: dir })) {
      const rel = String(entry);
      if (!isWorkspaceModuleFile(rel)) continue;
      const name = basename(rel);
      if (name !== "go.mod" && name !== "go.sum" && name !== "go.work" && name !== "go.work.sum") continue;
      found.add(resolve(dir, rel));
      matched++;
    }
    if (matched === 0 && !/[*?[{]/.test(pattern)) {
      throw new Error(`--files ${pattern}: no such go.mod, go.sum or go.work file below ${dir}`);
    }
  }
  return [...found].sort();
}
async function addWorkspaceFiles(plan, files, display) {
  const all = new Set(files);
  for (const file of files) {
    const name = basename(file);
    const shown = relative(display, file) || name;
    const text = await readFile(file, "utf8");
    if (name === "go.sum" || name === "go.work.sum") {
      addGoSum(plan, text, shown);
    } else if (name === "go.mod") {
      if (all.has(join(dirname(file), "go.sum"))) continue;
      addGoModRequires(plan, parseGoMod(text, shown), shown);
    } else if (name === "go.work") {
      const work = parseGoWork(text, shown);
      const workSum = join(dirname(file), "go.work.sum");
      if (!all.has(workSum)) {
        const sumText = await readFile(workSum, "utf8").catch(() => null);
        if (sumText !== null) addGoSum(plan, sumText, relative(display, workSum));
      }
      for (const use of work.use) {
        const moduleDir = resolve(dirname(file), use.dir);
        for (const f of ["go.sum", "go.mod"]) {
          const path = join(moduleDir, f);
          if (all.has(path)) continue;
          const content = await readFile(path, "utf8").catch(() => null);
          if (content === null) continue;
          const where = relative(display, path);
          if (f === "go.sum") {
            addGoSum(plan, content, where);
            all.add(path);
          } else if (!all.has(join(moduleDir, "go.sum"))) {
            addGoModRequires(plan, parseGoMod(content, where), where);
          }
        }
      }
    }
  }
}
function addGoSum(plan, text, file) {
  for (const line of parseGoSum(text, file)) {
    plan.add({
      module: line.module,
      version: line.version,
      want: line.isGoMod ? "mod" : "full",
      source: `${file}:${line.line}`,
      ...line.isGoMod ? { modHash: line.hash } : { zipHash: line.hash }
    });
  }
}
function addGoModRequires(plan, mod, file) {
  for (const req of mod.require) {
    const replaced = mod.replace.find(
      (r) => r.old.path === req.path && (r.old.version === "" || r.old.version === req.version)
    );
    if (replaced) {
      if (replaced.new.version === "") continue;
      plan.add({
        module: replaced.new.path,
        version: replaced.new.version,
        want: "full",
        source: `${file}:${replaced.line}`
      });
      continue;
    }
    checkModulePath(req.path);
    if (!isValidVersion(req.version)) continue;
    plan.add({ module: req.path, version: req.version, want: "full", source: `${file}:${req.line}` });
  }
}

// src/prewarm/gitlab-source.ts
var sumFileNames = /* @__PURE__ */ new Set(["go.sum", "go.work.sum"]);
function sumFilesOfTree(entries) {
  return entries.filter((e) => e.type === "blob" && sumFileNames.has(e.name)).map((e) => e.path).filter(isWorkspaceModuleFile).sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
}
function statusOf(error) {
  const cause = error.cause;
  return cause?.response?.status;
}
async function explained(what, call) {
  try {
    return await call();
  } catch (error) {
    const status = statusOf(error);
    const hint = status === 401 ? ": the token was refused; give one with the read_api scope" : status === 403 ? ": the token may not read it (it needs read_api, and access to the group or project)" : status === 404 ? ": no such group or project, or the token cannot see it" : "";
    throw new Error(`GitLab API: ${what}: ${error.message}${hint}`);
  }
}
async function addGitlabProjects(plan, options) {
  const api = new Gitlab({ host: options.url.replace(/\/+$/, ""), token: options.token });
  const projects = [];
  if (options.group) {
    const group = options.group;
    const listed = await explained(
      `listing the projects of group ${group}`,
      () => api.Groups.allProjects(group, {
        includeSubgroups: options.includeSubgroups,
        archived: false,
        perPage: 100
      })
    );
    projects.push(...listed);
  }
  for (const id of options.projects) {
    projects.push(
      await explained(`reading project ${id}`, () => api.Projects.show(id))
    );
  }
  const unique = [];
  const seen = /* @__PURE__ */ new Set();
  for (const project of [...projects].sort((a, b) => a.id - b.id)) {
    if (seen.has(project.id)) continue;
    seen.add(project.id);
    unique.push(project);
  }
  const read = new Array(unique.length);
  let failed = false;
  await eachLimited(
    unique.map((project, at) => ({ project, at })),
    projectsAtOnce,
    async ({ project, at }) => {
      if (failed) return;
      try {
        read[at] = await readProject(api, project, options.ref);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  );
  const notes = [];
  for (const { note, sums } of read) {
    for (const { file, text } of sums) addGoSum(plan, text, `gitlab:${note.project}@${note.ref}/${file}`);
    notes.push(note);
  }
  return notes;
}
var projectsAtOnce = 8;
async function readProject(api, project, refOption) {
  const name = project.path_with_namespace;
  if (project.archived)
    return { note: { project: name, ref: null, outcome: "archived", files: [] }, sums: [] };
  const ref = refOption ?? project.default_branch ?? null;
  if (!ref) return { note: { project: name, ref: null, outcome: "empty", files: [] }, sums: [] };
  let tree;
  try {
    tree = await api.Repositories.allRepositoryTrees(project.id, {
      recursive: true,
      ref,
      perPage: 100,
      pagination: "keyset"
    });
  } catch (error) {
    if (statusOf(error) === 404)
      return { note: { project: name, ref, outcome: "no-ref", files: [] }, sums: [] };
    throw new Error(`GitLab API: listing the files of ${name} at ${ref}: ${error.message}`);
  }
  const files = sumFilesOfTree(tree);
  const sums = [];
  for (const file of files) {
    let text;
    try {
      const raw = await api.RepositoryFiles.showRaw(project.id, file, ref);
      text = typeof raw === "string" ? raw : await raw.text();
    } catch (error) {
      throw new Error(`GitLab API: reading ${file} of ${name} at ${ref}: ${error.message}`);
    }
    sums.push({ file, text });
  }
  return { note: { project: name, ref, outcome: files.length > 0 ? "read" : "no-go-sum", files }, sums };
}

// src/prewarm/list-source.ts
function addModuleArgument(plan, text, source) {
  const at = text.lastIndexOf("@");
  if (at <= 0 || at === text.length - 1) {
    throw new Error(
      `${source}: ${JSON.stringify(text)} is not module@version or module@query (e.g. example.com/m@v1.2.3 or example.com/m@latest)`
    );
  }
  const module = text.slice(0, at);
  const query = text.slice(at + 1);
  try {
    checkModulePath(module);
  } catch (error) {
    if (error instanceof ModulePathError) throw new Error(`${source}: ${error.message}`);
    throw error;
  }
  if (/[\s/]/.test(query) && !query.startsWith("<") && !query.startsWith(">")) {
    throw new Error(`${source}: bad query ${JSON.stringify(query)} for ${module}`);
  }
  if (isValidVersion(query) && canonicalVersion(query) === query) {
    plan.add({ module, version: query, want: "full", source });
  } else {
    plan.addQuery({ module, query, source });
  }
}
async function addListFile(plan, file, shown) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new Error(
      `cannot read the module list ${file} (${error.code ?? error}); check --list`
    );
  }
  text.split("\n").forEach((raw, index) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    addModuleArgument(plan, line, `${shown}:${index + 1}`);
  });
}

// src/prewarm/proxy-client.ts
var import_undici = __toESM(require_undici(), 1);
var ProxyRequestError = class extends Error {
  name = "ProxyRequestError";
  status;
  attempts;
  constructor(message, status, attempts) {
    super(message);
    this.status = status;
    this.attempts = attempts;
  }
};
var BodyCheckError = class extends Error {
  name = "BodyCheckError";
};
var ProxyClient = class {
  #options;
  #agent;
  #budget;
  retries = 0;
  constructor(options) {
    this.#options = options;
    this.#budget = options.retryBudget;
    this.#agent = new import_undici.Agent({
      connections: options.connections,
      keepAliveTimeout: 3e4,
      connectTimeout: options.timeoutMs,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs
    });
  }
  get retryBudgetLeft() {
    return this.#budget;
  }
  /**
   * GETs `path` (already escaped, starting with '/'), hands a 200 body to `consume`, and returns
   * its result. A body that fails mid-read is retried like a failed request; `consume` must be
   * restartable. Non-retryable statuses (404, 410, other 4xx) throw at once.
   */
  async get(path, consume2) {
    const options = this.#options;
    const url = `${options.baseUrl}${path}`;
    const headers = { "user-agent": "goproxy-action prewarm" };
    if (options.authorization) headers.authorization = options.authorization;
    const deadlineMs = options.requestDeadlineMs ?? prewarmDefaults.requestDeadlineMs;
    for (let attempt = 1; ; attempt++) {
      options.signal?.throwIfAborted();
      let retryAfterMs = null;
      let failure;
      let status = null;
      const started = performance.now();
      const deadline = AbortSignal.timeout(deadlineMs);
      const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
      const pastDeadline = () => deadline.aborted && !options.signal?.aborted ? new ProxyRequestError(
        `${path}: no complete answer within the request deadline of ${formatGoDuration(deadlineMs)} (--request-deadline); the proxy sends too slowly or never ends its answer`,
        status,
        attempt
      ) : null;
      try {
        const response = await (0, import_undici.request)(url, {
          method: "GET",
          headers,
          dispatcher: this.#agent,
          signal
        });
        status = response.statusCode;
        const answer = {
          status,
          headers: flatHeaders(response.headers),
          firstByteMs: performance.now() - started,
          attempts: attempt
        };
        if (status === 200) {
          try {
            return { value: await consume2(response.body, answer), answer };
          } catch (error) {
            response.body.destroy();
            if (error instanceof BodyCheckError || options.signal?.aborted) throw error;
            const late = pastDeadline();
            if (late) throw late;
            failure = `the answer broke off: ${describe(error)}`;
          }
        } else {
          const text = await readSome(response.body);
          const late = pastDeadline();
          if (late) throw late;
          failure = `HTTP ${status}${text ? `: ${text}` : ""}`;
          if (status === 429 || status === 503) retryAfterMs = parseRetryAfter(answer.headers["retry-after"]);
          if (!(status >= 500 || status === 429 || status === 408)) {
            throw new ProxyRequestError(failure, status, attempt);
          }
        }
      } catch (error) {
        if (error instanceof ProxyRequestError || error instanceof BodyCheckError) throw error;
        if (options.signal?.aborted) throw options.signal.reason ?? error;
        const late = pastDeadline();
        if (late) throw late;
        failure = describe(error);
      }
      if (attempt >= options.attempts) {
        throw new ProxyRequestError(`${failure} (after ${attempt} attempts)`, status, attempt);
      }
      if (this.#budget <= 0) {
        throw new ProxyRequestError(
          `${failure} (the run's retry budget of ${options.retryBudget} is spent)`,
          status,
          attempt
        );
      }
      this.#budget--;
      this.retries++;
      await sleep(retryDelayMs(attempt, retryAfterMs, options), options.signal);
    }
  }
  /** Closes the connections; after an abort, without waiting for answers still on their way. */
  async close() {
    if (this.#options.signal?.aborted) await this.#agent.destroy();
    else await this.#agent.close();
  }
};
function retryDelayMs(attempt, retryAfterMs, options) {
  const random = options.random ?? Math.random;
  const backoff = random() * Math.min(options.maxBackoffMs, options.backoffMs * 2 ** (attempt - 1));
  return retryAfterMs !== null ? Math.min(Math.max(retryAfterMs, backoff), options.maxBackoffMs) : backoff;
}
function flatHeaders(headers) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== void 0) out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
function parseRetryAfter(value, now = Date.now()) {
  if (value === void 0) return null;
  const trimmed = value.trim();
  if (/^[0-9]+$/.test(trimmed)) return Number(trimmed) * 1e3;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}
async function readSome(body) {
  let text = "";
  try {
    for await (const chunk of body) {
      text += Buffer.from(chunk).toString("utf8");
      if (text.length >= 300) break;
    }
  } catch {
  }
  return text.replace(/[^\x20-\x7e]+/g, " ").trim().slice(0, 200);
}
function describe(error) {
  if (error instanceof Error) {
    const code = error.code;
    if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT")
      return `timed out (${error.message})`;
    if (code === "UND_ERR_CONNECT_TIMEOUT") return "timed out connecting";
    return code ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
function sleep(ms, signal) {
  return new Promise((done, fail) => {
    if (signal?.aborted) return fail(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      done();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      fail(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

// src/prewarm/proxy-credentials.ts
function isLoopback(host) {
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
}
async function proxyCredentials(options) {
  const url = new URL(options.proxyUrl);
  if (url.username || url.password) {
    throw new Error(
      "the proxy URL holds credentials; put them in a NETRC file or pass a token with --token-env instead, so they never appear in a command line or log"
    );
  }
  if (options.tokenEnv) {
    const token = options.env[options.tokenEnv] ?? "";
    if (token === "" || /\s/.test(token)) {
      throw new Error(
        `--token-env ${options.tokenEnv}: the variable is ${token === "" ? "empty or unset" : "holding white space"}; set it to the proxy's bearer token`
      );
    }
    if (url.protocol !== "https:" && !isLoopback(url.hostname)) {
      throw new Error("a bearer token is only sent to an https:// proxy (or one on this machine)");
    }
    return {
      authorization: `Bearer ${token}`,
      secrets: [token],
      how: `bearer token from $${options.tokenEnv}`
    };
  }
  const netrcPath = userNetrcPath(options.env, options.home);
  const entries = await readUserNetrc(netrcPath);
  const machine = netrcMachineFor(options.proxyUrl);
  const entry = entries.find((e) => e.machine === machine) ?? entries.find((e) => e.machine === url.hostname);
  if (!entry) return { secrets: [], how: "none" };
  const basic = Buffer.from(`${entry.login}:${entry.password}`).toString("base64");
  return {
    authorization: `Basic ${basic}`,
    secrets: [entry.password, basic],
    how: `netrc entry for ${entry.machine}`
  };
}
function proxyLabel(proxyUrl) {
  const url = new URL(proxyUrl);
  return hideClientPath(`${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`);
}

// src/prewarm/run-prewarm.ts
const { tmpdir } = require("node:os");
const { join: join3 } = require("node:path");

// src/prewarm/prewarm-report.ts
function totalsOf(modules, retries) {
  const count = (status) => modules.filter((m) => m.status === status).length;
  return {
    modules: modules.length,
    warmed: count("warmed"),
    alreadyWarm: count("already-warm"),
    failed: count("failed"),
    mismatches: modules.filter((m) => m.mismatch).length,
    skipped: count("skipped"),
    notStarted: count("not-started"),
    bytes: modules.reduce((sum, m) => sum + m.bytes, 0),
    retries
  };
}
function slowestOf(modules, count = 10) {
  return modules.filter((m) => m.status === "warmed" || m.status === "already-warm" || m.status === "failed").map((m) => ({ module: m.module, version: m.version, ms: m.ms })).sort(
    (a, b) => b.ms - a.ms || (a.module < b.module ? -1 : a.module > b.module ? 1 : 0) || (a.version < b.version ? -1 : 1)
  ).slice(0, count);
}
function hasFailures(report) {
  return report.totals.failed > 0 || report.queries.some((q) => q.error !== void 0) || (report.sumdb?.lookups.some((l) => l.status === "failed") ?? false) || (report.sumdb?.tiles.some((t) => t.status === "failed") ?? false);
}
function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

// src/prewarm/resolve-query.ts
async function readText(body, limit) {
  let text = "";
  for await (const chunk of body) {
    text += Buffer.from(chunk).toString("utf8");
    if (text.length > limit) throw new BodyCheckError(`the answer is larger than ${limit} bytes`);
  }
  return text;
}
function infoVersion(text, what) {
  let version;
  try {
    version = JSON.parse(text).Version;
  } catch {
    throw new BodyCheckError(`${what} is not JSON module info`);
  }
  if (typeof version !== "string" || !isValidVersion(version) || canonicalVersion(version) !== version) {
    throw new BodyCheckError(`${what} names no canonical version (${JSON.stringify(version)})`);
  }
  return version;
}
function selectFromList(versions, query) {
  const valid = versions.filter((v) => isValidVersion(v) && canonicalVersion(v) === v);
  const comparison = /^(<=|>=|<|>)(v.+)$/.exec(query);
  let matches;
  let lowest = false;
  if (comparison) {
    const [, op, bound] = comparison;
    if (!isValidVersion(bound)) throw new Error(`bad version ${JSON.stringify(bound)} in query ${query}`);
    matches = valid.filter((v) => {
      const c = compareVersions(v, bound);
      return op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0;
    });
    lowest = op.startsWith(">");
  } else if (query === "latest") {
    matches = valid;
  } else if (/^v[0-9]+(\.[0-9]+)?$/.test(query)) {
    matches = valid.filter((v) => v === query || v.startsWith(`${query}.`) || v.startsWith(`${query}-`));
  } else {
    return null;
  }
  const releases = matches.filter((v) => !isPrerelease(v));
  const pool = sortVersions(releases.length > 0 ? releases : matches);
  return (lowest ? pool[0] : pool.at(-1)) ?? null;
}
async function resolveQuery(client, module, query) {
  const base = `/${escapePath(module)}`;
  const listQuery = query === "latest" || /^(<=|>=|<|>)v/.test(query) || /^v[0-9]+(\.[0-9]+)?$/.test(query);
  if (query === "latest") {
    try {
      const { value: value2 } = await client.get(`${base}/@latest`, (body) => readText(body, 64 * 1024));
      return infoVersion(value2, `${module}@latest`);
    } catch (error) {
      if (error instanceof BodyCheckError) throw error;
    }
  }
  if (listQuery) {
    const { value: value2 } = await client.get(`${base}/@v/list`, (body) => readText(body, 4 << 20));
    const versions = value2.split("\n").map((line) => line.trim().split(/\s+/)[0] ?? "").filter((v) => v !== "");
    const chosen = selectFromList(versions, query);
    if (!chosen) throw new Error(`no version of ${module} matches ${query} on the proxy`);
    return chosen;
  }
  const { value } = await client.get(
    `${base}/@v/${escapeVersion(query)}.info`,
    (body) => readText(body, 64 * 1024)
  );
  return infoVersion(value, `${module}@${query}`);
}

// src/prewarm/slots.ts
var Slots = class {
  size;
  #free;
  #waiting = [];
  constructor(size) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`slots: size must be a positive integer, not ${size}`);
    this.size = size;
    this.#free = size;
  }
  /**
   * Waits for a slot; the returned function gives it back (once; later calls do nothing).
   * `rank`: lower goes first, never below 0 (a waiter without one ranks 0).
   */
  async acquire(signal, rank) {
    signal?.throwIfAborted();
    if (this.#free > 0) this.#free--;
    else {
      await new Promise((done, fail) => {
        const waiter = {
          wake: () => {
            signal?.removeEventListener("abort", onAbort);
            done();
          },
          rank
        };
        const onAbort = () => {
          const at = this.#waiting.indexOf(waiter);
          if (at >= 0) this.#waiting.splice(at, 1);
          fail(signal?.reason);
        };
        this.#waiting.push(waiter);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#takeNext();
      if (next) next.wake();
      else this.#free++;
    };
  }
  /** The first waiter, or with ranks the lowest-ranked one (earliest among equals). */
  #takeNext() {
    if (this.#waiting.length === 0) return void 0;
    if (!this.#waiting[0].rank) return this.#waiting.shift();
    let best = 0;
    let bestRank = Number.POSITIVE_INFINITY;
    for (const [at, waiter] of this.#waiting.entries()) {
      const rank = waiter.rank?.() ?? 0;
      if (rank < bestRank) {
        bestRank = rank;
        best = at;
        if (rank <= 0) break;
      }
    }
    return this.#waiting.splice(best, 1)[0];
  }
  /** Runs `work` in a slot. */
  async run(work, signal) {
    const release = await this.acquire(signal);
    try {
      return await work();
    } finally {
      release();
    }
  }
};

// src/prewarm/warm-module.ts
const { createWriteStream } = require("node:fs");
const { join: join2 } = require("node:path");
const { pipeline } = require("node:stream/promises");
var maxInfo = 64 * 1024;
function blobPath(module, version, kind) {
  return `/${escapePath(module)}/@v/${escapeVersion(version)}.${kind}`;
}
var scratchCounter = 0;
async function warmModule(item, options) {
  const kinds = item.want === "full" ? ["info", "mod", "zip"] : ["mod"];
  const blobs = [];
  let zipFile = null;
  let releaseScratch = null;
  const releaseLane = await options.lanes.acquire(options.signal, options.laneRank);
  const startedAt = performance.now();
  try {
    for (const kind of kinds) {
      if (kind === "zip" && item.zipHashes.length > 0) {
        releaseScratch = await options.pendingZips.acquire(options.signal);
        zipFile = join2(options.scratchDir, `zip-${process.pid}-${++scratchCounter}`);
      }
      const started = performance.now();
      try {
        const { value, answer } = await options.client.get(
          blobPath(item.module, item.version, kind),
          (body) => consume(kind, body, item, zipFile)
        );
        const source = sourceOf(answer);
        blobs.push({
          kind,
          bytes: value.bytes,
          firstByteMs: Math.round(answer.firstByteMs),
          ms: Math.round(performance.now() - started),
          attempts: answer.attempts,
          ...source ? { source } : {},
          verified: value.verified
        });
        if (kind === "zip") options.onZipRead?.(value.bytes);
      } catch (error) {
        if (error instanceof BodyCheckError)
          return { status: "failed", reason: `${kind}: ${error.message}`, mismatch: true, blobs, startedAt };
        if (error instanceof ProxyRequestError)
          return { status: "failed", reason: `${kind}: ${error.message}`, mismatch: false, blobs, startedAt };
        throw error;
      }
    }
    releaseLane();
    if (zipFile !== null) {
      const file = zipFile;
      try {
        await options.checks.run(() => checkZip(file, item), options.signal);
      } catch (error) {
        if (error instanceof BodyCheckError)
          return { status: "failed", reason: `zip: ${error.message}`, mismatch: true, blobs, startedAt };
        throw error;
      }
      const zip = blobs.find((b) => b.kind === "zip");
      if (zip) zip.verified = true;
    }
  } finally {
    releaseLane();
    if (zipFile !== null) await rm(zipFile, { force: true });
    releaseScratch?.();
  }
  const sources = blobs.map((b) => b.source);
  if (sources.every((s) => s !== void 0)) {
    return {
      status: sources.every((s) => s === "store") ? "already-warm" : "warmed",
      evidence: "header",
      blobs,
      startedAt
    };
  }
  const slowest = Math.max(...blobs.map((b) => b.firstByteMs));
  return {
    status: slowest <= options.warmLatencyMs ? "already-warm" : "warmed",
    evidence: "latency",
    blobs,
    startedAt
  };
}
function sourceOf(answer) {
  const value = answer.headers["x-goproxy-source"]?.trim().toLowerCase();
  return value === "store" || value === "upstream" || value === "direct" ? value : void 0;
}
async function consume(kind, body, item, zipFile) {
  if (kind === "zip") return { bytes: await readZip(body, zipFile), verified: false };
  const limit = kind === "info" ? maxInfo : maxGoMod;
  const chunks = [];
  let bytes = 0;
  for await (const chunk of body) {
    bytes += chunk.length;
    if (bytes > limit) throw new BodyCheckError(`the answer is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  const data = Buffer.concat(chunks);
  if (kind === "info") {
    let version;
    try {
      version = JSON.parse(data.toString("utf8")).Version;
    } catch {
      throw new BodyCheckError("the answer is not JSON module info");
    }
    if (version !== item.version) {
      throw new BodyCheckError(`the info names version ${JSON.stringify(version)}, not ${item.version}`);
    }
    return { bytes, verified: false };
  }
  if (item.modHashes.length === 0) return { bytes, verified: false };
  const hash = hashGoMod(data);
  if (!item.modHashes.includes(hash)) {
    throw new BodyCheckError(
      `CHECKSUM MISMATCH: the proxy serves a go.mod with ${hash}, go.sum has ${item.modHashes.join(" or ")}`
    );
  }
  return { bytes, verified: true };
}
async function readZip(body, file) {
  let bytes = 0;
  if (file === null) {
    for await (const chunk of body) {
      bytes += chunk.length;
      if (bytes > maxZipFile) throw new BodyCheckError(`the zip is larger than ${maxZipFile} bytes`);
    }
    return bytes;
  }
  await pipeline(
    body,
    async function* (source) {
      for await (const chunk of source) {
        bytes += chunk.length;
        if (bytes > maxZipFile) throw new BodyCheckError(`the zip is larger than ${maxZipFile} bytes`);
        yield chunk;
      }
    },
    createWriteStream(file, { mode: 384 })
  );
  return bytes;
}
async function checkZip(file, item) {
  let hash;
  try {
    ({ hash } = await checkModuleZip(file, item.module, item.version));
  } catch (error) {
    if (error instanceof ModuleZipError)
      throw new BodyCheckError(
        `the zip is not a valid module zip: ${error.message.split("\n").slice(1, 3).join("; ")}`
      );
    throw error;
  }
  if (!item.zipHashes.includes(hash)) {
    throw new BodyCheckError(
      `CHECKSUM MISMATCH: the proxy serves a zip with ${hash}, go.sum has ${item.zipHashes.join(" or ")}`
    );
  }
}

// src/prewarm/warm-plan.ts
var maxSourcesKept = 3;
var WarmPlan = class {
  #items = /* @__PURE__ */ new Map();
  #queries = /* @__PURE__ */ new Map();
  add(entry) {
    const key = `${entry.module}@${entry.version}`;
    let item = this.#items.get(key);
    if (!item) {
      item = {
        module: entry.module,
        version: entry.version,
        want: entry.want,
        zipHashes: [],
        modHashes: [],
        sources: []
      };
      this.#items.set(key, item);
    }
    if (entry.want === "full") item.want = "full";
    if (entry.zipHash && !item.zipHashes.includes(entry.zipHash)) item.zipHashes.push(entry.zipHash);
    if (entry.modHash && !item.modHashes.includes(entry.modHash)) item.modHashes.push(entry.modHash);
    if (item.sources.length < maxSourcesKept && !item.sources.includes(entry.source))
      item.sources.push(entry.source);
  }
  addQuery(query) {
    const key = `${query.module}@${query.query}`;
    if (!this.#queries.has(key)) this.#queries.set(key, query);
  }
  /** Module versions by path (Go byte order), then semantic version. */
  items() {
    return [...this.#items.values()].sort(compareItems);
  }
  queries() {
    return [...this.#queries.values()].sort(
      (a, b) => compareGoStrings(a.module, b.module) || compareGoStrings(a.query, b.query)
    );
  }
  get size() {
    return this.#items.size;
  }
};
function compareItems(a, b) {
  return compareGoStrings(a.module, b.module) || compareVersions(a.version, b.version) || compareGoStrings(a.version, b.version);
}

// src/sumdb/merkle.ts
var HASH_SIZE = 32;
function nodeHash(left, right) {
  return new Uint8Array(createHash("sha256").update(Buffer.of(1)).update(left).update(right).digest());
}
function checkSize(n, what) {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} ${n} is not a valid tree position`);
}
function splitPoint(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
function floorPow2(n) {
  let size = 1;
  let level = 0;
  while (size * 2 <= n) {
    size *= 2;
    level++;
  }
  return { size, level };
}
function rangeHash(lo, hi, read) {
  const parts = [];
  while (lo < hi) {
    const { size, level } = floorPow2(hi - lo);
    if (lo % size !== 0) throw new Error(`internal error: unaligned subtree [${lo}, ${hi})`);
    parts.push(read(level, lo / size));
    lo += size;
  }
  let hash = parts.pop();
  if (hash === void 0) throw new Error("internal error: empty subtree");
  for (let part = parts.pop(); part !== void 0; part = parts.pop()) hash = nodeHash(part, hash);
  return hash;
}
function proveRecord(treeSize, index, read) {
  checkSize(index, "record index");
  return proveNode(treeSize, { level: 0, index }, read);
}
function proveNode(treeSize, node, read) {
  checkSize(treeSize, "tree size");
  const span = checkNodeCoord(node);
  const first = node.index * span;
  if (first + span > treeSize) {
    throw new RangeError(`hash ${node.level}/${node.index} is not complete in a tree of ${treeSize} records`);
  }
  const walk = (lo, hi) => {
    if (hi - lo === span) return [];
    const k = splitPoint(hi - lo);
    if (first < lo + k) return [...walk(lo, lo + k), rangeHash(lo + k, hi, read)];
    const left = rangeHash(lo, lo + k, read);
    return [...walk(lo + k, hi), left];
  };
  return walk(0, treeSize);
}
function checkNodeCoord(node) {
  if (!Number.isSafeInteger(node.level) || node.level < 0 || node.level > 52) {
    throw new RangeError(`hash level ${node.level} is not a tree level`);
  }
  checkSize(node.index, "hash index");
  return 2 ** node.level;
}
function coordsRead(compute) {
  const seen = /* @__PURE__ */ new Set();
  const coords = [];
  const placeholder = new Uint8Array(HASH_SIZE);
  compute((level, index) => {
    const key = `${level}/${index}`;
    if (!seen.has(key)) {
      seen.add(key);
      coords.push({ level, index });
    }
    return placeholder;
  });
  return coords;
}

// src/sumdb/record.ts
var MalformedRecordError = class extends Error {
  name = "MalformedRecordError";
};
function isValidRecordText(text) {
  return text.endsWith("\n") && !text.includes("\n\n") && text.isWellFormed() && !/[\x00-\x09\x0b-\x1f]/.test(text);
}
function parseRecord(msg) {
  const idEnd = msg.indexOf("\n");
  const idText = idEnd < 0 ? msg : msg.slice(0, idEnd);
  if (idEnd < 0 || !/^(0|[1-9][0-9]*)$/.test(idText) || !Number.isSafeInteger(Number(idText))) {
    throw new MalformedRecordError(`malformed record: bad record id ${JSON.stringify(idText.slice(0, 40))}`);
  }
  const body = msg.slice(idEnd + 1);
  const end = body.indexOf("\n\n");
  if (end < 0) throw new MalformedRecordError("malformed record: no blank line ends the record");
  const text = body.slice(0, end + 1);
  if (!isValidRecordText(text)) {
    throw new MalformedRecordError("malformed record: the record text holds control characters");
  }
  return { id: Number(idText), text, rest: body.slice(end + 2) };
}

// src/sumdb/tile.ts
var TILE_HEIGHT = 8;
var DATA_LEVEL = -1;
function tileIsFull(tile) {
  return tile.width === 2 ** tile.height;
}
function tilePath(tile) {
  let n = tile.index;
  let digits = String(n % 1e3).padStart(3, "0");
  while (n >= 1e3) {
    n = Math.floor(n / 1e3);
    digits = `x${String(n % 1e3).padStart(3, "0")}/${digits}`;
  }
  const level = tile.level === DATA_LEVEL ? "data" : String(tile.level);
  const partial = tileIsFull(tile) ? "" : `.p/${tile.width}`;
  return `tile/${tile.height}/${level}/${digits}${partial}`;
}
function storedAtLevel(treeSize, height, level) {
  return Math.floor(treeSize / 2 ** (level * height));
}
function tileForHash(treeSize, coord, height = TILE_HEIGHT) {
  const level = Math.floor(coord.level / height);
  const span = 2 ** (coord.level - level * height);
  const first = coord.index * span;
  const perTile = 2 ** height;
  const index = Math.floor(first / perTile);
  const available = storedAtLevel(treeSize, height, level) - index * perTile;
  if ((coord.index + 1) * 2 ** coord.level > treeSize || available <= 0) {
    throw new RangeError(
      `hash ${coord.level}/${coord.index} is not complete in a tree of ${treeSize} records`
    );
  }
  const width = Math.min(perTile, available);
  return { tile: { height, level, index, width }, offset: first - index * perTile, count: span };
}

// src/sumdb/strict-base64.ts
var base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
function decodeStrictBase64(text) {
  if (!base64Pattern.test(text)) return null;
  const bytes = Buffer.from(text, "base64");
  if (bytes.toString("base64") !== text) return null;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// src/sumdb/tree-note.ts
var header = "go.sum database tree";
var MalformedTreeError = class extends Error {
  name = "MalformedTreeError";
};
function parseTree(text) {
  const lines = text.split("\n");
  if (lines.length < 4 || lines[0] !== header) {
    throw new MalformedTreeError(`malformed tree note: want "${header}", a size and a hash, one a line`);
  }
  const sizeText = lines[1];
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    throw new MalformedTreeError(`malformed tree note: bad tree size ${JSON.stringify(sizeText)}`);
  }
  const hash = decodeStrictBase64(lines[2]);
  if (hash === null || hash.length !== HASH_SIZE) {
    throw new MalformedTreeError(`malformed tree note: bad tree hash ${JSON.stringify(lines[2])}`);
  }
  return { size: Number(sizeText), hash };
}

// src/prewarm/warm-sumdb.ts
async function readText2(body, limit) {
  const chunks = [];
  let bytes = 0;
  for await (const chunk of body) {
    const buffer = Buffer.from(chunk);
    bytes += buffer.length;
    if (bytes > limit) throw new BodyCheckError(`the answer is larger than ${limit} bytes`);
    chunks.push(buffer);
  }
  return { text: Buffer.concat(chunks).toString("utf8"), bytes };
}
function fullTilesForRecord(size, id) {
  const coords = coordsRead((read) => proveRecord(size, id, read));
  const tiles = /* @__PURE__ */ new Map();
  for (const coord of coords) {
    const { tile } = tileForHash(size, coord);
    if (tileIsFull(tile)) tiles.set(tilePath(tile), tile);
  }
  return [...tiles.values()];
}
function recordMismatch(item, text) {
  for (const line of text.split("\n")) {
    const [module, version, hash] = line.split(" ");
    if (module !== item.module || !version || !hash) continue;
    const known = version.endsWith("/go.mod") ? item.modHashes : item.zipHashes;
    if (known.length > 0 && !known.includes(hash)) {
      return `CHECKSUM MISMATCH: the checksum database (through the proxy) says ${module} ${version} ${hash}, go.sum has ${known.join(" or ")}`;
    }
  }
  return null;
}
async function warmSumdb(options) {
  const { name } = options;
  const lanes = options.lanes;
  const client = {
    async get(path, consume2) {
      if (!lanes) return options.client.get(path, consume2);
      const release = await lanes.slots.acquire(lanes.signal, () => lanes.rank);
      try {
        return await options.client.get(path, consume2);
      } finally {
        release();
      }
    }
  };
  const root = `/sumdb/${name}`;
  const report = { name, supported: false, lookups: [], tiles: [], bytes: 0 };
  try {
    await client.get(`${root}/supported`, (body) => readText2(body, 4096));
    report.supported = true;
  } catch (error) {
    if (error instanceof ProxyRequestError || error instanceof BodyCheckError) return report;
    throw error;
  }
  const tiles = /* @__PURE__ */ new Map();
  await eachLimited(options.items, options.concurrency, async (item) => {
    const path = `${root}/lookup/${escapePath(item.module)}@${escapeVersion(item.version)}`;
    try {
      const { value } = await client.get(path, (body) => readText2(body, 64 * 1024));
      report.bytes += value.bytes;
      const record = parseRecord(value.text);
      const noteText = record.rest.split("\n\n")[0] ?? "";
      const tree = parseTree(`${noteText}
`);
      const mismatch = recordMismatch(item, record.text);
      if (mismatch) {
        report.lookups.push({
          module: item.module,
          version: item.version,
          status: "failed",
          reason: mismatch,
          mismatch: true
        });
      } else {
        report.lookups.push({ module: item.module, version: item.version, status: "warmed" });
      }
      if (record.id < tree.size)
        for (const tile of fullTilesForRecord(tree.size, record.id)) tiles.set(tilePath(tile), tile);
    } catch (error) {
      if (!(error instanceof Error) || error.name === "AbortError") throw error;
      report.lookups.push({
        module: item.module,
        version: item.version,
        status: "failed",
        reason: error.message
      });
    }
  });
  const ordered = [...tiles.keys()].sort();
  await eachLimited(ordered, options.concurrency, async (tile) => {
    try {
      const { value } = await client.get(`${root}/${tile}`, (body) => readText2(body, 1 << 20));
      report.bytes += value.bytes;
      report.tiles.push({ path: tile, status: "warmed" });
    } catch (error) {
      if (error.name === "AbortError") throw error;
      report.tiles.push({ path: tile, status: "failed", reason: error.message });
    }
  });
  report.lookups.sort(
    (a, b) => a.module === b.module ? a.version < b.version ? -1 : 1 : a.module < b.module ? -1 : 1
  );
  report.tiles.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return report;
}

// src/prewarm/run-prewarm.ts
function isAbort(error, signal) {
  return signal.aborted || error instanceof Error && error.name === "AbortError";
}
async function runPrewarm(options) {
  const startedAt = /* @__PURE__ */ new Date();
  const started = performance.now();
  const { plan, client, signal } = options;
  const scratchDir = await mkdtemp(join3(options.scratchRoot ?? tmpdir(), "goproxy-prewarm-"));
  const queries = [];
  try {
    const planned = plan.queries();
    const resolved = new Array(planned.length);
    await eachLimited(
      planned.map((q, at) => ({ q, at })),
      options.concurrency,
      async ({ q, at }) => {
        if (signal.aborted) {
          resolved[at] = { ...q, error: "not resolved: interrupted" };
          return;
        }
        const isPrivate = matchPatternList(options.privatePatterns, q.module, { foldCase: true });
        if (isPrivate && !options.allowPrivate) {
          resolved[at] = {
            ...q,
            error: "private module: not sent to a proxy not allowed to hold private modules (--allow-private)"
          };
          return;
        }
        try {
          resolved[at] = { ...q, version: await resolveQuery(client, q.module, q.query) };
        } catch (error) {
          if (isAbort(error, signal)) resolved[at] = { ...q, error: "not resolved: interrupted" };
          else resolved[at] = { ...q, error: error.message };
        }
      }
    );
    for (const q of resolved) {
      queries.push(q);
      if (q.version)
        plan.add({ module: q.module, version: q.version, want: "full", source: `${q.source} (${q.query})` });
    }
    const items = plan.items();
    const results = /* @__PURE__ */ new Map();
    const base = (item) => ({
      module: item.module,
      version: item.version,
      want: item.want,
      bytes: 0,
      ms: 0,
      blobs: [],
      sources: item.sources
    });
    const toWarm = [];
    for (const item of items) {
      const isPrivate = matchPatternList(options.privatePatterns, item.module, { foldCase: true });
      if (isPrivate && !options.allowPrivate) {
        results.set(item, {
          ...base(item),
          status: "skipped",
          reason: "private module (GOPRIVATE/GONOPROXY/policy): pass --allow-private if this proxy may hold it"
        });
      } else toWarm.push(item);
    }
    let done = 0;
    let failed = 0;
    let bytes = 0;
    const state = () => ({ done, total: toWarm.length, failed, bytes });
    const lanes = new Slots(options.concurrency);
    const pendingZips = new Slots(2 * options.concurrency);
    const checks = new Slots(options.concurrency);
    const requestOrder = [
      ...toWarm.filter((item) => item.want === "full"),
      ...toWarm.filter((item) => item.want !== "full")
    ];
    const zipBytesByPath = /* @__PURE__ */ new Map();
    const modOnlyRank = (item) => () => {
      const bytes2 = zipBytesByPath.get(item.module);
      return bytes2 === void 0 ? 1 : 2 + 1 / (1 + bytes2);
    };
    const warmOne = async (item) => {
      if (signal.aborted) return;
      const itemStarted = performance.now();
      let report2;
      try {
        const outcome = await warmModule(item, {
          client,
          scratchDir,
          warmLatencyMs: options.warmLatencyMs,
          lanes,
          pendingZips,
          checks,
          signal,
          ...item.want === "full" ? {
            onZipRead: (zipBytes) => zipBytesByPath.set(item.module, Math.max(zipBytes, zipBytesByPath.get(item.module) ?? 0))
          } : { laneRank: modOnlyRank(item) }
        });
        const ms = Math.round(performance.now() - outcome.startedAt);
        const itemBytes = outcome.blobs.reduce((sum, b) => sum + b.bytes, 0);
        report2 = outcome.status === "failed" ? {
          ...base(item),
          status: "failed",
          reason: outcome.reason,
          mismatch: outcome.mismatch,
          bytes: itemBytes,
          ms,
          blobs: outcome.blobs
        } : {
          ...base(item),
          status: outcome.status,
          evidence: outcome.evidence,
          bytes: itemBytes,
          ms,
          blobs: outcome.blobs
        };
      } catch (error) {
        if (isAbort(error, signal)) return;
        const reason = error instanceof ProxyRequestError ? error.message : `unexpected error: ${error.message}`;
        report2 = {
          ...base(item),
          status: "failed",
          reason,
          mismatch: false,
          ms: Math.round(performance.now() - itemStarted)
        };
      }
      results.set(item, report2);
      done++;
      if (report2.status === "failed") failed++;
      bytes += report2.bytes;
      options.progress.update(state());
    };
    let sumdbWarm = Promise.resolve(void 0);
    if (options.sumdb) {
      const eligible = toWarm.filter(
        (item) => !matchPatternList(options.noSumPatterns, item.module, { foldCase: true })
      );
      sumdbWarm = warmSumdb({
        client,
        name: options.sumdb,
        items: eligible,
        concurrency: options.concurrency,
        lanes: { slots: lanes, rank: 0.5, signal }
      }).catch((error) => {
        if (!isAbort(error, signal)) throw error;
        return void 0;
      });
      sumdbWarm.catch(() => void 0);
    }
    await Promise.all(requestOrder.map(warmOne));
    options.progress.finish(state());
    const sumdb = await sumdbWarm;
    const modules = items.map((item) => results.get(item) ?? { ...base(item), status: "not-started" }).sort(compareItems);
    const report = {
      schemaVersion: 1,
      proxy: options.proxyLabel,
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - started),
      interrupted: signal.aborted,
      settings: {
        concurrency: options.concurrency,
        timeoutMs: options.timeoutMs,
        attempts: options.attempts,
        retryBudget: options.retryBudget,
        allowPrivate: options.allowPrivate
      },
      totals: totalsOf(modules, client.retries),
      queries,
      modules,
      slowest: slowestOf(modules),
      ...sumdb ? { sumdb } : {}
    };
    return report;
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}

// src/prewarm/tag-source.ts
const { join: join4 } = require("node:path");
function pushedTag(env) {
  const ref = env.GITHUB_REF ?? "";
  if (ref.startsWith("refs/tags/")) return ref.slice("refs/tags/".length);
  const tag = env.CI_COMMIT_TAG ?? "";
  return tag === "" ? null : tag;
}
async function modulePathIn(dir) {
  let text;
  try {
    text = await readFile(join4(dir, "go.mod"), "utf8");
  } catch {
    return null;
  }
  return parseGoMod(text, join4(dir, "go.mod")).module?.path ?? null;
}
async function moduleForTag(root, tag) {
  const slash = tag.lastIndexOf("/");
  const prefix = slash < 0 ? "" : tag.slice(0, slash);
  const version = tag.slice(slash + 1);
  if (!isValidVersion(version) || canonicalVersion(version) !== version) {
    throw new Error(
      `the tag ${tag} does not name a module version (want vMAJOR.MINOR.PATCH, or DIR/vMAJOR.MINOR.PATCH for a module in DIR)`
    );
  }
  if (prefix.split("/").some((e) => e === ".." || e === "."))
    throw new Error(`the tag ${tag} names a bad directory`);
  const dir = prefix === "" ? root : join4(root, prefix);
  const candidates = [dir];
  const major = versionMajor(version);
  if (major !== "v0" && major !== "v1") candidates.push(join4(dir, major));
  let lastProblem = "";
  for (const candidate of candidates) {
    const module = await modulePathIn(candidate);
    if (module === null) {
      lastProblem ||= `no go.mod in ${candidate}`;
      continue;
    }
    try {
      checkModuleVersion(module, version);
      return { module, version, tag, dir: candidate };
    } catch (error) {
      if (!(error instanceof ModulePathError)) throw error;
      lastProblem = `the tag ${tag} does not fit module ${module} (${error.reason}): a ${major} release needs the module path to end in /${major}`;
    }
  }
  throw new Error(lastProblem);
}

// src/prewarm/prewarm-job.ts
function sumdbName(gosumdb) {
  const first = gosumdb.trim().split(/\s+/)[0] ?? "";
  if (first === "" || first === "off") return null;
  return first.split("+")[0] ?? null;
}
async function buildPlan(settings, secrets) {
  const plan = new WarmPlan();
  const dir = resolve2(settings.dir);
  const hasOtherSource = settings.lists.length > 0 || settings.modules.length > 0 || settings.tag !== false || settings.gitlab !== void 0;
  if (settings.files.length > 0) {
    await addWorkspaceFiles(plan, await expandModuleFileGlobs(dir, settings.files), dir);
  } else if (!hasOtherSource) {
    await addWorkspaceFiles(plan, await findModuleFiles(dir), dir);
  }
  for (const list of settings.lists) await addListFile(plan, resolve2(dir, list), list);
  for (const module of settings.modules) addModuleArgument(plan, module, "--module");
  let tagModule = null;
  if (settings.tag !== false) {
    const tag = typeof settings.tag === "string" ? settings.tag : pushedTag(settings.env);
    if (tag === null) {
      throw new Error(
        "--tag: this is no tag pipeline (GITHUB_REF is not refs/tags/..., CI_COMMIT_TAG is empty); name the tag with --tag-name"
      );
    }
    tagModule = await moduleForTag(dir, tag);
    plan.add({ module: tagModule.module, version: tagModule.version, want: "full", source: `tag ${tag}` });
  }
  let gitlabProjects = [];
  if (settings.gitlab) {
    const token = settings.env[settings.gitlab.tokenEnv] ?? "";
    if (token === "")
      throw new Error(
        `GitLab source: $${settings.gitlab.tokenEnv} is empty; give a token that can read the projects' files (read_api or read_repository)`
      );
    secrets.push(token);
    gitlabProjects = await addGitlabProjects(plan, { ...settings.gitlab, token });
  }
  return { plan, tagModule, gitlabProjects };
}
async function prewarm(settings, run) {
  const secrets = [];
  const credentials = await proxyCredentials({
    proxyUrl: settings.proxy,
    env: settings.env,
    ...settings.tokenEnv ? { tokenEnv: settings.tokenEnv } : {}
  });
  secrets.push(...credentials.secrets);
  const { plan, tagModule, gitlabProjects } = await buildPlan(settings, secrets);
  const loaded = await loadPolicy({
    workspace: resolve2(settings.dir),
    ...settings.policyFile ? { explicitPath: resolve2(settings.policyFile) } : {}
  });
  const privatePatterns = privatePatternsFrom(
    settings.goEnv.GOPRIVATE,
    settings.goEnv.GONOPROXY,
    loaded.policy?.private ?? []
  );
  const noSumPatterns = privatePatternsFrom(settings.goEnv.GONOSUMDB, privatePatterns);
  const client = new ProxyClient({
    baseUrl: settings.proxy.replace(/\/+$/, ""),
    ...credentials.authorization ? { authorization: credentials.authorization } : {},
    timeoutMs: settings.timeoutMs,
    ...settings.requestDeadlineMs !== void 0 ? { requestDeadlineMs: settings.requestDeadlineMs } : {},
    attempts: settings.attempts,
    retryBudget: settings.retryBudget,
    backoffMs: 250,
    maxBackoffMs: 3e4,
    connections: settings.concurrency,
    signal: run.signal
  });
  try {
    const report = await runPrewarm({
      plan,
      client,
      proxyLabel: proxyLabel(settings.proxy),
      concurrency: settings.concurrency,
      timeoutMs: settings.timeoutMs,
      attempts: settings.attempts,
      retryBudget: settings.retryBudget,
      privatePatterns,
      noSumPatterns,
      allowPrivate: settings.allowPrivate,
      sumdb: settings.sumdb ? sumdbName(settings.goEnv.GOSUMDB) : null,
      warmLatencyMs: settings.warmLatencyMs,
      signal: run.signal,
      progress: run.progress
    });
    return { report, tagModule, gitlabProjects, secrets };
  } finally {
    await client.close();
  }
}

// src/prewarm/progress.ts
function createProgress(options) {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 1e4;
  let lastLine = now();
  const describe2 = (s) => `${s.done}/${s.total} module versions${s.failed ? `, ${s.failed} failed` : ""}, ${formatBytes(s.bytes)}`;
  if (options.mode === "none") return { update() {
  }, finish() {
  } };
  if (options.mode === "lines") {
    return {
      update(state) {
        if (now() - lastLine < interval) return;
        lastLine = now();
        options.write(`prewarm: ${describe2(state)}
`);
      },
      finish(state) {
        options.write(`prewarm: ${describe2(state)}
`);
      }
    };
  }
  const bar = (s) => {
    const width = 30;
    const filled = s.total === 0 ? width : Math.round(s.done / s.total * width);
    return `\r\x1B[2K[${"#".repeat(filled)}${".".repeat(width - filled)}] ${describe2(s)}`;
  };
  return {
    update(state) {
      if (now() - lastLine < 100) return;
      lastLine = now();
      options.write(bar(state));
    },
    finish(state) {
      options.write(`${bar(state)}
`);
    }
  };
}

// src/prewarm/report-markdown.ts
function cell(text) {
  return text.replace(/[\r\n]+/g, " ").replace(/[|<>`]/g, (c) => `&#${c.charCodeAt(0)};`);
}
function formatReportMarkdown(report) {
  const t = report.totals;
  const lines = [];
  const verdict = report.interrupted ? "interrupted" : hasFailures(report) ? "failures" : "ok";
  lines.push(`## goproxy prewarm: ${verdict}`, "");
  lines.push(
    `Proxy ${cell(report.proxy)}: ${t.modules} module versions in ${(report.durationMs / 1e3).toFixed(1)} s.`,
    ""
  );
  lines.push(
    "| warmed | already warm | failed | checksum mismatches | skipped | not started | bytes | retries |"
  );
  lines.push("|---:|---:|---:|---:|---:|---:|---:|---:|");
  lines.push(
    `| ${t.warmed} | ${t.alreadyWarm} | ${t.failed} | ${t.mismatches} | ${t.skipped} | ${t.notStarted} | ${formatBytes(t.bytes)} | ${t.retries} |`,
    ""
  );
  const failed = report.modules.filter((m) => m.status === "failed");
  if (failed.length > 0) {
    lines.push("### Failed", "", "| module | version | reason |", "|---|---|---|");
    for (const m of failed)
      lines.push(
        `| ${cell(m.module)} | ${cell(m.version)} | ${m.mismatch ? "**" : ""}${cell(m.reason ?? "")}${m.mismatch ? "**" : ""} |`
      );
    lines.push("");
  }
  const badQueries = report.queries.filter((q) => q.error);
  if (badQueries.length > 0) {
    lines.push("### Queries not resolved", "", "| query | reason |", "|---|---|");
    for (const q of badQueries) lines.push(`| ${cell(`${q.module}@${q.query}`)} | ${cell(q.error ?? "")} |`);
    lines.push("");
  }
  const skipped = report.modules.filter((m) => m.status === "skipped");
  if (skipped.length > 0) {
    lines.push(
      `### Skipped (${skipped.length})`,
      "",
      ...skipped.slice(0, 50).map((m) => `- ${cell(m.module)}@${cell(m.version)}: ${cell(m.reason ?? "")}`),
      ""
    );
  }
  if (report.slowest.length > 0) {
    lines.push("### Slowest", "", "| module | version | ms |", "|---|---|---:|");
    for (const s of report.slowest) lines.push(`| ${cell(s.module)} | ${cell(s.version)} | ${s.ms} |`);
    lines.push("");
  }
  if (report.sumdb) {
    const s = report.sumdb;
    if (!s.supported)
      lines.push(
        `Checksum database ${cell(s.name)}: the proxy does not pass it through (no lookups warmed).`,
        ""
      );
    else {
      const bad = s.lookups.filter((l) => l.status === "failed");
      lines.push(
        `Checksum database ${cell(s.name)}: ${s.lookups.length - bad.length}/${s.lookups.length} lookups, ${s.tiles.filter((x) => x.status === "warmed").length}/${s.tiles.length} full tiles warmed.`,
        ""
      );
      for (const l of bad)
        lines.push(
          `- ${cell(l.module)}@${cell(l.version)}: ${l.mismatch ? "**" : ""}${cell(l.reason ?? "")}${l.mismatch ? "**" : ""}`
        );
      if (bad.length > 0) lines.push("");
    }
  }
  return `${lines.join("\n")}
`;
}

// src/cli/prewarm-command.ts
var help = `usage: goproxy-action prewarm --proxy URL [sources] [options]

Asks a module proxy for every module version the sources name, exactly as the go command would
(.info, .mod, .zip; the .mod alone for go.sum /go.mod-only lines), so it holds them before builds
arrive. Each answer is checked against go.sum when a hash is known.

sources (combinable; none given: every go.mod, go.sum and go.work below --dir):
  --files GLOB           go.mod/go.sum/go.work files below --dir (repeatable)
  --list FILE            a file of module@version or module@query lines (repeatable)
  --module MOD@QUERY     one module version or query, e.g. example.com/m@latest (repeatable)
  --tag                  the repository's own module at the pushed tag (GITHUB_REF / CI_COMMIT_TAG)
  --tag-name TAG         the same for a tag given here (v1.2.3, sub/v1.0.0)
  --gitlab-group ID      go.sum files of every project of a GitLab group
  --gitlab-subgroups     include the group's subgroups
  --gitlab-project ID    go.sum of a GitLab project (repeatable)
  --gitlab-ref REF       read this ref instead of each project's default branch
  --gitlab-url URL       the GitLab instance (default: $CI_SERVER_URL)
  --gitlab-token-env VAR the variable holding the GitLab token (default: GITLAB_TOKEN)

options:
  --proxy URL            the proxy to warm (required)
  --token-env VAR        send the bearer token in $VAR (else the NETRC file's entry is used)
  --allow-private        the proxy may hold private modules (GOPRIVATE/GONOPROXY/policy private)
  --sumdb                also warm the checksum database lookups and full tiles through the proxy
  --policy FILE          policy file for its private patterns (default: DIR/.goproxy.yml if present)
  --dir DIR              workspace root (default: the current directory)
  --concurrency N        requests at once (default 16)
  --timeout DURATION     per request: to the headers, and the longest silence in a body (default 5m)
  --request-deadline DUR the longest one request may take, headers and whole body (default 20m):
                         a proxy sending a byte at a time cannot hold the run for hours
  --attempts N           attempts per request (default 4)
  --retry-budget N       retries allowed in the whole run (default 100)
  --warm-latency DUR     without an X-Goproxy-Source header, answers faster than this count as
                         already warm (default 50ms)
  --json FILE            write the JSON report (schema/prewarm-report.schema.json)
  --markdown FILE        write the Markdown report
  --progress MODE        auto (default), bar, lines or none
  --allow-failures       exit 0 even when modules failed
  -h, --help             show this help

Exit status: 0 done, 1 failures, 2 usage error, 130/143 stopped by SIGINT/SIGTERM (report written).`;
function positiveInt(name, value, fallback) {
  if (value === void 0) return fallback;
  if (!/^[0-9]+$/.test(value) || Number(value) < 1)
    throw new UsageError(`--${name} ${value}: give a whole number of 1 or more`);
  return Number(value);
}
function duration(name, value, fallback) {
  if (value === void 0) return fallback;
  const ms = parseGoDuration(value);
  if (ms === null || ms <= 0)
    throw new UsageError(`--${name} ${value}: give a duration such as 30s or 500ms`);
  return ms;
}
var prewarmCommand = {
  summary: "warm a remote module proxy with the modules a workspace, list, tag or GitLab group uses",
  async run(args) {
    let values;
    try {
      ({ values } = parse(args));
    } catch (err) {
      throw new UsageError(`${err.message}
${help}`);
    }
    if (values.help) {
      process.stdout.write(`${help}
`);
      return 0;
    }
    if (!values.proxy) throw new UsageError("--proxy URL is required: the module proxy to warm");
    try {
      const url = new URL(values.proxy);
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error();
    } catch {
      throw new UsageError(`--proxy ${values.proxy}: give the proxy's http(s) URL, as in GOPROXY`);
    }
    const progressMode = values.progress ?? "auto";
    if (!["auto", "bar", "lines", "none"].includes(progressMode))
      throw new UsageError(`--progress ${progressMode}: write auto, bar, lines or none`);
    const gitlabWanted = values["gitlab-group"] !== void 0 || (values["gitlab-project"] ?? []).length > 0;
    const gitlabUrl = values["gitlab-url"] ?? process.env.CI_SERVER_URL ?? "";
    if (gitlabWanted && gitlabUrl === "")
      throw new UsageError("--gitlab-url URL is required outside GitLab CI (no $CI_SERVER_URL)");
    const goEnv = await readGoEnv(["GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOSUMDB"], {
      whenGoMissing: "environment"
    });
    const settings = {
      proxy: values.proxy,
      dir: values.dir ?? ".",
      files: values.files ?? [],
      lists: values.list ?? [],
      modules: values.module ?? [],
      tag: values["tag-name"] ?? values.tag ?? false,
      ...gitlabWanted ? {
        gitlab: {
          url: gitlabUrl,
          tokenEnv: values["gitlab-token-env"] ?? "GITLAB_TOKEN",
          ...values["gitlab-group"] !== void 0 ? { group: values["gitlab-group"] } : {},
          includeSubgroups: values["gitlab-subgroups"] ?? false,
          projects: values["gitlab-project"] ?? [],
          ...values["gitlab-ref"] !== void 0 ? { ref: values["gitlab-ref"] } : {}
        }
      } : {},
      ...values["token-env"] ? { tokenEnv: values["token-env"] } : {},
      ...values.policy ? { policyFile: values.policy } : {},
      allowPrivate: values["allow-private"] ?? false,
      sumdb: values.sumdb ?? false,
      concurrency: positiveInt("concurrency", values.concurrency, prewarmDefaults.concurrency),
      timeoutMs: duration("timeout", values.timeout, prewarmDefaults.timeoutMs),
      requestDeadlineMs: duration(
        "request-deadline",
        values["request-deadline"],
        prewarmDefaults.requestDeadlineMs
      ),
      attempts: positiveInt("attempts", values.attempts, 4),
      retryBudget: values["retry-budget"] === "0" ? 0 : positiveInt("retry-budget", values["retry-budget"], 100),
      warmLatencyMs: duration("warm-latency", values["warm-latency"], 50),
      goEnv,
      env: process.env
    };
    const mode = progressMode === "auto" ? process.stderr.isTTY ? "bar" : "lines" : progressMode;
    const progress = createProgress({ write: (text) => process.stderr.write(text), mode });
    const controller = new AbortController();
    let stoppedBy = null;
    const stop = (signal) => {
      if (stoppedBy) process.exit(signal === "SIGINT" ? 130 : 143);
      stoppedBy = signal;
      process.stderr.write(`
prewarm: ${signal}: stopping; writing a partial report
`);
      controller.abort(new DOMException("interrupted", "AbortError"));
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    let secrets = [];
    try {
      const outcome = await prewarm(settings, { signal: controller.signal, progress });
      secrets = outcome.secrets;
      const { report } = outcome;
      if (values.json) await writeFile(values.json, `${JSON.stringify(report, null, 2)}
`);
      const markdown = formatReportMarkdown(report);
      if (values.markdown) await writeFile(values.markdown, markdown);
      const t = report.totals;
      const lines = [
        `prewarm: ${t.warmed} warmed, ${t.alreadyWarm} already warm, ${t.failed} failed${t.mismatches ? ` (${t.mismatches} CHECKSUM MISMATCH)` : ""}, ${t.skipped} skipped${t.notStarted ? `, ${t.notStarted} not started` : ""} of ${t.modules} module versions in ${(report.durationMs / 1e3).toFixed(1)} s`,
        ...report.modules.filter((m) => m.status === "failed").map((m) => `  FAILED ${m.module}@${m.version}: ${m.reason}`),
        ...report.queries.filter((q) => q.error).map((q) => `  QUERY ${q.module}@${q.query}: ${q.error}`),
        ...report.sumdb?.lookups.filter((l) => l.status === "failed").map((l) => `  SUMDB ${l.module}@${l.version}: ${l.reason}`) ?? []
      ];
      if (report.sumdb && !report.sumdb.supported)
        lines.push(`  the proxy does not pass checksum database ${report.sumdb.name} through`);
      process.stdout.write(redactSecrets(`${lines.join("\n")}
`, secrets));
      if (stoppedBy) return stoppedBy === "SIGINT" ? 130 : 143;
      return hasFailures(report) && !values["allow-failures"] ? 1 : 0;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new Error(redactSecrets(error.message, secrets));
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    }
  }
};
function parse(args) {
  return parseArgs({
    args,
    allowPositionals: false,
    options: {
      proxy: { type: "string" },
      files: { type: "string", multiple: true },
      list: { type: "string", multiple: true },
      module: { type: "string", multiple: true },
      tag: { type: "boolean" },
      "tag-name": { type: "string" },
      "gitlab-group": { type: "string" },
      "gitlab-subgroups": { type: "boolean" },
      "gitlab-project": { type: "string", multiple: true },
      "gitlab-ref": { type: "string" },
      "gitlab-url": { type: "string" },
      "gitlab-token-env": { type: "string" },
      "token-env": { type: "string" },
      "allow-private": { type: "boolean" },
      sumdb: { type: "boolean" },
      policy: { type: "string" },
      dir: { type: "string" },
      concurrency: { type: "string" },
      timeout: { type: "string" },
      "request-deadline": { type: "string" },
      attempts: { type: "string" },
      "retry-budget": { type: "string" },
      "warm-latency": { type: "string" },
      json: { type: "string" },
      markdown: { type: "string" },
      progress: { type: "string" },
      "allow-failures": { type: "boolean" },
      help: { type: "boolean", short: "h" }
    }
  });
}
export {
  prewarmCommand
};
