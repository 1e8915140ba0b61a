// `goproxy-action prewarm`: warms a remote module proxy (Athens, goproxy, Artifactory, Nexus,
// our own `serve`) with the module versions the sources name, and reports what it did.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { readGoEnv } from '../gomod/read-go-env.ts';
import { parseGoDuration } from '../policy/go-duration.ts';
import { prewarmDefaults } from '../prewarm/prewarm-defaults.ts';
import { type PrewarmSettings, prewarm } from '../prewarm/prewarm-job.ts';
import { hasFailures } from '../prewarm/prewarm-report.ts';
import { createProgress } from '../prewarm/progress.ts';
import { formatReportMarkdown } from '../prewarm/report-markdown.ts';
import { redactSecrets } from '../upstream/redact-secrets.ts';
import type { Command } from './run-cli.ts';
import { UsageError } from './usage-error.ts';

const help = `usage: goproxy-action prewarm --proxy URL [sources] [options]

Asks a module proxy for every module version the sources name, exactly as the go command would
(.info, .mod, .zip; the .mod alone for go.sum /go.mod-only lines), so it holds them before builds
arrive. Each answer is checked against go.sum when a hash is known.

sources (combinable; none given: every go.mod, go.sum and go.work below --dir):
  --files GLOB           go.mod/go.sum/go.work files below --dir (repeatable)
  --list FILE            a file of module@version or module@query lines (repeatable)
  --module MOD@QUERY     one module version or query, e.g. example.com/m@latest (repeatable)
  --tag                  the repository's own module at the pushed tag (GITHUB_REF / CI_COMMIT_TAG)
  --tag-name TAG         the same for a tag given here (v1.2.3, sub/v1.0.0)
  --gitlab-group ID      go.sum files of every project of a GitLab group
  --gitlab-subgroups     include the group's subgroups
  --gitlab-project ID    go.sum of a GitLab project (repeatable)
  --gitlab-ref REF       read this ref instead of each project's default branch
  --gitlab-url URL       the GitLab instance (default: $CI_SERVER_URL)
  --gitlab-token-env VAR the variable holding the GitLab token (default: GITLAB_TOKEN)

options:
  --proxy URL            the proxy to warm (required)
  --token-env VAR        send the bearer token in $VAR (else the NETRC file's entry is used)
  --allow-private        the proxy may hold private modules (GOPRIVATE/GONOPROXY/policy private)
  --sumdb                also warm the checksum database lookups and full tiles through the proxy
  --policy FILE          policy file for its private patterns (default: DIR/.goproxy.yml if present)
  --dir DIR              workspace root (default: the current directory)
  --concurrency N        requests at once (default 16)
  --timeout DURATION     per request: to the headers, and the longest silence in a body (default 5m)
  --request-deadline DUR the longest one request may take, headers and whole body (default 20m):
                         a proxy sending a byte at a time cannot hold the run for hours
  --attempts N           attempts per request (default 4)
  --retry-budget N       retries allowed in the whole run (default 100)
  --warm-latency DUR     without an X-Goproxy-Source header, answers faster than this count as
                         already warm (default 50ms)
  --json FILE            write the JSON report (schema/prewarm-report.schema.json)
  --markdown FILE        write the Markdown report
  --progress MODE        auto (default), bar, lines or none
  --allow-failures       exit 0 even when modules failed
  -h, --help             show this help

Exit status: 0 done, 1 failures, 2 usage error, 130/143 stopped by SIGINT/SIGTERM (report written).`;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^[0-9]+$/.test(value) || Number(value) < 1)
    throw new UsageError(`--${name} ${value}: give a whole number of 1 or more`);
  return Number(value);
}

function duration(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = parseGoDuration(value);
  if (ms === null || ms <= 0)
    throw new UsageError(`--${name} ${value}: give a duration such as 30s or 500ms`);
  return ms;
}

