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
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { storeDirIn } from '../src/github/store-location.ts';
import { listStoreBlobs } from '../src/store/store-listing.ts';
import { buildActionBundles, killLeftoverProxy, newJob } from '../test/support/action-runner.ts';
import { startCacheService } from '../test/support/cache-service.ts';
import { goEnv, machineGoEnv, runGo } from '../test/support/go-env.ts';

const run = promisify(execFile);
const BIG_MODULE = 'github.com/gohugoio/hugo@v0.139.0';
const BIG_IMPORT = 'github.com/gohugoio/hugo/commands';
const ADDED_MODULE = 'github.com/rs/xid@v1.6.0';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

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
  const distDir = await buildActionBundles();
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

  // The two dependency states: base, and base plus one added module.
  const base = { mod: await readFile(join(program, 'go.mod')), sum: await readFile(join(program, 'go.sum')) };
  const added = await runGo(['get', ADDED_MODULE], program, prepEnv);
  if (added.code !== 0) throw new Error(`go get ${ADDED_MODULE} failed:\n${added.stderr}`);
  const changed = {
    mod: await readFile(join(program, 'go.mod')),
    sum: await readFile(join(program, 'go.sum')),
  };

  const service = await startCacheService();
  type Timing = { main: number; download: number; post: number; total: number };
  const results: Record<Scenario, Timing[]> = { cold: [], warm: [], 'one-changed': [] };
  type Scenario = 'cold' | 'warm' | 'one-changed';
  let coldModcache = '';
  let round = 0;

  async function jobFor(scenario: Scenario): Promise<void> {
    const files = scenario === 'one-changed' ? changed : base;
    await writeFile(join(program, 'go.mod'), files.mod);
    await writeFile(join(program, 'go.sum'), files.sum);
    // A fresh job: no store in the workspace, a fresh module cache.
    await rm(join(program, '.goproxy-action'), { recursive: true, force: true });
    const modcache = join(root, `modcache-${round++}`);
    const runnerEnv: Record<string, string> = { ...realEnv, GOMODCACHE: modcache, ...service.envV2() };
    // Node does not read the system's CA store by default; where the machine's network needs
    // a CA from that store (a TLS-inspecting gateway), the proxy's upstream fetches do.
    if (existsSync(SYSTEM_CA_BUNDLE)) runnerEnv.NODE_EXTRA_CA_CERTS = SYSTEM_CA_BUNDLE;
    const job = await newJob({ distDir, env: runnerEnv, inputs: {}, workspace: program });
    const t0 = performance.now();
    const mainRun = await job.runMain();
    const t1 = performance.now();
    if (mainRun.main.code !== 0)
      throw new Error(`main failed:\n${mainRun.main.stdout}${mainRun.main.stderr}`);
    const download = await runGo(['mod', 'download'], program, { ...runnerEnv, ...mainRun.exported });
    const t2 = performance.now();
    if (download.code !== 0) {
      killLeftoverProxy(mainRun);
      throw new Error(`go mod download failed:\n${download.stderr}`);
    }
    const done = await job.runPost(mainRun);
    const t3 = performance.now();
    if (done.post?.code !== 0) throw new Error(`post failed:\n${done.post?.stdout}${done.post?.stderr}`);
    const zips = [...(await listStoreBlobs(storeDirIn(program))).files.keys()].filter((p) =>
      p.endsWith('.zip'),
    ).length;
    results[scenario].push({ main: t1 - t0, download: t2 - t1, post: t3 - t2, total: t3 - t0 });
    const upstream = /\| upstream \| ([^|]+) \|/.exec(done.summary)?.[1]?.trim() ?? '?';
    console.log(
      `${scenario.padEnd(12)} restore=${(mainRun.outputs['cache-restore'] ?? '?').padEnd(8)} main ${(t1 - t0).toFixed(0)} ms, go mod download ${(t2 - t1).toFixed(0)} ms, post ${(t3 - t2).toFixed(0)} ms, total ${(t3 - t0).toFixed(0)} ms; ${zips} zips in the store; upstream ${upstream}`,
    );
    // Where the time went, as the action logs it (restore, proxy start, prune, save).
    const logged = `${mainRun.main.stdout}\n${done.post?.stdout ?? ''}`
      .split('\n')
      .filter((l) => /^(Proxy .* ready|restore:|new blobs:|prune:|save:)/.test(l));
    for (const line of logged) console.log(`    ${line}`);
    // The slowest requests the proxy answered (its audit log), to see where serving time went.
    const stateDir =
      (JSON.parse(mainRun.state['goproxy-action'] ?? '{}') as { stateDir?: string }).stateDir ?? '';
    const audit = (await readFile(join(stateDir, 'audit.jsonl'), 'utf8').catch(() => ''))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const slowest = [...audit]
      .sort((a, b) => Number(b.durationMs ?? 0) - Number(a.durationMs ?? 0))
      .slice(0, 3);
    console.log(
      `    audit: ${audit.length} requests; slowest: ${slowest.map((r) => `${r.kind} ${r.module}@${r.version ?? ''} ${r.source} ${r.durationMs} ms`).join('; ')}`,
    );
    if (scenario === 'cold') coldModcache = modcache;
    else await rm(modcache, { recursive: true, force: true }).catch(() => undefined);
    if (scenario === 'one-changed') {
      // Forget the entry it saved, so the next one-changed job restores partially again.
      const key = mainRun.outputs['cache-key'];
      for (let i = service.entries.length - 1; i >= 0; i--)
        if (service.entries[i]?.key === key) service.entries.splice(i, 1);
    }
    await rm(job.runner.runnerTemp, { recursive: true, force: true });
  }

  const median = (xs: number[]): number => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? 0;
  };
  try {
    await jobFor('cold');
    // Alternated, so slow spells of a shared machine hit both alike; medians of the rounds.
    for (let i = 0; i < ROUNDS; i++) {
      await jobFor('warm');
      await jobFor('one-changed');
    }
    const ours = service.entries[0]?.sizeBytes ?? 0;
    const setupGoStyle = await compressedSize(coldModcache);
    const m = (s: Scenario, k: keyof Timing) => median(results[s].map((t) => t[k]));
    console.log('');
    console.log(`medians of ${ROUNDS} rounds (ms):   main  download  post  total`);
    for (const s of ['cold', 'warm', 'one-changed'] as const)
      console.log(
        `  ${s.padEnd(12)} ${[m(s, 'main'), m(s, 'download'), m(s, 'post'), m(s, 'total')].map((v) => v.toFixed(0).padStart(8)).join('')}`,
      );
    console.log(
      `one-changed / warm, whole job:        ${(m('one-changed', 'total') / m('warm', 'total')).toFixed(2)} (target <= 1.3)`,
    );
    console.log(
      `one-changed / warm, go mod download:  ${(m('one-changed', 'download') / m('warm', 'download')).toFixed(2)}`,
    );
    console.log(
      `warm / cold, whole job:               ${(m('warm', 'total') / m('cold', 'total')).toFixed(2)}`,
    );
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
