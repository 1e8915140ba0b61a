// Restore floor benchmark, run by hand (not by CI), after `node bench/whole-job.ts` has prepared
// its project (Kratos by default; BENCH_MODULE / BENCH_PROJECT as there):
//   node bench/restore-floor.ts [--rounds N]
// What issue 12's target "source changed at most 0.7 times setup-go" leaves for a restore. In that
// run every setup restores the cold job's cache state and the go command does the same work G, so
// ours / setup-go = (R_ours + G + S_ours) / (R_setup-go + G): 0.7 needs
// R_ours + S_ours <= 0.7 R_setup-go - 0.3 G, the "budget" printed at the end.
// One cold `go build ./...` + `go test ./...` of the project makes the state (GOMODCACHE and GOCACHE
// under one home, at fixed paths as a runner's are), archived as @actions/cache archives (tar,
// zstd --long=30). Then each round times, in rotating order, each restore into an empty home
// (the previous one removed, `sync`, a second's pause, the same for every restore):
//   setup-go       its one archive: GOMODCACHE + GOCACHE
//   tree           ours' extracted module tree alone (trimToTree of the same GOMODCACHE: no zips):
//                  what the go command needs before it can hash a single source file
//   tree+gocache   what ours restores on an exact tree today (the store is skipped), both at once
//   tree+outputs   the tree and only the build cache's outputs (`-d`), both at once: the floor of
//                  an on-demand (GOCACHEPROG) restore, which writes no action files but must write
//                  every output the build reads to disk (a helper answers with a DiskPath)
// and, after setup-go's restore, the source-changed work itself (whole-job's edit 0, then
// `go build ./...` and `go test ./...`): G. Before the rounds, one untimed pass ages the restored
// build cache as the action does and counts what that work read (used entries, by the go
// command's own mtime marking), which is what an on-demand restore could leave unwritten.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AGE_BACK_MS,
  ageEntries,
  buildCacheUsage,
  listBuildCache,
} from '../src/buildcache/build-cache-dir.ts';
import { trimToTree } from '../src/modtree/mod-tree.ts';
import { goEnv, neverAskedSumdb, runGo } from '../test/support/go-env.ts';
import { median } from './engine-graph.ts';
import {
  editablePackages,
  editPackage,
  PREP,
  PROJECT,
  PROJECT_DIR,
  prepKey,
  spreadEdits,
  TEST_SKIP,
} from './whole-job-project.ts';

const run = promisify(execFile);
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 5;
if (!Number.isInteger(ROUNDS) || ROUNDS < 1 || ROUNDS > 30) throw new Error('--rounds: give 1 to 30');

type Variant = 'setup-go' | 'tree' | 'tree+gocache' | 'tree+outputs';
const VARIANTS: Variant[] = ['setup-go', 'tree', 'tree+gocache', 'tree+outputs'];
// Paths inside the runner's home, as the archives hold them.
const MODCACHE = 'go/pkg/mod';
const GOCACHE = '.cache/go-build';

async function tarCreate(archive: string, cwd: string, list: string[]): Promise<void> {
  const manifest = `${archive}.files`;
  await writeFile(manifest, `${list.join('\n')}\n`);
  await run(
    'tar',
    [
      '--posix',
      '-cf',
      archive,
      '-P',
      '-C',
      cwd,
      '--files-from',
      manifest,
      '--use-compress-program',
      'zstd -T0 --long=30',
    ],
    {
      maxBuffer: 64 << 20,
    },
  );
}

async function tarExtract(archive: string, into: string): Promise<void> {
  await run('tar', ['-xf', archive, '-P', '-C', into, '--use-compress-program', 'unzstd --long=30']);
}

async function removeDir(dir: string): Promise<void> {
  await run('chmod', ['-R', 'u+w', dir]).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}

async function sizeMiB(file: string): Promise<string> {
  return ((await stat(file)).size / 1048576).toFixed(1);
}

function secs(ms: number): string {
  return (ms / 1000).toFixed(2);
}

