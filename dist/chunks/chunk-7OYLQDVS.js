import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  parseGoDuration
} from "./chunk-VCQX7A6J.js";
import {
  validatePattern
} from "./chunk-IUAILITG.js";
import {
  UsageError
} from "./chunk-F4IRGORQ.js";
import {
  redactUrlUserinfo
} from "./chunk-BDS5G37X.js";
import {
  open
} from "./chunk-SY3SBDYW.js";

// src/cli/serve-options.ts
const { statSync } = require("node:fs");
const { dirname, resolve } = require("node:path");

// src/policy/goproxy-setting.ts
function goproxySettingError(value) {
  let rest = value;
  let entries = 0;
  while (rest !== "") {
    const at = rest.search(/[,|]/);
    const raw = (at >= 0 ? rest.slice(0, at) : rest).trim();
    rest = at >= 0 ? rest.slice(at + 1) : "";
    if (raw === "") continue;
    entries++;
    if (raw === "off" || raw === "direct") return null;
    let url = raw;
    if (/[.:/]/.test(url) && !url.includes(":/") && !url.startsWith("/")) url = `https://${url}`;
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
    if (scheme === void 0)
      return `'${raw}': invalid proxy URL missing scheme (write a URL such as https://${raw.replace(/^\/+/, "")}, or direct or off)`;
    if (scheme !== "https" && scheme !== "http" && scheme !== "file")
      return `'${raw}': invalid proxy URL scheme (must be https, http, file)`;
    if (!URL.canParse(url)) return `'${raw}': not a valid URL`;
  }
  if (entries === 0) return "the list is empty: give a proxy URL, direct or off";
  return null;
}

// src/cli/serve-options.ts
var serveOptions = {
  listen: { type: "string" },
  store: { type: "string" },
  upstream: { type: "string" },
  "private-upstream": { type: "string" },
  private: { type: "string", multiple: true },
  gosumdb: { type: "string" },
  policy: { type: "string" },
  "go-sum": { type: "string", multiple: true },
  "ready-file": { type: "string" },
  "seed-from": { type: "string" },
  "audit-log": { type: "string" },
  "admin-token-env": { type: "string" },
  "client-token-env": { type: "string" },
  "upstream-env": { type: "string" },
  "fetch-timeout": { type: "string" },
  "shutdown-grace": { type: "string" },
  help: { type: "boolean", short: "h" }
};
function parseListen(value) {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]*):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : Number.NaN;
  if (!match || port > 65535)
    throw new UsageError(`--listen ${value}: write HOST:PORT (e.g. 127.0.0.1:0) or :PORT for all interfaces`);
  const host = match[1] === "" ? "0.0.0.0" : match[1].replace(/^\[|\]$/g, "");
  const loopback = host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
  return { host, port, loopback };
}
function checkUpstream(option, value) {
  const problem = goproxySettingError(value);
  if (problem) throw new UsageError(`${option} ${redactUrlUserinfo(value)}: ${redactUrlUserinfo(problem)}`);
}
function checkPrivatePatterns(values) {
  for (const value of values)
    for (const pattern of value.split(",")) {
      if (pattern === "") continue;
      const problem = validatePattern(pattern);
      if (problem) throw new UsageError(`--private: ${problem}`);
    }
}
function isDirectory(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
async function checkFileToCreate(option, file) {
  if (!isDirectory(dirname(resolve(file))))
    throw new UsageError(
      `${option} ${file}: the directory ${dirname(resolve(file))} does not exist; create it first`
    );
  if (isDirectory(file)) throw new UsageError(`${option} ${file}: is a directory; give a file name`);
}
async function checkAppendable(option, file) {
  await checkFileToCreate(option, file);
  try {
    await (await open(file, "a", 384)).close();
  } catch (err) {
    throw new UsageError(
      `${option} ${file}: cannot be written (${err.code ?? err})`
    );
  }
}
async function checkDirectory(option, dir, what) {
  if (!isDirectory(dir)) throw new UsageError(`${option} ${dir}: no such directory; give ${what}`);
}
function parseDurationOption(name, value) {
  if (value === void 0) return null;
  const ms = parseGoDuration(value);
  if (ms === null || ms <= 0)
    throw new UsageError(`${name} ${value}: give a positive Go duration such as 30s or 2m`);
  return ms;
}
async function checkServeValues(values, env) {
  const listen = parseListen(values.listen ?? "127.0.0.1:0");
  if (values.upstream !== void 0) checkUpstream("--upstream", values.upstream);
  if (values["private-upstream"] !== void 0)
    checkUpstream("--private-upstream", values["private-upstream"]);
  checkPrivatePatterns(values.private ?? []);
  if (values["seed-from"] !== void 0)
    await checkDirectory("--seed-from", values["seed-from"], "a module cache's download dir");
  if (values["ready-file"] !== void 0) await checkFileToCreate("--ready-file", values["ready-file"]);
  if (values["audit-log"] !== void 0) await checkAppendable("--audit-log", values["audit-log"]);
  let adminToken = null;
  if (values["admin-token-env"]) {
    adminToken = env[values["admin-token-env"]] ?? "";
    if (adminToken.length < 16)
      throw new UsageError(
        `--admin-token-env ${values["admin-token-env"]}: the variable must hold a token of at least 16 characters`
      );
  }
  let clientToken = null;
  if (values["client-token-env"]) {
    clientToken = env[values["client-token-env"]] ?? "";
    if (clientToken.length < 16 || !/^[A-Za-z0-9_-]+$/.test(clientToken))
      throw new UsageError(
        `--client-token-env ${values["client-token-env"]}: the variable must hold a token of at least 16 letters, digits, '-' or '_' (e.g. from openssl rand -hex 24)`
      );
  }
  const fetchTimeoutMs = parseDurationOption("--fetch-timeout", values["fetch-timeout"]);
  const shutdownGraceMs = parseDurationOption("--shutdown-grace", values["shutdown-grace"]);
  return { listen, adminToken, clientToken, fetchTimeoutMs, shutdownGraceMs };
}

export {
  serveOptions,
  checkServeValues
};
