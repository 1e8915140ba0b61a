// Benchmark, run by hand (not by CI):
//   node bench/action-post.ts [--runs 3] [--compare DIR] [--cases cold,warm,source-changed] [--cpu-prof]
// The GitHub Action's post step (stop the proxy, prune, save the three layered caches) of a
// whole job on a real project, with the real @actions/cache against the cache-service stand-in
// (azurite), per case:
//   cold            no entries: the post saves three new bases
//   warm            the cold job's entries restored, nothing changed: nothing to save
//   source changed  one package edited since the entries were saved: a build-cache layer
// Each job is main (restore), `go build ./...`, `go test ./...`, then post, which is timed: wall
// time, its CPU (user + sys of the post process and its children: tar, zstd, under
// /usr/bin/time) and its own `Post timing:` line. After each job the entries it saved are
// removed from the stand-in, so every job of a case starts from the same entries and does the
// same work. With --compare DIR (another build's dist/, e.g. main's), each trial runs both
// builds one after the other, alternating which goes first: a same-run comparison on a
// machine shared with other benchmarks. --cpu-prof: a V8 CPU profile of each post, printed as
// its main thread's sampled milliseconds by area (summariseProfile).
// A cold job's `go build`/`go test` would take minutes; instead its main step runs with the
// stand-in empty and the job then finds the build cache of a prepared cold build (copied in:
// every entry is new to the post, as in a cold job) and fetches every module through the proxy,
// as a cold job does, so the post saves what a cold job's post saves.
// Project: the whole-job bench's prepared source (bench/whole-job.ts; run it once first to
// prepare BENCH_MODULE, default Kratos v2.8.3) and its prep module cache as the offline upstream.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { buildActionBundles, killLeftoverProxy, newJob } from '../test/support/action-runner.ts';
import { startCacheService } from '../test/support/cache-service.ts';
import { goEnv, neverAskedSumdb, runGo } from '../test/support/go-env.ts';
import { fmt, median } from './engine-graph.ts';

const run = promisify(execFile);
const CASES = ['cold', 'warm', 'source-changed'] as const;
type Case = (typeof CASES)[number];
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    compare: { type: 'string' },
    cases: { type: 'string', default: CASES.join(',') },
    // A V8 CPU profile of each post, summarised by where its main thread's time went.
    'cpu-prof': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 20) throw new Error('--runs: give 1 to 20');
const cases = values.cases.split(',').map((c) => c.trim()) as Case[];
for (const c of cases) if (!CASES.includes(c)) throw new Error(`--cases: unknown case ${c}`);

