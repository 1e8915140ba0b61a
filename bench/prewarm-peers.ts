// Benchmark, run by hand (not by CI):
//   node bench/prewarm-peers.ts [--peer athens|goproxy|both] [--rounds N] [--upstream machine|local]
//     [--concurrency N] [--peer-workers N] [--trace] [--trace-dir DIR] [--only prewarm|download]
//
// Prewarm of a real graph (bench/engine-graph.ts: hugo's, ~380 module versions) into a COLD real
// peer proxy (Athens with disk storage, goproxy/goproxy with its dir cacher; test/support/
// anchor-proxies.ts) versus `GOPROXY=<peer> go mod download all` of the same set into an equally
// cold peer, in alternating rounds of the same run. Target: prewarm <= 0.3 x go mod download.
// Each timed run starts a fresh peer (empty storage) and a fresh module cache.
//
// --upstream machine (default): the peer's upstream is the machine's module proxy (`go env
// GOPROXY`, read at run time): REAL NETWORK, ~250 MiB per timed run. --upstream local: the
// fixture proxy serving the prep module cache (offline; the peers' own fetch machinery still runs).
//
// Where the time goes: printed from the prewarm report (time to first byte = the peer's own
// fetch, body time = our read) and, with --upstream local, the upstream's request log. CPU
// seconds of each client (prewarm, the go command) and of the peer (with the go processes
// Athens runs) come from this process's reaped-children counters. --trace puts a recording
// pass-through proxy (bench/request-trace.ts) in front of the peer for both runs and prints the
// per-request breakdown of each (time to first byte vs body, requests in flight). --trace-dir DIR
// also writes each run's request timeline and a CPU timeline (machine, peer with its go
// processes, the prewarm client, this process with the tracer) as JSON, for
// bench/prewarm-timeline.ts.
import { type ChildProcess, execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { PrewarmReport } from '../src/prewarm/prewarm-report.ts';
import { type AnchorKind, startAnchorProxy } from '../test/support/anchor-proxies.ts';
import { type FixtureProxy, startFixtureProxy } from '../test/support/fixture-proxy.ts';
import { machineGoEnv } from '../test/support/go-env.ts';
import { type CpuTimeline, startCpuTimeline } from './cpu-timeline.ts';
import {
  buildDist,
  childCpuSecondsOf,
  cliPath,
  fmt,
  median,
  prepareGraph,
  removeTree,
  timedDownloadAll,
} from './engine-graph.ts';
import { type RequestTrace, startRequestTrace, summarizeTrace } from './request-trace.ts';

const { values } = parseArgs({
  options: {
    peer: { type: 'string', default: 'both' },
    rounds: { type: 'string', default: '2' },
    upstream: { type: 'string', default: 'machine' },
    concurrency: { type: 'string' },
    'peer-workers': { type: 'string', default: '10' },
    trace: { type: 'boolean', default: false },
    'trace-dir': { type: 'string' },
    // Iterating on one side only (no ratio printed).
    only: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10) throw new Error('--rounds: give 1 to 10');
const peers: AnchorKind[] = values.peer === 'both' ? ['athens', 'goproxy'] : [values.peer as AnchorKind];
if (!peers.every((p) => p === 'athens' || p === 'goproxy'))
  throw new Error('--peer: athens, goproxy or both');
if (values.upstream !== 'machine' && values.upstream !== 'local')
  throw new Error('--upstream: machine or local');
/** Whole-run bound: no new round past it. */
const budgetMs = 60 * 60_000;

function runPrewarm(
  proxyUrl: string,
  program: string,
  jsonFile: string,
  onSpawn: (child: ChildProcess) => void,
): Promise<number> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: tmpdir(),
    GOENV: 'off',
    GOPRIVATE: '',
    GONOPROXY: '',
    GONOSUMDB: '',
    GOSUMDB: 'off',
    GOTOOLCHAIN: 'local',
    // e.g. --cpu-prof --cpu-prof-dir=DIR, to see where prewarm's own CPU goes.
    ...(process.env.BENCH_PREWARM_NODE_OPTIONS
      ? { NODE_OPTIONS: process.env.BENCH_PREWARM_NODE_OPTIONS }
      : {}),
  };
  const args = [
    cliPath,
    'prewarm',
    '--proxy',
    proxyUrl,
    '--files',
    'go.sum',
    ...(values.concurrency ? ['--concurrency', values.concurrency] : []),
    '--timeout',
    '10m',
    '--progress',
    'none',
    '--json',
    jsonFile,
  ];
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = execFile(
      process.execPath,
      args,
      { cwd: program, env, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        if (error) fail(new Error(`prewarm failed (${error.code}):\n${stdout}\n${stderr}`));
        else done(performance.now() - started);
      },
    );
    onSpawn(child);
  });
}

