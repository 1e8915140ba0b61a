// The GOSUMDB setting: `off`, `<name>`, `<name>+<key>` or `<name>+<key> <url>` (the go command's
// dbDial). Only a value that carries the key lets us verify records ourselves; a bare name means
// the go command's built-in key, which only the go command knows.

import { parseVerifierKey } from './note.ts';

export type GosumdbSetting = {
  /** Database name, e.g. the host it lives on; "off" when off. */
  name: string;
  /** The full verifier key (`name+hash+key`) when the setting gives one. */
  key: string | null;
  /** The explicit URL (which bypasses GOPROXY for the database) when given. */
  url: string | null;
  off: boolean;
};

const forms = 'use off, <name>, <name>+<key>, or "<name>+<key> <url>"';

function invalid(value: string, why: string): Error {
  return new Error(`invalid GOSUMDB ${JSON.stringify(value)}: ${why}; ${forms}`);
}

// The go command refuses a name that is not a plain host[/path]: it becomes https://<name>.
function checkDatabaseName(value: string, name: string): void {
  let parsed: URL;
  try {
    parsed = new URL(`https://${name}`);
  } catch {
    throw invalid(value, `database name ${JSON.stringify(name)} must be host[/path]`);
  }
  const plain =
    /^[A-Za-z0-9.-]+(?::[0-9]+)?(?:\/[A-Za-z0-9._~-]+)*$/.test(name) &&
    parsed.username === '' &&
    parsed.search === '' &&
    parsed.hash === '';
  if (!plain) throw invalid(value, `database name ${JSON.stringify(name)} must be host[/path]`);
}

export function parseGosumdb(value: string): GosumdbSetting {
  const fields = value
    .trim()
    .split(/\s+/)
    .filter((f) => f !== '');
  if (fields.length === 0) throw invalid(value, 'it is empty (unset it to get the default database)');
  if (fields.length > 2) throw invalid(value, 'too many fields');
  const [first, urlText] = fields as [string, string | undefined];
  if (first === 'off') {
    if (urlText !== undefined) throw invalid(value, '"off" takes no URL');
    return { name: 'off', key: null, url: null, off: true };
  }
  let name = first;
  let key: string | null = null;
  if (first.includes('+')) {
    try {
      name = parseVerifierKey(first).name;
    } catch (error) {
      throw invalid(value, (error as Error).message);
    }
    key = first;
  }
  checkDatabaseName(value, name);
  let url: string | null = null;
  if (urlText !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(urlText);
    } catch {
      throw invalid(value, `${JSON.stringify(urlText)} is not a URL`);
    }
    if (!['https:', 'http:', 'file:'].includes(parsed.protocol)) {
      throw invalid(value, `URL scheme ${parsed.protocol} is not supported (use https, http or file)`);
    }
    url = urlText.replace(/\/+$/, '');
  }
  return { name, key, url, off: false };
}
