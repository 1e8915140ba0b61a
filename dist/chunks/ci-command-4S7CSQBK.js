import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  checkServeValues,
  serveOptions
} from "./chunk-7OYLQDVS.js";
import "./chunk-VCQX7A6J.js";
import {
  checkProject,
  formatCheckReport
} from "./chunk-ZNG6CE5R.js";
import "./chunk-MWYJDFQ4.js";
import "./chunk-T52YN4YC.js";
import "./chunk-P2IIJOQP.js";
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
import "./chunk-4ZLOKNXU.js";
import "./chunk-TP23J6CY.js";
import "./chunk-IZF6HKYA.js";
import "./chunk-HYK6JFBE.js";
import "./chunk-ACB7LVIP.js";
import "./chunk-BDS5G37X.js";
import "./chunk-CUR5OLJO.js";
import {
  writeFile
} from "./chunk-SY3SBDYW.js";
import "./chunk-UOOPJVRV.js";

// src/cli/ci-command.ts
var help = `usage: goproxy-action ci <step> [options]

The steps of the GitLab components (templates/), for CI jobs:
  start    in-job mode, before_script: move the cached store in, start the proxy detached,
           print the go command's environment (--format shell|github|dotenv; default shell)
  stop     in-job mode, after_script: stop the proxy (pruning what it did not serve when the
           job succeeded), keep the audit log, move the store back for GitLab's cache
  service  service mode: the service container's process (waits for the job's checkout,
           writes the job's environment, serves)
  remote   remote mode: write the netrc, print the go command's environment; --probe asks the
           remote proxy once, --dotenv FILE writes the settings for later jobs, --remove
           deletes the netrc again
  check    the policy check: writes the code quality report (--report FILE, default
           gl-code-quality-report.json) and prints the findings; exit 1 on an error finding
  prewarm  the prewarm component: warm the proxy its inputs name (GOPROXY_ACTION_PREWARM_*),
           writing goproxy-prewarm.json and goproxy-prewarm.md; exit 1 on a failed module
  health   the health component: the module health snapshot its inputs name
           (GOPROXY_ACTION_HEALTH_*), compared with the previous pipeline's (GitLab cache),
           writing JUnit, code quality and Markdown reports; the merge-request note in MR
           pipelines; exit 1 on a fail-on finding

Inputs come from the component's variables (GOPROXY_ACTION_UPSTREAM, GOPROXY_ACTION_PRIVATE,
GOPROXY_ACTION_POLICY_FILE, ...) and GitLab's (CI_PROJECT_DIR, CI_JOB_ID, CI_JOB_STATUS).`;
var log = (line) => process.stderr.write(`${line}
`);
async function checkServeArgs(step, args) {
  const values = parseOptions(step, args, serveOptions);
  await checkServeValues(values, process.env);
}
function envFormat(given) {
  const format = given ?? "shell";
  if (!ENV_FORMATS.includes(format))
    throw new UsageError(`--format ${given}: write one of ${ENV_FORMATS.join(", ")}`);
  return format;
}
var steps = {
  async start(args) {
    const values = parseOptions("ci start", args, {
      format: { type: "string" },
      help: { type: "boolean", short: "h" }
    });
    if (values.help) return printHelp();
    const format = envFormat(values.format);
    const cliPath = process.argv[1];
    if (!cliPath) throw new Error("cannot tell where the goproxy-action CLI is (process.argv[1] is empty)");
    const { startInJob } = await import("./in-job-XHV42TEJ.js");
    const exported = await startInJob({
      env: process.env,
      cliPath,
      checkServeArgs: (serveArgs) => checkServeArgs("ci start", serveArgs),
      log
    });
    process.stdout.write(renderEnvLines(exported, format));
    return 0;
  },
  async stop(args) {
    const values = parseOptions("ci stop", args, { help: { type: "boolean", short: "h" } });
    if (values.help) return printHelp();
    const { stopInJob } = await import("./in-job-XHV42TEJ.js");
    await stopInJob({ env: process.env, log: (line) => process.stdout.write(`${line}
`) });
    return 0;
  },
  async service(args) {
    const values = parseOptions("ci service", args, { help: { type: "boolean", short: "h" } });
    if (values.help) return printHelp();
    const { runService } = await import("./service-36HAKKIM.js");
    const { serveCommand } = await import("../serve.js");
    return await runService({ env: process.env, log, serve: (serveArgs) => serveCommand.run(serveArgs) });
  },
  async remote(args) {
    const values = parseOptions("ci remote", args, {
      probe: { type: "boolean" },
      dotenv: { type: "string" },
      remove: { type: "boolean" },
      format: { type: "string" },
      help: { type: "boolean", short: "h" }
    });
    if (values.help) return printHelp();
    const format = envFormat(values.format);
    const remote = await import("./remote-QGHOVXEL.js");
    if (values.remove) {
      await remote.removeRemote(process.env);
      return 0;
    }
    const result = await remote.setUpRemote({
      env: process.env,
      probe: values.probe ?? false,
      ...values.dotenv !== void 0 ? { dotenvFile: values.dotenv } : {}
    });
    if (result.probed) log(`goproxy: ${result.probed}`);
    const { NETRC, ...shown } = result.exported;
    log(
      `goproxy: ${Object.entries(shown).map(([name, value]) => `${name}=${value}`).join(" ")}${NETRC ? " (credentials in a netrc file)" : ""}`
    );
    process.stdout.write(renderEnvLines(result.exported, format));
    return 0;
  },
  async check(args) {
    const values = parseOptions("ci check", args, {
      report: { type: "string" },
      help: { type: "boolean", short: "h" }
    });
    if (values.help) return printHelp();
    const policy = process.env.GOPROXY_ACTION_POLICY_FILE || void 0;
    const report = await checkProject(void 0, policy);
    const reportFile = values.report ?? "gl-code-quality-report.json";
    await writeFile(reportFile, formatCheckReport(report, "codequality"));
    process.stdout.write(formatCheckReport(report, "text"));
    process.stdout.write(`goproxy: code quality report written to ${reportFile}
`);
    return report.errors > 0 ? 1 : 0;
  },
  async prewarm(args) {
    const values = parseOptions("ci prewarm", args, { help: { type: "boolean", short: "h" } });
    if (values.help) return printHelp();
    const { prewarmArgs } = await import("./prewarm-step-TDIMYDPP.js");
    const prewarmOptions = prewarmArgs(process.env);
    log(`goproxy: goproxy-action prewarm ${prewarmOptions.join(" ")}`);
    const { prewarmCommand } = await import("./prewarm-command-Q36BEFRF.js");
    return await prewarmCommand.run(prewarmOptions);
  },
  async health(args) {
    const values = parseOptions("ci health", args, { help: { type: "boolean", short: "h" } });
    if (values.help) return printHelp();
    const { healthArgs, prepareHealthBaseline } = await import("./health-step-LJL2G5IF.js");
    healthArgs(process.env, { hasBaseline: false });
    const hasBaseline = await prepareHealthBaseline(process.cwd());
    const healthOptions = healthArgs(process.env, { hasBaseline });
    log(`goproxy: goproxy-action health ${healthOptions.join(" ")}`);
    const { healthCommand } = await import("./health-command-BGI3IG5S.js");
    return await healthCommand.run(healthOptions);
  }
};
function printHelp() {
  process.stdout.write(`${help}
`);
  return 0;
}
var ciCommand = {
  async run(args) {
    const [step, ...rest] = args;
    if (step === void 0 || step === "--help" || step === "-h") {
      process.stdout.write(`${help}
`);
      return step === void 0 ? 2 : 0;
    }
    const run = steps[step];
    if (!run) {
      if (step.startsWith("-"))
        throw new UsageError(`unknown option '${step}'; run 'goproxy-action ci --help' for its options`);
      throw new UsageError(`unknown step '${step}': write one of ${Object.keys(steps).join(", ")}`);
    }
    return await run(rest);
  }
};
export {
  ciCommand
};
