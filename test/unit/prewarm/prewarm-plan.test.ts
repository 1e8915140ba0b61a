import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { addListFile, addModuleArgument } from '../../../src/prewarm/list-source.ts';
import { parseRetryAfter, retryDelayMs } from '../../../src/prewarm/proxy-client.ts';
import { selectFromList } from '../../../src/prewarm/resolve-query.ts';
import { moduleForTag, pushedTag } from '../../../src/prewarm/tag-source.ts';
import { WarmPlan } from '../../../src/prewarm/warm-plan.ts';
import { fullTilesForRecord } from '../../../src/prewarm/warm-sumdb.ts';
import { addWorkspaceFiles, expandModuleFileGlobs } from '../../../src/prewarm/workspace-source.ts';
import { makeTempDir } from '../../support/go-env.ts';

const h = (c: string) => `h1:${c.repeat(43)}=`;

test('go.sum lines: zip lines want the whole module, /go.mod-only lines the .mod alone; sources deduplicate', async () => {
  const dir = makeTempDir('plan');
  await mkdir(join(dir, 'sub'));
  await writeFile(
    join(dir, 'go.sum'),
    [
      `example.com/a v1.0.0 ${h('A')}`,
      `example.com/a v1.0.0/go.mod ${h('B')}`,
      `example.com/b v0.1.0/go.mod ${h('C')}`,
      '',
    ].join('\n'),
  );
  // The same module in another go.sum, and b's zip needed there: 'full' wins.
  await writeFile(
    join(dir, 'sub', 'go.sum'),
    [`example.com/b v0.1.0 ${h('D')}`, `example.com/a v1.0.0 ${h('A')}`, ''].join('\n'),
  );
  await writeFile(
    join(dir, 'sub', 'go.mod'),
    'module example.com/sub\n\ngo 1.21\n\nrequire example.com/zzz v9.0.0\n',
  );
  const plan = new WarmPlan();
  const files = await expandModuleFileGlobs(dir, ['**/go.sum', '**/go.mod']);
  assert.deepEqual(files, [join(dir, 'go.sum'), join(dir, 'sub', 'go.mod'), join(dir, 'sub', 'go.sum')]);
  await addWorkspaceFiles(plan, files, dir);
  const items = plan.items();
  // sub/go.mod is left to its go.sum (exact), so example.com/zzz (a require without go.sum lines) is not added.
  assert.deepEqual(
    items.map((i) => [i.module, i.version, i.want, i.zipHashes, i.modHashes]),
    [
      ['example.com/a', 'v1.0.0', 'full', [h('A')], [h('B')]],
      ['example.com/b', 'v0.1.0', 'full', [h('D')], [h('C')]],
    ],
  );
  assert.deepEqual(items[0]?.sources, ['go.sum:1', 'go.sum:2', 'sub/go.sum:2']);
});

test('a go.mod without go.sum gives its requirements; replacements are followed, directories skipped', async () => {
  const dir = makeTempDir('plan-mod');
  await writeFile(
    join(dir, 'go.mod'),
    'module example.com/m\n\ngo 1.21\n\nrequire (\n\texample.com/x v1.2.0\n\texample.com/y v1.0.0\n\texample.com/local v0.0.1\n)\n\nreplace example.com/y => example.com/yfork v1.0.1\n\nreplace example.com/local => ./local\n',
  );
  const plan = new WarmPlan();
  await addWorkspaceFiles(plan, await expandModuleFileGlobs(dir, ['go.mod']), dir);
  assert.deepEqual(
    plan.items().map((i) => `${i.module}@${i.version}`),
    ['example.com/x@v1.2.0', 'example.com/yfork@v1.0.1'],
  );
});

