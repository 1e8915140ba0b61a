// The Go oracle: test/go-oracle, a small program answering questions with golang.org/x/mod
// itself, so the TypeScript ports in src/gomod are tested against the real implementation.
// Built once per source hash into the directory kept between runs (a module cache there keeps x/mod between runs);
// `node test/support/go-oracle.ts --build` pre-builds it, so downloading x/mod is installation,
// not test time.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { goEnv, machineGoEnv, runGo } from './go-env.ts';
import { keptBetweenRuns } from './kept-between-runs.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const oracleSourceDir = resolve(here, '../go-oracle');
const oracleSources = ['main.go', 'go.mod', 'go.sum'];
/** Shared between runs so x/mod is downloaded once per machine. */
export const oracleModCache = join(keptBetweenRuns, 'goproxy-action-go-oracle-modcache');

export interface GoOracle {
  /** Sends one request; resolves with the oracle's result, rejects with its error. Calls may be pipelined. */
  // biome-ignore lint/suspicious/noExplicitAny: answers are JSON whose shape each test asserts
  call(op: string, args?: object): Promise<any>;
  close(): void;
}

async function sourceHash(): Promise<string> {
  const h = createHash('sha256');
  for (const name of oracleSources) {
    h.update(`${name}\0`);
    h.update(await readFile(join(oracleSourceDir, name)));
  }
  // The toolchain is part of the key: a new go binary rebuilds the oracle.
  const env = goEnv({ goproxy: 'off' });
  const { stdout } = await runGo(['version'], oracleSourceDir, env);
  await Promise.all([env.HOME, env.GOMODCACHE].map((d) => rm(d as string, { recursive: true, force: true })));
  h.update(stdout);
  return h.digest('hex').slice(0, 16);
}

let building: Promise<string> | null = null;

/** Builds the oracle if this source hash has no binary yet; returns the binary's path. */
export function buildGoOracle(): Promise<string> {
  building ??= (async () => {
    const dir = join(keptBetweenRuns, 'goproxy-action-go-oracle', await sourceHash());
    const binary = join(dir, 'go-oracle');
    if (existsSync(binary)) return binary;
    await mkdir(dir, { recursive: true });
    await mkdir(oracleModCache, { recursive: true });
    const env = goEnv({
      goproxy: await machineGoEnv('GOPROXY'),
      gosumdb: await machineGoEnv('GOSUMDB'),
      gomodcache: oracleModCache,
      extra: { GOFLAGS: '-modcacherw -mod=mod' },
    });
    // Build under a temporary name, then rename: parallel test processes may race here.
    const partial = join(dir, `.go-oracle-${process.pid}`);
    const result = await runGo(['build', '-o', partial, '.'], oracleSourceDir, env);
    if (result.code !== 0) {
      await rm(partial, { force: true });
      throw new Error(`building the Go oracle in ${oracleSourceDir} failed:\n${result.stderr}`);
    }
    await rename(partial, binary);
    return binary;
  })();
  return building;
}

export async function startGoOracle(): Promise<GoOracle> {
  const binary = await buildGoOracle();
  const child: ChildProcessWithoutNullStreams = spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'] });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let stderr = '';
  let dead: Error | null = null;
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const failAll = (err: Error) => {
    dead = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  child.on('error', failAll);
  child.on('exit', (code, signal) => {
    if (pending.size > 0)
      failAll(new Error(`Go oracle exited (${code ?? signal}) with calls pending: ${stderr}`));
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const msg = JSON.parse(line) as { id: number; result?: unknown; error?: string };
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.error) p.reject(new Error(`Go oracle: ${msg.error}`));
    else p.resolve(msg.result ?? null);
  });
  return {
    // biome-ignore lint/suspicious/noExplicitAny: see GoOracle.call
    call(op: string, args: object = {}): Promise<any> {
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      return new Promise((resolvePromise, reject) => {
        pending.set(id, { resolve: resolvePromise, reject });
        child.stdin.write(`${JSON.stringify({ id, op, args })}\n`);
      });
    },
    close(): void {
      child.stdin.end();
    },
  };
}

if (
  process.argv[1] &&
  resolve(process.argv[1]) === fileURLToPath(import.meta.url) &&
  process.argv.includes('--build')
) {
  const binary = await buildGoOracle();
  console.error(`go-oracle: ${binary}`);
}
