#!/usr/bin/env node
import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import "./chunks/chunk-UOOPJVRV.js";

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

// src/cli.ts
var problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`${problem}
`);
  process.exit(2);
}
var [name, ...rest] = process.argv.slice(2);
if (name === "serve") {
  const { runServe } = await import("./serve.js");
  process.exitCode = await runServe(rest);
} else {
  const { runCli } = await import("./chunks/run-cli-5KEBJHMS.js");
  process.exitCode = await runCli(process.argv.slice(2));
}
