// A private git host for tests: real repositories served over git's smart HTTP protocol by
// `git http-backend` (run as a CGI behind node:http) on 127.0.0.1, HTTP Basic auth required,
// every request logged (never the password).
//
// How the real go command (1.26) fetches a module from it, worked out by trying (see
// test/unit/fixtures/git-server.test.ts, which proves each point):
// - Module path with a VCS qualifier, e.g. `example.com/private/lib.git` (its go.mod says
//   `module example.com/private/lib.git`). The `.git` makes the go command skip `?go-get=1`
//   discovery and go straight to git; it asks git for `https://example.com/private/lib`.
// - Map that host onto this server only in the go process's environment:
//   GIT_CONFIG_COUNT=1, GIT_CONFIG_KEY_0=url.<server url>/.insteadOf,
//   GIT_CONFIG_VALUE_0=https://example.com/  (`gitConfigEnv([gitUrlRewrite(server)])`).
//   git rewrites before connecting, so nothing ever goes to example.com over https. The
//   server sees `/private/lib/info/refs?service=git-upload-pack` (no `.git`; git http-backend
//   finds `private/lib.git` by itself).
// - When https fails (e.g. 401 without credentials) the go command goes on to git+ssh:// and
//   ssh:// on the real host and finally says "no secure protocol found for repository";
//   gitConfigEnv sets GIT_SSH_COMMAND=false so those attempts stay off the network.
// - GOINSECURE is NOT needed: the go command only ever sees the https URL; the rewrite to
//   http happens inside git.
// - GOPROXY=direct (or a list ending in direct) and GOPRIVATE=example.com/private (so no
//   checksum database and no proxy is asked; GONOPROXY/GONOSUMDB left empty default to it).
// - Credentials: git does not read NETRC here; give them in git config through the same
//   environment, either a credential helper (`gitCredentialHelper(user, password)`:
//   credential.helper=!f() { ... }; f, git asks after the server's 401) or a header sent on
//   every request (`gitAuthHeader(user, password)`: http.extraHeader=Authorization: Basic ...).
//   Without them git gets 401 and, with GIT_TERMINAL_PROMPT=0 (set by goEnv), the go command
//   fails with "terminal prompts disabled".
// - GIT_CONFIG_NOSYSTEM=1 keeps the machine's /etc/gitconfig out (goEnv gives a fresh HOME).

import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export type GitRepoFixture = {
  /** Path under the server, without `.git`: `private/lib` is served at `<url>/private/lib(.git)`. */
  name: string;
  files: Record<string, string>;
  /** Tags on the repository's single commit, e.g. `['v1.0.0', 'v1.1.0']`. */
  tags: string[];
};

export type GitRequest = {
  method: string;
  path: string;
  query: string;
  /** An Authorization header was sent (whether or not it was right). */
  credentialsPresent: boolean;
  /** The credentials were the right ones. */
  authorized: boolean;
  status: number;
};

export type GitServer = {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Directory holding the bare repositories. */
  root: string;
  requests: GitRequest[];
  resetLog(): void;
  close(): Promise<void>;
};

// A clean git environment: no machine or user config, fixed identity and dates.
function gitEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'Fixture',
    GIT_AUTHOR_EMAIL: 'fixture@example.com',
    GIT_COMMITTER_NAME: 'Fixture',
    GIT_COMMITTER_EMAIL: 'fixture@example.com',
    GIT_AUTHOR_DATE: '2024-01-02T03:04:05Z',
    GIT_COMMITTER_DATE: '2024-01-02T03:04:05Z',
  };
}

async function git(args: string[], cwd: string, env: Record<string, string>): Promise<void> {
  try {
    await execFileAsync('git', args, { cwd, env });
  } catch (error) {
    const e = error as { stderr?: string };
    throw new Error(`git ${args.join(' ')} failed: ${e.stderr ?? String(error)}`);
  }
}

