// Benchmark, run by hand (not by CI):
//   node bench/store-answer-writes.ts [--rounds 4] [--files 1064] [--concurrency 8]
// Offline. What storing a cold fill's .info/.mod costs the answers that wait for it: the same
// writes (700 bytes each, as many as a local fill of the bench graph makes: 1,446 upstream
// fetches less its 382 zips), N at a time, into a fresh store on the machine's temp disk,
// (1) durable: fsync before the rename (stop 19), (2) deferred: renamed at once, fsynced by
// the background pass (BlobStore.writeFileDeferred, stop 20), in alternating rounds. Prints per
// round the time until every write was answered, until all were durable, and per-write
// percentiles; then the medians. The disk and the machine's load decide the figures: compare
// the two sides of one run only.
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BlobStore } from '../src/store/blob-store.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '4' },
    files: { type: 'string', default: '1064' },
    concurrency: { type: 'string', default: '8' },
  },
});
const rounds = Number(values.rounds);
const files = Number(values.files);
const concurrency = Number(values.concurrency);
for (const [name, n] of [
  ['rounds', rounds],
  ['files', files],
  ['concurrency', concurrency],
] as const) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: give a positive integer`);
}
const body = Buffer.alloc(700, 0x61);
type Sides = 'durable' | 'deferred';

const quantile = (values: number[], p: number): number =>
  values.toSorted((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;
const median = (values: number[]): number => quantile(values, 0.5);

async function fill(side: Sides): Promise<{ answered: number; durable: number; perWrite: number[] }> {
  const root = await mkdtemp(join(tmpdir(), 'gpa-bench-writes-'));
  try {
    const store = await BlobStore.open(join(root, 'store'));
    const perWrite: number[] = [];
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < files) {
          const i = next++;
          const module = `example.com/m${i % 300}`;
          const ext = i % 2 === 0 ? 'mod' : 'info';
          const began = performance.now();
          if (side === 'durable') await store.writeFileAtomic(module, `v1.0.${i}`, ext, body);
          else await store.writeFileDeferred(module, `v1.0.${i}`, ext, body);
          perWrite.push(performance.now() - began);
        }
      }),
    );
    const answered = performance.now() - started;
    await store.syncDeferred();
    return { answered, durable: performance.now() - started, perWrite };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const answered: Record<Sides, number[]> = { durable: [], deferred: [] };
const sums: Record<Sides, number[]> = { durable: [], deferred: [] };
for (let round = 0; round < rounds; round++) {
  const order: Sides[] = round % 2 === 0 ? ['durable', 'deferred'] : ['deferred', 'durable'];
  for (const side of order) {
    const r = await fill(side);
    const sum = r.perWrite.reduce((a, b) => a + b, 0);
    answered[side].push(r.answered);
    sums[side].push(sum);
    console.log(
      `round ${round + 1} ${side}: ${files} writes (${concurrency} at a time) answered in ${r.answered.toFixed(0)} ms, all durable after ${r.durable.toFixed(0)} ms; per write p50 ${quantile(r.perWrite, 0.5).toFixed(2)} p90 ${quantile(r.perWrite, 0.9).toFixed(2)} p99 ${quantile(r.perWrite, 0.99).toFixed(1)} max ${Math.max(...r.perWrite).toFixed(1)} ms, sum ${sum.toFixed(0)} ms; load ${loadavg()[0]!.toFixed(1)}`,
    );
  }
}
console.log('');
console.log(
  `medians: answered durable ${median(answered.durable).toFixed(0)} ms, deferred ${median(answered.deferred).toFixed(0)} ms (ratio ${(median(answered.deferred) / median(answered.durable)).toFixed(2)}); summed write waits durable ${median(sums.durable).toFixed(0)} ms, deferred ${median(sums.deferred).toFixed(0)} ms (ratio ${(median(sums.deferred) / median(sums.durable)).toFixed(2)})`,
);
