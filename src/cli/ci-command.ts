// `goproxy-action ci <step>`: the steps the GitLab components run. Each template only finds
// the CLI and calls one of these; the rules (private patterns, the remote environment, netrc
// handling, the probe, the dotenv and code quality reports) live in src/gitlab and the one
// job-environment function. They read the component's inputs from the variables the template
// sets (GOPROXY_ACTION_*) and GitLab's predefined variables.
import { writeFile } from 'node:fs/promises';
import { ENV_FORMATS, type EnvFormat, renderEnvLines } from '../daemon/env-lines.ts';
import { formatCheckReport } from '../policy/check-format.ts';
import { checkProject } from './check-command.ts';
import { parseOptions } from './parse-options.ts';
import type { Command } from './run-cli.ts';
import { checkServeValues, serveOptions } from './serve-options.ts';
import { UsageError } from './usage-error.ts';

const help = `usage: goproxy-action ci <step> [options]

The steps of the GitLab components (templates/), for CI jobs:
  start    in-job mode, before_script: move the cached store in, start the proxy detached,
           print the go command's environment (--format shell|github|dotenv; default shell)
  stop     in-job mode, after_script: stop the proxy (pruning what it did not serve when the
           job succeeded), keep the audit log, move the store back for GitLab's cache
  service  service mode: the service container's process (waits for the job's checkout,
           writes the job's environment, serves)
  remote   remote mode: write the netrc, print the go command's environment; --probe asks the
           remote proxy once, --dotenv FILE writes the settings for later jobs, --remove
           deletes the netrc again
  check    the policy check: writes the code quality report (--report FILE, default
           gl-code-quality-report.json) and prints the findings; exit 1 on an error finding
  prewarm  the prewarm component: warm the proxy its inputs name (GOPROXY_ACTION_PREWARM_*),
           writing goproxy-prewarm.json and goproxy-prewarm.md; exit 1 on a failed module
  health   the health component: the module health snapshot its inputs name
           (GOPROXY_ACTION_HEALTH_*), compared with the previous pipeline's (GitLab cache),
           writing JUnit, code quality and Markdown reports; the merge-request note in MR
           pipelines; exit 1 on a fail-on finding

Inputs come from the component's variables (GOPROXY_ACTION_UPSTREAM, GOPROXY_ACTION_PRIVATE,
GOPROXY_ACTION_POLICY_FILE, ...) and GitLab's (CI_PROJECT_DIR, CI_JOB_ID, CI_JOB_STATUS).`;

const log = (line: string) => process.stderr.write(`${line}\n`);

async function checkServeArgs(step: string, args: string[]): Promise<void> {
  const values = parseOptions(step, args, serveOptions);
  await checkServeValues(values, process.env);
}

/** --format for the printed environment: shell (default), github or dotenv. */
function envFormat(given: string | undefined): EnvFormat {
  const format = (given ?? 'shell') as EnvFormat;
  if (!ENV_FORMATS.includes(format))
    throw new UsageError(`--format ${given}: write one of ${ENV_FORMATS.join(', ')}`);
  return format;
}

