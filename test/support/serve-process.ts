// Runs `goproxy-action serve` as a real process (optionally wrapped: a mount namespace, another
// user), waits for its ready file, and reads its statistics through the admin endpoint.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { makeTempDir } from './go-env.ts';

export const cliEntry = join(import.meta.dirname, '..', '..', 'src', 'cli.ts');

export type ServeReady = { url: string; pid: number; adminUrl: string; token: string; goproxy: string };

export type ServeProcess = {
  child: ChildProcess;
  ready: ServeReady;
  log(): string;
  /** Resolves to the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  stats(): Promise<ServeStats>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | string>;
};

export type ServeStats = {
  totals: { requests: number; notStored: number; errors: number; unverified: number };
  modules: { path: string; notStored: number }[];
  store: { addedFiles: number };
};

export function serveEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = makeTempDir('home');
  chmodSync(home, 0o777);
  return {
    PATH: process.env.PATH,
    HOME: home,
    GOENV: 'off',
    GOTOOLCHAIN: 'local',
    GOSUMDB: 'off',
    GOPRIVATE: '',
    GONOPROXY: '',
    GONOSUMDB: '',
    ...extra,
  };
}

export type ServeProcessOptions = {
  /** The CLI to run: src/cli.ts by default, or a built bundle. */
  entry?: string;
  /** Node options before the entry (e.g. `-r preload.cjs`). */
  nodeArgs?: string[];
  /** The whole environment; serveEnv() by default. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where serve writes its ready file; a fresh directory's by default. */
  readyFile?: string;
};

/** `wrap`: a command prefix (e.g. unshare ... sh -c '...; exec "$@"' sh, or setpriv ...). */
export async function startServeProcess(
  args: string[],
  wrap: string[] = [],
  options: ServeProcessOptions = {},
): Promise<ServeProcess> {
  let readyFile = options.readyFile;
  if (readyFile === undefined) {
    const readyDir = makeTempDir('ready');
    chmodSync(readyDir, 0o777); // the proxy may run as another user
    readyFile = join(readyDir, 'ready.json');
  }
  const node = [process.execPath, ...(options.nodeArgs ?? []), options.entry ?? cliEntry];
  const argv = [...wrap, ...node, 'serve', '--ready-file', readyFile, ...args];
  const child = spawn(argv[0]!, argv.slice(1), {
    env: options.env ?? serveEnv(),
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? String(signal))),
  );
  for (let i = 0; i < 400 && !existsSync(readyFile); i++) {
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  // The file appears before its content: read until it parses.
  let ready: ServeReady | null = null;
  for (let i = 0; i < 400 && ready === null && child.exitCode === null; i++) {
    try {
      ready = JSON.parse(await readFile(readyFile, 'utf8')) as ServeReady;
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  if (ready === null) child.kill('SIGKILL');
  assert.ok(ready, `serve did not become ready: ${output}`);
  return {
    child,
    ready,
    log: () => output,
    exited,
    async stats() {
      const res = await request(`${ready.adminUrl}/stats`, {
        headers: { authorization: `Bearer ${ready.token}` },
      });
      return (await res.body.json()) as ServeStats;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
