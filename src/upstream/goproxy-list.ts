// Parses a GOPROXY value with the go command's semantics: entries joined by `,` fall
// through only on 404/410, entries joined by `|` fall through on any error; `direct` and
// `off` end the useful part of a list; an entry without a scheme gets https://.

export type ProxyEntry =
  | { kind: 'url'; url: string; fallThroughOnAnyError: boolean }
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
      entries.push({ kind: 'url', url: normalizeProxyUrl(raw), fallThroughOnAnyError });
    }
  }
  if (entries.length === 0) {
    throw new GoproxyListError(`GOPROXY list "${value}" has no entries: give a proxy URL, "direct" or "off"`);
  }
  return entries;
}

function normalizeProxyUrl(raw: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new GoproxyListError(`GOPROXY entry "${raw}" is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:' && url.protocol !== 'file:') {
    throw new GoproxyListError(
      `GOPROXY entry "${raw}" uses the scheme ${url.protocol.slice(0, -1)}: only https, http and file are supported`,
    );
  }
  return withScheme.replace(/\/+$/, '');
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
