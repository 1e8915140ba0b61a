// Two `serve` processes on one store (a self-hosted runner running two jobs): updates of the
// shared @v/list must not lose versions, whichever process adds them.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { hashGoMod } from '../../src/gomod/dirhash.ts';
import { parseVersionList } from '../../src/store/version-list.ts';
import { goEnv, makeTempDir, runGo } from '../support/go-env.ts';

const cli = join(import.meta.dirname, '..', '..', 'src', 'cli.ts');

async function startServe(
  root: string,
  name: string,
  args: string[],
): Promise<{ child: ChildProcess; url: string }> {
  const readyFile = join(root, `${name}-ready.json`);
  const cwd = join(root, `${name}-cwd`);
  await mkdir(cwd, { recursive: true });
  const child = spawn(process.execPath, [cli, 'serve', '--ready-file', readyFile, ...args], {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: join(root, `${name}-home`),
      GOENV: 'off',
      GOTOOLCHAIN: 'local',
      GOPRIVATE: '',
      GONOPROXY: '',
      GONOSUMDB: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  for (let i = 0; i < 400 && !existsSync(readyFile); i++) {
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  if (!existsSync(readyFile)) {
    child.kill('SIGKILL');
    assert.fail(`serve ${name} did not become ready: ${output}`);
  }
  const { url } = JSON.parse(await readFile(readyFile, 'utf8')) as { url: string };
  return { child, url };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  // Cleanup must end even if a shutdown hangs (that is another test's subject).
  const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(force);
}

test('two serve processes on one store: 100 versions added concurrently, half through each, all in @v/list', async () => {
  const root = makeTempDir('shared-store');
  const module = 'example.com/many';
  const versions = Array.from({ length: 100 }, (_, i) => `v1.${Math.floor(i / 10)}.${i % 10}`);
  const upstream = join(root, 'upstream');
  const versionDir = join(upstream, module, '@v');
  await mkdir(versionDir, { recursive: true });
  for (const v of versions) {
    await writeFile(join(versionDir, `${v}.info`), `{"Version":"${v}","Time":"2024-01-02T03:04:05Z"}`);
    await writeFile(join(versionDir, `${v}.mod`), `module ${module}\n`);
  }
  await writeFile(join(versionDir, 'list'), versions.map((v) => `${v}\n`).join(''));
  const store = join(root, 'store');
  // The latest go.mod in go.sum, so the proxy stores it verified (go list reads retractions from it).
  const goSum = join(root, 'go.sum');
  await writeFile(
    goSum,
    `${module} ${versions.at(-1)}/go.mod ${hashGoMod(Buffer.from(`module ${module}\n`))}\n`,
  );
  const args = [
    '--store',
    store,
    '--upstream',
    pathToFileURL(upstream).href,
    '--gosumdb',
    'off',
    '--go-sum',
    goSum,
  ];
  const proxies: ChildProcess[] = [];
  try {
    const a = await startServe(root, 'a', args);
    proxies.push(a.child);
    const b = await startServe(root, 'b', args);
    proxies.push(b.child);
    const answers = await Promise.all(
      versions.map(async (v, i) => {
        const res = await fetch(`${i % 2 === 0 ? a.url : b.url}/${module}/@v/${v}.info`);
        await res.arrayBuffer();
        return res.status;
      }),
    );
    assert.deepEqual(
      answers.filter((s) => s !== 200),
      [],
      'every .info answered 200',
    );
    const listed = parseVersionList(await readFile(join(store, module, '@v', 'list'), 'utf8'));
    const missing = versions.filter((v) => !listed.includes(v));
    assert.deepEqual(missing, [], `${missing.length} of 100 versions lost from @v/list`);
    assert.equal(listed.length, 100);

    const latestMod = await fetch(`${a.url}/${module}/@v/${versions.at(-1)}.mod`);
    assert.equal(latestMod.status, 200, await latestMod.text());
    const env = goEnv({ goproxy: pathToFileURL(store).href });
    const list = await runGo(['list', '-m', '-versions', module], root, env);
    assert.equal(list.code, 0, list.stderr);
    const seen = list.stdout.trim().split(/\s+/).slice(1);
    assert.equal(seen.length, 100, `go list -m -versions through file://<store> sees ${seen.length}`);
    assert.deepEqual(new Set(seen), new Set(versions));
  } finally {
    await Promise.all(proxies.map(stop));
    await rm(root, { recursive: true, force: true });
  }
});