export const prewarmCommand: Command = {
  summary: 'warm a remote module proxy with the modules a workspace, list, tag or GitLab group uses',
  async run(args) {
    let values: ReturnType<typeof parse>['values'];
    try {
      ({ values } = parse(args));
    } catch (err) {
      throw new UsageError(`${(err as Error).message}\n${help}`);
    }
    if (values.help) {
      process.stdout.write(`${help}\n`);
      return 0;
    }
    if (!values.proxy) throw new UsageError('--proxy URL is required: the module proxy to warm');
    try {
      const url = new URL(values.proxy);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
    } catch {
      throw new UsageError(`--proxy ${values.proxy}: give the proxy's http(s) URL, as in GOPROXY`);
    }
    const progressMode = values.progress ?? 'auto';
    if (!['auto', 'bar', 'lines', 'none'].includes(progressMode))
      throw new UsageError(`--progress ${progressMode}: write auto, bar, lines or none`);
    const gitlabWanted = values['gitlab-group'] !== undefined || (values['gitlab-project'] ?? []).length > 0;
    const gitlabUrl = values['gitlab-url'] ?? process.env.CI_SERVER_URL ?? '';
    if (gitlabWanted && gitlabUrl === '')
      throw new UsageError('--gitlab-url URL is required outside GitLab CI (no $CI_SERVER_URL)');
    const goEnv = await readGoEnv(['GOPRIVATE', 'GONOPROXY', 'GONOSUMDB', 'GOSUMDB'], {
      whenGoMissing: 'environment',
    });
    const settings: PrewarmSettings = {
      proxy: values.proxy,
      dir: values.dir ?? '.',
      files: values.files ?? [],
      lists: values.list ?? [],
      modules: values.module ?? [],
      tag: values['tag-name'] ?? values.tag ?? false,
      ...(gitlabWanted
        ? {
            gitlab: {
              url: gitlabUrl,
              tokenEnv: values['gitlab-token-env'] ?? 'GITLAB_TOKEN',
              ...(values['gitlab-group'] !== undefined ? { group: values['gitlab-group'] } : {}),
              includeSubgroups: values['gitlab-subgroups'] ?? false,
              projects: values['gitlab-project'] ?? [],
              ...(values['gitlab-ref'] !== undefined ? { ref: values['gitlab-ref'] } : {}),
            },
          }
        : {}),
      ...(values['token-env'] ? { tokenEnv: values['token-env'] } : {}),
      ...(values.policy ? { policyFile: values.policy } : {}),
      allowPrivate: values['allow-private'] ?? false,
      sumdb: values.sumdb ?? false,
      concurrency: positiveInt('concurrency', values.concurrency, prewarmDefaults.concurrency),
      timeoutMs: duration('timeout', values.timeout, prewarmDefaults.timeoutMs),
      requestDeadlineMs: duration(
        'request-deadline',
        values['request-deadline'],
        prewarmDefaults.requestDeadlineMs,
      ),
      attempts: positiveInt('attempts', values.attempts, 4),
      retryBudget:
        values['retry-budget'] === '0' ? 0 : positiveInt('retry-budget', values['retry-budget'], 100),
      warmLatencyMs: duration('warm-latency', values['warm-latency'], 50),
      goEnv,
      env: process.env,
    };
    const mode =
      progressMode === 'auto'
        ? process.stderr.isTTY
          ? 'bar'
          : 'lines'
        : (progressMode as 'bar' | 'lines' | 'none');
    const progress = createProgress({ write: (text) => process.stderr.write(text), mode });
    const controller = new AbortController();
    let stoppedBy: NodeJS.Signals | null = null;
    const stop = (signal: NodeJS.Signals) => {
      if (stoppedBy) process.exit(signal === 'SIGINT' ? 130 : 143); // a second signal: stop at once
      stoppedBy = signal;
      process.stderr.write(`\nprewarm: ${signal}: stopping; writing a partial report\n`);
      controller.abort(new DOMException('interrupted', 'AbortError'));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    let secrets: string[] = [];
    try {
      const outcome = await prewarm(settings, { signal: controller.signal, progress });
      secrets = outcome.secrets;
      const { report } = outcome;
      if (values.json) await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
      const markdown = formatReportMarkdown(report);
      if (values.markdown) await writeFile(values.markdown, markdown);
      const t = report.totals;
      const lines = [
        `prewarm: ${t.warmed} warmed, ${t.alreadyWarm} already warm, ${t.failed} failed${t.mismatches ? ` (${t.mismatches} CHECKSUM MISMATCH)` : ''}, ${t.skipped} skipped${t.notStarted ? `, ${t.notStarted} not started` : ''} of ${t.modules} module versions in ${(report.durationMs / 1000).toFixed(1)} s`,
        ...report.modules
          .filter((m) => m.status === 'failed')
          .map((m) => `  FAILED ${m.module}@${m.version}: ${m.reason}`),
        ...report.queries.filter((q) => q.error).map((q) => `  QUERY ${q.module}@${q.query}: ${q.error}`),
        ...(report.sumdb?.lookups
          .filter((l) => l.status === 'failed')
          .map((l) => `  SUMDB ${l.module}@${l.version}: ${l.reason}`) ?? []),
      ];
      if (report.sumdb && !report.sumdb.supported)
        lines.push(`  the proxy does not pass checksum database ${report.sumdb.name} through`);
      process.stdout.write(redactSecrets(`${lines.join('\n')}\n`, secrets));
      if (stoppedBy) return stoppedBy === 'SIGINT' ? 130 : 143;
      return hasFailures(report) && !values['allow-failures'] ? 1 : 0;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new Error(redactSecrets((error as Error).message, secrets));
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: false,
    options: {
      proxy: { type: 'string' },
      files: { type: 'string', multiple: true },
      list: { type: 'string', multiple: true },
      module: { type: 'string', multiple: true },
      tag: { type: 'boolean' },
      'tag-name': { type: 'string' },
      'gitlab-group': { type: 'string' },
      'gitlab-subgroups': { type: 'boolean' },
      'gitlab-project': { type: 'string', multiple: true },
      'gitlab-ref': { type: 'string' },
      'gitlab-url': { type: 'string' },
      'gitlab-token-env': { type: 'string' },
      'token-env': { type: 'string' },
      'allow-private': { type: 'boolean' },
      sumdb: { type: 'boolean' },
      policy: { type: 'string' },
      dir: { type: 'string' },
      concurrency: { type: 'string' },
      timeout: { type: 'string' },
      'request-deadline': { type: 'string' },
      attempts: { type: 'string' },
      'retry-budget': { type: 'string' },
      'warm-latency': { type: 'string' },
      json: { type: 'string' },
      markdown: { type: 'string' },
      progress: { type: 'string' },
      'allow-failures': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
