import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  chmod,
  writeFile
} from "./chunk-SY3SBDYW.js";

// src/remote/netrc.ts
const { readFileSync } = require("node:fs");
const { homedir } = require("node:os");
const { join } = require("node:path");
function parseNetrc(text) {
  const entries = [];
  let current = {};
  let inMacro = false;
  for (const line of text.split(/\r?\n/)) {
    if (inMacro) {
      if (line.trim() === "") inMacro = false;
      continue;
    }
    const fields = line.trim().split(/\s+/).filter((f) => f !== "");
    let i = 0;
    for (; i < fields.length - 1; i += 2) {
      const [key, value] = [fields[i], fields[i + 1]];
      if (key === "machine") current = { machine: value };
      else if (key === "login") current.login = value;
      else if (key === "password") current.password = value;
      else if (key === "macdef") inMacro = true;
      if (current.machine && current.login && current.password) {
        entries.push(current);
        current = {};
      }
    }
    if (fields[i] === "default") break;
  }
  return entries;
}
function checkToken(what, value) {
  if (value === "" || /\s/.test(value)) {
    throw new Error(
      `the ${what} ${value === "" ? "is empty" : "contains white space"}, which a netrc file cannot hold; the go command would never send it`
    );
  }
}
function mergeNetrc(existing, ours) {
  checkToken("proxy host", ours.machine);
  checkToken("proxy username", ours.login);
  checkToken("proxy password or token", ours.password);
  const kept = existing.filter((e) => e.machine !== ours.machine);
  return [ours, ...kept].map((e) => `machine ${e.machine} login ${e.login} password ${e.password}
`).join("");
}
function userNetrcPath(env, home = homedir()) {
  if (env.NETRC) return env.NETRC;
  return join(home, process.platform === "win32" ? "_netrc" : ".netrc");
}
async function readUserNetrc(path) {
  try {
    return parseNetrc(readFileSync(path, "utf8"));
  } catch (err) {
    if (err.code === "ENOENT") return [];
    throw new Error(`cannot read the existing netrc file ${path} (${err.message})`);
  }
}
function netrcMachineFor(proxyUrl) {
  return new URL(proxyUrl).host;
}
async function writeNetrcFile(options) {
  const text = mergeNetrc(options.existing, options.ours);
  const file = join(options.dir, ".netrc");
  await writeFile(file, text, { mode: 384 });
  await chmod(file, 384);
  return file;
}

export {
  userNetrcPath,
  readUserNetrc,
  netrcMachineFor,
  writeNetrcFile
};
