// Whole-job benchmark, run by hand (not by CI):
//   node bench/whole-job.ts
// A CI job as the runner runs it (cache restore, `go build ./...`, `go test ./...`, cache save;
// a fresh runner each time: empty module cache and build cache at the same paths) on a real
// project, with the real @actions/cache against the cache-service stand-in, for three setups:
//   ours          the bundled action (dist/main.js + dist/post.js): layered module store, extracted
//                 module tree and build cache
//   setup-go      actions/setup-go `cache: true`: GOMODCACHE + GOCACHE in one tar+zstd archive,
//                 key setup-go-<os>-<arch>-go-<version>-<hash of go.sum>, no restore keys,
//                 not saved on an exact hit
//   actions-cache actions/cache on GOMODCACHE + GOCACHE, key go-<os>-<hash of go.sum>, restore key
//                 go-<os>-, not saved on an exact hit
// Five runs, the same workspace states for every setup: cold; warm (nothing changed); source
// changed (one package edited since the entries were saved: ours and the baselines restore the
// same cache state there, so one timed job each); ten commits later (ten more edits, one package
// per commit, CI running on every commit: ours runs commits 1..9 as full untimed jobs, restore,
// build, test, save, since its save logic adds a build-cache layer when a run added enough; the
// baselines' jobs on those commits are skipped because their go.sum key hits exactly and they do
// not save on an exact hit, so those runs leave their cache unchanged; then every setup's job on
// the tenth commit is timed); one dependency changed. Prints restore, build, test, save and total
// per job (the intermediate jobs one line each, marked untimed), the ratios ours / setup-go, per
// run how many packages' tests each setup ran vs took `(cached)`, and each setup's total cache
// storage after the runs (the five-run figure when all are timed; ours' post deletes the entries
// a compaction supersedes through the stand-in's REST API, as with `actions: write`). An edit is what a commit does
// to linked code (editPackage): the edited package's tests and its importers' re-run.
//
// BENCH_VERBOSE=1 prints, under each job of ours, the timing lines of its main and post steps.
//
// BENCH_RUNS: a comma-separated subset of cold,warm,source-changed,ten-commits,dep-changed (all by
// default) to time; the workspace changes of the runs left out are still applied, so the selected
// runs see the same states as in the whole bench (include cold: it saves the first entries).
//
// Project: BENCH_MODULE, a module@version whose source the go command downloads (default
// github.com/go-kratos/kratos/v2@v2.8.3, the Kratos microservice framework: 183 modules in `go list
// -m all`, 47 packages, most of them leaves with their own tests, so an edit re-runs a few
// packages' tests; github.com/minio/minio-go/v7@v7.4.1, the default until stop 22, has its
// settings kept in PROJECT_DEFAULTS); or BENCH_PROJECT, a source tarball, with
// BENCH_PROJECT_DIR, the module root inside it. BENCH_DEP_BUMP is the `go get` argument of the
// dependency change: it must upgrade exactly one module. BENCH_TEST_SKIP is the `go test -skip`
// pattern of every setup. Preparation needs the machine's GOPROXY once (into a prep module cache
// under the system temp dir, reused by later runs); the timed jobs are offline: every setup's
// upstream is `file://` of that prep cache, so the baselines' downloads are as fast as they can
// be (a real network only widens our lead on cold and dependency-change runs).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildActionBundles, killLeftoverProxy, newJob } from '../test/support/action-runner.ts';
import { type CacheService, startCacheService } from '../test/support/cache-service.ts';
import { goEnv, machineGoEnv, neverAskedSumdb, runGo } from '../test/support/go-env.ts';
import { median } from './engine-graph.ts';
import {
  DEP_BUMP,
  editablePackages,
  editPackage,
  MODULE,
  PREP,
  PROJECT,
  PROJECT_DIR,
  prepKey,
  spreadEdits,
  TEST_SKIP,
} from './whole-job-project.ts';

