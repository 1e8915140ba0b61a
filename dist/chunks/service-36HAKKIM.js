import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  renderEnvLines
} from "./chunk-W7YXSZOB.js";
import {
  readComponentInputs,
  serveArgsFor
} from "./chunk-3ZPD7RFG.js";
import {
  jobWorkDir,
  readGitLabJob
} from "./chunk-3CYDPAS3.js";
import "./chunk-LX67Z6VI.js";
import {
  CLIENT_TOKEN_ENV,
  newClientToken
} from "./chunk-Z3RLGLLH.js";
import "./chunk-ZO4TFNJM.js";
import "./chunk-7XKFHKGP.js";
import "./chunk-MMNOBJZU.js";
import "./chunk-L6W3GWGW.js";
import "./chunk-4ZLOKNXU.js";
import "./chunk-TP23J6CY.js";
import "./chunk-IZF6HKYA.js";
import "./chunk-HYK6JFBE.js";
import "./chunk-ACB7LVIP.js";
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
import {
  appendFile,
  mkdir,
  readFile,
  stat,
  writeFile
} from "./chunk-SY3SBDYW.js";
import "./chunk-UOOPJVRV.js";

// src/gitlab/service.ts
const { join } = require("node:path");
const { setTimeout: sleep } = require("node:timers/promises");
var exists = async (path) => await stat(path).catch(() => null) !== null;
async function runService(options) {
  const { env } = options;
  if (!env.GOPROXY_ACTION_ADMIN_TOKEN)
    throw new Error(
      "GOPROXY_ACTION_ADMIN_TOKEN is empty (the job token, CI_JOB_TOKEN, was not passed to the service); set it to a secret value in the job variables"
    );
  const job = readGitLabJob(env);
  const work = jobWorkDir(job);
  while (!await exists(join(work, "checked-out"))) await sleep(200);
  try {
    return await serveForJob(options, job.projectDir, work);
  } catch (err) {
    await mkdir(work, { recursive: true });
    await appendFile(join(work, "service.log"), `${err.message}
`);
    await writeFile(join(work, "service-failed"), "");
    throw err;
  }
}
async function serveForJob(options, projectDir, work) {
  const { env } = options;
  const goEnvFile = join(work, "go-env");
  if (await exists(goEnvFile)) {
    const lines = (await readFile(goEnvFile, "utf8")).split("\n");
    GO_SETTING_NAMES.forEach((name, i) => {
      env[name] = lines[i] ?? "";
    });
  }
  process.chdir(projectDir);
  const inputs = readComponentInputs(env);
  const loaded = await loadPolicy({
    workspace: projectDir,
    ...inputs.policyFile ? { explicitPath: inputs.policyFile } : {}
  });
  const serviceUrl = env.GOPROXY_ACTION_SERVICE_URL ?? "";
  const goEnv = await readGoEnv(GO_SETTING_NAMES, { env, whenGoMissing: "environment" });
  const clientToken = newClientToken();
  env[CLIENT_TOKEN_ENV] = clientToken;
  const exported = jobGoEnv(
    { goEnv, inputPrivate: inputs.private, policyPrivate: loaded.policy?.private ?? [] },
    { kind: "proxy", proxyUrl: `${serviceUrl.replace(/\/+$/, "")}/${clientToken}` }
  );
  delete exported.GOSUMDB;
  const args = serveArgsFor(inputs, projectDir, join(work, "store"), join(work, "audit.jsonl"));
  if (!inputs.upstream && goEnv.GOPROXY) args.push("--upstream", goEnv.GOPROXY);
  args.push("--listen", env.GOPROXY_ACTION_SERVICE_LISTEN ?? "0.0.0.0:8080");
  args.push("--admin-token-env", "GOPROXY_ACTION_ADMIN_TOKEN");
  args.push("--client-token-env", CLIENT_TOKEN_ENV);
  if (goEnv.GOSUMDB) args.push("--gosumdb", goEnv.GOSUMDB);
  await writeFile(join(work, "env.sh"), renderEnvLines(exported, "shell"));
  return await options.serve(args);
}
export {
  runService
};
