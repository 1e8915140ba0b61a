// Reads the JSON files `node bench/prewarm-peers.ts --trace-dir DIR` writes and prints, per run,
// a timeline in buckets: requests in flight (waiting for the peer's headers vs reading bodies),
// and the CPU cores in use by the machine, the peer (with its go processes), the prewarm client
// and the bench process (the tracer). Then the tail: the requests still in flight once most of
// the work was done, and the CPU floor the peer's own work puts under a run on this machine.
//   node bench/prewarm-timeline.ts DIR [--bucket 10]
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CpuSample } from './cpu-timeline.ts';
import type { TracedRequest } from './request-trace.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { bucket: { type: 'string', default: '10' }, cores: { type: 'string', default: '2' } },
});
const dir = positionals[0];
if (!dir) throw new Error('usage: node bench/prewarm-timeline.ts DIR [--bucket SECONDS]');
const bucketMs = Number(values.bucket) * 1000;
const cores = Number(values.cores);

type Run = {
  kind: string;
  round: number;
  what: string;
  wallMs: number;
  requests: TracedRequest[];
  cpu: CpuSample[];
};

/** Cumulative CPU of `name` at time `at` (linear between samples). */
function cpuAt(samples: CpuSample[], at: number, pick: (s: CpuSample) => number): number {
  let before: CpuSample | undefined;
  for (const s of samples) {
    const v = pick(s);
    if (Number.isNaN(v)) continue;
    if (s.at <= at) before = s;
    else {
      if (!before) return v;
      const b = pick(before);
      return b + ((v - b) * (at - before.at)) / (s.at - before.at);
    }
  }
  return before ? pick(before) : 0;
}

/** Last known cumulative value (a process's CPU just before it exited). */
function lastOf(samples: CpuSample[], pick: (s: CpuSample) => number): number {
  let last = 0;
  for (const s of samples) if (!Number.isNaN(pick(s))) last = pick(s);
  return last;
}

const f1 = (n: number) => n.toFixed(1);

for (const name of (await readdir(dir)).filter((n) => n.endsWith('.json')).sort()) {
  const run = JSON.parse(await readFile(join(dir, name), 'utf8')) as Run;
  const reqs = run.requests;
  const end = Math.max(run.wallMs, ...reqs.map((r) => r.end));
  type Pick = (s: CpuSample) => number;
  const picks: { machine: Pick; peer: Pick; prewarm: Pick; bench: Pick } = {
    machine: (s) => s.machineBusy,
    peer: (s) => s.processes.peer ?? Number.NaN,
    prewarm: (s) => s.processes.prewarm ?? Number.NaN,
    bench: (s) => s.processes.bench ?? Number.NaN,
  };
  console.log(`\n== ${name}: ${run.what} ${f1(run.wallMs / 1000)} s wall, ${reqs.length} requests`);
  console.log('  t(s)   waiting reading | cores: machine peer prewarm bench | started done');
  for (let t = 0; t < end; t += bucketMs) {
    const t2 = Math.min(end, t + bucketMs);
    let waiting = 0;
    let reading = 0;
    let started = 0;
    let finished = 0;
    for (const r of reqs) {
      waiting += Math.max(0, Math.min(r.headers, t2) - Math.max(r.start, t));
      reading += Math.max(0, Math.min(r.end, t2) - Math.max(r.headers, t));
      if (r.start >= t && r.start < t2) started++;
      if (r.end >= t && r.end < t2) finished++;
    }
    const span = t2 - t;
    const rate = (pick: (s: CpuSample) => number) =>
      (cpuAt(run.cpu, t2, pick) - cpuAt(run.cpu, t, pick)) / (span / 1000);
    console.log(
      `  ${String(Math.round(t / 1000)).padStart(4)}   ${f1(waiting / span).padStart(7)} ${f1(reading / span).padStart(7)} |        ${f1(rate(picks.machine)).padStart(7)} ${f1(rate(picks.peer)).padStart(4)} ${f1(rate(picks.prewarm)).padStart(7)} ${f1(rate(picks.bench)).padStart(5)} | ${String(started).padStart(7)} ${String(finished).padStart(4)}`,
    );
  }
  // The prewarm client starts at zero CPU; the others count from the first sample.
  const firstOf = (pick: Pick) => {
    for (const sample of run.cpu) if (!Number.isNaN(pick(sample))) return pick(sample);
    return 0;
  };
  const totals = {
    machine: lastOf(run.cpu, picks.machine) - firstOf(picks.machine),
    peer: lastOf(run.cpu, picks.peer) - firstOf(picks.peer),
    prewarm: lastOf(run.cpu, picks.prewarm),
    bench: lastOf(run.cpu, picks.bench) - firstOf(picks.bench),
  };
  console.log(
    `  cpu seconds: machine ${f1(totals.machine)}, peer ${f1(totals.peer)}, prewarm ${f1(totals.prewarm)}, bench ${f1(totals.bench)}; machine capacity ${f1((cores * run.wallMs) / 1000)}`,
  );
  console.log(
    `  floor from the peer's CPU alone on ${cores} cores: ${f1(totals.peer / cores)} s; peer + prewarm: ${f1((totals.peer + totals.prewarm) / cores)} s`,
  );
  // The tail: from when 95% of the requests had ended, what was still in flight.
  const ends = reqs.map((r) => r.end).sort((a, b) => a - b);
  const t95 = ends[Math.floor(ends.length * 0.95)] ?? 0;
  const tail = reqs
    .filter((r) => r.end > t95)
    .sort((a, b) => b.end - b.start - (a.end - a.start))
    .slice(0, 8)
    .map(
      (r) =>
        `${r.kind} ${r.target} ${f1(r.start / 1000)}→${f1(r.end / 1000)} s (ttfb ${f1((r.headers - r.start) / 1000)})`,
    );
  console.log(
    `  95% of requests ended by ${f1(t95 / 1000)} s; longest of the rest:\n    ${tail.join('\n    ')}`,
  );
  const slowest = [...reqs]
    .sort((a, b) => b.headers - b.start - (a.headers - a.start))
    .slice(0, 8)
    .map(
      (r) => `${r.kind} ${r.target} ttfb ${f1((r.headers - r.start) / 1000)} s at ${f1(r.start / 1000)} s`,
    );
  console.log(`  slowest first bytes:\n    ${slowest.join('\n    ')}`);
}
