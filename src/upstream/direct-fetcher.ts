// `direct` in the upstream chain: the go binary itself fetches from version control, so
// VCS discovery, GOINSECURE, GOVCS, git credentials (GIT_CONFIG_*, credential helpers),
// NETRC and GOAUTH behave exactly as in the go command. Each call gets a private temporary
// module cache; verification happens afterwards in the proxy, so checksum checks are off here.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapePath, escapeVersion } from '../gomod/module-path.ts';
import { redactSecrets, secretValuesFrom } from './redact-secrets.ts';

export type DirectDownload = {
  version: string;
  info: Buffer;
  mod: Buffer;
  /** Path of the zip inside the temporary module cache; valid until cleanup(). */
  zipPath: string | null;
  cleanup: () => Promise<void>;
};

export class DirectFetchError extends Error {
  override name = 'DirectFetchError';
  readonly notFound: boolean;
  constructor(message: string, notFound: boolean) {
    super(message);
    this.notFound = notFound;
  }
}

// What the go command says when a module or version does not exist: a proxy answers 404.
const notFoundPattern =
  /unknown revision|no matching versions|not found|invalid version|does not exist|no such|repository .* not found|malformed module path|404/i;

export type DirectFetcherOptions = {
  goBinary?: string;
  /** The proxy's environment: credentials for the go and git processes live here only. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
};

export class DirectFetcher {
  readonly #go: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #secrets: string[];
  readonly #timeoutMs: number;

  constructor(options: DirectFetcherOptions = {}) {
    this.#go = options.goBinary ?? 'go';
    this.#env = options.env ?? process.env;
    this.#secrets = secretValuesFrom(this.#env);
    this.#timeoutMs = options.timeoutMs ?? 10 * 60_000;
  }

  /** `go mod download -json module@query`: .info, .mod and .zip of the resolved version. */
  async download(
    module: string,
    query: string,
    withZip: boolean,
    signal?: AbortSignal,
  ): Promise<DirectDownload> {
    const work = await mkdtemp(join(tmpdir(), 'goproxy-action-direct-'));
    const cleanup = () => rm(work, { recursive: true, force: true });
    try {
      const args = withZip
        ? ['mod', 'download', '-json', `${module}@${query}`]
        : ['list', '-m', '-json', `${module}@${query}`];
      const out = await this.#run(args, work, signal);
      const result = JSON.parse(out) as {
        Version?: string;
        Info?: string;
        GoMod?: string;
        Zip?: string;
        Error?: string | { Err?: string };
      };
      const error = typeof result.Error === 'string' ? result.Error : result.Error?.Err;
      if (error) throw this.#error(error);
      if (!result.Version) throw new DirectFetchError(`go did not resolve ${module}@${query}`, true);
      // `go list -m -json` reports no .info path, but leaves the file in its module cache.
      const versionDir = join(work, 'modcache', 'cache', 'download', escapePath(module), '@v');
      const info = await readFile(result.Info ?? join(versionDir, `${escapeVersion(result.Version)}.info`));
      const mod = await readFile(result.GoMod ?? join(versionDir, `${escapeVersion(result.Version)}.mod`));
      return { version: result.Version, info, mod, zipPath: result.Zip ?? null, cleanup };
    } catch (err) {
      await cleanup();
      throw err;
    }
  }

  /** Known versions, retracted ones included (a proxy's list keeps them; the go command hides them). */
  async list(module: string, signal?: AbortSignal): Promise<string[]> {
    const work = await mkdtemp(join(tmpdir(), 'goproxy-action-direct-'));
    try {
      const out = await this.#run(['list', '-m', '-json', '-versions', '-retracted', module], work, signal);
      const result = JSON.parse(out) as { Versions?: string[]; Error?: { Err?: string } };
      if (result.Error?.Err) throw this.#error(result.Error.Err);
      return result.Versions ?? [];
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  async #run(args: string[], work: string, signal?: AbortSignal): Promise<string> {
    const env: NodeJS.ProcessEnv = {
      ...this.#env,
      GOPROXY: 'direct',
      GOSUMDB: 'off',
      GOMODCACHE: join(work, 'modcache'),
      GOPATH: join(work, 'gopath'),
      GOFLAGS: '-modcacherw',
      GO111MODULE: 'on',
      GOWORK: 'off',
      GOTOOLCHAIN: 'local',
      GIT_TERMINAL_PROMPT: '0',
    };
    // Loaded on the first direct fetch, not at serve's start-up.
    const { execFile } = await import('node:child_process');
    return await new Promise<string>((resolve, reject) => {
      execFile(
        this.#go,
        args,
        { cwd: work, env, timeout: this.#timeoutMs, maxBuffer: 16 << 20, ...(signal ? { signal } : {}) },
        (err, stdout, stderr) => {
          // `go mod download -json` prints the JSON (with an Error field) and exits 1.
          if (stdout.trim().startsWith('{')) return resolve(stdout);
          if (err) return reject(this.#error(stderr || err.message));
          resolve(stdout);
        },
      );
    });
  }

  #error(text: string): DirectFetchError {
    const message = redactSecrets(text.trim(), this.#secrets).split('\n').slice(-6).join('\n');
    return new DirectFetchError(message, notFoundPattern.test(message));
  }
}
