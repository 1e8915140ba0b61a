import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);

// src/gomod/read-go-env.ts
const { promisify } = require("node:util");
async function readGoEnv(names, options = {}) {
  const env = options.env ?? process.env;
  const goBinary = options.goBinary ?? "go";
  const values = {};
  let stdout;
  try {
    const run = promisify((await import("node:child_process")).execFile);
    ({ stdout } = await run(goBinary, ["env", "-json", ...names], { env, maxBuffer: 1 << 20 }));
  } catch (err) {
    const missing = err.code === "ENOENT";
    if (missing && options.whenGoMissing === "environment") {
      for (const name of names) values[name] = env[name] ?? "";
      return values;
    }
    const detail = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new Error(
      `could not run '${goBinary} env' (${detail}); install Go first (e.g. actions/setup-go) so the go command is on PATH`
    );
  }
  const parsed = JSON.parse(stdout);
  for (const name of names) values[name] = parsed[name] ?? "";
  return values;
}

export {
  readGoEnv
};
