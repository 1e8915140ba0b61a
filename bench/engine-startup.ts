// Benchmark, run by hand (not by CI):  node bench/engine-startup.ts [--runs 10] [--no-rss]
// 1. Start-up to ready: spawn `node dist/cli.js serve ... --ready-file F` on a warm store and
//    time until F appears and the URL answers (start to first 200); median of several runs
//    (target: <= 1.5 x the bare server below). Spawn to ready file alone is printed beside it,
//    and serve with NODE_DISABLE_COMPILE_CACHE=1 (a first start on a machine: src/cli.ts keeps
//    V8's compiled code of the bundle in the user cache dir, which the unmeasured start fills).
//    Baseline in the same run, measured the same way: a bare Node HTTP server that writes a
//    ready file (the floor for any Node server on this machine), and `go env -json ...` (the
//    serve command runs it once to read the machine's private patterns). Also serve with GOSUMDB
//    naming the default checksum database (most jobs; the other lines have it off).
// 2. Peak RSS of the proxy process while serving the warm graph (engine-graph.ts): two
//    `go mod download all` into fresh module caches, every zip once at concurrency 32, then
//    5 s of uniform zip load; VmHWM from /proc/<pid>/status. Baseline in the same run: the
//    bare Node HTTP server above, idle after one request (target: peak <= 1.5 x its VmHWM).
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { defaultSumdbName } from '../src/sumdb/known-sumdb.ts';
import {
  buildDist,
  buildLoadgen,
  daemonNodeFlags,
  daemonServeEnv,
  fillStore,
  fmt,
  median,
  memoryOf,
  prepareGraph,
  removeTree,
  runLoadgen,
  type ServeOptions,
  serveArgs,
  serveEnv,
  startServe,
  storeZips,
  timedDownloadAll,
  waitForFile,
  writeTargets,
} from './engine-graph.ts';

const run = promisify(execFile);

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, 'no-rss': { type: 'boolean', default: false } },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error('--runs: give 1 to 50');

/** A bare Node HTTP server with a ready file: what any Node server pays before its own work. */
const floorServer = `
const { createServer } = require('node:http');
const { writeFileSync } = require('node:fs');
const server = createServer((req, res) => res.end('ok'));
server.listen(0, '127.0.0.1', () => {
  const url = 'http://127.0.0.1:' + server.address().port;
  writeFileSync(process.argv[1], JSON.stringify({ url, pid: process.pid }) + '\\n', { mode: 0o600 });
});
process.on('SIGTERM', () => process.exit(0));
`;

/** Spawn to ready file alone (without the first answer), of the last timeToReady calls. */
let readyOnly: number[] = [];
/** CPU time of the process's main thread when its ready file appeared, of the last calls. */
let mainThreadCpu: number[] = [];

/**
 * On-CPU milliseconds of pid's main thread (Linux schedstat), or NaN. Unlike wall time it
 * hardly moves with the machine's load (other engineers' jobs), so it shows what start-up costs.
 */
async function mainThreadCpuMs(pid: number): Promise<number> {
  try {
    return Number((await readFile(`/proc/${pid}/task/${pid}/schedstat`, 'utf8')).split(' ')[0]) / 1e6;
  } catch {
    return Number.NaN;
  }
}

