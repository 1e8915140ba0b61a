// Benchmark, run by hand (not by CI):
//   node bench/engine-profile.ts [--seconds 10] [--concurrency 32]
//   node bench/engine-profile.ts --bare [--seconds 10] [--concurrency 32]
//   node bench/engine-profile.ts --cold [--upstream local|machine]
// Where a warm proxy's time goes while serving cached .zip files: fills a store from the
// graph's prep module cache (no network), restarts `serve` on it with --cpu-prof, runs the
// load generator (uniform over the zips, as engine-throughput.ts does), stops the proxy and
// prints the functions with the most self time, grouped by where they live (our code, Node's
// http/net/fs internals, the garbage collector, idle), from the .cpuprofile V8 wrote. The
// profile file is kept for a flame graph (open it in Chrome DevTools or speedscope).
// `--bare` profiles the bare Node file server (bench/node-file-server.ts: the same send loop, no
// proxy logic) the same way right after, and prints both side by side in microseconds per
// answer by area (file reads, socket writes, Node's internals, our code, GC): what the proxy
// does that the bare server does not, counting only the timed load (samples and process CPU),
// not start-up or warm-up. Samples are wall time on the main thread; a descheduled
// thread's time lands in whatever ran (mostly the syscalls), so the process CPU per answer
// (/proc) is printed beside them.
// `--cold` profiles a cold fill instead: `go mod download all` into a fresh module cache
// through a proxy on an EMPTY store (as bench/engine-cold-fill.ts times it), upstream the prep
// module cache as file:// (`--upstream local`, default: the proxy's own cost, no network) or
// the machine's GOPROXY (`--upstream machine`, REAL NETWORK); it prints the proxy's CPU seconds.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { machineGoEnv } from '../test/support/go-env.ts';
import {
  buildDist,
  buildLoadgen,
  cpuSecondsOf,
  fillStore,
  fmt,
  prepareGraph,
  runLoadgen,
  startServe,
  storeZips,
  timedDownloadAll,
  waitForFile,
  writeTargets,
} from './engine-graph.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '32' },
    cold: { type: 'boolean', default: false },
    bare: { type: 'boolean', default: false },
    upstream: { type: 'string', default: 'local' },
  },
});
if (values.upstream !== 'machine' && values.upstream !== 'local')
  throw new Error('--upstream: machine or local');
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
if (!(seconds >= 1 && seconds <= 60)) throw new Error('--seconds: give 1 to 60');

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
};
type CpuProfile = { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] };

async function readProfile(profDir: string): Promise<{ file: string; profile: CpuProfile }> {
  const file = join(profDir, (await readdir(profDir)).find((f) => f.endsWith('.cpuprofile'))!);
  return { file, profile: JSON.parse(await readFile(file, 'utf8')) as CpuProfile };
}