async function createBareRepo(
  root: string,
  scratch: string,
  repo: GitRepoFixture,
  env: Record<string, string>,
) {
  if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(repo.name) || repo.name.split('/').includes('..')) {
    throw new Error(
      `git fixture repo name ${JSON.stringify(repo.name)}: use path elements of letters, digits, . _ -`,
    );
  }
  const work = join(scratch, repo.name);
  await mkdir(work, { recursive: true });
  await git(['init', '-q', '-b', 'main'], work, env);
  for (const [name, content] of Object.entries(repo.files)) {
    await mkdir(dirname(join(work, name)), { recursive: true });
    await writeFile(join(work, name), content);
  }
  await git(['add', '-A'], work, env);
  await git(['commit', '-q', '-m', `fixture ${repo.name}`], work, env);
  for (const tag of repo.tags) await git(['tag', tag], work, env);
  const bare = join(root, `${repo.name}.git`);
  await mkdir(dirname(bare), { recursive: true });
  await git(['clone', '-q', '--bare', work, bare], scratch, env);
}

export async function startGitServer(options: {
  user: string;
  password: string;
  repos: GitRepoFixture[];
}): Promise<GitServer> {
  const base = await mkdtemp(join(tmpdir(), 'fixture-git-'));
  const root = join(base, 'repos');
  const home = join(base, 'home');
  await mkdir(root);
  await mkdir(home);
  const env = gitEnv(home);
  for (const repo of options.repos) await createBareRepo(root, join(base, 'work'), repo, env);
  const expected = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}`;
  const requests: GitRequest[] = [];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const auth = req.headers.authorization;
    const entry: GitRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: url.search.slice(1),
      credentialsPresent: auth !== undefined,
      authorized: auth === expected,
      status: 0,
    };
    requests.push(entry);
    if (!entry.authorized) {
      entry.status = 401;
      req.resume();
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Basic realm="fixture git"' });
      res.end('authentication required\n');
      return;
    }
    runBackend(req, res, url, root, home, options.user, entry);
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    root,
    requests,
    resetLog() {
      requests.length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await rm(base, { recursive: true, force: true });
    },
  };
}

// CGI: request metadata in the environment, the body on stdin; the answer is CGI headers
// (with `Status:`), a blank line, then the body.
function runBackend(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  root: string,
  home: string,
  user: string,
  entry: GitRequest,
): void {
  const cgiEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    REMOTE_USER: user,
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    SERVER_PROTOCOL: 'HTTP/1.1',
    CONTENT_TYPE: req.headers['content-type'] ?? '',
  };
  if (req.headers['content-length']) cgiEnv.CONTENT_LENGTH = req.headers['content-length'];
  if (req.headers['content-encoding']) cgiEnv.HTTP_CONTENT_ENCODING = req.headers['content-encoding'];
  const protocol = req.headers['git-protocol'];
  if (typeof protocol === 'string') cgiEnv.GIT_PROTOCOL = protocol;

  const child = spawn('git', ['http-backend'], { env: cgiEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  req.pipe(child.stdin);
  child.stdin.on('error', () => undefined);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const crlf = head.indexOf('\r\n\r\n');
    const lf = head.indexOf('\n\n');
    const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf : lf;
    if (end < 0) return;
    const separator = end === crlf ? 4 : 2;
    headersDone = true;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
      else headers[name] = value;
    }
    entry.status = status;
    res.writeHead(status, headers);
    res.write(head.subarray(end + separator));
  });
  child.on('close', (code) => {
    if (!headersDone) {
      entry.status = 500;
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`git http-backend exited ${code}: ${stderr}\n`);
      return;
    }
    res.end();
  });
}

/** The git config pair that makes git fetch `https://<host>/...` from this server. */
export function gitUrlRewrite(server: GitServer, host = 'example.com'): [string, string] {
  return [`url.${server.url}/.insteadOf`, `https://${host}/`];
}

/**
 * Environment entries (for goEnv's `extra`) carrying git config only through the environment
 * (GIT_CONFIG_COUNT/KEY_n/VALUE_n), without the machine's /etc/gitconfig, and with ssh disabled:
 * after https fails the go command tries git+ssh:// and ssh:// on the real host, which a test
 * must never reach.
 */
export function gitConfigEnv(pairs: [key: string, value: string][]): Record<string, string> {
  const env: Record<string, string> = {
    GIT_CONFIG_COUNT: String(pairs.length),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_SSH_COMMAND: 'false',
  };
  pairs.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

/** A credential helper answering with these credentials (git asks it after a 401). */
export function gitCredentialHelper(user: string, password: string): [string, string] {
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  return ['credential.helper', `!f() { echo username=${quote(user)}; echo password=${quote(password)}; }; f`];
}

/** An Authorization header git sends with every request. */
export function gitAuthHeader(user: string, password: string): [string, string] {
  return [
    'http.extraHeader',
    `Authorization: Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
  ];
}
