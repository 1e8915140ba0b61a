// Shared by the engine benchmarks (bench/engine-*.ts, run by hand): the real module graph,
// the proxy started as `node dist/cli.js serve`, the load generator, and small statistics.
//
// REAL NETWORK (once): the graph is resolved through the machine's GOPROXY (`go env GOPROXY`,
// read at run time) into a prep module cache kept under the system temp dir
// (goproxy-action-bench-prep/), so later runs and the other benchmarks reuse it without
// touching the network. Delete that directory to resolve again.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { serveNodeFlags } from '../src/daemon/start-proxy.ts';
import { readGoEnv } from '../src/gomod/read-go-env.ts';
import { GO_SETTING_NAMES } from '../src/policy/job-go-env.ts';
import { passGoSettings } from '../src/policy/passed-go-settings.ts';
import { goEnv, machineGoEnv, runGo, sharedGoCache } from '../test/support/go-env.ts';

const run = promisify(execFile);

/** A large, well-known project whose `go mod download all` gives well over 150 module versions. */
export const bigModule = 'github.com/gohugoio/hugo@v0.139.0';
const bigImport = 'github.com/gohugoio/hugo/commands';
export const minGraphModules = 150;

export const repoRoot = resolve(import.meta.dirname, '..');
/** The bundle under test; BENCH_CLI names another (a candidate fix built elsewhere) to compare. */
export const cliPath = process.env.BENCH_CLI
  ? resolve(process.env.BENCH_CLI)
  : join(repoRoot, 'dist', 'cli.js');
const prepRoot = join(tmpdir(), 'goproxy-action-bench-prep');
/** Where the system's CA bundle lives: Node reads it only when told (a TLS-inspecting gateway). */
const systemCaBundle = '/etc/ssl/certs/ca-certificates.crt';

export type Graph = {
  /** The tiny main module (go.mod, go.sum, main.go). */
  program: string;
  goSum: string;
  /** `GOPROXY=file://` of this dir serves the whole graph (the prep module cache's download dir). */
  downloadDir: string;
  /** Module versions `go mod download -json all` lists. */
  moduleVersions: number;
};

/**
 * Resolves the graph through the machine's GOPROXY once; later calls reuse the prep dir.
 * Two benches may prepare at once (engineers share the machine): each prepares in its own
 * staging dir and renames it into place, so the prep dir is only ever seen complete and no
 * preparer deletes another's work; the one that renames second drops its own copy.
 */
export async function prepareGraph(): Promise<Graph> {
  const prepared = await readPrepared();
  if (prepared) return prepared;
  const staging = await mkdtemp(`${prepRoot}.staging-`);
  try {
    await prepareInto(staging);
    if (existsSync(prepRoot) && !(await readPrepared())) {
      // Another module's graph (or a partial one from before the staging dir): set it aside first.
      const old = `${prepRoot}.old-${process.pid}-${Date.now()}`;
      await rename(prepRoot, old).catch(() => undefined);
      await removeTree(old);
    }
    await rename(staging, prepRoot).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
  } finally {
    await removeTree(staging);
  }
  const ready = await readPrepared();
  if (!ready) throw new Error(`${prepRoot} is not a prepared graph of ${bigModule} after preparing it`);
  return ready;
}

/** The prepared graph under prepRoot, or undefined when it is missing or of another module. */
async function readPrepared(): Promise<Graph | undefined> {
  const done = await readFile(join(prepRoot, 'done.json'), 'utf8').catch(() => undefined);
  if (done === undefined) return undefined;
  const saved = JSON.parse(done) as { module: string; moduleVersions: number };
  if (saved.module !== bigModule) return undefined;
  const program = join(prepRoot, 'program');
  return {
    program,
    goSum: join(program, 'go.sum'),
    downloadDir: join(prepRoot, 'modcache', 'cache', 'download'),
    moduleVersions: saved.moduleVersions,
  };
}

