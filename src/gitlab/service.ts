// Service mode of the goproxy component: `ci service` is the service container's whole job.
// The service starts before the checkout, so it waits for the job's side (a shell in a Go
// image, without Node) to say the checkout happened; then it writes the go command's
// environment for the job and serves. The job's side only moves the store, writes its `go env`,
// waits for the proxy to answer and sources that environment.
import { appendFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLIENT_TOKEN_ENV, newClientToken } from '../daemon/client-token.ts';
import { renderEnvLines } from '../daemon/env-lines.ts';
import { readGoEnv } from '../gomod/read-go-env.ts';
import { GO_SETTING_NAMES, jobGoEnv } from '../policy/job-go-env.ts';
import { loadPolicy } from '../policy/load-policy.ts';
import { readComponentInputs, serveArgsFor } from './in-job.ts';
import { jobWorkDir, readGitLabJob } from './predefined-variables.ts';

const exists = async (path: string): Promise<boolean> => (await stat(path).catch(() => null)) !== null;

export type ServiceOptions = {
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** Runs `serve` with these options; returns only if it fails to start. */
  serve: (args: string[]) => Promise<number>;
};

export async function runService(options: ServiceOptions): Promise<number> {
  const { env } = options;
  if (!env.GOPROXY_ACTION_ADMIN_TOKEN)
    throw new Error(
      'GOPROXY_ACTION_ADMIN_TOKEN is empty (the job token, CI_JOB_TOKEN, was not passed to the service); set it to a secret value in the job variables',
    );
  const job = readGitLabJob(env);
  const work = jobWorkDir(job);
  // The service's shell waited already (the CLI may live in the checkout); run alone, wait here.
  while (!(await exists(join(work, 'checked-out')))) await sleep(200);
  // From here on the job waits for us: a failure goes where its before_script looks.
  try {
    return await serveForJob(options, job.projectDir, work);
  } catch (err) {
    await mkdir(work, { recursive: true });
    await appendFile(join(work, 'service.log'), `${(err as Error).message}\n`);
    await writeFile(join(work, 'service-failed'), '');
    throw err;
  }
}

async function serveForJob(options: ServiceOptions, projectDir: string, work: string): Promise<number> {
  const { env } = options;
  // The service image need not have Go: the job wrote its go command's settings (defaults
  // included), one a line, which become ours.
  const goEnvFile = join(work, 'go-env');
  if (await exists(goEnvFile)) {
    const lines = (await readFile(goEnvFile, 'utf8')).split('\n');
    GO_SETTING_NAMES.forEach((name, i) => {
      env[name] = lines[i] ?? '';
    });
  }
  process.chdir(projectDir);
  const inputs = readComponentInputs(env);
  const loaded = await loadPolicy({
    workspace: projectDir,
    ...(inputs.policyFile ? { explicitPath: inputs.policyFile } : {}),
  });
  const serviceUrl = env.GOPROXY_ACTION_SERVICE_URL ?? '';
  const goEnv = await readGoEnv(GO_SETTING_NAMES, { env, whenGoMissing: 'environment' });
  // The service listens on the job network, where other containers may reach it: it answers
  // only under a random client path, which reaches the job only through env.sh in the job's
  // own directory (the template prints GOPROXY with the path hidden).
  const clientToken = newClientToken();
  env[CLIENT_TOKEN_ENV] = clientToken;
  const exported = jobGoEnv(
    { goEnv, inputPrivate: inputs.private, policyPrivate: loaded.policy?.private ?? [] },
    { kind: 'proxy', proxyUrl: `${serviceUrl.replace(/\/+$/, '')}/${clientToken}` },
  );
  // GOSUMDB stays the job's own setting.
  delete exported.GOSUMDB;
  const args = serveArgsFor(inputs, projectDir, join(work, 'store'), join(work, 'audit.jsonl'));
  // The job's GOPROXY as the job wrote it (the service image may have no go binary); serve
  // runs in this process, so no command line shows it.
  if (!inputs.upstream && goEnv.GOPROXY) args.push('--upstream', goEnv.GOPROXY);
  args.push('--listen', env.GOPROXY_ACTION_SERVICE_LISTEN ?? '0.0.0.0:8080');
  args.push('--admin-token-env', 'GOPROXY_ACTION_ADMIN_TOKEN');
  args.push('--client-token-env', CLIENT_TOKEN_ENV);
  if (goEnv.GOSUMDB) args.push('--gosumdb', goEnv.GOSUMDB);
  // Written before serving: the job reads it once the proxy answers.
  await writeFile(join(work, 'env.sh'), renderEnvLines(exported, 'shell'));
  return await options.serve(args);
}