async function main(): Promise<void> {
  const src = join(PREP, `src-${prepKey(PROJECT)}`, PROJECT_DIR);
  if (!(await stat(src).catch(() => null))) {
    throw new Error(`${src} is missing: run node bench/whole-job.ts once first (it prepares ${PROJECT})`);
  }
  const root = await mkdtemp(join(PREP, '..', 'gpa-bench-restorefloor-'));
  const ws = join(root, 'workspace');
  const home = join(root, 'home');
  const archives = join(root, 'archives');
  await cp(src, ws, { recursive: true });
  await run('chmod', ['-R', 'u+w', ws]);
  await mkdir(archives);
  const env: Record<string, string> = {
    ...goEnv({
      goproxy: `file://${join(PREP, 'modcache', 'cache', 'download')}`,
      gosumdb: neverAskedSumdb,
      gomodcache: join(home, MODCACHE),
    }),
    HOME: home,
    GOCACHE: join(home, GOCACHE),
  };
  const testArgs = ['test', ...(TEST_SKIP ? ['-skip', TEST_SKIP] : []), './...'];
  try {
    console.log(`project ${PROJECT}; load ${(await run('cat', ['/proc/loadavg'])).stdout.trim()}`);
    const t0 = performance.now();
    for (const args of [['build', './...'], testArgs]) {
      const r = await runGo(args, ws, env);
      if (r.code !== 0)
        throw new Error(`cold go ${args.join(' ')}: ${r.stderr.slice(0, 4000)}${r.stdout.slice(-4000)}`);
    }
    console.log(`cold build + test: ${secs(performance.now() - t0)} s`);

    // The archives. The tree is trimmed in a copy, so the setup-go archive keeps the zips.
    const gocacheNames = await listBuildCache(join(home, GOCACHE));
    const outputs = [...gocacheNames.keys()].filter((k) => k.endsWith('-d'));
    const topFiles = (await readdir(join(home, GOCACHE), { withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => `${GOCACHE}/${e.name}`);
    await tarCreate(join(archives, 'setup-go.tzst'), home, [MODCACHE, GOCACHE]);
    await tarCreate(join(archives, 'gocache.tzst'), home, [GOCACHE]);
    await tarCreate(join(archives, 'outputs.tzst'), home, [
      ...topFiles,
      ...outputs.map((k) => `${GOCACHE}/${k}`),
    ]);
    const treeHome = join(root, 'tree-home');
    await mkdir(join(treeHome, 'go', 'pkg'), { recursive: true });
    await cp(join(home, MODCACHE), join(treeHome, MODCACHE), { recursive: true });
    const trim = await trimToTree(join(treeHome, MODCACHE));
    await tarCreate(join(archives, 'tree.tzst'), treeHome, [MODCACHE]);
    await removeDir(treeHome);
    const archiveOf: Record<Variant, string[]> = {
      'setup-go': ['setup-go.tzst'],
      tree: ['tree.tzst'],
      'tree+gocache': ['tree.tzst', 'gocache.tzst'],
      'tree+outputs': ['tree.tzst', 'outputs.tzst'],
    };
    console.log(
      `archives (MiB): setup-go ${await sizeMiB(join(archives, 'setup-go.tzst'))}, tree ${await sizeMiB(join(archives, 'tree.tzst'))} (trimmed ${trim.removedFiles} files, ${(trim.removedBytes / 1048576).toFixed(0)} MiB), gocache ${await sizeMiB(join(archives, 'gocache.tzst'))} (${gocacheNames.size} entries), outputs ${await sizeMiB(join(archives, 'outputs.tzst'))} (${outputs.length} entries)`,
    );

    // The source change, as whole-job's source-changed run makes it.
    const edited = spreadEdits(await editablePackages(ws, env))[0]!;
    await editPackage(edited, 1);
    console.log(`edited ${edited.slice(ws.length + 1)}`);

    async function restore(variant: Variant): Promise<number> {
      await removeDir(home);
      await mkdir(home);
      await run('sync');
      await new Promise((r) => setTimeout(r, 1000));
      const start = performance.now();
      await Promise.all(archiveOf[variant].map((a) => tarExtract(join(archives, a), home)));
      return performance.now() - start;
    }

    async function sourceChangedWork(): Promise<number> {
      const start = performance.now();
      for (const args of [['build', './...'], testArgs]) {
        const r = await runGo(args, ws, env);
        if (r.code !== 0)
          throw new Error(`go ${args.join(' ')}: ${r.stderr.slice(0, 4000)}${r.stdout.slice(-4000)}`);
      }
      return performance.now() - start;
    }

    // What the source-changed work reads of the restored build cache (untimed pass).
    await restore('setup-go');
    const dir = join(home, GOCACHE);
    const restored = await listBuildCache(dir);
    await ageEntries(dir, restored, new Date(Date.now() - AGE_BACK_MS));
    const usedSince = Date.now();
    await sourceChangedWork();
    const usage = buildCacheUsage(new Set(restored.keys()), await listBuildCache(dir), usedSince);
    const kind = (paths: string[], suffix: string): string[] => paths.filter((p) => p.endsWith(suffix));
    const bytesOf = (paths: string[]): number => paths.reduce((n, p) => n + (restored.get(p)?.bytes ?? 0), 0);
    const usedOutputs = kind(usage.used, '-d');
    const allOutputs = kind([...restored.keys()], '-d');
    console.log(
      `the source-changed work read ${usedOutputs.length} of ${allOutputs.length} restored outputs (${(bytesOf(usedOutputs) / 1048576).toFixed(1)} of ${(bytesOf(allOutputs) / 1048576).toFixed(1)} MiB) and ${kind(usage.used, '-a').length} of ${kind([...restored.keys()], '-a').length} action entries; it added ${usage.added.length} entries`,
    );

    const times: Record<Variant, number[]> = {
      'setup-go': [],
      tree: [],
      'tree+gocache': [],
      'tree+outputs': [],
    };
    const work: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]!);
      const line: string[] = [];
      for (const variant of order) {
        const ms = await restore(variant);
        times[variant].push(ms);
        line.push(`${variant} ${secs(ms)}`);
        if (variant === 'setup-go') {
          const g = await sourceChangedWork();
          work.push(g);
          line.push(`G ${secs(g)}`);
        }
      }
      console.log(`round ${round + 1}: ${line.join(', ')} s`);
    }

    const sg = median(times['setup-go']);
    const g = median(work);
    const budget = 0.7 * (sg + g) - g;
    console.log(`\nmedians over ${ROUNDS} rounds (s), and each restore / setup-go's:`);
    for (const variant of VARIANTS) {
      const m = median(times[variant]);
      console.log(`  ${variant.padEnd(13)} ${secs(m).padStart(6)}   ${(m / sg).toFixed(2)}`);
    }
    console.log(`  G (source-changed go build + go test): ${secs(g)}`);
    console.log(
      `budget for ours' restore + save at 0.7: 0.7 x (${secs(sg)} + ${secs(g)}) - ${secs(g)} = ${secs(budget)} s (${(budget / sg).toFixed(2)} of setup-go's restore)`,
    );
    for (const variant of VARIANTS.slice(1)) {
      const m = median(times[variant]);
      console.log(
        `  ${variant.padEnd(13)} alone, with no save: source changed ${((m + g) / (sg + g)).toFixed(2)} of setup-go (${m <= budget ? 'within' : 'over'} the budget)`,
      );
    }
  } finally {
    await removeDir(root);
  }
}

await main();
