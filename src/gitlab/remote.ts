// The goproxy-remote component: `ci remote` sets up a job to use a remote module proxy
// (credentials into a private netrc that carries the job's own entries, the go command's
// environment from the one job-environment function), and in the settings job probes the
// remote and writes the dotenv report later jobs read.
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type GoSumLine, parseGoSum } from '../gomod/go-sum.ts';
import { readGoEnv } from '../gomod/read-go-env.ts';
import { GO_SETTING_NAMES, jobGoEnv, jobPatterns } from '../policy/job-go-env.ts';
import { matchPatternList } from '../policy/patterns.ts';
import { netrcMachineFor, readUserNetrc, userNetrcPath, writeNetrcFile } from '../remote/netrc.ts';
import { authorizationFor, type ProbeModule, probeRemoteProxy } from '../remote/probe-remote-proxy.ts';
import { renderDotenv } from './dotenv.ts';
import { jobWorkDir, readGitLabJob } from './predefined-variables.ts';

export type RemoteInputs = {
  url: string;
  fallback: string;
  username: string;
  password: string;
  private: string[];
  privateThroughProxy: boolean;
};

/**
 * The inputs as the template's variables carry them. A credential input still equal to the
 * reference it was written as (`$GOPROXY_REMOTE_USERNAME`) names a CI/CD variable this job does
 * not have: no credential.
 */
export function readRemoteInputs(env: NodeJS.ProcessEnv): RemoteInputs {
  const credential = (name: string): string => {
    const value = env[`GOPROXY_ACTION_REMOTE_${name}`] ?? '';
    return value === env[`GOPROXY_ACTION_REMOTE_${name}_REF`] ? '' : value;
  };
  return {
    url: (env.GOPROXY_ACTION_REMOTE_URL ?? '').replace(/\/+$/, ''),
    fallback: env.GOPROXY_ACTION_REMOTE_FALLBACK ?? '',
    username: credential('USERNAME'),
    password: credential('PASSWORD'),
    private: (env.GOPROXY_ACTION_PRIVATE ?? '').split(',').filter((p) => p !== ''),
    privateThroughProxy: env.GOPROXY_ACTION_PRIVATE_THROUGH_PROXY === 'true',
  };
}

export function checkRemoteInputs(inputs: RemoteInputs): void {
  if (!/^https?:\/\/[^\s,|]+$/.test(inputs.url))
    throw new Error(`the remote proxy URL '${inputs.url}' is not an http(s) URL; set the url input`);
  if (inputs.username === '' && inputs.password === '') return;
  if (!inputs.url.startsWith('https://'))
    throw new Error(
      `credentials are set but the remote proxy URL '${inputs.url}' is not https; the go command never sends credentials over plain http. Use the https URL, or leave username and password empty.`,
    );
  if (inputs.username === '' || inputs.password === '')
    throw new Error(
      "give both the remote proxy's username and password (or token); one of them is empty. Check the CI/CD variables the inputs name (and that they are available to this branch: protected variables reach only protected branches).",
    );
}

/** A public module version the project uses (first go.sum line no private pattern names). */
async function probeModuleFrom(
  projectDir: string,
  privatePatterns: string[],
): Promise<ProbeModule | undefined> {
  let lines: GoSumLine[];
  try {
    lines = parseGoSum(await readFile(join(projectDir, 'go.sum'), 'utf8'), 'go.sum');
  } catch {
    return undefined;
  }
  const line = lines.find((l) => !matchPatternList(privatePatterns, l.module, { foldCase: true }));
  return line ? { path: line.module, version: line.version } : undefined;
}

export type RemoteResult = {
  /** The go command's environment, NETRC included when credentials were given. */
  exported: Record<string, string>;
  /** The probe's one-line verdict, when probed. */
  probed?: string;
};

export async function setUpRemote(options: {
  env: NodeJS.ProcessEnv;
  probe: boolean;
  dotenvFile?: string;
}): Promise<RemoteResult> {
  const { env } = options;
  const job = readGitLabJob(env);
  const inputs = readRemoteInputs(env);
  checkRemoteInputs(inputs);
  const goEnv = await readGoEnv(GO_SETTING_NAMES, { env, whenGoMissing: 'environment' });
  const sources = { goEnv, inputPrivate: inputs.private };
  const goproxy = inputs.fallback ? `${inputs.url},${inputs.fallback}` : inputs.url;
  const vars = jobGoEnv(sources, { kind: 'list', goproxy, privateThroughProxy: inputs.privateThroughProxy });
  // GOSUMDB is the job's own, unchanged: not exported.
  delete vars.GOSUMDB;
  const exported: Record<string, string> = {};
  const work = jobWorkDir(job);
  await rm(work, { recursive: true, force: true });
  if (inputs.password !== '') {
    await mkdir(work, { recursive: true, mode: 0o700 });
    await chmod(work, 0o700);
    // The go command reads exactly one netrc: ours first, then the job's entries for other machines.
    exported.NETRC = await writeNetrcFile({
      dir: work,
      ours: { machine: netrcMachineFor(inputs.url), login: inputs.username, password: inputs.password },
      existing: await readUserNetrc(userNetrcPath(env)),
    });
  }
  Object.assign(exported, vars);
  const result: RemoteResult = { exported };
  if (options.probe) {
    const { patterns } = jobPatterns(sources);
    const probe = await probeRemoteProxy({
      proxyUrl: inputs.url,
      authorization: authorizationFor({ username: inputs.username, password: inputs.password }),
      module: await probeModuleFrom(job.projectDir, [
        ...patterns.private,
        ...patterns.noProxy,
        ...patterns.noSumDb,
      ]),
    });
    result.probed = `the remote proxy ${probe.detail} (HTTP ${probe.status})`;
  }
  if (options.dotenvFile) {
    // Never a secret, never the netrc path: later jobs rebuild their own from CI/CD variables.
    await writeFile(options.dotenvFile, renderDotenv(vars, { secrets: [inputs.password] }));
  }
  return result;
}

/** Removes what setUpRemote wrote (the netrc). */
export async function removeRemote(env: NodeJS.ProcessEnv): Promise<void> {
  await rm(jobWorkDir(readGitLabJob(env)), { recursive: true, force: true });
}
