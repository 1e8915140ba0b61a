// One health run, shared by the CLI, the GitHub action and the GitLab component: resolve the
// proxy (in-job via its ready file, --proxy, or the job's GOPROXY) and its credentials, take the
// snapshot, compare with the baseline, write the reports, decide fail-on.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { getStats } from '../daemon/admin-client.ts';
import { CLIENT_TOKEN_SHOWN, hideClientPath } from '../daemon/client-token.ts';
import { readReadyFile, readyFilePath } from '../daemon/start-proxy.ts';
import { readGoEnv } from '../gomod/read-go-env.ts';
import { loadPolicy } from '../policy/load-policy.ts';
import type { Policy } from '../policy/policy.ts';
import { netrcMachineFor, readUserNetrc, userNetrcPath } from '../remote/netrc.ts';
import { parseGoproxyList } from '../upstream/goproxy-list.ts';
import { type FailOn, failures, parseFailOn } from './fail-on.ts';
import { moduleFindings } from './findings.ts';
import { noProfile, PhaseProfile } from './phase-profile.ts';
import { createProgress } from './progress.ts';
import { renderMarkdown } from './render-markdown.ts';
import { renderAnnotations, renderCodeQuality, renderJUnit } from './render-reports.ts';
import { type HealthSnapshot, parseSnapshot } from './snapshot.ts';
import { diffSnapshots, type SnapshotDiff } from './snapshot-diff.ts';
import { type SnapshotOptions, takeSnapshot } from './take-snapshot.ts';

export type HealthInputs = SnapshotOptions & { failOn: FailOn };

export type RawHealthInputs = {
  dir: string;
  proxy?: string | undefined;
  readyFile?: string | undefined;
  stateDir?: string | undefined;
  policy?: string | undefined;
  vulnDb?: string | undefined;
  failOn: string;
  concurrency: number;
  timeoutMs: number;
  useGo: boolean;
  newerMajors: boolean;
  env: NodeJS.ProcessEnv;
};

/** Splits user:password out of a proxy URL into an Authorization header, as the go command does. */
function credentialsFromUrl(raw: string): { url: string; authorization?: string } {
  const u = new URL(raw);
  if (!u.username && !u.password) return { url: raw };
  const auth = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
  u.username = '';
  u.password = '';
  return { url: u.toString().replace(/\/+$/, ''), authorization: auth };
}

export async function readHealthInputs(raw: RawHealthInputs): Promise<HealthInputs> {
  const failOn = parseFailOn(raw.failOn);
  const goVars = await readGoEnv(['GOPROXY', 'GOPRIVATE', 'GONOPROXY', 'GONOSUMDB'], {
    env: raw.env,
    whenGoMissing: 'environment',
  });
  const readyFile = raw.readyFile ?? (raw.stateDir ? readyFilePath(raw.stateDir) : undefined);
  let readStats: SnapshotOptions['readStats'] = null;
  let proxyUrl = raw.proxy;
  let proxyShown: string | undefined;
  if (readyFile) {
    const ready = await readReadyFile(readyFile);
    if (!ready)
      throw new Error(
        `${readyFile}: no running proxy's ready file there; start the proxy first or leave --ready-file out`,
      );
    // The client URL (with the client path when the proxy wants one), as GOPROXY names it.
    const clientUrl = ready.goproxy ?? ready.url;
    proxyUrl ??= clientUrl;
    // The client path is a secret: the snapshot (printed, cached, uploaded) shows the plain URL.
    if (proxyUrl === clientUrl && clientUrl !== ready.url) proxyShown = `${ready.url}/${CLIENT_TOKEN_SHOWN}`;
    const target = { adminUrl: ready.adminUrl, token: ready.token };
    if (proxyUrl === clientUrl || proxyUrl === ready.url) readStats = () => getStats(target);
  }
  if (proxyUrl === undefined) {
    const first = parseGoproxyList(goVars.GOPROXY).find((e) => e.kind === 'url');
    if (first?.kind !== 'url') {
      throw new Error(`GOPROXY is '${goVars.GOPROXY}', which names no proxy URL; give --proxy URL`);
    }
    proxyUrl = first.url;
  }
  const { url, authorization: fromUrl } = credentialsFromUrl(proxyUrl);
  if (proxyShown === undefined && hideClientPath(url) !== url) proxyShown = hideClientPath(url);
  let authorization = fromUrl;
  if (!authorization && !readStats) {
    const machine = netrcMachineFor(url);
    const entry = (await readUserNetrc(userNetrcPath(raw.env))).find((e) => e.machine === machine);
    if (entry) authorization = `Basic ${Buffer.from(`${entry.login}:${entry.password}`).toString('base64')}`;
  }
  const loaded = await loadPolicy({
    workspace: raw.dir,
    ...(raw.policy ? { explicitPath: raw.policy } : {}),
  });
  const policy: Policy | null = loaded.policy;
  return {
    dir: raw.dir,
    proxyUrl: url,
    ...(proxyShown !== undefined ? { proxyShown } : {}),
    ...(authorization ? { authorization } : {}),
    goBinary: raw.useGo ? 'go' : null,
    // The build list comes through the same proxy.
    goCommandEnv: { ...raw.env, GOPROXY: proxyUrl },
    goEnv: { GOPRIVATE: goVars.GOPRIVATE, GONOPROXY: goVars.GONOPROXY, GONOSUMDB: goVars.GONOSUMDB },
    policy,
    policySource: loaded.source,
    vulnDbUrl: raw.vulnDb || null,
    readStats,
    // Only our own in-job proxy, found through its ready file, is asked for zip hashes.
    zipHashFromProxy: readStats !== null,
    concurrency: raw.concurrency,
    timeoutMs: raw.timeoutMs,
    newerMajors: raw.newerMajors,
    failOn,
  };
}

