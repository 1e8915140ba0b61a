// Benchmark, run by hand (not by CI):
//   node bench/engine-throughput.ts [--seconds 10] [--rounds 3] [--concurrency 32]
// Cached `.zip` requests per second and latency at concurrency 32 on loopback: the zips of
// the warm graph (engine-graph.ts) requested uniformly at random by the same load generator
// (bench/loadgen), for the same duration and the same request sequence, against our warm
// proxy and the baselines serving the same modules, in rotating rounds. Prints req/s, p50,
// p99 of each and the ratios ours / baseline (target >= 1.0 against Athens).
//
// The baseline is Athens (disk storage), installed with `go install` through the machine's
// GOPROXY into a bench-local GOBIN and warmed by requesting every zip once. When the module
// proxy refuses Athens (it does on some machines: the output says so), two Go servers over the
// same store stand in (bench/loadgen serve): `-copy`, which serves a hit the way Athens's zip
// handler does, without Athens's routing, logging and storage layers (so Athens itself would
// be slower than it), and the plain file server with sendfile, the ceiling for any Go proxy
// serving from disk.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { goEnv, machineGoEnv, runGo } from '../test/support/go-env.ts';
import {
  buildDist,
  buildLoadgen,
  fillStore,
  fmt,
  type LoadResult,
  median,
  memoryOf,
  prepareGraph,
  removeTree,
  runLoadgen,
  startServe,
  storeZips,
  waitForFile,
  writeTargets,
} from './engine-graph.ts';

const athensVersion = process.env.BENCH_ATHENS_VERSION ?? 'v0.16.1';
const athensPackage = 'github.com/gomods/athens/cmd/proxy';
/** Installed once and kept: `go install` of Athens takes minutes. */
const athensGobin = join(tmpdir(), 'goproxy-action-bench-athens', athensVersion, 'bin');

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '32' },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency);
if (!(seconds >= 1 && seconds <= 60)) throw new Error('--seconds: give 1 to 60');
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10) throw new Error('--rounds: give 1 to 10');
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)
  throw new Error('--concurrency: give 1 to 256');

type Baseline = { name: string; url: string; pid: number; stop: () => Promise<void> };

async function main(): Promise<void> {
  await buildDist();
  const graph = await prepareGraph();
  const root = await mkdtemp(join(tmpdir(), 'gpa-bench-throughput-'));
  const store = join(root, 'store');
  const loadgen = await buildLoadgen(root);
  // Filled from the prep module cache: no network; the blobs are verified against go.sum as usual.
  const proxy = await startServe({
    store,
    upstream: `file://${graph.downloadDir}`,
    gosumdb: 'off',
    goSum: graph.goSum,
    workDir: join(root, 'proxy'),
  });
  const baselines: Baseline[] = [];
  try {
    const coldMs = await fillStore(proxy, graph, root);
    const zips = await storeZips(store);
    const pathsFile = join(root, 'zips.txt');
    await writeTargets(pathsFile, zips);
    const totalMiB = zips.reduce((s, z) => s + z.size, 0) / 1048576;
    console.log(
      `warm graph: ${zips.length} zips, ${fmt(totalMiB)} MiB, mean ${fmt((totalMiB * 1024) / zips.length, 0)} KiB (store filled in ${fmt(coldMs, 0)} ms)`,
    );

    const athens = await startAthens(root, store);
    if (athens) baselines.push(athens);
    else {
      baselines.push(await startFileServer(loadgen, root, store, 'copy'));
      baselines.push(await startFileServer(loadgen, root, store, 'sendfile'));
    }
    const servers: Array<{ name: string; url: string; pid: number }> = [
      { name: 'ours', url: proxy.url, pid: proxy.pid },
      ...baselines,
    ];
    // Warm all: every zip once (Athens fetches and stores each; the others already have them).
    for (const server of servers) {
      const warm = await runLoadgen(loadgen, 'each', server.url, pathsFile, ['-c', String(concurrency)]);
      console.log(`warm-up ${server.name}: ${warm.requests} zips once in ${fmt(warm.seconds, 2)} s`);
    }

    const results = new Map<string, LoadResult[]>(servers.map((s) => [s.name, []]));
    const loadFlags = ['-c', String(concurrency), '-duration', `${seconds}s`];
    for (let round = 0; round < rounds; round++) {
      // Rotate the order so drift on a shared machine hits every server alike.
      const order = servers.map((_, i) => servers[(i + round) % servers.length]!);
      for (const server of order) {
        // Same seed per round: every server gets the very same sequence of requests.
        const r = await runLoadgen(loadgen, 'load', server.url, pathsFile, [
          ...loadFlags,
          '-seed',
          String(round + 1),
        ]);
        results.get(server.name)!.push(r);
        console.log(
          `round ${round + 1} ${server.name}: ${fmt(r.rps, 0)} req/s, ${fmt(r.mibPerSec, 0)} MiB/s, p50 ${fmt(r.p50Ms, 2)} ms, p99 ${fmt(r.p99Ms, 2)} ms, max ${fmt(r.maxMs, 1)} ms (${r.requests} requests)`,
        );
      }
    }
    const stats = await proxy.stats();
    console.log('');
    console.log(
      `cached .zip, concurrency ${concurrency}, ${seconds} s x ${rounds} rounds each, ${zips.length} zips uniformly, medians:`,
    );
    const summaries = new Map<string, { rps: number; p50: number; p99: number }>();
    for (const server of servers) {
      const list = results.get(server.name)!;
      const s = {
        rps: median(list.map((r) => r.rps)),
        mib: median(list.map((r) => r.mibPerSec)),
        p50: median(list.map((r) => r.p50Ms)),
        p99: median(list.map((r) => r.p99Ms)),
      };
      summaries.set(server.name, s);
      const mem = await memoryOf(server.pid);
      console.log(
        `  ${server.name.padEnd(24)} ${fmt(s.rps, 0).padStart(5)} req/s, ${fmt(s.mib, 0)} MiB/s, p50 ${fmt(s.p50, 2)} ms, p99 ${fmt(s.p99, 2)} ms, peak RSS ${fmt(mem.hwmMiB)} MiB`,
      );
    }
    const ours = summaries.get('ours')!;
    for (const [i, baseline] of baselines.entries()) {
      const b = summaries.get(baseline.name)!;
      const target = i === 0 ? ' (target >= 1.0; 1.5 wanted)' : ' (a ceiling, not the target)';
      console.log(
        `  ours / ${baseline.name}: req/s ${fmt(ours.rps / b.rps, 2)}${target}, p99 ${fmt(ours.p99 / b.p99, 2)} (lower is better)`,
      );
    }
    console.log(
      `  our statistics: zip requests ${stats.byKind.zip!.requests}, hits ${stats.byKind.zip!.hits}, upstream fetches ${stats.totals.upstreamFetches} (all from the fill)`,
    );
  } finally {
    await proxy.stop();
    for (const baseline of baselines) await baseline.stop();
    await removeTree(root);
  }
}