/** Resolves the graph into `dir` (program/, modcache/, done.json last). */
async function prepareInto(dir: string): Promise<void> {
  const program = join(dir, 'program');
  await mkdir(program, { recursive: true });
  const env = goEnv({
    goproxy: await machineGoEnv('GOPROXY'),
    gosumdb: await machineGoEnv('GOSUMDB'),
    gomodcache: join(dir, 'modcache'),
  });
  console.log(`preparing (real network, once): a program importing ${bigImport}, ${bigModule}`);
  await writeFile(join(program, 'go.mod'), 'module example.com/bench\n\ngo 1.23\n');
  await writeFile(join(program, 'main.go'), `package main\n\nimport _ "${bigImport}"\n\nfunc main() {}\n`);
  for (const args of [
    ['get', bigModule],
    ['mod', 'tidy'],
    ['mod', 'download', 'all'],
  ]) {
    const r = await runGo(args, program, env);
    if (r.code !== 0) throw new Error(`go ${args.join(' ')} failed:\n${r.stderr}`);
  }
  const moduleVersions = await countDownloadAll(program, { ...env, GOPROXY: 'off' });
  if (moduleVersions < minGraphModules) {
    throw new Error(`${bigModule} gives only ${moduleVersions} module versions; need ${minGraphModules}`);
  }
  await writeFile(join(dir, 'done.json'), JSON.stringify({ module: bigModule, moduleVersions }));
}

/** How many module versions `go mod download -json all` reports (from the module cache). */
async function countDownloadAll(program: string, env: Record<string, string>): Promise<number> {
  const r = await runGo(['mod', 'download', '-json', 'all'], program, env);
  if (r.code !== 0) throw new Error(`go mod download -json all failed:\n${r.stderr}`);
  return (r.stdout.match(/^\t"Path": /gm) ?? []).length;
}

/** The explicit environment of a `go mod download all` client of `goproxy` (fresh module cache). */
export function clientEnv(goproxy: string, gomodcache: string, gosumdb = 'off'): Record<string, string> {
  // go.sum covers every module of the graph, so no checksum-database lookup is needed: off
  // keeps the timed runs off the network (the cold-fill bench passes the machine's).
  return goEnv({ goproxy, gosumdb, gomodcache });
}

/** Runs `go mod download all` into a fresh module cache; returns wall milliseconds. */
export async function timedDownloadAll(
  program: string,
  goproxy: string,
  gomodcache: string,
  gosumdb = 'off',
): Promise<number> {
  const env = clientEnv(goproxy, gomodcache, gosumdb);
  await mkdir(sharedGoCache, { recursive: true });
  const started = performance.now();
  const r = await runGo(['mod', 'download', 'all'], program, env);
  const elapsed = performance.now() - started;
  if (r.code !== 0) throw new Error(`go mod download all through ${goproxy} failed:\n${r.stderr}`);
  return elapsed;
}

/** Removes a module cache (read-only files included). */
export async function removeTree(dir: string): Promise<void> {
  await run('chmod', ['-R', 'u+w', dir]).catch(() => undefined);
  // A peer's go command may still be finishing a write: retry instead of failing the run.
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}

export type ServeProcess = {
  url: string;
  adminUrl: string;
  token: string;
  pid: number;
  child: ChildProcess;
  stats(): Promise<ProxyStatsJson>;
  stop(): Promise<void>;
};

export type Counters = {
  requests: number;
  hits: number;
  misses: number;
  upstreamFetches: number;
  errors: number;
};
export type ProxyStatsJson = {
  totals: Counters;
  byKind: Record<string, Counters & { p50Ms: number; p95Ms: number }>;
  /** Zips prefetched and stored, and how many a client then asked for (absent before stop 22). */
  prefetch?: { zips: number; asked: number };
};

export type ServeOptions = {
  store: string;
  upstream: string;
  goSum: string;
  gosumdb: string;
  workDir: string;
  /** Flags for the node process itself (e.g. --cpu-prof). */
  nodeFlags?: string[];
  /** More serve options (e.g. --hit-worker on). */
  serveFlags?: string[];
  /** Another bundle's cli.js than the one under test (a baseline to compare with). */
  cli?: string;
  /** More environment for the proxy (e.g. MALLOC_ARENA_MAX), over the daemon's. */
  env?: Record<string, string>;
};

