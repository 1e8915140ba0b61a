// A GOPROXY value checked exactly as the go command checks it (cmd/go/internal/modfetch,
// proxyList and newProxyRepo), so that we refuse what go refuses and accept what it accepts:
// - entries are split at `,` and `|`, trimmed, empty ones skipped;
// - `off` and `direct` end the list (go ignores, and so does not check, what follows);
// - an entry containing `.`, `:` or `/`, but not `:/` and not an absolute path, gets https://;
// - the result must parse as a URL with scheme https, http or file; a bare word such as
//   `noproxy` or `foo` has none ("invalid proxy URL missing scheme").

/** Why go would refuse this GOPROXY value, or null when it accepts it. */
export function goproxySettingError(value: string): string | null {
  let rest = value;
  let entries = 0;
  while (rest !== '') {
    const at = rest.search(/[,|]/);
    const raw = (at >= 0 ? rest.slice(0, at) : rest).trim();
    rest = at >= 0 ? rest.slice(at + 1) : '';
    if (raw === '') continue;
    entries++;
    if (raw === 'off' || raw === 'direct') return null;
    let url = raw;
    if (/[.:/]/.test(url) && !url.includes(':/') && !url.startsWith('/')) url = `https://${url}`;
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
    if (scheme === undefined)
      return `'${raw}': invalid proxy URL missing scheme (write a URL such as https://${raw.replace(/^\/+/, '')}, or direct or off)`;
    if (scheme !== 'https' && scheme !== 'http' && scheme !== 'file')
      return `'${raw}': invalid proxy URL scheme (must be https, http, file)`;
    if (!URL.canParse(url)) return `'${raw}': not a valid URL`;
  }
  if (entries === 0) return 'the list is empty: give a proxy URL, direct or off';
  return null;
}
