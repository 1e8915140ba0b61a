import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { serveEnvDefaults, startProxyDetached } from '../../../src/daemon/start-proxy.ts';

// A stand-in for the CLI: writes the ready file startProxyDetached waits for, with the
// environment it was started with beside it, and exits.
const standIn = `
import { writeFileSync } from 'node:fs';
const readyFile = process.argv[process.argv.indexOf('--ready-file') + 1];
writeFileSync(readyFile + '.env', JSON.stringify({ MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? null }));
writeFileSync(readyFile, JSON.stringify({ url: 'http://127.0.0.1:9', pid: process.pid, adminUrl: 'http://127.0.0.1:9/_admin', token: 't' }));
`;

async function envOfDaemon(env: NodeJS.ProcessEnv): Promise<{ MALLOC_ARENA_MAX: string | null }> {
  const dir = await mkdtemp(join(tmpdir(), 'gpa-serve-env-'));
  try {
    const cliPath = join(dir, 'cli.mjs');
    await writeFile(cliPath, standIn);
    const stateDir = join(dir, 'state');
    await startProxyDetached({ cliPath, args: [], env, stateDir, timeoutMs: 20_000 });
    return JSON.parse(await readFile(join(stateDir, 'proxy-ready.json.env'), 'utf8'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('daemon environment: serve starts with at most two malloc arenas unless the job says otherwise', async () => {
  assert.equal(serveEnvDefaults.MALLOC_ARENA_MAX, '2');
  const { MALLOC_ARENA_MAX: _, ...jobEnv } = process.env;
  assert.deepEqual(await envOfDaemon(jobEnv), { MALLOC_ARENA_MAX: '2' });
  // A job that sets it keeps its own value.
  assert.deepEqual(await envOfDaemon({ ...jobEnv, MALLOC_ARENA_MAX: '8' }), { MALLOC_ARENA_MAX: '8' });
});
