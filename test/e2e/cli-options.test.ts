// The CLI as a user meets it (issue 8 items 11, 12, 13, 15, 16; issue 13's CLI conventions):
// bad options refused before anything starts, one line, exit 2; Go's own spellings accepted;
// what serve and start print; --version, --help and unknown options alike in every command.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { goEnv, makeTempDir } from '../support/go-env.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'src', 'cli.ts');

type Result = { code: number | null; stdout: string; stderr: string };

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { ...goEnv({ goproxy: 'off', gosumdb: 'off' }), ...extra };
}

/** Runs the CLI to its end; a process that does not exit is killed and fails the assertion. */
async function cliRun(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], {
      cwd: options.cwd ?? makeTempDir('cli-cwd'),
      env: options.env ?? env(),
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number | null; stdout: string; stderr: string; killed?: boolean };
    assert.ok(!e.killed, `goproxy-action ${args.join(' ')} did not exit: ${e.stdout}${e.stderr}`);
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A usage refusal: exit 2, nothing on stdout, one line on stderr matching `pattern`. */
function assertRefused(result: Result, pattern: RegExp): void {
  assert.equal(result.code, 2, `${result.stdout}${result.stderr}`);
  assert.equal(result.stdout, '', 'nothing announced');
  assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
  assert.match(result.stderr, pattern);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
}

