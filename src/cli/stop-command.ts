// `goproxy-action stop`: ends a proxy started by `start`, optionally pruning the stored
// versions it did not serve, and prints its statistics.
import { statsLines } from '../daemon/stats-text.ts';
import { stopProxyInStateDir } from '../daemon/stop-proxy.ts';
import { parseOptions } from './parse-options.ts';
import type { Command } from './run-cli.ts';
import { UsageError } from './usage-error.ts';

const HELP = `usage: goproxy-action stop --state-dir DIR [--prune] [--format text|json]

Stops the proxy that 'start --state-dir DIR' started. --prune first removes from the store the
versions this proxy did not serve (do it before saving the store as a CI cache).`;

export const stopCommand: Command = {
  async run(argv) {
    const values = parseOptions('stop', argv, {
      'state-dir': { type: 'string' },
      prune: { type: 'boolean', default: false },
      format: { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    if (!values['state-dir']) throw new UsageError('--state-dir DIR is required (the one given to start)');
    if (values.format !== 'text' && values.format !== 'json')
      throw new UsageError(`--format must be text or json, not '${values.format}'`);
    const result = await stopProxyInStateDir(values['state-dir'], { prune: values.prune ?? false });
    if (values.format === 'json') {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      process.stdout.write(`${statsLines(result.stats, result.pruned).join('\n')}\n`);
    }
    return 0;
  },
};
