import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  UsageError
} from "./chunk-F4IRGORQ.js";

// src/cli/parse-options.ts
const { parseArgs } = require("node:util");
function describeParseError(command, err) {
  const message = err instanceof Error ? err.message : String(err);
  const code = err.code;
  const seeHelp = `run 'goproxy-action ${command} --help' for its options`;
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && quoted) return `unknown option '${quoted}'; ${seeHelp}`;
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL" && quoted)
    return `unexpected argument '${quoted}' (options only); ${seeHelp}`;
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const option = /--?[A-Za-z0-9-]+/.exec(message)?.[0] ?? "an option";
    return message.includes("argument missing") ? `option ${option} needs a value; ${seeHelp}` : `option ${option} takes no value; ${seeHelp}`;
  }
  return `${message.split("\n")[0]}; ${seeHelp}`;
}
function parseOptions(command, args, options) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError(describeParseError(command, err));
  }
}

export {
  parseOptions
};
