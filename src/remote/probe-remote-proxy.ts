// One request to a remote module proxy before the job relies on it, so a wrong URL, a login
// page or refused credentials fail the setup step with a clear message instead of failing
// every `go` command later with a cryptic one.
import type { Dispatcher } from 'undici';
import { escapePath, escapeVersion } from '../gomod/module-path.ts';
import { loadUndici } from '../net/load-undici.ts';

export type ProbeModule = { path: string; version: string };

export type ProbeOptions = {
  proxyUrl: string;
  /** The Authorization header value the go command will send (Basic or Bearer), if any. */
  authorization?: string;
  /** A module version the project uses (from go.sum): the remote must serve its .info. */
  module?: ProbeModule;
  timeoutMs?: number;
};

export type ProbeResult = { url: string; status: number; ms: number; detail: string };

export class ProbeError extends Error {
  override name = 'ProbeError';
}

// A path no proxy can hold (`.invalid` is reserved), for when the project names no module.
const ABSENT_MODULE = 'goproxy-action.invalid/probe';

export async function probeRemoteProxy(options: ProbeOptions): Promise<ProbeResult> {
  const base = options.proxyUrl.replace(/\/+$/, '');
  const path = options.module
    ? `${escapePath(options.module.path)}/@v/${escapeVersion(options.module.version)}.info`
    : `${ABSENT_MODULE}/@v/list`;
  const url = `${base}/${path}`;
  const headers: Record<string, string> = { 'user-agent': 'goproxy-action probe' };
  if (options.authorization) headers.authorization = options.authorization;
  const timeout = options.timeoutMs ?? 15_000;
  const started = Date.now();
  let response: Dispatcher.ResponseData;
  try {
    const { request } = await loadUndici();
    response = await request(url, { method: 'GET', headers, headersTimeout: timeout, bodyTimeout: timeout });
  } catch (err) {
    throw new ProbeError(
      `the remote proxy ${base} did not answer (${err instanceof Error ? err.message : err}); check proxy-url and that the runner can reach it`,
    );
  }
  const body = (await response.body.text()).slice(0, 2000);
  const ms = Date.now() - started;
  const type = String(response.headers['content-type'] ?? '');
  const status = response.statusCode;
  if (status === 401 || status === 403) {
    const how = options.authorization ? 'refused the credentials given' : 'wants credentials';
    throw new ProbeError(
      `the remote proxy ${base} ${how} (HTTP ${status} for ${path}); check proxy-username/proxy-password or proxy-token${options.authorization?.startsWith('Bearer') ? ' and proxy-auth' : ''}`,
    );
  }
  if (status >= 300 && status < 400) {
    throw new ProbeError(
      `the remote proxy ${base} redirected ${path} to ${response.headers.location ?? 'elsewhere'} (HTTP ${status}); a login page or a wrong base URL? Give the proxy's GOPROXY URL`,
    );
  }
  if (options.module) {
    if (status === 200) {
      let version: unknown;
      try {
        version = (JSON.parse(body) as { Version?: unknown }).Version;
      } catch {
        // handled below
      }
      if (version === options.module.version)
        return { url, status, ms, detail: `serves ${options.module.path}@${options.module.version}` };
      throw new ProbeError(
        `the remote proxy ${base} answered ${path} with something that is not module info (${type || 'no content type'}); is proxy-url the proxy's GOPROXY URL?`,
      );
    }
    if (status === 404 || status === 410) {
      // A module proxy that lacks a module says so with 404/410: it answers like a proxy.
      return {
        url,
        status,
        ms,
        detail: `answers like a module proxy (does not have ${options.module.path}@${options.module.version})`,
      };
    }
  } else if (status === 404 || status === 410 || (status === 200 && !/html/i.test(type))) {
    return { url, status, ms, detail: 'answers like a module proxy' };
  }
  throw new ProbeError(
    `the remote proxy ${base} does not answer like a module proxy: HTTP ${status} (${type || 'no content type'}) for ${path}${body ? `: ${body.split('\n')[0]!.slice(0, 200)}` : ''}`,
  );
}

/** The Authorization header the go command derives from a netrc entry or a bearer token. */
export function authorizationFor(credentials: {
  username?: string;
  password?: string;
  token?: string;
  bearer?: boolean;
}): string | undefined {
  if (credentials.bearer && credentials.token) return `Bearer ${credentials.token}`;
  const secret = credentials.password || credentials.token;
  if (!secret) return undefined;
  const user = credentials.username || 'token';
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}
