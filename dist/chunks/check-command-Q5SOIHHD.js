import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  checkFormats,
  checkWorkspace,
  effectiveGoEnv,
  formatCheckReport
} from "./chunk-MPWGWKER.js";
import "./chunk-YDUQFUDQ.js";
import "./chunk-DF625MRR.js";
import "./chunk-TXKTMCD2.js";
import "./chunk-2IJSIXER.js";
import {
  UsageError
} from "./chunk-F4IRGORQ.js";
import "./chunk-CLBVXHE3.js";
import {
  loadPolicy
} from "./chunk-F3L3RDQW.js";
import "./chunk-UOOPJVRV.js";

// src/cli/check-command.ts
import { resolve } from "node:path";
import { parseArgs } from "node:util";
var help = `usage: goproxy-action check [options]

Checks every module@version named by the go.mod, go.work and go.sum files below DIR against
the policy, and the go command's environment for settings that weaken verification or leak
private module paths. Exit status 1 when anything is denied or an error-level finding exists.

options:
  --policy FILE    policy file (default: DIR/.goproxy.yml when present; none means no policy)
  --dir DIR        workspace root (default: the current directory)
  --format FORMAT  text (default), json, github (workflow annotations), codequality (GitLab)
  -h, --help       show this help`;
var checkCommand = {
  summary: "check the workspace and environment against the policy",
  async run(args) {
    let parsed;
    try {
      parsed = parse(args);
    } catch (err) {
      throw new UsageError(`${err.message}
${help}`);
    }
    const { values } = parsed;
    if (values.help) {
      process.stdout.write(`${help}
`);
      return 0;
    }
    const format = values.format ?? "text";
    if (!checkFormats.includes(format)) {
      throw new UsageError(`--format ${values.format}: write one of ${checkFormats.join(", ")}`);
    }
    const dir = resolve(values.dir ?? ".");
    const explicitPath = values.policy !== void 0 ? resolve(values.policy) : void 0;
    const loaded = await loadPolicy({ workspace: dir, ...explicitPath ? { explicitPath } : {} });
    if (loaded.message) process.stderr.write(`${loaded.message}
`);
    const report = await checkWorkspace({
      dir,
      policy: loaded.policy,
      env: await effectiveGoEnv(),
      displayBase: process.cwd()
    });
    process.stdout.write(formatCheckReport(report, format));
    if (format === "codequality" || format === "json") {
      process.stderr.write(`${report.errors} error(s), ${report.warnings} warning(s)
`);
    }
    return report.errors > 0 ? 1 : 0;
  }
};
function parse(args) {
  return parseArgs({
    args,
    allowPositionals: false,
    options: {
      policy: { type: "string" },
      dir: { type: "string" },
      format: { type: "string" },
      help: { type: "boolean", short: "h" }
    }
  });
}
export {
  checkCommand
};
