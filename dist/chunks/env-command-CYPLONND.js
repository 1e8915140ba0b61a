import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  UsageError
} from "./chunk-F4IRGORQ.js";
import {
  clientEnvForProxy,
  clientEnvForRemote,
  privatePatternsFrom
} from "./chunk-ZAPHFRJ6.js";
import {
  readGoEnv
} from "./chunk-CLBVXHE3.js";
import {
  loadPolicy
} from "./chunk-F3L3RDQW.js";
import "./chunk-UOOPJVRV.js";

// src/cli/env-command.ts
import { resolve } from "node:path";
import { parseArgs } from "node:util";
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
var formats = ["shell", "github", "dotenv"];
function shellQuote(value) {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
function formatEnv(vars, format) {
  const lines = [];
  for (const [name, value] of Object.entries(vars)) {
    if (/[\r\n]/.test(value))
      throw new Error(`${name} would hold a line break; check the policy and environment`);
    lines.push(format === "shell" ? `export ${name}=${shellQuote(value)}` : `${name}=${value}`);
  }
  return `${lines.join("\n")}
`;
}
var envCommand = {
  summary: "print the go environment the policy implies",
  async run(args) {
    let values;
    try {
      ({ values } = parse(args));
    } catch (err) {
      throw new UsageError(`${err.message}
${help}`);
    }
    if (values.help) {
      process.stdout.write(`${help}
`);
      return 0;
    }
    const format = values.format ?? "shell";
    if (!formats.includes(format))
      throw new UsageError(`--format ${values.format}: write one of ${formats.join(", ")}`);
    const dir = resolve(values.dir ?? ".");
    const explicitPath = values.policy !== void 0 ? resolve(values.policy) : void 0;
    const loaded = await loadPolicy({ workspace: dir, ...explicitPath ? { explicitPath } : {} });
    if (loaded.message) process.stderr.write(`${loaded.message}
`);
    const goEnv = await readGoEnv(["GOPROXY", "GOSUMDB", "GOPRIVATE", "GONOPROXY", "GONOSUMDB"], {
      whenGoMissing: "environment"
    });
    const privatePatterns = privatePatternsFrom(
      loaded.policy?.private,
      goEnv.GOPRIVATE,
      goEnv.GONOPROXY,
      goEnv.GONOSUMDB
    );
    let vars;
    if (values["proxy-url"] !== void 0) {
      if (values.fallback !== void 0 && loaded.policy) {
        throw new UsageError(
          `--fallback: a policy is active (${loaded.source}); with a fallback after the proxy the go command would fetch denied modules from it. Drop --fallback`
        );
      }
      vars = clientEnvForProxy({
        proxyUrl: values["proxy-url"],
        ...values.fallback !== void 0 ? { fallback: values.fallback } : {},
        privatePatterns,
        gosumdb: goEnv.GOSUMDB
      });
    } else {
      if (values.fallback !== void 0) throw new UsageError("--fallback needs --proxy-url");
      vars = clientEnvForRemote({ goproxy: goEnv.GOPROXY, privatePatterns, gosumdb: goEnv.GOSUMDB });
    }
    process.stdout.write(formatEnv(vars, format));
    return 0;
  }
};
function parse(args) {
  return parseArgs({
    args,
    allowPositionals: false,
    options: {
      policy: { type: "string" },
      dir: { type: "string" },
      "proxy-url": { type: "string" },
      fallback: { type: "string" },
      format: { type: "string" },
      help: { type: "boolean", short: "h" }
    }
  });
}
export {
  envCommand,
  formatEnv
};