test('a go.work gives the go.sum (or go.mod requirements) of each module it uses, and its go.work.sum', async () => {
  const dir = makeTempDir('plan-work');
  await mkdir(join(dir, 'a'));
  await mkdir(join(dir, 'b'));
  await writeFile(join(dir, 'go.work'), 'go 1.22\n\nuse (\n\t./a\n\t./b\n)\n');
  await writeFile(join(dir, 'go.work.sum'), `example.com/w v1.0.0/go.mod ${h('W')}\n`);
  await writeFile(
    join(dir, 'a', 'go.mod'),
    'module example.com/a\n\ngo 1.22\n\nrequire example.com/ignored v1.0.0\n',
  );
  await writeFile(join(dir, 'a', 'go.sum'), `example.com/x v1.1.0 ${h('X')}\n`);
  await writeFile(
    join(dir, 'b', 'go.mod'),
    'module example.com/b\n\ngo 1.22\n\nrequire example.com/y v0.2.0\n',
  );
  const plan = new WarmPlan();
  await addWorkspaceFiles(plan, await expandModuleFileGlobs(dir, ['go.work']), dir);
  assert.deepEqual(
    plan.items().map((i) => `${i.module}@${i.version} ${i.want} ${i.sources.join()}`),
    [
      'example.com/w@v1.0.0 mod go.work.sum:1',
      'example.com/x@v1.1.0 full a/go.sum:1',
      'example.com/y@v0.2.0 full b/go.mod:5',
    ],
  );
});

test('a --files path that matches nothing is an error naming it', async () => {
  await assert.rejects(
    expandModuleFileGlobs(makeTempDir('none'), ['missing/go.sum']),
    /--files missing\/go\.sum: no such/,
  );
});

test('list lines: exact versions go to the plan, anything else is a query; bad lines name file:line', async () => {
  const dir = makeTempDir('list');
  const file = join(dir, 'modules.txt');
  await writeFile(
    file,
    '# warm these\nexample.com/a@v1.2.3\n\nexample.com/b@latest  # newest\nexample.com/c@v1.2\nexample.com/d@v1.2.3+incompatible\n',
  );
  const plan = new WarmPlan();
  await addListFile(plan, file, 'modules.txt');
  assert.deepEqual(
    plan.items().map((i) => `${i.module}@${i.version}`),
    ['example.com/a@v1.2.3', 'example.com/d@v1.2.3+incompatible'],
  );
  assert.deepEqual(
    plan.queries().map((q) => `${q.module}@${q.query} ${q.source}`),
    ['example.com/b@latest modules.txt:4', 'example.com/c@v1.2 modules.txt:5'],
  );
  await writeFile(file, 'example.com/a@v1.0.0\nnot a module line\n');
  await assert.rejects(
    addListFile(new WarmPlan(), file, 'modules.txt'),
    /^Error: modules\.txt:2: "not a module line" is not module@version/,
  );
  assert.throws(() => addModuleArgument(new WarmPlan(), 'Example..com/x@v1.0.0', '--module'), /--module: /);
});

test('queries select like the go command: releases first, < takes the highest, >= the lowest, prefixes', () => {
  const list = ['v1.0.0', 'v1.1.0', 'v1.2.0', 'v1.2.1', 'v1.3.0-beta.1', 'v2.0.0-alpha', 'bad'];
  assert.equal(selectFromList(list, 'latest'), 'v1.2.1');
  assert.equal(selectFromList(['v1.3.0-beta.1', 'v1.4.0-rc.1'], 'latest'), 'v1.4.0-rc.1');
  assert.equal(selectFromList(list, 'v1.1'), 'v1.1.0');
  assert.equal(selectFromList(list, 'v1'), 'v1.2.1');
  assert.equal(selectFromList(list, '<v1.2.0'), 'v1.1.0');
  assert.equal(selectFromList(list, '<=v1.2.0'), 'v1.2.0');
  assert.equal(selectFromList(list, '>=v1.1.0'), 'v1.1.0');
  assert.equal(selectFromList(list, '>v1.2.1'), 'v1.3.0-beta.1');
  assert.equal(selectFromList(list, 'v3'), null);
  assert.equal(selectFromList(list, 'main'), null);
});

