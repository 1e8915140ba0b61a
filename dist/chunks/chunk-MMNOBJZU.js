import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);

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
const { request: httpRequest } = require("node:http");
const { request: httpsRequest } = require("node:https");
const { setTimeout: sleep } = require("node:timers/promises");
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
    await sleep(polls < 100 ? 2 : 20);
  }
  return true;
}

export {
  isProcessAlive,
  getStats,
  prune,
  flush,
  shutdown,
  waitForExit
};
