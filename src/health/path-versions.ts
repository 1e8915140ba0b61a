// What the proxy says about one module path, fetched once and shared by every version of it in
// the build list: the version list, @latest, the go.mod of any version (for retractions,
// deprecation and the +incompatible rule) and .info times.
import { type GoModFile, parseGoMod } from '../gomod/go-mod-file.ts';
import { escapePath, escapeVersion } from '../gomod/module-path.ts';
import { isPseudoVersion, isValidVersion, pseudoVersionTime } from '../gomod/version.ts';
import type { ProxyClient } from './proxy-client.ts';
import { listedVersions, type QuerySource } from './version-query.ts';

/** A proxy error other than "no such module/version" (404/410): the go command stops on it too. */
export class ProxyQueryError extends Error {}

export class PathVersions implements QuerySource {
  readonly path: string;
  readonly #client: ProxyClient;
  readonly #escaped: string;
  #rawList: Promise<string> | null = null;
  #list: Promise<string[]> | null = null;
  #latest: Promise<string | null> | null = null;
  readonly #mods = new Map<string, Promise<Buffer | null>>();
  readonly #infos = new Map<string, Promise<{ Version?: string; Time?: string } | null>>();

  constructor(client: ProxyClient, path: string) {
    this.#client = client;
    this.path = path;
    this.#escaped = escapePath(path);
  }

  /** The raw @v/list text ('' when the proxy has no such module). */
  #listText(): Promise<string> {
    this.#rawList ??= this.#client.get(`${this.#escaped}/@v/list`, 'list', this.path).then((a) => {
      if (a.status === 404 || a.status === 410) return '';
      if (a.status !== 200 || !a.body)
        throw new ProxyQueryError(`${this.path}/@v/list: ${a.error ?? 'no answer'}`);
      return a.body.toString('utf8');
    });
    return this.#rawList;
  }

  list(): Promise<string[]> {
    this.#list ??= this.#listText().then(listedVersions);
    return this.#list;
  }

  /**
   * modfetch's proxyRepo.Latest: the @latest answer; without one (404/410), the newest
   * untagged version in the list by its time (proxies may list pseudo-versions).
   */
  latest(): Promise<string | null> {
    this.#latest ??= this.#client.get(`${this.#escaped}/@latest`, 'latest', this.path).then(async (a) => {
      if (a.status === 404 || a.status === 410) return latestFromList(await this.#listText());
      if (a.status !== 200 || !a.body)
        throw new ProxyQueryError(`${this.path}/@latest: ${a.error ?? 'no answer'}`);
      const v = safeJson(a.body)?.Version;
      return typeof v === 'string' ? v : null;
    });
    return this.#latest;
  }

  /** The .mod bytes of a version; null when the proxy has none (404/410). */
  mod(version: string): Promise<Buffer | null> {
    let p = this.#mods.get(version);
    if (!p) {
      p = this.#client
        .get(`${this.#escaped}/@v/${escapeVersion(version)}.mod`, 'mod', this.path)
        .then((a) => {
          if (a.status === 404 || a.status === 410) return null;
          if (a.status !== 200 || !a.body)
            throw new ProxyQueryError(`${this.path}@${version}.mod: ${a.error ?? 'no answer'}`);
          return a.body;
        });
      this.#mods.set(version, p);
    }
    return p;
  }

  async goMod(version: string): Promise<GoModFile | null> {
    const bytes = await this.mod(version);
    if (!bytes) return null;
    // The go command reads dependencies' go.mod files laxly (modfile.ParseLax).
    return parseGoMod(bytes.toString('utf8'), `${this.path}@${version}/go.mod`, { lax: true });
  }

  async hasGoMod(version: string): Promise<boolean> {
    const bytes = await this.mod(version);
    // A proxy synthesizes `module <path>\n` for versions without a go.mod (modfetch.LegacyGoMod).
    return bytes !== null && bytes.toString('utf8') !== `module ${quotedPath(this.path)}\n`;
  }

  info(version: string): Promise<{ Version?: string; Time?: string } | null> {
    let p = this.#infos.get(version);
    if (!p) {
      p = this.#client
        .get(`${this.#escaped}/@v/${escapeVersion(version)}.info`, 'info', this.path)
        .then((a) => (a.status === 200 && a.body ? safeJson(a.body) : null));
      this.#infos.set(version, p);
    }
    return p;
  }

  /** Records an .info answer fetched elsewhere (the resolvability probe) so it is not asked twice. */
  seedInfo(version: string, body: Buffer | null): void {
    if (!this.#infos.has(version)) this.#infos.set(version, Promise.resolve(body ? safeJson(body) : null));
  }

  seedMod(version: string, body: Buffer | null): void {
    if (body && !this.#mods.has(version)) this.#mods.set(version, Promise.resolve(body));
  }
}

/**
 * proxyRepo.latestFromList: the line's own time when it gives one, else a pseudo-version's
 * time; tagged versions without a time are skipped; the first strictly newest wins.
 */
export function latestFromList(text: string): string | null {
  let best: string | null = null;
  // Go's zero time: a version whose time cannot be read is never after it.
  let bestTime = -62135596800000;
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const v = fields[0] ?? '';
    if (v === '' || !isValidVersion(v)) continue;
    let time: number;
    if (fields.length >= 2) time = Date.parse(fields[1] as string);
    else if (isPseudoVersion(v)) time = pseudoVersionTime(v)?.getTime() ?? Number.NaN;
    else continue;
    if (!Number.isNaN(time) && time > bestTime) {
      best = v;
      bestTime = time;
    }
  }
  return best;
}

function safeJson(body: Buffer): { Version?: string; Time?: string } | null {
  try {
    const v = JSON.parse(body.toString('utf8')) as unknown;
    return v && typeof v === 'object' ? (v as { Version?: string; Time?: string }) : null;
  } catch {
    return null;
  }
}

/** modfile.AutoQuote: quote a path only when it needs it. */
function quotedPath(path: string): string {
  return /^[^\s"'`()[\]{},/]*(?:\/[^\s"'`()[\]{},/]*)*$/.test(path) && !path.includes('//')
    ? path
    : JSON.stringify(path);
}
