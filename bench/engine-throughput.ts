// Benchmark, run by hand (not by CI):
//   node bench/engine-throughput.ts [--seconds 10] [--rounds 3] [--concurrency 32] [--restart]
//     [--client raw|http]
// Cached `.zip` requests per second and latency at concurrency 32 on loopback: the zips of
// the warm graph (engine-graph.ts) requested uniformly at random by the same load generator
// (bench/loadgen), for the same duration and the same request sequence, against our warm
// proxy and the peers serving the same modules, in rotating rounds. Prints req/s, p50, p99,
// peak RSS and server CPU seconds of each, and the ratios ours / peer.
//
// Peers: real Athens and real goproxy/goproxy, built from the pinned sources beside the
// project (../shared/anchors/build.sh, cached per machine), each with disk storage filled by
// requesting every zip once from `file://` of our store; a bare Node file server with our
// read-and-write loop and no proxy logic (bench/node-file-server.ts: the floor for any Node
// server); the same bare server with two JS threads on the port (worker_threads, SO_REUSEPORT:
// what a second thread buys any Node server here, the lever issue 9 leaves); and a plain Go
// file server with sendfile (the ceiling for any server on disk).
// The load generator's client is `raw` by default (bodies discarded in the kernel, so it takes
// little of the 2 cores from the server under test); `--client http` is Go's net/http client,
// the generator before stop 22, for comparison.
// Targets (issue 9): >= 1.2 x Athens and >= 0.95 x the bare Node server, p99 <= Athens's.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, readlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { anchorBinary, startAnchorProxy } from '../test/support/anchor-proxies.ts';
import {
  buildDist,
  buildLoadgen,
  cpuSecondsOf,
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

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '32' },
    // Serve the rounds from a proxy started afresh on the filled store (as a warm job's daemon
    // starts on a restored store), not from the process that filled it.
    restart: { type: 'boolean', default: false },
    client: { type: 'string', default: 'raw' },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency);
if (!(seconds >= 1 && seconds <= 60)) throw new Error('--seconds: give 1 to 60');
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10) throw new Error('--rounds: give 1 to 10');
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)
  throw new Error('--concurrency: give 1 to 256');
if (values.client !== 'raw' && values.client !== 'http') throw new Error('--client: raw or http');
const clientFlags = ['-client', values.client];

type Baseline = { name: string; url: string; pid: number; stop: () => Promise<void> };

