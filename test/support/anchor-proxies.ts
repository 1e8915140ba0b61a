// Starts the real peer module proxies, Athens and goproxy/goproxy, built from the pinned
// sources beside the project (../shared/anchors/build.sh, which caches the build per machine),
// with disk storage, on 127.0.0.1, against a given upstream. Used by tests and benchmarks
// that compare with, or warm, the real thing.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { sharedGoCache } from './go-env.ts';

const run = promisify(execFile);
const buildScript = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'anchors', 'build.sh');

export type AnchorKind = 'athens' | 'goproxy';

export type AnchorProxy = {
  kind: AnchorKind;
  binary: string;
  url: string;
  pid: number;
  /** Where the peer keeps what it fetched. */
  storageDir: string;
  stop: () => Promise<void>;
};

export type AnchorOptions = {
  /** GOPROXY the peer fetches from (its go command's, for both peers). */
  upstream: string;
  /** A fresh directory for the peer's storage and scratch. */
  workDir: string;
  /** GOSUMDB for the peer's go command; default off (fixture modules are not in a database). */
  gosumdb?: string;
  /** GONOSUMDB / GOPRIVATE patterns for the peer's go command. */
  gonosumdb?: string;
};

const built = new Map<AnchorKind, Promise<string>>();

/** The peer's binary path, building it once per machine (Athens takes minutes when cold). */
export function anchorBinary(kind: AnchorKind): Promise<string> {
  let binary = built.get(kind);
  if (!binary) {
    binary = run('bash', [buildScript, kind], { maxBuffer: 16 << 20, timeout: 20 * 60_000 }).then(
      ({ stdout }) => stdout.trim().split('\n').at(-1)!,
      (err: { stderr?: string; message: string }) => {
        built.delete(kind);
        throw new Error(
          `building ${kind} with ${buildScript} failed: ${err.stderr?.slice(-2000) ?? err.message}`,
        );
      },
    );
    built.set(kind, binary);
  }
  return binary;
}

export async function startAnchorProxy(kind: AnchorKind, options: AnchorOptions): Promise<AnchorProxy> {
  const binary = await anchorBinary(kind);
  const home = join(options.workDir, 'home');
  const storageDir = join(options.workDir, 'storage');
  await mkdir(home, { recursive: true });
  await mkdir(storageDir, { recursive: true });
  const port = await freePort();
  // The peers run the go command themselves: it gets an explicit environment too.
  const goVars: Record<string, string> = {
    GOPROXY: options.upstream,
    GOSUMDB: options.gosumdb ?? 'off',
    GONOSUMDB: options.gonosumdb ?? '',
    GOPRIVATE: '',
    GONOPROXY: '',
    GOFLAGS: '-modcacherw',
    GOTOOLCHAIN: 'local',
  };
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/go/bin:/usr/bin:/bin',
    HOME: home,
    GOENV: 'off',
    GOPATH: join(home, 'go'),
    GOMODCACHE: join(home, 'go', 'pkg', 'mod'),
    GOCACHE: sharedGoCache,
    ...goVars,
  };
  let child: ChildProcess;
  if (kind === 'athens') {
    child = spawn(binary, [], {
      cwd: home,
      env: {
        ...base,
        GO_ENV: 'production',
        ATHENS_LOG_LEVEL: 'error',
        ATHENS_PORT: `127.0.0.1:${port}`,
        ATHENS_STORAGE_TYPE: 'disk',
        ATHENS_DISK_STORAGE_ROOT: storageDir,
        ATHENS_GOGET_DIR: join(options.workDir, 'goget'),
        ATHENS_GOGET_WORKERS: '8',
        // Athens's list of variables for its go command is "; "-separated.
        ATHENS_GO_BINARY_ENV_VARS: Object.entries(goVars)
          .map(([k, v]) => `${k}=${v}`)
          .join('; '),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
      // Its own process group: stop() ends the go commands Athens started too.
      detached: true,
    });
    await mkdir(join(options.workDir, 'goget'), { recursive: true });
  } else {
    child = spawn(
      binary,
      ['server', '--address', `127.0.0.1:${port}`, '--cacher-dir', storageDir, '--temp-dir', home],
      { cwd: home, env: base, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
    );
  }
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is gone
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) signalGroup('SIGTERM');
    const timer = setTimeout(() => signalGroup('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    // The go commands it started may outlive it: end the rest of the group.
    signalGroup('SIGKILL');
  };
  try {
    // Both answer a path no module has with a 4xx once they serve; a refused connection means not yet.
    await waitForHttp(`${url}/`, 30_000, child);
  } catch (err) {
    await stop();
    throw new Error(`${kind} did not start: ${(err as Error).message}\n${stderr}`);
  }
  return { kind, binary, url, pid: child.pid!, storageDir, stop };
}

async function freePort(): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode})`);
    const answered = await fetch(url).then(
      () => true,
      () => false,
    );
    if (answered) return;
    if (performance.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
