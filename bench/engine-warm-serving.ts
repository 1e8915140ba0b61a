// Benchmark, run by hand (not by CI):  node bench/engine-warm-serving.ts [--rounds N]
// REAL NETWORK: resolves a real graph (see engine-graph.ts) through the machine's GOPROXY,
// then fills our proxy's store from that same upstream once (cold). Then, in alternating
// rounds, times `go mod download all` into a fresh module cache through our warm proxy and
// through GOPROXY=file://<the same store>, and prints the medians and their ratio
// (target, issue 9: ours / file:// <= 1.05). The warm rounds must not reach the upstream at all.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { machineGoEnv } from '../test/support/go-env.ts';
import {
  buildDist,
  fillStore,
  fmt,
  median,
  prepareGraph,
  removeTree,
  startServe,
  storeZips,
  timedDownloadAll,
} from './engine-graph.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) throw new Error('--rounds: give 1 to 20');
/** Whole-run bound: stop adding rounds past it. */
const budgetMs = 15 * 60_000;

async function main(): Promise<void> {
  const began = performance.now();
  await buildDist();
  const graph = await prepareGraph();
  const root = await mkdtemp(join(tmpdir(), 'gpa-bench-warm-'));
  const store = join(root, 'store');
  const proxy = await startServe({
    store,
    upstream: await machineGoEnv('GOPROXY'),
    gosumdb: await machineGoEnv('GOSUMDB'),
    goSum: graph.goSum,
    workDir: join(root, 'proxy'),
  });
  try {
    console.log(`graph: ${graph.moduleVersions} module versions (go mod download -json all)`);
    const coldMs = await fillStore(proxy, graph, root);
    const afterCold = await proxy.stats();
    const zips = (await storeZips(store)).length;
    console.log(
      `cold fill through our proxy from the machine's GOPROXY: ${fmt(coldMs, 0)} ms, ${zips} zips stored, ${afterCold.totals.upstreamFetches} upstream fetches`,
    );

    const ours: number[] = [];
    const file: number[] = [];
    const fileProxy = `file://${store}`;
    for (let round = 0; round < rounds; round++) {
      if (performance.now() - began > budgetMs) {
        console.log(`time budget reached after ${round} rounds`);
        break;
      }
      // Alternate which goes first so page-cache and CPU-frequency drift hit both alike.
      const order: Array<'ours' | 'file'> = round % 2 === 0 ? ['ours', 'file'] : ['file', 'ours'];
      for (const which of order) {
        const modcache = join(root, `modcache-${which}-${round}`);
        const ms = await timedDownloadAll(graph.program, which === 'ours' ? proxy.url : fileProxy, modcache);
        await removeTree(modcache);
        (which === 'ours' ? ours : file).push(ms);
      }
      console.log(
        `round ${round + 1}: ours ${fmt(ours.at(-1)!, 0)} ms, file:// ${fmt(file.at(-1)!, 0)} ms (${order.join(' then ')})`,
      );
    }
    const afterWarm = await proxy.stats();
    const warmUpstream = afterWarm.totals.upstreamFetches - afterCold.totals.upstreamFetches;
    const zipKind = afterWarm.byKind.zip!;
    console.log('');
    console.log(
      `warm rounds: ${warmUpstream} upstream fetches (must be 0); zip requests ${zipKind.requests}, hits ${zipKind.hits}, misses ${zipKind.misses}; zip p50 ${zipKind.p50Ms} ms, p95 ${zipKind.p95Ms} ms`,
    );
    const oursMedian = median(ours);
    const fileMedian = median(file);
    console.log(`go mod download all, ${graph.moduleVersions} module versions, ${ours.length} rounds each:`);
    console.log(
      `  through our warm proxy:       median ${fmt(oursMedian, 0)} ms  [${ours.map((v) => fmt(v, 0)).join(', ')}]`,
    );
    console.log(
      `  GOPROXY=file://<same store>:  median ${fmt(fileMedian, 0)} ms  [${file.map((v) => fmt(v, 0)).join(', ')}]`,
    );
    console.log(`  ratio ours / file://: ${fmt(oursMedian / fileMedian, 3)} (target <= 1.05)`);
    if (warmUpstream !== 0) throw new Error(`the warm rounds reached the upstream ${warmUpstream} times`);
  } finally {
    await proxy.stop();
    await removeTree(root);
  }
}

await main();
