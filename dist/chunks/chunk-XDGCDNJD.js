import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  chmod,
  lstat,
  mkdir,
  open,
  readFile,
  rm
} from "./chunk-TPCHYJEY.js";

// src/github/cache-access.ts
var KNOWN = ["none", "read", "write", "write-only"];
function cacheAccess(env) {
  const mode = (env.ACTIONS_CACHE_MODE ?? "").trim().toLowerCase();
  if (!KNOWN.includes(mode)) return { read: true, write: true, mode };
  return {
    read: mode === "read" || mode === "write",
    write: mode === "write" || mode === "write-only",
    mode
  };
}
function isGhes(env = process.env) {
  const host = new URL(env.GITHUB_SERVER_URL || "https://github.com").hostname.trimEnd().toUpperCase();
  return !(host === "GITHUB.COM" || host.endsWith(".GHE.COM") || host.endsWith(".LOCALHOST"));
}
function cacheFeatureAvailable(env = process.env) {
  const v2 = !isGhes(env) && Boolean(env.ACTIONS_CACHE_SERVICE_V2);
  return Boolean(v2 ? env.ACTIONS_RESULTS_URL : env.ACTIONS_CACHE_URL);
}

// src/daemon/start-proxy.ts
const { spawn } = require("node:child_process");
const { closeSync, constants, openSync } = require("node:fs");
const { join } = require("node:path");
const { setTimeout: sleep } = require("node:timers/promises");
var LOG_TAIL_BYTES = 4096;
var serveNodeFlags = ["--max-semi-space-size=1", "--no-concurrent-recompilation"];
async function logTail(file, bytes = LOG_TAIL_BYTES) {
  try {
    const handle = await open(file, "r");
    try {
      const { size } = await handle.stat();
      const start = Math.max(0, size - bytes);
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      return buffer.toString("utf8").trim();
    } finally {
      await handle.close();
    }
  } catch {
    return "";
  }
}
function isRunningProxy(value) {
  if (typeof value !== "object" || value === null) return false;
  const v = value;
  return typeof v.url === "string" && typeof v.pid === "number" && typeof v.adminUrl === "string" && typeof v.token === "string" && (v.goproxy === void 0 || typeof v.goproxy === "string");
}
async function readReadyFile(file) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return void 0;
  }
  try {
    const parsed = JSON.parse(text);
    return isRunningProxy(parsed) ? parsed : void 0;
  } catch {
    return void 0;
  }
}
function readyFilePath(stateDir) {
  return join(stateDir, "proxy-ready.json");
}
function logFilePath(stateDir) {
  return join(stateDir, "proxy.log");
}
async function claimStateDir(dir) {
  await mkdir(dir, { recursive: true, mode: 448 });
  const uid = process.getuid?.();
  if (uid === void 0) return;
  const info = await lstat(dir);
  if (info.isSymbolicLink() || !info.isDirectory() || info.uid !== uid) {
    throw new Error(
      `the state directory ${dir} is ${info.isSymbolicLink() ? "a symbolic link" : !info.isDirectory() ? "not a directory" : `owned by another user (uid ${info.uid})`}: whoever controls it could forge the proxy's ready file; give a directory of your own (e.g. from mktemp -d)`
    );
  }
  if ((info.mode & 18) !== 0) await chmod(dir, 448);
}
async function startProxyDetached(options) {
  await claimStateDir(options.stateDir);
  const readyFile = readyFilePath(options.stateDir);
  const logFile = logFilePath(options.stateDir);
  await rm(readyFile, { force: true });
  let logFd;
  try {
    logFd = openSync(
      logFile,
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0),
      384
    );
  } catch (err) {
    if (err.code !== "ELOOP") throw err;
    throw new Error(
      `${logFile} is a symbolic link: remove it (the proxy's log is never written through one)`
    );
  }
  let exit;
  let spawnError;
  try {
    const child = spawn(
      process.execPath,
      [...serveNodeFlags, options.cliPath, "serve", ...options.args, "--ready-file", readyFile],
      {
        detached: true,
        stdio: ["ignore", logFd, logFd],
        env: options.env,
        windowsHide: true
      }
    );
    child.on("exit", (code, signal) => {
      exit = { code, signal };
    });
    child.on("error", (err) => {
      spawnError = err;
    });
    child.unref();
    const deadline = Date.now() + options.timeoutMs;
    for (; ; ) {
      const ready = await readReadyFile(readyFile);
      if (ready) return { ...ready, logFile };
      if (spawnError) throw new Error(`could not start the proxy (${spawnError.message})`);
      if (exit) {
        const how = exit.signal ? `was killed by ${exit.signal}` : `exited with status ${exit.code}`;
        throw new Error(
          `the proxy ${how} before it was ready. Its log (${logFile}) ends with:
${await logTail(logFile)}`
        );
      }
      if (Date.now() > deadline) {
        if (child.pid !== void 0) {
          try {
            process.kill(child.pid, "SIGTERM");
          } catch {
          }
        }
        throw new Error(
          `the proxy was not ready after ${options.timeoutMs} ms. Its log (${logFile}) ends with:
${await logTail(logFile)}`
        );
      }
      await sleep(25);
    }
  } finally {
    closeSync(logFd);
  }
}

