// The cache-service stand-in, driven by the real @actions/cache: save, exact and prefix
// restore, immutability and version matching, over the v2 Twirp API (azurite behind it) and
// the legacy API.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as cache from '@actions/cache';
import { type CacheService, startCacheService } from '../../support/cache-service.ts';
import { quietActionsOutput } from '../../support/quiet-actions-output.ts';

let service: CacheService;
let workspace: string;
const savedEnv = { ...process.env };

before(async () => {
  service = await startCacheService();
  workspace = await mkdtemp(join(tmpdir(), 'gpa-cache-ws-'));
  process.env.GITHUB_WORKSPACE = workspace;
  process.env.RUNNER_TEMP = await mkdtemp(join(tmpdir(), 'gpa-cache-tmp-'));
  process.chdir(workspace);
});

after(async () => {
  process.chdir('/');
  await service.close();
  await rm(workspace, { recursive: true, force: true });
  await rm(process.env.RUNNER_TEMP!, { recursive: true, force: true });
  process.env = savedEnv;
});

function useApi(api: 'v2' | 'legacy'): void {
  for (const name of [
    'ACTIONS_RESULTS_URL',
    'ACTIONS_CACHE_SERVICE_V2',
    'ACTIONS_CACHE_URL',
    'ACTIONS_RUNTIME_TOKEN',
  ])
    delete process.env[name];
  Object.assign(process.env, api === 'v2' ? service.envV2() : service.envLegacy());
}

async function writeData(text: string): Promise<void> {
  await rm(join(workspace, 'data'), { recursive: true, force: true });
  await mkdir(join(workspace, 'data'), { recursive: true });
  await writeFile(join(workspace, 'data', 'file.txt'), text);
}

for (const api of ['v2', 'legacy'] as const) {
  test(`cache service (${api}): save, exact hit, prefix hit newest first, immutable entries, version match`, () =>
    quietActionsOutput(async () => {
      useApi(api);
      await writeData(`one ${api}`);
      const id1 = await cache.saveCache(['data'], `${api}-key-1`, {}, true);
      assert.ok(id1 > 0, 'first save gets an id');
      await new Promise((r) => setTimeout(r, 5));
      await writeData(`two ${api}`);
      assert.ok((await cache.saveCache(['data'], `${api}-key-2`, {}, true)) > 0);

      // A second save of a key is refused (entries are immutable) and reported as -1.
      assert.equal(await cache.saveCache(['data'], `${api}-key-2`, {}, true), -1);
      const creates = service.requests.filter(
        (r) => r.api === api && (r.op === 'create' || r.op === 'reserve'),
      );
      assert.equal(creates.at(-1)?.status, 409);

      await writeData('overwritten');
      assert.equal(await cache.restoreCache(['data'], `${api}-key-1`, [`${api}-`], {}, true), `${api}-key-1`);
      assert.equal(await readFile(join(workspace, 'data', 'file.txt'), 'utf8'), `one ${api}`);

      // No exact match: the newest entry whose key starts with the restore key.
      assert.equal(await cache.restoreCache(['data'], `${api}-key-3`, [`${api}-`], {}, true), `${api}-key-2`);
      assert.equal(await readFile(join(workspace, 'data', 'file.txt'), 'utf8'), `two ${api}`);

      // lookupOnly answers without downloading.
      await writeData('untouched');
      assert.equal(
        await cache.restoreCache(['data'], `${api}-key-1`, [], { lookupOnly: true }, true),
        `${api}-key-1`,
      );
      assert.equal(await readFile(join(workspace, 'data', 'file.txt'), 'utf8'), 'untouched');

      // Other paths make another version: no match.
      assert.equal(await cache.restoreCache(['other'], `${api}-key-1`, [`${api}-`], {}, true), undefined);
      const lookups = service.requests.filter((r) => r.api === api && r.op === 'lookup');
      assert.ok(lookups.length >= 4);
      assert.ok(lookups.every((r) => r.authorized));
    }));
}
