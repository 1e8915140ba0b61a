// Real peer module proxies for tests and benchmarks: Athens (gomods/athens) and goproxy/goproxy,
// built from the pinned sources in shared/anchors (build.sh caches the binaries per machine; this
// helper runs the script at most once per process and kind), each started on 127.0.0.1 with disk
// storage in a temp dir and a given upstream, with an explicit environment (never the machine's
// go settings). stop() ends the process and removes its directories, even after a failed test.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { access, mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { escapePath, escapeVersion } from '../../src/gomod/module-path.ts';
import { projectRoot } from './gitlab-ci-local.ts';
import { makeTempDir, sharedGoCache } from './go-env.ts';
import { listeningPort } from './listening-port.ts';

const execFileAsync = promisify(execFile);

export type AnchorKind = 'athens' | 'goproxy';

export type AnchorProxyOptions = {
  /** The GOPROXY list the peer fetches from (a fixture proxy's URL, or the machine's proxy). */
  upstream: string;
  /** GOSUMDB for the peer's own go command / fetches; default 'off' (fixture modules). */
  gosumdb?: string;
  gonosumdb?: string;
  goprivate?: string;
  /** Athens: concurrent `go mod download` workers (default 8). goproxy: max concurrent direct fetches. */
  workers?: number;
  /** Extra environment for the peer process. */
  extraEnv?: Record<string, string>;
};

