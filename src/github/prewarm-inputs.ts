// The prewarm action's inputs (prewarm/action.yml) read into PrewarmSettings. Each error names
// the input; secrets (proxy password or token, GitLab token) never appear in a message and are
// handed over through private environment variables, never a command line.
import { parseGoDuration } from '../policy/go-duration.ts';
import { prewarmDefaults } from '../prewarm/prewarm-defaults.ts';
import type { PrewarmSettings } from '../prewarm/prewarm-job.ts';
import { InputError, type InputReader } from './inputs.ts';

/** Variables the adapter puts the secrets in for the engine (in its own process only). */
export const tokenVariable = 'GOPROXY_ACTION_PREWARM_PROXY_TOKEN';
export const gitlabTokenVariable = 'GOPROXY_ACTION_PREWARM_GITLAB_TOKEN';

export type PrewarmActionInputs = {
  settings: Omit<PrewarmSettings, 'goEnv' | 'env'>;
  proxyUsername: string;
  proxyPassword: string;
  proxyToken: string;
  gitlabToken: string;
  allowFailures: boolean;
};

/** Lines of a multi-line input, blank lines and `#` comments dropped. */
function lines(raw: string): string[] {
  return raw
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l !== '');
}

function bool(read: InputReader, name: string): boolean {
  const raw = read(name);
  if (raw === '' || ['false', 'False', 'FALSE'].includes(raw)) return false;
  if (['true', 'True', 'TRUE'].includes(raw)) return true;
  throw new InputError(`input '${name}' must be true or false, not '${raw}'`);
}

function int(read: InputReader, name: string, fallback: number, min = 1): number {
  const raw = read(name);
  if (raw === '') return fallback;
  if (!/^[0-9]+$/.test(raw) || Number(raw) < min)
    throw new InputError(`input '${name}' must be a whole number of ${min} or more, not '${raw}'`);
  return Number(raw);
}

function dur(read: InputReader, name: string, fallback: number): number {
  const raw = read(name);
  if (raw === '') return fallback;
  const ms = parseGoDuration(raw);
  if (ms === null || ms <= 0)
    throw new InputError(`input '${name}' must be a duration such as 30s, not '${raw}'`);
  return ms;
}

export function readPrewarmInputs(read: InputReader, env: NodeJS.ProcessEnv): PrewarmActionInputs {
  const proxy = read('proxy-url');
  if (proxy === '') throw new InputError("input 'proxy-url' is required: the module proxy to warm");
  try {
    const url = new URL(proxy);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
  } catch {
    throw new InputError("input 'proxy-url' must be the proxy's http(s) URL, as in GOPROXY");
  }
  const proxyToken = read('proxy-token');
  const proxyUsername = read('proxy-username');
  const proxyPassword = read('proxy-password');
  if (proxyToken && proxyPassword)
    throw new InputError("give either 'proxy-token' or 'proxy-password', not both");
  if (proxyPassword && !proxyUsername) throw new InputError("'proxy-password' needs 'proxy-username'");
  const gitlabGroup = read('gitlab-group');
  const gitlabProjects = lines(read('gitlab-projects').replaceAll(',', '\n'));
  const gitlabToken = read('gitlab-token');
  const gitlabWanted = gitlabGroup !== '' || gitlabProjects.length > 0;
  const gitlabUrl = read('gitlab-url') || env.CI_SERVER_URL || '';
  if (gitlabWanted && gitlabUrl === '')
    throw new InputError("input 'gitlab-url' is required with 'gitlab-group' or 'gitlab-projects'");
  if (gitlabWanted && gitlabToken === '')
    throw new InputError("input 'gitlab-token' is required with 'gitlab-group' or 'gitlab-projects'");
  const tag = bool(read, 'tag');
  const tagName = read('tag-name');
  return {
    settings: {
      proxy,
      dir: read('working-directory') || '.',
      files: lines(read('files')),
      lists: lines(read('list-files')),
      modules: lines(read('modules')),
      tag: tagName !== '' ? tagName : tag,
      ...(gitlabWanted
        ? {
            gitlab: {
              url: gitlabUrl,
              tokenEnv: gitlabTokenVariable,
              ...(gitlabGroup ? { group: gitlabGroup } : {}),
              includeSubgroups: bool(read, 'gitlab-subgroups'),
              projects: gitlabProjects,
              ...(read('gitlab-ref') ? { ref: read('gitlab-ref') } : {}),
            },
          }
        : {}),
      ...(proxyToken ? { tokenEnv: tokenVariable } : {}),
      ...(read('policy-file') ? { policyFile: read('policy-file') } : {}),
      allowPrivate: bool(read, 'allow-private'),
      sumdb: bool(read, 'sumdb'),
      concurrency: int(read, 'concurrency', prewarmDefaults.concurrency),
      timeoutMs: dur(read, 'timeout', prewarmDefaults.timeoutMs),
      attempts: int(read, 'attempts', 4),
      retryBudget: int(read, 'retry-budget', 100, 0),
      warmLatencyMs: dur(read, 'warm-latency', 50),
    },
    proxyUsername,
    proxyPassword,
    proxyToken,
    gitlabToken,
    allowFailures: bool(read, 'allow-failures'),
  };
}
