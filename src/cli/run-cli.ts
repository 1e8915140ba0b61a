// Dispatches `goproxy-action <command> [options]` to the command's module. Each command
// parses its own options (parse-options.ts) and returns an exit status.
import { runCommand } from './run-command.ts';

export type Command = {
  /** Optional here: the one-line summary shown by --help lives in the table below. */
  summary?: string;
  run: (args: string[]) => Promise<number>;
};

type CommandEntry = { summary: string; load: () => Promise<Command> };

// One line per command: its summary (for the top-level --help) and how to load it.
const commands: Record<string, CommandEntry> = {
  serve: {
    summary: 'run the Go module proxy',
    // cli.ts runs serve itself; this is the same module (dist/serve.js when bundled).
    load: async () => (await import('./serve-main.ts')).serveCommand,
  },
  start: {
    summary: 'start the proxy in the background and print the environment for the go command',
    load: async () => (await import('./start-command.ts')).startCommand,
  },
  stop: {
    summary: 'stop a proxy started by start; print its statistics',
    load: async () => (await import('./stop-command.ts')).stopCommand,
  },
  check: {
    summary: 'check the workspace and environment against the policy',
    load: async () => (await import('./check-command.ts')).checkCommand,
  },
  env: {
    summary: 'print the go environment for a proxy (or the current GOPROXY) and the policy',
    load: async () => (await import('./env-command.ts')).envCommand,
  },
  ci: {
    summary: 'the steps of the GitLab components (ci start|stop|service|remote|check|prewarm|health)',
    load: async () => (await import('./ci-command.ts')).ciCommand,
  },
  prewarm: {
    summary: 'warm a remote module proxy with the modules a workspace, list or GitLab group uses',
    load: async () => (await import('./prewarm-command.ts')).prewarmCommand,
  },
  health: {
    summary:
      'snapshot module health (resolvable, verified, current, deprecated, retracted, allowed, vulnerable)',
    load: async () => (await import('./health-command.ts')).healthCommand,
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return [
    'usage: goproxy-action <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    "Run 'goproxy-action <command> --help' for a command's options; --version prints the version.",
  ].join('\n');
}

/** The package's version (package.json, inlined into the bundle at build time). */
export async function cliVersion(): Promise<string> {
  const { default: packageJson } = await import('../../package.json', { with: { type: 'json' } });
  return packageJson.version;
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`goproxy-action ${await cliVersion()}\n`);
    return 0;
  }
  const entry = commands[name];
  if (!entry) {
    const what = name.startsWith('-') ? `unknown option '${name}'` : `unknown command '${name}'`;
    process.stderr.write(`goproxy-action: ${what}\n${usage()}\n`);
    return 2;
  }
  return runCommand(name, entry.load, rest);
}