export type AnchorProxy = {
  kind: AnchorKind;
  /** Base URL, e.g. http://127.0.0.1:41234 (a GOPROXY entry). */
  url: string;
  /** The disk storage root. */
  storageDir: string;
  /** The peer's process id (benchmarks sample its CPU). */
  pid: number;
  /** Files in the storage, relative to its root, sorted. */
  storedFiles(): Promise<string[]>;
  /** True when the peer's disk storage holds this blob of module@version. */
  holds(module: string, version: string, kind: 'info' | 'mod' | 'zip'): Promise<boolean>;
  /** Everything the process wrote to stdout and stderr so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
};

/** The pinned-source build script: $GOPROXY_ACTION_ANCHORS_BUILD, else shared/anchors beside an ancestor. */
export function anchorsBuildScript(): string {
  const explicit = process.env.GOPROXY_ACTION_ANCHORS_BUILD;
  if (explicit) return explicit;
  for (let dir = projectRoot; ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'anchors', 'build.sh');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(
    'cannot find shared/anchors/build.sh above the project; set GOPROXY_ACTION_ANCHORS_BUILD to its path',
  );
}

const builds = new Map<AnchorKind, Promise<string>>();

/** The peer's binary, built once per process (the script itself caches per machine). */
export function anchorBinary(kind: AnchorKind): Promise<string> {
  let build = builds.get(kind);
  if (!build) {
    build = execFileAsync('bash', [anchorsBuildScript(), kind], {
      maxBuffer: 16 << 20,
      // The first build on a fresh machine takes minutes (Athens); later calls print the path at once.
      timeout: 15 * 60_000,
    }).then(({ stdout }) => {
      const path = stdout.trim().split('\n').at(-1) ?? '';
      if (!path) throw new Error(`build.sh ${kind} printed no binary path`);
      return path;
    });
    builds.set(kind, build);
    build.catch(() => builds.delete(kind));
  }
  return build;
}

/** The go command settings every peer's own go use gets (no user config, a shared build cache). */
function goSettings(options: AnchorProxyOptions, home: string): Record<string, string> {
  return {
    GOENV: 'off',
    GOPROXY: options.upstream,
    GOSUMDB: options.gosumdb ?? 'off',
    GONOSUMDB: options.gonosumdb ?? '',
    GOPRIVATE: options.goprivate ?? '',
    GONOPROXY: '',
    GOFLAGS: '-modcacherw',
    GOTOOLCHAIN: 'local',
    GOCACHE: sharedGoCache,
    GOMODCACHE: join(home, 'gomodcache'),
    GIT_TERMINAL_PROMPT: '0',
  };
}

function commandFor(
  kind: AnchorKind,
  port: number,
  dirs: { root: string; storage: string; home: string },
  options: AnchorProxyOptions,
): { args: string[]; env: Record<string, string> } {
  const base = { PATH: process.env.PATH ?? '/usr/local/go/bin:/usr/bin:/bin', HOME: dirs.home };
  const go = goSettings(options, dirs.home);
  if (kind === 'athens') {
    // Athens runs `go mod download` itself with PATH/HOME from its own environment plus this
    // "; "-separated list (config.EnvList), which wins over the GOPATH/GOCACHE it sets.
    const goBinaryEnv = Object.entries(go)
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
    return {
      args: [],
      env: {
        ...base,
        ATHENS_STORAGE_TYPE: 'disk',
        ATHENS_DISK_STORAGE_ROOT: dirs.storage,
        ATHENS_PORT: `127.0.0.1:${port}`,
        ATHENS_GOGET_WORKERS: String(options.workers ?? 8),
        ATHENS_GOGET_DIR: join(dirs.root, 'goget'),
        ATHENS_GO_BINARY_ENV_VARS: goBinaryEnv,
        // Never forward sumdb requests anywhere from a test (no pattern is exempt from it).
        ATHENS_GONOSUM_PATTERNS: options.gonosumdb ?? '',
        ATHENS_NETWORK_MODE: 'strict',
        ATHENS_DOWNLOAD_MODE: 'sync',
        ATHENS_LOG_LEVEL: 'info',
        ATHENS_SHUTDOWN_TIMEOUT: '1',
        ATHENS_HOME_TEMPLATE_PATH: join(dirs.root, 'no-home-template.html'),
        ATHENS_ROBOTS_FILE: join(dirs.root, 'no-robots.txt'),
        ...options.extraEnv,
      },
    };
  }
  const args = [
    'server',
    '--address',
    `127.0.0.1:${port}`,
    '--cacher-dir',
    dirs.storage,
    '--temp-dir',
    join(dirs.root, 'tmp'),
    '--shutdown-timeout',
    '1s',
  ];
  if (options.workers) args.push('--max-concurrent-direct-fetches', String(options.workers));
  return { args, env: { ...base, ...go, ...options.extraEnv } };
}

async function waitForHttp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `the peer proxy exited before it answered (${child.exitCode ?? child.signalCode}):\n${log()}`,
      );
    }
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`the peer proxy at ${url} did not answer within 60 s:\n${log()}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out.push(relative(root, path));
    }
  }
  await walk(root);
  return out.sort();
}

/** Where each peer's disk storage keeps a blob (Athens: <module>/<version>/{go.mod,source.zip,<v>.info}). */
function blobPath(kind: AnchorKind, module: string, version: string, blob: 'info' | 'mod' | 'zip'): string {
  if (kind === 'athens') {
    const name = blob === 'mod' ? 'go.mod' : blob === 'zip' ? 'source.zip' : `${version}.info`;
    return join(module, version, name);
  }
  return join(escapePath(module), '@v', `${escapeVersion(version)}.${blob}`);
}

/** Starts a real peer proxy with disk storage against `options.upstream`. */
export async function startAnchorProxy(kind: AnchorKind, options: AnchorProxyOptions): Promise<AnchorProxy> {
  const binary = await anchorBinary(kind);
  const root = makeTempDir(`anchor-${kind}`);
  const dirs = { root, storage: join(root, 'storage'), home: join(root, 'home') };
  for (const dir of [dirs.storage, dirs.home, join(root, 'goget'), join(root, 'tmp')])
    await mkdir(dir, { recursive: true });
  // The peer binds port 0 and its port is read from /proc: no free-port-then-spawn race.
  const { args, env } = commandFor(kind, 0, dirs, options);
  const child = spawn(binary, args, { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > 1 << 20) output = output.slice(-(1 << 19));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stopChild = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };
  let url: string;
  try {
    const port = await listeningPort(child.pid ?? 0, {
      hasExited: () => child.exitCode !== null || child.signalCode !== null,
      log: () => output,
    });
    url = `http://127.0.0.1:${port}`;
    await waitForHttp(url, child, () => output);
  } catch (error) {
    // A failed start never leaves the peer running.
    await stopChild();
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return {
    kind,
    url,
    storageDir: dirs.storage,
    pid: child.pid ?? 0,
    storedFiles: () => listFiles(dirs.storage),
    async holds(module, version, blob) {
      try {
        await access(join(dirs.storage, blobPath(kind, module, version, blob)));
        return true;
      } catch {
        return false;
      }
    },
    log: () => output,
    async stop() {
      await stopChild();
      await rm(root, { recursive: true, force: true });
    },
  };
}
