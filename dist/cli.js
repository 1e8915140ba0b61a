#!/usr/bin/env node
import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import "./chunks/chunk-UOOPJVRV.js";

// src/cli.ts
import { enableCompileCache } from "node:module";
const { join: join2 } = require("node:path");

// src/node-version.ts
var MIN_NODE_VERSION = "22.19.0";
function nodeVersionProblem(version) {
  const have = version.replace(/^v/, "").split(".").map(Number);
  const need = MIN_NODE_VERSION.split(".").map(Number);
  for (let i = 0; i < need.length; i++) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (Number.isNaN(a) || a < b) break;
    if (a > b) return null;
    if (i === need.length - 1) return null;
  }
  return `goproxy-action needs Node.js ${MIN_NODE_VERSION} or later (22, 24 or 26), not ${version}: use a newer node (for example the node:24 image)`;
}

// src/proxy/user-cache-dir.ts
const { homedir } = require("node:os");
const { join } = require("node:path");
function userCacheDir(env = process.env, platform = process.platform) {
  if (platform === "win32") return env.LocalAppData ?? join(homedir(), "AppData", "Local");
  if (platform === "darwin") return join(homedir(), "Library", "Caches");
  return env.XDG_CACHE_HOME?.startsWith("/") ? env.XDG_CACHE_HOME : join(homedir(), ".cache");
}

// src/cli.ts
var problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`${problem}
`);
  process.exit(2);
}
var [name, ...rest] = process.argv.slice(2);
if (name === "serve") {
  enableCompileCache(join2(userCacheDir(), "goproxy-action", "node-compile-cache"));
  const { runServe } = await import("./serve.js");
  process.exitCode = await runServe(rest);
} else {
  const { runCli } = await import("./chunks/run-cli-QHRCCBLL.js");
  process.exitCode = await runCli(process.argv.slice(2));
}
