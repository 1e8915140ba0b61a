// Credentials for the proxy's own `direct` fetches of private modules on GitHub: an
// http.<server>/.extraheader given to git through GIT_CONFIG_COUNT/KEY/VALUE in the proxy
// process's environment only. Nothing is written to the workspace, the user's git config or a
// log; the caller masks the returned secrets.

export type GitTokenEnv = { env: Record<string, string>; secrets: string[] };

/** Adds the header after any GIT_CONFIG_* entries already in `base` (they keep working). */
export function gitTokenEnv(
  token: string,
  base: NodeJS.ProcessEnv,
  serverUrl = 'https://github.com',
): GitTokenEnv {
  if (token === '') return { env: {}, secrets: [] };
  const server = new URL(serverUrl);
  const count = Number.parseInt(base.GIT_CONFIG_COUNT ?? '0', 10);
  const index = Number.isInteger(count) && count > 0 ? count : 0;
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return {
    env: {
      GIT_CONFIG_COUNT: String(index + 1),
      [`GIT_CONFIG_KEY_${index}`]: `http.${server.protocol}//${server.host}/.extraheader`,
      [`GIT_CONFIG_VALUE_${index}`]: `AUTHORIZATION: basic ${basic}`,
    },
    secrets: [token, basic],
  };
}

/**
 * The proxy daemon's environment: the job's, less what the proxy must not hold (the action's
 * inputs, the runner's cache and OIDC tokens), plus the git credentials.
 */
export function daemonEnv(base: NodeJS.ProcessEnv, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (name.startsWith('INPUT_') || name.startsWith('STATE_')) continue;
    if (name === 'ACTIONS_RUNTIME_TOKEN' || name.startsWith('ACTIONS_ID_TOKEN_REQUEST_')) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}