export type HealthResult = {
  snapshot: HealthSnapshot;
  diff: SnapshotDiff | null;
  markdown: string;
  annotations: string;
  text: string;
  failures: string[];
};

export async function runHealth(
  inputs: HealthInputs,
  options: {
    baseline: { text: string; source: string } | null;
    outputs: {
      json?: string | undefined;
      markdown?: string | undefined;
      junit?: string | undefined;
      codequality?: string | undefined;
    };
    progress?: NodeJS.WriteStream | { write(s: string): boolean; isTTY?: boolean };
  },
): Promise<HealthResult> {
  // Read the baseline first: a broken one fails before minutes of probing.
  const baseline = options.baseline ? parseSnapshot(options.baseline.text, options.baseline.source) : null;
  const profile = process.env.GOPROXY_ACTION_HEALTH_PROFILE === '1' ? new PhaseProfile() : undefined;
  const snapshot = await (profile ?? noProfile).time('snapshot', () =>
    takeSnapshot({
      ...inputs,
      ...(options.progress ? { progress: createProgress(options.progress) } : {}),
      ...(profile ? { profile } : {}),
    }),
  );
  const { diff, markdown } = await (profile ?? noProfile).time('render and write reports', async () => {
    const diff = baseline ? diffSnapshots(baseline, snapshot) : null;
    const markdown = renderMarkdown(snapshot, diff);
    const write = async (file: string | undefined, text: string) => {
      if (!file) return;
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text);
    };
    await write(options.outputs.json, `${JSON.stringify(snapshot, null, 2)}\n`);
    await write(options.outputs.markdown, markdown);
    await write(options.outputs.junit, renderJUnit(snapshot));
    await write(options.outputs.codequality, renderCodeQuality(snapshot));
    return { diff, markdown };
  });
  if (profile) process.stderr.write(`${profile.render()}\n`);
  return {
    snapshot,
    diff,
    markdown,
    annotations: renderAnnotations(snapshot),
    text: renderText(snapshot, diff),
    failures: failures(snapshot, inputs.failOn, diff),
  };
}

function renderText(s: HealthSnapshot, diff: SnapshotDiff | null): string {
  const lines = s.modules.flatMap(moduleFindings).map((f) => `${f.severity}: ${f.message}`);
  const sum = s.summary;
  lines.push(
    `health: ${sum.modules} modules (${s.workspace.buildListSource}); ${sum.unresolvable} unresolvable, ${sum.checksumMismatch} checksum mismatches, ${sum.retracted} retracted, ${sum.deprecated} deprecated, ${sum.denied} denied, ${sum.vulnerable} vulnerable, ${sum.outdated} with updates`,
  );
  lines.push(
    `proxy ${s.proxy.url}: p50 ${s.proxy.p50Ms} ms, p95 ${s.proxy.p95Ms} ms, error rate ${(s.proxy.errorRate * 100).toFixed(1)}%, cache hits ${s.proxy.cacheHitRatio === null ? 'unknown' : `${(s.proxy.cacheHitRatio * 100).toFixed(1)}%`}`,
  );
  if (diff) {
    lines.push(
      `since baseline: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.upgraded.length} upgraded, ${diff.downgraded.length} downgraded, ${diff.newlyVulnerable.length} newly vulnerable`,
    );
  }
  return `${lines.join('\n')}\n`;
}
