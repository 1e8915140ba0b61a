import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  startProxyDetached
} from "./chunk-2VPMLIHY.js";
import {
  UsageError
} from "./chunk-F4IRGORQ.js";
import {
  clientEnvForProxy,
  privatePatternsFrom
} from "./chunk-ZAPHFRJ6.js";
import {
  readGoEnv
} from "./chunk-CLBVXHE3.js";
import {
  loadPolicy
} from "./chunk-F3L3RDQW.js";
import "./chunk-UOOPJVRV.js";

// src/cli/start-command.ts
import { resolve } from "node:path";

// src/daemon/env-lines.ts
var ENV_FORMATS = ["shell", "github", "dotenv"];
function checkEntry(name, value) {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new Error(`'${name}' is not a valid environment variable name`);
  if (/[\r\n\0]/.test(value))
    throw new Error(`the value of ${name} contains a line break or NUL, which cannot be exported`);
}
function shellQuote(value) {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
function renderEnvLines(env, format) {
  const lines = [];
  for (const [name, value] of Object.entries(env)) {
    checkEntry(name, value);
    lines.push(format === "shell" ? `export ${name}=${shellQuote(value)}` : `${name}=${value}`);
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}
`;
}

// src/cli/start-command.ts
var HELP = `usage: goproxy-action start --state-dir DIR [--format shell|github|dotenv] [--fallback LIST]
                            [--timeout-ms N] [serve options...]

Starts the proxy in the background (every option not listed here goes to 'serve') and prints
the environment for the go command, e.g.:   eval "$(goproxy-action start --state-dir /tmp/gp)"
The private patterns are the union of --private and the GOPRIVATE, GONOPROXY and GONOSUMDB
already set. Stop it with: goproxy-action stop --state-dir DIR`;
function parseStartArgs(argv) {
  let stateDir;
  let format = "shell";
  let fallback = "";
  let timeoutMs = 3e4;
  const serveArgs = [];
  const privateFlag = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const takeValue = () => {
      if (eq > 0 && arg.startsWith("--")) return arg.slice(eq + 1);
      const value = argv[++i];
      if (value === void 0) throw new UsageError(`${name} needs a value`);
      return value;
    };
    switch (name) {
      case "--state-dir":
        stateDir = takeValue();
        break;
      case "--format": {
        const value = takeValue();
        if (!ENV_FORMATS.includes(value))
          throw new UsageError(`--format must be one of ${ENV_FORMATS.join(", ")}, not '${value}'`);
        format = value;
        break;
      }
      case "--fallback":
        fallback = takeValue();
        break;
      case "--timeout-ms": {
        const value = takeValue();
        timeoutMs = Number(value);
        if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
          throw new UsageError(
            `--timeout-ms must be a positive whole number of milliseconds, not '${value}'`
          );
        break;
      }
      case "--private":
        privateFlag.push(takeValue());
        break;
      case "--ready-file":
        throw new UsageError("--ready-file is chosen by start itself (in --state-dir); leave it out");
      default:
        serveArgs.push(arg);
    }
  }
  if (stateDir === void 0 || stateDir === "")
    throw new UsageError(
      "--state-dir DIR is required: the ready file, token and log go there, and stop reads it"
    );
  return { stateDir: resolve(stateDir), format, fallback, timeoutMs, serveArgs, privateFlag };
}
var startCommand = {
  summary: "start the proxy in the background and print the environment for the go command",
  async run(argv) {
    if (argv.includes("--help") || argv.includes("-h")) {
      process.stdout.write(`${HELP}
`);
      return 0;
    }
    const args = parseStartArgs(argv);
    const policyAt = args.serveArgs.indexOf("--policy");
    const policyPath = policyAt >= 0 ? args.serveArgs[policyAt + 1] : void 0;
    const loaded = await loadPolicy({
      workspace: process.cwd(),
      ...policyPath ? { explicitPath: policyPath } : {}
    });
    if (loaded.policy && args.fallback) {
      throw new UsageError(
        `--fallback would let the go command route around the policy (${loaded.source}) whenever the proxy refuses a module; leave it out`
      );
    }
    const privatePatterns = privatePatternsFrom(
      args.privateFlag,
      process.env.GOPRIVATE,
      process.env.GONOPROXY,
      process.env.GONOSUMDB,
      loaded.policy?.private ?? []
    );
    const serveArgs = [...args.serveArgs];
    if (privatePatterns.length > 0) serveArgs.push("--private", privatePatterns.join(","));
    const { GOSUMDB } = await readGoEnv(["GOSUMDB"]);
    const cliPath = process.argv[1];
    if (!cliPath) throw new Error("cannot tell where the goproxy-action CLI is (process.argv[1] is empty)");
    const proxy = await startProxyDetached({
      cliPath,
      args: serveArgs,
      env: process.env,
      stateDir: args.stateDir,
      timeoutMs: args.timeoutMs
    });
    const env = clientEnvForProxy({
      proxyUrl: proxy.url,
      fallback: args.fallback,
      privatePatterns,
      gosumdb: GOSUMDB ?? ""
    });
    process.stdout.write(renderEnvLines(env, args.format));
    process.stderr.write(
      `goproxy-action: proxy ${proxy.url} running as pid ${proxy.pid}; log: ${proxy.logFile}
`
    );
    return 0;
  }
};
export {
  parseStartArgs,
  startCommand
};
