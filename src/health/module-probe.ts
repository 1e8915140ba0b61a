// Everything the snapshot says about one module@version: resolvable through the proxy,
// verified against go.sum, current, deprecated, retracted, allowed by policy, vulnerable.
// Every failure becomes an entry in `errors`, never an exception: one bad module must not
// cost the whole snapshot.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { hashGoMod } from '../gomod/dirhash.ts';
import { isRetracted, retractionRationales } from '../gomod/go-mod-file.ts';
import type { GoSumIndex } from '../gomod/go-sum.ts';
import { escapePath, escapeVersion, splitPathVersion } from '../gomod/module-path.ts';
import { checkModuleZip } from '../gomod/module-zip.ts';
import {
  compareVersions,
  isPrerelease,
  isPseudoVersion,
  semverCanonical,
  versionMajor,
} from '../gomod/version.ts';
import { type Decision, decideMetadata, decideVersion, isPrivateModule } from '../policy/decide.ts';
import { matchPrefixPatterns } from '../policy/patterns.ts';
import type { Policy } from '../policy/policy.ts';
import type { BuildListModule } from './build-list.ts';
import type { PathVersions } from './path-versions.ts';
import { noProfile, type Profiler } from './phase-profile.ts';
import type { ProxyAnswer, ProxyClient } from './proxy-client.ts';
import type { ChecksumState, FetchResult, ModuleHealth, ZipHashedBy } from './snapshot.ts';
import { queryVersion } from './version-query.ts';
import type { VulnDatabase } from './vuln-database.ts';

export type ProbeContext = {
  client: ProxyClient;
  paths: (path: string) => PathVersions;
  goSum: GoSumIndex;
  excluded: Set<string>;
  policy: Policy | null;
  /** GOPRIVATE, GONOPROXY, GONOSUMDB of the go command's environment. */
  goEnv: { GOPRIVATE: string; GONOPROXY: string; GONOSUMDB: string };
  vulnDb: VulnDatabase | null;
  /** Where zips are downloaded to be hashed (one temp file each, removed at once). */
  scratchDir: string;
  now: Date;
  /** Look for /vN+1.. paths on the proxy. */
  newerMajors: boolean;
  /**
   * The proxy is our own in-job `serve`: take a zip's h1 from its HEAD answer instead of
   * downloading the zip (never for a remote or third-party proxy, whose word is not checked).
   */
  zipHashFromProxy?: boolean;
  /** Times the phases (bench/health-snapshot.ts). */
  profile?: Profiler;
};

const dayMs = 86_400_000;

function fetchResult(a: ProxyAnswer): FetchResult {
  return { status: a.status, ms: a.ms, bytes: a.bytes, ...(a.error ? { error: a.error } : {}) };
}

function ageDays(time: string | null, now: Date): number | null {
  if (!time) return null;
  const t = Date.parse(time);
  return Number.isNaN(t) ? null : Math.max(0, Math.floor((now.getTime() - t) / dayMs));
}

/** How far `used` is behind `latest`: the most significant part that differs. */
export function behindBy(used: string, latest: string): 'none' | 'patch' | 'minor' | 'major' {
  if (compareVersions(latest, used) <= 0) return 'none';
  const parts = (v: string) => (/^v(\d+)\.(\d+)\.(\d+)/.exec(semverCanonical(v)) ?? []).slice(1);
  const [a, b] = [parts(used), parts(latest)];
  if (a[0] !== b[0]) return 'major';
  if (a[1] !== b[1]) return 'minor';
  return 'patch';
}

function mostSevere(decisions: Decision[]): Decision {
  const rank = { allow: 0, warn: 1, deny: 2 } as const;
  return decisions.reduce((worst, d) => (rank[d.action] > rank[worst.action] ? d : worst), {
    action: 'allow',
  });
}