/** Installs (once) and starts Athens with disk storage; null when it cannot be installed. */
async function startAthens(root: string, store: string): Promise<Baseline | null> {
  const binary = join(athensGobin, 'proxy');
  await mkdir(athensGobin, { recursive: true });
  const install = await runGo(
    ['install', `${athensPackage}@${athensVersion}`],
    root,
    goEnv({
      goproxy: await machineGoEnv('GOPROXY'),
      gosumdb: await machineGoEnv('GOSUMDB'),
      gomodcache: join(root, 'athens-build-modcache'),
      extra: { GOBIN: athensGobin },
    }),
  );
  await removeTree(join(root, 'athens-build-modcache'));
  if (install.code !== 0) {
    // The upstream's URL stays out of our output: it names the machine's registry.
    const why = install.stderr
      .trim()
      .split('\n')
      .slice(0, 2)
      .map((l) => l.replace(/https?:\/\/[^/\s]+/g, '<GOPROXY>'))
      .join('\n  ');
    console.log(
      `Athens: go install ${athensPackage}@${athensVersion} failed, so the baselines are Go servers over the same store:\n  ${why}`,
    );
    return null;
  }
  const port = await freePort();
  const disk = join(root, 'athens-storage');
  await mkdir(disk, { recursive: true });
  const home = join(root, 'athens-home');
  await mkdir(home, { recursive: true });
  const child = spawn(binary, [], {
    cwd: home,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      GOENV: 'off',
      GOTOOLCHAIN: 'local',
      GOFLAGS: '-modcacherw',
      GOPATH: join(home, 'go'),
      GO_ENV: 'production',
      ATHENS_LOG_LEVEL: 'error',
      ATHENS_PORT: `127.0.0.1:${port}`,
      ATHENS_STORAGE_TYPE: 'disk',
      ATHENS_DISK_STORAGE_ROOT: disk,
      // Athens fills its storage with the go command; ours is its upstream (file://, no network).
      ATHENS_GO_BINARY_ENV_VARS: `GOPROXY=file://${store};GOSUMDB=off;GOFLAGS=-modcacherw`,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, 30_000, child);
  console.log(`baseline: Athens ${athensVersion} (disk storage) at ${url}`);
  return { name: `athens ${athensVersion}`, url, pid: child.pid!, stop: () => stopChild(child) };
}

async function startFileServer(
  loadgen: string,
  root: string,
  store: string,
  mode: 'copy' | 'sendfile',
): Promise<Baseline> {
  const ready = join(root, `fileserver-${mode}-ready`);
  const args = ['serve', '-root', store, '-ready', ready, ...(mode === 'copy' ? ['-copy'] : [])];
  const child = spawn(loadgen, args, {
    env: { PATH: process.env.PATH ?? '', HOME: root },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = (await waitForFile(ready, 10_000, child)).trim();
  const name = mode === 'copy' ? 'go-copy (athens stand-in)' : 'go-sendfile (ceiling)';
  console.log(
    mode === 'copy'
      ? `baseline: ${name} at ${url}: a Go server serving a hit as Athens's zip handler does (io.Copy into a wrapped writer, chunked), without Athens's other work`
      : `reference: ${name} at ${url}: a plain Go disk file server (sendfile), the most any Go proxy serving from disk gets`,
  );
  return { name, url, pid: child.pid!, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${url}: the server exited`);
    const ok = await fetch(url)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    if (performance.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

await main();
