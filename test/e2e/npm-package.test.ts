// The npm package as users get it: `npm pack` holds the self-contained bundles and the files
// users read (action.yml, templates, schema, README, LICENSE) and nothing else; installed from
// the tarball with no registry reachable it is one package that serves the go command and
// checks a project; published to a local registry (verdaccio), `npx goproxy-action@<version>`
// runs it from a clean directory.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld, type FixtureWorld } from '../support/fixture-world.ts';
import { projectRoot } from '../support/gitlab-ci-local.ts';
import { goEnv, runGo } from '../support/go-env.ts';
import { npmEnv, type PackedPackage, packWorkingTree } from '../support/npm-package.ts';
import { startNpmRegistry } from '../support/npm-registry.ts';

const execFileAsync = promisify(execFile);
// Nothing listens on the discard port: any request npm makes there fails at once.
const UNREACHABLE = 'http://127.0.0.1:9/';

let scratch: string;
let packed: PackedPackage;
let world: FixtureWorld;
let upstream: FixtureProxy;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'gpa-npm-package-'));
  packed = await packWorkingTree(join(scratch, 'pack'));
  world = await createFixtureWorld();
  upstream = await startFixtureProxy({ dir: world.dir });
});

after(async () => {
  await upstream?.close();
  await world?.remove();
  await rm(scratch, { recursive: true, force: true });
});

async function run(file: string, args: string[], options: { cwd: string; env: Record<string, string> }) {
  return await execFileAsync(file, args, { ...options, maxBuffer: 16 << 20 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      code: typeof e.code === 'number' ? e.code : 1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    }),
  );
}