async function coldFill(): Promise<void> {
  await buildDist();
  const graph = await prepareGraph();
  const root = await mkdtemp(join(tmpdir(), 'gpa-bench-profile-'));
  const upstream =
    values.upstream === 'local' ? pathToFileURL(graph.downloadDir).href : await machineGoEnv('GOPROXY');
  const gosumdb = await machineGoEnv('GOSUMDB');
  const profDir = join(root, 'profile');
  const proxy = await startServe({
    store: join(root, 'store'),
    upstream,
    gosumdb,
    goSum: graph.goSum,
    workDir: join(root, 'serve'),
    nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profDir}`],
  });
  let cpu: number;
  let ms: number;
  try {
    ms = await timedDownloadAll(graph.program, proxy.url, join(root, 'modcache'), gosumdb);
    cpu = await cpuSecondsOf(proxy.pid);
  } finally {
    await proxy.stop();
  }
  console.log(
    `cold fill of ${graph.moduleVersions} module versions from ${values.upstream}: ${fmt(ms, 0)} ms, proxy CPU ${fmt(cpu, 2)} s`,
  );
  const { file, profile } = await readProfile(profDir);
  summarize(profile);
  console.log(`\nprofile kept: ${file}`);
}

async function main(): Promise<void> {
  await buildDist();
  const graph = await prepareGraph();
  const root = await mkdtemp(join(tmpdir(), 'gpa-bench-profile-'));
  const store = join(root, 'store');
  const loadgen = await buildLoadgen(root);
  const base = { store, upstream: `file://${graph.downloadDir}`, gosumdb: 'off', goSum: graph.goSum };
  const filler = await startServe({ ...base, workDir: join(root, 'fill') });
  await fillStore(filler, graph, root);
  await filler.stop();
  const pathsFile = join(root, 'zips.txt');
  await writeTargets(pathsFile, await storeZips(store));
  const profDir = join(root, 'profile');
  const proxy = await startServe({
    ...base,
    upstream: 'off',
    workDir: join(root, 'serve'),
    nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profDir}`],
  });
  const ours = await profileLoad('ours', proxy.url, proxy.pid, loadgen, pathsFile);
  await proxy.stop();
  const { file, profile } = await readProfile(profDir);
  summarize(profile);
  console.log(`\nprofile kept: ${file}`);
  if (!values.bare) return;
  const bareProfDir = join(root, 'profile-bare');
  const ready = join(root, 'bare-ready');
  const bare = spawn(
    process.execPath,
    [
      '--cpu-prof',
      `--cpu-prof-dir=${bareProfDir}`,
      join(import.meta.dirname, 'node-file-server.ts'),
      store,
      ready,
      '1',
    ],
    { env: { PATH: process.env.PATH ?? '', HOME: root }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = new Promise<void>((r) => bare.once('exit', () => r()));
  const url = (await waitForFile(ready, 10_000, bare)).trim();
  const bareLoad = await profileLoad('bare', url, bare.pid!, loadgen, pathsFile);
  bare.kill('SIGTERM');
  await exited;
  const bareProfile = await readProfile(bareProfDir);
  console.log(`profile kept: ${bareProfile.file}`);
  comparePerAnswer(
    { ...ours, areas: areasOf(profile, ours) },
    { ...bareLoad, areas: areasOf(bareProfile.profile, bareLoad) },
  );
}

/** The timed load only: its answers, the process CPU in it, and when it ran (us, CLOCK_MONOTONIC). */
type LoadProfile = { answers: number; cpuSeconds: number; from: number; to: number };

/**
 * Every zip once (warm-up), then the timed load. Only the load counts: ours' warm-up takes the
 * full path (each zip's first request) and its profile holds its start-up, the bare server's not.
 */
async function profileLoad(
  name: string,
  url: string,
  pid: number,
  loadgen: string,
  pathsFile: string,
): Promise<LoadProfile> {
  await runLoadgen(loadgen, 'each', url, pathsFile, ['-c', String(concurrency)]);
  const cpuBefore = await cpuSecondsOf(pid);
  const from = Number(process.hrtime.bigint() / 1000n);
  const r = await runLoadgen(loadgen, 'load', url, pathsFile, [
    '-c',
    String(concurrency),
    '-duration',
    `${seconds}s`,
    '-seed',
    '1',
  ]);
  const to = Number(process.hrtime.bigint() / 1000n);
  const cpuSeconds = (await cpuSecondsOf(pid)) - cpuBefore;
  console.log(
    `load ${name}: ${fmt(r.rps, 0)} req/s, p50 ${fmt(r.p50Ms, 2)} ms, p99 ${fmt(r.p99Ms, 2)} ms; loadgen CPU ${fmt(r.cpuSeconds, 2)} s`,
  );
  return { answers: r.requests, cpuSeconds, from, to };
}

/**
 * Self time by area, in microseconds, of the samples taken in the load's window (V8's sample
 * clock is CLOCK_MONOTONIC, as process.hrtime): where a warm server's answer goes.
 */
function areasOf(profile: CpuProfile, load: LoadProfile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const areas = new Map<string, number>();
  let t = profile.startTime;
  for (const [i, id] of profile.samples.entries()) {
    t += profile.timeDeltas[i] ?? 0;
    if (t < load.from || t > load.to) continue;
    const { functionName, url } = byId.get(id)!.callFrame;
    let area: string;
    if (url === '') {
      if (functionName === 'read') area = 'syscall: file read (readSync)';
      else if (/^write(Buffer|v|Latin1String|Utf8String)$/.test(functionName))
        area = 'syscall: socket write (writeBuffer, writev)';
      else if (functionName.startsWith('(')) area = functionName;
      else area = 'other native (fstat, open, ...)';
    } else if (url.startsWith('node:')) {
      const mod = url.replace(/^node:(internal\/)?/, '');
      area = /^_http|^http/.test(mod)
        ? 'node: http (parser, request, response)'
        : /^streams|^stream_base|^net/.test(mod)
          ? 'node: net and streams'
          : 'node: events, timers, ticks, promises, rest';
    } else area = 'our code (routing, cache, send loop, stats)';
    if (area === '(idle)' || area === '(root)') continue;
    areas.set(area, (areas.get(area) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  return areas;
}

function comparePerAnswer(
  ours: LoadProfile & { areas: Map<string, number> },
  bare: LoadProfile & { areas: Map<string, number> },
): void {
  const per = (us: number, answers: number) => us / answers;
  const names = [...new Set([...ours.areas.keys(), ...bare.areas.keys()])].sort(
    (a, b) => (ours.areas.get(b) ?? 0) - (ours.areas.get(a) ?? 0),
  );
  console.log(
    `\nper answer in the load (not the warm-up), microseconds (samples: main-thread wall time while busy; ${ours.answers} answers ours, ${bare.answers} bare):`,
  );
  console.log(
    `  ${'area'.padEnd(48)} ${'ours'.padStart(8)} ${'bare'.padStart(8)} ${'ours-bare'.padStart(10)}`,
  );
  let sumOurs = 0;
  let sumBare = 0;
  for (const name of names) {
    const o = per(ours.areas.get(name) ?? 0, ours.answers);
    const b = per(bare.areas.get(name) ?? 0, bare.answers);
    sumOurs += o;
    sumBare += b;
    console.log(
      `  ${name.padEnd(48)} ${fmt(o).padStart(8)} ${fmt(b).padStart(8)} ${fmt(o - b).padStart(10)}`,
    );
  }
  console.log(
    `  ${'sampled busy'.padEnd(48)} ${fmt(sumOurs).padStart(8)} ${fmt(sumBare).padStart(8)} ${fmt(sumOurs - sumBare).padStart(10)}`,
  );
  const cpuOurs = (ours.cpuSeconds * 1e6) / ours.answers;
  const cpuBare = (bare.cpuSeconds * 1e6) / bare.answers;
  console.log(
    `  ${'process CPU (/proc, all threads)'.padEnd(48)} ${fmt(cpuOurs).padStart(8)} ${fmt(cpuBare).padStart(8)} ${fmt(cpuOurs - cpuBare).padStart(10)}`,
  );
}

function summarize(profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(dist|node:)/, '$1')}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const area = url.includes('/dist/')
      ? 'our bundle'
      : url.startsWith('node:')
        ? url.replace(/^node:(internal\/)?/, 'node:').split('/')[0]!
        : functionName.startsWith('(')
          ? functionName
          : 'other';
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  }
  const pct = (us: number) => `${fmt((100 * us) / total, 1).padStart(5)} %`;
  console.log(`\nself time by area (${fmt(total / 1e6, 2)} s sampled):`);
  for (const [area, us] of [...byArea].sort((a, b) => b[1] - a[1]).slice(0, 12))
    console.log(`  ${pct(us)}  ${area}`);
  console.log('\ntop functions by self time:');
  for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.log(`  ${pct(us)}  ${name}`);
  // Inclusive time (the function or anything it called) as a share of the busy time, for the
  // functions of our bundle and of node:zlib / node:crypto: where a cold fill's work goes.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const idle = new Set(['(idle)', '(root)']);
  let busy = 0;
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    if (idle.has(byId.get(id)!.callFrame.functionName)) continue;
    busy += us;
    const names = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
      if (!url.includes('/dist/') && !/^node:(internal\/)?(zlib|crypto)/.test(url)) continue;
      names.add(
        `${functionName || '(anonymous)'} ${url.replace(/^.*\/(dist|node:)/, '$1')}:${lineNumber + 1}`,
      );
    }
    for (const name of names) inclusive.set(name, (inclusive.get(name) ?? 0) + us);
  }
  const busyPct = (us: number) => `${fmt((100 * us) / busy, 1).padStart(5)} %`;
  console.log(`\nbusy (not idle): ${fmt(busy / 1e6, 2)} s; inclusive share of it:`);
  for (const [name, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 30))
    console.log(`  ${busyPct(us)}  ${name}`);
}

await (values.cold ? coldFill() : main());
