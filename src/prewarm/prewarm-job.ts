// A whole prewarm as the CLI, the Action and the GitLab component run it: settings in (already
// parsed by the surface), sources gathered into one plan, the run, the report out. Surfaces only
// translate their inputs into PrewarmSettings and write the report where their CI wants it.
import { resolve } from 'node:path';
import { findModuleFiles } from '../gomod/find-module-files.ts';
import { privatePatternsFrom } from '../policy/client-env.ts';
import { loadPolicy } from '../policy/load-policy.ts';
import { addGitlabProjects, type GitlabProjectNote, type GitlabSourceOptions } from './gitlab-source.ts';
import { addListFile, addModuleArgument } from './list-source.ts';
import type { PrewarmReport } from './prewarm-report.ts';
import type { Progress } from './progress.ts';
import { ProxyClient } from './proxy-client.ts';
import { proxyCredentials, proxyLabel } from './proxy-credentials.ts';
import { runPrewarm } from './run-prewarm.ts';
import { moduleForTag, pushedTag, type TagModule } from './tag-source.ts';
import { WarmPlan } from './warm-plan.ts';
import { addWorkspaceFiles, expandModuleFileGlobs } from './workspace-source.ts';

export type PrewarmSettings = {
  proxy: string;
  dir: string;
  /** Globs of go.mod/go.sum/go.work files below dir; [] with no other source: every such file. */
  files: string[];
  lists: string[];
  modules: string[];
  /** Warm the repository's own module at the pushed tag (GITHUB_REF / CI_COMMIT_TAG), or this tag. */
  tag: boolean | string;
  gitlab?: Omit<GitlabSourceOptions, 'token'> & { tokenEnv: string };
  tokenEnv?: string;
  policyFile?: string;
  allowPrivate: boolean;
  sumdb: boolean;
  concurrency: number;
  timeoutMs: number;
  /** The longest one request may take in all (default prewarmDefaults.requestDeadlineMs). */
  requestDeadlineMs?: number;
  attempts: number;
  retryBudget: number;
  warmLatencyMs: number;
  /** The go command's settings: GOPRIVATE, GONOPROXY, GONOSUMDB, GOSUMDB. */
  goEnv: Record<'GOPRIVATE' | 'GONOPROXY' | 'GONOSUMDB' | 'GOSUMDB', string>;
  env: NodeJS.ProcessEnv;
};

export type PrewarmOutcome = {
  report: PrewarmReport;
  tagModule: TagModule | null;
  gitlabProjects: GitlabProjectNote[];
  /** Values to mask in anything printed (tokens, netrc passwords). */
  secrets: string[];
};

/** The database name of a GOSUMDB value (`name`, `name+key`, `name url`); null when off. */
export function sumdbName(gosumdb: string): string | null {
  const first = gosumdb.trim().split(/\s+/)[0] ?? '';
  if (first === '' || first === 'off') return null;
  return first.split('+')[0] ?? null;
}

export async function buildPlan(
  settings: PrewarmSettings,
  secrets: string[],
): Promise<{ plan: WarmPlan; tagModule: TagModule | null; gitlabProjects: GitlabProjectNote[] }> {
  const plan = new WarmPlan();
  const dir = resolve(settings.dir);
  const hasOtherSource =
    settings.lists.length > 0 ||
    settings.modules.length > 0 ||
    settings.tag !== false ||
    settings.gitlab !== undefined;
  if (settings.files.length > 0) {
    await addWorkspaceFiles(plan, await expandModuleFileGlobs(dir, settings.files), dir);
  } else if (!hasOtherSource) {
    await addWorkspaceFiles(plan, await findModuleFiles(dir), dir);
  }
  for (const list of settings.lists) await addListFile(plan, resolve(dir, list), list);
  for (const module of settings.modules) addModuleArgument(plan, module, '--module');
  let tagModule: TagModule | null = null;
  if (settings.tag !== false) {
    const tag = typeof settings.tag === 'string' ? settings.tag : pushedTag(settings.env);
    if (tag === null) {
      throw new Error(
        '--tag: this is no tag pipeline (GITHUB_REF is not refs/tags/..., CI_COMMIT_TAG is empty); name the tag with --tag-name',
      );
    }
    tagModule = await moduleForTag(dir, tag);
    plan.add({ module: tagModule.module, version: tagModule.version, want: 'full', source: `tag ${tag}` });
  }
  let gitlabProjects: GitlabProjectNote[] = [];
  if (settings.gitlab) {
    const token = settings.env[settings.gitlab.tokenEnv] ?? '';
    if (token === '')
      throw new Error(
        `GitLab source: $${settings.gitlab.tokenEnv} is empty; give a token that can read the projects' files (read_api or read_repository)`,
      );
    secrets.push(token);
    gitlabProjects = await addGitlabProjects(plan, { ...settings.gitlab, token });
  }
  return { plan, tagModule, gitlabProjects };
}

export async function prewarm(
  settings: PrewarmSettings,
  run: { signal: AbortSignal; progress: Progress },
): Promise<PrewarmOutcome> {
  const secrets: string[] = [];
  const credentials = await proxyCredentials({
    proxyUrl: settings.proxy,
    env: settings.env,
    ...(settings.tokenEnv ? { tokenEnv: settings.tokenEnv } : {}),
  });
  secrets.push(...credentials.secrets);
  const { plan, tagModule, gitlabProjects } = await buildPlan(settings, secrets);
  const loaded = await loadPolicy({
    workspace: resolve(settings.dir),
    ...(settings.policyFile ? { explicitPath: resolve(settings.policyFile) } : {}),
  });
  const privatePatterns = privatePatternsFrom(
    settings.goEnv.GOPRIVATE,
    settings.goEnv.GONOPROXY,
    loaded.policy?.private ?? [],
  );
  const noSumPatterns = privatePatternsFrom(settings.goEnv.GONOSUMDB, privatePatterns);
  const client = new ProxyClient({
    baseUrl: settings.proxy.replace(/\/+$/, ''),
    ...(credentials.authorization ? { authorization: credentials.authorization } : {}),
    timeoutMs: settings.timeoutMs,
    ...(settings.requestDeadlineMs !== undefined ? { requestDeadlineMs: settings.requestDeadlineMs } : {}),
    attempts: settings.attempts,
    retryBudget: settings.retryBudget,
    backoffMs: 250,
    maxBackoffMs: 30_000,
    connections: settings.concurrency,
    signal: run.signal,
  });
  try {
    const report = await runPrewarm({
      plan,
      client,
      proxyLabel: proxyLabel(settings.proxy),
      concurrency: settings.concurrency,
      timeoutMs: settings.timeoutMs,
      attempts: settings.attempts,
      retryBudget: settings.retryBudget,
      privatePatterns,
      noSumPatterns,
      allowPrivate: settings.allowPrivate,
      sumdb: settings.sumdb ? sumdbName(settings.goEnv.GOSUMDB) : null,
      warmLatencyMs: settings.warmLatencyMs,
      signal: run.signal,
      progress: run.progress,
    });
    return { report, tagModule, gitlabProjects, secrets };
  } finally {
    await client.close();
  }
}
