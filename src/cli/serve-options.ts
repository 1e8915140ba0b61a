// `serve`'s options, checked before anything starts: every mistake is refused with one line
// saying what to fix (exit 2), before the proxy announces itself or touches the store.
import { statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseGoDuration } from '../policy/go-duration.ts';
import { goproxySettingError } from '../policy/goproxy-setting.ts';
import { validatePattern } from '../policy/patterns.ts';
import { redactUrlUserinfo } from '../upstream/redact-secrets.ts';
import { UsageError } from './usage-error.ts';

export const serveOptions = {
  listen: { type: 'string' },
  store: { type: 'string' },
  upstream: { type: 'string' },
  'private-upstream': { type: 'string' },
  private: { type: 'string', multiple: true },
  gosumdb: { type: 'string' },
  policy: { type: 'string' },
  'go-sum': { type: 'string', multiple: true },
  'ready-file': { type: 'string' },
  'seed-from': { type: 'string' },
  'audit-log': { type: 'string' },
  'admin-token-env': { type: 'string' },
  'client-token-env': { type: 'string' },
  'upstream-env': { type: 'string' },
  'fetch-timeout': { type: 'string' },
  'shutdown-grace': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type ListenAddress = {
  /** What the server binds ('0.0.0.0' for Go's `:PORT`). */
  host: string;
  port: number;
  /** False when other machines can reach it. */
  loopback: boolean;
};

/** HOST:PORT, [IPv6]:PORT, or Go's :PORT (all interfaces). */
export function parseListen(value: string): ListenAddress {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]*):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : Number.NaN;
  if (!match || port > 65535)
    throw new UsageError(`--listen ${value}: write HOST:PORT (e.g. 127.0.0.1:0) or :PORT for all interfaces`);
  const host = match[1] === '' ? '0.0.0.0' : match[1]!.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  return { host, port, loopback };
}

/** Refuses a GOPROXY list the go command would refuse, naming the option. */
export function checkUpstream(option: string, value: string): void {
  const problem = goproxySettingError(value);
  // The list may hold credentials: the message never shows them.
  if (problem) throw new UsageError(`${option} ${redactUrlUserinfo(value)}: ${redactUrlUserinfo(problem)}`);
}

/** Each comma-separated entry must be a pattern the policy file would accept. */
export function checkPrivatePatterns(values: readonly string[]): void {
  for (const value of values)
    for (const pattern of value.split(',')) {
      if (pattern === '') continue;
      const problem = validatePattern(pattern);
      if (problem) throw new UsageError(`--private: ${problem}`);
    }
}

// Synchronous, as serve's other reads before it is ready: it serves nothing yet, and each
// fs/promises call costs start-up CPU (bench/engine-startup.ts).
function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A file we will create later: its directory must exist now, and it must not be a directory. */
export async function checkFileToCreate(option: string, file: string): Promise<void> {
  if (!isDirectory(dirname(resolve(file))))
    throw new UsageError(
      `${option} ${file}: the directory ${dirname(resolve(file))} does not exist; create it first`,
    );
  if (isDirectory(file)) throw new UsageError(`${option} ${file}: is a directory; give a file name`);
}

/** The audit log is appended to: open it now, so a file we cannot write is refused up front. */
export async function checkAppendable(option: string, file: string): Promise<void> {
  await checkFileToCreate(option, file);
  try {
    await (await open(file, 'a', 0o600)).close();
  } catch (err) {
    throw new UsageError(
      `${option} ${file}: cannot be written (${(err as NodeJS.ErrnoException).code ?? err})`,
    );
  }
}

export async function checkDirectory(option: string, dir: string, what: string): Promise<void> {
  if (!isDirectory(dir)) throw new UsageError(`${option} ${dir}: no such directory; give ${what}`);
}

export type ServeValues = {
  listen?: string | undefined;
  upstream?: string | undefined;
  'private-upstream'?: string | undefined;
  private?: string[] | undefined;
  'seed-from'?: string | undefined;
  'ready-file'?: string | undefined;
  'audit-log'?: string | undefined;
  'admin-token-env'?: string | undefined;
  'client-token-env'?: string | undefined;
  'upstream-env'?: string | undefined;
  'fetch-timeout'?: string | undefined;
  'shutdown-grace'?: string | undefined;
};

/** A positive Go duration (30s, 2m), in milliseconds; null when not given. */
export function parseDurationOption(name: string, value: string | undefined): number | null {
  if (value === undefined) return null;
  const ms = parseGoDuration(value);
  if (ms === null || ms <= 0)
    throw new UsageError(`${name} ${value}: give a positive Go duration such as 30s or 2m`);
  return ms;
}

/** Every check of serve's options (also run by `start` before it spawns serve). */
export async function checkServeValues(
  values: ServeValues,
  env: NodeJS.ProcessEnv,
): Promise<{
  listen: ListenAddress;
  adminToken: string | null;
  clientToken: string | null;
  fetchTimeoutMs: number | null;
  shutdownGraceMs: number | null;
}> {
  const listen = parseListen(values.listen ?? '127.0.0.1:0');
  if (values.upstream !== undefined) checkUpstream('--upstream', values.upstream);
  if (values['private-upstream'] !== undefined)
    checkUpstream('--private-upstream', values['private-upstream']);
  checkPrivatePatterns(values.private ?? []);
  if (values['seed-from'] !== undefined)
    await checkDirectory('--seed-from', values['seed-from'], "a module cache's download dir");
  if (values['ready-file'] !== undefined) await checkFileToCreate('--ready-file', values['ready-file']);
  if (values['audit-log'] !== undefined) await checkAppendable('--audit-log', values['audit-log']);
  let adminToken: string | null = null;
  if (values['admin-token-env']) {
    adminToken = env[values['admin-token-env']] ?? '';
    if (adminToken.length < 16)
      throw new UsageError(
        `--admin-token-env ${values['admin-token-env']}: the variable must hold a token of at least 16 characters`,
      );
  }
  let clientToken: string | null = null;
  if (values['client-token-env']) {
    clientToken = env[values['client-token-env']] ?? '';
    // It becomes a path element of GOPROXY: only characters that need no escaping there.
    if (clientToken.length < 16 || !/^[A-Za-z0-9_-]+$/.test(clientToken))
      throw new UsageError(
        `--client-token-env ${values['client-token-env']}: the variable must hold a token of at least 16 letters, digits, '-' or '_' (e.g. from openssl rand -hex 24)`,
      );
  }
  const fetchTimeoutMs = parseDurationOption('--fetch-timeout', values['fetch-timeout']);
  const shutdownGraceMs = parseDurationOption('--shutdown-grace', values['shutdown-grace']);
  return { listen, adminToken, clientToken, fetchTimeoutMs, shutdownGraceMs };
}
