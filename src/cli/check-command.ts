// `goproxy-action check`: the workspace's go.mod, go.work and go.sum against the policy, plus
// the environment lint. Exit 1 on any error finding (a denied module, an error-level lint).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type CheckFormat, checkFormats, formatCheckReport } from '../policy/check-format.ts';
import { effectiveGoEnv } from '../policy/effective-go-env.ts';
import { loadPolicy } from '../policy/load-policy.ts';
import { checkWorkspace } from '../policy/workspace-check.ts';
import type { Command } from './run-cli.ts';
import { UsageError } from './usage-error.ts';

const help = `usage: goproxy-action check [options]

Checks every module@version named by the go.mod, go.work and go.sum files below DIR against
the policy, and the go command's environment for settings that weaken verification or leak
private module paths. Exit status 1 when anything is denied or an error-level finding exists.

options:
  --policy FILE    policy file (default: DIR/.goproxy.yml when present; none means no policy)
  --dir DIR        workspace root (default: the current directory)
  --format FORMAT  text (default), json, github (workflow annotations), codequality (GitLab)
  -h, --help       show this help`;

export const checkCommand: Command = {
  summary: 'check the workspace and environment against the policy',
  async run(args) {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(args);
    } catch (err) {
      throw new UsageError(`${(err as Error).message}\n${help}`);
    }
    const { values } = parsed;
    if (values.help) {
      process.stdout.write(`${help}\n`);
      return 0;
    }
    const format = (values.format ?? 'text') as CheckFormat;
    if (!checkFormats.includes(format)) {
      throw new UsageError(`--format ${values.format}: write one of ${checkFormats.join(', ')}`);
    }
    const dir = resolve(values.dir ?? '.');
    // A policy path is taken as typed, relative to the current directory.
    const explicitPath = values.policy !== undefined ? resolve(values.policy) : undefined;
    const loaded = await loadPolicy({ workspace: dir, ...(explicitPath ? { explicitPath } : {}) });
    if (loaded.message) process.stderr.write(`${loaded.message}\n`);
    const report = await checkWorkspace({
      dir,
      policy: loaded.policy,
      env: await effectiveGoEnv(),
      displayBase: process.cwd(),
    });
    process.stdout.write(formatCheckReport(report, format));
    if (format === 'codequality' || format === 'json') {
      process.stderr.write(`${report.errors} error(s), ${report.warnings} warning(s)\n`);
    }
    return report.errors > 0 ? 1 : 0;
  },
};

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: false,
    options: {
      policy: { type: 'string' },
      dir: { type: 'string' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
