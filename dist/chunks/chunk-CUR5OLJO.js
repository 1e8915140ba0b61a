import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  readFile
} from "./chunk-SY3SBDYW.js";

// src/policy/load-policy.ts
const { existsSync } = require("node:fs");
const { isAbsolute, relative, resolve } = require("node:path");
var defaultPolicyFile = ".goproxy.yml";
var PolicyFileError = class extends Error {
  name = "PolicyFileError";
  /** Each problem as `file:line:column: message`. */
  problems;
  constructor(problems) {
    super(problems.join("\n"));
    this.problems = problems;
  }
};
async function loadPolicy(options) {
  const workspace = resolve(options.workspace);
  const display = (file2) => {
    const rel = relative(workspace, file2);
    return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file2;
  };
  let file;
  if (options.explicitPath !== void 0 && options.explicitPath !== "") {
    file = resolve(workspace, options.explicitPath);
    if (!existsSync(file)) {
      throw new PolicyFileError([
        `${display(file)}: the policy file does not exist; create it (see docs/policy.md) or stop naming it with --policy / the policy-file input`
      ]);
    }
  } else {
    file = resolve(workspace, defaultPolicyFile);
    if (!existsSync(file)) {
      const yamlSpelling = resolve(workspace, ".goproxy.yaml");
      const note = existsSync(yamlSpelling) ? `; found .goproxy.yaml, which is not read: rename it to ${defaultPolicyFile}` : "";
      return {
        policy: null,
        source: null,
        message: `no policy: ${display(file)} does not exist, so every module is allowed${note}`
      };
    }
  }
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new PolicyFileError([
      `${display(file)}: cannot read the policy file (${reason}); check its permissions`
    ]);
  }
  const source = display(file);
  const { parsePolicyText } = await import("./policy-file-VIV26AGM.js");
  const policy = parsePolicyText(text, source);
  return { policy, source, message: `policy: ${source}` };
}

export {
  defaultPolicyFile,
  PolicyFileError,
  loadPolicy
};
