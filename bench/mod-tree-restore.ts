// Module tree restore benchmark, run by hand (not by CI), after `node bench/whole-job.ts` has
// prepared minio-go once (BENCH_MODULE=github.com/minio/minio-go/v7@v7.4.1, the default until stop 22):
//   node bench/mod-tree-restore.ts [--runs N]
// The main step's module tree part alone (src/github/mod-tree-step.ts restoreModTree), as
// bench/whole-job.ts's dependency-changed job runs it: the tree a cold job of the default project
// (minio-go) extracts, saved as a base entry to the cache-service stand-in with the real
// @actions/cache, then restored N times into an empty GOMODCACHE against the bumped go.sum. Prints
// per run the wall time, the phases the restore reports (its `phases`), and the CPU of this
// process and of its children (tar, zstd), so a change shows in CPU seconds, not only in wall
// time on a shared machine. Prints the same for `tar -x` of the entry's contents alone (tar +
// zstd, what @actions/cache runs): the floor of the restore on this machine.
// Since stop 23 each run restores the tree twice, in alternating order: with our streamed restore
// (src/github/streamed-restore.ts, what the action uses) and with @actions/cache's own
// restoreCache (the baseline), and prints the ratio of their medians (wall, CPU) at the end.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { actionsCacheClient } from '../src/cachelayers/layered-cache.ts';
import { restoreModTree, saveModTree, treeCacheClient } from '../src/github/mod-tree-step.ts';
import { startCacheService } from '../test/support/cache-service.ts';
import { goEnv, neverAskedSumdb, runGo } from '../test/support/go-env.ts';
import { childCpuSecondsOf, cpuSecondsOf } from './engine-graph.ts';

const run = promisify(execFile);
const PREP = join(tmpdir(), 'goproxy-action-bench-wholejob-prep');
const PROJECT_DIR = 'v7-v7.4.1';
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;

/** CPU seconds of this process and of its waited-for children (tar, zstd). */
async function cpu(): Promise<{ self: number; children: number }> {
  return { self: await cpuSecondsOf(process.pid), children: await childCpuSecondsOf(process.pid) };
}

type Timing = { ms: number; cpu: number };

