// `goproxy-action gocache begin|end`: the Go build cache across one CI job whose cache keeps one
// entry per key (GitLab): begin after the restore, end (with --prune) before the save.
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { beginBuildCacheSession, endBuildCacheSession } from '../buildcache/build-cache-session.ts';
import { formatBytes } from '../daemon/stats-text.ts';
import type { Command } from './run-cli.ts';
import { UsageError } from './usage-error.ts';

const HELP = `usage: goproxy-action gocache begin --dir GOCACHE --session FILE
       goproxy-action gocache end --dir GOCACHE --session FILE [--prune]

begin: after the CI cache restored GOCACHE, sets its entries' times back two hours so that the
go command's own marks show which ones the job uses, and records them in FILE.
end: reports what the job used and added; --prune removes the restored entries it did not use
(do it only after a successful job, before the CI cache saves GOCACHE).`;

export const gocacheCommand: Command = {
  summary: 'prepare and prune the Go build cache around a CI job',
  async run(argv) {
    let parsed: {
      values: { dir?: string; session?: string; prune?: boolean; help?: boolean };
      positionals: string[];
    };
    try {
      parsed = parseArgs({
        args: argv,
        options: {
          dir: { type: 'string' },
          session: { type: 'string' },
          prune: { type: 'boolean', default: false },
          help: { type: 'boolean', short: 'h' },
        },
        strict: true,
        allowPositionals: true,
      });
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    const { values, positionals } = parsed;
    if (values.help) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    const action = positionals[0];
    if (positionals.length !== 1 || (action !== 'begin' && action !== 'end'))
      throw new UsageError("say 'begin' or 'end' (see --help)");
    if (!values.dir) throw new UsageError('--dir GOCACHE is required (the build cache directory)');
    if (!values.session)
      throw new UsageError('--session FILE is required (where begin records the restored entries)');
    if (action === 'begin') {
      await mkdir(values.dir, { recursive: true });
      const begun = await beginBuildCacheSession(values.dir, values.session);
      process.stdout.write(
        `goproxy: build cache: ${begun.entries} entries restored (${formatBytes(begun.bytes)})\n`,
      );
      return 0;
    }
    const end = await endBuildCacheSession(values.dir, values.session, values.prune ?? false);
    process.stdout.write(
      `goproxy: build cache: ${end.used} restored entries used, ${end.added} added (${formatBytes(end.addedBytes)})${values.prune ? `, ${end.pruned} unused pruned (${formatBytes(end.prunedBytes)})` : ''}\n`,
    );
    return 0;
  },
};
