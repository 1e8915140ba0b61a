import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);

// src/upstream/redact-secrets.ts
function redactUrlUserinfo(text) {
  return text.replace(
    /(\b[a-z][a-z0-9+.-]*:\/\/)([^/?#@\s]*)@/gi,
    (_all, scheme, userinfo) => {
      const colon = userinfo.indexOf(":");
      return `${scheme}${colon >= 0 ? `${userinfo.slice(0, colon)}:xxxxx` : "xxxxx"}@`;
    }
  );
}
function redactTempPaths(text) {
  return text.replace(/'[^'\n]*[/\\]\.tmp-\d+-[0-9a-f]+'/g, "'<temp file>'").replace(/(?:[A-Za-z]:)?[/\\][^\s'"`]*?[/\\]\.tmp-\d+-[0-9a-f]+/g, "<temp file>");
}
function redactSecrets(text, secrets) {
  let out = redactTempPaths(redactUrlUserinfo(text));
  out = out.replace(/(authorization:\s*)(basic|bearer)\s+\S+/gi, "$1$2 ***");
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join("***");
  }
  return out;
}

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
    if (!missing && typeof err.stderr === "string") {
      const said = redactUrlUserinfo(err.stderr).trim().split("\n").slice(0, 3).join("; ");
      throw new Error(
        `'${goBinary} env' failed${said ? `: ${said}` : ` (${err.message.split("\n")[0]})`}; fix the setting it names (the job's environment or the go env file, GOENV)`
      );
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
  redactUrlUserinfo,
  redactSecrets,
  readGoEnv
};