/** Spawns argv, waits for its ready file and a 200 from its URL; returns ms and stops it. */
async function timeToReady(argv: string[], readyFile: string, env: Record<string, string>, cwd: string) {
  await rm(readyFile, { force: true });
  const started = performance.now();
  const child = spawn(process.execPath, argv, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    const ready = await waitForFile(readyFile, 10_000, child).catch((err: Error) => {
      throw new Error(`${err.message}\nstderr:\n${stderr}`);
    });
    const readyMs = performance.now() - started;
    const cpuMs = await mainThreadCpuMs(child.pid!);
    const { url } = JSON.parse(ready) as { url: string };
    const res = await fetch(`${url}/`);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url}/ answered ${res.status}`);
    readyOnly.push(readyMs);
    mainThreadCpu.push(cpuMs);
    return performance.now() - started;
  } finally {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/** VmHWM and VmRSS of the bare Node HTTP server after it answered once, then idled a moment. */
async function idleNodeMemory(readyFile: string, env: Record<string, string>, cwd: string) {
  await rm(readyFile, { force: true });
  const child = spawn(process.execPath, ['-e', floorServer, readyFile], { cwd, env, stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    const { url } = JSON.parse(await waitForFile(readyFile, 10_000, child)) as { url: string };
    await (await fetch(`${url}/`)).arrayBuffer();
    await new Promise((r) => setTimeout(r, 500));
    return await memoryOf(child.pid!);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function main(): Promise<void> {
  await buildDist();
  const graph = await prepareGraph();
  const root = await mkdtemp(join(tmpdir(), 'gpa-bench-startup-'));
  const options: ServeOptions = {
    store: join(root, 'store'),
    upstream: `file://${graph.downloadDir}`,
    gosumdb: 'off',
    goSum: graph.goSum,
    workDir: join(root, 'proxy'),
  };
  try {
    // A warm store first (filled from the prep module cache, no network).
    const filler = await startServe(options);
    await fillStore(filler, graph, root);
    await filler.stop();

    const env = serveEnv(options.workDir);
    // As the action starts it: its node flags, the go settings it read passed on.
    const daemonEnv = await daemonServeEnv(options.workDir);
    const ours: number[] = [];
    const oursGoEnv: number[] = [];
    // GOSUMDB naming the default database (as in most jobs), not off as above: its key is known.
    const oursSumdb: number[] = [];
    const oursSumdbCpu: number[] = [];
    // serve's first start on a machine: no compile cache yet (src/cli.ts keeps one).
    const oursNoCache: number[] = [];
    const oursNoCacheCpu: number[] = [];
    const floor: number[] = [];
    const goEnvMs: number[] = [];
    const readyFile = join(root, 'ready.json');
    const daemonArgs = () => [...daemonNodeFlags, ...serveArgs(options, readyFile)];
    // One unmeasured start of each, so both measure a warm page cache.
    await timeToReady(daemonArgs(), readyFile, daemonEnv, options.workDir);
    await timeToReady(['-e', floorServer, readyFile], readyFile, env, options.workDir);
    const oursReady: number[] = [];
    const floorReady: number[] = [];
    const oursCpu: number[] = [];
    const floorCpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      readyOnly = [];
      mainThreadCpu = [];
      ours.push(await timeToReady(daemonArgs(), readyFile, daemonEnv, options.workDir));
      oursReady.push(...readyOnly);
      oursCpu.push(...mainThreadCpu);
      mainThreadCpu = [];
      oursNoCache.push(
        await timeToReady(
          daemonArgs(),
          readyFile,
          { ...daemonEnv, NODE_DISABLE_COMPILE_CACHE: '1' },
          options.workDir,
        ),
      );
      oursNoCacheCpu.push(...mainThreadCpu);
      mainThreadCpu = [];
      oursSumdb.push(
        await timeToReady(
          [...daemonNodeFlags, ...serveArgs({ ...options, gosumdb: defaultSumdbName }, readyFile)],
          readyFile,
          daemonEnv,
          options.workDir,
        ),
      );
      oursSumdbCpu.push(...mainThreadCpu);
      // serve run by hand: no settings given, so it runs `go env` itself.
      oursGoEnv.push(await timeToReady(serveArgs(options, readyFile), readyFile, env, options.workDir));
      readyOnly = [];
      mainThreadCpu = [];
      floor.push(await timeToReady(['-e', floorServer, readyFile], readyFile, env, options.workDir));
      floorReady.push(...readyOnly);
      floorCpu.push(...mainThreadCpu);
      const t = performance.now();
      await run('go', ['env', '-json', 'GOPROXY', 'GOSUMDB', 'GOPRIVATE', 'GONOPROXY', 'GONOSUMDB'], { env });
      goEnvMs.push(performance.now() - t);
    }
    console.log(`start-up to ready (spawn -> ready file -> URL answers), ${runs} runs each:`);
    console.log(
      `  goproxy-action serve (warm store): median ${fmt(median(ours), 1)} ms  [${ours.map((v) => fmt(v, 0)).join(', ')}]  (as the action starts it: go settings passed, daemon node flags)`,
    );
    console.log(
      `  serve without compile cache:       median ${fmt(median(oursNoCache), 1)} ms  [${oursNoCache.map((v) => fmt(v, 0)).join(', ')}]  (a first start on the machine; main-thread CPU at ready ${fmt(median(oursNoCacheCpu), 1)} ms)`,
    );
    console.log(
      `  serve, GOSUMDB the default database: median ${fmt(median(oursSumdb), 1)} ms  [${oursSumdb.map((v) => fmt(v, 0)).join(', ')}]  (main-thread CPU at ready ${fmt(median(oursSumdbCpu), 1)} ms; ratio ${fmt(median(oursSumdb) / median(floor), 2)})`,
    );
    console.log(
      `  serve running go env itself:       median ${fmt(median(oursGoEnv), 1)} ms  [${oursGoEnv.map((v) => fmt(v, 0)).join(', ')}]`,
    );
    console.log(
      `  bare Node HTTP server (floor):     median ${fmt(median(floor), 1)} ms  [${floor.map((v) => fmt(v, 0)).join(', ')}]`,
    );
    console.log(`  go env -json (run once by serve):  median ${fmt(median(goEnvMs), 1)} ms`);
    // serve parses go.sum after its ready file: the first answer may wait for that parse.
    console.log(
      `  spawn -> ready file alone: serve median ${fmt(median(oursReady), 1)} ms, floor ${fmt(median(floorReady), 1)} ms, ratio ${fmt(median(oursReady) / median(floorReady), 2)}`,
    );
    console.log(
      `  main-thread CPU at the ready file: serve median ${fmt(median(oursCpu), 1)} ms, floor ${fmt(median(floorCpu), 1)} ms, ratio ${fmt(median(oursCpu) / median(floorCpu), 2)} (load-robust)`,
    );
    console.log(
      `  ratio serve / floor: ${fmt(median(ours) / median(floor), 2)}; (target <= 1.5); serve median ${fmt(median(ours), 1)} ms; without compile cache: ${fmt(median(oursNoCache) / median(floor), 2)}; running go env itself: ${fmt(median(oursGoEnv) / median(floor), 2)}`,
    );

    if (values['no-rss']) return;
    // The memory floor: an idle bare Node HTTP server (after one answer), same run.
    const idleNode = await idleNodeMemory(readyFile, env, options.workDir);

    // Peak RSS while serving the warm graph.
    const loadgen = await buildLoadgen(root);
    const zips = await storeZips(options.store);
    const pathsFile = join(root, 'zips.txt');
    await writeTargets(pathsFile, zips);
    const proxy = await startServe(options);
    try {
      const idle = await memoryOf(proxy.pid);
      for (let i = 0; i < 2; i++) {
        const modcache = join(root, `rss-modcache-${i}`);
        await timedDownloadAll(graph.program, proxy.url, modcache);
        await removeTree(modcache);
      }
      const afterDownloads = await memoryOf(proxy.pid);
      await runLoadgen(loadgen, 'each', proxy.url, pathsFile, ['-c', '32']);
      const load = await runLoadgen(loadgen, 'load', proxy.url, pathsFile, ['-c', '32', '-duration', '5s']);
      const peak = await memoryOf(proxy.pid);
      const stats = await proxy.stats();
      if (stats.totals.upstreamFetches !== 0) {
        throw new Error(`the warm proxy fetched from upstream ${stats.totals.upstreamFetches} times`);
      }
      const zipMiB = zips.reduce((s, z) => s + z.size, 0) / 1048576;
      console.log('');
      console.log(`peak RSS of the proxy serving the warm graph (${zips.length} zips, ${fmt(zipMiB)} MiB):`);
      console.log(`  idle after start:                         VmHWM ${fmt(idle.hwmMiB)} MiB`);
      console.log(`  after 2x go mod download all:             VmHWM ${fmt(afterDownloads.hwmMiB)} MiB`);
      console.log(
        `  after every zip once + 5 s load at c=32:  VmHWM ${fmt(peak.hwmMiB)} MiB, VmRSS ${fmt(peak.rssMiB)} MiB (${load.requests} requests, ${fmt(load.rps, 0)} req/s)`,
      );
      console.log(
        `  idle bare Node HTTP server (floor):       VmHWM ${fmt(idleNode.hwmMiB)} MiB, VmRSS ${fmt(idleNode.rssMiB)} MiB`,
      );
      console.log(
        `  ratio peak / idle bare Node: ${fmt(peak.hwmMiB / idleNode.hwmMiB, 2)} (target <= 1.5); ours idle / idle bare Node: ${fmt(idle.hwmMiB / idleNode.hwmMiB, 2)}`,
      );
    } finally {
      await proxy.stop();
    }
  } finally {
    await removeTree(root);
  }
}

await main();
