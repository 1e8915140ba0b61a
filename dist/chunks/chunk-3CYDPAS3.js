import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);

// src/gitlab/predefined-variables.ts
const { basename, dirname, join } = require("node:path");
var REQUIRED = ["CI_PROJECT_DIR", "CI_JOB_ID"];
function readGitLabJob(env) {
  const missing = REQUIRED.filter((name) => !env[name]);
  if (missing.length > 0)
    throw new Error(
      `${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not set: this runs in a GitLab CI/CD job, whose runner sets them`
    );
  return {
    projectDir: env.CI_PROJECT_DIR,
    jobId: env.CI_JOB_ID,
    jobStatus: env.CI_JOB_STATUS ?? "",
    refSlug: env.CI_COMMIT_REF_SLUG ?? "",
    defaultBranch: env.CI_DEFAULT_BRANCH ?? "",
    refProtected: env.CI_COMMIT_REF_PROTECTED === "true",
    serverFqdn: env.CI_SERVER_FQDN ?? ""
  };
}
var STORE_CACHE_DIR = ".goproxy-cache";
var BUILD_CACHE_DIR = ".goproxy-gocache";
var MOD_TREE_CACHE_DIR = ".goproxy-modtree";
function jobWorkDir(job) {
  return join(dirname(job.projectDir), `.goproxy-action-${job.jobId}`);
}
function modTreeWorkDir(job) {
  return join(dirname(job.projectDir), `.goproxy-action-modtree-${basename(job.projectDir)}`);
}

export {
  readGitLabJob,
  STORE_CACHE_DIR,
  BUILD_CACHE_DIR,
  MOD_TREE_CACHE_DIR,
  jobWorkDir,
  modTreeWorkDir
};
