// A Go vulnerability database in OSV form, as the Go vulnerability database publishes it:
// <base>/index/db.json ({modified}), <base>/index/modules.json ([{path, vulns:[{id, modified,
// fixed?}]}]) and <base>/ID/<id>.json (one OSV entry). Read from file:// or https://; entries
// are fetched only for modules of the build list, and every field is checked before use.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { compareVersions, isValidVersion } from '../gomod/version.ts';
import type { Vulnerability } from './snapshot.ts';

type OsvEvent = { introduced?: string; fixed?: string; last_affected?: string };
type OsvEntry = {
  id: string;
  aliases?: string[];
  summary?: string;
  details?: string;
  withdrawn?: string;
  database_specific?: { severity?: unknown };
  affected?: {
    package?: { name?: string; ecosystem?: string };
    ranges?: { type?: string; events?: OsvEvent[] }[];
    database_specific?: { severity?: unknown };
    ecosystem_specific?: { severity?: unknown };
  }[];
};

const maxIndexBytes = 64 << 20;
const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export class VulnDatabase {
  readonly url: string;
  readonly modified: string | null;
  readonly #byModule: Map<string, string[]>;
  readonly #entries = new Map<string, Promise<OsvEntry | null>>();
  readonly #timeoutMs: number;

  private constructor(
    url: string,
    modified: string | null,
    byModule: Map<string, string[]>,
    timeoutMs: number,
  ) {
    this.url = url;
    this.modified = modified;
    this.#byModule = byModule;
    this.#timeoutMs = timeoutMs;
  }

  static async open(url: string, timeoutMs = 30_000): Promise<VulnDatabase> {
    const base = url.replace(/\/+$/, '');
    const scheme = new URL(base).protocol;
    if (scheme !== 'file:' && scheme !== 'https:' && scheme !== 'http:') {
      throw new Error(`--vuln-db ${url}: give a file:// or https:// base of a Go vulnerability database`);
    }
    let modified: string | null = null;
    try {
      const db = JSON.parse((await fetchText(`${base}/index/db.json`, timeoutMs)).toString('utf8')) as {
        modified?: unknown;
      };
      if (typeof db.modified === 'string') modified = db.modified;
    } catch {
      // db.json is informative only; modules.json is what matters.
    }
    const text = await fetchText(`${base}/index/modules.json`, timeoutMs).catch((err: Error) => {
      throw new Error(`--vuln-db ${url}: cannot read index/modules.json (${err.message})`);
    });
    let index: unknown;
    try {
      index = JSON.parse(text.toString('utf8'));
    } catch (err) {
      throw new Error(`--vuln-db ${url}: index/modules.json is not JSON (${(err as Error).message})`);
    }
    if (!Array.isArray(index))
      throw new Error(`--vuln-db ${url}: index/modules.json is not a list of modules`);
    const byModule = new Map<string, string[]>();
    for (const item of index as { path?: unknown; vulns?: unknown }[]) {
      if (typeof item?.path !== 'string' || !Array.isArray(item.vulns)) continue;
      const ids = (item.vulns as { id?: unknown }[])
        .map((v) => v?.id)
        .filter((id): id is string => typeof id === 'string' && idPattern.test(id));
      byModule.set(item.path, [...(byModule.get(item.path) ?? []), ...ids]);
    }
    return new VulnDatabase(base, modified, byModule, timeoutMs);
  }

  #entry(id: string): Promise<OsvEntry | null> {
    let p = this.#entries.get(id);
    if (!p) {
      p = fetchText(`${this.url}/ID/${id}.json`, this.#timeoutMs).then((t) => {
        const e = JSON.parse(t.toString('utf8')) as OsvEntry;
        return e && typeof e.id === 'string' ? e : null;
      });
      this.#entries.set(id, p);
    }
    return p;
  }

  /** The entries affecting module@version (withdrawn ones left out), in ID order. */
  async affecting(module: string, version: string): Promise<Vulnerability[]> {
    const ids = this.#byModule.get(module) ?? [];
    const found: Vulnerability[] = [];
    for (const id of [...new Set(ids)].sort()) {
      const entry = await this.#entry(id);
      if (!entry || entry.withdrawn) continue;
      for (const affected of entry.affected ?? []) {
        if (affected.package?.name !== module) continue;
        const ranges = (affected.ranges ?? []).filter((r) => r.type === 'SEMVER');
        if (!ranges.some((r) => inRange(version, r.events ?? []))) continue;
        const events = ranges.flatMap((r) => r.events ?? []);
        const severity =
          label(affected.ecosystem_specific?.severity) ??
          label(affected.database_specific?.severity) ??
          label(entry.database_specific?.severity);
        found.push({
          id: entry.id,
          aliases: (entry.aliases ?? []).filter((a) => typeof a === 'string'),
          summary:
            typeof entry.summary === 'string' ? entry.summary : ((entry.details ?? '').split('\n')[0] ?? ''),
          fixed: [...new Set(events.map((e) => e.fixed).filter((f): f is string => typeof f === 'string'))]
            .map(goVersion)
            .sort(compareVersions),
          severity,
          ranges: ranges.flatMap((r) => pairs(r.events ?? [])),
        });
        break;
      }
    }
    return found;
  }
}

