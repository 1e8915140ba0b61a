// `goproxy-action serve`: the in-job Go module proxy.
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findModuleFiles } from '../gomod/find-module-files.ts';
import { readGoEnv } from '../gomod/read-go-env.ts';
import { privatePatternsFrom } from '../policy/client-env.ts';
import { parseGoDuration } from '../policy/go-duration.ts';
import { loadPolicy } from '../policy/load-policy.ts';
import { ProxyPolicy } from '../policy/proxy-policy.ts';
import { createProxy } from '../proxy/create-proxy.ts';
import { userCacheDir } from '../proxy/user-cache-dir.ts';
import type { Command } from './run-cli.ts';
import { UsageError } from './usage-error.ts';

const help = `usage: goproxy-action serve [options]

Runs a Go module proxy that serves from a verified local blob store and fetches what it
lacks from the upstream. Point the go command at the URL it prints.

options:
  --listen HOST:PORT       address to listen on (default 127.0.0.1:0: a free loopback port)
  --store DIR              blob store, in the module cache's download layout
                           (default <user cache dir>/goproxy-action/store)
  --upstream LIST          upstream in GOPROXY syntax (default: go env GOPROXY)
  --private-upstream LIST  upstream for private modules (default: direct)
  --private PATTERNS       more private module patterns (GOPRIVATE syntax); repeatable.
                           Always included: go env GOPRIVATE, GONOPROXY
  --gosumdb VALUE          checksum database (default: go env GOSUMDB)
  --policy FILE            module policy (default: .goproxy.yml in the current directory, if any)
  --go-sum FILE            go.sum to verify against; repeatable (default: every go.sum below
                           the current directory)
  --seed-from DIR          copy verified versions from a module cache's download dir
                           (e.g. $(go env GOMODCACHE)/cache/download) into the store first
  --ready-file FILE        when ready, write {"url","pid","adminUrl","token"} there (mode 0600)
  --audit-log FILE         append one JSON line per request
  --admin-token-env NAME   take the admin token from this environment variable
  --fetch-timeout DURATION longest one upstream fetch may take, body included, in Go's
                           duration syntax (default 5m); a slower answer fails (or moves on
                           along a \`|\` list)
  --shutdown-grace DURATION on SIGTERM, how long fetches under way may finish before they are
                           aborted (default 10s)
  -h, --help               show this help`;

