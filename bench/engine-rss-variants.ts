// Benchmark, run by hand (not by CI):
//   node bench/engine-rss-variants.ts [--rounds 2] [--seconds 5] VARIANT...
// Peak RSS and cached `.zip` throughput of serve started in several ways on the same warm
// store, in alternating rounds: each VARIANT is `name:K=V,K=V` (environment for the proxy,
// e.g. `arena1:MALLOC_ARENA_MAX=1`) or `name:` (as the daemon starts it); node flags with
// `name:--flag` items. Each round starts every variant afresh and runs the steps of
// engine-startup.ts's peak RSS part: 2x `go mod download all` into fresh module caches, every
// zip once at c=32, then the uniform zip load; prints VmHWM after the downloads and at the end,
// req/s and CPU per answer, and the medians per variant.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildDist,
  buildLoadgen,
  cpuSecondsOf,
  fillStore,
  fmt,
  median,
  memoryOf,
  prepareGraph,
  removeTree,
  runLoadgen,
  startServe,
  storeZips,
  timedDownloadAll,
  writeTargets,
} from './engine-graph.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '2' }, seconds: { type: 'string', default: '5' } },
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const variants = (positionals.length ? positionals : ['default:']).map((v) => {
  const colon = v.indexOf(':');
  if (colon < 1) throw new Error(`variant "${v}": give name:K=V,--flag,...`);
  const items = v
    .slice(colon + 1)
    .split(',')
    .filter(Boolean);
  const env = Object.fromEntries(
    items
      .filter((i) => !i.startsWith('--'))
      .map((i) => [i.slice(0, i.indexOf('=')), i.slice(i.indexOf('=') + 1)]),
  );
  return { name: v.slice(0, colon), env, nodeFlags: items.filter((i) => i.startsWith('--')) };
});

async function main(): Promise<void> {
  await buildDist();
  const graph = await prepareGraph();
  const root = await mkdtemp(join(tmpdir(), 'gpa-bench-rss-'));
  try {
    const store = join(root, 'store');
    const loadgen = await buildLoadgen(root);
    const base = { store, upstream: `file://${graph.downloadDir}`, gosumdb: 'off', goSum: graph.goSum };
    const filler = await startServe({ ...base, workDir: join(root, 'fill') });
    await fillStore(filler, graph, root);
    await filler.stop();
    const pathsFile = join(root, 'zips.txt');
    await writeTargets(pathsFile, await storeZips(store));
    const rows = new Map(
      variants.map((v) => [
        v.name,
        { hwm: [] as number[], dl: [] as number[], rps: [] as number[], us: [] as number[] },
      ]),
    );
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? [...variants].reverse() : variants;
      for (const v of order) {
        const proxy = await startServe({
          ...base,
          workDir: join(root, `serve-${v.name}-${round}`),
          env: v.env,
          nodeFlags: v.nodeFlags,
        });
        try {
          for (let i = 0; i < 2; i++) {
            const modcache = join(root, `modcache-${i}`);
            await timedDownloadAll(graph.program, proxy.url, modcache);
            await removeTree(modcache);
          }
          const dl = await memoryOf(proxy.pid);
          await runLoadgen(loadgen, 'each', proxy.url, pathsFile, ['-c', '32']);
          const before = await cpuSecondsOf(proxy.pid);
          const r = await runLoadgen(loadgen, 'load', proxy.url, pathsFile, [
            '-c',
            '32',
            '-duration',
            `${seconds}s`,
            '-seed',
            String(round + 1),
          ]);
          const us = (((await cpuSecondsOf(proxy.pid)) - before) / r.requests) * 1e6;
          const end = await memoryOf(proxy.pid);
          const row = rows.get(v.name)!;
          row.hwm.push(end.hwmMiB);
          row.dl.push(dl.hwmMiB);
          row.rps.push(r.rps);
          row.us.push(us);
          console.log(
            `round ${round + 1} ${v.name.padEnd(12)} VmHWM after downloads ${fmt(dl.hwmMiB)} MiB, at the end ${fmt(end.hwmMiB)} MiB (RSS ${fmt(end.rssMiB)}); ${fmt(r.rps, 0)} req/s, p99 ${fmt(r.p99Ms, 1)} ms, CPU ${fmt(us, 0)} us/req`,
          );
        } finally {
          await proxy.stop();
        }
      }
    }
    console.log('\nmedians:');
    for (const v of variants) {
      const r = rows.get(v.name)!;
      console.log(
        `  ${v.name.padEnd(12)} VmHWM ${fmt(median(r.hwm))} MiB (after downloads ${fmt(median(r.dl))}), ${fmt(median(r.rps), 0)} req/s, CPU ${fmt(median(r.us), 0)} us/req`,
      );
    }
  } finally {
    await removeTree(root);
  }
}

await main();
