// Runs one command and turns what it throws into an exit status and a one-line message, the
// same for every command (run-cli.ts) and for serve's own entry (serve-main.ts).
import type { Command } from './run-cli.ts';
import { UsageError } from './usage-error.ts';

export async function runCommand(
  name: string,
  load: () => Promise<Command>,
  args: string[],
): Promise<number> {
  try {
    return await (await load()).run(args);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`goproxy-action ${name}: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`goproxy-action ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