/** Starts serve and waits for its banner; returns what it printed, then stops it. */
async function serveBanner(
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string }> {
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, 'serve', '--store', makeTempDir('store'), ...args],
    {
      cwd: makeTempDir('serve-cwd'),
      env: env(extraEnv),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (let i = 0; i < 1200 && !stdout.includes('point the go command at it'); i++) {
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await new Promise((r) => setTimeout(r, 50));
    assert.match(stdout, /point the go command at it/, `${stdout}${stderr}`);
    return { stdout, stderr };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

test('item 11: serve refuses a ready file or audit log in a missing directory before it announces itself, and exits 2', async () => {
  const missing = join(makeTempDir('missing'), 'no', 'such');
  assertRefused(
    await cliRun(['serve', '--upstream', 'off', '--ready-file', join(missing, 'r.json')]),
    /--ready-file .*r\.json: the directory .* does not exist; create it first/,
  );
  assertRefused(
    await cliRun(['serve', '--upstream', 'off', '--audit-log', join(missing, 'a.log')]),
    /--audit-log .*a\.log: the directory .* does not exist; create it first/,
  );
  const dir = makeTempDir('isdir');
  assertRefused(
    await cliRun(['serve', '--upstream', 'off', '--audit-log', dir]),
    /is a directory; give a file name/,
  );
});

test('item 12: serve validates as Go does: bare words, noproxy, URL-scheme patterns, a missing seed dir', async () => {
  assertRefused(
    await cliRun(['serve', '--upstream', 'foo']),
    /--upstream foo: 'foo': invalid proxy URL missing scheme/,
  );
  assertRefused(await cliRun(['serve', '--upstream', 'noproxy']), /invalid proxy URL missing scheme/);
  assertRefused(
    await cliRun(['serve', '--upstream', 'off', '--private-upstream', 'ftp://x.example']),
    /--private-upstream .*must be https, http, file/,
  );
  assertRefused(
    await cliRun(['serve', '--upstream', 'off', '--private', 'https://x.example.com']),
    /--private: pattern 'https:\/\/x\.example\.com' has a URL scheme; .*write 'x\.example\.com'/,
  );
  assertRefused(
    await cliRun(['serve', '--upstream', 'off', '--seed-from', join(makeTempDir('seed'), 'missing')]),
    /--seed-from .*missing: no such directory/,
  );
  assertRefused(
    await cliRun(['serve', '--upstream', 'off', '--listen', 'localhost']),
    /--listen localhost: write HOST:PORT/,
  );
  // The go command's own spelling of an upstream without a scheme is accepted.
  const ok = await serveBanner(['--upstream', '127.0.0.1:9,direct']);
  assert.match(ok.stdout, /upstream: 127\.0\.0\.1:9,direct/);
});

test("items 12 and 13: --listen :PORT (Go's spelling) listens on all interfaces, prints the real address and warns", async () => {
  const any = await serveBanner(['--upstream', 'off', '--listen', ':0']);
  assert.match(any.stdout, /listen: {3}0\.0\.0\.0:\d+ \(reachable from other machines\)/);
  assert.match(
    any.stderr,
    /WARNING: listening on 0\.0\.0\.0:\d+ \(all interfaces\): anyone who can reach this machine can use this proxy without authentication/,
  );
  const loopback = await serveBanner(['--upstream', 'off', '--listen', '127.0.0.1:0']);
  assert.match(loopback.stdout, /listen: {3}127\.0\.0\.1:\d+\n/);
  assert.doesNotMatch(loopback.stderr, /WARNING/);
});

test('item 15: check with nothing to check is an error (missing directory, no go.mod)', async () => {
  assertRefused(
    await cliRun(['check', '--dir', join(makeTempDir('check'), 'missing')]),
    /--dir .*missing: no such directory/,
  );
  const empty = makeTempDir('check-empty');
  assertRefused(
    await cliRun(['check', '--dir', empty]),
    /nothing to check: no go\.mod, go\.work or go\.sum below/,
  );
  const module = makeTempDir('check-module');
  await writeFile(join(module, 'go.mod'), 'module example.com/m\n\ngo 1.22\n');
  const ok = await cliRun(['check', '--dir', module], { env: env({ GOSUMDB: 'sum.example.net' }) });
  assert.equal(ok.code, 0, ok.stderr);
});

test('item 16: serve prints the whole environment to export, start prints no empty variables', async () => {
  const served = await serveBanner(['--upstream', 'off', '--private', 'in.example.com'], {
    GOPRIVATE: 'corp.example.com',
    GONOSUMDB: 'nosum.example.com',
  });
  assert.match(served.stdout, /export GOPROXY='http:\/\/127\.0\.0\.1:\d+'/);
  assert.match(served.stdout, /export GONOPROXY='none'/);
  assert.match(served.stdout, /export GOPRIVATE='in\.example\.com,corp\.example\.com'/);
  assert.match(served.stdout, /export GONOSUMDB='in\.example\.com,nosum\.example\.com'/);
  assert.match(served.stdout, /export GOSUMDB='off'/);
  // Item 18: serve routes GONOPROXY's set (default GOPRIVATE) privately, not GONOSUMDB's.
  assert.match(
    served.stdout,
    /upstream: off {2}\(private: in\.example\.com,corp\.example\.com via direct\)\n/,
  );

  const stateDir = makeTempDir('start-state');
  const started = await cliRun([
    'start',
    '--state-dir',
    stateDir,
    '--upstream',
    'off',
    '--store',
    makeTempDir('store'),
  ]);
  try {
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, /^export GOPROXY='http:\/\/127\.0\.0\.1:\d+'$/m);
    assert.doesNotMatch(started.stdout, /=''/);
    // The admin endpoint's refusal reads as written (no "Bearer ***" from log masking).
    const ready = JSON.parse(readFileSync(join(stateDir, 'proxy-ready.json'), 'utf8')) as {
      adminUrl: string;
    };
    const response = await fetch(`${ready.adminUrl}/stats`);
    assert.equal(response.status, 401);
    const text = await response.text();
    assert.doesNotMatch(text, /\*\*\*/);
    assert.match(
      text,
      /admin token is missing or wrong; send the ready file's token field as a bearer token/,
    );
  } finally {
    await cliRun(['stop', '--state-dir', stateDir]);
  }
});

test('--version prints the package version; --help lists each command with its summary', async () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const version = await cliRun(['--version']);
  assert.equal(version.code, 0);
  assert.equal(version.stdout, `goproxy-action ${pkg.version}\n`);
  const help = await cliRun(['--help']);
  assert.equal(help.code, 0);
  for (const command of ['serve', 'start', 'stop', 'check', 'env', 'ci'])
    assert.match(help.stdout, new RegExp(`^  ${command} +\\S.*$`, 'm'), `${command} has a summary line`);
});

test('unknown options are answered the same way by every command', async () => {
  const dir = makeTempDir('unknown');
  await mkdir(join(dir, 'x'), { recursive: true });
  for (const command of [
    ['serve'],
    ['start', '--state-dir', join(dir, 'x')],
    ['stop'],
    ['check'],
    ['env'],
    ['ci', 'start'],
    ['ci', 'stop'],
    ['ci', 'remote'],
    ['ci', 'check'],
    ['ci', 'service'],
    ['ci', 'prewarm'],
    ['ci', 'health'],
  ]) {
    const result = await cliRun([...command, '--bogus-option']);
    const name = command[0] === 'ci' ? `ci ${command[1]}` : command[0];
    assertRefused(
      result,
      new RegExp(
        `^goproxy-action ${command[0]}: unknown option '--bogus-option'; run 'goproxy-action ${name} --help' for its options$`,
        'm',
      ),
    );
  }
  assert.equal(existsSync(join(dir, 'x', 'proxy-ready.json')), false, 'start started nothing');
});
