// Benchmark, run by hand (not by CI):
//   node bench/engine-cold-fill.ts [--rounds 2] [--verify go.sum|sumdb] [--upstream machine|local]
//                                  [--baseline <another dist/cli.js>] [--warmup yes|no]
// REAL NETWORK: every round downloads the whole graph (see engine-graph.ts) from the machine's
// GOPROXY twice. In alternating rounds it times `go mod download all` into a fresh module
// cache (1) through our proxy started on an EMPTY store with the machine's GOPROXY as its
// upstream, and (2) by the go command fetching from that upstream itself, and prints the
// medians and their ratio (target, issue 9: ours / direct <= 1.05). The proxy's start-up is
// not timed (a CI job starts it before the go command runs); each round gets a fresh store.
// `--verify go.sum` (default) hands the proxy the program's go.sum, as the action does with a
// workspace's go.sum files; `--verify sumdb` gives it none, so it looks every blob up in the
// machine's GOSUMDB itself (the clients always have the complete go.sum, so the go command
// asks the checksum database nothing, directly or through us). `--upstream local` serves the
// prep module cache as file:// instead (offline: the proxy's own cost without network noise).
// `--baseline` adds a third side in the same alternating rounds: the same fill through another
// bundle (e.g. main's dist/cli.js), to compare the proxy's wall time and CPU seconds per fill
// before and after a change (CPU seconds survive a loaded machine better than wall time).
// `--warmup yes` (the default with the machine's upstream) first runs one untimed
// `go mod download all` straight from the upstream: whichever side went first in a round was
// slower (the upstream serving blobs it had not served for a while), so every timed run should
// find the upstream equally warm.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { machineGoEnv } from '../test/support/go-env.ts';
import {
  buildDist,
  cpuSecondsOf,
  fmt,
  median,
  prepareGraph,
  removeTree,
  startServe,
  storeZips,
  timedDownloadAll,
} from './engine-graph.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    verify: { type: 'string', default: 'go.sum' },
    upstream: { type: 'string', default: 'machine' },
    baseline: { type: 'string' },
    warmup: { type: 'string' },
  },
});
if (values.upstream !== 'machine' && values.upstream !== 'local')
  throw new Error('--upstream: machine or local');
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10) throw new Error('--rounds: give 1 to 10');
if (values.verify !== 'go.sum' && values.verify !== 'sumdb') throw new Error('--verify: go.sum or sumdb');
const warmup = values.warmup ?? (values.upstream === 'machine' ? 'yes' : 'no');
if (warmup !== 'yes' && warmup !== 'no') throw new Error('--warmup: yes or no');
/** Whole-run bound: no new round starts past it. */
const budgetMs = 13 * 60_000;

