// `node bench/health-snapshot.ts [--rounds 3] [--concurrency 8,16,32] [--profile]` (by hand;
// real network for the upstream's list/@latest answers, which a proxy always fetches fresh).
//
// The health snapshot of a real graph (engine-graph.ts: hugo's, ~380 module versions) through a
// warm in-job proxy, against `go list -m -u -json all` on the same graph through the same proxy,
// in alternating rounds of the same run, each with a fresh module cache. Prints each round, the
// medians and the ratio snapshot / go list (target <= 0.5); with --profile, where each
// snapshot's time went per phase (GOPROXY_ACTION_HEALTH_PROFILE=1). The snapshot does more
// (every zip checked against go.sum: its h1 from the in-job proxy's HEAD answers, see
// docs/health.md; retractions, deprecations, /vN paths, policy); go list gives the floor of what
// a Go-exact update check costs.
import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { buildCliFromWorkingTree } from '../test/support/gitlab-ci-local.ts';
import { goEnv, machineGoEnv, runGo, sharedGoCache } from '../test/support/go-env.ts';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    rounds: { type: 'string' },
    concurrency: { type: 'string' },
    // Print where each snapshot's time went, per phase.
    profile: { type: 'boolean' },
  },
});
const rounds = Number(values.rounds ?? 3);
// A comma-separated list: each round times the snapshot at each concurrency.
const concurrencies = (values.concurrency ?? '8,16,32').split(',').map(Number);

