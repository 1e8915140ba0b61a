import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  netrcMachineFor,
  readUserNetrc,
  userNetrcPath,
  writeNetrcFile
} from "./chunk-BO5D4OGQ.js";
import {
  matchPatternList
} from "./chunk-IUAILITG.js";
import {
  jobWorkDir,
  readGitLabJob
} from "./chunk-3CYDPAS3.js";
import {
  parseGoSum
} from "./chunk-TP23J6CY.js";
import {
  escapePath,
  escapeVersion
} from "./chunk-HYK6JFBE.js";
import "./chunk-ACB7LVIP.js";
import {
  GO_SETTING_NAMES,
  jobGoEnv,
  jobPatterns
} from "./chunk-MERAHNWG.js";
import "./chunk-XN7JYT6V.js";
import {
  readGoEnv
} from "./chunk-BDS5G37X.js";
import {
  chmod,
  mkdir,
  readFile,
  rm,
  writeFile
} from "./chunk-SY3SBDYW.js";
import "./chunk-UOOPJVRV.js";

// src/gitlab/remote.ts
const { join } = require("node:path");

// src/net/load-undici.ts
var loading = null;
function loadUndici() {
  loading ??= import("./undici-LCMKDQIV.js").then(
    // In the bundle a CommonJS package imported on demand may come as { default: exports }.
    (loaded) => "request" in loaded ? loaded : loaded.default
  );
  return loading;
}

// src/remote/probe-remote-proxy.ts
var ProbeError = class extends Error {
  name = "ProbeError";
};
var ABSENT_MODULE = "goproxy-action.invalid/probe";
async function probeRemoteProxy(options) {
  const base = options.proxyUrl.replace(/\/+$/, "");
  const path = options.module ? `${escapePath(options.module.path)}/@v/${escapeVersion(options.module.version)}.info` : `${ABSENT_MODULE}/@v/list`;
  const url = `${base}/${path}`;
  const headers = { "user-agent": "goproxy-action probe" };
  if (options.authorization) headers.authorization = options.authorization;
  const timeout = options.timeoutMs ?? 15e3;
  const started = Date.now();
  let response;
  try {
    const { request } = await loadUndici();
    response = await request(url, { method: "GET", headers, headersTimeout: timeout, bodyTimeout: timeout });
  } catch (err) {
    throw new ProbeError(
      `the remote proxy ${base} did not answer (${err instanceof Error ? err.message : err}); check proxy-url and that the runner can reach it`
    );
  }
  const body = (await response.body.text()).slice(0, 2e3);
  const ms = Date.now() - started;
  const type = String(response.headers["content-type"] ?? "");
  const status = response.statusCode;
  if (status === 401 || status === 403) {
    const how = options.authorization ? "refused the credentials given" : "wants credentials";
    throw new ProbeError(
      `the remote proxy ${base} ${how} (HTTP ${status} for ${path}); check proxy-username/proxy-password or proxy-token${options.authorization?.startsWith("Bearer") ? " and proxy-auth" : ""}`
    );
  }
  if (status >= 300 && status < 400) {
    throw new ProbeError(
      `the remote proxy ${base} redirected ${path} to ${response.headers.location ?? "elsewhere"} (HTTP ${status}); a login page or a wrong base URL? Give the proxy's GOPROXY URL`
    );
  }
  if (options.module) {
    if (status === 200) {
      let version;
      try {
        version = JSON.parse(body).Version;
      } catch {
      }
      if (version === options.module.version)
        return { url, status, ms, detail: `serves ${options.module.path}@${options.module.version}` };
      throw new ProbeError(
        `the remote proxy ${base} answered ${path} with something that is not module info (${type || "no content type"}); is proxy-url the proxy's GOPROXY URL?`
      );
    }
    if (status === 404 || status === 410) {
      return {
        url,
        status,
        ms,
        detail: `answers like a module proxy (does not have ${options.module.path}@${options.module.version})`
      };
    }
  } else if (status === 404 || status === 410 || status === 200 && !/html/i.test(type)) {
    return { url, status, ms, detail: "answers like a module proxy" };
  }
  throw new ProbeError(
    `the remote proxy ${base} does not answer like a module proxy: HTTP ${status} (${type || "no content type"}) for ${path}${body ? `: ${body.split("\n")[0].slice(0, 200)}` : ""}`
  );
}
function authorizationFor(credentials) {
  if (credentials.bearer && credentials.token) return `Bearer ${credentials.token}`;
  const secret = credentials.password || credentials.token;
  if (!secret) return void 0;
  const user = credentials.username || "token";
  return `Basic ${Buffer.from(`${user}:${secret}`).toString("base64")}`;
}