const run = promisify(execFile);
// BENCH_VERBOSE=1: print ours' main and post timing lines under each of its jobs.
const VERBOSE = process.env.BENCH_VERBOSE === '1';
// BENCH_WARM_REPEATS=N: the warm run N times (the order rotating each time), its figures the
// medians. Only warm repeats: every setup's warm job leaves its cache as it found it, while a
// source-changed or later job of ours saves a layer, so its second job would restore the edit.
// One warm job of each setup differs from the next by more than the setups differ (the same
// archive's extraction took 1.2 to 4.7 s on this machine's ext4 within minutes).
const WARM_REPEATS = Number(process.env.BENCH_WARM_REPEATS ?? 1);
if (!Number.isInteger(WARM_REPEATS) || WARM_REPEATS < 1 || WARM_REPEATS > 15) {
  throw new Error('BENCH_WARM_REPEATS: give 1 to 15');
}

type Setup = 'ours' | 'setup-go' | 'actions-cache';
const SETUPS: Setup[] = ['ours', 'setup-go', 'actions-cache'];
type RunName = 'cold' | 'warm' | 'source-changed' | 'ten-commits' | 'dep-changed';
type Timing = {
  restore: number;
  build: number;
  test: number;
  save: number;
  total: number;
  /** Packages whose tests ran, and whose result the go command took from the build cache. */
  testsRan: number;
  testsCached: number;
  note: string;
};
const RUN_NAMES: RunName[] = ['cold', 'warm', 'source-changed', 'ten-commits', 'dep-changed'];
const SELECTED = new Set(
  (process.env.BENCH_RUNS ?? RUN_NAMES.join(','))
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean),
);
for (const r of SELECTED) {
  if (!RUN_NAMES.includes(r as RunName)) {
    throw new Error(`BENCH_RUNS: unknown run ${r}; use a comma-separated subset of ${RUN_NAMES.join(',')}`);
  }
}

/** Each part's median over repeated jobs; the note and test counts are the median total's job. */
function medianTiming(timings: Timing[]): Timing {
  if (timings.length === 1) return timings[0]!;
  const byTotal = [...timings].sort((a, b) => a.total - b.total);
  const middle = byTotal[(byTotal.length - 1) >> 1]!;
  return {
    ...middle,
    restore: median(timings.map((t) => t.restore)),
    build: median(timings.map((t) => t.build)),
    test: median(timings.map((t) => t.test)),
    save: median(timings.map((t) => t.save)),
    total: median(timings.map((t) => t.total)),
  };
}

function secs(ms: number): string {
  return (ms / 1000).toFixed(1).padStart(7);
}

