#!/usr/bin/env node
import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  UsageError
} from "./chunks/chunk-F4IRGORQ.js";
import "./chunks/chunk-UOOPJVRV.js";

// src/cli/run-cli.ts
var commands = {
  serve: async () => (await import("./chunks/serve-command-J7WQSOBT.js")).serveCommand,
  start: async () => (await import("./chunks/start-command-VY2H2BS7.js")).startCommand,
  stop: async () => (await import("./chunks/stop-command-MFIHL4Q3.js")).stopCommand,
  check: async () => (await import("./chunks/check-command-Q5SOIHHD.js")).checkCommand,
  env: async () => (await import("./chunks/env-command-CYPLONND.js")).envCommand
};
function usage() {
  const lines = Object.keys(commands).map((name) => `  ${name}`);
  return `usage: goproxy-action <command> [options]

commands:
${lines.join("\n")}

Run 'goproxy-action <command> --help' for a command's options.`;
}
async function runCli(argv) {
  const [name, ...rest] = argv;
  if (name === void 0 || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${usage()}
`);
    return name === void 0 ? 2 : 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`goproxy-action: unknown command '${name}'
${usage()}
`);
    return 2;
  }
  try {
    return await (await load()).run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`goproxy-action ${name}: ${err.message}
`);
      return 2;
    }
    process.stderr.write(`goproxy-action ${name}: ${err instanceof Error ? err.message : String(err)}
`);
    return 1;
  }
}

// src/cli.ts
process.exitCode = await runCli(process.argv.slice(2));
