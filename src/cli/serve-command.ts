// `goproxy-action serve`: the in-job Go module proxy.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderEnvLines } from '../daemon/env-lines.ts';
import { findModuleFiles } from '../gomod/find-module-files.ts';
import { readGoEnv } from '../gomod/read-go-env.ts';
import { goproxySettingError } from '../policy/goproxy-setting.ts';
import { GO_SETTING_NAMES, jobGoEnv, jobPatterns } from '../policy/job-go-env.ts';
import { loadPolicy } from '../policy/load-policy.ts';
import { passedGoSettings } from '../policy/passed-go-settings.ts';
import { createProxy } from '../proxy/create-proxy.ts';
import { userCacheDir } from '../proxy/user-cache-dir.ts';
import { secureRandomBytes } from '../secure-random.ts';
import { redactUrlUserinfo } from '../upstream/redact-secrets.ts';
import { resolveUpstreamOption, type UpstreamOption } from '../upstream/upstream-option.ts';
import { parseOptions } from './parse-options.ts';
import type { Command } from './run-cli.ts';
import { checkServeValues, serveOptions } from './serve-options.ts';
import { UsageError } from './usage-error.ts';

const help = `usage: goproxy-action serve [options]

Runs a Go module proxy that serves from a verified local blob store and fetches what it
lacks from the upstream. Point the go command at the URL it prints.

options:
  --listen HOST:PORT       address to listen on (default 127.0.0.1:0: a free loopback port;
                           :PORT listens on all interfaces, reachable by other machines)
  --store DIR              blob store, in the module cache's download layout
                           (default <user cache dir>/goproxy-action/store)
  --upstream LIST          upstream in GOPROXY syntax (default: go env GOPROXY). An https
                           URL may hold credentials (https://user:token@host), sent as Basic
                           auth; otherwise NETRC and GOAUTH supply them, as for the go command
  --upstream-env NAME      read the upstream list from environment variable NAME instead, to
                           keep credentials off the command line (and out of ps)
  --private-upstream LIST  upstream for private modules (default: direct)
  --private PATTERNS       more private module patterns (GOPRIVATE syntax); repeatable.
                           Also private: go env GONOPROXY (default GOPRIVATE) for routing,
                           go env GONOSUMDB (default GOPRIVATE) for the checksum database
  --gosumdb VALUE          checksum database (default: go env GOSUMDB)
  --policy FILE            module policy (default: .goproxy.yml in the current directory, if any)
  --go-sum FILE            go.sum to verify against; repeatable (default: every go.sum below
                           the current directory, outside vendor, testdata, . and _ dirs)
  --seed-from DIR          copy verified versions from a module cache's download dir
                           (e.g. $(go env GOMODCACHE)/cache/download) into the store first
  --ready-file FILE        when ready, write {"url","pid","adminUrl","token","goproxy"} there
                           (mode 0600); goproxy is the URL for GOPROXY
  --audit-log FILE         append one JSON line per request
  --admin-token-env NAME   take the admin token from this environment variable
  --client-token-env NAME  answer module requests only under /<token>/, the token taken from
                           this variable (16+ of A-Z a-z 0-9 - _): GOPROXY is then
                           http://HOST:PORT/<token>; other local users cannot use the proxy
  --fetch-timeout DURATION longest one upstream fetch may take, body included, in Go's
                           duration syntax (default 5m); a slower answer fails (or moves on
                           along a \`|\` list)
  --shutdown-grace DURATION on SIGTERM, how long fetches under way may finish before they are
                           aborted (default 10s)
  -h, --help               show this help

environment:
  GOPROXY_ACTION_GO_SETTINGS  GOPROXY, GOSUMDB, GOPRIVATE, GONOPROXY and GONOSUMDB as a JSON
                           object, as go env -json prints them: when set, serve takes them
                           from it and does not run go env (the action and \`start\` pass what
                           they read, so the daemon is ready sooner)`;

/** How long after its ready file serve loads the engine's code if no request needed it first. */
const engineWarmUpDelayMs = 100;

