// Every go process a test starts gets an explicit environment built here, never the
// machine's settings by accident: GOENV=off, a fresh module cache, a shared build cache,
// GOTOOLCHAIN=local, and the proxy / checksum-database settings the test names.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { keptBetweenRuns } from './kept-between-runs.ts';

const execFileAsync = promisify(execFile);

/** The go build cache shared by all tests: build output is not what they test. */
export const sharedGoCache = join(keptBetweenRuns, 'goproxy-action-test-gocache');

export type GoEnvOptions = {
  /** GOPROXY for the go command; required so no test falls back to the machine's. */
  goproxy: string;
  /** GOSUMDB; default 'off' (hermetic tests verify through go.sum or a fixture database). */
  gosumdb?: string;
  goprivate?: string;
  gonoproxy?: string;
  gonosumdb?: string;
  /** Module cache directory; default a fresh temporary one. */
  gomodcache?: string;
  /** Extra variables (GIT_CONFIG_*, NETRC, GOAUTH, GOFLAGS, ...). */
  extra?: Record<string, string>;
};

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `goproxy-action-${prefix}-`));
}

/**
 * The HOME (and default module cache) dirs goEnv made. No caller owns them, so they are
 * removed when the process exits; before, every test file and bench run left them in /tmp.
 */
const dirsMadeForGo = new Set<string>();
process.once('exit', () => {
  for (const dir of dirsMadeForGo) rmSync(dir, { recursive: true, force: true });
});

/** An explicit environment for one go process. */
export function goEnv(options: GoEnvOptions): Record<string, string> {
  const home = makeTempDir('home');
  dirsMadeForGo.add(home);
  // Telemetry off: otherwise the go command leaves a detached child writing counters under
  // HOME after it exits, and a test removing HOME races it (ENOTEMPTY, seen in CI).
  const telemetryDir = join(home, '.config', 'go', 'telemetry');
  mkdirSync(telemetryDir, { recursive: true });
  writeFileSync(join(telemetryDir, 'mode'), 'off\n');
  return {
    PATH: process.env.PATH ?? '/usr/local/go/bin:/usr/bin:/bin',
    HOME: home,
    GOENV: 'off',
    GOPATH: join(home, 'go'),
    GOMODCACHE: options.gomodcache ?? madeForGo(makeTempDir('gomodcache')),
    GOCACHE: sharedGoCache,
    GOFLAGS: '-modcacherw',
    GOTOOLCHAIN: 'local',
    GOPROXY: options.goproxy,
    GOSUMDB: options.gosumdb ?? 'off',
    GOPRIVATE: options.goprivate ?? '',
    GONOPROXY: options.gonoproxy ?? '',
    GONOSUMDB: options.gonosumdb ?? '',
    GOINSECURE: '',
    GOVCS: '',
    GOWORK: 'off',
    CGO_ENABLED: '0',
    GIT_TERMINAL_PROMPT: '0',
    ...options.extra,
  };
}

function madeForGo(dir: string): string {
  dirsMadeForGo.add(dir);
  return dir;
}

export type GoResult = { code: number; stdout: string; stderr: string };

/** Runs the real go command; never throws on a non-zero exit (tests assert on it). */
export async function runGo(args: string[], cwd: string, env: Record<string, string>): Promise<GoResult> {
  await mkdir(sharedGoCache, { recursive: true });
  try {
    const { stdout, stderr } = await execFileAsync('go', args, { cwd, env, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The machine's upstream settings, read at run time (only marked real-network tests use them). */
export async function machineGoEnv(name: 'GOPROXY' | 'GOSUMDB'): Promise<string> {
  const { stdout } = await execFileAsync('go', ['env', name]);
  return stdout.trim();
}

/**
 * A GOSUMDB for tests whose modules are all in go.sum: a real key of a database that is never
 * asked (so the environment lint sees checksum verification on, as in a real job).
 */
export const neverAskedSumdb = 'sumdb.fixture.test+f1856739+AYlntJTNSjfqgENZFHAl1unvmhNFVrIomzLzY0vx7PjQ';

/** A `go` to put first on PATH: notes each call's arguments (a line each), then runs the real one. */
export type RecordingGo = {
  /** The directory holding it. */
  dir: string;
  /** The calls so far, oldest first: their arguments joined with spaces. */
  calls(): Promise<string[]>;
};

export async function recordingGo(): Promise<RecordingGo> {
  const dir = makeTempDir('recording-go');
  const callsFile = join(dir, 'calls.txt');
  const goroot = execFileSync('go', ['env', 'GOROOT'], { env: { ...process.env, GOENV: 'off' } })
    .toString()
    .trim();
  const realGo = join(goroot, 'bin', 'go');
  if (!existsSync(realGo)) throw new Error(`no go command at ${realGo}`);
  await writeFile(
    join(dir, 'go'),
    `#!/bin/sh\necho "$*" >> '${callsFile}'\nPATH='${process.env.PATH}' exec '${realGo}' "$@"\n`,
  );
  await chmod(join(dir, 'go'), 0o755);
  return {
    dir,
    calls: async () =>
      (await readFile(callsFile, 'utf8').catch(() => '')).split('\n').filter((line) => line !== ''),
  };
}
