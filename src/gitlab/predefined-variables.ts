// The GitLab CI/CD predefined variables the GitLab adapter reads, in one typed place, with a
// clear error when a job runs outside GitLab (or a runner that does not set them).
import { basename, dirname, join } from 'node:path';

export type GitLabJob = {
  /** CI_PROJECT_DIR: the checkout, where GitLab's cache paths are relative to. */
  projectDir: string;
  /** CI_JOB_ID */
  jobId: string;
  /** CI_JOB_STATUS: `running` in script, `success`/`failed`/`canceled` in after_script. */
  jobStatus: string;
  /** CI_COMMIT_REF_SLUG: the branch or tag, slugged (what cache keys use). */
  refSlug: string;
  /** CI_DEFAULT_BRANCH (the project's default branch, as named). */
  defaultBranch: string;
  /** CI_COMMIT_REF_PROTECTED: GitLab keeps protected and unprotected caches apart by default. */
  refProtected: boolean;
  /** CI_SERVER_FQDN: host[:port] of the GitLab instance (what `include: component:` starts with). */
  serverFqdn: string;
};

const REQUIRED = ['CI_PROJECT_DIR', 'CI_JOB_ID'] as const;

/** The job's predefined variables; throws naming the missing ones. */
export function readGitLabJob(env: NodeJS.ProcessEnv): GitLabJob {
  const missing = REQUIRED.filter((name) => !env[name]);
  if (missing.length > 0)
    throw new Error(
      `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set: this runs in a GitLab CI/CD job, whose runner sets them`,
    );
  return {
    projectDir: env.CI_PROJECT_DIR as string,
    jobId: env.CI_JOB_ID as string,
    jobStatus: env.CI_JOB_STATUS ?? '',
    refSlug: env.CI_COMMIT_REF_SLUG ?? '',
    defaultBranch: env.CI_DEFAULT_BRANCH ?? '',
    refProtected: env.CI_COMMIT_REF_PROTECTED === 'true',
    serverFqdn: env.CI_SERVER_FQDN ?? '',
  };
}

/** Where the components keep the cached store in the project directory (GitLab's cache path). */
export const STORE_CACHE_DIR = '.goproxy-cache';
/** Where the goproxy component keeps the Go build cache for GitLab's cache (`cache: paths:`). */
export const BUILD_CACHE_DIR = '.goproxy-gocache';
/** Where the goproxy component keeps the extracted module tree for GitLab's cache. */
export const MOD_TREE_CACHE_DIR = '.goproxy-modtree';

/**
 * The job's own directory next to the checkout (`<builds>/<group>/.goproxy-action-<job id>`):
 * the store lives there while the job runs, so nothing the job does in its checkout (git clean,
 * tools walking the tree) reaches it, and a rename moves it in and out of the cache path. The
 * service mode's job side (a shell without Node) names the same directory.
 */
export function jobWorkDir(job: Pick<GitLabJob, 'projectDir' | 'jobId'>): string {
  return join(dirname(job.projectDir), `.goproxy-action-${job.jobId}`);
}

/**
 * GOMODCACHE while the job runs: next to the checkout like jobWorkDir, but the same path in every
 * job of the project on this runner (the go command's build cache keys packages by directory).
 * Concurrent jobs have their own project directories, so their own parents or names.
 */
export function modTreeWorkDir(job: Pick<GitLabJob, 'projectDir'>): string {
  return join(dirname(job.projectDir), `.goproxy-action-modtree-${basename(job.projectDir)}`);
}
