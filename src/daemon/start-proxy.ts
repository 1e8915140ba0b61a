// Starts `goproxy-action serve` as a detached daemon that outlives the process starting it
// (a GitHub Actions step, a GitLab before_script), and waits until it says it is ready.
import { spawn } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { chmod, lstat, mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export type StartProxyOptions = {
  /** The bundled CLI (dist/cli.js) or src/cli.ts: run with this Node binary. */
  cliPath: string;
  /** Options for `serve`, without --ready-file (added here). */
  args: string[];
  /** The daemon's whole environment: credentials for its direct fetches live only here. */
  env: NodeJS.ProcessEnv;
  /** Where the ready file and the log go; created if missing. */
  stateDir: string;
  timeoutMs: number;
};

export type RunningProxy = {
  url: string;
  /** The URL for GOPROXY (with the client path under --client-token-env); absent from older daemons. */
  goproxy?: string;
  pid: number;
  adminUrl: string;
  token: string;
  logFile: string;
};

const LOG_TAIL_BYTES = 4096;

/**
 * Node flags of the serve daemon. A young generation of at most 1 MiB per semi-space (V8's
 * default grows to 16): a warm proxy's garbage is short-lived per request, and the smaller
 * nursery cut its peak RSS under load by about a tenth at 2 MiB with no measurable cost in
 * requests per second (bench/engine-startup.ts, bench/engine-throughput.ts), and by 1.4 MiB
 * more at 1 (stop 21). V8 reads it only at start-up, hence a flag of the process, not
 * something serve can set for itself.
 *
 * `--no-concurrent-recompilation`: Maglev and TurboFan compile on the main thread instead of
 * V8's worker threads. Each worker thread that compiles gets a glibc malloc arena of its own
 * and keeps the compiler's peak zone memory resident in it (about 7-10 MiB over four threads
 * while serving the warm graph; bench/README.md, stop 21); on the main thread the same zones
 * are malloc'd and freed one compile at a time. The compile work is the same, done while a
 * warm proxy's code tiers up. Both flags are outside V8's flag hash (`v8.cachedDataVersionTag()`
 * is unchanged), so Node's built-in code cache and serve's compile cache still apply: start-up
 * does not pay for them, as it does for `--no-maglev`.
 */
export const serveNodeFlags: readonly string[] = ['--max-semi-space-size=1', '--no-concurrent-recompilation'];

/** The last few KiB of a log file, for an error message; '' if it cannot be read. */
export async function logTail(file: string, bytes = LOG_TAIL_BYTES): Promise<string> {
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const start = Math.max(0, size - bytes);
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      return buffer.toString('utf8').trim();
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}

function isRunningProxy(value: unknown): value is Omit<RunningProxy, 'logFile'> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.url === 'string' &&
    typeof v.pid === 'number' &&
    typeof v.adminUrl === 'string' &&
    typeof v.token === 'string' &&
    (v.goproxy === undefined || typeof v.goproxy === 'string')
  );
}

/** Reads a complete ready file; undefined while it is missing or still being written. */
export async function readReadyFile(file: string): Promise<Omit<RunningProxy, 'logFile'> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return isRunningProxy(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function readyFilePath(stateDir: string): string {
  return join(stateDir, 'proxy-ready.json');
}

export function logFilePath(stateDir: string): string {
  return join(stateDir, 'proxy.log');
}

/**
 * The state directory must be ours alone: whoever else can write it (a shared /tmp/goproxy made
 * by another user first) could put a forged ready file there, which `start` would report as
 * the proxy (GOPROXY pointing at theirs), or a symlink named proxy.log, which the daemon's log
 * would then be appended to. A directory of ours that others may write is tightened to 0700.
 */
async function claimStateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const uid = process.getuid?.();
  if (uid === undefined) return; // Windows: no owner or mode bits to check
  const info = await lstat(dir);
  if (info.isSymbolicLink() || !info.isDirectory() || info.uid !== uid) {
    throw new Error(
      `the state directory ${dir} is ${info.isSymbolicLink() ? 'a symbolic link' : !info.isDirectory() ? 'not a directory' : `owned by another user (uid ${info.uid})`}: whoever controls it could forge the proxy's ready file; give a directory of your own (e.g. from mktemp -d)`,
    );
  }
  if ((info.mode & 0o022) !== 0) await chmod(dir, 0o700);
}

export async function startProxyDetached(options: StartProxyOptions): Promise<RunningProxy> {
  await claimStateDir(options.stateDir);
  const readyFile = readyFilePath(options.stateDir);
  const logFile = logFilePath(options.stateDir);
  // A ready file left by an earlier daemon would make us report a proxy that is not running.
  await rm(readyFile, { force: true });
  let logFd: number;
  try {
    // Never through a symbolic link: the log would be appended to whatever file it names.
    logFd = openSync(
      logFile,
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0),
      0o600,
    );
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOOP') throw err;
    throw new Error(
      `${logFile} is a symbolic link: remove it (the proxy's log is never written through one)`,
    );
  }
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  try {
    // detached + its own stdio (a file, no pipes) + unref: the daemon neither holds our event
    // loop open nor dies with our process group when the step ends.
    const child = spawn(
      process.execPath,
      [...serveNodeFlags, options.cliPath, 'serve', ...options.args, '--ready-file', readyFile],
      {
        detached: true,
        stdio: ['ignore', logFd, logFd],
        env: options.env,
        windowsHide: true,
      },
    );
    child.on('exit', (code, signal) => {
      exit = { code, signal };
    });
    child.on('error', (err) => {
      spawnError = err;
    });
    child.unref();
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const ready = await readReadyFile(readyFile);
      if (ready) return { ...ready, logFile };
      if (spawnError) throw new Error(`could not start the proxy (${spawnError.message})`);
      if (exit) {
        const how = exit.signal ? `was killed by ${exit.signal}` : `exited with status ${exit.code}`;
        throw new Error(
          `the proxy ${how} before it was ready. Its log (${logFile}) ends with:\n${await logTail(logFile)}`,
        );
      }
      if (Date.now() > deadline) {
        if (child.pid !== undefined) {
          try {
            process.kill(child.pid, 'SIGTERM');
          } catch {
            // already gone
          }
        }
        throw new Error(
          `the proxy was not ready after ${options.timeoutMs} ms. Its log (${logFile}) ends with:\n${await logTail(logFile)}`,
        );
      }
      await sleep(25);
    }
  } finally {
    closeSync(logFd);
  }
}