async function sh(cmd: string, args: string[], cwd?: string): Promise<string> {
  const { stdout } = await run(cmd, args, { cwd, maxBuffer: 256 << 20 });
  return stdout;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Prepares (once per project and dependency change) the project source, its base and bumped
 * go.mod/go.sum, and the prep module cache. Nothing already prepared is deleted or rewritten: the
 * source of a project is extracted once into its own directory (renamed into place when complete),
 * the bump is made in a scratch copy, and the prep module cache only grows, so a bench of another
 * project or bump, or another engineer's bench reading the same prep directory, is never disturbed.
 */
async function prepare(): Promise<{
  src: string;
  base: Files;
  bumped: Files;
  modules: number;
  change: string;
}> {
  const srcRoot = join(PREP, `src-${prepKey(PROJECT)}`);
  const src = join(srcRoot, PROJECT_DIR);
  const done = join(PREP, `done-${prepKey(`${PROJECT}#${DEP_BUMP}`)}.json`);
  const saved = JSON.parse(await readFile(done, 'utf8').catch(() => 'null')) as {
    base: Files;
    bumped: Files;
    modules: number;
    change: string;
  } | null;
  if (saved) return { src, ...saved };
  await mkdir(PREP, { recursive: true });
  const env = {
    ...goEnv({ goproxy: await machineGoEnv('GOPROXY'), gosumdb: await machineGoEnv('GOSUMDB') }),
    GOMODCACHE: join(PREP, 'modcache'),
    GOFLAGS: '-modcacherw -mod=mod',
  };
  console.log(
    `preparing ${PROJECT} (${PROJECT_DIR}), dependency change ${DEP_BUMP}, through the machine's GOPROXY...`,
  );
  if (!(await exists(srcRoot))) {
    const partial = await mkdtemp(join(PREP, 'src-partial-'));
    if (MODULE) {
      // The module's source as the go command extracts it (verified against the checksum
      // database), copied out of the prep module cache to be the workspace.
      const dl = await runGo(['mod', 'download', '-json', MODULE], partial, env);
      if (dl.code !== 0) throw new Error(`go mod download ${MODULE}: ${dl.stderr}${dl.stdout}`);
      const dir = (JSON.parse(dl.stdout) as { Dir?: string }).Dir;
      if (!dir) throw new Error(`go mod download ${MODULE} printed no Dir`);
      await cp(dir, join(partial, PROJECT_DIR), { recursive: true });
      await run('chmod', ['-R', 'u+w', partial]);
    } else {
      await sh('tar', ['-xzf', PROJECT, '-C', partial]);
    }
    const dl = await runGo(['mod', 'download', 'all'], join(partial, PROJECT_DIR), env);
    if (dl.code !== 0) throw new Error(`go mod download all: ${dl.stderr}`);
    // Test dependencies too (go test ./... needs them).
    const list = await runGo(['list', '-deps', '-test', './...'], join(partial, PROJECT_DIR), env);
    if (list.code !== 0) throw new Error(`go list -deps -test: ${list.stderr}`);
    await rename(partial, srcRoot);
  }
  const base = {
    mod: await readFile(join(src, 'go.mod'), 'utf8'),
    sum: await readFile(join(src, 'go.sum'), 'utf8'),
  };
  // The dependency change, made in a scratch copy (the source stays as released).
  const scratch = await mkdtemp(join(PREP, 'bump-'));
  try {
    await cp(src, scratch, { recursive: true });
    const get = await runGo(['get', DEP_BUMP], scratch, env);
    if (get.code !== 0) throw new Error(`go get ${DEP_BUMP}: ${get.stderr}`);
    // What a dependency update is: one module to a newer release. A downgrade, or a bump that
    // moves other modules too, is not the run the issue describes.
    const changes = get.stderr.split('\n').filter((l) => /^go: (upgraded|downgraded|added|removed) /.test(l));
    if (changes.length !== 1 || !changes[0]!.startsWith('go: upgraded ')) {
      throw new Error(
        `BENCH_DEP_BUMP=${DEP_BUMP} must upgrade exactly one module; go get said:\n${changes.join('\n') || get.stderr}`,
      );
    }
    const dlBumped = await runGo(['mod', 'download', 'all'], scratch, env);
    if (dlBumped.code !== 0) throw new Error(`go mod download all after the bump: ${dlBumped.stderr}`);
    const listBumped = await runGo(['list', '-deps', '-test', './...'], scratch, env);
    if (listBumped.code !== 0) throw new Error(`go list after the bump: ${listBumped.stderr}`);
    const bumped = {
      mod: await readFile(join(scratch, 'go.mod'), 'utf8'),
      sum: await readFile(join(scratch, 'go.sum'), 'utf8'),
    };
    if (bumped.sum === base.sum) throw new Error(`go get ${DEP_BUMP} changed nothing`);
    const modules = (await runGo(['list', '-m', 'all'], src, env)).stdout.trim().split('\n').length;
    const change = changes[0]!.replace(/^go: /, '');
    await writeFile(done, JSON.stringify({ base, bumped, modules, change }));
    return { src, base, bumped, modules, change };
  } finally {
    await run('chmod', ['-R', 'u+w', scratch]).catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The project's packages whose test binaries link a package of `module` (what `go test ./...`
 * re-runs when that module changes), from `go list -test`: the `p.test` entry's Deps are
 * everything its test binary links.
 */
async function packagesLinking(ws: string, env: Record<string, string>, module: string): Promise<string[]> {
  const r = await runGo(['list', '-test', '-f', '{{.ImportPath}} {{join .Deps " "}}', './...'], ws, env);
  if (r.code !== 0) throw new Error(`go list -test: ${r.stderr}`);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => l.split(' '))
    .filter(([pkg]) => pkg!.endsWith('.test'))
    .filter(([, ...deps]) => deps.some((d) => d === module || d.startsWith(`${module}/`)))
    .map(([pkg]) => pkg!.replace(/\.test$/, ''))
    .sort();
}

type Files = { mod: string; sum: string };

async function dirBytes(dir: string): Promise<number> {
  const out = await sh('du', ['-sb', dir]).catch(() => '0');
  return Number(out.split('\t')[0]) || 0;
}

async function main(): Promise<void> {
  const started = Date.now();
  const prep = await prepare();
  const distDir = await buildActionBundles();
  const root = await mkdtemp(join(tmpdir(), 'gpa-bench-wholejob-'));
  const ws = join(root, 'workspace');
  await cp(prep.src, ws, { recursive: true });
  const home = join(root, 'home');
  const modcache = join(home, 'go', 'pkg', 'mod');
  const gocache = join(home, '.cache', 'go-build');
  const upstream = `file://${join(PREP, 'modcache', 'cache', 'download')}`;
  const runnerEnv: Record<string, string> = {
    // go.sum covers every module, so no checksum database is ever asked (and GOSUMDB=off would
    // fail the action's environment lint).
    ...goEnv({ goproxy: upstream, gosumdb: neverAskedSumdb, gomodcache: modcache }),
    HOME: home,
    GOCACHE: gocache,
  };
  const goVersion = (await runGo(['env', 'GOVERSION'], ws, runnerEnv)).stdout.trim();
  const packages = await editablePackages(ws, runnerEnv);
  const edits = spreadEdits(packages);
  const bumpedModule = DEP_BUMP.replace(/@.*$/, '');
  const linking = await packagesLinking(ws, runnerEnv, bumpedModule);
  const short = (pkg: string): string => (MODULE ? pkg.replace(MODULE.replace(/@.*$/, ''), '.') : pkg);
  console.log(
    `project ${PROJECT} (${PROJECT_DIR}): ${prep.modules} modules in go list -m all, ${packages.length} packages; ${goVersion}; load ${(await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')}`,
  );
  console.log(
    `dependency change: ${prep.change}, linked into the test binaries of ${linking.length} packages (${linking.map(short).join(' ')}); tests skipped in every setup: ${TEST_SKIP || 'none'}`,
  );
  console.log(
    `edited packages (source changed, then commits 1 to 10): ${edits.map((f) => f.slice(ws.length + 1).replace(/\/?[^/]*$/, '') || '.').join(' ')}`,
  );

  // Ours' post deletes superseded entries through the stand-in's REST API with this token, as
  // a workflow granting `actions: write` lets it: the storage line counts what GitHub keeps.
  const apiToken = 'bench-actions-write-token';
  const service: CacheService = await startCacheService({ apiTokens: { [apiToken]: 'write' } });
  // @actions/cache in this process (the baselines) reads the runner's variables from process.env.
  Object.assign(process.env, service.envV2(), {
    GITHUB_WORKSPACE: ws,
    RUNNER_TEMP: join(root, 'runner-temp'),
  });
  await mkdir(join(root, 'runner-temp'), { recursive: true });
  const cache = await import('@actions/cache');

  const results: Record<RunName, Partial<Record<Setup, Timing>>> = {
    cold: {},
    warm: {},
    'source-changed': {},
    'ten-commits': {},
    'dep-changed': {},
  };

  async function freshRunner(): Promise<void> {
    await run('chmod', ['-R', 'u+w', home]).catch(() => undefined);
    await rm(home, { recursive: true, force: true });
    await rm(join(ws, '.goproxy-action'), { recursive: true, force: true });
    await mkdir(home, { recursive: true });
  }

  async function buildAndTest(
    env: Record<string, string>,
  ): Promise<{ build: number; test: number; testsRan: number; testsCached: number; note: string }> {
    const t0 = performance.now();
    const build = await runGo(['build', './...'], ws, env);
    const t1 = performance.now();
    if (build.code !== 0) throw new Error(`go build ./... failed:\n${build.stderr.slice(0, 4000)}`);
    const test = await runGo(['test', ...(TEST_SKIP ? ['-skip', TEST_SKIP] : []), './...'], ws, env);
    const t2 = performance.now();
    const lines = test.stdout.split('\n');
    const cached = lines.filter((l) => /^ok .*\(cached\)/.test(l)).length;
    // Which packages' tests ran (not cached), when only a few did: the stale-cache runs' story.
    const ran = lines
      .filter((l) => /^ok /.test(l) && !/\(cached\)/.test(l))
      .map((l) => {
        return short(l.split(/\s+/)[1]!);
      });
    const ranNote = ran.length > 0 && ran.length <= 5 ? ` [ran: ${ran.join(' ')}]` : '';
    const ok = lines.filter((l) => /^ok /.test(l)).length;
    const failedLines = lines.filter((l) => /^(FAIL|---\s*FAIL)/.test(l));
    const failed = failedLines.length;
    const which =
      failed > 0
        ? ` [${failedLines
            .map((l) => l.trim())
            .join('; ')
            .slice(0, 400)}]`
        : '';
    return {
      build: t1 - t0,
      test: t2 - t1,
      testsRan: ran.length,
      testsCached: cached,
      note: `tests ok ${ok} (cached ${cached})${ranNote}, fail ${failed}${which}`,
    };
  }

  async function jobOurs(): Promise<Timing> {
    const job = await newJob({
      distDir,
      env: { ...runnerEnv, ...service.envV2(), ...service.envRest() },
      inputs: { upstream, 'github-token': apiToken },
      workspace: ws,
    });
    const t0 = performance.now();
    const main = await job.runMain();
    const t1 = performance.now();
    try {
      if (main.main.code !== 0) throw new Error(`main failed:\n${main.main.stdout}${main.main.stderr}`);
      const bt = await buildAndTest({ ...runnerEnv, ...main.exported });
      const t2 = performance.now();
      const done = await job.runPost(main);
      const t3 = performance.now();
      if (done.post?.code !== 0) throw new Error(`post failed:\n${done.post?.stdout}${done.post?.stderr}`);
      if (VERBOSE) {
        // Where ours' restore and save time goes: the steps' own timing lines.
        for (const line of `${main.main.stdout}\n${done.post.stdout}`.split('\n'))
          if (/\d ms\b|superseded cache entries/.test(line))
            console.log(`    | ${line.trim().slice(0, 220)}`);
      }
      const saved = /build cache save: (\S+)/.exec(done.post.stdout)?.[1] ?? '?';
      const deleted = [...done.post.stdout.matchAll(/superseded cache entries: deleted (\d+)/g)].reduce(
        (sum, m) => sum + Number(m[1]),
        0,
      );
      const pruned = /build cache prune: (.*)$/m.exec(done.post.stdout)?.[1];
      const store = /^save: (.*)$/m.exec(done.post.stdout)?.[1] ?? '?';
      const tree = /module tree save: (\S+)/.exec(done.post.stdout)?.[1] ?? '?';
      const treeRestore = /Module tree restore: \S+.*?, (\d+) modules kept.*, (\d+) ms$/m.exec(
        main.main.stdout,
      );
      const treeNote = treeRestore ? ` (${treeRestore[1]} modules, ${treeRestore[2]} ms)` : '';
      await rm(job.runner.runnerTemp, { recursive: true, force: true });
      return {
        restore: t1 - t0,
        build: bt.build,
        test: bt.test,
        save: t3 - t2,
        total: t3 - t0,
        testsRan: bt.testsRan,
        testsCached: bt.testsCached,
        note: `${bt.note}; store ${main.outputs['cache-restore']}, save ${store.split(' in ')[0]}; build cache ${main.outputs['build-cache-key'] ? 'restored' : 'none'}, save ${saved}${pruned ? ` (prune: ${pruned})` : ''}; module tree ${main.outputs['module-tree-restore'] ?? 'off'}${treeNote}, save ${tree}${deleted > 0 ? `; deleted ${deleted} superseded entries` : ''}`,
      };
    } finally {
      killLeftoverProxy(main);
    }
  }

  async function jobBaseline(setup: 'setup-go' | 'actions-cache'): Promise<Timing> {
    const sumHash = createHash('sha256')
      .update(await readFile(join(ws, 'go.sum')))
      .digest('hex');
    const key =
      setup === 'setup-go' ? `setup-go-Linux-x64-go-${goVersion}-${sumHash}` : `go-Linux-${sumHash}`;
    const restoreKeys = setup === 'setup-go' ? [] : ['go-Linux-'];
    const paths = [modcache, gocache];
    const t0 = performance.now();
    const matched = await cache.restoreCache(paths, key, restoreKeys);
    const t1 = performance.now();
    const bt = await buildAndTest(runnerEnv);
    const t2 = performance.now();
    let saved = 'not saved (exact hit)';
    if (matched !== key) {
      const id = await cache.saveCache(paths, key);
      saved = id === -1 ? 'save failed' : 'saved';
    }
    const t3 = performance.now();
    return {
      restore: t1 - t0,
      build: bt.build,
      test: bt.test,
      save: t3 - t2,
      total: t3 - t0,
      testsRan: bt.testsRan,
      testsCached: bt.testsCached,
      note: `${bt.note}; restore ${matched === undefined ? 'miss' : matched === key ? 'exact' : 'partial'}, ${saved}; GOMODCACHE ${(await dirBytes(modcache)) >> 20} MiB, GOCACHE ${(await dirBytes(gocache)) >> 20} MiB`,
    };
  }

  function printJob(label: string, setup: string, timing: Timing): void {
    console.log(
      `${label.padEnd(15)} ${setup.padEnd(14)} restore${secs(timing.restore)} s  build${secs(timing.build)} s  test${secs(timing.test)} s  save${secs(timing.save)} s  total${secs(timing.total)} s   ${timing.note}`,
    );
  }

  let editCount = 0;
  // `timed` is false when BENCH_RUNS leaves the run out: its workspace changes are still applied.
  const runs: { name: RunName; prepare: (timed: boolean) => Promise<void> }[] = [
    { name: 'cold', prepare: async () => undefined },
    { name: 'warm', prepare: async () => undefined },
    // One edit since the last save: every setup restores the same (one edit stale) cache state.
    { name: 'source-changed', prepare: async () => editPackage(edits[0]!, ++editCount) },
    {
      name: 'ten-commits',
      prepare: async (timed) => {
        // Commits 1..9, CI running on each: only ours can refresh its entries there (a build-cache
        // layer when the run added enough). setup-go and actions-cache hit their go.sum key exactly
        // and do not save on an exact hit, so their jobs on these commits change nothing in their
        // cache and are skipped: on the tenth commit they restore the entry saved by the cold run.
        for (let i = 1; i <= 9; i++) {
          await editPackage(edits[i]!, ++editCount);
          if (!timed) continue;
          await freshRunner();
          printJob(`  commit ${i}/10`, 'ours (untimed)', await jobOurs());
        }
        await editPackage(edits[10]!, ++editCount);
      },
    },
    {
      name: 'dep-changed',
      prepare: async () => {
        await writeFile(join(ws, 'go.mod'), prep.bumped.mod);
        await writeFile(join(ws, 'go.sum'), prep.bumped.sum);
      },
    },
  ];
  try {
    for (const [index, r] of runs.entries()) {
      const timed = SELECTED.has(r.name);
      await r.prepare(timed);
      if (!timed) continue;
      const repeats = r.name === 'warm' ? WARM_REPEATS : 1;
      const repeated: Record<Setup, Timing[]> = { ours: [], 'setup-go': [], 'actions-cache': [] };
      for (let repeat = 0; repeat < repeats; repeat++) {
        // Rotating order, so a slow spell of the shared machine does not always hit one setup.
        const order = SETUPS.map((_, i) => SETUPS[(i + index + repeat) % SETUPS.length]!);
        const label = repeats > 1 ? `${r.name} ${repeat + 1}/${repeats}` : r.name;
        for (const setup of order) {
          await freshRunner();
          const timing = setup === 'ours' ? await jobOurs() : await jobBaseline(setup);
          repeated[setup].push(timing);
          printJob(label, setup, timing);
        }
      }
      for (const setup of SETUPS) results[r.name][setup] = medianTiming(repeated[setup]);
      if (repeats > 1) {
        for (const setup of SETUPS) printJob(`${r.name} median`, setup, results[r.name][setup]!);
        const pairs = repeated.ours.map((t, i) => (t.total / repeated['setup-go'][i]!.total).toFixed(2));
        console.log(`${r.name}: ours / setup-go per repeat ${pairs.join(', ')}`);
      }
    }
    console.log('');
    console.log(
      'whole job, ours / setup-go (targets: warm <= 1.0, source-changed and ten-commits <= 0.7, dep-changed <= 0.4):',
    );
    for (const r of runs.filter((run) => SELECTED.has(run.name))) {
      const ours = results[r.name].ours!.total;
      const sg = results[r.name]['setup-go']!.total;
      const ac = results[r.name]['actions-cache']!.total;
      console.log(
        `  ${r.name.padEnd(15)} ${(ours / sg).toFixed(2)}   (ours / actions-cache ${(ours / ac).toFixed(2)})`,
      );
    }
    // Why a ratio is what it is: how many packages' tests each setup's job ran vs took `(cached)`.
    console.log('packages whose tests ran / were (cached), per job:');
    for (const r of runs.filter((run) => SELECTED.has(run.name))) {
      const cells = SETUPS.map((setup) => {
        const t = results[r.name][setup]!;
        return `${setup} ${t.testsRan} ran / ${t.testsCached} cached`;
      });
      console.log(`  ${r.name.padEnd(15)} ${cells.join(', ')}`);
    }
    const storage = (prefix: (k: string) => boolean): number =>
      service.entries.filter((e) => prefix(e.key)).reduce((sum, e) => sum + e.sizeBytes, 0);
    const ours = storage((k) => k.startsWith('goproxy-action-'));
    const sg = storage((k) => k.startsWith('setup-go-'));
    const ac = storage((k) => k.startsWith('go-Linux-'));
    console.log(
      `cache storage after the runs (${SELECTED.size === RUN_NAMES.length ? 'all five' : [...SELECTED].join(', ')}): ours ${(ours / 1048576).toFixed(1)} MiB (${service.entries.filter((e) => e.key.startsWith('goproxy-action-')).length} entries), setup-go ${(sg / 1048576).toFixed(1)} MiB, actions-cache ${(ac / 1048576).toFixed(1)} MiB; ours / setup-go ${(ours / sg).toFixed(2)} (target <= 1.0)`,
    );
    // Ours by family: which chain's entries (bases, layers, superseded ones) the storage is.
    for (const family of [
      'goproxy-action-v2-store-',
      'goproxy-action-v2-modtree2-',
      'goproxy-action-gocache-',
    ]) {
      const entries = service.entries.filter((e) => e.key.startsWith(family));
      console.log(
        `  ours ${family}: ${entries.length} entries, ${(storage((k) => k.startsWith(family)) / 1048576).toFixed(1)} MiB [${entries.map((e) => `${/-(\d\d)(?:-[0-9a-z]+)?$/.exec(e.key)?.[1] ?? '?'}:${(e.sizeBytes / 1048576).toFixed(1)}`).join(' ')}]`,
      );
    }
    console.log(`benchmark wall time ${((Date.now() - started) / 60000).toFixed(1)} min`);
  } finally {
    await service.close();
    await run('chmod', ['-R', 'u+w', root]).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  }
}

await main();
