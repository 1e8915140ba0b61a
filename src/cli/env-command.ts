// `goproxy-action env`: the go command's environment the policy implies, for a shell, a
// GitHub env file or a GitLab dotenv report.
import { resolve } from 'node:path';
import { ENV_FORMATS, type EnvFormat, renderEnvLines } from '../daemon/env-lines.ts';
import { readGoEnv } from '../gomod/read-go-env.ts';
import { GO_SETTING_NAMES, jobGoEnv } from '../policy/job-go-env.ts';
import { loadPolicy } from '../policy/load-policy.ts';
import { parseOptions } from './parse-options.ts';
import type { Command } from './run-cli.ts';
import { UsageError } from './usage-error.ts';

const help = `usage: goproxy-action env [options]

Prints the environment (GOPROXY, GONOPROXY, GOPRIVATE, GONOSUMDB, GOSUMDB) that sends the go
command through the proxy (--proxy-url) or the current GOPROXY, with the policy's private
modules kept away from public proxies and the checksum database.

options:
  --policy FILE     policy file (default: DIR/.goproxy.yml when present)
  --dir DIR         workspace root (default: the current directory)
  --proxy-url URL   the goproxy-action proxy's URL (e.g. from 'goproxy-action start')
  --fallback LIST   GOPROXY list tried after the proxy; refused while a policy is active,
                    because the go command would route around the policy's denials
  --format FORMAT   shell (default: export lines), github (lines for $GITHUB_ENV),
                    dotenv (a GitLab dotenv report)
  -h, --help        show this help`;

export const envCommand: Command = {
  async run(args) {
    const values = parseOptions('env', args, {
      policy: { type: 'string' },
      dir: { type: 'string' },
      'proxy-url': { type: 'string' },
      fallback: { type: 'string' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      process.stdout.write(`${help}\n`);
      return 0;
    }
    const format = (values.format ?? 'shell') as EnvFormat;
    if (!ENV_FORMATS.includes(format))
      throw new UsageError(`--format ${values.format}: write one of ${ENV_FORMATS.join(', ')}`);
    const dir = resolve(values.dir ?? '.');
    const explicitPath = values.policy !== undefined ? resolve(values.policy) : undefined;
    const loaded = await loadPolicy({ workspace: dir, ...(explicitPath ? { explicitPath } : {}) });
    if (loaded.message) process.stderr.write(`${loaded.message}\n`);
    const goEnv = await readGoEnv(GO_SETTING_NAMES, { whenGoMissing: 'environment' });
    const sources = { goEnv, policyPrivate: loaded.policy?.private ?? [] };
    let vars: Record<string, string>;
    if (values['proxy-url'] !== undefined) {
      if (values.fallback !== undefined && loaded.policy) {
        throw new UsageError(
          `--fallback: a policy is active (${loaded.source}); with a fallback after the proxy the go command would fetch denied modules from it. Drop --fallback`,
        );
      }
      vars = jobGoEnv(sources, {
        kind: 'proxy',
        proxyUrl: values['proxy-url'],
        ...(values.fallback !== undefined ? { fallback: values.fallback } : {}),
      });
    } else {
      if (values.fallback !== undefined) throw new UsageError('--fallback needs --proxy-url');
      vars = jobGoEnv(sources, { kind: 'list', goproxy: goEnv.GOPROXY });
    }
    process.stdout.write(renderEnvLines(vars, format));
    return 0;
  },
};