async function main(): Promise<void> {
  const began = performance.now();
  await buildDist();
  const graph = await prepareGraph();
  // local: file:// of the prep module cache, offline: what the proxy itself costs, without the
  // network's noise (the go command then reads the same files directly).
  const upstream =
    values.upstream === 'local' ? pathToFileURL(graph.downloadDir).href : await machineGoEnv('GOPROXY');
  const gosumdb = await machineGoEnv('GOSUMDB');
  const root = await mkdtemp(join(tmpdir(), 'gpa-bench-cold-'));
  // An empty file: no go.sum line, so every blob is verified against the checksum database.
  const noGoSum = join(root, 'empty.sum');
  await writeFile(noGoSum, '');
  const ours: number[] = [];
  const direct: number[] = [];
  const base: number[] = [];
  const cpu: Record<'ours' | 'base', number[]> = { ours: [], base: [] };
  const baseline = values.baseline ? resolve(values.baseline) : null;
  try {
    console.log(
      `graph: ${graph.moduleVersions} module versions; proxy verifies by ${values.verify}; upstream: ${values.upstream === 'local' ? 'file:// of the prep module cache' : 'go env GOPROXY'}`,
    );
    if (warmup === 'yes') {
      // Untimed: every blob through the upstream once, so no timed side is its first asker.
      const modcache = join(root, 'modcache-warmup');
      const ms = await timedDownloadAll(graph.program, upstream, modcache, gosumdb);
      await removeTree(modcache);
      console.log(
        `warm-up (untimed, direct from the upstream): ${fmt(ms, 0)} ms; load ${loadavg()[0]!.toFixed(1)}`,
      );
    }
    let longestRoundMs = 0;
    for (let round = 0; round < rounds; round++) {
      // No round starts that would likely end past the budget.
      if (performance.now() - began + longestRoundMs > budgetMs) {
        console.log(`time budget reached after ${round} rounds`);
        break;
      }
      const roundStarted = performance.now();
      // Alternate which goes first so the upstream's own caches and load drift hit both alike.
      const sides: Array<'ours' | 'direct' | 'base'> = baseline
        ? ['ours', 'direct', 'base']
        : ['ours', 'direct'];
      const order = round % 2 === 0 ? sides : sides.toReversed();
      const notes: string[] = [];
      for (const which of order) {
        const modcache = join(root, `modcache-${which}-${round}`);
        if (which === 'direct') {
          direct.push(await timedDownloadAll(graph.program, upstream, modcache, gosumdb));
        } else {
          const store = join(root, `store-${which}-${round}`);
          const proxy = await startServe({
            ...(which === 'base' && baseline ? { cli: baseline } : {}),
            store,
            upstream,
            gosumdb,
            goSum: values.verify === 'go.sum' ? graph.goSum : noGoSum,
            workDir: join(root, `proxy-${round}`),
          });
          try {
            (which === 'base' ? base : ours).push(
              await timedDownloadAll(graph.program, proxy.url, modcache, gosumdb),
            );
            const stats = await proxy.stats();
            const seconds = await cpuSecondsOf(proxy.pid);
            cpu[which].push(seconds);
            const zips = (await storeZips(store)).length;
            notes.push(
              `${which}: ${stats.totals.upstreamFetches} upstream fetches, ${zips} zips stored, ${stats.prefetch?.zips ?? 0} zips prefetched (${stats.prefetch?.asked ?? 0} then asked), ${stats.totals.errors} errors, proxy CPU ${fmt(seconds, 1)} s`,
            );
          } finally {
            await proxy.stop();
            await removeTree(store);
          }
        }
        await removeTree(modcache);
      }
      longestRoundMs = Math.max(longestRoundMs, performance.now() - roundStarted);
      console.log(
        `round ${round + 1}: ours ${fmt(ours.at(-1)!, 0)} ms, direct ${fmt(direct.at(-1)!, 0)} ms${baseline ? `, baseline ${fmt(base.at(-1)!, 0)} ms` : ''} (${order.join(' then ')}; ${notes.join('; ')}; load ${loadavg()[0]!.toFixed(1)})`,
      );
    }
    const oursMedian = median(ours);
    const directMedian = median(direct);
    console.log('');
    console.log(
      `cold go mod download all, ${graph.moduleVersions} module versions, ${ours.length} rounds each:`,
    );
    console.log(
      `  through our proxy (empty store):   median ${fmt(oursMedian, 0)} ms  [${ours.map((v) => fmt(v, 0)).join(', ')}]`,
    );
    console.log(
      `  go command direct to the upstream: median ${fmt(directMedian, 0)} ms  [${direct.map((v) => fmt(v, 0)).join(', ')}]`,
    );
    console.log(`  ratio ours / direct: ${fmt(oursMedian / directMedian, 3)} (target <= 1.05)`);
    console.log(
      `  proxy CPU seconds per fill: ours median ${fmt(median(cpu.ours), 2)} [${cpu.ours.map((v) => fmt(v, 1)).join(', ')}]`,
    );
    if (baseline) {
      const baseMedian = median(base);
      console.log(
        `  baseline (${baseline}): median ${fmt(baseMedian, 0)} ms  [${base.map((v) => fmt(v, 0)).join(', ')}], ratio baseline / direct ${fmt(baseMedian / directMedian, 3)}, ours / baseline ${fmt(oursMedian / baseMedian, 3)}`,
      );
      console.log(
        `  baseline proxy CPU seconds per fill: median ${fmt(median(cpu.base), 2)} [${cpu.base.map((v) => fmt(v, 1)).join(', ')}]; ours / baseline ${fmt(median(cpu.ours) / median(cpu.base), 3)}`,
      );
    }
  } finally {
    await removeTree(root);
  }
}

await main();
