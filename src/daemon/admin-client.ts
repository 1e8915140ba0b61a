// Talks to a running proxy's admin endpoint (statistics, prune, flush, shutdown). Every call
// carries the proxy's random token; the token is never part of an error message.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { loadUndici } from '../net/load-undici.ts';

export type AdminTarget = { adminUrl: string; token: string };

import { isProcessAlive } from '../process-alive.ts';
// The engine's own types: the admin endpoint answers with exactly these.
import type { StatsSnapshot } from '../proxy/proxy-stats.ts';
import type { PruneResult } from '../store/blob-store.ts';

export type { Counters } from '../proxy/proxy-stats.ts';
export type { PruneResult };
export type ProxyStats = StatsSnapshot;

const ADMIN_TIMEOUT_MS = 120_000;

async function call(target: AdminTarget, method: 'GET' | 'POST', name: string): Promise<unknown> {
  const url = `${target.adminUrl.replace(/\/+$/, '')}/${name}`;
  let response: Dispatcher.ResponseData;
  try {
    const { request } = await loadUndici();
    response = await request(url, {
      method,
      headers: { authorization: `Bearer ${target.token}` },
      headersTimeout: ADMIN_TIMEOUT_MS,
      bodyTimeout: ADMIN_TIMEOUT_MS,
    });
  } catch (err) {
    throw new Error(
      `the proxy's admin endpoint ${url} did not answer (${err instanceof Error ? err.message : err})`,
    );
  }
  const text = await response.body.text();
  if (response.statusCode !== 200) {
    throw new Error(
      `the proxy's admin endpoint ${url} answered ${response.statusCode}: ${text.slice(0, 300)}`,
    );
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(
      `the proxy's admin endpoint ${url} answered with something that is not JSON: ${text.slice(0, 200)}`,
    );
  }
}

export async function getStats(target: AdminTarget): Promise<ProxyStats> {
  return (await call(target, 'GET', 'stats')) as ProxyStats;
}

/** Removes the stored versions this proxy process did not serve. */
export async function prune(target: AdminTarget): Promise<PruneResult> {
  return (await call(target, 'POST', 'prune')) as PruneResult;
}

/** Waits until every in-flight store write has finished. */
export async function flush(target: AdminTarget): Promise<void> {
  await call(target, 'POST', 'flush');
}

export async function shutdown(target: AdminTarget): Promise<void> {
  try {
    await call(target, 'POST', 'shutdown');
  } catch (err) {
    // A proxy that closes the connection while exiting has done what was asked.
    if (!(err instanceof Error && /did not answer/.test(err.message))) throw err;
  }
}

/** Resolves true once the process has exited, false if it is still running after timeoutMs. */
export async function waitForExit(pid: number, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}
