import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  parseOptions
} from "./chunk-HMDSBVIM.js";
import {
  UsageError
} from "./chunk-F4IRGORQ.js";
import {
  statsLines,
  stopProxyInStateDir
} from "./chunk-7XKFHKGP.js";
import "./chunk-MMNOBJZU.js";
import "./chunk-L6W3GWGW.js";
import "./chunk-SY3SBDYW.js";
import "./chunk-UOOPJVRV.js";

// src/cli/stop-command.ts
var HELP = `usage: goproxy-action stop --state-dir DIR [--prune] [--format text|json]

Stops the proxy that 'start --state-dir DIR' started. --prune first removes from the store the
versions this proxy did not serve (do it before saving the store as a CI cache).`;
var stopCommand = {
  async run(argv) {
    const values = parseOptions("stop", argv, {
      "state-dir": { type: "string" },
      prune: { type: "boolean", default: false },
      format: { type: "string", default: "text" },
      help: { type: "boolean", short: "h" }
    });
    if (values.help) {
      process.stdout.write(`${HELP}
`);
      return 0;
    }
    if (!values["state-dir"]) throw new UsageError("--state-dir DIR is required (the one given to start)");
    if (values.format !== "text" && values.format !== "json")
      throw new UsageError(`--format must be text or json, not '${values.format}'`);
    const result = await stopProxyInStateDir(values["state-dir"], { prune: values.prune ?? false });
    if (values.format === "json") {
      process.stdout.write(`${JSON.stringify(result)}
`);
    } else {
      process.stdout.write(`${statsLines(result.stats, result.pruned).join("\n")}
`);
    }
    return 0;
  }
};
export {
  stopCommand
};