export async function probeModule(m: BuildListModule, ctx: ProbeContext): Promise<ModuleHealth> {
  const profile = ctx.profile ?? noProfile;
  const errors: string[] = [];
  const note = (what: string) => (err: unknown) => {
    errors.push(`${what}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    return null;
  };
  const directory = m.replace !== null && m.replace.version === '';
  // What is fetched: the replacement when a module replacement is in force.
  const target = m.replace && !directory ? m.replace : { path: m.path, version: m.version };
  const pv = ctx.paths(m.path);
  // Started now, awaited later: the network answers (list, newer majors) overlap the blob fetches.
  void pv.list().catch(() => null);
  const newerMajorSoon = ctx.newerMajors
    ? findNewerMajor(m.path, m.version, ctx).then(
        (v) => ({ v, err: null as unknown }),
        (err: unknown) => ({ v: null, err }),
      )
    : null;
  const targetPv = ctx.paths(target.path);

  const empty: FetchResult = { status: 0, ms: 0, bytes: 0 };
  let info = empty;
  let mod = empty;
  let zip = empty;
  let source: ModuleHealth['resolvable']['source'] = 'unknown';
  let zipHash: string | null = null;
  let zipHashedBy: ZipHashedBy = null;
  let modHash: string | null = null;
  if (directory) {
    errors.push(`replaced by the directory ${m.replace?.path}: nothing to fetch`);
  } else {
    const base = `${escapePath(target.path)}/@v/${escapeVersion(target.version)}`;
    const zipFile = join(
      ctx.scratchDir,
      `${escapePath(target.path).replace(/[/!]/g, '_')}@${escapeVersion(target.version)}.zip`,
    );
    // Through the in-job proxy the zip is not transferred: a HEAD says that it answers, its
    // size, and the h1 the proxy computed for the very bytes it serves (served-zip-hash.ts).
    // Anything else (another proxy, no h1 in the answer) is downloaded and hashed here.
    const zipByHead = async (): Promise<{ answer: ProxyAnswer; h1: string } | null> => {
      if (!ctx.zipHashFromProxy) return null;
      const a = await ctx.client.head(`${base}.zip`, 'zip', target.path, true);
      return a.status === 200 && a.h1 ? { answer: a, h1: a.h1 } : null;
    };
    try {
      const [infoA, modA, zipHead] = await profile.time('probe .info/.mod/.zip', () =>
        Promise.all([
          ctx.client.get(`${base}.info`, 'info', target.path),
          ctx.client.get(`${base}.mod`, 'mod', target.path),
          zipByHead(),
        ]),
      );
      let zipA: ProxyAnswer;
      if (zipHead) {
        zipA = zipHead.answer;
        zipHash = zipHead.h1;
        zipHashedBy = 'proxy';
        zip = { ...fetchResult(zipA), bytes: zipA.size ?? 0, method: 'HEAD' };
      } else {
        zipA = await profile.time('download .zip', () =>
          ctx.client.get(`${base}.zip`, 'zip', target.path, zipFile),
        );
        zip = fetchResult(zipA);
        if (zipA.status === 200) {
          zipHash = await profile
            .time('hash zip', () => checkModuleZip(zipFile, target.path, target.version))
            .then(
              (c) => c.hash,
              (err: unknown) => note('.zip')(err),
            );
          if (zipHash !== null) zipHashedBy = 'download';
        }
      }
      info = fetchResult(infoA);
      mod = fetchResult(modA);
      targetPv.seedInfo(target.version, infoA.body);
      targetPv.seedMod(target.version, modA.body);
      const s = zipA.source ?? infoA.source ?? modA.source;
      if (s === 'store' || s === 'upstream' || s === 'direct') source = s;
      for (const [what, a] of [
        ['.info', infoA],
        ['.mod', modA],
        ['.zip', zipA],
      ] as const) {
        if (a.status !== 200) errors.push(`${what}: ${a.error ?? `HTTP ${a.status}`}`);
      }
      if (modA.body) modHash = hashGoMod(modA.body);
    } finally {
      await rm(zipFile, { force: true });
    }
  }

  const verify = (hash: string | null, recorded: string[]): ChecksumState =>
    recorded.length === 0
      ? 'missing'
      : hash === null
        ? 'unchecked'
        : recorded.includes(hash)
          ? 'match'
          : 'mismatch';
  const recordedZip = ctx.goSum.zipHash(target.path, target.version);
  const recordedMod = ctx.goSum.modHash(target.path, target.version);
  const missingLines: string[] = [];
  if (!directory) {
    // Every module of the build list needs its go.mod line; the zip line only for modules a
    // go.mod requires by name (others may be in the graph for their go.mod alone).
    if (recordedMod.length === 0)
      missingLines.push(`${target.path} ${target.version}/go.mod${modHash ? ` ${modHash}` : ''}`);
    if (recordedZip.length === 0 && m.location !== null)
      missingLines.push(`${target.path} ${target.version}${zipHash ? ` ${zipHash}` : ''}`);
  }

  // The go command's view: retractions and deprecation from the latest version's go.mod (its
  // retractions ignored to find it), the update with excluded and retracted versions disallowed.
  let retracted: string[] | null = null;
  let deprecated: string | null = null;
  let update: string | null = null;
  let versionsBehind = 0;
  const isExcluded = (v: string) => ctx.excluded.has(`${m.path}@${v}`);
  const latestForRetractions = await profile
    .time('query latest (list, @latest)', () => queryVersion(pv, { kind: 'latest' }, (v) => !isExcluded(v)))
    .catch(note('latest'));
  // Its .info (the latest release's time) alongside its go.mod, not after it: the update is
  // this version unless its own go.mod retracts it, so one round trip less almost always.
  if (latestForRetractions && latestForRetractions !== m.version)
    void pv.info(latestForRetractions).catch(() => null);
  const latestGoMod = latestForRetractions
    ? await profile
        .time('latest go.mod (deprecation, retractions)', () => pv.goMod(latestForRetractions))
        .catch(note('latest go.mod'))
    : null;
  if (latestGoMod) {
    if (isRetracted(m.version, latestGoMod.retract)) {
      const why = retractionRationales(m.version, latestGoMod.retract);
      retracted = why.length > 0 ? why : ['retracted by module author'];
    }
    deprecated = latestGoMod.deprecated;
  }
  const retractions = latestGoMod?.retract ?? [];
  const allowed = (v: string) => !isExcluded(v) && !isRetracted(v, retractions);
  const upgraded = await profile
    .time('query upgrade', () => queryVersion(pv, { kind: 'upgrade', current: m.version }, allowed))
    .catch(note('update'));
  if (upgraded && compareVersions(upgraded, m.version) > 0) update = upgraded;
  const latest = update ?? m.version;
  if (update) {
    const list = (await pv.list().catch(() => [])) as string[];
    versionsBehind = list.filter(
      (v) => compareVersions(v, m.version) > 0 && compareVersions(v, latest) <= 0 && allowed(v),
    ).length;
  }
  const usedTime = (await pv.info(m.version).catch(() => null))?.Time ?? null;
  const latestTime =
    latest === m.version
      ? usedTime
      : ((await profile.time('latest .info', () => pv.info(latest)).catch(() => null))?.Time ?? null);
  let newerMajor: { path: string; version: string } | null = null;
  if (newerMajorSoon) {
    const probed = await profile.time('newer major (wait)', () => newerMajorSoon);
    if (probed.err) note('newer major')(probed.err);
    newerMajor = probed.v;
  }

  // Policy: the proxy's rules for a .zip, plus the metadata rules (retracted, pseudo, min-age).
  let decision: Decision = { action: 'allow' };
  if (ctx.policy) {
    decision = mostSevere([
      decideVersion(ctx.policy, m.path, m.version, 'zip'),
      decideMetadata(ctx.policy, {
        module: m.path,
        version: m.version,
        time: usedTime ? new Date(usedTime) : null,
        retracted: retracted ? { rationale: retracted.join('; ') } : null,
        now: ctx.now,
      }),
    ]);
  }
  const goPrivate = ctx.goEnv.GOPRIVATE;
  const isPrivate =
    (ctx.policy !== null && isPrivateModule(ctx.policy, m.path)) ||
    matchPrefixPatterns(ctx.goEnv.GONOPROXY || goPrivate, m.path);
  const noSumDb = matchPrefixPatterns(ctx.goEnv.GONOSUMDB || goPrivate, m.path) || isPrivate;

  const vulnerabilities = ctx.vulnDb
    ? await profile
        .time('vuln db', () => ctx.vulnDb!.affecting(m.path, m.version))
        .catch((err: unknown) => {
          note('vulnerability database')(err);
          return [];
        })
    : null;

  return {
    path: m.path,
    version: m.version,
    indirect: m.indirect,
    location: m.location,
    replace: m.replace,
    resolvable: {
      ok: directory || (info.status === 200 && mod.status === 200 && zip.status === 200 && zipHash !== null),
      info,
      mod,
      zip,
      source,
    },
    verified: {
      zip: directory ? 'unchecked' : verify(zipHash, recordedZip),
      mod: directory ? 'unchecked' : verify(modHash, recordedMod),
      zipHash,
      zipHashedBy,
      modHash,
      missingLines,
    },
    current: {
      update,
      latest,
      behind: behindBy(m.version, latest),
      versionsBehind,
      newerMajor,
      usedTime,
      latestTime,
      usedAgeDays: ageDays(usedTime, ctx.now),
      latestAgeDays: ageDays(latestTime, ctx.now),
    },
    deprecated,
    retracted,
    policy: {
      action: decision.action,
      rule: decision.rule ?? null,
      reason: decision.reason ?? null,
      private: isPrivate,
      noSumDb,
    },
    vulnerabilities,
    errors,
  };
}

/** The highest /vN module path above the used major that the proxy knows, with its latest version. */
async function findNewerMajor(
  path: string,
  version: string,
  ctx: ProbeContext,
): Promise<{ path: string; version: string } | null> {
  const split = splitPathVersion(path);
  if (!split || split.pathMajor.startsWith('.')) return null; // gopkg.in has its own scheme
  const used = split.pathMajor
    ? Number(split.pathMajor.slice(2))
    : Math.max(1, Number(versionMajor(version).slice(1)) || 1);
  if (isPseudoVersion(version) && !split.pathMajor && used < 1) return null;
  let found: { path: string; version: string } | null = null;
  // One list request per candidate, stopping at the first missing major: authors do not skip
  // majors, and a proxy may take long to say that a module path does not exist. A /vN with
  // tags only counts (a pseudo-version-only /vN is not a release to move to).
  for (let n = used + 1; n <= used + 5; n++) {
    const candidate = `${split.prefix}/v${n}`;
    // Any failure means "no such major here": proxies answer a path that does not exist with
    // 404, 410, or (some) 403, and a hint must not turn into an error.
    const list = await ctx
      .paths(candidate)
      .list()
      .catch(() => [] as string[]);
    const releases = list.filter((v) => !isPrerelease(v));
    const v = (releases.length > 0 ? releases : list).at(-1);
    if (!v) break;
    found = { path: candidate, version: v };
  }
  return found;
}
