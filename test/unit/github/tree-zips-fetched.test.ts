// treeZipsFetched: whether a run that skipped the store (exact module tree) still had the proxy
// fetch zips of modules the tree holds (what `go mod download` does), so later runs restore it.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { treeZipsFetched } from '../../../src/github/mod-tree-step.ts';

test('treeZipsFetched: a zip of a restored tree module counts; metadata, another version or a module the tree lacked does not', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'gpa-tree-zips-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const listing = join(dir, 'restored-modtree.json');
  // The listing main writes: module dirs as GOMODCACHE names them (escaped path @ version).
  await writeFile(
    listing,
    JSON.stringify({ meta: {}, modules: ['github.com/!burnt!sushi/toml@v1.3.2', 'example.com/lib@v1.5.0'] }),
  );
  assert.equal(await treeZipsFetched(['github.com/!burnt!sushi/toml/@v/v1.3.2.zip'], listing), true);
  assert.equal(
    await treeZipsFetched(['example.com/lib/@v/v1.5.0.zip', 'example.com/new/@v/v1.0.0.zip'], listing),
    true,
  );
  assert.equal(
    await treeZipsFetched(
      [
        'example.com/lib/@v/v1.5.0.mod',
        'example.com/lib/@v/v1.5.0.info',
        'example.com/lib/@v/list',
        'example.com/lib/@v/v1.6.0.zip',
        'example.com/new/@v/v1.0.0.zip',
        // Unescaped spelling: not the module the tree holds under its escaped name.
        'github.com/BurntSushi/toml/@v/v1.3.2.zip',
      ],
      listing,
    ),
    false,
  );
  assert.equal(await treeZipsFetched([], listing), false);
});
