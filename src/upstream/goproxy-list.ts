// Parses a GOPROXY value with the go command's semantics: entries joined by `,` fall
// through only on 404/410, entries joined by `|` fall through on any error; `direct` and
// `off` end the useful part of a list; an entry without a scheme gets https://.
// Userinfo (`https://user:token@host`) is taken out of the URL at once: the URL that is
// logged, counted and put in error messages never holds it, and the credentials travel
// apart, to be sent as Basic auth (https only, as the go command does).
import { redactUrlUserinfo } from './redact-secrets.ts';

/** Credentials written into a GOPROXY entry's URL, decoded. */
export type UrlCredentials = { username: string; password: string };

export type ProxyEntry =
  | { kind: 'url'; url: string; fallThroughOnAnyError: boolean; credentials?: UrlCredentials }
  | { kind: 'direct'; fallThroughOnAnyError: boolean }
  | { kind: 'off' };

export class GoproxyListError extends Error {
  override name = 'GoproxyListError';
}

export function parseGoproxyList(value: string): ProxyEntry[] {
  const entries: ProxyEntry[] = [];
  let rest = value.trim();
  if (rest === '')
    throw new GoproxyListError('GOPROXY list is empty: give at least one proxy URL, "direct" or "off"');
  while (rest !== '') {
    const match = /[,|]/.exec(rest);
    const raw = (match ? rest.slice(0, match.index) : rest).trim();
    const separator = match?.[0];
    rest = match ? rest.slice(match.index + 1) : '';
    if (raw === '') continue;
    const fallThroughOnAnyError = separator === '|';
    if (raw === 'direct') {
      entries.push({ kind: 'direct', fallThroughOnAnyError });
    } else if (raw === 'off') {
      entries.push({ kind: 'off' });
    } else if (raw === 'noproxy') {
      // Go accepts `noproxy` as a historical synonym for `direct`.
      entries.push({ kind: 'direct', fallThroughOnAnyError });
    } else {
      entries.push({ kind: 'url', ...normalizeProxyUrl(raw), fallThroughOnAnyError });
    }
  }
  if (entries.length === 0) {
    throw new GoproxyListError(
      `GOPROXY list "${redactUrlUserinfo(value)}" has no entries: give a proxy URL, "direct" or "off"`,
    );
  }
  return entries;
}

function normalizeProxyUrl(raw: string): { url: string; credentials?: UrlCredentials } {
  const shown = redactUrlUserinfo(raw);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new GoproxyListError(`GOPROXY entry "${shown}" is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:' && url.protocol !== 'file:') {
    throw new GoproxyListError(
      `GOPROXY entry "${shown}" uses the scheme ${url.protocol.slice(0, -1)}: only https, http and file are supported`,
    );
  }
  if (url.username === '' && url.password === '') return { url: withScheme.replace(/\/+$/, '') };
  if (url.protocol !== 'https:') {
    // The go command's words: it never sends credentials over plain http (nor to a file).
    throw new GoproxyListError(
      `refusing to pass credentials to insecure URL: ${redactUrlUserinfo(withScheme)}; use https, or drop the credentials from the URL`,
    );
  }
  let credentials: UrlCredentials;
  try {
    credentials = {
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    };
  } catch {
    throw new GoproxyListError(`GOPROXY entry "${shown}" has badly percent-encoded credentials`);
  }
  url.username = '';
  url.password = '';
  return { url: url.href.replace(/\/+$/, ''), credentials };
}

/** The list written back in GOPROXY syntax (for logs and for child go processes). */
export function formatGoproxyList(entries: ProxyEntry[]): string {
  return entries
    .map((entry, i) => {
      const text = entry.kind === 'url' ? entry.url : entry.kind;
      const separator =
        i === entries.length - 1 ? '' : entry.kind !== 'off' && entry.fallThroughOnAnyError ? '|' : ',';
      return text + separator;
    })
    .join('');
}
