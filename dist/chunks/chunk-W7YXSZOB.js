import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);

// src/daemon/env-lines.ts
var ENV_FORMATS = ["shell", "github", "dotenv"];
function checkEntry(name, value) {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new Error(`'${name}' is not a valid environment variable name`);
  if (/[\r\n\0]/.test(value))
    throw new Error(`the value of ${name} contains a line break or NUL, which cannot be exported`);
}
function shellQuote(value) {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
function renderEnvLines(env, format) {
  const lines = [];
  for (const [name, value] of Object.entries(env)) {
    checkEntry(name, value);
    if (value === "") continue;
    lines.push(format === "shell" ? `export ${name}=${shellQuote(value)}` : `${name}=${value}`);
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}
`;
}

export {
  ENV_FORMATS,
  renderEnvLines
};
