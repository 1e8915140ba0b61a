// Resolves `module@query` through the proxy being warmed, as the go command resolves a query
// through GOPROXY: `latest` from /@latest (else the highest listed release), a version prefix
// (`v1`, `v1.2`) and comparisons (`<v1.5`, `>=v1.2.0`) from /@v/list (releases preferred over
// pre-releases, `<`/`<=` take the highest match, `>`/`>=` the lowest), and anything else (a
// branch, a commit, a non-canonical version) from /@v/<query>.info.
import { escapePath, escapeVersion } from '../gomod/module-path.ts';
import {
  canonicalVersion,
  compareVersions,
  isPrerelease,
  isValidVersion,
  sortVersions,
} from '../gomod/version.ts';
import type { ProxyClient } from './proxy-client.ts';
import { BodyCheckError } from './proxy-client.ts';

async function readText(body: AsyncIterable<unknown>, limit: number): Promise<string> {
  let text = '';
  for await (const chunk of body) {
    text += Buffer.from(chunk as Uint8Array).toString('utf8');
    if (text.length > limit) throw new BodyCheckError(`the answer is larger than ${limit} bytes`);
  }
  return text;
}

function infoVersion(text: string, what: string): string {
  let version: unknown;
  try {
    version = (JSON.parse(text) as { Version?: unknown }).Version;
  } catch {
    throw new BodyCheckError(`${what} is not JSON module info`);
  }
  if (typeof version !== 'string' || !isValidVersion(version) || canonicalVersion(version) !== version) {
    throw new BodyCheckError(`${what} names no canonical version (${JSON.stringify(version)})`);
  }
  return version;
}

/** Picks from `versions` what the go command's query would select; null when nothing matches. */
export function selectFromList(versions: readonly string[], query: string): string | null {
  const valid = versions.filter((v) => isValidVersion(v) && canonicalVersion(v) === v);
  const comparison = /^(<=|>=|<|>)(v.+)$/.exec(query);
  let matches: string[];
  let lowest = false;
  if (comparison) {
    const [, op, bound] = comparison as unknown as [string, string, string];
    if (!isValidVersion(bound)) throw new Error(`bad version ${JSON.stringify(bound)} in query ${query}`);
    matches = valid.filter((v) => {
      const c = compareVersions(v, bound);
      return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    });
    lowest = op.startsWith('>');
  } else if (query === 'latest') {
    matches = valid;
  } else if (/^v[0-9]+(\.[0-9]+)?$/.test(query)) {
    // A prefix: v1 matches v1.x.y, v1.2 matches v1.2.y.
    matches = valid.filter((v) => v === query || v.startsWith(`${query}.`) || v.startsWith(`${query}-`));
  } else {
    return null;
  }
  const releases = matches.filter((v) => !isPrerelease(v));
  const pool = sortVersions(releases.length > 0 ? releases : matches);
  return (lowest ? pool[0] : pool.at(-1)) ?? null;
}

export async function resolveQuery(client: ProxyClient, module: string, query: string): Promise<string> {
  const base = `/${escapePath(module)}`;
  const listQuery = query === 'latest' || /^(<=|>=|<|>)v/.test(query) || /^v[0-9]+(\.[0-9]+)?$/.test(query);
  if (query === 'latest') {
    try {
      const { value } = await client.get(`${base}/@latest`, (body) => readText(body, 64 * 1024));
      return infoVersion(value, `${module}@latest`);
    } catch (error) {
      if (error instanceof BodyCheckError) throw error;
      // A proxy without @latest: fall back to the list, as the go command does.
    }
  }
  if (listQuery) {
    const { value } = await client.get(`${base}/@v/list`, (body) => readText(body, 4 << 20));
    const versions = value
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[0] ?? '')
      .filter((v) => v !== '');
    const chosen = selectFromList(versions, query);
    if (!chosen) throw new Error(`no version of ${module} matches ${query} on the proxy`);
    return chosen;
  }
  const { value } = await client.get(`${base}/@v/${escapeVersion(query)}.info`, (body) =>
    readText(body, 64 * 1024),
  );
  return infoVersion(value, `${module}@${query}`);
}
