// `goproxy-action start`: runs `serve` as a detached daemon and prints the environment that
// points the go command at it. `stop` (stop-command.ts) ends it. Used by CI systems whose steps
// are separate shells (GitLab before_script/after_script) and on laptops.
import { resolve } from 'node:path';
import { ENV_FORMATS, type EnvFormat, renderEnvLines } from '../daemon/env-lines.ts';
import { startProxyDetached } from '../daemon/start-proxy.ts';
import { readGoEnv } from '../gomod/read-go-env.ts';
import { GO_SETTING_NAMES, jobGoEnv } from '../policy/job-go-env.ts';
import { loadPolicy } from '../policy/load-policy.ts';
import { passGoSettings } from '../policy/passed-go-settings.ts';
import { parseOptions } from './parse-options.ts';
import type { Command } from './run-cli.ts';
import { checkServeValues, serveOptions } from './serve-options.ts';
import { UsageError } from './usage-error.ts';

const HELP = `usage: goproxy-action start --state-dir DIR [--format shell|github|dotenv] [--fallback LIST]
                            [--timeout-ms N] [serve options...]

Starts the proxy in the background and prints the environment for the go command, e.g.:
  eval "$(goproxy-action start --state-dir /tmp/gp)"
Every option not listed here goes to 'serve' (see 'goproxy-action serve --help'), checked as
serve checks it before anything starts. The environment is the job's Go environment (GOPROXY,
GONOPROXY, GOPRIVATE, GONOSUMDB, GOSUMDB) computed from the one already set, --private and the
policy's private patterns; empty variables are left out.
Stop it with: goproxy-action stop --state-dir DIR`;

export type StartArgs = {
  stateDir: string;
  format: EnvFormat;
  fallback: string;
  timeoutMs: number;
  serveArgs: string[];
  privateFlag: string[];
};

/** Splits our own options from the ones passed through to `serve`. */
export function parseStartArgs(argv: string[]): StartArgs {
  let stateDir: string | undefined;
  let format: EnvFormat = 'shell';
  let fallback = '';
  let timeoutMs = 30_000;
  const serveArgs: string[] = [];
  const privateFlag: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const takeValue = (): string => {
      if (eq > 0 && arg.startsWith('--')) return arg.slice(eq + 1);
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      return value;
    };
    switch (name) {
      case '--state-dir':
        stateDir = takeValue();
        break;
      case '--format': {
        const value = takeValue();
        if (!ENV_FORMATS.includes(value as EnvFormat))
          throw new UsageError(`--format must be one of ${ENV_FORMATS.join(', ')}, not '${value}'`);
        format = value as EnvFormat;
        break;
      }
      case '--fallback':
        fallback = takeValue();
        break;
      case '--timeout-ms': {
        const value = takeValue();
        timeoutMs = Number(value);
        if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
          throw new UsageError(
            `--timeout-ms must be a positive whole number of milliseconds, not '${value}'`,
          );
        break;
      }
      case '--private':
        privateFlag.push(takeValue());
        break;
      case '--ready-file':
        throw new UsageError('--ready-file is chosen by start itself (in --state-dir); leave it out');
      default:
        serveArgs.push(arg);
    }
  }
  if (stateDir === undefined || stateDir === '')
    throw new UsageError(
      '--state-dir DIR is required: the ready file, token and log go there, and stop reads it',
    );
  return { stateDir: resolve(stateDir), format, fallback, timeoutMs, serveArgs, privateFlag };
}

export const startCommand: Command = {
  async run(argv) {
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    const args = parseStartArgs(argv);
    // serve's options are checked here, so a mistake is one line from start, not a log tail.
    const serveValues = parseOptions('start', args.serveArgs, serveOptions);
    await checkServeValues({ ...serveValues, private: args.privateFlag }, process.env);
    // The policy serve will enforce (its --policy, else ./.goproxy.yml): its private patterns
    // belong in the exported environment, and no fallback may route around it.
    const policyPath = serveValues.policy;
    const loaded = await loadPolicy({
      workspace: process.cwd(),
      ...(policyPath ? { explicitPath: policyPath } : {}),
    });
    if (loaded.policy && args.fallback) {
      throw new UsageError(
        `--fallback would let the go command route around the policy (${loaded.source}) whenever the proxy refuses a module; leave it out`,
      );
    }
    // serve computes the same sets from the same environment (it inherits ours), so only the
    // patterns given here are passed on.
    const serveArgs = [...args.serveArgs];
    for (const pattern of args.privateFlag) serveArgs.push('--private', pattern);
    const goEnv = await readGoEnv(GO_SETTING_NAMES, { whenGoMissing: 'environment' });
    // What serve's own `go env` would read (it inherits our environment): passed, not re-read.
    const daemonEnv = { ...process.env, ...passGoSettings(goEnv) };
    if (serveValues.gosumdb !== undefined) goEnv.GOSUMDB = serveValues.gosumdb;
    const cliPath = process.argv[1];
    if (!cliPath) throw new Error('cannot tell where the goproxy-action CLI is (process.argv[1] is empty)');
    const proxy = await startProxyDetached({
      cliPath,
      args: serveArgs,
      env: daemonEnv,
      stateDir: args.stateDir,
      timeoutMs: args.timeoutMs,
    });
    const env = jobGoEnv(
      { goEnv, inputPrivate: args.privateFlag, policyPrivate: loaded.policy?.private ?? [] },
      { kind: 'proxy', proxyUrl: proxy.goproxy ?? proxy.url, fallback: args.fallback },
    );
    process.stdout.write(renderEnvLines(env, args.format));
    process.stderr.write(
      `goproxy-action: proxy ${proxy.url} running as pid ${proxy.pid}; log: ${proxy.logFile}\n`,
    );
    return 0;
  },
};
