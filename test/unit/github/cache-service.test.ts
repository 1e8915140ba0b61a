// The cache-service stand-in, driven by the real @actions/cache: save, exact and prefix
// restore, immutability and version matching, over the v2 Twirp API (azurite behind it) and
// the legacy API.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as cache from '@actions/cache';
import { CacheApiRefused, restCacheApi } from '../../../src/github/superseded-entries.ts';
import { type CacheService, startCacheService, useCacheApi } from '../../support/cache-service.ts';
import { quietActionsOutput } from '../../support/quiet-actions-output.ts';

let service: CacheService;
let workspace: string;
const savedEnv = { ...process.env };

before(async () => {
  service = await startCacheService({
    apiTokens: { 'rest-write-token': 'write', 'rest-read-token': 'read' },
  });
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

async function writeData(text: string): Promise<void> {
  await rm(join(workspace, 'data'), { recursive: true, force: true });
  await mkdir(join(workspace, 'data'), { recursive: true });
  await writeFile(join(workspace, 'data', 'file.txt'), text);
}

for (const api of ['v2', 'legacy'] as const) {
  test(`cache service (${api}): save, exact hit, prefix hit newest first, immutable entries, version match`, () =>
    quietActionsOutput(async () => {
      useCacheApi(service, api);
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

test('cache service REST API: list by key prefix and ref, delete by id with a write token only, over the entries @actions/cache saved', () =>
  quietActionsOutput(async () => {
    useCacheApi(service, 'v2');
    await writeData('rest one');
    assert.ok((await cache.saveCache(['data'], 'rest-fam-1', {}, true)) > 0);
    await writeData('rest two');
    assert.ok((await cache.saveCache(['data'], 'rest-fam-2', {}, true)) > 0);
    service.ref = 'refs/heads/feature';
    await writeData('rest three');
    assert.ok((await cache.saveCache(['data'], 'rest-fam-3', {}, true)) > 0);
    service.ref = 'refs/heads/main';
    await writeData('rest other');
    assert.ok((await cache.saveCache(['data'], 'rest-other-1', {}, true)) > 0);

    const writer = restCacheApi(service.envRest(), 'rest-write-token')!;
    service.requests.length = 0;
    const listed = await writer.list('rest-fam-', 'refs/heads/main');
    assert.deepEqual(listed.map((e) => e.key).sort(), ['rest-fam-1', 'rest-fam-2']);
    assert.ok(listed.every((e) => e.ref === 'refs/heads/main' && e.size_in_bytes > 0));
    const [listRequest] = service.requests;
    assert.equal(listRequest?.op, 'rest-list');
    assert.equal(listRequest?.path, '/repos/octo-org/octo-repo/actions/caches');
    assert.equal(listRequest?.query?.key, 'rest-fam-');
    assert.equal(listRequest?.query?.ref, 'refs/heads/main');
    assert.equal(listRequest?.authorization, 'Bearer rest-write-token');
    assert.equal(listRequest?.apiVersion, '2022-11-28');

    // A read-only token lists but may not delete: refused, the entry stays.
    const reader = restCacheApi(service.envRest(), 'rest-read-token')!;
    const one = listed.find((e) => e.key === 'rest-fam-1')!;
    await assert.rejects(reader.delete(one.id), CacheApiRefused);
    assert.ok(service.entries.some((e) => e.id === one.id));
    // An unknown token is refused even the listing.
    await assert.rejects(
      restCacheApi(service.envRest(), 'wrong')!.list('rest-fam-', 'refs/heads/main'),
      CacheApiRefused,
    );

    await writer.delete(one.id);
    assert.equal(service.requests.at(-1)?.op, 'rest-delete');
    assert.equal(service.requests.at(-1)?.status, 204);
    assert.ok(!service.entries.some((e) => e.id === one.id));
    // Gone for @actions/cache too; deleting it again (a concurrent job did) is not an error.
    assert.equal(await cache.restoreCache(['data'], 'rest-fam-1', [], { lookupOnly: true }, true), undefined);
    await writer.delete(one.id);
    assert.deepEqual(
      (await writer.list('rest-fam-', 'refs/heads/feature')).map((e) => e.key),
      ['rest-fam-3'],
    );
    // No API without a token, a URL or a repository.
    assert.equal(restCacheApi(service.envRest(), ''), undefined);
    assert.equal(restCacheApi({ GITHUB_REPOSITORY: 'a/b' }, 'x'), undefined);
  }));
