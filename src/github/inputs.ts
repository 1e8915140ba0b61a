// The action's inputs (action.yml), read and validated in one place. Each error names the input
// and says what to write instead; secrets never appear in a message.

import { goproxySettingError } from '../policy/goproxy-setting.ts';
import { validatePattern } from '../policy/patterns.ts';

export type Mode = 'ephemeral' | 'remote';
export type ProxyAuth = 'netrc' | 'bearer';

export type ActionInputs = {
  mode: Mode;
  /** GOPROXY list the in-job proxy fetches from; '' = the runner's `go env GOPROXY`. */
  upstream: string;
  /** GOPROXY list tried after our proxy (ephemeral), or after the remote (remote); '' = none. */
  fallback: string;
  proxyUrl: string;
  proxyUsername: string;
  proxyPassword: string;
  proxyToken: string;
  proxyAuth: ProxyAuth;
  privatePatterns: string[];
  token: string;
  cache: boolean;
  cacheKeyFiles: string[];
  cachePrune: boolean;
  /** Carry the Go build cache (GOCACHE) between runs with the Actions cache. */
  buildCache: boolean;
  /** Carry the extracted module tree (GOMODCACHE without zips) too. */
  moduleTree: boolean;
  policyFile: string;
  /** Ephemeral: the proxy answers only under a random per-job path in GOPROXY (client-token). */
  clientToken: boolean;
};

export class InputError extends Error {
  override name = 'InputError';
}

/** Reads one input by its action.yml name ('' when unset), as @actions/core's getInput does. */
export type InputReader = (name: string) => string;

/** Reads inputs from the INPUT_* variables the runner sets (the same rule as @actions/core). */
export function inputReaderFromEnv(env: NodeJS.ProcessEnv): InputReader {
  return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function readBoolean(read: InputReader, name: string, fallback: boolean): boolean {
  const raw = read(name);
  if (raw === '') return fallback;
  // The YAML 1.2 core schema's spellings, as @actions/core's getBooleanInput accepts.
  if (['true', 'True', 'TRUE'].includes(raw)) return true;
  if (['false', 'False', 'FALSE'].includes(raw)) return false;
  throw new InputError(`input '${name}' must be true or false, not '${raw}'`);
}

function readChoice<T extends string>(
  read: InputReader,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = read(name);
  if (raw === '') return fallback;
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  throw new InputError(`input '${name}' must be one of ${choices.join(', ')}, not '${raw}'`);
}

/** Lists may be written one item a line or comma-separated; '#' starts a comment line. */
export function splitList(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '' && !item.startsWith('#'));
}

/** Refused exactly when the go command would refuse it as GOPROXY. */
function checkGoproxyList(name: string, value: string): void {
  if (value === '') return;
  const problem = goproxySettingError(value);
  if (problem) throw new InputError(`input '${name}': ${problem}`);
}

function checkProxyUrl(inputs: ActionInputs): void {
  let url: URL;
  try {
    url = new URL(inputs.proxyUrl);
  } catch {
    throw new InputError(
      `input 'proxy-url' is not a URL ('${inputs.proxyUrl}'); write it in full, e.g. https://goproxy.example.com`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(`input 'proxy-url' must start with https:// (or http:// without credentials)`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new InputError(
      `input 'proxy-url' must not carry credentials in the URL (they would end up in GOPROXY, visible to every step); pass them as proxy-username/proxy-password or proxy-token`,
    );
  }
  if (/[,|\s]/.test(inputs.proxyUrl)) {
    throw new InputError(
      `input 'proxy-url' must be one URL; put further GOPROXY entries in 'fallback' (e.g. fallback: direct)`,
    );
  }
  const hasCredentials =
    inputs.proxyUsername !== '' || inputs.proxyPassword !== '' || inputs.proxyToken !== '';
  if (url.protocol === 'http:' && hasCredentials) {
    throw new InputError(
      `input 'proxy-url' uses http:// but credentials were given: the go command never sends credentials over plain http, so the proxy would refuse every request. Use the proxy's https:// URL`,
    );
  }
}

export function readInputs(read: InputReader): ActionInputs {
  const inputs: ActionInputs = {
    mode: readChoice(read, 'mode', ['ephemeral', 'remote'] as const, 'ephemeral'),
    upstream: read('upstream'),
    fallback: read('fallback'),
    proxyUrl: read('proxy-url'),
    proxyUsername: read('proxy-username'),
    proxyPassword: read('proxy-password'),
    proxyToken: read('proxy-token'),
    proxyAuth: readChoice(read, 'proxy-auth', ['netrc', 'bearer'] as const, 'netrc'),
    privatePatterns: splitList(read('private')),
    token: read('token'),
    cache: readBoolean(read, 'cache', true),
    cacheKeyFiles: splitList(read('cache-key-files')),
    cachePrune: readBoolean(read, 'cache-prune', true),
    buildCache: readBoolean(read, 'build-cache', true),
    moduleTree: readBoolean(read, 'module-tree', true),
    policyFile: read('policy-file'),
    clientToken: readBoolean(read, 'client-token', true),
  };
  if (inputs.cacheKeyFiles.length === 0) inputs.cacheKeyFiles = ['**/go.sum'];
  for (const pattern of inputs.privatePatterns) {
    const problem = validatePattern(pattern);
    if (problem) throw new InputError(`input 'private': ${problem}`);
  }
  checkGoproxyList('upstream', inputs.upstream);
  checkGoproxyList('fallback', inputs.fallback);
  if (inputs.mode === 'remote') {
    if (inputs.proxyUrl === '')
      throw new InputError(
        `mode 'remote' needs input 'proxy-url' (the remote module proxy, e.g. https://goproxy.example.com)`,
      );
    if (inputs.upstream !== '')
      throw new InputError(
        `input 'upstream' is for mode 'ephemeral' (the in-job proxy's source); with mode 'remote' use 'fallback'`,
      );
    checkProxyUrl(inputs);
    if (inputs.proxyToken !== '' && inputs.proxyPassword !== '')
      throw new InputError(
        `give either 'proxy-token' or 'proxy-password', not both (proxy-username may go with either)`,
      );
    if (inputs.proxyPassword !== '' && inputs.proxyUsername === '')
      throw new InputError(`input 'proxy-password' needs 'proxy-username' too`);
    if (inputs.proxyAuth === 'bearer' && inputs.proxyToken === '')
      throw new InputError(`'proxy-auth: bearer' sends 'proxy-token' as a bearer header; give 'proxy-token'`);
  } else {
    for (const name of ['proxy-url', 'proxy-username', 'proxy-password', 'proxy-token'] as const) {
      if (read(name) !== '')
        throw new InputError(
          `input '${name}' is only used with 'mode: remote'; remove it or set mode: remote`,
        );
    }
  }
  return inputs;
}
