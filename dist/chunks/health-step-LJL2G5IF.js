import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  access,
  mkdir,
  rename
} from "./chunk-SY3SBDYW.js";
import "./chunk-UOOPJVRV.js";

// src/gitlab/health-step.ts
const { join } = require("node:path");
var HEALTH_CACHE_DIR = ".goproxy-health";
var HEALTH_SNAPSHOT = `${HEALTH_CACHE_DIR}/health.json`;
var HEALTH_BASELINE = `${HEALTH_CACHE_DIR}/baseline.json`;
var HEALTH_MARKDOWN = "goproxy-health.md";
var HEALTH_JUNIT = "goproxy-health-junit.xml";
var HEALTH_CODEQUALITY = "gl-code-quality-report.json";
function input(env, name) {
  return (env[name] ?? "").trim();
}
function healthArgs(env, options) {
  const args = [
    "--dir",
    input(env, "GOPROXY_ACTION_HEALTH_DIR") || ".",
    "--json",
    HEALTH_SNAPSHOT,
    "--markdown",
    HEALTH_MARKDOWN,
    "--junit",
    HEALTH_JUNIT,
    "--codequality",
    HEALTH_CODEQUALITY
  ];
  if (options.hasBaseline) args.push("--baseline", HEALTH_BASELINE);
  const proxy = input(env, "GOPROXY_ACTION_HEALTH_PROXY_URL");
  if (proxy !== "") {
    if (!/^https?:\/\/\S+$/.test(proxy))
      throw new Error(
        `the proxy-url input '${proxy}' is not an http(s) URL; set it to the module proxy to probe, or leave it empty for the job's GOPROXY`
      );
    args.push("--proxy", proxy);
  }
  const vulnDb = input(env, "GOPROXY_ACTION_HEALTH_VULN_DB");
  if (vulnDb !== "") args.push("--vuln-db", vulnDb);
  const failOn = input(env, "GOPROXY_ACTION_HEALTH_FAIL_ON");
  if (failOn !== "") args.push("--fail-on", failOn);
  const policy = input(env, "GOPROXY_ACTION_POLICY_FILE");
  if (policy !== "") args.push("--policy", policy);
  if (input(env, "CI_MERGE_REQUEST_IID") !== "") args.push("--gitlab-mr-note");
  return args;
}
async function prepareHealthBaseline(jobDir) {
  await mkdir(join(jobDir, HEALTH_CACHE_DIR), { recursive: true });
  try {
    await access(join(jobDir, HEALTH_SNAPSHOT));
  } catch {
    return false;
  }
  await rename(join(jobDir, HEALTH_SNAPSHOT), join(jobDir, HEALTH_BASELINE));
  return true;
}
export {
  HEALTH_BASELINE,
  HEALTH_CACHE_DIR,
  HEALTH_CODEQUALITY,
  HEALTH_JUNIT,
  HEALTH_MARKDOWN,
  HEALTH_SNAPSHOT,
  healthArgs,
  prepareHealthBaseline
};
