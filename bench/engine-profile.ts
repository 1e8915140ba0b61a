// Benchmark, run by hand (not by CI):
//   node bench/engine-profile.ts [--seconds 10] [--concurrency 32]
//   node bench/engine-profile.ts --cold [--upstream local|machine]
// Where a warm proxy's time goes while serving cached .zip files: fills a store from the
// graph's prep module cache (no network), restarts `serve` on it with --cpu-prof, runs the
// load generator (uniform over the zips, as engine-throughput.ts does), stops the proxy and
// prints the functions with the most self time, grouped by where they live (our code, Node's
// http/net/fs internals, the garbage collector, idle), from the .cpuprofile V8 wrote. The
// profile file is kept for a flame graph (open it in Chrome DevTools or speedscope).
// `--cold` profiles a cold fill instead: `go mod download all` into a fresh module cache
// through a proxy on an EMPTY store (as bench/engine-cold-fill.ts times it), upstream the prep
// module cache as file:// (`--upstream local`, default: the proxy's own cost, no network) or
// the machine's GOPROXY (`--upstream machine`, REAL NETWORK); it prints the proxy's CPU seconds.
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { machineGoEnv } from '../test/support/go-env.ts';
import {
  buildDist,
  buildLoadgen,
  fillStore,
  fmt,
  prepareGraph,
  runLoadgen,
  startServe,
  storeZips,
  timedDownloadAll,
  writeTargets,
} from './engine-graph.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '32' },
    cold: { type: 'boolean', default: false },
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
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** User + system CPU seconds a process has used so far (/proc/<pid>/stat, clock ticks of 1/100 s). */
async function cpuSecondsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

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
  await runLoadgen(loadgen, 'each', proxy.url, pathsFile, ['-c', String(concurrency)]);
  const r = await runLoadgen(loadgen, 'load', proxy.url, pathsFile, [
    '-c',
    String(concurrency),
    '-duration',
    `${seconds}s`,
    '-seed',
    '1',
  ]);
  await proxy.stop();
  console.log(`load: ${fmt(r.rps, 0)} req/s, p50 ${fmt(r.p50Ms, 2)} ms, p99 ${fmt(r.p99Ms, 2)} ms`);
  const { file, profile } = await readProfile(profDir);
  summarize(profile);
  console.log(`\nprofile kept: ${file}`);
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
