// What changed since a baseline snapshot (the previous run's): modules added, removed,
// upgraded, downgraded, and what became deprecated, retracted, vulnerable or denied.
import { compareVersions } from '../gomod/version.ts';
import type { HealthSnapshot, ModuleHealth } from './snapshot.ts';

export type VersionChange = { path: string; from: string; to: string };

export type SnapshotDiff = {
  added: { path: string; version: string }[];
  removed: { path: string; version: string }[];
  upgraded: VersionChange[];
  downgraded: VersionChange[];
  /** module@version entries, newly in that state (not so in the baseline under the same path). */
  newlyDeprecated: string[];
  newlyRetracted: string[];
  newlyDenied: string[];
  newlyVulnerable: { module: string; version: string; id: string }[];
};

function byPath(s: HealthSnapshot): Map<string, ModuleHealth[]> {
  const map = new Map<string, ModuleHealth[]>();
  for (const m of s.modules) map.set(m.path, [...(map.get(m.path) ?? []), m]);
  return map;
}

export function diffSnapshots(baseline: HealthSnapshot, current: HealthSnapshot): SnapshotDiff {
  const before = byPath(baseline);
  const after = byPath(current);
  const diff: SnapshotDiff = {
    added: [],
    removed: [],
    upgraded: [],
    downgraded: [],
    newlyDeprecated: [],
    newlyRetracted: [],
    newlyDenied: [],
    newlyVulnerable: [],
  };
  for (const [path, now] of after) {
    const was = before.get(path);
    if (!was) {
      for (const m of now) diff.added.push({ path, version: m.version });
    } else if (was.length === 1 && now.length === 1) {
      const [a, b] = [was[0] as ModuleHealth, now[0] as ModuleHealth];
      const c = compareVersions(b.version, a.version);
      if (c > 0) diff.upgraded.push({ path, from: a.version, to: b.version });
      if (c < 0) diff.downgraded.push({ path, from: a.version, to: b.version });
    } else {
      const old = new Set(was.map((m) => m.version));
      const fresh = new Set(now.map((m) => m.version));
      for (const m of now) if (!old.has(m.version)) diff.added.push({ path, version: m.version });
      for (const m of was) if (!fresh.has(m.version)) diff.removed.push({ path, version: m.version });
    }
    const prior = was ?? [];
    for (const m of now) {
      const id = `${m.path}@${m.version}`;
      if (m.deprecated && !prior.some((p) => p.deprecated)) diff.newlyDeprecated.push(id);
      if (m.retracted && !prior.some((p) => p.version === m.version && p.retracted))
        diff.newlyRetracted.push(id);
      if (
        m.policy.action === 'deny' &&
        !prior.some((p) => p.version === m.version && p.policy.action === 'deny')
      )
        diff.newlyDenied.push(id);
      const knownIds = new Set(
        prior
          .filter((p) => p.version === m.version)
          .flatMap((p) => (p.vulnerabilities ?? []).map((v) => v.id)),
      );
      for (const v of m.vulnerabilities ?? []) {
        if (!knownIds.has(v.id)) diff.newlyVulnerable.push({ module: m.path, version: m.version, id: v.id });
      }
    }
  }
  for (const [path, was] of before) {
    if (!after.has(path)) for (const m of was) diff.removed.push({ path, version: m.version });
  }
  return diff;
}
