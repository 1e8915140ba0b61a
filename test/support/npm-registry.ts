// A local npm registry for the publish tests: verdaccio on 127.0.0.1 with no uplink, so it
// holds exactly what a test publishes and answers 404 for everything else (a package that
// would need a dependency from elsewhere fails to install, as it should).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectRoot } from './gitlab-ci-local.ts';
import { listeningPort } from './listening-port.ts';

export type NpmRegistry = {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** A token that may publish (from a user the registry created for the test). */
  token: string;
  /** The .npmrc lines that point npm at this registry with the token. */
  npmrc: string;
  log(): string;
  close(): Promise<void>;
};

/** Starts verdaccio with its storage and configuration under dir (the caller removes dir). */
export async function startNpmRegistry(dir: string): Promise<NpmRegistry> {
  await mkdir(dir, { recursive: true });
  const config = join(dir, 'verdaccio.yaml');
  await writeFile(
    config,
    [
      `storage: ${join(dir, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(dir, 'htpasswd')}`,
      '    max_users: 10',
      'uplinks: {}',
      'packages:',
      "  '**':",
      '    access: $all',
      '    publish: $authenticated',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(projectRoot, 'node_modules', 'verdaccio', 'bin', 'verdaccio'),
      '--config',
      config,
      // Port 0, read back from /proc: no free-port-then-spawn race with other tests.
      '--listen',
      '127.0.0.1:0',
    ],
    { env: { PATH: process.env.PATH ?? '', HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout?.on('data', (chunk) => (log += chunk));
  child.stderr?.on('data', (chunk) => (log += chunk));
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    const port = await listeningPort(child.pid ?? 0, {
      hasExited: () => child.exitCode !== null || child.signalCode !== null,
      log: () => log,
    });
    const url = `http://127.0.0.1:${port}/`;
    for (let attempt = 0; ; attempt++) {
      if (child.exitCode !== null) throw new Error(`verdaccio exited (${child.exitCode}):\n${log}`);
      const ping = await fetch(`${url}-/ping`).catch(() => null);
      if (ping?.ok) break;
      if (attempt > 600) throw new Error(`verdaccio did not answer on ${url}:\n${log}`);
      await new Promise((done) => setTimeout(done, 100));
    }
    // npm adduser's request: creates the user and answers with a token.
    const added = await fetch(`${url}-/user/org.couchdb.user:tester`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'tester', password: 'tester-password', type: 'user', roles: [] }),
    });
    const { token } = (await added.json()) as { token?: string };
    if (!added.ok || !token) throw new Error(`verdaccio refused to create a user (${added.status}):\n${log}`);
    return {
      url,
      token,
      npmrc: `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`,
      log: () => log,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