function whereTimeGoes(report: PrewarmReport): string {
  let ttfb = 0;
  let body = 0;
  for (const m of report.modules)
    for (const b of m.blobs) {
      ttfb += b.firstByteMs;
      body += Math.max(0, b.ms - b.firstByteMs);
    }
  const slow = report.slowest
    .slice(0, 3)
    .map((s) => `${s.module}@${s.version} ${(s.ms / 1000).toFixed(1)}s`)
    .join(', ');
  return `requests' time to first byte (the peer fetching) ${fmt(ttfb / 1000)} s, body reads ${fmt(body / 1000)} s (summed over ${report.settings.concurrency} lanes); ${report.totals.warmed} warmed, ${report.totals.alreadyWarm} already warm, ${report.totals.failed} failed, ${report.totals.retries} retries; slowest: ${slow}`;
}

const started = Date.now();
await buildDist();
const graph = await prepareGraph();
console.log(`graph: ${graph.moduleVersions} module versions (go mod download -json all)`);
let local: FixtureProxy | null = null;
let upstream: string;
if (values.upstream === 'local') {
  local = await startFixtureProxy({ dir: graph.downloadDir });
  upstream = local.url;
  console.log(`peer upstream: the fixture proxy over the prep module cache (${upstream})`);
} else {
  upstream = await machineGoEnv('GOPROXY');
  console.log("peer upstream: the machine's GOPROXY (real network)");
}
const scratch = await mkdtemp(join(tmpdir(), 'goproxy-action-bench-prewarm-'));
try {
  for (const kind of peers) {
    const times = { prewarm: [] as number[], download: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      if (Date.now() - started > budgetMs) {
        console.log(`time budget reached after ${round} rounds`);
        break;
      }
      // Alternate which goes first, so drift on a shared machine hits both alike.
      const order: ('prewarm' | 'download')[] =
        round % 2 === 0 ? ['prewarm', 'download'] : ['download', 'prewarm'];
      for (const what of order) {
        if (values.only && values.only !== what) continue;
        const peer = await startAnchorProxy(kind, {
          upstream,
          gosumdb: 'off',
          workers: Number(values['peer-workers']),
        });
        local?.resetLog();
        const traceDir = values['trace-dir'];
        const trace: RequestTrace | null =
          values.trace || traceDir ? await startRequestTrace(peer.url) : null;
        let cpu: CpuTimeline | null = null;
        if (traceDir) {
          cpu = startCpuTimeline();
          cpu.watch('peer', peer.pid);
          cpu.watch('bench', process.pid);
        }
        const target = trace?.url ?? peer.url;
        trace?.reset();
        const cpuBefore = await childCpuSecondsOf(process.pid);
        let cpuClient = 0;
        let clientMs = 0;
        try {
          if (what === 'prewarm') {
            const json = join(scratch, `report-${kind}-${round}.json`);
            const ms = await runPrewarm(target, graph.program, json, (child) => {
              if (child.pid) cpu?.watch('prewarm', child.pid);
            });
            clientMs = ms;
            cpuClient = (await childCpuSecondsOf(process.pid)) - cpuBefore;
            times.prewarm.push(ms);
            const report = JSON.parse(await readFile(json, 'utf8')) as PrewarmReport;
            console.log(
              `${kind} round ${round + 1}: prewarm ${fmt(ms / 1000)} s: ${whereTimeGoes(report)}${local ? `; upstream requests ${local.requests.length}` : ''}`,
            );
          } else {
            const modcache = join(scratch, `modcache-${kind}-${round}`);
            const ms = await timedDownloadAll(graph.program, target, modcache);
            clientMs = ms;
            cpuClient = (await childCpuSecondsOf(process.pid)) - cpuBefore;
            times.download.push(ms);
            await removeTree(modcache);
            console.log(
              `${kind} round ${round + 1}: go mod download all ${fmt(ms / 1000)} s${local ? `; upstream requests ${local.requests.length}` : ''}`,
            );
          }
        } finally {
          await cpu?.stop();
          await trace?.close();
          await peer.stop();
        }
        if (traceDir && trace && cpu) {
          await mkdir(traceDir, { recursive: true });
          await writeFile(
            join(traceDir, `${kind}-${round + 1}-${what}.json`),
            JSON.stringify({
              kind,
              round: round + 1,
              what,
              wallMs: clientMs,
              requests: trace.requests,
              cpu: cpu.samples,
            }),
          );
        }
        const cpuPeer = (await childCpuSecondsOf(process.pid)) - cpuBefore - cpuClient;
        console.log(
          `  cpu: ${what === 'prewarm' ? 'prewarm' : 'go'} ${fmt(cpuClient)} s, peer (with its go processes) ${fmt(cpuPeer)} s`,
        );
        if (trace) console.log(`  trace (${what}): ${summarizeTrace(trace.requests, clientMs)}`);
      }
    }
    if (values.only) continue;
    const ratio = median(times.prewarm) / median(times.download);
    console.log(
      `${kind}: median prewarm ${fmt(median(times.prewarm) / 1000)} s, median go mod download ${fmt(median(times.download) / 1000)} s, ratio ${fmt(ratio, 2)} (target <= 0.30)`,
    );
  }
} finally {
  await local?.close();
  await rm(scratch, { recursive: true, force: true });
}
