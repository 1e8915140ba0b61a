// Dispatches `goproxy-action <command> [options]` to the command's module. Each command
// parses its own options with node:util parseArgs and returns an exit status.
import { UsageError } from './usage-error.ts';

export type Command = {
  summary: string;
  run: (args: string[]) => Promise<number>;
};

const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve-command.ts')).serveCommand,
  start: async () => (await import('./start-command.ts')).startCommand,
  stop: async () => (await import('./stop-command.ts')).stopCommand,
  check: async () => (await import('./check-command.ts')).checkCommand,
  env: async () => (await import('./env-command.ts')).envCommand,
  gocache: async () => (await import('./gocache-command.ts')).gocacheCommand,
};

function usage(): string {
  const lines = Object.keys(commands).map((name) => `  ${name}`);
  return `usage: goproxy-action <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'goproxy-action <command> --help' for a command's options.`;
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`goproxy-action: unknown command '${name}'\n${usage()}\n`);
    return 2;
  }
  try {
    return await (await load()).run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`goproxy-action ${name}: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`goproxy-action ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
