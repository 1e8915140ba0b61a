import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  readFile
} from "./chunk-S5FAF34R.js";

// src/policy/go-duration.ts
var unitMs = {
  ns: 1e-6,
  us: 1e-3,
  \u00B5s: 1e-3,
  // U+00B5 micro sign
  \u03BCs: 1e-3,
  // U+03BC Greek mu
  ms: 1,
  s: 1e3,
  m: 6e4,
  h: 36e5
};
var termPattern = /^([0-9]*(?:\.[0-9]*)?)([^0-9.]+)/;
function parseGoDuration(text) {
  let s = text;
  let sign = 1;
  if (s.startsWith("-") || s.startsWith("+")) {
    if (s[0] === "-") sign = -1;
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") return null;
  let total = 0;
  while (s !== "") {
    const m = termPattern.exec(s);
    if (!m) return null;
    const number = m[1];
    const unit = m[2];
    if (number === "" || number === ".") return null;
    const scale = unitMs[unit];
    if (scale === void 0) return null;
    total += Number(number) * scale;
    s = s.slice(m[0].length);
  }
  return sign * total;
}

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
  const { parsePolicyText } = await import("./policy-file-4YG5R2ED.js");
  const policy = parsePolicyText(text, source);
  return { policy, source, message: `policy: ${source}` };
}

export {
  parseGoDuration,
  defaultPolicyFile,
  PolicyFileError,
  loadPolicy
};
