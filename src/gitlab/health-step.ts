// The health component (templates/health.yml): `ci health` turns the component's inputs, as the
// template's GOPROXY_ACTION_HEALTH_* variables carry them, into the options of
// `goproxy-action health`, which then runs in the same process. It also moves the previous
// pipeline's snapshot (restored by GitLab's cache) aside as the baseline, and asks for the
// merge-request note in merge-request pipelines.
import { access, mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';

/** GitLab's cache path for the snapshot (the template's `cache:paths`), relative to the job's directory. */
export const HEALTH_CACHE_DIR = '.goproxy-health';
/** This run's snapshot, in the cache path so the next pipeline compares with it. */
export const HEALTH_SNAPSHOT = `${HEALTH_CACHE_DIR}/health.json`;
/** The previous pipeline's snapshot, moved aside before this run writes its own. */
export const HEALTH_BASELINE = `${HEALTH_CACHE_DIR}/baseline.json`;
export const HEALTH_MARKDOWN = 'goproxy-health.md';
export const HEALTH_JUNIT = 'goproxy-health-junit.xml';
export const HEALTH_CODEQUALITY = 'gl-code-quality-report.json';

function input(env: NodeJS.ProcessEnv, name: string): string {
  return (env[name] ?? '').trim();
}

/**
 * The `goproxy-action health` options for the component's inputs. Paths are relative to the
 * job's directory, where GitLab starts every script. `hasBaseline`: the previous snapshot was
 * found (see prepareHealthBaseline). CI_MERGE_REQUEST_IID (GitLab's) asks for the note.
 */
export function healthArgs(env: NodeJS.ProcessEnv, options: { hasBaseline: boolean }): string[] {
  const args = [
    '--dir',
    input(env, 'GOPROXY_ACTION_HEALTH_DIR') || '.',
    '--json',
    HEALTH_SNAPSHOT,
    '--markdown',
    HEALTH_MARKDOWN,
    '--junit',
    HEALTH_JUNIT,
    '--codequality',
    HEALTH_CODEQUALITY,
  ];
  if (options.hasBaseline) args.push('--baseline', HEALTH_BASELINE);
  const proxy = input(env, 'GOPROXY_ACTION_HEALTH_PROXY_URL');
  if (proxy !== '') {
    if (!/^https?:\/\/\S+$/.test(proxy))
      throw new Error(
        `the proxy-url input '${proxy}' is not an http(s) URL; set it to the module proxy to probe, or leave it empty for the job's GOPROXY`,
      );
    args.push('--proxy', proxy);
  }
  const vulnDb = input(env, 'GOPROXY_ACTION_HEALTH_VULN_DB');
  if (vulnDb !== '') args.push('--vuln-db', vulnDb);
  const failOn = input(env, 'GOPROXY_ACTION_HEALTH_FAIL_ON');
  if (failOn !== '') args.push('--fail-on', failOn);
  const policy = input(env, 'GOPROXY_ACTION_POLICY_FILE');
  if (policy !== '') args.push('--policy', policy);
  if (input(env, 'CI_MERGE_REQUEST_IID') !== '') args.push('--gitlab-mr-note');
  return args;
}

/**
 * Makes the cache path and moves the previous pipeline's snapshot (if GitLab's cache restored
 * one) to the baseline file, so this run's snapshot can take its place. True when there is one.
 */
export async function prepareHealthBaseline(jobDir: string): Promise<boolean> {
  await mkdir(join(jobDir, HEALTH_CACHE_DIR), { recursive: true });
  try {
    await access(join(jobDir, HEALTH_SNAPSHOT));
  } catch {
    return false;
  }
  await rename(join(jobDir, HEALTH_SNAPSHOT), join(jobDir, HEALTH_BASELINE));
  return true;
}