export const serveCommand: Command = {
  summary: 'run the Go module proxy',
  async run(args) {
    const { values } = parseServeArgs(args);
    if (values.help) {
      process.stdout.write(`${help}\n`);
      return 0;
    }
    const [host, port] = parseListen(values.listen ?? '127.0.0.1:0');
    // A Node-only image (GitLab service mode) has no go binary: the job passes --upstream and
    // --gosumdb, and the rest comes from the environment.
    // Start-up time: the go command, the policy file and the go.sum search run side by side.
    const goSumSearch =
      (values['go-sum'] ?? []).length === 0 ? findModuleFiles(process.cwd(), ['go.sum']) : null;
    goSumSearch?.catch(() => {});
    const [goEnv, loaded] = await Promise.all([
      readGoEnv(['GOPROXY', 'GOSUMDB', 'GOPRIVATE', 'GONOPROXY', 'GONOSUMDB'], {
        whenGoMissing: 'environment',
      }),
      loadPolicy({
        workspace: process.cwd(),
        ...(values.policy ? { explicitPath: values.policy } : {}),
      }),
    ]);
    const upstream = values.upstream ?? goEnv.GOPROXY;
    if (!upstream) throw new UsageError('no upstream: go env GOPROXY is empty; pass --upstream LIST');
    if (loaded.message) process.stderr.write(`goproxy-action: ${loaded.message}\n`);
    const privatePatterns = privatePatternsFrom(
      goEnv.GOPRIVATE,
      goEnv.GONOPROXY,
      values.private ?? [],
      loaded.policy?.private ?? [],
    );
    const policy = loaded.policy
      ? new ProxyPolicy(loaded.policy, { extraPrivatePatterns: privatePatterns })
      : null;
    const privateUpstream = values['private-upstream'] ?? loaded.policy?.privateUpstream ?? null;
    const noSumPatterns = privatePatternsFrom(goEnv.GONOSUMDB, privatePatterns);
    const storeDir = resolve(values.store ?? join(userCacheDir(), 'goproxy-action', 'store'));
    const goSumFiles = (values['go-sum'] ?? []).map((f) => resolve(f));
    if (goSumSearch) goSumFiles.push(...(await goSumSearch));
    let adminToken: string | null = null;
    if (values['admin-token-env']) {
      adminToken = process.env[values['admin-token-env']] ?? '';
      if (adminToken.length < 16) {
        throw new UsageError(
          `--admin-token-env ${values['admin-token-env']}: the variable must hold a token of at least 16 characters`,
        );
      }
    }
    const fetchTimeoutMs = parseDurationOption('--fetch-timeout', values['fetch-timeout']);
    const shutdownGraceMs = parseDurationOption('--shutdown-grace', values['shutdown-grace']);
    let stopping: Promise<void> | null = null;
    const proxy = await createProxy(
      {
        storeDir,
        upstream,
        privateUpstream,
        policy,
        privatePatterns,
        noSumPatterns,
        gosumdb: values.gosumdb ?? goEnv.GOSUMDB,
        goSumFiles,
        seedFrom: values['seed-from'] ? resolve(values['seed-from']) : null,
        auditLogFile: values['audit-log'] ? resolve(values['audit-log']) : null,
        adminToken,
        ...(fetchTimeoutMs !== null ? { http: { deadlineMs: fetchTimeoutMs } } : {}),
        ...(shutdownGraceMs !== null ? { shutdownGraceMs } : {}),
        onShutdownRequest: () => {
          stop();
        },
      },
      host,
      port,
    );
    const stop = () => {
      stopping ??= proxy.close().then(() => {
        process.stderr.write('goproxy-action: stopped\n');
        process.exit(0);
      });
      return stopping;
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    if (values['ready-file']) {
      const ready = { url: proxy.url, pid: process.pid, adminUrl: proxy.adminUrl, token: proxy.token };
      await writeFile(values['ready-file'], `${JSON.stringify(ready)}\n`, { mode: 0o600 });
    }
    process.stdout.write(
      [
        `goproxy-action: serving Go modules at ${proxy.url}`,
        `  store:    ${storeDir}`,
        `  upstream: ${upstream}${privatePatterns.length ? `  (private: ${privatePatterns.join(',')} via ${privateUpstream ?? 'direct'})` : ''}`,
        `  policy:   ${loaded.source ?? 'none'}`,
        `  go.sum:   ${goSumFiles.length} file(s)`,
        ...(proxy.seeded
          ? [`  seeded:   ${proxy.seeded.copied} version(s) from ${values['seed-from']}`]
          : []),
        'point the go command at it:',
        `  export GOPROXY=${proxy.url}`,
        '',
      ].join('\n'),
    );
    await new Promise(() => {});
    return 0;
  },
};

function parseServeArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        listen: { type: 'string' },
        store: { type: 'string' },
        upstream: { type: 'string' },
        'private-upstream': { type: 'string' },
        private: { type: 'string', multiple: true },
        gosumdb: { type: 'string' },
        policy: { type: 'string' },
        'go-sum': { type: 'string', multiple: true },
        'ready-file': { type: 'string' },
        'seed-from': { type: 'string' },
        'audit-log': { type: 'string' },
        'admin-token-env': { type: 'string' },
        'fetch-timeout': { type: 'string' },
        'shutdown-grace': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (see --help)`);
  }
}

function parseDurationOption(name: string, value: string | undefined): number | null {
  if (value === undefined) return null;
  const ms = parseGoDuration(value);
  if (ms === null || ms <= 0)
    throw new UsageError(`${name} ${value}: give a positive Go duration such as 30s or 2m`);
  return ms;
}

function parseListen(value: string): [string, number] {
  const match = /^(\[[0-9a-fA-F:]+\]|[^:]+):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : Number.NaN;
  if (!match || port > 65535) throw new UsageError(`--listen ${value}: write HOST:PORT, e.g. 127.0.0.1:0`);
  return [match[1]!.replace(/^\[|\]$/g, ''), port];
}
