// Runs the bundled action (dist/main.js, then dist/post.js) the way a GitHub runner does: inputs
// as INPUT_* variables, the GITHUB_ENV / GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY
// files, state handed to post as STATE_* variables, RUNNER_TEMP and GITHUB_WORKSPACE.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { isProcessAlive } from '../../src/process-alive.ts';
import { buildCliFromWorkingTree } from './gitlab-ci-local.ts';

const run = promisify(execFile);

/** Parses a runner file command file (`NAME=value` lines and `NAME<<DELIM ... DELIM` blocks). */
export function parseFileCommand(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i]!);
      values[name!] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) values[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return values;
}

export type StepResult = { code: number; stdout: string; stderr: string };

export type ActionRun = {
  main: StepResult;
  post?: StepResult;
  /** Variables the main step exported (GITHUB_ENV). */
  exported: Record<string, string>;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  runnerTemp: string;
};

export type JobOptions = {
  /** The runner's environment: PATH, HOME, the go settings, the cache service's variables. */
  env: Record<string, string>;
  inputs: Record<string, string>;
  workspace: string;
  /** The directory holding main.js, post.js and cli.js (see buildActionBundles). */
  distDir: string;
};

async function step(script: string, env: Record<string, string>, cwd: string): Promise<StepResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script], { env, cwd, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

export type Job = {
  runner: { env: Record<string, string>; runnerTemp: string; files: Record<string, string> };
  runMain(): Promise<ActionRun>;
  runPost(run: ActionRun): Promise<ActionRun>;
};

/** One job on a fresh runner: its own RUNNER_TEMP and file-command files. */
export async function newJob(options: JobOptions): Promise<Job> {
  const runnerTemp = await mkdtemp(join(tmpdir(), 'gpa-runner-'));
  const files = {
    GITHUB_ENV: join(runnerTemp, '_env'),
    GITHUB_OUTPUT: join(runnerTemp, '_output'),
    GITHUB_STATE: join(runnerTemp, '_state'),
    GITHUB_STEP_SUMMARY: join(runnerTemp, '_summary'),
  };
  for (const file of Object.values(files)) await writeFile(file, '');
  const dist = options.distDir;
  const inputEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.inputs)) inputEnv[`INPUT_${name.toUpperCase()}`] = value;
  const env = {
    ...options.env,
    ...files,
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_ACTIONS: 'true',
    // A job on another branch passes its own GITHUB_REF in env.
    GITHUB_REF: options.env.GITHUB_REF ?? 'refs/heads/main',
    ...inputEnv,
  };
  return {
    runner: { env, runnerTemp, files },
    async runMain() {
      const main = await step(join(dist, 'main.js'), env, options.workspace);
      return {
        main,
        exported: parseFileCommand(await readFile(files.GITHUB_ENV, 'utf8')),
        outputs: parseFileCommand(await readFile(files.GITHUB_OUTPUT, 'utf8')),
        state: parseFileCommand(await readFile(files.GITHUB_STATE, 'utf8')),
        summary: '',
        runnerTemp,
      };
    },
    async runPost(previous) {
      const stateEnv: Record<string, string> = {};
      for (const [name, value] of Object.entries(previous.state)) stateEnv[`STATE_${name}`] = value;
      // Later steps see what main exported, as the runner passes GITHUB_ENV on.
      const post = await step(
        join(dist, 'post.js'),
        { ...env, ...previous.exported, ...stateEnv },
        options.workspace,
      );
      return { ...previous, post, summary: await readFile(files.GITHUB_STEP_SUMMARY, 'utf8') };
    },
  };
}

/**
 * Bundles the working tree's sources into a private directory (not dist/, which other tests and
 * the build may be rewriting at the same time) and returns it.
 */
export async function buildActionBundles(): Promise<string> {
  return dirname(await buildCliFromWorkingTree());
}

/**
 * Ends the proxy a main step started, if it still runs: for tests and benchmarks that stop
 * before the post step (a failed assertion must not leave a daemon behind).
 */
export function killLeftoverProxy(run: ActionRun): void {
  const pid = (JSON.parse(run.state['goproxy-action'] ?? '{}') as { pid?: number }).pid;
  if (typeof pid === 'number' && isProcessAlive(pid)) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone meanwhile
    }
  }
}