// The whole-job bench's prepared project (its prepKey and PROJECT_DIR rules).
const MODULE = process.env.BENCH_MODULE ?? 'github.com/go-kratos/kratos/v2@v2.8.3';
const PREP = join(tmpdir(), 'goproxy-action-bench-wholejob-prep');
const SRC = join(
  PREP,
  `src-${createHash('sha256').update(MODULE).digest('hex').slice(0, 12)}`,
  MODULE.replace(/^.*\//, '').replace('@', '-'),
);

// Timing tests that fail on a loaded machine (whole-job.ts skips the first too).
const TEST_SKIP = process.env.BENCH_TEST_SKIP ?? '^(TestDirectError|TestDirectDefaultWeight)$';

type Sample = { wallMs: number; cpuMs: number; timing: string; saves: string; profile: string };

type ProfileNode = { id: number; callFrame: { functionName: string; url: string } };

/**
 * The newest profile in `dir` (then removed), as sampled main-thread milliseconds by area: the
 * @actions/cache chunk (with the Azure SDK), the rest of the bundle (ours, @actions/core),
 * child process spawns (tar, zstd: their own CPU is not in the profile), Node's internals, the
 * garbage collector; idle apart. Samples are wall time: under load they hold waiting too.
 */
async function summariseProfile(dir: string): Promise<string> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).sort();
  const file = join(dir, files.at(-1)!);
  const p = JSON.parse(await readFile(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  await rm(file);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const areas = new Map<string, number>();
  for (const [i, id] of p.samples.entries()) {
    const frame = byId.get(id)!.callFrame;
    const area =
      frame.functionName === '(idle)'
        ? 'idle'
        : frame.functionName === 'spawn'
          ? 'spawn'
          : frame.url.includes('/chunks/cache-')
            ? '@actions/cache'
            : frame.url.startsWith('file:')
              ? 'bundle'
              : frame.url.startsWith('node:')
                ? 'node'
                : frame.functionName === '(garbage collector)'
                  ? 'gc'
                  : 'native';
    areas.set(area, (areas.get(area) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  }
  return [...areas]
    .sort((a, b) => b[1] - a[1])
    .map(([a, ms]) => `${a} ${fmt(ms, 0)}`)
    .join(', ');
}

async function load(): Promise<string> {
  return (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
}

async function main(): Promise<void> {
  const thisDist = await buildActionBundles();
  const dists = [{ name: 'this tree', dir: thisDist }];
  if (values.compare) dists.push({ name: `compare (${values.compare})`, dir: values.compare });
  const root = await mkdtemp(join(tmpdir(), 'gpa-bench-action-post-'));
  const ws = join(root, 'workspace');
  await cp(SRC, ws, { recursive: true });
  const home = join(root, 'home');
  const upstream = `file://${join(PREP, 'modcache', 'cache', 'download')}`;
  const runnerEnv: Record<string, string> = {
    ...goEnv({ goproxy: upstream, gosumdb: neverAskedSumdb, gomodcache: join(home, 'go', 'pkg', 'mod') }),
    HOME: home,
  };
  const apiToken = 'bench-actions-write-token';
  const service = await startCacheService({ apiTokens: { [apiToken]: 'write' } });
  const samples = new Map<string, Sample[]>();
  const coldCache = join(root, 'cold-gocache');

  async function freshRunner(): Promise<void> {
    await run('chmod', ['-R', 'u+w', home]).catch(() => undefined);
    await rm(home, { recursive: true, force: true });
    await rm(join(ws, '.goproxy-action'), { recursive: true, force: true });
    await mkdir(home, { recursive: true });
  }

  /** One job; the post timed when `timed`. The entries it saved stay unless the caller drops them. */
  async function job(
    distDir: string,
    options: { cold?: 'prepare' | 'copy'; profileDir?: string },
  ): Promise<Sample> {
    const { profileDir } = options;
    await freshRunner();
    const j = await newJob({
      distDir,
      env: { ...runnerEnv, ...service.envV2(), ...service.envRest() },
      inputs: { upstream, 'github-token': apiToken },
      workspace: ws,
    });
    const m = await j.runMain();
    try {
      if (m.main.code !== 0) throw new Error(`main failed:\n${m.main.stdout}${m.main.stderr}`);
      const env = { ...runnerEnv, ...m.exported };
      if (options.cold === 'copy') await cp(coldCache, env.GOCACHE!, { recursive: true });
      const build = await runGo(['build', './...'], ws, env);
      if (build.code !== 0) throw new Error(`go build failed:\n${build.stderr.slice(-4000)}`);
      // A failed test (Kratos has timing tests that fail under load) is reported, not fatal: the
      // post's work hardly changes (a failure is not cached).
      const tested = await runGo(['test', '-skip', TEST_SKIP, './...'], ws, env);
      if (tested.code !== 0)
        console.log(
          `    (go test failed: ${/^--- FAIL: \S+/m.exec(tested.stdout)?.[0] ?? tested.stderr.slice(0, 200)})`,
        );
      if (options.cold === 'prepare') await cp(env.GOCACHE!, coldCache, { recursive: true });
      const stateEnv = Object.fromEntries(Object.entries(m.state).map(([n, v]) => [`STATE_${n}`, v]));
      const t0 = performance.now();
      const post = await run(
        '/usr/bin/time',
        [
          '-f',
          'cpu %U %S',
          process.execPath,
          ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
          join(distDir, 'post.js'),
        ],
        {
          env: { ...j.runner.env, ...m.exported, ...stateEnv },
          cwd: ws,
          maxBuffer: 64 << 20,
        },
      );
      const wallMs = performance.now() - t0;
      const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(post.stderr);
      const timing = /Post timing: (.*)$/m.exec(post.stdout)?.[1];
      if (!cpu || !timing) throw new Error(`post failed:\n${post.stdout}${post.stderr}`);
      const saves = [...post.stdout.matchAll(/^(save: .*|build cache save: .*|module tree save: .*)$/gm)]
        .map((x) => x[1]!.replace(/ goproxy-action-\S+/, ''))
        .join('; ');
      await rm(j.runner.runnerTemp, { recursive: true, force: true });
      const profile = profileDir ? await summariseProfile(profileDir) : '';
      return { wallMs, cpuMs: (Number(cpu[1]) + Number(cpu[2])) * 1000, timing, saves, profile };
    } finally {
      killLeftoverProxy(m);
    }
  }

  /** Drops the entries saved after `count` (azurite keeps their blobs; they are never read). */
  const dropAfter = (count: number) => service.entries.splice(count);

  try {
    console.log(`post-step bench on ${MODULE}; load ${await load()}`);
    // The cold job's entries are every later case's starting point; its build cache is kept.
    const prepared = await job(thisDist, { cold: 'prepare' });
    console.log(`prepared (cold job, untimed use): ${prepared.saves}; load ${await load()}`);
    const coldEntries = service.entries.length;
    for (const c of cases) {
      if (c === 'source-changed') {
        const file = (
          await runGo(['list', '-f', '{{.Dir}}/{{index .GoFiles 0}}', './api/metadata'], ws, runnerEnv)
        ).stdout.trim();
        await appendFile(file, '\nvar benchPostEdit int\n\nfunc init() { benchPostEdit = 1 }\n');
      }
      for (let i = 0; i < runs; i++) {
        const order = i % 2 === 0 ? dists : [...dists].reverse();
        for (const dist of order) {
          let entries = coldEntries;
          // Cold: the stand-in holds nothing for this job (the cold entries are put back after it).
          const kept = c === 'cold' ? service.entries.splice(0) : [];
          if (c === 'cold') entries = 0;
          const sample = await job(dist.dir, {
            ...(c === 'cold' ? { cold: 'copy' as const } : {}),
            ...(values['cpu-prof'] ? { profileDir: join(root, 'profiles') } : {}),
          });
          dropAfter(entries);
          service.entries.push(...kept);
          const key = `${c}|${dist.name}`;
          samples.set(key, [...(samples.get(key) ?? []), sample]);
          console.log(
            `  ${c.padEnd(15)} ${dist.name.padEnd(40)} wall ${fmt(sample.wallMs, 0)} ms, cpu ${fmt(sample.cpuMs, 0)} ms; load ${await load()}`,
          );
          console.log(`    Post timing: ${sample.timing}`);
          console.log(`    ${sample.saves}`);
          if (sample.profile) console.log(`    main thread (profile samples, ms): ${sample.profile}`);
        }
      }
    }
    console.log('post step, median of the runs (wall ms / CPU ms, user + sys with children):');
    for (const c of cases) {
      for (const dist of dists) {
        const list = samples.get(`${c}|${dist.name}`) ?? [];
        console.log(
          `  ${c.padEnd(15)} ${dist.name.padEnd(40)} wall ${fmt(median(list.map((s) => s.wallMs)), 0)} [${list.map((s) => fmt(s.wallMs, 0)).join(', ')}]  cpu ${fmt(median(list.map((s) => s.cpuMs)), 0)} [${list.map((s) => fmt(s.cpuMs, 0)).join(', ')}]`,
        );
      }
    }
    console.log(`load at the end ${await load()}`);
  } finally {
    await service.close();
    await run('chmod', ['-R', 'u+w', root]).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
    await rm(dirname(thisDist), { recursive: true, force: true });
  }
}

await main();