/** The argv of `node dist/cli.js serve` with every setting explicit. */
export function serveArgs(o: ServeOptions, readyFile: string): string[] {
  return [
    o.cli ?? cliPath,
    'serve',
    '--listen',
    '127.0.0.1:0',
    '--store',
    o.store,
    '--upstream',
    o.upstream,
    '--gosumdb',
    o.gosumdb,
    '--go-sum',
    o.goSum,
    '--ready-file',
    readyFile,
    ...(o.serveFlags ?? []),
    // e.g. BENCH_SERVE_FLAGS='--hit-worker off': any bench's serve with other options.
    ...(process.env.BENCH_SERVE_FLAGS ?? '').split(' ').filter(Boolean),
  ];
}

/**
 * The proxy's environment as the action starts it: serveEnv plus the go settings read once
 * with `go env` in that environment (GOPROXY_ACTION_GO_SETTINGS), so serve runs no go command.
 */
export async function daemonServeEnv(workDir: string): Promise<Record<string, string>> {
  const env = serveEnv(workDir);
  return { ...env, ...passGoSettings(await readGoEnv(GO_SETTING_NAMES, { env })) };
}

/** The node flags the action's daemon runs with (src/daemon/start-proxy.ts). */
export const daemonNodeFlags: readonly string[] = serveNodeFlags;

/** The proxy's own environment: explicit Go settings (it reads `go env` for private patterns). */
export function serveEnv(workDir: string): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/go/bin:/usr/bin:/bin',
    HOME: workDir,
    GOENV: 'off',
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-modcacherw',
    GOPRIVATE: '',
    GONOPROXY: '',
    GONOSUMDB: '',
  };
  if (existsSync(systemCaBundle)) env.NODE_EXTRA_CA_CERTS = systemCaBundle;
  return env;
}