async function main(): Promise<void> {
  await buildDist();
  const graph = await prepareGraph();
  const root = await mkdtemp(join(tmpdir(), 'gpa-bench-throughput-'));
  const store = join(root, 'store');
  const loadgen = await buildLoadgen(root);
  // Filled from the prep module cache: no network; the blobs are verified against go.sum as usual.
  const serveOptions = {
    store,
    upstream: `file://${graph.downloadDir}`,
    gosumdb: 'off',
    goSum: graph.goSum,
    workDir: join(root, 'proxy'),
  };
  let proxy = await startServe(serveOptions);
  const baselines: Baseline[] = [];
  try {
    const coldMs = await fillStore(proxy, graph, root);
    if (values.restart) {
      await proxy.stop();
      proxy = await startServe(serveOptions);
      console.log('ours: restarted on the filled store (--restart)');
    }
    const zips = await storeZips(store);
    const pathsFile = join(root, 'zips.txt');
    await writeTargets(pathsFile, zips);
    const totalMiB = zips.reduce((s, z) => s + z.size, 0) / 1048576;
    console.log(
      `warm graph: ${zips.length} zips, ${fmt(totalMiB)} MiB, mean ${fmt((totalMiB * 1024) / zips.length, 0)} KiB (store filled in ${fmt(coldMs, 0)} ms)`,
    );

    for (const kind of ['athens', 'goproxy'] as const) {
      const peer = await startAnchorProxy(kind, { upstream: `file://${store}` });
      const binary = await anchorBinary(kind);
      baselines.push({
        name: kind,
        url: peer.url,
        pid: await pidOf(binary, dirname(peer.storageDir)),
        stop: peer.stop,
      });
      console.log(`peer: ${kind} (${binary}) at ${peer.url}, disk storage, upstream file:// of our store`);
    }
    baselines.push(await startNodeFileServer(root, store, 1));
    baselines.push(await startNodeFileServer(root, store, 2));
    baselines.push(await startFileServer(loadgen, root, store));
    const servers: Array<{ name: string; url: string; pid: number }> = [
      { name: 'ours', url: proxy.url, pid: proxy.pid },
      ...baselines,
    ];
    // Warm all: every zip once (Athens and goproxy fetch and store each; the others have them).
    // A peer filling itself on a loaded machine may time a request out: a pass that fails is
    // repeated (what it fetched stays stored) until every zip answers in one pass.
    for (const server of servers) {
      for (let pass = 1; ; pass++) {
        try {
          const warm = await runLoadgen(loadgen, 'each', server.url, pathsFile, [
            '-c',
            String(concurrency),
            ...clientFlags,
          ]);
          console.log(
            `warm-up ${server.name}: ${warm.requests} zips once in ${fmt(warm.seconds, 2)} s, ${warm.bytes} bytes (${warm.chunked} answers chunked), every length as stored`,
          );
          break;
        } catch (err) {
          if (pass >= 4) throw err;
          console.log(
            `warm-up ${server.name}: pass ${pass} had a failure, again (${(err as Error).message.slice(0, 160)})`,
          );
        }
      }
    }

    const results = new Map<string, LoadResult[]>(servers.map((s) => [s.name, []]));
    const cpuSeconds = new Map<string, number[]>(servers.map((s) => [s.name, []]));
    const loadgenCpu = new Map<string, number[]>(servers.map((s) => [s.name, []]));
    const loadFlags = ['-c', String(concurrency), '-duration', `${seconds}s`, ...clientFlags];
    for (let round = 0; round < rounds; round++) {
      // Rotate the order so drift on a shared machine hits every server alike.
      const order = servers.map((_, i) => servers[(i + round) % servers.length]!);
      for (const server of order) {
        // Same seed per round: every server gets the very same sequence of requests.
        const cpuBefore = await cpuSecondsOf(server.pid);
        const r = await runLoadgen(loadgen, 'load', server.url, pathsFile, [
          ...loadFlags,
          '-seed',
          String(round + 1),
        ]);
        const serverCpu = (await cpuSecondsOf(server.pid)) - cpuBefore;
        cpuSeconds.get(server.name)!.push(serverCpu);
        loadgenCpu.get(server.name)!.push(r.cpuSeconds);
        results.get(server.name)!.push(r);
        // CPU per answer, server and load generator: both share the 2 cores.
        const perAnswer = (s: number) => fmt((s / r.requests) * 1e6, 0);
        console.log(
          `round ${round + 1} ${server.name}: ${fmt(r.rps, 0)} req/s, ${fmt(r.mibPerSec, 0)} MiB/s, p50 ${fmt(r.p50Ms, 2)} ms, p99 ${fmt(r.p99Ms, 2)} ms, max ${fmt(r.maxMs, 1)} ms (${r.requests} requests); CPU s server ${fmt(serverCpu, 2)} (${perAnswer(serverCpu)} us/req), loadgen ${fmt(r.cpuSeconds, 2)} (${perAnswer(r.cpuSeconds)} us/req)`,
        );
      }
    }
    const stats = await proxy.stats();
    console.log('');
    console.log(
      `cached .zip, concurrency ${concurrency}, ${seconds} s x ${rounds} rounds each, ${zips.length} zips uniformly, loadgen client ${values.client}, medians:`,
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
      const cpu = median(cpuSeconds.get(server.name)!);
      const lgCpu = median(loadgenCpu.get(server.name)!);
      console.log(
        `  ${server.name.padEnd(24)} ${fmt(s.rps, 0).padStart(5)} req/s, ${fmt(s.mib, 0)} MiB/s, p50 ${fmt(s.p50, 2)} ms, p99 ${fmt(s.p99, 2)} ms, peak RSS ${fmt(mem.hwmMiB)} MiB, CPU ${fmt(cpu, 2)} s per round (loadgen ${fmt(lgCpu, 2)} s)`,
      );
    }
    const ours = summaries.get('ours')!;
    const targets: Record<string, string> = {
      athens: ' (target >= 1.2, p99 <= 1.0)',
      'node-file-server': ' (target >= 0.95)',
    };
    for (const baseline of baselines) {
      const b = summaries.get(baseline.name)!;
      console.log(
        `  ours / ${baseline.name}: req/s ${fmt(ours.rps / b.rps, 2)}, p99 ${fmt(ours.p99 / b.p99, 2)}${targets[baseline.name] ?? ''}`,
      );
    }
    // What a second JS thread buys at the floor, and where it would put us against Athens.
    const one = summaries.get('node-file-server')!;
    const two = summaries.get('node-file-server-2t')!;
    const athens = summaries.get('athens')!;
    console.log(
      `  node-file-server-2t / node-file-server: req/s ${fmt(two.rps / one.rps, 2)}, p99 ${fmt(two.p99 / one.p99, 2)}; node-file-server-2t / athens: req/s ${fmt(two.rps / athens.rps, 2)}`,
    );
    console.log(
      `  our statistics: zip requests ${stats.byKind.zip!.requests}, hits ${stats.byKind.zip!.hits}, upstream fetches ${stats.totals.upstreamFetches} (${values.restart ? 'restarted after the fill: none expected' : 'all from the fill'})`,
    );
  } catch (err) {
    console.error(`benchmark failed: ${(err as Error).stack ?? err}`);
    process.exitCode = 1;
  } finally {
    await proxy.stop();
    for (const baseline of baselines) await baseline.stop();
    await removeTree(root);
  }
}

