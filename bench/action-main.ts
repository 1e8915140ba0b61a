// Benchmark, run by hand (not by CI):  node bench/action-main.ts [--runs 5]
// The GitHub Action's main step from start to exported environment, cache restore excluded:
// the bundled action (buildActionBundles: the working tree's sources) run as a runner runs it
// (test/support/action-runner.ts), once with `cache: false` (no restore at all) and once with
// the cache-service stand-in holding nothing (a restore that misses: what loading and asking
// @actions/cache costs). Printed beside it, measured the same way in the same run: a bare
// `node -e ''` (the floor for any Node step) and `go env` (the step runs it once). Hermetic: no
// network, an empty workspace module.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { buildActionBundles, killLeftoverProxy, newJob } from '../test/support/action-runner.ts';
import { startCacheService } from '../test/support/cache-service.ts';
import { goEnv, neverAskedSumdb } from '../test/support/go-env.ts';
import { fmt, median } from './engine-graph.ts';

const run = promisify(execFile);
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, compare: { type: 'string' } },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 30) throw new Error('--runs: give 1 to 30');

async function main(): Promise<void> {
  const distDir = await buildActionBundles();
  // --compare DIR: another build's dist/ (e.g. the commit before a change), run alternately.
  const dists = [{ name: 'this tree', dir: distDir }];
  if (values.compare) dists.push({ name: `compare (${values.compare})`, dir: values.compare });
  const root = await mkdtemp(join(tmpdir(), 'gpa-bench-action-main-'));
  const cacheService = await startCacheService();
  try {
    const workspace = join(root, 'ws');
    await run('mkdir', ['-p', workspace]);
    await writeFile(join(workspace, 'go.mod'), 'module example.com/bench\n\ngo 1.23\n');
    await writeFile(join(workspace, 'go.sum'), '');
    const baseEnv = {
      ...goEnv({ goproxy: 'off', gosumdb: neverAskedSumdb, gomodcache: join(root, 'modcache') }),
      HOME: join(root, 'home'),
    };
    const times = new Map(
      dists.map((d) => [
        d.name,
        {
          noCache: [] as number[],
          miss: [] as number[],
          ready: [] as number[],
          post: [] as number[],
          postCpu: [] as number[],
        },
      ]),
    );
    const floor = { node: [] as number[], goEnv: [] as number[] };
    for (let i = 0; i < runs; i++) {
      for (const dist of dists) {
        const own = times.get(dist.name)!;
        for (const scenario of ['noCache', 'miss'] as const) {
          const env = scenario === 'miss' ? { ...baseEnv, ...cacheService.envV2() } : baseEnv;
          const inputs = scenario === 'miss' ? { cache: 'true' } : { cache: 'false' };
          // A fresh workspace store each time: `miss` finds nothing, `noCache` starts empty too.
          await rm(join(workspace, '.goproxy-action'), { recursive: true, force: true });
          const job = await newJob({ distDir: dist.dir, env, inputs, workspace });
          const t0 = performance.now();
          const result = await job.runMain();
          const ms = performance.now() - t0;
          if (result.main.code !== 0 || !result.exported.GOPROXY) {
            killLeftoverProxy(result);
            throw new Error(`main failed (${scenario}):\n${result.main.stdout}${result.main.stderr}`);
          }
          if (scenario === 'noCache') {
            // Post with nothing to save: Node, its imports, the proxy's stop (until it has exited).
            // As job.runPost runs it, under /usr/bin/time: its CPU time holds up under load.
            const stateEnv = Object.fromEntries(
              Object.entries(result.state).map(([name, value]) => [`STATE_${name}`, value]),
            );
            const p0 = performance.now();
            const timed = await run(
              '/usr/bin/time',
              ['-f', 'cpu %U %S', process.execPath, join(dist.dir, 'post.js')],
              { env: { ...job.runner.env, ...result.exported, ...stateEnv }, cwd: workspace },
            );
            own.post.push(performance.now() - p0);
            const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(timed.stderr);
            if (!cpu || !/Post timing:/.test(timed.stdout))
              throw new Error(`post failed:\n${timed.stdout}${timed.stderr}`);
            own.postCpu.push((Number(cpu[1]) + Number(cpu[2])) * 1000);
          }
          killLeftoverProxy(result);
          const restoreMs = Number(/Cache restore: .* (\d+) ms/.exec(result.main.stdout)?.[1] ?? 0);
          own[scenario].push(ms - restoreMs);
          const readyMs = /ready in (\d+) ms/.exec(result.main.stdout)?.[1];
          if (readyMs) own.ready.push(Number(readyMs));
        }
      }
      let t = performance.now();
      await run(process.execPath, ['-e', '']);
      floor.node.push(performance.now() - t);
      t = performance.now();
      await run('go', ['env', '-json', 'GOPROXY', 'GOSUMDB'], { env: baseEnv });
      floor.goEnv.push(performance.now() - t);
    }
    const line = (label: string, list: number[]) =>
      console.log(
        `  ${label.padEnd(46)} median ${fmt(median(list), 0)} ms  [${list.map((v) => fmt(v, 0)).join(', ')}]`,
      );
    console.log(
      `action main step, start to exported environment (${runs} runs each, restore time excluded):`,
    );
    for (const dist of dists) {
      const own = times.get(dist.name)!;
      console.log(`  ${dist.name}:`);
      line('  cache: false', own.noCache);
      line('  cache service, nothing cached (miss)', own.miss);
      line('  of which the proxy start ("ready in")', own.ready);
      line('  post step after cache: false (nothing to save)', own.post);
      line('  its CPU time (user + sys, /usr/bin/time)', own.postCpu);
      console.log(
        `    ratio main (cache: false) / bare node: ${fmt(median(own.noCache) / median(floor.node), 2)}`,
      );
    }
    line('bare node -e "" (floor for any Node step)', floor.node);
    line('go env -json (run by the step)', floor.goEnv);
  } finally {
    await cacheService.close();
    await rm(root, { recursive: true, force: true });
    // The private build (a scratch dir holding dist/ and links to src and node_modules).
    await rm(dirname(distDir), { recursive: true, force: true });
  }
}

await main();
