// The Authorization header for the proxy being warmed, taken the way the go command takes
// credentials: a bearer token from an environment variable the user names (never a command-line
// value), else the NETRC file's entry for the proxy's host. Also the URL shown in reports,
// without any user:password in it.
import { hideClientPath } from '../daemon/client-token.ts';
import { netrcMachineFor, readUserNetrc, userNetrcPath } from '../remote/netrc.ts';

export type ProxyCredentials = { authorization?: string; secrets: string[]; how: string };

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

export async function proxyCredentials(options: {
  proxyUrl: string;
  /** Name of the variable holding a bearer token (--token-env). */
  tokenEnv?: string;
  env: NodeJS.ProcessEnv;
  home?: string;
}): Promise<ProxyCredentials> {
  const url = new URL(options.proxyUrl);
  if (url.username || url.password) {
    throw new Error(
      'the proxy URL holds credentials; put them in a NETRC file or pass a token with --token-env instead, so they never appear in a command line or log',
    );
  }
  if (options.tokenEnv) {
    const token = options.env[options.tokenEnv] ?? '';
    if (token === '' || /\s/.test(token)) {
      throw new Error(
        `--token-env ${options.tokenEnv}: the variable is ${token === '' ? 'empty or unset' : 'holding white space'}; set it to the proxy's bearer token`,
      );
    }
    if (url.protocol !== 'https:' && !isLoopback(url.hostname)) {
      throw new Error('a bearer token is only sent to an https:// proxy (or one on this machine)');
    }
    return {
      authorization: `Bearer ${token}`,
      secrets: [token],
      how: `bearer token from $${options.tokenEnv}`,
    };
  }
  const netrcPath = userNetrcPath(options.env, options.home);
  const entries = await readUserNetrc(netrcPath);
  const machine = netrcMachineFor(options.proxyUrl);
  // The go command matches host:port first, then the host alone.
  const entry = entries.find((e) => e.machine === machine) ?? entries.find((e) => e.machine === url.hostname);
  if (!entry) return { secrets: [], how: 'none' };
  const basic = Buffer.from(`${entry.login}:${entry.password}`).toString('base64');
  return {
    authorization: `Basic ${basic}`,
    secrets: [entry.password, basic],
    how: `netrc entry for ${entry.machine}`,
  };
}

/** The URL as reports show it: scheme, host and path only. */
export function proxyLabel(proxyUrl: string): string {
  const url = new URL(proxyUrl);
  // An in-job proxy's client token (its GOPROXY path) is a secret too.
  return hideClientPath(`${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`);
}