async function startFileServer(loadgen: string, root: string, store: string): Promise<Baseline> {
  const ready = join(root, 'fileserver-sendfile-ready');
  const child = spawn(loadgen, ['serve', '-root', store, '-ready', ready], {
    env: { PATH: process.env.PATH ?? '', HOME: root },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = (await waitForFile(ready, 10_000, child)).trim();
  console.log(`reference: go-sendfile at ${url}: a plain Go disk file server (sendfile), the ceiling`);
  return { name: 'go-sendfile', url, pid: child.pid!, stop: () => stopChild(child) };
}

/** The floor for any Node server: our read-and-write loop, no proxy logic (on 1 or more threads). */
async function startNodeFileServer(root: string, store: string, threads: number): Promise<Baseline> {
  const name = threads === 1 ? 'node-file-server' : `node-file-server-${threads}t`;
  const ready = join(root, `${name}-ready`);
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, 'node-file-server.ts'), store, ready, String(threads)],
    { env: { PATH: process.env.PATH ?? '', HOME: root }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = (await waitForFile(ready, 10_000, child)).trim();
  console.log(
    `reference: ${name} at ${url}: bare Node, the same send loop, no proxy logic${threads > 1 ? `, ${threads} JS threads on the port (SO_REUSEPORT)` : ''}`,
  );
  return { name, url, pid: child.pid!, stop: () => stopChild(child) };
}

/** The peer's process: it runs `binary` in its own directory (the helper reports no pid). */
async function pidOf(binary: string, cwd: string): Promise<number> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if ((await readlink(`/proc/${entry}/cwd`)) !== cwd) continue;
      const argv0 = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0')[0];
      if (argv0 === binary) return Number(entry);
    } catch {
      // gone, or not ours to read
    }
  }
  throw new Error(`cannot find the process of ${binary} running in ${cwd}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

await main();