// src/gitlab/dotenv.ts
var DOTENV_MAX_BYTES = 5 * 1024;
var NAME = /^[A-Za-z0-9_]+$/;
var FORBIDDEN_NAMES = /* @__PURE__ */ new Set(["NETRC", "GOAUTH", "CI_JOB_TOKEN", "GOPROXY_ACTION_ADMIN_TOKEN"]);
var DotenvError = class extends Error {
  name = "DotenvError";
};
function renderDotenv(variables, options = {}) {
  const secrets = (options.secrets ?? []).filter((s) => s.length > 0);
  const lines = [];
  for (const [name, value] of Object.entries(variables)) {
    if (!NAME.test(name))
      throw new DotenvError(
        `'${name}' cannot be a dotenv variable name: GitLab accepts only letters, digits and '_'`
      );
    if (FORBIDDEN_NAMES.has(name))
      throw new DotenvError(
        `${name} must not go into a dotenv report: later jobs (and anyone reading the pipeline's artifacts) would get it; they rebuild it from CI/CD variables instead`
      );
    if (/[\r\n\0]/.test(value))
      throw new DotenvError(
        `the value of ${name} has a line break or NUL; GitLab's dotenv reports hold one line per variable`
      );
    if (/^\s|\s$/.test(value))
      throw new DotenvError(
        `the value of ${name} starts or ends with white space, which GitLab's dotenv parser drops; trim it`
      );
    if (secrets.some((secret) => value.includes(secret)))
      throw new DotenvError(
        `the value of ${name} contains a secret; a dotenv report is readable by later jobs, so it must not hold one`
      );
    if (value === "") continue;
    lines.push(`${name}=${value}
`);
  }
  const text = lines.join("");
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > DOTENV_MAX_BYTES)
    throw new DotenvError(
      `the dotenv report would be ${bytes} bytes; GitLab accepts at most ${DOTENV_MAX_BYTES}. Shorten the longest values (${longestNames(variables)})`
    );
  return text;
}
function longestNames(variables) {
  return Object.entries(variables).sort((a, b) => b[1].length - a[1].length).slice(0, 3).map(([name, value]) => `${name}: ${value.length} characters`).join(", ");
}

// src/gitlab/remote.ts
function readRemoteInputs(env) {
  const credential = (name) => {
    const value = env[`GOPROXY_ACTION_REMOTE_${name}`] ?? "";
    return value === env[`GOPROXY_ACTION_REMOTE_${name}_REF`] ? "" : value;
  };
  return {
    url: (env.GOPROXY_ACTION_REMOTE_URL ?? "").replace(/\/+$/, ""),
    fallback: env.GOPROXY_ACTION_REMOTE_FALLBACK ?? "",
    username: credential("USERNAME"),
    password: credential("PASSWORD"),
    private: (env.GOPROXY_ACTION_PRIVATE ?? "").split(",").filter((p) => p !== ""),
    privateThroughProxy: env.GOPROXY_ACTION_PRIVATE_THROUGH_PROXY === "true"
  };
}
function checkRemoteInputs(inputs) {
  if (!/^https?:\/\/[^\s,|]+$/.test(inputs.url))
    throw new Error(`the remote proxy URL '${inputs.url}' is not an http(s) URL; set the url input`);
  if (inputs.username === "" && inputs.password === "") return;
  if (!inputs.url.startsWith("https://"))
    throw new Error(
      `credentials are set but the remote proxy URL '${inputs.url}' is not https; the go command never sends credentials over plain http. Use the https URL, or leave username and password empty.`
    );
  if (inputs.username === "" || inputs.password === "")
    throw new Error(
      "give both the remote proxy's username and password (or token); one of them is empty. Check the CI/CD variables the inputs name (and that they are available to this branch: protected variables reach only protected branches)."
    );
}
async function probeModuleFrom(projectDir, privatePatterns) {
  let lines;
  try {
    lines = parseGoSum(await readFile(join(projectDir, "go.sum"), "utf8"), "go.sum");
  } catch {
    return void 0;
  }
  const line = lines.find((l) => !matchPatternList(privatePatterns, l.module, { foldCase: true }));
  return line ? { path: line.module, version: line.version } : void 0;
}
async function setUpRemote(options) {
  const { env } = options;
  const job = readGitLabJob(env);
  const inputs = readRemoteInputs(env);
  checkRemoteInputs(inputs);
  const goEnv = await readGoEnv(GO_SETTING_NAMES, { env, whenGoMissing: "environment" });
  const sources = { goEnv, inputPrivate: inputs.private };
  const goproxy = inputs.fallback ? `${inputs.url},${inputs.fallback}` : inputs.url;
  const vars = jobGoEnv(sources, { kind: "list", goproxy, privateThroughProxy: inputs.privateThroughProxy });
  delete vars.GOSUMDB;
  const exported = {};
  const work = jobWorkDir(job);
  await rm(work, { recursive: true, force: true });
  if (inputs.password !== "") {
    await mkdir(work, { recursive: true, mode: 448 });
    await chmod(work, 448);
    exported.NETRC = await writeNetrcFile({
      dir: work,
      ours: { machine: netrcMachineFor(inputs.url), login: inputs.username, password: inputs.password },
      existing: await readUserNetrc(userNetrcPath(env))
    });
  }
  Object.assign(exported, vars);
  const result = { exported };
  if (options.probe) {
    const { patterns } = jobPatterns(sources);
    const probe = await probeRemoteProxy({
      proxyUrl: inputs.url,
      authorization: authorizationFor({ username: inputs.username, password: inputs.password }),
      module: await probeModuleFrom(job.projectDir, [
        ...patterns.private,
        ...patterns.noProxy,
        ...patterns.noSumDb
      ])
    });
    result.probed = `the remote proxy ${probe.detail} (HTTP ${probe.status})`;
  }
  if (options.dotenvFile) {
    await writeFile(options.dotenvFile, renderDotenv(vars, { secrets: [inputs.password] }));
  }
  return result;
}
async function removeRemote(env) {
  await rm(jobWorkDir(readGitLabJob(env)), { recursive: true, force: true });
}
export {
  checkRemoteInputs,
  readRemoteInputs,
  removeRemote,
  setUpRemote
};