/** Starts `node dist/cli.js serve` and waits for its ready file (at most 30 s). */
export async function startServe(o: ServeOptions): Promise<ServeProcess> {
  await mkdir(o.workDir, { recursive: true });
  const readyFile = join(o.workDir, `ready-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  // Started as the action's daemon is: its node flags, the go settings passed.
  const child = spawn(
    process.execPath,
    [
      ...daemonNodeFlags,
      ...(o.nodeFlags ?? []),
      // e.g. BENCH_NODE_FLAGS='--max-semi-space-size=16': the proxy's node flags after the daemon's.
      ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean),
      ...serveArgs(o, readyFile),
    ],
    {
      cwd: o.workDir,
      env: { ...(await daemonServeEnv(o.workDir)), ...o.env },
      // BENCH_SERVE_STDOUT_DIR: each proxy's stdout (e.g. --trace-gc) to DIR/<pid>.out.
      stdio: ['ignore', process.env.BENCH_SERVE_STDOUT_DIR ? 'pipe' : 'ignore', 'pipe'],
    },
  );
  if (process.env.BENCH_SERVE_STDOUT_DIR && child.stdout) {
    await mkdir(process.env.BENCH_SERVE_STDOUT_DIR, { recursive: true });
    child.stdout.pipe(createWriteStream(join(process.env.BENCH_SERVE_STDOUT_DIR, `${child.pid}.out`)));
  }
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const ready = await waitForFile(readyFile, 30_000, child).catch((err: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${err.message}\nproxy stderr:\n${stderr}`);
  });
  const info = JSON.parse(ready) as { url: string; adminUrl: string; token: string; pid: number };
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    ...info,
    child,
    async stats() {
      const res = await fetch(`${info.adminUrl}/stats`, {
        headers: { authorization: `Bearer ${info.token}` },
      });
      if (!res.ok) throw new Error(`stats: ${res.status} ${await res.text()}`);
      return (await res.json()) as ProxyStatsJson;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls for a file until it exists and is non-empty; fails if `child` exits first. */
export async function waitForFile(file: string, timeoutMs: number, child?: ChildProcess): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      const text = await readFile(file, 'utf8');
      if (text.trim() !== '') return text;
    } catch {
      // not there yet
    }
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`process exited (${child.exitCode ?? child.signalCode}) before writing ${file}`);
    }
    if (performance.now() > deadline) throw new Error(`no ${file} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Fills a store: `go mod download all` through the proxy (cold); returns wall milliseconds. */
export async function fillStore(proxy: ServeProcess, graph: Graph, scratch: string): Promise<number> {
  const modcache = join(scratch, `fill-modcache-${Date.now()}`);
  try {
    return await timedDownloadAll(graph.program, proxy.url, modcache);
  } finally {
    await removeTree(modcache);
  }
}

export type ZipTarget = { path: string; size: number };

/** Every .zip in a store, as request paths relative to the proxy URL, with sizes. */
export async function storeZips(store: string): Promise<ZipTarget[]> {
  const found: ZipTarget[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      // Our bookkeeping (.goproxy-action/, temp files) and the checksum-database cache are not modules.
      if (entry.name.startsWith('.') || (dir === store && entry.name === 'sumdb')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && entry.name.endsWith('.zip')) {
        found.push({ path: `/${relative(store, full).split(sep).join('/')}`, size: (await stat(full)).size });
      }
    }
  };
  await walk(store);
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

export async function writeTargets(file: string, targets: ZipTarget[]): Promise<void> {
  await writeFile(file, targets.map((t) => `${t.path} ${t.size}\n`).join(''));
}

/** Builds the load generator once per run (standard library only, no go.mod needed). */
export async function buildLoadgen(outDir: string): Promise<string> {
  const binary = join(outDir, 'loadgen');
  const env = goEnv({ goproxy: 'off', gomodcache: join(outDir, 'loadgen-modcache') });
  // No go.mod: the package is its files, named one by one.
  const dir = join(repoRoot, 'bench', 'loadgen');
  const sources = (await readdir(dir)).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'));
  const r = await runGo(['build', '-o', binary, ...sources.map((f) => join(dir, f))], repoRoot, env);
  if (r.code !== 0) throw new Error(`building the load generator failed:\n${r.stderr}`);
  return binary;
}

export type LoadResult = {
  requests: number;
  errors: number;
  firstError?: string;
  bytes: number;
  /** Answers whose body came chunked (no Content-Length), e.g. Athens's. */
  chunked: number;
  seconds: number;
  rps: number;
  mibPerSec: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU seconds the load generator itself used (it shares the machine's cores with the server). */
  cpuSeconds: number;
};

/** Runs the load generator (`load` or `each`) against `base`; throws on request errors. */
export async function runLoadgen(
  binary: string,
  mode: 'load' | 'each',
  base: string,
  pathsFile: string,
  flags: string[] = [],
): Promise<LoadResult> {
  // BENCH_LOADGEN_CLIENT=http: every bench with Go's net/http client instead of the raw one
  // (the generator before stop 22), for comparison; a -client in `flags` (later) wins.
  const client = process.env.BENCH_LOADGEN_CLIENT ? ['-client', process.env.BENCH_LOADGEN_CLIENT] : [];
  const { stdout } = await run(binary, [mode, '-base', base, '-paths', pathsFile, ...client, ...flags], {
    env: { PATH: process.env.PATH ?? '', HOME: tmpdir() },
    maxBuffer: 1 << 20,
    timeout: 15 * 60_000,
  }).catch((err: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(
      `loadgen ${mode} against ${base} failed: ${err.stdout ?? ''}${err.stderr ?? err.message}`,
    );
  });
  const result = JSON.parse(stdout.trim()) as LoadResult;
  if (result.errors > 0) {
    throw new Error(`loadgen ${mode} against ${base}: ${result.errors} errors, first: ${result.firstError}`);
  }
  return result;
}

/** User + system CPU seconds a process has used so far (/proc/<pid>/stat, clock ticks of 1/100 s). */
export async function cpuSecondsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** User + system CPU seconds of a process's reaped children so far (cutime, cstime in /proc/<pid>/stat). */
export async function childCpuSecondsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** Peak and current resident set size of a process, from /proc/<pid>/status, in MiB. */
export async function memoryOf(pid: number): Promise<{ hwmMiB: number; rssMiB: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { hwmMiB: kib('VmHWM') / 1024, rssMiB: kib('VmRSS') / 1024 };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function fmt(value: number, digits = 1): string {
  return value.toFixed(digits);
}

/** Builds dist/ so the benchmark measures the bundle users run (unless BENCH_CLI names one). */
export async function buildDist(): Promise<void> {
  if (process.env.BENCH_CLI) {
    console.log(`bundle under test: ${cliPath} (BENCH_CLI)`);
    return;
  }
  await run(process.execPath, [join(repoRoot, 'scripts', 'build.ts')], { cwd: repoRoot });
}
