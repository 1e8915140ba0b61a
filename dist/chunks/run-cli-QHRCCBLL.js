import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  UsageError
} from "./chunk-F4IRGORQ.js";
import "./chunk-UOOPJVRV.js";

// src/cli/run-command.ts
async function runCommand(name, load, args) {
  try {
    return await (await load()).run(args);
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

// src/cli/run-cli.ts
var commands = {
  serve: {
    summary: "run the Go module proxy",
    // cli.ts runs serve itself; this is the same module (dist/serve.js when bundled).
    load: async () => (await import("../serve.js")).serveCommand
  },
  start: {
    summary: "start the proxy in the background and print the environment for the go command",
    load: async () => (await import("./start-command-NYKYJE3K.js")).startCommand
  },
  stop: {
    summary: "stop a proxy started by start; print its statistics",
    load: async () => (await import("./stop-command-LKXZ35CH.js")).stopCommand
  },
  check: {
    summary: "check the workspace and environment against the policy",
    load: async () => (await import("./check-command-JKQMYQIM.js")).checkCommand
  },
  env: {
    summary: "print the go environment for a proxy (or the current GOPROXY) and the policy",
    load: async () => (await import("./env-command-PI6WN5QL.js")).envCommand
  },
  ci: {
    summary: "the steps of the GitLab components (ci start|stop|service|remote|check|prewarm|health)",
    load: async () => (await import("./ci-command-4S7CSQBK.js")).ciCommand
  },
  prewarm: {
    summary: "warm a remote module proxy with the modules a workspace, list or GitLab group uses",
    load: async () => (await import("./prewarm-command-Q36BEFRF.js")).prewarmCommand
  },
  health: {
    summary: "snapshot module health (resolvable, verified, current, deprecated, retracted, allowed, vulnerable)",
    load: async () => (await import("./health-command-BGI3IG5S.js")).healthCommand
  }
};
function usage() {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return [
    "usage: goproxy-action <command> [options]",
    "",
    "commands:",
    ...lines,
    "",
    "Run 'goproxy-action <command> --help' for a command's options; --version prints the version."
  ].join("\n");
}
async function cliVersion() {
  const { default: packageJson } = await import("./package-2QXMPLTM.js");
  return packageJson.version;
}
async function runCli(argv) {
  const [name, ...rest] = argv;
  if (name === void 0 || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${usage()}
`);
    return name === void 0 ? 2 : 0;
  }
  if (name === "--version" || name === "version") {
    process.stdout.write(`goproxy-action ${await cliVersion()}
`);
    return 0;
  }
  const entry = commands[name];
  if (!entry) {
    const what = name.startsWith("-") ? `unknown option '${name}'` : `unknown command '${name}'`;
    process.stderr.write(`goproxy-action: ${what}
${usage()}
`);
    return 2;
  }
  return runCommand(name, entry.load, rest);
}
export {
  cliVersion,
  runCli
};
