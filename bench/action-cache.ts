// Benchmark of the GitHub Action's module blob cache, run by hand (not by CI):
//   node bench/action-cache.ts
// REAL NETWORK: resolves a real module graph (hugo, over 150 modules) through the machine's
// GOPROXY. Then, with the bundled action (dist/main.js + dist/post.js) run as a runner runs it
// against the local cache-service stand-in, times three jobs that each run `go mod download`
// with a fresh module cache: cold (nothing cached), warm (exact hit), and one dependency added
// (partial hit through the restore key). Last, compares the size of our cache entry with a
// setup-go style archive (the whole GOMODCACHE after the cold job) made with the same
// compressor @actions/cache uses (tar | zstd -T0 --long=30).
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { listStoreBlobs, storeDirIn } from '../src/github/store-location.ts';
import { newJob } from '../test/support/action-runner.ts';
import { startCacheService } from '../test/support/cache-service.ts';
import { goEnv, machineGoEnv, runGo } from '../test/support/go-env.ts';

const run = promisify(execFile);
const BIG_MODULE = 'github.com/gohugoio/hugo@v0.139.0';
const BIG_IMPORT = 'github.com/gohugoio/hugo/commands';
const ADDED_MODULE = 'github.com/rs/xid@v1.6.0';

function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

async function compressedSize(dir: string): Promise<number> {
  // The pipeline @actions/cache runs for zstd archives, counted instead of written.
  return await new Promise((resolve, reject) => {
    const tar = spawn('tar', ['--posix', '-cf', '-', '-C', dir, '.'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const zstd = spawn('zstd', ['-T0', '--long=30', '-c'], { stdio: ['pipe', 'pipe', 'inherit'] });
    tar.stdout.pipe(zstd.stdin);
    let size = 0;
    zstd.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
    });
    zstd.on('error', reject);
    zstd.on('close', (code) => (code === 0 ? resolve(size) : reject(new Error(`zstd exited ${code}`))));
  });
}

async function main(): Promise<void> {
  await run(process.execPath, ['scripts/build.ts']);
  const root = await mkdtemp(join(tmpdir(), 'gpa-bench-cache-'));
  const program = join(root, 'program');
  await mkdir(program);
  const realEnv = goEnv({ goproxy: await machineGoEnv('GOPROXY'), gosumdb: await machineGoEnv('GOSUMDB') });
  const prepEnv = { ...realEnv, GOMODCACHE: join(root, 'prep-modcache') };
  console.log(`preparing: a program importing ${BIG_IMPORT} (go.sum through the machine's GOPROXY)`);
  await writeFile(join(program, 'go.mod'), 'module example.com/bench\n\ngo 1.23\n');
  await writeFile(join(program, 'main.go'), `package main\n\nimport _ "${BIG_IMPORT}"\n\nfunc main() {}\n`);
  for (const args of [
    ['get', BIG_MODULE],
    ['mod', 'tidy'],
  ]) {
    const r = await runGo(args, program, prepEnv);
    if (r.code !== 0) throw new Error(`go ${args.join(' ')} failed:\n${r.stderr}`);
  }

  const service = await startCacheService();
  type Timing = {
    main: number;
    download: number;
    post: number;
    total: number;
    restore: string;
    zips: number;
  };
  const results: Record<string, Timing> = {};
  let coldModcache = '';
  try {
    for (const scenario of ['cold', 'warm', 'one-changed'] as const) {
      if (scenario === 'one-changed') {
        const r = await runGo(['get', ADDED_MODULE], program, prepEnv);
        if (r.code !== 0) throw new Error(`go get ${ADDED_MODULE} failed:\n${r.stderr}`);
      }
      // A fresh job: no store in the workspace, a fresh module cache.
      await rm(join(program, '.goproxy-action'), { recursive: true, force: true });
      const modcache = join(root, `modcache-${scenario}`);
      const runnerEnv = { ...realEnv, GOMODCACHE: modcache, ...service.envV2() };
      const job = await newJob({ env: runnerEnv, inputs: {}, workspace: program });
      const t0 = performance.now();
      const mainRun = await job.runMain();
      const t1 = performance.now();
      if (mainRun.main.code !== 0)
        throw new Error(`main failed:\n${mainRun.main.stdout}${mainRun.main.stderr}`);
      const download = await runGo(['mod', 'download'], program, { ...runnerEnv, ...mainRun.exported });
      const t2 = performance.now();
      if (download.code !== 0) throw new Error(`go mod download failed:\n${download.stderr}`);
      const done = await job.runPost(mainRun);
      const t3 = performance.now();
      if (done.post?.code !== 0) throw new Error(`post failed:\n${done.post?.stdout}${done.post?.stderr}`);
      const zips = [...(await listStoreBlobs(storeDirIn(program))).files.keys()].filter((p) =>
        p.endsWith('.zip'),
      ).length;
      results[scenario] = {
        main: t1 - t0,
        download: t2 - t1,
        post: t3 - t2,
        total: t3 - t0,
        restore: mainRun.outputs['cache-restore'] ?? '?',
        zips,
      };
      console.log(
        `${scenario.padEnd(12)} restore=${results[scenario].restore.padEnd(8)} main ${(t1 - t0).toFixed(0)} ms, go mod download ${(t2 - t1).toFixed(0)} ms, post ${(t3 - t2).toFixed(0)} ms, total ${(t3 - t0).toFixed(0)} ms (${zips} module zips in the store)`,
      );
      if (scenario === 'cold') coldModcache = modcache;
      await rm(job.runner.runnerTemp, { recursive: true, force: true });
    }
    const ours = service.entries[0]?.sizeBytes ?? 0;
    const setupGoStyle = await compressedSize(coldModcache);
    const warm = results.warm!;
    const changed = results['one-changed']!;
    console.log('');
    console.log(
      `one-changed / warm, whole job:        ${(changed.total / warm.total).toFixed(2)} (target <= 1.3)`,
    );
    console.log(`one-changed / warm, go mod download:  ${(changed.download / warm.download).toFixed(2)}`);
    console.log(`warm / cold, whole job:               ${(warm.total / results.cold!.total).toFixed(2)}`);
    console.log(
      `archive: ours ${mib(ours)} vs setup-go style (whole GOMODCACHE, tar | zstd -T0 --long=30) ${mib(setupGoStyle)}: ratio ${(ours / setupGoStyle).toFixed(2)} (target <= 0.6)`,
    );
  } finally {
    await service.close();
    await run('chmod', ['-R', 'u+w', root]).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  }
}

await main();