test('retry delay: jittered exponential backoff under a cap; Retry-After honoured up to the cap', () => {
  const options = { backoffMs: 100, maxBackoffMs: 5_000, random: () => 1 };
  assert.equal(retryDelayMs(1, null, options), 100);
  assert.equal(retryDelayMs(3, null, options), 400);
  assert.equal(retryDelayMs(10, null, options), 5_000);
  assert.equal(retryDelayMs(1, null, { ...options, random: () => 0.25 }), 25);
  // Retry-After wins over a shorter backoff, never shortened by jitter, capped.
  assert.equal(retryDelayMs(1, 2_000, { ...options, random: () => 0 }), 2_000);
  assert.equal(retryDelayMs(1, 60_000, options), 5_000);
  assert.equal(parseRetryAfter('3'), 3_000);
  assert.equal(
    parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
    10_000,
  );
  assert.equal(parseRetryAfter('soon'), null);
  assert.equal(parseRetryAfter(undefined), null);
});

test('sumdb: only full tiles of the inclusion proof are warmed', () => {
  // A tree of 308: level-0 tile 0 is full (256 hashes), tile 1 partial (52), level-1 tile partial (1).
  // Record 5's proof reads its siblings in tile 0 (full) and the rest from partial tiles.
  assert.deepEqual(fullTilesForRecord(308, 5), [{ height: 8, level: 0, index: 0, width: 256 }]);
  // Record 300's proof reads only the partial tiles (the left subtree's root lives in level-1 tile 0).
  assert.deepEqual(fullTilesForRecord(308, 300), []);
  assert.deepEqual(fullTilesForRecord(100, 5), []);
  // A big tree: every tile used is full, and level-1 tiles appear.
  const big = fullTilesForRecord(70_000, 1_234);
  assert.ok(big.length > 1);
  assert.ok(big.every((t) => t.width === 256));
  assert.ok(big.some((t) => t.level === 1));
});

test('the pushed tag comes from GITHUB_REF or CI_COMMIT_TAG', () => {
  assert.equal(pushedTag({ GITHUB_REF: 'refs/tags/v1.2.3' }), 'v1.2.3');
  assert.equal(pushedTag({ GITHUB_REF: 'refs/heads/main', CI_COMMIT_TAG: 'sub/v1.0.0' }), 'sub/v1.0.0');
  assert.equal(pushedTag({ GITHUB_REF: 'refs/heads/main' }), null);
});

test('tags map to modules with the major-version suffix rule', async () => {
  const repo = makeTempDir('tag');
  await writeFile(join(repo, 'go.mod'), 'module example.com/repo/v2\n\ngo 1.21\n');
  await mkdir(join(repo, 'sub'));
  await writeFile(join(repo, 'sub', 'go.mod'), 'module example.com/repo/sub\n\ngo 1.21\n');
  assert.deepEqual(await moduleForTag(repo, 'v2.3.0'), {
    module: 'example.com/repo/v2',
    version: 'v2.3.0',
    tag: 'v2.3.0',
    dir: repo,
  });
  assert.equal((await moduleForTag(repo, 'sub/v1.0.0')).module, 'example.com/repo/sub');
  await assert.rejects(moduleForTag(repo, 'v1.0.0'), /does not fit module example\.com\/repo\/v2/);
  await assert.rejects(moduleForTag(repo, 'sub/v2.0.0'), /a v2 release needs the module path to end in \/v2/);
  await assert.rejects(moduleForTag(repo, 'release-1'), /does not name a module version/);
  // Major-version subdirectory layout: tag v3.0.0 at the root, module in v3/.
  const layout = makeTempDir('tag-v3');
  await writeFile(join(layout, 'go.mod'), 'module example.com/lay\n\ngo 1.21\n');
  await mkdir(join(layout, 'v3'));
  await writeFile(join(layout, 'v3', 'go.mod'), 'module example.com/lay/v3\n\ngo 1.21\n');
  assert.equal((await moduleForTag(layout, 'v3.0.0')).module, 'example.com/lay/v3');
  assert.equal((await moduleForTag(layout, 'v1.4.0')).module, 'example.com/lay');
});