export const serveCommand: Command = {
  async run(args) {
    const values = parseOptions('serve', args, serveOptions);
    if (values.help) {
      process.stdout.write(`${help}\n`);
      return 0;
    }
    // Everything the options name is checked first: nothing starts on a bad option.
    const { listen, adminToken, clientToken, fetchTimeoutMs, shutdownGraceMs } = await checkServeValues(
      values,
      process.env,
    );
    // A Node-only image (GitLab service mode) has no go binary: the job passes --upstream and
    // --gosumdb, and the rest comes from the environment.
    // Start-up time: the policy file and the go.sum search run while the go command does.
    const goSumSearch =
      (values['go-sum'] ?? []).length === 0 ? findModuleFiles(process.cwd(), ['go.sum']) : null;
    goSumSearch?.catch(() => {});
    const policyLoad = loadPolicy({
      workspace: process.cwd(),
      ...(values.policy ? { explicitPath: values.policy } : {}),
    });
    policyLoad.catch(() => {});
    // A step that read them already (the action, `start`, `ci start`) passes them on.
    let passed: ReturnType<typeof passedGoSettings>;
    try {
      passed = passedGoSettings(process.env);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const goEnv = passed ?? (await readGoEnv(GO_SETTING_NAMES, { whenGoMissing: 'environment' }));
    if (values.gosumdb !== undefined) goEnv.GOSUMDB = values.gosumdb;
    let upstreamOption: UpstreamOption;
    try {
      upstreamOption = resolveUpstreamOption({
        upstream: values.upstream,
        upstreamEnv: values['upstream-env'],
        env: process.env,
        goproxy: goEnv.GOPROXY,
      });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const { upstream } = upstreamOption;
    // --upstream was checked with the other options; a list from elsewhere is checked here.
    if (values.upstream === undefined) {
      const problem = goproxySettingError(upstream);
      const where = values['upstream-env'] ? `$${values['upstream-env']}` : 'go env GOPROXY';
      if (problem)
        throw new UsageError(`${where} is ${redactUrlUserinfo(problem)}; fix it or pass --upstream LIST`);
    }
    if (upstreamOption.warning) process.stderr.write(`goproxy-action: warning: ${upstreamOption.warning}\n`);
    const loaded = await policyLoad;
    if (loaded.message) process.stderr.write(`goproxy-action: ${loaded.message}\n`);
    // The job's sets, as every surface computes them: GONOPROXY's are fetched only from the
    // private upstream, GONOSUMDB's never looked up in the checksum database.
    const sources = {
      goEnv,
      inputPrivate: values.private ?? [],
      policyPrivate: loaded.policy?.private ?? [],
    };
    const job = jobPatterns(sources);
    const privatePatterns = job.patterns.noProxy;
    // The policy's code (and the go.mod parser it uses) loads only when there is a policy, with
    // the engine's (proxy-engine.ts), which is loaded after the ready file otherwise.
    const policy = loaded.policy
      ? new (await import('../proxy/proxy-engine.ts')).ProxyPolicy(loaded.policy, {
          extraPrivatePatterns: privatePatterns,
        })
      : null;
    const privateUpstream = values['private-upstream'] ?? loaded.policy?.privateUpstream ?? null;
    const storeDir = resolve(values.store ?? join(userCacheDir(), 'goproxy-action', 'store'));
    const goSumFiles = (values['go-sum'] ?? []).map((f) => resolve(f));
    if (goSumSearch) goSumFiles.push(...(await goSumSearch));
    let stopping: Promise<void> | null = null;
    const proxy = await createProxy(
      {
        storeDir,
        upstream,
        privateUpstream,
        policy,
        privatePatterns,
        noSumPatterns: job.patterns.noSumDb,
        gosumdb: job.gosumdb,
        goSumFiles,
        seedFrom: values['seed-from'] ? resolve(values['seed-from']) : null,
        auditLogFile: values['audit-log'] ? resolve(values['audit-log']) : null,
        adminToken,
        clientToken,
        ...(fetchTimeoutMs !== null ? { http: { deadlineMs: fetchTimeoutMs } } : {}),
        ...(shutdownGraceMs !== null ? { shutdownGraceMs } : {}),
        deferSweep: true,
        deferEngine: true,
        onShutdownRequest: () => {
          stop();
        },
      },
      listen.host,
      listen.port,
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
    const port = new URL(proxy.url).port;
    const boundTo = listen.host.includes(':') ? `[${listen.host}]:${port}` : `${listen.host}:${port}`;
    if (!listen.loopback) {
      process.stderr.write(
        `goproxy-action: WARNING: listening on ${boundTo}${listen.host === '0.0.0.0' ? ' (all interfaces)' : ''}: anyone who can reach this machine can use this proxy without authentication. Listen on 127.0.0.1 unless that is intended.\n`,
      );
    }
    // The client token is a secret: the banner (often a CI log) names the variable, not its value.
    const shownGoproxy = clientToken ? `${proxy.url}/<$${values['client-token-env']}>` : proxy.url;
    const exported = jobGoEnv(sources, { kind: 'proxy', proxyUrl: shownGoproxy });
    process.stdout.write(
      [
        `goproxy-action: serving Go modules at ${proxy.url}`,
        `  listen:   ${boundTo}${listen.loopback ? '' : ' (reachable from other machines)'}`,
        `  store:    ${storeDir}`,
        `  upstream: ${upstreamOption.shown}${privatePatterns.length ? `  (private: ${privatePatterns.join(',')} via ${redactUrlUserinfo(privateUpstream ?? 'direct')})` : ''}`,
        `  policy:   ${loaded.source ?? 'none'}`,
        `  go.sum:   ${goSumFiles.length} file(s)`,
        ...(proxy.seeded
          ? [`  seeded:   ${proxy.seeded.copied} version(s) from ${values['seed-from']}`]
          : []),
        'point the go command at it:',
        ...renderEnvLines(exported, 'shell')
          .trimEnd()
          .split('\n')
          .map((line) => `  ${line}`),
        '',
      ].join('\n'),
    );
    // The ready file comes last: whoever waits for it (start, the action) finds the banner
    // already written.
    if (values['ready-file']) {
      const ready = {
        url: proxy.url,
        pid: process.pid,
        adminUrl: proxy.adminUrl,
        token: proxy.token,
        goproxy: proxy.goproxyUrl,
      };
      try {
        // Written beside and renamed into place: whoever polls for the file (start, the action,
        // a user's script) never reads half of it. Mode 0600: it holds the admin token.
        // Synchronous (a few hundred bytes): fs/promises' writeFile cost about 3 ms of CPU here,
        // all of it before ready (bench/engine-startup.ts).
        const readyTemp = `${values['ready-file']}.tmp-${process.pid}-${secureRandomBytes(4).toString('hex')}`;
        writeFileSync(readyTemp, `${JSON.stringify(ready)}\n`, { mode: 0o600, flag: 'wx' });
        try {
          renameSync(readyTemp, values['ready-file']);
        } catch (err) {
          rmSync(readyTemp, { force: true });
          throw err;
        }
      } catch (err) {
        // Checked up front; if the file still cannot be written, nobody can find this proxy.
        await proxy.close();
        throw err;
      }
    }
    // Loaded once the proxy is ready (create-proxy.ts); a request that came first already waits.
    // The engine's request-answering code a moment later: whoever waited for the ready file
    // usually asks something at once, and compiling the engine would hold that first answer
    // (a module request before then loads it itself). go.sum now (only blobs to verify need
    // it; parsed in slices), then the store's stale temp sweep (disk space only: it walks the
    // whole store).
    setTimeout(() => {
      proxy.loadEngine().catch((err: Error) => {
        process.stderr.write(`goproxy-action: could not load the proxy's engine: ${err.message}\n`);
      });
    }, engineWarmUpDelayMs);
    proxy
      .loadGoSum()
      .catch((err: Error) => {
        process.stderr.write(
          `goproxy-action: ${err.message}. Every module not already in the store is refused until the go.sum is fixed and serve restarted.\n`,
        );
      })
      .then(() => proxy.sweepStore());
    await new Promise(() => {});
    return 0;
  },
};
