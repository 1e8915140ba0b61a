// Benchmark, run by hand (not by CI):
//   node bench/engine-post-fill.ts [--seconds 5] [--rounds 3] [--concurrency 32] [--cpu-prof DIR]
// Cached `.zip` throughput of the proxy that just filled the store (as in a CI job: the daemon
// that fetched the modules serves them) beside a proxy started afresh on the same store, in
// alternating rounds with the same request sequence: whatever state the fill leaves behind
// (heap, compiled code, thread pool, malloc arenas) shows as the ratio filled / fresh. Prints
// req/s, p99, CPU per answer and RSS of both. `--cpu-prof DIR` runs both with --cpu-prof and
// keeps the profiles in DIR (the filled one's includes its fill).
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
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
  type ServeProcess,
  startServe,
  storeZips,
  writeTargets,
} from './engine-graph.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '32' },
    'cpu-prof': { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const concurrency = String(Number(values.concurrency));
if (!(seconds >= 1 && seconds <= 60)) throw new Error('--seconds: give 1 to 60');
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10) throw new Error('--rounds: give 1 to 10');

async function main(): Promise<void> {
  await buildDist();
  const graph = await prepareGraph();
  const root = await mkdtemp(join(tmpdir(), 'gpa-bench-post-fill-'));
  const store = join(root, 'store');
  const loadgen = await buildLoadgen(root);
  const profDir = values['cpu-prof'] ? resolve(values['cpu-prof']) : null;
  const base = {
    store,
    upstream: `file://${graph.downloadDir}`,
    gosumdb: 'off',
    goSum: graph.goSum,
  };
  const prof = (name: string) => (profDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profDir, name)}`] : []);
  const servers: Array<{ name: string; proxy: ServeProcess }> = [];
  try {
    const filled = await startServe({ ...base, workDir: join(root, 'filled'), nodeFlags: prof('filled') });
    servers.push({ name: 'filled', proxy: filled });
    const ms = await fillStore(filled, graph, root);
    const fresh = await startServe({ ...base, workDir: join(root, 'fresh'), nodeFlags: prof('fresh') });
    servers.push({ name: 'fresh', proxy: fresh });
    const pathsFile = join(root, 'zips.txt');
    const zips = await storeZips(store);
    await writeTargets(pathsFile, zips);
    console.log(`store filled in ${fmt(ms, 0)} ms: ${zips.length} zips`);
    for (const { name, proxy } of servers) {
      const m = await memoryOf(proxy.pid);
      console.log(
        `${name} (pid ${proxy.pid}) before warm-up: RSS ${fmt(m.rssMiB)} MiB, peak ${fmt(m.hwmMiB)} MiB`,
      );
      await runLoadgen(loadgen, 'each', proxy.url, pathsFile, ['-c', concurrency]);
    }
    // BENCH_NODE_FLAGS=--heapsnapshot-signal=SIGUSR2 BENCH_HEAP_SNAPSHOTS=DIR: a heap snapshot of each after the warm-up.
    const snapshots = process.env.BENCH_HEAP_SNAPSHOTS;
    if (snapshots) {
      const { readdir, copyFile, mkdir } = await import('node:fs/promises');
      await mkdir(snapshots, { recursive: true });
      for (const { name, proxy } of servers) {
        process.kill(proxy.pid, 'SIGUSR2');
        const dir = join(root, name);
        for (;;) {
          await new Promise((r) => setTimeout(r, 2000));
          const f = (await readdir(dir)).find((x) => x.endsWith('.heapsnapshot'));
          if (!f) continue;
          const size = (await readFile(join(dir, f))).length;
          await new Promise((r) => setTimeout(r, 2000));
          if ((await readFile(join(dir, f))).length !== size) continue;
          await copyFile(join(dir, f), join(snapshots, `${name}.heapsnapshot`));
          break;
        }
      }
    }
    const results = new Map<string, LoadResult[]>(servers.map((s) => [s.name, []]));
    const cpu = new Map<string, number[]>(servers.map((s) => [s.name, []]));
    const windows = new Map<string, Window[]>(servers.map((s) => [s.name, []]));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? [...servers].reverse() : servers;
      for (const { name, proxy } of order) {
        const before = await cpuSecondsOf(proxy.pid);
        const from = process.hrtime.bigint() / 1000n;
        const out = process.env.BENCH_SERVE_STDOUT_DIR
          ? join(process.env.BENCH_SERVE_STDOUT_DIR, `${proxy.pid}.out`)
          : null;
        const gcBefore = out ? (await readFile(out, 'utf8')).length : 0;
        const r = await runLoadgen(loadgen, 'load', proxy.url, pathsFile, [
          '-c',
          concurrency,
          '-duration',
          `${seconds}s`,
          '-seed',
          String(round + 1),
        ]);
        const us = (((await cpuSecondsOf(proxy.pid)) - before) / r.requests) * 1e6;
        windows
          .get(name)!
          .push({ from: Number(from), to: Number(process.hrtime.bigint() / 1000n), answers: r.requests });
        results.get(name)!.push(r);
        cpu.get(name)!.push(us);
        if (out) {
          // --trace-gc lines of this round: count and pause time by kind.
          const lines = (await readFile(out, 'utf8')).slice(gcBefore).split('\n');
          const kinds = new Map<string, [number, number]>();
          for (const line of lines) {
            const m = /ms: ([A-Za-z-]+)[^,]*,.*?([\d.]+) \/ [\d.]+ ms/.exec(line);
            if (!m) continue;
            const k = kinds.get(m[1]!) ?? [0, 0];
            k[0]++;
            k[1] += Number(m[2]);
            kinds.set(m[1]!, k);
          }
          console.log(`  gc: ${[...kinds].map(([k, [n, ms]]) => `${k} ${n}x ${fmt(ms, 0)} ms`).join(', ')}`);
        }
        console.log(
          `round ${round + 1} ${name.padEnd(6)}: ${fmt(r.rps, 0)} req/s, p50 ${fmt(r.p50Ms, 2)} ms, p99 ${fmt(r.p99Ms, 2)} ms, CPU ${fmt(us, 0)} us/req`,
        );
      }
    }
    const summary = new Map<string, { rps: number; p99: number }>();
    for (const { name, proxy } of servers) {
      const list = results.get(name)!;
      const s = { rps: median(list.map((r) => r.rps)), p99: median(list.map((r) => r.p99Ms)) };
      summary.set(name, s);
      const m = await memoryOf(proxy.pid);
      console.log(
        `${name.padEnd(6)} median ${fmt(s.rps, 0)} req/s, p99 ${fmt(s.p99, 2)} ms, CPU ${fmt(median(cpu.get(name)!), 0)} us/req, RSS ${fmt(m.rssMiB)} MiB, peak ${fmt(m.hwmMiB)} MiB`,
      );
    }
    const a = summary.get('filled')!;
    const b = summary.get('fresh')!;
    console.log(`filled / fresh: req/s ${fmt(a.rps / b.rps, 2)}, p99 ${fmt(a.p99 / b.p99, 2)}`);
    for (const { proxy } of servers) await proxy.stop();
    if (profDir) {
      const selfs = new Map<string, Map<string, number>>();
      for (const { name } of servers)
        selfs.set(name, await summarizeWindows(name, join(profDir, name), windows.get(name)!));
      const f = selfs.get('filled')!;
      const g = selfs.get('fresh')!;
      const area = (k: string) =>
        k.includes('dist/')
          ? 'our code'
          : /node:internal\/streams|node:net|stream_base/.test(k)
            ? 'node streams/net'
            : /node:_http|node:http/.test(k)
              ? 'node http'
              : k.startsWith('(garbage')
                ? 'GC'
                : /node:/.test(k)
                  ? 'node other'
                  : 'native/syscalls';
      const areas = new Map<string, [number, number]>();
      for (const [m, i] of [
        [f, 0],
        [g, 1],
      ] as const)
        for (const [k, us] of m) {
          const a = areas.get(area(k)) ?? [0, 0];
          a[i] += us;
          areas.set(area(k), a);
        }
      console.log('\nby area, us/answer: filled fresh diff');
      for (const [a, [x, y]] of areas)
        console.log(
          `  ${a.padEnd(20)} ${fmt(x, 1).padStart(7)} ${fmt(y, 1).padStart(7)} ${fmt(x - y, 1).padStart(7)}`,
        );
      const diff = [...new Set([...f.keys(), ...g.keys()])]
        .map((k) => [k, (f.get(k) ?? 0) - (g.get(k) ?? 0)] as const)
        .sort((a, b) => b[1] - a[1]);
      console.log('largest differences, us/answer (filled - fresh):');
      for (const [k, d] of diff.slice(0, 25))
        console.log(
          `  ${fmt(d, 2).padStart(7)}  ${fmt(f.get(k) ?? 0, 2).padStart(7)} ${fmt(g.get(k) ?? 0, 2).padStart(7)}  ${k}`,
        );
    }
  } finally {
    for (const { proxy } of servers) await proxy.stop();
    await removeTree(root);
  }
  if (profDir) console.log(`profiles kept in ${profDir}`);
}

type Window = { from: number; to: number; answers: number };
type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
type CpuProfile = { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] };

/** Self time per answer (us) by function, only in the load rounds' windows (V8's clock is CLOCK_MONOTONIC, as hrtime). */
async function summarizeWindows(name: string, dir: string, list: Window[]): Promise<Map<string, number>> {
  const { readdir } = await import('node:fs/promises');
  const file = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return new Map();
  const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const answers = list.reduce((s, w) => s + w.answers, 0);
  const self = new Map<string, number>();
  let t = profile.startTime;
  let total = 0;
  for (const [i, id] of profile.samples.entries()) {
    t += profile.timeDeltas[i] ?? 0;
    if (!list.some((w) => t >= w.from && t <= w.to)) continue;
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(dist|node:)/, '$1')}:${lineNumber + 1}`;
    const us = profile.timeDeltas[i + 1] ?? 0;
    self.set(key, (self.get(key) ?? 0) + us);
    total += us;
  }
  console.log(
    `\n${name}: sampled busy ${fmt(total / answers, 1)} us/answer over ${answers} answers; top self time:`,
  );
  for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 12))
    console.log(`  ${fmt(us / answers, 2).padStart(7)} us  ${k}`);
  return new Map([...self].map(([k, us]) => [k, us / answers]));
}

await main();