const steps: Record<string, (args: string[]) => Promise<number>> = {
  async start(args) {
    const values = parseOptions('ci start', args, {
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) return printHelp();
    const format = envFormat(values.format);
    const cliPath = process.argv[1];
    if (!cliPath) throw new Error('cannot tell where the goproxy-action CLI is (process.argv[1] is empty)');
    const { startInJob } = await import('../gitlab/in-job.ts');
    const exported = await startInJob({
      env: process.env,
      cliPath,
      checkServeArgs: (serveArgs) => checkServeArgs('ci start', serveArgs),
      log,
    });
    process.stdout.write(renderEnvLines(exported, format));
    return 0;
  },
  async stop(args) {
    const values = parseOptions('ci stop', args, { help: { type: 'boolean', short: 'h' } });
    if (values.help) return printHelp();
    const { stopInJob } = await import('../gitlab/in-job.ts');
    await stopInJob({ env: process.env, log: (line) => process.stdout.write(`${line}\n`) });
    return 0;
  },
  async service(args) {
    const values = parseOptions('ci service', args, { help: { type: 'boolean', short: 'h' } });
    if (values.help) return printHelp();
    const { runService } = await import('../gitlab/service.ts');
    const { serveCommand } = await import('./serve-main.ts');
    return await runService({ env: process.env, log, serve: (serveArgs) => serveCommand.run(serveArgs) });
  },
  async remote(args) {
    const values = parseOptions('ci remote', args, {
      probe: { type: 'boolean' },
      dotenv: { type: 'string' },
      remove: { type: 'boolean' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) return printHelp();
    const format = envFormat(values.format);
    const remote = await import('../gitlab/remote.ts');
    if (values.remove) {
      await remote.removeRemote(process.env);
      return 0;
    }
    const result = await remote.setUpRemote({
      env: process.env,
      probe: values.probe ?? false,
      ...(values.dotenv !== undefined ? { dotenvFile: values.dotenv } : {}),
    });
    if (result.probed) log(`goproxy: ${result.probed}`);
    const { NETRC, ...shown } = result.exported;
    log(
      `goproxy: ${Object.entries(shown)
        .map(([name, value]) => `${name}=${value}`)
        .join(' ')}${NETRC ? ' (credentials in a netrc file)' : ''}`,
    );
    process.stdout.write(renderEnvLines(result.exported, format));
    return 0;
  },
  async check(args) {
    const values = parseOptions('ci check', args, {
      report: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) return printHelp();
    const policy = process.env.GOPROXY_ACTION_POLICY_FILE || undefined;
    const report = await checkProject(undefined, policy);
    // The report is written whatever the outcome; the job's status is the check's.
    const reportFile = values.report ?? 'gl-code-quality-report.json';
    await writeFile(reportFile, formatCheckReport(report, 'codequality'));
    process.stdout.write(formatCheckReport(report, 'text'));
    process.stdout.write(`goproxy: code quality report written to ${reportFile}\n`);
    return report.errors > 0 ? 1 : 0;
  },
  async prewarm(args) {
    const values = parseOptions('ci prewarm', args, { help: { type: 'boolean', short: 'h' } });
    if (values.help) return printHelp();
    const { prewarmArgs } = await import('../gitlab/prewarm-step.ts');
    const prewarmOptions = prewarmArgs(process.env);
    // Only variable names and the inputs' own text are in these options, never a credential.
    log(`goproxy: goproxy-action prewarm ${prewarmOptions.join(' ')}`);
    const { prewarmCommand } = await import('./prewarm-command.ts');
    return await prewarmCommand.run(prewarmOptions);
  },
  async health(args) {
    const values = parseOptions('ci health', args, { help: { type: 'boolean', short: 'h' } });
    if (values.help) return printHelp();
    const { healthArgs, prepareHealthBaseline } = await import('../gitlab/health-step.ts');
    // Inputs first: a bad one fails before the cached snapshot is touched.
    healthArgs(process.env, { hasBaseline: false });
    const hasBaseline = await prepareHealthBaseline(process.cwd());
    const healthOptions = healthArgs(process.env, { hasBaseline });
    log(`goproxy: goproxy-action health ${healthOptions.join(' ')}`);
    const { healthCommand } = await import('./health-command.ts');
    return await healthCommand.run(healthOptions);
  },
};

function printHelp(): number {
  process.stdout.write(`${help}\n`);
  return 0;
}

export const ciCommand: Command = {
  async run(args) {
    const [step, ...rest] = args;
    if (step === undefined || step === '--help' || step === '-h') {
      process.stdout.write(`${help}\n`);
      return step === undefined ? 2 : 0;
    }
    const run = steps[step];
    if (!run) {
      if (step.startsWith('-'))
        throw new UsageError(`unknown option '${step}'; run 'goproxy-action ci --help' for its options`);
      throw new UsageError(`unknown step '${step}': write one of ${Object.keys(steps).join(', ')}`);
    }
    return await run(rest);
  },
};
