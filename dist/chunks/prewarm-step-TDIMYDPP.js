import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import "./chunk-UOOPJVRV.js";

// src/gitlab/prewarm-step.ts
var PREWARM_REPORT_JSON = "goproxy-prewarm.json";
var PREWARM_REPORT_MARKDOWN = "goproxy-prewarm.md";
var VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
function splitList(value) {
  return (value ?? "").split(",").map((item) => item.trim()).filter((item) => item !== "");
}
function flag(env, name, input) {
  const value = env[`GOPROXY_ACTION_PREWARM_${name}`] ?? "";
  if (value === "" || value === "false") return false;
  if (value === "true") return true;
  throw new Error(`the ${input} input is '${value}'; write true or false`);
}
function variableName(env, name, input) {
  const value = (env[`GOPROXY_ACTION_PREWARM_${name}`] ?? "").trim();
  if (value !== "" && !VARIABLE_NAME.test(value))
    throw new Error(
      `the ${input} input is '${value}', which is not a variable name; give the NAME of the CI/CD variable holding the token (e.g. PROXY_TOKEN), never the token itself`
    );
  return value;
}
function prewarmArgs(env) {
  const proxy = (env.GOPROXY_ACTION_PREWARM_PROXY ?? "").trim();
  if (proxy === "") throw new Error("the proxy-url input is empty; set it to the module proxy to warm");
  const args = ["--proxy", proxy];
  const concurrency = (env.GOPROXY_ACTION_PREWARM_CONCURRENCY ?? "").trim();
  if (concurrency !== "") {
    if (!/^[0-9]+$/.test(concurrency) || Number(concurrency) < 1)
      throw new Error(`the concurrency input is '${concurrency}'; give a whole number of 1 or more`);
    args.push("--concurrency", concurrency);
  }
  const tokenVariable = variableName(env, "TOKEN_VARIABLE", "proxy-token-variable");
  if (tokenVariable !== "") args.push("--token-env", tokenVariable);
  for (const files of splitList(env.GOPROXY_ACTION_PREWARM_FILES)) args.push("--files", files);
  const list = (env.GOPROXY_ACTION_PREWARM_LIST ?? "").trim();
  if (list !== "") args.push("--list", list);
  for (const module of splitList(env.GOPROXY_ACTION_PREWARM_MODULES)) args.push("--module", module);
  if (flag(env, "TAG", "tag")) args.push("--tag");
  const group = (env.GOPROXY_ACTION_PREWARM_GITLAB_GROUP ?? "").trim();
  if (group !== "") args.push("--gitlab-group", group);
  if (flag(env, "GITLAB_SUBGROUPS", "gitlab-subgroups")) args.push("--gitlab-subgroups");
  for (const project of splitList(env.GOPROXY_ACTION_PREWARM_GITLAB_PROJECTS))
    args.push("--gitlab-project", project);
  const ref = (env.GOPROXY_ACTION_PREWARM_GITLAB_REF ?? "").trim();
  if (ref !== "") args.push("--gitlab-ref", ref);
  const gitlabTokenVariable = variableName(env, "GITLAB_TOKEN_VARIABLE", "gitlab-token-variable");
  if (gitlabTokenVariable !== "") args.push("--gitlab-token-env", gitlabTokenVariable);
  if (flag(env, "ALLOW_PRIVATE", "allow-private")) args.push("--allow-private");
  if (flag(env, "SUMDB", "sumdb")) args.push("--sumdb");
  args.push(
    "--json",
    PREWARM_REPORT_JSON,
    "--markdown",
    PREWARM_REPORT_MARKDOWN,
    // A job log is no terminal: one line per step of progress.
    "--progress",
    "lines"
  );
  return args;
}
export {
  PREWARM_REPORT_JSON,
  PREWARM_REPORT_MARKDOWN,
  prewarmArgs,
  splitList
};
