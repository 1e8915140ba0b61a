// `goproxy-action check`: the workspace's go.mod, go.work and go.sum against the policy, plus
// the environment lint. Exit 1 on any error finding (a denied module, an error-level lint).
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { findModuleFiles } from '../gomod/find-module-files.ts';
import { type CheckFormat, checkFormats, formatCheckReport } from '../policy/check-format.ts';
import { effectiveGoEnv } from '../policy/effective-go-env.ts';
import { loadPolicy } from '../policy/load-policy.ts';
import { type CheckReport, checkWorkspace } from '../policy/workspace-check.ts';
import { parseOptions } from './parse-options.ts';
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

/**
 * The check of the workspace below `dirOption` (default: the current directory) against the
 * policy (`policyOption` as typed, else DIR/.goproxy.yml when present). Nothing to check is a
 * usage error: a policy gate with a typo in its directory must not pass.
 */
export async function checkProject(
  dirOption: string | undefined,
  policyOption: string | undefined,
): Promise<CheckReport> {
  const dir = resolve(dirOption ?? '.');
  const dirStat = await stat(dir).catch(() => null);
  if (!dirStat?.isDirectory())
    throw new UsageError(
      `--dir ${dirOption ?? '.'}: no such directory; give the workspace root (where go.mod is)`,
    );
  if ((await findModuleFiles(dir)).length === 0)
    throw new UsageError(
      `nothing to check: no go.mod, go.work or go.sum below ${dir}; run it in the workspace root or pass --dir`,
    );
  // A policy path is taken as typed, relative to the current directory.
  const explicitPath = policyOption !== undefined && policyOption !== '' ? resolve(policyOption) : undefined;
  const loaded = await loadPolicy({ workspace: dir, ...(explicitPath ? { explicitPath } : {}) });
  if (loaded.message) process.stderr.write(`${loaded.message}\n`);
  const report = await checkWorkspace({
    dir,
    policy: loaded.policy,
    env: await effectiveGoEnv(),
    displayBase: process.cwd(),
  });
  return report;
}

export const checkCommand: Command = {
  async run(args) {
    const values = parseOptions('check', args, {
      policy: { type: 'string' },
      dir: { type: 'string' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      process.stdout.write(`${help}\n`);
      return 0;
    }
    const format = (values.format ?? 'text') as CheckFormat;
    if (!checkFormats.includes(format)) {
      throw new UsageError(`--format ${values.format}: write one of ${checkFormats.join(', ')}`);
    }
    const report = await checkProject(values.dir, values.policy);
    process.stdout.write(formatCheckReport(report, format));
    if (format === 'codequality' || format === 'json') {
      process.stderr.write(`${report.errors} error(s), ${report.warnings} warning(s)\n`);
    }
    return report.errors > 0 ? 1 : 0;
  },
};
