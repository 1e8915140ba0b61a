import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  checkServeValues,
  serveOptions
} from "./chunk-7OYLQDVS.js";
import "./chunk-VCQX7A6J.js";
import "./chunk-IUAILITG.js";
import {
  parseOptions
} from "./chunk-HMDSBVIM.js";
import {
  UsageError
} from "./chunk-F4IRGORQ.js";
import {
  ENV_FORMATS,
  renderEnvLines
} from "./chunk-W7YXSZOB.js";
import {
  passGoSettings
} from "./chunk-ZO4TFNJM.js";
import {
  startProxyDetached
} from "./chunk-L6W3GWGW.js";
import {
  GO_SETTING_NAMES,
  jobGoEnv
} from "./chunk-MERAHNWG.js";
import "./chunk-XN7JYT6V.js";
import {
  readGoEnv
} from "./chunk-BDS5G37X.js";
import {
  loadPolicy
} from "./chunk-CUR5OLJO.js";
import "./chunk-SY3SBDYW.js";
import "./chunk-UOOPJVRV.js";

// src/cli/start-command.ts
const { resolve } = require("node:path");
var HELP = `usage: goproxy-action start --state-dir DIR [--format shell|github|dotenv] [--fallback LIST]
                            [--timeout-ms N] [serve options...]

Starts the proxy in the background and prints the environment for the go command, e.g.:
  eval "$(goproxy-action start --state-dir /tmp/gp)"
Every option not listed here goes to 'serve' (see 'goproxy-action serve --help'), checked as
serve checks it before anything starts. The environment is the job's Go environment (GOPROXY,
GONOPROXY, GOPRIVATE, GONOSUMDB, GOSUMDB) computed from the one already set, --private and the
policy's private patterns; empty variables are left out.
Stop it with: goproxy-action stop --state-dir DIR`;
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
  async run(argv) {
    if (argv.includes("--help") || argv.includes("-h")) {
      process.stdout.write(`${HELP}
`);
      return 0;
    }
    const args = parseStartArgs(argv);
    const serveValues = parseOptions("start", args.serveArgs, serveOptions);
    await checkServeValues({ ...serveValues, private: args.privateFlag }, process.env);
    const policyPath = serveValues.policy;
    const loaded = await loadPolicy({
      workspace: process.cwd(),
      ...policyPath ? { explicitPath: policyPath } : {}
    });
    if (loaded.policy && args.fallback) {
      throw new UsageError(
        `--fallback would let the go command route around the policy (${loaded.source}) whenever the proxy refuses a module; leave it out`
      );
    }
    const serveArgs = [...args.serveArgs];
    for (const pattern of args.privateFlag) serveArgs.push("--private", pattern);
    const goEnv = await readGoEnv(GO_SETTING_NAMES, { whenGoMissing: "environment" });
    const daemonEnv = { ...process.env, ...passGoSettings(goEnv) };
    if (serveValues.gosumdb !== void 0) goEnv.GOSUMDB = serveValues.gosumdb;
    const cliPath = process.argv[1];
    if (!cliPath) throw new Error("cannot tell where the goproxy-action CLI is (process.argv[1] is empty)");
    const proxy = await startProxyDetached({
      cliPath,
      args: serveArgs,
      env: daemonEnv,
      stateDir: args.stateDir,
      timeoutMs: args.timeoutMs
    });
    const env = jobGoEnv(
      { goEnv, inputPrivate: args.privateFlag, policyPrivate: loaded.policy?.private ?? [] },
      { kind: "proxy", proxyUrl: proxy.goproxy ?? proxy.url, fallback: args.fallback }
    );
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
