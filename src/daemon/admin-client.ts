// Talks to a running proxy's admin endpoint (statistics, prune, flush, shutdown). Every call
// carries the proxy's random token; the token is never part of an error message.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';

export type AdminTarget = { adminUrl: string; token: string };

import { isProcessAlive } from '../process-alive.ts';
// The engine's own types: the admin endpoint answers with exactly these.
import type { StatsSnapshot } from '../proxy/proxy-stats.ts';
import type { PruneResult } from '../store/blob-store.ts';

export type { Counters } from '../proxy/proxy-stats.ts';
export type { PruneResult };
export type ProxyStats = StatsSnapshot;

const ADMIN_TIMEOUT_MS = 120_000;

/**
 * One admin request with Node's own client: the admin endpoint is the proxy's loopback port
 * (or a remote proxy's URL for health), a handful of calls per step. undici, which the upstream
 * fetches use, costs a step that makes only these calls (post with nothing to save) about 70 ms
 * of CPU to evaluate.
 */
function send(url: string, method: 'GET' | 'POST', token: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(
      target,
      { method, headers: { authorization: `Bearer ${token}` }, timeout: ADMIN_TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in ${ADMIN_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}

async function call(target: AdminTarget, method: 'GET' | 'POST', name: string): Promise<unknown> {
  const url = `${target.adminUrl.replace(/\/+$/, '')}/${name}`;
  let response: { status: number; text: string };
  try {
    response = await send(url, method, target.token);
  } catch (err) {
    throw new Error(
      `the proxy's admin endpoint ${url} did not answer (${err instanceof Error ? err.message : err})`,
    );
  }
  const { text } = response;
  if (response.status !== 200) {
    throw new Error(`the proxy's admin endpoint ${url} answered ${response.status}: ${text.slice(0, 300)}`);
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
  // A proxy asked to shut down exits within a few ms (post with nothing to save waits for it):
  // short polls at first, then longer ones for a proxy still finishing fetches.
  for (let polls = 0; isProcessAlive(pid); polls++) {
    if (Date.now() > deadline) return false;
    await sleep(polls < 100 ? 2 : 20);
  }
  return true;
}
