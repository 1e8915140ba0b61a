// The headers the go command would add to a request to an https upstream, from the same
// sources in the same order (cmd/go/internal/auth): GOAUTH (default "netrc": the one netrc
// file, $NETRC or ~/.netrc; or commands printing URL prefixes and headers), matched by the
// longest URL prefix; when none matches, the userinfo written in the GOPROXY entry's URL, as
// HTTP Basic. Plain http and file:// upstreams never get credentials.
import { promisify } from 'node:util';
import { readUserNetrc, userNetrcPath } from '../remote/netrc.ts';
import type { ProxyEntry } from './goproxy-list.ts';

type Headers = Record<string, string>;

/** A URL prefix without its scheme and trailing slash ("host[:port][/path]"), and its headers. */
type PrefixHeaders = { prefix: string; headers: Headers };

function basic(username: string, password: string): Headers {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

/** "https://host/a/" -> "host/a"; null for anything but an https URL. */
function httpsPrefix(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:') return null;
  return `${parsed.host}${parsed.pathname}`.replace(/\/+$/, '');
}

/** The longest prefix (on path-element boundaries) of `target` among `list`. */
function longestMatch(list: readonly PrefixHeaders[], target: string): PrefixHeaders | null {
  let best: PrefixHeaders | null = null;
  for (const item of list) {
    if (target !== item.prefix && !target.startsWith(`${item.prefix}/`)) continue;
    if (!best || item.prefix.length > best.prefix.length) best = item;
  }
  return best;
}

/**
 * Parses a GOAUTH command's output: blocks of one or more URL lines, a blank line, then
 * `Name: value` header lines ended by a blank line (or the end).
 */
export function parseGoauthOutput(text: string, command: string): PrefixHeaders[] {
  const out: PrefixHeaders[] = [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    while (i < lines.length && lines[i]!.trim() === '') i++;
    const urls: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '') urls.push(lines[i++]!.trim());
    if (urls.length === 0) break;
    i++;
    const headers: Headers = {};
    while (i < lines.length && lines[i]!.trim() !== '') {
      const line = lines[i++]!;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new Error(`GOAUTH command "${command}" printed a header line without "Name:"`);
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    if (Object.keys(headers).length === 0)
      throw new Error(`GOAUTH command "${command}" printed URLs with no headers after them`);
    for (const url of urls) {
      const prefix = httpsPrefix(url.includes('://') ? url : `https://${url}`);
      if (prefix === null)
        throw new Error(`GOAUTH command "${command}" printed "${url}", which is not an https URL prefix`);
      out.push({ prefix, headers });
    }
  }
  return out;
}

export class UpstreamCredentials {
  readonly #fromGoauth: PrefixHeaders[];
  readonly #fromUrls: PrefixHeaders[];

  constructor(fromGoauth: PrefixHeaders[], fromUrls: PrefixHeaders[]) {
    this.#fromGoauth = fromGoauth;
    this.#fromUrls = fromUrls;
  }

  /** No credentials at all (file:// and http-only setups, tests). */
  static none(): UpstreamCredentials {
    return new UpstreamCredentials([], []);
  }

  /**
   * Reads GOAUTH (netrc, commands) from `env` and the userinfo of the entries. Throws a
   * one-line error for an unreadable netrc, a failing GOAUTH command or an unsupported form.
   */
  static async load(options: {
    entries: readonly ProxyEntry[];
    env: NodeJS.ProcessEnv;
  }): Promise<UpstreamCredentials> {
    const fromUrls: PrefixHeaders[] = [];
    for (const entry of options.entries) {
      if (entry.kind !== 'url' || !entry.credentials) continue;
      const prefix = httpsPrefix(entry.url);
      if (prefix === null) continue; // parseGoproxyList already refuses credentials over http
      fromUrls.push({ prefix, headers: basic(entry.credentials.username, entry.credentials.password) });
    }
    return new UpstreamCredentials(await loadGoauth(options.env), fromUrls);
  }

  /** Headers to add to a request for `url`: GOAUTH's first, else the URL's own userinfo. */
  headersFor(url: string): Headers {
    const target = httpsPrefix(url);
    if (target === null) return {};
    return (longestMatch(this.#fromGoauth, target) ?? longestMatch(this.#fromUrls, target))?.headers ?? {};
  }
}

async function loadGoauth(env: NodeJS.ProcessEnv): Promise<PrefixHeaders[]> {
  const setting = (env.GOAUTH ?? '').trim() || 'netrc';
  const out: PrefixHeaders[] = [];
  for (const raw of setting.split(';')) {
    const item = raw.trim();
    if (item === '') continue;
    if (item === 'off') {
      if (setting.split(';').filter((x) => x.trim() !== '').length > 1)
        throw new Error('GOAUTH=off cannot be combined with other authentication commands');
      return [];
    }
    if (item === 'netrc') {
      for (const e of await readUserNetrc(userNetrcPath(env))) {
        out.push({ prefix: e.machine, headers: basic(e.login, e.password) });
      }
      continue;
    }
    const [command, ...args] = item.split(/\s+/);
    if (command === 'git') {
      throw new Error(
        'GOAUTH "git <dir>" is not supported by the proxy; give the upstream credentials through NETRC, a GOAUTH command or the upstream URL',
      );
    }
    let stdout: string;
    try {
      // Loaded only when a GOAUTH command is configured, not at every serve start-up.
      const execFileAsync = promisify((await import('node:child_process')).execFile);
      ({ stdout } = await execFileAsync(command!, args, { env, timeout: 60_000, maxBuffer: 1 << 20 }));
    } catch (err) {
      throw new Error(`GOAUTH command "${item}" failed: ${(err as Error).message.split('\n')[0]}`);
    }
    out.push(...parseGoauthOutput(stdout, item));
  }
  return out;
}
