// Stops a daemon started by startProxyDetached: waits for its writes, optionally prunes what
// this run did not use, reads its statistics, asks it to exit and waits until it has.
import { rm } from 'node:fs/promises';
import { isProcessAlive } from '../process-alive.ts';
import {
  type AdminTarget,
  flush,
  getStats,
  type ProxyStats,
  type PruneResult,
  prune,
  shutdown,
  waitForExit,
} from './admin-client.ts';
import { readReadyFile, readyFilePath } from './start-proxy.ts';

export type StopProxyResult = {
  stats: ProxyStats;
  pruned?: PruneResult;
  pruneMs?: number;
  /** False when the process had to be sent SIGTERM/SIGKILL after the shutdown request. */
  exitedCleanly: boolean;
};

export type StopProxyOptions = {
  target: AdminTarget & { pid: number };
  prune: boolean;
  exitTimeoutMs?: number;
  /** The caller flushed just before (and nothing has asked the proxy for anything since). */
  flushed?: boolean;
};

export async function stopProxy(options: StopProxyOptions): Promise<StopProxyResult> {
  const { target } = options;
  const exitTimeoutMs = options.exitTimeoutMs ?? 30_000;
  let pruned: PruneResult | undefined;
  let pruneMs: number | undefined;
  let stats: ProxyStats;
  try {
    if (!options.flushed) await flush(target);
    if (options.prune) {
      const started = Date.now();
      pruned = await prune(target);
      pruneMs = Date.now() - started;
    }
    stats = await getStats(target);
    await shutdown(target);
  } catch (err) {
    // Whatever failed, the daemon must not outlive the job.
    await terminate(target.pid, exitTimeoutMs);
    throw err;
  }
  const exitedCleanly = await waitForExit(target.pid, exitTimeoutMs);
  if (!exitedCleanly) await terminate(target.pid, exitTimeoutMs);
  return { stats, pruned, pruneMs, exitedCleanly };
}

async function terminate(pid: number, timeoutMs: number): Promise<void> {
  if (!isProcessAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  if (await waitForExit(pid, timeoutMs)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
  await waitForExit(pid, 5_000);
}

/** Stops the daemon whose ready file is in stateDir, then removes the ready file (it holds the token). */
export async function stopProxyInStateDir(
  stateDir: string,
  options: { prune: boolean; exitTimeoutMs?: number },
): Promise<StopProxyResult> {
  const file = readyFilePath(stateDir);
  const ready = await readReadyFile(file);
  if (!ready) {
    throw new Error(
      `no running proxy is recorded in ${stateDir} (${file} is missing or incomplete); pass the --state-dir that 'start' was given`,
    );
  }
  try {
    return await stopProxy({ target: ready, ...options });
  } finally {
    await rm(file, { force: true });
  }
}
