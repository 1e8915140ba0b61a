// The NETRC file that gives the go command the remote proxy's credentials. The go command reads
// exactly one netrc ($NETRC, else ~/.netrc), so the user's existing entries are carried over;
// ours replaces any entry for the same machine. The file is 0600 and lives in a temp directory
// (createCredentialsDir) that the post step removes.
import { readFileSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type NetrcEntry = { machine: string; login: string; password: string };

/**
 * The machine/login/password entries of a netrc text, read as the go command reads them:
 * whitespace-separated tokens, `macdef` bodies skipped up to a blank line, nothing after `default`.
 */
export function parseNetrc(text: string): NetrcEntry[] {
  const entries: NetrcEntry[] = [];
  let current: Partial<NetrcEntry> = {};
  let inMacro = false;
  for (const line of text.split(/\r?\n/)) {
    if (inMacro) {
      if (line.trim() === '') inMacro = false;
      continue;
    }
    const fields = line
      .trim()
      .split(/\s+/)
      .filter((f) => f !== '');
    let i = 0;
    for (; i < fields.length - 1; i += 2) {
      const [key, value] = [fields[i]!, fields[i + 1]!];
      if (key === 'machine') current = { machine: value };
      else if (key === 'login') current.login = value;
      else if (key === 'password') current.password = value;
      else if (key === 'macdef') inMacro = true;
      if (current.machine && current.login && current.password) {
        entries.push(current as NetrcEntry);
        current = {};
      }
    }
    if (fields[i] === 'default') break;
  }
  return entries;
}

function checkToken(what: string, value: string): void {
  if (value === '' || /\s/.test(value)) {
    throw new Error(
      `the ${what} ${value === '' ? 'is empty' : 'contains white space'}, which a netrc file cannot hold; the go command would never send it`,
    );
  }
}

/** Our entry first, then the user's entries for other machines (the go command uses the first match). */
export function mergeNetrc(existing: NetrcEntry[], ours: NetrcEntry): string {
  checkToken('proxy host', ours.machine);
  checkToken('proxy username', ours.login);
  checkToken('proxy password or token', ours.password);
  const kept = existing.filter((e) => e.machine !== ours.machine);
  return [ours, ...kept]
    .map((e) => `machine ${e.machine} login ${e.login} password ${e.password}\n`)
    .join('');
}

/** The netrc the go command would read now: $NETRC, else ~/.netrc (~/_netrc on Windows). */
export function userNetrcPath(env: NodeJS.ProcessEnv, home = homedir()): string {
  if (env.NETRC) return env.NETRC;
  return join(home, process.platform === 'win32' ? '_netrc' : '.netrc');
}

export async function readUserNetrc(path: string): Promise<NetrcEntry[]> {
  try {
    // Synchronous: serve reads it before it is ready (a small file; fs/promises costs start-up CPU).
    return parseNetrc(readFileSync(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`cannot read the existing netrc file ${path} (${(err as Error).message})`);
  }
}

/** The netrc machine for a proxy URL: the go command matches `host[:port]` of the request URL. */
export function netrcMachineFor(proxyUrl: string): string {
  return new URL(proxyUrl).host;
}

/** Writes the merged netrc (mode 0600) into a directory from createCredentialsDir; returns its path. */
export async function writeNetrcFile(options: {
  dir: string;
  ours: NetrcEntry;
  existing: NetrcEntry[];
}): Promise<string> {
  const text = mergeNetrc(options.existing, options.ours);
  const file = join(options.dir, '.netrc');
  await writeFile(file, text, { mode: 0o600 });
  await chmod(file, 0o600); // the umask may have masked the mode given to writeFile
  return file;
}