// src/daemon/admin-client.ts
const { request: httpRequest } = require("node:http");
const { request: httpsRequest } = require("node:https");
const { setTimeout: sleep2 } = require("node:timers/promises");

// src/process-alive.ts
const { readFileSync } = require("node:fs");
function isProcessAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return err.code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return true;
  }
}

// src/daemon/admin-client.ts
var ADMIN_TIMEOUT_MS = 12e4;
function send(url, method, token) {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = (target.protocol === "https:" ? httpsRequest : httpRequest)(
      target,
      { method, headers: { authorization: `Bearer ${token}` }, timeout: ADMIN_TIMEOUT_MS },
      (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on(
          "end",
          () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") })
        );
        res.on("error", reject);
      }
    );
    req.on("timeout", () => req.destroy(new Error(`no answer in ${ADMIN_TIMEOUT_MS / 1e3} s`)));
    req.on("error", reject);
    req.end();
  });
}
async function call(target, method, name) {
  const url = `${target.adminUrl.replace(/\/+$/, "")}/${name}`;
  let response;
  try {
    response = await send(url, method, target.token);
  } catch (err) {
    throw new Error(
      `the proxy's admin endpoint ${url} did not answer (${err instanceof Error ? err.message : err})`
    );
  }
  const { text } = response;
  if (response.status !== 200) {
    throw new Error(`the proxy's admin endpoint ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  }
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(
      `the proxy's admin endpoint ${url} answered with something that is not JSON: ${text.slice(0, 200)}`
    );
  }
}
async function getStats(target) {
  return await call(target, "GET", "stats");
}
async function prune(target) {
  return await call(target, "POST", "prune");
}
async function flush(target) {
  await call(target, "POST", "flush");
}
async function shutdown(target) {
  try {
    await call(target, "POST", "shutdown");
  } catch (err) {
    if (!(err instanceof Error && /did not answer/.test(err.message))) throw err;
  }
}
async function waitForExit(pid, timeoutMs = 3e4) {
  const deadline = Date.now() + timeoutMs;
  for (let polls = 0; isProcessAlive(pid); polls++) {
    if (Date.now() > deadline) return false;
    await sleep2(polls < 100 ? 2 : 20);
  }
  return true;
}

export {
  cacheAccess,
  isGhes,
  cacheFeatureAvailable,
  logTail,
  readReadyFile,
  readyFilePath,
  logFilePath,
  startProxyDetached,
  isProcessAlive,
  getStats,
  prune,
  flush,
  shutdown,
  waitForExit
};
