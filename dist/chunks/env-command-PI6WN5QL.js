import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
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

// src/cli/env-command.ts
const { resolve } = require("node:path");
var help = `usage: goproxy-action env [options]

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
var envCommand = {
  async run(args) {
    const values = parseOptions("env", args, {
      policy: { type: "string" },
      dir: { type: "string" },
      "proxy-url": { type: "string" },
      fallback: { type: "string" },
      format: { type: "string" },
      help: { type: "boolean", short: "h" }
    });
    if (values.help) {
      process.stdout.write(`${help}
`);
      return 0;
    }
    const format = values.format ?? "shell";
    if (!ENV_FORMATS.includes(format))
      throw new UsageError(`--format ${values.format}: write one of ${ENV_FORMATS.join(", ")}`);
    const dir = resolve(values.dir ?? ".");
    const explicitPath = values.policy !== void 0 ? resolve(values.policy) : void 0;
    const loaded = await loadPolicy({ workspace: dir, ...explicitPath ? { explicitPath } : {} });
    if (loaded.message) process.stderr.write(`${loaded.message}
`);
    const goEnv = await readGoEnv(GO_SETTING_NAMES, { whenGoMissing: "environment" });
    const sources = { goEnv, policyPrivate: loaded.policy?.private ?? [] };
    let vars;
    if (values["proxy-url"] !== void 0) {
      if (values.fallback !== void 0 && loaded.policy) {
        throw new UsageError(
          `--fallback: a policy is active (${loaded.source}); with a fallback after the proxy the go command would fetch denied modules from it. Drop --fallback`
        );
      }
      vars = jobGoEnv(sources, {
        kind: "proxy",
        proxyUrl: values["proxy-url"],
        ...values.fallback !== void 0 ? { fallback: values.fallback } : {}
      });
    } else {
      if (values.fallback !== void 0) throw new UsageError("--fallback needs --proxy-url");
      vars = jobGoEnv(sources, { kind: "list", goproxy: goEnv.GOPROXY });
    }
    process.stdout.write(renderEnvLines(vars, format));
    return 0;
  }
};
export {
  envCommand
};