async function emptyModCache(dir: string): Promise<void> {
  await run('chmod', ['-R', 'u+w', dir]).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  // The prep directory holds every project whole-job.ts prepared: take minio-go's source and one
  // of its prepared dependency changes (the state file's go.mod names the module).
  const prepared = await readdir(PREP).catch(() => [] as string[]);
  let srcRoot: string | undefined;
  for (const d of prepared.filter((d) => d.startsWith('src-'))) {
    if ((await readdir(join(PREP, d))).includes(PROJECT_DIR)) srcRoot = d;
  }
  let bumped: { mod: string; sum: string } | undefined;
  for (const d of prepared.filter((d) => d.startsWith('done-'))) {
    const state = JSON.parse(await readFile(join(PREP, d), 'utf8')) as {
      bumped: { mod: string; sum: string };
    };
    if (/^module github\.com\/minio\/minio-go\/v7$/m.test(state.bumped.mod)) bumped = state.bumped;
  }
  if (!srcRoot || !bumped) {
    throw new Error(
      `run BENCH_MODULE=github.com/minio/minio-go/v7@v7.4.1 node bench/whole-job.ts once first (it prepares ${PREP})`,
    );
  }
  const root = await mkdtemp(join(tmpdir(), 'gpa-bench-modtree-'));
  const service = await startCacheService();
  try {
    const ws = join(root, 'workspace');
    await cp(join(PREP, srcRoot, PROJECT_DIR), ws, { recursive: true });
    const gomodcache = join(root, 'home', 'go', 'pkg', 'mod');
    const env = goEnv({
      goproxy: `file://${join(PREP, 'modcache', 'cache', 'download')}`,
      gosumdb: neverAskedSumdb,
      gomodcache,
    });
    await mkdir(join(root, 'runner-temp'), { recursive: true });
    Object.assign(process.env, service.envV2(), {
      GITHUB_WORKSPACE: ws,
      RUNNER_TEMP: join(root, 'runner-temp'),
    });
    process.chdir(ws);
    const client = treeCacheClient(gomodcache);
    const goSumFiles = [join(ws, 'go.sum')];
    const stateDir = await mkdtemp(join(root, 'state-'));
    // The cold job's tree: what loading every package and test dependency extracts.
    const filled = await runGo(['list', '-deps', '-test', './...'], ws, env);
    if (filled.code !== 0) throw new Error(`go list: ${filled.stderr}`);
    const aside = `${gomodcache}.filled`;
    await rename(gomodcache, aside);
    const cold = await restoreModTree({
      client,
      gomodcache,
      goos: 'linux',
      goSumFiles,
      dependencyKey: 'cold',
      stateDir,
      canRestore: true,
      writable: true,
    });
    await emptyModCache(gomodcache);
    await rename(aside, gomodcache);
    const saved = await saveModTree(cold, client, 'cold', {});
    const entry = service.entries.find((e) => e.key === saved.savedKey);
    console.log(
      `saved ${saved.savedKey} (${saved.addedModules} modules, ${((entry?.sizeBytes ?? 0) / 1048576).toFixed(1)} MiB); load ${(await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')}`,
    );
    // The floor: the same files through tar and zstd alone, as @actions/cache extracts them.
    const archive = join(root, 'tree.tar.zst');
    await run('sh', ['-c', `tar -cf - -C "${gomodcache}" . | zstd -q -T0 --long=30 -o "${archive}"`]);
    await emptyModCache(gomodcache);
    // The dependency-changed job's go.sum: the tree is checked (and one module pruned) against it.
    await writeFile(join(ws, 'go.mod'), bumped.mod);
    await writeFile(join(ws, 'go.sum'), bumped.sum);
    const timings = { streamed: [] as Timing[], 'actions-cache': [] as Timing[] };
    for (let i = 0; i < RUNS; i++) {
      await mkdir(gomodcache, { recursive: true });
      const c0 = await cpu();
      const t0 = performance.now();
      await run('sh', ['-c', `zstd -q -d --long=30 -c "${archive}" | tar -xf - -C "${gomodcache}"`]);
      const t1 = performance.now();
      const c1 = await cpu();
      await emptyModCache(gomodcache);
      console.log(
        `run ${i + 1}: tar+zstd alone ${(t1 - t0).toFixed(0)} ms (children CPU ${(c1.children - c0.children).toFixed(2)} s)`,
      );
      const order =
        i % 2 === 0 ? (['streamed', 'actions-cache'] as const) : (['actions-cache', 'streamed'] as const);
      for (const how of order) {
        await mkdir(gomodcache, { recursive: true });
        const t1b = performance.now();
        const c1b = await cpu();
        const state = await restoreModTree({
          client: how === 'streamed' ? client : actionsCacheClient(gomodcache, false),
          gomodcache,
          goos: 'linux',
          goSumFiles,
          dependencyKey: 'bumped',
          stateDir,
          canRestore: true,
          writable: true,
        });
        const t2 = performance.now();
        const c2 = await cpu();
        const cpuSeconds = c2.self - c1b.self + (c2.children - c1b.children);
        timings[how].push({ ms: t2 - t1b, cpu: cpuSeconds });
        console.log(
          `  ${how}: restoreModTree ${(t2 - t1b).toFixed(0)} ms, ${state.restore}, ${state.kept} kept, ${state.pruned} pruned; CPU self ${(c2.self - c1b.self).toFixed(2)} s, children ${(c2.children - c1b.children).toFixed(2)} s; ${JSON.stringify(state.phases ?? {})}`,
        );
        await emptyModCache(gomodcache);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ms = (how: keyof typeof timings) => median(timings[how].map((t) => t.ms));
    const cpuOf = (how: keyof typeof timings) => median(timings[how].map((t) => t.cpu));
    console.log(
      `median restore: streamed ${ms('streamed').toFixed(0)} ms, ${cpuOf('streamed').toFixed(2)} CPU s; @actions/cache ${ms('actions-cache').toFixed(0)} ms, ${cpuOf('actions-cache').toFixed(2)} CPU s; streamed / @actions/cache: wall ${(ms('streamed') / ms('actions-cache')).toFixed(2)}, CPU ${(cpuOf('streamed') / cpuOf('actions-cache')).toFixed(2)}; load ${(await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')}`,
    );
  } finally {
    await service.close();
    await run('chmod', ['-R', 'u+w', root]).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  }
}

await main();