test('the tarball holds dist/, action.yml, templates, schema, README and LICENSE, nothing else, and depends on nothing', async () => {
  const allowed = [
    /^dist\/.+\.js$/,
    /^action\.yml$/,
    /^(prewarm|health)\/[^/]+$/,
    /^templates\/[^/]+\.yml$/,
    /^schema\/[^/]+\.json$/,
  ];
  const fixed = ['LICENSE', 'README.md', 'package.json'];
  for (const file of packed.files) {
    assert.ok(
      fixed.includes(file) || allowed.some((re) => re.test(file)),
      `${file} does not belong in the package`,
    );
  }
  const wanted = [...fixed, 'action.yml', 'dist/cli.js', 'dist/main.js', 'dist/post.js'];
  for (const name of await readdir(join(projectRoot, 'templates'))) wanted.push(`templates/${name}`);
  for (const name of await readdir(join(projectRoot, 'schema'))) wanted.push(`schema/${name}`);
  // Sub-actions (used by path: org/goproxy-action/prewarm@v1) travel with the package too.
  for (const sub of ['prewarm', 'health']) {
    if (existsSync(join(projectRoot, sub, 'action.yml'))) wanted.push(`${sub}/action.yml`);
  }
  for (const file of wanted) assert.ok(packed.files.includes(file), `${file} is missing from the package`);
  const manifest = JSON.parse(await readFile(join(projectRoot, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  assert.deepEqual(
    manifest.dependencies ?? {},
    {},
    'the bundles are self-contained: nothing to install with them',
  );
  assert.deepEqual(manifest.bin, { 'goproxy-action': 'dist/cli.js' });
});

test('installed from the tarball with no registry reachable: one package, and the CLI answers --help, serves the go command and checks a project', async () => {
  const dir = join(scratch, 'offline');
  await mkdir(join(dir, 'project'), { recursive: true });
  const env = npmEnv(UNREACHABLE, join(dir, 'npm'));
  const installed = await run('npm', ['install', '--offline', '--no-package-lock', packed.tarball], {
    cwd: join(dir, 'project'),
    env,
  });
  assert.equal(installed.code, 0, installed.stderr);
  const modules = (await readdir(join(dir, 'project', 'node_modules'))).filter((n) => !n.startsWith('.'));
  assert.deepEqual(modules, ['goproxy-action'], 'exactly one package installed');
  const bin = join(dir, 'project', 'node_modules', '.bin', 'goproxy-action');

  const version = await run(bin, ['--version'], { cwd: dir, env });
  assert.equal(version.code, 0, version.stderr);
  assert.equal(version.stdout.trim(), `goproxy-action ${packed.version}`);
  const help = await run(bin, ['--help'], { cwd: dir, env });
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /usage: goproxy-action <command>/);
  for (const command of ['serve', 'start', 'stop', 'check', 'env'])
    assert.match(help.stdout, new RegExp(`\\b${command}\\b`));

  // serve: the go command downloads the fixture program's modules through it.
  const readyFile = join(dir, 'ready.json');
  const serve = spawn(
    bin,
    [
      'serve',
      '--ready-file',
      readyFile,
      '--store',
      join(dir, 'store'),
      '--upstream',
      upstream.url,
      '--gosumdb',
      'off',
    ],
    { env: { ...env, GOENV: 'off' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let serveLog = '';
  serve.stderr.on('data', (chunk) => (serveLog += chunk));
  const exited = new Promise<number | null>((done) => serve.once('exit', (code) => done(code)));
  try {
    while (!existsSync(readyFile) && serve.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    assert.ok(existsSync(readyFile), `serve did not get ready:\n${serveLog}`);
    const ready = JSON.parse(await readFile(readyFile, 'utf8')) as { url: string };
    const download = await runGo(
      ['mod', 'download', 'all'],
      world.program,
      goEnv({ goproxy: ready.url, gosumdb: 'off' }),
    );
    assert.equal(download.code, 0, `${download.stderr}\n${serveLog}`);
  } finally {
    serve.kill('SIGTERM');
  }
  assert.equal(await exited, 0, serveLog);

  // check: the project's modules against a policy (one denied module fails it).
  const policy = join(dir, 'policy.yml');
  await writeFile(policy, `deny:\n  - ${world.requires[0]?.path}\n`);
  const clean = await run(bin, ['check', '--dir', world.program], { cwd: dir, env });
  assert.equal(clean.code, 0, `${clean.stdout}${clean.stderr}`);
  const denied = await run(bin, ['check', '--dir', world.program, '--policy', policy], { cwd: dir, env });
  assert.equal(denied.code, 1, `${denied.stdout}${denied.stderr}`);
  assert.ok(`${denied.stdout}${denied.stderr}`.includes(world.requires[0]?.path ?? '?'), denied.stdout);
});

test('published to a local registry, `npx goproxy-action@<version>` runs it from a clean directory', async () => {
  const dir = join(scratch, 'registry');
  await mkdir(dir, { recursive: true });
  const registry = await startNpmRegistry(join(dir, 'verdaccio'));
  try {
    const publisher = npmEnv(registry.url, join(dir, 'publisher'));
    await writeFile(publisher.npm_config_userconfig as string, registry.npmrc);
    const published = await run('npm', ['publish', packed.tarball], { cwd: dir, env: publisher });
    assert.equal(published.code, 0, `${published.stderr}\n${registry.log()}`);

    const clean = join(dir, 'clean');
    await mkdir(clean);
    const user = npmEnv(registry.url, join(dir, 'user'));
    const npx = await run('npx', ['--yes', `${packed.name}@${packed.version}`, '--version'], {
      cwd: clean,
      env: user,
    });
    assert.equal(npx.code, 0, `${npx.stderr}\n${registry.log()}`);
    assert.equal(
      npx.stdout.trim(),
      `goproxy-action ${packed.version}`,
      'npx runs exactly the published version',
    );
    // A second version does not exist: npx fails instead of running something else.
    const missing = await run('npx', ['--yes', `${packed.name}@99.0.0`, '--help'], { cwd: clean, env: user });
    assert.notEqual(missing.code, 0);
  } finally {
    await registry.close();
  }
});
