import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  loadUndici
} from "./chunk-N25SXF32.js";

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
const { setTimeout: sleep } = require("node:timers/promises");
var ADMIN_TIMEOUT_MS = 12e4;
async function call(target, method, name) {
  const url = `${target.adminUrl.replace(/\/+$/, "")}/${name}`;
  let response;
  try {
    const { request } = await loadUndici();
    response = await request(url, {
      method,
      headers: { authorization: `Bearer ${target.token}` },
      headersTimeout: ADMIN_TIMEOUT_MS,
      bodyTimeout: ADMIN_TIMEOUT_MS
    });
  } catch (err) {
    throw new Error(
      `the proxy's admin endpoint ${url} did not answer (${err instanceof Error ? err.message : err})`
    );
  }
  const text = await response.body.text();
  if (response.statusCode !== 200) {
    throw new Error(
      `the proxy's admin endpoint ${url} answered ${response.statusCode}: ${text.slice(0, 300)}`
    );
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
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(20);
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