function label(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v.toUpperCase() : null;
}

/** OSV SEMVER versions have no "v"; "0" means "from the beginning". */
function goVersion(v: string): string {
  return v.startsWith('v') ? v : `v${v}`;
}

/** OSV range evaluation: events sorted by version; affected after introduced until fixed (exclusive) or last_affected (inclusive). */
export function inRange(version: string, events: readonly OsvEvent[]): boolean {
  if (!isValidVersion(version)) return false;
  type Ev = { at: string; kind: 'introduced' | 'fixed' | 'last_affected' };
  const list: Ev[] = [];
  for (const e of events) {
    if (typeof e.introduced === 'string')
      list.push({ at: e.introduced === '0' ? '' : goVersion(e.introduced), kind: 'introduced' });
    if (typeof e.fixed === 'string') list.push({ at: goVersion(e.fixed), kind: 'fixed' });
    if (typeof e.last_affected === 'string')
      list.push({ at: goVersion(e.last_affected), kind: 'last_affected' });
  }
  list.sort((a, b) => (a.at === '' ? -1 : b.at === '' ? 1 : compareVersions(a.at, b.at)));
  let affected = false;
  for (const e of list) {
    const cmp = e.at === '' ? 1 : compareVersions(version, e.at);
    if (e.kind === 'introduced' && cmp >= 0) affected = true;
    else if (e.kind === 'fixed' && cmp >= 0) affected = false;
    else if (e.kind === 'last_affected' && cmp > 0) affected = false;
  }
  return affected;
}

function pairs(events: readonly OsvEvent[]): { introduced: string; fixed: string }[] {
  const out: { introduced: string; fixed: string }[] = [];
  let open: string | null = null;
  for (const e of events) {
    if (typeof e.introduced === 'string') open = e.introduced === '0' ? '' : goVersion(e.introduced);
    const end = e.fixed ?? e.last_affected;
    if (typeof end === 'string' && open !== null) {
      out.push({ introduced: open, fixed: goVersion(end) });
      open = null;
    }
  }
  if (open !== null) out.push({ introduced: open, fixed: '' });
  return out;
}

async function fetchText(url: string, timeoutMs: number): Promise<Buffer> {
  if (url.startsWith('file:')) {
    const buf = await readFile(fileURLToPath(url));
    if (buf.length > maxIndexBytes) throw new Error(`${url} is larger than ${maxIndexBytes} bytes`);
    return buf;
  }
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
  const buf = Buffer.from(await res.arrayBuffer());
  if (buf.length > maxIndexBytes) throw new Error(`${url} is larger than ${maxIndexBytes} bytes`);
  return buf;
}