// The bundle of this working tree, built privately (dist/ is not touched).
process.env.BENCH_CLI ??= await buildCliFromWorkingTree();
const graphLib = await import('./engine-graph.ts');
const graph = await graphLib.prepareGraph();
const scratch = join(tmpdir(), `goproxy-action-bench-health-${process.pid}`);
await mkdir(scratch, { recursive: true });
await mkdir(sharedGoCache, { recursive: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const proxy = await graphLib.startServe({
  store: join(scratch, 'store'),
  // The machine's proxy URLs without `direct`: a CI runner without VCS access, where a 404 on
  // @latest falls to the list (as the go command does), not to a git clone that cannot work.
  upstream: (await machineGoEnv('GOPROXY'))
    .split(/[,|]/)
    .filter((e) => /^https?:\/\//.test(e))
    .join(','),
  goSum: graph.goSum,
  gosumdb: await machineGoEnv('GOSUMDB'),
  workDir: join(scratch, 'serve'),
});
try {
  console.log(
    `graph: ${graph.moduleVersions} module versions; proxy ${proxy.url}; filling its store (cold)...`,
  );
  await graphLib.fillStore(proxy, graph, scratch);
  const readyFile = join(scratch, 'ready.json');
  await (await import('node:fs/promises')).writeFile(
    readyFile,
    JSON.stringify({ url: proxy.url, pid: proxy.pid, adminUrl: proxy.adminUrl, token: proxy.token }),
  );

  const goList = async (i: number) => {
    const modcache = join(scratch, `golist-modcache-${i}`);
    const started = performance.now();
    const r = await runGo(
      ['list', '-m', '-u', '-json', 'all'],
      graph.program,
      goEnv({ goproxy: proxy.url, gosumdb: 'off', gomodcache: modcache }),
    );
    const ms = performance.now() - started;
    await graphLib.removeTree(modcache);
    if (r.code !== 0) throw new Error(`go list -m -u failed:\n${r.stderr}`);
    return { ms, modules: (r.stdout.match(/^\t"Path": /gm) ?? []).length - 1 };
  };
  const snapshot = async (i: number, concurrency: number) => {
    const modcache = join(scratch, `health-modcache-${i}-${concurrency}`);
    const out = join(scratch, `health-${i}-${concurrency}.json`);
    const env = {
      ...goEnv({ goproxy: proxy.url, gosumdb: 'off', gomodcache: modcache }),
      // Where the time went, per phase, on stderr.
      GOPROXY_ACTION_HEALTH_PROFILE: '1',
    };
    const started = performance.now();
    const { stderr } = await run(
      process.execPath,
      [
        process.env.BENCH_CLI as string,
        'health',
        '--dir',
        graph.program,
        '--ready-file',
        readyFile,
        '--concurrency',
        String(concurrency),
        '--json',
        out,
        '--format',
        'json',
      ],
      { env, maxBuffer: 256 << 20 },
    ).catch((err: { stderr?: string; code?: number }) => {
      // Exit status 1 means fail-on findings; none are asked for, so any failure is real.
      throw new Error(`health failed (${err.code}):\n${err.stderr}`);
    });
    const ms = performance.now() - started;
    await graphLib.removeTree(modcache);
    const snap = JSON.parse(await (await import('node:fs/promises')).readFile(out, 'utf8')) as {
      summary: { modules: number; outdated: number; errors: number; unresolvable: number };
      modules: {
        path: string;
        version: string;
        errors: string[];
        verified: { zip: string; zipHashedBy: string | null };
      }[];
      proxy: {
        cacheHitRatio: number | null;
        byKind: Record<string, { requests: number; p50Ms: number; p95Ms: number }>;
      };
    };
    const profile = stderr
      .split('\n')
      .filter((l) => l.startsWith('health profile: '))
      .map((l) => `  ${l.slice('health profile: '.length)}`);
    return { ms, snap, profile };
  };

  // One untimed pass each: the proxy's list/@latest answers and the go build cache warm.
  await goList(-1);
  await snapshot(-1, concurrencies[0] ?? 16);
  const ours = new Map<number, number[]>(concurrencies.map((c) => [c, []]));
  const theirs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    // Alternate the order so neither side always runs on a cooler machine.
    const g0 = i % 2 === 1 ? await goList(i) : null;
    for (const c of concurrencies) {
      const b = await snapshot(i, c);
      ours.get(c)?.push(b.ms);
      console.log(
        `round ${i + 1}: health --concurrency ${c}: ${b.ms.toFixed(0)} ms (${b.snap.summary.modules} modules, ${b.snap.summary.outdated} outdated, ${b.snap.summary.unresolvable} unresolvable, ${b.snap.summary.errors} with errors, cache hits ${b.snap.proxy.cacheHitRatio})`,
      );
      // What the snapshot said about the zips, and who hashed them.
      const zips = new Map<string, number>();
      for (const m of b.snap.modules) {
        const k = `${m.verified.zip} by ${m.verified.zipHashedBy}`;
        zips.set(k, (zips.get(k) ?? 0) + 1);
      }
      console.log(`  zips: ${[...zips].map(([k, n]) => `${n} ${k}`).join(', ')}`);
      if (values.profile) for (const line of b.profile) console.log(line);
      for (const m of b.snap.modules.filter((x) => x.errors.length > 0))
        console.log(`  ${m.path}@${m.version}: ${m.errors.join('; ')}`);
      console.log(
        `  ${Object.entries(b.snap.proxy.byKind)
          .map(([k, v]) => `${k} ${v.requests}x p50 ${v.p50Ms} p95 ${v.p95Ms}`)
          .join(' | ')}`,
      );
    }
    const g = g0 ?? (await goList(i));
    theirs.push(g.ms);
    console.log(`round ${i + 1}: go list -m -u -json all: ${g.ms.toFixed(0)} ms (${g.modules} modules)`);
  }
  for (const c of concurrencies) {
    const m = median(ours.get(c) ?? []);
    console.log(
      `median: health --concurrency ${c} ${m.toFixed(0)} ms, go list -m -u ${median(theirs).toFixed(0)} ms; ratio health / go list = ${(m / median(theirs)).toFixed(2)} (target <= 0.5)`,
    );
  }
} finally {
  await proxy.stop();
  await graphLib.removeTree(scratch);
  await rm(scratch, { recursive: true, force: true });
}
